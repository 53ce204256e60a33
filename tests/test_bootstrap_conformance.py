"""The two facts of the real Hub the cheap first cards run stands on, held against the replay hub:

- a models listing names each repo's files (``siblings``) by ``rfilename`` only, expanded or
  ``full``: blob ids and sizes come per repo (huggingface_hub's ``RepoSibling`` says so), so the
  listing can tell that a repo has no README.md, never whether its README changed;
- a README's resolve answers a 307 whose ``Location`` names the README's git blob id in its
  ``etag`` parameter (recorded: tests/data/real_resolve_readme.json), which is what lets a dump
  card be confirmed with one request.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx2
import pyarrow.parquet as pq
import pytest
from helpers import local_server
from huggingface_hub import HfApi
from huggingface_hub.hf_api import RepoSibling
from huggingface_hub.utils import get_session

from core.config import Paths
from miners.cards import _fetch, git_blob_id, redirect_blob_id
from miners.landing import read_manifest
from miners.models import crawl_models
from replayhub.server import ReplayHub
from replayhub.snapshot import Commit, SnapshotWriter

REAL = json.loads((Path(__file__).parent / "data" / "real_resolve_readme.json").read_text())
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
CARD = b"---\nlicense: mit\n---\n# A card\n"
SHA = "ab" * 20


@pytest.fixture(scope="module")
def hub_dir(tmp_path_factory) -> Path:
    """Four models: m0 and m2 with a README (m2's is an LFS file), m1 without, m3 with a README.md
    only in a subfolder (not the card)."""
    out = tmp_path_factory.mktemp("siblings_hub")
    trees = [{"README.md": CARD, "config.json": b"{}"}, {"config.json": b"{}"},
             {"README.md": {"lfs": {"oid": "ab" * 32, "size": 123}}, "model.bin": {"lfs": {"oid": "cd" * 32,
                                                                                          "size": 9}}},
             {"docs/README.md": b"# docs\n", "config.json": b"{}"}]
    with SnapshotWriter(out, source="test") as writer:
        for i, files in enumerate(trees):
            sha = f"{i + 1:040x}"
            writer.add_model({"id": f"owner/m{i}", "sha": sha,
                              "siblings": [{"rfilename": p, "size": 1, "blobId": "ef" * 20} for p in sorted(files)]},
                             commits=[Commit(id=sha, date="2026-10-01T00:00:00.000Z", files=files)])
    return out


def test_the_library_documents_listed_siblings_as_file_names_only():
    # The fact the listing side rests on, as the client the project uses states it.
    words = " ".join(w for w in RepoSibling.__doc__.split() if w != ">")  # the doc is a quoted block
    assert "only the file names are returned when listing repositories" in words


def test_a_listing_names_siblings_by_file_name_only_expanded_or_full(hub_dir):
    with ReplayHub(hub_dir) as hub:
        session = get_session()
        for query in ("expand=siblings&expand=sha", "full=true"):
            page = session.get(f"{hub.url}/api/models?{query}").json()
            # The stored bodies carry sizes and blob ids; a listing gives none of them.
            assert [{tuple(s) for s in m["siblings"]} for m in page] == [{("rfilename",)}] * 4
        listed = list(HfApi(endpoint=hub.url).list_models(expand=["siblings"]))
        detailed = HfApi(endpoint=hub.url).model_info("owner/m0", files_metadata=True)
    assert all(s.blob_id is None and s.size is None for m in listed for s in m.siblings)
    assert {s.rfilename: s.blob_id for s in detailed.siblings}["README.md"] == git_blob_id(CARD)


def test_the_models_miner_keeps_whether_the_listing_names_a_readme(hub_dir, tmp_path):
    paths = Paths(tmp_path / "home")
    with ReplayHub(hub_dir) as hub:
        run = crawl_models(paths=paths, endpoint=hub.url, fetched_at=AS_OF, progress=False)
    table = pq.read_table(run.run_dir / read_manifest(run.run_dir)["parts"][0], columns=["id", "readme"])
    assert dict(zip(*(table[c].to_pylist() for c in ("id", "readme")), strict=True)) == {
        "owner/m0": True, "owner/m1": False, "owner/m2": True, "owner/m3": False}


def test_the_blob_id_is_read_from_the_recorded_redirect_and_from_the_replay_hubs():
    real = REAL["resolve"]
    recorded = httpx2.Response(real["status"], headers={"Location": real["location"]})
    assert redirect_blob_id(recorded) == "d846bda33340e465507546572d9d955275625944"
    # Without an etag parameter, X-Linked-Etag (also on the recorded 307) names it.
    assert redirect_blob_id(httpx2.Response(307, headers={"Location": "/elsewhere", "X-Linked-Etag": '"AB12"'})) \
        == "ab12"
    assert redirect_blob_id(httpx2.Response(307, headers={"Location": "/elsewhere"})) is None


def test_the_replay_hubs_redirect_names_the_blob_id_of_what_the_cache_serves(hub_dir):
    with ReplayHub(hub_dir) as hub:
        session = get_session()
        r = session.get(f"{hub.url}/owner/m0/resolve/{1:040x}/README.md", follow_redirects=False)
        served = session.get(f"{hub.url}{r.headers['Location']}")
    assert r.status_code == REAL["resolve"]["status"]
    assert redirect_blob_id(r) == git_blob_id(served.content) == git_blob_id(CARD)


class _Recorder(BaseHTTPRequestHandler):
    """A README at ``/file``, and ``/{repo}/resolve/...`` redirecting to ``self.server.target``."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.seen.append((self.path, self.headers.get("Authorization")))
        if "/resolve/" in self.path:
            self.send_response(307)
            self.send_header("Location", self.server.target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(CARD)))
        self.end_headers()
        self.wfile.write(CARD)

    def log_message(self, *args):
        pass


@contextmanager
def _server(target: str = "/file"):
    with local_server(_Recorder) as (server, url):
        server.seen, server.target = [], target
        yield server, url


def test_the_token_follows_the_readme_redirect_to_the_endpoints_origin_only():
    with _server() as (cdn, cdn_url), _server(f"{cdn_url}/file") as (hub, hub_url), _server() as (same, same_url):
        away = _fetch(hub_url, "hf_secret", "owner/m0", SHA)
        here = _fetch(same_url, "hf_secret", "owner/m0", SHA)
    assert away["text"] == here["text"] == CARD.decode() and away["source"] == here["source"] == "hub"
    assert [a for _, a in hub.seen] == ["Bearer hf_secret"] and [a for _, a in cdn.seen] == [None]
    assert [(p, a) for p, a in same.seen] == [(f"/owner/m0/resolve/{SHA}/README.md", "Bearer hf_secret"),
                                              ("/file", "Bearer hf_secret")]
