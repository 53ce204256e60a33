"""README downloads as the real Hub serves them: a relative 307 from ``resolve`` into
``/api/resolve-cache/models/...``, both on the resolvers bucket (fixture: tests/data/real_resolve_readme.json).
The replay hub answers in the recorded form; the cards miner spends two resolver requests per card,
and its manifest counts exactly what the server saw."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pyarrow.parquet as pq
import pytest
from huggingface_hub.utils import get_session, parse_ratelimit_headers

from core.config import Paths
from miners.cards import MAX_CARD_BYTES, crawl_cards
from miners.landing import read_manifest
from miners.models import crawl_models
from miners.resilience import CHECK_BODY_BYTES
from miners.tiers import bucket_of
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import Commit, SnapshotWriter, git_blob_oid

REAL = json.loads((Path(__file__).parent / "data" / "real_resolve_readme.json").read_text())
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
SHA = "ab" * 20
CARD = b"---\nlicense: mit\n---\n# A card\n"


def _location_form(location: str) -> tuple[list[str], list[tuple[str, str]]]:
    """A Location's path segments and query pairs, with the repo, sha and blob id replaced by names."""
    split = urlsplit(location)
    return split.path.split("/"), parse_qsl(split.query, keep_blank_values=True)


@pytest.fixture(scope="module")
def hub_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("resolve_hub")
    with SnapshotWriter(out, source="test") as writer:
        for i in range(6):
            files = {"config.json": b"{}"}
            if i != 5:
                files["README.md"] = CARD + b"model %d\n" % i
            sha = f"{i + 1:040x}" if i else SHA
            writer.add_model({"id": f"owner/m{i}", "sha": sha}, commits=[Commit(id=sha, date="2026-10-01T00:00:00.000Z",
                                                                               files=files)])
    return out


def test_buckets_as_the_hub_counts_them():
    assert bucket_of("/owner/m0/resolve/main/README.md") == "resolvers"
    assert bucket_of(f"/api/resolve-cache/models/owner/m0/{SHA}/README.md") == "resolvers"
    assert bucket_of("/api/models/owner/m0") == "api"
    assert bucket_of("/api/agent-harnesses") == "api"
    assert bucket_of("/owner/m0") == "pages"
    # Hashing a body it let through needs all of it; a cut card must be longer than that.
    assert MAX_CARD_BYTES <= CHECK_BODY_BYTES


def test_resolve_answers_the_recorded_307_and_the_cache_the_file(hub_dir):
    real = REAL["resolve"]
    real_path, real_query = _location_form(real["location"])
    with ReplayHub(hub_dir, config=HubConfig(rate_limits={"resolvers": 3000})) as hub:
        session = get_session()
        for method in ("HEAD", "GET"):
            r = session.request(method, f"{hub.url}/owner/m0/resolve/main/README.md", follow_redirects=False)
            assert r.status_code == real["status"] and r.headers["content-type"] == real["content_type"]
            assert all(name in r.headers for name in real["also"])
            location = r.headers["Location"]
            assert not location.startswith("http")  # relative, as recorded
            path, query = _location_form(location)
            # Same form: /api/resolve-cache/models/{owner}/{name}/{sha}/README.md, then the original
            # path as a key with an empty value, then etag="<blob id>".
            assert path[:4] == real_path[:4] and path[4:6] == ["owner", "m0"] and path[6] == SHA
            assert path[7:] == real_path[7:] == ["README.md"]
            assert [k for k, _ in query] == ["/owner/m0/resolve/main/README.md", "etag"]
            assert [k for k, _ in real_query] == [real["request"], "etag"]
            blob = git_blob_oid(CARD + b"model 0\n")
            assert query[0][1] == real_query[0][1] == "" and query[1][1] == f'"{blob}"'
            assert r.headers["X-Repo-Commit"] == SHA and r.headers["X-Linked-Etag"] == f'"{blob}"'
            info, recorded = parse_ratelimit_headers(r.headers), parse_ratelimit_headers(
                {"ratelimit": real["ratelimit"], "ratelimit-policy": real["ratelimit_policy"]})
            assert info.resource_type == recorded.resource_type == "resolvers" and info.limit == 3000

        cached = session.get(f"{hub.url}{location}", follow_redirects=False)
        assert cached.status_code == REAL["resolve_cache"]["status"]
        assert cached.headers["content-type"] == REAL["resolve_cache"]["content_type"]
        assert all(name in cached.headers for name in REAL["resolve_cache"]["headers"])
        assert cached.content == CARD + b"model 0\n" and cached.headers["ETag"] == f'"{blob}"'
        assert parse_ratelimit_headers(cached.headers).resource_type == "resolvers"
        # The cache serves commits, not branches.
        at_branch = session.get(f"{hub.url}/api/resolve-cache/models/owner/m0/main/README.md")
        assert at_branch.status_code == REAL["resolve_cache_at_branch_name"]
        missing = session.get(f"{hub.url}/owner/m5/resolve/main/README.md")
        assert missing.status_code == 404 and missing.headers["X-Error-Code"] == "EntryNotFound"
        # HEAD and GET of resolve (not followed), the cache, the branch name, the missing README.
        assert hub.stats.count("resolvers") == 5 and hub.stats.count("api") == 0


