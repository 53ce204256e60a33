"""The Airflow DAGs (dags/): they import cleanly, hold no logic, and each runs with ``dag.test()`` --
real Airflow 3 with a SQLite metadata DB in a temporary AIRFLOW_HOME -- against the replay hub,
into a real DuckDB warehouse: snapshot -> cards -> history -> analysis -> report.

``dag.test()`` does not fire asset-triggered DAGs, so each DAG is run directly, in schedule order.
Airflow reads AIRFLOW_HOME when first imported: conftest sets a private one for the whole session
before any test can import Airflow (task functions do, to look up their Hub connection).
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.config import Paths
from hubmine import tasks
from miners.landing import complete_runs
from replayhub.server import HubConfig, ReplayHub
from replayhub.synth import generate
from tests.helpers import query

DAGS = Path(__file__).resolve().parents[1] / "dags"
DAG_IDS = {"hub_snapshot", "hub_cards", "hub_history", "hub_analysis", "hub_report"}
MODELS = 300
SHARDS = 3
TOP_N = 60


@pytest.fixture(scope="session")
def airflow_home():
    """One AIRFLOW_HOME for every DAG test (conftest's private one, set before anything imports
    Airflow): migrated SQLite metadata DB and hubmine's pools."""
    from airflow.models.pool import Pool
    from airflow.utils import db

    assert Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"]) == DAGS
    db.upgradedb()  # what `airflow db migrate` does
    # The replay hub has no rate limits: the "unlimited" tier's pools (and no pacing).
    for name, spec in tasks.pools(tasks.UNLIMITED).items():
        Pool.create_or_update_pool(name, spec["slots"], spec["description"], spec["include_deferred"])
    yield Path(os.environ["AIRFLOW_HOME"])


def dagbag(airflow_home):
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models.pool import Pool

    return DagBag(dag_folder=str(DAGS), known_pools={p.pool for p in Pool.get_pools()})


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("dag-hub")
    generate(root / "hub", models=MODELS, seed=5, progress=False)
    log = root / "requests.jsonl"
    with ReplayHub(root / "hub", config=HubConfig(request_log=log)) as server:
        yield SimpleNamespace(server=server, url=server.url, snapshot=root / "hub", log=log)


@pytest.fixture(scope="module")
def env(airflow_home, hub, tmp_path_factory):
    """The hubmine side of the environment the tasks read: home folder, endpoint, tier."""
    paths = Paths(tmp_path_factory.mktemp("dag-data") / "home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBMINE_HOME", str(paths.home))
        mp.setenv("HF_ENDPOINT", hub.url)
        mp.setenv("HUBMINE_HUB_TIER", tasks.UNLIMITED)
        mp.delenv("HUBMINE_WAREHOUSE", raising=False)
        mp.delenv("HUBMINE_PUBLISH_DIR", raising=False)
        mp.delenv("AIRFLOW_CONN_HUBMINE_HUB", raising=False)
        yield paths


def run_dag(airflow_home, dag_id: str, conf: dict | None = None):
    """``dag.test()`` one DAG, in this process; (run state, {(task_id, map_index): state})."""
    dag = dagbag(airflow_home).dags[dag_id]
    for task in dag.tasks:
        # Fail fast: with retries dag.test() waits out the (minutes-long) backoff of a failing task.
        task.retries = 0
    run = dag.test(run_conf=conf)
    return run.state, {(ti.task_id, ti.map_index): ti.state for ti in run.get_task_instances()}


def run_dag_with_the_cli(airflow_home, dag_id: str, env: dict, log: Path) -> tuple[int, str, dict]:
    """`airflow dags test DAG_ID` (which calls ``dag.test()``) in its own process, everything it
    prints written to ``log``; (exit status, log text, {(task_id, map_index): state})."""
    from airflow.models.dagrun import DagRun

    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        done = subprocess.run([str(Path(sys.executable).parent / "airflow"), "dags", "test", dag_id],
                              env=env, stdout=out, stderr=subprocess.STDOUT, timeout=300)
    runs = DagRun.find(dag_id=dag_id)
    states = {(ti.task_id, ti.map_index): ti.state for ti in runs[-1].get_task_instances()} if runs else {}
    return done.returncode, log.read_text(), states


