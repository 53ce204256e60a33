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

from hubmine.config import Paths
from miners.replay.hostile import HUGE_ITEMS, KINDS, hostile_hub
from miners.replay.server import ReplayHub
from tests.helpers import query

ITEMS = 1000
PEAK_RSS_LIMIT = 2**30

# Each CLI step in one interpreter, so the peak is the pipeline's whole peak.
_RUNNER = """
import json, resource, sys
from hubmine.cli import main
for args in json.loads(sys.argv[1]):
    main(args, standalone_mode=False)
print(json.dumps({"peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
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
