"""Forecast marts: fit every base model's adoption series, forecast it, backtest it, calibrate the
published intervals on the backtests.

Rebuilt from the lineage marts on each run (after ``lineage``), but a series whose input key (its
counts, its derivatives' creation times, release time and :data:`VERSION`) is unchanged keeps its
fit: the series only change when a month completes, so a daily run refits a handful. The WSB prior
of the fits that do not converge on their own is not in the key: it is stored and kept until the
population moves it beyond a tolerance (:func:`refit_with_prior`). The
calibration (``analysis.forecast.calibration``) is recomputed from all backtest outcomes on every
run and applied to every row's interval: it is cheap, and a new backtest moves every group's
quantiles a little.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import duckdb
import numpy as np
import pyarrow as pa

from analysis.forecast import combined
from analysis.forecast.calibration import Calibration, cross_fitted
from analysis.forecast.population import Prior, moved, prior_of
from analysis.forecast.series import Series, check, derivative_series, size_class, warehouse_as_of
from analysis.forecast.wsb import fit_wsb

# 2: fits on the spacings of creation times; 3: the published combination, population priors; 4: the
# paper's fit in the mean by Levenberg–Marquardt, the prior from the marts' own fits and out of the key
VERSION = 4
HORIZONS = combined.HORIZONS
# The models backtested in the marts: the baselines, the components of the published combination and
# the published forecast; not the regularised WSB fit of the monthly counts, whose backtests need the
# population's fits cut at each horizon (three more WSB fits of every base model on every run).
MODELS = (*combined.BASELINES, *(c for c in combined.COMBINATIONS[combined.PUBLISHED] if c not in combined.BASELINES),
          "published")
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Below this many jobs one process is quicker than starting a pool of spawned workers (each imports
# numpy, scipy, DuckDB and pyarrow: ~1 s on a quiet machine, far more under load): a series costs
# ~0.05 CPU-s (its fit, forecast and backtests), a refit with the prior ~0.007 (demo hub).
PARALLEL_FROM = 100
PARALLEL_REFITS_FROM = 500

FITS = pa.schema([
    ("base_model_id", pa.string()), ("relation", pa.string()), ("input_key", pa.string()),
    ("as_of", pa.timestamp("us", tz="UTC")), ("release_at", pa.timestamp("us", tz="UTC")),
    ("release_source", pa.string()), ("n_months", pa.int32()), ("derivatives_now", pa.int64()),
    ("size_class", pa.string()), ("lambda", pa.float64()), ("mu", pa.float64()), ("sigma", pa.float64()),
    ("m", pa.float64()), ("m_mode", pa.string()), ("converged", pa.bool_()), ("reason", pa.string()),
    ("r2_log", pa.float64()), ("rmse_log", pa.float64()), ("se_lambda", pa.float64()), ("se_mu", pa.float64()),
    ("se_sigma", pa.float64()), ("se_log_m", pa.float64()), ("dispersion", pa.float64()),
    ("starts", pa.int32()), ("starts_agreeing", pa.int32()), ("c_inf", pa.float64()), ("forecast_model", pa.string()),
    *[(f"forecast_h{h}{s}", pa.float64()) for h in HORIZONS for s in ("", "_low", "_high")],
    ("fit_input", pa.string()), ("interval_method", pa.string()),
    *[(f"forecast_h{h}{s}_model", pa.float64()) for h in HORIZONS for s in ("_low", "_high")],
    ("prior", pa.string()),
])
SERIES = pa.schema([("base_model_id", pa.string()), ("relation", pa.string()), ("t", pa.int32()),
                    ("cumulative", pa.int64())])
OUTCOMES = pa.schema([
    ("base_model_id", pa.string()), ("horizon", pa.int32()), ("model", pa.string()), ("size_class", pa.string()),
    ("origin_t", pa.float64()), ("target_t", pa.float64()), ("actual", pa.float64()), ("forecast", pa.float64()),
    ("ape", pa.float64()), ("sape", pa.float64()), ("converged", pa.bool_()), ("in_interval", pa.bool_()),
    ("origin_value", pa.float64()), ("low_model", pa.float64()), ("high_model", pa.float64()),
])


def input_key(series: Series) -> str:
    """Hash of what a series' row is computed from: its counts, its derivatives' creation times, its
    release time and :data:`VERSION`. Not the prior (:func:`refit_with_prior` keeps that incremental)."""
    h = hashlib.blake2b(digest_size=12)
    h.update(f"v{VERSION}|{series.meta.get('release_at')}|".encode())
    h.update(np.ascontiguousarray(series.y, dtype=np.float64).tobytes())
    if series.events is not None:  # the fit's input: creation times within the complete months
        h.update(np.ascontiguousarray(series.events, dtype=np.float64).tobytes())
    return h.hexdigest()


def _num(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def fit_columns(series: Series, prior: Prior | None, *, unregularised: bool = True) -> dict:
    """The WSB fit columns of a (checked) series: the fit on its creation times and, where that does
    not converge and a ``prior`` is given, the fit with the prior instead (``prior`` says which).
    ``unregularised`` False: that first fit is known not to converge; only the one with the prior is made."""
    t, y, _ = check(series.t, series.y)
    # The creation times usually place the peak on their own (the planted families are recovered
    # unregularised, and not with the population's prior: tests/test_forecast_marts.py); the prior
    # regularises the fits whose own data cannot.
    fit = fit_wsb(t, y, events=series.events) if unregularised or prior is None else None
    row = {"prior": "none"}
    if prior is not None and (fit is None or not fit.converged):
        fit = fit_wsb(t, y, events=series.events, prior=prior)
        row["prior"] = "population"
    row.update(converged=fit.converged, reason=fit.reason, m_mode=fit.m_mode, starts=fit.starts,
               starts_agreeing=fit.starts_agreeing, c_inf=_num(fit.c_inf) if fit.converged else None,
               **dict.fromkeys(FIT_VALUES))
    if fit.fitted:
        row.update({"fit_input": fit.input, "lambda": fit.lam, "mu": fit.mu, "sigma": fit.sigma, "m": fit.m,
                    "r2_log": _num(fit.r2_log), "rmse_log": _num(fit.rmse_log), "se_lambda": _num(fit.se_lambda),
                    "se_mu": _num(fit.se_mu), "se_sigma": _num(fit.se_sigma), "se_log_m": _num(fit.se_log_m),
                    "dispersion": _num(fit.dispersion)})
    return row


FIT_VALUES = ("fit_input", "lambda", "mu", "sigma", "m", "r2_log", "rmse_log", "se_lambda", "se_mu", "se_sigma",
              "se_log_m", "dispersion")


def analyse(series: Series, size: str, *, backtest: bool, prior: Prior | None = None) -> tuple[dict, list[dict]]:
    """The fits row of one warehouse series and (when ``backtest``) its backtest outcome rows. ``prior``:
    the WSB prior from the population of base models (None: the fit on the series' own data only)."""
    meta = series.meta
    t, y, reason = check(series.t, series.y)
    row = {"base_model_id": meta["base_model_id"], "relation": meta["relation"], "input_key": meta["input_key"],
           "as_of": meta.get("as_of"), "release_at": meta["release_at"], "release_source": meta["release_source"],
           "n_months": len(series.t), "derivatives_now": int(series.y[-1]) if len(series.y) else 0,
           "size_class": size, "m_mode": "estimated", "converged": False, "reason": reason,
           "starts": 0, "starts_agreeing": 0}
    if reason is not None:
        return row, []
    row.update(fit_columns(series, prior))
    # The published forecast is that of `hubmine forecast` (combined.PUBLISHED, from the monthly counts);
    # the WSB fit above (on the creation times) is published for its parameters, not as the forecast.
    ahead = t[-1] + np.array(HORIZONS, float)
    point, labels = combined.publish(t, y, ahead, None)
    row["forecast_model"] = labels[0] if len(set(labels)) == 1 else "; ".join(
        f"h{h}: {label}" for h, label in zip(HORIZONS, labels))
    # No interval yet: calibrate() sets it from the backtests (the combination states none of its own).
    row["interval_method"] = "none"
    for i, h in enumerate(HORIZONS):
        row[f"forecast_h{h}"] = _num(point[i])
    outcomes = []
    if backtest:
        for o in combined.published_backtest(t, y, {}, MODELS):
            outcomes.append({"base_model_id": meta["base_model_id"], "horizon": o.horizon, "model": o.model,
                             "size_class": size, "origin_t": o.origin_t, "target_t": o.target_t, "actual": o.actual,
                             "forecast": _num(o.forecast), "ape": _num(o.ape), "sape": _num(o.sape),
                             "origin_value": o.origin_value, "converged": None, "in_interval": None,
                             "low_model": None, "high_model": None})
    return row, outcomes


def _analyse_job(job: tuple[Series, str, bool]) -> tuple[dict, list[dict]]:
    series, size, backtest = job
    return analyse(series, size, backtest=backtest)


def _refit_job(job: tuple[Series, Prior | None, bool]) -> dict:
    series, prior, unregularised = job
    return {"base_model_id": series.meta["base_model_id"], "relation": series.meta["relation"],
            **fit_columns(series, prior, unregularised=unregularised)}


def _map(func: Callable, jobs: list, workers: int | None, parallel_from: int = PARALLEL_FROM) -> list:
    """[func(job) for job in jobs], in ``workers`` processes (default: 2 from ``parallel_from`` jobs on)."""
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(jobs) >= parallel_from else 1
    if workers <= 1:
        return [func(job) for job in jobs]
    # Spawned, not forked: the caller holds a DuckDB connection (and its threads) mid-transaction.
    # One BLAS thread per worker: the linear algebra is 3x3, and idle OpenBLAS threads spinning
    # in every worker took a third of the CPU (118 s instead of 170 s for 15k fits).
    saved = {k: os.environ.get(k) for k in _BLAS_THREADS}
    os.environ.update({k: "1" for k in _BLAS_THREADS})
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            # Small chunks: a large last chunk left one core idle for ~20 s of a 15k-series run.
            return list(pool.map(func, jobs, chunksize=max(1, len(jobs) // (workers * 64))))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def analyse_all(series: list[Series], *, backtest: bool = True,
                workers: int | None = None) -> tuple[list[dict], list[dict]]:
    """Fits rows (without the prior: :func:`refit_with_prior` adds it) and backtest outcomes of many
    warehouse series (the size class of a base model is that of its relation-all series; only
    relation-all series are backtested). ``workers`` > 1 fits in that many processes."""
    sizes = {s.meta["base_model_id"]: size_class(float(s.y[-1])) for s in series if s.meta["relation"] == "all"}
    jobs = [(s, sizes.get(s.meta["base_model_id"], size_class(float(s.y[-1]))),
             backtest and s.meta["relation"] == "all") for s in series]
    results = _map(_analyse_job, jobs, workers)
    rows = [r for r, _ in results]
    outcomes = [o for _, done in results for o in done]
    return rows, outcomes


def stored_prior(con: duckdb.DuckDBPyConnection) -> Prior | None:
    """The prior the fits with ``prior = 'population'`` were made with (``marts.forecast_priors``)."""
    row = con.execute(f"SELECT {', '.join(PRIOR_COLUMNS)} FROM marts.forecast_priors").fetchone()
    return None if row is None else Prior(tuple(row[:3]), tuple(row[3:]))


PRIOR_COLUMNS = ("log_lambda_mean", "mu_mean", "log_sigma_mean", "log_lambda_sd", "mu_sd", "log_sigma_sd")


def refit_with_prior(con: duckdb.DuckDBPyConnection, series: list[Series], fitted: set[tuple[str, str]],
                     workers: int | None = None) -> dict:
    """Regularise the fits that did not converge on their own, keeping the run incremental.

    The prior is that of the population of base models' converged unregularised fits in the marts
    (relation all, ``prior = 'none'``; creation times, as the fits it regularises), computed after this
    run's new fits (``fitted``: their keys) went in. While it stays within ``population.TOLERANCE`` of
    the stored prior (``marts.forecast_priors``), only this run's fits that did not converge are refitted
    with the stored one; when it moves beyond, it is stored and every fit that needs it (its own did
    not converge) is redone with it. The prior is no part of any series' input key: an unchanged day
    refits nothing."""
    theta = np.array(con.execute("""SELECT ln("lambda"), mu, ln(sigma) FROM marts.forecast_fits
                                    WHERE relation = 'all' AND converged AND prior = 'none'
                                    ORDER BY base_model_id""").fetchall(), float).reshape(-1, 3)
    new, old = prior_of(theta), stored_prior(con)
    changed = moved(new, old)
    prior = new if changed else old
    if changed:
        con.execute("DELETE FROM marts.forecast_priors")
        if new is not None:
            con.execute(f"INSERT INTO marts.forecast_priors (fits, {', '.join(PRIOR_COLUMNS)}, set_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, now())", [len(theta), *new.mean, *new.sd])
    # A fit needs the prior when its own did not converge (the series unchanged, it still would not:
    # only the fit with the prior is redone). Without a prior (fewer than MIN_FITS converged fits) the
    # fits made with one that is gone are redone on their own data.
    needs = con.execute("""SELECT base_model_id, relation, prior FROM marts.forecast_fits
                           WHERE "lambda" IS NOT NULL AND (prior = 'population' OR NOT converged)""").fetchall()
    if prior is None:
        redo = {(b, r) for b, r, p in needs if p == "population"}
    else:
        redo = {(b, r) for b, r, _ in needs if changed or (b, r) in fitted}
    jobs = [(s, prior, prior is None) for s in series if (s.meta["base_model_id"], s.meta["relation"]) in redo]
    rows = _map(_refit_job, jobs, workers, PARALLEL_REFITS_FROM)
    if rows:
        columns = ("base_model_id", "relation", "prior", "converged", "reason", "m_mode", "starts",
                   "starts_agreeing", "c_inf", *FIT_VALUES)
        _update(con, "marts.forecast_fits", ("base_model_id", "relation"),
                {c: pa.array([r[c] for r in rows], FITS.field(c).type) for c in columns})
    return {"prior_moved": changed, "prior_fits": len(theta), "refitted_with_prior": len(rows)}


def build(con: duckdb.DuckDBPyConnection, *, progress: bool = False, min_derivatives: int = 10) -> dict:
    """Bring the forecast marts up to date with the lineage marts; runs inside the caller's transaction."""
    started = time.monotonic()
    as_of = warehouse_as_of(con) or datetime.now(UTC)
    series = derivative_series(con, as_of=as_of, min_derivatives=min_derivatives)
    for s in series:
        s.meta["input_key"] = input_key(s)
        s.meta["as_of"] = as_of
    kept = {(b, r): k for b, r, k in con.execute(
        "SELECT base_model_id, relation, input_key FROM marts.forecast_fits").fetchall()}
    pending = [s for s in series if kept.get((s.meta["base_model_id"], s.meta["relation"])) != s.meta["input_key"]]
    current = {(s.meta["base_model_id"], s.meta["relation"]): s.meta["input_key"] for s in series}
    stale = [k for k, key in kept.items() if current.get(k) != key]
    # A base model whose relation-all series changed is backtested again; its size class may have moved,
    # so every relation of it is refitted too (cheap: a handful per run).
    moved_models = {s.meta["base_model_id"] for s in pending if s.meta["relation"] == "all"}
    chosen = {id(s) for s in pending}
    pending += [s for s in series if s.meta["base_model_id"] in moved_models and id(s) not in chosen]
    already = set(stale)
    stale += [k for k in kept if k[0] in moved_models and k not in already]
    con.register("stale_rows", pa.table({"base_model_id": pa.array([b for b, _ in stale], pa.string()),
                                         "relation": pa.array([r for _, r in stale], pa.string())}))
    con.execute("CREATE OR REPLACE TEMP TABLE forecast_stale AS SELECT * FROM stale_rows")
    con.unregister("stale_rows")
    con.execute("DELETE FROM marts.forecast_fits WHERE (base_model_id, relation) IN (SELECT * FROM forecast_stale)")
    con.execute("DELETE FROM marts.forecast_series WHERE (base_model_id, relation) IN (SELECT * FROM forecast_stale)")
    con.execute("""DELETE FROM marts.forecast_backtest_outcomes WHERE base_model_id IN
                   (SELECT base_model_id FROM forecast_stale WHERE relation = 'all')""")
    con.execute("DROP TABLE forecast_stale")
    rows, outcomes = analyse_all(pending)
    series_rows = {"base_model_id": [], "relation": [], "t": [], "cumulative": []}
    for s in pending:
        n = len(s.t)
        series_rows["base_model_id"] += [s.meta["base_model_id"]] * n
        series_rows["relation"] += [s.meta["relation"]] * n
        series_rows["t"] += s.t.astype(int).tolist()
        series_rows["cumulative"] += s.y.astype(np.int64).tolist()
    for table, data in (("marts.forecast_fits", pa.Table.from_pylist(rows, FITS)),
                        ("marts.forecast_series", pa.table(series_rows, SERIES)),
                        ("marts.forecast_backtest_outcomes", pa.Table.from_pylist(outcomes, OUTCOMES))):
        if data.num_rows:
            con.register("new_rows", data)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM new_rows")
            con.unregister("new_rows")
    regularised = refit_with_prior(con, series, {(s.meta["base_model_id"], s.meta["relation"]) for s in pending})
    coverage = calibrate(con)
    counts = con.execute("SELECT count(*), count(*) FILTER (WHERE converged) FROM marts.forecast_fits").fetchall()[0]
    return {"series": len(series), "fitted": len(pending), "kept": len(series) - len(pending),
            "fits": counts[0], "converged": counts[1], "backtest_rows": len(outcomes), **regularised, **coverage,
            "compute_seconds": round(time.monotonic() - started, 2)}


def calibrate(con: duckdb.DuckDBPyConnection) -> dict:
    """Recompute the interval calibration from every published backtest outcome, as ``hubmine forecast``
    does (``combined.calibration_class`` groups, ``combined.CALIBRATION_GROUP`` outcomes a group): the
    cross-fitted calibrated interval of each outcome, ``marts.forecast_calibration``, and the published
    interval of every fit (``interval_method``). Returns the backtests' calibrated interval coverage."""
    # A base model's class is that of its relation-all series (t = 1..n_months, so its last t is n_months).
    classes = {b: combined.calibration_class(float(n), float(k)) for b, n, k in con.execute(
        "SELECT base_model_id, derivatives_now, n_months FROM marts.forecast_fits WHERE relation = 'all'").fetchall()}
    got = con.execute("""SELECT base_model_id, horizon, origin_value, forecast, actual
                         FROM marts.forecast_backtest_outcomes WHERE model = 'published'
                         ORDER BY base_model_id, horizon""").fetchall()
    outcomes = [{"base_model_id": b, "horizon": h, "size_class": classes.get(b, "small or young"),
                 "forecast_model": "combined", "origin_value": o, "forecast": f, "actual": a}
                for b, h, o, f, a in got]
    scored = cross_fitted(outcomes, min_group=combined.CALIBRATION_GROUP)
    low = [b[0] if b else None for b in scored]
    high = [b[1] if b else None for b in scored]
    inside = [None if b is None or o["actual"] is None else bool(b[0] <= o["actual"] <= b[1])
              for o, b in zip(outcomes, scored)]
    _update(con, "marts.forecast_backtest_outcomes", ("base_model_id", "horizon"),
            {"base_model_id": pa.array([o["base_model_id"] for o in outcomes], pa.string()),
             "horizon": pa.array([o["horizon"] for o in outcomes], pa.int32()),
             "low_calibrated": pa.array(low, pa.float64()), "high_calibrated": pa.array(high, pa.float64()),
             "in_interval_calibrated": pa.array(inside, pa.bool_())},
            where="t.model = 'published'")

    calibration = Calibration(outcomes, combined.CALIBRATION_GROUP)
    con.execute("DELETE FROM marts.forecast_calibration")
    rows = calibration.rows()
    if rows:
        con.register("new_rows", pa.Table.from_pylist(rows))
        con.execute("INSERT INTO marts.forecast_calibration BY NAME SELECT * FROM new_rows")
        con.unregister("new_rows")

    cols = ["base_model_id", "relation", "derivatives_now", "n_months"] + [f"forecast_h{h}" for h in HORIZONS]
    fits = con.execute(f"SELECT {', '.join(cols)} FROM marts.forecast_fits WHERE forecast_model IS NOT NULL "
                       "ORDER BY base_model_id, relation").fetchall()
    update: dict[str, list] = {"base_model_id": [], "relation": [], "interval_method": []}
    for h in HORIZONS:
        update[f"forecast_h{h}_low"], update[f"forecast_h{h}_high"] = [], []
    for r in fits:
        f = dict(zip(cols, r))
        # Every relation of a base model is calibrated in its own class (its count and months).
        size = combined.calibration_class(float(f["derivatives_now"]), float(f["n_months"]))
        bounds = [calibration.interval(h, size, "combined", float(f["derivatives_now"]), f[f"forecast_h{h}"])
                  if f[f"forecast_h{h}"] is not None else None for h in HORIZONS]
        update["base_model_id"].append(f["base_model_id"])
        update["relation"].append(f["relation"])
        update["interval_method"].append("calibrated" if any(b is not None for b in bounds) else "none")
        for h, b in zip(HORIZONS, bounds):
            update[f"forecast_h{h}_low"].append(_num(b[0]) if b else None)
            update[f"forecast_h{h}_high"].append(_num(b[1]) if b else None)
    _update(con, "marts.forecast_fits", ("base_model_id", "relation"),
            {k: pa.array(v, pa.string() if k in ("base_model_id", "relation", "interval_method") else pa.float64())
             for k, v in update.items()})
    known = [x for x in inside if x is not None]
    return {"interval_coverage_calibrated": round(float(np.mean(known)), 3) if known else None}


def _update(con: duckdb.DuckDBPyConnection, table: str, keys: tuple[str, ...], data: dict,
            where: str = "TRUE") -> None:
    """UPDATE ``table`` from the columns of ``data`` (arrow arrays), matched on ``keys``."""
    if not len(next(iter(data.values()))):
        return
    con.register("upd_rows", pa.table(data))
    sets = ", ".join(f'"{c}" = u."{c}"' for c in data if c not in keys)  # quoted: "lambda" is a keyword
    on = " AND ".join(f"t.{k} = u.{k}" for k in keys)
    con.execute(f"UPDATE {table} AS t SET {sets} FROM upd_rows AS u WHERE {on} AND {where}")
    con.unregister("upd_rows")
