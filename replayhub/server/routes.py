"""The replay hub's endpoints: what each Hub API path answers, read from the snapshot.

- ``GET /api/models``: the listing, in the Hub's order and paged with its keyset cursors
  (``keyset.py``: ``sort``, ``direction``), filtered by ``search``, ``author``, ``filter``,
  ``pipeline_tag``, ``gated``, shaped by ``full``, ``cardData``, ``config``, ``expand``;
- ``GET /api/models/{repo_id}[/revision/{rev}]``: ``model_info`` (the stored body verbatim where
  it can be, with ``blobs`` or ``expand`` otherwise);
- ``/api/models/{repo_id}/commits/{rev}``, ``/tree/{rev}/{path}``, ``/refs``: history, files, refs;
- ``/{repo_id}/resolve/{rev}/{path}``: a file. As on the real Hub, a regular (non-LFS) file
  answers ``307`` with a relative ``Location`` into ``/api/resolve-cache/models/{repo}/{sha}/{path}``
  (the commit pinned, the original path and the blob id in the query), which answers the content;
  both count in the resolvers bucket. An LFS file answers its content directly (the real Hub
  redirects it to a CDN host);
- ``/api/datasets/…``, ``/datasets/{repo}/resolve/…``: dataset repos (``datasets.py``);
- ``/api/agent-harnesses``: the registry of AI agent harnesses huggingface_hub reads to build its
  User-Agent (``AGENT_HARNESSES``).

Content served for files: a small file's recorded blob; when no blob is recorded, or for LFS files
(never stored), deterministic filler bytes, at most ``HubConfig.filler_cap_bytes``.
``X-Linked-Size`` always carries an LFS file's real size, so ``hf_hub_download`` of an LFS file
larger than the cap fails its size check; everything smaller, and every non-LFS file, downloads fine.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import json
import re
from typing import Any
from urllib.parse import quote, unquote, urlencode

from replayhub.server import datasets
from replayhub.server.files import disposition, file_response, filler, tree_listing
from replayhub.server.keyset import DRIFTING, Order, decode_cursor, encode_cursor, keyset_rows, object_id
from replayhub.server.protocol import HubError, Request, Response, as_listing, json_response
from replayhub.snapshot import SnapshotError, SnapshotReader, StoredCommit, git_blob_oid, parse_info

EXPAND_PROPERTIES = frozenset({
    "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled", "downloads",
    "downloadsAllTime", "evalResults", "gated", "gguf", "inference", "inferenceProviderMapping", "lastModified",
    "library_name", "likes", "mask_token", "model-index", "pipeline_tag", "private", "resourceGroup",
    "safetensors", "sha", "siblings", "spaces", "tags", "transformersInfo", "trendingScore", "usedStorage",
    "widgetData",
})
# The Hub computes these per repo and refuses them in listings.
LIST_EXPAND_REJECTED = frozenset({"baseModels", "childrenModelCount", "usedStorage"})

LIST_KEYS = ("_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag",
             "library_name", "createdAt", "modelId")
FULL_EXTRA_KEYS = ("author", "sha", "lastModified", "gated", "disabled", "cardData", "siblings")

LIST_PAGE_MAX = 1000
DISABLED_MESSAGE = "Access to this resource is disabled."
COMMITS_PAGE = 50
TREE_PAGE = 1000
TREE_PAGE_EXPANDED = 50  # the Hub's page size when each entry carries its last commit
COMMIT_SHA = re.compile(r"[0-9a-f]{40}")

# The shape the Hub serves at /api/agent-harnesses (entries and wording ours): harness id ->
# display fields and the environment variables that give the harness away ("*": set at all).
AGENT_HARNESSES: dict[str, Any] = {
    "standardEnvVars": ["AI_AGENT", "AGENT"],
    "harnesses": {
        "claude-code": {"prettyLabel": "Claude Code", "description": "A terminal coding agent.",
                        "envVars": {"CLAUDECODE": "1"}},
        "crush": {"prettyLabel": "Crush", "description": "A terminal coding agent.", "envVars": {"CRUSH": "*"}},
        "gemini-cli": {"prettyLabel": "Gemini CLI", "description": "A terminal coding agent.",
                       "envVars": {"GEMINI_CLI": "*"}},
        "hi": {"prettyLabel": "hi", "description": "Detected through AI_AGENT / AGENT only."},
    },
}


def _encode_token(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _decode_token(token: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, TypeError):
        raise HubError(400, f"invalid cursor {token!r}") from None


def _snapshot_tag(reader: SnapshotReader) -> str:
    """Which snapshot a listing cursor was issued by. A cursor holds everything needed to continue
    (sort key and position of the last model served), so any process serving the same snapshot
    honours it; but a position in one day's listing order means nothing in another day's (models
    come and go, sort keys move), so a cursor from another snapshot is refused, not followed."""
    meta = reader.meta
    ident = json.dumps([meta.get("source"), meta.get("snapshot_time"), meta.get("models")])
    return hashlib.sha1(ident.encode()).hexdigest()[:12]


def route(req: Request) -> Response:
    """The answer to a GET or HEAD request."""
    reader, path = req.reader, req.path
    raw = path.split("/")[1:]
    if raw and raw[-1] == "":
        raw.pop()
    segs = [unquote(s) for s in raw]
    if segs[:2] == ["api", "models"]:
        if len(segs) == 2:
            return _list_models(req)
        return _model_route(req, segs[2:])
    if segs[:3] == ["api", "resolve-cache", "models"]:
        return _resolve_cache(req, segs[3:])
    if segs[:2] == ["api", "datasets"] or segs[:1] == ["datasets"]:
        return datasets.dataset_route(req, segs)
    if segs == ["api", "agent-harnesses"]:
        return json_response(AGENT_HARNESSES)
    for repo_len in (2, 1):
        if len(segs) > repo_len + 1 and segs[repo_len] == "resolve":
            repo_id = "/".join(segs[:repo_len])
            if repo_len == 1 or reader.has_model(repo_id) or not reader.has_model(segs[0]):
                return _resolve(req, repo_id, segs[repo_len + 1], "/".join(segs[repo_len + 2:]))
    raise HubError(404, f"Sorry, we can't find the page you are looking for: {path}")


def _model_route(req: Request, rest: list[str]) -> Response:
    reader, path = req.reader, req.path
    candidates = []
    if len(rest) >= 2:
        candidates.append(("/".join(rest[:2]), rest[2:]))
    candidates.append((rest[0], rest[1:]))
    candidates = [(repo, tail) for repo, tail in candidates if _valid_tail(tail)]
    if not candidates:
        raise HubError(404, f"Sorry, we can't find the page you are looking for: {path}")
    repo_id, tail = next(((r, t) for r, t in candidates if reader.has_model(r)), candidates[0])
    if not reader.has_model(repo_id):
        raise HubError(404, "Repository not found", "RepoNotFound")
    _refuse_disabled(reader, repo_id)
    if not tail:
        return _model_info(req, repo_id, None)
    action, args = tail[0], tail[1:]
    if action == "revision":
        return _model_info(req, repo_id, "/".join(args))
    if action == "commits":
        return _commits(req, repo_id, "/".join(args) or "main")
    if action == "tree":
        return _tree(req, repo_id, args[0] if args else "main", "/".join(args[1:]))
    return _refs(req, repo_id)


def _list_models(req: Request) -> Response:
    reader, params = req.reader, req.params
    expand = params.getall("expand", "expand[]")
    full, card_data, config = params.flag("full"), params.flag("cardData"), params.flag("config")
    if expand and (full or card_data or config):
        raise HubError(400, "expand cannot be combined with full, cardData or config")
    _check_expand(expand, listing=True)
    page_size = min(params.integer("limit", LIST_PAGE_MAX, minimum=1), LIST_PAGE_MAX)
    order = Order.of(params)
    snapshot = _snapshot_tag(reader)
    cursor = decode_cursor(order, params.get("cursor") or "", snapshot) if params.get("cursor") else None
    drift = req.drift if req.drift is not None and req.drift.active else None
    tick = drift.tick() if drift else 0

    where, args = [], []
    if params.get("search"):
        escaped = (params.get("search") or "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append("id LIKE ? ESCAPE '\\'")
        args.append(f"%{escaped}%")
    author = params.get("author")
    if author:
        where.append("author = ?")
        args.append(author)
    tags = [tag for value in params.getall("filter") for tag in value.split(",") if tag]
    pipeline_tag = params.get("pipeline_tag") or None
    gated = params.get("gated")
    for needle in tags + ([pipeline_tag] if pipeline_tag else []):
        # A cheap text prefilter so that rare tags do not parse every row; the exact check is below.
        quoted = json.dumps(needle)
        if quoted == f'"{needle}"':
            where.append("instr(info, ?) > 0")
            args.append(quoted)

    def matches(info: dict[str, Any]) -> bool:
        if tags and not set(tags) <= set(info.get("tags") or ()):
            return False
        if pipeline_tag and info.get("pipeline_tag") != pipeline_tag:
            return False
        if gated is not None and bool(info.get("gated")) != (gated.lower() in ("1", "true")):
            return False
        return True

    checks = bool(tags or pipeline_tag or gated is not None)
    items: list[dict[str, Any]] = []
    last: tuple[Any, str] | None = None
    more = False
    for _pos, repo_id, text, sha, created, modified, author_col, key, oid in keyset_rows(
            reader, order, where, args, cursor, by_author=bool(author), drift=drift, tick=tick):
        if len(items) == page_size:
            if checks:
                try:
                    if not matches(parse_info(repo_id, text)):
                        continue
                except SnapshotError:
                    pass  # the next page reports it
            more = True
            break
        info = parse_info(repo_id, text)
        if checks and not matches(info):
            continue
        if drift:
            info.update({f: drift.value(f, info.get(f), repo_id, tick) for f in DRIFTING if f in info})
        fallback = {"sha": sha, "createdAt": created, "lastModified": modified, "author": author_col}
        if expand:
            items.append(_project(info, repo_id, expand, fallback))
        else:
            keys = list(LIST_KEYS)
            if full:
                keys += FULL_EXTRA_KEYS
            if card_data and "cardData" not in keys:
                keys.append("cardData")
            if config:
                keys.append("config")
            items.append(_project(info, repo_id, keys, fallback, siblings_names_only=True))
        last = (key, oid)
    headers = []
    if more and last is not None:
        headers.append(_next_link(req, "cursor", encode_cursor(order, *last, snapshot)))
    return as_listing(json_response(items, headers=headers))


def _model_info(req: Request, repo_id: str, revision: str | None) -> Response:
    reader, params = req.reader, req.params
    row = reader.model_row(repo_id)
    if row is None:
        raise HubError(404, "Repository not found", "RepoNotFound")
    _, _, text = row
    info = parse_info(repo_id, text)  # a broken row must fail here, even when served verbatim
    expand = params.getall("expand", "expand[]")
    blobs = params.flag("blobs")
    if expand and blobs:
        raise HubError(400, "expand cannot be combined with blobs")
    _check_expand(expand, listing=False)
    commit = None
    if revision not in (None, "main"):
        commit = _find_commit(reader, repo_id, revision, with_tree=True)
        if commit.id == info.get("sha") and not blobs:
            commit = None  # the head: the stored body already describes it
        elif not blobs and not expand and (recorded := reader.revision_body(repo_id, commit.id)) is not None:
            return Response(200, recorded.encode())
    if commit is None and not blobs and not expand:
        return Response(200, text.encode())
    if blobs or commit is not None:
        commit = commit or _find_commit(reader, repo_id, "main", with_tree=True)
        info["sha"] = commit.id
        info["siblings"] = _siblings(commit.tree, blobs)
    if expand:
        info = _project(info, repo_id, expand, {})
    return json_response(info)


def _commits(req: Request, repo_id: str, revision: str) -> Response:
    reader, params = req.reader, req.params
    head = _find_commit(reader, repo_id, revision, with_tree=False)
    limit = min(params.integer("limit", COMMITS_PAGE, minimum=1), 1000)
    page = params.integer("p", 0)
    rows = reader.commit_log(repo_id, max_seq=head.seq, offset=page * limit, limit=limit + 1)
    formatted = "formatted" in params.getall("expand", "expand[]")
    out = []
    for c in rows[:limit]:
        item: dict[str, Any] = {"id": c.id, "title": c.title, "message": c.message, "date": c.date,
                                "authors": [{"user": a} for a in c.authors]}
        if formatted:
            item["formatted"] = {"title": html.escape(c.title), "message": html.escape(c.message)}
        out.append(item)
    headers = [("X-Total-Count", str(head.seq + 1))]
    if len(rows) > limit:
        headers.append(_next_link(req, "p", str(page + 1)))
    return as_listing(json_response(out, headers=headers))


def _tree(req: Request, repo_id: str, revision: str, sub: str) -> Response:
    reader, params = req.reader, req.params
    commit = _find_commit(reader, repo_id, revision, with_tree=True)
    sub = sub.strip("/")
    expand = params.flag("expand")
    entries = tree_listing(commit.tree, sub, params.flag("recursive"))
    if entries is None:
        raise HubError(404, f"Entry not found: {sub!r} is not a folder at revision {revision!r}",
                       "EntryNotFound", [("X-Repo-Commit", commit.id)])
    limit = min(params.integer("limit", TREE_PAGE_EXPANDED if expand else TREE_PAGE, minimum=1), TREE_PAGE)
    start = 0
    if params.get("cursor"):
        after = _decode_token(params.get("cursor") or "")
        if not isinstance(after, str):
            raise HubError(400, "invalid cursor for this query")
        start = bisect.bisect_right([e["path"] for e in entries], after)
    page = entries[start:start + limit]
    if expand:
        page = [{**e, "lastCommit": None} for e in page]
    headers = [("X-Repo-Commit", commit.id)]
    if start + limit < len(entries):
        headers.append(_next_link(req, "cursor", _encode_token(page[-1]["path"])))
    return as_listing(json_response(page, headers=headers))


def _refs(req: Request, repo_id: str) -> Response:
    reader, params = req.reader, req.params
    out: dict[str, list] = {"branches": [], "converts": [], "tags": []}
    prefix = {"branch": ("branches", "refs/heads/"), "convert": ("converts", "refs/convert/"),
              "tag": ("tags", "refs/tags/")}
    for kind, name, target in reader.refs(repo_id):
        key, ref = prefix[kind]
        out[key].append({"name": name, "ref": ref + name, "targetCommit": target})
    if params.flag("include_prs"):
        out["pullRequests"] = []
    return json_response(out)


def _resolve(req: Request, repo_id: str, revision: str, file_path: str) -> Response:
    commit, entry = _file_entry(req, repo_id, revision, file_path)
    if entry.get("lfs"):
        return _file_answer(req, commit, entry)
    # The real Hub sends a regular file to its resolve cache, by a relative Location that pins the
    # commit and carries the original path and the blob id (the form recorded from huggingface.co).
    original = f"/{repo_id}/resolve/{revision}/{file_path}"
    oid = _regular_oid(req, entry)
    location = (f"/api/resolve-cache/models/{quote(repo_id)}/{commit.id}/{quote(file_path)}?"
                + urlencode([(original, ""), ("etag", f'"{oid}"')]))
    headers = [("Location", location), ("X-Repo-Commit", commit.id), ("X-Linked-Etag", f'"{oid}"'),
               ("Accept-Ranges", "bytes"), ("Content-Disposition", disposition(file_path))]
    return Response(307, f"Temporary Redirect. Redirecting to {location}".encode(), "text/plain; charset=utf-8",
                    headers)


def _resolve_cache(req: Request, rest: list[str]) -> Response:
    """``/api/resolve-cache/models/{repo}/{sha}/{path}``: a regular file's content at a commit. Only a
    full commit id is accepted here (the real Hub answers 400 to a branch name)."""
    for repo_len in (2, 1):
        if len(rest) > repo_len + 1 and req.reader.has_model("/".join(rest[:repo_len])):
            repo_id, sha, file_path = "/".join(rest[:repo_len]), rest[repo_len], "/".join(rest[repo_len + 1:])
            break
    else:
        raise HubError(404, "Repository not found", "RepoNotFound")
    if not COMMIT_SHA.fullmatch(sha):
        raise HubError(400, f"Invalid commit id: {sha!r} (the resolve cache serves files at a full commit sha)")
    commit, entry = _file_entry(req, repo_id, sha, file_path)
    return _file_answer(req, commit, entry)


def _file_entry(req: Request, repo_id: str, revision: str, file_path: str) -> tuple[StoredCommit, dict[str, Any]]:
    reader = req.reader
    if not reader.has_model(repo_id):
        raise HubError(404, "Repository not found", "RepoNotFound")
    _refuse_disabled(reader, repo_id)
    commit = _find_commit(reader, repo_id, revision, with_tree=True)
    entry = next((e for e in commit.tree if e.get("path") == file_path and e.get("type", "file") == "file"),
                 None)
    if entry is None:
        raise HubError(404, f"Entry not found: {file_path!r} at revision {revision!r}", "EntryNotFound",
                       [("X-Repo-Commit", commit.id)])
    return commit, entry


def _file_answer(req: Request, commit: StoredCommit, entry: dict[str, Any]) -> Response:
    """A file's content (200, or 206 for a ``Range``) with the headers huggingface_hub checks."""
    cap = max(0, int(req.filler_cap_bytes))
    lfs = entry.get("lfs")
    headers = [("X-Repo-Commit", commit.id), ("Accept-Ranges", "bytes")]
    if lfs:
        body = filler(lfs["oid"], min(int(lfs["size"]), cap))
        etag = f'"{lfs["oid"]}"'
        headers += [("ETag", etag), ("X-Linked-Etag", etag), ("X-Linked-Size", str(lfs["size"]))]
        content_type = "application/octet-stream"
    else:
        body, oid = _regular_body(req, entry)
        headers.append(("ETag", f'"{oid}"'))
        content_type = "text/plain; charset=utf-8"
    return file_response(req.range, body, content_type, headers)


