"""Cards miner against the replay hub: only new or changed shas cost requests; cards land in DuckDB."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from helpers import query

from core.config import Paths
from miners.cards import crawl_cards
from miners.models import crawl_models
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import Commit, SnapshotWriter
from warehouse.db import connect_reader
from warehouse.load import load_pending

T0 = datetime(2026, 11, 1, tzinfo=UTC)
T1 = datetime(2026, 11, 2, tzinfo=UTC)


def write_hub(path, readmes: dict[str, bytes | None], shas: dict[str, str]):
    with SnapshotWriter(path, source="test") as writer:
        for repo_id, readme in readmes.items():
            files = {"config.json": b"{}"}
            if readme is not None:
                files["README.md"] = readme
            commit = Commit(id=shas[repo_id], date="2026-10-01T00:00:00.000Z", files=files)
            writer.add_model({"id": repo_id, "sha": shas[repo_id], "downloads": 1}, commits=[commit])


def run(paths, hub_dir, when, log):
    with ReplayHub(hub_dir, config=HubConfig(request_log=log)) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=when, progress=False)
        return crawl_cards(paths=paths, endpoint=hub.url, fetched_at=when, progress=False)


def resolver_requests(log) -> list[str]:
    return [r["path"] for r in map(json.loads, log.read_text().splitlines()) if "/resolve/" in r["path"]]


def test_cards_are_fetched_once_per_sha_and_land_in_the_warehouse(tmp_path):
    paths = Paths(tmp_path / "home")
    readmes = {"a/full": b"---\nlicense: mit\n---\n# A model\n\nText.\n", "a/none": None,
               "b/latin1": b"# Caf\xe9\n"}
    shas = {repo: f"{i + 1:040x}" for i, repo in enumerate(readmes)}
    write_hub(tmp_path / "day0", readmes, shas)
    log0 = tmp_path / "day0.jsonl"
    first = run(paths, tmp_path / "day0", T0, log0)
    assert (first.attempted, first.ok, first.missing, first.errors) == (3, 2, 1, 0)
    assert all(shas[p.split("/resolve/")[0].strip("/")] in p for p in resolver_requests(log0))

    # Day 1: one card edited (new sha), the rest untouched: one repo fetched, nothing else.
    shas["a/full"] = "f" * 40
    readmes["a/full"] = b"# A model, now documented\n\n## Uses\n\nMany.\n"
    write_hub(tmp_path / "day1", readmes, shas)
    log1 = tmp_path / "day1.jsonl"
    second = run(paths, tmp_path / "day1", T1, log1)
    assert (second.attempted, second.ok) == (1, 1)
    assert {p.split("/resolve/")[0].strip("/") for p in resolver_requests(log1)} == {"a/full"}

    # Day 1 again: nothing changed, no per-repo request at all.
    log2 = tmp_path / "again.jsonl"
    third = run(paths, tmp_path / "day1", T1.replace(hour=1), log2)
    assert third.attempted == 0 and resolver_requests(log2) == []

    load_pending(paths)
    con = connect_reader(paths.warehouse)
    try:
        cards = dict(con.sql("SELECT model_id, status || ':' || coalesce(text, '') FROM cards").fetchall())
        invalid = con.sql("SELECT model_id FROM cards WHERE NOT utf8_valid").fetchall()
        history = con.sql("SELECT count(*) FROM core.cards WHERE model_id = 'a/full'").fetchall()
    finally:
        con.close()
    assert cards["a/full"] == "ok:" + readmes["a/full"].decode()
    assert cards["a/none"] == "missing:"
    assert cards["b/latin1"] == "ok:# Caf\ufffd\n" and invalid == [("b/latin1",)]
    assert history == [(2,)]


def test_a_huge_card_is_cut_and_flagged_not_fatal(tmp_path):
    from miners.cards import MAX_CARD_BYTES

    paths = Paths(tmp_path / "home")
    huge = b"# Big\n\n" + b"lorem ipsum dolor sit amet " * (MAX_CARD_BYTES // 27 + 50_000)
    write_hub(tmp_path / "hub", {"a/huge": huge, "a/small": b"# Small\n"}, {"a/huge": "1" * 40, "a/small": "2" * 40})
    result = run(paths, tmp_path / "hub", T0, tmp_path / "log.jsonl")
    assert (result.ok, result.errors) == (2, 0)
    load_pending(paths)
    rows = dict(query(paths, "SELECT model_id, [truncated::VARCHAR, size::VARCHAR, length(text)::VARCHAR] FROM cards"))
    assert rows["a/huge"] == ["true", str(MAX_CARD_BYTES), str(MAX_CARD_BYTES)]
    assert rows["a/small"][0] == "false"


def test_a_disabled_repo_is_a_settled_card_status_not_an_error_retried_every_run(tmp_path):
    """The Hub refuses every request about a disabled repo (403, ``X-Error-Message`` only; see
    test_history_miner's REAL_DISABLED_ANSWER): its card is ``disabled``, and the next run asks nothing."""
    paths = Paths(tmp_path / "home")
    with SnapshotWriter(tmp_path / "hub", source="test") as writer:
        for i, (repo_id, disabled) in enumerate([("a/on", False), ("a/off", True)]):
            commit = Commit(id=f"{i + 1:040x}", date="2026-10-01T00:00:00.000Z", files={"README.md": b"# Card\n"})
            writer.add_model({"id": repo_id, "sha": commit.id, "downloads": 1, "disabled": disabled}, commits=[commit])
    first = run(paths, tmp_path / "hub", T0, tmp_path / "day0.jsonl")
    assert (first.attempted, first.ok, first.disabled, first.errors) == (2, 1, 1, 0)
    log = tmp_path / "again.jsonl"
    again = run(paths, tmp_path / "hub", T1, log)
    assert again.attempted == 0 and resolver_requests(log) == []
    load_pending(paths)
    assert dict(query(paths, "SELECT model_id, status FROM core.cards")) == {"a/on": "ok", "a/off": "disabled"}
