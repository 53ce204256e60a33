"""Forecast benchmark: WSB fits of every base model with >= 10 derivatives of a generated hub, their
convergence against a single-start fit in the style of the anchor paper, the backtest table, and the
coverage of the published (calibrated) 80% intervals.

    .venv/bin/python bench/forecast.py [--models 2500000] [--seed 0] [--keep DIR] [--workers 2]
    .venv/bin/python bench/forecast.py --dev [FILE] [--subsets]   # real fine-tune series, issue 16's protocol
    .venv/bin/python bench/forecast.py --marts [HOME] [--base main]   # the forecast analysis, demo hub

``--dev`` runs the real-data protocol instead (``analysis.forecast.devsplit``) on Bhandari et al.'s
fine-tune series (dev split, ../shared/realdata/bhandari_finetunes_dev/series.csv by default): the
median APE of the published forecast beside the best baseline at 3, 6 and 12 months, in-sample and
out-of-fold, the calibrated intervals' coverage and the WSB convergence share, in one run (~40 s on
2 cores, most of it the paper's fit retrying with 10,000 evaluations). ``--subsets`` adds every
equal-weight combination of the components (63) in-sample: how far any mean of these models gets.

``--marts`` times the forecast analysis (``analysis.forecast.marts.build``, the marts' first fill, all
series fitted) on the warehouse of a demo hub (``hubmine demo --models 5000 --days 1``; HOME reuses
the home of one, else it is made in a temporary folder), with the code of ``--base`` (a git ref,
default main: its tree from ``git archive``) and with this tree's, each on its own copy of the
warehouse in its own process, in one run; then this tree's analysis again on the unchanged warehouse
(a quiet day: nothing may be refitted), and once more after its stored WSB prior is moved beyond the
tolerance (the fits that need a prior are redone, nothing else). Both trees' first fill runs twice:
as shipped (a pool of 2 spawned workers from their thresholds on) and in one process (the CPU cost
per series that scales to the Hub's ~15k base models, without the pool's start-up).

Target: every base model with >= 10 derivatives of a 2.5M-model hub fitted in <= 60 s on the 2-core
reference machine. The hub is generated once (``--keep DIR`` reuses it: generating 2.5M models takes
far longer than fitting them); lineage edges come from the project's own lineage code, series from
the forecaster's own SQL, both on an in-memory DuckDB instead of a crawl + load. The per-fit cost is
also measured in one process on the first 500 base models (CPU time, no pool start-up), the figure
that scales to the 2.5M hub's ~15k base models.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from scipy.optimize import OptimizeWarning, curve_fit
from scipy.stats import norm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generated import generated_hub, hub_options  # noqa: E402

from analysis.forecast import combined, marts  # noqa: E402
from analysis.forecast.backtest import format_table, summarise  # noqa: E402
from analysis.forecast.calibration import Calibration, cross_fitted  # noqa: E402
from analysis.forecast.series import check, derivative_series  # noqa: E402
from analysis.forecast.wsb import BLOWUP_RATIO  # noqa: E402
from analysis.lineage.marts import compute  # noqa: E402
from core.hub import PLACEHOLDER_CREATED_AT  # noqa: E402
from replayhub.snapshot import DB_NAME  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEV_SERIES = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "bhandari_finetunes_dev" / "series.csv"


def lineage_input(hub: Path) -> tuple[pa.Table, pa.Table, datetime]:
    """(lineage input table, models with created_at, snapshot time) straight from the snapshot file;
    only rows that may declare a parent get their tags and card parsed."""
    db = sqlite3.connect(f"file:{hub / DB_NAME}?mode=ro", uri=True)
    snapshot_time = db.execute("SELECT value FROM meta WHERE key = 'snapshot_time'").fetchone()[0]
    ids, created, tags, libs, cards, candidate = [], [], [], [], [], []
    for model_id, created_at, tag_json, lib, base, relation in db.execute("""
            SELECT id, created_at, json_extract(info, '$.tags'), json_extract(info, '$.library_name'),
                   json_extract(info, '$.cardData.base_model'), json_extract(info, '$.cardData.base_model_relation')
            FROM models"""):
        cand = base is not None or (tag_json is not None and "base_model:" in tag_json)
        ids.append(model_id)
        created.append(None if created_at is None or created_at in PLACEHOLDER_CREATED_AT else created_at)
        candidate.append(cand)
        libs.append(lib)
        if cand:
            tags.append(json.loads(tag_json) if tag_json else [])
            value = json.loads(base) if isinstance(base, str) and base[:1] in "[\"" else base
            cards.append(json.dumps({"base_model": value, "base_model_relation": relation}))
        else:
            tags.append(None)
            cards.append(None)
    db.close()
    models = pa.table({"model_id": ids, "tags": pa.array(tags, pa.list_(pa.string())), "library_name": libs,
                       "card_data": cards, "files": pa.nulls(len(ids), pa.list_(pa.string())),
                       "candidate": candidate})
    when = pa.array(created, pa.string()).cast(pa.timestamp("ms", tz="UTC"))
    return models, pa.table({"model_id": ids, "created_at": when}), datetime.fromisoformat(snapshot_time)


def _wsb(x, lam, mu, sigma, m):
    return m * np.expm1(lam * norm.cdf((np.log(x) - mu) / sigma))


def naive_fit(t: np.ndarray, y: np.ndarray) -> tuple[bool, np.ndarray | None]:
    """The anchor paper's procedure: one curve_fit of c(t) on raw counts from fixed starting values
    (λ = 1, μ = 1, σ = 1, m = 30, as in WSB). (truly converged, parameters): converged by the same
    standard as ours — it returned, moved off its start, has finite standard errors, positive λ and
    σ, and no λ blow-up."""
    p0 = (1.0, 1.0, 1.0, 30.0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OptimizeWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            params, cov = curve_fit(_wsb, t, y, p0=p0, maxfev=2000)
    except (RuntimeError, ValueError, OverflowError):
        return False, None
    lam, _, sigma, m = params
    if np.allclose(params, p0, rtol=1e-6) or not np.all(np.isfinite(np.diag(cov))) or sigma <= 0 or lam <= 0:
        return False, params
    c_inf = m * math.expm1(min(lam, 700))
    return bool(np.isfinite(c_inf) and 0 < c_inf <= BLOWUP_RATIO * y[-1]), params


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the fitting workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# One forecast analysis on a warehouse copy, run with a tree's own code (cwd and path: that tree):
# its marts emptied first (a first fill), then built, then (``again``) built twice more: unchanged, and
# with the stored prior moved by half a sd (only this tree has the prior table). Prints one JSON line.
MARTS_RUN = """
import json, resource, sys, time
from pathlib import Path
from analysis.forecast.marts import build
from warehouse.db import connect_writer

def cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

def run(con):
    started, cpu_started = time.perf_counter(), cpu()
    con.execute("BEGIN")
    summary = build(con)
    con.execute("COMMIT")
    return {"seconds": round(time.perf_counter() - started, 2), "cpu_seconds": round(cpu() - cpu_started, 2), **{k: v for k, v in summary.items() if k in (
        "series", "fitted", "kept", "converged", "prior_moved", "refitted_with_prior")}}

if __name__ == "__main__":
    if sys.argv[3] == "one":  # every fit in this process: the CPU cost per series, without the pool's start
        import analysis.forecast.marts as marts
        marts.PARALLEL_FROM = marts.PARALLEL_REFITS_FROM = 10**9
    con = connect_writer(Path(sys.argv[1]))
    tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
                                        " AND table_name LIKE 'forecast%'").fetchall()}
    for table in tables:
        con.execute(f"DELETE FROM marts.{table}")
    runs = {"first": run(con)}
    if sys.argv[2] == "again":
        runs["unchanged"] = run(con)
        con.execute("UPDATE marts.forecast_priors SET mu_mean = mu_mean + 0.5 * mu_sd")
        runs["prior moved"] = run(con)
    print(json.dumps(runs))
"""


def compare_marts(home: Path | None, base: str) -> None:
    """The forecast analysis on a demo hub's warehouse with ``base``'s code and this tree's (module docstring)."""
    work = Path(tempfile.mkdtemp(prefix="hubmine-bench-forecast-marts-"))
    try:
        if home is None:
            home = work / "home"
            started = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "hubmine"), "--home", str(home), "demo", "--models",
                            "5000", "--days", "1"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            print(f"demo hub (5,000 models, 1 day) crawled, loaded and analysed in {time.perf_counter() - started:.0f}s")
        tree = work / "base"
        tree.mkdir()
        archive = subprocess.run(["git", "archive", base], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        script = work / "marts_run.py"
        script.write_text(MARTS_RUN)
        runs = {}
        for label, code, again, mode in ((base, tree, False, "shipped"), ("this tree", ROOT, True, "shipped"),
                                         (f"{base}, one process", tree, False, "one"),
                                         ("this tree, one process", ROOT, False, "one")):
            copy = work / f"warehouse-{len(runs)}.duckdb"
            shutil.copy(home / "warehouse.duckdb", copy)
            load = os.getloadavg()[0]
            out = subprocess.run([sys.executable, str(script), str(copy), "again" if again else "once", mode], cwd=code,
                                 env={**os.environ, "PYTHONPATH": str(code)}, check=True, capture_output=True,
                                 text=True).stdout
            runs[label] = json.loads(out.strip().splitlines()[-1])
            print(f"{label}: {runs[label]} (load average {load:.1f} before, 2 cores)")
        for suffix in ("", ", one process"):
            now, before = runs[f"this tree{suffix}"]["first"], runs[f"{base}{suffix}"]["first"]
            print(f"FORECAST ANALYSIS{suffix}, first fill of the demo hub's {before['series']} series: {base} "
                  f"{before['seconds']:.1f}s wall / {before['cpu_seconds']:.1f} CPU-s, this tree {now['seconds']:.1f}s"
                  f" / {now['cpu_seconds']:.1f} CPU-s = {now['seconds'] / before['seconds']:.2f}x wall, "
                  f"{now['cpu_seconds'] / before['cpu_seconds']:.2f}x CPU")
        quiet = runs["this tree"]["unchanged"]
        print(f"this tree, an unchanged day: {quiet['seconds']:.2f}s, {quiet['fitted']} fitted, "
              f"{quiet['refitted_with_prior']} refitted with the prior")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    hub_options(parser, models=2_500_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="Processes for the fits (the machine has 2 cores).")
    parser.add_argument("--dev", nargs="?", type=Path, const=DEV_SERIES, default=None, metavar="FILE",
                        help="Run issue 16's protocol on real fine-tune series instead (default: the dev split).")
    parser.add_argument("--subsets", action="store_true",
                        help="With --dev: also score every equal-weight combination of the components.")
    parser.add_argument("--marts", nargs="?", type=Path, const=False, default=None, metavar="HOME",
                        help="Time the forecast analysis on a demo hub's warehouse (HOME: of an existing demo), "
                             "--base's code against this tree's.")
    parser.add_argument("--base", default="main", help="Git ref of the code --marts compares with (default main).")
    args = parser.parse_args()
    if args.marts is not None:
        compare_marts(args.marts or None, args.base)
        return
    if args.dev is not None:
        from analysis.forecast.devsplit import evaluate, format_result

        started = time.perf_counter()
        result = evaluate(args.dev, workers=args.workers, subsets=args.subsets)
        print(format_result(result))
        print(f"dev-split protocol in {time.perf_counter() - started:.0f}s with {args.workers} process(es)")
        return

    hub = generated_hub(args.keep or Path(tempfile.mkdtemp(prefix="hubmine-bench-forecast-")) / "hub",
                        models=args.models, seed=args.seed, progress=True)
    started = time.perf_counter()
    models, created, as_of = lineage_input(hub)
    lineage = compute(models)
    print(f"lineage: {models.num_rows:,} models, {lineage['marts.lineage_edges'].num_rows:,} edges "
          f"in {time.perf_counter() - started:.0f}s (not part of the target)")

    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.register("edges_in", lineage["marts.lineage_edges"])
    con.execute("CREATE TABLE marts.lineage_edges AS SELECT * FROM edges_in")
    con.register("created_in", created)
    con.execute("CREATE TABLE models AS SELECT model_id, created_at, created_at IS NOT NULL AS created_at_known "
                "FROM created_in")
    started = time.perf_counter()
    series = derivative_series(con, as_of=as_of, min_derivatives=10)
    base = [s for s in series if s.meta["relation"] == "all"]
    for s in series:
        s.meta["input_key"] = marts.input_key(s)
    print(f"series: {len(base):,} base models with >= 10 derivatives ({len(series):,} series with the "
          f"relations) in {time.perf_counter() - started:.1f}s")

    sample = base[:500]
    cpu_started = time.process_time()
    marts.analyse_all(sample, backtest=False, workers=1)
    per_fit = (time.process_time() - cpu_started) / max(len(sample), 1)
    print(f"per fit (one process, first {len(sample)} base models): {1000 * per_fit:.2f} CPU-ms for the WSB fit and "
          f"its forecast; x {len(base):,} = {per_fit * len(base):.1f} CPU-s")

    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), cpu_seconds()
    rows, _ = marts.analyse_all(base, backtest=False, workers=args.workers)
    fit_seconds, fit_cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    fitted = [r for r in rows if r.get("lambda") is not None]
    converged = sum(1 for r in rows if r["converged"])
    print(f"FIT: {len(base):,} base models with >= 10 derivatives fitted (WSB fit + the published forecast) in "
          f"{fit_seconds:.1f}s wall with {args.workers} process(es) = {fit_seconds / 60:.2f} x the 60 s target; "
          f"{len(base) / fit_seconds:.0f} base models/s; {fit_cpu:.1f} CPU-seconds "
          f"({1000 * fit_cpu / len(base):.1f} ms per base model, = {fit_cpu / args.workers:.0f}s on {args.workers} "
          f"free cores); load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")
    print(f"convergence (without the prior, which the marts add where a fit does not converge): {converged:,} of "
          f"{len(rows):,} ({converged / len(rows):.1%}) converged; "
          f"{len(fitted):,} fitted, {len(rows) - len(fitted):,} not fitted (input checks)")
    reasons: dict[str, int] = {}
    for r in rows:
        for part in (r["reason"] or "").split("; "):
            if part:
                key = part if not part.startswith("not fitted") else part.split(" (")[0]
                reasons[key] = reasons.get(key, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {n:6,}  {reason}")

    # The anchor paper's procedure on the same series: base models with >= 100 derivatives.
    big = [s for s in base if s.y[-1] >= 100]
    ours = {r["base_model_id"]: r["converged"] for r in rows}
    naive_ok = 0
    naive_errors: dict[int, list[float]] = {h: [] for h in (3, 6, 12)}
    started = time.perf_counter()
    for s in big:
        t, y, reason = check(s.t, s.y)
        if reason is not None:
            continue
        naive_ok += naive_fit(t, y)[0]
        for h in (3, 6, 12):
            k = len(t) - h
            if k >= 5 and check(t[:k], y[:k])[2] is None:
                params = naive_fit(t[:k], y[:k])[1]
                value = float(_wsb(t[-1], *params)) if params is not None else math.nan
                naive_errors[h].append(abs(value - y[-1]) / y[-1] * 100 if math.isfinite(value) else math.inf)
    ours_ok = sum(ours[s.meta["base_model_id"]] for s in big)
    if big:
        print(f"base models with >= 100 derivatives: {len(big):,}; truly converged: single curve_fit from fixed "
              f"starts {naive_ok / len(big):.1%} vs hubmine {ours_ok / len(big):.1%} "
              f"({time.perf_counter() - started:.0f}s)")

    started = time.perf_counter()
    _, outcomes = marts.analyse_all(base, backtest=True, workers=args.workers)
    backtest_seconds = time.perf_counter() - started
    print(f"backtest: {len(base):,} base models x horizons 3/6/12 x 6 models and the published forecast (incl. the full fits again) in "
          f"{backtest_seconds:.0f}s")
    # The published intervals: calibrated on the backtest errors of the published forecast per horizon and
    # calibration group, each outcome scored cross-fitted (quantiles from the other folds of base
    # models), as the marts do (marts.calibrate).
    started = time.perf_counter()
    months = {s.meta["base_model_id"]: len(s.t) for s in base}
    published = [{**o, "forecast_model": "combined", "size": o["size_class"],
                  "size_class": combined.calibration_class(o["actual"], months[o["base_model_id"]])}
                 for o in outcomes if o["model"] == "published" and o["forecast"] is not None]
    for o, bounds in zip(published, cross_fitted(published, min_group=combined.CALIBRATION_GROUP)):
        o["in_interval_calibrated"] = None if bounds is None else bool(bounds[0] <= o["actual"] <= bounds[1])
    groups = len(Calibration(published, combined.CALIBRATION_GROUP).groups)
    print(f"calibration: {len(published):,} published outcomes, {groups} groups, cross-fitted in "
          f"{time.perf_counter() - started:.1f}s")
    print(format_table(summarise(outcomes)))
    print("published 80% intervals (calibrated, cross-fitted), share of actual values inside, by size class:")
    for h in (3, 6, 12):
        cells = []
        for size in ("all", "10-99", "100-999", "1000+"):
            inside = [o["in_interval_calibrated"] for o in published if o["horizon"] == h
                      and (size == "all" or o["size"] == size) and o["in_interval_calibrated"] is not None]
            if inside:
                cells.append(f"{size} {np.mean(inside):.2f} ({len(inside)})")
        print(f"  h = {h:>2}: " + "; ".join(cells))
    if big:
        size = {s.meta["base_model_id"] for s in big}
        print("base models with >= 100 derivatives, median APE % (MAPE %) at h = 3 / 6 / 12:")
        for label, model in (("single curve_fit (anchor)", None), ("hubmine paper (LM)", "paper"), ("hubmine published", "published"),
                             ("linear", "linear")):
            parts = []
            for h in (3, 6, 12):
                if model is None:
                    errs = np.array(naive_errors[h])
                else:
                    errs = np.array([o["ape"] if o["ape"] is not None else math.inf
                                     for o in outcomes
                                     if o["model"] == model and o["horizon"] == h and o["base_model_id"] in size])
                finite = errs[np.isfinite(errs)]
                parts.append(f"{np.median(errs):7.1f} ({finite.mean() if len(finite) else math.nan:9.1f}, "
                             f"{len(errs) - len(finite)} inf)")
            print(f"  {label:<26} " + " / ".join(parts))


if __name__ == "__main__":
    main()
