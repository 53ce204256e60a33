"""Versions miner: commits, refs and the weight/README files at each commit, for a chosen set of repos.

Which repos: the policy is the union of the top ``top_n`` listed models by downloads, the named
``repos`` and every listed repo of the named ``authors`` -- plus every repo already tracked (in
``state/history_fetched.parquet``), so a repo that once had its history taken keeps it current even
after it drops out of the top N. Of those, only repos whose listed sha differs from the sha their
history was last fetched at cost requests, so an unchanged Hub costs none here.

Per repo: one ``refs`` request; the commit log at the listed sha, paginated (50 a page), stopping at
the sha fetched last time -- git history is immutable below a known commit, so everything older is
already landed; and one recursive tree walk per *new* commit (``list_repo_tree(revision=commit)``).
When the previous head is no longer in the log (history rewritten: squash, force-push) the whole
log is landed again with ``full_listing`` set, and the loader retires the commits that vanished.

Only weight files (by extension) and README.md are kept from each tree: that is what the
weight-change and card-change events need, and a tree can list thousands of other files.

Landing: one run folder under source ``history`` whose parts hold four tables; the manifest's
``tables`` maps each table name to its part files (see :data:`SCHEMAS`). A repo that fails (404,
5xx after retries, a timeout) lands one ``repos`` row with status ``error`` and nothing else, and
is retried next run; the run goes on. A repo the Hub has disabled (403, ``DisabledRepoError``)
lands one row with status ``disabled``: that is an answer, not a failure, so it is not asked again
until its listed sha changes, and what was landed of it before stays the base of its next fetch.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from huggingface_hub.errors import DisabledRepoError, HfHubHTTPError, RepositoryNotFoundError
from huggingface_hub.utils import build_hf_headers, paginate, validate_repo_id
from tqdm import tqdm

from core.config import Paths, hub_endpoint, progress_disabled
from miners.hubclient import STATS, RetriesExhausted, hub_api, resilient
from miners.landing import LandingRun, complete_runs, new_run_id, read_manifest
from miners.models import listed_state
from miners.provenance import data_time, endpoint_provenance
from miners.shards import Shard
from miners.state import catch_up, record_run

SOURCE = "history"
STATE_FILE = "history_fetched.parquet"

# Weight files, by the extensions model libraries save tensors under (sentencepiece's .model too:
# a tokenizer swap changes outputs as surely as new weights).
WEIGHT_EXTENSIONS = frozenset({
    "safetensors", "bin", "pt", "pth", "ckpt", "gguf", "onnx", "h5", "msgpack", "tflite", "mlmodel", "pb",
    "model",
})
README = "README.md"
# Attempts per request for 5xx, 429 and transport failures; huggingface_hub does not retry them all.
ATTEMPTS = 3
BACKOFF_SECONDS = 0.5

_META = [("run_id", pa.string()), ("fetched_at", pa.timestamp("us", tz="UTC"))]
SCHEMAS: dict[str, pa.Schema] = {
    "repos": pa.schema(_META + [
        ("id", pa.string()),
        ("sha", pa.string()),            # listed sha the history was read at
        ("status", pa.string()),         # ok | error | disabled
        ("error", pa.string()),
        ("http_status", pa.int64()),
        ("previous_sha", pa.string()),   # head fetched last time (None: first fetch)
        ("full_listing", pa.bool_()),    # the whole log was landed (first fetch or rewritten history)
        ("commits_total", pa.int64()),   # commits in the log at `sha` (disabled: at `previous_sha`)
        ("new_commits", pa.int64()),
        ("trees_fetched", pa.int64()),
    ]),
    "commits": pa.schema(_META + [
        ("id", pa.string()),
        ("commit_id", pa.string()),
        ("seq", pa.int64()),             # 0 = oldest commit of the log
        ("date", pa.timestamp("ms", tz="UTC")),
        ("title", pa.string()),
        ("message", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("tree_fetched", pa.bool_()),
    ]),
    "files": pa.schema(_META + [
        ("id", pa.string()),
        ("commit_id", pa.string()),
        ("path", pa.string()),
        ("oid", pa.string()),
        ("size", pa.int64()),
        ("lfs_oid", pa.string()),
        ("lfs_size", pa.int64()),
    ]),
    "refs": pa.schema(_META + [
        ("id", pa.string()),
        ("kind", pa.string()),           # branch | tag | convert
        ("name", pa.string()),
        ("ref", pa.string()),
        ("target_commit", pa.string()),
    ]),
}
# sha, commits: the head whose history is landed and its log length (None, 0 before any);
# disabled_sha: the listed sha at which the Hub answered that the repo is disabled (None: it did not).
STATE_SCHEMA = pa.schema([("id", pa.string()), ("sha", pa.string()), ("commits", pa.int64()),
                          ("run_id", pa.string()), ("disabled_sha", pa.string())])


@dataclass
class HistoryResult:
    run_id: str
    run_dir: Path
    selected: int          # repos the policy names that are listed
    attempted: int         # of those, repos whose sha changed since their last history fetch
    ok: int
    errors: int
    commits: int           # commits landed (new ones, or whole logs where fully listed)
    trees: int             # tree walks done
    requests: int          # api-bucket requests spent
    seconds: float
    not_listed: list[str] = field(default_factory=list)
    disabled: int = 0      # repos the Hub answered are disabled (settled until their sha changes)


def is_weight_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "." in name and name.rsplit(".", 1)[-1].lower() in WEIGHT_EXTENSIONS


def fetched_state(paths: Paths, shard: Shard | None = None) -> pa.Table:
    """What the history miner has (:data:`STATE_SCHEMA`), finished runs caught up: all of them, or
    with ``shard`` that shard's own (written to its state part only; see ``miners.state``)."""
    return catch_up(paths, STATE_FILE, STATE_SCHEMA, SOURCE, _settled_in, shard=shard)


