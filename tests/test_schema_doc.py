"""docs/schema.md is what `python -m warehouse.schema_doc --write` makes of a fresh warehouse's COMMENTs."""

from __future__ import annotations

import subprocess
import sys

from warehouse.schema_doc import COMMAND, DOC, render_fresh


def test_schema_doc_is_up_to_date():
    rendered = render_fresh()
    assert DOC.is_file(), f"{DOC} is missing: run `{COMMAND}`"
    assert DOC.read_text(encoding="utf-8") == rendered, f"{DOC} is stale: run `{COMMAND}`"


def test_schema_doc_lists_every_view_table_and_column_with_its_comment():
    text = render_fresh()
    assert render_fresh() == text  # the same warehouse gives the same text
    for heading in ("### models", "### documentation_by_month", "### core.file_changes (view)",
                    "### raw.model_listing (view)", "### core.model_state", "### marts.forecast_fits",
                    "### meta.view_files", "### hub_placeholder_created(ts)"):
        assert f"\n{heading}\n" in text, heading
    assert "| created_at_known | BOOLEAN | False when created_at is missing" in text
    # Views of main come first, then the macros, then the layers beneath.
    assert text.index("### models") < text.index("## Macros") < text.index("## Schema raw") < text.index("## Schema meta")


def test_schema_doc_command_prints_the_reference():
    out = subprocess.run([sys.executable, "-m", "warehouse.schema_doc"], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert out == render_fresh()
