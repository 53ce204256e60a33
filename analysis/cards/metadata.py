"""Validate a model card's YAML metadata (``cardData``) against the Hub's card spec.

:func:`validate_metadata` returns one :class:`MetadataProblem` per problem found, each naming the field
(a path such as ``model-index[0].results[1].metrics[2].value``), a stable machine code, a message for
people and a short excerpt of the offending value. It never raises: metadata comes from strangers'
YAML, which can be of any type at any level, deeply nested, self-referential (YAML anchors) or huge.
Work is capped (items per list, problems per card) and excerpts are rendered with bounded depth and
length, so a hostile card costs about as much as a large honest one.

What is checked, and where the rules come from:

* ``license`` -- one id from the Hub's licence list (:data:`HUB_LICENSE_IDS`); ``other`` needs
  ``license_name`` and ``license_link`` (hub-docs repositories-licenses.md: "In case of
  `license: other` ... set a name for it in `license_name`"; ModelCardData documents the pair).
* ``base_model`` -- a repo id or a list of repo ids, by huggingface_hub's own ``validate_repo_id``
  (``namespace/name`` or a legacy bare name, [A-Za-z0-9-_.], no ``--``/``..``, no ``.git`` suffix,
  at most 96 characters per part), not the model itself; ``base_model_relation`` one of
  adapter/merge/quantized/finetune and only alongside a ``base_model``.
* ``model-index`` -- the structure ``huggingface_hub.repocard_data.model_index_to_eval_results``
  reads: a non-empty list of ``{name, results: [{task: {type, name?}, dataset: {type, name, config?,
  split?, revision?}, metrics: [{type, value, name?}], source?: {name, url}}]}``; metric values
  numeric (or a string that starts with a number, e.g. "20.0 ± 1.2", which the spec allows), finite
  and of sane magnitude.
* ``co2_eq_emissions`` -- the Hub's co2 spec, through :func:`analysis.carbon.emissions.normalise_co2` so the
  validator and the carbon analysis can never disagree about what a valid declaration is.
* ``language`` -- shape only: a lowercase ISO 639-1/2/3 code (2-3 letters), optionally with region or
  script subtags (``en-US``, ``zh-Hans``, ``pt_BR``), or the Hub's special values.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from analysis.carbon.emissions import normalise_co2
from analysis.excerpt import excerpt

try:
    from huggingface_hub.utils import validate_repo_id as _validate_repo_id
except Exception:  # a hard dependency, but keep validating (with a copy of its regex) if its layout moves
    _validate_repo_id = None

__all__ = [
    "BASE_MODEL_RELATIONS",
    "HUB_LICENSE_IDS",
    "LANGUAGE_SPECIAL_VALUES",
    "MAX_LIST_ITEMS",
    "MAX_PROBLEMS",
    "METRIC_ABSURD_ABS",
    "MetadataProblem",
    "validate_metadata",
]

# The Hub's licence identifiers: the table in huggingface/hub-docs docs/hub/repositories-licenses.md
# (the list https://huggingface.co/docs/hub/repositories-licenses renders), as of the merged additions
# llama3 (hub-docs#1274), llama3.1 (#1412), llama3.2, llama3.3 (#1619), llama4 (#1692), apple-ascl
# (#1311), apple-amlr (#1618) and intel-research (#1502). Proposals still open upstream are left out.
HUB_LICENSE_IDS: frozenset[str] = frozenset({
    "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m",
    "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd",
    "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0",
    "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0",
    "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0",
    "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0",
    "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1",
    "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc",
    "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr", "mpl-2.0", "odc-by", "odbl",
    "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr",
    "deepfloyd-if-license", "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma",
    "unknown", "other",
})

# hub-docs model cards / huggingface_hub ModelCardData docs.
BASE_MODEL_RELATIONS: frozenset[str] = frozenset({"adapter", "merge", "quantized", "finetune"})
LANGUAGE_SPECIAL_VALUES: frozenset[str] = frozenset({"code", "multilingual"})

MAX_LIST_ITEMS = 1_000  # items examined per list; beyond that one truncation row is emitted
MAX_PROBLEMS = 500      # problems per card; beyond that one truncation row is emitted
METRIC_ABSURD_ABS = 1e12  # no accuracy, loss, perplexity or WER is this large; 1e300 is a typo or overflow
_EXCERPT_CHARS = 120

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}")
_LEADING_NUMBER = re.compile(r"\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class MetadataProblem:
    """One problem in a card's metadata. ``code`` is stable and meant for grouping/counting."""

    field: str
    code: str
    message: str
    value_excerpt: str


