"""Experiment: does a spaCy text classifier earn a place in section detection (issue 15)?

A ``textcat_multilabel`` (bag-of-words, ``spacy.blank("xx")``: the multi-language tokenizer, no
downloaded model) is trained on the passages of ../shared/realdata/cards_2023 whose heading maps to
exactly one template section (the heading is the label; the passage text is the input), then:

- held-out accuracy on such passages (cards not used for training);
- on the hand-labelled dev set, where the heading does not decide: a card's filled sections are the
  heading-only reading plus the classifier's sections (p >= --threshold) for every passage with no
  heading of its own (untitled text, unmapped headings). Printed next to the heading-only baseline
  and the rule-based content detection, micro-F1 on the same cards, in one run.

    .venv/bin/python bench/card_textcat.py [--per-section 800] [--epochs 6] [--threshold 0.5]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
MAX_CHARS = 1_500


def passages(parsed) -> list[tuple[str, tuple[str, ...], bool]]:
    """(text, its heading's own sections, whether the heading decides) of each heading passage."""
    text = parsed._text
    out = []
    for _, _, secs, _, _, _, inherited, start, stop in parsed._rows:
        own = () if inherited else secs
        out.append((text[start:stop][:MAX_CHARS], own, bool(own)))
    start, stop = parsed._preamble
    out.append((text[start:stop][:MAX_CHARS], (), False))
    return [p for p in out if p[0].strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-section", type=int, default=800)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--labels", type=Path, default=ROOT / "tests" / "data" / "card_sections_dev")
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    args = parser.parse_args()

    import pyarrow.parquet as pq
    import spacy
    from spacy.training import Example

    from analysis.cards import devset, parse_card
    from analysis.cards.placeholders import is_filled
    from analysis.cards.sections import TEMPLATE_SECTIONS, mask_sections

    cards = devset.load(args.labels, args.realdata)
    dev_keys = {c.key for c in cards if c.source == "cards_2023"}
    table = pq.read_table(args.realdata / "cards_2023" / "cards.parquet", columns=["path", "text"])
    rng = random.Random(15)
    by_section: dict[str, list[str]] = {s: [] for s in TEMPLATE_SECTIONS}
    held_out: list[tuple[str, str]] = []
    for path, text in zip(table["path"].to_pylist(), table["text"].to_pylist(), strict=True):
        if path in dev_keys:
            continue  # the dev cards are for evaluation only
        test_card = rng.random() < 0.1
        for body, own, _ in passages(parse_card(text)):
            if len(own) != 1 or not is_filled("\n" + body, 0, len(body) + 1):
                continue
            if test_card:
                held_out.append((body, own[0]))
            else:
                by_section[own[0]].append(body)
    train = []
    for s, texts in by_section.items():
        rng.shuffle(texts)
        train += [(t, s) for t in texts[: args.per_section]]
    rng.shuffle(train)
    print(
        f"training passages: {len(train)} ({', '.join(f'{s} {min(len(t), args.per_section)}' for s, t in by_section.items())})"
    )

    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe(
        "textcat_multilabel",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": False,
                "ngram_size": 2,
                "no_output_layer": False,
            }
        },
    )
    for s in TEMPLATE_SECTIONS:
        textcat.add_label(s)
    examples = [
        Example.from_dict(nlp.make_doc(t), {"cats": {x: float(x == s) for x in TEMPLATE_SECTIONS}}) for t, s in train
    ]
    started = time.perf_counter()
    optimizer = nlp.initialize(lambda: examples)
    for epoch in range(args.epochs):
        rng.shuffle(examples)
        losses: dict = {}
        for i in range(0, len(examples), 64):
            nlp.update(examples[i : i + 64], sgd=optimizer, losses=losses)
        print(f"  epoch {epoch + 1}: loss {losses['textcat_multilabel']:.2f}")
    print(f"trained in {time.perf_counter() - started:.1f}s")

    hits = sum(
        max(doc.cats, key=doc.cats.get) == s
        for doc, (_, s) in zip(nlp.pipe(t for t, _ in held_out), held_out, strict=True)
    )
    print(
        f"held-out passages with an unambiguous heading: top-1 accuracy {hits}/{len(held_out)} = "
        f"{hits / max(len(held_out), 1):.1%}"
    )

    def with_textcat(raw: bytes) -> frozenset[str]:
        parsed = parse_card(raw)
        got = set(mask_sections(parsed.heading_filled_mask))
        undecided = [body for body, _, decided in passages(parsed) if not decided]
        for doc in nlp.pipe(undecided):
            got |= {s for s, p in doc.cats.items() if p >= args.threshold}
        return frozenset(got)

    base, _ = devset.score(cards, lambda raw: mask_sections(parse_card(raw).heading_filled_mask))
    rules, _ = devset.score(cards, lambda raw: mask_sections(parse_card(raw).filled_mask))
    started = time.perf_counter()
    cat, _ = devset.score(cards, with_textcat)
    per_card = (time.perf_counter() - started) / len(cards)
    print(cat.table(f"heading-only + textcat on undecided passages (p >= {args.threshold})"))
    print(
        f"micro-F1 on {len(cards)} dev cards: heading-only {base.micro_f1:.3f}, heading + textcat "
        f"{cat.micro_f1:.3f}, rule-based content detection {rules.micro_f1:.3f}; textcat path "
        f"{per_card * 1e3:.1f} ms/card"
    )


if __name__ == "__main__":
    main()
