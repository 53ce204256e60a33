"""Model-card parsing and documentation completeness (issue 3).

    from analysis.cards import parse_card, score_card, score_cards
    parsed = parse_card(readme_bytes)          # ParsedCard: metadata, issues, sections, kind
    comp = score_card(parsed)                  # Completeness: present/filled sections, metadata, score
    rows = score_cards((key, raw) for ...)     # streaming flat dict rows (see ROW_COLUMNS)

The score is defined in analysis.cards.completeness; the parse in analysis.cards.parse (over
frontmatter, headings, placeholders and kinds), its result types and issue codes in
analysis.cards.parsed; the heading synonym table in analysis.cards.sections.
"""

from analysis.cards.completeness import (
    CORE_SECTIONS,
    METADATA_FIELDS,
    ROW_COLUMNS,
    SECTION_WEIGHTS,
    Completeness,
    card_row,
    metadata_mask,
    metadata_presence,
    row_schema,
    score_card,
    score_card_batches,
    score_cards,
)
from analysis.cards.kinds import KINDS
from analysis.cards.parse import parse_card
from analysis.cards.parsed import Issue, ParsedCard, Section
from analysis.cards.sections import SECTION_TITLES, TEMPLATE_SECTIONS, map_heading, normalize_heading

__all__ = [
    "CORE_SECTIONS",
    "KINDS",
    "METADATA_FIELDS",
    "ROW_COLUMNS",
    "SECTION_TITLES",
    "SECTION_WEIGHTS",
    "TEMPLATE_SECTIONS",
    "Completeness",
    "Issue",
    "ParsedCard",
    "Section",
    "card_row",
    "map_heading",
    "metadata_mask",
    "metadata_presence",
    "normalize_heading",
    "parse_card",
    "row_schema",
    "score_card",
    "score_card_batches",
    "score_cards",
]
