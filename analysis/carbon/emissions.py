"""Carbon metadata: normalising ``co2_eq_emissions``, reporting practice, efficiency, performance.

The Hub's card spec (https://huggingface.co/docs/hub/model-cards-co2) lets ``co2_eq_emissions`` be a
bare number of grams CO2-eq or a mapping::

    co2_eq_emissions:
      emissions: <number, grams>
      source: <AutoTrain / Code Carbon / a paper / ...>
      training_type: <pre-training | fine-tuning>
      geographical_location: <as granular as possible>
      hardware_used: <e.g. "8 V100 16GB">

Cards in the wild also carry numeric strings, unit-suffixed strings ("1.2 kg"), placeholders
("Not Specified", "[More Information Needed]") and garbage. :func:`normalise_co2` turns any of that into
a :class:`Co2Record` (or ``None`` when nothing is declared) and records every deviation from the spec
as a :class:`Co2Problem` instead of raising, so a whole Hub snapshot can be mapped without guards.

Reporting-practice classes
--------------------------
Ordinal, from least to most informative (:data:`REPORTING_CLASSES`). A text field counts as present
only when it is a non-empty string that is not a placeholder (see :data:`ABSENT_STRINGS`); the
*context* fields are ``training_type``, ``geographical_location`` and ``hardware_used``.

``absent``
    the card declares no ``co2_eq_emissions`` at all (``normalise_co2`` returned ``None``).
``no_figure``
    something is declared but there is no usable emissions figure (garbage, a mapping without a
    valid ``emissions``, a negative or implausible number); context fields may still be present.
``emissions_only``
    a figure, no source, no context field (what AutoTrain writes into every card it generates).
``emissions_source``
    a figure and a source, no context field.
``partial_context``
    a figure and one or two of the three context fields, with or without a source.
``full_context``
    a figure and all three context fields, with or without a source.

``source`` is deliberately not part of the two context classes: once someone describes where and on
what a model was trained, whether they also name their calculator matters less than the context,
and keeping it out keeps the classes totally ordered. :attr:`Co2Record.has_source` is there for
cross-tabulation.

Efficiency and its bands
------------------------
Efficiency is model (or dataset) bytes per gram CO2-eq, as in Castaño et al. 2023 ("size
efficiency"); larger is better. Records with zero emissions have no efficiency (division by zero),
not an infinite one. Bands A (most efficient) .. E are quintiles of the HFCO2 distribution
(castano_hfco2/HFCO2.csv, the Castaño et al. 2023 dataset), derived once offline and frozen here so a
model's band never depends on the batch it is classified with:

* model bytes per g: the 1,415 distinct models (first row per ``modelId``), keeping the 1,301 with
  ``size > 0`` and ``co2_eq_emissions > 0``; quintile cut points of ``size / co2_eq_emissions``
  (numpy linear interpolation) 2.756e7, 1.034e8, 3.281e8, 1.589e9, rounded to two significant
  figures -> :data:`MODEL_EFFICIENCY_BANDS`.
* dataset bytes per g: same procedure on the 60 distinct models with ``datasets_size > 0``; cut points
  1.489e5, 1.282e6, 2.876e6, 1.551e7 -> :data:`DATASET_EFFICIENCY_BANDS`. Sixty points make these
  bands coarse; treat dataset bands as indicative.

``tests/test_carbon_conformance.py`` re-derives both sets from the CSV and checks the constants.

Performance score
-----------------
:func:`performance_score` is the harmonic mean of the accuracy, F1, ROUGE-1 and ROUGE-L values a
model-index reports (Castaño et al.'s definition, which their ``performance_score`` column follows).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from analysis.excerpt import excerpt

__all__ = [
    "ABSENT_STRINGS",
    "ABSURD_EMISSIONS_G",
    "CO2_KEYS",
    "CONTEXT_FIELDS",
    "Co2Problem",
    "Co2Record",
    "DATASET_EFFICIENCY_BANDS",
    "EFFICIENCY_BAND_NAMES",
    "MODEL_EFFICIENCY_BANDS",
    "PERFORMANCE_METRICS",
    "REPORTING_CLASSES",
    "bytes_per_gram",
    "dataset_efficiency_band",
    "efficiency_band",
    "is_absent_string",
    "model_efficiency_band",
    "normalise_co2",
    "parse_emissions",
    "performance_score",
    "reporting_class",
]

CO2_KEYS: tuple[str, ...] = ("emissions", "source", "training_type", "geographical_location", "hardware_used")
CONTEXT_FIELDS: tuple[str, ...] = ("training_type", "geographical_location", "hardware_used")
REPORTING_CLASSES: tuple[str, ...] = (
    "absent", "no_figure", "emissions_only", "emissions_source", "partial_context", "full_context",
)

# Placeholders people (and card templates) put where they have nothing to say; compared after
# strip + casefold + dropping trailing punctuation. "na" is left out on purpose: it is also a real
# location abbreviation (North America) and language code.
ABSENT_STRINGS: frozenset[str] = frozenset({
    "", "not specified", "unspecified", "not provided", "not available", "not applicable", "unknown",
    "n/a", "n.a", "none", "null", "nil", "nan", "-", "--", "?", "tbd", "todo", "[more information needed]",
    "more information needed", "needs more information",
})

# Largest published training footprints are ~1e10 g (Llama 3.1 405B, location-based); ten times that
# is no longer a footprint anyone could have measured but a unit slip or a typo.
ABSURD_EMISSIONS_G = 1e11

# Lower bounds (bytes per g CO2-eq) of bands A, B, C, D; anything lower is E. See module docstring.
EFFICIENCY_BAND_NAMES: tuple[str, ...] = ("A", "B", "C", "D", "E")
MODEL_EFFICIENCY_BANDS: tuple[float, float, float, float] = (1.6e9, 3.3e8, 1.0e8, 2.8e7)
DATASET_EFFICIENCY_BANDS: tuple[float, float, float, float] = (1.6e7, 2.9e6, 1.3e6, 1.5e5)

# Canonical metric -> the metric-type spellings that mean it in model-index entries.
PERFORMANCE_METRICS: dict[str, frozenset[str]] = {
    "accuracy": frozenset({"accuracy", "acc"}),
    "f1": frozenset({"f1", "f1score", "f1_score", "f1-score", "f-score", "fscore"}),
    "rouge1": frozenset({"rouge1", "rouge-1", "rouge_1"}),
    "rougeL": frozenset({"rougel", "rouge-l", "rouge_l"}),
}

# Hostile inputs (huge mappings, megabyte strings) must not cost more than a well-formed card.
_MAX_KEYS = 64
_MAX_TEXT = 10_000
_MAX_MODEL_INDEX_ITEMS = 1_000


@dataclass(frozen=True)
class Co2Problem:
    """One deviation of a ``co2_eq_emissions`` value from the Hub spec.

    ``key`` is the mapping key concerned (None for the value as a whole); ``value`` is the offending
    raw object, kept out of ``repr`` because it may be arbitrarily large or self-referential.
    """

    key: str | None
    code: str
    message: str
    value: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Co2Record:
    """A normalised ``co2_eq_emissions`` declaration. ``emissions_g`` is grams CO2-eq or None."""

    emissions_g: float | None
    source: str | None = None
    training_type: str | None = None
    geographical_location: str | None = None
    hardware_used: str | None = None
    form: str = "mapping"  # how it was written: "number", "string", "mapping" or "other"
    problems: tuple[Co2Problem, ...] = ()

    @property
    def has_figure(self) -> bool:
        return self.emissions_g is not None

    @property
    def has_source(self) -> bool:
        return self.source is not None

    @property
    def context_fields(self) -> int:
        return sum(getattr(self, name) is not None for name in CONTEXT_FIELDS)

    @property
    def training_type_canonical(self) -> str | None:
        """``pretraining`` / ``fine-tuning`` for the spellings people use, else None."""
        if self.training_type is None:
            return None
        squashed = re.sub(r"[\s_\-]+", "", self.training_type.casefold())
        if squashed in {"pretraining", "pretrain", "pretrained", "fromscratch"}:
            return "pretraining"
        if squashed in {"finetuning", "finetune", "finetuned", "ft"}:
            return "fine-tuning"
        return None

    @property
    def reporting_class(self) -> str:
        return reporting_class(self)


def reporting_class(record: Co2Record | None) -> str:
    """The reporting-practice class of a record (``absent`` for None); see the module docstring."""
    if record is None:
        return "absent"
    if record.emissions_g is None:
        return "no_figure"
    context = record.context_fields
    if context == len(CONTEXT_FIELDS):
        return "full_context"
    if context > 0:
        return "partial_context"
    return "emissions_source" if record.has_source else "emissions_only"


def is_absent_string(text: str) -> bool:
    """True for empty strings and placeholders such as "Not Specified" or "[More Information Needed]"."""
    cleaned = text[:200].strip().casefold().rstrip(".!:;")
    return cleaned.strip() in ABSENT_STRINGS


# A figure with an optional unit and an optional "CO2(-eq)" tail: "1.2", "1,234.5 g", "3 kg CO2eq".
_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)?(?:\.\d+)?(?:[eE][-+]?\d+)?"
_EMISSIONS_TEXT = re.compile(
    rf"""^\s*(?P<num>{_NUMBER})\s*
         (?P<unit>g|grams?|gr|kg|kgs|kilograms?|t|tons?|tonnes?|metric\s+tons?|metric\s+tonnes?)?\.?\s*
         (?:of\s+)?(?:co2|co₂)?[\s_\-]*(?:eq|e|equivalent)?\.?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_UNIT_GRAMS = {"g": 1.0, "gram": 1.0, "grams": 1.0, "gr": 1.0, "kg": 1e3, "kgs": 1e3, "kilogram": 1e3,
               "kilograms": 1e3}