class _TooMany(Exception):
    """Raised internally once MAX_PROBLEMS rows exist, to stop all further work."""


class _Collector:
    def __init__(self) -> None:
        self.rows: list[MetadataProblem] = []

    def add(self, field: str, code: str, message: str, value: Any = None, *, show_value: bool = True) -> None:
        if len(self.rows) >= MAX_PROBLEMS:
            self.rows.append(MetadataProblem(
                "", "problems_truncated", f"more than {MAX_PROBLEMS} problems; the rest were not reported", ""))
            raise _TooMany
        self.rows.append(MetadataProblem(field, code, message, excerpt(value, _EXCERPT_CHARS) if show_value else ""))


def validate_metadata(metadata: dict | None, *, repo_id: str | None = None) -> list[MetadataProblem]:
    """All spec problems in a card's metadata, one row each; [] for None or clean metadata. Never raises."""
    out = _Collector()
    try:
        if metadata is None:
            return []
        if not isinstance(metadata, dict):
            out.add("", "metadata_not_mapping",
                    f"card metadata must be a YAML mapping, got {_type_name(metadata)}", metadata)
            return out.rows
        checks = (
            _check_license, _check_base_model, _check_model_index, _check_co2, _check_language,
        )
        for check in checks:
            check(metadata, out, repo_id)
    except _TooMany:
        pass
    except Exception as error:  # last line of defence: a validator bug must not sink a whole crawl
        try:
            out.rows.append(MetadataProblem("", "validator_error",
                                            f"validation stopped early: {type(error).__name__}", ""))
        except Exception:
            pass
    return out.rows


# ----------------------------------------------------------------------------------------------------
# license


_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _check_license(meta: dict, out: _Collector, repo_id: str | None) -> None:
    license_ = meta.get("license")
    name, link = meta.get("license_name"), meta.get("license_link")
    for key, value in (("license_name", name), ("license_link", link)):
        if value is not None and not (isinstance(value, str) and value.strip()):
            out.add(key, f"{key}_wrong_type", f"{key} must be a non-empty string, got {_type_name(value)}", value)
    if isinstance(link, str) and (scheme := _URL_SCHEME.match(link.strip())) and \
            scheme.group(1).lower() not in ("http", "https"):
        # a path in the repo (LICENSE.md) or a web URL; "javascript:" and friends are neither
        out.add("license_link", "license_link_bad_scheme",
                f"license_link must be an http(s) URL or a path in the repo, not a {scheme.group(1)[:20]}: link",
                link)
    if license_ is None:
        if name is not None or link is not None:
            out.add("license", "license_missing_with_name",
                    "license_name/license_link are set but license is not; set license: other", None,
                    show_value=False)
        return
    if isinstance(license_, list):
        single = license_[0] if len(license_) == 1 and isinstance(license_[0], str) else None
        hint = f"write license: {single[:40]}" if single is not None else \
            "for several licences, describe them in LICENSE and use license: other"
        out.add("license", "license_wrong_type", f"license must be one identifier string, got a list ({hint})",
                license_)
        return
    if not isinstance(license_, str):
        out.add("license", "license_wrong_type", f"license must be a string, got {_type_name(license_)}", license_)
        return
    ident = license_.strip()
    if ident not in HUB_LICENSE_IDS:
        lowered = ident.casefold()
        if lowered in HUB_LICENSE_IDS:
            out.add("license", "license_id_case", f"license ids are lowercase: use {lowered!r}", license_)
        else:
            out.add("license", "license_unknown_id",
                    "license is not an identifier from the Hub's licence list; use one of them or 'other' "
                    "with license_name and license_link", license_)
        return
    if ident == "other":
        # a present-but-malformed name/link was reported above; only absence is reported here
        if name is None:
            out.add("license_name", "license_other_without_name",
                    "license: other needs license_name (a short id for the licence)", None, show_value=False)
        if link is None:
            out.add("license_link", "license_other_without_link",
                    "license: other needs license_link (URL or path of the licence text, e.g. LICENSE)", None,
                    show_value=False)
    elif name is not None or link is not None:
        out.add("license_name" if name is not None else "license_link", "license_name_without_other",
                f"license_name/license_link only apply to license: other, but license is {ident!r}",
                name if name is not None else link)