def test_cards_cost_two_resolver_requests_and_the_manifest_counts_what_the_server_saw(hub_dir, tmp_path):
    paths = Paths(tmp_path / "home")
    log = tmp_path / "log.jsonl"
    with ReplayHub(hub_dir, config=HubConfig(request_log=log, rate_limits={"resolvers": 3000})) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        hub.reset_stats()
        result = crawl_cards(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        seen = hub.stats
    assert (result.attempted, result.ok, result.missing, result.errors) == (6, 5, 1, 0)
    manifest = read_manifest(result.run_dir)
    # Five cards at 2 requests (307 + cache), one missing README at 1 (a 404 straight away).
    assert seen.count("resolvers") == manifest["resolver_requests"] == result.requests == 5 * 2 + 1
    assert seen.count("api") == 0 and seen.count("pages") == 0
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    cards = [r for r in rows if r["bucket"] == "resolvers"]
    assert {r["method"] for r in cards} == {"GET"}  # no HEAD: the sha is pinned
    per_repo = {}
    for r in cards:
        repo = re.sub(r"^/(api/resolve-cache/models/)?(owner/m\d).*", r"\2", r["path"])
        per_repo[repo] = per_repo.get(repo, 0) + 1
    assert max(per_repo.values()) <= 2 and per_repo["owner/m5"] == 1
    assert all(SHA in r["path"] for r in cards if "owner/m0/" in r["path"])  # at the listed sha, not main


def test_a_listed_repo_gone_by_fetch_time_is_repo_missing_and_costs_one_request(hub_dir, tmp_path):
    paths = Paths(tmp_path / "home")
    listed = tmp_path / "listed"
    with SnapshotWriter(listed, source="test") as writer:
        writer.add_model({"id": "owner/m0", "sha": SHA},
                         commits=[Commit(id=SHA, date="2026-10-01T00:00:00.000Z", files={"README.md": CARD})])
        writer.add_model({"id": "owner/gone", "sha": "cd" * 20},
                         commits=[Commit(id="cd" * 20, date="2026-10-01T00:00:00.000Z", files={"README.md": CARD})])
    with ReplayHub(listed) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
    with ReplayHub(hub_dir) as hub:  # the Hub a moment later: owner/gone deleted
        result = crawl_cards(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        seen = hub.stats
    rows = {r["id"]: r for r in pq.read_table(result.run_dir).to_pylist()}
    assert rows["owner/gone"]["status"] == "repo_missing" and rows["owner/gone"]["error"] is None
    assert rows["owner/m0"]["status"] == "ok" and rows["owner/m0"]["text"] == (CARD + b"model 0\n").decode()
    assert seen.count("resolvers", 404) == 1 and seen.count("resolvers") == 3 == result.requests


def test_a_card_longer_than_the_transport_hashes_is_streamed_and_cut(tmp_path):
    big = b"# Big\n\n" + b"0123456789abcdef" * (CHECK_BODY_BYTES // 16 + 4096)  # past what the transport reads
    hub_dir = tmp_path / "hub"
    with SnapshotWriter(hub_dir, source="test") as writer:
        writer.add_model({"id": "owner/big", "sha": SHA},
                         commits=[Commit(id=SHA, date="2026-10-01T00:00:00.000Z", files={"README.md": big})])
    paths = Paths(tmp_path / "home")
    with ReplayHub(hub_dir, config=HubConfig(filler_cap_bytes=len(big))) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
        result = crawl_cards(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
    (row,) = pq.read_table(result.run_dir).to_pylist()
    assert (row["status"], row["truncated"], row["size"]) == ("ok", True, MAX_CARD_BYTES)
    assert row["text"].encode() == big[:MAX_CARD_BYTES]
    assert result.requests == 2
