"""A daily card dump, as the Hub's ``librarian-bots/model_cards_with_metadata`` publishes it, built
from a snapshot: every model's README.md at its head commit with the listing's metadata.

``publish_card_dump(source, target)`` reads the snapshot ``source`` (e.g. day 0 of a generated hub)
and publishes the dump as a dataset repo of the snapshot ``target`` (e.g. day 3), so a replay hub
serving ``target`` offers a dump that is as old as ``source``. Schema and file layout as the real
dump's: ``data/train-NNNNN-of-MMMMM.parquet`` with columns ``modelId, author, last_modified,
downloads, likes, library_name, tags, pipeline_tag, createdAt, card`` (dates as UTC timestamps).
Models without a README.md are not in it. Written in bounded memory, a file at a time.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from replayhub.datasets import FILES_DIR, DatasetRepo, repo_dir, write_repo
from replayhub.snapshot import SnapshotReader, parse_info

DEFAULT_REPO = "librarian-bots/model_cards_with_metadata"

DUMP_SCHEMA = pa.schema([
    ("modelId", pa.string()),
    ("author", pa.string()),
    ("last_modified", pa.timestamp("us", tz="UTC")),
    ("downloads", pa.int64()),
    ("likes", pa.int64()),
    ("library_name", pa.string()),
    ("tags", pa.list_(pa.string())),
    ("pipeline_tag", pa.string()),
    ("createdAt", pa.timestamp("us", tz="UTC")),
    ("card", pa.string()),
])


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _card(reader: SnapshotReader, repo_id: str, sha: str | None) -> str | None:
    commit = reader.find_commit(repo_id, sha or "main", with_tree=True)
    entry = next((e for e in commit.tree if e.get("path") == "README.md"), None) if commit else None
    data = reader.blob(entry["oid"]) if entry and not entry.get("lfs") else None
    return data.decode("utf-8", errors="replace") if data is not None else None


def _rows(reader: SnapshotReader, first: int, last: int) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {name: [] for name in DUMP_SCHEMA.names}
    query = ("SELECT id, author, sha, created_at, last_modified, downloads, likes, info FROM models "
             "WHERE pos >= ? AND pos < ? ORDER BY pos")
    for repo_id, author, sha, created, modified, downloads, likes, text in reader.db.execute(query, (first, last)):
        card = _card(reader, repo_id, sha)
        if card is None:
            continue
        info = parse_info(repo_id, text)
        for name, value in (("modelId", repo_id), ("author", author), ("last_modified", _when(modified)),
                            ("downloads", downloads), ("likes", likes), ("library_name", info.get("library_name")),
                            ("tags", info.get("tags")), ("pipeline_tag", info.get("pipeline_tag")),
                            ("createdAt", _when(created)), ("card", card)):
            out[name].append(value)
    return out


def publish_card_dump(source: str | Path, target: str | Path, *, repo_id: str = DEFAULT_REPO,
                      rows_per_file: int = 50_000) -> DatasetRepo:
    """Publish the card dump of snapshot ``source`` as dataset repo ``repo_id`` of snapshot ``target``
    (replacing any earlier one); ``rows_per_file``: models read per Parquet file."""
    reader = SnapshotReader(source)
    try:
        first, last = reader.db.execute("SELECT coalesce(min(pos), 0), coalesce(max(pos) + 1, 0) FROM models").fetchone()
        starts = list(range(first, last, rows_per_file)) or [first]
        root = repo_dir(target, repo_id)
        shutil.rmtree(root, ignore_errors=True)
        (root / FILES_DIR / "data").mkdir(parents=True)
        for i, start in enumerate(starts):
            table = pa.Table.from_pydict(_rows(reader, start, start + rows_per_file), schema=DUMP_SCHEMA)
            pq.write_table(table, root / FILES_DIR / "data" / f"train-{i:05d}-of-{len(starts):05d}.parquet",
                           compression="zstd")
        when = reader.meta.get("snapshot_time") or ""
    finally:
        reader.close()
    return write_repo(target, repo_id, last_modified=when, created_at=when)
