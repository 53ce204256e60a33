"""Calibrated 80% forecast intervals: empirical quantiles of past forecast errors (split conformal).

The intervals the models state — WSB: parameter draws from the fit's covariance plus quasi-Poisson
counts; linear trend: the drift method — hold the truth in only ~60-70% of the backtests on the
generated hubs (a WSB curve that is wrong in shape is wrong by more than its own uncertainty, and
the linear trend's spread ignores how growth changes). The published interval instead comes from
how far the same kind of forecast was off in the backtests:

* the error of a forecast made at a count y0 is measured on the growth still to come,
  e = ln(1 + actual − y0) − ln(1 + forecast − y0): counts of 10 and of 10,000 derivatives alike,
  and 0 new derivatives stay finite;
* errors are grouped by horizon (3, 6, 12 months), size class (10-99, 100-999, 1000+) and the
  model behind the forecast (``wsb`` where the fit converged, else ``linear``); a group with fewer
  than :data:`MIN_GROUP` outcomes borrows its horizon's errors of that model, then its horizon's;
* the interval is y0 + (1 + forecast − y0)·e^q − 1 for the group's split-conformal 10% and 90%
  quantiles q (the ⌊0.1 (n+1)⌋-th smallest and ⌈0.9 (n+1)⌉-th smallest of n errors), never below y0,
  and widened to hold the point forecast when the errors are one-sided (the point is biased there:
  the interval says so, the point stays the model's).

Measured on the 250k-model generated hub (1,312 base models, cross-fitted): 80% of the outcomes
inside against 68% for the models' own intervals, and narrower than scaling those intervals by a
factor (median width 47% of the actual count against 50%: on these hubs the models' own widths carry
no information the size class does not). docs/forecasting.md has the figures.

Published forecasts use every backtest outcome: they are made at the series' last month, which no
backtest has seen. The coverage reported for the backtests themselves is cross-fitted: each base
model's outcomes are scored with quantiles from the other :data:`FOLDS` − 1 folds of base models
(by a hash of the id), so no outcome is scored by a calibration that includes it.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

LEVEL = 0.8
MIN_GROUP = 30  # outcomes a group needs for quantiles of its own
FOLDS = 5


def growth_error(origin_value: float, forecast: float, actual: float) -> float:
    """ln(1 + actual growth) − ln(1 + forecast growth) since the origin (growths below 0 count as 0)."""
    return math.log1p(max(actual - origin_value, 0.0)) - math.log1p(max(forecast - origin_value, 0.0))


def source(converged: bool | None) -> str:
    """The model behind a published forecast: the WSB curve where its fit converged, else the trend."""
    return "wsb" if converged else "linear"


def model_of(outcome: dict) -> str:
    """The model an outcome's forecast came from: its ``forecast_model`` where given (the combined
    forecast of ``hubmine forecast``), else WSB or linear by whether the fit converged (the marts)."""
    return outcome.get("forecast_model") or source(outcome.get("converged"))


def _keys(horizon: int, size_class: str, model: str) -> tuple[tuple, ...]:
    return (horizon, size_class, model), (horizon, "all", model), (horizon, "all", "all")


def _quantiles(errors: list[float], level: float = LEVEL) -> tuple[float, float]:
    """Split-conformal lower and upper quantiles: each tail holds at most (1 − level)/2 of a new error."""
    e = np.sort(np.asarray(errors, float))
    n = len(e)
    tail = (1 - level) / 2
    # (1 − 0.8)/2 is 0.09999999999999998 in floating point: the slack keeps ⌊0.1·100⌋ = 10
    lo = math.floor(tail * (n + 1) + 1e-9)
    hi = math.ceil((1 - tail) * (n + 1) - 1e-9)
    return (float(e[lo - 1]) if lo >= 1 else -math.inf), (float(e[hi - 1]) if hi <= n else math.inf)


class Calibration:
    """Error quantiles by (horizon, size class, model), with the pooled groups as fallbacks."""

    def __init__(self, outcomes: Iterable[dict], min_group: int = MIN_GROUP):
        """``outcomes``: dicts with horizon, size_class, converged (or forecast_model), origin_value,
        forecast, actual (the backtest rows of the published forecast); ``min_group``: the outcomes a
        group needs for quantiles of its own."""
        groups: dict[tuple, list[float]] = defaultdict(list)
        for o in outcomes:
            if not all(_finite(o.get(k)) for k in ("origin_value", "forecast", "actual")):
                continue
            e = growth_error(o["origin_value"], o["forecast"], o["actual"])
            for key in _keys(int(o["horizon"]), o["size_class"], model_of(o)):
                groups[key].append(e)
        self.groups = {k: (len(v), *_quantiles(v)) for k, v in groups.items() if len(v) >= min_group}

    def lookup(self, horizon: int, size_class: str, model: str) -> tuple[tuple, int, float, float] | None:
        """(group key, outcomes, q_low, q_high) of the most specific group with enough outcomes."""
        for key in _keys(horizon, size_class, model):
            if key in self.groups:
                return (key, *self.groups[key])
        return None

    def interval(self, horizon: int, size_class: str, model: str, origin_value: float,
                 point: float) -> tuple[float, float] | None:
        """The calibrated interval of a forecast ``point`` made at ``origin_value``; None when no group
        has enough outcomes (the model's own interval is all there is)."""
        found = self.lookup(horizon, size_class, model)
        if found is None or not (_finite(point) and _finite(origin_value)):
            return None
        _, _, q_lo, q_hi = found
        return apply(origin_value, point, q_lo, q_hi)

    def rows(self) -> list[dict]:
        return [{"horizon": k[0], "size_class": k[1], "forecast_model": k[2], "outcomes": n,
                 "q_low": q_lo, "q_high": q_hi} for k, (n, q_lo, q_hi) in sorted(self.groups.items(), key=str)]


def apply(origin_value: float, point: float, q_lo: float, q_hi: float) -> tuple[float, float]:
    """(low, high) = origin + growth scaled by e^q, at least the origin, holding the point."""
    growth = math.log1p(max(point - origin_value, 0.0))
    with np.errstate(over="ignore"):
        low = origin_value + math.expm1(max(growth + q_lo, 0.0)) if math.isfinite(q_lo) else origin_value
        high = origin_value + math.expm1(min(growth + q_hi, 700.0)) if math.isfinite(q_hi) else math.inf
    return min(low, point), max(high, point)


def fold(base_model_id: str, folds: int = FOLDS) -> int:
    return int.from_bytes(hashlib.blake2b(base_model_id.encode(), digest_size=4).digest(), "little") % folds


def cross_fitted(outcomes: list[dict], folds: int = FOLDS,
                 min_group: int = MIN_GROUP) -> list[tuple[float, float] | None]:
    """Calibrated (low, high) of each outcome (dicts as for :class:`Calibration`, plus base_model_id),
    each from the quantiles of the other folds' outcomes; None where those are too few."""
    n_folds = folds
    folds = [fold(o["base_model_id"], n_folds) for o in outcomes]
    by_fold = [Calibration((o for o, f in zip(outcomes, folds) if f != k), min_group) for k in range(n_folds)]
    return [by_fold[f].interval(int(o["horizon"]), o["size_class"], model_of(o), o["origin_value"],
                                o["forecast"]) for o, f in zip(outcomes, folds)]


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)