def _state_rows(repos: list[dict], run_id: str | None = None) -> pa.Table:
    """The state rows of the settled repos among landed ``repos`` rows (errors are not settled)."""
    rows = []
    for r in repos:
        run = run_id or r["run_id"]
        if r["status"] == "ok":
            rows.append({"id": r["id"], "sha": r["sha"], "commits": r["commits_total"], "run_id": run,
                         "disabled_sha": None})
        elif r["status"] == "disabled":
            rows.append({"id": r["id"], "sha": r["previous_sha"], "commits": r["commits_total"], "run_id": run,
                         "disabled_sha": r["sha"]})
    return pa.Table.from_pylist(rows, schema=STATE_SCHEMA)


def _settled_in(run_dir: Path) -> pa.Table:
    parts = read_manifest(run_dir)["tables"]["repos"]
    columns = ["id", "sha", "status", "previous_sha", "commits_total", "run_id"]
    return _state_rows(pa.concat_tables(pq.read_table(run_dir / p, columns=columns) for p in parts).to_pylist())


def _latest_listing(paths: Paths) -> pa.Table:
    """``id, sha, author, downloads`` of the newest finished models run (the state lacks downloads)."""
    runs = complete_runs(paths.landing, "models")
    if not runs:
        return pa.table({"id": pa.array([], pa.string()), "sha": pa.array([], pa.string()),
                         "author": pa.array([], pa.string()), "downloads": pa.array([], pa.int64())})
    manifest = read_manifest(runs[-1])
    return pa.concat_tables(pq.read_table(runs[-1] / name, columns=["id", "sha", "author", "downloads"])
                            for name in manifest["parts"])


def select_repos(paths: Paths, *, top_n: int = 1000, repos=(), authors=(),
                 shard: Shard | None = None) -> tuple[pa.Table, list[str]]:
    """The policy's repos among the listed ones, as ``id, sha`` (listed sha); and named repos not listed.
    ``shard``: the state is read (and caught up) as that shard's crawl reads it."""
    listing = _latest_listing(paths)
    # The state is the authority on the listed sha: it is what changed_models compares against.
    listed = listed_state(paths).select(["id", "sha"])
    chosen: set[str] = set()
    if top_n and listing.num_rows:
        order = pc.sort_indices(listing, sort_keys=[("downloads", "descending"), ("id", "ascending")])
        chosen |= set(pc.take(listing["id"], order[:top_n]).to_pylist())
    if authors:
        chosen |= set(listing.filter(pc.is_in(listing["author"], pa.array(list(authors), pa.string())))["id"]
                      .to_pylist())
    chosen |= set(repos)
    chosen |= set(fetched_state(paths, shard)["id"].to_pylist())
    listed_ids = set(listed["id"].to_pylist())
    not_listed = sorted(set(repos) - listed_ids)
    return listed.filter(pc.is_in(listed["id"], pa.array(sorted(chosen), pa.string()))), not_listed


def _retrying(call):
    for attempt in range(ATTEMPTS):
        try:
            return call()
        except (RepositoryNotFoundError, RetriesExhausted):
            raise  # RetriesExhausted: the client's transport already retried this request to its limit
        except HfHubHTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if attempt + 1 == ATTEMPTS or not (status is None or status == 429 or status >= 500):
                raise
        except httpx2.TransportError:
            if attempt + 1 == ATTEMPTS:
                raise
        time.sleep(BACKOFF_SECONDS * 2 ** attempt)
    raise AssertionError("unreachable")


