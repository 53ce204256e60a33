"""Miner state: small Parquet tables under ``<home>/state`` that say what each miner already has.

Replaced atomically (write, then rename), so a killed miner leaves the previous state whole.

A state can also be split by shard (``miners.shards``): a shard of a detail miner keeps the rows of
its own repos in ``<state>/<name-stem>.shards/<shard-label>.parquet`` and never writes another
file, so the shards of one run (parallel Airflow tasks, maybe on different machines) cannot
overwrite each other. Reading merges the main file and every part, and where a repo appears in more
than one (the shard count changed between runs, or an unsharded run came after sharded ones) the
most recently written file wins. An unsharded write folds everything into the main file and removes
the parts.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hubmine.config import Paths
from miners.shards import Shard

# Parquet key-value metadata: when the file was written, to order files holding the same repo.
WRITTEN_KEY = b"hubmine.written_ns"


def parts_dir(paths: Paths, name: str) -> Path:
    return paths.state / (Path(name).stem + ".shards")


def _written_ns(path: Path) -> int:
    metadata = pq.read_schema(path).metadata or {}
    return int(metadata.get(WRITTEN_KEY, b"0"))


def read_state(paths: Paths, name: str, schema: pa.Schema) -> pa.Table:
    """The state ``name``: the main file merged with any shard parts (newest file wins per ``id``)."""
    main = paths.state / name
    parts_root = parts_dir(paths, name)
    parts = sorted(parts_root.glob("*.parquet")) if parts_root.is_dir() else []
    if not parts:
        return pq.read_table(main, schema=schema) if main.is_file() else schema.empty_table()
    files = ([main] if main.is_file() else []) + parts
    # Rank files oldest first; a tie (same nanosecond) goes to the part, written after the main file.
    ranked = sorted(files, key=lambda p: (_written_ns(p), p != main, p.name))
    tables = []
    for rank, path in enumerate(ranked):
        table = pq.read_table(path, schema=schema)
        tables.append(table.append_column("_rank", pa.array([rank] * table.num_rows, pa.int64())))
    merged = pa.concat_tables(tables)
    newest = merged.group_by("id").aggregate([("_rank", "max")]).rename_columns(["id", "_rank"])
    return merged.join(newest, keys=["id", "_rank"], join_type="inner").select(schema.names).cast(schema)


def write_state(paths: Paths, name: str, table: pa.Table, *, shard: Shard | None = None) -> None:
    """Replace the main state file, or only ``shard``'s part of it."""
    target = paths.state / name if shard is None else parts_dir(paths, name) / f"{shard.label}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    metadata = dict(table.schema.metadata or {})
    metadata[WRITTEN_KEY] = str(time.time_ns()).encode()
    tmp = target.with_name(target.name + ".tmp")
    pq.write_table(table.replace_schema_metadata(metadata), tmp)
    tmp.replace(target)
    if shard is None:
        # The main file now holds the merged view, parts included: they are redundant. (Removed
        # after the main file is in place, so a kill in between loses nothing.)
        shutil.rmtree(parts_dir(paths, name), ignore_errors=True)


def update_state(paths: Paths, name: str, schema: pa.Schema, settled: pa.Table, *,
                 shard: Shard | None = None) -> None:
    """Record ``settled`` rows (one per ``id``), replacing what the state said about those ids.

    With ``shard``, only that shard's part is rewritten; ``settled`` must hold only its repos.
    """
    previous = read_state(paths, name, schema)
    if shard is not None:
        previous = shard.filter(previous)
    keep = previous.filter(pc.invert(pc.is_in(previous["id"], settled["id"])))
    write_state(paths, name, pa.concat_tables([keep, settled.select(schema.names).cast(schema)]), shard=shard)


def with_run_id(table: pa.Table, run_id: str) -> pa.Table:
    return table.append_column("run_id", pa.array([run_id] * table.num_rows, pa.string()))
