"""A configured HF token is sent to the Hub and kept nowhere else.

The whole daily pipeline runs through the CLI with a fake token in ``HF_TOKEN``: listing, cards,
history, load, analyses, report. The replay hub's request log says the token was sent (a flag,
never the value); then every byte hubmine wrote or printed is searched for it: the command output
(the logs), every file under the home folder (landing Parquet, state, reports), every text column
of every warehouse table and view, and the replay hub's request log. The Airflow task logs are
searched by tests/test_dags.py, which runs a DAG with a token in the Airflow connection.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from core.config import Paths
from replayhub.server import HubConfig, ReplayHub
from replayhub.synth import generate

TOKEN = "hf_FakeSecretTokenForHubmineTests0123456789"
# the token's distinctive middle, in case something cut or re-encoded it
FRAGMENTS = (TOKEN, TOKEN[3:30], TOKEN.encode().hex())


def _leaks(data: bytes) -> bool:
    text = data.decode("latin-1")
    return any(f in text for f in FRAGMENTS)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    root = tmp_path_factory.mktemp("secrets")
    generate(root / "hub", models=300, seed=5, progress=False)
    paths = Paths(root / "home")
    log = root / "requests.jsonl"
    env = {**os.environ, "HF_TOKEN": TOKEN, "HUBMINE_HOME": str(paths.home)}
    env.pop("HF_HUB_DISABLE_IMPLICIT_TOKEN", None)
    outputs = []
    hubmine = [sys.executable, "-c", "from hubmine.cli import main; main()"]
    with ReplayHub(root / "hub", config=HubConfig(request_log=log)) as hub:
        for step in (["crawl", "models", "--endpoint", hub.url], ["crawl", "cards", "--endpoint", hub.url],
                     ["crawl", "history", "--endpoint", hub.url, "--top-n", "50"], ["load"], ["analyze"],
                     ["report"]):
            done = subprocess.run(hubmine + step, env=env, capture_output=True, timeout=600)
            assert done.returncode == 0, done.stderr.decode()[-2000:]
            outputs.append(done.stdout + done.stderr)
    return paths, log, outputs


def test_the_token_was_sent_to_the_hub(ran):
    _, log, _ = ran
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(rows) > 300
    assert all(r["auth"] for r in rows)  # every request carried it: the search below is not vacuous


def test_the_token_is_in_no_log_file_or_request_log(ran):
    paths, log, outputs = ran
    assert not any(_leaks(out) for out in outputs)
    assert not _leaks(log.read_bytes())
    files = [p for p in paths.home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".parquet" for p in files) and any(p.suffix == ".html" for p in files)
    assert [str(p) for p in files if _leaks(p.read_bytes())] == []


def test_the_token_is_in_no_warehouse_table(ran):
    paths, _, _ = ran
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        columns = con.execute("""
            SELECT schema_name, table_name, column_name FROM duckdb_columns()
            WHERE database_name = current_database() AND data_type = 'VARCHAR'""").fetchall()
        assert len(columns) > 50
        found = []
        for schema, table, column in columns:
            hits = con.execute(
                f'SELECT count(*) FROM "{schema}"."{table}" WHERE contains("{column}", ?)', [TOKEN[3:30]]
            ).fetchone()[0]
            if hits:
                found.append(f"{schema}.{table}.{column}")
        assert found == []
    finally:
        con.close()