def _regular_body(req: Request, entry: dict[str, Any]) -> tuple[bytes, str]:
    """A regular file's bytes and their git blob id. Without a stored blob (a tree made from a model's
    siblings) the bytes are filler, and the id is theirs: the real Hub's ETag always hashes its body."""
    data = req.reader.blob(entry["oid"])
    if data is not None:
        return data, entry["oid"]
    body = _regular_filler(req, entry)
    return body, git_blob_oid(body)


def _regular_oid(req: Request, entry: dict[str, Any]) -> str:
    """The git blob id ``_regular_body`` serves, without reading a stored blob (a redirect names it)."""
    return entry["oid"] if req.reader.has_blob(entry["oid"]) else git_blob_oid(_regular_filler(req, entry))


def _regular_filler(req: Request, entry: dict[str, Any]) -> bytes:
    return filler(entry["oid"], min(int(entry.get("size") or 0), max(0, int(req.filler_cap_bytes))))


def _refuse_disabled(reader: SnapshotReader, repo_id: str) -> None:
    """A repo whose info says ``"disabled": true`` is listed, but every request about it is refused
    as the real Hub refuses it: 403 with the reason in ``X-Error-Message`` and no ``X-Error-Code``
    (huggingface_hub's ``DisabledRepoError`` is recognised by that message alone)."""
    row = reader.model_row(repo_id)
    if row is None or '"disabled"' not in row[2]:
        return
    try:
        disabled = parse_info(row[1], row[2]).get("disabled") is True
    except SnapshotError:
        return  # a broken body fails where it is served, not in every request about its repo
    if disabled:
        raise HubError(403, DISABLED_MESSAGE, headers=[("X-Error-Message", DISABLED_MESSAGE)])


