"""Agreement of a name reading with Ajibode et al.'s hand labels, and cross-validated tuning.

Used by the naming conformance test and bench/naming.py so both report the same figures:

- exact: share of names whose segment-type pattern equals the label's;
- F1: micro F1 of the type multisets (per name, the types in common count as hits);
- per-type precision and recall over the same multisets.

:func:`release_agreement` does the same for Ajibode et al.'s RQ3 release tables (the kind of a
release pair and of each sampled release, read from the names), beside two baselines.

:func:`cross_validate` measures the whole tuning procedure on names it has not seen: in each fold
the convention switches of :mod:`analysis.naming.codebook` are chosen greedily on the training
names and the :class:`~analysis.naming.codebook.Learned` tables are learned from them, then the
held-out names are read.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from analysis.naming import codebook
from analysis.naming.releases import KINDS, pair_kind, release_kind

Labelled = list[tuple[str, list[str]]]
_TYPE_RE = re.compile(r"\{([^}]+)\}")


def types_of(pattern: str) -> list[str]:
    return _TYPE_RE.findall(pattern)


def load_labels(path: Path) -> Labelled:
    """(repo id, label types) per row of a manually_analyzed.csv-style file."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows or not {"selected_model", "Conventional naming"} <= set(rows[0]):
        raise ValueError(f"{path}: expected columns selected_model and 'Conventional naming'")
    return [(r["selected_model"], types_of(r["Conventional naming"])) for r in rows]


def score(pairs: Iterable[tuple[list[str], list[str]]]) -> dict:
    """exact, f1 and per-type precision/recall over (predicted types, label types) pairs."""
    n = exact = 0
    hit: Counter = Counter()
    predicted: Counter = Counter()
    gold: Counter = Counter()
    for pred, label in pairs:
        n += 1
        exact += pred == label
        cp, cg = Counter(pred), Counter(label)
        hit.update(cp & cg)
        predicted.update(cp)
        gold.update(cg)
    tp, fp_tp, fn_tp = sum(hit.values()), sum(predicted.values()), sum(gold.values())
    precision = tp / fp_tp if fp_tp else 0.0
    recall = tp / fn_tp if fn_tp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_type = {t: (hit[t] / predicted[t] if predicted[t] else None, hit[t] / gold[t] if gold[t] else None)
                for t in sorted(set(predicted) | set(gold))}
    return {"names": n, "exact": exact / n if n else 0.0, "f1": f1, "per_type": per_type}


def evaluate(labelled: Labelled, reader: Callable[[str], list[str]]) -> dict:
    return score((reader(repo_id), label) for repo_id, label in labelled)


def reader(conventions: Mapping[str, bool], learned: codebook.Learned) -> Callable[[str], list[str]]:
    def read(repo_id: str) -> list[str]:
        return [s.type for s in codebook.read(repo_id, conventions=conventions, learned=learned)]
    return read


# Evidence a learned table entry needs (names it is seen in), chosen like a convention switch.
MIN_COUNTS = (2, 3, 5)


def _objective(labelled: Labelled, conventions: Mapping[str, bool], min_count: int) -> tuple[float, float]:
    s = evaluate(labelled, reader(conventions, codebook.learn(labelled, conventions=conventions, min_count=min_count)))
    return s["exact"], s["f1"]


# Names a switch must read right beyond the codebook's own reading before tuning flips it: with noisy
# labels a one-name gain is as often noise as a convention (chosen by 5-fold CV on the dev names,
# where it raised exact agreement from 44.1 % to 46.5 %; see docs/naming.md).
SWITCH_MARGIN = 2


def _better(value: tuple[float, float], best: tuple[float, float], names: int) -> bool:
    return round((value[0] - best[0]) * names) >= SWITCH_MARGIN


