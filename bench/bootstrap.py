"""Benchmark: a first cards run from the card dump (bootstrap + crawl) against a crawl alone, in one run.

A generated hub at day ``--dump-age`` (``--change`` of the models changed each day) serves the card
dump of its day 0 as the dataset repo ``librarian-bots/model_cards_with_metadata``. Two empty homes
list the models, then one crawls every card and the other bootstraps from the dump and crawls the
rest. Prints the requests the server saw per bucket, the requests per model and the wall time of
each way, the ratios, a check that both landed the same (id, sha) cards, and the first-run Hub time
projected for 2.5M models at the free tier's limits from the measured requests per model, phase by
phase (listing, dump download, cards), each request in the bucket the Hub counts it in (the replay
hub runs without rate limits here: wall time is local work; Hub time is what the limits allow).

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


def _phase_hours(requests: dict[str, float], tier: str) -> float:
    """Hub time of one phase: its requests at each bucket's limit per 5-minute window, the buckets
    drawn on at the same time (the slowest decides)."""
    limits = RATE_LIMIT_PRESETS[tier]
    return max((n / limits[b] * WINDOW_SECONDS for b, n in requests.items() if n), default=0.0) / 3600


def _scaled(requests: dict[str, int], models: int) -> dict[str, float]:
    return {b: n * REAL_MODELS / models for b, n in requests.items()}


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
        a_req, a_s, alone_run = _timed(hub, lambda: crawl_cards(paths=alone, endpoint=hub.url, fetched_at=AS_OF,
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
    print(f"listing (both ways, expand=siblings included): {listing} in {listing_s:.1f}s")
    print(f"crawl alone:          {a_req} = {sum(a_req.values()) / n:.3f} requests/model, {a_s:.1f}s "
          f"({alone_run.no_readme:,} models settled without a request: no README.md listed)")
    print(f"bootstrap + crawl:    {b_req} = {sum(b_req.values()) / n:.3f} requests/model, {b1_s + b2_s:.1f}s "
          f"(bootstrap {b1_req} {b1_s:.1f}s; crawl of the rest {rest.attempted:,} models {b2_req} {b2_s:.1f}s: "
          f"{rest.no_readme:,} without README.md listed, {rest.from_dump:,} dump cards confirmed by one request)")
    print(f"bootstrap+crawl / crawl alone: card requests {sum(b_req.values()) / sum(a_req.values()):.3f} "
          f"({sum(a_req.values()) / sum(b_req.values()):.1f}x fewer), wall time {(b1_s + b2_s) / a_s:.3f}")
    # The crawl alone before the listing named each repo's files: 2 requests a card, 1 (a 404) without README.
    before = 2 * (n - alone_run.no_readme) + alone_run.no_readme
    print(f"crawl alone as it was (a request to learn of each missing README, {before:,} resolver requests) / "
          f"bootstrap + crawl: {before / sum(b_req.values()):.1f}x")
    print(f"same (id, sha) cards landed both ways: {_cards_landed(alone) == _cards_landed(boot)}")

    # Projection to the real Hub at the free tier: the phases run one after the other (the cards need
    # the listing's shas), each at the limits of the buckets it uses. Listing pages and card requests
    # scale with the models; the dump's download is a few requests whatever the size (its files).
    print(f"projected first run, {REAL_MODELS:,} models, free tier (5-min windows: "
          f"{RATE_LIMIT_PRESETS['free']}):")
    listing_h = _phase_hours(_scaled(listing, n), "free")
    for name, phases in (("crawl alone", [_scaled(a_req, n)]),
                         ("bootstrap + crawl", [b1_req, _scaled(b2_req, n)])):
        hours = [listing_h] + [_phase_hours(p, "free") for p in phases]
        print(f"  {name}: {sum(hours):.2f} h of Hub time (listing {listing_h * 60:.1f} min"
              + "".join(f" + {h * 60:.1f} min" for h in hours[1:]) + ")")
    changed_share = b.stale / n
    floor = _phase_hours({"resolvers": changed_share * REAL_MODELS}, "free")
    print(f"  floor at this change rate: {changed_share:.1%} of the models changed since the dump; one resolver "
          f"request each, at least, is {floor:.2f} h (+ the listing {listing_h * 60:.1f} min)")


if __name__ == "__main__":
    main()
