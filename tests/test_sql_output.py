"""Issue 18, point 6: `hubmine sql` prints a readable table per statement that fits the terminal, and
csv/json exactly; a query may start with a -- comment. On a real warehouse file, through the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hubmine.cli import main
from hubmine.sqlout import column_blocks
from warehouse.db import connect_writer

LONG = "a model card paragraph " * 20  # 460 characters


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("sqlout")
    con = connect_writer(home / "warehouse.duckdb")
    con.execute("CREATE TABLE main.t AS SELECT range AS n, 'org/model-' || range AS id, "
                "CAST(range * 1000 AS DECIMAL(38, 0)) AS big, range / 3 AS third, ? AS card, "
                "'evil' || chr(27) || '[2J' || chr(10) || 'x' AS hostile FROM range(120)", [LONG])
    con.close()
    return home


def sql(home: Path, *args: str, columns: int = 80):
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, ["sql", "--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_table_has_no_frame_dump_only_names_values_and_a_row_count(home):
    out = sql(home, "SELECT id, big, third FROM t WHERE n IN (2, 3) ORDER BY n")
    lines = out.splitlines()
    assert lines[0].split() == ["id", "big", "third"]
    assert set(lines[1]) == {"─"}
    assert lines[2].split() == ["org/model-2", "2000", "0.666667"]  # a decimal(38,0) prints as its integer
    assert lines[3].split() == ["org/model-3", "3000", "1.0"]
    assert lines[4:] == ["(2 rows)"]
    assert not any(word in out for word in ("shape", "decimal", "i64", "str", "f64", "┌"))


def test_rows_are_capped_by_max_rows_and_say_so(home):
    default = sql(home, "SELECT n FROM t ORDER BY n")
    assert default.splitlines()[-1] == "(first 50 rows; --max-rows N shows more, 0 all)"
    assert default.splitlines()[2:52] == [f"{n:>2}" for n in range(50)]  # numbers right-aligned
    assert sql(home, "--max-rows", "3", "SELECT n FROM t ORDER BY n").splitlines()[2:] == [
        "0", "1", "2", "(first 3 rows; --max-rows N shows more, 0 all)"]
    assert sql(home, "--max-rows", "0", "SELECT n FROM t").splitlines()[-1] == "(120 rows)"


def test_every_statement_is_answered_under_its_statement(home):
    out = sql(home, "SELECT count(*) AS c FROM t; SET TimeZone = 'Asia/Tokyo'; "
                    "SELECT current_setting('TimeZone') AS z")
    assert out.splitlines() == ["> SELECT count(*) AS c FROM t;", "  c", "───", "120", "(1 row)", "",
                                "> SELECT current_setting('TimeZone') AS z", "z", "──────────", "Asia/Tokyo",
                                "(1 row)"]


@pytest.mark.parametrize("columns", [60, 100])
def test_a_wide_result_comes_in_blocks_of_columns_that_fit_the_terminal(home, columns):
    query = "SELECT n, " + ", ".join(f"id AS column_{i}" for i in range(12)) + " FROM t WHERE n < 2 ORDER BY n"
    out = sql(home, query, columns=columns)
    lines = out.splitlines()
    assert max(map(len, lines)) <= columns
    headers = [line.split() for line in lines if line.split()[:1] == ["n"]]
    assert len(headers) > 1  # it did not fit in one block
    shown = [name for header in headers for name in header[1:]]
    assert shown == [f"column_{i}" for i in range(12)]  # every column once, in order, each block keyed by n
    assert all(name == "org/model-1" for line in lines if line.startswith("1 ") for name in line.split()[1:])
    assert "columns 1-" in lines[0] and "column 1 repeated" in out
    assert not any("…" in line for line in lines)  # no column squeezed to a stub


def test_long_text_is_wrapped_and_cut_and_control_characters_escaped(home):
    out = sql(home, "SELECT card, hostile FROM t WHERE n = 0")
    assert "\x1b" not in out and "evil\\x1b[2J\\nx" in out
    assert max(map(len, out.splitlines())) <= 80
    assert "…" in out and len(out) < len(LONG)


def test_a_query_may_start_with_a_comment_without_a_double_dash(home):
    plain = sql(home, "--format", "csv", "-- the first ids\nSELECT id FROM t ORDER BY n LIMIT 2")
    after = sql(home, "-- the first ids\nSELECT id FROM t ORDER BY n LIMIT 2", "--format", "csv")
    dashed = sql(home, "--format", "csv", "--", "-- the first ids\nSELECT id FROM t ORDER BY n LIMIT 2")
    assert plain == after == dashed == "id\norg/model-0\norg/model-1\n"


def test_csv_and_json_stay_exact_and_whole(home):
    rows = list(csv.DictReader(io.StringIO(sql(home, "--format", "csv", "SELECT n, big, third, card, hostile "
                                                                         "FROM t ORDER BY n"))))
    # Exact means exact: even the escape sequence (click.echo would strip it when not on a terminal).
    assert len(rows) == 120 and rows[1]["card"] == LONG and rows[1]["hostile"] == "evil\x1b[2J\nx"
    assert rows[1]["third"] == repr(1 / 3) and rows[7]["big"] == "7000"
    data = json.loads(sql(home, "--format", "json", "SELECT 1 AS a; SELECT n, card FROM t WHERE n = 5"))
    assert data == [{"n": 5, "card": LONG}]  # the last statement's answer


def test_column_blocks_fit_the_width_and_repeat_a_narrow_key():
    # A block costs its columns' widths and three spaces between two columns.
    assert column_blocks([5, 10, 10, 10], 31) == [[0, 1, 2], [0, 3]]
    assert column_blocks([5, 10, 10, 10], 30) == [[0, 1], [0, 2], [0, 3]]
    assert column_blocks([30, 10, 10], 40) == [[0], [1, 2]]  # a key as wide as the terminal is not repeated
    assert column_blocks([100], 40) == [[0]]
    assert column_blocks([5, 40, 40], 40) == [[0, 1], [0, 2]]  # never a block of the key alone
