"""Model-card parser: front matter, heading sections, placeholders, card kind.

``parse_card(raw)`` takes the bytes or text of a README.md and never raises on bad input: every
problem becomes an ``Issue`` on the result and the caller's batch goes on. Work and memory per card
are bounded: at most ``MAX_DECODE_CHARS`` of the input are decoded, at most
``MAX_FRONT_MATTER_CHARS`` reach YAML (behind an alias-expansion budget, see yamlsafe), at most
``MAX_BODY_CHARS`` of body are sectioned, at most ``MAX_HEADINGS`` headings are kept.

Issue codes (severity): errors mean metadata was lost, warnings mean the input was repaired or cut.
  yaml_error, yaml_unsafe_tag, yaml_alias_bomb, yaml_too_large, yaml_too_deep, yaml_not_mapping,
  front_matter_unclosed (error); invalid_utf8, utf16, nul_bytes, crlf, body_truncated,
  headings_truncated, front_matter_template, yaml_lenient (read only by the YAML 1.1 fallback) (warning).

Sections. Headings are ATX (``#``..``######``), setext (``===`` / ``---`` underlines), single-line
HTML ``<h1>``..``<h6>`` and bold-only lines (``**Training data**``), the last treated as one level
below any real heading. Lines inside fenced code blocks and line-initial HTML comments are not
headings. A section's body runs to the next heading of any level; its template section(s) come from
``sections.map_heading``; an unmapped heading inherits the section of its nearest enclosing heading
(except from a "Model Card for X" title, whose children are the whole card).

Filled. A section is filled when its own body has at least one content line after placeholders are
blanked: HTML comments, ``{{ jinja }}`` / ``{% %}``, "[More Information Needed]" and its spellings,
lines holding only TODO/TBD/N/A/None/"coming soon"/"[optional]"/``{name}``, the fixed sentences the
official template ships ("Use the code below to get started with the model.", the Lacoste et al.
carbon-calculator sentence, the default Recommendations and the 2022 template's default bias
paragraph), and list/label lines with no value ("- **License:**", "- Developed by:"). Filled is
computed while parsing for sections that map to the template and on first access for the others.

Kinds, first match wins: empty (no heading text and no content line); autotrain ("Model Trained
Using AutoTrain"/AutoNLP title or the autotrain tag); quantized, strong signals (gguf/gptq/awq/exl2
tags, ``quantized_by``, base_model_relation, a format in the title or in the ``repo_id`` passed
in); trainer, strong (generated_from_trainer/keras tags, the "generated automatically according to
the information the Trainer had access to" comment); merge (merge tags or relation, mergekit /
"merge of pre-trained language models" / ``merge_method`` in the first 8k characters); template
(>= 3 headings only the huggingface_hub template uses); trainer, weak ("This model is a fine-tuned
version of ... dataset" + a "Training procedure" heading); quantized, weak (a repack sentence such
as "GGUF quants of X" near the top, not "quantized versions are available"); free-form.
For trainer cards the base model and dataset of that sentence are read with a spaCy PhraseMatcher
(see nlp.py) into ``fine_tuned_from`` / ``fine_tuned_on``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from analysis.cards.sections import heading_info
from analysis.cards.yamlsafe import MAX_FRONT_MATTER_CHARS, YamlRefused, load_front_matter

MAX_BODY_CHARS = 1_000_000
MAX_DECODE_CHARS = MAX_FRONT_MATTER_CHARS + MAX_BODY_CHARS + 4096
MAX_HEADINGS = 2_000
BOLD_LEVEL = 7

KINDS = ("empty", "autotrain", "trainer", "merge", "quantized", "template", "free-form")

ERROR_CODES = frozenset(
    {
        "yaml_error",
        "yaml_unsafe_tag",
        "yaml_alias_bomb",
        "yaml_too_large",
        "yaml_too_deep",
        "yaml_not_mapping",
        "front_matter_unclosed",
        "internal_error",
    }
)


@dataclass(slots=True)
class Issue:
    code: str
    message: str = ""

    @property
    def severity(self) -> str:
        return "error" if self.code in ERROR_CODES else "warning"


@dataclass(slots=True)
class Section:
    """One heading and the text up to the next heading of any level.

    ``filled`` is computed on first access for headings that map to no template section: the
    score never asks, so the bulk run skips that work.
    """

    title: str
    level: int  # 1-6 for real headings, BOLD_LEVEL for bold-line pseudo-headings
    template_sections: tuple[str, ...]  # () when neither it nor an ancestor maps
    _filled: bool | None = field(repr=False)
    chars: int  # characters of its own body (subsections excluded)
    style: str  # "atx" | "setext" | "html" | "bold"
    inherited: bool = False  # template_sections came from an enclosing heading
    sentences: int | None = None  # prose sentences, only with parse_card(..., sentences=True)
    _span: tuple[str, int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def filled(self) -> bool:
        if self._filled is None:
            text, start, stop = self._span
            self._filled = _filled(text, start, stop)
            self._span = None
        return self._filled

    @property
    def template_section(self) -> str | None:
        return self.template_sections[0] if self.template_sections else None

    def __repr__(self) -> str:
        return (
            f"Section(title={self.title!r}, level={self.level}, template_sections={self.template_sections}, "
            f"filled={self.filled}, chars={self.chars}, style={self.style!r}, inherited={self.inherited})"
        )


@dataclass(slots=True)
class ParsedCard:
    """The parse of one card.

    ``present_mask`` / ``filled_mask``: template sections (bit i = TEMPLATE_SECTIONS[i]) with a
    heading / with a filled heading. ``sections`` is built on first access from compact rows: the
    score needs only the masks, so the bulk run never creates Section objects.
    """

    metadata: dict[str, Any] | None  # None: no front matter, or it could not be loaded
    issues: list[Issue]
    kind: str
    has_front_matter: bool = False
    body_chars: int = 0
    input_size: int = 0  # len() of what was given (bytes or characters)
    yaml_cached: bool = False  # front matter seen before: copied, not re-parsed
    present_mask: int = 0
    filled_mask: int = 0
    fine_tuned_from: str | None = None  # from the Trainer sentence, trainer cards only
    fine_tuned_on: str | None = None
    _rows: list[tuple] = field(default_factory=list, repr=False, compare=False)
    _text: str = field(default="", repr=False, compare=False)
    _preamble: tuple[int, int] = field(default=(0, 0), repr=False, compare=False)
    _sections: list[Section] | None = field(default=None, repr=False, compare=False)

    @property
    def sections(self) -> list[Section]:
        if self._sections is None:
            text = self._text
            self._sections = [
                Section(title, level, secs, filled, chars, style, inherited, None, (text, start, stop))
                for title, level, secs, filled, chars, style, inherited, start, stop in self._rows
            ]
        return self._sections

    @property
    def preamble_filled(self) -> bool:
        """Content before the first heading (computed on demand)."""
        start, stop = self._preamble
        return stop > start and _filled(self._text, start, stop)

    @property
    def issue_codes(self) -> list[str]:
        return [i.code for i in self.issues]

    @property
    def has_error(self) -> bool:
        return any(i.code in ERROR_CODES for i in self.issues)


# --- decoding -----------------------------------------------------------------------------------


def _decode(raw: bytes | bytearray | memoryview | str, issues: list[Issue]) -> tuple[str, bool]:
    """At most MAX_DECODE_CHARS of text, and whether the input was longer."""
    if isinstance(raw, str):
        truncated = len(raw) > MAX_DECODE_CHARS
        text = raw[:MAX_DECODE_CHARS] if truncated else raw
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as e:  # lone surrogates from a lossy upstream decode
                issues.append(Issue("invalid_utf8", f"unencodable character at {e.start}"))
                text = text.encode("utf-8", "replace").decode("utf-8")
    else:
        truncated = len(raw) > MAX_DECODE_CHARS
        chunk = bytes(raw[:MAX_DECODE_CHARS])
        if chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
            issues.append(Issue("utf16", "UTF-16 byte-order mark; decoded as UTF-16"))
            return chunk.decode("utf-16", "replace"), truncated
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as e:
            text = None
            if truncated and e.start >= len(chunk) - 3:  # our own cut split a character
                try:
                    text = chunk[: e.start].decode("utf-8")
                except UnicodeDecodeError:
                    pass
            if text is None:
                issues.append(Issue("invalid_utf8", f"invalid UTF-8 at byte {e.start}; replaced"))
                text = chunk.decode("utf-8", "replace")
    if text[:1] == "\ufeff":
        text = text[1:]
    return text, truncated


# --- front matter -------------------------------------------------------------------------------

_LONE_PLACEHOLDER = re.compile(r"\s*\{\s*\w+\s*\}\s*")  # "{card_data}": a template never rendered
_FM_OPEN = re.compile(r"\s*---[ \t]*\n")


def _split_front_matter(text: str, issues: list[Issue]) -> tuple[str | None, int]:
    """(front matter or None, index of the newline the body starts at), for ``text`` = "\n" + card.

    huggingface_hub's rule: a leading ``---`` line, then a closing ``---`` line. The body is not
    copied out: the rest of the parse works on offsets into ``text``.
    """
    m = _FM_OPEN.match(text)
    if m is None:
        return None, 0
    start = m.end()
    pos = start - 1
    while True:
        j = text.find("\n---", pos)
        if j < 0:
            issues.append(Issue("front_matter_unclosed", "front matter opened with --- but never closed"))
            return None, 0
        e = text.find("\n", j + 4)
        if e < 0:
            e = len(text)
        if not text[j + 4 : e].strip(" \t"):
            return (text[start:j] if j >= start else ""), e
        pos = j + 4


def _load_metadata(fm: str, issues: list[Issue]) -> tuple[dict | None, bool]:
    if "{{" in fm or "{%" in fm or _LONE_PLACEHOLDER.fullmatch(fm):
        issues.append(Issue("front_matter_template", "unrendered template placeholders in front matter"))
    try:
        value, cached, lenient = load_front_matter(fm)
    except YamlRefused as e:
        issues.append(Issue(e.code, str(e)))
        return None, False
    except yaml.YAMLError as e:
        issues.append(Issue("yaml_error", str(e).replace("\n", " ")[:300]))
        return None, False
    except (RecursionError, ValueError, TypeError, OverflowError, MemoryError) as e:
        issues.append(Issue("yaml_error", f"{type(e).__name__}: {str(e)[:200]}"))
        return None, False
    if lenient:
        issues.append(Issue("yaml_lenient", f"read by the lenient YAML 1.1 fallback only ({lenient})"))
    if value is None:
        return {}, cached
    if not isinstance(value, dict):
        issues.append(Issue("yaml_not_mapping", f"front matter is a {type(value).__name__}, not a mapping"))
        return None, cached
    return value, cached


# --- headings -----------------------------------------------------------------------------------

# One pass over the body (which starts at a newline). Every branch starts at a newline, so the
# regex engine jumps from line to line; after the indentation every alternative opens with a
# literal, which sre tests before entering it, so an ordinary line costs a few character checks.
# Fences and comments are consumed whole (line by line) so nothing inside them is a heading.
# Which alternative matched is read from the character after the indentation.
_BLOCK = re.compile(
    r"\n(?P<ind>[ \t]*+)(?:"
    r"`(?P<bt>``+)[^`\n]*+(?:\n(?![ \t]*+`(?P=bt)`*+[ \t]*+(?:\n|\Z))[^\n]*+)*+(?:\n[^\n]*+)?"
    r"|~(?P<tl>~~+)[^\n]*+(?:\n(?![ \t]*+~(?P=tl)~*+[ \t]*+(?:\n|\Z))[^\n]*+)*+(?:\n[^\n]*+)?"
    r"|<!--[^-]*+(?:-(?!->)[^-]*+)*+(?:-->[^\n]*+)?"
    r"|\#(?P<hashes>\#{0,5})(?:[ \t]++(?P<atx>[^\n]*+)|[ \t]*+)(?=\n|\Z)"
    r"|\*\*(?P<bold>[^\n*_\s](?:[^\n*]{0,118}[^\n*\s])?)\*\*[ \t]*+:?[ \t]*+(?=\n|\Z)"
    r"|__(?P<bold2>[^\n*_\s](?:[^\n*]{0,118}[^\n*\s])?)__[ \t]*+:?[ \t]*+(?=\n|\Z)"
    r"|<[hH](?P<hl>[1-6])\b[^>\n]*>(?P<html>[^\n]*?)</[hH](?P=hl)>[ \t]*+(?=\n|\Z)"
    r"|=(?P<eq>=*+)[ \t]*+(?=\n|\Z)"  # setext underlines, checked against the line above
    r"|-(?P<dash>-++)[ \t]*+(?=\n|\Z)"
    r")"
)
# the line above an underline is a paragraph line only if it is not blank, indented code, a list
# item, quote, table row, heading, fence or HTML
_NOT_PARAGRAPH = re.compile(r"[ ]{0,3}(?:[-+>|#<`~=]|\*(?!\*)|\d{1,9}[.)](?:[ \t]|$))|[ ]{4}|[ \t]*$")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+$")
_TAG = re.compile(r"<[^>]*>")


def _headings(
    text: str, issues: list[Issue], pos: int = 0, endpos: int | None = None
) -> list[tuple[int, int, int, str, str]]:
    """(line start, body start, level, title, style) for each heading in text[pos:endpos] (pos at a newline)."""
    heads: list[tuple[int, int, int, str, str]] = []
    append = heads.append
    prev_end = -1  # end of the last fence/comment/heading: a line right after one is no paragraph
    for m in _BLOCK.finditer(text, pos, len(text) if endpos is None else endpos):
        start, stop = m.span()
        ie = m.end(1)
        c = text[ie]
        if c == "`" or c == "~" or (c == "<" and m.start(8) < 0):  # fence or comment
            prev_end = stop
            continue
        if len(heads) > MAX_HEADINGS:
            break  # bounded work on pathological cards; the cut is reported below
        if c == "*" or c == "_":
            append((start + 1, stop, BOLD_LEVEL, (m.group(6) or m.group(7)).strip(), "bold"))
            continue
        # 4+ columns of indentation make an indented code line, not a heading
        if ie - start > 4 or (ie - start > 1 and "\t" in m.group(1)):
            continue
        if c == "#":
            title = m.group(5)
            if title:
                title = title.strip()
                if title.endswith("#"):
                    title = _ATX_CLOSE.sub("", title)
            else:
                title = ""
            append((start + 1, stop, len(m.group(4)) + 1, title, "atx"))
        elif c == "<":
            append((start + 1, stop, int(m.group(8)), _TAG.sub("", m.group(9)).strip(), "html"))
        else:  # "=" or "-": a setext underline if the line above is a paragraph line
            if text[start - 1] == "\n":
                continue  # a blank line above: a horizontal rule
            ls = text.rfind("\n", 0, start) + 1
            if ls <= pos or ls <= prev_end:
                continue  # first line, or the line above ends a fence, comment or heading
            line = text[ls:start]
            if _NOT_PARAGRAPH.match(line):
                continue
            if heads and heads[-1][0] == ls:
                heads.pop()  # "**Title**" over an underline is one setext heading (CommonMark)
            append((ls, stop, 1 if c == "=" else 2, line.strip(), "setext"))
        prev_end = stop
    if len(heads) > MAX_HEADINGS:
        issues.append(Issue("headings_truncated", f"more than {MAX_HEADINGS} headings; the rest is body text"))
        del heads[MAX_HEADINGS:]
    return heads


# --- placeholders -------------------------------------------------------------------------------

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
    r"coming\s+soon",
    r"to\s+be\s+(?:added|announced|determined|updated|released)",
    r"wip",
    r"work\s+in\s+progress",
    r"\.\.\.",
    "\u2026",
    r"\[\s*optional\s*\]",
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
_PH_INLINE = re.compile(
    r"<!--.*?(?:-->|\Z)|\{\{.*?(?:\}\}|\Z)|\{%.*?(?:%\}|\Z)|" + "|".join(_MORE_INFO + _BOILERPLATE), re.S
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
    r"\n(?:(?=[ \t>*_+-]*+" + _PH_FIRST + r")([ \t>*_+-]*+(?:" + _PH_ITEM + r"""[ \t*_.!:,;}\])'"]*+)++(?=\n|\Z))"""
    r"|(?![ \t]*+(?:[-*+][ \t]+)?(?:\*\*|__)[^*\n]{1,100}(?:\*\*|__)[ \t]*+:?[ \t]*+(?:" + _PH_ITEM + r"[ \t.]*+)*+"
    r"(?:\n|\Z))"
    r"(?![ \t]*+[-*+][ \t]+[^\n:]{1,60}:[ \t]*+(?:" + _PH_ITEM + r"[ \t.]*+)*+(?:\n|\Z))"
    r"(?![^\n<{]*+(?:(?:<(?!!--)|\{(?![{%]))[^\n<{]*+)*+(?:<!--|\{\{|\{%))"
    r"[^\n]*[^\W_])"
)


