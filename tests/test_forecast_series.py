"""Adoption series from the warehouse, on hand-made landing runs: derivatives by month since release
(per relation, placeholder dates left out, release from the base or the first child) and monthly
download series from the daily counters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import DAY0, build_marts, land, model, query

from analysis.forecast.marts import build as build_forecast
from analysis.forecast.series import MONTH_DAYS, derivative_series, warehouse_as_of
from analysis.lineage.marts import build as build_lineage
from core.config import Paths
from core.hub import PLACEHOLDER_CREATED_AT
from warehouse.db import connect_writer
from warehouse.load import load_pending

BASE_CREATED = DAY0 - timedelta(days=400)
MONTH = timedelta(days=MONTH_DAYS)


def child(repo_id: str, parent: str, created, *, tags=("x",)):
    row = model(repo_id, card_data={"base_model": parent}, tags=tags)
    row["created_at"] = created
    return row


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    paths = Paths(tmp_path_factory.mktemp("series") / "home")
    base = model("org/base")
    base["created_at"] = BASE_CREATED
    rows = [base]
    # 12 children of org/base: 3 in month 1, 4 in month 2, 0 in month 3, 5 in month 5 (two of them
    # quantized by their gguf tag), plus one with the placeholder date and one in the running month.
    when = [0.1, 0.5, 0.9, 1.2, 1.3, 1.6, 1.99, 4.1, 4.2, 4.3, 4.4, 4.5]
    for i, m in enumerate(when):
        rows.append(child(f"u{i}/tune-{i}", "org/base", BASE_CREATED + m * MONTH,
                          tags=("gguf",) if i >= 10 else ("x",)))
    rows.append(child("old/tune", "org/base", datetime.fromisoformat(PLACEHOLDER_CREATED_AT[0])))
    complete = int((DAY0 - BASE_CREATED) / MONTH)
    rows.append(child("late/tune", "org/base", BASE_CREATED + (complete + 0.5) * MONTH))
    # 10 children of a parent that is not in the snapshot: month 1 starts at the first child
    first = DAY0 - timedelta(days=200)
    rows += [child(f"v{i}/x-{i}", "gone/base", first + i * timedelta(days=15)) for i in range(10)]
    # 9 children: below the threshold
    rows += [child(f"w{i}/y-{i}", "org/small", first + i * timedelta(days=3)) for i in range(9)]
    land(paths, "r0", DAY0, rows)
    load_pending(paths)
    build_marts(paths, build_lineage)
    return paths


def series_of(paths):
    con = connect_writer(paths.warehouse)
    try:
        return {(s.meta["base_model_id"], s.meta["relation"]): s
                for s in derivative_series(con, as_of=warehouse_as_of(con), min_derivatives=10)}
    finally:
        con.close()


def test_derivatives_by_month_since_release(paths):
    got = series_of(paths)
    assert set(got) == {("org/base", "all"), ("org/base", "finetune"), ("gone/base", "all"),
                        ("gone/base", "finetune")}
    s = got[("org/base", "all")]
    complete = int((DAY0 - BASE_CREATED) / MONTH)
    assert list(s.t) == list(range(1, complete + 1))
    expected = [3, 7, 7, 7, 12] + [12] * (complete - 5)  # placeholder and running-month children left out
    assert list(s.y) == expected
    assert s.meta["release_source"] == "base_created" and s.meta["release_at"] == BASE_CREATED
    assert list(got[("org/base", "finetune")].y[:5]) == [3, 7, 7, 7, 10]
    gone = got[("gone/base", "all")]
    assert gone.meta["release_source"] == "first_derivative"
    # children every 15 days from the release: 2 per month, and month 1 holds the first one at t = 0
    assert list(gone.y[:4]) == [3, 5, 7, 9]


def test_forecast_marts_on_the_series(paths):  # runs after the test above: it adds mart rows
    summary = build_marts(paths, build_forecast)
    assert summary["series"] == 4
    rows = query(paths, "SELECT base_model_id, relation, derivatives_now, reason FROM forecasts ORDER BY 1, 2")
    assert [(b, r, n) for b, r, n, _ in rows] == [("gone/base", "all", 10), ("gone/base", "finetune", 10),
                                                  ("org/base", "all", 12), ("org/base", "finetune", 10)]
    # org/base grows in months 1, 2 and 5; month 5 adds 5 of 12 (42%): below the 80% of a "huge jump"
    assert all(reason is None or not reason.startswith("not fitted") for *_, reason in rows)
    assert query(paths, "SELECT count(*) FROM forecast_series WHERE base_model_id = 'org/base' AND relation = 'all'"
                 ) == [(int((DAY0 - BASE_CREATED) / MONTH),)]


def test_download_series_samples_the_counters_monthly(tmp_path):
    paths = Paths(tmp_path / "home")
    for run, day, downloads in [("r0", 0, 100), ("r1", 10, 100), ("r2", 31, 250), ("r3", 62, 400), ("r4", 95, 400)]:
        land(paths, run, DAY0 + timedelta(days=day), [model("a/x", downloads=downloads), model("b/y", downloads=5)])
    load_pending(paths)
    rows = query(paths, "SELECT t, day, downloads_30d, cumulative_downloads, round(months_since_created, 2) "
                        "FROM download_series WHERE model_id = 'a/x' ORDER BY t")
    day0 = DAY0.date()
    # samples every 365.25/12 days from the first counter day, each the latest value on or before it
    assert rows == [(1, day0, 100, 100, round(30 / MONTH_DAYS, 2)),
                    (2, day0 + timedelta(days=30), 100, 200, round(60 / MONTH_DAYS, 2)),
                    (3, day0 + timedelta(days=61), 250, 450, round(91 / MONTH_DAYS, 2)),
                    (4, day0 + timedelta(days=91), 400, 850, round(121 / MONTH_DAYS, 2))]
