"""When a section counts as filled: placeholders and template sentences that say nothing.

A section is filled when its own body has at least one content line after placeholders are
blanked: HTML comments, ``{{ jinja }}`` / ``{% %}``, "[More Information Needed]" and its spellings,
lines holding only TODO/TBD/N/A/None/Unknown/"not specified"/"coming soon"/"[optional]"/``{name}``
(an explicit "Unknown" answers nothing), the sentences DreamBooth notebooks put in every card, the
fixed sentences the official template ships ("Use the code below to get started with the model.", the Lacoste et al.
carbon-calculator sentence, the default Recommendations and the 2022 template's default bias
paragraph), and list/label lines with no value ("- **License:**", "- Developed by:").

The scan runs over offsets into the card's text (a section is ``text[start:end]``, ``start`` at a
newline) so no section is copied out unless it holds a comment or jinja block.
"""

from __future__ import annotations

import re

# Fixed sentences of the official template (current and 2022) that say nothing about the model.
_BOILERPLATE = (
    r"use\s+the\s+code\s+below\s+to\s+get\s+started\s+with\s+the\s+model\.?",
    r"carbon\s+emissions\s+can\s+be\s+estimated\s+using\s+the\s+\[machine\s+learning\s+impact\s+calculator\]"
    r"\([^)\n]*\)\s+presented\s+in\s+\[lacoste\s+et\s+al\.\s+\(2019\)\]\([^)\n]*\)\.?",
    r"users\s+\(both\s+direct\s+and\s+downstream\)\s+should\s+be\s+made\s+aware\s+of\s+the\s+risks,"
    r"\s+biases\s+and\s+limitations\s+of\s+the\s+model\.?",
    r"significant\s+research\s+has\s+explored\s+bias\s+and\s+fairness\s+issues\s+with\s+language\s+models[^\n]*",
    r"predictions\s+generated\s+by\s+the\s+model\s+may\s+include\s+disturbing\s+and\s+harmful\s+stereotypes[^\n]*",
    r"todo:?\s*add\s+your\s+code",
    # DreamBooth notebooks (TheLastBen's fast-DreamBooth, the diffusers concepts library)
    r"test\s+the\s+concept\s+via\s+a1111\s+colab[^\n]*",
    r"or\s+you\s+can\s+run\s+your\s+new\s+concept\s+via[^\n]*",
    r"you\s+(?:can\s+)?run\s+your\s+new\s+concept\s+via[^\n]*",
    r"sample\s+pictures\s+of(?:\s+this)?\s+concept:?",
    # the 2022 template's default misuse and bias sentences, skops' template
    r"the\s+model\s+should\s+not\s+be\s+used\s+to\s+intentionally\s+create\s+hostile\s+or\s+alienating"
    r"\s+environments\s+for\s+people\.?",
    r"provide\s+examples\s+of\s+latent\s+issues\s+and\s+potential\s+remediations\.?",
    r"content\s+warning:\s+readers\s+should\s+be\s+aware\s+this\s+section\s+contains\s+content\s+that\s+is"
    r"\s+disturbing[^\n]*",
    r"below\s+you\s+can\s+find\s+information\s+related\s+to\s+citation\.?",
    r"you\s+can\s+find\s+the\s+details\s+about\s+evaluation\s+process\s+and\s+the\s+evaluation\s+results\.?",
    r"the\s+model\s+plot\s+is\s+below\.?",
    r"this\s+model\s+card\s+is\s+written\s+by\s+following\s+authors:?",
    r"skops_user",
    r"you\s+can\s+contact\s+the\s+model\s+card\s+authors\s+through\s+following\s+channels:?",
    r"bibtex\s+@inproceedings\{\.\.\.,\s*year=\{\d{4}\}\}",
    r"@inproceedings\{\.\.\.,\s*year=\{\d{4}\}\}",
    # stable-baselines3's and the template's placeholder code
    r"todo:\s*add\s+your\s+code",
    r"from\s+stable_baselines3\s+import\s+\.\.\.",
    r"from\s+huggingface_sb3\s+import\s+load_from_hub",
    r"you\s+can\s+include\s+sample\s+code\s+which\s+will\s+be\s+formatted",
    # the CreativeML OpenRAIL-M notice copied into Stable Diffusion cards
    r"this\s+model\s+is\s+open\s+access\s+and\s+available\s+to\s+all[^\n]*",
    r"these\s+models\s+are\s+open\s+access\s+and\s+available\s+to\s+all[^\n]*",
    r"the\s+creativeml\s+openrail\s+license\s+specifies:?",
    r"\d\.\s+you\s+can.t\s+use\s+the\s+model\s+to\s+deliberately\s+produce[^\n]*",
    r"\d\.\s+[^\n]{0,40}claims?\s+no\s+rights\s+on\s+the\s+outputs\s+you\s+generate[^\n]*",
    r"\d\.\s+you\s+may\s+re-distribute\s+the\s+weights[^\n]*",
    r"please\s+read\s+the\s+full\s+license[^\n]*",
    r"\[please\s+read\s+the\s+full\s+license[^\n]*",
    r"you\s+can.t\s+use\s+the\s+model\s+to\s+deliberately\s+produce[^\n]*",
    r"the\s+authors\s+claims?\s+no\s+rights\s+on\s+the\s+outputs\s+you\s+generate[^\n]*",
    r"you\s+may\s+re-distribute\s+the\s+weights[^\n]*",
    # the current template's first line, fastai's push_to_hub card
    r"this\s+modelcard\s+aims\s+to\s+be\s+a\s+base\s+template\s+for\s+new\s+models[^\n]*",
    "\U0001f973" r"\s*congratulations\s+on\s+hosting\s+your\s+fastai\s+model[^\n]*",
    r"congratulations\s+on\s+hosting\s+your\s+fastai\s+model[^\n]*",
    r"\d\.\s+fill\s+out\s+this\s+model\s+card\s+with\s+more\s+information[^\n]*",
    r"\d\.\s+create\s+a\s+demo\s+in\s+gradio\s+or\s+streamlit[^\n]*",
    r"\d\.\s+join\s+the\s+fastai\s+community[^\n]*",
    r"greetings\s+fellow\s+fastlearner[^\n]*",
)
_MORE_INFO = (
    r"\[\s*more\s+information\s+needed\s*\]",
    r"\[\s*needs?\s+more\s+information\s*\]",
    r"more\s+info(?:rmation)?\s+(?:is\s+)?needed(?:\s+for\s+further\s+recomm?endations)?\.?",
    r"needs?\s+more\s+information\.?",
)
_PLACEHOLDER_WORDS = (
    r"todo",
    r"tbd",
    r"tba",
    r"n/?a",
    r"none",
    r"null",
    r"unknown",
    r"unspecified",
    r"not\s+(?:specified|available|applicable|known|provided|disclosed)",
    r"coming\s+soon",
    r"to\s+be\s+(?:added|announced|determined|updated|released)",
    r"wip",
    r"work\s+in\s+progress",
    r"\.\.\.",
    "\u2026",
    r"\[\s*optional\s*\]",
    # markup that holds nothing by itself: an empty fence's marker line, a collapsible's label
    r"```[\w+-]*",
    r"~~~[\w+-]*",
    r"</?details>",
    r"<summary>\s*click\s+to\s+expand\s*</summary>",
    r"\{\{?[ \t]*[a-z_][\w.]*[ \t]*\}?\}",
)


