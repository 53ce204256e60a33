"""Benchmark: a crawl (models, cards, history) + load of a generated hub, fault-free and with 5% faults.

Prints, for each run: wall time per miner, requests per bucket, retries per reason, 429s, seconds
threads spent waiting for budget; then whether the two warehouses are identical (per-table
checksums) and whether any request reached a bucket inside a 429's block (beyond the ones already
in flight). One run, same machine, so compare the two times with each other, not across machines.

    .venv/bin/python bench/faults.py [--models 20000] [--max-cards 600] [--top-n 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HOME", tempfile.mkdtemp(prefix="hubmine-bench-hf-"))
# As in the tests: a short read timeout (timeout faults stall longer) and short backoffs.
os.environ.setdefault("HUBMINE_HTTP_TIMEOUT", "2")
os.environ.setdefault("HUBMINE_RETRY_BASE_SECONDS", "0.01")
os.environ.setdefault("HUBMINE_RETRY_CAP_SECONDS", "0.1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from generated import generated_hub, hub_options  # noqa: E402
from helpers import requests_during_429_blocks, warehouse_checksums  # noqa: E402

from core.config import Paths  # noqa: E402
from miners.cards import crawl_cards  # noqa: E402
from miners.history import crawl_history  # noqa: E402
from miners.hubclient import STATS  # noqa: E402
from miners.models import crawl_models  # noqa: E402
from replayhub.server import HubConfig, ReplayHub  # noqa: E402
from warehouse.load import load_pending  # noqa: E402

AS_OF = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
# The mix of tests/test_faults.py: 5% of each bucket's requests.
FIVE_PERCENT = {
    "429": 0.008, "timeout": 0.006,
    "5xx": {"api": 0.01, "resolvers": 0.012},
    "reset": {"api": 0.01, "resolvers": 0.012},
    "truncated": {"api": 0.008, "resolvers": 0.024},
    "broken_link": {"api": 0.008},
}


def run(paths: Paths, hub_dir: Path, config: HubConfig, args) -> dict:
    STATS.reset()
    times = {}
    with ReplayHub(hub_dir, config=config) as hub:
        for name, call in (
                ("models", lambda: crawl_models(paths=paths, endpoint=hub.url, run_id="day0", fetched_at=AS_OF,
                                                progress=False)),
                ("cards", lambda: crawl_cards(paths=paths, endpoint=hub.url, run_id="day0", fetched_at=AS_OF,
                                              max_cards=args.max_cards, progress=False)),
                ("history", lambda: crawl_history(paths=paths, endpoint=hub.url, run_id="day0", fetched_at=AS_OF,
                                                  top_n=args.top_n, progress=False))):
            started = time.perf_counter()
            result = call()
            times[name] = round(time.perf_counter() - started, 2)
            if getattr(result, "errors", 0):
                print(f"  {name}: {result.errors} errors")
    started = time.perf_counter()
    load_pending(paths)
    times["load"] = round(time.perf_counter() - started, 2)
    return {"seconds": times, "client": STATS.summary()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    hub_options(parser, models=20_000)
    parser.add_argument("--max-cards", type=int, default=600)
    parser.add_argument("--top-n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7, help="Seed of the injected faults.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hubmine-bench-faults-"))
    try:
        hub_dir = generated_hub(args.keep or work / "hub", models=args.models, seed=11)
        clean_paths, faulty_paths = Paths(work / "clean"), Paths(work / "faulty")
        log = work / "faulty.jsonl"
        clean = run(clean_paths, hub_dir, HubConfig(), args)
        print(f"fault-free: {json.dumps(clean)}")
        faulty = run(faulty_paths, hub_dir, HubConfig(faults=FIVE_PERCENT, seed=args.seed, run_label="day0",
                                                      window_seconds=1, stall_seconds=2.5, request_log=log), args)
        print(f"5% faults:  {json.dumps(faulty)}")
        rows = [json.loads(line) for line in log.read_text().splitlines()]
        faults = Counter(f"{r['bucket']}:{r['fault']}" for r in rows if r.get("fault"))
        print(f"injected:   {sum(faults.values())} faults in {len(rows)} requests "
              f"({sum(faults.values()) / len(rows):.2%}): {dict(sorted(faults.items()))}")
        blocks = requests_during_429_blocks(rows)
        print(f"429 blocks: {len(blocks)} 429s; requests arriving inside a block (in flight when it began): "
              f"max {max((len(d) for _, d in blocks), default=0)}, total {sum(len(d) for _, d in blocks)}")
        same = warehouse_checksums(clean_paths) == warehouse_checksums(faulty_paths)
        total = {k: round(sum(r["seconds"].values()), 1) for k, r in (("fault-free", clean), ("faulty", faulty))}
        print(f"warehouses identical: {same}; crawl+load seconds {total}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
