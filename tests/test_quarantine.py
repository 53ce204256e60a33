"""A landing run that cannot be loaded is quarantined and the others load; a listed record that cannot
be typed becomes a problem row and the run goes on (real replay hub, real client, real CLI process)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from helpers import query, write_snapshot

from core.config import Paths
from hubmine.cli import main
from miners.landing import QUARANTINE_NOTE, read_manifest
from miners.models import crawl_models
from replayhub.server import ReplayHub
from replayhub.snapshot import DB_NAME
from report import data as report_data
from warehouse.load import load_pending

DAY0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
MODELS = 40


def _info(i: int) -> dict:
    return {"id": f"org/m-{i:03d}", "sha": f"{i:040x}", "downloads": i, "likes": 1, "tags": ["x"],
            "createdAt": f"2024-01-{1 + i % 28:02d}T00:00:00.000Z", "private": False}


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    return write_snapshot(tmp_path_factory.mktemp("hub"), map(_info, range(MODELS)))


def _three_days(snapshot: Path, home: Path) -> list[Path]:
    with ReplayHub(snapshot) as hub:
        return [crawl_models(paths=Paths(home), endpoint=hub.url, fetched_at=DAY0 + timedelta(days=d),
                             progress=False).run_dir for d in range(3)]


def _hubmine(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hubmine.cli", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=120)


def _damage(run_dir: Path, how: str) -> None:
    part = run_dir / "part-00000.parquet"
    if how == "truncated":
        data = part.read_bytes()
        part.write_bytes(data[: len(data) // 2])
    elif how == "missing":
        part.unlink()
    elif how == "bad_manifest":
        (run_dir / "_manifest.json").write_text('{"source": "models", "run_id": ')
    elif how == "repeated_positions":
        table = pq.read_table(part)
        pq.write_table(table.set_column(table.schema.get_field_index("listed_pos"), "listed_pos",
                                        [[0] * table.num_rows]), part)


REASONS = {"truncated": "part-00000.parquet is truncated or not Parquet", "missing": "part-00000.parquet is missing",
           "bad_manifest": "_manifest.json: unreadable manifest", "repeated_positions": "listed_pos is not unique"}


@pytest.mark.parametrize("how", list(REASONS))
def test_a_bad_run_is_quarantined_and_later_runs_load(snapshot, tmp_path, how):
    home = tmp_path / "home"
    runs = _three_days(snapshot, home)
    _damage(runs[1], how)
    loaded = _hubmine(home, "load")
    assert loaded.returncode != 0
    [line] = [x for x in loaded.stderr.splitlines() if x.strip()]  # one line, no traceback
    assert f"models run {runs[1].name}: {REASONS[how]}" in line and "quarantined 1 run(s)" in line
    paths = Paths(home)
    assert query(paths, "SELECT run_id FROM load_runs ORDER BY run_id") == [(runs[0].name,), (runs[2].name,)]
    [(source, run_id, reason)] = query(paths, "SELECT source, run_id, reason FROM quarantined_runs")
    assert (source, run_id) == ("models", runs[1].name) and REASONS[how] in reason
    moved = runs[1].parent / "_quarantine" / runs[1].name
    assert not runs[1].exists() and json.loads((moved / QUARANTINE_NOTE).read_text())["reason"] == reason
    assert query(paths, "SELECT count(*) FROM models") == [(MODELS,)]
    # It blocks nothing any more: the next load is clean, and the report says what was left out.
    again = _hubmine(home, "load")
    assert again.returncode == 0, again.stderr
    assert "already loaded" in again.stdout
    report = report_data.load(paths)
    assert report.provenance["quarantined_runs"] == 1
    assert report.tables["provenance.quarantined"].records()[0]["run_id"] == runs[1].name


def test_untypable_records_become_problem_rows_and_their_models_stay(snapshot, tmp_path):
    home = tmp_path / "home"
    paths = Paths(home)
    with ReplayHub(snapshot) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=DAY0, progress=False)
    bad = tmp_path / "bad_hub"
    bad.mkdir()
    (bad / DB_NAME).write_bytes((snapshot / DB_NAME).read_bytes())
    for name in snapshot.iterdir():
        if name.name != DB_NAME:
            (bad / name.name).write_bytes(name.read_bytes())
    spoiled = {"org/m-003": {"downloads": "123"}, "org/m-004": {"createdAt": "garbage"},
               "org/m-005": {"id": None}, "org/m-006": {"tags": "x"}}
    with sqlite3.connect(bad / DB_NAME) as db:
        for repo_id, change in spoiled.items():
            db.execute("UPDATE models SET info = ? WHERE id = ?", (json.dumps({**_info(int(repo_id[-3:])), **change}),
                                                                  repo_id))
    with ReplayHub(bad) as hub:
        result = crawl_models(paths=paths, endpoint=hub.url, fetched_at=DAY0 + timedelta(days=1), progress=False)
        said = CliRunner().invoke(main, ["--home", str(tmp_path / "cli"), "crawl", "models", "--endpoint", hub.url,
                                         "--no-progress"])
    assert said.exit_code == 0 and "0 rows listed twice (the last kept), 4 records that could not be typed" in said.output
    manifest = read_manifest(result.run_dir)
    assert result.problems == manifest["problem_records"] == 4 and result.models == MODELS - 4
    # One record has no id: the listing no longer names every model it met.
    assert manifest["complete_listing"] is False
    [first, second] = load_pending(paths)
    assert second.summary["problem_records"] == 4 and second.summary["removed_models"] == 0
    problems = query(paths, "SELECT model_id, reason, record_excerpt FROM listing_problems ORDER BY listed_pos")
    assert {p[0] for p in problems} == {"org/m-003", "org/m-004", "org/m-006", None}
    by_id = {p[0]: p for p in problems}
    assert "downloads is str '123'" in by_id["org/m-003"][1] and '"downloads": "123"' in by_id["org/m-003"][2]
    assert "createdAt is not an ISO 8601 time" in by_id["org/m-004"][1]
    assert by_id[None][1] == "the record has no id"
    # Every model keeps its state: a record that could not be typed is no deletion.
    assert query(paths, "SELECT count(*) FROM models") == [(MODELS,)]


class _OddPages(BaseHTTPRequestHandler):
    """Page 1: two models and a next link; page 2: an object, not a list (with a next link);
    page 3: one model. What a broken proxy or a Hub incident could serve."""

    def do_GET(self):
        # The next link carries the whole query, as the Hub's do (hubmine's transport checks it).
        query = "&".join(p for p in self.path.partition("?")[2].split("&") if not p.startswith("cursor="))
        base = f"http://127.0.0.1:{self.server.server_address[1]}/api/models?{query}"
        page = 2 if "cursor=2" in self.path else 3 if "cursor=3" in self.path else 1
        body = {1: [_info(1), _info(2)], 2: {"error": "temporarily unavailable", "models": []}, 3: [_info(3)]}[page]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if page < 3:
            self.send_header("Link", f'<{base}&cursor={page + 1}>; rel="next"')
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_a_page_that_is_not_a_list_is_a_problem_not_a_failure(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OddPages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = crawl_models(paths=Paths(tmp_path / "home"), endpoint=f"http://127.0.0.1:{server.server_address[1]}",
                              fetched_at=DAY0, progress=False)
    finally:
        server.shutdown()
    manifest = read_manifest(result.run_dir)
    assert result.models == 3 and manifest["problem_records"] == 1 and manifest["complete_listing"] is False
    [problem] = pq.read_table(result.run_dir / manifest["problems"][0]).to_pylist()
    assert problem["model_id"] is None and problem["reason"] == "the page is a dict, not a list of models"
    assert json.loads(problem["record"]) == {"error": "temporarily unavailable", "models": []}
    [loaded] = load_pending(Paths(tmp_path / "home"))
    assert loaded.summary["problem_records"] == 1 and loaded.quarantined is None
    assert query(Paths(tmp_path / "home"), "SELECT count(*) FROM listing_problems WHERE model_id IS NULL") == [(1,)]
