"""Adoption series: what the forecaster fits, where it comes from, and when it cannot be fitted.

A series is cumulative counts ``y`` at times ``t`` (months since release, > 0, ascending). Three
sources:

* the warehouse: each base model's direct derivatives (lineage edges, cycle-broken edges left out)
  counted by their createdAt, by month since the base model's release, per relation and all together;
  children with no createdAt or one of the Hub's placeholders (:data:`core.hub.PLACEHOLDER_CREATED_AT`,
  read by the ``models`` view's ``created_at_known``) are left out, like in ``derivatives_by_month``.
  That view bins by calendar month and knows no release date, so the series are binned here from the
  child timestamps instead: month k holds the children created in [release + (k−1)·M, release + k·M),
  M = 365.25/12 days, so t is a whole number and the planted curves of the generator line up exactly.
  Such a series also carries the children's creation times (``events``), which the fit uses; the
  monthly counts are what is stored, reported, forecast and backtested;
* a CSV ``series_id,t,value`` (``hubmine forecast``);
* real monthly download counts (30-day windows sampled monthly, summed into a cumulative).

:func:`check` turns bad input into a reason ("not fitted: …") instead of an exception, so one broken
series never stops a batch.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np

from core.errors import HubmineError

MONTH_DAYS = 365.25 / 12
MIN_POINTS = 5  # below this a 3-shape-parameter curve (m profiled) has no degrees of freedom left
MIN_GROWTH_STEPS = 3  # steps in which the count grows; fewer cannot tell a shape
JUMP_SHARE = 0.8  # one step adding this share of the final count is a jump, not adoption
MIN_DERIVATIVES = 10  # base models (and relations) with fewer derivatives are not fitted
RELATIONS = ("all", "adapter", "finetune", "merge", "quantized")


@dataclass
class Series:
    series_id: str
    t: np.ndarray
    y: np.ndarray
    problem: str | None = None  # set when the input could not even be read as numbers
    meta: dict = field(default_factory=dict)
    # creation times (months since release, sorted) of what y counts, when known: the fit's input
    events: np.ndarray | None = None


def check(t, y) -> tuple[np.ndarray, np.ndarray, str | None]:
    """(t, y) sorted by t, and None when the series can be fitted, else a "not fitted: …" reason.

    Points at t <= 0 with value 0 are dropped (nothing exists before release); any other point at
    t <= 0 is an error, as are repeated t, negative or non-finite values, decreasing counts, fewer
    than :data:`MIN_POINTS` points or :data:`MIN_GROWTH_STEPS` growing steps, and a single step that
    adds :data:`JUMP_SHARE` of the final count.
    """
    t = np.asarray(t, float)
    y = np.asarray(y, float)
    if t.shape != y.shape or t.ndim != 1:
        return t, y, "not fitted: t and value differ in length"
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        return t, y, "not fitted: non-finite t or value"
    keep = ~((t <= 0) & (y == 0))
    t, y = t[keep], y[keep]
    if np.any(t <= 0):
        return t, y, f"not fitted: t must be > 0 months since release (got t={_fmt(t[t <= 0][0])})"
    order = np.argsort(t, kind="stable")
    t, y = t[order], y[order]
    if len(t) > 1 and np.any(np.diff(t) == 0):
        return t, y, f"not fitted: t={_fmt(t[1:][np.diff(t) == 0][0])} appears more than once"
    if np.any(y < 0):
        return t, y, f"not fitted: negative value at t={_fmt(t[y < 0][0])}"
    if len(t) < MIN_POINTS:
        return t, y, f"not fitted: too short ({len(t)} point{'s' if len(t) != 1 else ''}, {MIN_POINTS} needed)"
    if not np.any(y > 0):
        return t, y, "not fitted: all values are zero"
    steps = np.diff(y, prepend=0.0)
    if np.any(steps < 0):
        k = int(np.argmax(steps < 0))
        return t, y, (f"not fitted: not cumulative (value falls from {_fmt(y[k - 1])} to {_fmt(y[k])} "
                      f"at t={_fmt(t[k])})")
    if np.count_nonzero(steps > 0) < MIN_GROWTH_STEPS:
        return t, y, f"not fitted: grows in fewer than {MIN_GROWTH_STEPS} steps"
    later = steps[1:]
    if later.size and later.max() >= JUMP_SHARE * y[-1]:
        k = int(np.argmax(later)) + 1
        return t, y, (f"not fitted: huge jump ({_fmt(y[k - 1])} to {_fmt(y[k])} at t={_fmt(t[k])} "
                      f"is {100 * later.max() / y[-1]:.0f}% of the final count)")
    return t, y, None


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:.6g}"


def size_class(derivatives: float) -> str:
    """Base-model size class by current count: 1-9, 10-99, 100-999, 1000+ (decades)."""
    if not math.isfinite(derivatives) or derivatives < 10:
        return "1-9"
    if derivatives < 100:
        return "10-99"
    if derivatives < 1000:
        return "100-999"
    return "1000+"


# -- CSV ------------------------------------------------------------------------------------------
class SeriesFileError(HubmineError):
    """The file cannot be read as series at all (missing columns, not a CSV)."""


def read_csv(path: str | Path) -> list[Series]:
    """Series of a ``series_id,t,value`` CSV, in order of first appearance. A row whose t or value is
    not a number marks its series with a problem (the other series are unaffected)."""
    by_id: dict[str, Series] = {}
    rows: dict[str, tuple[list[float], list[float]]] = {}
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as fh:
            reader = csv.DictReader(fh)
            missing = {"series_id", "t", "value"} - set(reader.fieldnames or [])
            if missing:
                raise SeriesFileError(f"{path}: missing column(s) {', '.join(sorted(missing))} "
                                      f"(expected series_id,t,value)")
            for line, row in enumerate(reader, start=2):
                sid = (row["series_id"] or "").strip()
                series = by_id.setdefault(sid, Series(sid, np.empty(0), np.empty(0)))
                ts, ys = rows.setdefault(sid, ([], []))
                try:
                    ts.append(float(row["t"]))
                    ys.append(float(row["value"]))
                except (TypeError, ValueError):
                    if series.problem is None:
                        series.problem = (f"not fitted: line {line} has a non-numeric t or value "
                                          f"({row['t']!r}, {row['value']!r})")
    except (OSError, csv.Error, UnicodeError) as exc:
        raise SeriesFileError(f"cannot read {path}: {exc}") from None
    for sid, series in by_id.items():
        ts, ys = rows[sid]
        series.t, series.y = np.array(ts[:len(ys)], float), np.array(ys[:len(ts)], float)
    return list(by_id.values())


# -- warehouse ------------------------------------------------------------------------------------
def warehouse_as_of(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The moment the warehouse's model listing stands for (the newest loaded models run)."""
    return con.execute("SELECT max(fetched_at) FROM raw.load_runs WHERE source = 'models'").fetchall()[0][0]


