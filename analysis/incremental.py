"""Incremental mart building: analyse only the models whose input changed since the last run.

Each analysis reads one input per model (its current state hash, or its current card sha), keeps
``marts.analysed`` rows saying which input it already turned into mart rows, and on each run:
drops mart rows of models whose input changed or vanished, analyses the pending inputs in Arrow
batches, and records them. Raising an analysis' version re-analyses everything.

Sized for a first run over 2.5M models on a small machine: the pending inputs are spilled once to
a Parquet file and streamed back in batches (memory stays at a batch, whatever the backlog), and a
large backlog is analysed by a pool of worker processes while this one writes the results.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from core.config import progress_disabled

BATCH_ROWS = 50_000
# Below this many pending models, starting worker processes costs more than it saves.
POOL_MIN_ROWS = 200_000
WORKERS_ENV = "HUBMINE_ANALYSIS_WORKERS"


def default_workers() -> int:
    """Worker processes for a large backlog: ``$HUBMINE_ANALYSIS_WORKERS``, else one per core (at most 4)."""
    value = os.environ.get(WORKERS_ENV)
    return max(1, int(value)) if value else max(1, min(4, os.cpu_count() or 1))


def refresh(con: duckdb.DuckDBPyConnection, *, analysis: str, version: int, inputs_sql: str,
            marts: dict[str, pa.Schema], analyse: Callable[[pa.Table], dict[str, pa.Table]],
            progress: bool = False, workers: int | None = None, pool_min_rows: int = POOL_MIN_ROWS) -> dict[str, int]:
    """Bring ``marts`` (table name -> schema) up to date with ``inputs_sql``.

    ``inputs_sql`` yields the current input of every model: columns ``model_id``, ``input_key``
    and whatever ``analyse`` needs. ``analyse`` maps a batch of pending inputs to new rows per mart
    table; every mart table has ``model_id``. ``analyse`` must be a module-level function (it may
    run in worker processes). Runs inside the caller's transaction.
    """
    stale_version = con.execute("SELECT count(*) FROM marts.analysed WHERE analysis = ? AND version <> ?",
                                [analysis, version]).fetchall()[0][0]
    if stale_version:
        con.execute("DELETE FROM marts.analysed WHERE analysis = ?", [analysis])
    # Keys first (DuckDB prunes the columns the keys do not need), data only for what is pending.
    con.execute(f"CREATE OR REPLACE TEMP TABLE current_keys AS SELECT model_id, input_key FROM ({inputs_sql})")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE pending_keys AS
        SELECT k.model_id, k.input_key FROM current_keys k
        LEFT JOIN (SELECT model_id, input_key FROM marts.analysed WHERE analysis = $analysis) a USING (model_id)
        WHERE a.model_id IS NULL OR a.input_key IS DISTINCT FROM k.input_key""", {"analysis": analysis})
    # Rows of models that changed or left are dropped; the pending ones are rebuilt below. The marts
    # have no primary key (see migration 009): this delete is what keeps their grain.
    for table in marts:
        con.execute(f"""
            DELETE FROM {table} WHERE model_id IN (SELECT model_id FROM pending_keys)
               OR model_id NOT IN (SELECT model_id FROM current_keys)""")
    con.execute("""
        DELETE FROM marts.analysed WHERE analysis = $analysis
           AND (model_id IN (SELECT model_id FROM pending_keys) OR model_id NOT IN (SELECT model_id FROM current_keys))""",
                {"analysis": analysis})
    total = con.execute("SELECT count(*) FROM pending_keys").fetchall()[0][0]
    written = {table: 0 for table in marts}
    if total:
        workers = default_workers() if workers is None else max(1, workers)
        with tempfile.TemporaryDirectory(prefix=f"hubmine-{analysis}-", dir=_spill_dir(con)) as spill, \
                tqdm(total=total, desc=analysis, unit=" models", disable=progress_disabled(progress)) as bar:
            # One pass writes the pending inputs out; reading them back in batches is independent of
            # the connection, which the inserts below keep using (a streaming result would be cut off).
            path = Path(spill) / "pending.parquet"
            con.execute(f"""
                COPY (SELECT i.* FROM ({inputs_sql}) i SEMI JOIN pending_keys p USING (model_id))
                TO '{_quote(str(path))}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE {BATCH_ROWS})""")
            batches = _batches(path)
            results = map_batches(analyse, batches, workers if total >= pool_min_rows else 1)
            for rows_in, out in results:
                for table, rows in out.items():
                    if rows.num_rows:
                        con.register("new_rows", rows.cast(marts[table]))
                        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM new_rows")
                        con.unregister("new_rows")
                        written[table] += rows.num_rows
                bar.update(rows_in)
    con.execute("INSERT INTO marts.analysed SELECT $analysis, model_id, input_key, $version FROM pending_keys",
                {"analysis": analysis, "version": version})
    con.execute("DROP TABLE pending_keys")
    con.execute("DROP TABLE current_keys")
    return {"analysed": total, **{f"rows_{t.split('.')[-1]}": n for t, n in written.items()}}


def _batches(path: Path) -> Iterator[pa.Table]:
    reader = pq.ParquetFile(path)
    for batch in reader.iter_batches(batch_size=BATCH_ROWS):
        yield pa.Table.from_batches([batch])


def map_batches(analyse: Callable[[pa.Table], Any], batches: Iterable[pa.Table],
                workers: int) -> Iterator[tuple[int, Any]]:
    """(rows in, analyse(batch)) per batch, in batch order; with workers > 1 in a process pool that
    runs a few batches ahead of the caller."""
    if workers <= 1:
        for batch in batches:
            yield batch.num_rows, analyse(batch)
        return
    # spawn, not fork: this process holds a DuckDB connection and its threads.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        running: deque[tuple[int, Future]] = deque()
        for batch in batches:
            if len(running) >= 2 * workers:
                rows, future = running.popleft()
                yield rows, future.result()
            running.append((batch.num_rows, pool.submit(analyse, batch)))
        while running:
            rows, future = running.popleft()
            yield rows, future.result()


def _spill_dir(con: duckdb.DuckDBPyConnection) -> str | None:
    """Beside the warehouse file (same disk as DuckDB's own spill), else the system temp folder."""
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    if rows and rows[0][0]:
        return str(Path(rows[0][0]).resolve().parent)
    return None


def _quote(text: str) -> str:
    return text.replace("'", "''")