def _content_at(text: str, pos: int, end: int) -> int:
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
_PH_PREFIX2 = frozenset({"mo", "ne", "us", "ca", "si", "pr", "to", "tb", "n/", "na", "no", "nu", "co", "wi", "wo"})


def _line_end(text: str, pos: int, stop: int) -> int:
    e = text.find("\n", pos, stop)
    return stop if e < 0 else e


_OPENER = re.compile(r"<!--|\{[{%]")  # rare first characters: the scan is a tight C loop


def _opens_block(text: str, start: int, end: int) -> bool:
    return _OPENER.search(text, start, end) is not None


def _filled(text: str, start: int, end: int) -> bool:
    """Does text[start:end] (start at a newline) hold a content line once placeholders are blanked?

    Fast path: a content line with no comment or jinja block opened before it. Otherwise the
    section is cleaned (placeholders blanked) and searched again.
    """
    at = _content_at(text, start, end)
    if at >= 0:
        if not _opens_block(text, start, at):
            return True
    elif not _opens_block(text, start, end):
        return False
    # lower-cased so the placeholder regex needs no IGNORECASE (which disables its first-character scan)
    cleaned = _PH_INLINE.sub(_blank, text[start:end].lower())
    return _content_at(cleaned, 0, len(cleaned)) >= 0


