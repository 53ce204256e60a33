"""The replay hub against the real huggingface_hub client (no mocks): shapes, pagination, errors, stress."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import (
    BadRequestError,
    EntryNotFoundError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import get_session, hf_raise_for_status, parse_ratelimit_headers

from replayhub.server import LIST_KEYS, HubConfig, ReplayHub, parse_rate_limit
from replayhub.snapshot import DB_NAME, Commit, SnapshotWriter, git_blob_oid, lfs_entry

N_LISTED = 2_500
HISTORY = 120  # commits of acme/history: three pages of 50
WIDE_FILES = 1_200  # files of acme/wide: two tree pages of 1,000
TAG_AT = 10


def _listed_info(i: int) -> dict:
    return {
        "id": f"org{i % 5}/model-{i:04d}",
        "author": f"org{i % 5}",
        "private": False,
        "downloads": (i * 7919) % 1000,  # many ties, so keyset ties cross page boundaries
        "likes": i % 50,
        "trendingScore": i % 13,
        "tags": ["common", f"group-{i % 4}"],
        "pipeline_tag": "text-generation" if i % 2 else "fill-mask",
        "library_name": "transformers",
        "createdAt": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}T00:00:00.000Z",
        "lastModified": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T00:00:00.000Z",
        "cardData": {"license": "mit"},
        "siblings": [{"rfilename": "README.md"}, {"rfilename": "config.json"}],
        "usedStorage": 1234,
    }


def _oid(info: dict) -> str:
    # No stored _id: the replay hub derives one from the repo id.
    return hashlib.sha1(info["id"].encode()).hexdigest()[:24]


def _default_order() -> list[str]:
    """The Hub's order without ``sort``: trendingScore descending, ties by _id."""
    infos = [_listed_info(i) for i in range(N_LISTED)]
    return [x["id"] for x in sorted(infos, key=lambda x: (-x["trendingScore"], _oid(x)))]


@pytest.fixture(scope="module")
def listing_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("listing")
    with SnapshotWriter(directory, source="test") as writer:
        for i in range(N_LISTED):
            writer.add_model(_listed_info(i))
    return directory


# a body recorded at an older commit (the real-data importer keeps such cassettes this way)
RECORDED_AT_3 = ('{"id":"acme/history","sha":"' + hashlib.sha1(b"history 3").hexdigest()
                 + '","downloads":2,"siblings":[{"rfilename":"README.md"}]}')


def _history_commits() -> list[Commit]:
    commits = []
    for k in range(HISTORY):
        files: dict = {"README.md": f"# history\n\nrevision {k}\n".encode(), "config.json": b'{"a": 1}'}
        if k >= 5:
            files["weights/model.safetensors"] = lfs_entry("weights/model.safetensors", f"{k:064x}", 3_000 + k)
            files["docs/a/b.md"] = b"deep"
        commits.append(Commit(id=hashlib.sha1(b"history %d" % k).hexdigest(),
                              date=f"2024-01-01T00:{k // 60:02d}:{k % 60:02d}.000Z", title=f"commit {k}",
                              message=f"message {k}", authors=("alice", "bob")[: 1 + k % 2], files=files))
    return commits


@pytest.fixture(scope="module")
def repo_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("repos")
    commits = _history_commits()
    head = commits[-1]
    with SnapshotWriter(directory, source="test") as writer:
        writer.add_model({"id": "acme/history", "author": "acme", "sha": head.id, "downloads": 5, "likes": 1,
                          "tags": ["x"], "lastModified": head.date,
                          "siblings": [{"rfilename": p} for p in sorted(head.files)]},
                         commits=commits,
                         refs=[("tag", "v1.0", commits[TAG_AT].id), ("branch", "feature/x", commits[50].id)])
        writer.add_revision_body("acme/history", commits[3].id, RECORDED_AT_3)
        writer.add_model({"id": "legacy", "sha": "f" * 40, "downloads": 1},
                         commits=[Commit(id="f" * 40, date="2020-01-01T00:00:00.000Z",
                                         files={"README.md": b"legacy card"})])
        writer.add_model({"id": "acme/wide", "sha": "e" * 40},
                         commits=[Commit(id="e" * 40, date="2021-01-01T00:00:00.000Z",
                                         files={f"data/{i:05d}.txt": b"%d" % i for i in range(WIDE_FILES)})])
        writer.add_model({"id": "acme/broken", "sha": "d" * 40},
                         commits=[Commit(id="d" * 40, date="2021-01-01T00:00:00.000Z", files={"README.md": b"b"})])
    with sqlite3.connect(directory / DB_NAME) as db:
        db.execute("UPDATE models SET info = ? WHERE id = ?", ('{"id": "acme/broken", "sha": ', "acme/broken"))
    return directory


