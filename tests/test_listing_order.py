"""Listing order against a replay hub in the real Hub's form: default order by trendingScore with its
keyset cursors, scores that move between pages; the old walk (default order) meets models twice and
misses others, hubmine's walk (createdAt ascending) lists each model exactly once and the loader
records no false deletion. Plus conformance of the next link with the recorded real form."""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import write_snapshot
from huggingface_hub import HfApi
from huggingface_hub.errors import BadRequestError
from huggingface_hub.utils import get_session, hf_raise_for_status

from core.config import Paths
from miners.landing import read_manifest
from miners.models import crawl_models
from replayhub.server import HubConfig, ReplayHub
from warehouse.load import load_pending

MODELS = 3_000  # three pages of 1,000
DRIFT = 40.0  # trendingScore points a model may move per listing request
PLACEHOLDER = "2022-03-02T23:29:05.000Z"
FIXTURE = Path(__file__).parent / "data" / "hub_listing_next_link.json"
DAY0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


def _info(i: int, rng: random.Random) -> dict:
    # The first 200 carry the Hub's placeholder creation time: a tie only _id breaks.
    created = PLACEHOLDER if i < 200 else (datetime(2023, 1, 1, tzinfo=UTC) + timedelta(minutes=7 * i)).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z")
    seconds = 1_646_263_745 if i < 200 else int(datetime.fromisoformat(created).timestamp())
    return {"_id": f"{seconds:08x}{rng.getrandbits(64):016x}", "id": f"org{i % 7}/m-{i:05d}", "author": f"org{i % 7}",
            "sha": f"{i:040x}", "createdAt": created, "lastModified": created, "private": False,
            "downloads": rng.randrange(0, 5_000), "likes": rng.randrange(0, 50),
            "trendingScore": rng.randrange(0, 300), "tags": ["x"], "pipeline_tag": "text-generation",
            "library_name": "transformers"}


@pytest.fixture(scope="module")
def hub_dir(tmp_path_factory) -> tuple[Path, list[dict]]:
    rng = random.Random(14)
    infos = [_info(i, rng) for i in range(MODELS)]
    # Written in a shuffled order: the snapshot's own row order must not be what lists them right.
    return write_snapshot(tmp_path_factory.mktemp("drifting"), rng.sample(infos, len(infos))), infos


def _drifting(directory: Path, **config) -> ReplayHub:
    return ReplayHub(directory, config=HubConfig(score_drift=DRIFT, **config))


def test_the_old_walk_in_default_order_meets_models_twice_and_misses_others(hub_dir):
    directory, infos = hub_dir
    with _drifting(directory) as hub:
        listed = [m.id for m in HfApi(endpoint=hub.url).list_models(expand=["trendingScore", "downloads"])]
    twice = len(listed) - len(set(listed))
    missed = {x["id"] for x in infos} - set(listed)
    assert twice > 0 and missed, (twice, len(missed))
    # Without drift the same walk is exact: the loss comes from scores moving, nothing else.
    with ReplayHub(directory) as hub:
        still = [m.id for m in HfApi(endpoint=hub.url).list_models(expand=["trendingScore"])]
    assert len(still) == len(set(still)) == MODELS


def test_hubmines_walk_lists_each_model_once_by_creation_time(hub_dir, tmp_path):
    directory, infos = hub_dir
    with _drifting(directory, request_log=tmp_path / "requests.jsonl") as hub:
        result = crawl_models(paths=Paths(tmp_path / "home"), endpoint=hub.url, progress=False)
    manifest = read_manifest(result.run_dir)
    table = pa.concat_tables(pq.read_table(result.run_dir / p) for p in manifest["parts"]).sort_by("listed_pos")
    expected = [x["id"] for x in sorted(infos, key=lambda x: (x["createdAt"], x["_id"]))]
    assert table["id"].to_pylist() == expected
    assert result.models == MODELS and result.duplicates == 0 and manifest["duplicates"] == 0
    assert manifest["complete_listing"] is True and manifest["order"] == "createdAt asc"
    requests = [json.loads(line) for line in (tmp_path / "requests.jsonl").read_text().splitlines()]
    queries = [r["query"] for r in requests if r["path"] == "/api/models"]
    assert len(queries) == 3 and all(q["sort"] == "createdAt" and q["direction"] == "1" for q in queries)