# --- kinds --------------------------------------------------------------------------------------

_QUANT_FORMATS = ("gguf", "gptq", "awq", "exl2", "ggml", "exllama")
_QUANT_TITLE = re.compile(r"gguf|gptq|awq|exl2|ggml|int4|int8|4bit|8bit|4-bit|8-bit|quantized|quants")
_QUANT_REPO = re.compile(r"gguf|gptq|awq|exl2|ggml|\bint[48]\b|[-_][2-8]bit\b|bnb", re.I)
_QUANT_TAGS = frozenset(
    {"gguf", "gptq", "awq", "exl2", "ggml", "quantized", "gguf-my-repo", "int8", "int4", "4-bit", "8-bit"}
)
_MERGE_MARKERS = ("mergekit", "merge of pre-trained", "frankenmerge", "merge_method")
# "GGUF quants of X", "this repo contains GPTQ model files", "converted and quantized to GGUF":
# a format and a repack word in one clause. Originals that merely point to their quants ("quantized
# versions are available from ...") are excluded by the availability words.
_REPACK = re.compile(
    r"(?:quants?|quanti[sz]ed|quantizated|quanti[sz]ations?|converted|model files|repo contains)[^.\n]{0,60}?"
    r"(?:gguf|gptq|awq|exl2|ggml)"
    r"|(?:gguf|gptq|awq|exl2|ggml)[^.\n]{0,30}?(?:quants|quanti[sz]ed|format|model files|version of)"
)
_NOT_REPACK = ("available", "also", "check out", "see ", "thanks to", "provided by", "made by")
_MERGE_TAGS = frozenset({"merge", "mergekit", "frankenmerge"})
_TRAINER_TAGS = frozenset({"generated_from_trainer", "generated_from_keras_callback"})
_KIND_PREFIX = 8_000  # merge configs: bounds the one scan over the body
_INTRO = 2_000  # generator comments, Trainer sentences and repack statements sit at the top


