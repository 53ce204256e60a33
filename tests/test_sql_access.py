"""SQL on the warehouse as a user meets it: `hubmine sql --schema`, the example queries of README.md and
docs/, read-only opening by plain DuckDB clients while no writer holds the file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from helpers import query

from hubmine.cli import main
from warehouse.db import connect_reader, connect_writer

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# The README before issue 13 held four sql blocks; they moved to docs/, and their number may only grow.
SQL_BLOCKS_BEFORE_DOCS = 4


def doc_pages() -> list[Path]:
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


def docs_sql() -> list[str]:
    """Every ```sql block of README.md and docs/*.md."""
    return [block for page in doc_pages() for block in re.findall(r"```sql\n(.*?)```", page.read_text(), re.S)]


def readme_command_queries() -> list[str]:
    """The queries the README shows as `hubmine sql "..."` commands."""
    return [" ".join(q.split()) for q in re.findall(r'hubmine sql "([^"]+)"', README.read_text())]


def view_file_views() -> set[str]:
    views = set()
    for path in sorted((ROOT / "warehouse" / "views").glob("*.sql")):
        # Unqualified names only: a view in a schema (core.file_changes) is not user-facing.
        views |= set(re.findall(r"^CREATE (?:OR REPLACE )?VIEW (\w+)\s+AS", path.read_text(), re.M | re.I))
    return views


def run_sql(home: Path, sql: str) -> list[dict]:
    # "--" ends the options: the docs' blocks start with a "-- comment", which click would take for one.
    result = CliRunner().invoke(main, ["--home", str(home), "sql", "--format", "json", "--", sql])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_sql_schema_lists_every_user_view_with_its_comment(report_home):
    result = CliRunner().invoke(main, ["--home", str(report_home.home), "sql", "--schema"])
    assert result.exit_code == 0, result.output
    listed = dict(line.split(": ", 1) for line in result.output.splitlines() if line and not line.startswith(" "))
    expected = view_file_views()
    assert len(expected) >= 30  # the regex found the view files' views, not nothing
    assert expected <= set(listed)
    assert [name for name, comment in listed.items() if comment == "(no comment)" or len(comment) < 20] == []


def test_docs_example_queries_run_and_answer(report_home):
    blocks = docs_sql() + readme_command_queries()
    assert len(docs_sql()) >= SQL_BLOCKS_BEFORE_DOCS and readme_command_queries()
    answers = {block: run_sql(report_home.home, block) for block in blocks}
    assert [block for block, rows in answers.items() if not rows] == []
    # The four questions of issue 6, each answered by one of the blocks.
    by_topic = {topic: next(rows for block, rows in answers.items() if f"FROM {topic}" in block)
                for topic in ("families", "documentation_by_month", "carbon_reporting_by_month", "weight_changes")}
    families, by_month, carbon, silent = by_topic.values()
    assert families[0]["derivatives"] == query(report_home, "SELECT max(size) - 1 FROM families")[0][0]
    assert {"month", "card_share", "mean_score"} <= set(by_month[0])
    assert sum(row["reporting"] for row in carbon) == query(report_home, "SELECT count(*) FROM carbon_reporting "
                                                                         "WHERE created_at_known")[0][0]
    # A silent weight commit is one without a card change: never more than the versioning view counts.
    allowed = dict(query(report_home, "SELECT model_id, without_card_change FROM versioning_practice"))
    assert all(0 < row["silent_weight_commits"] <= allowed[row["model_id"]] for row in silent)


def test_warehouse_opens_read_only_in_several_processes_at_once(report_home):
    path = str(report_home.warehouse)
    here = duckdb.connect(path, read_only=True)
    try:
        code = ("import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
                "print(con.sql('SELECT count(*) FROM models').fetchall()[0][0])")
        other = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, timeout=60)
        assert other.returncode == 0, other.stderr
        assert int(other.stdout) == here.sql("SELECT count(*) FROM models").fetchall()[0][0] > 0
        # Read-only means read-only, whichever client opens it.
        try:
            here.execute("CREATE TABLE x (a INTEGER)")
            raise AssertionError("a read-only connection wrote")
        except duckdb.Error as exc:
            assert "read-only" in str(exc).lower()
    finally:
        here.close()


def test_new_warehouse_is_in_a_format_duckdb_1_5_shells_read(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    connect_writer(path).close()
    con = connect_reader(path)
    try:
        (tags,), = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'warehouse'").fetchall()
    finally:
        con.close()
    # 'v1.5.0+': written so that DuckDB 1.5 and later read it (duckdb-cli on PyPI is 1.5.x).
    assert tags["storage_version"].startswith("v1.5"), tags


# -- `hubmine sql` writes no file ----------------------------------------------------------------------
def tree_state(*roots: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``roots`` with its size and modification time."""
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for root in roots for p in [root, *root.rglob("*")]
            if p.exists()}


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A warehouse with one table in a home, run from that home, with a private $HOME (where DuckDB keeps
    extensions and secrets): every file `hubmine sql` could write lands in one of the two."""
    home, user_home = tmp_path / "home", tmp_path / "user"
    user_home.mkdir()
    con = connect_writer(home / "warehouse.duckdb")
    con.execute("CREATE TABLE main.t AS SELECT 1 AS a")
    con.close()
    (tmp_path / "mine.csv").write_text("name,n\nx,1\ny,2\n")
    monkeypatch.setenv("HOME", str(user_home))
    monkeypatch.chdir(tmp_path)
    return tmp_path


WRITES = {
    "COPY (SELECT 1 AS a) TO 'out.csv'": "COPY statement",
    "COPY t TO 'out.parquet' (FORMAT parquet)": "COPY statement",
    "EXPORT DATABASE 'exported'": "EXPORT statement",
    "ATTACH 'other.duckdb' AS other": "ATTACH statement",
    "INSTALL httpfs": "LOAD statement",
    "FORCE INSTALL json": "LOAD statement",
    "LOAD json": "LOAD statement",
    "SELECT 1; COPY t TO 'out.csv'": "COPY statement",
    "CREATE PERSISTENT SECRET s (TYPE http)": "CREATE statement",
    "SET log_query_path = 'queries.log'": "configuration has been locked",
    "SET temp_directory = 'spill'": "configuration has been locked",
    "PRAGMA enable_profiling": "configuration has been locked",
    "SET profiling_output = 'profile.json'": "configuration has been locked",
    "CALL enable_logging(storage = 'file', storage_path = 'logs')": "configuration has been locked",
    "SET autoinstall_known_extensions = true": "configuration has been locked",
    "SELECT * FROM read_csv('https://example.invalid/a.csv')": "httpfs",  # no extension installed on the fly
    "SELECT * FROM read_xlsx('book.xlsx')": "excel",
}


@pytest.mark.parametrize("statement", sorted(WRITES))
def test_sql_refuses_every_write_in_one_line_and_the_file_system_stays_as_it_was(sandbox, statement):
    before = tree_state(sandbox)
    result = CliRunner().invoke(main, ["--home", str(sandbox / "home"), "sql", "--", statement])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and WRITES[statement] in lines[0], result.output
    assert "Traceback" not in result.output
    assert tree_state(sandbox) == before


def test_sql_still_reads_files_and_sets_its_time_zone(sandbox):
    before = tree_state(sandbox)
    rows = run_sql(sandbox / "home", "SELECT name, n + a AS m FROM read_csv('mine.csv') CROSS JOIN t ORDER BY name")
    assert rows == [{"name": "x", "m": 2}, {"name": "y", "m": 3}]
    zone = CliRunner().invoke(main, ["--home", str(sandbox / "home"), "sql", "--format", "csv",
                                     "SET TimeZone = 'Asia/Tokyo'; SELECT current_setting('TimeZone') AS z"])
    assert zone.exit_code == 0, zone.output
    assert zone.output == "z\nAsia/Tokyo\n"
    assert tree_state(sandbox) == before
