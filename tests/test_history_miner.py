"""Versions miner against the replay hub: commits, refs, weight/card events; only changed repos cost requests."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest

from core.config import Paths
from miners.history import crawl_history, fetched_state
from miners.models import crawl_models
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import Commit, SnapshotWriter, lfs_entry
from tests.helpers import query
from warehouse import load as warehouse_load
from warehouse.load import load_pending
from warehouse.load_history import load_history

T0 = datetime(2026, 11, 1, tzinfo=UTC)
T1 = datetime(2026, 11, 2, tzinfo=UTC)
T2 = datetime(2026, 11, 3, tzinfo=UTC)


@pytest.fixture(autouse=True)
def history_loader(monkeypatch):
    monkeypatch.setitem(warehouse_load.LOADERS, "history", load_history)


def cid(repo: str, n: int) -> str:
    return hashlib.sha1(f"{repo}:{n}".encode()).hexdigest()


def sha256(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def weights(label: str, path="model.safetensors", size=1000):
    return lfs_entry(path, sha256(label), size)


def date(n: int) -> str:
    return f"2026-10-{n + 1:02d}T12:00:00.000Z"


def repo_a(extra: bool) -> tuple[list[Commit], list[tuple[str, str, str]]]:
    """Card edits, a weight update, a weight file added then removed; a tag; two more commits when ``extra``."""
    r = "org/a"
    trees = [
        {"README.md": b"# A v1\n", "config.json": b"{}", "model.safetensors": weights("w1")},
        {"README.md": b"# A v2\n", "config.json": b"{}", "model.safetensors": weights("w1")},
        {"README.md": b"# A v2\n", "config.json": b'{"x": 1}', "model.safetensors": weights("w2"),
         "pytorch_model.bin": weights("bin1", "pytorch_model.bin", 2000)},
        {"README.md": b"# A v2\n", "config.json": b'{"x": 1}', "model.safetensors": weights("w2")},
    ]
    if extra:
        trees += [
            {"README.md": b"# A v2\n", "config.json": b'{"x": 1}', "model.safetensors": weights("w3")},
            {"README.md": b"# A v3\n", "config.json": b'{"x": 1}', "model.safetensors": weights("w3")},
        ]
    commits = [Commit(id=cid(r, i), date=date(i), title=f"a commit {i}", message=f"body {i}",
                      authors=("alice",) if i % 2 == 0 else ("alice", "bob"), files=t)
               for i, t in enumerate(trees)]
    refs = [("tag", "v1.0", cid(r, 2))] + ([("tag", "v2.0", cid(r, 5))] if extra else [])
    return commits, refs


def repo_b() -> list[Commit]:
    """No card at first, then one; sub-folder weights that are not in LFS."""
    r = "org/b"
    return [
        Commit(id=cid(r, 0), date=date(0), title="init", files={"onnx/model.onnx": b"small onnx"}),
        Commit(id=cid(r, 1), date=date(1), title="card", files={"onnx/model.onnx": b"small onnx",
                                                                  "README.md": b"# B\n"}),
    ]


def repo_c() -> list[Commit]:
    """Long enough for two pages of the commit log (50 a page); the card changes every 10th commit."""
    r = "org/c"
    return [Commit(id=cid(r, i), date=date(i % 28), title=f"c {i}",
                   files={"README.md": f"# C {i // 10}\n".encode(), "notes.txt": f"{i}".encode()})
            for i in range(60)]


def write_hub(path, *, extra=False, with_gone=False, gone_404=False):
    with SnapshotWriter(path, source="test") as writer:
        commits, refs = repo_a(extra)
        writer.add_model({"id": "org/a", "sha": commits[-1].id, "downloads": 100}, commits=commits, refs=refs)
        b = repo_b()
        writer.add_model({"id": "org/b", "sha": b[-1].id, "downloads": 50}, commits=b)
        c = repo_c()
        writer.add_model({"id": "org/c", "sha": c[-1].id, "downloads": 10}, commits=c)
        if with_gone and not gone_404:
            gone = [Commit(id=cid("gone/x", 0), date=date(0), files={"README.md": b"# X\n"})]
            writer.add_model({"id": "gone/x", "sha": gone[0].id, "downloads": 5}, commits=gone)


def per_repo_requests(log) -> list[str]:
    """Requests other than the listing itself: the ones history and detail miners spend."""
    return [r["path"] for r in map(json.loads, log.read_text().splitlines()) if r["path"] != "/api/models"]


def crawl(paths, hub_dir, when, log, *, list_models=True, **kwargs):
    with ReplayHub(hub_dir, config=HubConfig(request_log=log)) as hub:
        if list_models:
            crawl_models(paths=paths, endpoint=hub.url, fetched_at=when, progress=False)
        return crawl_history(paths=paths, endpoint=hub.url, fetched_at=when, progress=False, **kwargs)


def test_history_lands_commits_and_events_and_refetches_only_changed_repos(tmp_path):
    paths = Paths(tmp_path / "home")
    write_hub(tmp_path / "day0")
    log0 = tmp_path / "day0.jsonl"
    first = crawl(paths, tmp_path / "day0", T0, log0)
    assert (first.selected, first.attempted, first.ok, first.errors) == (3, 3, 3, 0)
    assert (first.commits, first.trees) == (4 + 2 + 60, 66)
    # Per repo: 1 refs + the commit log's pages + 1 tree walk per commit.
    assert first.requests == (1 + 1 + 4) + (1 + 1 + 2) + (1 + 2 + 60)
    assert len(per_repo_requests(log0)) == first.requests

    load_pending(paths)
    commits = query(paths, "SELECT seq, commit_id, date, title, message, authors, tree_fetched FROM commits "
                           "WHERE model_id = 'org/a' ORDER BY seq")
    assert [(s, c, t, m, a, f) for s, c, _, t, m, a, f in commits] == [
        (i, cid("org/a", i), f"a commit {i}", f"body {i}", ["alice"] if i % 2 == 0 else ["alice", "bob"], True)
        for i in range(4)]
    assert [d.astimezone(UTC) for _, _, d, *_ in commits] == [
        datetime(2026, 10, i + 1, 12, tzinfo=UTC) for i in range(4)]
    assert query(paths, "SELECT model_id, count(*), min(seq), max(seq) FROM commits GROUP BY 1 ORDER BY 1") == [
        ("org/a", 4, 0, 3), ("org/b", 2, 0, 1), ("org/c", 60, 0, 59)]
    # org/c's log is in the Hub's order, whatever its dates say.
    assert query(paths, "SELECT commit_id FROM commits WHERE model_id = 'org/c' AND seq = 33") == [
        (cid("org/c", 33),)]

    events = query(paths, "SELECT model_id, commit_id, path, change, old_lfs_oid, new_lfs_oid FROM weight_changes "
                          "ORDER BY model_id, seq, path")
    assert events == [
        ("org/a", cid("org/a", 0), "model.safetensors", "added", None, sha256("w1")),
        ("org/a", cid("org/a", 2), "model.safetensors", "modified", sha256("w1"), sha256("w2")),
        ("org/a", cid("org/a", 2), "pytorch_model.bin", "added", None, sha256("bin1")),
        ("org/a", cid("org/a", 3), "pytorch_model.bin", "removed", sha256("bin1"), None),
        ("org/b", cid("org/b", 0), "onnx/model.onnx", "added", None, None),
    ]
    cards = query(paths, "SELECT model_id, seq, change FROM card_changes ORDER BY model_id, seq")
    assert cards == [("org/a", 0, "added"), ("org/a", 1, "modified"), ("org/b", 1, "added")] + [
        ("org/c", s, "added" if s == 0 else "modified") for s in range(0, 60, 10)]
    # Only weights and README.md are kept from each tree.
    assert query(paths, "SELECT count(*) FROM core.commit_files WHERE path NOT IN "
                        "('README.md', 'model.safetensors', 'pytorch_model.bin', 'onnx/model.onnx')") == [(0,)]
    assert query(paths, "SELECT model_id, kind, name, target_commit, target_date IS NOT NULL FROM model_refs "
                        "WHERE model_id = 'org/a' ORDER BY kind, name") == [
        ("org/a", "branch", "main", cid("org/a", 3), True), ("org/a", "tag", "v1.0", cid("org/a", 2), True)]

    # The same hub again: nothing changed, not one per-repo request.
    log1 = tmp_path / "again.jsonl"
    again = crawl(paths, tmp_path / "day0", T1, log1)
    assert (again.selected, again.attempted, again.requests) == (3, 0, 0)
    assert per_repo_requests(log1) == []

    # Day 2: org/a got two commits and a tag. Only org/a is fetched: its refs, one page of the
    # log (stopping at the head fetched before) and the trees of the two new commits.
    write_hub(tmp_path / "day2", extra=True)
    log2 = tmp_path / "day2.jsonl"
    third = crawl(paths, tmp_path / "day2", T2, log2)
    assert (third.attempted, third.ok, third.commits, third.trees, third.requests) == (1, 1, 2, 2, 4)
    requested = per_repo_requests(log2)
    assert all(p.startswith("/api/models/org/a/") for p in requested)
    assert sorted(p for p in requested if "/tree/" in p) == sorted(
        f"/api/models/org/a/tree/{cid('org/a', i)}" for i in (4, 5))

    load_pending(paths)
    assert query(paths, "SELECT seq, commit_id FROM commits WHERE model_id = 'org/a' AND seq >= 3 ORDER BY seq") == [
        (i, cid("org/a", i)) for i in (3, 4, 5)]
    assert query(paths, "SELECT seq, path, change, old_lfs_oid, new_lfs_oid FROM weight_changes "
                        "WHERE model_id = 'org/a' AND seq >= 3 ORDER BY seq") == [
        (3, "pytorch_model.bin", "removed", sha256("bin1"), None),
        (4, "model.safetensors", "modified", sha256("w2"), sha256("w3"))]
    assert query(paths, "SELECT seq, change FROM card_changes WHERE model_id = 'org/a' ORDER BY seq") == [
        (0, "added"), (1, "modified"), (5, "modified")]
    assert query(paths, "SELECT name, target_commit FROM model_refs WHERE model_id = 'org/a' AND kind = 'tag' "
                        "ORDER BY name") == [("v1.0", cid("org/a", 2)), ("v2.0", cid("org/a", 5))]
    assert query(paths, "SELECT count(*) FROM core.commits") == [(68,)]
    # Re-loading changes nothing.
    assert all(r.skipped for r in load_pending(paths))
    assert query(paths, "SELECT count(*) FROM core.commits") == [(68,)]


def test_a_missing_repo_is_an_error_row_retried_next_run(tmp_path):
    paths = Paths(tmp_path / "home")
    write_hub(tmp_path / "listed", with_gone=True)
    write_hub(tmp_path / "gone", with_gone=True, gone_404=True)
    with ReplayHub(tmp_path / "listed") as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=T0, progress=False)
    # Listed, then deleted before its history was read.
    first = crawl(paths, tmp_path / "gone", T0, tmp_path / "a.jsonl", list_models=False)
    assert (first.attempted, first.ok, first.errors) == (4, 3, 1)
    assert "gone/x" not in fetched_state(paths)["id"].to_pylist()
    load_pending(paths)
    assert query(paths, "SELECT model_id, status, http_status FROM core.history_fetches WHERE status <> 'ok'") == [
        ("gone/x", "error", 404)]
    assert query(paths, "SELECT count(*) FROM commits WHERE model_id = 'gone/x'") == [(0,)]

    # Back again: only the failed repo is attempted.
    log = tmp_path / "b.jsonl"
    second = crawl(paths, tmp_path / "listed", T1, log, list_models=False)
    assert (second.attempted, second.ok, second.errors, second.commits) == (1, 1, 0, 1)
    assert {p.split("/")[3] + "/" + p.split("/")[4] for p in per_repo_requests(log)} == {"gone/x"}
    load_pending(paths)
    assert query(paths, "SELECT count(*) FROM commits WHERE model_id = 'gone/x'") == [(1,)]


def test_policy_top_n_and_authors_and_tree_cap(tmp_path):
    paths = Paths(tmp_path / "home")
    write_hub(tmp_path / "hub")
    result = crawl(paths, tmp_path / "hub", T0, tmp_path / "log.jsonl", top_n=1, authors=("nobody",),
                   max_trees_per_repo=2)
    assert (result.selected, result.attempted, result.commits, result.trees) == (1, 1, 4, 2)
    load_pending(paths)
    assert query(paths, "SELECT seq, tree_fetched FROM commits ORDER BY seq") == [
        (0, False), (1, False), (2, True), (3, True)]
    # Events only between commits whose trees were read: seq 3 against seq 2.
    assert query(paths, "SELECT seq, path, change FROM weight_changes") == [(3, "pytorch_model.bin", "removed")]
    # A tracked repo stays followed when the policy no longer names it; unchanged, it costs nothing.
    again = crawl(paths, tmp_path / "hub", T1, tmp_path / "log2.jsonl", top_n=0, repos=("org/b", "no/such"))
    assert (again.selected, again.attempted, again.not_listed) == (2, 1, ["no/such"])


def test_rewritten_history_retires_vanished_commits(tmp_path):
    paths = Paths(tmp_path / "home")
    write_hub(tmp_path / "day0")
    crawl(paths, tmp_path / "day0", T0, tmp_path / "a.jsonl", repos=("org/a",), top_n=0)
    # A squash: org/a's log is now one new commit.
    with SnapshotWriter(tmp_path / "day1", source="test") as writer:
        squashed = [Commit(id=cid("org/a", 99), date=date(9), title="squash",
                           files={"README.md": b"# A v2\n", "model.safetensors": weights("w2")})]
        writer.add_model({"id": "org/a", "sha": squashed[0].id, "downloads": 100}, commits=squashed)
    result = crawl(paths, tmp_path / "day1", T1, tmp_path / "b.jsonl", repos=("org/a",), top_n=0)
    assert (result.attempted, result.commits) == (1, 1)
    load_pending(paths)
    assert query(paths, "SELECT seq, commit_id FROM commits") == [(0, cid("org/a", 99))]
    assert query(paths, "SELECT count(*) FROM core.commits WHERE removed_run IS NOT NULL") == [(4,)]
    assert query(paths, "SELECT path, change FROM weight_changes") == [("model.safetensors", "added")]


# -- a disabled repo (issue 14, item 7) --------------------------------------------------------------------
# The real Hub's answer to any request about a disabled repo, as recorded in huggingface_hub's own
# documentation of DisabledRepoError (a dataset_info call on a disabled repo) and matched by its
# hf_raise_for_status: status 403, the reason in X-Error-Message only, no X-Error-Code.
REAL_DISABLED_ANSWER = {"status": 403, "headers": {"x-error-message": "Access to this resource is disabled."},
                        "absent_headers": ["x-error-code"]}


def write_d_hub(path, *, commits: int, disabled: bool):
    """org/b as in write_hub, and org/d with ``commits`` commits, disabled or not."""
    with SnapshotWriter(path, source="test") as writer:
        b = repo_b()
        writer.add_model({"id": "org/b", "sha": b[-1].id, "downloads": 50}, commits=b)
        d = [Commit(id=cid("org/d", i), date=date(i), title=f"d {i}", files={"README.md": f"# D {i}\n".encode()})
             for i in range(commits)]
        writer.add_model({"id": "org/d", "sha": d[-1].id, "downloads": 70, "disabled": disabled}, commits=d)


def test_the_replay_hub_answers_for_a_disabled_repo_as_the_real_hub_does(tmp_path):
    import httpx2
    from huggingface_hub.errors import DisabledRepoError, LocalEntryNotFoundError

    from miners.hubclient import hub_api

    write_d_hub(tmp_path / "hub", commits=2, disabled=True)
    with ReplayHub(tmp_path / "hub") as hub:
        for path in ("/api/models/org/d", "/api/models/org/d/refs", f"/api/models/org/d/commits/{cid('org/d', 1)}",
                     "/api/models/org/d/tree/main", "/org/d/resolve/main/README.md"):
            answer = httpx2.get(hub.url + path)
            assert answer.status_code == REAL_DISABLED_ANSWER["status"], path
            assert {k: answer.headers.get(k) for k in REAL_DISABLED_ANSWER["headers"]} == \
                REAL_DISABLED_ANSWER["headers"], path
            assert all(k not in answer.headers for k in REAL_DISABLED_ANSWER["absent_headers"]), path
        # Listed as the listing shows it, and the client's own calls raise its own error.
        api = hub_api(hub.url, token=False)
        assert {m.id: m.disabled is True for m in api.list_models(expand=["disabled"])} == {"org/b": False, "org/d": True}
        for call in (lambda: api.model_info("org/d"), lambda: api.list_repo_refs("org/d")):
            with pytest.raises(DisabledRepoError):
                call()
        # hf_hub_download wraps its HEAD's error (a miner fetching cards must look at the cause).
        with pytest.raises(LocalEntryNotFoundError) as download:
            api.hf_hub_download("org/d", "README.md", cache_dir=tmp_path / "cache")
        assert isinstance(download.value.__cause__, DisabledRepoError)
        assert api.model_info("org/b").id == "org/b"


def test_a_disabled_repo_is_settled_not_retried_and_its_history_is_kept_for_when_it_returns(tmp_path):
    paths = Paths(tmp_path / "home")
    write_d_hub(tmp_path / "day0", commits=2, disabled=False)
    first = crawl(paths, tmp_path / "day0", T0, tmp_path / "day0.jsonl")
    assert (first.attempted, first.ok, first.errors, first.disabled, first.commits) == (2, 2, 0, 0, 2 + 2)

    # Day 1: org/d got a commit and was disabled. One attempt (its refs, refused), settled as disabled.
    write_d_hub(tmp_path / "day1", commits=3, disabled=True)
    log1 = tmp_path / "day1.jsonl"
    second = crawl(paths, tmp_path / "day1", T1, log1)
    assert (second.attempted, second.ok, second.errors, second.disabled, second.commits) == (1, 0, 0, 1, 0)
    assert per_repo_requests(log1) == ["/api/models/org/d/refs"]
    state = {r["id"]: r for r in fetched_state(paths).to_pylist()}
    assert (state["org/d"]["sha"], state["org/d"]["commits"], state["org/d"]["disabled_sha"]) == (
        cid("org/d", 1), 2, cid("org/d", 2))
    load_pending(paths)
    assert query(paths, "SELECT model_id, status, http_status FROM core.history_fetches WHERE status <> 'ok'") == [
        ("org/d", "disabled", 403)]
    assert query(paths, "SELECT count(*) FROM crawl_errors") == [(0,)]  # an answer, not a failure to retry

    # The next run does not ask again (the sha is unchanged), and a state rebuilt from the landing zone
    # (a kill between a run's manifest and its state write) says the same.
    log2 = tmp_path / "day1-again.jsonl"
    third = crawl(paths, tmp_path / "day1", T2, log2)
    assert (third.attempted, third.disabled) == (0, 0) and per_repo_requests(log2) == []
    before = fetched_state(paths).sort_by("id")
    for path in paths.state.glob("history_fetched*"):
        path.unlink()
    assert fetched_state(paths).sort_by("id").equals(before)

    # Back, one commit later: fetched from the head landed before, so the commit made while it was
    # disabled is landed too and the log's positions run on without a gap.
    write_d_hub(tmp_path / "day3", commits=4, disabled=False)
    fourth = crawl(paths, tmp_path / "day3", datetime(2026, 11, 4, tzinfo=UTC), tmp_path / "day3.jsonl")
    assert (fourth.attempted, fourth.ok, fourth.disabled, fourth.commits) == (1, 1, 0, 2)
    load_pending(paths)
    assert query(paths, "SELECT seq, commit_id FROM commits WHERE model_id = 'org/d' ORDER BY seq") == [
        (i, cid("org/d", i)) for i in range(4)]