_NO_TAGS: frozenset[str] = frozenset()


def _tags(meta: dict | None) -> frozenset[str] | set[str]:
    tags = meta.get("tags") if meta else None
    if type(tags) is list:
        return {t.lower() for t in tags if type(t) is str}
    if type(tags) is str:
        return {tags.lower()}
    return _NO_TAGS


def _kind(
    text: str,
    body: int,
    end: int,
    meta: dict | None,
    heads: list,
    template_headings: int,
    training_procedure: bool,
    repo_id: str | None = None,
) -> str:
    """Card kind from the top of the card, its tags/metadata and its headings.

    Strong signals (tags, generator comments, titles) before weak ones (phrases in the text).
    Substring scans are few, bounded (``str.find`` with limits, no copies) and on the original
    case where the marker's case is fixed (generator texts).
    """
    tags = _tags(meta)
    first = heading_info(heads[0][3])[3] if heads else ""
    intro_end = min(end, body + _INTRO)
    if (
        "autotrain" in tags
        or first.startswith("model trained using auto")
        or (text.find("Auto", body, intro_end) >= 0 and "trained using auto" in text[body:intro_end].lower())
    ):
        return "autotrain"  # AutoTrain, and AutoNLP before it
    relation = meta.get("base_model_relation") if meta else None
    if (
        (repo_id and _QUANT_REPO.search(repo_id.rsplit("/", 1)[-1]))
        or tags & _QUANT_TAGS
        or relation == "quantized"
        or (meta and "quantized_by" in meta)
        or _QUANT_TITLE.search(first)
    ):
        return "quantized"
    if tags & _TRAINER_TAGS or text.find("generated automatically according to the information", body, intro_end) >= 0:
        return "trainer"
    if tags & _MERGE_TAGS or relation == "merge":
        return "merge"
    top_end = min(end, body + _KIND_PREFIX)
    if text.find("erge", body, top_end) >= 0:  # Merge / merge; a merge config may sit anywhere
        top = text[body:top_end].lower()
        if any(m in top for m in _MERGE_MARKERS):
            return "merge"
    if template_headings >= 3:
        return "template"
    if (
        training_procedure
        and text.find("fine-tuned version of", body, intro_end) >= 0
        and text.find("dataset", body, intro_end) >= 0
    ):
        return "trainer"
    if text.find("uant", body, intro_end) >= 0:
        # a repack says what it is up front ("GGUF quants of X"); an original merely links its quants
        for m in _REPACK.finditer(text[body:intro_end].lower()):
            if not any(w in m.group() for w in _NOT_REPACK):
                return "quantized"
    return "free-form"


