"""Documentation completeness mart: parse and score each current model's latest fetched card.

A card is scored once per (model, sha): only cards fetched since the last run cost parsing.
Parsing and scoring live in analysis/cards; this module only feeds them and shapes the rows.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from analysis.cards import METADATA_FIELDS, TEMPLATE_SECTIONS, score_cards
from analysis.incremental import refresh

ANALYSIS = "documentation"
# 2: invalid UTF-8 seen by the miner is an issue too; 3: sections filled by content (issue 15); 4: the
# detection's later lexicon and boilerplate changes, comments describe nothing, binary cards are not read
VERSION = 4

DOCUMENTATION = pa.schema([
    ("model_id", pa.string()), ("sha", pa.string()), ("has_card", pa.bool_()), ("kind", pa.string()),
    ("score", pa.float64()), ("section_score", pa.float64()), ("metadata_score", pa.float64()),
    ("sections_present", pa.list_(pa.string())), ("sections_filled", pa.list_(pa.string())),
    ("metadata_present", pa.list_(pa.string())), ("n_headings", pa.int32()), ("body_chars", pa.int64()),
    ("has_front_matter", pa.bool_()), ("metadata_loaded", pa.bool_()), ("issues", pa.list_(pa.string())),
    ("has_error", pa.bool_()), ("fine_tuned_from", pa.string()), ("fine_tuned_on", pa.string()),
])

INPUTS = """
    SELECT c.model_id, c.sha AS input_key, c.status, c.text, c.utf8_valid
    FROM core.cards c SEMI JOIN models m USING (model_id)
    QUALIFY row_number() OVER (PARTITION BY c.model_id ORDER BY c.fetched_at DESC) = 1"""

_NO_CARD = {"has_card": False, "kind": "none", "score": 0.0, "section_score": 0.0, "metadata_score": 0.0,
            "sections_present": [], "sections_filled": [], "metadata_present": [], "n_headings": 0,
            "body_chars": 0, "has_front_matter": False, "metadata_loaded": False, "issues": [],
            "has_error": False, "fine_tuned_from": None, "fine_tuned_on": None}


def _shape(row: dict) -> dict:
    return {
        "has_card": True, "kind": row["kind"], "score": row["score"], "section_score": row["section_score"],
        "metadata_score": row["metadata_score"],
        "sections_present": [s for s in TEMPLATE_SECTIONS if row[f"present_{s}"]],
        "sections_filled": [s for s in TEMPLATE_SECTIONS if row[f"filled_{s}"]],
        "metadata_present": [f for f in METADATA_FIELDS if row["meta_" + f.replace("-", "_")]],
        "n_headings": row["n_headings"], "body_chars": row["body_chars"],
        "has_front_matter": row["has_front_matter"], "metadata_loaded": row["metadata_loaded"],
        "issues": [code for code in row["issues"].split(";") if code], "has_error": row["has_error"],
        "fine_tuned_from": row["fine_tuned_from"], "fine_tuned_on": row["fine_tuned_on"],
    }


def analyse(batch: pa.Table) -> dict[str, pa.Table]:
    ids, shas = batch["model_id"].to_pylist(), batch["input_key"].to_pylist()
    statuses, texts = batch["status"].to_pylist(), batch["text"].to_pylist()
    carded = [(i, text) for i, (status, text) in enumerate(zip(statuses, texts)) if status == "ok"]
    scored = {int(row["key"]): _shape(row) for row in score_cards(carded)}
    # the miner decoded invalid UTF-8 with replacement characters, so the parser never saw the bytes
    for i, valid in enumerate(batch["utf8_valid"].to_pylist()):
        if valid is False and i in scored and "invalid_utf8" not in scored[i]["issues"]:
            scored[i]["issues"].insert(0, "invalid_utf8")
    rows = [{"model_id": ids[i], "sha": shas[i], **scored.get(i, _NO_CARD)} for i in range(len(ids))]
    return {"marts.card_documentation": pa.Table.from_pylist(rows, DOCUMENTATION)}


def build(con: duckdb.DuckDBPyConnection, *, progress: bool = False) -> dict[str, int]:
    return refresh(con, analysis=ANALYSIS, version=VERSION, inputs_sql=INPUTS,
                   marts={"marts.card_documentation": DOCUMENTATION}, analyse=analyse, progress=progress)
