"""Cards miner: README.md of every model whose listed sha is new or changed, at exactly that sha.

The models miner's listing says which sha each repo has; ``state/cards_fetched.parquet`` says at
which sha we already hold its card. Only the difference costs requests (one GET on the resolvers
bucket, which the Hub answers with a 307 into its resolve cache: 2 requests a card, 1 without a
README), so an unchanged Hub costs nothing here. A repo
without README.md is a recorded "missing" card, not an error; a failed fetch is recorded as an
error and retried on the next run.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from huggingface_hub import hf_hub_url
from huggingface_hub.errors import (
    DisabledRepoError,
    HfHubHTTPError,
    HFValidationError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
)
from huggingface_hub.utils import build_hf_headers, hf_raise_for_status, http_stream_backoff, validate_repo_id
from tqdm import tqdm

from core.config import Paths, hub_endpoint, progress_disabled
from miners.hubclient import STATS, resilient
from miners.landing import LandingRun, new_run_id, read_manifest
from miners.models import changed_models
from miners.shards import Shard
from miners.state import catch_up, record_run, with_run_id

SOURCE = "cards"
STATE_FILE = "cards_fetched.parquet"
# Cards above this size are cut (and flagged): a 50 MB README is an attack or an accident, not a card.
MAX_CARD_BYTES = 8 * 2**20
# Must stay <= resilience.CHECK_BODY_BYTES: the transport hashes (and retries) every body up to that
# size, so a body it lets through unchecked is longer than the cut, and its first bytes are right.

SCHEMA = pa.schema([
    ("run_id", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
    ("id", pa.string()),
    ("sha", pa.string()),
    ("status", pa.string()),      # ok | missing | repo_missing | disabled | error
    ("error", pa.string()),
    ("size", pa.int64()),         # bytes of README.md as served
    ("truncated", pa.bool_()),
    ("utf8_valid", pa.bool_()),   # false: undecodable bytes were replaced by U+FFFD in `text`
    ("text", pa.string()),        # README.md as text; Parquet stores it zstd-compressed
])
STATE_SCHEMA = pa.schema([("id", pa.string()), ("sha", pa.string()), ("run_id", pa.string())])


@dataclass
class CardsResult:
    run_id: str
    run_dir: Path
    attempted: int
    ok: int
    missing: int
    errors: int
    requests: int
    seconds: float
    disabled: int = 0  # repos the Hub refuses as disabled: settled until their listed sha changes


def fetched_state(paths: Paths, shard: Shard | None = None) -> pa.Table:
    """The cards fetched so far (``id, sha, run_id``), finished runs caught up: all of them, or with
    ``shard`` that shard's own (written to its state part only; see ``miners.state``)."""
    return catch_up(paths, STATE_FILE, STATE_SCHEMA, SOURCE, _settled_in, shard=shard)


def _settled_in(run_dir: Path) -> pa.Table:
    parts = read_manifest(run_dir)["parts"]
    landed = pa.concat_tables(pq.read_table(run_dir / p, columns=["id", "sha", "status", "run_id"]) for p in parts)
    return landed.filter(pc.not_equal(landed["status"], "error"))


def _fetch(endpoint: str, token, repo_id: str, sha: str) -> dict:
    row = {"id": repo_id, "sha": sha, "status": "ok", "error": None, "size": None, "truncated": False,
           "utf8_valid": None, "text": None}
    try:
        validate_repo_id(repo_id)
        url = hf_hub_url(repo_id, "README.md", revision=sha, endpoint=endpoint)
        # huggingface_hub's shared session (hubmine's transport under it) and its retry loop; the
        # session follows the Hub's same-host 307 into the resolve cache.
        with http_stream_backoff("GET", url, headers=build_hf_headers(token=token), follow_redirects=True) as answer:
            hf_raise_for_status(answer)
            data = _read_capped(answer)
    except RemoteEntryNotFoundError:
        # The Hub's 404 with X-Error-Code EntryNotFound: the repo is there, its README is not.
        row["status"] = "missing"
        return row
    except RepositoryNotFoundError:
        row["status"] = "repo_missing"
        return row
    except DisabledRepoError:
        # Settled until the listing shows a new sha: asking again every run would get the same 403.
        row["status"] = "disabled"
        return row
    except (HfHubHTTPError, HFValidationError, httpx2.TransportError, OSError) as exc:
        # HFValidationError: a listed id the Hub could not have (e.g. "../" or 300 characters)
        row.update(status="error", error=f"{type(exc).__name__}: {exc}"[:2000])
        return row
    row["truncated"] = len(data) > MAX_CARD_BYTES
    data = data[:MAX_CARD_BYTES]
    try:
        text, valid = data.decode("utf-8"), True
    except UnicodeDecodeError:
        text, valid = data.decode("utf-8", errors="replace"), False
    row.update(size=len(data), utf8_valid=valid, text=text)
    return row


