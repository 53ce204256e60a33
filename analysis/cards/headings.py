"""Where the headings of a card's markdown body are.

Headings are ATX (``#``..``######``), setext (``===`` / ``---`` underlines), single-line HTML
``<h1>``..``<h6>`` and bold-only lines (``**Training data**``), the last treated as one level below
any real heading (:data:`BOLD_LEVEL`). Lines inside fenced code blocks and line-initial HTML
comments are not headings. At most :data:`MAX_HEADINGS` are kept. What a heading means (its
template section) is :mod:`analysis.cards.sections`' job.
"""

from __future__ import annotations

import re

from analysis.cards.parsed import Issue

MAX_HEADINGS = 2_000
BOLD_LEVEL = 7


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


def find_headings(
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
