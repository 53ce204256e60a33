"""Sharded detail crawls (what the Airflow DAGs map over): shards running at the same time against the
replay hub fetch each changed repo once, keep their own state parts, load in order; pacing per bucket."""

from __future__ import annotations

import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest
from huggingface_hub.errors import HfHubHTTPError

from core.config import Paths
from miners.cards import STATE_FILE as CARDS_STATE
from miners.cards import crawl_cards
from miners.cards import fetched_state as cards_state
from miners.history import crawl_history
from miners.hubclient import PACER, hub_api
from miners.models import crawl_models
from miners.shards import Shard, shard_of
from miners.state import parts_dir
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import DB_NAME
from tests.helpers import generated_days, query
from warehouse.load import load_pending

MODELS = 150
T0 = datetime(2026, 11, 1, 6, tzinfo=UTC)
T1 = T0 + timedelta(days=1)


@pytest.fixture(scope="module")
def hubs(tmp_path_factory):
    """Two days of one generated hub; 20% of the models change in between."""
    return generated_days(tmp_path_factory.mktemp("shard-hubs"), models=MODELS, seed=11, daily_change=0.2)


def readme_fetches(log) -> list[str]:
    """Repo ids whose README.md was downloaded (the GET of the resolve cache the Hub's 307 leads to,
    /api/resolve-cache/models/{repo}/{sha}/README.md)."""
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    prefix = "/api/resolve-cache/models/"
    return [r["path"][len(prefix):].rsplit("/", 2)[0] for r in lines
            if r["method"] == "GET" and r["path"].startswith(prefix)]


def in_parallel(fn, shards: list[Shard]) -> list:
    with ThreadPoolExecutor(max_workers=len(shards)) as pool:
        return list(pool.map(fn, shards))


def test_shards_partition_repo_ids_and_their_runs_sort_in_shard_order():
    ids = [f"org{i % 7}/model-{i}" for i in range(2000)]
    for count in (1, 3, 12):
        parts = [{i for i in ids if shard_of(i, count) == k} for k in range(count)]
        assert set().union(*parts) == set(ids) and sum(map(len, parts)) == len(ids)
        # Even enough that no shard gets twice its share (blake2b, not the salted built-in hash).
        assert max(map(len, parts)) < 2 * len(ids) / count
    labels = [Shard(i, 12).run_id("20261101T060000Z") for i in range(12)]
    assert sorted(labels) == labels and labels[10] == "20261101T060000Z-shard-10of12"
    assert Shard.parse("shard-03of12") == Shard(3, 12) == Shard.parse("3/12")
    with pytest.raises(ValueError):
        Shard(12, 12)


