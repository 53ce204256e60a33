"""Cards miner: README.md of every model whose listed sha is new or changed, at exactly that sha.

The models miner's listing says which sha each repo has, and which repos have a README.md at all
(its ``siblings``); ``state/cards_fetched.parquet`` says at which sha we already hold its card. Only
the difference costs requests, so an unchanged Hub costs nothing here:

- a repo whose listed files hold no README.md is a recorded "missing" card, for no request;
- any other card is one GET on the resolvers bucket, which the Hub answers (for a regular file)
  with a 307 into its resolve cache whose ``Location`` names the README's git blob id; the miner
  follows it itself (a second request) unless that blob id is the one of a card it already holds
  the text of: a card of the daily card dump (``miners.bootstrap``) that was not known to be
  current, kept in ``state/card_dump/``. Then the card costs one request and says where its text
  came from (``source``: ``dump@<dataset commit>``; otherwise ``hub``).

A failed fetch is recorded as an error and retried on the next run.
"""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

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
from miners.landing import LandingRun, complete_runs, new_run_id, read_manifest
from miners.models import SOURCE as MODELS_SOURCE
from miners.models import changed_models, last_per_id
from miners.provenance import data_time, endpoint_provenance
from miners.resilience import origin
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
# What this miner and the bootstrap land: with where the text came from (hub, or dump@<commit> of
# the card dump). A part without the column (landed by hand, or before it) is all from the hub.
LANDED_SCHEMA = SCHEMA.append(pa.field("source", pa.string()))
STATE_SCHEMA = pa.schema([("id", pa.string()), ("sha", pa.string()), ("run_id", pa.string())])
HUB = "hub"
# Dump cards not known to be current (miners.bootstrap writes them, one folder per dump commit):
# ``id``, ``blob`` (git blob id of the text's UTF-8 bytes), ``text``.
DUMP_CANDIDATES_DIR = "card_dump"
CANDIDATE_SCHEMA = pa.schema([("id", pa.string()), ("blob", pa.string()), ("text", pa.string())])


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
    no_readme: int = 0  # settled as missing for no request: the listing names no README.md
    from_dump: int = 0  # dump cards confirmed by the blob id a redirect named (one request each)


def fetched_state(paths: Paths, shard: Shard | None = None) -> pa.Table:
    """The cards fetched so far (``id, sha, run_id``), finished runs caught up: all of them, or with
    ``shard`` that shard's own (written to its state part only; see ``miners.state``)."""
    return catch_up(paths, STATE_FILE, STATE_SCHEMA, SOURCE, _settled_in, shard=shard)


def _settled_in(run_dir: Path) -> pa.Table:
    parts = read_manifest(run_dir)["parts"]
    landed = pa.concat_tables(pq.read_table(run_dir / p, columns=["id", "sha", "status", "run_id"]) for p in parts)
    return landed.filter(pc.not_equal(landed["status"], "error"))


