"""How ``hubmine sql`` prints answers: for people, a table per statement that fits the terminal; for
programs, the exact rows as CSV or JSON.

A table shows values as text meant for reading: NULL for a missing value, numbers without their
SQL type, floats to six decimals, control characters escaped (a hostile repo id cannot drive the
terminal), long text cut at :data:`MAX_CELL` characters and wrapped within :data:`MAX_COLUMN`. A
result wider than the terminal is shown in blocks of columns, each as wide as the terminal, the
first column repeated as the key of every block when it is narrow. ``--format csv`` and ``json``
print every value exactly, for the last statement.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from warehouse.db import StatementResult

MAX_COLUMN = 40  # widest column before its values wrap
MAX_CELL = 200  # longest value shown; --format csv or json gives it whole
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7f, 0xa0)]} | {0x0a: "\\n", 0x09: "\\t", 0x0d: "\\r"}
# Columns are set apart by three spaces (padding, rule, padding); the table has no outer edge.
_GAP = 3
_NUMBERS = (int, float, Decimal)


def cell(value) -> str:
    """``value`` as text for a person reading a table."""
    if value is None or isinstance(value, bool):
        return {None: "NULL", True: "true", False: "false"}[value]
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return repr(round(value, 6)) if value == 0 or 1e-4 <= abs(value) < 1e15 else f"{value:.6g}"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, list | tuple | dict):
        text = json.dumps(value, default=str, ensure_ascii=False)
    else:
        text = str(value)
    text = text.translate(_CONTROL)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def column_blocks(widths: Sequence[int], width: int) -> list[list[int]]:
    """Indices of the columns shown together, block by block, so that each block fits ``width``
    characters; every block after the first starts with column 0 when it is narrow (a quarter of
    the width at most)."""
    key = [0] if len(widths) > 1 and widths[0] <= width // 4 else []
    blocks: list[list[int]] = [[]]
    for i, w in enumerate(widths):
        block = blocks[-1]
        # A block holding only the key takes the next column however wide: rich wraps it to fit.
        if block and block != key and sum(widths[j] + _GAP for j in block) + w > width:
            block = list(key)
            blocks.append(block)
        block.append(i)
    return blocks


def render_table(result: StatementResult, width: int) -> str:
    """One statement's answer as text tables at most ``width`` characters wide, with a rows line."""
    texts = [[cell(v) for v in row] for row in result.rows]
    numeric = [bool(result.rows) and all(isinstance(row[i], _NUMBERS) and not isinstance(row[i], bool)
                                         for row in result.rows if row[i] is not None)
               for i in range(len(result.columns))]
    widths = [min(MAX_COLUMN, max([cell_len(name), *(cell_len(t[i]) for t in texts)]))
              for i, name in enumerate(result.columns)]
    blocks = column_blocks(widths, width)
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False, markup=False, emoji=False,
                      force_terminal=False, soft_wrap=False)
    for n, block in enumerate(blocks):
        if len(blocks) > 1:
            own = [i + 1 for i in block if not (n and i == 0)]
            span = f"column {own[0]}" if len(own) == 1 else f"columns {own[0]}-{own[-1]}"
            again = ", column 1 repeated" if n and block[0] == 0 else ""
            console.print(f"{span} of {len(result.columns)}{again}:")
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        for i in block:
            table.add_column(Text(result.columns[i]), justify="right" if numeric[i] else "left",
                             max_width=MAX_COLUMN, overflow="fold")
        for row in texts:
            table.add_row(*(Text(row[i]) for i in block))
        console.print(table)
    rows = f"{len(result.rows)} row{'' if len(result.rows) == 1 else 's'}"
    console.print(f"(first {rows}; --max-rows N shows more, 0 all)" if result.more else f"({rows})")
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())


def render_csv(result: StatementResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return out.getvalue()


def render_json(result: StatementResult) -> str:
    return json.dumps([dict(zip(result.columns, row)) for row in result.rows], default=str, indent=1) + "\n"