def _case_free(alternatives: tuple[str, ...]) -> str:
    """Lower-case regex alternatives matched in any case, each opening with a plain character class.

    sre skips an alternative after one look at the next character only when the alternative opens
    with a literal or a class; IGNORECASE literals get no such test, and this alternation is tried
    at every line the content scan visits.
    """
    out = []
    for alt in alternatives:
        if alt[0].isalpha():
            out.append(f"[{alt[0]}{alt[0].upper()}](?i:{alt[1:]})")
        elif alt[0] == "\\":
            out.append(f"{alt[:2]}(?i:{alt[2:]})")
        else:
            out.append(f"{alt[0]}(?i:{alt[1:]})")
    return "|".join(out)


# Blanked (lower-cased text, same length, newlines kept) on the slow path: comments, jinja, the
# "more information needed" family and the template sentences, wherever they sit in a line.
# an HTML comment, to its end or the text's (needs re.S)
COMMENT = r"<!--.*?(?:-->|\Z)"
_PH_INLINE = re.compile(
    COMMENT + r"|\{\{.*?(?:\}\}|\Z)|\{%.*?(?:%\}|\Z)|" + "|".join(_MORE_INFO + _BOILERPLATE), re.S
)
# what a line may consist of and still say nothing
_PH_ITEM = "(?>" + _case_free(_MORE_INFO + _BOILERPLATE + _PLACEHOLDER_WORDS) + ")"
# From a newline: either a run of placeholders and template sentences standing alone (group 1,
# may wrap over lines; skipped), or a content line: one with a letter or digit that is not
#  - a label with no value or only a placeholder ("- **License:**", "- **Model type:** [More ...]"),
#  - a line opening a comment or jinja block (those send the section to the slow path).
# characters a placeholder item can start with: one class test spares most lines the alternation
_PH_FIRST = (
    "["
    + "".join(
        sorted(
            {a[:2] if a[0] == "\\" else a[0] for a in _MORE_INFO + _BOILERPLATE + _PLACEHOLDER_WORDS}
            | {a[0].upper() for a in _MORE_INFO + _BOILERPLATE + _PLACEHOLDER_WORDS if a[0].isalpha()}
        )
    )
    + "]"
)
_SCAN = re.compile(
    r"\n(?:(?=[ \t>*_+#-]*+" + _PH_FIRST + r")([ \t>*_+#-]*+(?:" + _PH_ITEM + r"""[ \t*_.!:,;}\])'"]*+)++(?=\n|\Z))"""
    r"|(?![ \t]*+(?:[-*+][ \t]+)?(?:\*\*|__)[^*\n]{1,100}(?:\*\*|__)[ \t]*+:?[ \t]*+(?:" + _PH_ITEM + r"[ \t.]*+)*+"
    r"(?:\n|\Z))"
    r"(?![ \t]*+[-*+][ \t]+[^\n:]{1,60}:[ \t]*+(?:" + _PH_ITEM + r"[ \t.]*+)*+(?:\n|\Z))"
    r"(?![^\n<{]*+(?:(?:<(?!!--)|\{(?![{%]))[^\n<{]*+)*+(?:<!--|\{\{|\{%))"
    r"[^\n]*[^\W_])"
)


