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


def test_the_readme_says_in_its_first_lines_why_you_would_use_hubmine():
    opening = " ".join(README.read_text().splitlines()[:12]).lower()
    for study in ("model cards", "naming and versioning", "carbon", "adoption"):
        assert study in opening, study
    assert "routine" in opening


def readme_section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_the_real_hub_recipe_covers_token_tier_cost_and_as_of():
    recipe = readme_section("Against the real Hub, step by step")
    for needed in ("HF_TOKEN", "HUBMINE_HUB_TIER", "cost:", "--as-of", "bootstrap cards", "crawl cards"):
        assert needed in recipe, needed
    steps = re.findall(r"^\d+\. ", recipe, re.M)
    assert len(steps) >= 5


def test_every_command_in_the_real_hub_recipe_exists_with_its_options():
    from hubmine.cli import main

    recipe = readme_section("Against the real Hub, step by step")
    spans = [s for s in re.findall(r"`([^`]*)`", recipe.replace("\n   ", " ")) if "hubmine " in s]
    assert len(spans) >= 6
    checked = 0
    for span in spans:
        for call in re.split(r"&&", span):
            words = call.split()
            words = words[next(i for i, w in enumerate(words) if w.endswith("hubmine")) + 1:]
            command = main
            while words and not words[0].startswith("-") and hasattr(command, "commands"):
                assert words[0] in command.commands, call
                command = command.commands[words.pop(0)]
            options = {o for p in command.params for o in p.opts}
            for word in words:
                if word.startswith("--"):
                    assert word in options, f"{call}: {word}"
            checked += 1
    assert checked >= 7
