"""A short, bounded rendering of any value, for problem rows that show what a card declared.

Card metadata comes from strangers' YAML and JSON, so a value shown in a problem row can be of any
type, deeply nested, self-referential (YAML anchors) or huge. The metadata validator, the lineage
extraction and the carbon key labels all show such values; this is the one rendering they share,
each with its own length limit.
"""

from __future__ import annotations

from typing import Any

__all__ = ["excerpt"]

_MAX_DEPTH = 3
_MAX_ITEMS = 8
_MAX_INT_BITS = 200


def excerpt(value: Any, limit: int, *, quote: bool = True) -> str:
    """``value`` in at most ``limit`` characters: depth <= 3, <= 8 items per container, a cut marked "…".

    Strings are shown as ``repr`` (quoted); ``quote=False`` shows a top-level string as written (an
    id or a URL reads better bare). ``repr`` is not safe for the rest: it recurses without bound on
    self-referential YAML anchors and deep nesting, and refuses to print ints with more than 4,300
    digits.
    """
    if not quote and isinstance(value, str):
        return _clip(value, limit)
    parts: list[str] = []
    budget = [limit + 1]

    def emit(text: str) -> bool:
        if budget[0] <= 0:
            return False
        parts.append(text[: budget[0]])
        budget[0] -= len(text)
        return budget[0] > 0

    def walk(v: Any, depth: int) -> None:
        if budget[0] <= 0:
            return
        if v is None or isinstance(v, bool):
            emit(repr(v))
        elif isinstance(v, int):
            emit(str(v) if v.bit_length() <= _MAX_INT_BITS else f"<int of ~{int(v.bit_length() * 0.30103)} digits>")
        elif isinstance(v, float):
            emit(repr(v))
        elif isinstance(v, str):
            emit(repr(v[: limit + 2]))
        elif isinstance(v, (dict, list, tuple)):
            mapping = isinstance(v, dict)
            opening, closing = "{}" if mapping else "[]"
            if depth >= _MAX_DEPTH:
                emit(opening + "…" + closing)
                return
            emit(opening)
            for n, item in enumerate(v.items() if mapping else v):
                if n >= _MAX_ITEMS:
                    emit(", …")
                    break
                if n:
                    emit(", ")
                if mapping:
                    walk(item[0], depth + 1)
                    emit(": ")
                    item = item[1]
                walk(item, depth + 1)
                if budget[0] <= 0:
                    break
            emit(closing)
        else:
            emit(f"<{type(v).__name__}>")

    try:
        walk(value, 0)
    except Exception:
        return f"<{type(value).__name__}>"
    return _clip("".join(parts), limit)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
