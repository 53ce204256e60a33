"""The Hub's placeholder creation dates on real recorded bodies: a model whose recorded createdAt is
either placeholder (core.hub.PLACEHOLDER_CREATED_AT) has created_at_known = false in the warehouse, every
other one true, after the real crawl and load of the `hub import-real` snapshot.

The recorded ``GET /api/models/{id}`` bodies (../shared/realdata/hfhub_cassettes/model_info) carry both
forms: 23:29:05 18 times and 23:29:04 5 times among 35 models (api_models_responses.json repeats the same
23 models: 46 placeholder bodies in all, 36 and 10).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import pytest
from conftest import REALDATA
from helpers import query

from core.config import Paths
from core.hub import PLACEHOLDER_CREATED_AT
from miners.models import crawl_models
from replayhub.server import ReplayHub
from warehouse.load import load_pending

pytestmark = pytest.mark.realdata

CASSETTES = REALDATA / "hfhub_cassettes"


def recorded_created_at() -> dict[str, str | None]:
    """createdAt of every recorded model_info body, by model id."""
    bodies = [json.loads(p.read_text(encoding="utf-8"))["body"] for p in sorted((CASSETTES / "model_info").glob("*.json"))]
    return {b["id"]: b.get("createdAt") for b in bodies}


@pytest.fixture(scope="module")
def paths(tmp_path_factory, real_snapshot):
    paths = Paths(tmp_path_factory.mktemp("created-at-real") / "home")
    with ReplayHub(real_snapshot[0]) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=datetime(2026, 11, 1, tzinfo=UTC), progress=False)
    load_pending(paths)
    return paths


def test_recorded_bodies_carry_both_placeholders(realdata):
    recorded = recorded_created_at()
    assert len(recorded) == 35
    assert Counter(d for d in recorded.values() if d in PLACEHOLDER_CREATED_AT) == {
        "2022-03-02T23:29:05.000Z": 18, "2022-03-02T23:29:04.000Z": 5}
    responses = json.loads((CASSETTES / "api_models_responses.json").read_text(encoding="utf-8"))
    also = Counter(r["body"].get("createdAt") for r in responses if isinstance(r["body"], dict))
    assert (also["2022-03-02T23:29:05.000Z"], also["2022-03-02T23:29:04.000Z"]) == (18, 5)


def test_created_at_known_is_false_exactly_for_placeholder_dates(paths):
    recorded = recorded_created_at()
    known = dict(query(paths, "SELECT model_id, created_at_known FROM models WHERE model_id IN (SELECT unnest(?))",
                       [list(recorded)]))
    assert sorted(known) == sorted(recorded)
    wrong = {m: (recorded[m], known[m]) for m in recorded
             if known[m] != (recorded[m] is not None and recorded[m] not in PLACEHOLDER_CREATED_AT)}
    assert wrong == {}
    assert Counter(known.values()) == {False: 23, True: 12}


def test_no_model_of_the_snapshot_keeps_a_placeholder_as_known(paths):
    rows = query(paths, """
        SELECT strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.000Z') AS stamp, created_at_known, count(*)
        FROM models WHERE created_at IS NOT NULL GROUP BY ALL""")
    by_stamp = Counter()
    for stamp, known, n in rows:
        assert known == (stamp not in PLACEHOLDER_CREATED_AT), stamp
        by_stamp[stamp in PLACEHOLDER_CREATED_AT] += n
    assert by_stamp[True] >= 23 and by_stamp[False] > 1000
