"""Naming mart: every current model's repo name parsed once into typed segments (analysis/naming.py)."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from analysis.incremental import refresh
from analysis.naming import parse_name

ANALYSIS = "naming"
VERSION = 1

SEGMENT = pa.struct([("text", pa.string()), ("type", pa.string())])
NAMES = pa.schema([
    ("model_id", pa.string()), ("pattern", pa.string()), ("segments", pa.list_(SEGMENT)),
    ("version", pa.string()), ("version_kind", pa.string()), ("version_major", pa.int32()),
    ("version_minor", pa.int32()), ("size_params", pa.float64()), ("problems", pa.list_(pa.string())),
])

# A repo's name is its id: the input key never changes, so a model is parsed once per analysis version.
INPUTS = "SELECT model_id, model_id AS input_key FROM core.model_state WHERE valid_to IS NULL"


def _major_minor(parsed) -> tuple[int | None, int | None]:
    if parsed.version_kind not in ("vN", "vN.M", "vN.M.K"):
        return None, None
    numbers = parsed.version.lower().lstrip("v").split(".")
    try:
        return int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else 0
    except ValueError:
        return None, None


def analyse(batch: pa.Table) -> dict[str, pa.Table]:
    rows = []
    for model_id in batch["model_id"].to_pylist():
        parsed = parse_name(model_id)
        major, minor = _major_minor(parsed)
        rows.append({"model_id": model_id, "pattern": parsed.pattern,
                     "segments": [{"text": s.text, "type": s.type} for s in parsed.segments],
                     "version": parsed.version, "version_kind": parsed.version_kind, "version_major": major,
                     "version_minor": minor, "size_params": parsed.size_params, "problems": list(parsed.problems)})
    return {"marts.model_names": pa.Table.from_pylist(rows, NAMES)}


def build(con: duckdb.DuckDBPyConnection, *, progress: bool = False) -> dict[str, int]:
    return refresh(con, analysis=ANALYSIS, version=VERSION, inputs_sql=INPUTS,
                   marts={"marts.model_names": NAMES}, analyse=analyse, progress=progress)
