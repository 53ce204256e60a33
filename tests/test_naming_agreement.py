"""The codebook reading of names against Ajibode et al.'s hand labels, dev split only.

../shared/realdata/ajibode_naming_dev/labels.csv holds 127 of their 383 labelled names; the other
two thirds are kept for the evaluation and are never read here. Printed (run with ``-s``): exact
pattern and type-multiset F1 for the two baselines (every name ``{identifier}``; the token parser
alone), for the shipped reading (conventions + tables learned from all 127 names: in-sample), and
5-fold cross-validated (conventions chosen and tables learned on four folds, the fifth read), the
figure to expect on names never seen.

Floors: measured on this split the cross-validated reading reaches 46.5 % exact and F1 0.770
(44.1-47.2 % / 0.755-0.777 with fold seeds 1-3; in-sample 48.8 % / 0.786; baselines 21.3 % / 0.413
and 23.6 % / 0.595). The floors sit below the cross-validated figures by about one fold's worth of
names (a fold is ~25 names, one name 4 points of a fold), so a change that loses real agreement
fails while the fold-to-fold noise does not. The
issue's targets (60 % exact, F1 0.85 on unseen names) are *not* reached; see docs/naming.md.
"""

from __future__ import annotations

import pytest

from analysis.naming import agreement, codebook
from analysis.naming.parse import parse_name
from analysis.naming.vocab import SEGMENT_TYPES

pytestmark = pytest.mark.realdata

CV_EXACT_FLOOR = 0.41
CV_F1_FLOOR = 0.73


@pytest.fixture
def labelled(realdata):
    path = realdata / "ajibode_naming_dev" / "labels.csv"
    if not path.is_file():
        pytest.skip(f"{path} absent")
    return agreement.load_labels(path)


def _line(name: str, s: dict) -> str:
    return f"{name:<34} exact {s['exact']:6.1%}   F1 {s['f1']:.3f}"


def test_dev_split_is_the_one_described(labelled):
    assert len(labelled) == 127
    assert len({repo_id for repo_id, _ in labelled}) == 127
    assert all(types and set(types) <= set(SEGMENT_TYPES) for _, types in labelled)


def test_codebook_reading_beats_the_baselines_on_names_it_has_not_seen(labelled):
    everything_identifier = agreement.evaluate(labelled, lambda _: ["identifier"])
    parser = agreement.evaluate(labelled, lambda r: agreement.types_of(parse_name(r).pattern))
    shipped = agreement.evaluate(labelled, lambda r: [s.type for s in codebook.read(r)])
    cv = agreement.cross_validate(labelled, folds=5)
    print()
    print(_line("baseline: all {identifier}", everything_identifier))
    print(_line("baseline: token parser", parser))
    print(_line("codebook reading, in-sample", shipped))
    print(_line("codebook reading, 5-fold CV", cv))
    print("convention switches kept on, of 5 folds:", cv["switch_on_in_folds"])
    print("per type (CV): precision / recall")
    for typ, (p, r) in cv["per_type"].items():
        print(f"  {typ:<20} {'-' if p is None else f'{p:.2f}':>5} / {'-' if r is None else f'{r:.2f}':>5}")

    assert cv["exact"] >= CV_EXACT_FLOOR, cv["exact"]
    assert cv["f1"] >= CV_F1_FLOOR, cv["f1"]
    # what is learned on names must not read them worse than the rules alone, nor the rules worse
    # than the parser they start from
    assert cv["exact"] > parser["exact"] and cv["f1"] > parser["f1"]
    assert cv["exact"] > everything_identifier["exact"] and cv["f1"] > everything_identifier["f1"]


def test_shipped_reading_is_the_one_the_dev_split_teaches(labelled):
    # CONVENTIONS and codebook_dev.json are what tuning on all 127 names gives (bench/naming.py
    # --write-learned writes the tables); a stale setting or file fails here
    conventions, learned = agreement.tune(labelled)
    assert conventions == codebook.CONVENTIONS
    assert learned == codebook.dev_learned()
