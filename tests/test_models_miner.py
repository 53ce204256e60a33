"""Models miner details: card metadata lands exactly as the Hub served it; a killed or failed listing
resumes at its saved cursor (real replay hub, real client, real processes and files)."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from helpers import warehouse_checksums
from processes import ForkServer, alive, env

from core.config import Paths
from miners.landing import new_run_id, read_manifest
from miners.listing import check_credential_free
from miners.models import CrawlError, CrawlResult, crawl_models
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import SnapshotWriter
from replayhub.synth import advance, generate
from warehouse.load import load_pending

CARDS = {
    # Not a list of {name, results}: huggingface_hub's ModelCardData would drop it.
    "a/bad-index": {"license": "mit", "model-index": {"name": "x", "results": "oops"}},
    "a/good-index": {"model-index": [{"name": "m", "results": [{"task": {"type": "text-classification"},
                                                                 "dataset": {"type": "imdb", "name": "IMDB"},
                                                                 "metrics": [{"type": "accuracy", "value": 0.9}]}]}]},
    "a/co2": {"co2_eq_emissions": {"emissions": 12.5, "source": "AutoTrain"}, "base_model": ["x/y", "z/w"]},
}


def test_card_metadata_is_landed_verbatim(tmp_path):
    with SnapshotWriter(tmp_path / "hub", source="test") as writer:
        for i, (repo_id, card) in enumerate(CARDS.items()):
            writer.add_model({"id": repo_id, "sha": f"{i:040x}", "cardData": card,
                              "createdAt": "2022-03-02T23:29:04.000Z",
                              "safetensors": {"parameters": {"F16": 7}, "total": 7}})
    paths = Paths(tmp_path / "home")
    with ReplayHub(tmp_path / "hub") as hub:
        result = crawl_models(paths=paths, endpoint=hub.url, progress=False)
    table = pq.read_table(result.run_dir / result.parts[0]).to_pylist()
    landed = {row["id"]: json.loads(row["card_data"]) for row in table}
    assert landed == CARDS
    assert {row["safetensors_total"] for row in table} == {7}
    assert {row["created_at"].isoformat() for row in table} == {"2022-03-02T23:29:04+00:00"}


# ---------------------------------------------------------------- a killed listing resumes at its cursor

MODELS = 5_000  # five pages of 1,000
PART_ROWS = 2_000  # a part (and a resume point) every two pages
PAGES, PAGES_PER_PART = 5, 2
AS_OF = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
LATENCY = {"api": 300}  # ms a page: room to act between two pages of a listing
TOKEN = "hf_FakeResumeTokenForHubmineTests0123456789"


@pytest.fixture(scope="module")
def days(tmp_path_factory) -> tuple[Path, Path]:
    """A generated hub of 5,000 models on two days."""
    root = tmp_path_factory.mktemp("resume_hubs")
    generate(root / "day0", models=MODELS, seed=7, progress=False)
    advance(root / "day0", out=root / "day1", progress=False)
    return root / "day0", root / "day1"


def uninterrupted(snapshot: Path, home: Path, **crawl) -> CrawlResult:
    with ReplayHub(snapshot) as hub:
        return crawl_models(paths=Paths(home), endpoint=hub.url, part_rows=PART_ROWS, progress=False, **crawl)


def landed(run_dir: Path) -> pa.Table:
    """A finished run's rows in listing order (read through its manifest, as the loader reads it)."""
    manifest = read_manifest(run_dir)
    table = pa.concat_tables(pq.read_table(run_dir / part) for part in manifest["parts"])
    return table.sort_by("listed_pos")


def listing_requests(log: Path) -> list[dict]:
    """The listing's pages (not the command's endpoint check, which asks for one model)."""
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    return sorted((r for r in rows if r["path"] == "/api/models" and r["query"].get("limit") != "1"),
                  key=lambda r: r["arrived"])