def test_parallel_card_shards_fetch_each_changed_card_once_and_keep_state_across_shard_counts(hubs, tmp_path):
    paths = Paths(tmp_path / "home")

    def day(snapshot, when, count, log):
        with ReplayHub(snapshot, config=HubConfig(request_log=log)) as hub:
            crawl_models(paths=paths, endpoint=hub.url, fetched_at=when, progress=False)
            shards = [Shard(i, count) for i in range(count)]
            run_id = when.strftime("%Y%m%dT%H%M%SZ")
            return in_parallel(lambda s: crawl_cards(paths=paths, endpoint=hub.url, run_id=run_id, fetched_at=when,
                                                     workers=2, progress=False, shard=s), shards)

    # Day 0 in three shards at once: every model's card fetched exactly once, each shard its own run.
    log0 = tmp_path / "day0.jsonl"
    results = day(hubs / "day0", T0, 3, log0)
    fetched = readme_fetches(log0)
    assert sum(r.attempted for r in results) == MODELS
    assert len(fetched) == len(set(fetched)) == MODELS - sum(r.missing for r in results)
    assert sorted(r.run_id for r in results) == [f"20261101T060000Z-shard-{i}of3" for i in range(3)]
    assert sorted(p.name for p in parts_dir(paths, CARDS_STATE).iterdir()) == [f"shard-{i}of3.parquet" for i in range(3)]
    assert not (paths.state / CARDS_STATE).exists()
    assert cards_state(paths).num_rows == MODELS

    # Day 1 with a different shard count: only the models whose sha changed are fetched.
    db = sqlite3.connect(hubs / "day1" / DB_NAME)
    db.execute(f"ATTACH '{hubs / 'day0' / DB_NAME}' AS d0")
    changed = {m for (m,) in db.execute("SELECT id FROM models m JOIN d0.models o USING (id) WHERE m.sha <> o.sha")}
    added = {m for (m,) in db.execute("SELECT id FROM models WHERE id NOT IN (SELECT id FROM d0.models)")}
    listed_day1 = db.execute("SELECT count(*) FROM models").fetchone()[0]
    db.close()
    assert changed
    log1 = tmp_path / "day1.jsonl"
    results = day(hubs / "day1", T1, 2, log1)
    assert sum(r.attempted for r in results) == len(changed | added)
    assert set(readme_fetches(log1)) <= changed | added

    # Every repo now has rows in a day-0 part (old sha) and a day-1 part (new sha): the newer part
    # must win, or this single-process crawl would fetch the changed cards again.
    log2 = tmp_path / "again.jsonl"
    with ReplayHub(hubs / "day1", config=HubConfig(request_log=log2)) as hub:
        again = crawl_cards(paths=paths, endpoint=hub.url, fetched_at=T1 + timedelta(hours=1), progress=False)
    assert again.attempted == 0 and readme_fetches(log2) == []
    # The single-process run folded the parts into the main state file.
    assert not parts_dir(paths, CARDS_STATE).exists() and cards_state(paths).num_rows == MODELS + len(added)

    # All shard runs of both days load, in order, into one card per model and sha.
    loaded = [r.run_id for r in load_pending(paths) if r.source == "cards"]
    assert loaded == ["20261101T060000Z-shard-0of3", "20261101T060000Z-shard-1of3", "20261101T060000Z-shard-2of3",
                      "20261102T060000Z-shard-0of2", "20261102T060000Z-shard-1of2", "20261102T070000Z"]
    assert query(paths, "SELECT count(*), count(DISTINCT model_id) FROM cards") == [(listed_day1, listed_day1)]


def test_history_in_parallel_shards_lands_what_one_crawl_lands(hubs, tmp_path):
    sharded, single = Paths(tmp_path / "sharded"), Paths(tmp_path / "single")
    with ReplayHub(hubs / "day0") as hub:
        for paths in (sharded, single):
            crawl_models(paths=paths, endpoint=hub.url, fetched_at=T0, progress=False)
        results = in_parallel(lambda s: crawl_history(paths=sharded, endpoint=hub.url, run_id="h", fetched_at=T0,
                                                      top_n=40, workers=2, progress=False, shard=s),
                              [Shard(i, 3) for i in range(3)])
        whole = crawl_history(paths=single, endpoint=hub.url, run_id="h", fetched_at=T0, top_n=40, progress=False)
    assert sum(r.selected for r in results) == whole.selected == 40
    assert sum(r.commits for r in results) == whole.commits > 0
    load_pending(sharded)
    load_pending(single)
    for sql in ("SELECT model_id, commit_id, seq, tree_fetched FROM core.commits ORDER BY ALL",
                "SELECT * EXCLUDE (run_id) FROM core.commit_files ORDER BY ALL",
                "SELECT model_id, count(*) FROM weight_changes GROUP BY ALL ORDER BY ALL"):
        assert query(sharded, sql) == query(single, sql)


def test_a_paced_process_stays_under_the_bucket_limit(tmp_path, hubs):
    """The replay hub allows 10 API requests a 1-second window. Paced at 8/s, 24 requests from four
    threads get no 429; the same burst unpaced does (so the limit really was in force)."""
    config = HubConfig(rate_limits={"api": 10}, window_seconds=1)
    ids = [f"m{i}" for i in range(24)]

    def burst(hub) -> int:
        api = hub_api(hub.url, token=False)
        repo = sqlite3.connect(hubs / "day0" / DB_NAME).execute("SELECT id FROM models LIMIT 1").fetchone()[0]

        def one(_):
            try:
                api.model_info(repo)
            except HfHubHTTPError:
                pass
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(one, ids))
        return hub.stats.count(bucket="api", status=429)

    try:
        PACER.set_rate("api", 8)
        with ReplayHub(hubs / "day0", config=config) as hub:
            assert burst(hub) == 0
    finally:
        PACER.set_rate("api", None)
    with ReplayHub(hubs / "day0", config=config) as hub:
        assert burst(hub) > 0


