"""The documentation as a newcomer meets it: a README that fits a screen and links every docs page,
the two commands it promises, and relative links that lead to files that exist (issue 13).

The docs' example queries are run by tests/test_sql_access.py, the command list by tests/test_cli.py.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_MAX_BYTES = 10 * 1024

FENCED = re.compile(r"^```.*?^```", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def relative_links(page: Path) -> list[str]:
    """Link targets of a Markdown page outside code, without web links, mail links and pure anchors."""
    prose = INLINE_CODE.sub("", FENCED.sub("", page.read_text()))
    return [target for target in LINK.findall(prose)
            if not re.match(r"[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")]


def test_readme_fits_in_ten_kilobytes():
    assert len(README.read_bytes()) <= README_MAX_BYTES


def test_every_relative_link_leads_to_a_file_that_exists():
    checked, broken = 0, []
    for page in pages():
        for target in relative_links(page):
            checked += 1
            if not (page.parent / target.split("#", 1)[0]).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert checked > 50  # the pattern found the links, not nothing
    assert broken == []


def test_the_readme_links_every_docs_page():
    linked = {(README.parent / target.split("#", 1)[0]).resolve() for target in relative_links(README)}
    assert [p.name for p in sorted(DOCS.glob("*.md")) if p.resolve() not in linked] == []


def test_every_docs_page_opens_with_what_it_covers():
    # A title, then a paragraph of prose (not a list, table or code block) saying what the page covers.
    for page in sorted(DOCS.glob("*.md")):
        if page.name == "schema.md":  # generated from the warehouse's COMMENTs, not written here
            continue
        lines = page.read_text().splitlines()
        assert lines[0].startswith("# "), page.name
        first = next(line for line in lines[1:] if line.strip())
        assert first[0].isalpha() and len(" ".join(lines[1:8])) > 150, page.name


def test_the_readmes_two_commands_are_make_targets():
    readme = README.read_text()
    targets = set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(), re.M))
    for command in ("make demo", "make test"):
        assert command in readme
        assert command.split()[1] in targets
