"""The hand-labelled card-sections dev set: load it, predict it, and score predictions against it.

Label files (tests/data/card_sections_dev/*.csv, header ``source,key,lang,kind,<14 section slugs>``)
hold card ids and 0/1 "filled" flags only; the card texts are read from ../shared/realdata:
source ``cards`` -> ``realdata/cards/<key>``, source ``cards_2023`` -> the row of
``realdata/cards_2023/cards.parquet`` whose ``path`` is ``key``. Used by the conformance test and
bench/card_sections.py (which prints the same table for the heading-only baseline).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from analysis.cards.sections import TEMPLATE_SECTIONS


@dataclass(frozen=True, slots=True)
class Labelled:
    source: str
    key: str
    lang: str
    kind: str
    filled: frozenset[str]
    text: bytes


def load(label_dir: Path, realdata: Path) -> list[Labelled]:
    """Every labelled card of ``label_dir/*.csv`` with its text; a missing card is an error, not a skip."""
    rows = []
    for path in sorted(label_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f))
    texts_2023: dict[str, str] = {}
    if any(r["source"] == "cards_2023" for r in rows):
        import pyarrow.parquet as pq

        table = pq.read_table(realdata / "cards_2023" / "cards.parquet", columns=["path", "text"])
        wanted = {r["key"] for r in rows if r["source"] == "cards_2023"}
        texts_2023 = {
            p: t for p, t in zip(table["path"].to_pylist(), table["text"].to_pylist(), strict=True) if p in wanted
        }
    out = []
    for r in rows:
        if r["source"] == "cards":
            text = (realdata / "cards" / r["key"]).read_bytes()
        elif r["source"] == "cards_2023":
            if r["key"] not in texts_2023:
                raise KeyError(f"cards_2023 has no path {r['key']!r}")
            text = texts_2023[r["key"]].encode("utf-8", "surrogatepass")
        else:
            raise ValueError(f"unknown source {r['source']!r} in the labels")
        filled = frozenset(s for s in TEMPLATE_SECTIONS if r[s].strip() == "1")
        out.append(Labelled(r["source"], r["key"], r["lang"], r["kind"], filled, text))
    return out


@dataclass(slots=True)
class Scores:
    """Per-section true positives, false positives and false negatives, and their micro-F1."""

    tp: dict[str, int]
    fp: dict[str, int]
    fn: dict[str, int]

    @property
    def micro_f1(self) -> float:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def table(self, title: str) -> str:
        lines = [f"{title}\n  {'section':<26} {'prec':>6} {'recall':>6} {'support':>7} {'tp':>4} {'fp':>4} {'fn':>4}"]
        for s in TEMPLATE_SECTIONS:
            tp, fp, fn = self.tp[s], self.fp[s], self.fn[s]
            p = f"{tp / (tp + fp):6.2f}" if tp + fp else "     -"
            r = f"{tp / (tp + fn):6.2f}" if tp + fn else "     -"
            lines.append(f"  {s:<26} {p} {r} {tp + fn:7d} {tp:4d} {fp:4d} {fn:4d}")
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        lines.append(
            f"  micro: precision {tp / max(tp + fp, 1):.3f} recall {tp / max(tp + fn, 1):.3f} F1 {self.micro_f1:.3f}"
        )
        return "\n".join(lines)


def score(cards: Iterable[Labelled], predict: Callable[[bytes], frozenset[str]]) -> tuple[Scores, list]:
    """Scores of ``predict`` (card text -> filled sections), and the disagreements (card, missed, extra)."""
    tp = dict.fromkeys(TEMPLATE_SECTIONS, 0)
    fp = dict.fromkeys(TEMPLATE_SECTIONS, 0)
    fn = dict.fromkeys(TEMPLATE_SECTIONS, 0)
    wrong = []
    for card in cards:
        got = predict(card.text)
        for s in TEMPLATE_SECTIONS:
            if s in got and s in card.filled:
                tp[s] += 1
            elif s in got:
                fp[s] += 1
            elif s in card.filled:
                fn[s] += 1
        if got != card.filled:
            wrong.append((card, sorted(card.filled - got), sorted(got - card.filled)))
    return Scores(tp, fp, fn), wrong
