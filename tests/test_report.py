"""The report site: pages, charts with their data and methodology, escaping of hostile names, atomic publishing.

The site is built from a warehouse made by the real pipeline (tests/report_warehouse.py) with hostile
repo ids and card fields mixed in; the browser checks are in test_report_browser.py.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from helpers import query
from report_warehouse import CO2, IMG_AUTHOR, JS_ID, MATH, SCRIPT_ROOT, SVG_BREAK

from core.config import Paths
from hubmine.cli import main
from report import build as report_build
from report import charts
from report.build import MARKER, ReportError, build_site
from report.data import FORECAST_VIEWS, ReportData, _forecast_state
from report.pages import forecasts
from warehouse.db import connect_writer, migrations

PAGES = ["index", "documentation", "lineage", "naming", "carbon", "forecasts"]
HUB = "https://huggingface.co"


class Page(HTMLParser):
    """What a browser would find in one page: text, links, scripts, and per figure section its parts."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.sections: list[dict] = []
        self._current: dict | None = None
        self._glued = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "wbr":  # a line-break opportunity inside a word: the text goes on
            self._glued = bool(self.text)
            return
        attrs = dict(attrs)
        self.tags.append(tag)
        self.handlers += [(tag, name) for name in attrs if name.lower().startswith("on")]
        if tag == "section":  # sections do not nest here: a new one ends the previous
            self._current = None
            if "figure" in (attrs.get("class") or ""):
                self._current = {"id": attrs.get("id"), "chart": 0, "svg": 0, "method": 0, "table": 0, "empty": 0}
                self.sections.append(self._current)
        elif self._current is not None:
            current = self._current
            cls = attrs.get("class") or ""
            current["chart"] += tag == "figure" and "chart" in cls
            current["svg"] += tag == "svg"
            current["method"] += tag == "p" and "method" in cls
            current["table"] += tag == "table"
            current["empty"] += tag == "p" and "empty" in cls
        if "href" in attrs:
            self.hrefs.append(attrs["href"])

    def handle_data(self, data):
        if self._glued:
            self.text[-1] += data
        else:
            self.text.append(data)
        self._glued = False

    @property
    def plain(self) -> str:
        """The text, one space between elements' texts (as a reader sees "models 317", not "models317")."""
        return " ".join(" ".join(self.text).split())


@pytest.fixture
def forecast_home(report_site) -> Paths:
    """The pipeline warehouse plus forecast views of the issue-6 contract (conftest.report_site)."""
    return report_site[0]


@pytest.fixture
def site(report_site) -> Path:
    return report_site[1]


@pytest.fixture
def empty_home(tmp_path) -> Paths:
    """A warehouse with the migrations applied and nothing loaded: a site without a single chart, fast."""
    paths = Paths(tmp_path / "home")
    connect_writer(paths.warehouse).close()
    return paths


def read(site: Path, name: str) -> tuple[str, Page]:
    text = (site / f"{name}.html").read_text(encoding="utf-8")
    return text, Page(text)


def test_every_page_has_figures_with_chart_data_table_and_method(site):
    assert sorted(p.stem for p in site.glob("*.html")) == sorted(PAGES)
    for name in PAGES:
        _, page = read(site, name)
        assert page.sections, name
        charted = [s for s in page.sections if s["chart"]]
        # The pipeline warehouse has rows for every chart, so no page is left without one.
        assert charted, f"{name} has no chart"
        for section in page.sections:
            assert section["method"] == 1, (name, section)
            assert section["table"] == 1 or section["empty"] == 1, (name, section)
        for section in charted:
            assert section["chart"] == 1 and section["svg"] == 1 and section["table"] == 1, (name, section)
        # Every page links every other page.
        assert {f"{p}.html" for p in PAGES} <= set(page.hrefs)


def test_index_states_snapshot_headlines_and_provenance(site, forecast_home):
    _, page = read(site, "index")
    (snapshot,), = query(forecast_home, "SELECT strftime(max(fetched_at) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') "
                                        "FROM load_runs WHERE source = 'models'")
    (models,), = query(forecast_home, "SELECT count(*) FROM models")
    (families,), = query(forecast_home, "SELECT count(*) FROM families")
    text = page.plain
    assert f"Snapshot of {snapshot} UTC" in text
    assert f"models in the generated hub {models:,}" in text and f"lineage families (2+ models) {families}" in text
    # Provenance: every miner's runs, the schema migration and the Hub the listings came from.
    version, name, _ = migrations()[-1]
    assert "Provenance" in text and f"schema migration {version} ({name})" in text
    for source in ("models", "cards", "history"):
        assert f"{source} " in text
    assert "http://127.0.0.1:" in text
    # The models-by-month method names both placeholder creation dates it leaves out.
    assert "(2022-03-02T23:29:04Z and 2022-03-02T23:29:05Z) are left out" in text


