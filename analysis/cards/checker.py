"""The card checker behind ``hubmine cards``: score local README.md files as the warehouse does.

A model author runs it before pushing (in CI or a pre-commit hook): each card gets its kind, its
0-100 score (analysis.cards.completeness, the same scorer the warehouse uses), each template section
present / filled with the start of the passage that filled it, its metadata fields, its parse issues,
and the additions that would raise its score most.

CSV columns (stable): ``path, kind, score``, then ``filled_<slug>`` and ``present_<slug>`` for each of
the 14 template sections in template order (analysis.cards.TEMPLATE_SECTIONS), as 1/0.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from analysis.cards.completeness import (
    METADATA_FIELDS,
    METADATA_POINTS,
    SECTION_POINTS,
    SECTION_WEIGHTS,
    score_card,
)
from analysis.cards.parse import parse_card
from analysis.cards.sections import SECTION_TITLES, TEMPLATE_SECTIONS
from core.errors import HubmineError

CSV_COLUMNS: tuple[str, ...] = (
    "path",
    "kind",
    "score",
    *(c for s in TEMPLATE_SECTIONS for c in (f"filled_{s}", f"present_{s}")),
)
MAX_PASSAGE = 160  # characters of the filling passage shown
_TOTAL_WEIGHT = sum(SECTION_WEIGHTS.values())


@dataclass(slots=True)
class CardCheck:
    """What ``hubmine cards`` reports for one README.md."""

    path: str
    kind: str
    score: float
    section_score: float
    metadata_score: float
    sections: list[dict] = field(default_factory=list)  # section, title, present, filled, passage
    metadata: dict[str, bool] = field(default_factory=dict)
    issues: list[dict] = field(default_factory=list)  # code, severity, message
    suggestions: list[dict] = field(default_factory=list)  # add, points: the biggest gains first

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "kind": self.kind,
            "score": self.score,
            "section_score": self.section_score,
            "metadata_score": self.metadata_score,
            "sections": self.sections,
            "metadata": self.metadata,
            "issues": self.issues,
            "suggestions": self.suggestions,
        }


def find_cards(paths: list[Path]) -> list[Path]:
    """README.md files: each path that is a file, and every README.md under each folder (sorted)."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.name.lower() == "readme.md"))
        elif p.is_file():
            found.append(p)
        else:
            raise HubmineError(f"{p}: no such file or folder")
    if not found:
        raise HubmineError("no README.md found under " + ", ".join(str(p) for p in paths))
    return found


def _suggestions(filled: frozenset[str], metadata: dict[str, bool]) -> list[dict]:
    """Missing sections and fields with the points each would add, the biggest first (template order on ties)."""
    out = [
        {
            "add": f"section: {SECTION_TITLES[s]}",
            "points": round(SECTION_POINTS * SECTION_WEIGHTS[s] / _TOTAL_WEIGHT, 2),
        }
        for s in TEMPLATE_SECTIONS
        if s not in filled
    ]
    out += [
        {"add": f"metadata: {f}", "points": round(METADATA_POINTS / len(METADATA_FIELDS), 2)}
        for f in METADATA_FIELDS
        if not metadata[f]
    ]
    return sorted(out, key=lambda s: -s["points"])  # stable: template order within equal points


def check_card(raw: bytes | str, path: str = "README.md") -> CardCheck:
    """Score one card's text."""
    parsed = parse_card(raw)
    comp = score_card(parsed)
    sections = []
    for s in TEMPLATE_SECTIONS:
        passage = parsed.passage(s, MAX_PASSAGE)
        sections.append(
            {
                "section": s,
                "title": SECTION_TITLES[s],
                "present": s in comp.sections_present,
                "filled": s in comp.sections_filled,
                "passage": " ".join(passage.split()) if passage else None,
            }
        )
    return CardCheck(
        path,
        parsed.kind,
        comp.score,
        comp.section_score,
        comp.metadata_score,
        sections,
        dict(comp.metadata_present),
        [{"code": i.code, "severity": i.severity, "message": i.message} for i in parsed.issues],
        _suggestions(comp.sections_filled, comp.metadata_present),
    )


def check_paths(paths: list[Path]) -> list[CardCheck]:
    """Check every README.md named by ``paths`` (files, or folders searched recursively)."""
    return [check_card(p.read_bytes(), str(p)) for p in find_cards(paths)]


def to_csv(checks: list[CardCheck]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in checks:
        flags = {f"{k}_{s['section']}": int(s[k]) for s in c.sections for k in ("filled", "present")}
        writer.writerow([c.path, c.kind, f"{c.score:.2f}", *(flags[col] for col in CSV_COLUMNS[3:])])
    return buf.getvalue()


def to_json(checks: list[CardCheck]) -> str:
    return json.dumps([c.as_dict() for c in checks], indent=2, ensure_ascii=False)


def to_table(checks: list[CardCheck], top: int = 5) -> str:
    """A human-readable report: per card the score, each section, metadata, issues and the top additions."""
    lines: list[str] = []
    for c in checks:
        lines.append(
            f"{c.path}: {c.score:.2f}/100 ({c.kind}; sections {c.section_score:.2f}/70, "
            f"metadata {c.metadata_score:.2f}/30)"
        )
        for s in c.sections:
            mark = "filled " if s["filled"] else "present" if s["present"] else "-      "
            where = f"  <- {s['passage'][:80]!r}" if s["passage"] else ""
            lines.append(f"  {mark} {s['title']}{where}")
        have = [f for f, ok in c.metadata.items() if ok]
        lines.append("  metadata: " + (", ".join(have) if have else "none"))
        for i in c.issues:
            lines.append(f"  {i['severity']}: {i['code']} {i['message']}".rstrip())
        if c.suggestions:
            lines.append(
                "  to raise the score most, add: "
                + "; ".join(f"{s['add']} (+{s['points']:.2f})" for s in c.suggestions[:top])
            )
        lines.append("")
    return "\n".join(lines)
