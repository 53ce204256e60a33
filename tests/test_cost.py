"""A crawl's cost said up front (issue 14, item 9): the numbers of ``miners.cost`` worked out by hand,
and the line `hubmine crawl ...` prints (and a DAG task logs) before the first request."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from hubmine import tasks
from hubmine.cli import main
from miners.cost import cards_cost, describe, history_cost, models_cost
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import SnapshotWriter

# Free tier: 1,000 api and 5,000 resolvers requests per 5 minutes; anonymous: 500 and 3,000.


def test_models_listing_costs_a_request_per_page_of_the_previous_listing():
    # 2,511,234 models: 2,512 pages of 1,000; at 1,000 a 300 s window: 2,512 x 0.3 s = 753.6 s = 12.56 min.
    assert describe(models_cost(2_511_234), "free") == (
        "cost: models listing (2,511,234 models last run): 2,512 api requests (1 request per 1,000 models), "
        "12.6 min at the free tier's 1,000 api requests / 5 min")
    # A full last page has no next one; one more model needs a second page.
    assert [models_cost(n).requests for n in (0, 1, 1000, 1001)] == [1, 1, 1, 2]


def test_a_first_listing_says_its_size_is_unknown_and_what_a_page_costs():
    # 300 s / 1,000 requests = 0.3 s a page.
    assert describe(models_cost(None), "free") == (
        "cost: models listing (first run, size unknown): 1 request per 1,000 models, 0.3 s each at the free "
        "tier's 1,000 api requests / 5 min")


def test_cards_cost_at_most_two_resolver_requests_each():
    # 1,234 cards x 2 = 2,468 requests; x 300 s / 5,000 = 148.08 s = 2.47 min.
    assert describe(cards_cost(1234), "free") == (
        "cost: 1,234 cards to fetch: at most 2,468 resolvers requests (2 per card), 2.5 min at the free tier's "
        "5,000 resolvers requests / 5 min")


def test_history_costs_at_least_three_api_requests_per_changed_repo():
    # 40 repos x 3 = 120 requests; x 300 s / 500 = 72 s.
    assert describe(history_cost(40), "anonymous") == (
        "cost: history of 40 changed repos: at least 120 api requests (3 per repo: refs, a log page and a tree; "
        "more for long new logs), at least 72.0 s at the anonymous tier's 500 api requests / 5 min")


def test_a_paced_task_gets_its_slots_share_and_an_unlimited_hub_no_time():
    # Free tier, api pool: 1,000 // 250 = 4 slots, each paced to 0.9 / 4 = 22.5% of the limit;
    # 120 requests at 225 per 300 s = 160 s = 2.67 min.
    assert describe(history_cost(40), "free", share=0.225).endswith(
        "at least 2.7 min at 22.5% of the free tier's 1,000 api requests / 5 min")
    assert describe(cards_cost(3), "unlimited") == (
        "cost: 3 cards to fetch: at most 6 resolvers requests (2 per card), the unlimited tier has no rate "
        "limit: the time depends on the hub alone")


# -- said before the crawl, by the commands and the DAG tasks --------------------------------------------
@pytest.fixture
def hub_dir(tmp_path) -> Path:
    path = tmp_path / "hub"
    with SnapshotWriter(path, source="test", meta={"snapshot_time": "2026-11-01T00:00:00Z"}) as writer:
        for i in range(3):
            writer.add_model({"id": f"org/m{i}", "author": "org", "sha": f"{i + 1:040x}", "downloads": 10 - i,
                              "createdAt": "2024-01-01T00:00:00.000Z",
                              "siblings": [{"rfilename": "README.md"}]})
    return path


def test_crawl_commands_print_their_cost_first_and_spend_no_more(hub_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("HUBMINE_HUB_TIER", "anonymous")
    home = str(tmp_path / "home")
    runner = CliRunner()
    with ReplayHub(hub_dir) as hub:
        def crawl(*args):
            result = runner.invoke(main, ["--home", home, "crawl", *args, "--endpoint", hub.url, "--no-progress"])
            assert result.exit_code == 0, result.output
            return result.output.splitlines()

        # 300 s / 500 = 0.6 s a page.
        assert crawl("models", "--run-id", "m1")[0] == ("cost: models listing (first run, size unknown): 1 request per 1,000 "
                                      "models, 0.6 s each at the anonymous tier's 500 api requests / 5 min")
        assert crawl("models", "--run-id", "m2")[0] == ("cost: models listing (3 models last run): 1 api request (1 request per "
                                      "1,000 models), 0.6 s at the anonymous tier's 500 api requests / 5 min")
        # 3 cards x 2 = 6 requests x 300 s / 3,000 = 0.6 s.
        assert crawl("cards", "--run-id", "c1")[0] == ("cost: 3 cards to fetch: at most 6 resolvers requests (2 per card), 0.6 s "
                                     "at the anonymous tier's 3,000 resolvers requests / 5 min")
        # 3 repos x 3 = 9 requests x 300 s / 500 = 5.4 s.
        assert crawl("history", "--run-id", "h1")[0] == ("cost: history of 3 changed repos: at least 9 api requests (3 per repo: "
                                       "refs, a log page and a tree; more for long new logs), at least 5.4 s at the "
                                       "anonymous tier's 500 api requests / 5 min")
        # Nothing changed: nothing to fetch, said so.
        assert crawl("cards", "--run-id", "c2")[0].startswith("cost: 0 cards to fetch: at most 0 resolvers requests")
    landing = tmp_path / "home" / "landing"
    manifest = {run: json.loads((landing / run / "_manifest.json").read_text()) for run in ("cards/c1", "history/h1")}
    assert manifest["cards/c1"]["resolver_requests"] <= 6 and manifest["history/h1"]["api_requests"] >= 9


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_dag_tasks_log_their_cost_before_crawling(hub_dir, tmp_path, monkeypatch):
    from miners.hubclient import PACER

    monkeypatch.setenv("HUBMINE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HUBMINE_HUB_TIER", "free")
    # A handler of its own: Airflow's logging setup (imported by the task for its secrets masker) may
    # take over the root logger's.
    logger, lines = logging.getLogger(tasks.__name__), Lines()
    logger.addHandler(lines)
    monkeypatch.setattr(logger, "level", logging.INFO)
    try:
        with ReplayHub(hub_dir, config=HubConfig()) as hub:
            monkeypatch.setenv("HF_ENDPOINT", hub.url)
            tasks.snapshot_models(tasks.plan_run())
            tasks.crawl_cards_shard(tasks.plan_shards(1)[0])
    finally:
        logger.removeHandler(lines)
        for bucket in tasks.BUCKET_POOLS:
            PACER.set_rate(bucket, None)
    costs = [line for line in lines.lines if line.startswith("cost: ")]
    # Free tier: the api pool has 1,000 // 250 = 4 slots, the resolvers pool 5,000 // 1,000 = 5; each
    # task is paced to 0.9 / slots of the limit: 22.5% and 18.0%. 300 s / 225 = 1.33 s a page;
    # 6 requests x 300 s / 900 = 2.0 s.
    assert costs == [
        "cost: models listing (first run, size unknown): 1 request per 1,000 models, 1.3 s each at 22.5% of the "
        "free tier's 1,000 api requests / 5 min",
        "cost: 3 cards to fetch: at most 6 resolvers requests (2 per card), 2.0 s at 18.0% of the free tier's "
        "5,000 resolvers requests / 5 min"]