def test_documentation_page_numbers_match_the_views(site, forecast_home):
    _, page = read(site, "documentation")
    text = page.plain
    for present, filled in query(forecast_home, "SELECT present_rate, filled_rate FROM section_fill_rates"):
        assert f"{present:.1%}" in text and f"{filled:.1%}" in text
    # Sections by their names, never their slugs.
    for name in ("Training Details", "Bias, Risks, and Limitations", "Model Card Contact"):
        assert f"{name} " in text
    assert "training_details" not in text and "bias_risks_limitations" not in text
    (rho,), = query(forecast_home, "SELECT spearman_rho FROM documentation_correlations WHERE measure = 'downloads'")
    assert f"Spearman ρ with downloads {rho:.2f}" in text


def test_hostile_names_come_out_as_text_never_markup(site, forecast_home):
    # the forecast page lists ranked base models; the hostile root is there only if it was ranked
    ranked = query(forecast_home, "SELECT count(*) FROM forecast_ranking WHERE base_model_id = ?",
                   [SCRIPT_ROOT])[0][0]
    seen = {}
    for name in PAGES:
        raw, page = read(site, name)
        lowered = raw.lower()
        # No element from the data: no script at all, no injected img, no event handler attribute.
        assert "script" not in page.tags and "img" not in page.tags and page.handlers == [], name
        assert "<script" not in lowered and "<img" not in lowered and "<svg onload" not in lowered, name
        for href in page.hrefs:
            assert href.endswith(".html") or href == "data:," or href.startswith(HUB + "/"), (name, href)
            assert not href.lower().startswith("javascript"), (name, href)
        for value in (SCRIPT_ROOT, JS_ID, IMG_AUTHOR, SVG_BREAK, MATH, CO2["source"], CO2["hardware_used"]):
            if value in page.plain:
                seen.setdefault(value, []).append(name)
    # The payloads did reach the pages (as text): the escaping above was really exercised.
    assert set(seen[SCRIPT_ROOT]) >= {"lineage", "carbon", *(["forecasts"] if ranked else [])}
    assert "documentation" in seen[IMG_AUTHOR] and "carbon" in seen[CO2["source"]]
    assert {SVG_BREAK, MATH, JS_ID, CO2["hardware_used"]} <= set(seen)
    # A hostile id links to a path under the Hub, percent-encoded, never to its own scheme.
    _, carbon = read(site, "carbon")
    assert f"{HUB}/javascript%3Aalert%282%29" in carbon.hrefs
    assert f"{HUB}/evil/%3Cscript%3Ealert%281%29%3C/script%3E" in carbon.hrefs


def test_chart_labels_carry_hostile_text_verbatim_and_escaped(site):
    raw = (site / "lineage.html").read_text(encoding="utf-8")
    # The family chart's tick label for the hostile root: escaped inside the SVG, intact as text.
    assert html.escape(SCRIPT_ROOT, quote=False) in raw
    svg = raw[raw.index("<svg role"):raw.index("</svg>") + 6]
    texts = "".join(ET.fromstring(svg).itertext())
    assert "relation" in texts or "edges" in texts


def test_forecast_page_shows_ranking_backtest_and_series(site, forecast_home):
    _, page = read(site, "forecasts")
    assert [s["id"] for s in page.sections if s["chart"]] == ["forecast-ranking", "forecast-series", "forecast-backtest"]
    text = page.plain
    (top,), = query(forecast_home, "SELECT base_model_id FROM forecast_ranking ORDER BY rank LIMIT 1")
    assert top in text
    assert "No forecasts computed yet" not in text
    (series,), = query(forecast_home, "SELECT count(*) FROM forecasts")
    assert f"series fitted {series}" in text


