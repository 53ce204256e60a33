"""Miner state: small Parquet tables under ``<home>/state`` that say what each miner already has.

The landing zone is the record of what was fetched; a state file is a summary of it, written after
the landing run's manifest (a state must never claim what no finished run holds). A miner killed
between the two leaves its state one run behind, so every state file also records which landing
runs it includes (Parquet metadata), and reading it through ``catch_up`` first folds in any finished
run it lacks: a resumed or next run neither refetches nor re-lands what that run already holds.

A state can also be split by shard (``miners.shards``): a shard of a detail miner keeps the rows of
its own repos in ``<state>/<name-stem>.shards/<shard-label>.parquet`` and never writes another
file, so the shards of one run (parallel Airflow tasks, maybe on different machines) cannot
overwrite each other. Reading merges the main file and every part, and where a repo appears in more
than one (the shard count changed between runs, or an unsharded run came after sharded ones) the
most recently written file wins. An unsharded write folds everything into the main file and removes
the parts. Each part records the runs it includes, like the main file; the state includes the runs
any of its files records. A shard catches up only the finished runs of its own shard (their run ids
end in its label, ``<run_id>-shard-<i>of<n>``), into its own part; an unsharded reader catches up
every finished run, shard runs included, into the main file.

Files are replaced atomically (write a temporary file, fsync, rename, fsync the folder), so a killed
miner leaves the previous state whole.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from core.config import Paths
from miners.landing import complete_runs, write_parquet_atomic
from miners.shards import Shard

RUNS_KEY = b"hubmine.folded_runs"
# When the file was written (ns since the epoch), to order files holding the same repo.
WRITTEN_KEY = b"hubmine.written_ns"


def parts_dir(paths: Paths, name: str) -> Path:
    return paths.state / (Path(name).stem + ".shards")


def part_path(paths: Paths, name: str, shard: Shard) -> Path:
    return parts_dir(paths, name) / f"{shard.label}.parquet"


def _parts(paths: Paths, name: str) -> list[Path]:
    root = parts_dir(paths, name)
    return sorted(root.glob("*.parquet")) if root.is_dir() else []


def _files(paths: Paths, name: str) -> list[Path]:
    """The state's files that exist: the main file first, then the shard parts."""
    main = paths.state / name
    return ([main] if main.is_file() else []) + _parts(paths, name)


def _metadata(path: Path) -> dict[bytes, bytes]:
    return pq.read_schema(path).metadata or {}


def _written_ns(path: Path) -> int:
    return int(_metadata(path).get(WRITTEN_KEY, b"0"))


def _runs_of(path: Path) -> list[str] | None:
    raw = _metadata(path).get(RUNS_KEY)
    return json.loads(raw) if raw else None


def read_state(paths: Paths, name: str, schema: pa.Schema) -> pa.Table:
    """The state ``name``: the main file merged with any shard parts (newest file wins per ``id``)."""
    main = paths.state / name
    parts = _parts(paths, name)
    if not parts:
        return pq.read_table(main, schema=schema) if main.is_file() else schema.empty_table()
    files = ([main] if main.is_file() else []) + parts
    # Rank files oldest first; a tie (same nanosecond) goes to the part, written after the main file.
    ranked = sorted(files, key=lambda p: (_written_ns(p), p != main, p.name))
    tables = []
    for rank, path in enumerate(ranked):
        table = pq.read_table(path, schema=schema)
        tables.append(table.append_column("_rank", pa.array([rank] * table.num_rows, pa.int64())))
    stacked = pa.concat_tables(tables)
    newest = stacked.group_by("id").aggregate([("_rank", "max")]).rename_columns(["id", "_rank"])
    return stacked.join(newest, keys=["id", "_rank"], join_type="inner").select(schema.names).cast(schema)


def folded_runs(paths: Paths, name: str, shard: Shard | None = None) -> list[str] | None:
    """Landing run ids the state includes: recorded by any of its files (main file and parts), or
    with ``shard`` by that shard's part alone. None when there is no such file, or one of them
    predates the record."""
    files = [part_path(paths, name, shard)] if shard is not None else _files(paths, name)
    files = [f for f in files if f.is_file()]
    if not files:
        return None
    out: list[str] = []
    for path in files:
        runs = _runs_of(path)
        if runs is None:
            return None
        out += [r for r in runs if r not in out]
    return out