DERIVATIVES = """
    WITH kids AS (
        SELECT e.parent_id AS base_model_id, e.relation, m.created_at AS created
        FROM marts.lineage_edges e JOIN models m ON m.model_id = e.child_id
        WHERE NOT e.cycle_broken AND m.created_at_known AND m.created_at < $as_of
    ), sized AS (
        SELECT base_model_id, min(created) AS first_child FROM kids GROUP BY 1 HAVING count(*) >= $min
    ), origin AS (
        SELECT s.base_model_id,
               CASE WHEN b.created_at_known AND b.created_at <= s.first_child THEN b.created_at
                    ELSE s.first_child END AS release_at,
               CASE WHEN b.created_at_known AND b.created_at <= s.first_child THEN 'base_created'
                    ELSE 'first_derivative' END AS release_source
        FROM sized s LEFT JOIN models b ON b.model_id = s.base_model_id
    )
    SELECT k.base_model_id, k.relation, o.release_at, o.release_source,
           epoch_us(k.created) - epoch_us(o.release_at) AS age_us,
           floor((epoch(CAST($as_of AS TIMESTAMPTZ)) - epoch(o.release_at)) / $month)::BIGINT AS complete_months
    FROM kids k JOIN origin o USING (base_model_id)
    ORDER BY k.base_model_id, age_us, k.relation"""


