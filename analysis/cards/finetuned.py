"""The Trainer's "This model is a fine-tuned version of X on the Y dataset" sentence, read by a regex.

The Trainer writes X as a markdown link ``[id](https://huggingface.co/id)`` (empty, ``[](https://huggingface.co/)``,
when it did not know the base) and Y as a dataset name, "an unknown dataset" or "the None dataset".
The link's text is the base model's id; its target is the fallback when the text is empty. Hand-written variants
("fine-tuned version of bert-base on the imdb dataset") are read from plain tokens.
It replaced a spaCy PhraseMatcher that read an empty link as the base "on the xsum dataset";
bench/card_sections.py compares the two on the real cards.
"""

from __future__ import annotations

import re

_FT = re.compile(
    r"fine[- ]?tuned\s+version\s+of\s+"
    r"(?:\[(?P<text>[^\]\n]*)\]\((?P<url>[^)\s]*)[^)\n]*\)|`?(?P<plain>[^\s`\[]+)`?)"
    r"(?P<rest>[^\n]{0,300})",
    re.I,
)
# " on the Y dataset", " on an unknown dataset", " on the Y and Z datasets"; names never hold ". "
_ON = re.compile(r"^\s+on\s+(?:the\s+|an?\s+)?(?P<ds>.+?)\s+datasets?\b", re.I)
_HF_URL = re.compile(r"^https?://(?:www\.)?huggingface\.co/(?P<id>[^?#\s]*)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_NOT_A_NAME = frozenset({"unknown", "none", "null", "an", "a", "the", "", "this", "that"})


def _name(s: str | None) -> str | None:
    if s is None:
        return None
    s = s.strip().strip("`*'\" ").rstrip(".,;:")
    return None if s.lower() in _NOT_A_NAME else s


def fine_tuned_phrase(text: str) -> tuple[str | None, str | None] | None:
    """``(base_model, dataset)`` of the first "fine-tuned version of X [on the Y dataset]" in ``text``.

    ``None`` without such a phrase; either element is ``None`` when unknown ("an unknown dataset",
    an empty link, "the None dataset").
    """
    m = _FT.search(text)
    if m is None:
        return None
    if m.group("url") is not None:
        base = _name(m.group("text"))
        if base is None and (hf := _HF_URL.match(m.group("url"))):
            base = _name(hf.group("id").strip("/"))
    else:
        base = _name(m.group("plain"))
    rest = m.group("rest")
    if "](" in rest:
        rest = _LINK.sub(r"\1", rest)
    cut = rest.find(". ")
    on = _ON.match(rest[:cut] if cut >= 0 else rest)
    return base, (_name(on.group("ds")) if on else None)