def write_state(paths: Paths, name: str, table: pa.Table, *, runs: list[str] | None = None,
                shard: Shard | None = None, written_ns: int | None = None) -> None:
    """Replace the main state file, or only ``shard``'s part of it; ``runs``: the landing runs it
    includes; ``written_ns``: its write time (default now). An unsharded write then removes the
    parts (the main file holds them now)."""
    target = paths.state / name if shard is None else part_path(paths, name, shard)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = time.time_ns() if written_ns is None else written_ns
    metadata = {**(table.schema.metadata or {}), WRITTEN_KEY: str(written).encode()}
    if runs is not None:
        metadata[RUNS_KEY] = json.dumps(runs).encode()
    # A private temporary name: two miners may catch up the same shared state at once.
    write_parquet_atomic(target, table.replace_schema_metadata(metadata),
                         tmp_suffix=f".{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    if shard is None:
        # Removed only after the main file is in place, so a kill in between loses nothing.
        shutil.rmtree(parts_dir(paths, name), ignore_errors=True)


def with_run_id(table: pa.Table, run_id: str) -> pa.Table:
    return table.append_column("run_id", pa.array([run_id] * table.num_rows, pa.string()))


def merged(previous: pa.Table, settled: pa.Table) -> pa.Table:
    """``previous`` with every id in ``settled`` replaced by its row there."""
    keep = previous.filter(pc.invert(pc.is_in(previous["id"], settled["id"])))
    return pa.concat_tables([keep, settled.select(previous.schema.names).cast(previous.schema)])


def _caught_up(previous: pa.Table, settled: pa.Table) -> pa.Table:
    """``merged``, for a run folded in late: its rows do not replace rows of a later run (run ids
    sort by time), which a state may hold when a run after the pending one was recorded first."""
    if "run_id" in previous.schema.names and previous.num_rows and settled.num_rows:
        newer = previous.filter(pc.greater(previous["run_id"], settled["run_id"][0]))
        settled = settled.filter(pc.invert(pc.is_in(settled["id"], newer["id"])))
    return merged(previous, settled)


def record_run(paths: Paths, name: str, schema: pa.Schema, settled: pa.Table, run_id: str, *,
               replace: bool = False, shard: Shard | None = None) -> None:
    """Fold one finished landing run into the state: its ``settled`` rows replace the ids they name
    (``replace``: become the whole state). Call only after the run's manifest is written.

    With ``shard``, only that shard's part is rewritten (``settled`` must hold only its repos)."""
    settled = settled.select(schema.names).cast(schema)
    runs = folded_runs(paths, name, shard) or []
    if replace:
        table = settled
    else:
        previous = read_state(paths, name, schema)
        table = merged(shard.filter(previous) if shard is not None else previous, settled)
    write_state(paths, name, table, runs=runs if run_id in runs else [*runs, run_id], shard=shard)


def shard_runs(runs: list[Path], shard: Shard) -> list[Path]:
    """The runs of ``shard`` among landing run folders (run id ``<base>-<label>``)."""
    suffix = "-" + shard.label
    return [d for d in runs if d.name.endswith(suffix)]


def catch_up(paths: Paths, name: str, schema: pa.Schema, source: str,
             settled_of: Callable[[Path], pa.Table], *, replace: bool = False,
             shard: Shard | None = None) -> pa.Table:
    """The state, with every finished ``source`` landing run it does not include folded in first
    (``settled_of(run_dir)`` gives a run's rows, as ``record_run`` takes them).

    With ``shard``, only the finished runs of that shard, written to its part alone (shards of one
    run catch up at the same time); the whole state is returned, that shard's rows caught up.
    """
    state = read_state(paths, name, schema)
    files = _files(paths, name)
    complete = complete_runs(paths.landing, source)
    if shard is not None:
        complete = shard_runs(complete, shard)
    known = _known_runs(files)
    if any(_runs_of(f) is None for f in files):
        # Written before states recorded their runs: take it as current from here on (the landing
        # zone may no longer hold every run it was built from). Only a file this reader may write
        # can be stamped; a shard leaves the rest to the next unsharded reader and meanwhile catches
        # up nothing (at worst it fetches again what a killed run of its own had fetched).
        if shard is None:
            write_state(paths, name, state, runs=known + [d.name for d in complete if d.name not in known])
        elif (own := part_path(paths, name, shard)).is_file() and _runs_of(own) is None:
            # Same rows, same write time (newest file wins): only the record is added.
            write_state(paths, name, pq.read_table(own, schema=schema), runs=[d.name for d in complete],
                        shard=shard, written_ns=_written_ns(own))
        return state
    pending = [d for d in complete if d.name not in set(known)]
    if not pending:
        return state
    if shard is None:
        for run_dir in pending[-1:] if replace else pending:
            settled = settled_of(run_dir).select(schema.names).cast(schema)
            state = settled if replace else _caught_up(state, settled)
        write_state(paths, name, state, runs=known + [d.name for d in pending])
        return state
    own = shard.filter(state)
    for run_dir in pending:
        own = _caught_up(own, shard.filter(settled_of(run_dir).select(schema.names).cast(schema)))
    write_state(paths, name, own, runs=(folded_runs(paths, name, shard) or []) + [d.name for d in pending],
                shard=shard)
    return merged(state, own)


def _known_runs(files: list[Path]) -> list[str]:
    out: list[str] = []
    for path in files:
        out += [r for r in _runs_of(path) or [] if r not in out]
    return out