@pytest.fixture(scope="module")
def pipeline(airflow_home, env, hub):
    """The first four DAGs in schedule order, as the scheduler would chain them through assets.

    hub_snapshot runs through the `airflow dags test` command with endpoint and a (fake) token from
    the Airflow connection only; its output is kept as its task log under AIRFLOW_HOME. The others
    run in this process with the endpoint from $HF_ENDPOINT and no token.
    """
    token = "hf_" + secrets.token_hex(17)
    cli_env = {**os.environ, "HF_ENDPOINT": "http://127.0.0.1:9",  # a dead port: only the connection may be used
               "AIRFLOW_CONN_HUBMINE_HUB": json.dumps({"conn_type": "http", "host": hub.url, "password": token,
                                                       "extra": {"tier": tasks.UNLIMITED}})}
    cli_env.pop("HF_TOKEN", None)
    snapshot_log = airflow_home / "logs" / "dags_test" / "hub_snapshot.log"
    runs = {"hub_snapshot": run_dag_with_the_cli(airflow_home, "hub_snapshot", cli_env, snapshot_log)}
    listing_requests = len(hub.log.read_text().splitlines())
    runs["hub_cards"] = run_dag(airflow_home, "hub_cards", {"shards": SHARDS})
    runs["hub_history"] = run_dag(airflow_home, "hub_history", {"shards": SHARDS, "top_n": TOP_N})
    runs["hub_analysis"] = run_dag(airflow_home, "hub_analysis")
    return SimpleNamespace(runs=runs, token=token, snapshot_log=snapshot_log, listing_requests=listing_requests)


# -- the DAG files --------------------------------------------------------------------------------
def test_every_dag_file_imports_with_no_errors_and_only_known_pools(airflow_home):
    bag = dagbag(airflow_home)
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == DAG_IDS
    assert bag.dag_warnings == set()  # e.g. a task in a pool that does not exist


def test_dags_schedule_chain_through_assets_with_retries_and_the_single_writer_pool(airflow_home):
    from airflow.models.pool import Pool
    from airflow.sdk import Asset, AssetAll

    dags = dagbag(airflow_home).dags
    assert {d.dag_id for d in dags.values() if d.catchup or d.max_active_runs != 1} == set()
    assert dags["hub_snapshot"].timetable.expression == "0 0 * * *"
    assert dags["hub_history"].timetable.expression == "0 0 * * 0"
    condition = {dag_id: dags[dag_id].timetable.asset_condition for dag_id in ("hub_cards", "hub_analysis", "hub_report")}
    assert condition["hub_cards"] == AssetAll(Asset(tasks.ASSET_MODELS))
    assert condition["hub_analysis"] == Asset(tasks.ASSET_CARDS) | Asset(tasks.ASSET_HISTORY)
    assert condition["hub_report"] == AssetAll(Asset(tasks.ASSET_MARTS))
    outlets = {(d.dag_id, t.task_id): [a.name for a in t.outlets] for d in dags.values() for t in d.tasks if t.outlets}
    assert outlets == {("hub_snapshot", "load_models"): [tasks.ASSET_MODELS],
                       ("hub_cards", "load_cards"): [tasks.ASSET_CARDS],
                       ("hub_history", "load_history"): [tasks.ASSET_HISTORY],
                       ("hub_analysis", "analyze"): [tasks.ASSET_MARTS]}
    pools = {(d.dag_id, t.task_id): t.pool for d in dags.values() for t in d.tasks}
    # Everything that opens the DuckDB file shares the one-slot pool; Hub calls go to their bucket's pool.
    assert {k for k, p in pools.items() if p == tasks.POOL_WAREHOUSE} == {
        ("hub_snapshot", "load_models"), ("hub_cards", "load_cards"), ("hub_history", "load_history"),
        ("hub_history", "follow_policy"), ("hub_analysis", "analyze"), ("hub_report", "build_and_publish")}
    assert Pool.get_pool(tasks.POOL_WAREHOUSE).slots == 1
    assert pools[("hub_snapshot", "list_models")] == pools[("hub_history", "crawl_history")] == "hubmine_hub_api"
    assert pools[("hub_cards", "crawl_cards")] == "hubmine_hub_resolvers"
    mapped = {(d.dag_id, t.task_id) for d in dags.values() for t in d.tasks if type(t).__name__.endswith("MappedOperator")}
    assert mapped == {("hub_cards", "crawl_cards"), ("hub_history", "crawl_history")}
    for dag in dags.values():
        for task in dag.tasks:
            assert task.retries >= 2 and task.retry_exponential_backoff >= 2, (dag.dag_id, task.task_id)
            assert task.max_retry_delay == timedelta(minutes=30)


