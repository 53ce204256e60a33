"""Naming and versioning marts end to end: names, patterns, weight changes without card changes, releases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import query

from analysis.run import run_analyses
from core.config import Paths
from miners.history import crawl_history
from miners.models import crawl_models
from replayhub.server import ReplayHub
from replayhub.snapshot import Commit, SnapshotWriter, lfs_entry
from warehouse.load import load_pending

WHEN = datetime(2026, 11, 1, tzinfo=UTC)
ROOT = "org/Base-7B"
RELEASES = {"org/tool-v1": "2024-01-10", "org/tool-v1.1": "2024-03-10", "org/tool-v2": "2024-06-10",
            "org/tool-v1.5": "2024-08-10"}


def commit(n: int, date: str, readme: bytes, weights: str) -> Commit:
    return Commit(id=f"{n:040x}", date=f"{date}T00:00:00.000Z", title=f"c{n}",
                  files={"README.md": readme, "model.safetensors": lfs_entry("model.safetensors", weights * 64, 10)})


@pytest.fixture
def paths(tmp_path) -> Paths:
    with SnapshotWriter(tmp_path / "hub", source="test") as writer:
        writer.add_model({"id": ROOT, "sha": f"{1:040x}", "createdAt": "2023-06-01T00:00:00.000Z", "downloads": 9},
                         commits=[commit(1, "2023-06-01", b"# base", "a")])
        for i, (repo_id, created) in enumerate(RELEASES.items()):
            history = [commit(10 * i + 10, created, b"# tool", "a")]
            if repo_id == "org/tool-v1":
                # Weights change twice: once with a card edit, once silently.
                history += [commit(11, "2024-02-01", b"# tool, retrained", "b"), commit(12, "2024-02-15", b"# tool, retrained", "c")]
            writer.add_model({"id": repo_id, "sha": history[-1].id, "createdAt": f"{created}T00:00:00.000Z",
                              "downloads": 1, "cardData": {"base_model": ROOT}}, commits=history)
    paths = Paths(tmp_path / "home")
    with ReplayHub(tmp_path / "hub") as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=WHEN, progress=False)
        crawl_history(paths=paths, endpoint=hub.url, fetched_at=WHEN, top_n=10, progress=False)
    load_pending(paths)
    run_analyses(paths)
    return paths


def test_names_are_parsed_once_with_versions(paths):
    rows = dict(query(paths, "SELECT model_id, version_kind FROM model_names"))
    assert rows == {ROOT: None, "org/tool-v1": "vN", "org/tool-v1.1": "vN.M", "org/tool-v2": "vN",
                    "org/tool-v1.5": "vN.M"}
    assert query(paths, "SELECT sum(models) FROM naming_practices") == [(5,)]
    assert run_analyses(paths, only=["naming"])["naming"]["analysed"] == 0


def test_silent_weight_changes_are_counted(paths):
    assert query(paths, "SELECT weight_change_commits, with_card_change, without_card_change "
                        "FROM versioning_practice WHERE model_id = 'org/tool-v1'") == [(2, 1, 1)]
    assert query(paths, "SELECT weight_change_commits, share_without_card_change FROM versioning_summary") == [(2, 0.5)]


def test_family_releases_follow_or_break_semver(paths):
    steps = query(paths, "SELECT model_id, step FROM family_releases ORDER BY created_at")
    assert steps == [("org/tool-v1", "first"), ("org/tool-v1.1", "minor"), ("org/tool-v2", "major"),
                     ("org/tool-v1.5", "backwards")]


def test_family_releases_say_what_changed_since_the_previous_release(paths):
    rows = query(paths, "SELECT model_id, release_kind, previous_model_id, large_files_changed, card_changed "
                        "FROM family_releases ORDER BY created_at")
    # tool-v1 ends retrained (weights "c", card "# tool, retrained"); the later releases all carry
    # weights "a" and card "# tool" (see the fixture)
    assert rows == [("org/tool-v1", "major", None, None, None),
                    ("org/tool-v1.1", "minor", "org/tool-v1", True, True),
                    ("org/tool-v2", "major", "org/tool-v1.1", False, False),
                    ("org/tool-v1.5", "minor", "org/tool-v2", False, False)]


def test_metadata_is_evidence_for_the_codebook_reading(tmp_path):
    with SnapshotWriter(tmp_path / "hub", source="test") as writer:
        writer.add_model({"id": "org/roberta-tweets", "sha": f"{2:040x}", "createdAt": "2024-01-01T00:00:00.000Z",
                          "tags": ["dataset:cardiffnlp/tweets", "en"], "pipeline_tag": "text-classification"})
        writer.add_model({"id": "other/roberta-tweets", "sha": f"{3:040x}", "createdAt": "2024-01-01T00:00:00.000Z"})
    paths = Paths(tmp_path / "home")
    with ReplayHub(tmp_path / "hub") as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=WHEN, progress=False)
    load_pending(paths)
    run_analyses(paths, only=["lineage", "naming"])
    # from the id alone a family word beside a descriptive word reads as a made-up name (the codebook's
    # "phi-2-super"); the dataset tag says "tweets" is what roberta was tuned on
    assert dict(query(paths, "SELECT model_id, pattern FROM model_names")) == {
        "org/roberta-tweets": "{base-model}{dataset}", "other/roberta-tweets": "{identifier}"}


def test_versioning_per_family(paths):
    assert query(paths, "SELECT family_id, weight_change_commits, without_card_change FROM versioning_by_family") == [
        (ROOT, 2, 1)]


def test_a_big_backlog_is_analysed_by_worker_processes_with_the_same_rows(paths):
    from analysis.incremental import refresh
    from analysis.naming import marts as naming_marts
    from warehouse.db import connect_writer

    before = query(paths, "SELECT * FROM marts.model_names ORDER BY model_id")
    con = connect_writer(paths.warehouse)
    try:
        con.execute("BEGIN")
        con.execute("DELETE FROM marts.analysed WHERE analysis = 'naming'")
        summary = refresh(con, analysis=naming_marts.ANALYSIS, version=naming_marts.VERSION,
                          inputs_sql=naming_marts.INPUTS, marts={"marts.model_names": naming_marts.NAMES},
                          analyse=naming_marts.analyse, workers=2, pool_min_rows=1)
        con.execute("COMMIT")
    finally:
        con.close()
    assert summary["analysed"] == 5
    assert query(paths, "SELECT * FROM marts.model_names ORDER BY model_id") == before
    assert query(paths, "SELECT count(*), count(DISTINCT model_id) FROM marts.analysed WHERE analysis = 'naming'") == [(5, 5)]
