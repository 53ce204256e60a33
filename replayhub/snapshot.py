"""Hub snapshot directories: the data a replay hub serves.

A snapshot is one SQLite file, ``DIR/hub.sqlite`` (format in ``SNAPSHOT.md`` beside this file).
SQLite because a snapshot must hold up to 2.5M models and still answer "page 1,731 of the
listing sorted by downloads" or "README.md at commit X of repo Y" without loading everything
into memory, and because several server threads can read it at once.

Writers (the generator, the real-data importer, tests) use :class:`SnapshotWriter`; the replay
hub reads with :class:`SnapshotReader`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import HubmineError
from core.hub import PLACEHOLDER_CREATED_AT

FORMAT = "hubmine-snapshot/1"
DB_NAME = "hub.sqlite"

# Tables are written as plain rowid tables, in the order models arrive, and their keys are indexed
# once at close (sorting millions of keys once is far cheaper than keeping a B-tree keyed by a random
# repo id or blob oid up to date through every insert: at 2.5M models that B-tree no longer fits in
# memory and every insert becomes a random disk write). Readers look rows up through these indexes.
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS models (
    pos            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL,
    author         TEXT,
    sha            TEXT,
    created_at     TEXT,
    last_modified  TEXT,
    downloads      INTEGER NOT NULL DEFAULT 0,
    likes          INTEGER NOT NULL DEFAULT 0,
    trending_score REAL NOT NULL DEFAULT 0,
    info           TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS commits (
    repo_id  TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    id       TEXT NOT NULL,
    date     TEXT NOT NULL,
    title    TEXT NOT NULL DEFAULT '',
    message  TEXT NOT NULL DEFAULT '',
    authors  TEXT NOT NULL DEFAULT '[]',
    tree     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS refs (
    repo_id TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('branch', 'tag', 'convert')),
    name    TEXT NOT NULL,
    target  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS blobs (oid TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS revision_bodies (
    repo_id  TEXT NOT NULL,
    revision TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (repo_id, revision)
) WITHOUT ROWID;
"""

