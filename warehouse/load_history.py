"""Loader of the versions miner's runs (source ``history``), with ``warehouse.load.LOADERS``' signature.

A history run folder holds four tables in its parts; the manifest's ``tables`` says which parts hold
which (``miners.history.SCHEMAS``). The loader only gets the part paths, so it reads that map from
the manifest beside them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from miners.landing import read_manifest
from warehouse.db import WarehouseError

TABLES = ("repos", "commits", "files", "refs")


def _tables(run_id: str, parts: list[str]) -> dict[str, list[str]]:
    if not parts:
        raise WarehouseError(f"history run {run_id} has no parts; not loaded")
    run_dir = Path(parts[0]).parent
    tables = read_manifest(run_dir).get("tables") or {}
    missing = [t for t in TABLES if not tables.get(t)]
    if missing:
        raise WarehouseError(f"history run {run_id}: manifest names no parts for {missing}; not loaded")
    return {t: [str(run_dir / name) for name in tables[t]] for t in TABLES}


def load_history(con: duckdb.DuckDBPyConnection, run_id: str, fetched_at: datetime, parts: list[str]):
    """Ingest one history run inside the caller's transaction; returns (rows landed, summary)."""
    tables = _tables(run_id, parts)
    for name in TABLES:
        con.execute(f"CREATE OR REPLACE TEMP TABLE landed_{name} AS SELECT * FROM read_parquet(?)", [tables[name]])
    rows = sum(con.execute(f"SELECT count(*) FROM landed_{name}").fetchall()[0][0] for name in TABLES)
    duplicates = con.execute("SELECT id, commit_id FROM landed_commits GROUP BY ALL HAVING count(*) > 1 "
                             "LIMIT 3").fetchall()
    if duplicates:
        raise WarehouseError(f"history run {run_id} lands a commit more than once, e.g. {duplicates}; not loaded")
    fetches = con.execute("""
        INSERT OR IGNORE INTO core.history_fetches
        SELECT id, sha, status, error, http_status, previous_sha, full_listing, commits_total, new_commits,
               trees_fetched, fetched_at, run_id
        FROM landed_repos""").fetchall()[0][0]
    # A commit seen again (a full relisting) takes its new position and is back in the log; a walked
    # tree stays walked.
    commits = con.execute("""
        INSERT INTO core.commits
        SELECT id, commit_id, seq, date, title, message, authors, tree_fetched, run_id, NULL FROM landed_commits
        ON CONFLICT (model_id, commit_id) DO UPDATE SET
            seq = excluded.seq, removed_run = NULL, tree_fetched = tree_fetched OR excluded.tree_fetched
        """).fetchall()[0][0]
    retired = con.execute("""
        UPDATE core.commits c SET removed_run = $run
        WHERE c.removed_run IS NULL
          AND c.model_id IN (SELECT id FROM landed_repos WHERE status = 'ok' AND full_listing)
          AND NOT EXISTS (SELECT 1 FROM landed_commits l WHERE l.id = c.model_id AND l.commit_id = c.commit_id)
        """, {"run": run_id}).fetchall()[0][0]
    files = con.execute("""
        INSERT OR IGNORE INTO core.commit_files
        SELECT id, commit_id, path, oid, size, lfs_oid, lfs_size, run_id FROM landed_files""").fetchall()[0][0]
    con.execute("DELETE FROM core.refs WHERE model_id IN (SELECT id FROM landed_repos WHERE status = 'ok')")
    refs = con.execute("""
        INSERT OR IGNORE INTO core.refs
        SELECT id, kind, name, ref, target_commit, fetched_at, run_id FROM landed_refs""").fetchall()[0][0]
    errors, disabled = con.execute("SELECT count(*) FILTER (status = 'error'), count(*) FILTER (status = 'disabled') "
                                   "FROM landed_repos").fetchall()[0]
    for name in TABLES:
        con.execute(f"DROP TABLE landed_{name}")
    return rows, {"repos": fetches, "fetch_errors": errors, "disabled": disabled, "commits": commits,
                  "retired_commits": retired, "files": files, "refs": refs}


LOADERS = {"history": load_history}