def test_dag_files_hold_no_logic():
    """Every task body is one ``return tasks.<function>(...)``: the work lives in hubmine.tasks."""
    paths = sorted(p for p in DAGS.glob("*.py") if p.name != "__init__.py")  # the package file declares no DAG
    assert {p.stem for p in paths} == DAG_IDS
    for path in paths:
        tree = ast.parse(path.read_text())
        task_functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                          and any(ast.unparse(d.func if isinstance(d, ast.Call) else d).split(".")[0] == "task"
                                  for d in node.decorator_list)]
        assert task_functions, path
        for fn in task_functions:
            body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            assert len(body) == 1 and isinstance(body[0], ast.Return), (path.name, fn.name)
            call = body[0].value
            assert isinstance(call, ast.Call) and ast.unparse(call.func).startswith("tasks."), (path.name, fn.name)


# -- running them ---------------------------------------------------------------------------------
def test_hub_snapshot_lists_and_loads_every_model(pipeline, env, hub):
    status, log, tis = pipeline.runs["hub_snapshot"]
    assert status == 0, log[-3000:]
    assert set(tis) == {("plan_run", -1), ("list_models", -1), ("load_models", -1)}
    assert set(tis.values()) == {"success"}
    # The endpoint came from the connection (the environment named a dead port).
    assert f"listing models at {hub.url}" in log
    [run] = complete_runs(env.landing, "models")
    assert query(env, "SELECT count(*) FROM models") == [(MODELS,)]
    assert query(env, "SELECT run_id FROM load_runs WHERE source = 'models'") == [(run.name,)]


def test_hub_cards_maps_over_shards_each_landing_its_own_run(pipeline, env):
    state, tis = pipeline.runs["hub_cards"]
    assert state == "success"
    assert sorted(k for k in tis if k[0] == "crawl_cards") == [("crawl_cards", i) for i in range(SHARDS)]
    assert set(tis.values()) == {"success"}
    runs = [p.name for p in complete_runs(env.landing, "cards")]
    assert [r.split("-", 1)[1] for r in runs] == [f"shard-{i}of{SHARDS}" for i in range(SHARDS)]
    assert len({r.split("-", 1)[0] for r in runs}) == 1  # one DAG run: one base run id
    # Each model's card fetched by exactly one shard, all of them loaded.
    assert query(env, "SELECT count(*), count(DISTINCT model_id) FROM cards") == [(MODELS, MODELS)]
    assert query(env, "SELECT count(*) FROM load_runs WHERE source = 'cards'") == [(SHARDS,)]


def test_hub_history_maps_the_policy_over_shards(pipeline, env):
    state, tis = pipeline.runs["hub_history"]
    assert state == "success" and set(tis.values()) == {"success"}
    assert len([k for k in tis if k[0] == "crawl_history"]) == SHARDS
    assert query(env, "SELECT count(DISTINCT model_id) FROM core.history_fetches") == [(TOP_N,)]
    commits, weight_changes = query(env, "SELECT (SELECT count(*) FROM commits), (SELECT count(*) FROM weight_changes)")[0]
    assert commits > TOP_N and weight_changes > 0


def test_hub_analysis_fills_the_marts(pipeline, env):
    state, tis = pipeline.runs["hub_analysis"]
    assert state == "success" and set(tis.values()) == {"success"}
    counts = dict(query(env, """
        SELECT 'documentation', count(*) FROM documentation UNION ALL
        SELECT 'section_fill_rates', count(*) FROM section_fill_rates UNION ALL
        SELECT 'families', count(*) FROM families UNION ALL
        SELECT 'lineage_edges', count(*) FROM lineage_edges UNION ALL
        SELECT 'naming_practices', count(*) FROM naming_practices UNION ALL
        SELECT 'versioning_practice', count(*) FROM versioning_practice"""))
    assert counts["documentation"] == MODELS
    assert all(n > 0 for n in counts.values()), counts


def test_hub_report_builds_and_publishes_the_site(pipeline, airflow_home, env, hub, tmp_path, monkeypatch):
    site = tmp_path / "www" / "hubmine"
    monkeypatch.setenv("HUBMINE_PUBLISH_DIR", str(site))
    state, tis = run_dag(airflow_home, "hub_report")
    assert state == "success" and set(tis.values()) == {"success"}
    index = (site / "index.html").read_text()
    # The site shows this warehouse: its model count, that the hub is a generated one, and where the
    # listing came from.
    assert re.search(rf"models in the generated hub\D{{0,80}}\b{MODELS}\b", index), index[:2000]
    assert "Generated data" in index and "models on the Hub" not in index
    assert f"fetched from {hub.url}" in index
    assert [p.name for p in site.parent.iterdir()] == ["hubmine"]  # nothing half-built left beside it


