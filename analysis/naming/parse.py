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
    a known family (:data:`vocab.BASE_MODELS`, multi-token names such as ``flan-t5``,
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

What a token is and means on its own (cleaning, splitting, word tables, sizes, versions, dates) is
in :mod:`analysis.naming.tokens`; this module applies the rules that need the whole name. The shares
beside the paper's are in :mod:`analysis.naming.shares`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analysis.naming import vocab as V
from analysis.naming.tokens import (
    MAX_NAME_CHARS,
    cached_size,
    clean_name,
    phrase_spans,
    split_name,
    token_info,
    version_kind,
)
from analysis.naming.vocab import SEGMENT_TYPES

__all__ = ["NameParse", "Segment", "parse_name", "parse_segments", "segment"]

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


_MERGING = frozenset({"identifier", "description", "ambiguous"})


# --------------------------------------------------------------------------------------------------
# the parser

_SEG_CACHE: dict[tuple[str, str], Segment] = {}


def segment(text: str, typ: str) -> Segment:
    """The interned Segment(text, typ)."""
    # Segments repeat endlessly across the Hub ("7b", "instruct"); interning saves the frozen
    # dataclass construction on the hot path.
    key = (text, typ)
    s = _SEG_CACHE.get(key)
    if s is None:
        if len(_SEG_CACHE) > 1 << 18:
            _SEG_CACHE.clear()
        s = _SEG_CACHE[key] = Segment(text, typ)
    return s


_BRACE = {t: "{" + t + "}" for t in SEGMENT_TYPES}
_PATTERNS: dict[tuple[str, ...], str] = {}


# Whole-name cache: mirrors, re-uploads and quantisations repeat model parts across authors.
@lru_cache(maxsize=1 << 17)
def _parse_model_part(name: str) -> tuple[tuple[Segment, ...], str, str | None, str | None, float | None, tuple[str, ...]]:
    problems: list[str] = []
    # isprintable() is False for ASCII control characters, so one C call clears the common case
    if not (name.isascii() and len(name) <= MAX_NAME_CHARS and name.isprintable()):
        name = clean_name(name, problems)
    pieces = split_name(name)
    toks = pieces[1::2]
    seps = pieces[2::2]
    if not toks:
        problems.append("no_tokens")
        return (), "", None, None, None, tuple(problems)
    if len(toks) > MAX_TOKENS:
        problems.append("too_many_tokens")
        del toks[MAX_TOKENS:], seps[MAX_TOKENS:]

    infos = list(map(token_info, toks))
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
    segments = tuple([get((t, y)) or segment(t, y) for t, y in zip(T, Y)])
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
            kind = version_kind(version)
            if kind is None and version == date:
                kind = "date"
    if "size" in Y:
        for seg in segments:
            if seg.type == "size":
                size = cached_size(seg.text)
                if size is not None:
                    break
    return segments, pattern, version, kind, size, tuple(problems)


def _tokens_slow(name: str, pieces: list[str], toks: list[str], seps: list[str], infos: list) -> tuple[list[str], list[str], list[str]]:
    """Token texts/types/separators when some token splits or may start a multi-token name."""
    T: list[str] = []
    Y: list[str] = []
    S: list[str] = []
    spans = phrase_spans(name) if " " in name.strip() and any(i[2] for i in infos) else None
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
        model = _plain_model_part(repo_id)
        if model is not None:
            return NameParse(repo_id, *_parse_model_part(model))
    except Exception:
        pass
    return _parse_name_odd(repo_id)


def parse_segments(repo_id: str) -> tuple[Segment, ...]:
    """``parse_name(repo_id).segments`` without building the NameParse (the codebook reading needs only these)."""
    try:
        model = _plain_model_part(repo_id)
        if model is not None:
            return _parse_model_part(model)[0]
    except Exception:
        pass
    return _parse_name_odd(repo_id).segments


def _plain_model_part(repo_id: str) -> str | None:
    """The model part of a well-formed id (None: the odd ones, see _parse_name_odd)."""
    model = repo_id[repo_id.find("/") + 1 :]
    if "/" in model or len(model) > 4 * MAX_NAME_CHARS or not model or model.isspace():
        return None
    return model


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
