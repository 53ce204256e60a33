"""Models miner details: card metadata lands exactly as the Hub served it."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from hubmine.config import Paths
from miners.models import crawl_models
from miners.replay.server import ReplayHub
from miners.replay.snapshot import SnapshotWriter

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