def tune(labelled: Labelled) -> tuple[dict[str, bool], codebook.Learned]:
    """Convention switches chosen greedily (one flip at a time while it reads SWITCH_MARGIN more names
    exactly right), then the evidence the learned tables need, and the tables learned with them, on
    these names only."""
    conventions = dict(codebook.CONVENTIONS)
    min_count = codebook.MIN_COUNT
    best = _objective(labelled, conventions, min_count)
    improved = True
    while improved:
        improved = False
        for name in sorted(conventions):
            trial = dict(conventions, **{name: not conventions[name]})
            value = _objective(labelled, trial, min_count)
            if _better(value, best, len(labelled)):
                conventions, best, improved = trial, value, True
    for count in MIN_COUNTS:
        value = _objective(labelled, conventions, count)
        if value > best:
            min_count, best = count, value
    return conventions, codebook.learn(labelled, conventions=conventions, min_count=min_count)


def cross_validate(labelled: Labelled, *, folds: int = 5, seed: int = 16) -> dict:
    """Score of names read by conventions and tables tuned on the other folds only."""
    order = list(range(len(labelled)))
    random.Random(seed).shuffle(order)
    pairs = []
    switches: Counter = Counter()
    for k in range(folds):
        held = {order[i] for i in range(k, len(order), folds)}
        train = [row for i, row in enumerate(labelled) if i not in held]
        conventions, learned = tune(train)
        switches.update(name for name, on in conventions.items() if on)
        read = reader(conventions, learned)
        pairs += [(read(labelled[i][0]), labelled[i][1]) for i in sorted(held)]
    result = score(pairs)
    result["switch_on_in_folds"] = {name: switches[name] for name in codebook.CONVENTIONS}
    return result


# A naive reading of the version form, the baseline a release reader must beat: the name's first
# "v" followed by digits, its dots counted ("TinyLlama-1.1B-Chat-v1.0-reasoning-v2" reads v1.0, minor).
_FIRST_V = re.compile(r"[vV](\d+(?:\.\d+)*)")


def first_version_kind(repo_id: str) -> str | None:
    m = _FIRST_V.search(repo_id.partition("/")[2])
    return None if m is None else list(KINDS.values())[min(m.group(1).count("."), 2)]


OURS = "ours (last version's form)"


def release_agreement(semver: Path) -> dict:
    """Agreement with Ajibode et al.'s release kinds (``semver``: realdata's ajibode_semver folder).

    ``pairs``/``samples``: (read, label) for their 70 major + 41 minor (release, compared-with) pairs
    and their 330 major + 288 minor sampled releases; ``agreement``: reading -> (pairs, samples) share
    for :func:`~analysis.naming.releases.pair_kind` / ``release_kind`` and the two baselines (every
    release major, the majority label; the first v-number's form).
    """
    import polars as pl

    def pairs_of(path: Path) -> list[tuple[str, str]]:
        frame = pl.read_csv(path, columns=["main_model_name", "to_compare"], infer_schema_length=0)
        return list(zip(frame["main_model_name"].to_list(), frame["to_compare"].to_list(), strict=True))

    folder = semver / "dataset_folder"
    labelled_pairs = [(names, "major") for names in pairs_of(folder / "major_combined_changes.csv")]
    labelled_pairs += [(names, "minor") for names in pairs_of(folder / "minor_config_diff_update.csv")]
    labelled_samples = [(name, kind) for kind in ("major", "minor") for name in pl.read_csv(
        semver / "RQ3_result" / f"{kind}_sampled.csv", columns=["model_name"], infer_schema_length=0)["model_name"]]
    readings = {
        OURS: (pair_kind, release_kind),
        "baseline: every release major": (lambda a, b: "major", lambda n: "major"),
        "baseline: first v-number's form": (lambda a, b: first_version_kind(a) or first_version_kind(b),
                                            first_version_kind),
    }
    read = {name: ([(pair(*names), want) for names, want in labelled_pairs],
                   [(one(name), want) for name, want in labelled_samples])
            for name, (pair, one) in readings.items()}

    def share(pairs):
        return sum(got == want for got, want in pairs) / len(pairs)

    return {"pairs": read[OURS][0], "samples": read[OURS][1],
            "agreement": {name: (share(p), share(r)) for name, (p, r) in read.items()}}