def _read_capped(answer: httpx2.Response) -> bytes:
    """The body's first ``MAX_CARD_BYTES + 1`` bytes (one more tells that it was cut); the rest is never read."""
    data = bytearray()
    for chunk in answer.iter_bytes():
        data += chunk
        if len(data) > MAX_CARD_BYTES:
            break
    return bytes(data[:MAX_CARD_BYTES + 1])


def plan_cards(paths: Paths, *, shard: Shard | None = None, max_cards: int | None = None) -> pa.Table:
    """The cards a ``crawl_cards`` with these arguments fetches (``id, sha``, in listing order): the
    listed models whose sha has no card yet, in ``shard``, the first ``max_cards``."""
    todo = changed_models(paths, fetched_state(paths, shard))
    if shard is not None:
        todo = shard.filter(todo)
    return todo if max_cards is None else todo.slice(0, max_cards)


@resilient
def crawl_cards(*, paths: Paths, endpoint: str | None = None, token: str | bool | None = None,
                run_id: str | None = None, fetched_at: datetime | None = None, workers: int = 8,
                part_rows: int = 20_000, max_cards: int | None = None, progress: bool = True,
                shard: Shard | None = None, plan: pa.Table | None = None) -> CardsResult:
    """Fetch the cards of every listed model whose sha we have no card for yet.

    Needs a models listing first (``crawl_models``). Errors per repo are landed as rows, never raised.
    ``max_cards`` caps the fetches of one run (the first ones in listing order; the rest wait for the
    next run), e.g. to stay within an anonymous resolvers quota.
    With ``shard``, only that shard's repos (``max_cards`` then caps this shard's run): the run lands
    as ``<run_id>-shard-<i>of<n>`` and only that shard's state part is written (and caught up), so
    the shards of one run can crawl at the same time. (Give the shards of one run the same
    ``fetched_at``: the loader refuses a run older than one it loaded.)
    ``plan``: what :func:`plan_cards` gave for the same shard and ``max_cards`` (to announce its cost
    first without working it out twice).
    """
    started = time.monotonic()
    fetched_at = fetched_at or datetime.now(UTC)
    endpoint = hub_endpoint(endpoint)
    todo = plan if plan is not None else plan_cards(paths, shard=shard, max_cards=max_cards)
    run_id = run_id or new_run_id(fetched_at)
    if shard is not None:
        run_id = shard.run_id(run_id)
    run = LandingRun(paths.landing, SOURCE, run_id)
    run.start()
    requests_before = STATS.by_bucket["resolvers"]
    counts = {"ok": 0, "missing": 0, "repo_missing": 0, "disabled": 0, "error": 0}
    done: list[pa.Table] = []
    rows: list[dict] = []
    ids, shas = todo["id"].to_pylist(), todo["sha"].to_pylist()
    with ThreadPoolExecutor(max_workers=workers) as pool, \
            tqdm(total=len(ids), desc="fetching cards", unit=" cards", disable=progress_disabled(progress)) as bar:
        for row in pool.map(lambda pair: _fetch(endpoint, token, *pair), zip(ids, shas)):
            counts[row["status"]] += 1
            rows.append(row)
            bar.update(1)
            if len(rows) >= part_rows:
                done.append(_land(run, rows, fetched_at))
                rows = []
    if rows or not done:
        done.append(_land(run, rows, fetched_at))
    seconds = time.monotonic() - started
    requests = STATS.by_bucket["resolvers"] - requests_before
    run.finish({"fetched_at": fetched_at.isoformat(), "endpoint": endpoint, "attempted": len(ids),
                **counts, "resolver_requests": requests, "seconds": round(seconds, 3),
                "shard": shard.label if shard else None})
    _remember(paths, pa.concat_tables(done), run.run_id, shard)
    return CardsResult(run.run_id, run.dir, len(ids), counts["ok"], counts["missing"] + counts["repo_missing"],
                       counts["error"], requests, seconds, counts["disabled"])


def _land(run: LandingRun, rows: list[dict], fetched_at: datetime) -> pa.Table:
    return run.write_rows(rows, SCHEMA, fetched_at).select(["id", "sha", "status"])


def _remember(paths: Paths, landed: pa.Table, run_id: str, shard: Shard | None) -> None:
    """Add this run's settled cards (not the errors: those are retried) to the fetched state."""
    settled = landed.filter(pc.not_equal(landed["status"], "error")).select(["id", "sha"])
    record_run(paths, STATE_FILE, STATE_SCHEMA, with_run_id(settled, run_id), run_id, shard=shard)
