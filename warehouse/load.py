"""The loader: the warehouse's only writer. Ingests finished landing runs, one transaction per run.

A (source, run id) already in ``raw.load_runs`` is skipped, so re-loading changes nothing; a killed
load rolls back whole, so the next load simply starts that run again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from hubmine.config import Paths
from miners.landing import complete_runs, read_manifest
from warehouse.db import WarehouseError, connect_writer
from warehouse.load_history import load_history

# Columns whose change opens a new validity interval; counters live in core.model_counters.
STATE_COLUMNS = ["author", "sha", "created_at", "last_modified", "private", "gated", "disabled", "pipeline_tag",
                 "library_name", "tags", "card_data", "safetensors_total", "safetensors_params"]


@dataclass
class LoadResult:
    source: str
    run_id: str
    skipped: bool
    rows: int = 0
    summary: dict = field(default_factory=dict)
    seconds: float = 0.0


def load_pending(paths: Paths, *, run_id: str | None = None, sources: tuple[str, ...] | None = None) -> list[LoadResult]:
    """Load every finished landing run not yet in the warehouse, source by source, oldest first.

    With ``run_id``, only runs of that id (of any source) are considered.
    """
    todo = [(source, run_dir) for source in (sources or tuple(LOADERS))
            for run_dir in complete_runs(paths.landing, source) if run_id is None or run_dir.name == run_id]
    if run_id is not None and not todo:
        raise WarehouseError(f"no finished run {run_id!r} under {paths.landing}")
    con = connect_writer(paths.warehouse)
    try:
        return [load_run(con, source, run_dir) for source, run_dir in todo]
    finally:
        con.close()


def load_run(con: duckdb.DuckDBPyConnection, source: str, run_dir: Path) -> LoadResult:
    manifest = read_manifest(run_dir)
    run_id = manifest["run_id"]
    if con.execute("SELECT 1 FROM raw.load_runs WHERE source = ? AND run_id = ?", [source, run_id]).fetchall():
        return LoadResult(source, run_id, skipped=True)
    fetched_at = datetime.fromisoformat(manifest["fetched_at"])
    newest = con.execute("SELECT run_id, fetched_at FROM raw.load_runs WHERE source = ? "
                         "ORDER BY fetched_at DESC LIMIT 1", [source]).fetchall()
    if newest and newest[0][1] > fetched_at:
        raise WarehouseError(f"{source} run {run_id} ({fetched_at}) is older than the loaded run {newest[0][0]} "
                             f"({newest[0][1]}); loading it would rewrite history out of order")
    parts = [str(run_dir / name) for name in manifest["parts"]]
    started = time.monotonic()
    con.execute("BEGIN")
    try:
        rows, summary = LOADERS[source](con, run_id, fetched_at, parts)
        con.execute("INSERT INTO raw.load_runs VALUES (?, ?, ?, now(), ?, ?)",
                    [source, run_id, fetched_at, rows, json.dumps(summary)])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return LoadResult(source, run_id, False, rows, summary, time.monotonic() - started)


def _load_models(con: duckdb.DuckDBPyConnection, run_id: str, fetched_at: datetime, parts: list[str]):
    con.execute("DELETE FROM raw.model_listing")
    con.execute("INSERT INTO raw.model_listing BY NAME SELECT * FROM read_parquet(?)", [parts])
    rows = con.execute("SELECT count(*) FROM raw.model_listing").fetchall()[0][0]
    duplicates = con.execute("SELECT id, count(*) FROM raw.model_listing GROUP BY id HAVING count(*) > 1 "
                             "LIMIT 3").fetchall()
    if duplicates:
        raise WarehouseError(f"models run {run_id} lists a model more than once, e.g. {duplicates}; not loaded")
    state = ", ".join(STATE_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT id AS model_id, {state}, downloads, likes,
               md5(to_json(struct_pack({state}))) AS state_hash
        FROM raw.model_listing""")
    new, changed = con.execute("""
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
    counter_rows = con.execute("""
        INSERT OR REPLACE INTO core.model_counters
        SELECT t.model_id, $day, t.downloads, t.likes, $run
        FROM staged t
        LEFT JOIN (SELECT model_id, arg_max(downloads, day) AS downloads, arg_max(likes, day) AS likes
                   FROM core.model_counters GROUP BY model_id) l USING (model_id)
        WHERE l.model_id IS NULL OR l.downloads IS DISTINCT FROM t.downloads OR l.likes IS DISTINCT FROM t.likes""",
                               {"day": fetched_at.date(), "run": run_id}).fetchall()[0][0]
    con.execute("DROP TABLE staged")
    return rows, {"new_models": new, "changed_models": changed, "removed_models": removed,
                  "counter_rows": counter_rows}


def _load_cards(con: duckdb.DuckDBPyConnection, run_id: str, fetched_at: datetime, parts: list[str]):
    con.execute("CREATE OR REPLACE TEMP TABLE landed AS SELECT * FROM read_parquet(?)", [parts])
    rows = con.execute("SELECT count(*) FROM landed").fetchall()[0][0]
    cards = con.execute("""
        INSERT OR IGNORE INTO core.cards
        SELECT id, sha, status, size, truncated, utf8_valid, text, fetched_at, run_id
        FROM landed WHERE status <> 'error'""").fetchall()[0][0]
    errors = con.execute("""
        INSERT INTO core.card_fetch_errors SELECT id, sha, error, fetched_at, run_id
        FROM landed WHERE status = 'error'""").fetchall()[0][0]
    con.execute("DROP TABLE landed")
    return rows, {"cards": cards, "fetch_errors": errors}


# Order matters: models first, so detail sources load against the listing of the same day.
LOADERS: dict[str, Callable] = {"models": _load_models, "cards": _load_cards, "history": load_history}
