"""The loader: the warehouse's only writer. Ingests finished landing runs, one transaction per run.

A run id already in ``raw.load_runs`` is skipped, so re-loading changes nothing; a killed load
rolls back whole, so the next load simply starts that run again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from hubmine.config import Paths
from miners.landing import complete_runs, read_manifest
from warehouse.db import WarehouseError, connect_writer

# Columns whose change opens a new validity interval; counters live in core.model_counters.
STATE_COLUMNS = ["author", "sha", "created_at", "last_modified", "private", "gated", "disabled", "pipeline_tag",
                 "library_name", "tags", "card_data", "safetensors_total", "safetensors_params"]


@dataclass
class LoadResult:
    run_id: str
    source: str
    skipped: bool
    rows: int = 0
    new_models: int = 0
    changed_models: int = 0
    removed_models: int = 0
    counter_rows: int = 0
    seconds: float = 0.0


def load_pending(paths: Paths, *, run_id: str | None = None) -> list[LoadResult]:
    """Load every finished models run not yet in the warehouse (oldest first), or just ``run_id``."""
    runs = complete_runs(paths.landing, "models")
    if run_id is not None:
        runs = [r for r in runs if r.name == run_id]
        if not runs:
            raise WarehouseError(f"no finished models run {run_id!r} under {paths.landing / 'models'}")
    con = connect_writer(paths.warehouse)
    try:
        return [load_models_run(con, run_dir) for run_dir in runs]
    finally:
        con.close()


def load_models_run(con: duckdb.DuckDBPyConnection, run_dir: Path) -> LoadResult:
    manifest = read_manifest(run_dir)
    run_id = manifest["run_id"]
    if con.execute("SELECT 1 FROM raw.load_runs WHERE run_id = ?", [run_id]).fetchall():
        return LoadResult(run_id, "models", skipped=True)
    fetched_at = datetime.fromisoformat(manifest["fetched_at"])
    newest = con.execute("SELECT run_id, fetched_at FROM raw.load_runs WHERE source = 'models' "
                         "ORDER BY fetched_at DESC LIMIT 1").fetchall()
    if newest and newest[0][1] > fetched_at:
        raise WarehouseError(f"models run {run_id} ({fetched_at}) is older than the loaded run {newest[0][0]} "
                             f"({newest[0][1]}); loading it would rewrite history out of order")
    parts = [str(run_dir / name) for name in manifest["parts"]]
    started = time.monotonic()
    con.execute("BEGIN")
    try:
        result = _apply(con, run_id, fetched_at, parts)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    result.seconds = time.monotonic() - started
    return result


def _apply(con: duckdb.DuckDBPyConnection, run_id: str, fetched_at: datetime, parts: list[str]) -> LoadResult:
    con.execute("DELETE FROM raw.model_listing")
    con.execute("INSERT INTO raw.model_listing BY NAME SELECT * FROM read_parquet(?)", [parts])
    rows = con.execute("SELECT count(*) FROM raw.model_listing").fetchall()[0][0]
    duplicates = con.execute("SELECT id, count(*) FROM raw.model_listing GROUP BY id HAVING count(*) > 1 "
                             "LIMIT 3").fetchall()
    if duplicates:
        raise WarehouseError(f"run {run_id} lists a model more than once, e.g. {duplicates}; not loaded")
    state = ", ".join(STATE_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT id AS model_id, {state}, downloads, likes,
               md5(to_json(struct_pack({state}))) AS state_hash
        FROM raw.model_listing""")
    counts = con.execute("""
        SELECT
            count(*) FILTER (WHERE s.model_id IS NULL),
            count(*) FILTER (WHERE s.model_id IS NOT NULL AND s.state_hash <> t.state_hash)
        FROM staged t LEFT JOIN core.model_state s ON s.model_id = t.model_id AND s.valid_to IS NULL""").fetchall()[0]
    removed = con.execute("""
        SELECT count(*) FROM core.model_state s
        WHERE s.valid_to IS NULL AND NOT EXISTS (SELECT 1 FROM staged t WHERE t.model_id = s.model_id)""").fetchall()[0][0]
    # Close every open interval whose model vanished or changed, then open one for each model
    # left without an open interval (new, changed or back after removal).
    con.execute("""
        UPDATE core.model_state s SET valid_to = $ts
        WHERE s.valid_to IS NULL AND NOT EXISTS (
            SELECT 1 FROM staged t WHERE t.model_id = s.model_id AND t.state_hash = s.state_hash)""",
                {"ts": fetched_at})
    con.execute(f"""
        INSERT INTO core.model_state
        SELECT t.model_id, {", ".join("t." + c for c in STATE_COLUMNS)}, t.state_hash, $ts, NULL, $run
        FROM staged t ANTI JOIN (SELECT model_id FROM core.model_state WHERE valid_to IS NULL) o USING (model_id)""",
                {"ts": fetched_at, "run": run_id})
    day = fetched_at.date()
    counter_rows = con.execute("""
        INSERT OR REPLACE INTO core.model_counters
        SELECT t.model_id, $day, t.downloads, t.likes, $run
        FROM staged t
        LEFT JOIN (SELECT model_id, arg_max(downloads, day) AS downloads, arg_max(likes, day) AS likes
                   FROM core.model_counters GROUP BY model_id) l USING (model_id)
        WHERE l.model_id IS NULL OR l.downloads IS DISTINCT FROM t.downloads OR l.likes IS DISTINCT FROM t.likes""",
                               {"day": day, "run": run_id}).fetchall()[0][0]
    con.execute("INSERT INTO raw.load_runs VALUES (?, 'models', ?, now(), ?, ?, ?, ?, ?)",
                [run_id, fetched_at, rows, counts[0], counts[1], removed, counter_rows])
    con.execute("DROP TABLE staged")
    return LoadResult(run_id, "models", False, rows, counts[0], counts[1], removed, counter_rows)
