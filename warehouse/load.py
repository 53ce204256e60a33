"""The loader: the warehouse's only writer. Ingests finished landing runs, one transaction per run.

A (source, run id) already in ``raw.load_runs`` is skipped, so re-loading changes nothing; a killed
load rolls back whole, so the next load simply starts that run again.

A run that cannot be loaded (unreadable manifest, missing or truncated part, rows a loader refuses,
older than a loaded run) must not block every later load: it is quarantined, moved whole to
``landing/<source>/_quarantine/<run_id>`` with a note saying why and recorded in
``raw.quarantined_runs``, the other runs load, and ``load_pending`` ends with ``RunsQuarantined``
(one line naming them). Failures that say nothing about the run (the warehouse, the machine)
propagate and quarantine nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from core.config import Paths
from miners.landing import LandingError, complete_runs, quarantine, read_manifest
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
    quarantined: str | None = None  # why the run was moved to quarantine instead of loaded
    moved_to: Path | None = None


class BadRun(WarehouseError):
    """This landing run cannot be loaded as it is (the message says why); it is quarantined."""


class RunsQuarantined(WarehouseError):
    """Some runs were quarantined (the others loaded): ``results`` holds every run's outcome."""

    def __init__(self, results: list[LoadResult]):
        self.results = results
        bad = [r for r in results if r.quarantined]
        named = "; ".join(f"{r.source} run {r.run_id}: {r.quarantined}" for r in bad)
        where = bad[0].moved_to.parent if bad[0].moved_to else "the landing zone"
        super().__init__(f"quarantined {len(bad)} run(s), loaded the others: {named} (moved to {where}; "
                         f"see the quarantined_runs view)")


def load_pending(paths: Paths, *, run_id: str | None = None, sources: tuple[str, ...] | None = None,
                 lock_wait: float | None = None) -> list[LoadResult]:
    """Load every finished landing run not yet in the warehouse, source by source, oldest first.

    With ``run_id``, only runs of that id (of any source) are considered. A run that cannot be
    loaded is quarantined (see the module docstring) and the others are loaded. The warehouse file is
    made only when there is a run to load, and a data folder without a landing zone is refused (a
    mistyped --home); ``lock_wait``: see ``warehouse.db.connect_writer``.

    Raises:
        RunsQuarantined: after loading the others, when any run was quarantined.
    """
    todo = [(source, run_dir) for source in (sources or tuple(LOADERS))
            for run_dir in complete_runs(paths.landing, source) if run_id is None or run_dir.name == run_id]
    if run_id is not None and not todo:
        raise WarehouseError(f"no finished run {run_id!r} under {paths.landing}")
    if not todo and not paths.warehouse.is_file():
        if not paths.landing.is_dir():
            raise WarehouseError(f"nothing landed in {paths.home} and no warehouse at {paths.warehouse}: check --home "
                                 f"(or $HUBMINE_HOME); `hubmine crawl models` lands the first run")
        return []  # runs are landing, none finished yet
    con = connect_writer(paths.warehouse, wait=lock_wait)
    results = []
    try:
        for source, run_dir in todo:
            try:
                results.append(load_run(con, source, run_dir))
            except BadRun as exc:
                results.append(_quarantine(con, source, run_dir, str(exc)))
    finally:
        con.close()
    if any(r.quarantined for r in results):
        raise RunsQuarantined(results)
    return results


def _quarantine(con: duckdb.DuckDBPyConnection, source: str, run_dir: Path, reason: str) -> LoadResult:
    """Move the run aside and record it; the record commits only once the run has moved."""
    moved_to = quarantine(run_dir, reason)
    con.execute("INSERT INTO raw.quarantined_runs VALUES (?, ?, ?, now(), ?)",
                [source, run_dir.name, reason, str(moved_to)])
    return LoadResult(source, run_dir.name, skipped=False, quarantined=reason, moved_to=moved_to)