# ----------------------------------------------------------------------------------------------------
# base_model


def _repo_id_error(value: str) -> str | None:
    """huggingface_hub's own repo-id rule, as a message; None when valid."""
    if _validate_repo_id is not None:
        try:
            _validate_repo_id(value)
            return None
        except Exception as error:
            return str(error)[:200]
    ok = re.fullmatch(r"(?:[\w\-.]{1,96}/)?[\w\-.]{1,96}", value, flags=re.ASCII)
    return None if ok and "--" not in value and ".." not in value else "not a valid repo id"


def _one_or_many(value: Any, key: str, expected: str, out: _Collector) -> Iterator[tuple[str, Any]]:
    """(field path, item) of a field that takes one string or a list (capped); a bad shape is reported."""
    if isinstance(value, str):
        yield key, value
    elif not isinstance(value, list):
        out.add(key, f"{key}_wrong_type", f"{key} must be {expected}, got {_type_name(value)}", value)
    elif not value:
        out.add(key, f"{key}_empty", f"{key} is an empty list", value)
    else:
        for i, item in _capped(value, key, out):
            yield f"{key}[{i}]", item


def _check_base_model(meta: dict, out: _Collector, repo_id: str | None) -> None:
    base = meta.get("base_model")
    relation = meta.get("base_model_relation")
    if relation is not None:
        if not isinstance(relation, str):
            out.add("base_model_relation", "base_model_relation_wrong_type",
                    f"base_model_relation must be a string, got {_type_name(relation)}", relation)
        elif relation not in BASE_MODEL_RELATIONS:
            out.add("base_model_relation", "base_model_relation_unknown",
                    f"base_model_relation must be one of {', '.join(sorted(BASE_MODEL_RELATIONS))}", relation)
        if base is None:
            out.add("base_model_relation", "base_model_relation_without_base_model",
                    "base_model_relation is set but base_model is not", relation)
    if base is None:
        return
    seen: set[str] = set()
    for where, item in _one_or_many(base, "base_model", "a repo id or a list of repo ids", out):
        if not isinstance(item, str):
            out.add(where, "base_model_wrong_type", f"base_model entries must be strings, got {_type_name(item)}",
                    item)
            continue
        candidate = item.strip()
        error = _repo_id_error(candidate) if len(candidate) <= 300 else "longer than any repo id"
        if error is not None:
            head = candidate[:300]
            hint = " (write the repo id, not a URL)" if "://" in head or "huggingface.co" in head else ""
            out.add(where, "base_model_invalid_repo_id", f"not a valid Hub repo id{hint}: {error}", item)
            continue
        if isinstance(repo_id, str) and candidate == repo_id:
            out.add(where, "base_model_self_reference", "base_model names the model itself", item)
        if candidate in seen:
            out.add(where, "base_model_duplicate", "base_model lists this repo id more than once", item)
        seen.add(candidate)


# ----------------------------------------------------------------------------------------------------
# model-index


def _check_model_index(meta: dict, out: _Collector, repo_id: str | None) -> None:
    if "model-index" not in meta:
        if "model_index" in meta:
            out.add("model_index", "model_index_misspelled", "the key is 'model-index' (with a hyphen)",
                    meta.get("model_index"))
        return
    index = meta.get("model-index")
    if not isinstance(index, list):
        out.add("model-index", "model_index_wrong_type",
                f"model-index must be a list of models, got {_type_name(index)}", index)
        return
    if not index:
        out.add("model-index", "model_index_empty", "model-index is an empty list", index)
        return
    for i, entry in _capped(index, "model-index", out):
        here = f"model-index[{i}]"
        if not isinstance(entry, dict):
            out.add(here, "model_index_entry_wrong_type",
                    f"model-index entries must be mappings, got {_type_name(entry)}", entry)
            continue
        _require_str(entry, "name", here, out, "model_index_name")
        results = _require_list(entry, "results", "model-index entry", here, out)
        if results is None:
            continue
        for j, result in _capped(results, f"{here}.results", out):
            _check_result(result, f"{here}.results[{j}]", out)


