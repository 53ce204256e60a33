"""Documentation completeness of a parsed model card, and the streaming batch scorer.

Score (0-100, deterministic, two decimals)
-------------------------------------------
    score = 70 * (sum of weights of FILLED template sections) / 20
          + 30 * (number of PRESENT metadata fields) / 9

Section weights (total 20): the six sections a reader needs to decide whether and how to use a
model weigh 2 — Model Details, Uses, Bias/Risks/Limitations, How to Get Started, Training Details,
Evaluation; the other eight weigh 1 — Model Examination, Environmental Impact, Technical
Specifications, Citation, Glossary, More Information, Card Authors, Contact.
A section counts only when FILLED: the card's prose or code answers its question about the model,
under any heading or none, in any language (see detect.py and docs/documentation.md).
Present-but-empty sections — the untouched template — earn nothing, so the official template
scores 0.

Metadata fields (9, equal weight): license, language, datasets, metrics, model-index, base_model,
library_name, pipeline_tag, co2_eq_emissions. A field is PRESENT when its value is not empty and not
a placeholder (None, "", [], {}, "unknown", "none", "n/a", "tbd", "[More Information Needed]",
"{{ ... }}"); a list needs one such element. model-index needs at least one entry with non-empty
``results`` (the Trainer's ``results: []`` does not count); co2_eq_emissions needs a number, a
numeric string, or a mapping with a non-empty ``emissions``; ``language: no`` read as False (by the
YAML 1.1 fallback or a YAML 1.1 producer) counts, any other boolean does not.

Rounding: the section part and the metadata part are each rounded to two decimals, the score is
their sum rounded to two decimals. Examples: the untouched template 0; an untouched Trainer auto-card
with no evaluation results whose base_model is set: its sentence "a fine-tuned version of X" fills
Model Details, its hyperparameters Training Details and its framework versions Technical
Specifications, 3.5*(2+2+1)+3.33 = 20.83; every section filled and every field present 100.

Rows (``score_cards`` / ``score_card_batches``): one per card, columns ROW_COLUMNS — key, kind,
score, section_score, metadata_score, counts, front-matter flags, fine_tuned_from/on, issue codes
joined with ";", has_error, then present_<section> and filled_<section> for the 14 sections and
meta_<field> for the 9 fields (model-index -> meta_model_index).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from analysis.cards.parse import parse_card
from analysis.cards.parsed import ParsedCard
from analysis.cards.sections import TEMPLATE_SECTIONS, mask_sections

SECTION_POINTS = 70.0
METADATA_POINTS = 30.0
CORE_SECTIONS = frozenset(
    {"model_details", "uses", "bias_risks_limitations", "how_to_get_started", "training_details", "evaluation"}
)
SECTION_WEIGHTS: dict[str, int] = {s: (2 if s in CORE_SECTIONS else 1) for s in TEMPLATE_SECTIONS}
_TOTAL_WEIGHT = sum(SECTION_WEIGHTS.values())  # 20

METADATA_FIELDS: tuple[str, ...] = (
    "license",
    "language",
    "datasets",
    "metrics",
    "model-index",
    "base_model",
    "library_name",
    "pipeline_tag",
    "co2_eq_emissions",
)
_PLACEHOLDER_VALUES = frozenset(
    {"", "unknown", "none", "null", "n/a", "na", "tbd", "todo", "[more information needed]", "more information needed"}
)


@dataclass(slots=True)
class Completeness:
    sections_present: frozenset[str]
    sections_filled: frozenset[str]
    metadata_present: dict[str, bool]
    section_score: float  # 0-70
    metadata_score: float  # 0-30
    score: float  # 0-100


def _has_value(v: Any) -> bool:
    t = type(v)
    if t is str:
        if len(v) > 30 and v[:2] != "{{":  # longer than any placeholder word
            return True
        s = v.strip()
        return s.lower() not in _PLACEHOLDER_VALUES and not (s[:2] == "{{" and s[-2:] == "}}")
    if v is None:
        return False
    if t is list or t is tuple:
        for x in v:
            if _has_value(x):
                return True
        return False
    if t is dict:
        for x in v.values():
            if _has_value(x):
                return True
        return False
    return True  # numbers, bools, dates


def _model_index_present(v: Any) -> bool:
    entries = v if isinstance(v, list) else [v]
    return any(isinstance(e, dict) and isinstance(e.get("results"), list) and _has_value(e["results"]) for e in entries)


def _co2_present(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    if isinstance(v, str):
        try:
            float(v.strip())
        except ValueError:
            return False
        return True
    if isinstance(v, dict):
        return _co2_present(v.get("emissions"))
    return False


_FIELD_BITS = tuple((1 << i, f) for i, f in enumerate(METADATA_FIELDS))


def metadata_mask(metadata: dict[str, Any] | None) -> int:
    """Bit i set when METADATA_FIELDS[i] carries a real value."""
    if not metadata:
        return 0
    get = metadata.get
    mask = 0
    for bit, f in _FIELD_BITS:
        v = get(f)
        if v is None:
            continue
        if f == "model-index":
            ok = _model_index_present(v)
        elif f == "co2_eq_emissions":
            ok = _co2_present(v)
        elif v is True or v is False:
            # YAML 1.1 (our lenient fallback, older tools) reads "language: no" (Norwegian) as False;
            # elsewhere a bool is no value
            ok = f == "language"
        else:
            ok = _has_value(v)
        if ok:
            mask |= bit
    return mask


def metadata_presence(metadata: dict[str, Any] | None) -> dict[str, bool]:
    """Which of METADATA_FIELDS carry a real value."""
    mask = metadata_mask(metadata)
    return {f: bool(mask & bit) for bit, f in _FIELD_BITS}


_POINTS_PER_WEIGHT = SECTION_POINTS / _TOTAL_WEIGHT
_POINTS_PER_FIELD = METADATA_POINTS / len(METADATA_FIELDS)


@functools.lru_cache(maxsize=1 << 14)
def _section_points(mask: int) -> float:
    return round(_POINTS_PER_WEIGHT * sum(SECTION_WEIGHTS[s] for s in mask_sections(mask)), 2)


def score_card(parsed: ParsedCard) -> Completeness:
    """Completeness of one parsed card (see the module docstring for the score)."""
    meta = metadata_mask(parsed.metadata)
    sec = _section_points(parsed.filled_mask)
    met = round(_POINTS_PER_FIELD * meta.bit_count(), 2)
    return Completeness(
        mask_sections(parsed.present_mask),
        mask_sections(parsed.filled_mask),
        {f: bool(meta & bit) for bit, f in _FIELD_BITS},
        sec,
        met,
        round(sec + met, 2),
    )


# --- batch rows ---------------------------------------------------------------------------------


def _meta_col(field: str) -> str:
    return "meta_" + field.replace("-", "_")


ROW_COLUMNS: tuple[str, ...] = (
    "key",
    "kind",
    "score",
    "section_score",
    "metadata_score",
    "n_headings",
    "n_sections_present",
    "n_sections_filled",
    "n_metadata",
    "has_front_matter",
    "metadata_loaded",
    "body_chars",
    "fine_tuned_from",
    "fine_tuned_on",
    "issues",
    "has_error",
    *(f"present_{s}" for s in TEMPLATE_SECTIONS),
    *(f"filled_{s}" for s in TEMPLATE_SECTIONS),
    *(_meta_col(f) for f in METADATA_FIELDS),
)


_SCALAR_COLUMNS = ROW_COLUMNS[:16]
_SECTION_BIT = {s: 1 << i for i, s in enumerate(TEMPLATE_SECTIONS)}


def _values(key: Any, parsed: ParsedCard) -> tuple:
    """The scalar columns of a row, then bitmasks of sections present / filled and metadata present.

    Computes the score from the masks directly (same arithmetic as score_card, no Completeness).
    """
    meta = metadata_mask(parsed.metadata)
    n_meta = meta.bit_count()
    sec = _section_points(parsed.filled_mask)
    met = round(_POINTS_PER_FIELD * n_meta, 2)
    issues = parsed.issues
    return (
        str(key),
        parsed.kind,
        round(sec + met, 2),
        sec,
        met,
        len(parsed._rows),
        parsed.present_mask.bit_count(),
        parsed.filled_mask.bit_count(),
        n_meta,
        parsed.has_front_matter,
        parsed.metadata is not None,
        parsed.body_chars,
        parsed.fine_tuned_from,
        parsed.fine_tuned_on,
        ";".join(i.code for i in issues) if issues else "",
        parsed.has_error if issues else False,
        parsed.present_mask,
        parsed.filled_mask,
        meta,
    )


def _error_values(key: Any) -> tuple:
    return (str(key), "error", 0.0, 0.0, 0.0, 0, 0, 0, 0, False, False, 0, None, None, "internal_error", True, 0, 0, 0)


def _row_values(key: Any, raw: bytes | str, repo_id_keys: bool) -> tuple:
    try:
        return _values(key, parse_card(raw, repo_id=str(key) if repo_id_keys else None))
    except Exception:  # noqa: BLE001 - one bad card must not stop the batch
        return _error_values(key)


def _to_row(values: tuple) -> dict[str, Any]:
    row = dict(zip(_SCALAR_COLUMNS, values, strict=False))
    present, filled, meta = values[16], values[17], values[18]
    for s, bit in _SECTION_BIT.items():
        row["present_" + s] = bool(present & bit)
    for s, bit in _SECTION_BIT.items():
        row["filled_" + s] = bool(filled & bit)
    for i, f in enumerate(METADATA_FIELDS):
        row[_meta_col(f)] = bool(meta >> i & 1)
    return row


def card_row(key: Any, parsed: ParsedCard) -> dict[str, Any]:
    """One flat row: scalar columns, one boolean per section present/filled and per metadata field."""
    return _to_row(_values(key, parsed))


def score_cards(items: Iterable[tuple[Any, bytes | str]], *, repo_id_keys: bool = False) -> Iterator[dict[str, Any]]:
    """Stream ``(key, raw card)`` pairs to one flat row each (see ROW_COLUMNS).

    A card that fails unexpectedly becomes a row with kind "error" and issue "internal_error";
    the stream goes on. ``repo_id_keys=True``: keys are repo ids, used as a card-kind signal.
    """
    for key, raw in items:
        yield _to_row(_row_values(key, raw, repo_id_keys))


def row_schema():
    """pyarrow schema of the rows from ``score_cards``."""
    import pyarrow as pa

    types = {
        "key": pa.string(),
        "kind": pa.string(),
        "score": pa.float64(),
        "section_score": pa.float64(),
        "metadata_score": pa.float64(),
        "n_headings": pa.int32(),
        "n_sections_present": pa.int8(),
        "n_sections_filled": pa.int8(),
        "n_metadata": pa.int8(),
        "body_chars": pa.int64(),
        "fine_tuned_from": pa.string(),
        "fine_tuned_on": pa.string(),
        "issues": pa.string(),
    }
    return pa.schema([(c, types.get(c, pa.bool_())) for c in ROW_COLUMNS])


def _batch(rows: list[tuple], schema):
    import numpy as np
    import pyarrow as pa

    columns = list(zip(*rows, strict=True))
    arrays = [pa.array(col, type=schema.field(i).type) for i, col in enumerate(columns[:16])]
    for masks, width in (
        (columns[16], len(TEMPLATE_SECTIONS)),
        (columns[17], len(TEMPLATE_SECTIONS)),
        (columns[18], len(METADATA_FIELDS)),
    ):
        m = np.asarray(masks, dtype=np.int64)
        arrays.extend(pa.array((m >> i) & 1 == 1) for i in range(width))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def score_card_batches(items: Iterable[tuple[Any, bytes | str]], batch_size: int = 8192, *, repo_id_keys: bool = False):
    """``score_cards`` as pyarrow RecordBatches of at most ``batch_size`` rows (memory stays flat).

    Rows are kept as tuples with section/metadata bitmasks and expanded to boolean columns once
    per batch with numpy, instead of building a 60-key dict per card.
    """
    schema = row_schema()
    rows: list[tuple] = []
    for key, raw in items:
        rows.append(_row_values(key, raw, repo_id_keys))
        if len(rows) == batch_size:
            yield _batch(rows, schema)
            rows = []
    if rows:
        yield _batch(rows, schema)
