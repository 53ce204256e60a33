"""Tokens of a repo name and what each means on its own, for :mod:`analysis.naming.parse`.

The parser first makes the model part safe (:func:`clean_name`), splits it into tokens and
separators (:func:`split_name`) and looks each token up (:func:`token_info`): word tables from
:mod:`analysis.naming.vocab` and number patterns -- parameter counts (:func:`parse_size`), versions
and date stamps (:func:`parse_version`). A token may split into typed parts (``Mistral7B``,
``KoAlpaca``); a type of ``""`` means unknown. Whatever needs a token's neighbours (unknown runs,
family numbers, dates over several tokens, multi-token names) is decided in the parser; the spaCy
phrase matcher for names with spaces inside is here because it only finds phrases.

Token look-ups are cached: the same tokens recur across millions of names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from analysis.naming import vocab as V

MAX_NAME_CHARS = 128


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


# --------------------------------------------------------------------------------------------------
# numbers: sizes, versions, date stamps


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


cached_size = lru_cache(maxsize=1 << 14)(parse_size)


def _date_parts(digits: str) -> tuple[int | None, int, int | None] | None:
    """(year, month, day) of a date-stamp digit string, or None (creation-date in the parse docstring)."""
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
def version_kind(text: str) -> str | None:
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


# Word lists in the order a token is tried against them: the first list holding it gives its type.
_WORD_TYPES = (
    (V.BASE_MODELS, "base-model"), (V.SIZE_WORDS, "size"), (V.VARIANT, "variant-type"),
    (V.TRAINING, "training-mechanism"), (V.TASKS, "task"), (V.DATASETS, "dataset"), (V.LANGUAGES, "language"),
    (V.NATIONALITIES, "nationality"), (V.ORGS, "identifier"), (V.DESCRIPTION, "description"),
    (V.FORMAT_DESCRIPTION, "description"),
)

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


def clean_name(name: str, problems: list[str]) -> str:
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
# splitting

# the token pattern as a capturing split: [sep, tok, sep, tok, ..., sep]
_SPLIT_RE = re.compile("(?i)(" + _TOKEN_RE.pattern[4:] + ")")
_MULTI_FIRST = frozenset(k[0] for k in V.MULTI_TOKEN)

# Cheaper splits for the common ASCII names; the full token regex handles the rest.
_SPLIT_PLAIN_RE = re.compile(r"([^0-9A-Za-z.]+)")
_SPLIT_DOTS_RE = re.compile(r"([^0-9A-Za-z.]+|(?<![0-9])\.|\.(?![0-9]))")
_QUANT_HINT_RE = re.compile(r"(?i)q\d_")


def split_name(name: str) -> list[str]:
    """[sep, tok, sep, tok, ..., tok, sep] like ``_SPLIT_RE.split``."""
    if name.isascii() and not ("_" in name and _QUANT_HINT_RE.search(name)):
        parts = (_SPLIT_DOTS_RE if "." in name else _SPLIT_PLAIN_RE).split(name)
        if "" not in parts[::2]:
            parts.insert(0, "")
            parts.append("")
            return parts
    return _SPLIT_RE.split(name)


@lru_cache(maxsize=1 << 17)
def token_info(tok: str) -> tuple[str, tuple[tuple[str, str], ...], bool, str | None]:
    """(lower, classified parts, may start a multi-token name, the type when the token is one
    part and starts no multi-token name -- else None, which sends the name down the slow loop)."""
    low = tok.lower()
    parts = _classify(tok)
    multi = low in _MULTI_FIRST
    return low, parts, multi, parts[0][1] if len(parts) == 1 and not multi else None


# --------------------------------------------------------------------------------------------------
# spaCy fallback: only for sentence-like names (whitespace inside), which the Hub does not allow but
# hand-made lists and scraped tables contain.

_NLP = None
_MATCHER = None


def phrase_spans(name: str) -> list[tuple[int, int, str]] | None:
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
