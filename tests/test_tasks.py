"""hubmine.tasks without a scheduler: pool sizes against the Hub's rate limits, and the
`hubmine airflow` commands that set a local Airflow up."""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from hubmine import tasks
from hubmine.cli import main
from miners.tiers import RATE_LIMIT_PRESETS


@pytest.mark.parametrize("tier", sorted(RATE_LIMIT_PRESETS))
def test_full_pools_of_paced_tasks_stay_under_each_bucket_limit(tier):
    slots = tasks.tier_slots(tier)
    for bucket, limit in RATE_LIMIT_PRESETS[tier].items():
        per_window = slots[bucket] * tasks.task_rate(bucket, tier) * tasks.WINDOW_SECONDS
        assert per_window == pytest.approx(tasks.SAFETY * limit)
        assert slots[bucket] >= 1
    # A bigger tier buys more parallel shards, not faster ones.
    assert tasks.tier_slots("pro")["resolvers"] > tasks.tier_slots("anonymous")["resolvers"]
    assert tasks.pools(tier)[tasks.POOL_WAREHOUSE]["slots"] == 1


def test_an_unlimited_hub_is_not_paced():
    assert tasks.task_rate("api", tasks.UNLIMITED) is None
    assert set(tasks.pools(tasks.UNLIMITED)) == {tasks.POOL_WAREHOUSE, *tasks.BUCKET_POOLS.values()}


def test_shard_plan_shares_one_run_id_and_fetch_time():
    plan = tasks.plan_shards(3, datetime(2026, 11, 2, 6, tzinfo=UTC))
    assert [(p["index"], p["count"]) for p in plan] == [(0, 3), (1, 3), (2, 3)]
    assert {p["run_id"] for p in plan} == {"20261102T060000Z"}
    assert {p["as_of"] for p in plan} == {"2026-11-02T06:00:00+00:00"}
    with pytest.raises(ValueError):
        tasks.plan_shards(0)


def test_airflow_pools_command_writes_the_import_file(tmp_path):
    out = tmp_path / "pools.json"
    result = CliRunner().invoke(main, ["airflow", "pools", "--tier", "pro", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == tasks.pools("pro")
    bad = CliRunner().invoke(main, ["airflow", "pools", "--tier", "gold"])
    assert bad.exit_code == 2 and "gold" in bad.output


def test_airflow_env_command_is_loopback_only_small_and_points_at_the_dags(tmp_path, monkeypatch):
    monkeypatch.delenv("AIRFLOW_HOME", raising=False)
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "data"), "airflow", "env", "--port", "8181"])
    assert result.exit_code == 0, result.output
    env = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1) for line in result.output.splitlines())
    assert env["AIRFLOW__API__HOST"] == "127.0.0.1"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:8181/execution/"
    assert int(env["AIRFLOW__CORE__PARALLELISM"]) <= 4
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    assert env["AIRFLOW_HOME"] == str(tmp_path / "data" / "airflow")
    assert env["HUBMINE_HOME"] == str(tmp_path / "data")
    assert sorted(p.name for p in Path(env["AIRFLOW__CORE__DAGS_FOLDER"]).glob("hub_*.py")) == [
        "hub_analysis.py", "hub_cards.py", "hub_history.py", "hub_report.py", "hub_snapshot.py"]
