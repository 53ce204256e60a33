"""Benchmark: crawl + load of a generated hub (default 100k models).

Prints requests per model, crawl and load rows/s, and load time, each beside a baseline measured in
the same run on the same machine (these machines are noisy: compare ratios, not seconds):
- crawl baseline: the same listing pages fetched with plain httpx2 and json-decoded, nothing else;
- load baseline: DuckDB merely counting the landed Parquet rows.

    .venv/bin/python bench/crawl_load.py [--models 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import httpx2
from generated import generated_hub, hub_options

from core.config import Paths
from miners.models import EXPAND, crawl_models
from replayhub.server import HubConfig, ReplayHub
from warehouse.load import load_pending


def raw_listing(url: str) -> tuple[int, int]:
    """Walk the listing with bare HTTP: (models, requests)."""
    params = [("expand", e) for e in EXPAND]
    models = requests = 0
    next_url: str | None = f"{url}/api/models"
    with httpx2.Client(timeout=60) as client:
        while next_url:
            response = client.get(next_url, params=params if requests == 0 else None)
            response.raise_for_status()
            models += len(response.json())
            requests += 1
            next_url = response.links.get("next", {}).get("url")
    return models, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    hub_options(parser, models=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hubmine-bench-"))
    hub_dir = generated_hub(args.keep or work / "hub", models=args.models, seed=args.seed, progress=True)
    paths = Paths(work / "home")
    log = work / "requests.jsonl"
    try:
        with ReplayHub(hub_dir, config=HubConfig(request_log=log)) as hub:
            started = time.perf_counter()
            base_models, base_requests = raw_listing(hub.url)
            base_seconds = time.perf_counter() - started
            baseline_lines = len(log.read_text().splitlines())
            result = crawl_models(paths=paths, endpoint=hub.url, run_id="bench", progress=True)
        requests = [json.loads(line) for line in log.read_text().splitlines()[baseline_lines:]]
        per_repo = sum(1 for r in requests if r["path"] != "/api/models")

        started = time.perf_counter()
        [loaded] = load_pending(paths)
        load_seconds = time.perf_counter() - started
        parts = sorted(str(p) for p in result.run_dir.glob("part-*.parquet"))
        started = time.perf_counter()
        duckdb.sql("SELECT count(*) FROM read_parquet($p)", params={"p": parts}).fetchall()
        scan_seconds = time.perf_counter() - started

        print(f"models listed:          {result.models:,}  (bare-HTTP walk saw {base_models:,})")
        print(f"listing requests:       {len(requests):,}  = {len(requests) / result.models:.4f} per model "
              f"(bare walk: {base_requests:,}); per-repo requests: {per_repo}")
        print(f"crawl:                  {result.seconds:.2f}s = {result.models / result.seconds:,.0f} models/s")
        print(f"  baseline bare HTTP:   {base_seconds:.2f}s = {base_models / base_seconds:,.0f} models/s"
              f"  -> crawl/baseline time ratio {result.seconds / base_seconds:.2f}")
        print(f"load:                   {load_seconds:.2f}s = {loaded.rows / load_seconds:,.0f} rows/s")
        print(f"  baseline parquet scan: {scan_seconds:.3f}s  -> load/scan time ratio {load_seconds / scan_seconds:.1f}")
        print(f"warehouse size:         {paths.warehouse.stat().st_size / 2**20:.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