# Created after bulk inserts: building indexes once is several times faster than maintaining them.
INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS models_id ON models (id);
CREATE UNIQUE INDEX IF NOT EXISTS commits_key ON commits (repo_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS refs_key ON refs (repo_id, kind, name);
CREATE UNIQUE INDEX IF NOT EXISTS blobs_oid ON blobs (oid);
CREATE INDEX IF NOT EXISTS models_author ON models (author, pos);
CREATE INDEX IF NOT EXISTS models_downloads ON models (downloads DESC, pos);
CREATE INDEX IF NOT EXISTS models_likes ON models (likes DESC, pos);
CREATE INDEX IF NOT EXISTS models_created ON models (created_at DESC, pos);
CREATE INDEX IF NOT EXISTS models_modified ON models (last_modified DESC, pos);
CREATE INDEX IF NOT EXISTS models_trending ON models (trending_score DESC, pos);
CREATE INDEX IF NOT EXISTS commits_id ON commits (repo_id, id);
"""

LFS_POINTER_SIZE = 134
SNAPSHOT_README = "SNAPSHOT.md"


class SnapshotError(HubmineError):
    """A snapshot directory is missing, of another format, or holds a row that cannot be served."""


def git_blob_oid(data: bytes) -> str:
    """The git object id of a file's content, as the Hub reports it for non-LFS files."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def file_entry(path: str, data: bytes) -> dict[str, Any]:
    """A tree entry for a small (non-LFS) file."""
    return {"type": "file", "path": path, "oid": git_blob_oid(data), "size": len(data)}


def lfs_entry(path: str, sha256: str, size: int) -> dict[str, Any]:
    """A tree entry for an LFS file (weights): ``oid`` is the pointer's oid, ``lfs.oid`` the content's."""
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()
    return {
        "type": "file",
        "path": path,
        "oid": git_blob_oid(pointer),
        "size": size,
        "lfs": {"oid": sha256, "size": size, "pointerSize": len(pointer)},
    }


@dataclass(frozen=True)
class Commit:
    """One commit of a repo; ``files`` maps each path to its content (bytes) or an LFS entry (dict)."""

    id: str
    date: str
    title: str = ""
    message: str = ""
    authors: tuple[str, ...] = ()
    files: dict[str, bytes | dict[str, Any]] | None = None


class SnapshotWriter:
    """Streams models, commits and files into a new snapshot directory.

    >>> with SnapshotWriter(out_dir, source="test") as w:
    ...     w.add_model({"id": "org/m", "sha": "ab" * 20, ...}, commits=[Commit(...)])

    Rows are batched and committed in one transaction at close; indexes are built at close.
    """

    def __init__(self, directory: str | Path, *, source: str, meta: dict[str, str] | None = None,
                 batch: int = 5_000):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / DB_NAME
        if path.exists():
            path.unlink()
        self.db = sqlite3.connect(path)
        # Big pages: trees and card blobs are ~1-5 KB rows that half-fill overflow pages at 4 KB.
        self.db.executescript("PRAGMA page_size=16384; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        self._meta = {"format": FORMAT, "source": source, **(meta or {})}
        self._batch = batch
        self._models: list[tuple] = []
        self._commits: list[tuple] = []
        self._blobs: list[tuple] = []
        self._seen_blobs: set[str] = set()  # blob rows are unique by oid (checked by an index at close)
        self._refs: list[tuple] = []
        self._pos = 0
        self.count = 0

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.db.close()

    def add_model(self, info: dict[str, Any] | str, *, commits: Iterable[Commit] | None = None,
                  refs: Iterable[tuple[str, str, str]] = ()) -> None:
        """Add one model.

        Args:
            info: the JSON body of ``GET /api/models/{id}``, as a dict or as verbatim JSON text
                (text is stored byte for byte; real recorded bodies are served unchanged).
            commits: oldest first. When omitted, one commit is made from ``info``'s ``sha``,
                ``lastModified`` and ``siblings`` (LFS files get a stand-in sha256 from the path).
            refs: extra ``(kind, name, target_commit)`` refs; ``branch main`` -> newest commit is added.
        """
        self.add_rows_of(model_rows(self._pos, info, commits, refs, self._blob_seen))

    def add_rows_of(self, rows: ModelRows) -> None:
        """Add one model already turned into rows (by :func:`model_rows`, maybe in another process)."""
        self._models.append(rows.model)
        self._commits += rows.commits
        self._refs += rows.refs
        for blob in rows.blobs:
            if blob[0] not in self._seen_blobs:
                self._seen_blobs.add(blob[0])
                self._blobs.append(blob)
        self._pos = rows.model[0] + 1
        self.count += 1
        if len(self._models) >= self._batch:
            self._flush()

    def add_revision_body(self, repo_id: str, revision: str, body: str) -> None:
        """Serve ``body`` verbatim for ``GET /api/models/{repo_id}/revision/{revision}``.

        For a recorded real body that describes an older commit than the model's head.
        """
        self.db.execute("INSERT OR REPLACE INTO revision_bodies VALUES (?,?,?)", (repo_id, revision, body))

    def _blob_seen(self, oid: str) -> bool:
        return oid in self._seen_blobs

    def _flush(self) -> None:
        self.db.executemany("INSERT INTO models VALUES (?,?,?,?,?,?,?,?,?,?)", self._models)
        self.db.executemany("INSERT INTO commits VALUES (?,?,?,?,?,?,?,?)", self._commits)
        self.db.executemany("INSERT INTO blobs VALUES (?,?,?)", self._blobs)
        self.db.executemany("INSERT INTO refs VALUES (?,?,?,?)", self._refs)
        self._refs.clear()
        self._models.clear()
        self._commits.clear()
        self._blobs.clear()

    def add_rows(self, table: str, rows: Iterable[tuple]) -> None:
        """Rows for a maker-specific table created with :meth:`create_table` (e.g. generator state)."""
        rows = list(rows)
        if rows:
            self.db.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)

    def create_table(self, ddl: str) -> None:
        self.db.execute(ddl)

    def close(self) -> None:
        self._flush()
        self._meta["models"] = str(self.count)
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", self._meta.items())
        try:
            self.db.executescript(INDEXES)
        except sqlite3.IntegrityError as exc:
            self.db.close()
            raise SnapshotError(f"{self.directory}: a model, commit, ref or blob was added twice ({exc})") from None
        self.db.commit()
        self.db.close()


@dataclass
class ModelRows:
    """The rows of one model in every table: ``model`` (one row), its commits, refs and new blobs."""

    model: tuple
    commits: list[tuple]
    refs: list[tuple]
    blobs: list[tuple]


def model_rows(pos: int, info: dict[str, Any] | str, commits: Iterable[Commit] | None = None,
               refs: Iterable[tuple[str, str, str]] = (), known_blob=None) -> ModelRows:
    """One model as table rows (see :meth:`SnapshotWriter.add_model` for the arguments).

    ``known_blob(oid)`` says a blob is stored already, which saves compressing it again.
    """
    body = info if isinstance(info, str) else json.dumps(info, separators=(",", ":"))
    parsed = json.loads(body) if isinstance(info, str) else info
    repo_id = parsed["id"]
    commits = list(commits) if commits is not None else [_commit_from_info(parsed)]
    if not commits:
        raise SnapshotError(f"{repo_id}: a model needs at least one commit")
    model = (pos, repo_id, parsed.get("author") or (repo_id.split("/")[0] if "/" in repo_id else None),
             parsed.get("sha") or commits[-1].id, parsed.get("createdAt"),
             parsed.get("lastModified") or commits[-1].date,
             int(parsed.get("downloads") or 0), int(parsed.get("likes") or 0),
             float(parsed.get("trendingScore") or 0), body)
    blobs: list[tuple] = []
    seen: set[str] = set()

    def store_blob(oid: str, content: bytes) -> None:
        if oid not in seen and not (known_blob is not None and known_blob(oid)):
            seen.add(oid)
            blobs.append((oid, len(content), zlib.compress(content, 1)))

    fragments: dict[int, str] = {}  # the entries a repo's commits share are serialised once
    authors: dict[tuple, str] = {}
    commit_rows = [commit_row(repo_id, seq, commit, store_blob, fragments, authors) for seq, commit in enumerate(commits)]
    # One row per (kind, name): a later ref of the same name replaces an earlier one.
    repo_refs = {("branch", "main"): commits[-1].id}
    for kind, name, target in refs:
        repo_refs[(kind, name)] = target
    return ModelRows(model, commit_rows, [(repo_id, kind, name, target) for (kind, name), target in repo_refs.items()],
                     blobs)


def tree_json(files: dict[str, bytes | dict[str, Any]], store_blob, fragments: dict[int, str] | None = None) -> str:
    """The ``commits.tree`` JSON of a commit's files (sorted by path); each small file's bytes are
    handed to ``store_blob(oid, content)``. ``fragments`` caches serialised entries by object id
    (only while those entries are alive, i.e. within one repo): the same text ``json.dumps`` makes."""
    out = []
    for path, content in sorted(files.items()):
        if isinstance(content, dict):
            key = id(content)
            text = fragments.get(key) if fragments is not None else None
            if text is None:
                text = _entry_json(content)
                if fragments is not None:
                    fragments[key] = text
        else:
            entry = file_entry(path, content)
            store_blob(entry["oid"], content)
            text = _entry_json(entry)
        out.append(text)
    return "[" + ",".join(out) + "]"


def commit_row(repo_id: str, seq: int, commit: Commit, store_blob, fragments: dict[int, str] | None = None,
               authors: dict[tuple, str] | None = None) -> tuple:
    """The ``commits`` row of one commit (``authors`` caches the authors' JSON within a repo)."""
    key = tuple(commit.authors)
    text = authors.get(key) if authors is not None else None
    if text is None:
        text = json.dumps(list(key))
        if authors is not None:
            authors[key] = text
    return (repo_id, seq, commit.id, commit.date, commit.title, commit.message, text,
            tree_json(commit.files or {}, store_blob, fragments))


_ENCODE = json.JSONEncoder(separators=(",", ":")).encode
_STR = json.encoder.encode_basestring_ascii  # what json.dumps writes for a str (ensure_ascii)


def _entry_json(e: dict[str, Any]) -> str:
    """``json.dumps(e, separators=(",", ":"))``, with a fast path for the two entry shapes writers make."""
    keys = tuple(e)
    if keys == ("type", "path", "oid", "size") and type(e["size"]) is int and type(e["path"]) is str \
            and type(e["oid"]) is str and e["type"] == "file":
        return f'{{"type":"file","path":{_STR(e["path"])},"oid":{_STR(e["oid"])},"size":{e["size"]}}}'
    if keys == ("type", "path", "oid", "size", "lfs") and type(e["size"]) is int and e["type"] == "file" \
            and type(e["path"]) is str and type(e["oid"]) is str:
        lfs = e["lfs"]
        if tuple(lfs) == ("oid", "size", "pointerSize") and type(lfs["oid"]) is str \
                and type(lfs["size"]) is int and type(lfs["pointerSize"]) is int:
            return (f'{{"type":"file","path":{_STR(e["path"])},"oid":{_STR(e["oid"])},"size":{e["size"]},'
                    f'"lfs":{{"oid":{_STR(lfs["oid"])},"size":{lfs["size"]},"pointerSize":{lfs["pointerSize"]}}}}}')
    return _ENCODE(e)


def _commit_from_info(info: dict[str, Any]) -> Commit:
    files: dict[str, bytes | dict[str, Any]] = {}
    for sibling in info.get("siblings") or []:
        name = sibling["rfilename"]
        lfs = sibling.get("lfs")
        if lfs:
            files[name] = lfs_entry(name, lfs.get("sha256") or hashlib.sha256(name.encode()).hexdigest(),
                                    int(lfs.get("size") or 0))
        else:
            # Content is not recorded: the tree still lists the file, served as filler of its size.
            size = int(sibling.get("size") or 0)
            files[name] = {"type": "file", "path": name,
                           "oid": sibling.get("blobId") or git_blob_oid(name.encode()), "size": size}
    sha = info.get("sha") or hashlib.sha1(info["id"].encode()).hexdigest()
    date = info.get("lastModified") or info.get("createdAt") or PLACEHOLDER_CREATED_AT[0]
    return Commit(id=sha, date=date, title="Snapshot state", files=files)


@dataclass(frozen=True)
class StoredCommit:
    repo_id: str
    seq: int
    id: str
    date: str
    title: str
    message: str
    authors: list[str]
    tree: list[dict[str, Any]]


class SnapshotReader:
    """Read access to a snapshot; one instance per thread (SQLite connections are not shared)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        path = self.directory / DB_NAME
        if not path.is_file():
            raise SnapshotError(f"{self.directory}: not a hub snapshot (no {DB_NAME}; see {SNAPSHOT_README})")
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if self.meta.get("format") != FORMAT:
            raise SnapshotError(f"{path}: format {self.meta.get('format')!r}, expected {FORMAT!r}")
        # revision_bodies came later within format 1; snapshots written before it simply have none
        self._has_revision_bodies = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'revision_bodies'").fetchone() is not None

    def close(self) -> None:
        self.db.close()

    def model_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM models").fetchone()[0]

    def model_row(self, repo_id: str) -> tuple[int, str, str] | None:
        """``(pos, id, info_json_text)`` or None."""
        return self.db.execute("SELECT pos, id, info FROM models WHERE id = ?", (repo_id,)).fetchone()

    def info(self, repo_id: str) -> dict[str, Any] | None:
        row = self.model_row(repo_id)
        if row is None:
            return None
        return parse_info(row[1], row[2])

    def commits(self, repo_id: str) -> list[StoredCommit]:
        """Oldest first."""
        rows = self.db.execute(
            "SELECT repo_id, seq, id, date, title, message, authors, tree FROM commits"
            " WHERE repo_id = ? ORDER BY seq", (repo_id,)).fetchall()
        return [StoredCommit(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), json.loads(r[7]))
                for r in rows]

    def refs(self, repo_id: str) -> list[tuple[str, str, str]]:
        return self.db.execute("SELECT kind, name, target FROM refs WHERE repo_id = ? ORDER BY kind, name",
                               (repo_id,)).fetchall()

    def resolve_revision(self, repo_id: str, revision: str) -> StoredCommit | None:
        """A branch or tag name, or a full or abbreviated (>= 7 hex) commit id -> that commit."""
        commits = self.commits(repo_id)
        for kind, name, target in self.refs(repo_id):
            if name == revision and kind in ("branch", "tag", "convert"):
                revision = target
                break
        for commit in commits:
            if commit.id == revision or (len(revision) >= 7 and commit.id.startswith(revision)):
                return commit
        return None

    def revision_body(self, repo_id: str, revision: str) -> str | None:
        """A body recorded verbatim for one commit of the model (see ``add_revision_body``)."""
        if not self._has_revision_bodies:
            return None
        row = self.db.execute("SELECT body FROM revision_bodies WHERE repo_id = ? AND revision = ?",
                              (repo_id, revision)).fetchone()
        return row[0] if row else None

    def has_blob(self, oid: str) -> bool:
        return self.db.execute("SELECT 1 FROM blobs WHERE oid = ?", (oid,)).fetchone() is not None

    def blob(self, oid: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM blobs WHERE oid = ?", (oid,)).fetchone()
        return zlib.decompress(row[0]) if row else None

    def iter_ids(self) -> Iterator[str]:
        yield from (row[0] for row in self.db.execute("SELECT id FROM models ORDER BY pos"))

    def has_model(self, repo_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM models WHERE id = ?", (repo_id,)).fetchone() is not None

    def find_commit(self, repo_id: str, revision: str, *, with_tree: bool = True) -> StoredCommit | None:
        """Same answer as :meth:`resolve_revision`, by index lookups instead of loading the whole history.

        A server calls this per request; histories can hold hundreds of commits with large trees.
        """
        row = self.db.execute("SELECT target FROM refs WHERE repo_id = ? AND name = ? ORDER BY kind LIMIT 1",
                              (repo_id, revision)).fetchone()
        if row is not None:
            revision = row[0]
        cols = "repo_id, seq, id, date, title, message, authors, " + ("tree" if with_tree else "'[]'")
        found = self.db.execute(f"SELECT {cols} FROM commits WHERE repo_id = ? AND id = ? ORDER BY seq LIMIT 1",
                                (repo_id, revision)).fetchone()
        if found is None and len(revision) >= 7:
            found = self.db.execute(
                f"SELECT {cols} FROM commits WHERE repo_id = ? AND substr(id, 1, ?) = ? ORDER BY seq LIMIT 1",
                (repo_id, len(revision), revision)).fetchone()
        if found is None:
            return None
        return StoredCommit(found[0], found[1], found[2], found[3], found[4], found[5], json.loads(found[6]),
                            json.loads(found[7]))

    def commit_log(self, repo_id: str, *, max_seq: int, offset: int = 0, limit: int = 50) -> list[StoredCommit]:
        """Commits with ``seq <= max_seq``, newest first, without their trees (``tree`` is empty)."""
        rows = self.db.execute(
            "SELECT repo_id, seq, id, date, title, message, authors FROM commits"
            " WHERE repo_id = ? AND seq <= ? ORDER BY seq DESC LIMIT ? OFFSET ?",
            (repo_id, max_seq, limit, offset)).fetchall()
        return [StoredCommit(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), []) for r in rows]


def parse_info(repo_id: str, text: str) -> dict[str, Any]:
    """Parse a stored model_info body; a broken row raises :class:`SnapshotError` naming the model."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"snapshot row for model {repo_id!r} holds broken JSON: {exc}") from None
    if not isinstance(value, dict):
        raise SnapshotError(f"snapshot row for model {repo_id!r} is not a JSON object")
    return value
