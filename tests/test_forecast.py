"""Adoption forecasting: the WSB fit, its diagnostics, baselines, backtests, bad input, the CLI.

Expected values come from formulas written out here (not from the code under test) or from the
parameters a series was made with.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.stats import norm

from analysis.forecast import baselines
from analysis.forecast.backtest import backtest_series, errors
from analysis.forecast.batch import COLUMNS
from analysis.forecast.series import check, read_csv
from analysis.forecast.wsb import fit_wsb, forecast, spacings
from hubmine.cli import main


def wsb(t, lam, mu, sigma, m):
    """c(t) = m (exp(λ Φ((ln t − μ)/σ)) − 1), written out independently of analysis.forecast."""
    return np.array([m * (math.exp(lam * norm.cdf((math.log(x) - mu) / sigma)) - 1) for x in t])


T40 = np.arange(1, 41, dtype=float)


@pytest.mark.parametrize("lam,mu,sigma", [(2.5, 2.2, 0.9), (1.2, 1.5, 0.6), (3.5, 2.8, 1.3)])
def test_fit_recovers_the_parameters_of_a_rounded_curve(lam, mu, sigma):
    # 5,000 derivatives by month 40, as whole numbers: the only noise is the rounding.
    total = 5000
    m = total / wsb([40.0], lam, mu, sigma, 1.0)[0]
    y = np.round(wsb(T40, lam, mu, sigma, m))
    fit = fit_wsb(T40, y)
    assert fit.converged, fit.reason
    assert fit.lam == pytest.approx(lam, rel=0.05)
    assert fit.mu == pytest.approx(mu, rel=0.05)
    assert fit.sigma == pytest.approx(sigma, rel=0.05)
    assert fit.m == pytest.approx(m, rel=0.1)
    assert fit.c_inf == pytest.approx(m * math.expm1(lam), rel=0.1)
    assert fit.m_mode == "estimated" and fit.r2_log > 0.999 and fit.rmse_log < 0.05
    assert 0 < fit.se_lambda < 0.2 * lam
    assert fit.starts >= 2 and fit.starts_agreeing >= 2


def quantile_family(lam, mu_days, sigma, n, months):
    """Creation times (months) of n derivatives at the quantiles (j + 0.5)/n of a WSB curve observed for
    ``months``: the cumulative count at any time is the curve rounded, as plant_wsb places them."""
    horizon = months * 365.25 / 12
    phi_t = norm.cdf((math.log(horizon) - math.log(mu_days)) / sigma)
    u = (np.arange(n) + 0.5) / n
    phi = np.log1p(u * math.expm1(lam * phi_t)) / lam
    return np.exp(math.log(mu_days) + sigma * norm.ppf(phi)) / (365.25 / 12)


@pytest.mark.parametrize("lam,mu_days,sigma,months", [(2.5, 200, 1.0, 30), (3.5, 120, 0.7, 24), (1.8, 400, 1.3, 40)])
def test_fit_on_creation_times_recovers_a_family_of_50(lam, mu_days, sigma, months):
    events = quantile_family(lam, mu_days, sigma, 50, months)
    t = np.arange(1, months + 1, dtype=float)
    y = np.array([np.sum(events < k) for k in t], float)  # created before the end of month k
    mu = math.log(mu_days / (365.25 / 12))
    fit = fit_wsb(t, y, events=events)
    assert fit.input == "spacings" and fit.converged, fit.reason
    assert fit.lam == pytest.approx(lam, rel=0.01)
    assert fit.mu == pytest.approx(mu, rel=0.01)
    assert fit.sigma == pytest.approx(sigma, rel=0.01)
    assert fit.predict(t[-1:])[0] == pytest.approx(y[-1])  # m still puts the curve through the count now
    # the monthly counts of the same family (what a CSV gives) leave λ off by more than 10%
    monthly = fit_wsb(t, y)
    assert monthly.input == "steps" and abs(monthly.lam - lam) > 0.1 * lam


def test_spacings_count_each_derivative_half_to_either_side():
    ages = np.array([3.5, 0, 0.5, 0.5, 1.2, 0, 2.0, 0.5, 2.0])  # unsorted; two at the release (t = 0)
    t, y = spacings(ages, 3.0)
    # distinct times inside (0, 3): 0.5, 1.2, 2.0; y = created before t + half of those created at t,
    # the two at t = 0 inside the first spacing, the one at 3.5 outside the window
    assert list(t) == [0.5, 1.2, 2.0] and list(y) == [2 + 1.5, 5 + 0.5, 6 + 1.0]
    # above max_bins distinct times every k-th is kept, always the last
    t, y = spacings(np.arange(1, 1001) / 100.0, 20.0, max_bins=100)
    assert len(t) == 100 and t[-1] == 10.0 and t[0] == pytest.approx(0.1)
    assert list(y[:3]) == [9.5, 19.5, 29.5] and y[-1] == 999.5


def test_profiled_m_puts_the_curve_through_the_current_count():
    y = np.round(wsb(T40[:25], 2.0, 2.5, 1.0, 40.0))
    fit = fit_wsb(T40[:25], y)
    assert fit.predict(np.array([25.0]))[0] == pytest.approx(y[-1], rel=1e-9)


def test_m_can_be_fixed():
    y = np.round(wsb(T40, 2.0, 2.0, 0.8, 300.0))
    fit = fit_wsb(T40, y, fixed_m=300.0)
    assert fit.m_mode == "fixed" and fit.m == 300.0
    assert fit.converged, fit.reason
    assert fit.lam == pytest.approx(2.0, rel=0.03) and fit.mu == pytest.approx(2.0, rel=0.03)


def test_explosive_growth_is_reported_not_hidden():
    # Exponential growth, no sign of slowing down: no finite WSB curve explains it.
    t = np.arange(1, 31, dtype=float)
    y = np.round(3 * np.exp(0.25 * t))
    fit = fit_wsb(t, y)
    assert not fit.converged
    assert "lambda blow-up" in fit.reason or "at upper bound" in fit.reason


def test_forecast_interval_brackets_the_point_and_never_falls_below_now():
    y = np.round(wsb(T40[:20], 2.5, 2.6, 0.9, 30.0))
    fit = fit_wsb(T40[:20], y)
    point, low, high = forecast(fit, np.array([23.0, 26.0, 32.0]))
    assert np.all(low <= point) and np.all(point <= high)
    assert np.all(low >= y[-1])
    assert np.all(np.diff(point) > 0) and np.all(np.diff(high - low) > 0)  # wider further out


def test_interval_holds_the_truth_about_as_often_as_it_says():
    # Poisson counts along a known curve, fitted on 20 months: the 80% interval 10 months ahead
    # should hold the truth in roughly 80% of the series (not 40%, not always).
    rng = np.random.default_rng(7)
    t = np.arange(1, 31, dtype=float)
    truth = wsb(t, 2.0, 2.0, 0.8, 200.0)
    inside = []
    for _ in range(60):
        y = np.cumsum(rng.poisson(np.diff(truth, prepend=0.0)))
        fit = fit_wsb(t[:20], y[:20])
        _, low, high = forecast(fit, np.array([30.0]))
        inside.append(low[0] <= y[-1] <= high[0])
    assert 0.65 <= np.mean(inside) <= 0.95


def test_bass_baseline_recovers_a_bass_curve():
    p, q, M = 0.01, 0.3, 2000.0
    t = np.arange(1, 25, dtype=float)
    bass = M * (1 - np.exp(-(p + q) * t)) / (1 + (q / p) * np.exp(-(p + q) * t))
    fit = baselines.BassFit(t[:18], np.round(bass[:18]))
    assert fit.converged
    assert fit.predict(t[18:]) == pytest.approx(bass[18:], rel=0.02)



def test_bass_jacobian_matches_finite_differences():
    """The solver trusts the analytic Jacobian; a wrong one would still converge, to the wrong place."""
    t = np.arange(1, 19, dtype=float)
    y = np.cumsum(np.random.default_rng(3).poisson(40, len(t))).astype(float)
    fit = baselines.BassFit(t, y)
    for u in (np.array([0.3, -0.2]), np.array([-2.0, 1.5]), np.array([1.0, 0.0])):
        eps = 1e-6
        numeric = np.stack([(fit.residuals(u + d) - fit.residuals(u - d)) / (2 * eps)
                            for d in np.eye(2) * eps], axis=1)
        assert fit.jacobian(u) == pytest.approx(numeric, rel=1e-4, abs=1e-6)

def test_simple_baselines():
    t = np.arange(1.0, 9.0)
    y = np.array([1, 2, 4, 8, 12, 16, 20, 24], float)
    ahead = np.array([11.0])
    assert baselines.last(t, y, ahead)[0] == 24
    # slope of the last six points (4, 8, 12, 16, 20, 24 over t = 3..8) is 4 a month
    assert baselines.linear(t, y, ahead)[0] == pytest.approx(24 + 3 * 4)
    x, v = t[-6:], np.log1p(y[-6:])
    rate = np.sum((x - x.mean()) * (v - v.mean())) / np.sum((x - x.mean()) ** 2)
    assert baselines.loglinear(t, y, ahead)[0] == pytest.approx(math.expm1(math.log1p(24) + 3 * rate))
    point, low, high = baselines.linear_interval(t, y, ahead)
    assert point[0] == pytest.approx(36) and low[0] == pytest.approx(36) and high[0] == pytest.approx(36)  # steady


def test_errors():
    assert errors(110.0, 100.0) == pytest.approx((10.0, 200 * 10 / 210))
    assert errors(0.0, 0.0)[1] == 0.0 and math.isnan(errors(5.0, 0.0)[0])
    assert all(math.isnan(e) for e in errors(math.inf, 100.0))


def test_backtest_trains_on_the_months_before_the_origin():
    t = np.arange(1, 21, dtype=float)
    y = np.round(wsb(t, 2.5, 2.2, 0.8, 40.0))
    out = backtest_series(t, y)
    assert {(o.horizon, o.model) for o in out} == {(h, m) for h in (3, 6, 12) for m in
                                                   ("wsb", "last", "linear", "loglinear", "bass", "published")}
    got = {(o.horizon, o.model): o for o in out}
    for o in out:
        assert o.origin_t == 20 - o.horizon and o.target_t == 20 and o.actual == y[-1]
        assert o.origin_value == y[19 - o.horizon]
        if o.model == "last":
            assert o.forecast == y[19 - o.horizon]
        assert math.isfinite(o.ape) and math.isfinite(o.sape)
        if o.model == "published":  # what the marts publish: WSB where its fit converged, else the trend
            same = got[(o.horizon, "wsb" if o.converged else "linear")]
            assert (o.forecast, o.low, o.high, o.in_interval) == (same.forecast, same.low, same.high, same.in_interval)
            assert o.low <= o.forecast <= o.high
    # too short for h = 12 (8 points before the origin would be needed... only 5 remain)
    short = backtest_series(t[:14], y[:14])
    assert {o.horizon for o in short} == {3, 6}


def test_backtest_fits_see_no_derivative_after_their_origin():
    # creation times along a known curve; moving every derivative after month 14 within its month
    # (the monthly counts stay) changes the 6- and 12-month backtests' training fits not at all
    # (they end at months 14 and 8)
    rng = np.random.default_rng(2)
    t = np.arange(1, 21, dtype=float)
    y = np.round(wsb(t, 2.5, 2.2, 0.8, 40.0))
    events = np.sort(np.concatenate([rng.uniform(k - 1, k, int(n)) for k, n in zip(t, np.diff(y, prepend=0))]))
    moved = events.copy()
    later = moved >= 14
    moved[later] = np.floor(moved[later]) + rng.uniform(0, 1, int(later.sum()))
    moved.sort()
    a = {(o.horizon, o.model): o for o in backtest_series(t, y, events=events)}
    b = {(o.horizon, o.model): o for o in backtest_series(t, y, events=moved)}
    for h in (6, 12):
        assert (a[(h, "wsb")].forecast, a[(h, "wsb")].low) == (b[(h, "wsb")].forecast, b[(h, "wsb")].low)
    assert a[(3, "wsb")].forecast != b[(3, "wsb")].forecast  # the 3-month one does see them


@pytest.mark.parametrize("t,y,words", [
    ([1], [5], "too short (1 point"),
    ([1, 2, 3, 4, 5], [0, 0, 0, 0, 0], "all values are zero"),
    ([1, 2, 3, 4, 5], [1, 5, 4, 9, 12], "not cumulative"),
    ([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 100000, 100001], "huge jump"),
    ([1, 2, 3, 4, 5], [7, 7, 7, 7, 7], "grows in fewer than 3 steps"),
    ([-1, 1, 2, 3, 4, 5], [2, 3, 4, 5, 6, 7], "t must be > 0"),
    ([1, 2, 2, 3, 4], [1, 2, 3, 4, 5], "appears more than once"),
    ([1, 2, 3, 4, 5], [1, 2, float("nan"), 4, 5], "non-finite"),
    ([1, 2, 3, 4, 5], [1, 2, -3, 4, 5], "negative value"),
])
def test_bad_series_get_a_reason(t, y, words):
    reason = check(t, y)[2]
    assert reason is not None and reason.startswith("not fitted: ") and words in reason


def test_a_release_point_at_zero_and_unsorted_rows_are_fine():
    t, y, reason = check([3, 0, 1, 2, 5, 4], [5, 0, 1, 3, 9, 7])
    assert reason is None and list(t) == [1, 2, 3, 4, 5] and list(y) == [1, 3, 5, 7, 9]


def write_csv(path, rows):
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["series_id", "t", "value"])
        writer.writerows(rows)


def test_cli_fits_good_series_and_reports_bad_ones(tmp_path):
    good = np.round(wsb(np.arange(1, 25, dtype=float), 2.2, 2.3, 0.8, 50.0))
    rows = [("good", t + 1, int(v)) for t, v in enumerate(good)]
    rows += [("short", t, 2 * t) for t in range(1, 8)]  # 7 points: fitted, but h = 3 leaves only 4 to train on
    rows += [("one", 1, 5), ("down", 1, 3), ("down", 2, 9), ("down", 3, 1), ("down", 4, 10), ("down", 5, 12)]
    rows += [("zeros", t, 0) for t in range(1, 7)] + [("junk", 1, "many"), ("junk", 2, 3)]
    rows += [("jump", t, v) for t, v in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 90000), (6, 90001)]]
    write_csv(tmp_path / "in.csv", rows)
    result = CliRunner().invoke(main, ["forecast", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    assert "7 series: 2 fitted" in result.output and "2 forecast with mean(" in result.output
    # the summary says why the others were not fitted, by kind
    assert "5 not fitted (" in result.output
    for kind in ("too short", "not cumulative", "all values are zero", "huge jump"):
        assert f"1 {kind}" in result.output.splitlines()[0], (kind, result.output)
    with open(tmp_path / "out.csv", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        out = {r["series_id"]: r for r in reader}
    assert list(out) == ["good", "short", "one", "down", "zeros", "junk", "jump"]
    assert COLUMNS[:12] == ["series_id", "lambda", "mu", "sigma", "se_lambda", "se_mu", "se_sigma", "m", "converged",
                            "reason", "r2_log", "prior"]
    assert COLUMNS[12:17] == ["t_h3", "forecast_h3", "forecast_h3_low", "forecast_h3_high", "forecast_h3_model"]
    backtests = [c for c in COLUMNS if c.startswith("mape_")]
    g = out["good"]
    assert g["converged"] == "true" and g["reason"] == "" and g["prior"] == "none"  # 2 series: no population
    assert float(g["lambda"]) == pytest.approx(2.2, rel=0.05) and float(g["r2_log"]) > 0.99
    assert float(g["se_lambda"]) > 0 and float(g["se_mu"]) > 0 and float(g["se_sigma"]) > 0
    # the forecasts beyond the last t (24): the combination's point, named by its components; no interval
    # from 2 series' backtests
    for h in (3, 6, 12):
        assert float(g[f"t_h{h}"]) == 24 + h
        assert float(g[f"forecast_h{h}"]) >= float(good[-1])
        assert g[f"forecast_h{h}_model"].startswith("mean(") and "linear" in g[f"forecast_h{h}_model"]
        assert g[f"forecast_h{h}_low"] == g[f"forecast_h{h}_high"] == ""
    assert g["interval_method"] == "none"
    assert float(g["forecast_h3"]) < float(g["forecast_h6"]) < float(g["forecast_h12"])
    assert all(g[f"mape_{m}_h{h}"] != "" for m in ("last", "linear3", "linear", "drift", "bass", "wsb", "published")
               for h in (3, 6, 12))
    assert out["short"]["lambda"] != "" and all(out["short"][c] == "" for c in backtests)
    assert out["short"]["forecast_h12"] != ""
    for sid, words in [("one", "too short"), ("down", "not cumulative"), ("zeros", "all values are zero"),
                       ("junk", "non-numeric"), ("jump", "huge jump")]:
        row = out[sid]
        assert row["reason"].startswith("not fitted: ") and words in row["reason"], (sid, row["reason"])
        assert row["converged"] == "false" and row["lambda"] == "" and all(row[c] == "" for c in COLUMNS[11:])


def test_cli_rejects_a_file_without_the_columns(tmp_path):
    (tmp_path / "bad.csv").write_text("id,month,count\na,1,2\n")
    result = CliRunner().invoke(main, ["forecast", str(tmp_path / "bad.csv"), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and "missing column(s) series_id, t, value" in result.output


def test_read_csv_keeps_series_apart(tmp_path):
    write_csv(tmp_path / "x.csv", [("a", 1, 1), ("b", 1, 2), ("a", 2, 3), ("b", 2, "?")])
    series = read_csv(tmp_path / "x.csv")
    assert [s.series_id for s in series] == ["a", "b"]
    assert list(series[0].y) == [1, 3] and series[0].problem is None
    assert "non-numeric" in series[1].problem


def test_diagnostics_name_each_failure():
    from types import SimpleNamespace

    from analysis.forecast.wsb import WSBFit, _diagnose

    fit = WSBFit(fitted=True, lam=2.0, m=10.0, y_last=100.0, cov=np.eye(3))
    u0 = np.array([0.0, 0.5, -0.5])
    assert _diagnose(SimpleNamespace(status=1, x=u0 + 0.3), u0, fit) == []
    assert _diagnose(SimpleNamespace(status=1, x=u0.copy()), u0, fit) == ["stuck at start"]
    assert _diagnose(SimpleNamespace(status=0, x=u0 + 0.3), u0, fit) == ["solver did not converge (evaluation limit)"]
    at_bounds = _diagnose(SimpleNamespace(status=1, x=np.array([20.0, -20.0, 0.0])), u0, fit)
    assert at_bounds == ["lambda at upper bound", "mu at lower bound", "lambda blow-up"]
    big = WSBFit(fitted=True, lam=12.0, m=10.0, y_last=100.0, cov=np.eye(3))  # c∞ = 10 (e^12 − 1) ≈ 1.6M
    assert _diagnose(SimpleNamespace(status=1, x=u0 + 0.3), u0, big) == ["lambda blow-up"]
    singular = WSBFit(fitted=True, lam=2.0, m=10.0, y_last=100.0, cov=np.full((3, 3), np.nan))
    assert _diagnose(SimpleNamespace(status=1, x=u0 + 0.3), u0, singular) == [
        "parameters not identified (singular Jacobian)"]


def test_a_surprise_inside_one_fit_does_not_stop_the_batch(tmp_path, monkeypatch):
    import analysis.forecast.batch as batch

    real = batch.fit_wsb

    def flaky(t, y, **kw):
        if y[-1] == 999:
            raise FloatingPointError("overflow in exp")
        return real(t, y, **kw)

    monkeypatch.setattr(batch, "fit_wsb", flaky)
    rows = [("a", t, v) for t, v in enumerate([1, 5, 20, 100, 500, 999], start=1)]
    rows += [("b", t, v) for t, v in enumerate(np.round(wsb(T40[:12], 2.0, 1.8, 0.8, 30.0)).astype(int), start=1)]
    write_csv(tmp_path / "in.csv", rows)
    result = batch.run_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert result["series"] == 2 and result["fitted"] == 1
    with open(tmp_path / "out.csv", newline="") as fh:
        out = {r["series_id"]: r for r in csv.DictReader(fh)}
    assert out["a"]["reason"] == "not fitted: FloatingPointError: overflow in exp"
    assert out["b"]["lambda"] != ""


def test_a_population_prior_pulls_a_weakly_placed_fit_and_narrows_its_errors():
    from analysis.forecast.population import Prior, population_prior, prior_from

    # 12 months of a curve still accelerating (its peak e^3.2 ≈ 25 months away): its own months place
    # the peak poorly (se of μ ~ 11 log-months)
    accelerating = np.round(wsb(T40[:12], 6.0, 3.2, 0.6, 2.0))
    alone = fit_wsb(T40[:12], accelerating)
    prior = Prior(mean=(math.log(2.0), 2.0, math.log(0.8)), sd=(0.5, 0.5, 0.3))
    held = fit_wsb(T40[:12], accelerating, prior=prior)
    assert held.converged and held.reason is None
    assert abs(held.mu - 2.0) < abs(alone.mu - 2.0)
    assert abs(math.log(held.sigma / 0.8)) < abs(math.log(alone.sigma / 0.8))
    assert 0 < held.se_mu < 0.5 < alone.se_mu  # the posterior's: no wider than the prior's sd
    # the prior's numbers: the population's converged fits only, and none from fewer than 20
    fits = [fit_wsb(T40[:24], np.round(wsb(T40[:24], lam, 2.3, 0.8, 30.0))) for lam in np.linspace(1.5, 3.0, 20)]
    made = prior_from(fits)
    assert made is not None and made.mean[1] == pytest.approx(2.3, abs=0.1) and made.sd[1] < 0.1  # planted μ 2.3
    assert prior_from(fits[:19]) is None
    assert population_prior([(T40[:24], np.round(wsb(T40[:24], 2.0, 2.3, 0.8, 30.0)))]) is None


def test_the_paper_baseline_is_the_papers_fit():
    # m = 100, start (0.5, 2, 0.5), bounds (0, inf): a curve made with m = 100 is recovered exactly
    y = wsb(np.arange(1, 25, dtype=float), 1.2, 2.1, 0.7, 100.0)
    got = baselines.paper(np.arange(1, 25, dtype=float), y, np.array([30.0]))
    assert got[0] == pytest.approx(wsb([30.0], 1.2, 2.1, 0.7, 100.0)[0], rel=1e-4)
    flat = baselines.paper(np.arange(1, 8, dtype=float), np.full(7, 5.0), np.array([10.0]), retry=False)
    assert flat.shape == (1,)  # a failed fit is NaN, not an exception


def test_the_papers_fit_by_levenberg_marquardt_finds_the_papers_answer():
    # the combination's component: the same curve, m = 100, start and objective as curve_fit's, so a
    # curve made with m = 100 is recovered exactly, and a series curve_fit fits gets its forecast
    t = np.arange(1, 25, dtype=float)
    y = wsb(t, 1.2, 2.1, 0.7, 100.0)
    assert baselines.paper_lm(t, y, np.array([30.0]))[0] == pytest.approx(wsb([30.0], 1.2, 2.1, 0.7, 100.0)[0],
                                                                            rel=1e-4)
    noisy = np.maximum.accumulate(np.round(wsb(t, 2.5, 2.4, 0.9, 100.0) * (1 + 0.05 * np.sin(t))))
    assert baselines.paper_lm(t, noisy, np.array([30.0]))[0] == pytest.approx(
        baselines.paper(t, noisy, np.array([30.0]), retry=False)[0], rel=1e-3)
    flat = baselines.paper_lm(np.arange(1, 8, dtype=float), np.full(7, 5.0), np.array([10.0]))
    assert flat.shape == (1,)


def test_a_prior_moves_only_beyond_the_tolerance():
    from analysis.forecast.population import Prior, moved

    old = Prior((0.5, 2.0, -0.3), (0.4, 0.6, 0.2))
    assert not moved(Prior((0.5 + 0.039, 2.0 - 0.059, -0.3), (0.4 * 1.09, 0.6, 0.2 / 1.09)), old)
    assert moved(Prior((0.5, 2.0 + 0.061, -0.3), (0.4, 0.6, 0.2)), old)  # μ by more than 0.1 of its sd
    assert moved(Prior((0.5, 2.0, -0.3), (0.4, 0.6, 0.2 * 1.12)), old)  # an sd by more than 10%
    assert moved(None, old) and moved(old, None) and not moved(None, None)