# --- the parser ---------------------------------------------------------------------------------


def parse_card(
    raw: bytes | bytearray | memoryview | str, *, repo_id: str | None = None, sentences: bool = False
) -> ParsedCard:
    """Parse one model card. Never raises for bad input; see the module docstring for issues.

    ``repo_id`` (optional) lets the repo name count as a kind signal ("...-GGUF" is a quant repack).

    ``sentences=True`` also counts prose sentences per filled section with spaCy (slow; for
    samples, not the bulk run).
    """
    issues: list[Issue] = []
    input_size = len(raw)
    text, truncated = _decode(raw, issues)
    if "\x00" in text:
        issues.append(Issue("nul_bytes", f"{text.count(chr(0))} NUL characters removed"))
        text = text.replace("\x00", "")
    if "\r" in text:
        issues.append(Issue("crlf", "CR / CRLF line ends normalised to LF"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    text = "\n" + text  # every line, the first included, starts after a newline
    fm, body = _split_front_matter(text, issues)
    metadata = None
    cached = False
    if fm is not None:
        metadata, cached = _load_metadata(fm, issues)

    end = len(text)
    if end - body > MAX_BODY_CHARS or truncated:
        limit = min(end, body + MAX_BODY_CHARS)
        cut = text.rfind("\n", body + 1, limit)
        end = cut if cut > body else limit
        issues.append(Issue("body_truncated", f"body cut to {end - body - 1} characters (input {input_size})"))

    heads = _headings(text, issues, body, end)
    rows: list[tuple] = []
    present = filled_mask = template_headings = 0
    training_procedure = False
    # (level, sections passed down, their mask, inheritable) of the enclosing headings
    stack: list[tuple[int, tuple[str, ...], int, bool]] = []
    n = len(heads)
    scan = _SCAN.search
    for i, (_, start, level, title, style) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < n else end
        while stack and stack[-1][0] >= level:
            stack.pop()
        own, inheritable, is_template, low, mask = heading_info(title)
        if is_template:
            template_headings += 1
            if low == "training procedure":
                training_procedure = True
        inherited = False
        if own:
            secs = own
            present |= mask
            stack.append((level, own, mask, inheritable))
        elif stack and stack[-1][3] and stack[-1][2]:
            _, secs, mask, _ = stack[-1]
            inherited = True
            stack.append((level, secs, mask, True))
        else:
            secs = ()
            stack.append((level, secs, 0, True))
        if secs:
            # The common case without the regex: after at most one blank line, a line opening with
            # a letter or digit that no placeholder starts with, and no comment or jinja in it.
            p = start + 1
            if p < stop and text[p] == "\n":
                p += 1
            if (
                p < stop
                and text[p].isalnum()
                and text[p : p + 2].lower() not in _PH_PREFIX2
                and not _opens_block(text, p, _line_end(text, p, stop))
            ):
                filled = True
            else:
                m = scan(text, start, stop)
                filled = (m is not None and m.lastindex is None and m.start() - start < 4) or _filled(text, start, stop)
            if filled:
                filled_mask |= mask
        else:
            filled = None  # computed on demand: the score never asks
        rows.append(
            (title, level, secs, filled, stop - start - 1 if stop > start else 0, style, inherited, start, stop)
        )

    pre_stop = heads[0][0] if heads else end
    if (
        any(h[3] for h in heads)
        or _filled(text, body, pre_stop)
        or filled_mask
        or any(_filled(text, r[7], r[8]) for r in rows)
    ):
        kind = _kind(text, body, end, metadata, heads, template_headings, training_procedure, repo_id)
    else:
        kind = "empty"

    card = ParsedCard(
        metadata,
        issues,
        kind,
        fm is not None,
        max(end - body - 1, 0),
        input_size,
        cached,
        present,
        filled_mask,
        None,
        None,
        rows,
        text,
        (body, pre_stop),
    )
    if kind == "trainer":
        at = text.find("version of", body, min(end, body + _INTRO))
        if at >= 0:
            from analysis.cards.nlp import fine_tuned_phrase

            line_start = text.rfind("\n", body, at) + 1
            line_end = text.find("\n", at, end)
            found = fine_tuned_phrase(
                text[max(line_start, at - 300) : line_end if line_end >= 0 else min(end, at + 700)]
            )
            if found:
                card.fine_tuned_from, card.fine_tuned_on = found
    if sentences:
        from analysis.cards.nlp import count_sentences

        for s, (_, _, _, _, _, _, _, start, stop) in zip(card.sections, rows, strict=True):
            s.sentences = count_sentences(strip_placeholders(text[start:stop])) if s.filled else 0
    return card