def git_blob_id(data: bytes) -> str:
    """The id git (and the Hub) gives a file of these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class KnownCard:
    """A card text we hold without knowing at which sha it is README.md (a dump card)."""

    blob: str
    text: str
    source: str


def redirect_blob_id(answer: httpx2.Response) -> str | None:
    """The blob id the Hub names in a resolve redirect: its ``Location``'s ``etag`` parameter (the form
    recorded from huggingface.co: tests/data/real_resolve_readme.json), else ``X-Linked-Etag``."""
    tags = parse_qs(urlsplit(answer.headers.get("location", "")).query).get("etag") or \
        [answer.headers.get("x-linked-etag") or ""]
    tag = tags[0].removeprefix("W/").strip('"').lower()
    return tag or None


def _row(repo_id: str, sha: str, status: str) -> dict:
    """A landed card row without text (``_filled`` adds it)."""
    return {"id": repo_id, "sha": sha, "status": status, "error": None, "size": None, "truncated": False,
            "utf8_valid": None, "text": None, "source": HUB}


def _fetch(endpoint: str, token, repo_id: str, sha: str, known: KnownCard | None = None) -> dict:
    row = _row(repo_id, sha, "ok")
    try:
        validate_repo_id(repo_id)
        url = hf_hub_url(repo_id, "README.md", revision=sha, endpoint=endpoint)
        headers = build_hf_headers(token=token)
        # huggingface_hub's shared session (hubmine's transport under it) and its retry loop. The
        # Hub's redirect is followed here, not by the session, to read the blob id it names first.
        with http_stream_backoff("GET", url, headers=headers, follow_redirects=False) as answer:
            if not answer.is_redirect:
                hf_raise_for_status(answer)
                return _filled(row, _read_capped(answer))
            if known is not None and redirect_blob_id(answer) == known.blob:
                return _filled(row, known.text.encode(), source=known.source)
            target = urljoin(str(answer.url), answer.headers["location"])
        # The token goes only where the crawl's endpoint is (an LFS README redirects to a CDN).
        if origin(target) != origin(url):
            headers = build_hf_headers(token=False)
        with http_stream_backoff("GET", target, headers=headers, follow_redirects=True) as answer:
            hf_raise_for_status(answer)
            return _filled(row, _read_capped(answer))
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
    except (HfHubHTTPError, HFValidationError, httpx2.RequestError, OSError) as exc:
        # HFValidationError: a listed id the Hub could not have (e.g. "../" or 300 characters);
        # RequestError: the transport's, and a redirect chain that never ends (TooManyRedirects)
        row.update(status="error", error=f"{type(exc).__name__}: {exc}"[:2000])
        return row


def _filled(row: dict, data: bytes, source: str = HUB) -> dict:
    """``row`` with the card ``data`` (README.md's bytes, or their first ``MAX_CARD_BYTES + 1``)."""
    row["truncated"] = len(data) > MAX_CARD_BYTES
    data = data[:MAX_CARD_BYTES]
    try:
        text, valid = data.decode("utf-8"), True
    except UnicodeDecodeError:
        text, valid = data.decode("utf-8", errors="replace"), False
    row.update(size=len(data), utf8_valid=valid, text=text, source=source)
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
    """The cards a ``crawl_cards`` with these arguments settles (``id, sha, readme``, in listing
    order): the listed models whose sha has no card yet, in ``shard``, the first ``max_cards``.
    ``readme`` is False where the listing names no README.md (settled as missing for no request)."""
    todo = changed_models(paths, fetched_state(paths, shard))
    if shard is not None:
        todo = shard.filter(todo)
    todo = todo if max_cards is None else todo.slice(0, max_cards)
    listed = _listed_readme(paths)
    at = pc.index_in(todo["id"], value_set=listed["id"])
    return todo.append_column("readme", pc.take(listed["readme"], at))


def to_request(plan: pa.Table) -> int:
    """How many cards of a :func:`plan_cards` plan cost requests (not those without a listed README)."""
    return plan.num_rows - (pc.sum(pc.invert(pc.fill_null(plan["readme"], True))).as_py() or 0)


def _listed_readme(paths: Paths) -> pa.Table:
    """``id, readme`` of the newest models listing (the one ``changed_models`` reads the shas of); a
    listing landed before ``readme`` was kept says nothing (null)."""
    runs = complete_runs(paths.landing, MODELS_SOURCE)
    empty = pa.table({"id": pa.array([], pa.string()), "readme": pa.array([], pa.bool_())})
    if not runs:
        return empty
    parts = [runs[-1] / p for p in read_manifest(runs[-1])["parts"]]
    if not parts or "readme" not in pq.read_schema(parts[0]).names:
        return empty
    return last_per_id(pa.concat_tables(pq.read_table(p, columns=["id", "readme"]) for p in parts)).combine_chunks()


def known_cards(paths: Paths, ids: pa.Array) -> dict[str, KnownCard]:
    """The dump cards held for ``ids`` (``state/card_dump/<commit>/*.parquet``). Where two dumps hold
    one, the last written is taken: either is used only when its blob id is the README's."""
    root = paths.state / DUMP_CANDIDATES_DIR
    out: dict[str, KnownCard] = {}
    if not root.is_dir() or not len(ids):
        return out
    folders = sorted((d for d in root.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime_ns)
    for folder in folders:
        for path in sorted(folder.glob("*.parquet")):
            wanted = pc.is_in(pq.read_table(path, columns=["id"])["id"], value_set=ids)
            if not pc.any(wanted).as_py():
                continue  # later runs: the texts of cards settled long ago are not read again
            table = pq.read_table(path, schema=CANDIDATE_SCHEMA).filter(wanted)
            for repo_id, blob, text in zip(*(table[c].to_pylist() for c in CANDIDATE_SCHEMA.names), strict=True):
                out[repo_id] = KnownCard(blob, text, f"dump@{folder.name}")
    return out


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
    endpoint = hub_endpoint(endpoint)
    fetched_at = fetched_at or data_time(endpoint_provenance(endpoint, token)) or datetime.now(UTC)
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
    if "readme" not in todo.column_names:  # a plan made without the listing's file names
        todo = todo.append_column("readme", pa.nulls(todo.num_rows, pa.bool_()))
    ids, shas, readme = todo["id"].to_pylist(), todo["sha"].to_pylist(), todo["readme"].to_pylist()
    known = known_cards(paths, todo.filter(pc.fill_null(todo["readme"], True))["id"])
    from_dump = 0

    def settle(i: int) -> dict:
        if readme[i] is False:
            return _row(ids[i], shas[i], "missing")
        return _fetch(endpoint, token, ids[i], shas[i], known.get(ids[i]))

    with ThreadPoolExecutor(max_workers=workers) as pool, \
            tqdm(total=len(ids), desc="fetching cards", unit=" cards", disable=progress_disabled(progress)) as bar:
        for row in pool.map(settle, range(len(ids))):
            counts[row["status"]] += 1
            from_dump += row["source"] != HUB
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
                "no_readme_listed": readme.count(False), "dump_cards_confirmed": from_dump,
                "shard": shard.label if shard else None})
    _remember(paths, pa.concat_tables(done), run.run_id, shard)
    return CardsResult(run.run_id, run.dir, len(ids), counts["ok"], counts["missing"] + counts["repo_missing"],
                       counts["error"], requests, seconds, counts["disabled"], readme.count(False), from_dump)


def _land(run: LandingRun, rows: list[dict], fetched_at: datetime) -> pa.Table:
    return run.write_rows(rows, LANDED_SCHEMA, fetched_at).select(["id", "sha", "status"])


def _remember(paths: Paths, landed: pa.Table, run_id: str, shard: Shard | None) -> None:
    """Add this run's settled cards (not the errors: those are retried) to the fetched state."""
    settled = landed.filter(pc.not_equal(landed["status"], "error")).select(["id", "sha"])
    record_run(paths, STATE_FILE, STATE_SCHEMA, with_run_id(settled, run_id), run_id, shard=shard)