def _checked_manifest(run_dir: Path) -> tuple[str, datetime, list[str], dict]:
    """(run id, fetched at, part paths, manifest) of a run whose files are all there and readable
    as Parquet (a truncated file has no footer); BadRun otherwise."""
    try:
        manifest = read_manifest(run_dir)
        run_id, fetched_at = str(manifest["run_id"]), datetime.fromisoformat(manifest["fetched_at"])
        names = list(manifest["parts"]) + list(manifest.get("problems") or [])
        if fetched_at.tzinfo is None or not all(isinstance(n, str) and "/" not in n for n in names):
            raise ValueError("fetched_at without a zone, or a part name that is not a file name")
    except LandingError as exc:
        # Named relative to the run: the one-line message already names the run.
        raise BadRun(str(exc).replace(f"{run_dir}/", "").removeprefix(f"{run_dir}: ")) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadRun(f"manifest is not a landing manifest ({type(exc).__name__}: {exc})") from None
    for name in names:
        try:
            pq.read_metadata(run_dir / name)
        except FileNotFoundError:
            raise BadRun(f"{name} is missing") from None
        except (OSError, pa.ArrowException) as exc:
            raise BadRun(f"{name} is truncated or not Parquet ({exc})") from None
    return run_id, fetched_at, [str(run_dir / n) for n in manifest["parts"]], manifest


def load_run(con: duckdb.DuckDBPyConnection, source: str, run_dir: Path) -> LoadResult:
    """Load one finished run in one transaction. Raises BadRun when the run itself is at fault."""
    run_id, fetched_at, parts, manifest = _checked_manifest(run_dir)
    if con.execute("SELECT 1 FROM raw.load_runs WHERE source = ? AND run_id = ?", [source, run_id]).fetchall():
        return LoadResult(source, run_id, skipped=True)
    newest = con.execute("SELECT run_id, fetched_at FROM raw.load_runs WHERE source = ? "
                         "ORDER BY fetched_at DESC LIMIT 1", [source]).fetchall()
    if newest and newest[0][1] > fetched_at:
        raise BadRun(f"it stands for {fetched_at}, before the loaded run {newest[0][0]} ({newest[0][1]}); "
                     f"loading it would rewrite history out of order")
    started = time.monotonic()
    con.execute("BEGIN")
    try:
        rows, summary = LOADERS[source](con, run_id, fetched_at, parts)
        provenance = manifest.get("provenance")
        con.execute("INSERT INTO raw.load_runs (source, run_id, fetched_at, loaded_at, rows_landed, summary, "
                    "provenance) VALUES (?, ?, ?, now(), ?, ?, ?)",
                    [source, run_id, fetched_at, rows, json.dumps(summary),
                     None if provenance is None else json.dumps(provenance)])
        con.execute("COMMIT")
    except Exception as exc:
        con.execute("ROLLBACK")
        if isinstance(exc, BadRun):
            raise
        if isinstance(exc, WarehouseError) or (isinstance(exc, duckdb.Error) and _names_run_file(exc, run_dir)):
            # A loader's refusal of the rows, or DuckDB failing on one of the run's own files.
            raise BadRun(str(exc).splitlines()[0].removeprefix(f"{source} run {run_id} ")) from exc
        raise
    return LoadResult(source, run_id, False, rows, summary, time.monotonic() - started)


def _names_run_file(exc: Exception, run_dir: Path) -> bool:
    message = str(exc)
    return str(run_dir) in message or str(Path(run_dir).resolve()) in message


# The state's fingerprint: DuckDB's 64-bit hash over the state columns, each cast to one type so
# that a listed row and a stored row with the same values get the same value. Comparing
# fingerprints makes a day's diff one join on (id, 8 bytes) instead of comparing every column of
# 2.5M states (md5 over the JSON-serialised state alone took most of the load budget).
_STATE_TYPES = {"author": "VARCHAR", "sha": "VARCHAR", "created_at": "TIMESTAMPTZ", "last_modified": "TIMESTAMPTZ",
                "private": "BOOLEAN", "gated": "VARCHAR", "disabled": "BOOLEAN", "pipeline_tag": "VARCHAR",
                "library_name": "VARCHAR", "tags": "VARCHAR[]", "card_data": "VARCHAR",
                "safetensors_total": "BIGINT", "safetensors_params": "VARCHAR"}
assert list(_STATE_TYPES) == STATE_COLUMNS
FINGERPRINT_SCHEME = f"duckdb-hash/{duckdb.__version__}"