def test_forecast_views_absent_empty_or_off_contract_give_a_note():
    con = duckdb.connect()
    assert _forecast_state(con)[0] == "absent"
    for name, columns in FORECAST_VIEWS.items():
        typed = ", ".join(f"NULL::{'BOOLEAN' if c == 'converged' else 'VARCHAR'} AS \"{c}\"" for c in columns)
        con.execute(f"CREATE VIEW {name} AS SELECT {typed} WHERE false")
    assert _forecast_state(con) == ("empty", "the forecast views hold no rows")
    con.execute("CREATE OR REPLACE VIEW forecast_backtest AS SELECT 1 AS horizon")
    state, problem = _forecast_state(con)
    assert state == "mismatch" and "forecast_backtest lacks mape, model, series, size_class, smape" in problem
    for state, words in (("absent", "No forecasts computed yet"), ("empty", "No forecasts computed yet"),
                         ("mismatch", "do not have the expected columns")):
        page = forecasts(ReportData(forecasts=state, forecast_problem="why"))
        assert page.figures == [] and words in page.notes[0] and "(why)" in page.notes[0]


def test_cli_builds_the_report_and_says_where(empty_home, tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["--home", str(empty_home.home), "report", "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"report: {out / 'index.html'}"
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER] + [f"{p}.html" for p in PAGES])


def test_repo_ids_link_to_the_hub_only_when_the_data_came_from_it():
    assert report_build._links_to("auto", "https://huggingface.co") == HUB
    # A replay hub on a local port is gone by the time anyone reads the report: no links.
    assert report_build._links_to("auto", "http://127.0.0.1:41047") is None
    assert report_build._links_to("auto", None) is None
    assert report_build._links_to("https://hub.example.org", "http://127.0.0.1:1") == "https://hub.example.org"
    assert report_build._links_to(None, "https://huggingface.co") is None


