"""Views live in warehouse/views, one file each, and the writer keeps the warehouse in line with the files:
none comes from a migration, a stale or hand-replaced view is re-created, one whose file is gone is
dropped, a user's own views are never touched, and the Hub's placeholder dates come from core.hub."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from helpers import DAY0, land, model, query

from core.config import Paths
from core.hub import PLACEHOLDER_CREATED_AT
from warehouse import view_sync
from warehouse.db import WarehouseError, connect_writer, migrations
from warehouse.load import load_pending
from warehouse.view_sync import ViewFileError, in_dependency_order, read_view_file, reads, sync_views, view_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    connect_writer(path).close()
    return path


def catalog_views(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """name (schema-qualified outside main) -> (comment, [(column, type, comment)]) of every view."""
    out = {}
    for schema, name, comment in con.execute(
            "SELECT schema_name, view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall():
        columns = con.execute("SELECT column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = ? "
                              "AND table_name = ? ORDER BY column_index", [schema, name]).fetchall()
        out[name if schema == "main" else f"{schema}.{name}"] = (comment, columns)
    return out


def _without_sql_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def test_no_migration_creates_or_comments_a_view():
    tables = set()
    for _, name, sql in migrations():
        code = _without_sql_comments(sql)
        assert not re.search(r"\bCREATE\s+(OR\s+REPLACE\s+)?VIEW\b|\bCOMMENT\s+ON\s+VIEW\b", code, re.I), name
        tables |= {t.lower() for t in re.findall(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w.]+)", code, re.I)}
        tables |= {f"{s}.{n}".lower() for s, n in re.findall(r"\bALTER\s+TABLE\s+(\w+)\.\w+\s+RENAME\s+TO\s+(\w+)",
                                                              code, re.I)}
        # Every column comment is on a table the migrations made (so none on a view).
        targets = {t.replace('"', "").rsplit(".", 1)[0].lower()
                   for t in re.findall(r"\bCOMMENT\s+ON\s+COLUMN\s+([\w.\"]+)\s+IS", code, re.I)}
        assert targets <= tables, (name, targets - tables)
    assert len(tables) >= 25


def test_every_view_comes_from_exactly_one_file_and_every_file_makes_one(warehouse):
    files = view_files()
    assert len(files) >= 40 and len({f.name for f in files}) == len(files)
    con = connect_writer(warehouse)
    try:
        views = catalog_views(con)
        tracked = con.execute("SELECT view_name, file FROM meta.view_files ORDER BY 1").fetchall()
    finally:
        con.close()
    assert sorted(views) == [f.name for f in files]
    assert tracked == [(f.name, f.path) for f in files]
    for name, (comment, columns) in views.items():
        assert comment and all(c for _, _, c in columns), name


def test_view_files_say_what_they_are_for_their_grain_and_what_they_read():
    con = duckdb.connect()
    files = view_files()
    found = reads(con, files)
    for view in files:
        head = view.sql.split("\nCREATE ", 1)[0].splitlines()
        assert head[0].startswith(f"-- {view.name}: ") and len(head[0]) > len(view.name) + 20, view.name
        assert re.fullmatch(r"-- Grain: (one row per .+|exactly one row)\.", head[1]), view.name
        listed = re.fullmatch(r"-- Reads: (.+)\.", head[2]).group(1)
        expected = sorted(found[view.name]) + (["macro hub_placeholder_created"]
                                               if "hub_placeholder_created(" in view.sql else [])
        assert listed == (", ".join(expected) or "nothing (see below)"), view.name
        # COMMENTs on the view and its columns only (that every column has one, a fresh warehouse shows).
        comments = re.findall(r"^COMMENT ON .*", view.sql, re.M)
        assert comments[0].startswith(f"COMMENT ON VIEW {view.name} IS "), view.name
        assert all(c.startswith(f"COMMENT ON COLUMN {view.name}.") for c in comments[1:]), view.name


def test_views_are_created_after_the_views_they_read():
    con = duckdb.connect()
    files = view_files()
    order = [v.name for v in in_dependency_order(con, files)]
    found = reads(con, files)
    for name in order:
        assert all(order.index(dep) < order.index(name) for dep in found[name] if dep in order), name
    assert order.index("models") < order.index("documentation") < order.index("documentation_by_month")


def test_a_hand_replaced_or_dropped_view_is_recreated_at_the_next_open(warehouse):
    con = connect_writer(warehouse)
    try:
        good = catalog_views(con)
        con.execute("CREATE OR REPLACE VIEW models AS SELECT 1 AS model_id")
        con.execute("DROP VIEW weight_changes")
        con.execute("COMMENT ON COLUMN families.size IS 'changed by hand'")
    finally:
        con.close()
    con = connect_writer(warehouse)
    try:
        assert catalog_views(con) == good
    finally:
        con.close()


def test_nothing_is_written_when_files_and_views_are_unchanged(warehouse):
    con = connect_writer(warehouse)
    try:
        assert sync_views(con, migrated=False) is False
        assert sync_views(con, migrated=True) is True  # after a migration, always
        assert sync_views(con, migrated=False) is False
    finally:
        con.close()


def test_a_changed_file_is_applied_and_a_removed_one_dropped_but_user_views_stay(warehouse, monkeypatch):
    con = connect_writer(warehouse)
    try:
        con.execute("CREATE VIEW my_models AS SELECT model_id FROM models")
        con.execute("CREATE TABLE my_notes (note VARCHAR)")
    finally:
        con.close()
    files = view_files()
    edited = [replace(f, sql=f.sql.replace("'Repo id, author/name.'", "'The repo id.'")) if f.name == "models" else f
              for f in files if f.name != "versioning_summary"]
    monkeypatch.setattr(view_sync, "view_files", lambda: edited)
    con = connect_writer(warehouse)
    try:
        views = catalog_views(con)
        assert "versioning_summary" not in views and {"my_models", "versioning_practice"} <= set(views)
        assert views["models"][1][0] == ("model_id", "VARCHAR", "The repo id.")
        assert con.execute("SELECT count(*) FROM meta.view_files WHERE view_name = 'versioning_summary'").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM my_notes").fetchall() == [(0,)]
    finally:
        con.close()
    monkeypatch.undo()
    con = connect_writer(warehouse)
    try:
        views = catalog_views(con)
        assert "versioning_summary" in views and "my_models" in views
        assert views["models"][1][0] == ("model_id", "VARCHAR", "Repo id, author/name.")
    finally:
        con.close()


def test_a_broken_view_file_is_named_and_leaves_the_views_as_they_were(warehouse, monkeypatch):
    files = view_files()
    broken = [replace(f, sql=f.sql.replace("FROM marts.lineage_families", "FROM marts.no_such_table"))
              if f.name == "families" else f for f in files]
    monkeypatch.setattr(view_sync, "view_files", lambda: broken)
    with pytest.raises(WarehouseError, match=r"warehouse/views/families\.sql.*no_such_table"):
        connect_writer(warehouse)
    monkeypatch.undo()
    con = connect_writer(warehouse)
    try:
        assert con.execute("SELECT count(*) FROM families").fetchall() == [(0,)]
    finally:
        con.close()


def test_a_file_must_create_the_view_it_is_named_after():
    with pytest.raises(ViewFileError, match="must create exactly the view families, not .'family'."):
        read_view_file("families", "CREATE OR REPLACE VIEW family AS SELECT 1 AS x;\n")
    with pytest.raises(ViewFileError, match="not none"):
        read_view_file("families", "CREATE TABLE families AS SELECT 1 AS x;\n")
    assert read_view_file("core.x", "CREATE VIEW IF NOT EXISTS core.x AS SELECT 1 AS x;\n").seeded


def test_an_old_style_warehouse_with_views_from_its_migrations_upgrades(tmp_path):
    # Before warehouse/views, migrations made the views; such a warehouse has them under the same names
    # (here: stale ones, and a user's own view beside them) and no meta.view_files yet.
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA meta")
    con.execute("CREATE TABLE meta.schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMPTZ NOT NULL)")
    for version, name, sql in migrations():
        con.execute(sql)
        con.execute("INSERT INTO meta.schema_migrations VALUES (?, ?, now())", [version, name])
    con.execute("CREATE VIEW models AS SELECT model_id, created_at, true AS created_at_known FROM core.model_state")
    con.execute("CREATE VIEW documentation AS SELECT model_id FROM models")
    con.execute("CREATE VIEW mine AS SELECT count(*) AS n FROM documentation")
    con.close()
    con = connect_writer(path)
    try:
        views = catalog_views(con)
        assert len(views["models"][1]) == 18 and views["documentation"][1][-1][0] == "issues"
        assert con.execute("SELECT n FROM mine").fetchall() == [(0,)]
    finally:
        con.close()
    fresh = tmp_path / "fresh.duckdb"
    con = connect_writer(fresh)
    try:
        expected = catalog_views(con)
    finally:
        con.close()
    assert {k: v for k, v in views.items() if k != "mine"} == expected


def test_the_placeholder_dates_come_from_core_hub_only(warehouse):
    sql_files = sorted((ROOT / "warehouse").rglob("*.sql"))
    assert len(sql_files) > 50
    assert [p.name for p in sql_files if "2022-03-02" in p.read_text()] == []
    con = connect_writer(warehouse)
    try:
        checks = con.execute("""
            SELECT d, hub_placeholder_created(d::TIMESTAMPTZ) FROM unnest($dates) t(d)""",
                             {"dates": [*PLACEHOLDER_CREATED_AT, "2022-03-02T23:29:06.000Z", "2022-03-02T23:29:04.001Z"]}
                             ).fetchall()
        (comment,), = con.execute("SELECT comment FROM duckdb_functions() WHERE function_name = 'hub_placeholder_created'"
                                  ).fetchall()
    finally:
        con.close()
    assert [known for _, known in checks] == [True] * len(PLACEHOLDER_CREATED_AT) + [False, False]
    assert all(date in comment for date in PLACEHOLDER_CREATED_AT)


def test_the_loaders_raw_listing_survives_every_sync(tmp_path):
    # raw.model_listing's file is only a seed (CREATE VIEW IF NOT EXISTS): the loader re-points the view
    # at each run's Parquet files, and neither the next open nor a full re-creation may undo that.
    paths = Paths(tmp_path / "home")
    land(paths, "r0", DAY0, [model("a/one"), model("a/two")])
    load_pending(paths)
    con = connect_writer(paths.warehouse)
    try:
        assert sync_views(con, migrated=False) is False  # the re-pointed view still matches the fingerprint
        assert sync_views(con, migrated=True) is True
        assert con.execute("SELECT run_id, count(*) FROM raw.model_listing GROUP BY 1").fetchall() == [("r0", 2)]
        assert con.execute("SELECT comment FROM duckdb_columns() WHERE schema_name = 'raw' "
                           "AND table_name = 'model_listing' AND column_name = 'sha'").fetchall() == [
            ("Head commit of the main branch when listed.",)]
    finally:
        con.close()


def test_licenses_take_the_cards_licence_else_the_tags_one_row_per_current_model(tmp_path):
    paths = Paths(tmp_path / "home")
    land(paths, "r0", DAY0, [
        model("a/card", card_data={"license": " MIT "}, tags=("license:mit", "pytorch")),
        model("a/tags-only", tags=("license:apache-2.0",)),
        model("a/dual", card_data={"license": ["mit", "apache-2.0", 3]}, tags=("license:mit",)),
        model("a/other", card_data={"license": "other", "license_name": "my-licence", "license_link": "LICENSE"},
              tags=("license:other",)),
        model("a/odd", card_data={"license": 5, "language": "en"}),
        model("a/none", tags=()),
        model("a/empty", card_data={"license": ""}, tags=("license:cc-by-4.0",)),
    ])
    load_pending(paths)
    rows = query(paths, "SELECT model_id, license_id, license_ids, declared_in, card_and_tags_agree, license_name "
                        "FROM licenses ORDER BY model_id")
    assert rows == [
        ("a/card", "mit", ["mit"], "card", True, None),
        # several ids declared: no single licence id, all of them listed; the tags name fewer
        ("a/dual", None, ["apache-2.0", "mit"], "card", False, None),
        # an empty card value declares nothing: the tag stands in
        ("a/empty", "cc-by-4.0", ["cc-by-4.0"], "tags", None, None),
        ("a/none", None, [], None, None, None),
        ("a/odd", None, [], None, None, None),
        ("a/other", "other", ["other"], "card", True, "my-licence"),
        ("a/tags-only", "apache-2.0", ["apache-2.0"], "tags", None, None),
    ]
    assert query(paths, "SELECT count(*) FROM models") == [(7,)]
