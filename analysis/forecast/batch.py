"""Fit, forecast and backtest a batch of series (``hubmine forecast FILE.csv``): one result row per series.

Every series gets its row: a bad one says "not fitted: <reason>" and the batch goes on. A CSV has
only the cumulative values at its t, so the WSB fit uses the counts between consecutive t (``fit_input``
"steps"; the marts fit the creation times, which a CSV does not have).

What a row holds:

* the regularised WSB fit of the whole series (λ, μ, σ with standard errors, m, converged, reason), its
  prior from the population of the file's own series (``analysis.forecast.population``);
* the published forecast at each horizon h beyond the last t: the point (the equal-weight combination
  ``combined.PUBLISHED``), its 80% interval calibrated on the file's own backtest errors of that
  forecast (``calibration``; empty, with ``interval_method`` "none", where fewer than 30 backtests
  exist) and the model string naming the components that made it;
* the backtest APE of every model at each h (fitted up to the last t minus h, priors from the file's
  series cut the same way). ``paper`` here is the combination's component (the paper's curve and fit
  solved by Levenberg–Marquardt, ``baselines.paper_lm``); ``bench/forecast.py --dev`` scores the
  paper's own curve_fit, with its 10,000-evaluation retry.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path

import numpy as np

from analysis.forecast import combined
from analysis.forecast.backtest import summarise
from analysis.forecast.calibration import Calibration
from analysis.forecast.population import population_prior
from analysis.forecast.series import Series, check, read_csv
from analysis.forecast.wsb import fit_wsb

HORIZONS = combined.HORIZONS
MODELS = combined.PUBLISHED_MODELS
FIT_COLUMNS = ["series_id", "lambda", "mu", "sigma", "se_lambda", "se_mu", "se_sigma", "m", "converged", "reason",
               "r2_log", "prior"]
FORECAST_COLUMNS = [c for h in HORIZONS for c in (f"t_h{h}", f"forecast_h{h}", f"forecast_h{h}_low",
                                                  f"forecast_h{h}_high", f"forecast_h{h}_model")]
COLUMNS = FIT_COLUMNS + FORECAST_COLUMNS + ["interval_method"] + [f"mape_{m}_h{h}" for h in HORIZONS for m in MODELS]


def process(series: Series, priors: dict) -> tuple[dict, list[dict]]:
    """(result row, backtest outcome rows) of one series; never raises. ``priors``: horizon (0 = the
    whole series) -> the WSB prior."""
    row: dict = {c: None for c in COLUMNS}
    row.update(series_id=series.series_id, converged=False)
    if series.problem:
        row["reason"] = series.problem
        return row, []
    try:
        t, y, reason = check(series.t, series.y)
        if reason:
            row["reason"] = reason
            return row, []
        fit = fit_wsb(t, y, prior=priors.get(0))
        if fit.fitted:
            row.update({"lambda": fit.lam, "mu": fit.mu, "sigma": fit.sigma, "m": fit.m, "r2_log": fit.r2_log,
                        "se_lambda": fit.se_lambda, "se_mu": fit.se_mu, "se_sigma": fit.se_sigma})
        row.update(converged=fit.converged, reason=fit.reason,
                   prior="population" if priors.get(0) is not None else "none")
        ahead = t[-1] + np.array(HORIZONS, float)
        point, labels = combined.publish(t, y, ahead, priors.get(0))
        for i, h in enumerate(HORIZONS):
            row.update({f"t_h{h}": float(ahead[i]), f"forecast_h{h}": float(point[i]),
                        f"forecast_h{h}_model": labels[i]})
        outcomes = combined.published_backtest(t, y, priors)
    except Exception as exc:  # noqa: BLE001 — one series' numerical surprise must not stop the batch
        row.update({c: None for c in COLUMNS[1:]})
        row.update(converged=False, reason=f"not fitted: {type(exc).__name__}: {exc}")
        return row, []
    size = combined.calibration_class(float(y[-1]), float(t[-1]))
    done = []
    for o in outcomes:
        row[f"mape_{o.model}_h{o.horizon}"] = o.ape
        done.append({"horizon": o.horizon, "size_class": size, "model": o.model, "ape": o.ape, "sape": o.sape,
                     "converged": None, "in_interval": None, "forecast_model": "combined", "origin_value":
                     o.origin_value, "forecast": o.forecast, "actual": o.actual})
    row["_size"], row["_origin"] = size, float(y[-1])
    return row, done


def run_file(path: str | Path, out: str | Path) -> dict:
    """Fit, forecast and backtest every series of ``path``; write one row per series to ``out`` (CSV)."""
    series = read_csv(path)
    windows = []
    for s in series:
        if s.problem is None:
            t, y, reason = check(s.t, s.y)
            if reason is None:
                windows.append((t, y))
    priors = {h: population_prior(windows, cut=h) for h in (0, *HORIZONS)}
    rows, outcomes = [], []
    for s in series:
        row, done = process(s, priors)
        rows.append(row)
        outcomes += done
    calibration = Calibration((o for o in outcomes if o["model"] == "published"), combined.CALIBRATION_GROUP)
    for row in rows:
        if row.get("forecast_h3") is None:
            continue
        row["interval_method"] = "none"
        for h in HORIZONS:
            bounds = calibration.interval(h, row["_size"], "combined", row["_origin"], row[f"forecast_h{h}"])
            if bounds is not None:
                row[f"forecast_h{h}_low"], row[f"forecast_h{h}_high"] = bounds
                row["interval_method"] = "calibrated"
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in COLUMNS])
    return {"series": len(rows), "fitted": sum(1 for r in rows if r["lambda"] is not None),
            "converged": sum(1 for r in rows if r["converged"]),
            "not_fitted": sum(1 for r in rows if r["lambda"] is None),
            # why, by kind ("too short", "huge jump": the reason without its particulars)
            "not_fitted_reasons": Counter(r["reason"].removeprefix("not fitted: ").split(" (")[0]
                                          for r in rows if r["lambda"] is None and r["reason"]).most_common(),
            "forecast": sum(1 for r in rows if r.get("forecast_h3") is not None),
            "prior": priors[0] is not None, "summary": summarise(outcomes)}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(float(value)) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    return str(value)