class _Fetcher:
    def __init__(self, endpoint: str, token, max_trees_per_repo: int | None):
        self.api = hub_api(endpoint, token)
        self.headers = build_hf_headers(token=self.api.token, library_name="hubmine")
        self.max_trees = max_trees_per_repo

    def log(self, repo_id: str, sha: str, stop_at: str | None) -> tuple[list[dict], bool, int | None]:
        """Commits newest first down to (not including) ``stop_at``; whether ``stop_at`` was met;
        the log's total length when the server says it (``X-Total-Count``)."""
        validate_repo_id(repo_id)  # the id goes into a URL path: no "../" from a hostile listing
        url = f"{self.api.endpoint}/api/models/{repo_id}/commits/{quote(sha, safe='')}"
        # paginate, not list_repo_commits: that one walks every page before returning, and a
        # changed repo usually needs only the first.
        out: list[dict] = []
        for item in paginate(url, params={}, headers=self.headers):
            if stop_at is not None and item["id"] == stop_at:
                return out, True, None
            out.append(item)
        return out, False, len(out)

    def log_retrying(self, repo_id: str, sha: str, stop_at: str | None):
        return _retrying(lambda: self.log(repo_id, sha, stop_at))

    def tree(self, repo_id: str, commit_id: str) -> list[dict]:
        def walk():
            rows = []
            for entry in self.api.list_repo_tree(repo_id, revision=commit_id, recursive=True):
                path = entry.path
                if not (path == README or is_weight_file(path)) or not hasattr(entry, "blob_id"):
                    continue
                lfs = entry.lfs
                rows.append({"path": path, "oid": entry.blob_id, "size": entry.size,
                             "lfs_oid": lfs.sha256 if lfs else None, "lfs_size": lfs.size if lfs else None})
            return rows
        return _retrying(walk)

    def refs(self, repo_id: str) -> list[dict]:
        refs = _retrying(lambda: self.api.list_repo_refs(repo_id))
        out = []
        for kind, items in (("branch", refs.branches), ("tag", refs.tags), ("convert", refs.converts)):
            out += [{"kind": kind, "name": r.name, "ref": r.ref, "target_commit": r.target_commit} for r in items]
        return out

    def repo(self, repo_id: str, sha: str, previous: tuple[str, int] | None) -> dict[str, Any]:
        """Everything landed for one repo, or an error (or disabled) row alone."""
        prev_sha, prev_count = previous or (None, 0)
        head = {"id": repo_id, "sha": sha, "status": "ok", "error": None, "http_status": None,
                "previous_sha": prev_sha, "full_listing": True, "commits_total": 0, "new_commits": 0,
                "trees_fetched": 0}
        try:
            refs = self.refs(repo_id)
            new, met, _ = self.log_retrying(repo_id, sha, prev_sha)
            # Not met: a first fetch, or the old head is gone from the log (rewritten history): land all of it.
            full = not met
            total = len(new) + (prev_count if met else 0)
            commits = []
            for i, item in enumerate(new):
                commits.append({"id": repo_id, "commit_id": item["id"], "seq": total - 1 - i,
                                "date": datetime.fromisoformat(item["date"]), "title": item.get("title"),
                                "message": item.get("message"),
                                "authors": [a.get("user") for a in item.get("authors") or []],
                                "tree_fetched": False})
            files = []
            limit = len(commits) if self.max_trees is None else min(self.max_trees, len(commits))
            for commit in commits[:limit]:  # newest first
                files += [{"id": repo_id, "commit_id": commit["commit_id"], **f}
                          for f in self.tree(repo_id, commit["commit_id"])]
                commit["tree_fetched"] = True
        except (HfHubHTTPError, httpx2.TransportError, OSError, ValueError, KeyError) as exc:
            response = getattr(exc, "response", None)
            disabled = isinstance(exc, DisabledRepoError)
            # Disabled: what was landed before stays the base of the next fetch, log length and all.
            head.update(status="disabled" if disabled else "error", error=f"{type(exc).__name__}: {exc}"[:2000],
                        http_status=getattr(response, "status_code", None), full_listing=None,
                        commits_total=prev_count if disabled else 0)
            return {"repos": [head], "commits": [], "files": [], "refs": []}
        head.update(full_listing=full, commits_total=total, new_commits=len(commits), trees_fetched=limit)
        return {"repos": [head], "commits": commits, "files": files,
                "refs": [{"id": repo_id, **r} for r in refs]}


@dataclass
class HistoryPlan:
    """What a history run will fetch, known before its first request."""

    selected: pa.Table                              # the policy's listed repos (``id, sha``)
    not_listed: list[str]                           # repos named by the policy that are not listed
    todo: list[tuple[str, str]]                     # (id, listed sha) of the repos to fetch
    previous: dict[str, tuple[str | None, int]]     # per tracked repo: head landed before, its log length