def _next_link(req: Request, key: str, value: str) -> tuple[str, str]:
    pairs = [(k, v) for k, v in req.params.pairs if k != key] + [(key, value)]
    return ("Link", f'<{req.base_url}{req.path}?{urlencode(pairs)}>; rel="next"')


def _valid_tail(tail: list[str]) -> bool:
    if not tail:
        return True
    action = tail[0]
    return ((action == "revision" and len(tail) >= 2) or action in ("commits", "tree")
            or (action == "refs" and len(tail) == 1))


def _check_expand(expand: list[str], *, listing: bool) -> None:
    for prop in expand:
        if listing and prop in LIST_EXPAND_REJECTED:
            raise HubError(400, f"expand={prop} is not supported when listing models; "
                                f"ask /api/models/{{repo_id}}?expand={prop} instead")
        if prop not in EXPAND_PROPERTIES:
            raise HubError(400, f"invalid expand property {prop!r}; expected one of "
                                f"{', '.join(sorted(EXPAND_PROPERTIES))}")


def _project(info: dict[str, Any], repo_id: str, keys: list[str] | tuple[str, ...],
             fallback: dict[str, Any], *, siblings_names_only: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"_id": info.get("_id") or object_id(repo_id), "id": info.get("id", repo_id)}
    for key in keys:
        if key in out:
            continue
        if key == "modelId":
            out[key] = info.get("modelId", repo_id)
        elif key in info:
            value = info[key]
            if key == "siblings" and siblings_names_only and isinstance(value, list):
                value = [{"rfilename": s.get("rfilename")} for s in value if isinstance(s, dict)]
            out[key] = value
        elif fallback.get(key) is not None:
            out[key] = fallback[key]
    return out


def _find_commit(reader: SnapshotReader, repo_id: str, revision: str, *, with_tree: bool) -> StoredCommit:
    name = revision
    for prefix in ("refs/heads/", "refs/tags/", "refs/convert/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    commit = reader.find_commit(repo_id, name, with_tree=with_tree)
    if commit is None:
        raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
    return commit


def _siblings(tree: list[dict[str, Any]], blobs: bool) -> list[dict[str, Any]]:
    out = []
    for entry in tree:
        if entry.get("type", "file") != "file":
            continue
        sibling: dict[str, Any] = {"rfilename": entry["path"]}
        if blobs:
            sibling["blobId"] = entry.get("oid")
            sibling["size"] = entry.get("size")
            lfs = entry.get("lfs")
            if lfs:
                sibling["lfs"] = {"sha256": lfs.get("oid"), "size": lfs.get("size"),
                                  "pointerSize": lfs.get("pointerSize")}
        out.append(sibling)
    return out
