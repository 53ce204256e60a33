"""1,000 hostile items through the whole pipeline: no crash, each bad item recorded, memory bounded.

The pipeline (listing, cards, history, load, analyses) runs in one child process through the real
CLI, the real huggingface_hub client and the replay hub; its peak RSS is read from the child.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict

import pytest

from core.config import Paths
from replayhub.hostile import HUGE_ITEMS, KINDS, hostile_hub
from replayhub.server import ReplayHub
from tests.helpers import query

ITEMS = 1000
PEAK_RSS_LIMIT = 2**30

# Each CLI step in one interpreter, so the peak is the pipeline's whole peak. The peak is VmHWM, this
# program's own high-water mark: Linux carries the parent's peak over into the ru_maxrss of a child
# started by (v)fork + exec, so ru_maxrss would count the test process (big once the DAG tests have
# run Airflow in it) instead of the pipeline.
_RUNNER = """
import json, resource, sys
from hubmine.cli import main
for args in json.loads(sys.argv[1]):
    main(args, standalone_mode=False)
try:
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"peak_rss": peak}))
"""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    items = hostile_hub(root / "hub", items=ITEMS)
    paths = Paths(root / "home")
    with ReplayHub(root / "hub") as hub:
        steps = [["--home", str(paths.home), *step] for step in (
            ["crawl", "models", "--endpoint", hub.url, "--no-progress"],
            ["crawl", "cards", "--endpoint", hub.url, "--no-progress"],
            ["crawl", "history", "--endpoint", hub.url, "--top-n", str(ITEMS), "--no-progress"],
            ["load"],
            ["analyze"],
        )]
        done = subprocess.run([sys.executable, "-c", _RUNNER, json.dumps(steps)], capture_output=True,
                              text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return paths, items, report, done


def test_the_corpus_covers_every_kind(crawled):
    _, items, _, _ = crawled
    assert len(items) == ITEMS and len({i.repo_id for i in items}) == ITEMS
    per_kind = Counter(i.kind for i in items)
    assert set(per_kind) == {*KINDS, "control"}
    assert min(n for k, n in per_kind.items() if k not in ("huge_body", "control")) >= 50


def test_every_bad_item_is_recorded_where_it_belongs(crawled):
    paths, items, _, _ = crawled
    issues = defaultdict(set)
    for model_id, codes in query(paths, "SELECT model_id, issues FROM documentation"):
        issues[model_id] |= {c.split(":")[0] for c in codes or []}
    problems = defaultdict(set)
    for model_id, code in query(paths, "SELECT model_id, code FROM metadata_problems"):
        problems[model_id].add(code)
    crawl_errors = defaultdict(set)
    for source, model_id in query(paths, "SELECT source, model_id FROM crawl_errors"):
        crawl_errors[model_id].add(source)

    missed = []
    for item in items:
        if item.where == "card_issue":
            ok = item.code in issues[item.repo_id]
        elif item.where == "metadata_problem":
            ok = item.code in problems[item.repo_id]
        elif item.where == "crawl_error":
            # an id the Hub could not have: both crawls record it, nothing is fetched for it
            ok = crawl_errors[item.repo_id] == {"cards", "history"}
        else:
            ok = not issues[item.repo_id] and not problems[item.repo_id] and not crawl_errors[item.repo_id]
        if not ok:
            missed.append((item.kind, item.repo_id[:60]))
    assert missed == []
    by_where = Counter(i.where for i in items)
    assert by_where["none"] >= 1 and by_where["crawl_error"] >= 4 * 50 and by_where["card_issue"] >= 6 * 50
    assert sum(i.kind == "huge_body" for i in items) == HUGE_ITEMS


def test_the_batch_goes_on_around_bad_items(crawled):
    paths, items, _, _ = crawled
    fetchable = [i for i in items if i.where != "crawl_error"]
    # every item with a valid id has its card and its history; every listed item is a model
    assert query(paths, "SELECT count(*) FROM models")[0][0] == ITEMS
    assert query(paths, "SELECT count(*) FROM cards WHERE status = 'ok'")[0][0] == len(fetchable)
    assert query(paths, "SELECT count(DISTINCT model_id) FROM commits")[0][0] == len(fetchable)
    assert query(paths, "SELECT count(*) FROM documentation")[0][0] == len(fetchable)
    # the 50 MB cards are kept cut at the miner's cap, flagged
    huge = query(paths, "SELECT size, truncated FROM cards WHERE model_id LIKE 'hostile/huge_body-%'")
    assert len(huge) == HUGE_ITEMS and all(t and s == 8 * 2**20 for s, t in huge)


def test_peak_memory_stays_under_one_gib(crawled):
    _, _, report, _ = crawled
    print(f"hostile pipeline peak RSS: {report['peak_rss'] / 2**20:.0f} MiB")
    assert 0 < report["peak_rss"] < PEAK_RSS_LIMIT, f"peak RSS {report['peak_rss'] / 2**20:.0f} MiB"


def test_the_report_of_the_hostile_warehouse_runs_no_injected_script(crawled, tmp_path):
    """Every page in headless Chromium: the payloads show as text, none runs, no dialog opens."""
    from test_report_browser import ARGS, CHROMIUM, QuietHandler

    if not CHROMIUM.is_file():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (CI installs it: .ci/run)")
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    from report.build import build_site

    paths = crawled[0]
    # with Hub links on, so hostile ids also pass through the link-building path
    site = build_site(paths, tmp_path / "site", hub_url="https://huggingface.co")
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 6
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    ran, shown = [], 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS)
            try:
                page = browser.new_page()
                page.on("dialog", lambda d: (ran.append(f"dialog {d.message}"), d.dismiss()))
                page.on("pageerror", lambda e: ran.append(f"page error {e}"))
                for html in pages:
                    page.goto(f"{base}/{html.name}", wait_until="load")
                    # mouse and focus handlers would fire here (onerror= fires on load already)
                    page.evaluate("""() => document.querySelectorAll('*').forEach(e => {
                        for (const t of ['mouseover', 'focus', 'click']) e.dispatchEvent(new Event(t));
                    })""")
                    if page.evaluate("window.__hubmine_pwned !== undefined"):
                        ran.append(f"payload ran on {html.name}")
                    if page.evaluate("document.scripts.length"):
                        ran.append(f"script element on {html.name}")
                    shown += (page.text_content("body") or "").count("window.__hubmine_pwned")
                    page.screenshot(path=str(tmp_path / f"{html.stem}.png"), full_page=True)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert ran == []
    assert shown > 0  # the payloads did reach the pages, as visible text
