"""Bounded, safe loading of model-card YAML front matter.

Every document goes through PyYAML's safe loader (the C one when available) behind guards: a size
cap, a refusal of ``!!python/*`` tags and an alias-expansion budget (a "billion laughs" document is
cheap to load because PyYAML shares aliased nodes, but any consumer that walks or serialises it
explodes). Front matter repeated across cards (Trainer, AutoTrain, tutorials) is loaded once and
copied afterwards.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Front matter larger than this is not handed to YAML at all.
MAX_FRONT_MATTER_CHARS = 256 * 1024
#: Expanded node count (aliases counted at their full size) above which a document is refused.
MAX_EXPANDED_NODES = 100_000

_UNSAFE_TAG = re.compile(r"!!python|!python/|tag:yaml\.org,2002:python/", re.I)


class YamlRefused(Exception):
    """Front matter refused before YAML construction (issue code in ``code``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _check_aliases(text: str, budget: int) -> None:
    """Refuse documents whose alias expansion exceeds ``budget`` nodes, before constructing them."""
    sizes: dict[str, int] = {}
    stack: list[list] = []
    total = 0
    for ev in yaml.parse(text, Loader=SafeLoader):
        t = type(ev)
        if t is ScalarEvent:
            n = 1
            if ev.anchor:
                sizes[ev.anchor] = 1
        elif t is SequenceStartEvent or t is MappingStartEvent:
            stack.append([1, ev.anchor])
            continue
        elif t is SequenceEndEvent or t is MappingEndEvent:
            n, anchor = stack.pop()
            if anchor:
                sizes[anchor] = n
        elif t is AliasEvent:
            n = sizes.get(ev.anchor, 1)
        else:
            continue
        if stack:
            stack[-1][0] += n
            if stack[-1][0] > budget:
                raise YamlRefused("yaml_alias_bomb", f"alias expansion exceeds {budget} nodes")
        else:
            total += n
            if total > budget:
                raise YamlRefused("yaml_alias_bomb", f"alias expansion exceeds {budget} nodes")


# Identical front matter is common on the Hub (tutorial fine-tunes, AutoTrain, Trainer defaults:
# a third of the 2023 corpus repeats another card's exactly), so small ones seen before are parsed
# once and copied afterwards. A cache entry costs a structural copy per use (the cached tree stays
# private), so only front matter seen twice within the last _SEEN_MAX is admitted: unique ones
# pay nothing.
_CACHE_MAX_CHARS = 4096
_SEEN_MAX = 4096  # the cache size: a wider window would admit what the LRU then evicts unused
_seen: set[int] = set()


_SHARED = (str, int, float, bool, type(None))


def _clone(v: Any) -> Any:
    t = type(v)
    if t is dict:
        return {k: (x if type(x) in _SHARED else _clone(x)) for k, x in v.items()}
    if t is list:
        return [x if type(x) in _SHARED else _clone(x) for x in v]
    return v


def _safe_load(text: str) -> Any:
    if "!" in text and _UNSAFE_TAG.search(text):
        raise YamlRefused("yaml_unsafe_tag", "python object tag refused")
    if "&" in text and "*" in text:
        _check_aliases(text, MAX_EXPANDED_NODES)
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader (C or Python)


@functools.lru_cache(maxsize=4096)
def _cached(text: str) -> tuple[Any, tuple]:
    """(private parsed tree, keys whose values need a deep copy); errors propagate, uncached."""
    value = _safe_load(text)
    if type(value) is not dict:
        return value, ()
    return value, tuple(k for k, x in value.items() if type(x) not in _SHARED)


def _copy_cached(text: str) -> Any:
    value, deep = _cached(text)
    if type(value) is not dict:
        return _clone(value)
    out = value.copy()  # C-level copy of the top level; only nested containers are walked
    for k in deep:
        out[k] = _clone(value[k])
    return out


def load_front_matter(text: str) -> tuple[Any, bool]:
    """Load front matter safely: ``(value, came_from_the_repeat_cache)``.

    Raises ``YamlRefused`` for refused input and ``yaml.YAMLError`` (or RecursionError etc.) for
    invalid YAML; callers turn both into recorded issues.
    """
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise YamlRefused("yaml_too_large", f"front matter over {MAX_FRONT_MATTER_CHARS} chars not parsed")
    if len(text) <= _CACHE_MAX_CHARS:
        h = hash(text)
        if h in _seen:
            return _copy_cached(text), True
        if len(_seen) >= _SEEN_MAX:
            _seen.clear()
        _seen.add(h)
    return _safe_load(text), False