def fingerprint(alias: str) -> str:
    """SQL for the fingerprint of the state columns of ``alias`` (16 hex digits)."""
    return "printf('%016x', hash(" + ", ".join(f"{alias}.{c}::{t}" for c, t in _STATE_TYPES.items()) + "))"


def _refresh_fingerprints(con: duckdb.DuckDBPyConnection) -> None:
    """Make the open intervals' fingerprints those of this DuckDB version.

    DuckDB does not promise its hash function stays the same across versions; stored fingerprints
    are only compared with new ones computed by the same scheme. After an upgrade (or migration 009,
    which starts from md5 values) every open interval is re-fingerprinted once, and the analyses'
    bookkeeping follows, so that nothing looks changed that did not change.
    """
    stored = con.execute("SELECT value FROM meta.settings WHERE key = 'state_fingerprint'").fetchall()
    if stored and stored[0][0] == FINGERPRINT_SCHEME:
        return
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE refingerprinted AS
        SELECT model_id, state_hash AS old, {fingerprint("s")} AS new
        FROM core.model_state s WHERE valid_to IS NULL""")
    con.execute("""
        UPDATE marts.analysed a SET input_key = r.new FROM refingerprinted r
        WHERE a.model_id = r.model_id AND a.input_key = r.old""")
    con.execute("""
        UPDATE core.model_state s SET state_hash = r.new FROM refingerprinted r
        WHERE s.valid_to IS NULL AND s.model_id = r.model_id""")
    con.execute("DROP TABLE refingerprinted")
    con.execute("INSERT OR REPLACE INTO meta.settings VALUES ('state_fingerprint', ?)", [FINGERPRINT_SCHEME])


def _load_models(con: duckdb.DuckDBPyConnection, run_id: str, fetched_at: datetime, parts: list[str]):
    """One listing run -> validity intervals (core.model_state) and change-only counters.

    Built for 2.5M models in seconds: the Parquet parts are read in place (never copied into the
    warehouse), one join of (id, fingerprint, counters) against the open intervals and latest
    counters finds the few models that changed, and only those are written; an unchanged model
    costs a hash and a comparison, no write.

    A model listed twice (its sort key moved under the walk) counts once, as last listed; the
    records the miner could not type go to raw.listing_problems, and their models are not taken
    as removed (nor is any model, when the listing does not name every model it met).
    """
    if not parts:
        raise BadRun("it has no parts")
    manifest = read_manifest(Path(parts[0]).parent)
    _point_raw_listing(con, parts)
    _refresh_fingerprints(con)
    rows, duplicates = _check_listing(con, run_id)
    if duplicates:
        _point_raw_listing(con, parts, last_per_id=True)
    problems = _record_problems(con, Path(parts[0]).parent, manifest.get("problems") or [])
    empty = not con.execute("SELECT 1 FROM core.model_state LIMIT 1").fetchall() and \
        not con.execute("SELECT 1 FROM core.model_counters LIMIT 1").fetchall()
    models = rows - duplicates
    if empty:
        # The first load: every listed model is new, so there is nothing to compare it with.
        con.execute(f"""
            INSERT INTO core.model_state
            SELECT l.id, {", ".join("l." + c for c in STATE_COLUMNS)}, {fingerprint("l")}, $ts, NULL, $run
            FROM raw.model_listing l""", {"ts": fetched_at, "run": run_id})
        con.execute("""
            INSERT INTO core.model_counters
            SELECT l.id, $day, l.downloads, l.likes, $run, NULL FROM raw.model_listing l""",
                    {"day": fetched_at.date(), "run": run_id})
        new, changed, removed, counter_rows = models, 0, 0, models
    else:
        new, changed, removed, counter_rows = _load_delta(con, run_id, fetched_at, models,
                                                          complete=manifest.get("complete_listing", True))
    return rows, {"new_models": new, "changed_models": changed, "removed_models": removed,
                  "counter_rows": counter_rows, "duplicate_rows": duplicates, "problem_records": problems}


def _check_listing(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[int, int]:
    """(rows, rows of models listed more than once) of the listing; BadRun on a repeated position.

    One pass over the listing counts distinct 64-bit hashes of the ids (a third of the cost of
    grouping 2.5M strings); only when that count comes up short, which a collision could also
    cause, the exact count runs.
    """
    rows, hashed_ids, positions = con.execute("""
        SELECT count(*), count(DISTINCT hash(id)), count(DISTINCT listed_pos) FROM raw.model_listing""").fetchall()[0]
    if positions != rows:
        raise BadRun(f"listed_pos is not unique ({positions} values for {rows} rows)")
    if hashed_ids == rows:
        return rows, 0
    [(distinct,)] = con.execute("SELECT count(DISTINCT id) FROM raw.model_listing").fetchall()
    return rows, rows - distinct


def _record_problems(con: duckdb.DuckDBPyConnection, run_dir: Path, names: list[str]) -> int:
    """Copy the run's problem records (listed records the miner could not type) to raw.listing_problems."""
    if not names:
        return 0
    return con.execute("""
        INSERT INTO raw.listing_problems
        SELECT run_id, fetched_at, listed_pos, model_id, reason, record FROM read_parquet(?)""",
                       [[str(run_dir / n) for n in names]]).fetchall()[0][0]