def test_a_retried_shard_finds_its_landed_run_and_fetches_nothing(pipeline, env, hub):
    """A retry re-runs a mapped task with the same input (its XCom from plan_shards): it must find
    the shard run it landed, fetch nothing, and the next load must load nothing twice."""
    from airflow.models.dagrun import DagRun
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    [run] = DagRun.find(dag_id="hub_cards")
    with create_session() as session:
        [row] = session.scalars(XComModel.get_many(run_id=run.run_id, key="return_value", dag_ids="hub_cards",
                                                   task_ids="plan_shards")).all()
        plan = XComModel.deserialize_value(row)
    assert len(plan) == SHARDS
    before = len(hub.log.read_text().splitlines())
    again = [tasks.crawl_cards_shard(spec) for spec in plan]
    assert [r["already_landed"] for r in again] == [True] * SHARDS
    assert len(hub.log.read_text().splitlines()) == before
    assert tasks.load("cards")["loaded_runs"] == []
    assert query(env, "SELECT count(*) FROM load_runs WHERE source = 'cards'") == [(SHARDS,)]


def test_the_token_from_the_connection_is_used_but_never_logged_or_stored(pipeline, airflow_home, env, hub):
    """The fake token of hub_snapshot's connection reached the Hub, and appears nowhere under
    AIRFLOW_HOME (its task log, the metadata DB with XComs and rendered fields) or the data folder."""
    requests = [json.loads(line) for line in hub.log.read_text().splitlines()]
    listing, later = requests[:pipeline.listing_requests], requests[pipeline.listing_requests:]
    assert listing and all(r["auth"] for r in listing)
    # Control: the later DAGs had no token, and the replay hub does tell the difference.
    assert later and not any(r["auth"] for r in later)
    assert "listing models at" in pipeline.snapshot_log.read_text()
    leaks = [p for root in (airflow_home, env.home) for p in root.rglob("*")
             if p.is_file() and pipeline.token.encode() in p.read_bytes()]
    assert leaks == []


# -- configuration --------------------------------------------------------------------------------
def test_warehouse_tasks_can_be_pinned_to_one_queue_or_executor(airflow_home, monkeypatch):
    """Scale-out: the tasks that open the DuckDB file go to the one worker (queue) or executor
    that has it; the crawls stay anywhere."""
    monkeypatch.setenv("HUBMINE_WAREHOUSE_QUEUE", "hubmine_warehouse")
    monkeypatch.setenv("HUBMINE_WAREHOUSE_EXECUTOR", "LocalExecutor")
    bag = dagbag(airflow_home)
    assert bag.import_errors == {}
    placement = {(d.dag_id, t.task_id): (t.queue, t.executor) for d in bag.dags.values() for t in d.tasks}
    assert {k for k, v in placement.items() if v == ("hubmine_warehouse", "LocalExecutor")} == {
        k for d in bag.dags.values() for t in d.tasks if t.pool == tasks.POOL_WAREHOUSE
        for k in [(d.dag_id, t.task_id)]}
    assert placement[("hub_cards", "crawl_cards")] == ("default", None)


def test_hub_access_comes_from_the_connection_else_the_environment(airflow_home, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_HUBMINE_HUB", json.dumps(
        {"conn_type": "http", "host": "hub.example.org", "schema": "https", "port": 8443,
         "password": "hf_secret123", "extra": {"tier": "pro"}}))
    monkeypatch.setenv("HF_ENDPOINT", "http://elsewhere:1")
    monkeypatch.setenv("HF_TOKEN", "hf_other")
    access = tasks.hub_access()
    assert (access.endpoint, access.token, access.tier) == ("https://hub.example.org:8443", "hf_secret123", "pro")
    assert "hf_secret123" not in repr(access)

    monkeypatch.delenv("AIRFLOW_CONN_HUBMINE_HUB")
    monkeypatch.delenv("HUBMINE_HUB_TIER", raising=False)
    access = tasks.hub_access()
    assert (access.endpoint, access.token, access.tier) == ("http://elsewhere:1", "hf_other", "free")
    monkeypatch.delenv("HF_TOKEN")
    assert tasks.hub_access().tier == "anonymous" and tasks.hub_access().token is None
    monkeypatch.setenv("HUBMINE_HUB_TIER", "gold")
    with pytest.raises(ValueError, match="gold"):
        tasks.hub_access()
