"""Issue 16's protocol on real fine-tune series (Bhandari et al., dev split): the figures the bench
prints and the conformance test holds to floors.

* Eligible: base models with >= :data:`ELIGIBLE` fine-tunes at the end and >= :data:`MIN_MONTHS`
  months. Each horizon h (3, 6, 12) holds back the last h months; a training window that fails the
  input checks (fewer than 5 months) yields no outcome for any model.
* Score: the median absolute percentage error at the horizon; the best baseline at h is the one of
  last value, linear trend over 3 and over 6 months and the paper's single-start WSB fit with the
  lowest median APE on the same outcomes.
* Guarding the choices against the dev split: series fall into 2 folds by a hash of their id. The
  combination (``combined.COMBINATIONS``) is chosen on one fold's :data:`POOL` series (>= 30 fine-tunes
  and >= 12 months: more series than the eligible ones, for a steadier choice) and scored on the
  other fold's eligible ones, with the WSB prior and the interval calibration also from the other
  fold; the out-of-fold figures pool both folds' held-out outcomes. The in-sample figures use the
  published combination and priors from every series.
* Intervals: the published 80% interval is calibrated on backtest errors of the published forecast
  (``calibration``) of every series with >= 10 fine-tunes; its coverage is always scored cross-fitted
  (the other fold's errors).
* WSB: the share of eligible base models whose regularised fit of the whole series converges, with
  the reasons of the others, beside the unregularised fit's.

The paper's fit retries failures with 10,000 evaluations (~25 s each here); it is run with the retry
on the eligible series (the reported baseline) and without on the rest of the pool (only the choice
of combination sees those).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from analysis.forecast import combined
from analysis.forecast.calibration import Calibration, fold
from analysis.forecast.population import population_prior
from analysis.forecast.series import MIN_DERIVATIVES, Series, check, read_csv
from analysis.forecast.wsb import fit_wsb

ELIGIBLE = 100
POOL = combined.ESTABLISHED_COUNT
MIN_MONTHS = combined.ESTABLISHED_MONTHS
FOLDS = 2
HORIZONS = combined.HORIZONS


def eligible(s: Series, at_least: int = ELIGIBLE) -> bool:
    return len(s.y) > 0 and s.y[-1] >= at_least and s.t.max() >= MIN_MONTHS


@dataclass
class Result:
    """The figures of one run (medians in percent)."""

    n: dict = field(default_factory=dict)  # h -> eligible outcomes
    median: dict = field(default_factory=dict)  # (scope, model, h) -> median APE; scope "in" or "oof"
    best_baseline: dict = field(default_factory=dict)  # h -> (model, median APE)
    chosen: dict = field(default_factory=dict)  # "in" / fold -> combination chosen
    coverage: dict = field(default_factory=dict)  # (scope, h) -> share of actual values in the 80% interval
    converged: dict = field(default_factory=dict)  # "regularised" / "unregularised" -> (converged, fitted)
    reasons: Counter = field(default_factory=Counter)  # why regularised fits did not converge
    eligible_series: int = 0
    subsets: dict = field(default_factory=dict)  # parts -> in-sample ratio to the best baseline per h (--subsets)

    def ratio(self, scope: str, h: int) -> float:
        return self.median[(scope, "published", h)] / self.best_baseline[h][1]


def _backtest_job(job):
    s, priors, retry, combinations = job
    t, y, _ = check(s.t, s.y)
    return [(s.series_id, o) for o in combined.backtest(t, y, priors, paper_retry=retry, combinations=combinations)]


def _run(jobs, workers):
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            return [row for rows in pool.map(_backtest_job, jobs, chunksize=1) for row in rows]
    return [row for job in jobs for row in _backtest_job(job)]


def _medians(outcomes, ids) -> dict:
    """(model, h) -> median APE over the outcomes of series ``ids`` (a failed forecast counts as ∞)."""
    by: dict[tuple, list[float]] = {}
    for sid, o in outcomes:
        if sid in ids:
            by.setdefault((o.model, o.horizon), []).append(o.ape if math.isfinite(o.ape) else math.inf)
    return {k: float(np.median(v)) for k, v in by.items()}


def _choose(med: dict) -> str:
    """The combination with the lowest worst ratio (over horizons) to the best baseline."""
    def worst(name):
        return max(med[(f"combined:{name}", h)] / min(med[(b, h)] for b in combined.BASELINES) for h in HORIZONS)
    return min(combined.COMBINATIONS, key=worst)


def _calibration_rows(outcomes, model, sizes):
    return [{"horizon": o.horizon, "size_class": sizes[sid], "forecast_model": "combined",
             "origin_value": o.origin_value, "forecast": o.forecast, "actual": o.actual, "base_model_id": sid}
            for sid, o in outcomes if o.model == model and math.isfinite(o.forecast)]


def evaluate(path, *, workers: int | None = None, subsets: bool = False) -> Result:
    """Run the protocol on the series of ``path`` (series_id,t,value). ``subsets``: also score every
    equal-weight combination of the components in-sample (``combined.every_subset``)."""
    workers = workers or min(2, os.cpu_count() or 1)
    series = [s for s in read_csv(path) if s.problem is None and check(s.t, s.y)[2] is None]
    windows = {s.series_id: check(s.t, s.y)[:2] for s in series}
    folds = {s.series_id: fold(s.series_id, FOLDS) for s in series}
    sizes = {s.series_id: combined.calibration_class(float(s.y[-1]), float(s.t.max())) for s in series}
    backtested = [s for s in series if s.y[-1] >= MIN_DERIVATIVES]
    pool = [s for s in series if eligible(s, POOL)]
    elig = {s.series_id for s in series if eligible(s)}
    res = Result(eligible_series=len(elig))

    def priors(scope):  # scope: None = every series, k = the series outside fold k
        ws = [w for sid, w in windows.items() if scope is None or folds[sid] != scope]
        return {h: population_prior(ws, cut=h) for h in (0, *HORIZONS)}

    prior_all = priors(None)
    prior_fold = {k: priors(k) for k in range(FOLDS)}
    menu = {**combined.COMBINATIONS, **combined.every_subset()} if subsets else combined.COMBINATIONS
    inside = _run([(s, prior_all, s.series_id in elig, menu) for s in backtested], workers)
    paper = {(sid, o.horizon): o for sid, o in inside if o.model == "paper"}
    # out of fold: each series with the other fold's prior; the paper's fit (no prior) is the same
    oof = [(sid, paper[(sid, o.horizon)] if o.model == "paper" else o)
           for sid, o in _run([(s, prior_fold[folds[s.series_id]], False, combined.COMBINATIONS)
                               for s in backtested], workers)]

    med_in = _medians(inside, elig)
    for h in HORIZONS:
        res.n[h] = sum(1 for sid, o in inside if sid in elig and o.model == "last" and o.horizon == h)
        res.best_baseline[h] = min(((b, med_in[(b, h)]) for b in combined.BASELINES), key=lambda bm: bm[1])
    if subsets:
        res.subsets = {parts: tuple(med_in[(f"combined:{name}", h)] / res.best_baseline[h][1] for h in HORIZONS)
                       for name, parts in combined.every_subset().items()}
    res.chosen["in"] = _choose(_medians(inside, {s.series_id for s in pool}))
    published = {}  # the out-of-fold published outcome of each eligible series and horizon
    for k in range(FOLDS):
        train = {s.series_id for s in pool if folds[s.series_id] != k}
        name = res.chosen[k] = _choose(_medians(oof, train))
        for sid, o in oof:
            if folds[sid] == k and o.model == f"combined:{name}":
                published[(sid, o.horizon)] = o
    for scope, outcomes in (("in", inside), ("oof", oof)):
        med = _medians(outcomes, elig)
        for (model, h), v in med.items():
            res.median[(scope, model, h)] = v
    for h in HORIZONS:
        res.median[("in", "published", h)] = med_in[(f"combined:{combined.PUBLISHED}", h)]
        oof_apes = [o.ape if math.isfinite(o.ape) else math.inf for (sid, hh), o in published.items()
                    if hh == h and sid in elig]
        res.median[("oof", "published", h)] = float(np.median(oof_apes))
    # Coverage, cross-fitted: each fold's intervals from the other fold's errors (of the series of its
    # calibration class).
    for scope, outcomes, model_of in (("in", inside, lambda k: combined.PUBLISHED), ("oof", oof, res.chosen.get)):
        for h in HORIZONS:
            inside_interval = []
            for k in range(FOLDS):
                model = f"combined:{model_of(k)}"
                cal = Calibration((r for r in _calibration_rows(outcomes, model, sizes)
                                   if folds[r["base_model_id"]] != k), combined.CALIBRATION_GROUP)
                for sid, o in outcomes:
                    if o.model == model and o.horizon == h and sid in elig and folds[sid] == k:
                        bounds = cal.interval(h, sizes[sid], "combined", o.origin_value, o.forecast)
                        if bounds is not None:
                            inside_interval.append(bounds[0] <= o.actual <= bounds[1])
            res.coverage[(scope, h)] = float(np.mean(inside_interval)) if inside_interval else math.nan
    regular = unregular = 0
    for sid in elig:
        t, y = windows[sid]
        fit = fit_wsb(t, y, prior=prior_all[0])
        regular += fit.converged
        unregular += fit_wsb(t, y).converged
        for part in (fit.reason or "").split("; "):
            if part and not fit.converged:
                res.reasons[part] += 1
    res.converged = {"regularised": (regular, len(elig)), "unregularised": (unregular, len(elig))}
    return res


def format_result(res: Result) -> str:
    """The figures as text: medians beside the baselines, ratios, coverage, convergence."""
    models = ("last", "linear3", "linear", "paper", "drift", "bass", "wsb",
              *(f"combined:{c}" for c in combined.COMBINATIONS))
    lines = [f"eligible base models (>= {ELIGIBLE} fine-tunes, >= {MIN_MONTHS} months): {res.eligible_series}; "
             f"outcomes at h = 3/6/12: {res.n[3]}/{res.n[6]}/{res.n[12]}",
             f"{'median APE %':<32}" + "".join(f"{'h=' + str(h):>16}" for h in HORIZONS)
             + "   (in-sample / out-of-fold)"]
    for model in models:
        lines.append(f"{model:<32}" + "".join(
            f"{res.median.get(('in', model, h), math.nan):>8.1f}{res.median.get(('oof', model, h), math.nan):>8.1f}"
            for h in HORIZONS))
    lines.append(f"{'best baseline':<32}" + "".join(
        f"{res.best_baseline[h][1]:>8.1f} {res.best_baseline[h][0]:>7}" for h in HORIZONS))
    lines.append(f"{'published':<32}" + "".join(
        f"{res.median[('in', 'published', h)]:>8.1f}{res.median[('oof', 'published', h)]:>8.1f}" for h in HORIZONS))
    lines.append(f"{'published / best baseline':<32}" + "".join(
        f"{res.ratio('in', h):>8.2f}{res.ratio('oof', h):>8.2f}" for h in HORIZONS) + "   (target <= 0.80)")
    lines.append(f"{'80% interval coverage':<32}" + "".join(
        f"{res.coverage[('in', h)]:>8.2f}{res.coverage[('oof', h)]:>8.2f}" for h in HORIZONS)
        + "   (target 0.75-0.85)")
    lines.append(f"combination chosen: in-sample {res.chosen['in']} (published: {combined.PUBLISHED}); "
                 + "; ".join(f"fold {k}: {res.chosen[k]}" for k in range(FOLDS)))
    (c, n), (u, _) = res.converged["regularised"], res.converged["unregularised"]
    lines.append(f"WSB fits of the whole series converged: regularised {c}/{n} ({c / max(n, 1):.0%}), "
                 f"unregularised {u}/{n} ({u / max(n, 1):.0%}); target >= 75%")
    lines += [f"  not converged ({k}): {v}" for k, v in res.reasons.most_common()]
    if res.subsets:
        lines += _format_subsets(res.subsets)
    return "\n".join(lines)


def _format_subsets(subsets: dict, top: int = 5) -> list[str]:
    """The equal-weight combinations with the lowest worst ratio, and the lowest ratio any reaches per h."""
    lines = [f"every equal-weight combination of the components ({len(subsets)}), in-sample ratio to the best "
             "baseline at h = " + "/".join(map(str, HORIZONS)) + f"; the {top} with the lowest worst ratio:"]
    for parts, ratios in sorted(subsets.items(), key=lambda kv: max(kv[1]))[:top]:
        lines.append(f"  {'+'.join(parts):<40}" + "".join(f"{r:>7.2f}" for r in ratios))
    for i, h in enumerate(HORIZONS):
        parts, ratios = min(subsets.items(), key=lambda kv: kv[1][i])
        lines.append(f"  lowest at h={h}: {ratios[i]:.2f} ({'+'.join(parts)})")
    return lines