@pytest.fixture
def listing_hub(listing_dir, tmp_path):
    with ReplayHub(listing_dir, config=HubConfig(request_log=tmp_path / "requests.jsonl")) as hub:
        yield hub


@pytest.fixture
def repo_hub(repo_dir, tmp_path):
    with ReplayHub(repo_dir, config=HubConfig(request_log=tmp_path / "requests.jsonl")) as hub:
        yield hub


def _log(hub: ReplayHub) -> list[dict]:
    return [json.loads(line) for line in Path(hub.config.request_log).read_text().splitlines()]


def _download(hub: ReplayHub, tmp_path: Path, repo_id: str, filename: str, **kwargs) -> str:
    # huggingface_hub reads HF_HOME at import, so conftest's private HF_HOME cannot reach its cache: pass one.
    return hf_hub_download(repo_id, filename, endpoint=hub.url, cache_dir=tmp_path / "hf-cache", **kwargs)


# ---------------------------------------------------------------- list_models


def test_list_models_follows_every_page_with_expand(listing_hub):
    models = list(HfApi(endpoint=listing_hub.url).list_models(expand=["downloads", "likes", "sha"]))
    assert [m.id for m in models] == _default_order()
    third = _listed_info(int(models[3].id[-4:]))
    assert models[3].downloads == third["downloads"] and models[3].likes == third["likes"]
    assert models[0].sha  # from the snapshot's sha column: the info has none
    assert models[0].tags is None  # not expanded
    lines = [line for line in _log(listing_hub) if line["path"] == "/api/models"]
    assert len(lines) == 3
    assert all(line["query"]["expand"] == ["downloads", "likes", "sha"] for line in lines)
    assert "cursor" not in lines[0]["query"] and all("cursor" in line["query"] for line in lines[1:])


def test_list_link_carries_every_parameter(listing_hub):
    query = [("search", "model"), ("author", "org1"), ("filter", "common"), ("sort", "downloads"),
             ("expand", "downloads"), ("expand", "likes"), ("limit", "100")]
    r = get_session().get(f"{listing_hub.url}/api/models", params=query)
    assert r.status_code == 200 and len(r.json()) == 100
    next_url = r.links["next"]["url"]
    assert next_url.startswith(listing_hub.url + "/api/models?")
    pairs = parse_qsl(urlsplit(next_url).query)
    assert pairs[:-1] == query and pairs[-1][0] == "cursor"
    assert set(r.json()[0]) == {"_id", "id", "downloads", "likes"}
    second = get_session().get(next_url).json()
    assert not {m["id"] for m in second} & {m["id"] for m in r.json()}


