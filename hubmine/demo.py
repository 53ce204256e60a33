"""The offline demo: generated hub -> replay hub on a free port -> crawl models, cards and history -> load -> analyses
-> report site.

The demo hub publishes the card dump of its day 0 (as the real Hub publishes
librarian-bots/model_cards_with_metadata): day 0 starts the cards from it (``bootstrap_cards``) and
fetches only the cards the dump lacks; later days fetch only what changed.

Each simulated day is its own snapshot, crawled "as of" that day, so the warehouse shows real
history (validity intervals, counter changes). Re-running resumes: finished days are not redone.

It says one line per step, in words (no progress bars: each step takes seconds), so that a fresh
clone's ``make demo`` reads as a short story of what was done.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from analysis.run import run_analyses
from core.config import Paths
from hubmine.terminal import counted
from miners import bootstrap as bootstrap_miner
from miners import cards as cards_miner
from miners import history as history_miner
from miners import models as models_miner
from miners.landing import LandingRun
from replayhub.datasets import read_repo
from replayhub.server import ReplayHub
from replayhub.snapshot import DB_NAME, SnapshotReader
from replayhub.synth import generate
from replayhub.synth.card_dump import DEFAULT_REPO, publish_card_dump
from report.build import build_site
from warehouse.db import connect_reader
from warehouse.load import load_pending

HISTORY_TOP_N = 500


def _list(paths: Paths, url: str, run_id: str, as_of: datetime) -> str:
    r = models_miner.crawl_models(paths=paths, endpoint=url, run_id=run_id, fetched_at=as_of, progress=False)
    return f"listed {r.models:,} models with {counted(r.requests, 'API request')}"


def _bootstrap(paths: Paths, url: str, run_id: str, as_of: datetime) -> str:
    r = bootstrap_miner.bootstrap_cards(paths=paths, endpoint=url, run_id=run_id, fetched_at=as_of, progress=False)
    return (f"took {r.landed:,} current cards from the card dump {r.dataset}@{r.revision[:12]} "
            f"({r.stale:,} changed since, left to the crawl) with {counted(sum(r.requests.values()), 'request')}")


def _cards(paths: Paths, url: str, run_id: str, as_of: datetime) -> str:
    r = cards_miner.crawl_cards(paths=paths, endpoint=url, run_id=run_id, fetched_at=as_of, progress=False)
    said = [f"{r.ok:,} fetched"]
    if r.missing:
        said.append(f"{r.missing:,} without README.md" + (f" ({r.no_readme:,} as listed, for no request)"
                                                            if r.no_readme else ""))
    if r.errors:
        said.append(f"{r.errors:,} errors (retried next run)")
    return f"cards of {r.attempted:,} new or changed models: {', '.join(said)}; {counted(r.requests, 'resolver request')}"


def _history(paths: Paths, url: str, run_id: str, as_of: datetime) -> str:
    r = history_miner.crawl_history(paths=paths, endpoint=url, run_id=run_id, fetched_at=as_of, top_n=HISTORY_TOP_N,
                                    progress=False)
    return (f"history of {r.attempted:,} changed repos among the top {HISTORY_TOP_N:,}: {r.commits:,} commits, "
            f"{r.trees:,} trees, {counted(r.requests, 'API request')}")


def _counts(counts: dict) -> str:
    """``{"new_models": 5000, "fetch_errors": 0}`` -> "5,000 new models" (counts that are not zero, in words)."""
    return ", ".join(f"{n:,} {key.replace('_', ' ')}" for key, n in counts.items()
                     if isinstance(n, int) and not isinstance(n, bool) and n) or "nothing new"


def _loaded(results) -> str | None:
    """One line for the runs a day loaded: their counts added up (None: nothing was loaded)."""
    loaded = [r for r in results if not r.skipped]
    if not loaded:
        return None
    total: Counter = Counter()
    for r in loaded:
        total.update({k: v for k, v in r.summary.items() if isinstance(v, int) and not isinstance(v, bool)})
    return f"loaded {len(loaded)} runs into the warehouse: {_counts(dict(total))}"


def _analysed(results: dict[str, dict]) -> str:
    """One line for the analyses: each one's first count (what it went through), and the time in all."""
    parts = []
    for name, summary in results.items():
        first = next(((k, v) for k, v in summary.items() if k != "seconds"), None)
        parts.append(name.replace("_", " ") + (f" ({_counts(dict([first]))})" if first else ""))
    seconds = sum(s.get("seconds", 0) for s in results.values())
    return f"analysed the warehouse in {seconds:.1f} s: " + ", ".join(parts)


