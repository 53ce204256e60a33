"""Source ``laufer``: ``laufer_modelbiome/graph_data_mini.json`` (a sample of a model lineage graph).

Taken: 1,042 nodes (createdAt, downloads, likes, pipeline_tag, library_name) and 1,041 typed edges:
``cardData.base_model`` = parent id, ``cardData.base_model_relation`` = edge type as recorded, plus
the Hub's ``base_model:<id>`` and ``base_model:<relation>:<id>`` tags.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from replayhub.import_real.record import RecordFor


def add(path: Path, rec: RecordFor, dates: list[str]) -> dict[str, Any]:
    graph = json.loads(path.read_text(encoding="utf-8"))
    parent: dict[str, tuple[str, str]] = {}
    for edge in graph["edges"]:
        if edge["target"] in parent:
            raise ValueError(f"{path}: {edge['target']} has two recorded parents")
        parent[edge["target"]] = (edge["source"], edge["type"])
    for node in graph["nodes"]:
        r = rec(node["id"], "laufer")
        r.layers["laufer"] = {"createdAt": node.get("createdAt"), "downloads": node.get("downloads"),
                              "likes": node.get("likes"), "pipeline_tag": node.get("pipeline_tag"),
                              "library_name": node.get("library_name")}
        if node["id"] in parent:
            base, relation = parent[node["id"]]
            r.card_layers["laufer"] = {"base_model": base, "base_model_relation": relation}
            r.tags["laufer"] = [f"base_model:{base}", f"base_model:{relation}:{base}"]
        if node.get("createdAt"):
            dates.append(node["createdAt"])
    return {"models": len(graph["nodes"]), "edges": len(graph["edges"]),
            "relations": dict(sorted(Counter(e["type"] for e in graph["edges"]).items()))}