def _require_list(parent: dict, key: str, owner: str, here: str, out: _Collector) -> list | None:
    """``parent[key]`` when it is a list (an empty one is reported but returned); else None, reported."""
    value = parent.get(key)
    where, code = f"{here}.{key}", f"model_index_{key}"
    if value is None:
        out.add(where, f"{code}_missing", f"{owner} has no {key}", None, show_value=False)
        return None
    if not isinstance(value, list):
        out.add(where, f"{code}_wrong_type", f"{key} must be a list, got {_type_name(value)}", value)
        return None
    if not value:
        out.add(where, f"{code}_empty", f"{key} is an empty list", value)
    return value


def _check_result(result: Any, here: str, out: _Collector) -> None:
    if not isinstance(result, dict):
        out.add(here, "model_index_result_wrong_type", f"results entries must be mappings, got {_type_name(result)}",
                result)
        return
    task = _require_mapping(result, "task", here, out)
    if task is not None:
        _require_str(task, "type", f"{here}.task", out, "model_index_task_type")
        _optional_str(task, "name", f"{here}.task", out)
    dataset = _require_mapping(result, "dataset", here, out)
    if dataset is not None:
        _require_str(dataset, "type", f"{here}.dataset", out, "model_index_dataset_type")
        _require_str(dataset, "name", f"{here}.dataset", out, "model_index_dataset_name")
        for key in ("config", "split", "revision"):
            _optional_str(dataset, key, f"{here}.dataset", out)
    source = result.get("source")
    if source is not None:
        if not isinstance(source, dict):
            out.add(f"{here}.source", "model_index_source_wrong_type",
                    f"source must be a mapping with name and url, got {_type_name(source)}", source)
        elif source.get("name") is not None and source.get("url") is None:
            # huggingface_hub.EvalResult refuses a source_name without a source_url
            out.add(f"{here}.source", "model_index_source_without_url", "source has a name but no url", source)
    metrics = _require_list(result, "metrics", "result", here, out)
    if metrics is None:
        return
    for k, metric in _capped(metrics, f"{here}.metrics", out):
        _check_metric(metric, f"{here}.metrics[{k}]", out)


def _check_metric(metric: Any, here: str, out: _Collector) -> None:
    if not isinstance(metric, dict):
        out.add(here, "model_index_metric_wrong_type", f"metrics entries must be mappings, got {_type_name(metric)}",
                metric)
        return
    _require_str(metric, "type", here, out, "model_index_metric_type")
    _optional_str(metric, "name", here, out)
    if "value" not in metric or metric.get("value") is None:
        out.add(f"{here}.value", "model_index_metric_value_missing", "metric has no value", None, show_value=False)
        return
    value = metric.get("value")
    number: float | None = None
    if isinstance(value, bool):
        out.add(f"{here}.value", "model_index_metric_value_not_numeric", "metric value is a boolean, not a number",
                value)
        return
    if isinstance(value, numbers.Real):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        except Exception:
            number = math.nan
    elif isinstance(value, str):
        match = _LEADING_NUMBER.match(value[:200])
        if not match:
            out.add(f"{here}.value", "model_index_metric_value_not_numeric",
                    "metric value is text without a number", value)
            return
        try:
            number = float(match.group(0))
        except (ValueError, OverflowError):
            number = math.inf
    else:
        out.add(f"{here}.value", "model_index_metric_value_not_numeric",
                f"metric value must be a number, got {_type_name(value)}", value)
        return
    if not math.isfinite(number) or abs(number) > METRIC_ABSURD_ABS:
        out.add(f"{here}.value", "model_index_metric_value_absurd",
                f"metric value is NaN, infinite or beyond ±{METRIC_ABSURD_ABS:.0e}", value)


