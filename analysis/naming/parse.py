"""Repo-name segmentation: the naming practices of Ajibode et al. 2025 ("Semantic versioning of open
pre-trained language models").

A name such as ``meta-llama/Llama-2-7b-chat-hf`` is split into typed segments::

    Llama-2 base-model | 7b size | chat variant-type | hf description
    pattern: {base-model}{size}{variant-type}{description}

Only the model part (after the first ``/``) is segmented; the author is not part of a naming practice.

Segment types (the paper's 13, spelled as in :data:`SEGMENT_TYPES`) and the rule that assigns each:

identifier
    the first run of adjacent tokens that no table or pattern knows (``Hyperion``, ``my-awesome``),
    wherever it stands, plus organisation words (``google``) anywhere. One per name at most from the
    unknown-run rule: later unknown runs are description (purely alphabetic) or ambiguous.
base-model
    a known family (:data:`naming_vocab.BASE_MODELS`, multi-token names such as ``flan-t5``,
    ``xlm-roberta``), a family with a glued number (``llama3``, ``Qwen2.5``), or a family followed by
    a bare family number (``Llama-2``, ``Phi-3``), which is kept in the same segment.
size
    parameter counts ``7B``, ``125m``, ``1.5b``, ``8x7B``, ``34Bx2``, ``1T``; glued sizes are split off
    (``Mistral7B`` -> ``Mistral`` + ``7B``); and size tiers ``tiny``/``mini``/``small``/``base``/
    ``medium``/``large``/``xl``/``xxl`` -- except ``base`` in a name that also has a parameter count
    (``Mistral-7B-base``), which is variant-type. Counting tiers as size is what brings the share near
    the paper's 14.2 % (8.8 % without them). Context windows (``4k``, ``128k``) are description.
training-mechanism
    ``sft``, ``dpo``, ``lora``, ``fine-tuned``, ``merged``, ``distilled``, ...
variant-type
    ``instruct``, ``chat``, ``it``, ``code``, ``uncased``/``cased``, ``plus``/``pro``, and quantised
    or converted weights: ``GGUF``, ``GPTQ``, ``AWQ``, ``EXL2``, ``4bit``, ``q4_k_m``, ``4.0bpw``,
    ``128g``, ``bf16``, ``mlx``.
version
    ``v1``, ``V3``, ``v0.2``, ``v2.1.3``; bare dotted numbers with short parts and no leading zeros
    (``1.5`` in ``Hyperion-1.5``, not the learning rate ``0.0001``); bare integers 1..20 not glued to
    a family (other bare integers are seeds, steps, dimensions: ambiguous).
creation-date
    ``2407``/``2403`` (YYMM, 2019..2029), ``0613`` (MMDD with a leading 0), years, ``20240113``,
    ``2024-01-13``, ``v20240113``.
task, dataset, language, nationality
    table look-ups; see :mod:`analysis.naming.vocab` for the language-vs-nationality rule.
description
    descriptive words from the table (``legal``, ``twitter``, ``test``, ``hf``, ``4k``, stop words)
    and later unknown alphabetic runs.
ambiguous
    later unknown runs that are not purely alphabetic (``lv2``, ``128``), and whatever the text
    cleaner could not make into a token.

Adjacent identifier, description and ambiguous tokens merge into one segment; every other type is one
segment per token (so ``opus-mt-en-de`` has two language segments).

:class:`NameParse` ``version``/``version_kind``: the first ``v``-prefixed version segment, else the
first bare version, else the first creation-date (kind ``"date"``).

Names are bounded before work is done on them: control, zero-width and bidi characters are dropped,
emoji and other symbols act as separators, and the model part is cut at 128 characters (the Hub
allows 96); each of these is recorded in ``problems`` instead of raising.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from analysis.naming import vocab as V
from analysis.naming.vocab import SEGMENT_TYPES

__all__ = [
    "SEGMENT_TYPES",
    "PAPER_SHARES",
    "PAPER_VERSION_KINDS",
    "Segment",
    "NameParse",
    "parse_name",
    "parse_version",
    "parse_size",
    "names_rows",
    "segment_shares",
]

# Ajibode et al. 2025, share of segment types (the ten they report; the other three share the rest).
PAPER_SHARES: dict[str, float] = {
    "identifier": 29.3,
    "base-model": 16.5,
    "size": 14.2,
    "training-mechanism": 8.3,
    "description": 6.4,
    "variant-type": 5.2,
    "version": 5.2,
    "task": 4.4,
    "dataset": 3.7,
    "language": 3.4,
}
PAPER_VERSION_KINDS: dict[str, float] = {"vN": 67.0, "vN.M": 31.3}

MAX_NAME_CHARS = 128
MAX_TOKENS = 48


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    type: str


@dataclass(frozen=True, slots=True)
class NameParse:
    repo_id: str
    segments: tuple[Segment, ...]
    pattern: str
    version: str | None
    version_kind: str | None
    size_params: float | None
    problems: tuple[str, ...]


# --------------------------------------------------------------------------------------------------
# token patterns

# A token is a run of letters/digits; a dot is kept only between digits so "v2.1", "1.5b" and
# "Qwen2.5" stay whole while "model.gguf" splits. llama.cpp quant names contain underscores and are
# matched first so "Q4_K_M" is one token.
_TOKEN_RE = re.compile(r"(?i)\bi?q\d(?:_k)?(?:_[a-z0-9]{1,2})?(?![a-z0-9])|[^\W_]+(?:(?<=\d)\.(?=\d)[^\W_]+)*")
_SIZE_RE = re.compile(r"(?i)^(?:(\d{1,3})x)?(\d+(?:\.\d+)?)([bmkt])$")
_SIZE_SUFFIX_RE = re.compile(r"(?i)^([a-z][a-z\-]*?)(\d+(?:\.\d+)?[bm])$")
_MOE_SIZE_RE = re.compile(r"(?i)^(\d+(?:\.\d+)?[bm])x(\d{1,3})$")  # "34Bx2"
_VERSION_RE = re.compile(r"(?i)^v(\d+(?:\.\d+){0,3})([a-z]?)$")
# no leading zeros past a lone 0 and short parts: "0.0001" and "2.0e" are hyperparameters
_BARE_DOTTED_RE = re.compile(r"^(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2}))?$")
_INT_RE = re.compile(r"^\d+$")
_GLUED_FAMILY_RE = re.compile(r"(?i)^([a-z]+(?:[a-z]*))[-]?(\d+(?:\.\d+)*)([a-z]{0,2})$")
_CAMEL_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+(?:\.\d+)*")
_QUANT_RE = re.compile(r"(?i)^(?:i?q\d(?:_k)?(?:_[a-z0-9]{1,2})?|\d+(?:\.\d+)?bpw|\d+bits?|w\d+a\d+|\d+g|h[68])$")
_CONTEXT_RE = re.compile(r"(?i)^\d+k$")
_LAYERS_STEPS_RE = re.compile(r"(?i)^(?:l\d+|e\d+|ep\d+|epoch\d+|step\d+|ckpt\d+|checkpoint\d+|r\d+|s\d+)$")
_UNSAFE_RE = re.compile(r"[\x00-\x1f\x7f]")

_MERGING = frozenset({"identifier", "description", "ambiguous"})


# --------------------------------------------------------------------------------------------------
# number parsers



# Word lists in the order a token is tried against them: the first list holding it gives its type.
_WORD_TYPES = (
    (V.BASE_MODELS, "base-model"), (V.SIZE_WORDS, "size"), (V.VARIANT, "variant-type"),
    (V.TRAINING, "training-mechanism"), (V.TASKS, "task"), (V.DATASETS, "dataset"), (V.LANGUAGES, "language"),
    (V.NATIONALITIES, "nationality"), (V.ORGS, "identifier"), (V.DESCRIPTION, "description"),
    (V.FORMAT_DESCRIPTION, "description"),
)

def parse_size(text: str) -> float | None:
    """Parameter count of a size token: ``7B`` -> 7e9, ``125m`` -> 1.25e8, ``8x7B`` -> 5.6e10."""
    if not isinstance(text, str):
        return None
    m = _SIZE_RE.match(text.strip())
    if m is None:
        m2 = _MOE_SIZE_RE.match(text.strip())
        if m2 is None:
            return None
        base = parse_size(m2.group(1))
        return None if base is None else base * int(m2.group(2))
    experts, num, unit = m.groups()
    mult = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}[unit.lower()]
    value = float(num) * mult
    if experts:
        value *= int(experts)
    return value


_size_cached = lru_cache(maxsize=1 << 14)(parse_size)


def _date_parts(digits: str) -> tuple[int | None, int, int | None] | None:
    """(year, month, day) of a date-stamp digit string, or None. Rules in the module docstring."""
    n = len(digits)
    if n == 4:
        yy, mm = int(digits[:2]), int(digits[2:])
        if 19 <= yy <= 29 and 1 <= mm <= 12:
            return 2000 + yy, mm, None
        if digits[0] == "0" and 1 <= int(digits[:2]) <= 12 and 1 <= mm <= 31:
            return None, int(digits[:2]), mm
        y = int(digits)
        if 2015 <= y <= 2030:
            return y, 0, None
        return None
    if n == 6:
        y, mm = int(digits[:4]), int(digits[4:])
        if 2015 <= y <= 2030 and 1 <= mm <= 12:
            return y, mm, None
        yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:])
        if 19 <= yy <= 29 and 1 <= mm <= 12 and 1 <= dd <= 31:
            return 2000 + yy, mm, dd
        return None
    if n == 8:
        y, mm, dd = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if 2015 <= y <= 2030 and 1 <= mm <= 12 and 1 <= dd <= 31:
            return y, mm, dd
    return None


def parse_version(text: str) -> tuple[int, int, int] | tuple[str, int | None, int, int | None] | None:
    """``v2.1`` -> (2, 1, 0); ``1.5`` -> (1, 5, 0); ``2407`` -> ("date", 2024, 7, None);
    ``0613`` -> ("date", None, 6, 13); ``v20240113`` -> ("date", 2024, 1, 13); else None.

    Missing minor/patch are 0 so versions order as tuples; a date has month 0 when only the year is
    known.
    """
    if not isinstance(text, str):
        return None
    t = text.strip()
    m = _VERSION_RE.match(t)
    digits = None
    if m is not None:
        nums = m.group(1)
        if "." not in nums and len(nums) >= 4:
            digits = nums
        else:
            parts = [int(p) for p in nums.split(".")[:3]]
            return tuple((parts + [0, 0])[:3])  # type: ignore[return-value]
    elif _BARE_DOTTED_RE.match(t):
        parts = [int(p) for p in t.split(".")[:3]]
        return tuple((parts + [0, 0])[:3])  # type: ignore[return-value]
    elif _INT_RE.match(t):
        if len(t) <= 2:
            return (int(t), 0, 0)
        digits = t
    else:
        parts = re.findall(r"\d+", t)
        if len(parts) == 3 and len(parts[0]) == 4:  # "2024-01-13"
            d = _date_parts("".join(parts[0:1] + [p.zfill(2) for p in parts[1:]]))
            return ("date", *d) if d else None
        return None
    d = _date_parts(digits)
    return ("date", *d) if d else None


@lru_cache(maxsize=1 << 14)
def _version_kind(text: str) -> str | None:
    v = parse_version(text)
    if v is None:
        return None
    if v[0] == "date":
        return "date"
    stripped = text[1:] if text[:1] in "vV" else text
    n = stripped.count(".") + 1
    return "vN" if n == 1 else "vN.M" if n == 2 else "vN.M.K"


# --------------------------------------------------------------------------------------------------
# token classification


@lru_cache(maxsize=1 << 17)
def _classify(token: str) -> tuple[tuple[str, str], ...]:
    """Type(s) of one token; a token may split into parts (``Mistral7B``, ``KoAlpaca``).

    ``""`` as type means unknown; the sequence pass decides identifier/description/ambiguous.
    """
    low = token.lower()
    t = _lookup(low)
    if t:
        return ((token, t),)
    m = _SIZE_SUFFIX_RE.match(token)
    if m is not None:
        head = m.group(1)
        return _classify(head) + ((m.group(2), "size"),)
    m = _GLUED_FAMILY_RE.match(low)
    if m is not None and m.group(1) in V.BASE_MODELS:
        return ((token, "base-model"),)
    parts = _CAMEL_RE.findall(token)
    # only letter parts: splitting "lv2" into "lv" + "2" invents a language and a version
    if 1 < len(parts) <= 4 and sum(map(len, parts)) == len(token) and all(p.isalpha() for p in parts):
        types = [_lookup(p.lower()) for p in parts]
        if parts[0].lower() in V.FUSED_LANG_PREFIX and all(types[1:]):
            return ((parts[0], "nationality"),) + tuple(zip(parts[1:], types[1:], strict=True))
        if all(types):
            return tuple(zip(parts, types, strict=True))
    return ((token, ""),)


@lru_cache(maxsize=1 << 16)
def _lookup(low: str) -> str:
    """Table/pattern type of a lower-case token, or ``""``. Order settles overlaps between tables."""
    if not low:
        return ""
    c = low[0]
    if c.isdigit():
        if _SIZE_RE.match(low) and not low.endswith("k"):
            return "size"
        if _MOE_SIZE_RE.match(low):
            return "size"
        if _BARE_DOTTED_RE.match(low):
            return "version"
        if _INT_RE.match(low):
            # bare 1..20 reads as a release number ("model-2"); 0, "05", "42" are mostly seeds,
            # epochs and date pieces
            if low[0] != "0" and len(low) <= 2 and int(low) <= 20:
                return "version"
            return "creation-date" if _date_parts(low) else "ambiguous"
        if _QUANT_RE.match(low):
            return "variant-type"
        if _CONTEXT_RE.match(low):
            return "description"
    if c == "v":
        m = _VERSION_RE.match(low)
        if m is not None:
            nums = m.group(1)
            if "." not in nums and len(nums) >= 4 and _date_parts(nums):
                return "creation-date"
            return "version"
    for vocabulary, kind in _WORD_TYPES:
        if low in vocabulary:
            return kind
    if _QUANT_RE.match(low):
        return "variant-type"
    if _LAYERS_STEPS_RE.match(low):
        return "description"
    return ""


# --------------------------------------------------------------------------------------------------
# text cleaning


def _clean(name: str, problems: list[str]) -> str:
    """Make the model part safe to tokenise; every change is recorded, nothing raises."""
    if name.isascii():
        if _UNSAFE_RE.search(name):
            problems.append("control_chars")
            name = _UNSAFE_RE.sub(" ", name)
    else:
        problems.append("non_ascii")
        name = unicodedata.normalize("NFKC", name)
        out = []
        seen: set[str] = set()
        for ch in name:
            cat = unicodedata.category(ch)
            if cat == "Cc":
                seen.add("control_chars")
                out.append(" ")
            elif cat == "Cf":  # zero-width joiners, bidi overrides, BOM
                seen.add("format_chars")
            elif cat[0] in "SP" and not ch.isascii():
                seen.add("symbols")  # emoji and friends separate tokens
                out.append(" ")
            elif cat[0] == "Z":
                out.append(" ")
            else:
                out.append(ch)
        name = "".join(out)
        problems.extend(sorted(seen))
    if len(name) > MAX_NAME_CHARS:
        problems.append("too_long")
        name = name[:MAX_NAME_CHARS]
    return name


# --------------------------------------------------------------------------------------------------
# spaCy fallback: only for sentence-like names (whitespace inside), which the Hub does not allow but
# hand-made lists and scraped tables contain.

_NLP = None
_MATCHER = None


def _spacy_spans(name: str) -> list[tuple[int, int, str]] | None:
    """(start, end, type) character spans of multi-word vocabulary phrases found by a spaCy Matcher."""
    global _NLP, _MATCHER
    try:
        if _NLP is None:
            import spacy
            from spacy.matcher import Matcher

            nlp = spacy.blank("en")
            matcher = Matcher(nlp.vocab)
            for words, typ in V.MULTI_TOKEN.items():
                matcher.add(typ, [[{"LOWER": w} for w in words]])
                # "fine-tuned" as spaCy tokenises it: fine, -, tuned
                matcher.add(typ, [[x for w in words for x in ({"LOWER": w}, {"IS_PUNCT": True, "OP": "?"})][:-1]])
            _NLP, _MATCHER = nlp, matcher
        doc = _NLP(name)
        spans = []
        for match_id, s, e in _MATCHER(doc):
            span = doc[s:e]
            spans.append((span.start_char, span.end_char, _NLP.vocab.strings[match_id]))
        return spans
    except Exception:  # spaCy trouble must not break a crawl; the regex path still works
        return None


# --------------------------------------------------------------------------------------------------
# the parser

_SEG_CACHE: dict[tuple[str, str], Segment] = {}


def _seg(text: str, typ: str) -> Segment:
    # Segments repeat endlessly across the Hub ("7b", "instruct"); interning saves the frozen
    # dataclass construction on the hot path.
    key = (text, typ)
    s = _SEG_CACHE.get(key)
    if s is None:
        if len(_SEG_CACHE) > 1 << 18:
            _SEG_CACHE.clear()
        s = _SEG_CACHE[key] = Segment(text, typ)
    return s


# the token pattern as a capturing split: [sep, tok, sep, tok, ..., sep]
_SPLIT_RE = re.compile("(?i)(" + _TOKEN_RE.pattern[4:] + ")")
_MULTI_FIRST = frozenset(k[0] for k in V.MULTI_TOKEN)
_BRACE = {t: "{" + t + "}" for t in SEGMENT_TYPES}
_PATTERNS: dict[tuple[str, ...], str] = {}


# Cheaper splits for the common ASCII names; the full token regex handles the rest.
_SPLIT_PLAIN_RE = re.compile(r"([^0-9A-Za-z.]+)")
_SPLIT_DOTS_RE = re.compile(r"([^0-9A-Za-z.]+|(?<![0-9])\.|\.(?![0-9]))")
_QUANT_HINT_RE = re.compile(r"(?i)q\d_")


def _split(name: str) -> list[str]:
    """[sep, tok, sep, tok, ..., tok, sep] like ``_SPLIT_RE.split``."""
    if name.isascii() and not ("_" in name and _QUANT_HINT_RE.search(name)):
        parts = (_SPLIT_DOTS_RE if "." in name else _SPLIT_PLAIN_RE).split(name)
        if "" not in parts[::2]:
            parts.insert(0, "")
            parts.append("")
            return parts
    return _SPLIT_RE.split(name)


@lru_cache(maxsize=1 << 17)
def _tok_info(tok: str) -> tuple[str, tuple[tuple[str, str], ...], bool, str | None]:
    """(lower, classified parts, may start a multi-token name, the type when the token is one
    part and starts no multi-token name -- else None, which sends the name down the slow loop)."""
    low = tok.lower()
    parts = _classify(tok)
    multi = low in _MULTI_FIRST
    return low, parts, multi, parts[0][1] if len(parts) == 1 and not multi else None


# Whole-name cache: mirrors, re-uploads and quantisations repeat model parts across authors.
@lru_cache(maxsize=1 << 17)
def _parse_model_part(name: str) -> tuple[tuple[Segment, ...], str, str | None, str | None, float | None, tuple[str, ...]]:
    problems: list[str] = []
    # isprintable() is False for ASCII control characters, so one C call clears the common case
    if not (name.isascii() and len(name) <= MAX_NAME_CHARS and name.isprintable()):
        name = _clean(name, problems)
    pieces = _split(name)
    toks = pieces[1::2]
    seps = pieces[2::2]
    if not toks:
        problems.append("no_tokens")
        return (), "", None, None, None, tuple(problems)
    if len(toks) > MAX_TOKENS:
        problems.append("too_many_tokens")
        del toks[MAX_TOKENS:], seps[MAX_TOKENS:]

    infos = list(map(_tok_info, toks))
    Y = [i[3] for i in infos]  # types ("" = unknown)
    if None in Y:
        T, Y, S = _tokens_slow(name, pieces, toks, seps, infos)
    else:
        T = toks  # segment texts
        S = seps  # separator written after each

    if "creation-date" in Y:
        _merge_dates(T, Y, S)
    if "base-model" in Y and "version" in Y:
        _glue_family_numbers(T, Y, S)
    if "size" in Y and _has_base(T):
        _base_as_variant(T, Y)
    if "" in Y:
        _resolve_unknown(T, Y)

    # merge adjacent identifier/description/ambiguous, keeping the author's separators
    j = len(Y) - 1
    while j > 0:
        if Y[j] in _MERGING and Y[j - 1] == Y[j]:
            T[j - 1 : j + 1] = [T[j - 1] + S[j - 1] + T[j]]
            del Y[j], S[j - 1]
        j -= 1
    get = _SEG_CACHE.get
    segments = tuple([get((t, y)) or _seg(t, y) for t, y in zip(T, Y)])
    key = tuple(Y)
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = "".join(map(_BRACE.__getitem__, Y))
        if len(_PATTERNS) < 1 << 16:
            _PATTERNS[key] = pattern

    version = kind = None
    size = None
    if "version" in Y or "creation-date" in Y:
        bare = date = None
        for seg in segments:
            if seg.type == "version":
                if seg.text[:1] in "vV":
                    version = seg.text
                    break
                if bare is None:
                    bare = seg.text
            elif seg.type == "creation-date" and date is None:
                date = seg.text
        if version is None:
            version = bare if bare is not None else date
        if version is not None:
            kind = _version_kind(version)
            if kind is None and version == date:
                kind = "date"
    if "size" in Y:
        for seg in segments:
            if seg.type == "size":
                size = _size_cached(seg.text)
                if size is not None:
                    break
    return segments, pattern, version, kind, size, tuple(problems)


def _tokens_slow(name: str, pieces: list[str], toks: list[str], seps: list[str], infos: list) -> tuple[list[str], list[str], list[str]]:
    """Token texts/types/separators when some token splits or may start a multi-token name."""
    T: list[str] = []
    Y: list[str] = []
    S: list[str] = []
    spans = _spacy_spans(name) if " " in name.strip() and any(i[2] for i in infos) else None
    n = len(toks)
    i = 0
    while i < n:
        info = infos[i]
        if info[2]:
            k = _multi_at(infos, i, n) if spans is None else _span_at(spans, pieces, i, n)
            if k:
                k, typ = k
                T.append("".join(toks[j] + seps[j] for j in range(i, i + k - 1)) + toks[i + k - 1])
                Y.append(typ)
                S.append(seps[i + k - 1])
                i += k
                continue
        parts = info[1]
        if len(parts) == 1:
            T.append(toks[i])
            Y.append(parts[0][1])
        else:
            for text, typ in parts:
                T.append(text)
                Y.append(typ)
                S.append("")
            S.pop()
        S.append(seps[i])
        i += 1
    return T, Y, S


def _multi_at(infos: list, i: int, n: int) -> tuple[int, str] | None:
    """Longest multi-token name starting at token i: (token count, type)."""
    table = V.MULTI_TOKEN
    for k in range(min(V.MULTI_MAX, n - i), 1, -1):
        t = table.get(tuple(infos[j][0] for j in range(i, i + k)))
        if t is not None:
            return k, t
    return None


def _span_at(spans: list[tuple[int, int, str]], pieces: list[str], i: int, n: int) -> tuple[int, str] | None:
    """Like :func:`_multi_at`, from spaCy match spans (character offsets into the cleaned name)."""
    start = sum(len(p) for p in pieces[: 2 * i + 1])
    best = None
    for s, e, typ in spans:
        if s == start and (best is None or e > best[0]):
            best = (e, typ)
    if best is None:
        return None
    pos, k = start, 0
    for j in range(i, n):
        pos += len(pieces[2 * j + 1])
        k += 1
        if pos >= best[0]:
            break
        pos += len(pieces[2 * j + 2])
    return (k, best[1]) if k > 1 else None


def _resolve_unknown(T: list[str], Y: list[str]) -> None:
    """Unknown runs: the first is the identifier (unless an organisation word already is), later
    ones are description when purely alphabetic, else ambiguous."""
    have_identifier = "identifier" in Y
    n = len(Y)
    i = 0
    while i < n:
        if Y[i]:
            i += 1
            continue
        j = i
        while j < n and not Y[j]:
            j += 1
        if not have_identifier:
            typ = "identifier"
            have_identifier = True
        elif all(T[k].isalpha() for k in range(i, j)):
            typ = "description"
        else:
            typ = "ambiguous"
        for k in range(i, j):
            Y[k] = typ
        i = j


def _merge_dates(T: list[str], Y: list[str], S: list[str]) -> None:
    """``2024-01-13`` / ``2024_01`` arrive as separate number tokens; make them one creation-date."""
    i = 0
    while i < len(T):
        text = T[i]
        if len(text) == 4 and text.isdigit() and 2015 <= int(text) <= 2030 and i + 1 < len(T):
            mm = T[i + 1]
            if mm.isdigit() and len(mm) <= 2 and 1 <= int(mm) <= 12:
                k = i + 2
                if k < len(T):
                    dd = T[k]
                    if dd.isdigit() and len(dd) <= 2 and 1 <= int(dd) <= 31:
                        k += 1
                T[i : k] = ["".join(T[j] + S[j] for j in range(i, k - 1)) + T[k - 1]]
                Y[i : k] = ["creation-date"]
                S[i : k] = [S[k - 1]]
        i += 1


def _glue_family_numbers(T: list[str], Y: list[str], S: list[str]) -> None:
    """``Llama-2``/``Phi-3``/``Qwen-1.5``: a bare family number right after a family is the family."""
    i = 1
    while i < len(T):
        if (
            Y[i] == "version"
            and Y[i - 1] == "base-model"
            and T[i][0].isdigit()
            and len(T[i]) <= 4
            and len(S[i - 1]) <= 1
        ):
            T[i - 1 : i + 1] = [T[i - 1] + S[i - 1] + T[i]]
            Y[i - 1 : i + 1] = ["base-model"]
            S[i - 1 : i + 1] = [S[i]]
        i += 1  # after a glue the next token is never glued too ("Llama-2-7" stays two)


def _has_base(T: list[str]) -> bool:
    for t in T:
        if len(t) == 4 and t.lower() == "base":
            return True
    return False


def _base_as_variant(T: list[str], Y: list[str]) -> None:
    if any(t == "size" and T[j][0].isdigit() for j, t in enumerate(Y)):
        for j, t in enumerate(Y):
            if t == "size" and T[j].lower() == "base":
                Y[j] = "variant-type"


def parse_name(repo_id: str) -> NameParse:
    """Segment one repo id; never raises (problems are recorded on the result)."""
    try:
        model = repo_id[repo_id.find("/") + 1 :]
        if "/" in model or len(model) > 4 * MAX_NAME_CHARS or not model or model.isspace():
            return _parse_name_odd(repo_id)
        return NameParse(repo_id, *_parse_model_part(model))
    except Exception:
        return _parse_name_odd(repo_id)


def _parse_name_odd(repo_id) -> NameParse:
    try:
        if not isinstance(repo_id, str):
            repo_id = "" if repo_id is None else str(repo_id)
        slash = repo_id.find("/")
        model = repo_id[slash + 1 :] if slash >= 0 else repo_id
        extra: tuple[str, ...] = ()
        if "/" in model:
            extra = ("extra_slash",)
        if len(model) > 4 * MAX_NAME_CHARS:
            # bound the cleaning cost too, not only the tokenising
            model = model[: 4 * MAX_NAME_CHARS]
            extra += ("too_long",)
        if not model.strip():
            return NameParse(repo_id, (), "", None, None, None, extra + ("empty",))
        segments, pattern, version, kind, size, problems = _parse_model_part(model)
        if extra:
            problems = tuple(dict.fromkeys(extra + problems))
        return NameParse(repo_id, segments, pattern, version, kind, size, problems)
    except Exception as exc:  # the contract is "never raises"; a bug must show up as a problem
        return NameParse(str(repo_id)[:300], (), "", None, None, None, (f"internal_error:{type(exc).__name__}",))


# --------------------------------------------------------------------------------------------------
# outputs


def names_rows(lines: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(repo_id, pattern, segments_json) per non-blank line, for ``hubmine names FILE``.

    segments_json is a JSON list of ``[text, type]`` pairs, in name order.
    """
    for line in lines:
        rid = line.strip()
        if not rid:
            continue
        p = parse_name(rid)
        yield (
            p.repo_id,
            p.pattern,
            json.dumps([[s.text, s.type] for s in p.segments], ensure_ascii=False, separators=(",", ":")),
        )


