"""Documentation marts end to end: replay hub -> models + cards -> load -> analyze -> views."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from helpers import frame

from analysis.run import run_analyses
from core.config import Paths
from miners.cards import crawl_cards
from miners.models import crawl_models
from replayhub.server import ReplayHub
from replayhub.snapshot import Commit, SnapshotWriter
from warehouse.load import load_pending

TEMPLATE_BODY = "\n\n".join(
    f"## {title}\n\n[More Information Needed]" for title in
    ["Model Details", "Uses", "Bias, Risks, and Limitations", "How to Get Started with the Model",
     "Training Details", "Evaluation", "Model Examination", "Environmental Impact", "Technical Specifications",
     "Citation", "Glossary", "More Information", "Model Card Authors", "Model Card Contact"])
FULL = """---
license: apache-2.0
language: en
datasets: [imdb]
library_name: transformers
pipeline_tag: text-classification
---
# Sentiment classifier

## Model description
A small encoder fine-tuned to tell positive from negative film reviews. It was trained for three epochs.

## Intended uses & limitations
Use it for English film reviews. It fails on sarcasm and on other domains, and it mirrors the biases of its data.

## How to use
Load it with the pipeline API and pass a list of sentences; the label comes back with a probability.

## Training procedure
Adam with a learning rate of 2e-5, batch size 32, on one GPU for forty minutes.

## Evaluation results
Accuracy 0.93 on the held-out test split of the review corpus, measured once.
"""
CARDS = {
    "org/template": "---\nlicense: mit\n---\n# Model Card\n\n" + TEMPLATE_BODY + "\n",
    "org/full": FULL,
    "org/oneliner": "# A model\n\nIt works.\n",
    "solo/nocard": None,
    "solo/bomb": "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                 "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n# Hi\n",
}
DOWNLOADS = {"org/template": 50, "org/full": 900, "org/oneliner": 5, "solo/nocard": 1, "solo/bomb": 0}


def write_hub(path, cards, shas):
    with SnapshotWriter(path, source="test") as writer:
        for repo_id, text in cards.items():
            files = {"config.json": b"{}"} | ({"README.md": text.encode()} if text is not None else {})
            writer.add_model({"id": repo_id, "sha": shas[repo_id], "downloads": DOWNLOADS[repo_id],
                              "likes": DOWNLOADS[repo_id] // 10, "createdAt": "2025-05-05T00:00:00.000Z"},
                             commits=[Commit(id=shas[repo_id], date="2025-05-05T00:00:00.000Z", files=files)])


def crawl(paths, hub_dir, when):
    with ReplayHub(hub_dir) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=when, progress=False)
        crawl_cards(paths=paths, endpoint=hub.url, fetched_at=when, progress=False)
    load_pending(paths)
    return run_analyses(paths)["documentation"]




@pytest.fixture
def paths(tmp_path):
    paths = Paths(tmp_path / "home")
    shas = {repo: f"{i + 1:040x}" for i, repo in enumerate(CARDS)}
    write_hub(tmp_path / "hub0", CARDS, shas)
    summary = crawl(paths, tmp_path / "hub0", datetime(2026, 11, 1, tzinfo=UTC))
    assert summary["analysed"] == len(CARDS)
    return paths


def test_scores_kinds_and_issues(paths):
    docs = {r["model_id"]: r for r in frame(paths, "SELECT * FROM documentation").to_dicts()}
    assert docs["org/template"]["kind"] == "template"
    assert len(docs["org/template"]["sections_present"]) == 14 and docs["org/template"]["sections_filled"] == []
    # Template: only its license counts (placeholder sections earn nothing); a bare paragraph earns 0.
    assert docs["org/full"]["score"] > docs["org/template"]["score"] > docs["org/oneliner"]["score"] == 0
    assert {"uses", "evaluation", "training_details"} <= set(docs["org/full"]["sections_filled"])
    assert docs["solo/nocard"]["has_card"] is False and docs["solo/nocard"]["kind"] == "none"
    assert docs["solo/bomb"]["issues"] and docs["solo/bomb"]["has_card"]


def test_fill_rates_match_the_per_card_rows(paths):
    docs = frame(paths, "SELECT sections_present, sections_filled FROM documentation WHERE has_card").to_dicts()
    rates = {r["section"]: r for r in frame(paths, "SELECT * FROM section_fill_rates").to_dicts()}
    for section in ("uses", "evaluation", "glossary"):
        present = sum(section in d["sections_present"] for d in docs) / len(docs)
        filled = sum(section in d["sections_filled"] for d in docs) / len(docs)
        assert rates[section]["present_rate"] == pytest.approx(present, abs=1e-4)
        assert rates[section]["filled_rate"] == pytest.approx(filled, abs=1e-4)
        with_heading = [d for d in docs if section in d["sections_present"]]
        if with_heading:
            both = sum(section in d["sections_filled"] for d in with_heading) / len(with_heading)
            assert rates[section]["filled_when_present"] == pytest.approx(both, abs=1e-4)
        else:
            assert rates[section]["filled_when_present"] is None


def test_spearman_view_matches_an_independent_computation(paths):
    docs = frame(paths, "SELECT score, downloads, likes FROM documentation WHERE has_card")
    ranks = docs.select(pl.all().rank("average"))
    expected = ranks.select(pl.corr("score", "downloads")).item()
    got = dict(frame(paths, "SELECT measure, spearman_rho FROM documentation_correlations").iter_rows())
    assert got["downloads"] == pytest.approx(expected, abs=1e-4)


def test_only_changed_cards_are_rescored(paths, tmp_path):
    shas = {repo: f"{i + 1:040x}" for i, repo in enumerate(CARDS)}
    shas["org/oneliner"] = "e" * 40
    write_hub(tmp_path / "hub1", CARDS | {"org/oneliner": FULL}, shas)
    summary = crawl(paths, tmp_path / "hub1", datetime(2026, 11, 2, tzinfo=UTC))
    assert summary["analysed"] == 1
    scores = dict(frame(paths, "SELECT model_id, score FROM documentation").iter_rows())
    assert scores["org/oneliner"] == scores["org/full"]