def _require_mapping(parent: dict, key: str, here: str, out: _Collector) -> dict | None:
    value = parent.get(key)
    if value is None:
        out.add(f"{here}.{key}", f"model_index_{key}_missing", f"result has no {key}", None, show_value=False)
        return None
    if not isinstance(value, dict):
        out.add(f"{here}.{key}", f"model_index_{key}_wrong_type", f"{key} must be a mapping, got {_type_name(value)}",
                value)
        return None
    return value


def _require_str(parent: dict, key: str, here: str, out: _Collector, code: str) -> None:
    value = parent.get(key)
    if value is None:
        out.add(f"{here}.{key}", f"{code}_missing", f"{key} is required", None, show_value=False)
    elif not isinstance(value, str):
        out.add(f"{here}.{key}", f"{code}_wrong_type", f"{key} must be a string, got {_type_name(value)}", value)
    elif not value.strip():
        out.add(f"{here}.{key}", f"{code}_missing", f"{key} is empty", value)


def _optional_str(parent: dict, key: str, here: str, out: _Collector) -> None:
    value = parent.get(key)
    # YAML turns `config: 2017` into an int and `split: null` into None; only the first is a problem
    if value is not None and not isinstance(value, str):
        out.add(f"{here}.{key}", "model_index_field_wrong_type",
                f"{key} must be a string, got {_type_name(value)}", value)


# ----------------------------------------------------------------------------------------------------
# co2_eq_emissions


def _check_co2(meta: dict, out: _Collector, repo_id: str | None) -> None:
    if "co2_eq_emissions" not in meta:
        return
    value = meta.get("co2_eq_emissions")
    if value is None:
        out.add("co2_eq_emissions", "co2_empty", "co2_eq_emissions is declared but empty", None, show_value=False)
        return
    record = normalise_co2(value)
    if record is None:  # a placeholder string such as "Not Specified"
        out.add("co2_eq_emissions", "co2_placeholder", "co2_eq_emissions is a placeholder, not a figure", value)
        return
    for problem in record.problems:
        field = "co2_eq_emissions" if problem.key is None else f"co2_eq_emissions.{problem.key[:60]}"
        shown = problem.value is not None or problem.code not in {"co2_emissions_missing", "co2_too_many_keys"}
        out.add(field, problem.code, problem.message, problem.value, show_value=shown)


# ----------------------------------------------------------------------------------------------------
# language


def _check_language(meta: dict, out: _Collector, repo_id: str | None) -> None:
    if "language" not in meta:
        return
    value = meta.get("language")
    if value is None:
        return
    for where, item in _one_or_many(value, "language", "a code or a list of codes", out):
        if isinstance(item, bool):
            # YAML 1.1 reads an unquoted `no` (Norwegian) as false, `yes`/`on` as true
            out.add(where, "language_not_string",
                    f"language code read as the boolean {item}; quote it (e.g. 'no' for Norwegian)", item)
            continue
        if not isinstance(item, str):
            out.add(where, "language_not_string", f"language codes are strings, got {_type_name(item)}", item)
            continue
        code = item.strip()
        if code in LANGUAGE_SPECIAL_VALUES or (len(code) <= 40 and _LANGUAGE.fullmatch(code)):
            continue
        if len(code) <= 40 and _LANGUAGE.fullmatch(code.lower()):
            out.add(where, "language_not_lowercase", "language codes are lowercase (e.g. 'en', 'en-US')", item)
        else:
            out.add(where, "language_bad_shape",
                    "not an ISO 639-1/2/3 code (2-3 lowercase letters, optional region like 'en-US')", item)


# ----------------------------------------------------------------------------------------------------
# helpers


def _capped(items: list, field: str, out: _Collector) -> Iterator[tuple[int, Any]]:
    for i, item in enumerate(items):
        if i >= MAX_LIST_ITEMS:
            out.add(field, "list_truncated",
                    f"{field} has more than {MAX_LIST_ITEMS} items; only the first {MAX_LIST_ITEMS} were checked",
                    None, show_value=False)
            return
        yield i, item


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, numbers.Real):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__
