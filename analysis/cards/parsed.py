"""What :func:`analysis.cards.parse.parse_card` returns: the card, its sections and its issues.

Issue codes (severity): errors mean metadata was lost, warnings mean the input was repaired or cut.
  yaml_error, yaml_unsafe_tag, yaml_alias_bomb, yaml_too_large, yaml_too_deep, yaml_not_mapping,
  front_matter_unclosed, not_text (binary data: more than a tenth of it undecodable, nothing read)
  (error); invalid_utf8, utf16, nul_bytes, crlf, body_truncated,
  headings_truncated, front_matter_template, yaml_lenient (read only by the YAML 1.1 fallback) (warning).

The bulk run reads only a card's masks and kind, so sections and their ``filled`` flags are built
on first access from compact rows the parser keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis.cards.placeholders import first_content, is_filled

ERROR_CODES = frozenset(
    {
        "yaml_error",
        "yaml_unsafe_tag",
        "yaml_alias_bomb",
        "yaml_too_large",
        "yaml_too_deep",
        "yaml_not_mapping",
        "front_matter_unclosed",
        "not_text",
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
    level: int  # 1-6 for real headings, headings.BOLD_LEVEL for bold-line pseudo-headings
    template_sections: tuple[str, ...]  # () when neither it nor an ancestor maps
    _filled: bool | None = field(repr=False)
    chars: int  # characters of its own body (subsections excluded)
    style: str  # "atx" | "setext" | "html" | "bold"
    inherited: bool = False  # template_sections came from an enclosing heading
    _span: tuple[str, int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def filled(self) -> bool:
        if self._filled is None:
            text, start, stop = self._span
            self._filled = is_filled(text, start, stop)
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
    heading / whose question some passage answers (``evidence`` holds that passage's span). ``sections`` is built on first access from compact rows: the
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
    heading_filled_mask: int = 0  # the heading-only reading: a heading mapped to the section has content
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def passage(self, section: str, limit: int = 300) -> str | None:
        """The passage that filled ``section`` from its first content line (comments, placeholders and
        template sentences before it skipped), at most ``limit`` characters (None when not filled)."""
        span = self.evidence.get(section)
        if span is None:
            return None
        start, stop = span
        at = first_content(self._text, start, stop)
        if at >= 0:
            start = at
        return self._text[start : min(stop, start + limit)].strip()

    @property
    def sections(self) -> list[Section]:
        if self._sections is None:
            text = self._text
            self._sections = [
                Section(title, level, secs, filled, chars, style, inherited, (text, start, stop))
                for title, level, secs, filled, chars, style, inherited, start, stop in self._rows
            ]
        return self._sections

    @property
    def preamble_filled(self) -> bool:
        """Content before the first heading (computed on demand)."""
        start, stop = self._preamble
        return stop > start and is_filled(self._text, start, stop)

    @property
    def issue_codes(self) -> list[str]:
        return [i.code for i in self.issues]

    @property
    def has_error(self) -> bool:
        return any(i.code in ERROR_CODES for i in self.issues)
