"""Ajibode et al.'s codebook reading of a repo name, over the parser's token reading.

:func:`analysis.naming.parse.parse_name` types every token it can (``distilbert`` base-model,
``base`` size, ``uncased`` variant-type, ``finetuned`` training-mechanism ...). The authors' hand
labels (their "Conventional naming", e.g. ``{base-model}{variant-type}{dataset}`` for
``distilbert-base-uncased-finetuned-emotions``) read names more coarsely, by conventions that the
development split (../shared/realdata/ajibode_naming_dev, 127 names) shows:

- checkpoint words that only qualify a family (``base``, ``uncased``, ``cased``) belong to the
  base-model segment (``distilbert-base-uncased`` is one base model); with no family before them
  they are left out like filler (``llama2-ko-7b-chang-base`` ends in one identifier);
- ``finetuned``/``fine-tuning`` is how a model is a *variant* of its base (variant-type), while
  ``instruct``, ``sft``, ``dpo`` and quantisation/precision tags (``GPTQ``, ``bf16``, ``nf4``) say how
  it was trained or converted (training-mechanism); ``chat`` names what the model does (task);
- filler after an identifier (``model``, ``test``, ``hf``, a bare run number) is part of the
  identifier (``anonymous-model-4`` is one identifier); adapter and merge methods (``lora``,
  ``qlora``, ``slerp``) are left out the same way (``llama-qlora-30b`` is {base-model}{size});
- a family word with a word glued before it (``CodeLlama``, ``tinyllama``, ``indobert``) names a
  model of its own, an identifier; ``distil`` and short prefixes (``distilbert``, ``sbert``) keep
  the family;
- repeated identifier/description/ambiguous/language segments collapse into one;
- a name that is only an identifier around a family word (``phi-2-super``, ``bert-test``) is an
  identifier: the family word is part of a made-up name, not a declared base.

- hyper-parameter and checkpoint spellings (``lr-4e-06``, ``ep40``, ``seed42``, ``ckp3000``) are
  one training-mechanism; what follows ``finetuned`` is the dataset it was tuned on; a language
  word before a family (``japanese-llama-2``) is a nationality.

Each convention is a switch in :data:`CONVENTIONS`, so a conformance run can choose them by
cross-validation on the labels (:mod:`analysis.naming.agreement`) instead of trusting the author of
the rules. On top of the switches, :func:`learn` aligns this reading with labelled names and keeps
what the labels do consistently (:class:`Learned`): a word's type where it differs from the
conventions (``Yi`` is an identifier), and per segment type and context whether the labels keep,
drop (fold into the neighbour) or retype it -- the codebook leaves most descriptions and ambiguous
tails out. The shipped tables (``codebook_dev.json``) are learned from the 127 dev names only.

Model metadata is optional evidence (:class:`Evidence`): a segment naming a declared ``dataset:``
tag is a dataset, one naming the declared ``base_model`` is a base-model, a language code among the
model's languages is a language, the pipeline tag's words are a task. Without it the reading works
from the id alone (``hubmine names``).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis.naming.parse import Segment, parse_segments, segment

# Convention switches as agreement.tune chooses them on the 127 dev names (see docs/naming.md):
# all of them are on.
CONVENTIONS: dict[str, bool] = {
    "family_checkpoint_words": True,
    "finetuned_is_variant": True,
    "instruct_is_training": True,
    "quantisation_is_training": True,
    "chat_is_task": True,
    "derived_family_is_identifier": True,
    "filler_joins_identifier": True,
    "lone_family_is_identifier": True,
    "training_settings_are_training": True,
    "finetuned_on_is_dataset": True,
    "language_before_family_is_nationality": True,
    "collapse_repeats": True,
}

_CHECKPOINT_WORDS = frozenset({"base", "uncased", "cased"})
_FINETUNED = frozenset({"finetuned", "fine-tuned", "fine_tuned", "finetune", "fine-tune", "finetuning",
                        "fine-tuning", "fine_tuning", "ft"})
_INSTRUCT = frozenset({"instruct", "instruction", "it"})
_QUANT_RE = re.compile(r"(?i)^(?:gguf|ggml|gptq|awq|exl2|exl3|hqq|aqlm|bnb|nf4|int4|int8|fp16|fp8|fp32|bf16|"
                       r"\d+bits?|i?q\d(?:_k)?(?:_[a-z0-9]{1,2})?|\d+(?:\.\d+)?bpw|quanti[sz]ed|quant)$")
_FILLER = frozenset({"model", "models", "test", "testing", "tests", "hf", "new", "final", "demo", "trial", "try",
                     "tmp", "temp", "run", "project", "sample", "example", "custom", "latest", "my"})
# Hyper-parameter and checkpoint spellings: "ep40", "epoch", "lr", "5e-06", "seed42", "ckp3000", "r_64".
_SETTING_RE = re.compile(r"(?i)^(?:ep(?:och)?s?\d*|\d+ep(?:och)?s?|lr\d*e?-?\d*|\d+e-?\d*|seed\d*|ckpt?\d*|step\d*|"
                         r"steps|bs\d*|wd\d*|alpha|r|dp|warmup|\d+(?:\.\d+)?e-?\d+)$")
_CONTEXT_RE = re.compile(r"(?i)^\d+k$")
# Adapter and merge methods the labels leave out of a name ("llama-qlora-30b" is {base-model}{size},
# "NeuralHermes-7B-slerp" {identifier}{size}), unlike sft/dpo/instruct, which they keep.
_MERGE_METHODS = frozenset({"lora", "qlora", "slerp"})
# A model built on a foundation family and named after it with a word glued before ("CodeLlama",
# "tinyllama", "indobert", "AraElectra") is its own model, an identifier in the labels; "distil" and
# one- or two-letter prefixes ("distilbert", "sbert", "mdeberta", "rubert") keep the family.
_DERIVED_FAMILY_RE = re.compile(r"^(?!distil)[a-z]{3,}?(?:llama|bert|roberta|electra|gpt|t5|mistral|qwen|gemma|falcon|"
                                r"bloom|phi|deberta|bart)[\d.]*$")
# What a name is built on, how it derives from it (finetuned) and which release it is are never left
# out by the codebook, however often an alignment with noisy labels seems to drop them.
_NEVER_DROPPED = frozenset({"base-model", "variant-type", "size", "version", "creation-date"})
_COLLAPSING = frozenset({"identifier", "description", "ambiguous", "language"})


@dataclass(frozen=True)
class Evidence:
    """Lower-case words a model's own metadata vouches for, by codebook type."""

    datasets: frozenset[str] = field(default_factory=frozenset)
    base_models: frozenset[str] = field(default_factory=frozenset)
    languages: frozenset[str] = field(default_factory=frozenset)
    task_words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_metadata(cls, tags: Iterable[str] | None = None, pipeline_tag: str | None = None,
                      base_models: Iterable[str] | None = None) -> Evidence:
        """From Hub tags (``dataset:imdb``, ``base_model:org/name``, ``en``), the pipeline tag and the
        declared base models; unusable values are ignored (metadata is user-written)."""
        datasets, bases, languages = set(), set(), set()
        for tag in tags or ():
            if not isinstance(tag, str):
                continue
            kind, _, value = tag.partition(":")
            if kind == "dataset" and value:
                datasets |= _words(value.rsplit("/", 1)[-1])
            elif kind == "base_model" and value:
                bases |= _words(value.rsplit("/", 1)[-1].split(":")[-1])
            elif not value and 2 <= len(kind) <= 3 and kind.isalpha() and kind.islower():
                languages.add(kind)
        for base in base_models or ():
            if isinstance(base, str):
                bases |= _words(base.rsplit("/", 1)[-1])
        task = _words(pipeline_tag) - _MODALITY_WORDS if isinstance(pipeline_tag, str) else set()
        return cls(frozenset(datasets), frozenset(bases), frozenset(languages), frozenset(task))

    def touches(self, repo_id: str) -> bool:
        """Whether any vouched-for word is a word of the name (else the evidence cannot change its reading)."""
        words = _words(repo_id[repo_id.find("/") + 1 :])
        return not words.isdisjoint(self.datasets | self.base_models | self.languages | self.task_words)

    def type_of(self, text: str) -> str | None:
        low = text.lower()
        words = _words(low)
        if low in self.datasets or (len(words) > 1 and words <= self.datasets):
            return "dataset"
        if low in self.base_models and not low.isdigit():
            return "base-model"
        if low in self.languages:
            return "language"
        if low in self.task_words and len(low) > 3:
            return "task"
        return None


