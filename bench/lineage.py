"""Lineage benchmark: families of a synthetic 2.5M-node forest (with planted cycles), then every lineage
mart from a synthetic 100k-model listing.

    .venv/bin/python bench/lineage.py [--nodes 2500000] [--cycles 1000] [--models 100000] [--seed 0]

Targets: families of 2.5M nodes <= 30 s; all marts of 100k models in a few seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.lineage.graph import build_forest, forest_nodes  # noqa: E402
from analysis.lineage.marts import compute  # noqa: E402


def synthetic_forest(nodes: int, cycles: int, rng: np.random.Generator):
    """Heavy-tailed forest: ~2% roots; a child picks a recent-ish earlier node (Pareto distance), so
    trees get deep and wide; then ``cycles`` roots are pointed at one of their descendants."""
    idx = np.arange(nodes)
    is_root = (rng.random(nodes) < 0.02) | (idx == 0)
    back = np.minimum(idx, np.ceil(rng.pareto(1.2, nodes) * 3).astype(np.int64) + 1)
    parent = np.where(is_root, -1, idx - back)
    child = idx[parent >= 0]
    par = parent[parent >= 0]
    roots = idx[is_root]
    # Cycles: a root declares one of its children (a 2-cycle) or grandchildren (a 3-cycle) as its base.
    some_child = np.full(nodes, -1)
    some_child[parent[parent >= 0]] = idx[parent >= 0]
    picks = rng.choice(roots, size=min(cycles, len(roots)), replace=False)
    below = some_child[picks]
    deeper = np.where(below >= 0, some_child[np.maximum(below, 0)], -1)
    below = np.where((np.arange(len(picks)) % 2 == 1) & (deeper >= 0), deeper, below)
    ok = below >= 0
    child = np.concatenate([child, picks[ok]])
    par = np.concatenate([par, below[ok]])
    names = pa.array([f"org{i % 9973}/model-{i:08d}" for i in range(nodes)])
    return names, names.take(pa.array(child)), names.take(pa.array(par)), int(ok.sum())


def synthetic_models(models: int, rng: np.random.Generator) -> pa.Table:
    ids = [f"org{i % 997}/Model-{i:07d}-{['8B', 'GGUF', 'lora', 'chat'][i % 4]}" for i in range(models)]
    tags, cards, libs = [], [], []
    for i in range(models):
        has_parent = i > 100 and rng.random() < 0.6
        parent = ids[int(rng.integers(0, i))] if has_parent else None
        kind = i % 5
        if has_parent and kind == 0:
            cards.append(json.dumps({"base_model": parent, "base_model_relation": "finetune", "license": "mit"}))
            tags.append([f"base_model:{parent}", f"base_model:finetune:{parent}", "transformers"])
        elif has_parent and kind == 1:
            cards.append(json.dumps({"base_model": [parent], "license": "apache-2.0"}))
            tags.append(["gguf", f"base_model:{parent}"])
        elif has_parent and kind == 2:
            other = ids[int(rng.integers(0, i))]
            cards.append(json.dumps({"base_model": [parent, other], "tags": ["merge"]}))
            tags.append(["merge", "mergekit"])
        elif has_parent:
            cards.append(json.dumps({"base_model": parent}))
            tags.append(["peft"] if kind == 3 else ["transformers"])
        else:
            cards.append(json.dumps({"license": "mit"}) if i % 2 else None)
            tags.append(["transformers"])
        libs.append("peft" if kind == 3 else "transformers")
    return pa.table({"model_id": ids, "tags": tags, "library_name": libs, "card_data": cards})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=2_500_000)
    parser.add_argument("--cycles", type=int, default=1_000)
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    names, child, parent, planted = synthetic_forest(args.nodes, args.cycles, rng)
    started = time.perf_counter()
    forest = build_forest(names, child, parent)
    nodes = forest_nodes(forest, names)
    seconds = time.perf_counter() - started
    print(f"families: {args.nodes:,} nodes, {len(child):,} edges, {planted} planted cycles -> "
          f"{len(np.unique(forest.family)):,} families, max depth {int(forest.depth.max())}, "
          f"{len(forest.broken)} cycle edges dropped, {nodes.num_rows:,} node rows")
    print(f"families: {seconds:.2f} s ({args.nodes / seconds:,.0f} nodes/s; target <= 30 s)")

    models = synthetic_models(args.models, rng)
    started = time.perf_counter()
    marts = compute(models)
    seconds = time.perf_counter() - started
    counts = ", ".join(f"{t.split('.')[-1]} {r.num_rows:,}" for t, r in marts.items())
    print(f"all lineage marts: {args.models:,} models in {seconds:.2f} s "
          f"({args.models / seconds:,.0f} models/s): {counts}")


if __name__ == "__main__":
    main()