def cursor_of(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["cursor"]


def resume_point(home: Path) -> tuple[Path, dict]:
    [path] = (home / "landing" / "models").glob("*/_resume.json")
    return path.parent, json.loads(path.read_text())


def test_a_sigkilled_listing_resumes_at_its_saved_cursor(days, tmp_path):
    day0, _ = days
    log = tmp_path / "requests.jsonl"
    environ = {**env(tmp_path), "HF_TOKEN": TOKEN}
    (tmp_path / "logs").mkdir()
    server = ForkServer(environ, tmp_path / "logs")
    home = tmp_path / "killed"
    try:
        with ReplayHub(day0, config=HubConfig(latency_ms=LATENCY, request_log=log)) as hub:
            # No --run-id, no --as-of: the restart has to find the run (the newest, unfinished) and its time.
            args = ["crawl", "models", "--endpoint", hub.url, "--part-rows", str(PART_ROWS), "--no-progress"]
            pid = server.start(home, args)
            # Killed once the page after its first part was answered: that page is listed, not landed.
            while not (log.is_file() and len(listing_requests(log)) >= PAGES_PER_PART + 1):
                assert alive(pid), server.output()
                time.sleep(0.002)
            os.kill(pid, signal.SIGKILL)
            assert server.wait() == -signal.SIGKILL
            run_dir, point = resume_point(home)
            assert sorted(p.name for p in run_dir.iterdir()) == ["_resume.json", "part-00000.parquet"]
            assert (point["models"], point["parts"]) == (PART_ROWS, 1)
            assert cursor_of(point["next_url"]) == listing_requests(log)[PAGES_PER_PART]["query"]["cursor"]
            assert TOKEN not in json.dumps(point) and TOKEN[3:30] not in json.dumps(point)
            # Told apart by arrival: a request of the killed process may still be in the hub's latency.
            restarted_at = time.time()
            server.start(home, args)
            assert server.wait() == 0, server.output()
            output = server.output()
    finally:
        server.close()

    requests = listing_requests(log)
    after = [r for r in requests if r["arrived"] >= restarted_at]
    # The restart's first request asked for the saved cursor, not page 1, and carried the token.
    assert after[0]["query"].get("cursor") == cursor_of(point["next_url"])
    assert all(r["auth"] and r["status"] == 200 for r in requests)
    assert len(after) == PAGES - PAGES_PER_PART
    assert len(requests) <= PAGES + PAGES_PER_PART
    assert f"resumed after {PART_ROWS} models" in output

    manifest = read_manifest(run_dir)
    fetched_at = datetime.fromisoformat(point["fetched_at"])
    assert fetched_at < datetime.fromtimestamp(restarted_at, UTC)  # the first attempt's time, not the restart's
    assert run_dir.name == new_run_id(fetched_at)
    assert manifest["resumed_after_models"] == PART_ROWS and manifest["restarted_after_stale_cursor"] is False
    assert not (run_dir / "_resume.json").exists()
    rows = landed(run_dir)
    assert rows["listed_pos"].to_pylist() == list(range(MODELS))
    assert pc.count_distinct(rows["id"]).as_py() == MODELS
    assert set(rows["fetched_at"].to_pylist()) == {fetched_at}

    reference = uninterrupted(day0, tmp_path / "reference", run_id=run_dir.name, fetched_at=fetched_at)
    assert rows.equals(landed(reference.run_dir))
    assert manifest["parts"] == reference.parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    load_pending(Paths(home))
    load_pending(Paths(tmp_path / "reference"))
    assert warehouse_checksums(Paths(home)) == warehouse_checksums(Paths(tmp_path / "reference"))


def interrupted(paths: Paths, snapshot: Path, **crawl) -> tuple[int, Path]:
    """A listing stopped by a Hub that goes away right after the first part landed: (the hub's port,
    the unfinished run's folder). The CrawlError leaves the part and the resume point."""
    hub = ReplayHub(snapshot, config=HubConfig(latency_ms=LATENCY)).start()

    def stop_after_first_part():
        while not list(paths.landing.glob("models/*/_resume.json")):
            time.sleep(0.002)
        hub.stop()

    stopper = threading.Thread(target=stop_after_first_part)
    stopper.start()
    try:
        with pytest.raises(CrawlError, match=f"after {PART_ROWS} models"):
            crawl_models(paths=paths, endpoint=hub.url, part_rows=PART_ROWS, progress=False, **crawl)
    finally:
        stopper.join(timeout=30)
        hub.stop()
    run_dir, point = resume_point(paths.home)
    assert sorted(p.name for p in run_dir.iterdir()) == ["_resume.json", "part-00000.parquet"]
    assert point["models"] == PART_ROWS
    return hub.port, run_dir


@pytest.mark.parametrize("stale", ["corrupted", "other_day"])
def test_a_refused_cursor_lists_the_run_again_from_page_one(days, tmp_path, caplog, stale):
    day0, day1 = days
    paths = Paths(tmp_path / "home")
    port, run_dir = interrupted(paths, day0, run_id="r", fetched_at=AS_OF)
    point = json.loads((run_dir / "_resume.json").read_text())
    if stale == "corrupted":
        point["next_url"] = point["next_url"].replace("cursor=", "cursor=garbled")
        (run_dir / "_resume.json").write_text(json.dumps(point))
    # The same endpoint serving the same day (a corrupted cursor) or the next day (a cursor of the past).
    snapshot = day1 if stale == "other_day" else day0
    log = tmp_path / "requests.jsonl"
    with ReplayHub(snapshot, port=port, config=HubConfig(request_log=log)) as hub, \
            caplog.at_level(logging.WARNING, logger="miners.models"):
        result = crawl_models(paths=paths, endpoint=hub.url, run_id="r", part_rows=PART_ROWS, progress=False)

    requests = listing_requests(log)
    assert requests[0]["status"] == 400 and requests[0]["query"]["cursor"] == cursor_of(point["next_url"])
    assert "cursor" not in requests[1]["query"] and len(requests) == 1 + PAGES
    assert "refused the saved cursor" in caplog.text and f"discarding the {PART_ROWS} models" in caplog.text
    assert result.restarted_after_stale_cursor and result.resumed_after is None and result.models == MODELS
    manifest = read_manifest(run_dir)
    assert manifest["restarted_after_stale_cursor"] is True and manifest["resumed_after_models"] is None
    # A complete run of what the Hub lists now, standing for the first attempt's time.
    reference = uninterrupted(snapshot, tmp_path / "reference", run_id="r", fetched_at=AS_OF)
    assert landed(run_dir).equals(landed(reference.run_dir))


@pytest.mark.parametrize("hours, resumed", [(5, True), (7, False)])
def test_without_a_run_id_only_a_young_resume_point_is_resumed(days, tmp_path, caplog, hours, resumed):
    day0, _ = days
    paths = Paths(tmp_path / "home")
    port, run_dir = interrupted(paths, day0, fetched_at=AS_OF)
    with pytest.raises(CrawlError, match="was started as of"):  # named, it resumes, but only as of its own time
        crawl_models(paths=paths, endpoint=f"http://127.0.0.1:{port}", run_id=run_dir.name,
                     fetched_at=AS_OF + timedelta(days=1), progress=False)
    point = json.loads((run_dir / "_resume.json").read_text())
    point["saved_at"] = (datetime.now(UTC) - timedelta(hours=hours)).isoformat()
    (run_dir / "_resume.json").write_text(json.dumps(point))
    # Files the resume point does not cover: a part landed after it (an attempt killed before saving
    # the next point; numbered beyond what this run writes, or it would be overwritten anyway) and a
    # temporary file. Kept, they would sit in the finished run, the part's rows a second time.
    (run_dir / "part-00007.parquet").write_bytes((run_dir / "part-00000.parquet").read_bytes())
    (run_dir / "part-00008.parquet.tmp").write_bytes(b"half a part")
    before = {p.name: p.read_bytes() for p in run_dir.iterdir()}
    log = tmp_path / "requests.jsonl"
    with ReplayHub(day0, port=port, config=HubConfig(request_log=log)) as hub, \
            caplog.at_level(logging.WARNING, logger="miners.models"):
        result = crawl_models(paths=paths, endpoint=hub.url, part_rows=PART_ROWS, progress=False)
    first = listing_requests(log)[0]
    if resumed:
        assert result.run_id == run_dir.name and result.resumed_after == PART_ROWS
        assert first["query"]["cursor"] == cursor_of(point["next_url"])
        assert landed(run_dir)["fetched_at"].unique().to_pylist() == [AS_OF]
        assert sorted(p.name for p in run_dir.iterdir()) == ["_manifest.json", *result.parts]
    else:
        # A new run lists the Hub from page 1 as of now; the stale run is left exactly as it was.
        assert result.run_id != run_dir.name and result.resumed_after is None
        assert "cursor" not in first["query"]
        assert "not resuming models run" in caplog.text
        assert {p.name: p.read_bytes() for p in run_dir.iterdir()} == before
        assert landed(result.run_dir)["fetched_at"].unique().to_pylist() != [AS_OF]
    assert result.models == MODELS and landed(result.run_dir)["listed_pos"].to_pylist() == list(range(MODELS))


def test_a_resume_point_never_holds_a_credential():
    headers = {"authorization": f"Bearer {TOKEN}"}
    check_credential_free("https://huggingface.co/api/models?expand=author&cursor=eyJ4IjoxfQ", headers)
    for url in (f"https://huggingface.co/api/models?cursor=abc&token={TOKEN}",
                f"https://huggingface.co/api/models?cursor={TOKEN}",
                "https://huggingface.co/api/models?cursor=abc&access_token=x",
                "https://user:secret@huggingface.co/api/models?cursor=abc"):
        with pytest.raises(ValueError, match="credential|token") as info:
            check_credential_free(url, headers)
        assert TOKEN not in str(info.value) and "secret" not in str(info.value)


def test_last_per_id_keeps_each_models_last_row_in_listing_order():
    from miners.models import last_per_id

    listed = pa.table({"id": ["a", "a", "b", "c", "b"], "sha": ["1", "2", "3", "4", "5"]})
    assert last_per_id(listed).to_pylist() == [{"id": "a", "sha": "2"}, {"id": "c", "sha": "4"},
                                               {"id": "b", "sha": "5"}]


def test_sha_changes_come_in_the_order_of_the_listing():
    from miners.models import sha_changes

    ids = [f"m{i:05d}" for i in range(20_000)]
    current = pa.table({"id": ids[::-1], "sha": ["new"] * len(ids)})
    seen = pa.table({"id": ids[::2], "sha": ["new"] * (len(ids) // 2)})  # every other one is up to date
    assert sha_changes(current, seen)["id"].to_pylist() == ids[::-1][::2]


def test_listing_the_same_replay_snapshot_again_without_a_time_says_it_is_already_listed(tmp_path):
    # Without --as-of a replay hub's listing stands for its snapshot's own time, so the second
    # listing of an unchanged snapshot would be the same run: it is refused in words, nothing lost.
    generate(tmp_path / "hub", models=40, seed=3, progress=False)
    paths = Paths(tmp_path / "home")
    with ReplayHub(tmp_path / "hub") as hub:
        first = crawl_models(paths=paths, endpoint=hub.url, progress=False)
        with pytest.raises(CrawlError, match="already listed, as models run " + first.run_dir.name):
            crawl_models(paths=paths, endpoint=hub.url, progress=False)
        later = crawl_models(paths=paths, endpoint=hub.url, fetched_at=datetime(2030, 1, 1, tzinfo=UTC),
                             progress=False)
    assert later.run_dir != first.run_dir and first.models == later.models == 40
