"""Calibrated forecast intervals: the split-conformal quantiles, the interval they give, the fallback
to pooled groups, and cross-fitting. Expected values are written out from the definitions here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.forecast import calibration as cal


def outcome(base, error, *, horizon=6, size="10-99", converged=True, origin=100.0, forecast=120.0):
    """A backtest outcome whose log growth error is ``error``: actual growth (1 + 20)·e^error − 1."""
    return {"base_model_id": base, "horizon": horizon, "size_class": size, "converged": converged,
            "origin_value": origin, "forecast": forecast,
            "actual": origin + (1 + forecast - origin) * math.exp(error) - 1}


def test_growth_error_is_the_log_ratio_of_growth_plus_one():
    assert cal.growth_error(100, 120, 141) == pytest.approx(math.log(42 / 21))
    assert cal.growth_error(100, 120, 100) == pytest.approx(-math.log(21))  # nothing came: finite
    assert cal.growth_error(100, 90, 100) == 0.0  # a forecast below the origin counts as no growth


def test_quantiles_are_split_conformal_order_statistics():
    errors = [float(k) for k in range(1, 100)]  # n = 99: ⌊0.1·100⌋ = 10th and ⌈0.9·100⌉ = 90th smallest
    rows = [outcome(f"b{k}", e / 100) for k, e in enumerate(errors)]
    (key, n, q_lo, q_hi), = [cal.Calibration(rows).lookup(6, "10-99", "wsb")]
    assert key == (6, "10-99", "wsb") and n == 99
    assert q_lo == pytest.approx(0.10) and q_hi == pytest.approx(0.90)


def test_interval_scales_the_forecast_growth_and_holds_the_point():
    # growth 20 from 100: low = 100 + 21·e^−0.5 − 1, high = 100 + 21·e^0.7 − 1
    low, high = cal.apply(100.0, 120.0, -0.5, 0.7)
    assert low == pytest.approx(99 + 21 * math.exp(-0.5)) and high == pytest.approx(99 + 21 * math.exp(0.7))
    # never below the count now
    assert cal.apply(100.0, 120.0, -9.0, 0.7)[0] == 100.0
    # errors all positive (forecasts too low): the interval lies above the point but is widened to hold it
    low, high = cal.apply(100.0, 120.0, 0.2, 0.7)
    assert low == 120.0 and high == pytest.approx(99 + 21 * math.exp(0.7))


def test_small_groups_borrow_from_the_pooled_ones():
    rows = [outcome(f"a{k}", 0.01 * k, size="10-99") for k in range(40)]
    rows += [outcome(f"b{k}", 1.0 + 0.01 * k, size="1000+") for k in range(5)]  # too few of their own
    rows += [outcome(f"c{k}", -1.0, converged=False) for k in range(10)]  # linear: too few as well
    c = cal.Calibration(rows)
    assert c.lookup(6, "10-99", "wsb")[0] == (6, "10-99", "wsb")
    assert c.lookup(6, "1000+", "wsb")[0] == (6, "all", "wsb") and c.lookup(6, "1000+", "wsb")[1] == 45
    assert c.lookup(6, "10-99", "linear")[0] == (6, "all", "all") and c.lookup(6, "10-99", "linear")[1] == 55
    assert c.lookup(3, "10-99", "wsb") is None and c.interval(3, "10-99", "wsb", 100.0, 120.0) is None


def test_calibrated_intervals_cover_80_percent_of_new_outcomes():
    # Errors from a skewed distribution the models know nothing about: calibrated on 600 outcomes,
    # the intervals hold 80% of 4,000 new ones (binomial sd 0.6%; the quantiles' own noise ~1.5%).
    rng = np.random.default_rng(3)
    train = [outcome(f"t{k}", e) for k, e in enumerate(rng.gamma(2.0, 0.3, 600) - 0.4)]
    c = cal.Calibration(train)
    inside = []
    for e in rng.gamma(2.0, 0.3, 4000) - 0.4:
        o = outcome("new", e)
        low, high = c.interval(6, "10-99", "wsb", o["origin_value"], o["forecast"])
        inside.append(low <= o["actual"] <= high)
    assert 0.76 <= np.mean(inside) <= 0.84


def test_cross_fitting_never_scores_an_outcome_with_its_own_error():
    rng = np.random.default_rng(5)
    rows = [outcome(f"m{k}", e) for k, e in enumerate(rng.normal(0.0, 0.5, 300))]  # distinct errors
    before = cal.cross_fitted(rows)
    # A wild error for one base model changes the quantiles of the folds it is in, not its own interval.
    wild = [dict(o) for o in rows]
    wild[7] = outcome("m7", 5.0)
    after = cal.cross_fitted(wild)
    assert after[7] == before[7]
    own_fold = cal.fold("m7")
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed and all(cal.fold(rows[i]["base_model_id"]) != own_fold for i in changed)