def _unit_factor(unit: str | None) -> float:
    if not unit:
        return 1.0
    unit = re.sub(r"\s+", " ", unit.casefold())
    return _UNIT_GRAMS.get(unit, 1e6)  # every other accepted spelling is a (metric) tonne


def _as_float(value: Any) -> float | None:
    """A real number as a float (NaN and inf pass through, too-large ints become +-inf); None otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
    except (TypeError, ValueError):
        return None


def parse_emissions(value: Any, key: str | None = "emissions") -> tuple[float | None, list[Co2Problem]]:
    """Grams CO2-eq from a number or a numeric string; problems for anything off-spec.

    A number is taken as grams (the spec's unit). A string is accepted when it is a number with an
    optional unit (g, kg, t) and an optional "CO2eq" tail; that is still off-spec and reported.
    Negative, non-finite and implausible (> :data:`ABSURD_EMISSIONS_G`) figures are rejected.
    """
    problems: list[Co2Problem] = []
    grams: float | None
    if isinstance(value, bool):
        return None, [Co2Problem(key, "co2_emissions_wrong_type",
                                 f"emissions must be a number of grams, got a boolean ({value})", value)]
    number = _as_float(value)
    if number is not None:
        grams = number
    elif isinstance(value, str):
        text = value[:_MAX_TEXT]
        if is_absent_string(text):
            return None, [Co2Problem(key, "co2_emissions_missing",
                                     "emissions is a placeholder, not a figure", value)]
        match = _EMISSIONS_TEXT.match(text) if len(text) <= 200 else None
        num = match.group("num") if match else ""
        if not match or not re.search(r"\d", num):
            return None, [Co2Problem(key, "co2_emissions_not_numeric",
                                     "emissions is text that is not a figure of grams", value)]
        try:
            grams = float(num.replace(",", "")) * _unit_factor(match.group("unit"))
        except (ValueError, OverflowError):
            return None, [Co2Problem(key, "co2_emissions_not_numeric",
                                     "emissions is text that is not a figure of grams", value)]
        unit = match.group("unit")
        note = f" with unit {unit!r}, converted to grams" if unit else ""
        problems.append(Co2Problem(key, "co2_emissions_string",
                                   f"emissions should be a YAML number, got a string{note}", value))
    else:
        return None, [Co2Problem(key, "co2_emissions_wrong_type",
                                 f"emissions must be a number of grams, got {type(value).__name__}", value)]

    if not math.isfinite(grams):
        problems.append(Co2Problem(key, "co2_emissions_not_finite", "emissions is NaN or infinite", value))
        return None, problems
    if grams < 0:
        problems.append(Co2Problem(key, "co2_emissions_negative", f"emissions is negative ({grams:g} g)", value))
        return None, problems
    if grams > ABSURD_EMISSIONS_G:
        problems.append(Co2Problem(
            key, "co2_emissions_implausible",
            f"emissions of {grams:.3g} g is above {ABSURD_EMISSIONS_G:.0e} g (100 kt), beyond any known "
            "training run; likely a unit or typing error", value))
        return None, problems
    return grams, problems


def _text_field(key: str, value: Any) -> tuple[str | None, list[Co2Problem]]:
    """A descriptive co2 field as a clean string; placeholders become None."""
    if value is None:
        return None, []
    if isinstance(value, str):
        text = value[:_MAX_TEXT].strip()
        return (None if is_absent_string(text) else text), []
    if isinstance(value, bool):
        return None, [Co2Problem(key, "co2_field_wrong_type", f"{key} must be text, got a boolean", value)]
    if isinstance(value, numbers.Real):
        return str(value), [Co2Problem(key, "co2_field_not_string",
                                       f"{key} should be text, got a number (kept as text)", value)]
    if isinstance(value, (list, tuple)) and value and len(value) <= _MAX_KEYS and all(
            isinstance(item, str) for item in value):
        parts = [item[:_MAX_TEXT].strip() for item in value]
        parts = [part for part in parts if not is_absent_string(part)]
        text = ", ".join(parts)[:_MAX_TEXT] or None
        return text, [Co2Problem(key, "co2_field_not_string",
                                 f"{key} should be text, got a list of strings (joined)", value)]
    return None, [Co2Problem(key, "co2_field_wrong_type",
                             f"{key} must be text, got {type(value).__name__}", value)]


def normalise_co2(value: Any) -> Co2Record | None:
    """Normalise a card's ``co2_eq_emissions`` value; None when nothing is declared.

    Never raises. Accepts a bare number of grams, a numeric string, or a mapping with the spec's keys;
    anything else becomes a record without a figure and with a problem that says why.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if is_absent_string(value[:_MAX_TEXT]):
            return None
        grams, problems = parse_emissions(value, key=None)
        return Co2Record(emissions_g=grams, form="string", problems=tuple(problems))
    if isinstance(value, numbers.Real):  # bools included, so they get the emissions wording
        grams, problems = parse_emissions(value, key=None)
        form = "other" if isinstance(value, bool) else "number"
        return Co2Record(emissions_g=grams, form=form, problems=tuple(problems))
    if not isinstance(value, dict):
        return Co2Record(emissions_g=None, form="other", problems=(Co2Problem(
            None, "co2_wrong_type",
            f"co2_eq_emissions must be a number of grams or a mapping, got {type(value).__name__}", value),))
    return _normalise_mapping(value)


def _normalise_mapping(mapping: dict) -> Co2Record:
    problems: list[Co2Problem] = []
    found: dict[str, Any] = {}
    try:
        # spec keys by direct lookup, so a figure is found however many other keys surround it
        for name in CO2_KEYS:
            if name in mapping:
                found[name] = mapping[name]
        items = list(_take(mapping.items(), _MAX_KEYS + 1))
    except Exception:  # a dict subclass with hostile accessors; nothing usable in it
        found, items = {}, []
        problems.append(Co2Problem(None, "co2_wrong_type", "co2_eq_emissions mapping cannot be read", None))
    if len(items) > _MAX_KEYS:
        problems.append(Co2Problem(None, "co2_too_many_keys",
                                   f"co2_eq_emissions has more than {_MAX_KEYS} keys; the rest were not checked",
                                   None))
        items = items[:_MAX_KEYS]
    for key, raw in items:
        name = key if isinstance(key, str) else None
        if name in CO2_KEYS:
            continue
        folded = name.strip().casefold().replace(" ", "_").replace("-", "_") if name is not None else None
        if folded in CO2_KEYS and folded not in found:
            found[folded] = raw
            problems.append(Co2Problem(name, "co2_key_misspelled",
                                       f"key {name[:60]!r} should be spelled {folded!r}", raw))
            continue
        label = name[:60] if name is not None else excerpt(key, 60)
        problems.append(Co2Problem(name, "co2_unknown_key",
                                   f"key {label!r} is not part of the co2_eq_emissions spec "
                                   f"({', '.join(CO2_KEYS)})", raw))

    grams: float | None = None
    if "emissions" not in found or found["emissions"] is None:
        problems.append(Co2Problem("emissions", "co2_emissions_missing",
                                   "co2_eq_emissions mapping has no emissions figure", None))
    else:
        grams, emission_problems = parse_emissions(found["emissions"])
        problems.extend(emission_problems)

    texts: dict[str, str | None] = {}
    for name in CO2_KEYS[1:]:
        texts[name], field_problems = _text_field(name, found.get(name))
        problems.extend(field_problems)
    return Co2Record(emissions_g=grams, form="mapping", problems=tuple(problems), **texts)


def _take(iterable: Iterable, n: int) -> Iterable:
    for i, item in enumerate(iterable):
        if i >= n:
            return
        yield item


# ----------------------------------------------------------------------------------------------------
# Efficiency


def bytes_per_gram(size_bytes: Any, emissions_g: Any) -> float | None:
    """Bytes per gram CO2-eq; None when either side is missing, not positive or not finite."""
    size = _as_float(size_bytes)
    grams = _as_float(emissions_g)
    if size is None or grams is None or not math.isfinite(size) or not math.isfinite(grams):
        return None
    if size <= 0 or grams <= 0:
        return None
    return size / grams


def efficiency_band(bytes_per_g: float | None, bands: tuple[float, float, float, float]) -> str | None:
    """Band letter for an efficiency given the lower bounds of A..D (descending); None for None."""
    if bytes_per_g is None or not isinstance(bytes_per_g, numbers.Real) or math.isnan(bytes_per_g):
        return None
    for name, lower in zip(EFFICIENCY_BAND_NAMES, bands):
        if bytes_per_g >= lower:
            return name
    return EFFICIENCY_BAND_NAMES[-1]


def model_efficiency_band(model_bytes: Any, emissions_g: Any) -> str | None:
    """Band A..E of model bytes per g CO2-eq against :data:`MODEL_EFFICIENCY_BANDS`."""
    return efficiency_band(bytes_per_gram(model_bytes, emissions_g), MODEL_EFFICIENCY_BANDS)


def dataset_efficiency_band(dataset_bytes: Any, emissions_g: Any) -> str | None:
    """Band A..E of dataset bytes per g CO2-eq against :data:`DATASET_EFFICIENCY_BANDS`."""
    return efficiency_band(bytes_per_gram(dataset_bytes, emissions_g), DATASET_EFFICIENCY_BANDS)


# ----------------------------------------------------------------------------------------------------
# Performance

_LEADING_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(%?)")


def _metric_value(value: Any) -> float | None:
    """A metric value on the 0..1 scale, or None when it is not a usable score.

    Values written as percentages (1 < v <= 100, or a string ending in %) are divided by 100: ROUGE
    is routinely reported on the 0..100 scale, and a harmonic mean across scales is meaningless.
    Strings like "20.0 ± 1.2" (allowed by the model-index spec) use their leading number.
    """
    percent = False
    number = _as_float(value)
    if number is None and isinstance(value, str):
        match = _LEADING_NUMBER.match(value[:100])
        if not match:
            return None
        try:
            number = float(match.group(1))
        except (ValueError, OverflowError):
            return None
        percent = bool(match.group(2))
    if number is None or not math.isfinite(number) or number < 0:
        return None
    if percent or 1 < number <= 100:
        number /= 100
    return number if number <= 1 else None


def _canonical_metric(metric_type: Any) -> str | None:
    if not isinstance(metric_type, str):
        return None
    folded = metric_type[:100].strip().casefold()
    for canonical, spellings in PERFORMANCE_METRICS.items():
        if folded in spellings:
            return canonical
    return None


def performance_score(model_index: Any) -> float | None:
    """Harmonic mean of the accuracy, F1, ROUGE-1 and ROUGE-L a model-index reports; None if none.

    Each canonical metric contributes once: its first usable value in model-index order (the first
    result is the one the Hub shows; later ones are usually other datasets or splits). A reported
    score of 0 makes the mean 0. Malformed entries are skipped, never raised on.
    """
    values: dict[str, float] = {}
    try:
        for metric in _iter_metrics(model_index):
            canonical = _canonical_metric(metric.get("type"))
            if canonical is None or canonical in values:
                continue
            score = _metric_value(metric.get("value"))
            if score is not None:
                values[canonical] = score
            if len(values) == len(PERFORMANCE_METRICS):
                break
    except Exception:  # hostile containers; score what was collected
        pass
    if not values:
        return None
    if any(v == 0 for v in values.values()):
        return 0.0
    return len(values) / sum(1 / v for v in values.values())


def _iter_metrics(model_index: Any) -> Iterable[dict]:
    if not isinstance(model_index, list):
        return
    seen = 0
    for entry in model_index[:_MAX_MODEL_INDEX_ITEMS]:
        results = entry.get("results") if isinstance(entry, dict) else None
        if not isinstance(results, list):
            continue
        for result in results[:_MAX_MODEL_INDEX_ITEMS]:
            metrics = result.get("metrics") if isinstance(result, dict) else None
            if not isinstance(metrics, list):
                continue
            for metric in metrics[:_MAX_MODEL_INDEX_ITEMS]:
                seen += 1
                if seen > _MAX_MODEL_INDEX_ITEMS * 10:
                    return
                if isinstance(metric, dict):
                    yield metric