def test_list_cursor_is_honoured_by_a_fresh_hub_process_and_refused_by_another_snapshot(listing_dir, tmp_path):
    """A cursor is stateless: a resumed listing follows a next link verbatim, maybe to a replay hub
    started since in another process; but a cursor of another snapshot (day) is stale: 400."""
    expand = [("expand", "downloads"), ("expand", "sha")]
    with ReplayHub(listing_dir) as hub:
        port = hub.port
        first = get_session().get(f"{hub.url}/api/models", params=expand)
        second = get_session().get(first.links["next"]["url"])
    next_url = second.links["next"]["url"]
    assert next_url.startswith(f"http://127.0.0.1:{port}/api/models?")
    # The same snapshot served by a new process on the same port (the first hub is gone).
    served = subprocess.Popen([sys.executable, "-m", "hubmine.cli", "hub", "serve", str(listing_dir), "--port",
                               str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert "serving" in served.stdout.readline()
        third = get_session().get(next_url)
        hf_raise_for_status(third)
        assert [m["id"] for m in third.json()] == _default_order()[2_000:]
        assert "next" not in third.links
        bad = get_session().get(next_url.replace("cursor=", "cursor=x"))
        with pytest.raises(BadRequestError, match="invalid cursor"):
            hf_raise_for_status(bad)
    finally:
        served.terminate()
        served.wait(timeout=10)
    # Another day of the hub (here: another snapshot time) does not follow a cursor it did not issue.
    other = tmp_path / "other_day"
    with SnapshotWriter(other, source="test", meta={"snapshot_time": "2026-11-02T23:59:59.000Z"}) as writer:
        for i in range(N_LISTED):
            writer.add_model(_listed_info(i))
    with ReplayHub(other, port=port) as hub:
        stale = get_session().get(next_url)
        with pytest.raises(BadRequestError, match="another snapshot"):
            hf_raise_for_status(stale)
        assert len(get_session().get(f"{hub.url}/api/models", params=expand).json()) == 1_000


def test_list_default_item_shape(listing_hub):
    item = get_session().get(f"{listing_hub.url}/api/models", params={"limit": 1}).json()[0]
    assert tuple(item) == LIST_KEYS
    assert len(item["_id"]) == 24 and int(item["_id"], 16) >= 0
    assert item["modelId"] == item["id"] == _default_order()[0]


def test_list_sorts_descending_with_ties_by_object_id(listing_hub):
    api = HfApi(endpoint=listing_hub.url)
    infos = [_listed_info(i) for i in range(N_LISTED)]
    for sort, key in [("downloads", "downloads"), ("likes", "likes"), ("created_at", "createdAt"),
                      ("trending_score", "trendingScore"), ("last_modified", "lastModified")]:
        expected = [info["id"] for info in sorted(infos, key=lambda x: (_neg(x[key]), _oid(x)))]
        assert [m.id for m in api.list_models(sort=sort)] == expected, sort
    top = list(api.list_models(sort="downloads", limit=5))
    assert [m.id for m in top] == [x["id"] for x in sorted(infos, key=lambda x: (-x["downloads"], _oid(x)))][:5]


def _neg(value):
    return -value if isinstance(value, (int, float)) else tuple(-ord(c) for c in value)


def test_list_search_author_filter_pipeline(listing_hub):
    api = HfApi(endpoint=listing_hub.url)
    infos = [_listed_info(i) for i in range(N_LISTED)]
    assert [m.id for m in api.list_models(search="MODEL-00")] == [i for i in _default_order() if "model-00" in i]
    by_author = [m.id for m in api.list_models(author="org3", sort="likes")]
    assert len(by_author) == N_LISTED // 5 and all(i.startswith("org3/") for i in by_author)
    filtered = {m.id for m in api.list_models(filter=["group-1", "common"])}
    assert filtered == {x["id"] for x in infos if "group-1" in x["tags"]}
    assert not list(api.list_models(filter=["group-1", "group-2"]))
    masks = list(api.list_models(pipeline_tag="fill-mask", author="org2"))
    assert masks and all(m.pipeline_tag == "fill-mask" and m.id.startswith("org2/") for m in masks)
    assert len(masks) == sum(1 for x in infos if x["pipeline_tag"] == "fill-mask" and x["author"] == "org2")


def test_list_full_and_card_data(listing_hub):
    api = HfApi(endpoint=listing_hub.url)
    full = next(iter(api.list_models(full=True, limit=1)))
    assert full.sha and full.last_modified and [s.rfilename for s in full.siblings] == ["README.md", "config.json"]
    with_card = next(iter(api.list_models(cardData=True, limit=1)))
    assert with_card.card_data.license == "mit"


@pytest.mark.parametrize("kwargs, message", [
    ({"expand": ["usedStorage"]}, "usedStorage"),
    ({"expand": ["baseModels"]}, "baseModels"),
    ({"expand": ["childrenModelCount", "downloads"]}, "childrenModelCount"),
    ({"expand": ["noSuchThing"]}, "noSuchThing"),
])
def test_list_rejects_what_the_hub_rejects(listing_hub, kwargs, message):
    with pytest.raises(BadRequestError) as info:
        list(HfApi(endpoint=listing_hub.url).list_models(**kwargs))
    assert info.value.response.status_code == 400
    assert message in str(info.value)


@pytest.mark.parametrize("flag", ["full", "cardData", "config"])
def test_list_rejects_expand_with_full_card_data_or_config(listing_hub, flag):
    # huggingface_hub refuses these combinations before sending, so ask directly.
    r = get_session().get(f"{listing_hub.url}/api/models", params={"expand": "downloads", flag: "true"})
    with pytest.raises(BadRequestError, match="expand cannot be combined"):
        hf_raise_for_status(r)


def test_list_page_is_fast(listing_hub):
    session = get_session()
    session.get(f"{listing_hub.url}/api/models").raise_for_status()
    session.get(f"{listing_hub.url}/api/models", params={"sort": "downloads"}).raise_for_status()
    served = [line["latency_ms"] for line in _log(listing_hub)]
    # Generous for busy CI machines; typical is ~10 ms.
    assert max(served) < 250, served


# ---------------------------------------------------------------- per-repo endpoints


def test_model_info_at_main_is_the_stored_body(repo_hub, repo_dir):
    raw = get_session().get(f"{repo_hub.url}/api/models/acme/history")
    with sqlite3.connect(repo_dir / DB_NAME) as db:
        stored = db.execute("SELECT info FROM models WHERE id = 'acme/history'").fetchone()[0]
    assert raw.content == stored.encode()
    info = HfApi(endpoint=repo_hub.url).model_info("acme/history")
    assert info.sha == _history_commits()[-1].id
    assert HfApi(endpoint=repo_hub.url).model_info("legacy").sha == "f" * 40


def test_model_info_at_other_revisions(repo_hub):
    api = HfApi(endpoint=repo_hub.url)
    commits = _history_commits()
    old = api.model_info("acme/history", revision=commits[2].id)
    assert old.sha == commits[2].id
    assert [s.rfilename for s in old.siblings] == ["README.md", "config.json"]
    assert old.downloads == 5  # everything else is the stored body
    assert api.model_info("acme/history", revision="v1.0").sha == commits[TAG_AT].id
    assert api.model_info("acme/history", revision="feature/x").sha == commits[50].id
    assert api.model_info("acme/history", revision=commits[7].id[:10]).sha == commits[7].id
    detailed = api.model_info("acme/history", revision=commits[7].id, files_metadata=True)
    by_name = {s.rfilename: s for s in detailed.siblings}
    readme = commits[7].files["README.md"]
    assert by_name["README.md"].size == len(readme) and by_name["README.md"].blob_id == git_blob_oid(readme)
    weights = by_name["weights/model.safetensors"]
    assert weights.lfs.size == 3_007 and weights.lfs.sha256 == f"{7:064x}" and weights.lfs.pointer_size > 0
    at_main = api.model_info("acme/history", files_metadata=True)
    assert all(s.size is not None for s in at_main.siblings)
    # a body recorded for an older revision is served there byte for byte, and only there
    raw = get_session().get(f"{repo_hub.url}/api/models/acme/history/revision/{commits[3].id}")
    assert raw.content == RECORDED_AT_3.encode()
    assert api.model_info("acme/history", revision=commits[3].id).downloads == 2
    assert api.model_info("acme/history", revision=commits[4].id).downloads == 5


def test_model_info_expand(repo_hub):
    raw = get_session().get(f"{repo_hub.url}/api/models/acme/history",
                            params=[("expand", "downloads"), ("expand", "sha"), ("expand", "usedStorage")]).json()
    assert set(raw) == {"_id", "id", "downloads", "sha"}  # usedStorage is allowed here, but not recorded
    info = HfApi(endpoint=repo_hub.url).model_info("acme/history", expand=["likes"])
    assert info.likes == 1 and info.sha is None


def test_list_repo_commits_over_several_pages(repo_hub):
    api = HfApi(endpoint=repo_hub.url)
    commits = api.list_repo_commits("acme/history")
    assert [c.commit_id for c in commits] == [c.id for c in reversed(_history_commits())]
    assert commits[0].title == f"commit {HISTORY - 1}" and commits[0].authors == ["alice", "bob"]
    assert commits[-1].message == "message 0" and commits[-1].created_at.year == 2024
    pages = [line for line in _log(repo_hub) if line["path"].endswith("/commits/main")]
    assert len(pages) == 3
    older = api.list_repo_commits("acme/history", revision="v1.0")
    assert len(older) == TAG_AT + 1 and older[0].commit_id == _history_commits()[TAG_AT].id
    formatted = api.list_repo_commits("legacy", formatted=True)
    assert len(formatted) == 1 and formatted[0].formatted_title == ""


def test_list_repo_tree(repo_hub):
    api = HfApi(endpoint=repo_hub.url)
    top = {e.path: type(e).__name__ for e in api.list_repo_tree("acme/history")}
    assert top == {"README.md": "RepoFile", "config.json": "RepoFile", "docs": "RepoFolder", "weights": "RepoFolder"}
    everything = list(api.list_repo_tree("acme/history", recursive=True))
    assert [e.path for e in everything] == ["README.md", "config.json", "docs", "docs/a", "docs/a/b.md",
                                            "weights", "weights/model.safetensors"]
    weights = everything[-1]
    assert weights.lfs.size == 3_000 + HISTORY - 1 and weights.size == weights.lfs.size
    assert [e.path for e in api.list_repo_tree("acme/history", "docs")] == ["docs/a"]
    assert [e.path for e in api.list_repo_tree("acme/history", "docs/a")] == ["docs/a/b.md"]
    old = api.list_repo_tree("acme/history", revision=_history_commits()[0].id)
    assert [e.path for e in old] == ["README.md", "config.json"]
    expanded = list(api.list_repo_tree("acme/history", expand=True))
    assert expanded and all(e.last_commit is None for e in expanded)
    with pytest.raises(EntryNotFoundError):
        list(api.list_repo_tree("acme/history", "nope"))


def test_list_repo_tree_paginates(repo_hub):
    entries = list(HfApi(endpoint=repo_hub.url).list_repo_tree("acme/wide", "data"))
    assert [e.path for e in entries] == [f"data/{i:05d}.txt" for i in range(WIDE_FILES)]
    assert len([line for line in _log(repo_hub) if "/tree/" in line["path"]]) == 2


def test_list_repo_refs(repo_hub):
    refs = HfApi(endpoint=repo_hub.url).list_repo_refs("acme/history", include_pull_requests=True)
    commits = _history_commits()
    assert {(b.name, b.ref, b.target_commit) for b in refs.branches} == {
        ("main", "refs/heads/main", commits[-1].id), ("feature/x", "refs/heads/feature/x", commits[50].id)}
    assert [(t.name, t.ref, t.target_commit) for t in refs.tags] == [("v1.0", "refs/tags/v1.0", commits[TAG_AT].id)]
    assert refs.converts == [] and refs.pull_requests == []


def test_hf_hub_download(repo_hub, tmp_path):
    commits = _history_commits()
    path = _download(repo_hub, tmp_path, "acme/history", "README.md")
    assert Path(path).read_bytes() == commits[-1].files["README.md"]
    path = _download(repo_hub, tmp_path, "acme/history", "README.md", revision=commits[3].id)
    assert Path(path).read_bytes() == commits[3].files["README.md"]
    path = _download(repo_hub, tmp_path, "acme/history", "weights/model.safetensors")
    assert Path(path).stat().st_size == 3_000 + HISTORY - 1
    assert Path(_download(repo_hub, tmp_path, "legacy", "README.md")).read_bytes() == b"legacy card"
    requests = [(line["method"], line["path"], line["status"]) for line in _log(repo_hub)
                if line["bucket"] == "resolvers"]
    # As on the real Hub: a regular file's resolve answers 307 into the resolve cache at the commit;
    # hf_hub_download HEADs both, then GETs the cache (three resolver requests).
    cached = f"/api/resolve-cache/models/acme/history/{commits[-1].id}/README.md"
    assert requests[:3] == [("HEAD", "/acme/history/resolve/main/README.md", 307), ("HEAD", cached, 200),
                            ("GET", cached, 200)]
    # An LFS file is answered directly (the real Hub sends it to a CDN host instead).
    assert ("GET", "/acme/history/resolve/main/weights/model.safetensors", 200) in requests


def test_resolve_headers_and_ranges(repo_hub):
    session = get_session()
    base = f"{repo_hub.url}/acme/history/resolve/main"
    head = session.head(f"{base}/README.md")
    readme = _history_commits()[-1].files["README.md"]
    assert head.headers["X-Repo-Commit"] == _history_commits()[-1].id
    assert head.headers["ETag"] == f'"{git_blob_oid(readme)}"'
    assert int(head.headers["Content-Length"]) == len(readme) and "X-Linked-Size" not in head.headers
    lfs = session.head(f"{base}/weights/model.safetensors")
    assert lfs.headers["X-Linked-Etag"] == lfs.headers["ETag"] == f'"{HISTORY - 1:064x}"'
    assert lfs.headers["X-Linked-Size"] == str(3_000 + HISTORY - 1)
    part = session.get(f"{base}/README.md", headers={"Range": "bytes=2-8"})
    assert part.status_code == 206 and part.content == readme[2:9]
    assert part.headers["Content-Range"] == f"bytes 2-8/{len(readme)}"


# ---------------------------------------------------------------- errors


def test_not_found_errors_map_to_client_classes(repo_hub, tmp_path):
    api = HfApi(endpoint=repo_hub.url)
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("nobody/nothing")
    with pytest.raises(RepositoryNotFoundError):
        api.list_repo_commits("nobody/nothing")
    with pytest.raises(RepositoryNotFoundError):
        _download(repo_hub, tmp_path, "nobody/nothing", "README.md")
    with pytest.raises(RevisionNotFoundError):
        api.model_info("acme/history", revision="no-such-branch")
    with pytest.raises(RevisionNotFoundError):
        _download(repo_hub, tmp_path, "acme/history", "README.md", revision="0" * 40)
    with pytest.raises(EntryNotFoundError):
        _download(repo_hub, tmp_path, "acme/history", "missing.txt")
    with pytest.raises(EntryNotFoundError):  # the file appears only at a later commit
        _download(repo_hub, tmp_path, "acme/history", "docs/a/b.md", revision=_history_commits()[0].id)
    r = get_session().get(f"{repo_hub.url}/api/spaces/some/where")
    assert r.status_code == 404 and "/api/spaces/some/where" in r.json()["error"]
    assert get_session().get(f"{repo_hub.url}/api/models/nobody/nothing").headers["X-Error-Code"] == "RepoNotFound"


def test_broken_row_names_the_model(repo_hub, tmp_path):
    api = HfApi(endpoint=repo_hub.url)
    with pytest.raises(HfHubHTTPError) as info:
        api.model_info("acme/broken")
    assert info.value.response.status_code == 500
    assert "snapshot row for model 'acme/broken' holds broken JSON" in str(info.value)
    page = get_session().get(f"{repo_hub.url}/api/models")  # the client would retry a 500 for ~20 s
    assert page.status_code == 500 and "'acme/broken'" in page.json()["error"]
    with pytest.raises(HfHubHTTPError, match="snapshot row for model 'acme/broken'"):
        hf_raise_for_status(page)
    # Everything that does not touch the row still works.
    assert api.model_info("acme/history").id == "acme/history"
    assert [c.commit_id for c in api.list_repo_commits("acme/broken")] == ["d" * 40]
    assert Path(_download(repo_hub, tmp_path, "acme/broken", "README.md")).read_bytes() == b"b"
    assert len(get_session().get(f"{repo_hub.url}/api/models", params={"limit": 2}).json()) == 2


# ---------------------------------------------------------------- stress switches


def test_rate_limit_answers_429_with_hub_headers(repo_dir):
    config = HubConfig(rate_limits={"api": 3}, window_seconds=60)
    with ReplayHub(repo_dir, config=config) as hub:
        session = get_session()
        url = f"{hub.url}/api/models/legacy"
        for remaining in (2, 1, 0):
            r = session.get(url)
            assert r.status_code == 200
            info = parse_ratelimit_headers(r.headers)
            assert (info.resource_type, info.remaining, info.limit, info.window_seconds) == ("api", remaining, 3, 60)
            assert 0 < info.reset_in_seconds <= 60
        r = session.get(url)
        assert r.status_code == 429
        assert r.headers["RateLimit-Policy"] == '"fixed window";"api";q=3;w=60'
        assert r.headers["RateLimit"].startswith('"api";r=0;t=')
        assert 0 < int(r.headers["Retry-After"]) <= 60
        with pytest.raises(HfHubHTTPError, match="reached your 'api' rate limit") as error:
            hf_raise_for_status(r)
        assert error.value.response.status_code == 429
        # Other buckets are not limited and carry no rate-limit headers.
        resolved = session.head(f"{hub.url}/legacy/resolve/main/README.md")
        assert resolved.status_code == 200 and "RateLimit" not in resolved.headers
        assert hub.stats.count("api", 429) == 1 and hub.stats.count("api", 200) == 3


def test_rate_limit_window_resets(repo_dir):
    with ReplayHub(repo_dir, config=HubConfig(rate_limits={"api": 1}, window_seconds=1)) as hub:
        session = get_session()
        url = f"{hub.url}/api/models/legacy"
        for _ in range(5):  # a window boundary may fall between two requests
            r = session.get(url)
            if r.status_code == 429:
                break
        assert r.status_code == 429
        time.sleep(int(r.headers["Retry-After"]))
        assert session.get(url).status_code == 200


def test_client_pagination_waits_out_a_429(listing_dir):
    # list_models retries a 429 itself, sleeping for the advertised reset: the listing must still complete.
    with ReplayHub(listing_dir, config=HubConfig(rate_limits={"api": 2}, window_seconds=1)) as hub:
        ids = [m.id for m in HfApi(endpoint=hub.url).list_models(expand=["downloads"])]
        assert len(ids) == len(set(ids)) == N_LISTED
        assert hub.stats.count("api", 200) == 3


def test_error_rate_one_always_fails(repo_dir):
    with ReplayHub(repo_dir, config=HubConfig(error_rate=1.0)) as hub:
        with pytest.raises(HfHubHTTPError) as info:
            HfApi(endpoint=hub.url).model_info("legacy")
        assert info.value.response.status_code == 500
        assert hub.stats.count(status=500) == 1


def test_error_rate_is_seeded_and_per_bucket(repo_dir):
    def statuses(seed: int) -> list[int]:
        with ReplayHub(repo_dir, config=HubConfig(error_rate=0.5, seed=seed)) as hub:
            return [get_session().get(f"{hub.url}/api/models/legacy").status_code for _ in range(30)]

    first = statuses(7)
    assert first == statuses(7) and set(first) == {200, 500} and first != statuses(8)
    with ReplayHub(repo_dir, config=HubConfig(error_rate={"resolvers": 1.0})) as hub:
        assert get_session().get(f"{hub.url}/api/models/legacy").status_code == 200
        assert get_session().get(f"{hub.url}/legacy/resolve/main/README.md").status_code == 500


def test_latency(repo_dir):
    with ReplayHub(repo_dir, config=HubConfig(latency_ms={"api": 150})) as hub:
        started = time.perf_counter()
        get_session().get(f"{hub.url}/api/models/legacy").raise_for_status()
        assert time.perf_counter() - started >= 0.15
        started = time.perf_counter()
        get_session().head(f"{hub.url}/legacy/resolve/main/README.md").raise_for_status()
        assert time.perf_counter() - started < 0.15


def test_request_log_and_stats(repo_hub):
    session = get_session()
    session.get(f"{repo_hub.url}/api/models/legacy", params=[("expand", "sha"), ("expand", "likes")])
    session.head(f"{repo_hub.url}/legacy/resolve/main/README.md")
    session.get(f"{repo_hub.url}/legacy")
    lines = _log(repo_hub)
    cached = lines[2]["path"]
    assert [(x["method"], x["path"], x["status"], x["bucket"]) for x in lines] == [
        ("GET", "/api/models/legacy", 200, "api"),
        ("HEAD", "/legacy/resolve/main/README.md", 307, "resolvers"),  # the session follows it:
        ("HEAD", cached, 200, "resolvers"),
        ("GET", "/legacy", 404, "pages"),
    ]
    assert re.fullmatch(r"/api/resolve-cache/models/legacy/[0-9a-f]{40}/README\.md", cached)
    assert lines[0]["query"] == {"expand": ["sha", "likes"]} and lines[1]["query"] == {}
    assert set(lines[2]["query"]) == {"/legacy/resolve/main/README.md", "etag"}
    assert all(x["ts"].endswith("Z") and x["latency_ms"] >= 0 for x in lines)
    stats = repo_hub.stats
    assert stats.total == 4 and stats.by_bucket == {"api": 1, "resolvers": 2, "pages": 1}
    assert stats.by_status == {200: 2, 307: 1, 404: 1}


def test_parse_rate_limit():
    assert parse_rate_limit("api=500,resolvers=3000") == {"api": 500, "resolvers": 3000}
    assert parse_rate_limit(" pages = 7 ") == {"pages": 7}
    assert parse_rate_limit("") == {}
    assert parse_rate_limit("free") == {"api": 1000, "resolvers": 5000, "pages": 200}
    for bad in ("api", "web=3", "api=many"):
        with pytest.raises(ValueError):
            parse_rate_limit(bad)
