"""spaCy rule components for the few card questions regexes answer badly.

One ``spacy.blank("en")`` pipeline (tokenizer + sentencizer, no downloaded model) built lazily and
shared. Two uses, both kept off the bulk path or bounded to a short span:

* ``fine_tuned_phrase``: the Trainer sentence "This model is a fine-tuned version of X on the Y
  dataset" with a PhraseMatcher over tokens, so X and Y are split on tokens ("on" as a word, not
  inside a repo name like ``bert-on-steroids``) and the determiner / "unknown" / "None" variants
  are handled.
  Only the one sentence holding the phrase is tokenised, markdown links reduced to their text first.
* ``count_sentences``: prose sentences of a section (code, tables, HTML, placeholders removed;
  a sentence needs >= 3 alphabetic tokens), to tell a one-line stub from real prose. Opt-in
  (``parse_card(..., sentences=True)``): tokenising every section of every card costs ~100x the
  rest of the parse.
"""

from __future__ import annotations

import functools
import re

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"<?https?://\S+>?")
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?(?:^ {0,3}\1[^\n]*$|\Z)", re.S | re.M)
_TABLE_OR_HTML = re.compile(r"^\s*[|<].*$", re.M)
_NOT_A_NAME = frozenset({"unknown", "none", "null", "an", "a", "the", ""})
_MAX_SPAN = 600


@functools.cache
def _pipeline():
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    # PhraseMatcher on LOWER: ~2 us a sentence, against ~30 us for a token Matcher with wildcards
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add(
        "FT", [nlp.make_doc(p) for p in ("fine-tuned version of", "finetuned version of", "fine tuned version of")]
    )
    matcher.add("ON", [nlp.make_doc("on")])
    matcher.add("DS", [nlp.make_doc("dataset"), nlp.make_doc("datasets")])
    return nlp, matcher


def nlp():
    """The shared blank English pipeline (tokenizer + sentencizer)."""
    return _pipeline()[0]


def _clean_name(text: str) -> str | None:
    name = text.strip().strip(".,;:()[]`*'\" ")
    return None if name.lower() in _NOT_A_NAME else name


def fine_tuned_phrase(text: str) -> tuple[str | None, str | None] | None:
    """``(base_model, dataset)`` from a "fine-tuned version of X on the Y dataset" sentence.

    ``None`` when the text has no such phrase; either element is ``None`` when it is unknown
    ("on an unknown dataset", "on the None dataset").
    """
    at = text.find("version of")
    if at < 0:
        at = text.lower().find("version of")
        if at < 0:
            return None
    start = max(text.rfind("\n", 0, at) + 1, at - 120)
    end = text.find("\n", at)
    span = text[start : end if 0 <= end < at + _MAX_SPAN else at + _MAX_SPAN]
    if "](" in span:
        span = _LINK.sub(r"\1", span)
    if "://" in span:
        span = _URL.sub(" ", span)
    stop = span.find(". ", max(0, at - start))  # one sentence: names never hold ". "
    return _phrase(span if stop < 0 else span[: stop + 1])


@functools.lru_cache(maxsize=4096)
def _phrase(span: str) -> tuple[str | None, str | None] | None:
    # cached: tutorial fine-tunes repeat the same sentence across thousands of cards
    nlp_, matcher = _pipeline()
    doc = nlp_.make_doc(span)
    strings = nlp_.vocab.strings
    ft = on = ds = None
    for match_id, s, e in matcher(doc):
        label = strings[match_id]
        if label == "FT":
            if ft is None:
                ft = e
        elif ft is None or s < ft:
            continue
        elif label == "ON" and on is None and s > ft and doc[s - 1].whitespace_ and doc[s].whitespace_:
            on = s  # a word of its own: not the "on" inside "bert-on-x"
        elif label == "DS" and on is not None and ds is None and s > on:
            ds = s
    if ft is None:
        return None
    if on is None:
        return _clean_name(doc[ft:].text), None
    first = on + 1
    if first < len(doc) and doc[first].lower_ in ("the", "an", "a"):
        first += 1
    return _clean_name(doc[ft:on].text), (_clean_name(doc[first:ds].text) if ds is not None else None)


def prose(text: str) -> str:
    """Text with code blocks, table rows and HTML lines removed."""
    return _TABLE_OR_HTML.sub("", _FENCE.sub("", text))


def count_sentences(text: str, min_alpha_tokens: int = 3) -> int:
    """Sentences with at least ``min_alpha_tokens`` alphabetic tokens in the prose of ``text``."""
    body = prose(text).strip()
    if not body:
        return 0
    doc = nlp()(body[:100_000])
    n = 0
    for sent in doc.sents:
        alpha = 0
        for tok in sent:
            if tok.is_alpha:
                alpha += 1
                if alpha >= min_alpha_tokens:
                    n += 1
                    break
    return n
