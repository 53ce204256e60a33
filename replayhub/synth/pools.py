"""Lineage: the candidate parents a new model derives from, and the planted families.

Parents are always earlier models, so a model's lineage step needs only the candidates so far
(:class:`Pools`, kept in memory and in a snapshot's ``gen_state`` for ``hub advance``), never the
whole population. Foundation models (the catalog roots of ``vocab.py``) sit at fixed early positions;
derivatives that catch on become candidates themselves.

``plant_wsb=K`` plants K base-model families whose derivatives' createdAt follow the
Wang–Song–Barabási curve with known parameters (:func:`_plant`, :func:`_planted_date`): ground truth
for the forecasting analysis (see ``generate.py``).
"""

from __future__ import annotations

import bisect
import json
import math
from random import Random
from statistics import NormalDist
from typing import Any

import numpy as np

from replayhub.synth.clock import DAY, PLACEHOLDER_UNTIL, _ts, iso
from replayhub.synth.vocab import CLASSES, ROOTS, pick

# Catalog roots are spread over the first positions so that early models already have parents.
ROOT_STEP = 5
MAX_DEPTH = 4
_ROOTS = sorted(ROOTS, key=lambda x: x["date"])


class Node:
    """A candidate parent: what a derivative inherits from it."""

    __slots__ = ("id", "name", "created", "depth", "cls", "family", "size", "params", "model_type", "arch",
                 "license", "dtype", "root", "chat")

    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)


class Pools:
    """Candidate parents per class: foundation models (roots) and derivatives that caught on.

    A parent is drawn by fitness (Bianconi–Barabási-like preferential attachment) among the candidates
    created before the child; memory is O(candidates), not O(models).
    """

    def __init__(self):
        self.roots: dict[str, list[Node]] = {c: [] for c in CLASSES}
        self.root_cum: dict[str, list[float]] = {c: [] for c in CLASSES}
        self.derived: dict[str, list[Node]] = {c: [] for c in CLASSES}
        self.derived_cum: dict[str, list[float]] = {c: [] for c in CLASSES}
        self.catalog: dict[str, list[Node]] = {c: [] for c in CLASSES}

    def add(self, node: Node, weight: float, *, catalog: bool = False) -> None:
        if catalog:
            self.catalog[node.cls].append(node)
        nodes, cum = (self.roots, self.root_cum) if node.depth == 0 else (self.derived, self.derived_cum)
        c = cum[node.cls]
        c.append((c[-1] if c else 0.0) + weight)
        nodes[node.cls].append(node)

    @staticmethod
    def _draw(nodes: list[Node], cum: list[float], r: Random, before: int) -> Node | None:
        if not nodes:
            return None
        total = cum[-1]
        for _ in range(6):
            node = nodes[bisect.bisect_right(cum, r.random() * total)]
            if node.created < before and node.depth < MAX_DEPTH:
                return node
        return None

    def pick(self, cls: str, r: Random, before: int, p_derived: float = 0.3) -> Node | None:
        if r.random() < p_derived:
            node = self._draw(self.derived[cls], self.derived_cum[cls], r, before)
            if node is not None:
                return node
        node = self._draw(self.roots[cls], self.root_cum[cls], r, before)
        if node is not None:
            return node
        # Rarely reached (a child older than most candidates): the foundation models that existed by then.
        eligible = [n for n in self.catalog[cls] if n.created < before]
        return pick(r, eligible) if eligible else None


    # A snapshot's gen_state keeps the pools as plain JSON, not pickled objects: a pickle names these
    # classes by module path, and a snapshot must stay advanceable when the code moves.
    def dump(self) -> bytes:
        def nodes(by_class: dict[str, list[Node]]) -> dict[str, list[dict[str, Any]]]:
            return {c: [{k: getattr(n, k) for k in Node.__slots__ if hasattr(n, k)} for n in ns]
                    for c, ns in by_class.items()}

        return json.dumps({"roots": nodes(self.roots), "root_cum": self.root_cum, "derived": nodes(self.derived),
                           "derived_cum": self.derived_cum, "catalog": nodes(self.catalog)},
                          separators=(",", ":")).encode()

    @classmethod
    def load(cls, data: bytes) -> Pools:
        plain = json.loads(data)
        pools = cls()
        for name in ("roots", "derived", "catalog"):
            setattr(pools, name, {c: [Node(**n) for n in ns] for c, ns in plain[name].items()})
        pools.root_cum, pools.derived_cum = plain["root_cum"], plain["derived_cum"]
        return pools


