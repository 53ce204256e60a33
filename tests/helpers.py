"""Test helpers: hand-made models landing runs (loader and marts without a crawl), warehouse queries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hubmine.config import Paths
from miners.landing import LandingRun, rows_table
from miners.models import SCHEMA
from warehouse.db import connect_reader

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
