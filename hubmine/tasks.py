"""What the Airflow DAGs (``dags/``) run: one plain function per task, over the library the CLI uses.

The DAG files only declare schedules, pools, assets and the order of these calls; everything a task
does is here, so it can be read, tested and run without a scheduler. Every function takes and
returns JSON-able values (they travel as XComs) and never returns the Hub token.

Concurrency rules the DAGs rely on:

- Crawls only write the landing zone and their own miner state; the shards of a detail crawl
  each land their own run (``<run_id>-shard-<i>of<n>``) and state part (``miners.shards``), and
  catch up (``miners.state.catch_up``) only their own shard's runs, into that part alone.
- Everything that opens the DuckDB file (load, analyses, the report, reading lineage families)
  runs in the one-slot pool :data:`POOL_WAREHOUSE`: one writer, and no reader while it writes.
- Tasks that call the Hub run in the pool of the rate-limit bucket they spend, and pace
  themselves to their slot's share of that bucket (:func:`pools`, :func:`task_rate`), so however
  many shards are mapped the Hub sees at most ``SAFETY`` of its limit.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.config import Paths, hub_endpoint
from miners.tiers import RATE_LIMIT_PRESETS, WINDOW_SECONDS

log = logging.getLogger(__name__)

CONNECTION_ID = "hubmine_hub"

# -- pools -------------------------------------------------------------------------------------------
POOL_WAREHOUSE = "hubmine_warehouse"
BUCKET_POOLS = {"api": "hubmine_hub_api", "resolvers": "hubmine_hub_resolvers", "pages": "hubmine_hub_pages"}
SAFETY = 0.9          # share of a bucket hubmine may use: the rest absorbs clock skew and other clients
# Requests per window one running task may spend on a bucket: a pool gets limit // budget slots,
# so a bigger account tier runs more shards at once instead of each shard running faster.
SLOT_BUDGET = {"api": 250, "resolvers": 1000, "pages": 50}
# A hub without limits (the replay hub): pools for a small machine, no pacing.
UNLIMITED = "unlimited"
UNLIMITED_SLOTS = 2
TIERS = (*RATE_LIMIT_PRESETS, UNLIMITED)


def warehouse_placement() -> dict[str, str]:
    """Where the tasks that open the DuckDB file run, when workers are on several machines: the
    Celery queue (``$HUBMINE_WAREHOUSE_QUEUE``, served by the one worker that holds the file) or
    the executor (``$HUBMINE_WAREHOUSE_EXECUTOR``, e.g. ``LocalExecutor`` beside a Kubernetes
    executor, so they run on the scheduler's host). Empty, i.e. Airflow's defaults, when unset.
    Read when the DAG files are parsed."""
    out = {}
    if queue := os.environ.get("HUBMINE_WAREHOUSE_QUEUE"):
        out["queue"] = queue
    if executor := os.environ.get("HUBMINE_WAREHOUSE_EXECUTOR"):
        out["executor"] = executor
    return out


# -- assets ------------------------------------------------------------------------------------------
# Names only: an asset is how one DAG tells the scheduler another may start, nothing reads its URI.
ASSET_MODELS = "hubmine_models_loaded"
ASSET_CARDS = "hubmine_cards_loaded"
ASSET_HISTORY = "hubmine_history_loaded"
ASSET_MARTS = "hubmine_marts_built"

# -- task defaults -----------------------------------------------------------------------------------
# Retries for the Hub's bad minutes (5xx bursts, a 429 storm): 2, 4, 8 min apart, at most 30.
DEFAULT_ARGS: dict[str, Any] = {
    "owner": "hubmine",
    "retries": 3,
    "retry_delay": 120.0,
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": 1800.0,
}
# What every DAG declares alike, spread into each ``@dag(...)`` beside its id, schedule and params:
# no backfill of missed days (a crawl sees the Hub as it is now) and one run of a DAG at a time.
DAG_DEFAULTS: dict[str, Any] = {
    "start_date": datetime(2026, 1, 1, tzinfo=UTC),
    "catchup": False,
    "max_active_runs": 1,
    "default_args": DEFAULT_ARGS,
    "tags": ["hubmine"],
}
DEFAULT_SHARDS = int(os.environ.get("HUBMINE_SHARDS", "4"))
CARD_WORKERS = 4  # download threads per cards shard (paced together, see resilience.BucketPacer)
HISTORY_WORKERS = 2


def tier_slots(tier: str) -> dict[str, int]:
    """Slots of each bucket's pool for an account tier (anonymous, free, pro, or unlimited)."""
    if tier == UNLIMITED:
        return {bucket: UNLIMITED_SLOTS for bucket in BUCKET_POOLS}
    if tier not in RATE_LIMIT_PRESETS:
        raise ValueError(f"unknown Hub tier {tier!r}; one of {', '.join(TIERS)}")
    limits = RATE_LIMIT_PRESETS[tier]
    return {bucket: max(1, limits[bucket] // SLOT_BUDGET[bucket]) for bucket in BUCKET_POOLS}


def pools(tier: str) -> dict[str, dict[str, Any]]:
    """Airflow pools for ``tier``, in the format of ``airflow pools import FILE``."""
    slots = tier_slots(tier)
    out = {POOL_WAREHOUSE: {"slots": 1, "include_deferred": False,
                            "description": "hubmine: the DuckDB warehouse admits one writer and no reader meanwhile"}}
    for bucket, name in BUCKET_POOLS.items():
        limit = "no limit" if tier == UNLIMITED else f"{RATE_LIMIT_PRESETS[tier][bucket]} requests / 5 min"
        out[name] = {"slots": slots[bucket], "include_deferred": False,
                     "description": f"hubmine: tasks spending the Hub's {bucket} bucket ({tier}: {limit})"}
    return out


def task_rate(bucket: str, tier: str) -> float | None:
    """Requests per second one task in ``bucket``'s pool may send: its slot's share of the limit."""
    if tier == UNLIMITED:
        return None
    return SAFETY * RATE_LIMIT_PRESETS[tier][bucket] / WINDOW_SECONDS / tier_slots(tier)[bucket]


def _pace(bucket: str, tier: str) -> None:
    """Cap this process's request rate for a task in ``bucket``'s pool (and quiet the HTTP client's
    log). The cap is set on the client's one pacer (``miners.resilience.BucketPacer``), where it
    holds on top of the budget the Hub's ``RateLimit`` headers give and the blocking after a 429:
    tasks in other processes share the account, and the headers cannot tell what they have in flight."""
    from miners.hubclient import PACER

    for name in BUCKET_POOLS:
        PACER.set_rate(name, task_rate(name, tier) if name == bucket else None)
    # Airflow logs tasks at INFO, where the HTTP client writes a line per request: 150,000 lines
    # for a day's cards. The miners' own summaries say what was fetched.
    for name in ("httpx2", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)


# -- Hub access --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HubAccess:
    endpoint: str
    token: str | None = field(default=None, repr=False)  # never in a repr, a log line or an XCom
    tier: str = "anonymous"


def _airflow_connection(conn_id: str):
    """The Airflow connection ``conn_id``, or None where it is not defined (or not in Airflow)."""
    try:
        from airflow.sdk import Connection
        from airflow.sdk.exceptions import AirflowNotFoundException
    except ImportError:
        return None
    try:
        return Connection.get(conn_id)
    except AirflowNotFoundException:
        return None


def _connection_endpoint(conn) -> str | None:
    host = (conn.host or "").strip()
    if not host:
        return None
    if "://" not in host:
        scheme = next((s for s in (conn.schema, conn.conn_type) if s in ("http", "https")), "https")
        host = f"{scheme}://{host}" + (f":{conn.port}" if conn.port else "")
    return host.rstrip("/")


def env_tier(token: str | None = None) -> str:
    """``$HUBMINE_HUB_TIER``, else ``free`` with a token (``token`` or ``$HF_TOKEN``), else ``anonymous``."""
    return os.environ.get("HUBMINE_HUB_TIER") or ("free" if token or os.environ.get("HF_TOKEN") else "anonymous")


def hub_access(conn_id: str = CONNECTION_ID) -> HubAccess:
    """Endpoint, token and account tier for this task.

    From the Airflow connection ``conn_id`` (host = endpoint, password = token, extra
    ``{"tier": "free"}``) where it defines them, else ``$HF_ENDPOINT`` / ``$HF_TOKEN`` /
    ``$HUBMINE_HUB_TIER``. Default tier: ``free`` with a token, ``anonymous`` without. The token is
    registered with Airflow's secrets masker (a connection's password already is), so a log line
    that ever contained it would show ``***``.
    """
    conn = _airflow_connection(conn_id)
    extra = conn.extra_dejson if conn is not None else {}
    endpoint = (_connection_endpoint(conn) if conn is not None else None) or hub_endpoint()
    token = (conn.password if conn is not None else None) or os.environ.get("HF_TOKEN") or None
    if token:
        try:
            from airflow.sdk.log import mask_secret
        except ImportError:
            pass
        else:
            mask_secret(token)
    tier = extra.get("tier") or env_tier(token)
    if tier not in TIERS:
        raise ValueError(f"unknown Hub tier {tier!r} (connection {conn_id} or $HUBMINE_HUB_TIER); "
                         f"one of {', '.join(TIERS)}")
    return HubAccess(endpoint, token, tier)


def _token(access: HubAccess) -> str | bool:
    # False, not None: without a configured token huggingface_hub must not pick one up by itself
    # (a developer's cached login), so that what a DAG sends is exactly what was configured.
    return access.token or False


# -- runs --------------------------------------------------------------------------------------------
def _when(as_of: str | datetime) -> datetime:
    return as_of if isinstance(as_of, datetime) else datetime.fromisoformat(as_of)


def plan_run(now: datetime | None = None) -> dict:
    """The landing run of one DAG run: its id and fetch time, both from the moment of planning.

    Planned once per DAG run and handed to the crawl as an XCom, so a retried crawl finds the run
    it already landed instead of crawling again. Real time, not the DAG run's ``run_after``: the
    loader refuses a run older than one it has loaded, and loads pending runs in name order, so
    run ids and fetch times must grow in the order crawls really happen (a delayed or cleared DAG
    run crawls the Hub as it is when it runs).
    """
    from miners.landing import new_run_id

    now = now or datetime.now(UTC)
    return {"run_id": new_run_id(now), "as_of": now.isoformat()}


def _already_landed(paths: Paths, source: str, run_id: str, catch_up: Callable[[], object]) -> dict | None:
    """The landed run's summary when ``run_id`` is already landed (None: crawl it), after ``catch_up()``
    folds it into the miner state: an attempt killed between its manifest and its state write left it out."""
    from miners.landing import LandingRun, read_manifest

    run = LandingRun(paths.landing, source, run_id)
    if not run.complete:
        return None
    log.info("%s run %s already landed; not crawled again", source, run_id)
    catch_up()
    manifest = read_manifest(run.dir)
    return {"run_id": run_id, "already_landed": True,
            **{k: v for k, v in manifest.items() if isinstance(v, int | float) and not isinstance(v, bool)}}


def _paced_access(bucket: str) -> HubAccess:
    """The Hub access to crawl with, this process paced to ``bucket``'s pool."""
    access = hub_access()
    _pace(bucket, access.tier)
    return access


def _log_cost(cost, access: HubAccess) -> None:
    """Log what the crawl is about to cost at this task's paced share of the tier's limit."""
    from miners.cost import describe

    rate = task_rate(cost.bucket, access.tier)
    share = 1.0 if rate is None else rate * WINDOW_SECONDS / RATE_LIMIT_PRESETS[access.tier][cost.bucket]
    log.info("%s", describe(cost, access.tier, share))


# -- hub_snapshot ------------------------------------------------------------------------------------
def snapshot_models(plan: dict) -> dict:
    """List every model into the planned landing run (:func:`plan_run`); a run already landed is
    not crawled again, and one a killed or failed attempt left unfinished goes on after its last
    landed part (``miners.models.crawl_models``)."""
    from miners.cost import models_cost, previous_listing_size
    from miners.models import SOURCE, crawl_models, listed_state

    paths = Paths.from_env()
    run_id = plan["run_id"]
    if (done := _already_landed(paths, SOURCE, run_id, lambda: listed_state(paths))) is not None:
        return done
    access = _paced_access("api")
    log.info("listing models at %s (tier %s) into %s run %s", access.endpoint, access.tier, SOURCE, run_id)
    _log_cost(models_cost(previous_listing_size(paths)), access)
    r = crawl_models(paths=paths, endpoint=access.endpoint, token=_token(access), run_id=run_id,
                     fetched_at=_when(plan["as_of"]), progress=False)
    return {"run_id": r.run_id, "models": r.models, "new": r.new, "changed": r.changed,
            "api_requests": r.requests, "seconds": round(r.seconds, 2)}


def load(source: str) -> dict:
    """Load every finished, not yet loaded landing run of ``source`` (all shards of all runs)."""
    from warehouse.load import load_pending

    paths = Paths.from_env()
    results = load_pending(paths, sources=(source,))
    loaded = [r for r in results if not r.skipped]
    for r in loaded:
        log.info("loaded %s run %s: %s rows %s", r.source, r.run_id, r.rows, r.summary)
    return {"source": source, "loaded_runs": [r.run_id for r in loaded], "rows": sum(r.rows for r in loaded),
            "already_loaded": len(results) - len(loaded), "warehouse": str(paths.warehouse)}


# -- shards (hub_cards, hub_history) -------------------------------------------------------------------
def plan_shards(count: int, now: datetime | None = None) -> list[dict]:
    """One entry per shard to map a crawl over, all sharing one :func:`plan_run`: the same base
    run id (each shard lands ``<run_id>-shard-<i>of<n>``) and fetch time, so the loader takes the
    shard runs in shard order without finding one older than the one before."""
    count = int(count)
    if count < 1:
        raise ValueError(f"shards must be at least 1, not {count}")
    plan = plan_run(now)
    return [{"index": i, "count": count, **plan} for i in range(count)]


def _shard(spec: dict):
    from miners.shards import Shard

    return Shard(int(spec["index"]), int(spec["count"]))


# -- hub_cards: a first run starts from the public card dump --------------------------------------------
BOOTSTRAP_ENV = "HUBMINE_BOOTSTRAP_CARDS"  # auto (default) | off
CARD_DUMP_ENV = "HUBMINE_CARD_DUMP"        # the dump's dataset repo (default: miners.bootstrap.DEFAULT_DATASET)
BOOTSTRAP_MODES = ("auto", "off")


def bootstrap_mode() -> str:
    """``$HUBMINE_BOOTSTRAP_CARDS`` (default ``auto``): the hub_cards DAG's default ``bootstrap`` param."""
    mode = (os.environ.get(BOOTSTRAP_ENV) or "auto").strip().lower()
    if mode not in BOOTSTRAP_MODES:
        raise ValueError(f"${BOOTSTRAP_ENV}={mode!r}: expected one of {', '.join(BOOTSTRAP_MODES)}")
    return mode


def card_dump() -> str:
    from miners.bootstrap import DEFAULT_DATASET

    return os.environ.get(CARD_DUMP_ENV) or DEFAULT_DATASET


def bootstrap_cards_if_empty(mode: str = "auto", dataset: str | None = None) -> dict:
    """hub_cards' first task: with ``mode`` auto and no card landed yet, land the card dump's current
    cards (``miners.bootstrap``), so the crawl that follows fetches only the rest. A dump that cannot
    be used (not found, columns missing) is logged and skipped: the crawl then fetches every card."""
    from miners.bootstrap import BootstrapError, bootstrap_cards
    from miners.cards import fetched_state

    if mode not in BOOTSTRAP_MODES:
        raise ValueError(f"bootstrap mode {mode!r}: expected one of {', '.join(BOOTSTRAP_MODES)}")
    paths = Paths.from_env()
    if mode == "off":
        return {"bootstrapped": False, "reason": "bootstrap off"}
    if fetched_state(paths).num_rows:
        return {"bootstrapped": False, "reason": "cards already landed"}
    access = _paced_access("resolvers")
    dataset = dataset or card_dump()
    log.info("no cards landed yet: bootstrapping from %s at %s", dataset, access.endpoint)
    try:
        r = bootstrap_cards(paths=paths, endpoint=access.endpoint, token=_token(access), dataset=dataset,
                            progress=False)
    except BootstrapError as exc:
        log.warning("not bootstrapped from the card dump (the crawl fetches every card): %s", exc)
        return {"bootstrapped": False, "reason": str(exc)}
    return {"bootstrapped": True, "run_id": r.run_id, "dataset": r.dataset, "revision": r.revision,
            "landed": r.landed, "stale": r.stale, "unlisted": r.unlisted, "requests": r.requests,
            "seconds": round(r.seconds, 2)}


def crawl_cards_shard(shard: dict, workers: int = CARD_WORKERS) -> dict:
    """README.md of the changed models in one shard, landed as that shard's run."""
    from miners.cards import SOURCE, crawl_cards, fetched_state, plan_cards
    from miners.cost import cards_cost

    paths, part = Paths.from_env(), _shard(shard)
    # A landed run catches up only this shard's part of the miner state.
    if (done := _already_landed(paths, SOURCE, part.run_id(shard["run_id"]),
                                lambda: fetched_state(paths, part))) is not None:
        return done
    access = _paced_access("resolvers")
    log.info("fetching changed cards of %s at %s (tier %s)", part.label, access.endpoint, access.tier)
    plan = plan_cards(paths, shard=part)
    _log_cost(cards_cost(plan.num_rows), access)
    r = crawl_cards(paths=paths, endpoint=access.endpoint, token=_token(access), run_id=shard["run_id"],
                    fetched_at=_when(shard["as_of"]), workers=int(workers), progress=False, shard=part, plan=plan)
    return {"run_id": r.run_id, "attempted": r.attempted, "ok": r.ok, "missing": r.missing, "disabled": r.disabled,
            "errors": r.errors, "resolver_requests": r.requests, "seconds": round(r.seconds, 2)}


def history_policy(*, top_n: int = 1000, repos=(), authors=(), families=(),
                   max_trees_per_repo: int | None = None) -> dict:
    """Which repos the history crawl follows; lineage families become their members' repo ids
    (read from the warehouse, which is why the DAG runs this in the warehouse pool)."""
    repos = list(repos)
    if families:
        from analysis.lineage.marts import family_members

        repos += family_members(Paths.from_env().warehouse, families)
    return {"top_n": int(top_n), "repos": sorted(set(repos)), "authors": sorted(set(authors)),
            "max_trees_per_repo": int(max_trees_per_repo) if max_trees_per_repo else None}


def crawl_history_shard(shard: dict, policy: dict, workers: int = HISTORY_WORKERS) -> dict:
    """Commits, refs and weight/README files of the followed repos in one shard whose sha changed."""
    from miners.cost import history_cost
    from miners.history import SOURCE, crawl_history, fetched_state, plan_history

    paths, part = Paths.from_env(), _shard(shard)
    # A landed run catches up only this shard's part of the miner state.
    if (done := _already_landed(paths, SOURCE, part.run_id(shard["run_id"]),
                                lambda: fetched_state(paths, part))) is not None:
        return done
    access = _paced_access("api")
    log.info("fetching history of %s at %s (tier %s), policy %s", part.label, access.endpoint, access.tier,
             {k: (v if k != "repos" else len(v)) for k, v in policy.items()})
    plan = plan_history(paths, top_n=policy["top_n"], repos=policy["repos"], authors=policy["authors"], shard=part)
    _log_cost(history_cost(len(plan.todo)), access)
    r = crawl_history(paths=paths, endpoint=access.endpoint, token=_token(access), run_id=shard["run_id"],
                      fetched_at=_when(shard["as_of"]), top_n=policy["top_n"], repos=policy["repos"],
                      authors=policy["authors"], max_trees_per_repo=policy["max_trees_per_repo"],
                      workers=int(workers), progress=False, shard=part, plan=plan)
    return {"run_id": r.run_id, "selected": r.selected, "attempted": r.attempted, "ok": r.ok, "errors": r.errors,
            "disabled": r.disabled, "commits": r.commits, "trees": r.trees, "api_requests": r.requests, "seconds": round(r.seconds, 2)}


# -- hub_analysis, hub_report ------------------------------------------------------------------------
def analyze() -> dict:
    """Every analysis mart (each re-analyses only models whose input changed)."""
    from analysis.run import run_analyses

    return run_analyses(Paths.from_env(), progress=False)


def publish_dir(paths: Paths) -> Path:
    """Where the published site lives: ``$HUBMINE_PUBLISH_DIR`` (e.g. a web server's root or a
    mounted bucket) or ``<home>/reports``, where ``hubmine report`` puts it too."""
    target = os.environ.get("HUBMINE_PUBLISH_DIR")
    return Path(target).resolve() if target else paths.reports


def build_report() -> dict:
    """Build the static site from the warehouse (read-only) and publish it: ``build_site`` writes
    a fresh folder beside the destination and swaps it in whole, so a reader of the published
    folder sees the old site or the new one, never half of each."""
    from report.build import build_site

    paths = Paths.from_env()
    site = Path(build_site(paths, publish_dir(paths), progress=False))
    files = sum(1 for p in site.rglob("*") if p.is_file())
    log.info("published the site (%d files) at %s", files, site)
    return {"site": str(site), "index": str(site / "index.html"), "files": files}
