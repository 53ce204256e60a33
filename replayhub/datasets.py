"""Dataset repos in a hub snapshot: how the replay hub stores the (few) dataset repos it serves.

A snapshot directory may hold dataset repos next to its model database, one folder each:
``<snapshot>/datasets/<owner>/<name>/repo.json`` (id, sha, dates, and every file's path, size and
sha256) and the files themselves under ``.../files/<path>``. One revision per repo (its ``sha``,
also reachable as ``main``): enough to publish a dump such as the daily card dump
(``replayhub.synth.card_dump``). ``repo.json`` is written last, so a repo half-written is absent.
Dataset files are LFS files on the Hub (Parquet); they are served as such.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replayhub.snapshot import SnapshotError, lfs_entry

DATASETS_DIR = "datasets"
REPO_FILE = "repo.json"
FILES_DIR = "files"


@dataclass(frozen=True)
class DatasetRepo:
    id: str
    sha: str
    last_modified: str
    created_at: str
    files: list[dict[str, Any]]  # {"path", "size", "sha256"}, sorted by path
    root: Path

    def file_path(self, path: str) -> Path | None:
        """Where a listed file's content is on disk (None: not a file of this repo)."""
        if not any(f["path"] == path for f in self.files):
            return None
        return self.root / FILES_DIR / path

    def tree(self) -> list[dict[str, Any]]:
        """The repo's files as tree entries (LFS files: the Hub's shape, ``lfs.oid`` the sha256)."""
        return [lfs_entry(f["path"], f["sha256"], f["size"]) for f in self.files]


def repo_dir(snapshot_dir: str | Path, repo_id: str) -> Path:
    owner, sep, name = repo_id.partition("/")
    if not sep or not owner or not name or "/" in name or ".." in (owner, name):
        raise SnapshotError(f"dataset repo id {repo_id!r}: expected owner/name")
    return Path(snapshot_dir) / DATASETS_DIR / owner / name


def read_repo(snapshot_dir: str | Path, repo_id: str) -> DatasetRepo | None:
    """The dataset repo ``repo_id`` of a snapshot, or None when the snapshot has none by that id."""
    try:
        root = repo_dir(snapshot_dir, repo_id)
    except SnapshotError:
        return None
    path = root / REPO_FILE
    if not path.is_file():
        return None
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return DatasetRepo(body["id"], body["sha"], body["lastModified"], body["createdAt"],
                           sorted(body["files"], key=lambda f: f["path"]), root)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{path}: unreadable dataset repo: {exc}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_repo(snapshot_dir: str | Path, repo_id: str, *, last_modified: str, created_at: str) -> DatasetRepo:
    """Describe the files already written under the repo's ``files/`` folder in its ``repo.json``
    (written last, atomically). The commit sha is a hash of the files' paths and contents."""
    root = repo_dir(snapshot_dir, repo_id)
    files_root = root / FILES_DIR
    files = []
    for path in sorted(p for p in files_root.rglob("*") if p.is_file()):
        files.append({"path": path.relative_to(files_root).as_posix(), "size": path.stat().st_size,
                      "sha256": sha256_of(path)})
    if not files:
        raise SnapshotError(f"{files_root}: no files to publish")
    sha = hashlib.sha1(json.dumps([repo_id, files]).encode()).hexdigest()
    body = {"id": repo_id, "sha": sha, "lastModified": last_modified, "createdAt": created_at, "files": files}
    tmp = root / (REPO_FILE + ".tmp")
    tmp.write_text(json.dumps(body, indent=1), encoding="utf-8")
    os.replace(tmp, root / REPO_FILE)
    return DatasetRepo(repo_id, sha, last_modified, created_at, files, root)