def derivative_series(con: duckdb.DuckDBPyConnection, *, as_of: datetime,
                      min_derivatives: int = MIN_DERIVATIVES) -> list[Series]:
    """One series per base model with at least ``min_derivatives`` derivatives (relation ``all``) and
    per relation of it that has as many: cumulative derivatives at the end of each complete month
    since release (t = 1, 2, … K). Children of the month still running at ``as_of`` wait for it to
    end (and do not count towards ``min_derivatives``). Each series also carries ``events``: its
    children's creation times in months since release (to the microsecond, sorted, within the K
    complete months), which the fit uses (``fit_wsb(events=…)``); the monthly counts are what is
    stored, reported and backtested."""
    rows = con.execute(DERIVATIVES, {"as_of": as_of, "min": min_derivatives, "month": MONTH_DAYS * 86_400}).fetchnumpy()
    out: list[Series] = []
    if len(rows["age_us"]) == 0:
        return out
    base, rel = rows["base_model_id"], rows["relation"]
    ages = rows["age_us"].astype(np.float64) / (MONTH_DAYS * 86_400e6)
    full = rows["complete_months"].astype(np.int64)
    starts = np.flatnonzero(np.r_[True, base[1:] != base[:-1]])
    ends = np.r_[starts[1:], len(ages)]
    for s, e in zip(starts, ends):
        k_max = int(full[s])
        if k_max < 1:
            continue
        inside = ages[s:e] < k_max
        kid_ages, kid_rel = ages[s:e][inside], rel[s:e][inside]
        meta = {"base_model_id": str(base[s]), "release_at": _utc(rows["release_at"][s]),
                "release_source": str(rows["release_source"][s])}
        for relation in RELATIONS:
            chosen = kid_ages if relation == "all" else kid_ages[kid_rel == relation]
            if len(chosen) < min_derivatives:
                continue
            # month k holds the children created in [k − 1, k) months after release
            counts = np.bincount(np.floor(chosen).astype(np.int64), minlength=k_max)[:k_max].astype(float)
            out.append(Series(f"{base[s]}\t{relation}", np.arange(1, k_max + 1, dtype=float), np.cumsum(counts),
                              meta={**meta, "relation": relation, "derivatives_total": len(chosen)},
                              events=chosen))
    return out


def _utc(value) -> datetime:
    """A numpy datetime64 (DuckDB returns TIMESTAMPTZ as UTC) as an aware datetime."""
    return value.astype("datetime64[us]").astype(datetime).replace(tzinfo=UTC)


# -- real monthly downloads --------------------------------------------------------------------------
def monthly_download_series(path: str | Path) -> list[Series]:
    """Series from a long CSV of 30-day download counts sampled monthly (columns ``model_name`` or
    ``model_url``, ``date``, ``downloads``; the kb-labb/huggingface_stats format): per model, the running
    sum of its samples (≈ downloads since its first sample) at t = months since its first sample, a
    month being one step of the file's sampling calendar (the dates wander between the 17th and the
    29th). The models' release dates are not in the data, so t starts at the first sample; a month the
    file skips for a model is a missing point, not a zero."""
    samples: dict[str, dict[str, float]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row.get("model_name") or row.get("model_url") or ""
            try:
                value = float(row.get("downloads") or 0)
            except ValueError:
                value = math.nan  # check() turns it into a "not fitted" reason
            samples.setdefault(name, {})[row["date"]] = value
    calendar = {d: i for i, d in enumerate(sorted({d for by_date in samples.values() for d in by_date}))}
    out = []
    for name, by_date in samples.items():
        dates = sorted(by_date, key=calendar.__getitem__)
        steps = np.array([calendar[d] for d in dates], float)
        out.append(Series(name, steps - steps[0] + 1, np.cumsum([by_date[d] for d in dates])))
    return out
