"""Bootstrap the cards from the Hub's public daily card dump instead of one README request per model.

A first cards crawl of the real Hub costs 2 resolver requests per model: days at 2.5M models. The
dataset repo ``librarian-bots/model_cards_with_metadata`` publishes every model's card daily as a
few Parquet files. ``bootstrap_cards`` downloads them through huggingface_hub (``dataset_info`` and
``hf_hub_download(repo_type="dataset")``: the miners' endpoint, token and transport) and lands the
cards that are still current as a cards run, so the next ``crawl_cards`` fetches only the rest.

Freshness (``dump_is_current``): a dumped card is the card at the listed sha only when the models
listing says the repo has not changed since the dump saw it (listed ``lastModified`` not newer than
the dump's ``last_modified``). Models changed since, newer than the dump, or absent from it are not
landed; the cards miner fetches them (it fetches every listed sha the cards state lacks). The
dumped cards of models changed since are kept as candidates (``state/card_dump/<commit>/``): a
change to a repo often leaves its README as it was, and the cards miner takes such a card from
there, for one request instead of two, when the blob id the Hub's redirect names is its git blob id.
The dump's ``last_modified`` is read as a timestamp or as ISO 8601 text (zone-less: UTC).

Landing: one cards run (``landing/cards/<run_id>``), rows in the cards miner's schema plus
``source`` = ``dump@<dataset sha>``; the manifest (written last) records the dataset, its commit
and files. The dump is read a record batch at a time (``ParquetFile.iter_batches``), so memory holds
the listing and one batch, not the dump. A resume point after each dump file lets a killed
bootstrap carry on after the files it had landed (downloads resume in huggingface_hub's cache).
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from huggingface_hub import hf_hub_download
from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError
from tqdm import tqdm

from core.config import Paths, hub_endpoint, progress_disabled
from core.errors import HubmineError
from miners import cards
from miners.hubclient import STATS, hub_api, resilient
from miners.landing import (
    LandingError,
    LandingRun,
    complete_runs,
    new_run_id,
    newest_run,
    read_manifest,
    write_parquet_atomic,
)
from miners.state import record_run, with_run_id

log = logging.getLogger(__name__)

DEFAULT_DATASET = "librarian-bots/model_cards_with_metadata"
# The dump's columns as its dataset viewer shows them; all must be there (extra ones are ignored).
EXPECTED_COLUMNS = ("modelId", "author", "last_modified", "downloads", "likes", "library_name", "tags",
                    "pipeline_tag", "createdAt", "card")
SCHEMA = cards.LANDED_SCHEMA
BATCH_ROWS = 5_000
PART_BYTES = 256 * 2**20  # a part is landed once its cards add up to this many bytes (or part_rows)


class BootstrapError(HubmineError):
    """The dump cannot be used (no listing yet, no Parquet files, columns missing, …)."""


@dataclass
class BootstrapResult:
    run_id: str
    run_dir: Path
    dataset: str
    revision: str
    files: list[str]
    dump_rows: int
    landed: int       # current cards landed
    stale: int        # in the dump, but the repo changed since (the crawl checks them: kept as candidates)
    unlisted: int     # in the dump, not in the listing (deleted or private since)
    requests: dict[str, int]
    seconds: float


def dump_is_current(listed_last_modified: pa.Array, dump_last_modified: pa.Array) -> pa.Array:
    """The freshness rule: True where the listed repo has not changed since the dump read it.
    Unknown dates on either side count as changed (the crawl fetches the card)."""
    return pc.fill_null(pc.less_equal(utc_times(listed_last_modified), utc_times(dump_last_modified)), False)


def utc_times(values: pa.Array) -> pa.Array:
    """Timestamps (any unit; zone-less ones taken as UTC) or ISO 8601 strings as UTC timestamps; a
    string that is not a time becomes null (the card then counts as changed)."""
    kind = pa.timestamp("us", tz="UTC")
    if pa.types.is_timestamp(values.type):
        if values.type.tz is None:
            return pc.assume_timezone(pc.cast(values, pa.timestamp("us")), "UTC")
        return pc.cast(values, kind)
    try:
        return pc.cast(values, kind)
    except pa.ArrowInvalid:
        return pa.array([_utc(v) for v in values.to_pylist()], kind)


def _utc(text: str | None) -> datetime | None:
    try:
        when = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return when.replace(tzinfo=when.tzinfo or UTC) if when else None


def _listing(paths: Paths) -> tuple[str, pa.Table]:
    """(run id, ``id, sha, last_modified``) of the newest finished models listing."""
    runs = complete_runs(paths.landing, "models")
    if not runs:
        raise BootstrapError("no models listing yet: run `hubmine crawl models` first (the dump's cards are "
                             "matched to the listed sha of each model)")
    parts = read_manifest(runs[-1])["parts"]
    table = pa.concat_tables(pq.read_table(runs[-1] / p, columns=["id", "sha", "last_modified"]) for p in parts)
    if not table.num_rows:
        raise BootstrapError(f"models run {runs[-1].name} lists no models: nothing to match the dump to")
    return runs[-1].name, table.combine_chunks()


def check_columns(path: Path, name: str) -> None:
    """Refuse a dump file whose schema lacks any expected column, naming them."""
    present = set(pq.read_schema(path).names)
    missing = [c for c in EXPECTED_COLUMNS if c not in present]
    if missing:
        raise BootstrapError(f"dump file {name} lacks the column(s) {', '.join(missing)} (expected "
                             f"{', '.join(EXPECTED_COLUMNS)}); nothing landed. Has the dump changed its schema?")
    kind = pq.read_schema(path).field("last_modified").type
    if not (pa.types.is_timestamp(kind) or pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise BootstrapError(f"dump file {name}: last_modified is {kind}, expected a timestamp or ISO 8601 "
                             "text; nothing landed")


def _pick_run(paths: Paths, run_id: str | None, fetched_at: datetime, dataset: str,
              revision: str) -> tuple[LandingRun, dict | None]:
    """A new cards run, or the unfinished bootstrap of the same dump to carry on with."""
    candidate = LandingRun(paths.landing, cards.SOURCE, run_id) if run_id else None
    if candidate is None and (newest := newest_run(paths.landing, cards.SOURCE)) is not None:
        candidate = LandingRun(paths.landing, cards.SOURCE, newest.name)
    if candidate is not None and not candidate.complete:
        try:
            point = candidate.resume_point()
        except LandingError as exc:
            log.warning("bootstrap run %s cannot be resumed: %s", candidate.run_id, exc)
            point = None
        if point and point.get("bootstrap") == f"{dataset}@{revision}" \
                and not candidate.missing_parts(int(point["parts"])):
            return candidate, point
    if candidate is not None and run_id:
        return candidate, None
    return LandingRun(paths.landing, cards.SOURCE, new_run_id(fetched_at) + "-bootstrap"), None


def _rows(batch: pa.RecordBatch, listing: pa.Table, source: str,
          seen: set[str]) -> tuple[pa.Table, pa.Table, int, int]:
    """The current cards of one dump batch as landing rows (no run_id/fetched_at yet), the cards of
    listed models changed since the dump as candidates (``cards.CANDIDATE_SCHEMA``), and the counts
    of stale and unlisted dump rows in it."""
    batch = batch.filter(pc.is_valid(batch.column("card")))
    at = pc.index_in(batch.column("modelId"), value_set=listing["id"].chunk(0))
    listed = pc.is_valid(at)
    unlisted = len(at) - (pc.sum(listed).as_py() or 0)
    batch, at = batch.filter(listed), pc.drop_null(at)
    current = dump_is_current(pc.take(listing["last_modified"], at), batch.column("last_modified"))
    stale = len(at) - (pc.sum(current).as_py() or 0)
    changed = batch.filter(pc.invert(current))
    texts = changed.column("card").to_pylist()
    candidates = pa.table({"id": changed.column("modelId"),
                           "blob": pa.array([cards.git_blob_id(t.encode()) for t in texts], pa.string()),
                           "text": changed.column("card")}).cast(cards.CANDIDATE_SCHEMA)
    batch, at = batch.filter(current), at.filter(current)
    # A model twice in the dump (two files overlapping) is landed once.
    ids = batch.column("modelId").to_pylist()
    keep = [i not in seen and not seen.add(i) for i in ids]
    batch, at = batch.filter(pa.array(keep, pa.bool_())), at.filter(pa.array(keep, pa.bool_()))
    text = batch.column("card")
    size = pc.binary_length(pc.cast(text, pa.binary()))
    truncated = pc.greater(size, cards.MAX_CARD_BYTES)
    if pc.any(truncated).as_py():
        text = pa.array([_cut(t) for t in text.to_pylist()], pa.string())
        size = pc.binary_length(pc.cast(text, pa.binary()))
    n = batch.num_rows
    table = pa.table({
        "id": batch.column("modelId"), "sha": pc.take(listing["sha"], at), "status": pa.array(["ok"] * n),
        "error": pa.nulls(n, pa.string()), "size": pc.cast(size, pa.int64()), "truncated": truncated,
        "utf8_valid": pa.array([True] * n), "text": text, "source": pa.array([source] * n)})
    return table, candidates, stale, unlisted


def _cut(text: str) -> str:
    data = text.encode()
    return data[:cards.MAX_CARD_BYTES].decode("utf-8", errors="ignore") if len(data) > cards.MAX_CARD_BYTES else text


def _stamp(table: pa.Table, run_id: str, fetched_at: datetime) -> pa.Table:
    n = table.num_rows
    return table.append_column("run_id", pa.array([run_id] * n)).append_column(
        "fetched_at", pa.array([fetched_at] * n, pa.timestamp("us", tz="UTC"))).select(SCHEMA.names).cast(SCHEMA)


@resilient
def bootstrap_cards(*, paths: Paths, endpoint: str | None = None, token: str | bool | None = None,
                    dataset: str = DEFAULT_DATASET, revision: str | None = None, run_id: str | None = None,
                    fetched_at: datetime | None = None, part_rows: int = 50_000,
                    progress: bool = True) -> BootstrapResult:
    """Land the current cards of the dataset ``dataset`` (at ``revision``, default its newest commit)
    as a cards run. Needs a models listing (``crawl_models``) first.

    Resumes the newest cards run (or ``run_id``) when it is an unfinished bootstrap of the same dump
    commit: the files it landed are kept. Raises BootstrapError before landing anything when a
    file lacks an expected column.
    """
    started = time.monotonic()
    endpoint = hub_endpoint(endpoint)
    listing_run, listing = _listing(paths)
    before = dict(STATS.by_bucket)
    api = hub_api(endpoint, token)
    try:
        info = api.dataset_info(dataset, revision=revision)
    except (RepositoryNotFoundError, RevisionNotFoundError) as exc:
        raise BootstrapError(f"card dump {dataset}@{revision or 'main'} not found at {endpoint}: {exc}") from None
    files = sorted(s.rfilename for s in info.siblings or [] if s.rfilename.endswith(".parquet"))
    if not files:
        raise BootstrapError(f"dataset {dataset}@{info.sha} has no Parquet files")
    local = [Path(hf_hub_download(dataset, name, repo_type="dataset", revision=info.sha, endpoint=endpoint,
                                  token=token)) for name in files]
    for path, name in zip(local, files):
        check_columns(path, name)
    fetched_at = fetched_at or datetime.now(UTC)
    run, point = _pick_run(paths, run_id, fetched_at, dataset, info.sha)
    source = f"dump@{info.sha}"
    counts = {"dump_rows": 0, "landed": 0, "stale": 0, "unlisted": 0}
    first = 0
    if point:
        fetched_at = datetime.fromisoformat(point["fetched_at"])
        run.resume(int(point["parts"]))
        counts, first = point["counts"], int(point["files"])
        log.info("resuming bootstrap run %s after %d of %d dump files", run.run_id, first, len(files))
    else:
        run.start()
    # Only ids landed by earlier files of a resumed run need remembering across files.
    seen: set[str] = set()
    for part in run.parts:
        seen.update(pq.read_table(part, columns=["id"])["id"].to_pylist())
    candidates_dir = paths.state / cards.DUMP_CANDIDATES_DIR / info.sha
    if not point:  # a new bootstrap: an earlier dump's candidates are older than this one's
        shutil.rmtree(paths.state / cards.DUMP_CANDIDATES_DIR, ignore_errors=True)
    candidates_dir.mkdir(parents=True, exist_ok=True)
    columns = ["modelId", "last_modified", "card"]
    with tqdm(total=sum(pq.ParquetFile(p).metadata.num_rows for p in local), desc="landing dumped cards",
              unit=" cards", disable=progress_disabled(progress)) as bar:
        for index in range(first, len(files)):
            pending: list[pa.Table] = []
            changed: list[pa.Table] = []
            for batch in pq.ParquetFile(local[index]).iter_batches(batch_size=BATCH_ROWS, columns=columns):
                rows, candidates, stale, unlisted = _rows(batch, listing, source, seen)
                changed.append(candidates)
                counts["dump_rows"] += batch.num_rows
                counts["stale"] += stale
                counts["unlisted"] += unlisted
                counts["landed"] += rows.num_rows
                pending.append(rows)
                bar.update(batch.num_rows)
                if sum(t.num_rows for t in pending) >= part_rows or sum(t.nbytes for t in pending) >= PART_BYTES:
                    run.write_part(_stamp(pa.concat_tables(pending), run.run_id, fetched_at))
                    pending = []
            if pending or (index == len(files) - 1 and not run.parts):
                run.write_part(_stamp(pa.concat_tables(pending) if pending else SCHEMA.empty_table()
                                      .drop_columns(["run_id", "fetched_at"]), run.run_id, fetched_at))
            write_parquet_atomic(candidates_dir / f"candidates-{index:05d}.parquet",
                                 pa.concat_tables(changed) if changed else cards.CANDIDATE_SCHEMA.empty_table(),
                                 compression="zstd")
            run.save_resume_point({"bootstrap": f"{dataset}@{info.sha}", "files": index + 1,
                                   "parts": len(run.parts), "counts": counts, "fetched_at": fetched_at.isoformat()})
    seconds = time.monotonic() - started
    requests = {b: STATS.by_bucket[b] - before.get(b, 0) for b in STATS.by_bucket if STATS.by_bucket[b] != before.get(b, 0)}
    run.finish({"fetched_at": fetched_at.isoformat(), "endpoint": endpoint, "kind": "bootstrap",
                "dataset": dataset, "revision": info.sha, "dataset_last_modified": str(info.last_modified),
                "files": files, "source": source, "listing_run": listing_run, **counts,
                "candidates": str(candidates_dir.relative_to(paths.home)),
                "attempted": counts["landed"], "ok": counts["landed"], "missing": 0, "repo_missing": 0, "error": 0,
                "requests": requests, "seconds": round(seconds, 3)})
    landed = pa.concat_tables(pq.read_table(p, columns=["id", "sha"]) for p in run.parts)
    record_run(paths, cards.STATE_FILE, cards.STATE_SCHEMA, with_run_id(landed, run.run_id), run.run_id)
    return BootstrapResult(run.run_id, run.dir, dataset, info.sha, files, counts["dump_rows"], counts["landed"],
                           counts["stale"], counts["unlisted"], requests, seconds)
