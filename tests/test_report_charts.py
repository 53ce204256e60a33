"""The report's charts keep the rules of issue 18, checked on the matplotlib figures the chart functions
return and on the SVG the pages inline: one colour per lineage relation, no chart of a single bar or
point, a log scale where the values span more than two orders of magnitude, an emissions histogram on a
numeric log axis with its empty decades, labels wrapped and never cut, section names instead of slugs,
and the snapshot date and the data's source written in every figure. Then the same rules over every
chart of a report built by the real pipeline, the licence chart on the overview, and, in a browser,
tables that scroll instead of hiding columns and break ids only at separators.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from helpers import query
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from test_report import PAGES

from report import charts
from report.data import Table, load
from report.pages import Figure, build_pages, carbon

STAMP = charts.Stamp("2026-12-06", "a generated hub (seed 5, 300 models)")
RELATIONS = ["finetune", "adapter", "quantized", "merge"]
MONTHS = [date(2026, m, 1) for m in range(1, 7)]
# Charts whose value axis is a bounded score, fixed on purpose (mean completeness score 0-100).
FIXED_SCALE = {"doc-by-month"}


def series_colours(chart: charts.Chart) -> dict[str, set[str]]:
    """Each legend label of the chart -> the colours its bars or line are drawn in."""
    found: dict[str, set[str]] = defaultdict(set)
    for ax in chart.figure.axes:
        for container in ax.containers:
            if isinstance(container, BarContainer) and not container.get_label().startswith("_"):
                found[container.get_label()] |= {to_hex(p.get_facecolor()) for p in container.patches}
        for line in ax.get_lines():
            if not line.get_label().startswith("_"):
                found[line.get_label()].add(to_hex(line.get_color()))
    return found


def drawn_extents(ax) -> tuple[list[float], str] | None:
    """What the bars of an axes show along their value axis (the outer end of each bar, so a stack counts
    as its total) and which axis that is; None when the axes has no bars."""
    ends: dict[float, float] = {}
    axis = None
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        axis = "x" if container.orientation == "horizontal" else "y"
        for p in container.patches:
            centre = p.get_y() + p.get_height() / 2 if axis == "x" else p.get_x() + p.get_width() / 2
            end = p.get_x() + p.get_width() if axis == "x" else p.get_y() + p.get_height()
            ends[round(centre, 6)] = max(ends.get(round(centre, 6), 0.0), end)
    return (list(ends.values()), axis) if axis else None


def whisker_ends(ax, axis: str) -> list[float]:
    """Where the error whiskers of an axes reach along its value axis."""
    i = 0 if axis == "x" else 1
    return [float(point[i]) for c in ax.collections if isinstance(c, LineCollection)
            for segment in c.get_segments() for point in segment]


def spans(values) -> float:
    positive = [v for v in values if v > 0]
    return max(positive) / min(positive) if positive else 1.0


def figure_texts(chart: charts.Chart) -> list[str]:
    """Every text the SVG of the chart shows."""
    return [t for t in ET.fromstring(str(chart.svg())).itertext() if t.strip()]


def tick_labels(ax, axis: str) -> list[str]:
    return [t.get_text() for t in (ax.get_yticklabels() if axis == "y" else ax.get_xticklabels())]


# -- the chart functions -----------------------------------------------------------------------------------
def test_a_relation_has_one_colour_whichever_chart_draws_it_and_in_whatever_order():
    stacked = charts.hbar_chart("a", "t", ["x/base", "y/base"], {r: [3, 1] for r in RELATIONS}, stamp=STAMP,
                                stacked=True)
    lines = charts.line_chart("b", "t", MONTHS, {r: [1, 2, 3, 4, 5, 6] for r in sorted(RELATIONS)}, stamp=STAMP)
    two = charts.bar_chart("c", "t", ["2024", "2025"], {"merge": [1, 2], "adapter": [2, 1]}, stamp=STAMP)
    seen: dict[str, set[str]] = defaultdict(set)
    for chart in (stacked, lines, two):
        for name, colours in series_colours(chart).items():
            seen[name] |= colours
    assert set(seen) == set(RELATIONS)
    assert all(len(colours) == 1 for colours in seen.values()), seen
    assert len({next(iter(c)) for c in seen.values()}) == 4  # and four relations are four colours


def test_a_single_bar_or_point_is_no_chart():
    assert charts.hbar_chart("k", "t", ["(unknown)"], {"declarations": [7]}, stamp=STAMP) is None
    assert charts.hbar_chart("k", "t", ["a/b"], {"x": [1], "y": [2]}, stamp=STAMP, stacked=True) is None
    assert charts.bar_chart("k", "t", ["(unknown)"], {"declarations": [7]}, stamp=STAMP) is None
    assert charts.line_chart("k", "t", MONTHS[:1], {"models": [5]}, stamp=STAMP) is None
    assert charts.decade_histogram("k", "t", [3], [5], stamp=STAMP, xlabel="g", ylabel="n") is None
    assert charts.small_multiples("k", "t", [], stamp=STAMP) is None
    # Two bars side by side (one category, two series) do compare something.
    assert charts.bar_chart("k", "t", ["3 months"], {"wsb": [0.3], "naive": [0.4]}, stamp=STAMP) is not None
    assert charts.hbar_chart("k", "t", ["a", "b"], {"n": [1, 2]}, stamp=STAMP) is not None


@pytest.mark.parametrize("values, log", [([27, 17, 8, 6, 3, 2, 2], False), ([101, 1], True), ([100, 1], False),
                                         ([52_000, 900, 310, 120, 80, 40, 12], True)])
def test_values_spanning_more_than_two_orders_of_magnitude_go_on_a_log_scale(values, log):
    names = [f"family/{i}" for i in range(len(values))]
    hbar = charts.hbar_chart("k", "t", names, {"models": values}, stamp=STAMP)
    bar = charts.bar_chart("k", "t", names, {"models": values}, stamp=STAMP)
    line = charts.line_chart("k", "t", [date(2026, 1, 1 + i) for i in range(len(values))], {"m": values}, stamp=STAMP)
    assert hbar.figure.axes[0].get_xscale() == ("log" if log else "linear")
    assert bar.figure.axes[0].get_yscale() == ("log" if log else "linear")
    assert line.figure.axes[0].get_yscale() == ("log" if log else "linear")
    # On the log scale the smallest bar is plain to see next to the largest (on a linear one a bar
    # of 1 beside 101 is a sliver of under 1%).
    ax = hbar.figure.axes[0]
    ax.figure.canvas.draw()
    lengths = [ax.transData.transform((p.get_x() + p.get_width(), 0))[0] - ax.transData.transform(
        (max(p.get_x(), ax.get_xlim()[0]), 0))[0] for p in ax.patches]
    assert not log or min(lengths) > max(lengths) / 20, lengths


def test_a_stack_too_wide_for_a_linear_axis_is_drawn_side_by_side_on_a_log_one():
    chart = charts.hbar_chart("k", "t", ["big/base", "small/base"], {"finetune": [9000, 1], "adapter": [1000, 1]},
                              stamp=STAMP, stacked=True)
    ax = chart.figure.axes[0]
    assert ax.get_xscale() == "log"
    assert all(p.get_x() <= ax.get_xlim()[0] for p in ax.patches)  # every bar starts at the axis, none stacked
    # A line with zeros (months without a new derivative) keeps them: symlog, not log, which would drop them.
    line = charts.line_chart("k", "t", MONTHS, {"adapter": [0, 1, 0, 40, 300, 0]}, stamp=STAMP)
    assert line.figure.axes[0].get_yscale() == "symlog"


def test_the_emissions_histogram_is_a_numeric_log_axis_with_its_empty_decades():
    chart = charts.decade_histogram("k", "t", [0, 1, 3, 6], [2, 1, 5, 1], stamp=STAMP,
                                    xlabel="declared emissions", ylabel="declarations")
    ax = chart.figure.axes[0]
    assert ax.get_xscale() == "log"
    bars = sorted((p.get_x(), p.get_x() + p.get_width(), p.get_height()) for p in ax.patches)
    # Seven decades from 1 g to 10 t, each a bar from 10^e to 10^(e+1) g, the empty ones of height 0.
    assert [(round(lo), round(hi)) for lo, hi, _ in bars] == [(10 ** e, 10 ** (e + 1)) for e in range(7)]
    assert [h for _, _, h in bars] == [2, 1, 0, 5, 0, 0, 1]
    chart.figure.canvas.draw()
    assert {"1 g", "100 g", "1 kg", "1 t", "10 t"} <= set(tick_labels(ax, "x"))


def test_labels_are_wrapped_never_cut():
    pattern = "{base-model}{base-model}{base-model}{training-mechanism}{version}"
    repo = "x" * 100
    chart = charts.hbar_chart("k", "t", [pattern, repo, "a/b"], {"models": [3, 2, 1]}, stamp=STAMP)
    ticks = tick_labels(chart.figure.axes[0], "y")
    assert [t.replace("\n", "") for t in ticks] == [pattern, repo, "a/b"]
    assert all(len(line) <= charts.LABEL_CHARS for t in ticks for line in t.split("\n"))
    # The pattern wraps between its segments, not inside one.
    assert all(line.endswith("}") for line in ticks[0].split("\n"))
    assert not any("…" in t for t in figure_texts(chart))


def test_every_chart_carries_the_snapshot_date_and_source_in_the_figure():
    made = [
        charts.line_chart("a", "t", MONTHS, {"models": [1, 2, 3, 4, 5, 6]}, stamp=STAMP),
        charts.hbar_chart("b", "t", ["a", "b"], {"n": [1, 2]}, stamp=STAMP),
        charts.bar_chart("c", "t", ["a", "b"], {"n": [1, 2]}, stamp=STAMP),
        charts.decade_histogram("d", "t", [0, 2], [1, 1], stamp=STAMP, xlabel="g", ylabel="n"),
        charts.small_multiples("e", "t", [{"title": "a/b", "x": MONTHS, "y": [1, 2, 3, 4, 5, 6], "fx": [], "fy": [],
                                           "flow": [], "fhigh": []}], stamp=STAMP),
    ]
    for chart in made:
        texts = figure_texts(chart)
        assert "Snapshot of 2026-12-06 · source: a generated hub (seed 5, 300 models) · hubmine" in texts, texts


def test_the_stamp_says_what_the_data_is_and_its_date():
    from datetime import datetime

    from report.data import ReportData
    from report.pages import stamp

    when = datetime(2025, 7, 12, 15, 0)
    generated = ReportData(provenance={"snapshot": when, "endpoint": "http://127.0.0.1:8871",
                                       "served": {"kind": "generated", "seed": 5, "models": 300}})
    assert stamp(generated).text == ("Snapshot of 2025-07-12 · source: generated data, not the Hub (hubmine's "
                                     "generator, seed 5, 300 models) · hubmine")
    hub = ReportData(provenance={"snapshot": when, "endpoint": "https://huggingface.co", "served": {"kind": "hub"}})
    assert stamp(hub).source == "the Hugging Face Hub (https://huggingface.co)"
    # A run that recorded nothing: where it was fetched from, and nothing made up.
    unknown = ReportData(provenance={"snapshot": when, "endpoint": "http://127.0.0.1:8871"})
    assert stamp(unknown).source == "http://127.0.0.1:8871"
    assert stamp(ReportData()).text == "Snapshot of unknown date · source: an unrecorded endpoint · hubmine"


# -- every chart of a report built by the pipeline --------------------------------------------------------------
@pytest.fixture(scope="module")
def pages(report_site):
    return {page.slug: page for page in build_pages(load(report_site[0]))}


def test_every_chart_of_the_report_keeps_the_rules(pages, report_site):
    (snapshot,), = query(report_site[0], "SELECT strftime(max(fetched_at) AT TIME ZONE 'UTC', '%Y-%m-%d') "
                                         "FROM load_runs WHERE source = 'models'")
    relation_colours: dict[str, set[str]] = defaultdict(set)
    drawn = 0
    for page in pages.values():
        page_colours: dict[str, set[str]] = defaultdict(set)
        for fig in page.figures:
            if fig.drawing is None:
                continue
            drawn += 1
            texts = figure_texts(fig.drawing)
            assert any(t.startswith(f"Snapshot of {snapshot} · source: ") for t in texts), (fig.key, texts)
            assert not any("…" in t for t in texts), fig.key
            for name, colours in series_colours(fig.drawing).items():
                page_colours[name] |= colours
                if name in RELATIONS:
                    relation_colours[name] |= colours
            for ax in fig.drawing.figure.axes:
                bars = drawn_extents(ax)
                if bars:
                    values, axis = bars
                    assert len(values) >= 2, (fig.key, "a chart of a single bar")
                else:
                    axis = "y"
                    values = [y for line in ax.get_lines() for y in line.get_ydata() if y == y]
                    assert all(len(line.get_xdata()) >= 2 for line in ax.get_lines()
                               if not line.get_label().startswith("_")), (fig.key, "a line of one point")
                values = [*values, *whisker_ends(ax, axis)]
                scale = ax.get_xscale() if axis == "x" else ax.get_yscale()
                if fig.key not in FIXED_SCALE:
                    assert (scale in ("log", "symlog")) == (spans(values) > 100), (fig.key, scale, values)
        # On one page a series name is one colour (a relation on every page, below).
        assert all(len(c) == 1 for c in page_colours.values()), (page.slug, dict(page_colours))
    assert all(len(c) == 1 for c in relation_colours.values()), dict(relation_colours)
    assert set(relation_colours) == set(RELATIONS)  # the lineage charts did draw the relations
    assert drawn >= 18


def test_sections_and_reporting_classes_show_their_names_not_slugs(pages):
    sections = next(f for f in pages["documentation"].figures if f.key == "doc-sections")
    ticks = tick_labels(sections.drawing.figure.axes[0], "y")
    assert "Training Details" in ticks and "Environmental Impact" in ticks
    assert not any("_" in t for t in ticks)
    assert "Training Details" in sections.table.column("section")
    classes = next(f for f in pages["carbon"].figures if f.key == "carbon-classes")
    assert set(classes.table.column("reporting_class")) <= {"No usable figure", "Figure only", "Figure and source",
                                                             "Some context", "Full context"}
    kinds = next(f for f in pages["documentation"].figures if f.table.columns[:1] == ["kind"])
    assert "No README.md" in tick_labels(kinds.drawing.figure.axes[0], "y")  # a model without a card, not "none"
    assert set(kinds.table.column("kind")) <= {"No README.md", "Empty card", "AutoTrain", "Trainer-generated", "Merge",
                                               "Quantized repack", "Hub template", "Free-form"}


def test_the_emissions_histogram_of_the_report_shows_every_decade(pages, report_site):
    (low, high), = query(report_site[0], "SELECT min(floor(log10(emissions_g))), max(floor(log10(emissions_g))) "
                                         "FROM carbon_reporting WHERE emissions_g > 0")
    fig = next(f for f in pages["carbon"].figures if f.key == "carbon-magnitudes")
    assert fig.table.column("power_of_ten") == list(range(int(low), int(high) + 1))
    ax = fig.drawing.figure.axes[0]
    assert ax.get_xscale() == "log" and len(ax.patches) == high - low + 1


def test_distributions_and_monthly_series_keep_their_empty_bins_and_months(pages):
    scores = next(f for f in pages["documentation"].figures if f.key == "doc-score-distribution")
    assert scores.table.column("bin") == list(range(0, 100, 10))
    assert tick_labels(scores.drawing.figure.axes[0], "x")[:2] == ["0–9", "10–19"]
    monthly = next(f for f in pages["lineage"].figures if f.key == "lineage-monthly")
    months = sorted(set(monthly.table.column("month")))
    for line in monthly.drawing.figure.axes[0].get_lines():
        drawn = [date.fromordinal(int(x)) if not isinstance(x, date) else x for x in line.get_xdata()]
        steps = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(drawn, drawn[1:])}
        assert drawn[0] == months[0] and drawn[-1] == months[-1] and steps == {1}, line.get_label()


def test_one_bar_is_said_in_words(pages, report_site):
    data = load(report_site[0])
    data.tables["carbon.bands"] = Table(["efficiency_band", "declarations", "median_bytes_per_g"],
                                        [("(unknown)", 7, None)])
    bands = next(f for f in carbon(data).figures if f.key == "carbon-bands")
    assert bands.chart is None and bands.drawing is None
    assert bands.caption == "Only one efficiency band in this snapshot, so no chart: (unknown) — declarations 7."


def test_the_overview_has_a_licence_chart_from_the_licenses_view(pages, report_site):
    fig = next(f for f in pages["index"].figures if f.key == "licenses")
    assert isinstance(fig, Figure) and fig.drawing is not None
    expected = query(report_site[0], """
        SELECT coalesce(license_id, '(none declared)'), count(*) FROM licenses
        WHERE len(license_ids) <= 1 GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3""")
    shown = dict(zip(fig.table.column("license"), fig.table.column("models")))
    assert all(shown[name] == count for name, count in expected), (expected, shown)
    ticks = tick_labels(fig.drawing.figure.axes[0], "y")
    assert [name for name, _ in expected] == ticks[:3]


# -- tables in a browser --------------------------------------------------------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# For one element: its text and, per character, whether a new line starts there.
LINE_STARTS = """el => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), range = document.createRange();
  let node, text = '', starts = [], previous = null;
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      starts.push(Boolean(box && previous !== null && box.top > previous + 2));
      if (box) previous = box.top;
      text += node.data[i];
    }
  }
  return [text, starts];
}"""
# For each table: whether all its columns are in view or its wrapper scrolls sideways to them.
TABLES_REACHABLE = """() => [...document.querySelectorAll('table')].map(t => {
  const wrap = t.parentElement, style = getComputedStyle(wrap);
  const fits = t.getBoundingClientRect().right <= wrap.getBoundingClientRect().right + 1;
  const scrolls = ['auto', 'scroll'].includes(style.overflowX) && wrap.scrollWidth > wrap.clientWidth;
  return fits || scrolls;
})"""


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_tables_scroll_and_ids_break_only_at_separators(report_site):
    from playwright.sync_api import sync_playwright

    site = report_site[1]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            wrapped = 0
            for name in PAGES:
                page.goto((site / f"{name}.html").as_uri(), wait_until="load")
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                assert all(page.evaluate(TABLES_REACHABLE)), name
                for link in page.locator("td a").all():
                    text, starts = link.evaluate(LINE_STARTS)
                    breaks = [i for i, new_line in enumerate(starts) if new_line]
                    wrapped += bool(breaks)
                    # never between two letters or digits (real ids wrap after / - _; hostile ones at punctuation)
                    assert not any(text[i - 1].isalnum() and text[i].isalnum() for i in breaks), (name, text, breaks)
            assert wrapped > 0  # some ids did wrap, at a separator
            # The carbon declarations are wider than the page: their table scrolls, and scrolled to the end
            # it shows its last column beside its first (the model id, which stays in view).
            page.goto((site / "carbon.html").as_uri())
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            wrap = page.locator("#carbon-declarations .table-wrap")
            assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
            wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
            box = wrap.bounding_box()
            heads = page.locator("#carbon-declarations th")
            assert heads.count() == 10
            for head in (heads.first, heads.last):
                cell = head.bounding_box()
                assert box["x"] - 1 <= cell["x"] and cell["x"] + cell["width"] <= box["x"] + box["width"] + 1
        finally:
            browser.close()
