"""Benchmark: section detection against the hand labels, and the Trainer-sentence split, each with its baseline.

Printed in one run:

- filled flags against tests/data/card_sections_dev/*.csv (hand-labelled cards of ../shared/realdata):
  per-section precision / recall / support and micro-F1 of (a) the heading-only reading (a heading
  mapped to the section has content: the mapper before issue 15, with the multilingual heading
  table) and (b) content detection, the score's reading;
- the split of "This model is a fine-tuned version of X on the Y dataset" over every real card that
  has it: the regex (analysis/cards/finetuned.py) against the spaCy PhraseMatcher it replaced (kept
  here as the baseline), scored on the sentences whose X is a markdown link, whose text (or, when
  empty, target) is the truth; and how often each returns a base that starts with "on " (the empty-
  link cards read as "on the xsum dataset").

    .venv/bin/python bench/card_sections.py [--labels DIR] [--realdata PATH]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
_LINKED = re.compile(r"fine[- ]?tuned version of \[([^\]]*)\]\(https://huggingface\.co/([^)\s]*)\)", re.I)


def spacy_split(span: str) -> tuple[str | None, str | None] | None:
    """The replaced spaCy reading: PhraseMatcher on "fine-tuned version of", "on", "dataset"."""
    import spacy
    from spacy.matcher import PhraseMatcher

    global _NLP
    if _NLP is None:
        nlp = spacy.blank("en")
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        matcher.add("FT", [nlp.make_doc(p) for p in ("fine-tuned version of", "finetuned version of")])
        matcher.add("ON", [nlp.make_doc("on")])
        matcher.add("DS", [nlp.make_doc("dataset"), nlp.make_doc("datasets")])
        _NLP = nlp, matcher
    nlp, matcher = _NLP
    span = re.sub(r"<?https?://\S+>?", " ", re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", span))
    doc = nlp.make_doc(span)
    ft = on = ds = None
    for match_id, s, e in matcher(doc):
        label = nlp.vocab.strings[match_id]
        if label == "FT":
            ft = e if ft is None else ft
        elif ft is None or s < ft:
            continue
        elif label == "ON" and on is None and s > ft and doc[s - 1].whitespace_ and doc[s].whitespace_:
            on = s
        elif label == "DS" and on is not None and ds is None and s > on:
            ds = s
    if ft is None:
        return None

    def name(t: str) -> str | None:
        t = t.strip().strip(".,;:()[]`*'\" ")
        return None if t.lower() in ("unknown", "none", "null", "an", "a", "the", "") else t

    if on is None:
        return name(doc[ft:].text), None
    first = on + 2 if on + 1 < len(doc) and doc[on + 1].lower_ in ("the", "an", "a") else on + 1
    return name(doc[ft:on].text), (name(doc[first:ds].text) if ds is not None else None)


_NLP = None


def trainer_sentences(realdata: Path) -> list[str]:
    import pyarrow.parquet as pq

    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted((realdata / "cards").rglob("*.md"))]
    texts += pq.read_table(realdata / "cards_2023" / "cards.parquet", columns=["text"])["text"].to_pylist()
    spans = []
    for t in texts:
        at = t.find("version of")
        if at >= 0:
            start = max(t.rfind("\n", 0, at) + 1, at - 300)
            end = t.find("\n", at)
            spans.append(t[start : end if end >= 0 else at + 700])
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=Path, default=ROOT / "tests" / "data" / "card_sections_dev")
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    args = parser.parse_args()

    from analysis.cards import devset, finetuned, parse_card
    from analysis.cards.sections import mask_sections

    cards = devset.load(args.labels, args.realdata)
    started = time.perf_counter()
    parsed = [parse_card(c.text) for c in cards]
    elapsed = time.perf_counter() - started
    by_text = {id(c.text): p for c, p in zip(cards, parsed, strict=True)}
    langs = sorted({c.lang for c in cards})
    print(f"{len(cards)} hand-labelled cards ({', '.join(langs)}); parsed in {elapsed:.2f}s")

    def predictor(attr: str):
        index = {c.text: by_text[id(c.text)] for c in cards}
        return lambda raw: mask_sections(getattr(index[raw], attr))

    base, _ = devset.score(cards, predictor("heading_filled_mask"))
    ours, _ = devset.score(cards, predictor("filled_mask"))
    print(base.table("heading-only baseline"))
    print(ours.table("content detection"))
    print(f"micro-F1: content {ours.micro_f1:.3f} vs heading-only {base.micro_f1:.3f}")

    spans = trainer_sentences(args.realdata)
    n = ok_rx = ok_sp = on_rx = on_sp = 0
    for span in spans:
        rx, sp = finetuned.fine_tuned_phrase(span), spacy_split(span)
        on_rx += bool(rx and rx[0] and rx[0].lower().startswith("on "))
        on_sp += bool(sp and sp[0] and sp[0].lower().startswith("on "))
        m = _LINKED.search(span)
        if m:
            truth = m.group(1).strip() or m.group(2).strip("/") or None
            n += 1
            ok_rx += (rx or (None,))[0] == truth
            ok_sp += (sp or (None,))[0] == truth
    print(f"\nTrainer sentence, {len(spans)} real cards with 'version of', {n} with a linked base:")
    print(f"  regex: base right {ok_rx}/{n} = {ok_rx / max(n, 1):.1%}; base starting 'on ': {on_rx}")
    print(f"  spaCy: base right {ok_sp}/{n} = {ok_sp / max(n, 1):.1%}; base starting 'on ': {on_sp}")


if __name__ == "__main__":
    main()
