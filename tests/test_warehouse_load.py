"""The loader on hand-made landing runs: validity intervals, change-only counters, idempotency."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest
from helpers import DAY0, land, model, query

from hubmine.config import Paths
from miners.landing import LandingRun, rows_table
from miners.models import SCHEMA
from warehouse.db import WarehouseError, connect_reader, connect_writer, migrations, user_views
from warehouse.load import load_pending


@pytest.fixture
def paths(tmp_path) -> Paths:
    return Paths(tmp_path / "home")


def test_history_grows_with_change_only(paths):
    land(paths, "r0", DAY0, [model("a/one"), model("a/two"), model("b/three")])
    land(paths, "r1", DAY0 + timedelta(days=1),
         [model("a/one"), model("a/two", sha="b" * 40), model("b/three", downloads=99)])
    results = load_pending(paths)
    assert [(r.run_id, r.summary["new_models"], r.summary["changed_models"], r.summary["counter_rows"]) for r in results] == [
        ("r0", 3, 0, 3), ("r1", 0, 1, 1)]
    # a/two got a second interval (new sha); b/three only a counter row; a/one nothing.
    intervals = query(paths, "SELECT model_id, count(*) FROM core.model_state GROUP BY 1 ORDER BY 1")
    assert intervals == [("a/one", 1), ("a/two", 2), ("b/three", 1)]
    closed = query(paths, "SELECT sha, valid_from, valid_to FROM model_history WHERE model_id = 'a/two' ORDER BY valid_from")
    assert closed[0][0] == "a" * 40 and closed[0][2] == closed[1][1] == DAY0 + timedelta(days=1)
    assert closed[1][2] is None
    assert query(paths, "SELECT downloads, counters_day FROM models WHERE model_id = 'b/three'") == [
        (99, (DAY0 + timedelta(days=1)).date())]


def test_reloading_a_run_changes_nothing(paths):
    land(paths, "r0", DAY0, [model("a/one"), model("a/two")])
    load_pending(paths)
    before = query(paths, "SELECT * FROM core.model_state ORDER BY model_id")
    again = load_pending(paths, run_id="r0")
    assert again[0].skipped
    assert query(paths, "SELECT * FROM core.model_state ORDER BY model_id") == before
    assert query(paths, "SELECT count(*) FROM load_runs") == [(1,)]


def test_removed_model_is_closed_and_can_come_back(paths):
    land(paths, "r0", DAY0, [model("a/one"), model("a/two")])
    land(paths, "r1", DAY0 + timedelta(days=1), [model("a/one")])
    land(paths, "r2", DAY0 + timedelta(days=2), [model("a/one"), model("a/two")])
    results = load_pending(paths)
    assert [r.summary["removed_models"] for r in results] == [0, 1, 0]
    assert results[2].summary["new_models"] == 1
    assert query(paths, "SELECT count(*) FROM models") == [(2,)]
    assert query(paths, "SELECT count(*) FROM model_history WHERE model_id = 'a/two'") == [(2,)]


def test_out_of_order_run_is_refused(paths):
    land(paths, "r1", DAY0 + timedelta(days=1), [model("a/one")])
    load_pending(paths)
    land(paths, "r0", DAY0, [model("a/one", sha="c" * 40)])
    with pytest.raises(WarehouseError, match="older than the loaded run r1"):
        load_pending(paths, run_id="r0")


def test_duplicate_ids_in_a_run_are_refused_and_nothing_is_lost(paths):
    land(paths, "r0", DAY0, [model("a/one")])
    load_pending(paths)
    land(paths, "r1", DAY0 + timedelta(days=1), [model("a/one", sha="d" * 40), model("a/one")])
    with pytest.raises(WarehouseError, match="a/one"):
        load_pending(paths)
    # The failed run rolled back whole: r0's state is intact and r1 can be retried later.
    assert query(paths, "SELECT sha FROM models") == [("a" * 40,)]
    assert query(paths, "SELECT run_id FROM raw.load_runs") == [("r0",)]


def test_incomplete_runs_are_not_loaded(paths):
    run = LandingRun(paths.landing, "models", "r0")
    run.start()
    run.write_part(rows_table([model("a/one")], SCHEMA, "r0", DAY0))
    assert load_pending(paths) == []


def test_every_table_view_and_column_has_a_comment(paths):
    con = connect_writer(paths.warehouse)
    try:
        tables = con.execute("SELECT schema_name, table_name, comment FROM duckdb_tables() WHERE NOT internal").fetchall()
        views = con.execute("SELECT schema_name, view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall()
        names = {(s, t) for s, t, _ in tables + views}
        columns = con.execute("SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
                              "WHERE NOT internal").fetchall()
    finally:
        con.close()
    assert {("core", "model_state"), ("main", "models")} <= names
    assert [(s, t) for s, t, c in tables + views if not c] == []
    undocumented = [(s, t, c) for s, t, c, d in columns if (s, t) in names and not d
                    and (s, t) != ("meta", "schema_migrations")]
    assert undocumented == []


def test_migrations_apply_once_and_schema_lists_views(paths):
    connect_writer(paths.warehouse).close()
    con = connect_writer(paths.warehouse)
    applied = con.execute("SELECT version FROM meta.schema_migrations ORDER BY 1").fetchall()
    con.close()
    assert [v for (v,) in applied] == [v for v, _, _ in migrations()]
    con = connect_reader(paths.warehouse)
    views = {v["name"]: v for v in user_views(con)}
    con.close()
    assert {"models", "model_history", "model_daily_counters", "load_runs"} <= set(views)
    assert all(c["comment"] for c in views["models"]["columns"])


def test_reader_refuses_while_a_writer_holds_the_file(paths):
    writer = connect_writer(paths.warehouse)
    try:
        import subprocess
        import sys

        code = ("from pathlib import Path; from warehouse.db import connect_reader, WarehouseError\n"
                f"try:\n connect_reader(Path({str(paths.warehouse)!r}))\nexcept WarehouseError as e:\n print(e)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    finally:
        writer.close()
    assert "open by another process" in out
    assert isinstance(connect_reader(paths.warehouse), duckdb.DuckDBPyConnection)
