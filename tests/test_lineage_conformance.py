"""Lineage marts against recorded real lineage: the laufer_modelbiome graph sample (typed edges) and
the oderinwale Mistral-Small-24B model tree (edges and depths).

Expected values are read from the source files here, independently of analysis/lineage/. The real
snapshot holds other sources too, so more edges than recorded come out; those are counted, not failed.
"""

from __future__ import annotations

import ast
import json
from datetime import UTC, datetime

import polars as pl
import pytest
from conftest import REALDATA
from helpers import build_marts, frame

from analysis.lineage import marts as lineage_marts
from core.config import Paths
from miners.models import crawl_models
from replayhub.server import ReplayHub
from warehouse.load import load_pending


@pytest.fixture(scope="module")
def paths(tmp_path_factory, real_snapshot):
    tmp = tmp_path_factory.mktemp("lineage-real")
    paths = Paths(tmp / "home")
    with ReplayHub(real_snapshot[0]) as hub:
        crawl_models(paths=paths, endpoint=hub.url, fetched_at=datetime(2026, 11, 1, tzinfo=UTC), progress=False)
    load_pending(paths)
    build_marts(paths, lineage_marts.build)
    return paths


def warehouse_edges(paths) -> dict[tuple[str, str], str]:
    return {(r["child_id"], r["parent_id"]): r["relation"]
            for r in frame(paths, "SELECT child_id, parent_id, relation FROM lineage_edges "
                                  "WHERE NOT cycle_broken").to_dicts()}


def test_laufer_typed_edges_come_out_with_their_relation(paths):
    graph = json.loads((REALDATA / "laufer_modelbiome" / "graph_data_mini.json").read_text(encoding="utf-8"))
    expected = {(e["target"], e["source"]): e["type"] for e in graph["edges"]}
    assert len(expected) == 1041
    got = warehouse_edges(paths)
    missing = [edge for edge in expected if edge not in got]
    wrong = {edge: (rel, got[edge]) for edge, rel in expected.items() if edge in got and got[edge] != rel}
    assert not missing, missing[:5]
    assert not wrong, list(wrong.items())[:5]
    laufer_children = {child for child, _ in expected}
    extras = [e for e in got if e[0] in laufer_children and e not in expected]
    print(f"laufer: {len(expected)} recorded edges matched; {len(extras)} extra edges of the same children")


def test_oderinwale_tree_edges_and_depths(paths):
    folder = REALDATA / "oderinwale_model_trees"
    table = pl.read_csv(next(folder.glob("*.csv")), infer_schema=False)
    members = set(table["model_id"])
    expected_edges = set()
    for row in table.iter_rows(named=True):
        for url in ast.literal_eval(row["children"] or "[]"):
            child = url.removeprefix("https://huggingface.co/")
            if child in members:
                expected_edges.add((child, row["model_id"]))
    expected_depth = {row["model_id"]: int(row["depth"]) for row in table.iter_rows(named=True)}
    assert len(expected_depth) == 67 and set(expected_depth.values()) == {0, 1, 2, 3}
    got = warehouse_edges(paths)
    assert expected_edges <= set(got), sorted(expected_edges - set(got))[:5]
    nodes = {r["model_id"]: r for r in frame(paths, "SELECT * FROM lineage_nodes").to_dicts()}
    depths = {m: nodes[m]["depth"] for m in expected_depth if m in nodes}
    assert depths == expected_depth
    assert {nodes[m]["family_id"] for m in expected_depth} == {"mistralai/Mistral-Small-24B-Base-2501"}
    extras = [e for e in got if e[0] in members and e not in expected_edges]
    print(f"oderinwale: {len(expected_edges)} edges and 67 depths matched; {len(extras)} extra edges")
