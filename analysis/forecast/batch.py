"""Fit and backtest a batch of series (``hubmine forecast FILE.csv``): one result row per series.

Every series gets its row: a bad one says "not fitted: <reason>" and the batch goes on. A CSV has
only the cumulative values at its t, so the fit uses the counts between consecutive t (``fit_input``
"steps"; the marts fit the creation times, which a CSV does not have).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from analysis.forecast.backtest import HORIZONS, MODELS, backtest_series, summarise
from analysis.forecast.series import Series, check, read_csv, size_class
from analysis.forecast.wsb import fit_wsb

COLUMNS = (["series_id", "lambda", "mu", "sigma", "m", "converged", "reason", "r2_log"]
           + [f"mape_{model}_h{h}" for h in HORIZONS for model in MODELS])


def process(series: Series) -> tuple[dict, list[dict]]:
    """(result row, backtest outcome rows) of one series; never raises."""
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
        fit = fit_wsb(t, y)
        if fit.fitted:
            row.update({"lambda": fit.lam, "mu": fit.mu, "sigma": fit.sigma, "m": fit.m, "r2_log": fit.r2_log})
        row.update(converged=fit.converged, reason=fit.reason)
        outcomes = backtest_series(t, y)
    except Exception as exc:  # noqa: BLE001 — one series' numerical surprise must not stop the batch
        row.update({"lambda": None, "mu": None, "sigma": None, "m": None, "r2_log": None, "converged": False,
                    "reason": f"not fitted: {type(exc).__name__}: {exc}"})
        return row, []
    size = size_class(float(y[-1]))
    for o in outcomes:
        row[f"mape_{o.model}_h{o.horizon}"] = o.ape
    return row, [{"horizon": o.horizon, "size_class": size, "model": o.model, "ape": o.ape, "sape": o.sape,
                  "converged": o.converged, "in_interval": o.in_interval} for o in outcomes]


def run_file(path: str | Path, out: str | Path) -> dict:
    """Fit and backtest every series of ``path``; write one row per series to ``out`` (CSV)."""
    rows, outcomes = [], []
    for series in read_csv(path):
        row, done = process(series)
        rows.append(row)
        outcomes += done
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in COLUMNS])
    return {"series": len(rows), "fitted": sum(1 for r in rows if r["lambda"] is not None),
            "converged": sum(1 for r in rows if r["converged"]),
            "not_fitted": sum(1 for r in rows if r["lambda"] is None), "summary": summarise(outcomes)}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    return str(value)
