"""Lineage functions: edge extraction, relation inference, cycles, families and name suggestions."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from analysis.lineage.graph import (
    DETAIL_CHARS,
    build_forest,
    canonical_parents,
    edges_of_model,
    extract_edges,
    forest_nodes,
    infer_relation,
    parse_base_model,
    parse_tag,
    suggest_parents,
)


def models(*rows) -> pa.Table:
    """rows: (model_id, card dict or raw text or None, tags, library_name)."""
    return pa.table({
        "model_id": [r[0] for r in rows],
        "card_data": [r[1] if r[1] is None or isinstance(r[1], str) else json.dumps(r[1]) for r in rows],
        "tags": [list(r[2]) for r in rows],
        "library_name": [r[3] for r in rows],
    })


def by_pair(table: pa.Table) -> dict[tuple[str, str], dict]:
    return {(r["child_id"], r["parent_id"]): r for r in table.to_pylist()}


def test_base_model_string_list_and_junk():
    assert parse_base_model("a/b") == (["a/b"], [])
    assert parse_base_model(["a/b", "c/d", "a/b"])[0] == ["a/b", "c/d"]
    ids, problems = parse_base_model(["a/b", 7, {"x": 1}, "", None])
    assert ids == ["a/b"]
    assert [code for code, _ in problems] == ["not_a_string", "not_a_string", "empty_parent", "not_a_string"]
    assert [detail for _, detail in problems] == ["7", "{'x': 1}", "", "None"]
    ids, problems = parse_base_model("https://huggingface.co/org/m")
    assert ids == ["org/m"] and problems == [("url_not_id", "https://huggingface.co/org/m")]  # bare, not quoted
    _, [(code, detail)] = parse_base_model("x" * 70 + "!" + "y" * 60)
    assert code == "parent_id_malformed" and len(detail) == DETAIL_CHARS and detail.endswith("…")


def test_tags():
    assert parse_tag("base_model:org/m") == ("org/m", None)
    assert parse_tag("base_model:quantized:org/m") == ("org/m", "quantized")
    assert parse_tag("base_model:adapter:") is None
    assert parse_tag("license:mit") is None
    # A relation word that is not one of the four is part of an id, not a relation.
    assert parse_tag("base_model:finetuned:org/m") == ("finetuned:org/m", None)


@pytest.mark.parametrize(("model_id", "tags", "library", "files", "parents", "expected"), [
    ("o/x", [], "peft", None, 1, ("adapter", "library_peft")),
    ("o/x", ["LoRA"], "transformers", None, 1, ("adapter", "tag_lora")),
    ("o/x", [], None, ["sub/adapter_config.json"], 1, ("adapter", "adapter_files")),
    ("o/x", ["gguf"], None, None, 1, ("quantized", "tag_gguf")),
    ("o/x", [], "bitsandbytes", None, 1, ("quantized", "library_bitsandbytes")),
    ("o/Llama-3-8B-Instruct-AWQ", [], "transformers", None, 1, ("quantized", "name_awq")),
    ("o/m-exl2", [], None, None, 1, ("quantized", "name_exl2")),
    ("mlx-community/Qwen2-7B-4bit", [], "mlx", None, 1, ("quantized", "mlx_quantized")),
    ("o/m-Q4_K_M", [], None, None, 1, ("quantized", "name_q4_k_m")),
    ("o/x", ["mergekit", "merge"], None, None, 1, ("merge", "tag_merge")),
    ("o/x", [], None, None, 2, ("merge", "several_parents")),
    ("o/gguf-lover-bert", [], None, None, 1, ("quantized", "name_gguf")),
    ("o/x", [], "transformers", ["model.safetensors"], 1, ("finetune", "default")),
])
def test_relation_inference(model_id, tags, library, files, parents, expected):
    assert infer_relation(model_id, tags, library, files, parents) == expected


def test_card_relation_beats_tags_and_inference_is_labelled():
    table = models(
        ("o/a", {"base_model": "b/base", "base_model_relation": "adapter"}, ["base_model:finetune:b/base"], None),
        ("o/q-GGUF", {"base_model": ["b/base", "c/base"]}, ["base_model:quantized:b/base"], None),
        ("o/plain", {"base_model": "b/base"}, [], "transformers"),
        ("o/tagonly", None, ["base_model:adapter:b/base", "base_model:b/base"], None),
    )
    edges, problems = extract_edges(table)
    got = by_pair(edges)
    assert got[("o/a", "b/base")]["relation"] == "adapter"
    assert got[("o/a", "b/base")]["relation_source"] == "declared"
    assert got[("o/q-GGUF", "b/base")]["relation_source"] == "tag"
    assert got[("o/q-GGUF", "c/base")]["relation"] == "quantized"
    assert got[("o/q-GGUF", "c/base")]["relation_source"] == "inferred:name_gguf"
    assert got[("o/plain", "b/base")]["relation_source"] == "inferred:default"
    assert got[("o/tagonly", "b/base")]["relation"] == "adapter"
    assert got[("o/tagonly", "b/base")]["declared_in"] == ["tag"]
    assert [(r["model_id"], r["code"]) for r in problems.to_pylist()] == [("o/a", "relation_conflict")]


def test_bad_input_is_recorded_not_raised():
    long_id = "x/" + "é" * 300
    table = models(
        ("o/self", {"base_model": "o/self"}, ["base_model:o/self"], None),
        ("o/long", {"base_model": [long_id, "ok/parent"]}, [], None),
        ("o/weird", {"base_model": "some weird name!\u202e"}, [], None),
        ("o/badrel", {"base_model": "b/base", "base_model_relation": "finetuned"}, [], None),
        ("o/text", "{not json", [], None),
        ("o/list", "[1, 2]", [], None),
        ("o/none", None, [], None),
        ("o/num", {"base_model": 3.5}, [], None),
    )
    edges, problems = extract_edges(table)
    got = by_pair(edges)
    codes = {(r["model_id"], r["code"]) for r in problems.to_pylist()}
    assert ("o/self", "o/self") not in got and ("o/self", "self_reference") in codes
    assert (("o/long", long_id)) in got and ("o/long", "parent_id_too_long") in codes
    assert ("o/weird", "parent_id_malformed") in codes
    assert ("o/badrel", "unknown_relation") in codes and got[("o/badrel", "b/base")]["relation"] == "finetune"
    assert {("o/text", "card_data_unreadable"), ("o/list", "card_data_not_a_mapping"),
            ("o/num", "not_a_string")} <= codes
    assert not any(child in ("o/none", "o/text", "o/num") for child, _ in got)


def test_api_base_models_are_used_when_present():
    edges, _ = edges_of_model("o/m", None, [], None, api_base_models=[{"id": "b/base", "relation": "merge"}])
    assert edges[0]["relation"] == "merge" and edges[0]["relation_source"] == "api"


def test_parent_spelled_in_another_case_resolves_and_merges():
    table = models(("o/m", {"base_model": "ORG/Base"}, ["base_model:finetune:org/base"], None))
    edges, _ = extract_edges(table)
    resolved = canonical_parents(edges, pa.array(["o/m", "org/base"]))
    rows = resolved.to_pylist()
    assert len(rows) == 1 and rows[0]["parent_id"] == "org/base" and rows[0]["parent_known"]
    assert rows[0]["relation_source"] == "tag" and rows[0]["declared_in"] == ["card", "tag"]
    unknown = canonical_parents(edges, pa.array(["o/m"])).to_pylist()
    assert {r["parent_known"] for r in unknown} == {False}


def forest(edges: list[tuple[str, str]], extra=(), known=None):
    nodes = pa.array(sorted({n for e in edges for n in e} | set(extra)))
    f = build_forest(nodes, pa.array([c for c, _ in edges], pa.string()), pa.array([p for _, p in edges], pa.string()),
                     known)
    return f, {r["model_id"]: r for r in forest_nodes(f, nodes).to_pylist()}


def test_families_and_depths():
    f, nodes = forest([("b", "a"), ("c", "b"), ("d", "b"), ("e", "d"), ("y", "x")], extra=["lonely"])
    assert {m: (n["family_id"], n["depth"]) for m, n in nodes.items()} == {
        "a": ("a", 0), "b": ("a", 1), "c": ("a", 2), "d": ("a", 2), "e": ("a", 3),
        "x": ("x", 0), "y": ("x", 1), "lonely": ("lonely", 0)}
    assert nodes["b"]["children"] == 2 and not f.broken


def test_merge_child_keeps_one_family_preferring_a_known_parent():
    edges = [("m", "zz"), ("m", "b"), ("b", "a"), ("zz", "root2")]
    _, nodes = forest(edges)
    assert nodes["m"]["primary_parent_id"] == "b" and nodes["m"]["family_id"] == "a"
    assert nodes["m"]["parent_count"] == 2 and nodes["m"]["depth"] == 2
    # With b unknown (not in the snapshot), the known parent zz wins.
    _, nodes = forest(edges, known=np.array([True, False, True, True]))
    assert nodes["m"]["primary_parent_id"] == "zz" and nodes["m"]["family_id"] == "root2"


def test_cycles_are_broken_at_the_smallest_node():
    f, nodes = forest([("a", "b"), ("b", "a")])
    assert f.broken == [("a", "b")]
    assert nodes["a"]["depth"] == 0 and nodes["b"]["family_id"] == "a"
    # A 3-cycle with a tail hanging off it and a second, separate cycle.
    f, nodes = forest([("k", "m"), ("m", "l"), ("l", "k"), ("t", "l"), ("q", "p"), ("p", "q")])
    assert f.broken == [("k", "m"), ("p", "q")]
    assert {m: n["family_id"] for m, n in nodes.items()} == {"k": "k", "l": "k", "m": "k", "t": "k",
                                                               "p": "p", "q": "p"}
    assert nodes["t"]["depth"] == 2 and nodes["m"]["depth"] == 2


def test_cycle_through_a_merge_is_broken_again_until_none_is_left():
    # Dropping a -> b leaves a with parent c, which closes a second cycle a -> c -> a.
    f, nodes = forest([("a", "b"), ("b", "a"), ("a", "c"), ("c", "a")])
    assert f.broken == [("a", "b"), ("a", "c")]
    assert all(n["family_id"] == "a" for n in nodes.values())


def test_big_random_graph_terminates_with_consistent_depths():
    rng = np.random.default_rng(1)
    n = 20_000
    child = rng.integers(0, n, 30_000)
    parent = rng.integers(0, n, 30_000)
    names = pa.array([f"m{i:05d}" for i in range(n)])
    f = build_forest(names, names.take(pa.array(child)), names.take(pa.array(parent)))
    has_parent = f.primary >= 0
    assert (f.depth[has_parent] == f.depth[f.primary[has_parent]] + 1).all()
    assert (f.family[has_parent] == f.family[f.primary[has_parent]]).all()
    assert (f.depth[~has_parent] == 0).all()


def test_name_suggestions():
    roots = ["meta-llama/Meta-Llama-3-8B", "openai-community/gpt2", "google/bert-base-uncased",
             "a/Llama-3-8B", "mistralai/Mistral-7B-v0.1"]
    got = {(r["model_id"], r["suggested_parent_id"]): r
           for r in suggest_parents(["x/my-Llama-3-8B-sql", "y/gpt2-imdb", "z/bert-base-uncased-sst2",
                                     "w/something-else", "v/Mistral-7B-v0.1-chat", "openai-community/gpt2"],
                                    roots).to_pylist()}
    # Two roots share the key llama-3-8b: the confidence is split.
    assert got[("x/my-Llama-3-8B-sql", "meta-llama/Meta-Llama-3-8B")]["candidates"] == 2
    assert got[("x/my-Llama-3-8B-sql", "a/Llama-3-8B")]["confidence"] < 0.5
    assert 0.9 <= got[("v/Mistral-7B-v0.1-chat", "mistralai/Mistral-7B-v0.1")]["confidence"] <= 1
    assert ("y/gpt2-imdb", "openai-community/gpt2") in got
    # No digit in the key: too generic to suggest from; never the model itself.
    assert not any(m in ("z/bert-base-uncased-sst2", "w/something-else", "openai-community/gpt2") for m, _ in got)
    assert all(0 <= r["confidence"] <= 1 for r in got.values())
