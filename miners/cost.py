"""What a crawl will cost, said before it starts: the requests it needs in its rate-limit bucket, and
how long the Hub's limit for an account tier makes them take.

A first crawl of the real Hub is long (some 2,500 listing pages, then a card per model), so the
crawl commands and the DAG tasks say so up front (``hubmine.cli``, ``hubmine.tasks``). The counts
come from what the miners know before fetching: the repos whose sha changed for cards and history,
the previous listing's size for the models listing (unknown on a first run: then the cost of a page).
Time is the rate limit's: requests / (limit per window) x window. It is a floor: latency, retries
and 429 waits only add to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.config import Paths
from miners.landing import complete_runs, read_manifest
from miners.tiers import RATE_LIMIT_PRESETS, WINDOW_SECONDS

LISTING_PAGE = 1000   # models per /api/models page: the Hub's maximum, which a listing without limit= gets
CARD_REQUESTS = 2     # resolver requests per card, at most (resolve at the pinned sha, then its redirect)
HISTORY_REQUESTS = 3  # api requests per changed repo, at least (its refs, one log page, one tree walk)


@dataclass(frozen=True)
class Cost:
    """The requests a crawl will send to one bucket: ``requests`` (None: not known before it runs),
    a bound on it (``at most``, ``at least`` or exact: ``""``), and what they buy, per request."""

    what: str
    bucket: str
    requests: int | None
    bound: str
    unit: str


def models_cost(previous_models: int | None) -> Cost:
    """The listing: one request per page of 1,000 models, as many pages as the previous listing had
    models (None: a first run, the count is not known)."""
    if previous_models is None:
        return Cost("models listing (first run, size unknown)", "api", None, "", f"1 request per {LISTING_PAGE:,} models")
    pages = max(1, math.ceil(previous_models / LISTING_PAGE))
    return Cost(f"models listing ({previous_models:,} models last run)", "api", pages, "",
                f"1 request per {LISTING_PAGE:,} models")


def cards_cost(cards: int) -> Cost:
    return Cost(f"{cards:,} cards to fetch", "resolvers", CARD_REQUESTS * cards, "at most",
                f"{CARD_REQUESTS} per card")


def history_cost(repos: int) -> Cost:
    return Cost(f"history of {repos:,} changed repos", "api", HISTORY_REQUESTS * repos, "at least",
                f"{HISTORY_REQUESTS} per repo: refs, a log page and a tree; more for long new logs")


def seconds(requests: int, bucket: str, tier: str, share: float = 1.0) -> float | None:
    """How long ``requests`` take at ``share`` of ``tier``'s limit of ``bucket`` (None: no limit)."""
    limits = RATE_LIMIT_PRESETS.get(tier)
    if limits is None:
        return None
    return requests * WINDOW_SECONDS / (limits[bucket] * share)


def human(duration: float) -> str:
    if duration < 90:
        return f"{duration:.1f} s"
    if duration < 90 * 60:
        return f"{duration / 60:.1f} min"
    return f"{duration / 3600:.1f} h"


def describe(cost: Cost, tier: str, share: float = 1.0) -> str:
    """One line: what is to do, its requests and the time they take at ``tier`` (``share`` of it:
    a paced task's slot)."""
    limits = RATE_LIMIT_PRESETS.get(tier)
    if limits is None:
        rate = f"the {tier} tier has no rate limit: the time depends on the hub alone"
    else:
        rate = f"the {tier} tier's {limits[cost.bucket]:,} {cost.bucket} requests / {WINDOW_SECONDS // 60} min"
        if share != 1.0:
            rate = f"{share:.1%} of {rate}"
    if cost.requests is None:
        per_page = seconds(1, cost.bucket, tier, share)
        each = f", {human(per_page)} each" if per_page is not None else ""
        return f"cost: {cost.what}: {cost.unit}{each} at {rate}"
    requests = f"{cost.bound} {cost.requests:,} {cost.bucket} request{'' if cost.requests == 1 else 's'}".strip()
    duration = seconds(cost.requests, cost.bucket, tier, share)
    took = f"{'at least ' if cost.bound == 'at least' else ''}{human(duration)} at {rate}" if duration is not None \
        else rate
    return f"cost: {cost.what}: {requests} ({cost.unit}), {took}"


def previous_listing_size(paths: Paths) -> int | None:
    """Models the newest finished models listing held (None: there is none yet)."""
    runs = complete_runs(paths.landing, "models")
    return int(read_manifest(runs[-1])["models"]) if runs else None