def _wsb_family(r: Random, share: float, k: int, cum: list[float] | None = None) -> int | None:
    """Which of k planted families model i's stream ``r`` makes it a child of (None: not planted);
    takes the stream's first draws, in model() and in the membership count of _plant alike. ``cum``:
    the families' cumulative size weights (None: all alike)."""
    if r.random() < share * k:
        if cum is None:
            return int(r.random() * k)
        return min(bisect.bisect_right(cum, r.random()), k - 1)
    return None


def _plant(seed: int, models: int, start_ts: int, k: int, plant_share: float | None = None,
           spread: float = 1.0) -> tuple[list[dict[str, Any]], list[float] | None]:
    """The planted Wang–Song–Barabási families and their cumulative size weights (None: all alike)."""
    if k <= 0:
        return [], None
    cum: list[float] | None = None
    r = Random(seed * 7_777_777 + 4242)
    eligible = [(pos, x) for pos, x in enumerate(_ROOTS)
                if x["cls"] == "causal" and _ts(x["date"]) <= start_ts - 540 * DAY
                and _ts(x["date"]) >= PLACEHOLDER_UNTIL]
    chosen = []
    while eligible and len(chosen) < k:
        chosen.append(eligible.pop(int(r.random() * len(eligible))))
    share = min(0.02, 0.2 / max(1, len(chosen))) if plant_share is None else plant_share / max(1, len(chosen))
    first = ROOT_STEP * len(_ROOTS)
    out = []
    for root_k, x in sorted(chosen):
        lam = 1.5 + 2.5 * r.random()
        mu = math.log(60 + 400 * r.random())
        sigma = 0.6 + 0.9 * r.random()
        t0 = _ts(x["date"]) + 12 * 3600
        horizon = (start_ts - t0) / DAY
        phi_t = NormalDist().cdf((math.log(horizon) - mu) / sigma)
        expected = share * max(0, models - first)
        m = expected / math.expm1(lam * phi_t) if expected else 0.0
        out.append({"root": x["id"], "root_pos": root_k * ROOT_STEP, "lambda": lam, "mu": mu, "sigma": sigma,
                    "m": m, "t0": iso(t0), "time_unit": "days", "share": share,
                    "expected_children": expected, "observed_until": iso(start_ts),
                    "_phi_t": phi_t, "_t0": t0})
    if spread != 1.0 and len(out) > 1:
        # Sizes in geometric progression, smallest to `spread` times it, in random order (not by
        # release date, which sets how long a family is observed). Drawn after the parameters so
        # that equal sizes (spread 1) keep the streams of earlier snapshots.
        ranks = list(range(len(out)))
        r.shuffle(ranks)
        weights = [spread ** (rank / (len(out) - 1)) for rank in ranks]
        total = sum(weights)
        cum = list(np.cumsum([w / total for w in weights]))
        for fam, w in zip(out, weights):
            fam["expected_children"] = share * len(out) * w / total * max(0, models - first)
    # Which models become whose children, decided by the same first draws model() makes, so each
    # family knows its size N up front and child j can take the curve's quantile (j + 0.5) / N.
    members: list[list[int]] = [[] for _ in out]
    for i in range(first, models):
        f = _wsb_family(Random((seed << 32) + i), share, len(out), cum)
        if f is not None:
            members[f].append(i)
    for fam, pos in zip(out, members):
        fam["_members"] = np.array(pos, np.int64)
        fam["children"] = len(pos)
        fam["m"] = len(pos) / math.expm1(fam["lambda"] * fam["_phi_t"])  # c(horizon) = N exactly
    return out, cum


def _planted_date(fam: dict[str, Any], i: int, start_ts: int) -> int:
    """Model i's createdAt as the child of planted family ``fam``: the curve's quantile (j + 0.5) / N."""
    members = fam["_members"]
    j = int(np.searchsorted(members, i))
    if j == len(members) or members[j] != i:
        raise RuntimeError(f"model {i} is not a planted child of {fam['root']}: membership out of sync")
    u = (j + 0.5) / len(members)
    phi = math.log1p(u * math.expm1(fam["lambda"] * fam["_phi_t"])) / fam["lambda"]
    t_days = math.exp(fam["mu"] + fam["sigma"] * NormalDist().inv_cdf(min(max(phi, 1e-12), 1 - 1e-12)))
    return max(fam["_t0"] + 60, min(fam["_t0"] + int(t_days * DAY), start_ts - 60))