def _load_delta(con: duckdb.DuckDBPyConnection, run_id: str, fetched_at: datetime, rows: int, *,
                complete: bool) -> tuple[int, int, int, int]:
    """Diff the listing against the open intervals and latest counters; write what changed.

    A model absent from the listing is removed only when the listing is ``complete`` (names every
    model it met) and has no untyped record of that model: a gap in the listing is no deletion."""
    gone = "FALSE" if not complete else \
        "NOT EXISTS (SELECT 1 FROM raw.listing_problems p WHERE p.run_id = $run AND p.model_id = s.model_id)"
    # delta: every model whose state is new, changed or gone, or whose counters moved (a few % a day
    # after the first load). Listed rows are referred to by listed_pos (unique within a run, checked
    # above): joining back on an integer is cheaper than on the repo id.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE delta AS
        WITH l AS (SELECT listed_pos, id, {fingerprint("p")} AS fp, downloads, likes FROM raw.model_listing p)
        SELECT l.listed_pos, coalesce(l.id, s.model_id) AS model_id, l.fp,
               CASE WHEN s.model_id IS NULL THEN 'new' WHEN l.id IS NULL THEN 'removed'
                    WHEN l.fp <> s.state_hash THEN 'changed' END AS state,
               l.id IS NOT NULL AND (c.model_id IS NULL OR l.downloads IS DISTINCT FROM c.downloads
                                     OR l.likes IS DISTINCT FROM c.likes) AS counters_moved,
               c."day" AS counters_day
        FROM l
        FULL OUTER JOIN (SELECT model_id, state_hash FROM core.model_state WHERE valid_to IS NULL) s
             ON s.model_id = l.id
        LEFT JOIN (SELECT model_id, "day", downloads, likes FROM core.model_counters WHERE next_day IS NULL) c
             ON c.model_id = l.id
        WHERE s.model_id IS NULL OR (l.id IS NULL AND {gone}) OR l.fp <> s.state_hash OR counters_moved""",
                {"run": run_id} if complete else {})
    new, changed, removed, counter_rows, counters_before = con.execute("""
        SELECT count(*) FILTER (WHERE state = 'new'), count(*) FILTER (WHERE state = 'changed'),
               count(*) FILTER (WHERE state = 'removed'), count(*) FILTER (WHERE counters_moved),
               count(*) FILTER (WHERE counters_moved AND counters_day IS NOT NULL)
        FROM delta""").fetchall()[0]
    # Close the open interval of every model that changed or vanished, then open one for each model
    # that is new, changed or back after removal.
    if changed or removed:
        con.execute("""
            UPDATE core.model_state s SET valid_to = $ts FROM delta d
            WHERE s.valid_to IS NULL AND s.model_id = d.model_id AND d.state IN ('changed', 'removed')""",
                    {"ts": fetched_at})
    # On a first load every listed model is new: then the listing goes in whole, without the join.
    columns = ", ".join("l." + c for c in STATE_COLUMNS)
    if new + changed == rows:
        con.execute(f"""
            INSERT INTO core.model_state
            SELECT l.id, {columns}, {fingerprint("l")}, $ts, NULL, $run FROM raw.model_listing l""",
                    {"ts": fetched_at, "run": run_id})
    else:
        con.execute(f"""
            INSERT INTO core.model_state
            SELECT l.id, {columns}, d.fp, $ts, NULL, $run
            FROM raw.model_listing l JOIN (SELECT listed_pos, fp FROM delta WHERE state IN ('new', 'changed')) d
                 ON d.listed_pos = l.listed_pos""", {"ts": fetched_at, "run": run_id})
    # Counters: a second run on the same day replaces that day's row (the grain is model x day);
    # otherwise the model's latest row gets its successor's day.
    day = fetched_at.date()
    if counters_before:
        con.execute("""
            DELETE FROM core.model_counters c USING delta d
            WHERE c.model_id = d.model_id AND d.counters_moved AND c.next_day IS NULL AND c."day" = $day""",
                    {"day": day})
        con.execute("""
            UPDATE core.model_counters c SET next_day = $day FROM delta d
            WHERE c.model_id = d.model_id AND d.counters_moved AND c.next_day IS NULL AND c."day" < $day""",
                    {"day": day})
    moved = "" if counter_rows == rows else \
        "SEMI JOIN (SELECT listed_pos FROM delta WHERE counters_moved) d ON d.listed_pos = l.listed_pos"
    con.execute(f"""
        INSERT INTO core.model_counters
        SELECT l.id, $day, l.downloads, l.likes, $run, NULL FROM raw.model_listing l {moved}""",
                {"day": day, "run": run_id})
    con.execute("DROP TABLE delta")
    return new, changed, removed, counter_rows


def _point_raw_listing(con: duckdb.DuckDBPyConnection, parts: list[str], *, last_per_id: bool = False) -> None:
    """Re-point the raw.model_listing view at this run's Parquet parts, keeping its comments;
    ``last_per_id``: only the last listed row of each model."""
    comments = con.execute("""
        SELECT column_name, comment FROM duckdb_columns()
        WHERE schema_name = 'raw' AND table_name = 'model_listing' AND comment IS NOT NULL""").fetchall()
    [(view_comment,)] = con.execute("SELECT comment FROM duckdb_views() WHERE schema_name = 'raw' "
                                    "AND view_name = 'model_listing'").fetchall()
    files = ", ".join("'" + str(Path(p).resolve()).replace("'", "''") + "'" for p in parts)
    keep_last = " QUALIFY row_number() OVER (PARTITION BY id ORDER BY listed_pos DESC) = 1" if last_per_id else ""
    con.execute(f"CREATE OR REPLACE VIEW raw.model_listing AS SELECT * FROM read_parquet([{files}]){keep_last}")
    if view_comment:
        con.execute(f"COMMENT ON VIEW raw.model_listing IS {_literal(view_comment)}")
    for column, comment in comments:
        con.execute(f'COMMENT ON COLUMN raw.model_listing."{column}" IS {_literal(comment)}')


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _load_cards(con: duckdb.DuckDBPyConnection, run_id: str, fetched_at: datetime, parts: list[str]):
    con.execute("CREATE OR REPLACE TEMP TABLE landed AS SELECT * FROM read_parquet(?)", [parts])
    rows = con.execute("SELECT count(*) FROM landed").fetchall()[0][0]
    # A bootstrap run's rows name their dump (miners.bootstrap); a crawl's parts have no such column.
    landed_columns = {row[0] for row in con.execute("DESCRIBE landed").fetchall()}
    source = "source" if "source" in landed_columns else "'hub'"
    cards = con.execute(f"""
        INSERT OR IGNORE INTO core.cards
            (model_id, sha, status, size, truncated, utf8_valid, text, fetched_at, run_id, source)
        SELECT id, sha, status, size, truncated, utf8_valid, text, fetched_at, run_id, {source}
        FROM landed WHERE status <> 'error'""").fetchall()[0][0]
    errors = con.execute("""
        INSERT INTO core.card_fetch_errors SELECT id, sha, error, fetched_at, run_id
        FROM landed WHERE status = 'error'""").fetchall()[0][0]
    con.execute("DROP TABLE landed")
    return rows, {"cards": cards, "fetch_errors": errors}


# Order matters: models first, so detail sources load against the listing of the same day.
LOADERS: dict[str, Callable] = {"models": _load_models, "cards": _load_cards, "history": load_history}
