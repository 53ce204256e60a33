"""Incremental mart building: analyse only the models whose input changed since the last run.

Each analysis reads one input per model (its current state hash, or its current card sha), keeps
``marts.analysed`` rows saying which input it already turned into mart rows, and on each run:
drops mart rows of models whose input changed or vanished, analyses the pending inputs in Arrow
batches, and records them. Raising an analysis' version re-analyses everything.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa
from tqdm import tqdm

from hubmine.config import progress_disabled

BATCH_ROWS = 50_000


def refresh(con: duckdb.DuckDBPyConnection, *, analysis: str, version: int, inputs_sql: str,
            marts: dict[str, pa.Schema], analyse: Callable[[pa.Table], dict[str, pa.Table]],
            progress: bool = False) -> dict[str, int]:
    """Bring ``marts`` (table name -> schema) up to date with ``inputs_sql``.

    ``inputs_sql`` yields the current input of every model: columns ``model_id``, ``input_key``
    and whatever ``analyse`` needs. ``analyse`` maps a batch of pending inputs to new rows per mart
    table; every mart table has ``model_id``. Runs inside the caller's transaction.
    """
    stale_version = con.execute("SELECT count(*) FROM marts.analysed WHERE analysis = ? AND version <> ?",
                                [analysis, version]).fetchall()[0][0]
    if stale_version:
        con.execute("DELETE FROM marts.analysed WHERE analysis = ?", [analysis])
    con.execute(f"CREATE OR REPLACE TEMP TABLE inputs AS {inputs_sql}")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE pending AS
        SELECT row_number() OVER () - 1 AS batch_row, i.* FROM inputs i
        LEFT JOIN marts.analysed a ON a.analysis = $analysis AND a.model_id = i.model_id
        WHERE a.model_id IS NULL OR a.input_key IS DISTINCT FROM i.input_key""", {"analysis": analysis})
    # Rows of models that changed or left are dropped; the pending ones are rebuilt below.
    for table in marts:
        con.execute(f"""
            DELETE FROM {table} WHERE model_id IN (SELECT model_id FROM pending)
               OR model_id NOT IN (SELECT model_id FROM inputs)""")
    con.execute("DELETE FROM marts.analysed WHERE analysis = ? AND model_id NOT IN (SELECT model_id FROM inputs)",
                [analysis])
    total = con.execute("SELECT count(*) FROM pending").fetchall()[0][0]
    written = {table: 0 for table in marts}
    with tqdm(total=total, desc=analysis, unit=" models", disable=progress_disabled(progress)) as bar:
        # Fetched a slice at a time: a streaming result would be cut off by the inserts this loop
        # makes on the same connection, and the whole table may not fit in memory. (Not by rowid:
        # inside a transaction new rows have transaction-local rowids.)
        for start in range(0, total, BATCH_ROWS):
            batch = con.sql(f"SELECT * EXCLUDE (batch_row) FROM pending "
                            f"WHERE batch_row >= {start} AND batch_row < {start + BATCH_ROWS}").to_arrow_table()
            for table, rows in analyse(batch).items():
                if rows.num_rows:
                    con.register("new_rows", rows.cast(marts[table]))
                    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM new_rows")
                    con.unregister("new_rows")
                    written[table] += rows.num_rows
            bar.update(batch.num_rows)
    con.execute("""
        INSERT OR REPLACE INTO marts.analysed SELECT $analysis, model_id, input_key, $version FROM pending""",
                {"analysis": analysis, "version": version})
    con.execute("DROP TABLE pending")
    con.execute("DROP TABLE inputs")
    return {"analysed": total, **{f"rows_{t.split('.')[-1]}": n for t, n in written.items()}}
