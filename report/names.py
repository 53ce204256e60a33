"""Display names for the slugs the warehouse stores (``training_details``, ``partial_context``).

One table, used for chart labels and table cells alike, so that no page shows a slug where a reader
expects words. The views keep the slugs: they are what a query filters on.
"""

from __future__ import annotations

from analysis.cards.sections import SECTION_TITLES
from report.data import Table

DISPLAY_NAMES: dict[str, str] = {
    **SECTION_TITLES,  # the template's own headings: "Training Details", "Bias, Risks, and Limitations"
    # carbon reporting classes (analysis.carbon.emissions.REPORTING_CLASSES)
    "absent": "No declaration",
    "no_figure": "No usable figure",
    "emissions_only": "Figure only",
    "emissions_source": "Figure and source",
    "partial_context": "Some context",
    "full_context": "Full context",
    # card kinds (analysis.cards.kinds.KINDS; "none" is the documentation mart's model without a README.md)
    "none": "No README.md",
    "empty": "Empty card",
    "autotrain": "AutoTrain",
    "trainer": "Trainer-generated",
    "merge": "Merge",
    "quantized": "Quantized repack",
    "template": "Hub template",
    "free-form": "Free-form",
}
# Columns of the report's tables that hold slugs.
SLUG_COLUMNS = frozenset({"section", "reporting_class", "kind"})


def display(value: object) -> object:
    """The display name of a slug; any other value unchanged."""
    return DISPLAY_NAMES.get(value, value) if isinstance(value, str) else value


def displayed(table: Table) -> Table:
    """``table`` with the slugs of its SLUG_COLUMNS replaced by their display names."""
    slugs = [i for i, column in enumerate(table.columns) if column in SLUG_COLUMNS]
    rows = [tuple(display(v) if i in slugs else v for i, v in enumerate(row)) for row in table.rows]
    return Table(list(table.columns), rows)
