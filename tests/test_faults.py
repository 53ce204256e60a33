"""Faults: what the replay hub injects, as a plain HTTP client sees it, and the miners getting through
it with nothing lost or doubled (real replay hub, real huggingface_hub client, real DuckDB; no mocks)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from datetime import UTC, datetime

import httpx2
import pyarrow.parquet as pq
import pytest
from helpers import query, requests_during_429_blocks, warehouse_checksums

from core.config import Paths
from miners import hubclient
from miners.cards import crawl_cards, fetched_state
from miners.history import crawl_history
from miners.hubclient import STATS
from miners.models import crawl_models
from replayhub.server import BUCKETS, FAULT_KINDS, FaultPlan, HubConfig, ReplayHub, parse_faults
from replayhub.snapshot import SnapshotWriter
from replayhub.synth import generate
from warehouse.load import load_pending

AS_OF = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
READ_TIMEOUT = 2.0  # the client's, in these tests; timeout faults stall longer than that
STALL = READ_TIMEOUT + 0.5
CARD_WORKERS = 8


@pytest.fixture
def short_timeout():
    hubclient.configure(timeout=READ_TIMEOUT)
    yield
    hubclient.configure(timeout=hubclient.DEFAULT_READ_TIMEOUT)


@pytest.fixture(scope="module")
def small_hub(tmp_path_factory):
    """A 300-model generated hub (cards, commits, trees) for the quick tests."""
    out = tmp_path_factory.mktemp("small_hub")
    generate(out, models=300, seed=5, progress=False)
    return out


@pytest.fixture(scope="module")
def listing_hub(tmp_path_factory):
    """2,500 plain models: a listing of three pages."""
    out = tmp_path_factory.mktemp("listing_hub")
    with SnapshotWriter(out, source="test") as writer:
        for i in range(2_500):
            writer.add_model({"id": f"org{i % 7}/m-{i:05d}", "author": f"org{i % 7}", "sha": f"{i:040x}",
                              "downloads": i * 37 % 1000, "likes": i % 9, "tags": ["t"],
                              "createdAt": "2024-01-01T00:00:00.000Z", "lastModified": "2024-02-01T00:00:00.000Z"})
    return out


def log_rows(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# ---------------------------------------------------------------- the fault plan


def test_parse_faults():
    assert parse_faults("all=0.06", BUCKETS) == {k: pytest.approx(0.01) for k in FAULT_KINDS}
    assert parse_faults("5xx=0.1, api.429=0.5, broken-link=0.2", BUCKETS) == {
        "5xx": 0.1, "429": {"api": 0.5}, "broken_link": 0.2}
    assert parse_faults("timeout=0.1,resolvers.timeout=0.3", BUCKETS) == {
        "timeout": {"api": 0.1, "resolvers": 0.3, "pages": 0.1}}
    assert parse_faults("", BUCKETS) == {}
    for bad in ("429", "boom=0.1", "web.429=0.1", "429=2", "429=x"):
        with pytest.raises(ValueError):
            parse_faults(bad, BUCKETS)


def test_fault_draws_depend_on_seed_label_and_request_only():
    rates = parse_faults("all=0.3", BUCKETS)
    targets = [f"/api/models/org/m{i}" for i in range(300)] * 3  # every target drawn three times

    def draws(seed: int, label: str, order: list[str]) -> dict[str, list]:
        plan = FaultPlan(rates, seed=seed, label=label)
        out: dict[str, list] = {}
        for target in order:
            out.setdefault(target, []).append(plan.draw("api", "GET", target)[0])
        return out

    first = draws(1, "day0", targets)
    # Another arrival order (as concurrent threads would make) gives each attempt the same fate.
    assert draws(1, "day0", targets[::-1]) == first
    assert draws(1, "day1", targets) != first and draws(2, "day0", targets) != first
    kinds = Counter(k for attempts in first.values() for k in attempts)
    assert 0.25 < 1 - kinds[None] / len(targets) < 0.35
    assert all(kinds[k] > 0 for k in FAULT_KINDS)
    # A retry draws again: the 2nd attempt at a URL is not doomed by the 1st.
    assert any(a[0] is not None and a[1] is None for a in first.values())


# ---------------------------------------------------------------- each fault as a plain client sees it


def only(kind: str, bucket: str = "api", **extra) -> HubConfig:
    return HubConfig(faults={kind: {bucket: 1.0}}, stall_seconds=0.6, **extra)


def test_injected_429_spends_the_window(small_hub, tmp_path):
    log = tmp_path / "log.jsonl"
    with ReplayHub(small_hub, config=only("429", rate_limits={"api": 500}, window_seconds=60,
                                          request_log=log)) as hub, httpx2.Client() as client:
        first = client.get(f"{hub.url}/api/models?limit=5")
        second = client.get(f"{hub.url}/api/models?limit=5")
        other = client.head(f"{hub.url}/{_any_repo(hub, client)}/resolve/main/README.md")
    assert first.status_code == second.status_code == 429
    assert first.headers["RateLimit"].startswith('"api";r=0;t=') and 0 < int(first.headers["Retry-After"]) <= 60
    assert first.headers["RateLimit-Policy"] == '"fixed window";"api";q=500;w=60'
    rows = log_rows(log)
    # The second was refused because the window is spent, not by a second draw; other buckets are unaffected.
    assert [r.get("fault") for r in rows[:2]] == ["429", None]
    assert rows[0]["reset_at"] > rows[0]["done"] and other.status_code in (307, 404)  # resolve: 307 to the cache


def _any_repo(hub, client) -> str:
    # api requests are all refused in that test: read a repo id from the snapshot instead.
    import sqlite3

    db = sqlite3.connect(hub.snapshot_dir / "hub.sqlite")
    try:
        return db.execute("SELECT id FROM models ORDER BY pos LIMIT 1").fetchone()[0]
    finally:
        db.close()


def test_server_errors_resets_and_timeouts(small_hub):
    with httpx2.Client(timeout=0.3) as client:
        with ReplayHub(small_hub, config=only("5xx")) as hub:
            statuses = {client.get(f"{hub.url}/api/models?limit={n}").status_code for n in range(1, 30)}
        assert statuses <= {500, 502, 503, 504} and len(statuses) > 1
        with ReplayHub(small_hub, config=only("reset")) as hub:
            with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadError)):
                client.get(f"{hub.url}/api/models?limit=5")
        with ReplayHub(small_hub, config=only("timeout")) as hub:
            started = time.perf_counter()
            with pytest.raises(httpx2.ReadTimeout):
                client.get(f"{hub.url}/api/models?limit=5")
            assert time.perf_counter() - started >= 0.3


def test_truncated_bodies_and_broken_links_look_like_success(small_hub):
    with httpx2.Client() as client:
        with ReplayHub(small_hub, config=only("truncated")) as hub:
            r = client.get(f"{hub.url}/api/models?limit=50")
            assert r.status_code == 200 and int(r.headers["Content-Length"]) == len(r.content)
            with pytest.raises(json.JSONDecodeError):
                json.loads(r.content)
        with ReplayHub(small_hub, config=only("broken_link")) as hub:
            links = set()
            for n in range(10, 30):
                r = client.get(f"{hub.url}/api/models?limit={n}&expand=downloads")
                assert r.status_code == 200 and len(r.json()) == n
                next_url = (r.links.get("next") or {}).get("url", "")
                # Whatever the variant, following it would not continue this query.
                assert not (next_url.startswith(f"{hub.url}/api/models?") and "expand=downloads" in next_url)
                links.add(r.headers["Link"].split(">")[-1][:12] if ">" in r.headers["Link"] else "none")
            assert len(links) >= 3  # several kinds of garbage, not one


# ---------------------------------------------------------------- the miners get through


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_listing_survives_each_fault_and_resumes_at_the_failed_cursor(listing_hub, tmp_path, kind):
    # Pages of plain models answer in milliseconds: a short read timeout keeps timeout faults cheap.
    hubclient.configure(timeout=0.5)

    def listing(home: str, config: HubConfig):
        paths = Paths(tmp_path / home)
        with ReplayHub(listing_hub, config=config) as hub:
            result = crawl_models(paths=paths, endpoint=hub.url, run_id="r", fetched_at=AS_OF, progress=False)
        landed = pq.read_table(result.run_dir).drop_columns(["fetched_at"]).sort_by("listed_pos")
        return result, landed

    _, clean = listing("clean", HubConfig())
    log = tmp_path / "faulty.jsonl"
    # Seed 4 gives every kind at least one hit on these three pages (asserted just below).
    config = HubConfig(faults={kind: 0.5}, seed=4, run_label=kind, window_seconds=1, stall_seconds=1.0,
                       request_log=log)
    try:
        result, landed = listing("faulty", config)
    finally:
        hubclient.configure(timeout=hubclient.DEFAULT_READ_TIMEOUT)
    rows = log_rows(log)
    assert any(r.get("fault") == kind for r in rows)
    assert result.models == 2_500 and landed.equals(clean)
    # One good answer per page, in order: each failed page was asked again at its own cursor.
    good = [r["query"].get("cursor") for r in rows if r["status"] == 200 and not r.get("fault")]
    assert len(good) == 3 and good[0] is None and len(set(good)) == 3


def test_errors_past_the_retry_limit_are_recorded_per_model_and_the_run_goes_on(small_hub, tmp_path):
    paths = Paths(tmp_path / "home")
    with ReplayHub(small_hub) as hub:
        crawl_models(paths=paths, endpoint=hub.url, run_id="d0", fetched_at=AS_OF, progress=False)
    broken = HubConfig(faults={"5xx": {"resolvers": 1.0}, "reset": {"api": 1.0}})
    with ReplayHub(small_hub, config=broken) as hub:
        cards = crawl_cards(paths=paths, endpoint=hub.url, run_id="d0", fetched_at=AS_OF, max_cards=20,
                            progress=False)
        history = crawl_history(paths=paths, endpoint=hub.url, run_id="d0", fetched_at=AS_OF, top_n=5,
                                progress=False)
    # Every card request failed: each model asked for gets an error row (not a "missing" card) and does
    # not settle; only models whose listed files hold no README.md settle, as missing, for no request.
    assert (cards.attempted, cards.ok) == (20, 0) and cards.errors >= 15
    assert cards.errors + cards.no_readme == 20 and cards.missing == cards.no_readme
    assert history.attempted == history.errors == 5
    assert fetched_state(paths).num_rows == cards.no_readme
    load_pending(paths)
    errors = query(paths, "SELECT count(*), count(*) FILTER (WHERE error LIKE '%failed 8 times%') "
                          "FROM core.card_fetch_errors")
    assert errors == [(cards.errors, cards.errors)]
    assert query(paths, "SELECT count(*) FROM core.history_fetches WHERE status = 'error'") == [(5,)]
    # The next run, against a healthy hub, fetches exactly those.
    with ReplayHub(small_hub) as hub:
        again = crawl_cards(paths=paths, endpoint=hub.url, run_id="d0b", fetched_at=AS_OF, max_cards=20,
                            progress=False)
    assert again.attempted == 20 and again.errors == 0
    assert again.ok + again.missing - again.no_readme >= cards.errors  # the failed ones among them, fetched


def test_miners_pace_below_the_budget(small_hub, tmp_path):
    paths = Paths(tmp_path / "home")
    log = tmp_path / "log.jsonl"
    with ReplayHub(small_hub) as hub:
        crawl_models(paths=paths, endpoint=hub.url, run_id="d0", fetched_at=AS_OF, progress=False)
    limit = 60
    STATS.reset()
    with ReplayHub(small_hub, config=HubConfig(rate_limits={"api": limit}, window_seconds=1, request_log=log)) as hub:
        history = crawl_history(paths=paths, endpoint=hub.url, run_id="d0", fetched_at=AS_OF, top_n=12,
                                workers=4, progress=False)
    rows = log_rows(log)
    assert history.errors == 0
    # The crawl needed several windows' worth of requests, yet the hub never had to refuse one.
    assert len(rows) > 3 * limit
    assert Counter(r["status"] for r in rows)[429] == 0
    assert STATS.waited_seconds["api"] > 0


# ---------------------------------------------------------------- 20k models, 5% faults


# The size: 20,000 models take about 25 s to generate and 40 s to crawl twice and compare
# (HUBMINE_FAULT_TEST_MODELS=5000 runs it smaller while working on it).
N_MODELS = int(os.environ.get("HUBMINE_FAULT_TEST_MODELS", "20000"))
MAX_CARDS = 600
TOP_N = 60
# 5% of requests get a fault in each bucket. Kinds that cannot apply to a bucket's requests (no
# broken Link on file downloads; no truncation of a HEAD) get their share moved to kinds that can.
# Timeouts are rarer than the rest: each costs a read timeout.
FIVE_PERCENT = {
    "429": 0.008, "timeout": 0.006,
    "5xx": {"api": 0.01, "resolvers": 0.012},
    "reset": {"api": 0.01, "resolvers": 0.012},
    "truncated": {"api": 0.008, "resolvers": 0.024},  # resolvers: only the GETs (half) have a body
    "broken_link": {"api": 0.008},
}


@pytest.fixture(scope="module")
def big_hub(tmp_path_factory):
    out = tmp_path_factory.mktemp("big_hub")
    generate(out, models=N_MODELS, seed=11, progress=False)
    return out


IN_FLIGHT_GRACE = 0.3  # seconds; the window is 1 s, so most of it is checked strictly


def crawl_and_load(paths: Paths, hub_dir, config: HubConfig) -> dict:
    started = time.perf_counter()
    with ReplayHub(hub_dir, config=config) as hub:
        models = crawl_models(paths=paths, endpoint=hub.url, run_id="day0", fetched_at=AS_OF, progress=False)
        cards = crawl_cards(paths=paths, endpoint=hub.url, run_id="day0", fetched_at=AS_OF, max_cards=MAX_CARDS,
                            workers=CARD_WORKERS, progress=False)
        history = crawl_history(paths=paths, endpoint=hub.url, run_id="day0", fetched_at=AS_OF, top_n=TOP_N,
                                progress=False)
    crawled = time.perf_counter() - started
    load_pending(paths)
    return {"models": models, "cards": cards, "history": history, "crawl_seconds": crawled}


def test_a_crawl_with_five_percent_faults_lands_the_same_warehouse(big_hub, tmp_path, short_timeout):
    clean_log, faulty_log = tmp_path / "clean.jsonl", tmp_path / "faulty.jsonl"
    clean_paths, faulty_paths = Paths(tmp_path / "clean"), Paths(tmp_path / "faulty")
    STATS.reset()
    clean = crawl_and_load(clean_paths, big_hub, HubConfig(request_log=clean_log))
    STATS.reset()
    faulty = crawl_and_load(faulty_paths, big_hub, HubConfig(
        request_log=faulty_log, faults=FIVE_PERCENT, seed=7, run_label="day0", window_seconds=1,
        stall_seconds=STALL))
    print(f"\nclean crawl {clean['crawl_seconds']:.1f}s, faulty crawl {faulty['crawl_seconds']:.1f}s; "
          f"faulty client: {json.dumps(STATS.summary())}")
    clean_rows, rows = log_rows(clean_log), log_rows(faulty_log)

    # After a 429, no request went to that bucket before the window reset, except the ones other
    # threads had already decided to send before the client read the 429: those arrive right after
    # it (a download's HEAD may bring its GET along on the same connection), at most one download
    # per other thread, and never later than IN_FLIGHT_GRACE on a busy machine.
    blocks = requests_during_429_blocks(rows)
    for r429, during in blocks:
        late = [x for x in during if x["arrived"] > r429["done"] + IN_FLIGHT_GRACE]
        assert late == [], (r429, late)
        assert len({x["conn"] for x in during}) <= CARD_WORKERS - 1, (r429, during)
        assert len(during) <= 2 * (CARD_WORKERS - 1), (r429, during)
    injected = Counter(r["bucket"] for r, _ in blocks if r.get("fault") == "429")
    print(f"injected 429s: {dict(injected)}; 429s in all: {Counter(r['bucket'] for r, _ in blocks)}")
    assert injected["resolvers"] >= 2 and injected["api"] >= 2, injected

    # The faults really happened: about 5% of requests, every kind in every bucket it applies to.
    assert not any(r.get("fault") or r["status"] == 429 for r in clean_rows)
    faults = Counter((r["bucket"], r["fault"]) for r in rows if r.get("fault"))
    assert 0.04 <= sum(faults.values()) / len(rows) <= 0.065, faults
    assert all(faults[("api", kind)] > 0 for kind in FAULT_KINDS), faults
    assert all(faults[("resolvers", kind)] > 0 for kind in FAULT_KINDS if kind != "broken_link"), faults

    # Nothing lost, nothing doubled: every table of the warehouse is the same.
    assert faulty["models"].models == N_MODELS
    assert (faulty["cards"].errors, faulty["history"].errors) == (0, 0)
    assert (faulty["cards"].attempted, faulty["history"].attempted) == (MAX_CARDS, TOP_N)
    assert warehouse_checksums(faulty_paths) == warehouse_checksums(clean_paths)

    # The listing asked again at the cursor that failed: one good answer per page, in the same order.
    def pages(log: list[dict]) -> list:
        return [r["query"].get("cursor") for r in log
                if r["path"] == "/api/models" and r["status"] == 200 and not r.get("fault")]
    assert pages(rows) == pages(clean_rows) and len(pages(rows)) == -(-N_MODELS // 1000)


def test_hub_serve_takes_fault_options(small_hub, tmp_path):
    import subprocess
    import sys

    log = tmp_path / "log.jsonl"
    bad = subprocess.run([sys.executable, "-m", "hubmine.cli", "hub", "serve", str(small_hub), "--faults", "boom=1"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "unknown kind 'boom'" in bad.stderr
    proc = subprocess.Popen([sys.executable, "-m", "hubmine.cli", "hub", "serve", str(small_hub), "--port", "0",
                             "--faults", "api.5xx=1", "--fault-label", "x", "--request-log", str(log)],
                            stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().split(" at ")[-1].strip()
        with httpx2.Client() as client:
            assert client.get(f"{url}/api/models?limit=1").status_code in (500, 502, 503, 504)
            assert client.head(f"{url}/x/resolve/main/README.md").status_code == 404  # resolvers: no faults
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert [r.get("fault") for r in log_rows(log)] == ["5xx", None]


# ---------------------------------------------------------------- a body that never ends


@pytest.fixture
def short_deadline():
    hubclient.configure(timeout=READ_TIMEOUT, deadline=1.0)
    yield
    hubclient.configure(timeout=hubclient.DEFAULT_READ_TIMEOUT, deadline=hubclient.DEFAULT_DEADLINE)


@pytest.mark.timeout(120)  # without the deadline this test never ends: each dripping page takes days
def test_a_dripping_page_is_dropped_at_the_deadline_and_asked_again(listing_hub, tmp_path, short_deadline):
    log = tmp_path / "drip.jsonl"
    # A byte every 0.2 s: each read waits far less than the read timeout, so only the deadline helps.
    # Seed 1 drips some of the three pages (asserted below).
    config = HubConfig(faults={"drip": {"api": 0.5}}, seed=1, run_label="drip", drip_seconds=0.2, request_log=log)
    STATS.reset()
    with ReplayHub(listing_hub, config=config) as hub:
        result = crawl_models(paths=Paths(tmp_path / "home"), endpoint=hub.url, run_id="r", fetched_at=AS_OF,
                              progress=False)
    rows = log_rows(log)
    dripped = [r for r in rows if r.get("fault") == "drip"]
    assert dripped and result.models == 2_500
    assert STATS.retries[("api", "ReadTimeout")] == len(dripped)


@pytest.mark.timeout(120)
def test_dripping_cards_are_retried_or_recorded_as_errors(small_hub, tmp_path, short_deadline):
    paths = Paths(tmp_path / "home")
    log = tmp_path / "drip.jsonl"
    with ReplayHub(small_hub) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
    config = HubConfig(faults={"drip": {"resolvers": 0.4}}, seed=3, run_label="drip-cards", drip_seconds=0.2,
                       request_log=log)
    hubclient.configure(attempts=2)
    try:
        with ReplayHub(small_hub, config=config) as hub:
            result = crawl_cards(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False, max_cards=60,
                                 workers=CARD_WORKERS)
    finally:
        hubclient.configure(attempts=int(os.environ.get("HUBMINE_RETRY_ATTEMPTS", 8)))
    dripped = [r for r in log_rows(log) if r.get("fault") == "drip"]
    assert dripped
    # Every card is a row: fetched on a second attempt, or an error after two dripping ones (retried
    # on the next run), never a hung crawl.
    landed = pq.read_table(result.run_dir).to_pylist()
    assert len(landed) == result.attempted == 60
    errors = [r for r in landed if r["status"] == "error"]
    assert len(errors) == result.errors and all("deadline" in r["error"] for r in errors)
    assert result.ok + result.missing + result.errors == 60 and result.ok > 0
