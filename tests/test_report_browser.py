"""The report in a real browser: headless Debian Chromium, driven by Playwright, over a local HTTP server.

Every page must load, draw each of its charts (an SVG with a real size), log no console error and
raise no page error; the hostile repo ids and card fields of the test warehouse must stay text (no
dialog opens, no script element exists, no javascript: link); nothing may be fetched from anywhere
but the site itself; every page carries one provenance banner above its title. A screenshot of every
page is saved in the test's tmp folder. Three sites: the test warehouse (hostile values), the demo
(generated: seed and size on every page) and the report of `hub import-real` (its sources, its own
date, and the figures it cannot support withheld); the last skips cleanly without ../shared.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from helpers import local_server
from report_warehouse import CO2, IMG_AUTHOR, SCRIPT_ROOT
from test_report import PAGES, Page

CHROMIUM = Path("/usr/bin/chromium")
# The machine's network is closed: without these Chromium keeps trying background connections.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(),
                                reason="needs Debian's chromium at /usr/bin/chromium (CI installs it: .ci/run)")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextmanager
def serving(site: Path):
    """``site`` over HTTP on a free local port: yields its base URL."""
    with local_server(functools.partial(QuietHandler, directory=str(site))) as (_, url):
        yield url


@contextmanager
def browsing(site: Path, tmp_path: Path):
    """(page, base URL, problems, foreign requests) for ``site`` in headless Chromium."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    foreign: list[str] = []
    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1200, "height": 900})
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
            page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(base + "/") else None)
            yield page, base, problems, foreign
        finally:
            browser.close()


def check_every_page(page, base: str, site: Path, shots: Path) -> dict[str, str]:
    """Load, chart and screenshot every page; returns each page's provenance banner text."""
    banners = {}
    for name in PAGES:
        response = page.goto(f"{base}/{name}.html", wait_until="load")
        assert response is not None and response.status == 200, name
        expected = sum(1 for s in Page((site / f"{name}.html").read_text()).sections if s["chart"])
        charts = page.locator("figure.chart")
        assert charts.count() == expected >= 1, name
        for i in range(expected):
            svg = charts.nth(i).locator("svg")
            assert svg.count() == 1, (name, i)
            box = svg.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 60, (name, i, box)
            assert svg.locator("path").count() > 5, (name, i)  # axes, ticks, bars or lines were drawn
        assert page.evaluate("document.scripts.length") == 0, name
        assert page.locator('a[href^="javascript:" i]').count() == 0, name
        # Where the data came from: one banner, visible above the page's title.
        banner = page.locator("#provenance-banner")
        assert banner.count() == 1 and banner.is_visible(), name
        assert banner.bounding_box()["y"] < page.locator("h1").bounding_box()["y"], name
        banners[name] = banner.inner_text()
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        assert (shots / f"{name}.png").stat().st_size > 10_000, name
    return banners


def test_every_page_loads_and_draws_its_charts_without_errors(report_site, tmp_path):
    site = report_site[1]
    with browsing(site, tmp_path) as (page, base, problems, foreign):
        banners = check_every_page(page, base, site, tmp_path)
        # The hostile values are on the pages as visible text.
        page.goto(f"{base}/carbon.html")
        table_text = page.locator("#carbon-declarations table").inner_text()
        assert SCRIPT_ROOT in table_text and CO2["source"] in table_text
        page.goto(f"{base}/documentation.html")
        assert IMG_AUTHOR in page.locator("#doc-authors table").inner_text()
    assert all(text.startswith("Generated data.") for text in banners.values()), banners
    assert problems == []
    assert foreign == []


def test_the_demo_report_says_its_data_is_generated_on_every_page(demo_site, tmp_path):
    from conftest import DEMO_MODELS, DEMO_SEED

    site = demo_site[1]
    with browsing(site, tmp_path) as (page, base, problems, foreign):
        banners = check_every_page(page, base, site, tmp_path)
    for name, text in banners.items():
        assert text.startswith("Generated data."), (name, text)
        assert f"seed {DEMO_SEED}, {DEMO_MODELS} models on day 0, day 1" in text, (name, text)
        assert "every number is invented" in text, name
    assert problems == []
    assert foreign == []


def test_the_imported_sample_report_names_its_sources_and_withholds_what_it_cannot_support(imported_site,
                                                                                            tmp_path):
    site = imported_site[1]
    with browsing(site, tmp_path) as (page, base, problems, foreign):
        banners = check_every_page(page, base, site, tmp_path)
        page.goto(f"{base}/naming.html")
        page.locator("#provenance-banner summary").first.click()  # the sources' coverage opens
        sources = page.locator("#provenance-banner li").all_inner_texts()
        withheld = page.locator("[data-withheld]").all_inner_texts()
    for name, text in banners.items():
        assert text.startswith("Imported sample of real Hub facts."), (name, text)
        assert "77,161 models" in text and "2025-07-12 15:00 UTC" in text, (name, text)
    assert [s.split(" ")[0] for s in sources[:6]] == ["cassette", "oderinwale", "laufer", "gaissa", "castano",
                                                      "liang"]
    assert len(withheld) == 2 and all(w.startswith("Not supported by this sample") for w in withheld)
    assert problems == []
    assert foreign == []
