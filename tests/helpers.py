"""Test helpers: hand-made models landing runs (loader and marts without a crawl), generated hubs, warehouse
queries and mart builds, a local HTTP server."""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from core.config import Paths
from miners.landing import LandingRun, rows_table
from miners.models import SCHEMA
from replayhub.snapshot import SnapshotWriter
from replayhub.synth import generate
from warehouse.db import connect_reader, connect_writer

DAY0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


def model(repo_id: str, *, sha: str = "a" * 40, downloads: int = 10, likes: int = 1, tags=("x",),
          card_data: dict | None = None, safetensors_params: dict | None = None) -> dict:
    row = {name: None for name in SCHEMA.names}
    row.update(id=repo_id, author=repo_id.split("/")[0], sha=sha, downloads=downloads, likes=likes,
               tags=list(tags), created_at=DAY0 - timedelta(days=30), listed_pos=0,
               card_data=json.dumps(card_data) if card_data is not None else None,
               safetensors_params=json.dumps(safetensors_params) if safetensors_params else None)
    return row


def land(paths: Paths, run_id: str, fetched_at: datetime, rows: list[dict]) -> None:
    run = LandingRun(paths.landing, "models", run_id)
    run.start()
    for pos, row in enumerate(rows):
        row["listed_pos"] = pos
    run.write_part(rows_table(rows, SCHEMA, run_id, fetched_at))
    run.finish({"fetched_at": fetched_at.isoformat(), "models": len(rows)})


def write_snapshot(directory: Path, infos) -> Path:
    """A hub snapshot at ``directory`` of one model per ``GET /api/models/{id}`` body in ``infos``."""
    with SnapshotWriter(directory, source="test") as writer:
        for info in infos:
            writer.add_model(info)
    return directory


def generated_days(root: Path, *, models: int, seed: int, daily_change: float) -> Path:
    """Day 0 and day 1 of one generated hub, as ``root/day0`` and ``root/day1``."""
    for day in (0, 1):
        generate(root / f"day{day}", models=models, seed=seed, day=day, daily_change=daily_change, progress=False)
    return root


def build_marts(paths: Paths, build) -> dict:
    """``build(con)`` (an analysis's mart build) in one write transaction on the warehouse; its summary."""
    con = connect_writer(paths.warehouse)
    try:
        con.execute("BEGIN")
        summary = build(con)
        con.execute("COMMIT")
    finally:
        con.close()
    return summary


def query(paths: Paths, sql: str, params=None) -> list[tuple]:
    """Rows of ``sql`` on the warehouse, through a short read-only connection."""
    con = connect_reader(paths.warehouse)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def frame(paths: Paths, sql: str):
    """``sql`` on the warehouse as a polars DataFrame."""
    con = connect_reader(paths.warehouse)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


# Columns that say when a load or migration ran, not what the warehouse holds.
VOLATILE_COLUMNS = {"loaded_at", "applied_at"}


def warehouse_checksums(paths: Paths) -> dict[str, tuple[int, int]]:
    """(rows, order-independent hash sum of every row) of every table in the warehouse."""
    con = connect_reader(paths.warehouse)
    try:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT temporary "
                             "ORDER BY ALL").fetchall()
        out = {}
        for schema, table in tables:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                "ORDER BY column_index", [schema, table]).fetchall() if c not in VOLATILE_COLUMNS]
            row_hash = f"hash({', '.join(chr(34) + c + chr(34) for c in columns)})"
            rows, total = con.execute(f'SELECT count(*), coalesce(sum({row_hash}::HUGEINT), 0) '
                                      f'FROM "{schema}"."{table}"').fetchall()[0]
            out[f"{schema}.{table}"] = (rows, int(total))
        return out
    finally:
        con.close()


def requests_during_429_blocks(log_rows: list[dict]) -> list[tuple[dict, list[dict]]]:
    """For each 429 in a replay-hub request log: the requests to the same bucket that arrived after
    the 429 was answered and before its window reset."""
    out = []
    by_bucket: dict[str, list[dict]] = {}
    for row in sorted(log_rows, key=lambda r: r["arrived"]):
        by_bucket.setdefault(row["bucket"], []).append(row)
    for rows in by_bucket.values():
        arrivals = [r["arrived"] for r in rows]
        for r in rows:
            if r["status"] == 429:
                lo = bisect.bisect_right(arrivals, r["done"])
                hi = bisect.bisect_left(arrivals, r["reset_at"])
                out.append((r, rows[lo:hi]))
    return out


@contextmanager
def local_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[tuple[ThreadingHTTPServer, str]]:
    """``handler`` served on a free local port from a thread: (the server, its URL); stopped after."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