def plan_history(paths: Paths, *, top_n: int = 1000, repos=(), authors=(), shard: Shard | None = None) -> HistoryPlan:
    """The repos a history run of this policy (and shard) fetches: those whose listed sha is neither
    the head landed before nor the sha at which the Hub said the repo was disabled."""
    selected, not_listed = select_repos(paths, top_n=top_n, repos=repos, authors=authors, shard=shard)
    if shard is not None:
        selected = shard.filter(selected)
    state = fetched_state(paths, shard)
    ids = state["id"].to_pylist()
    previous = dict(zip(ids, zip(state["sha"].to_pylist(), state["commits"].to_pylist())))
    disabled_at = dict(zip(ids, state["disabled_sha"].to_pylist()))
    todo = [(i, s) for i, s in zip(selected["id"].to_pylist(), selected["sha"].to_pylist())
            if previous.get(i, (None,))[0] != s and disabled_at.get(i) != s]
    return HistoryPlan(selected, not_listed, todo, previous)


@resilient
def crawl_history(*, paths: Paths, endpoint: str | None = None, token: str | bool | None = None,
                  run_id: str | None = None, fetched_at: datetime | None = None, top_n: int = 1000,
                  repos=(), authors=(), workers: int = 4, max_trees_per_repo: int | None = None,
                  progress: bool = True, shard: Shard | None = None, plan: HistoryPlan | None = None) -> HistoryResult:
    """Land the commit history, refs and per-commit weight/README files of the policy's repos.

    Needs a models listing first (``crawl_models``). ``top_n`` = 0 turns the top-N part of the
    policy off. ``max_trees_per_repo`` walks the trees of only the newest that many new commits
    of each repo (their commits still land, marked ``tree_fetched = false``); None walks all.
    Errors per repo are landed as rows, never raised.
    With ``shard``, only the policy's repos in that shard: the run lands as
    ``<run_id>-shard-<i>of<n>`` and only that shard's state part is written (as in ``crawl_cards``).
    ``plan``: what :func:`plan_history` gave for the same policy and shard (to announce its cost
    first without planning twice).
    """
    started = time.monotonic()
    endpoint = hub_endpoint(endpoint)
    fetched_at = fetched_at or data_time(endpoint_provenance(endpoint, token)) or datetime.now(UTC)
    plan = plan or plan_history(paths, top_n=top_n, repos=repos, authors=authors, shard=shard)
    selected, not_listed, todo, previous = plan.selected, plan.not_listed, plan.todo, plan.previous
    run_id = run_id or new_run_id(fetched_at)
    if shard is not None:
        run_id = shard.run_id(run_id)
    run = LandingRun(paths.landing, SOURCE, run_id)
    run.start()
    fetcher = _Fetcher(endpoint, token, max_trees_per_repo)
    requests_before = STATS.by_bucket["api"]
    rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    with ThreadPoolExecutor(max_workers=workers) as pool, \
            tqdm(total=len(todo), desc="fetching history", unit=" repos", disable=progress_disabled(progress)) as bar:
        for got in pool.map(lambda pair: fetcher.repo(*pair, previous.get(pair[0])), todo):
            for name, items in got.items():
                rows[name] += items
            bar.update(1)
    tables: dict[str, list[str]] = {}
    for name, schema in SCHEMAS.items():
        run.write_rows(rows[name], schema, fetched_at)
        tables[name] = [run.parts[-1].name]
    ok = [r for r in rows["repos"] if r["status"] == "ok"]
    disabled = sum(r["status"] == "disabled" for r in rows["repos"])
    errors = len(rows["repos"]) - len(ok) - disabled
    trees = sum(r["trees_fetched"] for r in ok)
    seconds = time.monotonic() - started
    requests = STATS.by_bucket["api"] - requests_before
    run.finish({"fetched_at": fetched_at.isoformat(), "endpoint": endpoint, "tables": tables,
                "policy": {"top_n": top_n, "repos": len(repos), "authors": list(authors),
                           "max_trees_per_repo": max_trees_per_repo},
                "selected": selected.num_rows, "attempted": len(todo), "ok": len(ok), "errors": errors,
                "disabled": disabled,
                "not_listed": not_listed, "commits": len(rows["commits"]), "trees": trees,
                "api_requests": requests, "seconds": round(seconds, 3), "shard": shard.label if shard else None})
    # The sha (and log length) each settled repo was fetched at; failed repos stay as they were.
    record_run(paths, STATE_FILE, STATE_SCHEMA, _state_rows(rows["repos"], run.run_id), run.run_id, shard=shard)
    return HistoryResult(run.run_id, run.dir, selected.num_rows, len(todo), len(ok), errors,
                         len(rows["commits"]), trees, requests, seconds, not_listed, disabled)
