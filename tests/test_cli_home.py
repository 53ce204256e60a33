"""Issue 18, point 4: --home and --debug where users put them, no warehouse made from nothing, and the
steps after `crawl models` failing (not succeeding silently) when nothing is listed."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from hubmine.cli import main
from replayhub.server import ReplayHub
from replayhub.snapshot import SnapshotWriter
from warehouse.db import connect_writer


def every_command(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = [(prefix, group)]
    for name, command in group.commands.items():
        out += every_command(command, prefix + (name,)) if isinstance(command, click.Group) else [
            (prefix + (name,), command)]
    return out


def test_every_command_and_group_takes_home_and_debug():
    commands = every_command(main)
    names = [" ".join(path) for path, _ in commands]
    assert {"crawl models", "hub serve", "airflow pools", "crawl", "hub", "sql"} <= set(names)
    lacking = [name for (path, command), name in zip(commands, names)
               if not {"--home", "--debug"} <= {opt for p in command.params for opt in p.opts}]
    assert lacking == []


def small_hub(path) -> None:
    with SnapshotWriter(path, source="test", meta={"snapshot_time": "2026-11-01T00:00:00Z"}) as writer:
        for i in range(3):
            writer.add_model({"id": f"org/m{i}", "author": "org", "sha": f"{i + 1:040x}", "downloads": i,
                              "createdAt": "2024-01-01T00:00:00.000Z"})


@pytest.mark.parametrize("where", ["before", "after", "group"])
def test_home_is_taken_before_or_after_the_command_and_on_its_group(tmp_path, where):
    home, decoy = tmp_path / "home", tmp_path / "decoy"
    small_hub(tmp_path / "hub")
    args = {"before": ["--home", str(home), "crawl", "models"],
            "after": ["crawl", "models", "--home", str(home)],
            "group": ["crawl", "--home", str(home), "models"]}[where]
    runner = CliRunner(env={"HUBMINE_HOME": str(decoy)})
    with ReplayHub(tmp_path / "hub") as hub:
        result = runner.invoke(main, [*args, "--endpoint", hub.url, "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "landed 3 models" in result.output and str(home) in result.output
    assert (home / "landing" / "models").is_dir() and not decoy.exists()
    # The nearest --home wins: one after the command overrides one before it.
    loaded = runner.invoke(main, ["--home", str(decoy), "load", "--home", str(home)])
    assert loaded.exit_code == 0, loaded.output
    assert f"warehouse: {home / 'warehouse.duckdb'}" in loaded.output and not decoy.exists()


def test_debug_after_the_command_shows_the_traceback(tmp_path):
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "models_listed.parquet").write_bytes(b"not parquet")
    plain = CliRunner().invoke(main, ["crawl", "cards", "--home", str(tmp_path)])
    assert plain.exit_code == 1 and plain.output.startswith("Error: unexpected ArrowInvalid")
    debug = CliRunner().invoke(main, ["crawl", "cards", "--home", str(tmp_path), "--debug"])
    assert type(debug.exception).__name__ == "ArrowInvalid" and "Error:" not in debug.output


@pytest.mark.parametrize("command", [["load"], ["analyze", "--no-progress"], ["report", "--no-progress"],
                                     ["sql", "SELECT 1"]])
def test_a_mistyped_home_makes_no_warehouse_and_fails(tmp_path, command):
    typo = tmp_path / "hubmine-dta"
    result = CliRunner().invoke(main, [*command, "--home", str(typo)])
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and str(typo) in line and "--home" in line, line
    assert not typo.exists()  # no folder, no empty warehouse


def test_load_makes_the_warehouse_only_with_a_run_to_load(tmp_path):
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)  # a home whose first run is still landing
    result = CliRunner().invoke(main, ["load", "--home", str(home)])
    assert result.exit_code == 0 and result.output == "nothing to load\n"
    assert not (home / "warehouse.duckdb").exists()
    analyze = CliRunner().invoke(main, ["analyze", "--home", str(home), "--no-progress"])
    assert analyze.exit_code == 1 and "no warehouse at" in analyze.stderr
    assert not (home / "warehouse.duckdb").exists()


@pytest.mark.parametrize("command", [["crawl", "cards"], ["crawl", "history"], ["bootstrap", "cards"]])
def test_steps_after_the_listing_fail_when_nothing_is_listed(tmp_path, command):
    result = CliRunner().invoke(main, [*command, "--home", str(tmp_path / "home"), "--no-progress",
                                       "--endpoint", "http://127.0.0.1:9"])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (f"Error: nothing listed yet in {tmp_path / 'home'}: run `hubmine crawl models` "
                                     f"first (or check --home)")
    assert "cost:" not in result.output and not (tmp_path / "home" / "landing").exists()


def test_analyze_runs_on_a_warehouse_that_exists(tmp_path):
    connect_writer(tmp_path / "warehouse.duckdb").close()
    result = CliRunner().invoke(main, ["analyze", "--home", str(tmp_path), "--no-progress", "--only", "naming"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("naming: ")
    # figures in words: no Python reprs of None or booleans
    assert not any(word in result.output for word in ("None", "True", "False"))
