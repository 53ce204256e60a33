"""Forecasting on real data (../shared/realdata).

* Bhandari et al.'s fine-tune series (dev split): issue 16's protocol (``analysis.forecast.devsplit``)
  held to floors at the measured figures — the published forecast against the best baseline,
  in-sample and out-of-fold, the calibrated intervals' coverage, the share of converged WSB fits.
* The kb-labb monthly download series run through ``hubmine forecast``'s batch: every model gives a
  finite error wherever a series is long enough (the paper's fit may fail: that is its result), and
  bad series are reported, not raised.
"""

from __future__ import annotations

import math

import pytest
from conftest import REALDATA

from analysis.forecast.backtest import summarise
from analysis.forecast.batch import HORIZONS, MODELS, process
from analysis.forecast.combined import COMBINATIONS, COMPONENTS, PUBLISHED
from analysis.forecast.devsplit import HORIZONS as DEV_HORIZONS
from analysis.forecast.devsplit import evaluate, format_result
from analysis.forecast.population import population_prior
from analysis.forecast.series import check, monthly_download_series

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def results():
    # module-scoped (the fits take a few seconds), so it checks the folder itself like `realdata` does
    if not REALDATA.is_dir():
        pytest.skip(f"real data not present at {REALDATA}")
    realdata = REALDATA
    series = monthly_download_series(realdata / "kblab_monthly_downloads" / "kblab_model_downloads_monthly_long.csv")
    windows = [check(s.t, s.y)[:2] for s in series if check(s.t, s.y)[2] is None]
    priors = {h: population_prior(windows, cut=h) for h in (0, *HORIZONS)}
    return series, [process(s, priors) for s in series]


def test_the_file_reads_as_one_cumulative_series_per_model(results):
    series, _ = results
    assert len(series) == 69  # models in the merged long file
    longest = max(series, key=lambda s: len(s.t))
    assert len(longest.t) == 55 and longest.t[0] == 1 and longest.t[-1] == 55  # 55 monthly snapshots
    for s in series:
        assert all(b >= a for a, b in zip(s.y, s.y[1:]))  # running sums of counts never fall


def test_every_model_gives_finite_errors(results):
    series, done = results
    backtested = 0
    for s, (row, outcomes) in zip(series, done):
        t, y, reason = check(s.t, s.y)
        if reason is not None:
            assert row["reason"] == reason and row["lambda"] is None
            continue
        assert row["lambda"] is not None and math.isfinite(row["r2_log"])
        for h in HORIZONS:
            if len(t) - h >= 5 and check(t[:len(t) - h], y[:len(t) - h])[2] is None:
                got = {o["model"]: o for o in outcomes if o["horizon"] == h}
                assert set(got) == set(MODELS), (s.series_id, h)
                for model, o in got.items():
                    if model != "paper":
                        assert math.isfinite(o["ape"]) and math.isfinite(o["sape"]), (s.series_id, h, model)
                    assert row[f"mape_{model}_h{h}"] == o["ape"] or model == "paper"
                backtested += 1
    assert backtested >= 150  # of 69 x 3: most series are 19..55 months long
    table = {(r["horizon"], r["model"]): r for r in summarise(o for _, out in done for o in out)
             if r["size_class"] == "all"}
    for h in HORIZONS:
        for model in MODELS:
            assert math.isfinite(table[(h, model)]["mape"])
        assert table[(h, "published")]["series"] == table[(h, "last")]["series"]


def test_bad_real_series_are_reported(results):
    series, done = results
    reasons = [row["reason"] for _, (row, _) in zip(series, done) if row["reason"] and row["reason"].startswith("not")]
    assert any("too short" in r for r in reasons) and any("all values are zero" in r for r in reasons)


# -- Bhandari et al.'s fine-tune series: issue 16's protocol ----------------------------------------
@pytest.fixture(scope="module")
def dev():
    if not REALDATA.is_dir():
        pytest.skip(f"real data not present at {REALDATA}")
    result = evaluate(REALDATA / "bhandari_finetunes_dev" / "series.csv", workers=2, subsets=True)
    print(format_result(result))
    return result


def test_the_protocol_sees_the_eligible_base_models(dev):
    assert dev.eligible_series == 33  # >= 100 fine-tunes and >= 12 months among the 1,286
    assert (dev.n[3], dev.n[6], dev.n[12]) == (32, 32, 20)  # windows of >= 5 months left after h


def test_the_published_forecast_beats_the_best_baseline(dev):
    # Issue 16's target is <= 0.80 at every horizon; measured 0.87 / 0.81 / 0.56 in-sample and
    # 0.87 / 0.74 / 0.63 out-of-fold (docs/forecasting.md): not reached at 3 months. The floors hold
    # what is reached: better than the best baseline at every horizon, in both, by >= 10% in-sample.
    for h in DEV_HORIZONS:
        assert dev.ratio("in", h) <= 0.90, (h, dev.ratio("in", h))
        assert dev.ratio("oof", h) <= 0.90, (h, dev.ratio("oof", h))
    assert max(dev.ratio("in", h) for h in (6, 12)) <= 0.82


def test_every_subset_is_scored_like_the_published_mean(dev):
    # the ceiling table (bench/forecast.py --dev --subsets) scores each mean the way the published one is
    assert len(dev.subsets) == 2 ** len(COMPONENTS) - 1
    published = tuple(p for p in COMPONENTS if p in COMBINATIONS[PUBLISHED])
    for i, h in enumerate(DEV_HORIZONS):
        assert dev.subsets[published][i] == pytest.approx(dev.ratio("in", h))


def test_the_published_intervals_cover_about_80_percent(dev):
    for h in DEV_HORIZONS:
        for scope in ("in", "oof"):
            assert 0.70 <= dev.coverage[(scope, h)] <= 0.90, (scope, h, dev.coverage[(scope, h)])
    assert 0.75 <= sum(dev.coverage[("in", h)] for h in DEV_HORIZONS) / 3 <= 0.85


def test_most_wsb_fits_converge_and_the_others_say_why(dev):
    converged, fitted = dev.converged["regularised"]
    assert fitted == 33 and converged / fitted >= 0.75  # 27 of 33 measured; 21 without the prior
    assert dev.converged["unregularised"][0] < converged
    assert sum(dev.reasons.values()) >= fitted - converged  # every unconverged fit names a reason
