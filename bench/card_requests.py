"""Benchmark: requests per card, through hf_hub_download (before) and the cards miner (after), in one run.

Both fetch the README.md of the same models of a generated hub, at the listed sha, from a replay hub
that answers ``resolve`` as the real Hub does (a relative 307 into ``/api/resolve-cache/...``) with
the free tier's RateLimit headers. Prints, for each way: the requests the server saw per bucket and
per card, how many the client counted as resolver requests (what paces it and what the manifest
reports), and the wall time; then the ratios after/before.

    .venv/bin/python bench/card_requests.py [--models 2000] [--cards 500] [--workers 8]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HOME", tempfile.mkdtemp(prefix="hubmine-bench-hf-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generated import generated_hub, hub_options  # noqa: E402
from huggingface_hub import hf_hub_download  # noqa: E402
from huggingface_hub.errors import EntryNotFoundError  # noqa: E402

from core.config import Paths  # noqa: E402
from miners.cards import crawl_cards, fetched_state  # noqa: E402
from miners.hubclient import STATS, resilient  # noqa: E402
from miners.models import changed_models, crawl_models  # noqa: E402
from miners.tiers import RATE_LIMIT_PRESETS  # noqa: E402
from replayhub.server import HubConfig, ReplayHub  # noqa: E402

AS_OF = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


@resilient  # the miners' transport (budget, retries, counting), as the old cards miner ran it
def _download_all(endpoint: str, pairs: list[tuple[str, str]], cache: Path, workers: int) -> None:
    def one(pair: tuple[str, str]) -> None:
        try:
            hf_hub_download(pair[0], "README.md", revision=pair[1], endpoint=endpoint, cache_dir=cache)
        except EntryNotFoundError:
            pass  # a model without a card: one request either way

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, pairs))


def _old_bucket(path: str) -> str:
    """The classification hubmine used before the resolve cache was known to it."""
    if "/resolve/" in path:
        return "resolvers"
    return "api" if path.startswith("/api/") else "pages"


def _measure(hub: ReplayHub, log: Path, run) -> dict:
    hub.reset_stats()
    STATS.reset()
    skip = len(log.read_text().splitlines()) if log.exists() else 0
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    seen = hub.stats
    paths = [json.loads(line)["path"] for line in log.read_text().splitlines()[skip:]]
    return {"server": dict(seen.by_bucket), "resolvers": seen.count("resolvers"),
            "client_resolvers": STATS.by_bucket["resolvers"], "seconds": seconds,
            "old_resolvers": sum(_old_bucket(p) == "resolvers" for p in paths)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    hub_options(parser, models=2000)
    parser.add_argument("--cards", type=int, default=500, help="cards fetched each way")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hubmine-bench-cards-"))
    hub_dir = generated_hub(args.keep or work / "hub", models=args.models, seed=0)
    paths = Paths(work / "home")
    log = work / "requests.jsonl"
    config = HubConfig(rate_limits=dict(RATE_LIMIT_PRESETS["free"]), request_log=log)
    with ReplayHub(hub_dir, config=config) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        todo = changed_models(paths, fetched_state(paths)).slice(0, args.cards)
        pairs = list(zip(todo["id"].to_pylist(), todo["sha"].to_pylist(), strict=True))
        before = _measure(hub, log, lambda: _download_all(hub.url, pairs, work / "hf-cache", args.workers))
        result: list = []
        after = _measure(hub, log, lambda: result.append(
            crawl_cards(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False, max_cards=args.cards,
                        workers=args.workers)))
    cards = len(pairs)
    print(f"{cards} cards ({result[0].ok} with a README, {result[0].missing} without), {args.workers} threads")
    for name, m in (("hf_hub_download (before)", before), ("crawl_cards (after)", after)):
        print(f"{name:26s} server saw {m['server']}: {m['resolvers'] / cards:.2f} resolver requests/card; "
              f"client counts {m['client_resolvers']} as resolvers (the old classification: "
              f"{m['old_resolvers']}); {m['seconds']:.2f} s")
    print(f"after/before: resolver requests {after['resolvers'] / before['resolvers']:.3f}, "
          f"time {after['seconds'] / before['seconds']:.3f}")
    print(f"manifest resolver_requests {result[0].requests} = server {after['resolvers']}: "
          f"{result[0].requests == after['resolvers']}")


if __name__ == "__main__":
    main()
