"""The versions miner on the real-data snapshot: the warehouse's commits are GAISSA's recorded commits.

Expectations are computed here from gaissa_hf_diversity/commit_data.csv (and the cassette bodies
for the precedence rule), not from the importer's summary. The snapshot is built and crawled once
for the module.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.config import Paths
from miners.history import crawl_history
from miners.models import crawl_models
from replayhub.server import ReplayHub
from tests.helpers import query
from warehouse import load as warehouse_load
from warehouse.load_history import load_history

pytestmark = pytest.mark.realdata

# Same folder as conftest's `realdata` fixture, which is function-scoped; the crawl is per module.
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
HEX40 = re.compile(r"^[0-9a-f]{40}$")


def gaissa_commits(realdata: Path) -> dict[str, list[tuple[str, datetime, str]]]:
    """model -> [(commit id, date, title)], newest first as the file lists them.

    One row (line 2987, XLabs-AI/flux-RealismLora) lost its authors field, so its date sits in the
    authors column and every later field is one to the left; it is read by locating the ISO date.
    """
    csv.field_size_limit(sys.maxsize)
    out: dict[str, list] = defaultdict(list)
    with open(realdata / "gaissa_hf_diversity" / "commit_data.csv", newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        assert next(reader) == ["model_id", "commit_id", "authors", "created_at", "title", "message"]
        shifted = []
        for fields in reader:
            assert HEX40.match(fields[1]), fields[:2]
            at = 3 if len(fields) == 6 and ISO.match(fields[3]) else next(
                i for i in range(2, len(fields)) if ISO.match(fields[i]))
            if at != 3:
                shifted.append((reader.line_num, fields[0]))
            title = fields[at + 1] if len(fields) > at + 1 else ""
            out[fields[0]].append((fields[1], datetime.fromisoformat(fields[at]), title))
    assert shifted == [(2987, "XLabs-AI/flux-RealismLora")]
    assert sum(map(len, out.values())) == 8042
    return dict(out)


def expected_commits(realdata: Path) -> dict[str, list[tuple[str, datetime, str]]]:
    """GAISSA's commits, all of them.

    Two cassettes (real recorded model_info bodies) predate GAISSA's crawl: zephyr-7b-beta has 2
    later commits, roberta-base-squad2 4. The snapshot still serves the whole history: ``main`` is
    GAISSA's newest commit and the recorded body is served verbatim at its own, older revision.
    """
    commits = gaissa_commits(realdata)
    older = {}
    for path in sorted((realdata / "hfhub_cassettes" / "model_info").glob("*.json")):
        body = json.loads(path.read_text())["body"]
        listed = commits.get(body["id"])
        if not listed:
            continue
        ids = [c[0] for c in listed]
        assert body["sha"] in ids, f"{body['id']}: cassette sha not in GAISSA's log"
        if ids.index(body["sha"]):
            older[body["id"]] = ids.index(body["sha"])
    assert older == {"HuggingFaceH4/zephyr-7b-beta": 2, "deepset/roberta-base-squad2": 4}
    assert sum(map(len, commits.values())) == 8042
    return commits


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, real_snapshot):
    root = tmp_path_factory.mktemp("history-real")
    paths = Paths(root / "home")
    repos = sorted(gaissa_commits(REALDATA))
    when = datetime(2026, 11, 1, tzinfo=UTC)
    with ReplayHub(real_snapshot[0]) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=when, progress=False)
        started = time.monotonic()
        result = crawl_history(paths=paths, endpoint=hub.url, fetched_at=when, top_n=0, repos=repos,
                               workers=8, progress=False)
        seconds = time.monotonic() - started
    saved = dict(warehouse_load.LOADERS)
    warehouse_load.LOADERS["history"] = load_history
    try:
        warehouse_load.load_pending(paths)
    finally:
        warehouse_load.LOADERS.clear()
        warehouse_load.LOADERS.update(saved)
    return paths, result, seconds


def test_every_gaissa_commit_is_in_the_warehouse_in_order(realdata, crawled):
    paths, result, _ = crawled
    expected = expected_commits(realdata)
    assert (result.selected, result.attempted, result.ok, result.errors) == (359, 359, 359, 0)
    assert result.commits == 8042
    counts = dict(query(paths, "SELECT model_id, count(*) FROM commits GROUP BY 1"))
    assert counts == {m: len(c) for m, c in expected.items()}
    rows = query(paths, "SELECT model_id, seq, commit_id, date, title FROM commits")
    got = {(m, s, c, d.astimezone(UTC), t) for m, s, c, d, t in rows}
    # The log's order is the file's order (newest first): seq 0 is the last row of a model.
    want = {(m, len(c) - 1 - i, cid, when, title) for m, c in expected.items()
            for i, (cid, when, title) in enumerate(c)}
    assert got == want


def test_events_and_refs_are_consistent_with_the_commits(realdata, crawled):
    paths, result, _ = crawled
    assert result.trees == 8042
    # Every repo's main branch points at its newest commit.
    assert query(paths, """
        SELECT count(*) FROM model_refs r JOIN commits c ON c.model_id = r.model_id AND c.commit_id = r.target_commit
        WHERE r.kind = 'branch' AND r.name = 'main'
          AND c.seq = (SELECT max(seq) FROM commits x WHERE x.model_id = c.model_id)""") == [(359,)]
    # The event views agree with a path-by-path comparison of consecutive commits' files done here.
    files = defaultdict(dict)
    for model, commit, path, oid, lfs_oid in query(paths, "SELECT model_id, commit_id, path, oid, lfs_oid "
                                                          "FROM core.commit_files"):
        files[(model, commit)][path] = lfs_oid or oid
    logs = defaultdict(list)
    for model, commit in query(paths, "SELECT model_id, commit_id FROM commits ORDER BY model_id, seq"):
        logs[model].append(commit)
    weights, cards = set(), set()
    for model, log in logs.items():
        for i, commit in enumerate(log):
            old, new = (files[(model, log[i - 1])] if i else {}), files[(model, commit)]
            for path in old.keys() | new.keys():
                if old.get(path) == new.get(path):
                    continue
                change = "added" if path not in old else "removed" if path not in new else "modified"
                (cards if path == "README.md" else weights).add((model, commit, path, change))
    assert set(query(paths, "SELECT model_id, commit_id, path, change FROM weight_changes")) == weights
    assert set(query(paths, "SELECT model_id, commit_id, 'README.md', change FROM card_changes")) == cards
    assert len(weights) > 1000 and len(cards) > 100
