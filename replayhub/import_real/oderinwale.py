"""Source ``oderinwale``: ``oderinwale_model_trees/`` (the Mistral-Small-24B-Base-2501 family).

Taken: 67 models, each a huggingface_hub ``ModelInfo`` dumped with snake_case attribute names,
converted back to the Hub's camelCase body (``card_data`` YAML parsed into ``cardData``;
``RepoSibling(...)`` reprs parsed into ``siblings``); the real sha and file list. The CSV holds all
67; ``model_data.json`` holds only a 5-model subtree (same metadata, depths relative to its own
root), so the CSV is the source and its ``depth`` is the family depth (counted, not stored).
"""

from __future__ import annotations

import ast
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from replayhub.import_real.record import RecordFor, siblings_files
from replayhub.import_real.values import hub_date, yaml_mapping

# huggingface_hub.ModelInfo attribute -> Hub JSON key.
ODER_KEYS = {
    "_id": "_id", "id": "id", "author": "author", "sha": "sha", "last_modified": "lastModified",
    "created_at": "createdAt", "private": "private", "gated": "gated", "disabled": "disabled",
    "downloads": "downloads", "downloads_all_time": "downloadsAllTime", "likes": "likes",
    "library_name": "library_name", "gguf": "gguf", "inference": "inference",
    "inference_provider_mapping": "inferenceProviderMapping", "tags": "tags",
    "pipeline_tag": "pipeline_tag", "mask_token": "mask_token", "trending_score": "trendingScore",
    "card_data": "cardData", "widget_data": "widgetData", "model_index": "model-index",
    "config": "config", "transformers_info": "transformersInfo", "siblings": "siblings",
    "spaces": "spaces", "safetensors": "safetensors", "security_repo_status": "securityRepoStatus",
    "xet_enabled": "xetEnabled", "usedStorage": "usedStorage",
}


def add(folder: Path, rec: RecordFor, dates: list[str]) -> dict[str, Any]:
    csv_path = next(folder.glob("*.csv"))
    table = pl.read_csv(csv_path, infer_schema=False)
    members = set(table["model_id"])
    children_outside: set[str] = set()
    for row in table.iter_rows(named=True):
        meta = json.loads(row["metadata"])
        body = _modelinfo_to_body(meta)
        r = rec(row["model_id"], "oderinwale")
        card = body.pop("cardData", None)
        if isinstance(card, dict):
            r.card_layers["oderinwale"] = card
        r.tags["oderinwale"] = list(body.pop("tags", None) or [])
        r.layers["oderinwale"] = body
        r.real_sha = body.get("sha")
        r.head_files = siblings_files(body)
        for d in (body.get("lastModified"), body.get("createdAt")):
            if d:
                dates.append(d)
        for url in ast.literal_eval(row["children"] or "[]"):
            child = url.removeprefix("https://huggingface.co/")
            if child not in members:
                children_outside.add(child)
    json_models = 0
    json_path = folder / "model_data.json"
    if json_path.exists():
        json_models = len(json.loads(json_path.read_text(encoding="utf-8")).get("models") or [])
    depths = Counter(int(d) for d in table["depth"])
    return {"models": table.height, "depths": {str(k): v for k, v in sorted(depths.items())},
            "children_not_recorded": len(children_outside), "model_data_json_models": json_models}


def _modelinfo_to_body(meta: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for attr, key in ODER_KEYS.items():
        value = meta.get(attr)
        if value is None:
            continue
        if key in ("lastModified", "createdAt"):
            value = hub_date(datetime.fromisoformat(value))
        elif key == "cardData":
            value = yaml_mapping(value) if isinstance(value, str) else value
            if value is None:
                continue
        elif key == "siblings":
            value = [_parse_sibling(s) if isinstance(s, str) else s for s in value]
        body[key] = value
    body.setdefault("modelId", body.get("id"))
    return body


def _parse_sibling(text: str) -> dict[str, Any]:
    """``RepoSibling(rfilename='x', size=None, blob_id=None, lfs=BlobLfsInfo(...))`` -> Hub sibling."""
    call = ast.parse(text, mode="eval").body
    fields = _call_kwargs(call)
    sibling: dict[str, Any] = {"rfilename": fields["rfilename"]}
    if fields.get("size") is not None:
        sibling["size"] = fields["size"]
    if fields.get("blob_id") is not None:
        sibling["blobId"] = fields["blob_id"]
    lfs = fields.get("lfs")
    if isinstance(lfs, dict):
        sibling["lfs"] = {"size": lfs.get("size"), "sha256": lfs.get("sha256"),
                          "pointerSize": lfs.get("pointer_size")}
    return sibling


def _call_kwargs(node: ast.AST) -> dict[str, Any]:
    if not isinstance(node, ast.Call):
        raise ValueError(f"not a call: {ast.dump(node)}")
    return {kw.arg: _call_kwargs(kw.value) if isinstance(kw.value, ast.Call) else ast.literal_eval(kw.value)
            for kw in node.keywords}
