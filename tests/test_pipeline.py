"""Integration: generated hub -> replay hub -> real huggingface_hub client -> landing -> real DuckDB file."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest
from helpers import generated_days, query

from core.config import Paths
from miners.landing import LandingError, LandingRun, complete_runs
from miners.models import CrawlError, changed_models, crawl_models, listed_state
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import DB_NAME
from warehouse.load import load_pending

MODELS = 2_000


@pytest.fixture(scope="module")
def hubs(tmp_path_factory):
    """Day 0 and day 1 of one generated hub, 5% of the models changing in between."""
    return generated_days(tmp_path_factory.mktemp("hubs"), models=MODELS, seed=7, daily_change=0.05)


def snapshot_time(snapshot) -> datetime:
    db = sqlite3.connect(snapshot / DB_NAME)
    value = db.execute("SELECT value FROM meta WHERE key = 'snapshot_time'").fetchone()[0]
    db.close()
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def crawl(paths, snapshot, run_id, log=None, **config):
    with ReplayHub(snapshot, config=HubConfig(request_log=log, **config)) as hub:
        return crawl_models(paths=paths, endpoint=hub.url, run_id=run_id,
                            fetched_at=snapshot_time(snapshot), progress=False)


def log_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]




def table_checksums(paths):
    tables = ["core.model_state", "core.model_counters", "raw.load_runs"]
    return {t: query(paths, f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {t}") for t in tables}


def test_crawl_and_load_a_generated_hub(hubs, tmp_path):
    paths = Paths(tmp_path / "home")
    log = tmp_path / "requests.jsonl"
    result = crawl(paths, hubs / "day0", "d0", log)
    assert result.models == MODELS
    requests = log_lines(log)
    # 1,000 models a page: two listing requests, and nothing per repo.
    assert [(r["method"], r["path"]) for r in requests] == [("GET", "/api/models")] * 2
    assert result.requests == 2
    load_pending(paths)
    assert query(paths, "SELECT count(*) FROM models") == [(MODELS,)]
    assert query(paths, "SELECT count(*) FROM model_history") == [(MODELS,)]
    db = sqlite3.connect(hubs / "day0" / DB_NAME)
    expected = db.execute("SELECT id, sha, downloads, likes FROM models ORDER BY id").fetchall()
    db.close()
    assert query(paths, "SELECT model_id, sha, downloads, likes FROM models ORDER BY model_id") == expected


def test_second_day_adds_only_the_changed_models(hubs, tmp_path):
    paths = Paths(tmp_path / "home")
    crawl(paths, hubs / "day0", "d0")
    crawl(paths, hubs / "day1", "d1")
    db = sqlite3.connect(hubs / "day1" / DB_NAME)
    db.execute(f"ATTACH '{hubs / 'day0' / DB_NAME}' AS d0")
    new_sha = db.execute("SELECT count(*) FROM models m JOIN d0.models o USING (id) WHERE m.sha <> o.sha").fetchone()[0]
    moved = db.execute("SELECT count(*) FROM models m JOIN d0.models o USING (id) "
                       "WHERE m.downloads <> o.downloads OR m.likes <> o.likes").fetchone()[0]
    db.close()
    assert 0.03 * MODELS <= new_sha <= 0.07 * MODELS
    first, second = load_pending(paths)
    assert (second.summary["new_models"], second.summary["changed_models"], second.summary["removed_models"]) == (0, new_sha, 0)
    assert second.summary["counter_rows"] == moved
    assert query(paths, "SELECT count(*) FROM core.model_state") == [(MODELS + new_sha,)]
    assert query(paths, "SELECT count(*) FROM core.model_counters") == [(MODELS + moved,)]
    # The miner's sha memory says exactly which repos a detail miner must visit.
    day0_state = listed_state(paths)  # now day 1's listing
    assert changed_models(paths, day0_state).num_rows == 0


def test_reloading_a_run_changes_nothing(hubs, tmp_path):
    paths = Paths(tmp_path / "home")
    crawl(paths, hubs / "day0", "d0")
    load_pending(paths)
    before = table_checksums(paths)
    again = load_pending(paths, run_id="d0")
    assert again[0].skipped
    assert table_checksums(paths) == before


def test_unchanged_hub_costs_no_per_repo_requests(hubs, tmp_path):
    paths = Paths(tmp_path / "home")
    crawl(paths, hubs / "day0", "d0")
    seen = listed_state(paths)
    log = tmp_path / "second.jsonl"
    result = crawl(paths, hubs / "day0", "d0-again", log)
    assert (result.new, result.changed) == (0, 0)
    assert changed_models(paths, seen).num_rows == 0
    assert {r["path"] for r in log_lines(log)} == {"/api/models"}


def test_transient_server_errors_are_retried_by_the_client(hubs, tmp_path):
    paths = Paths(tmp_path / "home")
    log = tmp_path / "requests.jsonl"
    result = crawl(paths, hubs / "day0", "d0", log, error_rate=0.3, seed=3)
    statuses = [r["status"] for r in log_lines(log)]
    assert 500 in statuses and result.models == MODELS


def test_broken_snapshot_row_names_the_model_and_keeps_landed_runs(hubs, tmp_path):
    paths = Paths(tmp_path / "home")
    crawl(paths, hubs / "day0", "d0")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / DB_NAME).write_bytes((hubs / "day0" / DB_NAME).read_bytes())
    db = sqlite3.connect(broken / DB_NAME)
    victim = db.execute("SELECT id FROM models WHERE pos = 1500").fetchone()[0]
    db.execute("UPDATE models SET info = '{\"id\": broken' WHERE pos = 1500")
    db.commit()
    db.close()
    with pytest.raises(CrawlError) as failure:
        crawl(paths, broken, "d1")
    assert victim in str(failure.value) and "after 1000 models" in str(failure.value)
    # The first page landed but the run has no manifest: never loaded, and the earlier run is intact.
    assert [p.name for p in complete_runs(paths.landing, "models")] == ["d0"]
    assert not LandingRun(paths.landing, "models", "d1").complete
    assert [r.run_id for r in load_pending(paths)] == ["d0"]


def test_an_endpoint_that_is_not_a_hub_gives_a_clear_error(hubs, tmp_path):
    paths = Paths(tmp_path / "home")
    with ReplayHub(hubs / "day0") as hub:
        with pytest.raises(CrawlError, match="not-a-hub"):
            crawl_models(paths=paths, endpoint=hub.url + "/not-a-hub", run_id="x", progress=False)


def test_a_finished_run_is_never_overwritten(hubs, tmp_path):
    paths = Paths(tmp_path / "home")
    crawl(paths, hubs / "day0", "d0")
    with pytest.raises(LandingError, match="already landed"):
        crawl(paths, hubs / "day0", "d0")
