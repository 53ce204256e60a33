"""Bounded, safe loading of model-card YAML front matter.

Front matter is read as YAML 1.2 (core schema) by yaml-rs, a Rust parser that builds plain Python
values and never constructs objects from tags. YAML 1.2 is also what a reader of the card expects:
``language: no`` is Norwegian, not ``False`` as in YAML 1.1, and ``commercial: yes`` stays a word.
A document yaml-rs rejects goes to PyYAML's safe loader (the C one when available), which is more
lenient with odd indentation in quoted scalars; a card read that way carries a ``yaml_lenient``
warning, so nothing the Hub accepts is lost.

Guards on both paths: a size cap, a refusal of ``!!python/*`` tags and an alias-expansion budget
(a "billion laughs" document is cheap to load when aliased nodes are shared, but any consumer that
walks or serialises it explodes). Front matter repeated across cards (Trainer, AutoTrain,
tutorials) is loaded once and copied afterwards.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
import yaml_rs
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
#: Flow-collection nesting ([ and {) above which a document is refused. libyaml's composer recurses
#: in C and crashes the process (SIGSEGV) near 100k levels; block nesting needs indentation, which
#: MAX_FRONT_MATTER_CHARS already caps at about 700 levels.
MAX_FLOW_DEPTH = 1_000
_BRACKETS = re.compile(r"[\[\]{}]")

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


_RS_ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=MAX_EXPANDED_NODES)
_LAST_WINS = yaml_rs.DuplicateKeyPolicy.LastWins  # as PyYAML and the Hub: a repeated key's last value
_ALIAS_LIMIT_MESSAGE = "alias replay limit exceeded"


class _Lenient(Exception):
    """Carries a value only PyYAML's lenient loader could read (and why yaml-rs refused it)."""

    def __init__(self, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.value = value


def _pyyaml_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader (C or Python)


def _check_depth(text: str) -> None:
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                raise YamlRefused("yaml_too_deep", f"collections nested deeper than {MAX_FLOW_DEPTH} levels")
        elif depth:
            depth -= 1


def _safe_load(text: str) -> Any:
    if "!" in text and _UNSAFE_TAG.search(text):
        raise YamlRefused("yaml_unsafe_tag", "python object tag refused")
    if text.count("[") + text.count("{") > MAX_FLOW_DEPTH:
        _check_depth(text)  # brackets inside quoted strings count too: a cheap, conservative bound
    if "&" in text and "*" in text:
        # counted on parser events before anything is built, so a bomb costs no memory
        _check_aliases(text, MAX_EXPANDED_NODES)
    try:
        value = yaml_rs.loads(text, alias_limits=_RS_ALIAS_LIMITS, duplicate_key_policy=_LAST_WINS)
    except yaml_rs.YAMLDecodeError as e:
        reason = str(e)
        if _ALIAS_LIMIT_MESSAGE in reason:
            raise YamlRefused("yaml_alias_bomb", f"alias expansion exceeds {MAX_EXPANDED_NODES} nodes") from None
        raise _Lenient(_pyyaml_load(text), reason.splitlines()[-1].strip()[:200]) from None
    if type(value) is dict:
        for k in value:
            if type(k) is frozenset or type(k) is tuple:
                # yaml-rs freezes a mapping used as a key; it is never metadata (usually an unrendered
                # "{{ card_data }}"), and PyYAML refuses it too
                raise yaml.YAMLError(f"front matter has a mapping or sequence as a key: {str(k)[:80]}")
    return value


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


def load_front_matter(text: str) -> tuple[Any, bool, str | None]:
    """Load front matter safely: ``(value, came_from_the_repeat_cache, lenient_reason)``.

    ``lenient_reason`` is set when only the YAML 1.1 fallback could read the document.
    Raises ``YamlRefused`` for refused input and ``yaml.YAMLError`` (or RecursionError etc.) for
    invalid YAML; callers turn both into recorded issues.
    """
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise YamlRefused("yaml_too_large", f"front matter over {MAX_FRONT_MATTER_CHARS} chars not parsed")
    try:
        if len(text) <= _CACHE_MAX_CHARS:
            h = hash(text)
            if h in _seen:
                return _copy_cached(text), True, None
            if len(_seen) >= _SEEN_MAX:
                _seen.clear()
            _seen.add(h)
        return _safe_load(text), False, None
    except _Lenient as e:
        return e.value, False, str(e)
