"""The replay hub's dataset endpoints: what huggingface_hub asks when it downloads a dataset's files.

- ``GET /api/datasets/{repo}[/revision/{rev}]`` (``dataset_info``, also the first request of
  ``snapshot_download``): id, sha, dates, ``siblings`` (with ``blobs=true`` their sizes and LFS
  sha256);
- ``GET /api/datasets/{repo}/tree/{rev}[/{path}]`` (``list_repo_files``, ``list_repo_tree``);
- ``HEAD``/``GET /datasets/{repo}/resolve/{rev}/{path}`` (``hf_hub_download(repo_type="dataset")``):
  the file, answered directly with the headers the client checks (the real Hub redirects an LFS
  file to its CDN host; the content and checks are the same).

Repos are read from the snapshot's ``datasets/`` folder (``replayhub.datasets``); one revision each,
its sha or ``main``. A file is read from disk and answered whole (or the asked ``Range``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from replayhub.datasets import DatasetRepo, read_repo
from replayhub.server.files import disposition, file_response, tree_listing
from replayhub.server.protocol import HubError, Request, Response, as_listing, json_response


def dataset_route(req: Request, segs: list[str]) -> Response:
    """``segs``: the request path's segments, starting with ``api, datasets`` or ``datasets``."""
    api = segs[0] == "api"
    rest = segs[2:] if api else segs[1:]
    if len(rest) < 2:
        raise HubError(404, "Repository not found", "RepoNotFound")
    repo = _repo(req, "/".join(rest[:2]))
    tail = rest[2:]
    if not api:
        if len(tail) < 3 or tail[0] != "resolve":
            raise HubError(404, f"Sorry, we can't find the page you are looking for: {req.path}")
        _check_revision(repo, tail[1])
        return _file(req, repo, "/".join(tail[2:]))
    if not tail:
        return _info(req, repo)
    if tail[0] == "revision" and len(tail) >= 2:
        _check_revision(repo, "/".join(tail[1:]))
        return _info(req, repo)
    if tail[0] == "tree" and len(tail) >= 2:
        _check_revision(repo, tail[1])
        return _tree(req, repo, "/".join(tail[2:]))
    raise HubError(404, f"Sorry, we can't find the page you are looking for: {req.path}")


def _repo(req: Request, repo_id: str) -> DatasetRepo:
    repo = read_repo(req.reader.directory, repo_id)
    if repo is None:
        raise HubError(404, "Repository not found", "RepoNotFound")
    return repo


def _check_revision(repo: DatasetRepo, revision: str) -> None:
    name = revision.removeprefix("refs/heads/")
    if name != "main" and not (len(name) >= 7 and repo.sha.startswith(name)):
        raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")


def _info(req: Request, repo: DatasetRepo) -> Response:
    siblings: list[dict[str, Any]] = []
    for entry in repo.tree():
        sibling: dict[str, Any] = {"rfilename": entry["path"]}
        if req.params.flag("blobs"):
            sibling.update(blobId=entry["oid"], size=entry["size"],
                           lfs={"sha256": entry["lfs"]["oid"], "size": entry["size"],
                                "pointerSize": entry["lfs"]["pointerSize"]})
        siblings.append(sibling)
    author = repo.id.split("/")[0]
    return json_response({
        "_id": hashlib.sha1(("dataset:" + repo.id).encode()).hexdigest()[:24], "id": repo.id, "author": author,
        "sha": repo.sha, "lastModified": repo.last_modified, "createdAt": repo.created_at, "private": False,
        "gated": False, "disabled": False, "downloads": 0, "likes": 0, "tags": [], "cardData": {},
        "siblings": siblings, "usedStorage": sum(f["size"] for f in repo.files)})


def _tree(req: Request, repo: DatasetRepo, sub: str) -> Response:
    entries = tree_listing(repo.tree(), sub.strip("/"), req.params.flag("recursive"))
    if entries is None:
        raise HubError(404, f"Entry not found: {sub!r} is not a folder", "EntryNotFound",
                       [("X-Repo-Commit", repo.sha)])
    return as_listing(json_response(entries, headers=[("X-Repo-Commit", repo.sha)]))


def _file(req: Request, repo: DatasetRepo, path: str) -> Response:
    local = repo.file_path(path)
    if local is None:
        raise HubError(404, f"Entry not found: {path!r}", "EntryNotFound", [("X-Repo-Commit", repo.sha)])
    body = local.read_bytes()
    sha256 = next(f["sha256"] for f in repo.files if f["path"] == path)
    etag = f'"{sha256}"'
    headers = [("X-Repo-Commit", repo.sha), ("Accept-Ranges", "bytes"), ("ETag", etag), ("X-Linked-Etag", etag),
               ("X-Linked-Size", str(len(body))), ("Content-Disposition", disposition(path))]
    return file_response(req.range, body, "application/octet-stream", headers)
