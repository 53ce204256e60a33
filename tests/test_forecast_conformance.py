"""Forecasting on real data: the kb-labb monthly download series (../shared/realdata) run through the
fits and the backtest, and every model gives a finite error wherever a series is long enough."""

from __future__ import annotations

import math

import pytest
from conftest import REALDATA

from analysis.forecast.backtest import HORIZONS, MODELS, summarise
from analysis.forecast.batch import process
from analysis.forecast.series import check, monthly_download_series

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def results():
    # module-scoped (the fits take a few seconds), so it checks the folder itself like `realdata` does
    if not REALDATA.is_dir():
        pytest.skip(f"real data not present at {REALDATA}")
    realdata = REALDATA
    series = monthly_download_series(realdata / "kblab_monthly_downloads" / "kblab_model_downloads_monthly_long.csv")
    return series, [process(s) for s in series]


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
                    assert math.isfinite(o["ape"]) and math.isfinite(o["sape"]), (s.series_id, h, model)
                    assert row[f"mape_{model}_h{h}"] == o["ape"]
                backtested += 1
    assert backtested >= 150  # of 69 x 3: most series are 19..55 months long
    table = {(r["horizon"], r["model"]): r for r in summarise(o for _, out in done for o in out)
             if r["size_class"] == "all"}
    for h in HORIZONS:
        for model in MODELS:
            assert math.isfinite(table[(h, model)]["mape"])


def test_bad_real_series_are_reported(results):
    series, done = results
    reasons = [row["reason"] for _, (row, _) in zip(series, done) if row["reason"] and row["reason"].startswith("not")]
    assert any("too short" in r for r in reasons) and any("all values are zero" in r for r in reasons)