def run_demo(paths: Paths, *, models: int, days: int, seed: int, echo: Callable[[str], None] = print) -> dict:
    hubs = paths.home / "demo-hub" / f"n{models}-s{seed}"
    for day in range(days):
        snapshot = hubs / f"day-{day}"
        if not (snapshot / DB_NAME).is_file():
            echo(f"[day {day}] generating a {models}-model hub in {snapshot}")
            generate(snapshot, models=models, seed=seed, day=day)
        if read_repo(snapshot, DEFAULT_REPO) is None:
            publish_card_dump(hubs / "day-0", snapshot)  # every day's hub offers the dump of day 0
        reader = SnapshotReader(snapshot)
        as_of = datetime.fromisoformat(reader.meta["snapshot_time"].replace("Z", "+00:00"))
        reader.close()
        run_id = f"demo-n{models}-s{seed}-d{day:02d}"
        # The bootstrap lands a cards run of its own, once: on the first day, before any card is fetched.
        first_cards = day == 0 and not LandingRun(paths.landing, cards_miner.SOURCE, run_id).complete
        steps = [(source, rid, step) for source, rid, step in (
            (models_miner.SOURCE, run_id, _list),
            *([(cards_miner.SOURCE, run_id + "-bootstrap", _bootstrap)] if first_cards else []),
            (cards_miner.SOURCE, run_id, _cards), (history_miner.SOURCE, run_id, _history))
            if not LandingRun(paths.landing, source, rid).complete]
        if not steps:
            echo(f"[day {day}] already crawled ({run_id})")
        else:
            with ReplayHub(snapshot) as hub:
                echo(f"[day {day}] replay hub at {hub.url}")
                for _, rid, step in steps:
                    echo(f"[day {day}] " + step(paths, hub.url, rid, as_of))
        if line := _loaded(load_pending(paths)):
            echo(f"[day {day}] {line}")
    echo(_analysed(run_analyses(paths)))
    con = connect_reader(paths.warehouse)
    try:
        summary = {
            "models": con.sql("SELECT count(*) FROM models").fetchall()[0][0],
            "state_rows": con.sql("SELECT count(*) FROM model_history").fetchall()[0][0],
            "counter_rows": con.sql("SELECT count(*) FROM model_daily_counters").fetchall()[0][0],
            "cards": con.sql("SELECT count(*) FROM cards WHERE status = 'ok'").fetchall()[0][0],
            "commits": con.sql("SELECT count(*) FROM commits").fetchall()[0][0],
            "weight_changes": con.sql("SELECT count(*) FROM weight_changes").fetchall()[0][0],
            "runs": con.sql("SELECT count(*) FROM load_runs").fetchall()[0][0],
        }
    finally:
        con.close()
    site = build_site(paths)
    echo("")
    echo(f"report: {site / 'index.html'} (a static site: open it in a browser)")
    echo(f"warehouse: {paths.warehouse}")
    echo(f"  {summary['models']:,} models, {summary['state_rows']:,} state intervals, "
         f"{summary['counter_rows']:,} daily counter rows, {summary['cards']:,} models with a card, "
         f"{summary['commits']:,} commits, {summary['weight_changes']:,} weight changes, {summary['runs']:,} loaded runs")
    echo(f"landing zone: {paths.landing}")
    echo("try (in a checkout the command is .venv/bin/hubmine):")
    echo("     hubmine sql --schema")
    echo("     hubmine sql \"SELECT * FROM carbon_reporting_by_month ORDER BY month DESC LIMIT 12\"")
    echo("     hubmine sql \"SELECT author, count(*) AS n, sum(downloads) AS downloads FROM models "
         "GROUP BY author ORDER BY downloads DESC LIMIT 10\"")
    return {**summary, "report": str(site)}
