"""Benchmark: a first cards run from the card dump (bootstrap + crawl) against a crawl alone, in one run.

A generated hub at day ``--dump-age`` (``--change`` of the models changed each day) serves the card
dump of its day 0 as the dataset repo ``librarian-bots/model_cards_with_metadata``. Two empty homes
list the models, then one crawls every card and the other bootstraps from the dump and crawls the
rest. Prints the requests the server saw per bucket, the requests per model and the wall time of
each way, the ratios, a check that both landed the same (id, sha) cards, and the first-run Hub time
projected for 2.5M models at the free tier's limits from the measured requests per model (the
replay hub runs without rate limits here: wall time is local work; Hub time is what the limits allow).

    .venv/bin/python bench/bootstrap.py [--models 100000] [--dump-age 3] [--change 0.03] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HOME", tempfile.mkdtemp(prefix="hubmine-bench-hf-"))

import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from core.config import Paths  # noqa: E402
from miners.bootstrap import bootstrap_cards  # noqa: E402
from miners.cards import crawl_cards  # noqa: E402
from miners.landing import complete_runs, read_manifest  # noqa: E402
from miners.models import crawl_models  # noqa: E402
from miners.tiers import RATE_LIMIT_PRESETS, WINDOW_SECONDS  # noqa: E402
from replayhub.datasets import read_repo  # noqa: E402
from replayhub.server import ReplayHub  # noqa: E402
from replayhub.snapshot import DB_NAME  # noqa: E402
from replayhub.synth import generate  # noqa: E402
from replayhub.synth.card_dump import DEFAULT_REPO, publish_card_dump  # noqa: E402

AS_OF = datetime(2026, 11, 5, tzinfo=UTC)
REAL_MODELS = 2_500_000
REAL_DUMP_ROWS = 600_000  # the real dump's size as issue 17 gives it ("600k+ rows")


def _hubs(root: Path, models: int, age: int, change: float) -> Path:
    for day in (0, age):
        if not (root / f"day{day}" / DB_NAME).is_file():
            started = time.perf_counter()
            generate(root / f"day{day}", models=models, seed=0, day=day, daily_change=change, progress=False)
            print(f"generate day {day}: {models:,} models in {time.perf_counter() - started:.1f}s")
    if read_repo(root / f"day{age}", DEFAULT_REPO) is None:
        started = time.perf_counter()
        publish_card_dump(root / "day0", root / f"day{age}")
        print(f"card dump of day 0: {time.perf_counter() - started:.1f}s")
    return root / f"day{age}"


def _timed(hub: ReplayHub, step) -> tuple[dict, float, object]:
    hub.reset_stats()
    started = time.perf_counter()
    result = step()
    return dict(hub.stats.by_bucket), time.perf_counter() - started, result


def _cards_landed(paths: Paths) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for run in complete_runs(paths.landing, "cards"):
        for part in read_manifest(run)["parts"]:
            table = pq.read_table(run / part, columns=["id", "sha", "status"])
            table = table.filter(pc.not_equal(table["status"], "error"))
            out |= set(zip(table["id"].to_pylist(), table["sha"].to_pylist(), strict=True))
    return out


def _hours(requests_per_model: dict[str, float], models: int, tier: str) -> float:
    """Hub time of a run: each bucket's requests at its limit per 5-minute window; buckets run in parallel."""
    limits = RATE_LIMIT_PRESETS[tier]
    return max(n * models / limits[b] * WINDOW_SECONDS for b, n in requests_per_model.items() if n) / 3600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--dump-age", type=int, default=3, help="days between the dump and the crawl")
    parser.add_argument("--change", type=float, default=0.03, help="share of models changed each day")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="Reuse/keep the generated hubs in this folder.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hubmine-bench-bootstrap-"))
    hub_dir = _hubs(args.keep or work / "hubs", args.models, args.dump_age, args.change)
    alone, boot = Paths(work / "crawl-alone"), Paths(work / "bootstrap")
    with ReplayHub(hub_dir) as hub:
        listing, listing_s, _ = _timed(hub, lambda: crawl_models(paths=alone, endpoint=hub.url, fetched_at=AS_OF,
                                                                 progress=False))
        crawl_models(paths=boot, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        a_req, a_s, _ = _timed(hub, lambda: crawl_cards(paths=alone, endpoint=hub.url, fetched_at=AS_OF,
                                                        workers=args.workers, progress=False))
        b1_req, b1_s, b = _timed(hub, lambda: bootstrap_cards(paths=boot, endpoint=hub.url, fetched_at=AS_OF,
                                                              progress=False))
        b2_req, b2_s, rest = _timed(hub, lambda: crawl_cards(paths=boot, endpoint=hub.url, fetched_at=AS_OF,
                                                             workers=args.workers, progress=False))
    b_req = {k: b1_req.get(k, 0) + b2_req.get(k, 0) for k in set(b1_req) | set(b2_req)}
    n = args.models
    print(f"{n:,} models, dump {args.dump_age} days old at {args.change:.0%} daily change: the dump holds "
          f"{b.dump_rows:,} cards, {b.landed:,} current, {b.stale:,} changed since; "
          f"{n - b.dump_rows:,} models are not in it (no README on day 0)")
    print(f"listing (both ways): {listing} in {listing_s:.1f}s")
    print(f"crawl alone:          {a_req} = {sum(a_req.values()) / n:.3f} requests/model, {a_s:.1f}s")
    print(f"bootstrap + crawl:    {b_req} = {sum(b_req.values()) / n:.3f} requests/model, {b1_s + b2_s:.1f}s "
          f"(bootstrap {b1_req} {b1_s:.1f}s; crawl of the rest {rest.attempted:,} models {b2_req} {b2_s:.1f}s)")
    print(f"bootstrap+crawl / crawl alone: card requests {sum(b_req.values()) / sum(a_req.values()):.3f} "
          f"({sum(a_req.values()) / sum(b_req.values()):.1f}x fewer), wall time {(b1_s + b2_s) / a_s:.3f}")
    print(f"same (id, sha) cards landed both ways: {_cards_landed(alone) == _cards_landed(boot)}")

    # Projection: the measured requests per model, scaled to the real Hub at the free tier.
    per_model_listing = {k: v / n for k, v in listing.items()}
    for name, req in (("crawl alone", a_req), ("bootstrap + crawl", b_req)):
        per_model = {k: (listing.get(k, 0) + req.get(k, 0)) / n for k in set(listing) | set(req)}
        print(f"projected first run, {REAL_MODELS:,} models, free tier, {name}: "
              f"{_hours(per_model, REAL_MODELS, 'free'):.2f} h of Hub time (listing included)")
    # The real dump covers fewer models than this hub's (which holds every card of day 0): models
    # absent from it cost what the crawl alone costs per model.
    covered = REAL_DUMP_ROWS / REAL_MODELS
    stale_share = b.stale / b.dump_rows if b.dump_rows else 0
    crawl_per_model = {k: v / n for k, v in a_req.items()}
    per_card = crawl_per_model.get("resolvers", 0)
    real = {"resolvers": per_card * ((1 - covered) + covered * stale_share),
            "api": per_model_listing.get("api", 0)}
    print(f"with the real dump's coverage ({REAL_DUMP_ROWS:,} of {REAL_MODELS:,} models, {stale_share:.1%} "
          f"of them changed since as here): {_hours(real, REAL_MODELS, 'free'):.1f} h of Hub time")


if __name__ == "__main__":
    main()