def segment_shares(parses: Iterable[NameParse]) -> dict:
    """Shares for comparison with Ajibode et al.

    ``segments``: percent of all segments (over all names) of each type -- the paper's ten reported
    types sum to 96.6 %, which fits a share of all segments rather than of names.
    ``names_with``: percent of names having at least one segment of the type.
    ``version_kinds``: among names whose version is ``v``-style (not a date), percent ``vN``/``vN.M``/
    ``vN.M.K``; ``explicit_v_kinds`` is the same restricted to ``v``-prefixed versions.
    """
    seg_counts: Counter[str] = Counter()
    name_counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    vkinds: Counter[str] = Counter()
    n_names = 0
    n_problems = 0
    for p in parses:
        n_names += 1
        if p.problems:
            n_problems += 1
        seen = set()
        for s in p.segments:
            seg_counts[s.type] += 1
            seen.add(s.type)
        name_counts.update(seen)
        if p.version_kind and p.version_kind != "date":
            kinds[p.version_kind] += 1
            if p.version and p.version[:1] in "vV":
                vkinds[p.version_kind] += 1
    total = sum(seg_counts.values()) or 1
    nk = sum(kinds.values()) or 1
    nvk = sum(vkinds.values()) or 1
    return {
        "n_names": n_names,
        "n_segments": sum(seg_counts.values()),
        "n_with_problems": n_problems,
        "segments": {t: 100.0 * seg_counts[t] / total for t in SEGMENT_TYPES},
        "names_with": {t: 100.0 * name_counts[t] / (n_names or 1) for t in SEGMENT_TYPES},
        "n_versioned": sum(kinds.values()),
        "version_kinds": {k: 100.0 * kinds[k] / nk for k in ("vN", "vN.M", "vN.M.K")},
        "n_explicit_v": sum(vkinds.values()),
        "explicit_v_kinds": {k: 100.0 * vkinds[k] / nvk for k in ("vN", "vN.M", "vN.M.K")},
    }


def format_shares(shares: dict) -> str:
    """The :func:`segment_shares` table beside the paper's numbers, for tests, bench and CLI."""
    lines = [f"{shares['n_names']:,} names, {shares['n_segments']:,} segments (share of all segments)"]
    lines.append(f"{'type':<20}{'ours %':>8}{'paper %':>9}{'names with %':>14}")
    for t in SEGMENT_TYPES:
        paper = PAPER_SHARES.get(t)
        lines.append(
            f"{t:<20}{shares['segments'][t]:>8.1f}{(f'{paper:.1f}' if paper is not None else '-'):>9}"
            f"{shares['names_with'][t]:>14.1f}"
        )
    lines.append(f"versioned (v-style) names: {shares['n_versioned']:,}; explicit v-prefix: {shares['n_explicit_v']:,}")
    for k in ("vN", "vN.M", "vN.M.K"):
        paper = PAPER_VERSION_KINDS.get(k)
        lines.append(
            f"  {k:<8} all {shares['version_kinds'][k]:5.1f}  v-prefixed {shares['explicit_v_kinds'][k]:5.1f}"
            f"  paper {(f'{paper:.1f}' if paper is not None else '-')}"
        )
    return "\n".join(lines)