def test_a_folder_that_is_not_a_report_is_never_replaced(report_home, tmp_path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(ReportError, match="not a hubmine report folder"):
        build_site(report_home, precious)
    assert [p.name for p in precious.iterdir()] == ["thesis.txt"]
    result = CliRunner().invoke(main, ["--home", str(report_home.home), "report", "--out", str(precious)])
    assert result.exit_code == 1 and "Error: " in result.output and "refusing" in result.output


def test_a_failed_build_leaves_the_published_site_whole(empty_home, tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    (out / MARKER).write_text("")
    (out / "index.html").write_text("the published site")

    def half_render(pages, data, building, hub_url, progress):
        (building / "index.html").write_text("half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_build, "_render", half_render)
    with pytest.raises(RuntimeError, match="disk full"):
        build_site(empty_home, out)
    assert (out / "index.html").read_text() == "the published site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "site"]  # no temp folder left behind
    # And a complete build does replace it, leaving nothing beside it either.
    monkeypatch.undo()
    build_site(empty_home, out)
    assert "the published site" not in (out / "index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "site"]


def test_a_missing_warehouse_is_a_clean_error_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "empty"), "report", "--out", str(tmp_path / "s")])
    assert result.exit_code == 1 and "no warehouse at" in result.output
    assert not (tmp_path / "s").exists()


def test_safe_svg_refuses_anything_but_drawing():
    base = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
    assert "<rect" in charts.safe_svg(base.format('<rect width="1" height="1" clip-path="url(#p1)"/>'), title="t")
    for body in ('<script>alert(1)</script>', '<foreignObject><div/></foreignObject>', '<rect onload="alert(1)"/>',
                 '<use xlink:href="http://example.org/x.svg#a"/>', '<a href="javascript:alert(1)"><text>x</text></a>',
                 '<rect style="fill: url(http://example.org/x)"/>', '<style>@import url(http://example.org/x.css);</style>'):
        with pytest.raises(charts.ChartError):
            charts.safe_svg(base.format(body), title="t")


def test_hostile_labels_render_as_literal_text():
    labels = [SCRIPT_ROOT, MATH, "ctrl\x00\x1bchars", "x" * 100]
    stamp = charts.Stamp("2026-12-06", "<script>alert(13)</script>")
    svg = charts.hbar_chart("k", 'title <b>"', labels, {"a": [1, 2, 3, 4]}, stamp=stamp).svg()
    root = ET.fromstring(str(svg))
    texts = [t for t in root.itertext() if t.strip()]
    assert SCRIPT_ROOT in texts and MATH in texts  # mathtext off: "$...$" is kept, not parsed (or crashing)
    assert "ctrl\ufffd\ufffdchars" in texts and stamp.text in texts
    # A long label is wrapped over lines, never cut.
    assert ["x" * 40, "x" * 40, "x" * 20] == [t for t in texts if t.startswith("x")]
    assert root.get("aria-label") == 'title <b>"'


def test_a_warehouse_with_nothing_loaded_still_gives_a_site(empty_home):
    site = build_site(empty_home)
    assert site == empty_home.reports
    _, index = read(site, "index")
    assert "No snapshot loaded yet" in index.plain and "models on the Hub 0" in index.plain
    _, lineage = read(site, "lineage")
    assert lineage.sections and all(s["empty"] == 1 and not s["chart"] for s in lineage.sections)
    # No forecast views in this warehouse: the page says so instead of failing or showing nothing.
    _, page = read(site, "forecasts")
    assert "No forecasts computed yet" in page.plain and page.sections == []


# -- provenance ------------------------------------------------------------------------------------------
def test_every_page_says_the_data_is_generated_with_its_seed_and_size(site):
    """The test warehouse is a generated hub (report_warehouse: seed 5, 300 models, day 0)."""
    for name in PAGES:
        text, page = read(site, name)
        assert text.count('id="provenance-banner"') == 1, name
        assert "Generated data. A synthetic hub made by hubmine's generator (seed 5, 300 models on day 0, day 0:" \
            in page.plain, name


def _with_provenance(paths: Paths, root: Path, value: str | None) -> Path:
    """A copy of ``paths`` whose models runs recorded ``value`` as provenance, and its report."""
    from report_warehouse import copy_home

    copy = copy_home(paths, root / "home")
    con = connect_writer(copy.warehouse)
    try:
        con.execute("UPDATE raw.load_runs SET provenance = ? WHERE source = 'models'", [value])
    finally:
        con.close()
    return build_site(copy, root / "site")


def test_a_run_that_recorded_no_provenance_says_so(report_home, tmp_path):
    site = _with_provenance(report_home, tmp_path, None)
    for name in PAGES:
        assert "Origin not recorded. Listed from http://127.0.0.1:" in read(site, name)[1].plain, name


def test_an_imported_sample_withholds_what_it_cannot_support_and_stays_text(report_home, tmp_path):
    hostile = '<script>alert("x")</script>'
    record = {"kind": "imported", "models": 300, "snapshot_time": "2025-07-12T15:00:24.000Z",
              "sources": [{"name": hostile, "what": "a source", "models": 3, "coverage": f"3 models {hostile}"}],
              "unsupported": {"silent_weight_changes": f"rebuilt trees {hostile}",
                              "co2_reporting_share": "the carbon dataset", "card_share": "texts missing",
                              "no_such_claim": "ignored"}}
    site = _with_provenance(report_home, tmp_path, json.dumps(record))
    for name in PAGES:
        text, page = read(site, name)
        assert "<script" not in text and "script" not in page.tags and not page.handlers, name
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text, name
        assert "Imported sample of real Hub facts. 300 models recorded from the real Hub by 1 third-party" \
            in page.plain, name
        assert "3 kind(s) of figure it cannot support" in page.plain, name
    index, naming, carbon = (read(site, n)[1].plain for n in ("index", "naming", "carbon"))
    assert "models in the imported sample 317" in index
    for label in ("models with a card", "models declaring CO₂ emissions", "weight changes without a card change"):
        assert f"{label} not supported by this sample" in index, label
    assert "of which without a card change not supported by this sample" in naming
    assert "share of all models not supported by this sample" in carbon
    assert "mean score, all models not supported by this sample" in read(site, "documentation")[1].plain
    naming_html, carbon_html = read(site, "naming")[0], read(site, "carbon")[0]
    for key, html_text in (("versioning-silent", naming_html), ("versioning-repos", naming_html),
                           ("carbon-by-month", carbon_html), ("carbon-by-year", carbon_html)):
        section = html_text.split(f'<section class="figure" id="{key}">')[1].split("</section>")[0]
        assert f'data-withheld="{key}"' in section and "<table" not in section and "<svg" not in section, key
    # The figures it can support are still drawn on the same pages.
    assert 'data-chart="naming-practices"' in naming_html and 'data-chart="carbon-classes"' in carbon_html
