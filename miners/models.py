"""Models miner: list every model on the Hub with one paginated, expanded listing.

The walk goes by creation time (``LIST_PARAMS``), a key that never changes, so each model is met
exactly once; a model met twice anyway is kept as last seen (``last_per_id``, counted in the
manifest's ``duplicates``). A record that cannot be typed (``downloads: "123"``, no id, a page that is
not a list) is landed whole as a problem beside its part and the walk goes on; the manifest says
whether the listing still names every model it met (``complete_listing``), without which the
loader must not conclude that a model is gone.

One ``/api/models?expand=…`` walk (the request ``HfApi.list_models(expand=…)`` sends) returns up to 1,000 models a request with everything the daily
snapshot needs (counters, sha, dates, tags, card metadata), so listing the whole Hub costs about
one request per thousand models and no per-repo requests at all. The listed sha of every model is
kept in ``state/models_listed.parquet`` so that detail miners fetch only repos whose sha changed.

A killed listing resumes where it stopped: after each landed part the run's folder gets a resume
point (``miners.listing.ResumePoint``: the next page's URL, models and parts so far, the run's
fetch time), and the next crawl of that run keeps those parts and continues from that page (see
``crawl_models`` for which run a crawl takes up).
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import build_hf_headers
from tqdm import tqdm

from core.config import Paths, hub_endpoint, progress_disabled
from core.errors import HubmineError
from miners.cost import previous_listing_size
from miners.hubclient import STATS, hub_api, resilient
from miners.landing import LandingError, LandingRun, new_run_id, newest_run, read_manifest, rows_table
from miners.listing import ResumePoint, StaleCursor, check_credential_free, pages
from miners.provenance import data_time, endpoint_provenance
from miners.state import catch_up, record_run, with_run_id

log = logging.getLogger(__name__)

SOURCE = "models"
STATE_FILE = "models_listed.parquet"

# baseModels is refused by the Hub in listings (only model_info has it); lineage comes from the
# `base_model:<relation>:<id>` tags and cardData instead. siblings: a listing names each repo's
# files (``rfilename`` only, no blob ids: huggingface_hub's RepoSibling says so), which tells the
# cards miner, for free, which repos have no README.md to fetch; only that fact is kept (``readme``).
EXPAND = [
    "author", "sha", "createdAt", "lastModified", "downloads", "likes", "trendingScore", "private",
    "gated", "disabled", "pipeline_tag", "library_name", "tags", "cardData", "safetensors", "siblings",
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
    ("readme", pa.bool_()),  # README.md among the listed siblings (null: the listing named no files)
])

# A listed record that could not be typed: kept whole (``record``, JSON) with why, for the loader to
# record as a problem row; never guessed at, never retried into a failure of the whole run.
PROBLEM_SCHEMA = pa.schema([
    ("run_id", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
    ("listed_pos", pa.int64()),
    ("model_id", pa.string()),
    ("reason", pa.string()),
    ("record", pa.string()),
])

# The walk's order: creation time, oldest first (ties by _id), a key that never changes, so that
# each model is met once however scores move during the walk, and models created meanwhile come
# last. Without sort the Hub lists by trendingScore, which moves under a walk of hours. The Hub
# takes direction=1 (ascending) for createdAt only.
LIST_ORDER = "createdAt asc"
LIST_PARAMS = {"expand": EXPAND, "sort": "createdAt", "direction": "1"}

STATE_SCHEMA = pa.schema([("id", pa.string()), ("sha", pa.string()), ("run_id", pa.string())])

# How old a resume point may be for a crawl without a run id to take its run up again. Beyond it
# the run would mix a listing of hours ago with one of now; a new run lists the Hub as it is.
RESUME_MAX_AGE = timedelta(hours=6)


class CrawlError(HubmineError):
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
    resumed_after: int | None = None  # models a killed attempt had landed, when this one went on from there
    restarted_after_stale_cursor: bool = False
    duplicates: int = 0  # rows of models listed more than once (only the last is kept)
    problems: int = 0  # listed records that could not be typed (landed as problems)


class Untypable(ValueError):
    """A listed record a field of which does not have the type the Hub documents."""


def _when(item: dict[str, Any], key: str) -> datetime | None:
    value = item.get(key)
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise Untypable(f"{key} is not an ISO 8601 time with a zone: {value!r:.60}")
    return when


def _typed(item: dict[str, Any], key: str, kinds: tuple[type, ...]) -> Any:
    value = item.get(key)
    # bool is an int to Python, never to the Hub: downloads=true is as wrong as downloads="123".
    if value is None or (isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)):
        return value
    raise Untypable(f"{key} is {type(value).__name__} {value!r:.60}, not {'/'.join(k.__name__ for k in kinds)}")


def _row(item: Any, pos: int) -> dict[str, Any]:
    """One listed model as a landing row. Raises Untypable when the record cannot be typed: it is
    then landed as a problem (whole, as served) instead of being guessed at or dropped."""
    if not isinstance(item, dict):
        raise Untypable(f"the record is a {type(item).__name__}, not an object")
    if not isinstance(item.get("id"), str) or not item["id"]:
        raise Untypable("the record has no id")
    card = item.get("cardData")
    st = _typed(item, "safetensors", (dict,)) or {}
    siblings = _typed(item, "siblings", (list,))
    if siblings is not None and not all(isinstance(f, dict) and isinstance(f.get("rfilename"), str) for f in siblings):
        raise Untypable("siblings is not a list of {rfilename: str}")
    gated = _typed(item, "gated", (bool, str))
    tags = _typed(item, "tags", (list,))
    if tags is not None and not all(isinstance(t, str) for t in tags):
        raise Untypable("tags is not a list of strings")
    return {
        "listed_pos": pos,
        "id": item["id"],
        "author": _typed(item, "author", (str,)),
        "sha": _typed(item, "sha", (str,)),
        "created_at": _when(item, "createdAt"),
        "last_modified": _when(item, "lastModified"),
        "downloads": _typed(item, "downloads", (int,)),
        "likes": _typed(item, "likes", (int,)),
        "trending_score": _typed(item, "trendingScore", (int, float)),
        "private": _typed(item, "private", (bool,)),
        "gated": None if gated is None else str(gated).lower(),
        "disabled": _typed(item, "disabled", (bool,)),
        "pipeline_tag": _typed(item, "pipeline_tag", (str,)),
        "library_name": _typed(item, "library_name", (str,)),
        "tags": tags,
        "card_data": json.dumps(card, sort_keys=True, default=str) if card else None,
        "safetensors_total": _typed(st, "total", (int,)),
        "safetensors_params": json.dumps(st["parameters"], sort_keys=True) if st.get("parameters") else None,
        "readme": None if siblings is None else any(f["rfilename"] == "README.md" for f in siblings),
    }


def _problem(pos: int, record: Any, reason: str) -> dict[str, Any]:
    model_id = record.get("id") if isinstance(record, dict) and isinstance(record.get("id"), str) else None
    return {"listed_pos": pos, "model_id": model_id or None, "reason": reason,
            "record": json.dumps(record, sort_keys=True, default=str)}


def _page_rows(page: Any, start: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """(rows, problems, positions used) of one listed page; a page that is not a list is one problem."""
    if not isinstance(page, list):
        return [], [_problem(start, page, f"the page is a {type(page).__name__}, not a list of models")], 1
    rows, problems = [], []
    for i, item in enumerate(page):
        try:
            rows.append(_row(item, start + i))
        except Untypable as exc:
            problems.append(_problem(start + i, item, str(exc)))
    return rows, problems, len(page)


@resilient
def crawl_models(*, paths: Paths, endpoint: str | None = None, token: str | bool | None = None,
                 run_id: str | None = None, fetched_at: datetime | None = None,
                 part_rows: int = 100_000, resume_max_age: timedelta = RESUME_MAX_AGE,
                 progress: bool = True) -> CrawlResult:
    """List every model into a landing run and update the listed-sha state.

    A part is landed whenever at least ``part_rows`` rows are listed, at a page boundary, and then
    the run's resume point is saved. Which run a crawl lands into:

    - ``run_id`` given: that run. Unfinished with a resume point (for the same endpoint), it is
      resumed whatever its age: its parts are kept, the listing continues at the saved page with
      the saved position and fetch time. Otherwise it starts from page 1.
    - no ``run_id``: the newest models run when it is unfinished with a resume point for the
      same endpoint, younger than ``resume_max_age`` and (if ``fetched_at`` is given) of that
      fetch time; else a new run (id from ``fetched_at``), leaving an older unfinished run as it
      is (never loaded; delete it or finish it with its run id).

    A resume point that cannot be read, was saved listing another endpoint or whose parts are gone
    is not used (with a warning).

    A resumed listing whose first request is refused as a stale cursor (HTTP 400, 404, 410, 422)
    starts that run over from page 1, discarding its parts, with a warning; its manifest says
    ``"restarted_after_stale_cursor": true``.

    Args:
        paths: hubmine home folders.
        endpoint: the Hub (default ``$HF_ENDPOINT`` or huggingface.co).
        token: an HF token, or None for the client's own lookup. Never written anywhere.
        run_id: the run to land into (or to resume); see above.
        fetched_at: the time the listing stands for (default: a resumed run's own, else the moment a
            replay hub's snapshot depicts, else now); lets replayed historical snapshots keep their own dates.
        part_rows: rows per landed part (at least; parts end at page boundaries).
        resume_max_age: see above.
    Raises:
        CrawlError: the Hub answered with an error; parts landed so far and the resume point stay
            on disk, the run stays incomplete (no manifest) and earlier runs are untouched. Also
            when ``fetched_at`` contradicts the fetch time of the run ``run_id`` resumes.
        ForeignLink: a next-page URL (from the Hub or the resume point) is off the endpoint; it is
            not requested, and the run stays as it is.
    """
    started = time.monotonic()
    endpoint = hub_endpoint(endpoint)
    listed_state(paths)  # a run whose state write was killed is folded in, even when this one stops here
    served = endpoint_provenance(endpoint, token)
    run, point = _pick_run(paths, run_id, fetched_at, endpoint, resume_max_age, data_time(served))
    # Without a time of its own, a listing stands for the moment a replay hub's snapshot depicts.
    fetched_at = point.fetched_at if point else fetched_at or data_time(served) or datetime.now(UTC)
    api = hub_api(endpoint, token)
    headers = build_hf_headers(token=api.token, library_name="hubmine")
    # The library's requests page by page, not list_models: list_models turns cardData into
    # ModelCardData, which drops an invalid model-index (logging a warning per model) and rewrites a
    # valid one; the warehouse keeps card metadata exactly as the Hub served it.
    first_page = (f"{api.endpoint}/api/models", LIST_PARAMS)
    requests_before = STATS.by_bucket["api"]
    restarted = bool(point and point.restarted_after_stale_cursor)
    if point:
        run.resume(point.parts)
        tables = [_land_ids(part) for part in run.parts]
        count = resumed_after = point.models
        log.info("resuming models run %s after %d models (%d parts)", run.run_id, count, len(run.parts))
        listing = pages(point.next_url, None, headers, endpoint=api.endpoint, resumed=True)
    else:
        run.start()
        tables, count, resumed_after = [], 0, None
        listing = pages(*first_page, headers, endpoint=api.endpoint)
    rows: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    # The last listing's size is the bar's total (a rate and an ETA); the first listing has only a rate.
    bar = tqdm(desc="listing models", unit=" models", disable=progress_disabled(progress), mininterval=0.5,
               initial=count, total=previous_listing_size(paths))
    try:
        try:
            first = next(listing)
        except StaleCursor as exc:
            log.warning("models run %s: the Hub refused the saved cursor (%s); listing the run again from "
                        "page 1, discarding the %d models it had landed", run.run_id, exc, count)
            run.start()
            tables, count, resumed_after, restarted = [], 0, None, True
            bar.reset()
            listing = pages(*first_page, headers, endpoint=api.endpoint)
            first = next(listing)
        for page, next_url in itertools.chain([first], listing):
            typed, untyped, used = _page_rows(page, count)
            rows += typed
            problems += untyped
            count += used
            bar.update(used)
            if len(rows) >= part_rows:
                tables.append(_land(run, rows, problems, fetched_at))
                rows, problems = [], []
                if next_url is not None:
                    _save_resume_point(run, headers, ResumePoint(
                        next_url=next_url, models=count, parts=len(run.parts), fetched_at=fetched_at,
                        saved_at=datetime.now(UTC), endpoint=endpoint, restarted_after_stale_cursor=restarted))
    except (HfHubHTTPError, httpx2.TransportError) as exc:
        raise CrawlError(f"listing models failed after {count} models (page {count // 1000 + 1}) "
                         f"at {endpoint}: {exc}") from exc
    finally:
        bar.close()
    if rows or problems or not tables:
        tables.append(_land(run, rows, problems, fetched_at))
    listed = pa.concat_tables(tables)
    distinct = last_per_id(listed)
    if duplicates := listed.num_rows - distinct.num_rows:
        log.warning("models run %s: %d models were listed more than once (the last listing of each is kept)",
                    run.run_id, duplicates)
    problem_count, anonymous = _problem_counts(run)
    if problem_count:
        log.warning("models run %s: %d listed records could not be typed; landed as problems (%d without an id)",
                    run.run_id, problem_count, anonymous)
    new, changed = _diff_state(paths, distinct)
    seconds = time.monotonic() - started
    requests = STATS.by_bucket["api"] - requests_before
    run.finish({"fetched_at": fetched_at.isoformat(), "endpoint": endpoint, "models": distinct.num_rows,
                "listed_rows": listed.num_rows, "duplicates": duplicates, "problem_records": problem_count,
                # Only a listing that names every model it met can say which models are gone.
                "complete_listing": anonymous == 0, "order": LIST_ORDER,
                "api_requests": requests, "new": new, "changed": changed, "seconds": round(seconds, 3),
                "resumed_after_models": resumed_after, "restarted_after_stale_cursor": restarted,
                "provenance": served})
    # State after the manifest, never before (it must not name a listing no finished run holds); a
    # kill in between leaves it one run behind, and the next listed_state() folds this run in.
    _write_state(paths, distinct, run.run_id)
    return CrawlResult(run.run_id, run.dir, distinct.num_rows, requests, seconds, new, changed,
                       [p.name for p in run.parts], resumed_after, restarted, duplicates, problem_count)


def _pick_run(paths: Paths, run_id: str | None, fetched_at: datetime | None, endpoint: str,
              max_age: timedelta, served_time: datetime | None = None) -> tuple[LandingRun, ResumePoint | None]:
    """The run this crawl lands into, and its resume point when it goes on from one (see crawl_models).
    A new run is named after ``fetched_at``, else the served snapshot's time, else now."""
    if run_id is not None:
        run = LandingRun(paths.landing, SOURCE, run_id)
        point = _resume_point(run, endpoint)
        if point and fetched_at is not None and fetched_at != point.fetched_at:
            raise CrawlError(f"models run {run_id} was started as of {point.fetched_at.isoformat()}, not "
                             f"{fetched_at.isoformat()}: resume it with that time (or none), or use another run id")
        return run, point
    newest = newest_run(paths.landing, SOURCE)
    run = LandingRun(paths.landing, SOURCE, newest.name) if newest else None
    point = _resume_point(run, endpoint) if run else None
    if point is not None:
        if (age := datetime.now(UTC) - point.saved_at) > max_age:
            log.warning("not resuming models run %s: its resume point is %s old (at most %s); a new run "
                        "starts and that one is left as it is", run.run_id, age, max_age)
        elif fetched_at is not None and fetched_at != point.fetched_at:
            log.info("not resuming models run %s: it lists the Hub as of %s, not %s", run.run_id,
                     point.fetched_at.isoformat(), fetched_at.isoformat())
        else:
            return run, point
    run = LandingRun(paths.landing, SOURCE, new_run_id(fetched_at or served_time or datetime.now(UTC)))
    if fetched_at is None and served_time is not None and run.complete:
        raise CrawlError(f"the snapshot {endpoint} serves (as of {served_time.isoformat()}) is already listed, as "
                         f"models run {run.run_id}: nothing new to list (pass --as-of to list it again as another time)")
    return run, None


def _resume_point(run: LandingRun, endpoint: str) -> ResumePoint | None:
    """``run``'s resume point, if it has a usable one for ``endpoint``."""
    try:
        saved = run.resume_point()
        point = ResumePoint.from_json(saved) if saved is not None else None
    except (LandingError, ValueError) as exc:
        log.warning("models run %s cannot be resumed: %s", run.run_id, exc)
        return None
    if point and point.endpoint != endpoint:
        # Another Hub (or replay hub) may list other models: its cursor means nothing here.
        log.warning("models run %s was listing %s, not %s: not resumed", run.run_id, point.endpoint, endpoint)
        return None
    if point and run.missing_parts(point.parts):
        log.warning("models run %s cannot be resumed: parts its resume point covers are missing", run.run_id)
        return None
    return point


def _save_resume_point(run: LandingRun, headers: dict[str, str], point: ResumePoint) -> None:
    try:
        check_credential_free(point.next_url, headers)
    except ValueError as exc:
        raise CrawlError(f"models run {run.run_id}: not saving a resume point: {exc}") from None
    run.save_resume_point(point.to_json())


def _land_ids(part: Path) -> pa.Table:
    return pq.read_table(part, columns=["id", "sha"])


def _land(run: LandingRun, rows: list[dict[str, Any]], problems: list[dict[str, Any]],
          fetched_at: datetime) -> pa.Table:
    """Land a part, and beside it the records of its pages that could not be typed."""
    if problems:
        run.write_problems(rows_table(problems, PROBLEM_SCHEMA, run.run_id, fetched_at))
    return run.write_rows(rows, SCHEMA, fetched_at).select(["id", "sha"])


def _problem_counts(run: LandingRun) -> tuple[int, int]:
    """(problem records the run landed, how many of them have no model id)."""
    files = run.problem_files()
    if not files:
        return 0, 0
    ids = pa.concat_tables(pq.read_table(f, columns=["model_id"]) for f in files)["model_id"]
    return len(ids), ids.null_count


def last_per_id(listed: pa.Table) -> pa.Table:
    """``listed`` (in listing order) with only the last row of each id: a model met twice in one
    walk (its sort key moved under the walk) is kept as last seen."""
    indexed = listed.append_column("_row", pa.array(range(listed.num_rows), pa.int64()))
    last = indexed.group_by("id", use_threads=False).aggregate([("_row", "max")])["_row_max"]
    if len(last) == listed.num_rows:
        return listed
    return listed.take(pc.take(last, pc.sort_indices(last)))  # those rows, in listing order


def listed_state(paths: Paths) -> pa.Table:
    """The latest listed sha of every model: ``id, sha, run_id`` (empty before the first crawl)."""
    return catch_up(paths, STATE_FILE, STATE_SCHEMA, SOURCE, _listed_in, replace=True)


def _listed_in(run_dir: Path) -> pa.Table:
    parts = read_manifest(run_dir)["parts"]
    return last_per_id(pa.concat_tables(pq.read_table(run_dir / p, columns=["id", "sha", "run_id"]) for p in parts))


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
    """Rows (``id, sha``) of ``current`` that are absent from ``seen`` or carry another sha, in
    ``current``'s order."""
    seen = seen.select(["id", "sha"]).rename_columns(["id", "seen_sha"])
    indexed = current.select(["id", "sha"]).append_column("_row", pa.array(range(current.num_rows), pa.int64()))
    joined = indexed.join(seen, "id", join_type="left outer")
    mask = pc.or_kleene(pc.is_null(joined["seen_sha"]), pc.not_equal(joined["sha"], joined["seen_sha"]))
    differing = joined.filter(pc.fill_null(mask, True))
    # A join's output order is not defined; callers take "the first N" in listing order (--max-cards).
    return differing.take(pc.sort_indices(differing["_row"])).select(["id", "sha"])


def changed_models(paths: Paths, seen: pa.Table) -> pa.Table:
    """Listed models a detail miner has not fetched at their listed sha: the only repos worth a
    per-repo request. ``seen`` holds the ``id, sha`` pairs that miner already has."""
    return sha_changes(listed_state(paths), seen)