def test_two_drifting_days_load_without_false_deletions(hub_dir, tmp_path):
    directory, _ = hub_dir
    paths = Paths(tmp_path / "home")
    with _drifting(directory) as hub:
        for day in range(2):
            crawl_models(paths=paths, endpoint=hub.url, fetched_at=DAY0 + timedelta(days=day), progress=False)
    first, second = load_pending(paths)
    assert first.summary["new_models"] == MODELS
    assert second.summary["removed_models"] == 0 and second.summary["new_models"] == 0
    # Downloads moved between the days (drift); the state did not.
    assert second.summary["changed_models"] == 0 and second.summary["counter_rows"] > 0


def test_the_next_link_has_the_recorded_real_form(hub_dir):
    recorded = json.loads(FIXTURE.read_text())
    directory, infos = hub_dir
    with ReplayHub(directory) as hub:
        r = get_session().get(f"{hub.url}/api/models?{recorded['request_query']}")
        page, link = r.json(), r.headers["Link"]
    # Same framing as the recorded header: <request URL + cursor>; rel="next".
    assert link.startswith(f"<{hub.url}/api/models?{recorded['request_query']}&cursor=")
    assert link.endswith('>; rel="next"') and recorded["link_header"].endswith('>; rel="next"')
    ours, theirs = (_cursor(h) for h in (link, recorded["link_header"]))
    assert theirs == recorded["cursor_json"]  # the fixture decodes as recorded
    assert _shape(ours["$or"]) == _shape(theirs["$or"])  # same keyset on trendingScore and _id
    last = page[-1]
    assert ours["$or"][0] == {"trendingScore": last["trendingScore"], "_id": {"$gt": last["_id"]}}
    assert ours["$or"][1] == {"trendingScore": {"$lt": last["trendingScore"]}}
    # Real cursors are padded base64 with '=' percent-encoded; so are ours.
    assert _raw_cursor(link).endswith("%3D") == _raw_cursor(recorded["link_header"]).endswith("%3D")
    # The body: items of the recorded shape, keys in the recorded order, values of the recorded kinds.
    item, theirs_item = page[0], recorded["body_item"]
    assert list(item) == list(theirs_item)
    assert {k: type(v) for k, v in item.items()} == {k: type(v) for k, v in theirs_item.items()}
    # And the order behind it: trendingScore descending, ties by _id.
    assert [m["id"] for m in page] == [x["id"] for x in sorted(infos, key=lambda x: (-x["trendingScore"],
                                                                                     x["_id"]))][:1000]


def test_only_created_at_lists_ascending(hub_dir):
    directory, infos = hub_dir
    with ReplayHub(directory) as hub:
        api_url = f"{hub.url}/api/models"
        for sort in ("downloads", "likes", "trendingScore", "lastModified"):
            with pytest.raises(BadRequestError, match="descending"):
                hf_raise_for_status(get_session().get(api_url, params={"sort": sort, "direction": "1"}))
        r = get_session().get(api_url, params={"sort": "createdAt", "direction": "1", "limit": 5})
        hf_raise_for_status(r)
        assert [m["id"] for m in r.json()] == [x["id"] for x in sorted(infos, key=lambda x: (x["createdAt"],
                                                                                         x["_id"]))][:5]
        cursor = _cursor(r.headers["Link"])
        assert cursor["$or"][1] == {"createdAt": {"$gt": r.json()[-1]["createdAt"]}}


def _raw_cursor(link: str) -> str:
    return urlsplit(link[1:link.index(">")]).query.rpartition("cursor=")[2]


def _cursor(link: str) -> dict:
    token = dict(parse_qsl(urlsplit(link[1:link.index(">")]).query))["cursor"]
    assert unquote(_raw_cursor(link)) == token
    body = json.loads(base64.b64decode(token, validate=True))
    body.pop("hubmineSnapshot", None)  # the replay hub's own addition (it refuses another day's cursor)
    return body


def _shape(value):
    """The structure of a keyset with its leaf values replaced by their kind."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return None if value is None else "value"
