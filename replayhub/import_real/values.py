"""Reading the recorded values every source shares: dates in the Hub's form, numbers and Python
list literals as the CSVs store them, and card YAML as the Hub exposes it."""

from __future__ import annotations

import ast
import json
from datetime import UTC, date, datetime
from typing import Any

import yaml

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def hub_date(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def hub_date_text(text: str) -> str:
    """``2023-03-19T21:35:48.0000Z`` (GAISSA) -> ``2023-03-19T21:35:48.000Z`` (the Hub's form)."""
    head, _, frac = text.rstrip("Z").partition(".")
    return f"{head}.{(frac + '000')[:3]}Z"


def num(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def whole(text: str | None) -> int | None:
    value = num(text)
    return int(value) if value is not None else None


def list_literal(text: str | None) -> list[str]:
    """``"['a', 'b']"`` as the CSVs store Python lists; anything else is no list."""
    if not text:
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return []
    return [v for v in value if isinstance(v, str) and v] if isinstance(value, list) else []


def yaml_mapping(text: str) -> dict[str, Any] | None:
    """Card YAML as the Hub exposes it: a mapping with JSON types, or nothing when it is invalid."""
    try:
        value = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(value, dict):
        return None
    try:
        return json.loads(json.dumps(value, default=_json_default, allow_nan=False))
    except (TypeError, ValueError):
        return None


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return hub_date(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