def test_a_shard_killed_before_its_state_write_is_caught_up_by_its_own_shard_only(hubs, tmp_path):
    """A shard's manifest is written, its state part is not (killed in between). The next run of the
    same shard folds that run into its own part and fetches nothing again; another shard's reads
    neither fold it nor touch any file but their own; an unsharded read folds every run in."""
    paths = Paths(tmp_path / "home")
    shards = [Shard(0, 2), Shard(1, 2)]
    part = {s: parts_dir(paths, CARDS_STATE) / f"{s.label}.parquet" for s in shards}

    def folded(path) -> list[str]:
        return json.loads(pq.read_schema(path).metadata[b"hubmine.folded_runs"])

    with ReplayHub(hubs / "day0") as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=T0, progress=False)
        first = [crawl_cards(paths=paths, endpoint=hub.url, run_id="r1", fetched_at=T0, workers=2, progress=False,
                             shard=s) for s in shards]
        whole = cards_state(paths)
        assert folded(part[shards[0]]) == ["r1-shard-0of2"] and folded(part[shards[1]]) == ["r1-shard-1of2"]
        part[shards[0]].unlink()  # the kill: shard 0's run is landed, its state part never written
        other = part[shards[1]].read_bytes()

        # Shard 1 reads the state: shard 0's run is not its to fold, and no file but its own is written.
        seen_by_1 = cards_state(paths, shards[1])
        assert not part[shards[0]].exists() and part[shards[1]].read_bytes() == other
        assert seen_by_1.num_rows == first[1].attempted - first[1].errors

        # Shard 0's next run catches its killed run up first, so it fetches nothing again.
        again = crawl_cards(paths=paths, endpoint=hub.url, run_id="r2", fetched_at=T0 + timedelta(hours=1),
                            workers=2, progress=False, shard=shards[0])
    assert again.attempted == 0
    assert folded(part[shards[0]]) == ["r1-shard-0of2", "r2-shard-0of2"]
    assert part[shards[1]].read_bytes() == other
    assert sorted(cards_state(paths).to_pylist(), key=str) == sorted(whole.to_pylist(), key=str)

    # Killed again before its state write: an unsharded reader folds in every run it lacks, shard
    # runs included, into the main file, and the parts go.
    part[shards[0]].unlink()
    state = cards_state(paths)
    assert sorted(state.to_pylist(), key=str) == sorted(whole.to_pylist(), key=str)
    assert not parts_dir(paths, CARDS_STATE).exists()
    assert sorted(folded(paths.state / CARDS_STATE)) == ["r1-shard-0of2", "r1-shard-1of2", "r2-shard-0of2"]


def test_the_rate_cap_holds_inside_a_miner_on_top_of_the_header_budget(tmp_path, hubs):
    """A miner with a capped bucket: the Hub's budget (60 a second) would allow three times the cap
    (20 a second), yet the requests start no faster than the cap and none is refused."""
    paths = Paths(tmp_path / "home")
    with ReplayHub(hubs / "day0") as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=T0, progress=False)
    log = tmp_path / "log.jsonl"
    config = HubConfig(rate_limits={"api": 60}, window_seconds=1, request_log=log)
    rate = 20
    try:
        PACER.set_rate("api", rate)
        with ReplayHub(hubs / "day0", config=config) as hub:
            started = time.monotonic()
            result = crawl_history(paths=paths, endpoint=hub.url, run_id="h", fetched_at=T0, top_n=8, workers=4,
                                   progress=False)
            seconds = time.monotonic() - started
    finally:
        PACER.set_rate("api", None)
    rows = [r for r in map(json.loads, log.read_text().splitlines()) if r["bucket"] == "api"]
    assert result.errors == 0 and len(rows) > 2 * rate
    assert not [r for r in rows if r["status"] == 429]
    # Starts are at least 1/rate apart (the first at once): a lower bound, whatever the load.
    assert seconds >= (len(rows) - 1) / rate
    assert PACER.rates() == {}
