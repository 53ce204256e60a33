"""A warehouse for the report tests, made by the real pipeline, with hostile names mixed in.

A small generated hub goes through the replay hub and the unmodified huggingface_hub client (models,
cards, history), the loader and the analyses, so every page has real rows. Then a second models run
and a cards run are landed by hand with repo ids and card fields an attacker could choose (the Hub
client refuses to fetch ids like ``<script>…`` at all, so the crawl cannot bring them in; card
metadata is free text on the real Hub) and go through the same loader and analyses.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
from helpers import model

from analysis.run import run_analyses
from core.config import Paths
from miners import cards as cards_miner
from miners import models as models_miner
from miners.cards import crawl_cards
from miners.history import crawl_history
from miners.landing import LandingRun, rows_table
from miners.models import crawl_models
from replayhub.server import ReplayHub
from replayhub.snapshot import SnapshotReader
from replayhub.synth import generate
from warehouse.db import connect_writer
from warehouse.load import load_pending

MODELS = 300
HISTORY_TOP_N = 40

# Each payload would run script if it reached the page unescaped (alert numbers tell which one).
SCRIPT_ROOT = "evil/<script>alert(1)</script>"
JS_ID = "javascript:alert(2)"
IMG_AUTHOR = "<img src=x onerror=alert(3)>"
SVG_BREAK = 'evil/"><svg onload=alert(4)>'
MATH = "evil/$\\frac{1}{$ & --> ]]> $x^{$"
HOSTILE_IDS = [SCRIPT_ROOT, JS_ID, f"{IMG_AUTHOR}/tool", SVG_BREAK, MATH]
CO2 = {"emissions": 1234.5, "source": "<script>alert(7)</script>", "training_type": "<img src=x onerror=alert(8)>",
       "geographical_location": "$\\frac{a}{$", "hardware_used": "javascript:alert(9)"}
CHILDREN = 12  # derivatives of SCRIPT_ROOT: enough to rank among the largest families


def _hostile_rows() -> list[dict]:
    rows = []
    for i, repo_id in enumerate(HOSTILE_IDS):
        card = {"license": "mit", "co2_eq_emissions": CO2, "pipeline_tag": "<script>alert(10)</script>"}
        if repo_id != SCRIPT_ROOT:
            card["base_model"] = SCRIPT_ROOT
        rows.append(model(repo_id, sha=f"{i + 1:040x}", downloads=10**9 - i, likes=1000, card_data=card,
                          tags=("<b>tag</b>",)))
    for i in range(CHILDREN):
        rows.append(model(f"evil/child-{i}", sha=f"{100 + i:040x}", downloads=5, card_data={
            "base_model": SCRIPT_ROOT, "base_model_relation": ["finetune", "adapter", "quantized"][i % 3]}))
    return rows


def _card_text(repo_id: str) -> str:
    return (f"---\nlicense: mit\nbase_model: {json.dumps(SCRIPT_ROOT)}\n---\n"
            f"# {repo_id}\n\n## Model Details\n\n<script>alert(11)</script> by {IMG_AUTHOR}\n\n"
            "## Uses\n\n[javascript link](javascript:alert(12))\n\n## Environmental Impact\n\n$\\frac{1}{$\n")


def _land_hostile(paths: Paths, run_id: str, fetched_at: datetime, endpoint: str) -> None:
    """A models run = the crawled listing + the hostile models; a cards run with their cards."""
    listed = pq.read_table(LandingRun(paths.landing, models_miner.SOURCE, run_id).dir).to_pylist()
    hostile = _hostile_rows()
    rows = [*listed, *hostile]
    for pos, row in enumerate(rows):
        row["listed_pos"] = pos
    cards = [{"id": r["id"], "sha": r["sha"], "status": "ok", "error": None, "size": len(_card_text(r["id"])),
              "truncated": False, "utf8_valid": True, "text": _card_text(r["id"])} for r in hostile]
    later = fetched_at + timedelta(hours=1)
    for source, schema, part in ((models_miner.SOURCE, models_miner.SCHEMA, rows),
                                 (cards_miner.SOURCE, cards_miner.SCHEMA, cards)):
        run = LandingRun(paths.landing, source, f"{run_id}-hostile")
        run.start()
        run.write_part(rows_table(part, schema, run.run_id, later))
        run.finish({"fetched_at": later.isoformat(), "endpoint": endpoint})


def build_home(root: Path) -> Paths:
    """Generate, serve, crawl, load and analyse a small hub, hostile names included; returns its Paths."""
    snapshot = root / "hub"
    generate(snapshot, models=MODELS, seed=5, day=0, progress=False)
    reader = SnapshotReader(snapshot)
    as_of = datetime.fromisoformat(reader.meta["snapshot_time"].replace("Z", "+00:00"))
    reader.close()
    paths = Paths(root / "home")
    with ReplayHub(snapshot) as hub:
        crawl_models(paths=paths, endpoint=hub.url, run_id="d0", fetched_at=as_of, progress=False)
        crawl_cards(paths=paths, endpoint=hub.url, run_id="d0", fetched_at=as_of, workers=4, progress=False)
        crawl_history(paths=paths, endpoint=hub.url, run_id="d0", fetched_at=as_of, top_n=HISTORY_TOP_N,
                      progress=False)
        endpoint = hub.url
    load_pending(paths)
    _land_hostile(paths, "d0", as_of, endpoint)
    load_pending(paths)
    run_analyses(paths)
    return paths


def copy_home(paths: Paths, root: Path) -> Paths:
    """A private copy of the warehouse (and landing manifests) for a test that changes it."""
    shutil.copytree(paths.home, root, ignore=shutil.ignore_patterns("reports", ".reports.*"))
    return Paths(root)


def add_forecast_views(paths: Paths) -> None:
    """Hand-made forecast views of the issue-6 contract, for the base models with the most derivatives.

    Where the forecaster has made them and they hold rows, its own views are kept (the real thing is
    the better test); absent or empty ones are replaced, so the forecast page always has data here.
    """
    names = ("forecasts", "forecast_ranking", "forecast_backtest")
    con = connect_writer(paths.warehouse)
    try:
        kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                 "WHERE table_schema = 'main'").fetchall())
        if all(n in kinds for n in names) and all(con.execute(f"SELECT count(*) FROM {n}").fetchall()[0][0]
                                                  for n in names):
            return
        for name in names:
            if name in kinds:
                con.execute(f"DROP {'VIEW' if kinds[name] == 'VIEW' else 'TABLE'} main.{name} CASCADE")
        con.execute("""
            CREATE TABLE main.test_forecasts AS
            SELECT base_model_id, 'all' AS relation, count(*)::INTEGER AS n_months, max(cumulative) AS derivatives_now,
                   1.5 AS "lambda", 2.0 AS mu, 0.8 AS sigma, 3.0 AS m, 'fit' AS m_mode,
                   max(cumulative) >= 3 AS converged,
                   CASE WHEN max(cumulative) < 3 THEN 'too few derivatives' END AS reason,
                   0.93 AS r2_log, 0.12 AS rmse_log, max(cumulative) * 2.0 AS c_inf,
                   max(cumulative) * 1.1 AS forecast_h3, max(cumulative) * 1.2 AS forecast_h6,
                   max(cumulative) * 1.4 AS forecast_h12, max(cumulative) * 1.25 AS forecast_h12_low,
                   max(cumulative) * 1.6 AS forecast_h12_high
            FROM derivatives_by_month WHERE relation = 'all' GROUP BY base_model_id""")
        con.execute("CREATE VIEW forecasts AS SELECT * FROM main.test_forecasts")
        con.execute("""
            CREATE VIEW forecast_ranking AS
            SELECT row_number() OVER (ORDER BY forecast_h12 DESC, base_model_id) AS rank, base_model_id,
                   derivatives_now, c_inf, forecast_h12, forecast_h12_low, forecast_h12_high, converged
            FROM main.test_forecasts WHERE converged""")
        con.execute("""
            CREATE VIEW forecast_backtest AS
            SELECT * FROM (VALUES (3, 'small', 'wsb', 10, 0.31, 0.27), (3, 'small', 'naive', 10, 0.35, 0.30),
                                  (6, 'small', 'wsb', 8, 0.42, 0.36), (6, 'small', 'naive', 8, 0.51, 0.44),
                                  (12, 'large', 'wsb', 4, 0.55, 0.47), (12, 'large', 'naive', 4, 0.71, 0.58))
                AS t(horizon, size_class, model, series, mape, smape)""")
    finally:
        con.close()


def forecast_site(paths: Paths, root: Path, hub_url: str) -> tuple[Paths, Path]:
    """A copy of ``paths`` with forecast views added, and its report site built in ``root``."""
    from report.build import build_site

    copy = copy_home(paths, root / "home")
    add_forecast_views(copy)
    return copy, build_site(copy, root / "report", hub_url=hub_url)
