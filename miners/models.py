"""Models miner: list every model on the Hub with one paginated, expanded listing.

One ``/api/models?expand=…`` walk (the request ``HfApi.list_models(expand=…)`` sends) returns up to 1,000 models a request with everything the daily
snapshot needs (counters, sha, dates, tags, card metadata), so listing the whole Hub costs about
one request per thousand models and no per-repo requests at all. The listed sha of every model is
kept in ``state/models_listed.parquet`` so that detail miners fetch only repos whose sha changed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import build_hf_headers, paginate
from tqdm import tqdm

from hubmine.config import Paths, hub_endpoint, progress_disabled
from miners.hubclient import STATS, hub_api, resilient
from miners.landing import LandingRun, new_run_id, read_manifest
from miners.state import catch_up, record_run, with_run_id

SOURCE = "models"
STATE_FILE = "models_listed.parquet"

# baseModels is refused by the Hub in listings (only model_info has it); lineage comes from the
# `base_model:<relation>:<id>` tags and cardData instead.
EXPAND = [
    "author", "sha", "createdAt", "lastModified", "downloads", "likes", "trendingScore", "private",
    "gated", "disabled", "pipeline_tag", "library_name", "tags", "cardData", "safetensors",
]

SCHEMA = pa.schema([
    ("run_id", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
    ("listed_pos", pa.int64()),
    ("id", pa.string()),
    ("author", pa.string()),
    ("sha", pa.string()),
    ("created_at", pa.timestamp("ms", tz="UTC")),
    ("last_modified", pa.timestamp("ms", tz="UTC")),
    ("downloads", pa.int64()),
    ("likes", pa.int64()),
    ("trending_score", pa.float64()),
    ("private", pa.bool_()),
    ("gated", pa.string()),
    ("disabled", pa.bool_()),
    ("pipeline_tag", pa.string()),
    ("library_name", pa.string()),
    ("tags", pa.list_(pa.string())),
    ("card_data", pa.string()),
    ("safetensors_total", pa.int64()),
    ("safetensors_params", pa.string()),
])

STATE_SCHEMA = pa.schema([("id", pa.string()), ("sha", pa.string()), ("run_id", pa.string())])


class CrawlError(Exception):
    """The listing failed; the message names the page (models listed so far) and the Hub's answer."""


@dataclass
class CrawlResult:
    run_id: str
    run_dir: Path
    models: int
    requests: int
    seconds: float
    new: int
    changed: int
    parts: list[str] = field(default_factory=list)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _row(item: dict[str, Any], pos: int) -> dict[str, Any]:
    card = item.get("cardData")
    st = item.get("safetensors") or {}
    gated = item.get("gated")
    return {
        "listed_pos": pos,
        "id": item["id"],
        "author": item.get("author"),
        "sha": item.get("sha"),
        "created_at": _when(item.get("createdAt")),
        "last_modified": _when(item.get("lastModified")),
        "downloads": item.get("downloads"),
        "likes": item.get("likes"),
        "trending_score": item.get("trendingScore"),
        "private": item.get("private"),
        "gated": None if gated is None else str(gated).lower(),
        "disabled": item.get("disabled"),
        "pipeline_tag": item.get("pipeline_tag"),
        "library_name": item.get("library_name"),
        "tags": item.get("tags"),
        "card_data": json.dumps(card, sort_keys=True, default=str) if card else None,
        "safetensors_total": st.get("total"),
        "safetensors_params": json.dumps(st["parameters"], sort_keys=True) if st.get("parameters") else None,
    }


