"""Run every analysis over the warehouse, each in its own transaction, on the writer connection.

Analyses write marts, so they run in the single-writer slot, after a load (the DAGs put both in the
same one-slot pool).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import duckdb

from analysis.carbon import marts as card_metadata_marts
from analysis.cards import marts as documentation_marts
from analysis.forecast import marts as forecast_marts
from analysis.lineage import marts as lineage_marts
from analysis.naming import marts as naming_marts
from core.config import Paths
from warehouse.db import connect_writer

ANALYSES: dict[str, Callable[..., dict]] = {
    "card_metadata": card_metadata_marts.build,
    "documentation": documentation_marts.build,
    "lineage": lineage_marts.build,
    "forecast": forecast_marts.build,  # reads the lineage marts: must come after "lineage"
    "naming": naming_marts.build,
}


def run_analyses(paths: Paths, *, only: list[str] | None = None, progress: bool = False,
                 lock_wait: float | None = None) -> dict[str, dict]:
    # create=False: analysing a warehouse nothing was loaded into is a mistyped --home, not a start
    con = connect_writer(paths.warehouse, create=False, wait=lock_wait)
    try:
        return {name: _run(con, build, progress) for name, build in ANALYSES.items() if not only or name in only}
    finally:
        con.close()


def _run(con: duckdb.DuckDBPyConnection, build: Callable[..., dict], progress: bool) -> dict:
    started = time.monotonic()
    con.execute("BEGIN")
    try:
        summary = build(con, progress=progress)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {**summary, "seconds": round(time.monotonic() - started, 2)}
