"""A card's YAML front matter: where it is, and its metadata loaded without trusting it.

huggingface_hub's rule finds the front matter (a leading ``---`` line, then a closing ``---``
line); the YAML goes through :mod:`analysis.cards.yamlsafe` (size, depth and alias-expansion
budgets). Every problem becomes an :class:`~analysis.cards.parsed.Issue`; nothing raises.
"""

from __future__ import annotations

import re

import yaml

from analysis.cards.parsed import Issue
from analysis.cards.yamlsafe import YamlRefused, load_front_matter

_LONE_PLACEHOLDER = re.compile(r"\s*\{\s*\w+\s*\}\s*")  # "{card_data}": a template never rendered
_FM_OPEN = re.compile(r"\s*---[ \t]*\n")


def split_front_matter(text: str, issues: list[Issue]) -> tuple[str | None, int]:
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


def load_metadata(fm: str, issues: list[Issue]) -> tuple[dict | None, bool]:
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
