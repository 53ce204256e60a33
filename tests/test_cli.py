"""The `hubmine` command line: documented commands, clean errors, sql on a real warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from hubmine.cli import main
from replayhub.server import ReplayHub
from replayhub.snapshot import SnapshotWriter

CLI_DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def command_paths(group: click.Group, prefix: str = "hubmine") -> list[str]:
    out = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        out += command_paths(command, path) if isinstance(command, click.Group) else [path]
    return out


def test_every_command_is_documented_in_docs_cli():
    paths = command_paths(main)
    assert "hubmine hub serve" in paths and "hubmine airflow pools" in paths  # the walk reached the groups
    doc = CLI_DOC.read_text()
    missing = [path for path in paths if f"`{path}" not in doc]
    assert missing == []


@pytest.fixture
def home(tmp_path) -> Path:
    """A home whose warehouse holds one crawl of a three-model hub."""
    hub_dir = tmp_path / "hub"
    with SnapshotWriter(hub_dir, source="test", meta={"snapshot_time": "2026-11-01T00:00:00Z"}) as writer:
        for i, author in enumerate(["org", "org", "solo"]):
            writer.add_model({"id": f"{author}/m{i}", "author": author, "sha": f"{i:040x}", "downloads": 10 ** i,
                              "likes": i, "createdAt": "2024-01-01T00:00:00.000Z", "tags": ["x"]})
    home = tmp_path / "home"
    runner = CliRunner()
    with ReplayHub(hub_dir) as hub:
        result = runner.invoke(main, ["--home", str(home), "crawl", "models", "--endpoint", hub.url,
                                      "--run-id", "r1", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "landed 3 models" in result.output
    result = runner.invoke(main, ["--home", str(home), "load"])
    assert result.exit_code == 0, result.output
    return home


def test_sql_answers_on_a_documented_view(home):
    result = CliRunner().invoke(main, ["--home", str(home), "sql", "--format", "json",
                                       "SELECT author, sum(downloads) AS d FROM models GROUP BY 1 ORDER BY 1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"author": "org", "d": 11}, {"author": "solo", "d": 100}]


def test_sql_schema_lists_views_with_comments(home):
    result = CliRunner().invoke(main, ["--home", str(home), "sql", "--schema"])
    assert result.exit_code == 0, result.output
    assert "models: One row per model currently on the Hub" in result.output
    assert "created_at_known" in result.output and "placeholder" in result.output


def test_bad_query_and_missing_warehouse_are_clean_errors(home, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(main, ["--home", str(home), "sql", "SELECT * FROM no_such_view"])
    assert bad.exit_code == 1 and "Error: query failed" in bad.output and "no_such_view" in bad.output
    assert len(bad.stderr.splitlines()) == 1  # DuckDB's message spans lines; the CLI's error is one
    empty = runner.invoke(main, ["--home", str(tmp_path / "empty"), "sql", "SELECT 1"])
    assert empty.exit_code == 1 and "no warehouse at" in empty.output


def test_loading_again_changes_nothing(home):
    result = CliRunner().invoke(main, ["--home", str(home), "load", "--run-id", "r1"])
    assert result.exit_code == 0 and "already loaded, unchanged" in result.output


def test_names_reads_stdin_and_writes_csv():
    import csv as csv_module
    import io

    result = CliRunner().invoke(main, ["names"], input="mistralai/Mixtral-8x7B-v0.1\n\nacme/tool-v2\n")
    assert result.exit_code == 0, result.output
    rows = list(csv_module.DictReader(io.StringIO(result.output)))
    assert [r["repo_id"] for r in rows] == ["mistralai/Mixtral-8x7B-v0.1", "acme/tool-v2"]
    assert "{size}" in rows[0]["pattern"] and rows[0]["pattern"].endswith("{version}")
    assert json.loads(rows[1]["segments_json"])[-1] == ["v2", "version"]


# -- every command ends in one line ------------------------------------------------------------------
def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    import subprocess
    import sys

    ids = tmp_path / "ids.txt"
    ids.write_text("".join(f"someone/model-{i}-7b-instruct-v0.{i % 9}\n" for i in range(50_000)))
    with open(ids) as stdin:
        proc = subprocess.Popen([sys.executable, "-m", "hubmine.cli", "names"], stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout.readline().startswith(b"repo_id,")  # `| head -1`: one line, then the reader goes
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141, stderr  # 128 + SIGPIPE, as a Unix tool ends
    assert stderr == ""  # no "Error: ... Broken pipe", no traceback


def error_lines(stderr: str, output: str = "") -> list[str]:
    """The lines of ``stderr``, after checking it is one ``Error:`` line and nothing shows a traceback."""
    lines = stderr.splitlines()
    assert "Traceback" not in stderr + output
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    return lines


def test_an_unexpected_error_is_one_line_naming_its_type_and_debug_shows_the_traceback(home, monkeypatch):
    # A state file that is not Parquet (a disk that filled up mid-write, a stray copy) is no error the
    # library expects: the last-resort line names the exception and says how to see more.
    (home / "state" / "models_listed.parquet").write_bytes(b"not parquet at all")
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(home), "crawl", "cards", "--endpoint", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    (line,) = error_lines(result.stderr, result.output)
    assert line.startswith("Error: unexpected ArrowInvalid: ") and "--debug" in line and "bug" in line
    debug = runner.invoke(main, ["--home", str(home), "--debug", "crawl", "cards", "--endpoint", "http://127.0.0.1:9"])
    assert type(debug.exception).__name__ == "ArrowInvalid" and "Error:" not in debug.output
    monkeypatch.setenv("HUBMINE_DEBUG", "1")
    from_env = runner.invoke(main, ["--home", str(home), "crawl", "cards", "--endpoint", "http://127.0.0.1:9"])
    assert type(from_env.exception).__name__ == "ArrowInvalid"


def test_an_unreachable_hub_is_one_line_naming_the_endpoint(tmp_path):
    from miners.hubclient import configure

    before = configure()
    configure(attempts=2, base_seconds=0.01, cap_seconds=0.01)
    try:
        result = CliRunner().invoke(main, ["--home", str(tmp_path), "crawl", "models", "--no-progress",
                                           "--endpoint", "http://127.0.0.1:9"])
    finally:
        configure(attempts=before.attempts, base_seconds=before.base_seconds, cap_seconds=before.cap_seconds)
    assert result.exit_code == 1
    (line,) = error_lines(result.stderr, result.output)
    assert "127.0.0.1:9" in line


def test_ctrl_c_ends_a_crawl_in_one_line_with_status_130(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from processes import env

    from replayhub.server import HubConfig

    hub_dir, home = tmp_path / "hub", tmp_path / "home"
    with SnapshotWriter(hub_dir, source="test", meta={"snapshot_time": "2026-11-01T00:00:00Z"}) as writer:
        for i in range(20):
            writer.add_model({"id": f"org/m{i}", "author": "org", "sha": f"{i + 1:040x}", "downloads": i,
                              "createdAt": "2024-01-01T00:00:00.000Z"})
    with ReplayHub(hub_dir) as hub:
        listed = CliRunner().invoke(main, ["--home", str(home), "crawl", "models", "--no-progress",
                                           "--endpoint", hub.url])
        assert listed.exit_code == 0, listed.output
    # History of 20 repos, 3 requests each, half a second per request: some 15 s of work.
    with ReplayHub(hub_dir, config=HubConfig(latency_ms=500)) as hub:
        proc = subprocess.Popen([sys.executable, "-m", "hubmine.cli", "--home", str(home), "crawl", "history",
                                 "--no-progress", "--workers", "2", "--endpoint", hub.url], env=env(tmp_path),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while hub.stats.total < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()  # still at work
        os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        sent = hub.stats.total
    assert proc.returncode == 130, err
    (line,) = error_lines(err, out)
    assert "interrupted" in line and "again" in line
    assert sent < 20 * 3  # it stopped, it did not finish the queued repos first


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://hub.example", "file:///etc", "data:text/html,x",
                                 "huggingface.co", "https://", "//evil.example"])
def test_report_hub_url_is_http_or_https_only(home, url):
    out = home / "site"
    result = CliRunner().invoke(main, ["--home", str(home), "report", "--no-progress", "--out", str(out),
                                       "--hub-url", url])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1].startswith("Error: Invalid value for '--hub-url'")
    assert not out.exists()


def test_report_hub_url_takes_an_http_url_auto_or_none(home):
    from core.config import Paths
    from report.build import ReportError, build_site, check_hub_url

    assert [check_hub_url(u) for u in ("https://hf.co", "HTTP://127.0.0.1:8800", "auto", None)] == [
        "https://hf.co", "HTTP://127.0.0.1:8800", "auto", None]
    with pytest.raises(ReportError, match="not an http"):  # the library refuses it too (the DAG's way in)
        build_site(Paths.from_env(home), home / "site", hub_url="javascript:alert(1)")
    result = CliRunner().invoke(main, ["--home", str(home), "report", "--no-progress", "--out", str(home / "site"),
                                       "--hub-url", "https://hub.example/"])
    assert result.exit_code == 0, result.output
    assert (home / "site" / "index.html").is_file()


def test_hub_and_subprocess_failures_name_what_failed_and_what_to_do(home):
    import subprocess

    from huggingface_hub.errors import HfHubHTTPError

    from hubmine.errors import failure_line
    from miners.hubclient import hub_api

    assert failure_line(subprocess.CalledProcessError(3, ["airflow", "db", "migrate"])) == (
        "airflow db migrate failed with exit status 3; run it yourself to see its output")
    hub_dir = home.parent / "hub"
    with ReplayHub(hub_dir) as hub:
        with pytest.raises(HfHubHTTPError) as missing:
            hub_api(hub.url, token=False).model_info("no/such")
    assert failure_line(missing.value) == (
        f"the Hub answered HTTP 404 for {hub.url}/api/models/no/such (Repository not found); check the repo id "
        f"and the endpoint (--endpoint or HF_ENDPOINT)")
