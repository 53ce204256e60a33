"""Backtests: fit on a series' first months, forecast h months ahead, compare with what came.

For each horizon h the origin is the last point at or before the series' last month minus h; every
model sees only the points up to the origin and forecasts the last point. Errors at that one point:
APE = |forecast − actual| / actual and sAPE = 2·|forecast − actual| / (|forecast| + |actual|), both in
percent; their means over series are MAPE and sMAPE. A training window that fails the input checks
(too short, no growth yet) yields no outcome for any model, so all models are scored on the same
series.

``published`` is what a user of the marts gets at the origin: the WSB forecast where the training fit
converged, else the linear trend (``forecast_model``), each with its 80% interval as the model states
it (``low``, ``high``); ``analysis.forecast.calibration`` turns those into calibrated intervals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from analysis.forecast import baselines
from analysis.forecast.series import check
from analysis.forecast.wsb import fit_wsb, forecast

HORIZONS = (3, 6, 12)
MODELS = ("wsb", "last", "linear", "loglinear", "bass", "published")


@dataclass
class Outcome:
    horizon: int
    model: str
    origin_t: float
    target_t: float
    actual: float
    forecast: float
    ape: float
    sape: float
    converged: bool | None = None  # wsb, bass, published: whether the training fit converged
    in_interval: bool | None = None  # wsb, linear, published: whether the actual value fell in the 80% interval
    origin_value: float = math.nan  # the count at the origin (the training window's last)
    low: float = math.nan  # wsb, linear, published: the 80% interval as the model states it
    high: float = math.nan


def errors(forecast_value: float, actual: float) -> tuple[float, float]:
    """(APE, sAPE) in percent; NaN where undefined (a non-finite forecast, or an actual of 0)."""
    if not math.isfinite(forecast_value):
        return math.nan, math.nan
    diff = abs(forecast_value - actual)
    ape = 100 * diff / actual if actual > 0 else math.nan
    denom = abs(forecast_value) + abs(actual)
    sape = 200 * diff / denom if denom > 0 else 0.0
    return ape, sape


def training_windows(t: np.ndarray, y: np.ndarray, horizons: Iterable[int]):
    """(h, t, y) of the points up to the last point at or before t[-1] − h, for each h whose window
    passes the input checks."""
    for h in horizons:
        origin = int(np.searchsorted(t, t[-1] - h + 1e-9, side="right")) - 1
        if origin < 0:
            continue
        tt, yy, reason = check(t[: origin + 1], y[: origin + 1])
        if reason is None:
            yield h, tt, yy


def backtest_series(t: np.ndarray, y: np.ndarray, horizons: Iterable[int] = HORIZONS,
                    events: np.ndarray | None = None) -> list[Outcome]:
    """Outcomes of every model at every horizon the series is long enough for (t, y checked already).
    ``events`` (creation times, as for ``fit_wsb``): the WSB fit of each training window uses those
    before its end, as the published fit does."""
    out = []
    for h, tt, yy in training_windows(t, y, horizons):
        target_t, actual = float(t[-1]), float(y[-1])
        at = np.array([target_t])
        fit = fit_wsb(tt, yy, events=None if events is None else events[events < tt[-1]])
        point, low, high = forecast(fit, at)
        lin_point, lin_low, lin_high = baselines.linear_interval(tt, yy, at)
        bass = baselines.BassFit(tt, yy)
        nan = math.nan
        predictions = {  # model: (point, converged, low, high)
            "wsb": (float(point[0]), fit.converged, float(low[0]), float(high[0])),
            "last": (float(baselines.last(tt, yy, at)[0]), None, nan, nan),
            "linear": (float(lin_point[0]), None, float(lin_low[0]), float(lin_high[0])),
            "loglinear": (float(baselines.loglinear(tt, yy, at)[0]), None, nan, nan),
            "bass": (float(bass.predict(at)[0]), bass.converged, nan, nan),
        }
        wsb_or_linear = predictions["wsb"] if fit.converged else predictions["linear"]
        predictions["published"] = (wsb_or_linear[0], fit.converged, *wsb_or_linear[2:])
        for model in MODELS:
            value, converged, lo, hi = predictions[model]
            ape, sape = errors(value, actual)
            inside = bool(lo <= actual <= hi) if math.isfinite(lo) and math.isfinite(hi) else None
            out.append(Outcome(h, model, float(tt[-1]), target_t, actual, value, ape, sape, converged, inside,
                               float(yy[-1]), lo, hi))
    return out


def summarise(rows: Iterable[dict]) -> list[dict]:
    """Aggregate outcome rows (dicts with horizon, size_class, model, ape, sape, converged, in_interval)
    by horizon × size class × model, plus size class 'all'."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        for size in (row["size_class"], "all"):
            groups.setdefault((row["horizon"], size, row["model"]), []).append(row)
    out = []
    order = {m: i for i, m in enumerate(MODELS)}
    for (h, size, model), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] != "all", kv[0][1],
                                                                           order.get(kv[0][2], 99))):
        apes = np.array([r["ape"] for r in members if r["ape"] is not None and math.isfinite(r["ape"])])
        sapes = np.array([r["sape"] for r in members if r["sape"] is not None and math.isfinite(r["sape"])])
        conv = [r["converged"] for r in members if r.get("converged") is not None]
        inside = [r["in_interval"] for r in members if r.get("in_interval") is not None]
        out.append({"horizon": h, "size_class": size, "model": model, "series": len(apes),
                    "mape": float(apes.mean()) if len(apes) else None,
                    "smape": float(sapes.mean()) if len(sapes) else None,
                    "median_ape": float(np.median(apes)) if len(apes) else None,
                    "converged_share": float(np.mean(conv)) if conv else None,
                    "interval_coverage": float(np.mean(inside)) if inside else None})
    return out


def format_table(summary: list[dict]) -> str:
    """The summary as a fixed-width text table (bench and CLI output)."""
    lines = [f"{'h':>3} {'size':>8} {'model':>10} {'series':>7} {'MAPE%':>10} {'sMAPE%':>8} {'medAPE%':>8} "
             f"{'conv':>5} {'cover':>6}"]
    for r in summary:
        def num(v, fmt):
            return format(v, fmt) if v is not None else "-"
        lines.append(f"{r['horizon']:>3} {r['size_class']:>8} {r['model']:>10} {r['series']:>7} "
                     f"{num(r['mape'], '10.1f')} {num(r['smape'], '8.1f')} {num(r['median_ape'], '8.1f')} "
                     f"{num(r['converged_share'], '5.2f')} {num(r['interval_coverage'], '6.2f')}")
    return "\n".join(lines)
