"""The report in a real browser: headless Debian Chromium, driven by Playwright, over a local HTTP server.

Every page must load, draw each of its charts (an SVG with a real size), log no console error and
raise no page error; the hostile repo ids and card fields of the test warehouse must stay text (no
dialog opens, no script element exists, no javascript: link); nothing may be fetched from anywhere
but the site itself. A screenshot of every page is saved in the test's tmp folder.
"""

from __future__ import annotations

import functools
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


@pytest.fixture
def served(report_site):
    """The site of the pipeline warehouse with forecast views (conftest.report_site) on a free local port."""
    site = report_site[1]
    with local_server(functools.partial(QuietHandler, directory=str(site))) as (_, url):
        yield site, url


def test_every_page_loads_and_draws_its_charts_without_errors(served, tmp_path):
    from playwright.sync_api import sync_playwright

    site, base = served
    problems: list[str] = []
    foreign: list[str] = []
    with sync_playwright() as playwright:
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
                page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
                assert (tmp_path / f"{name}.png").stat().st_size > 10_000, name
            # The hostile values are on the pages as visible text.
            page.goto(f"{base}/carbon.html")
            table_text = page.locator("#carbon-declarations table").inner_text()
            assert SCRIPT_ROOT in table_text and CO2["source"] in table_text
            page.goto(f"{base}/documentation.html")
            assert IMG_AUTHOR in page.locator("#doc-authors table").inner_text()
        finally:
            browser.close()
    assert problems == []
    assert foreign == []