# Pipeline-tag words that name a modality, not a task ("text-classification", "image-to-text").
_MODALITY_WORDS = frozenset({"text", "image", "audio", "video", "to", "speech", "visual", "document", "any", "mask"})


_WORD_SPLIT_RE = re.compile(r"[^a-z0-9.]+")
_PART_SPLIT_RE = re.compile(r"[-_. ]+")
_SEP_RE = re.compile(r"([-_ ]+)")
_NUMBER_OR_FLAG_RE = re.compile(r"(?i)[\d.]+|true|false")
_HAS_NUMBER_RE = re.compile(r"(?i)\d|true|false")


def _words(text: str) -> set[str]:
    return {w for w in _WORD_SPLIT_RE.split(text.lower()) if w}


@dataclass(frozen=True)
class Learned:
    """What labelled names teach beyond the conventions: a word's type, and what the labels do with a
    segment of a type in a context (keep it, drop it into its neighbour, or give it another type)."""

    words: Mapping[str, str] = field(default_factory=dict)
    context: Mapping[str, str] = field(default_factory=dict)
    _actions: dict[tuple[str, str, str], str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def action(self, typ: str, position: str, previous: str) -> str:
        act = self._actions.get((typ, position, previous))
        if act is None:
            act = next((self.context[key] for key in (f"{typ}|{position}|{previous}", f"{typ}|{position}", typ)
                        if key in self.context), "keep")
            self._actions[typ, position, previous] = act
        return act


NOTHING_LEARNED = Learned()


def read(repo_id: str, *, conventions: Mapping[str, bool] = CONVENTIONS, learned: Learned | None = None,
         evidence: Evidence | None = None) -> tuple[Segment, ...]:
    """The codebook segments of one repo id (never raises: the parser does not)."""
    if evidence is not None and isinstance(repo_id, str) and not evidence.touches(repo_id):
        evidence = None
    if learned is None and evidence is None and conventions is CONVENTIONS and isinstance(repo_id, str):
        # the shipped reading of the model part alone: mirrors and re-uploads repeat it across authors
        return _shipped_reading(repo_id[repo_id.find("/") + 1 :])
    return _read(repo_id, conventions, dev_learned() if learned is None else learned, evidence)


@lru_cache(maxsize=1 << 16)
def _shipped_reading(model_part: str) -> tuple[Segment, ...]:
    return _read_shipped("/" + model_part, None)


def _read(repo_id: str, conventions: Mapping[str, bool], learned: Learned, evidence: Evidence | None) -> tuple[Segment, ...]:
    if conventions is CONVENTIONS and learned is dev_learned():
        return _read_shipped(repo_id, evidence)
    segs = _typed(parse_segments(repo_id), conventions, learned.words, evidence)
    return tuple(Segment(t, y) for t, y in _arrange_learned(segs, conventions, learned))


def _arrange_learned(segs: list[tuple[str, str]], conventions: Mapping[str, bool],
                     learned: Learned) -> list[tuple[str, str]]:
    segs = _arrange(segs, conventions)
    if learned.context:
        segs = _apply_context(segs, learned)
    return _collapse(segs, _COLLAPSING if conventions.get("collapse_repeats") else frozenset({"identifier"}))


# Speed (the naming mart reads every model's name). Once its segments are typed (_typed), the rest
# of the reading (_arrange_learned) joins neighbours with "-" and retypes them, looking at a
# segment's text only to ask "is it a finetuned word?" and "is it filler (filler words, a run number,
# a context window)?". A segment's stand-in (_stand_in) is a one-word text with the same answers, so
# arranging the stand-ins joins and types as arranging the texts would; that plan is cached per
# sequence of (type, stand-in), which repeats across names far more than the names do. The typing of
# a segment is cached too, except where a checkpoint or hyper-parameter word joins it to its
# neighbours (then the segments are typed as the steps say, and only the arranging is planned).
_STAND_INS = {"finetuned": "finetuned", "filler": "model", "merge": "lora", "checkpoint": "cased", "number": "4",
              "context": "8k", "other": "x"}
_FLAG_NAMES = ("finetuned_is_variant", "instruct_is_training", "quantisation_is_training", "chat_is_task",
               "derived_family_is_identifier")
_SHIPPED_FLAGS = tuple(CONVENTIONS[name] for name in _FLAG_NAMES)
_PLANS: dict[tuple[tuple[str, str | None], ...], tuple[tuple[int, str], ...] | None] = {}


@lru_cache(maxsize=1 << 17)
def _stand_in(text: str) -> str | None:
    """The one-word text the arranging steps cannot tell from ``text`` (None: there is none)."""
    if not text or text.endswith("-"):  # "-".join of such texts differs from the steps' joins
        return None
    low = text.lower()
    if low in _FINETUNED:
        return _STAND_INS["finetuned"]
    words = [w for w in _PART_SPLIT_RE.split(low) if w]
    if all(w in _FILLER for w in words):
        return _STAND_INS["filler"]
    if all(w in _MERGE_METHODS for w in words):
        return _STAND_INS["merge"]
    if low in _CHECKPOINT_WORDS:
        return _STAND_INS["checkpoint"]
    if low.isdigit():
        return _STAND_INS["number"]
    if _CONTEXT_RE.match(low):
        return _STAND_INS["context"]
    return _STAND_INS["other"]


@lru_cache(maxsize=1 << 17)
def _shipped_typing(text: str, typ: str) -> tuple[tuple[str, str | None], bool] | None:
    """((type, stand-in), is a checkpoint word) of a parser segment in the shipped reading without
    evidence; None where a hyper-parameter word may join it to its neighbours."""
    low = text.lower()
    if CONVENTIONS["training_settings_are_training"] and _has_setting_word(text):
        return None
    return ((dev_learned().words.get(low) or _convention_type(low, typ, _SHIPPED_FLAGS), _stand_in(text)),
            CONVENTIONS["family_checkpoint_words"] and low in _CHECKPOINT_WORDS)


def _read_shipped(repo_id: str, evidence: Evidence | None) -> tuple[Segment, ...]:
    segments = parse_segments(repo_id)
    texts: list[str] = []
    key: list[tuple[str, str | None]] = []
    joined = []
    after_family = False
    for s in segments:
        typing = _shipped_typing(s.text, s.type)
        if typing is None:
            return _read_typed(segments, evidence)
        if typing[1] and after_family:  # _join_checkpoint_words
            texts[-1] += "-" + s.text
            joined.append(len(texts) - 1)
            continue
        texts.append(s.text)
        key.append(typing[0])
        after_family = s.type == "base-model"
    for i in joined:
        typing = _shipped_typing(texts[i], "base-model")
        if typing is None:
            return _read_typed(segments, evidence)
        key[i] = typing[0]
    if evidence is not None:
        key = [(evidence.type_of(t) or y, a) for t, (y, a) in zip(texts, key, strict=True)]
    return _arranged(texts, tuple(key), () if joined else segments)


def _read_typed(segments: tuple[Segment, ...], evidence: Evidence | None) -> tuple[Segment, ...]:
    """The shipped reading of segments whose typing the conventions' steps must do."""
    segs = _typed(segments, CONVENTIONS, dev_learned().words, evidence)
    return _arranged([t for t, _ in segs], tuple([(y, _stand_in(t)) for t, y in segs]), ())


def _arranged(texts: list[str], key: tuple[tuple[str, str | None], ...],
              segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """The shipped arranging of typed texts by the plan of their key; ``segments``, when they are the
    parser's segments of the same texts, are reused where the plan keeps one as it is."""
    plan = _PLANS.get(key, False)
    if plan is False:
        plan = _plan(key)
        if len(_PLANS) > 1 << 16:
            _PLANS.clear()
        _PLANS[key] = plan
    if plan is None:
        return tuple(Segment(t, y) for t, y in _arrange_learned(list(zip(texts, [y for y, _ in key], strict=True)),
                                                              CONVENTIONS, dev_learned()))
    out = []
    i = 0
    for n, typ in plan:
        if n == 1:
            out.append(segments[i] if segments and segments[i].type == typ else segment(texts[i], typ))
        else:
            out.append(segment("-".join(texts[i : i + n]), typ))
        i += n
    return tuple(out)


def _plan(key: tuple[tuple[str, str | None], ...]) -> tuple[tuple[int, str], ...] | None:
    """(how many consecutive segments join, type) per segment of the shipped arranging of the key's
    stand-ins; None when a segment has no stand-in."""
    if any(a is None for _, a in key):
        return None
    arranged = _arrange_learned([(a, y) for y, a in key], CONVENTIONS, dev_learned())
    plan = tuple((text.count("-") + 1, typ) for text, typ in arranged)
    return plan if sum(n for n, _ in plan) == len(key) else None


def _context_keys(segs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    n = len(segs)
    return [(typ, "only" if n == 1 else "first" if i == 0 else "last" if i == n - 1 else "mid",
             segs[i - 1][1] if i else "^") for i, (_, typ) in enumerate(segs)]


def _apply_context(segs: list[tuple[str, str]], learned: Learned) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pending = ""
    for (text, typ), key in zip(segs, _context_keys(segs), strict=True):
        act = learned.action(*key)
        if act == "drop":
            if out:
                out[-1] = (out[-1][0] + "-" + text, out[-1][1])
            else:
                pending += text + "-"
            continue
        out.append((pending + text, typ if act == "keep" else act))
        pending = ""
    if pending and not out:
        out.append((pending.rstrip("-"), "identifier"))
    return out


def _conventional(repo_id: str, conventions: Mapping[str, bool], words: Mapping[str, str],
                  evidence: Evidence | None) -> list[tuple[str, str]]:
    return _arrange(_typed(parse_segments(repo_id), conventions, words, evidence), conventions)


def _typed(segments: Iterable[Segment], conventions: Mapping[str, bool], words: Mapping[str, str],
           evidence: Evidence | None) -> list[tuple[str, str]]:
    """The parser's segments typed by the conventions that read their words."""
    segs = [(s.text, s.type) for s in segments]
    on = conventions.get
    if on("family_checkpoint_words"):
        segs = _join_checkpoint_words(segs)
    flags = tuple(bool(on(name)) for name in _FLAG_NAMES)
    retyped = []
    for text, typ in segs:
        low = text.lower()
        typ = words.get(low) or _convention_type(low, typ, flags)
        if evidence is not None:
            typ = evidence.type_of(text) or typ
        retyped.append((text, typ))
    segs = retyped
    if on("training_settings_are_training"):
        segs = _training_settings(segs)
    return segs


def _arrange(segs: list[tuple[str, str]], conventions: Mapping[str, bool]) -> list[tuple[str, str]]:
    """Typed segments joined and retyped by their neighbours (see _STAND_INS for what of the text is read)."""
    on = conventions.get
    if on("finetuned_on_is_dataset"):
        segs = _finetuned_on(segs)
    if on("language_before_family_is_nationality"):
        segs = [(t, "nationality" if y == "language" and i + 1 < len(segs) and segs[i + 1][1] == "base-model" else y)
                for i, (t, y) in enumerate(segs)]
    if on("filler_joins_identifier"):
        segs = _join_filler(segs)
    if on("lone_family_is_identifier"):
        segs = _lone_family(segs)
    return _collapse(segs, _COLLAPSING if on("collapse_repeats") else frozenset({"identifier"}))


def pattern(segments: Iterable[Segment]) -> str:
    return "".join("{" + s.type + "}" for s in segments)


def names_rows(lines: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(repo_id, pattern, segments_json) per non-blank line, for ``hubmine names FILE``: the codebook
    reading from the id alone. segments_json is a JSON list of ``[text, type]`` pairs, in name order."""
    for line in lines:
        rid = line.strip()
        if not rid:
            continue
        segments = read(rid)
        yield rid, pattern(segments), json.dumps([[s.text, s.type] for s in segments], ensure_ascii=False,
                                                 separators=(",", ":"))


@lru_cache(maxsize=1 << 16)
def _convention_type(low: str, typ: str, flags: tuple[bool, ...]) -> str:
    finetuned, instruct, quantisation, chat, derived = flags
    if finetuned and low in _FINETUNED:
        return "variant-type"
    if instruct and low in _INSTRUCT:
        return "training-mechanism"
    if quantisation and _QUANT_RE.match(low):
        return "training-mechanism"
    if chat and low == "chat":
        return "task"
    if derived and typ == "base-model" and _DERIVED_FAMILY_RE.match(low):
        return "identifier"
    return typ


def _join_checkpoint_words(segs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for text, typ in segs:
        if out and out[-1][1] == "base-model" and text.lower() in _CHECKPOINT_WORDS:
            out[-1] = (out[-1][0] + "-" + text, "base-model")
        else:
            out.append((text, typ))
    return out


@lru_cache(maxsize=1 << 16)
def _is_filler(text: str, typ: str) -> bool:
    low = text.lower()
    words = [w for w in _PART_SPLIT_RE.split(low) if w]
    if typ in ("description", "ambiguous", "identifier") and all(w in _FILLER for w in words):
        return True
    if typ in ("training-mechanism", "description", "ambiguous", "identifier") and words \
            and all(w in _MERGE_METHODS for w in words):
        return True
    if low in _CHECKPOINT_WORDS and typ != "base-model":  # "chang-base", "en-th-cased": no family to qualify
        return True
    if typ == "description" and _CONTEXT_RE.match(low):  # context window "8k": a detail the labels leave out
        return True
    # a bare run number without "v": "model-4", "facets_5" (v-prefixed and dotted ones are versions)
    return typ in ("version", "ambiguous") and low.isdigit()


def _join_filler(segs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for text, typ in segs:
        if out and _is_filler(text, typ):
            out[-1] = (out[-1][0] + "-" + text, out[-1][1])
        elif len(out) == 1 and _is_filler(*out[0]):
            out[0] = (out[0][0] + "-" + text, typ)
        else:
            out.append((text, typ))
    return out


@lru_cache(maxsize=1 << 16)
def _is_setting(text: str) -> bool:
    words = [w for w in _SEP_RE.split(text)[::2] if w]
    return any(_SETTING_RE.match(w) for w in words) and all(
        _SETTING_RE.match(w) or _NUMBER_OR_FLAG_RE.fullmatch(w) or len(w) <= 2 for w in words)


def _split_settings(segs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``furina_pan_loss_5e-06``: a merged run ending in settings splits before the first setting word."""
    out = []
    for text, typ in segs:
        if typ in _COLLAPSING and typ != "language":
            words = _SEP_RE.split(text)
            for k in range(2, len(words), 2):
                if _SETTING_RE.match(words[k]) and _is_setting("".join(words[k:])):
                    out += [("".join(words[: k - 1]), typ), ("".join(words[k:]), "training-mechanism")]
                    break
            else:
                out.append((text, typ))
        else:
            out.append((text, typ))
    return out


@lru_cache(maxsize=1 << 17)
def _has_setting_word(text: str) -> bool:
    return any(_SETTING_RE.match(w) for w in _SEP_RE.split(text)[::2] if w)


def _training_settings(segs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``lr-4e-06-ep-3``: hyper-parameter words and the numbers beside them are one training-mechanism."""
    if not any([_has_setting_word(text) for text, _ in segs]):  # most names: nothing to split or join
        return segs
    out: list[tuple[str, str]] = []
    for text, typ in _split_settings(segs):
        after_setting = bool(out) and out[-1][1] == "training-mechanism" and _is_setting(out[-1][0])
        # a number, a flag or a short key ("b", "st-False-ds") carries a run of settings on
        numeric = typ in ("description", "ambiguous", "version") and (
            _HAS_NUMBER_RE.search(text) or all(len(w) <= 2 for w in _SEP_RE.split(text)[::2] if w))
        if typ not in ("base-model", "size") and (_is_setting(text) or (after_setting and numeric)):
            typ = "training-mechanism"
            if after_setting:
                out[-1] = (out[-1][0] + "-" + text, typ)
                continue
        out.append((text, typ))
    return out


def _finetuned_on(segs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``bert-finetuned-imdb``: what follows "finetuned" (the Trainer's default name) is what it was tuned on."""
    out = list(segs)
    for i in range(len(out) - 1):
        if out[i][0].lower() in _FINETUNED and out[i + 1][1] in ("identifier", "description", "task", "ambiguous"):
            out[i + 1] = (out[i + 1][0], "dataset")
    return out


def _lone_family(segs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``phi-2-super``: a family word with nothing but identifier/filler around it is a made-up name."""
    kinds = {typ for _, typ in segs}
    if "base-model" in kinds and kinds <= {"base-model", "identifier", "description"} and len(segs) <= 3 \
            and sum(typ == "base-model" for _, typ in segs) == 1 and segs[0][1] == "base-model" and len(segs) > 1:
        return [("-".join(t for t, _ in segs), "identifier")]
    return segs


def _collapse(segs: list[tuple[str, str]], types: frozenset[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for text, typ in segs:
        if out and out[-1][1] == typ and typ in types:
            out[-1] = (out[-1][0] + "-" + text, typ)
        else:
            out.append((text, typ))
    return out


# --------------------------------------------------------------------------------------------------
# learning from labelled names


# Names a learned entry must be seen in, as agreement.tune chooses it on the dev names.
MIN_COUNT = 2


def learn(labelled: Iterable[tuple[str, list[str]]], *, conventions: Mapping[str, bool] = CONVENTIONS,
          min_count: int = MIN_COUNT, min_share: float = 0.6) -> Learned:
    """Word types and context actions that the labels show in >= min_share of >= min_count cases
    (contexts back off from type+position+previous type to type+position to type)."""
    word_seen: dict[str, Counter] = defaultdict(Counter)
    word_read: dict[str, Counter] = defaultdict(Counter)
    context_seen: dict[str, Counter] = defaultdict(Counter)
    for repo_id, gold in labelled:
        segs = _conventional(repo_id, conventions, {}, None)
        aligned = {i: typ for i, typ in _align_indices([t for _, t in segs], gold)}
        for i, ((text, typ), key) in enumerate(zip(segs, _context_keys(segs), strict=True)):
            target = aligned.get(i)
            if target is not None:
                word_seen[text.lower()][target] += 1
                word_read[text.lower()][typ] += 1
            act = "drop" if target is None else "keep" if target == typ else target
            for k in (f"{key[0]}|{key[1]}|{key[2]}", f"{key[0]}|{key[1]}", key[0]):
                context_seen[k][act] += 1

    def majority(seen: dict[str, Counter], differs: bool) -> dict[str, str]:
        table = {}
        for key, counts in seen.items():
            value, count = counts.most_common(1)[0]
            if count >= min_count and count / sum(counts.values()) >= min_share and (not differs or value != "keep"):
                table[key] = value
        return table

    context = {key: act for key, act in majority(context_seen, True).items()
               if not (act == "drop" and key.split("|")[0] in _NEVER_DROPPED)}

    # a word is worth keeping only where the labels give it another type than the conventions do
    words = {w: t for w, t in majority(word_seen, False).items() if t != word_read[w].most_common(1)[0][0]}
    return Learned(words=words, context=context)


def _align_indices(predicted: list[str], gold: list[str]) -> list[tuple[int, str]]:
    """(predicted index, gold type) pairs of a minimum-edit alignment of two type sequences."""
    n, m = len(predicted), len(gold)
    cost = [[i + j if i == 0 or j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j - 1] + (predicted[i - 1] != gold[j - 1]), cost[i - 1][j] + 1,
                             cost[i][j - 1] + 1)
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        # on ties a later predicted segment is the extra one ("Yi-Ko-6B" labelled {identifier}{size}:
        # Yi is the identifier and Ko is dropped)
        if cost[i][j] == cost[i - 1][j] + 1:
            i -= 1
        elif cost[i][j] == cost[i - 1][j - 1] + (predicted[i - 1] != gold[j - 1]):
            pairs.append((i - 1, gold[j - 1]))
            i, j = i - 1, j - 1
        else:
            j -= 1
    return pairs[::-1]


_DEV_LEARNED = Path(__file__).with_name("codebook_dev.json")


@lru_cache(maxsize=1)
def dev_learned() -> Learned:
    """The tables learned from the 127 dev names (written by ``bench/naming.py --write-learned``)."""
    if not _DEV_LEARNED.is_file():
        return NOTHING_LEARNED
    data = json.loads(_DEV_LEARNED.read_text(encoding="utf-8"))
    return Learned(words=data["words"], context=data["context"])


def save_learned(learned: Learned, path: Path = _DEV_LEARNED) -> None:
    path.write_text(json.dumps({"words": dict(sorted(learned.words.items())),
                                "context": dict(sorted(learned.context.items()))}, indent=1) + "\n", encoding="utf-8")