def content_at(text: str, pos: int, end: int) -> int:
    """Offset of the first content line in text[pos:end], or -1."""
    search = _SCAN.search
    while True:
        m = search(text, pos, end)
        if m is None:
            return -1
        if m.lastindex is None:
            return m.start()
        pos = m.end()


_NON_NL = re.compile(r"[^\n]")


def _blank(m: re.Match) -> str:
    s = m.group()
    return _NON_NL.sub(" ", s) if "\n" in s else " " * len(s)


def strip_placeholders(text: str) -> str:
    """Lower-cased ``text`` with placeholders blanked (newlines kept)."""
    return _PH_INLINE.sub(_blank, text.lower())


# first two characters (lower case) of every placeholder item that opens with a letter
_PH_PREFIX2 = frozenset(
    {"mo", "ne", "us", "ca", "si", "pr", "to", "tb", "n/", "na", "no", "nu", "co", "wi", "wo", "un", "te", "or", "yo", "sa", "th", "gr", "be", "sk", "fr", "pl"}
)


def _line_end(text: str, pos: int, stop: int) -> int:
    e = text.find("\n", pos, stop)
    return stop if e < 0 else e


_OPENER = re.compile(r"<!--|\{[{%]")  # rare first characters: the scan is a tight C loop


def _opens_block(text: str, start: int, end: int) -> bool:
    return _OPENER.search(text, start, end) is not None


def first_content(text: str, start: int, end: int) -> int:
    """The newline before the first content line of text[start:end] (start at a newline) once
    placeholders are blanked, or -1.

    Fast path: a content line with no comment or jinja block opened before it. Otherwise the
    section is cleaned (placeholders blanked, same length) and searched again.
    """
    at = content_at(text, start, end)
    if at >= 0:
        if not _opens_block(text, start, at):
            return at
    elif not _opens_block(text, start, end):
        return -1
    # lower-cased so the placeholder regex needs no IGNORECASE (which disables its first-character scan)
    cleaned = _PH_INLINE.sub(_blank, text[start:end].lower())
    at = content_at(cleaned, 0, len(cleaned))
    return start + at if at >= 0 else -1


def is_filled(text: str, start: int, end: int) -> bool:
    """Does text[start:end] (start at a newline) hold a content line once placeholders are blanked?"""
    return first_content(text, start, end) >= 0


def section_filled(text: str, start: int, stop: int) -> bool:
    """Whether a section that maps to the template is filled, as the parser records it.

    The common case without the regex: after at most one blank line, a line opening with a letter
    or digit that no placeholder starts with, and no comment or jinja in it. Otherwise a content
    line within the first characters, else :func:`is_filled`.
    """
    p = start + 1
    if p < stop and text[p] == "\n":
        p += 1
    if (
        p < stop
        and text[p].isalnum()
        and text[p : p + 2].lower() not in _PH_PREFIX2
        and not _opens_block(text, p, _line_end(text, p, stop))
    ):
        return True
    m = _SCAN.search(text, start, stop)
    return (m is not None and m.lastindex is None and m.start() - start < 4) or is_filled(text, start, stop)