@resilient
def crawl_models(*, paths: Paths, endpoint: str | None = None, token: str | bool | None = None,
                 run_id: str | None = None, fetched_at: datetime | None = None,
                 part_rows: int = 100_000, progress: bool = True) -> CrawlResult:
    """List every model into a new landing run and update the listed-sha state.

    Args:
        paths: hubmine home folders.
        endpoint: the Hub (default ``$HF_ENDPOINT`` or huggingface.co).
        token: an HF token, or None for the client's own lookup. Never written anywhere.
        run_id: defaults to the UTC start time; re-running an unfinished run id starts it over.
        fetched_at: the time the listing stands for (default: now); lets replayed historical
            snapshots keep their own dates.
    Raises:
        CrawlError: the Hub answered with an error; parts landed so far stay on disk, the run
            stays incomplete (no manifest) and earlier runs are untouched.
    """
    started = time.monotonic()
    fetched_at = fetched_at or datetime.now(UTC)
    run = LandingRun(paths.landing, SOURCE, run_id or new_run_id(fetched_at))
    listed_state(paths)  # a run whose state write was killed is folded in, even when this one stops here
    run.start()
    endpoint = hub_endpoint(endpoint)
    api = hub_api(endpoint, token)
    headers = build_hf_headers(token=api.token, library_name="hubmine")
    requests_before = STATS.by_bucket["api"]
    rows: list[dict[str, Any]] = []
    tables: list[pa.Table] = []
    count = 0
    bar = tqdm(desc="listing models", unit=" models", disable=progress_disabled(progress), mininterval=0.5)
    try:
        # The library's own paginator, not list_models: list_models turns cardData into
        # ModelCardData, which drops an invalid model-index (logging a warning per model) and
        # rewrites a valid one; the warehouse keeps card metadata exactly as the Hub served it.
        for item in paginate(f"{api.endpoint}/api/models", params={"expand": EXPAND}, headers=headers):
            rows.append(_row(item, count))
            count += 1
            if len(rows) >= part_rows:
                tables.append(_land(run, rows, fetched_at))
                bar.update(len(rows))
                rows = []
    except (HfHubHTTPError, httpx2.TransportError) as exc:
        raise CrawlError(f"listing models failed after {count} models (page {count // 1000 + 1}) "
                         f"at {endpoint}: {exc}") from exc
    finally:
        bar.close()
    if rows or not tables:
        tables.append(_land(run, rows, fetched_at))
        bar.update(len(rows))
    listed = pa.concat_tables(tables)
    new, changed = _diff_state(paths, listed)
    seconds = time.monotonic() - started
    requests = STATS.by_bucket["api"] - requests_before
    run.finish({"fetched_at": fetched_at.isoformat(), "endpoint": endpoint, "models": count,
                "api_requests": requests, "new": new, "changed": changed, "seconds": round(seconds, 3)})
    # State after the manifest, never before (it must not name a listing no finished run holds); a
    # kill in between leaves it one run behind, and the next listed_state() folds this run in.
    _write_state(paths, listed, run.run_id)
    return CrawlResult(run.run_id, run.dir, count, requests, seconds, new, changed, [p.name for p in run.parts])


def _land(run: LandingRun, rows: list[dict[str, Any]], fetched_at: datetime) -> pa.Table:
    return run.write_rows(rows, SCHEMA, fetched_at).select(["id", "sha"])


def listed_state(paths: Paths) -> pa.Table:
    """The latest listed sha of every model: ``id, sha, run_id`` (empty before the first crawl)."""
    return catch_up(paths, STATE_FILE, STATE_SCHEMA, SOURCE, _listed_in, replace=True)


def _listed_in(run_dir: Path) -> pa.Table:
    parts = read_manifest(run_dir)["parts"]
    return pa.concat_tables(pq.read_table(run_dir / p, columns=["id", "sha", "run_id"]) for p in parts)


def _diff_state(paths: Paths, listed: pa.Table) -> tuple[int, int]:
    """(models new since the last listing, models whose sha changed)."""
    previous = listed_state(paths)
    differing = sha_changes(listed.select(["id", "sha"]), previous)
    changed = pc.sum(pc.is_in(differing["id"], previous["id"])).as_py() or 0
    return differing.num_rows - changed, changed


def _write_state(paths: Paths, listed: pa.Table, run_id: str) -> None:
    record_run(paths, STATE_FILE, STATE_SCHEMA, with_run_id(listed.select(["id", "sha"]), run_id), run_id,
               replace=True)


def sha_changes(current: pa.Table, seen: pa.Table) -> pa.Table:
    """Rows (``id, sha``) of ``current`` that are absent from ``seen`` or carry another sha."""
    seen = seen.select(["id", "sha"]).rename_columns(["id", "seen_sha"])
    joined = current.select(["id", "sha"]).join(seen, "id", join_type="left outer")
    mask = pc.or_kleene(pc.is_null(joined["seen_sha"]), pc.not_equal(joined["sha"], joined["seen_sha"]))
    return joined.filter(pc.fill_null(mask, True)).select(["id", "sha"])


def changed_models(paths: Paths, seen: pa.Table) -> pa.Table:
    """Listed models a detail miner has not fetched at their listed sha: the only repos worth a
    per-repo request. ``seen`` holds the ``id, sha`` pairs that miner already has."""
    return sha_changes(listed_state(paths), seen)
