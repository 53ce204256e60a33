"""Miner state: small Parquet tables under ``<home>/state`` that say what each miner already has.

The landing zone is the record of what was fetched; a state file is a summary of it, written after
the landing run's manifest (a state must never claim what no finished run holds). A miner killed
between the two leaves its state one run behind, so every state file also records which landing
runs it includes (Parquet metadata), and reading it through ``catch_up`` first folds in any finished
run it lacks: a resumed or next run neither refetches nor re-lands what that run already holds.

Files are replaced atomically (write a temporary file, fsync, rename, fsync the folder), so a killed
miner leaves the previous state whole.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hubmine.config import Paths
from miners.landing import complete_runs, write_parquet_atomic

RUNS_KEY = b"hubmine.folded_runs"


def read_state(paths: Paths, name: str, schema: pa.Schema) -> pa.Table:
    path = paths.state / name
    return pq.read_table(path, schema=schema) if path.is_file() else schema.empty_table()


def folded_runs(paths: Paths, name: str) -> list[str] | None:
    """Landing run ids this state includes; None when the file is absent or predates the record."""
    path = paths.state / name
    if not path.is_file():
        return None
    raw = (pq.read_schema(path).metadata or {}).get(RUNS_KEY)
    return json.loads(raw) if raw else None


def write_state(paths: Paths, name: str, table: pa.Table, *, runs: list[str] | None = None) -> None:
    paths.state.mkdir(parents=True, exist_ok=True)
    if runs is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), RUNS_KEY: json.dumps(runs)})
    # A private temporary name: two miners may catch up the same shared state at once.
    write_parquet_atomic(paths.state / name, table, tmp_suffix=f".{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def with_run_id(table: pa.Table, run_id: str) -> pa.Table:
    return table.append_column("run_id", pa.array([run_id] * table.num_rows, pa.string()))


def merged(previous: pa.Table, settled: pa.Table) -> pa.Table:
    """``previous`` with every id in ``settled`` replaced by its row there."""
    keep = previous.filter(pc.invert(pc.is_in(previous["id"], settled["id"])))
    return pa.concat_tables([keep, settled.select(previous.schema.names).cast(previous.schema)])


def record_run(paths: Paths, name: str, schema: pa.Schema, settled: pa.Table, run_id: str, *,
               replace: bool = False) -> None:
    """Fold one finished landing run into the state: its ``settled`` rows replace the ids they name
    (``replace``: become the whole state). Call only after the run's manifest is written."""
    runs = folded_runs(paths, name) or []
    settled = settled.select(schema.names).cast(schema)
    table = settled if replace else merged(read_state(paths, name, schema), settled)
    write_state(paths, name, table, runs=runs if run_id in runs else [*runs, run_id])


def catch_up(paths: Paths, name: str, schema: pa.Schema, source: str,
             settled_of: Callable[[Path], pa.Table], *, replace: bool = False) -> pa.Table:
    """The state, with every finished ``source`` landing run it does not include folded in first
    (``settled_of(run_dir)`` gives a run's rows, as ``record_run`` takes them)."""
    state = read_state(paths, name, schema)
    runs = folded_runs(paths, name)
    complete = complete_runs(paths.landing, source)
    if runs is None:
        if (paths.state / name).is_file():
            # Written before states recorded their runs: take it as current from here on (the
            # landing zone may no longer hold every run it was built from).
            write_state(paths, name, state, runs=[d.name for d in complete])
            return state
        runs = []
    seen = set(runs)
    pending = [d for d in complete if d.name not in seen]
    if not pending:
        return state
    for run_dir in pending[-1:] if replace else pending:
        settled = settled_of(run_dir).select(schema.names).cast(schema)
        state = settled if replace else merged(state, settled)
    write_state(paths, name, state, runs=runs + [d.name for d in pending])
    return state
