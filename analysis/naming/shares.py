"""How the naming practices of a set of names compare with Ajibode et al. 2025.

:func:`segment_shares` counts segment types and version styles over parsed names
(:func:`analysis.naming.parse.parse_name`); :func:`format_shares` prints them beside the paper's
numbers (:data:`PAPER_SHARES`, :data:`PAPER_VERSION_KINDS`) for the tests, the bench and the CLI.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from analysis.naming.parse import NameParse
from analysis.naming.vocab import SEGMENT_TYPES

__all__ = ["PAPER_SHARES", "PAPER_VERSION_KINDS", "format_shares", "segment_shares"]

# Ajibode et al. 2025, share of segment types (the ten they report; the other three share the rest).
PAPER_SHARES: dict[str, float] = {
    "identifier": 29.3,
    "base-model": 16.5,
    "size": 14.2,
    "training-mechanism": 8.3,
    "description": 6.4,
    "variant-type": 5.2,
    "version": 5.2,
    "task": 4.4,
    "dataset": 3.7,
    "language": 3.4,
}
PAPER_VERSION_KINDS: dict[str, float] = {"vN": 67.0, "vN.M": 31.3}


def segment_shares(parses: Iterable[NameParse]) -> dict:
    """Shares for comparison with Ajibode et al.

    ``segments``: percent of all segments (over all names) of each type -- the paper's ten reported
    types sum to 96.6 %, which fits a share of all segments rather than of names.
    ``names_with``: percent of names having at least one segment of the type.
    ``version_kinds``: among names whose version is ``v``-style (not a date), percent ``vN``/``vN.M``/
    ``vN.M.K``; ``explicit_v_kinds`` is the same restricted to ``v``-prefixed versions.
    """
    seg_counts: Counter[str] = Counter()
    name_counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    vkinds: Counter[str] = Counter()
    n_names = 0
    n_problems = 0
    for p in parses:
        n_names += 1
        if p.problems:
            n_problems += 1
        seen = set()
        for s in p.segments:
            seg_counts[s.type] += 1
            seen.add(s.type)
        name_counts.update(seen)
        if p.version_kind and p.version_kind != "date":
            kinds[p.version_kind] += 1
            if p.version and p.version[:1] in "vV":
                vkinds[p.version_kind] += 1
    total = sum(seg_counts.values()) or 1
    nk = sum(kinds.values()) or 1
    nvk = sum(vkinds.values()) or 1
    return {
        "n_names": n_names,
        "n_segments": sum(seg_counts.values()),
        "n_with_problems": n_problems,
        "segments": {t: 100.0 * seg_counts[t] / total for t in SEGMENT_TYPES},
        "names_with": {t: 100.0 * name_counts[t] / (n_names or 1) for t in SEGMENT_TYPES},
        "n_versioned": sum(kinds.values()),
        "version_kinds": {k: 100.0 * kinds[k] / nk for k in ("vN", "vN.M", "vN.M.K")},
        "n_explicit_v": sum(vkinds.values()),
        "explicit_v_kinds": {k: 100.0 * vkinds[k] / nvk for k in ("vN", "vN.M", "vN.M.K")},
    }


def format_shares(shares: dict) -> str:
    """The :func:`segment_shares` table beside the paper's numbers, for tests, bench and CLI."""
    lines = [f"{shares['n_names']:,} names, {shares['n_segments']:,} segments (share of all segments)"]
    lines.append(f"{'type':<20}{'ours %':>8}{'paper %':>9}{'names with %':>14}")
    for t in SEGMENT_TYPES:
        paper = PAPER_SHARES.get(t)
        lines.append(
            f"{t:<20}{shares['segments'][t]:>8.1f}{(f'{paper:.1f}' if paper is not None else '-'):>9}"
            f"{shares['names_with'][t]:>14.1f}"
        )
    lines.append(f"versioned (v-style) names: {shares['n_versioned']:,}; explicit v-prefix: {shares['n_explicit_v']:,}")
    for k in ("vN", "vN.M", "vN.M.K"):
        paper = PAPER_VERSION_KINDS.get(k)
        lines.append(
            f"  {k:<8} all {shares['version_kinds'][k]:5.1f}  v-prefixed {shares['explicit_v_kinds'][k]:5.1f}"
            f"  paper {(f'{paper:.1f}' if paper is not None else '-')}"
        )
    return "\n".join(lines)
