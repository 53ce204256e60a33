"""The offline demo: generated hub -> replay hub on a free port -> crawl models and cards -> load.

Each simulated day is its own snapshot, crawled "as of" that day, so the warehouse shows real
history (validity intervals, counter changes). Re-running resumes: finished days are not redone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from analysis.run import run_analyses
from hubmine.config import Paths
from miners import cards as cards_miner
from miners import models as models_miner
from miners.landing import LandingRun
from miners.replay.generate import generate
from miners.replay.server import ReplayHub
from miners.replay.snapshot import DB_NAME, SnapshotReader
from warehouse.db import connect_reader
from warehouse.load import load_pending


def run_demo(paths: Paths, *, models: int, days: int, seed: int, echo: Callable[[str], None] = print) -> dict:
    hubs = paths.home / "demo-hub" / f"n{models}-s{seed}"
    for day in range(days):
        snapshot = hubs / f"day-{day}"
        if not (snapshot / DB_NAME).is_file():
            echo(f"[day {day}] generating a {models}-model hub in {snapshot}")
            generate(snapshot, models=models, seed=seed, day=day)
        reader = SnapshotReader(snapshot)
        as_of = datetime.fromisoformat(reader.meta["snapshot_time"].replace("Z", "+00:00"))
        reader.close()
        run_id = f"demo-n{models}-s{seed}-d{day:02d}"
        if LandingRun(paths.landing, cards_miner.SOURCE, run_id).complete:
            echo(f"[day {day}] already crawled ({run_id})")
        else:
            with ReplayHub(snapshot) as hub:
                echo(f"[day {day}] replay hub at {hub.url}; crawling")
                if not LandingRun(paths.landing, models_miner.SOURCE, run_id).complete:
                    listed = models_miner.crawl_models(paths=paths, endpoint=hub.url, run_id=run_id, fetched_at=as_of)
                    echo(f"[day {day}] listed {listed.models} models with {listed.requests} API requests")
                fetched = cards_miner.crawl_cards(paths=paths, endpoint=hub.url, run_id=run_id, fetched_at=as_of)
                echo(f"[day {day}] fetched {fetched.attempted} changed cards with {fetched.requests} resolver requests")
        for loaded in load_pending(paths):
            if not loaded.skipped:
                echo(f"[day {day}] loaded {loaded.source} run {loaded.run_id}: {loaded.summary}")
    for name, result in run_analyses(paths).items():
        echo(f"analysis {name}: {result}")
    con = connect_reader(paths.warehouse)
    try:
        summary = {
            "models": con.sql("SELECT count(*) FROM models").fetchall()[0][0],
            "state_rows": con.sql("SELECT count(*) FROM model_history").fetchall()[0][0],
            "counter_rows": con.sql("SELECT count(*) FROM model_daily_counters").fetchall()[0][0],
            "cards": con.sql("SELECT count(*) FROM cards WHERE status = 'ok'").fetchall()[0][0],
            "runs": con.sql("SELECT count(*) FROM load_runs").fetchall()[0][0],
        }
    finally:
        con.close()
    echo("")
    echo(f"warehouse: {paths.warehouse}")
    echo(f"  {summary['models']} models, {summary['state_rows']} state intervals, "
         f"{summary['counter_rows']} daily counter rows, {summary['cards']} cards, {summary['runs']} loaded runs")
    echo(f"landing zone: {paths.landing}")
    echo("try: hubmine sql --schema")
    echo("     hubmine sql \"SELECT * FROM carbon_reporting_by_month ORDER BY month DESC LIMIT 12\"")
    echo("     hubmine sql \"SELECT author, count(*) AS n, sum(downloads) AS downloads FROM models "
         "GROUP BY author ORDER BY downloads DESC LIMIT 10\"")
    return summary
