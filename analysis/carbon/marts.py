"""Marts over each current model's listed card metadata (cardData): carbon reporting and spec problems.

Both read the same input, the model state, so one pass fills ``marts.carbon`` and
``marts.metadata_problems``; a model is re-analysed only when its state hash changes.
"""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa

from analysis.carbon.emissions import bytes_per_gram, model_efficiency_band, normalise_co2, performance_score
from analysis.cards.metadata import validate_metadata
from analysis.incremental import refresh

ANALYSIS = "card_metadata"
VERSION = 1

# Bytes per parameter of the safetensors dtypes the Hub reports.
DTYPE_BYTES = {"F64": 8, "I64": 8, "U64": 8, "F32": 4, "I32": 4, "U32": 4, "F16": 2, "BF16": 2, "I16": 2,
               "U16": 2, "F8_E4M3": 1, "F8_E5M2": 1, "I8": 1, "U8": 1, "BOOL": 1}

CARBON = pa.schema([
    ("model_id", pa.string()), ("state_hash", pa.string()), ("form", pa.string()), ("emissions_g", pa.float64()),
    ("source", pa.string()), ("training_type", pa.string()), ("geographical_location", pa.string()),
    ("hardware_used", pa.string()), ("reporting_class", pa.string()), ("model_bytes", pa.int64()),
    ("bytes_per_g", pa.float64()), ("efficiency_band", pa.string()), ("performance_score", pa.float64()),
    ("problems", pa.list_(pa.string())),
])
PROBLEMS = pa.schema([
    ("model_id", pa.string()), ("state_hash", pa.string()), ("field", pa.string()), ("code", pa.string()),
    ("message", pa.string()), ("value_excerpt", pa.string()),
])

INPUTS = """
    SELECT model_id, state_hash AS input_key, card_data, safetensors_params
    FROM core.model_state WHERE valid_to IS NULL"""


def model_bytes(safetensors_params: str | None) -> int | None:
    """Model size from the parameter count per dtype; None when unknown or unreadable."""
    if not safetensors_params:
        return None
    try:
        params = json.loads(safetensors_params)
        total = sum(int(n) * DTYPE_BYTES[dtype] for dtype, n in params.items() if dtype in DTYPE_BYTES)
    except (ValueError, TypeError, AttributeError):
        return None
    return total or None


def analyse(batch: pa.Table) -> dict[str, pa.Table]:
    carbon, problems = [], []
    for model_id, key, card_json, params in zip(*(batch[c].to_pylist() for c in
                                                   ("model_id", "input_key", "card_data", "safetensors_params"))):
        if not card_json:
            continue
        card = json.loads(card_json)
        if not isinstance(card, dict):
            continue
        for p in validate_metadata(card, repo_id=model_id):
            problems.append({"model_id": model_id, "state_hash": key, "field": p.field, "code": p.code,
                             "message": p.message, "value_excerpt": p.value_excerpt})
        record = normalise_co2(card.get("co2_eq_emissions"))
        if record is None:
            continue
        size = model_bytes(params)
        carbon.append({
            "model_id": model_id, "state_hash": key, "form": record.form, "emissions_g": record.emissions_g,
            "source": record.source, "training_type": record.training_type,
            "geographical_location": record.geographical_location, "hardware_used": record.hardware_used,
            "reporting_class": record.reporting_class, "model_bytes": size,
            "bytes_per_g": bytes_per_gram(size, record.emissions_g),
            "efficiency_band": model_efficiency_band(size, record.emissions_g),
            "performance_score": performance_score(card.get("model-index")),
            "problems": [p.code for p in record.problems],
        })
    return {"marts.carbon": pa.Table.from_pylist(carbon, CARBON),
            "marts.metadata_problems": pa.Table.from_pylist(problems, PROBLEMS)}


def build(con: duckdb.DuckDBPyConnection, *, progress: bool = False) -> dict[str, int]:
    return refresh(con, analysis=ANALYSIS, version=VERSION, inputs_sql=INPUTS,
                   marts={"marts.carbon": CARBON, "marts.metadata_problems": PROBLEMS},
                   analyse=analyse, progress=progress)
