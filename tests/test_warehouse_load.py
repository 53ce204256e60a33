"""The loader on hand-made landing runs: validity intervals, change-only counters, idempotency."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import duckdb
import pytest
from helpers import DAY0, land, model, query

from core.config import Paths
from core.hub import PLACEHOLDER_CREATED_AT
from miners.landing import LandingRun, rows_table
from miners.models import SCHEMA
from warehouse.db import connect_reader, connect_writer, migrations, user_views
from warehouse.load import RunsQuarantined, load_pending


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


def test_out_of_order_run_is_quarantined_not_loaded(paths):
    land(paths, "r1", DAY0 + timedelta(days=1), [model("a/one")])
    load_pending(paths)
    land(paths, "r0", DAY0, [model("a/one", sha="c" * 40)])
    with pytest.raises(RunsQuarantined, match="models run r0: .*before the loaded run r1"):
        load_pending(paths, run_id="r0")
    assert not (paths.landing / "models" / "r0").exists()
    assert (paths.landing / "models" / "_quarantine" / "r0" / "part-00000.parquet").is_file()
    assert query(paths, "SELECT sha FROM models") == [("a" * 40,)]
    assert query(paths, "SELECT source, run_id FROM quarantined_runs") == [("models", "r0")]


def test_a_model_listed_twice_keeps_its_last_row_and_the_day_loads(paths):
    land(paths, "r0", DAY0, [model("a/one"), model("a/two")])
    load_pending(paths)
    land(paths, "r1", DAY0 + timedelta(days=1),
         [model("a/one", sha="d" * 40, downloads=5), model("a/two"), model("a/one", sha="e" * 40, downloads=7)])
    [result] = [r for r in load_pending(paths) if r.run_id == "r1"]
    assert result.rows == 3 and result.summary["duplicate_rows"] == 1
    assert result.summary["changed_models"] == 1 and result.summary["removed_models"] == 0
    assert query(paths, "SELECT model_id, sha, downloads FROM models ORDER BY 1") == [
        ("a/one", "e" * 40, 7), ("a/two", "a" * 40, 10)]
    assert query(paths, "SELECT count(*) FROM model_history WHERE model_id = 'a/one'") == [(2,)]


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
    # The reader names the writer holding the file (this process), not a guess at what it is doing.
    assert f"PID {os.getpid()} (" in out and "holds it" in out and "writing since" in out, out
    assert isinstance(connect_reader(paths.warehouse), duckdb.DuckDBPyConnection)


def test_a_second_run_on_the_same_day_replaces_that_days_counters(paths):
    land(paths, "r0", DAY0, [model("a/one", downloads=1), model("a/two", downloads=1)])
    land(paths, "r1", DAY0 + timedelta(days=1), [model("a/one", downloads=2), model("a/two", downloads=1)])
    land(paths, "r2", DAY0 + timedelta(days=1, hours=6), [model("a/one", downloads=3), model("a/two", downloads=5)])
    load_pending(paths)
    rows = query(paths, "SELECT model_id, day, downloads, next_day FROM core.model_counters ORDER BY 1, 2")
    day0, day1 = DAY0.date(), (DAY0 + timedelta(days=1)).date()
    assert rows == [("a/one", day0, 1, day1), ("a/one", day1, 3, None),
                    ("a/two", day0, 1, day1), ("a/two", day1, 5, None)]
    assert query(paths, "SELECT model_id, downloads FROM models ORDER BY 1") == [("a/one", 3), ("a/two", 5)]


def test_counter_rows_chain_by_next_day(paths):
    for k in range(4):
        land(paths, f"r{k}", DAY0 + timedelta(days=k), [model("a/one", downloads=10 + (k % 2)), model("a/two")])
    load_pending(paths)
    broken = query(paths, """
        SELECT model_id, day, next_day, lead(day) OVER (PARTITION BY model_id ORDER BY day) AS following
        FROM core.model_counters QUALIFY next_day IS DISTINCT FROM following""")
    assert broken == []
    assert query(paths, "SELECT model_id, count(*) FROM core.model_counters GROUP BY 1 ORDER BY 1") == [
        ("a/one", 4), ("a/two", 1)]


def test_raw_listing_is_the_latest_run_with_its_comments(paths):
    land(paths, "r0", DAY0, [model("a/one"), model("a/two")])
    land(paths, "r1", DAY0 + timedelta(days=1), [model("a/one")])
    load_pending(paths)
    assert query(paths, "SELECT run_id, id FROM raw.model_listing") == [("r1", "a/one")]
    comments = dict(query(paths, "SELECT column_name, comment FROM duckdb_columns() "
                                 "WHERE schema_name = 'raw' AND table_name = 'model_listing'"))
    assert comments["sha"] and all(comments.values())


def test_a_new_fingerprint_scheme_opens_no_interval(paths):
    # After a DuckDB upgrade (or migration 009, from md5 values) the stored fingerprints are redone
    # once; an unchanged model must not look changed.
    land(paths, "r0", DAY0, [model("a/one", card_data={"license": "mit"}), model("a/two")])
    load_pending(paths)
    con = connect_writer(paths.warehouse)
    try:
        con.execute("UPDATE core.model_state SET state_hash = md5(model_id)")
        con.execute("INSERT INTO marts.analysed SELECT 'card_metadata', model_id, state_hash, 1 FROM core.model_state")
        con.execute("UPDATE meta.settings SET value = 'md5' WHERE key = 'state_fingerprint'")
    finally:
        con.close()
    land(paths, "r1", DAY0 + timedelta(days=1), [model("a/one", card_data={"license": "mit"}), model("a/two", sha="c" * 40)])
    second = load_pending(paths)[-1]
    assert (second.summary["changed_models"], second.summary["new_models"]) == (1, 0)
    assert query(paths, "SELECT model_id, count(*) FROM core.model_state GROUP BY 1 ORDER BY 1") == [
        ("a/one", 1), ("a/two", 2)]
    # The bookkeeping followed the unchanged model's new fingerprint: it is not re-analysed.
    assert query(paths, """SELECT a.model_id FROM marts.analysed a JOIN core.model_state s
                           ON s.model_id = a.model_id AND s.valid_to IS NULL AND s.state_hash = a.input_key""") == [
        ("a/one",)]


def test_migration_009_keeps_the_data_of_an_older_warehouse(paths):
    # A warehouse made before migration 009 (counters keyed, raw listing a table) is upgraded in place.
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.warehouse))
    con.execute("CREATE SCHEMA meta")
    con.execute("CREATE TABLE meta.schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMPTZ NOT NULL)")
    for version, name, sql in migrations():
        if version < 9:
            con.execute(sql)
            con.execute("INSERT INTO meta.schema_migrations VALUES (?, ?, now())", [version, name])
    con.execute("""INSERT INTO core.model_counters VALUES
        ('a/one', DATE '2026-11-01', 1, 0, 'r0'), ('a/one', DATE '2026-11-03', 5, 1, 'r2'),
        ('a/two', DATE '2026-11-01', 7, 0, 'r0')""")
    con.execute("""INSERT INTO core.model_state (model_id, sha, state_hash, valid_from, run_id) VALUES
        ('a/one', 'x', 'md5one', TIMESTAMPTZ '2026-11-01 06:00:00+00', 'r0'),
        ('a/two', 'y', 'md5two', TIMESTAMPTZ '2026-11-01 06:00:00+00', 'r0')""")
    con.close()
    con = connect_writer(paths.warehouse)
    try:
        counters = con.execute("SELECT model_id, day, downloads, next_day FROM core.model_counters ORDER BY 1, 2").fetchall()
        latest = con.execute("SELECT model_id, downloads, likes FROM models ORDER BY 1").fetchall()
    finally:
        con.close()
    d1, d3 = DAY0.date(), (DAY0 + timedelta(days=2)).date()
    assert counters == [("a/one", d1, 1, d3), ("a/one", d3, 5, None), ("a/two", d1, 7, None)]
    assert latest == [("a/one", 5, 1), ("a/two", 7, 0)]


def test_both_hub_placeholder_dates_mean_an_unknown_creation_date(paths):
    rows = [model("a/four"), model("a/five"), model("a/real"), model("a/none")]
    for row, created in zip(rows, [*PLACEHOLDER_CREATED_AT, "2022-03-02T23:29:06.000Z", None], strict=True):
        row["created_at"] = datetime.fromisoformat(created) if created else None
    land(paths, "r0", DAY0, rows)
    load_pending(paths)
    assert query(paths, "SELECT model_id, created_at_known FROM models ORDER BY 1") == [
        ("a/five", False), ("a/four", False), ("a/none", False), ("a/real", True)]
