"""The ``hubmine`` command: each command is a few lines over one library call.

Whatever ends a command early ends it in one ``Error:`` line naming what failed and what to do
(``hubmine.errors``); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from core.config import Paths
from hubmine.hub_cli import hub
from hubmine.shared import SharedOptionsGroup
from hubmine.terminal import counted, show_warnings


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@click.group(cls=SharedOptionsGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Mine the Hugging Face Hub into a DuckDB warehouse and analyse it.

    Every command takes --home and --debug, before or after its name."""
    if ctx.obj is None:  # no --home before the command (one after it replaces this in the command's context)
        ctx.obj = Paths.from_env()
    show_warnings()


main.add_command(hub)


# -- crawl: miners -> landing zone -----------------------------------------------------------------
def _say_cost(cost) -> None:
    """Print what the crawl is about to cost at the configured account tier, before it starts."""
    from hubmine.tasks import env_tier
    from miners.cost import describe

    click.echo(describe(cost, env_tier()))


def _require_listing(paths: Paths) -> None:
    """The steps after `crawl models` fail, rather than do nothing and succeed, when nothing is listed."""
    from core.errors import HubmineError
    from miners.models import listed_state

    if listed_state(paths).num_rows == 0:
        raise HubmineError(f"nothing listed yet in {paths.home}: run `hubmine crawl models` first (or check --home)")


def _checked(endpoint: str | None) -> str:
    """The endpoint, once it answered as the Hub API: in seconds, after the local planning and before
    the first fetch (see docs/cli.md)."""
    from miners.hubclient import check_endpoint

    return check_endpoint(endpoint)


@main.group()
def crawl() -> None:
    """Fetch from the Hub into the landing zone (Parquet), never into the warehouse."""


@crawl.command("models")
@click.option("--endpoint", envvar="HF_ENDPOINT", help="Hub URL. Default: $HF_ENDPOINT or https://huggingface.co.")
@click.option("--run-id", help="Run id (default: the UTC start time, e.g. 20261123T142501Z). An unfinished run "
                               "of this id is resumed.")
@click.option("--as-of", type=click.DateTime(), help="Time the listing stands for (UTC; default now, or the "
                                                     "resumed run's).")
@click.option("--part-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Rows per landed Parquet part (at least; parts end at page boundaries). A killed listing "
                   "resumes after its last part.")
@click.option("--resume-max-age", type=click.FloatRange(min=0), default=6.0, show_default=True,
              help="Without --run-id, resume the newest unfinished models run only if its resume point is "
                   "younger than this many hours.")
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.pass_obj
def crawl_models_cmd(paths: Paths, endpoint: str | None, run_id: str | None, as_of: datetime | None,
                     part_rows: int, resume_max_age: float, progress: bool) -> None:
    """List every model (one request per 1,000 models) and land it as Parquet."""
    from miners.cost import models_cost, previous_listing_size
    from miners.models import crawl_models

    listed = previous_listing_size(paths)
    endpoint = _checked(endpoint)
    _say_cost(models_cost(listed))
    result = crawl_models(paths=paths, endpoint=endpoint, run_id=run_id, fetched_at=_utc(as_of),
                          part_rows=part_rows, resume_max_age=timedelta(hours=resume_max_age), progress=progress)
    if result.restarted_after_stale_cursor:
        click.echo(f"run {result.run_id}: the Hub refused the saved cursor; listed again from page 1")
    elif result.resumed_after is not None:
        click.echo(f"run {result.run_id}: resumed after {result.resumed_after} models")
    click.echo(f"landed {result.models} models in {result.run_dir} with {counted(result.requests, 'API request')} "
               f"({result.new} new, {result.changed} with a new sha) in {result.seconds:.1f}s")
    if result.duplicates or result.problems:
        # Scores move while the Hub lists; the walk's own order does not, but a page can still repeat a row.
        click.echo(f"run {result.run_id}: {result.duplicates} rows listed twice (the last kept), {result.problems} "
                   "records that could not be typed (view listing_problems after `hubmine load`)")


@crawl.command("cards")
@click.option("--endpoint", envvar="HF_ENDPOINT", help="Hub URL. Default: $HF_ENDPOINT or https://huggingface.co.")
@click.option("--run-id", help="Run id (default: the UTC start time).")
@click.option("--as-of", type=click.DateTime(), help="Time the fetch stands for (UTC; default now).")
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True, help="Parallel downloads.")
@click.option("--max-cards", type=click.IntRange(min=0),
              help="Fetch at most N cards this run (in listing order; the rest next run).")
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.pass_obj
def crawl_cards_cmd(paths: Paths, endpoint: str | None, run_id: str | None, as_of: datetime | None,
                    workers: int, max_cards: int | None, progress: bool) -> None:
    """Fetch README.md of every listed model whose sha is new or changed (after `crawl models`)."""
    from miners.cards import crawl_cards, plan_cards, to_request
    from miners.cost import cards_cost

    _require_listing(paths)
    plan = plan_cards(paths, max_cards=max_cards)
    endpoint = _checked(endpoint)
    _say_cost(cards_cost(to_request(plan)))
    r = crawl_cards(paths=paths, endpoint=endpoint, run_id=run_id, fetched_at=_utc(as_of), workers=workers,
                    max_cards=max_cards, progress=progress, plan=plan)
    click.echo(f"landed {r.attempted} cards in {r.run_dir}: {r.ok} fetched ({r.from_dump} of them confirmed "
               f"from the card dump), {r.missing} without README ({r.no_readme} as listed, for no request), "
               f"{r.disabled} disabled, {r.errors} errors (retried next run); {counted(r.requests, 'resolver request')} in {r.seconds:.1f}s")


@crawl.command("history")
@click.option("--endpoint", envvar="HF_ENDPOINT", help="Hub URL. Default: $HF_ENDPOINT or https://huggingface.co.")
@click.option("--top-n", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Follow the N most downloaded listed repos (0: none).")
@click.option("--repo", "repos", multiple=True, help="Also follow this repo (repeatable).")
@click.option("--author", "authors", multiple=True, help="Also follow every listed repo of this author (repeatable).")
@click.option("--family", "families", multiple=True,
              help="Also follow every model of this lineage family, by root id (repeatable; needs `hubmine analyze`).")
@click.option("--max-trees-per-repo", type=click.IntRange(min=1), help="Read files of only the newest K new commits.")
@click.option("--workers", type=click.IntRange(1, 32), default=4, show_default=True)
@click.option("--run-id", help="Run id (default: the UTC start time).")
@click.option("--as-of", type=click.DateTime(), help="Time the fetch stands for (UTC; default now).")
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.pass_obj
def crawl_history_cmd(paths: Paths, endpoint: str | None, top_n: int, repos: tuple[str, ...],
                      authors: tuple[str, ...], families: tuple[str, ...], max_trees_per_repo: int | None,
                      workers: int, run_id: str | None, as_of: datetime | None, progress: bool) -> None:
    """Commits, refs and weight/README files per commit of the followed repos whose sha changed."""
    from analysis.lineage.marts import family_members
    from miners.cost import history_cost
    from miners.history import crawl_history, plan_history

    _require_listing(paths)
    if families:
        repos = repos + tuple(family_members(paths.warehouse, families))

    plan = plan_history(paths, top_n=top_n, repos=repos, authors=authors)
    endpoint = _checked(endpoint)
    _say_cost(history_cost(len(plan.todo)))
    r = crawl_history(paths=paths, endpoint=endpoint, top_n=top_n, repos=repos, authors=authors,
                      max_trees_per_repo=max_trees_per_repo, workers=workers, run_id=run_id,
                      fetched_at=_utc(as_of), progress=progress, plan=plan)
    click.echo(f"landed history of {r.ok} repos in {r.run_dir} ({r.selected} followed, {r.attempted} changed, "
               f"{r.errors} errors retried next run, {r.disabled} disabled by the Hub): {r.commits} commits, {r.trees} trees, "
               f"{counted(r.requests, 'API request')} in {r.seconds:.1f}s")
    if r.not_listed:
        click.echo(f"not listed, skipped: {', '.join(sorted(r.not_listed)[:10])}")


# -- bootstrap: the public card dump -> landing zone ---------------------------------------------------
@main.group()
def bootstrap() -> None:
    """Start the landing zone from the Hub's public bulk dumps instead of per-repo requests."""


@bootstrap.command("cards")
@click.option("--endpoint", envvar="HF_ENDPOINT", help="Hub URL. Default: $HF_ENDPOINT or https://huggingface.co.")
@click.option("--dataset", default="librarian-bots/model_cards_with_metadata", show_default=True,
              help="Dataset repo of the daily card dump (Parquet: modelId, last_modified, card, ...).")
@click.option("--revision", help="Dump commit or branch (default: its newest commit).")
@click.option("--run-id", help="Run id (default: the UTC time + '-bootstrap'). An unfinished bootstrap of the "
                               "same dump commit is resumed.")
@click.option("--as-of", type=click.DateTime(), help="Time the landed run stands for (UTC; default now).")
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.pass_obj
def bootstrap_cards_cmd(paths: Paths, endpoint: str | None, dataset: str, revision: str | None,
                        run_id: str | None, as_of: datetime | None, progress: bool) -> None:
    """Land the dump's cards of models unchanged since the dump (after `crawl models`); `crawl cards`
    then fetches only the rest."""
    from miners.bootstrap import bootstrap_cards

    _require_listing(paths)
    endpoint = _checked(endpoint)
    r = bootstrap_cards(paths=paths, endpoint=endpoint, dataset=dataset, revision=revision, run_id=run_id,
                        fetched_at=_utc(as_of), progress=progress)
    requests = ", ".join(f"{n} {bucket}" for bucket, n in sorted(r.requests.items())) or "none"
    click.echo(f"landed {r.landed} current cards of {r.dump_rows} in {r.dataset}@{r.revision[:12]} "
               f"({len(r.files)} files) in {r.run_dir}; {r.stale} changed since the dump and {r.unlisted} "
               f"not listed are left to `crawl cards`; requests: {requests}; {r.seconds:.1f}s")


# -- load, analyze: the writers of the warehouse ------------------------------------------------------
_lock_wait_option = click.option(
    "--lock-wait", type=click.FloatRange(min=0), envvar="HUBMINE_LOCK_WAIT", show_envvar=True,
    help="Seconds to wait while another process (a query, a report, another writer) holds the warehouse, "
         "before giving up. Default: 60.")


@main.command()
@click.option("--run-id", help="Load only this run (default: every finished run not loaded yet).")
@_lock_wait_option
@click.pass_obj
def load(paths: Paths, run_id: str | None, lock_wait: float | None) -> None:
    """Load finished landing runs into the warehouse (a writer; idempotent per run id). Makes the warehouse
    with the first run it loads; a data folder where nothing was ever landed is an error."""
    from warehouse.load import load_pending

    results = load_pending(paths, run_id=run_id, lock_wait=lock_wait)
    if not results:
        click.echo("nothing to load")
    for r in results:
        if r.skipped:
            click.echo(f"{r.source} run {r.run_id}: already loaded, unchanged")
        else:
            details = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in r.summary.items())
            click.echo(f"{r.source} run {r.run_id}: {r.rows} rows ({details}) in {r.seconds:.2f}s")
    if paths.warehouse.is_file():
        click.echo(f"warehouse: {paths.warehouse}")


@main.command()
@click.option("--only", multiple=True, help="Run only this analysis (repeatable).")
@_lock_wait_option
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.pass_obj
def analyze(paths: Paths, only: tuple[str, ...], lock_wait: float | None, progress: bool) -> None:
    """Build the analysis marts, re-analysing only models whose input changed (a writer, like load; needs
    a warehouse `hubmine load` made)."""
    from analysis.run import ANALYSES, run_analyses

    unknown = set(only) - set(ANALYSES)
    if unknown:
        raise click.UsageError(f"unknown analysis {sorted(unknown)}; known: {sorted(ANALYSES)}")
    for name, summary in run_analyses(paths, only=list(only), progress=progress, lock_wait=lock_wait).items():
        click.echo(f"{name}: " + ", ".join(_in_words(k, v) for k, v in summary.items() if v is not None))


def _in_words(key: str, value) -> str:
    """One figure of an analysis summary: ``prior_moved False`` -> "prior moved no", 12345 -> "12,345"."""
    key = key.replace("_", " ")
    if isinstance(value, bool):
        return f"{key} {'yes' if value else 'no'}"
    if isinstance(value, int):
        return f"{key} {value:,}"
    if isinstance(value, float):
        return f"{key} {value:,.2f}"
    return f"{key} {value}"


# -- names: repo-name segmentation -------------------------------------------------------------------
@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"), default="-")
def names(file) -> None:
    """Split repo ids (one per line, FILE or stdin) into typed name segments as Ajibode et al.'s
    codebook reads them; CSV on stdout.

    Columns: repo_id, pattern (e.g. {identifier}{size}{version}), segments_json.
    """
    from analysis.naming.codebook import names_rows

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["repo_id", "pattern", "segments_json"])
    writer.writerows(names_rows(line.rstrip("\n") for line in file))


# -- cards: score local model cards as the warehouse does -------------------------------------------
@main.command("cards")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--min-score", type=click.FloatRange(0, 100), default=0.0, show_default=True,
              help="Exit with status 1 when a card scores below this.")
def cards_cmd(paths: tuple[Path, ...], fmt: str, min_score: float) -> None:
    """Score README.md files (or folders of them) as the warehouse does: kind, 0-100 score, each template
    section present/filled with the passage that filled it, metadata, issues, and what to add first.

    CSV columns: path, kind, score, then filled_<section> and present_<section> (1/0) for each of the
    14 template sections in template order. Exit status 1 when a card scores below --min-score.
    """
    from analysis.cards import checker

    checks = checker.check_paths(list(paths))
    render = {"table": checker.to_table, "csv": checker.to_csv, "json": checker.to_json}[fmt]
    click.echo(render(checks), nl=fmt == "json")
    low = [c for c in checks if c.score < min_score]
    if low:
        click.echo(f"{len(low)} of {len(checks)} cards score below {min_score:g}: "
                   + ", ".join(f"{c.path} ({c.score:.2f})" for c in low), err=True)
        sys.exit(1)


# -- forecast: WSB fits and backtests of any series ---------------------------------------------------
@main.command("forecast")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Result CSV: one row per series (fit, forecasts, backtest errors).")
def forecast_cmd(file: Path, out: Path) -> None:
    """Fit, forecast and backtest every series of FILE.

    FILE is a CSV with columns series_id,t,value (t in months since release, value cumulative).
    OUT gets one row per series: the regularised Wang–Song–Barabási fit (lambda, mu, sigma, their
    standard errors, m, converged, reason, r2_log, prior); the published forecast 3, 6 and 12 months
    beyond the last t (t_h<h>, forecast_h<h>, its 80% interval forecast_h<h>_low/_high calibrated on
    the file's own backtest errors, interval_method, and forecast_h<h>_model naming the models whose
    mean it is); and mape_<model>_h<h>, the absolute percentage error of each model fitted on the
    series up to its last month minus h (empty when the series is too short). A series that cannot be
    fitted gets reason "not fitted: ..." and the batch goes on.
    """
    from analysis.forecast.backtest import format_table
    from analysis.forecast.batch import run_file
    from analysis.forecast.combined import COMBINATIONS, PUBLISHED

    result = run_file(file, out)
    why = ", ".join(f"{n} {reason}" for reason, n in result["not_fitted_reasons"])
    click.echo(f"{result['series']} series: {result['fitted']} fitted ({result['converged']} converged), "
               f"{result['not_fitted']} not fitted{f' ({why})' if why else ''}; {result['forecast']} forecast with "
               f"mean({','.join(COMBINATIONS[PUBLISHED])}); wrote {out}")
    table = [r for r in result["summary"] if r["size_class"] == "all"]
    if table:
        click.echo(format_table(table))


# -- sql: read-only queries ------------------------------------------------------------------------
def _starts_with_sql_comment(arg: str) -> bool:
    # An option never has white space in its name ("--home=/my dir" has it only in its value).
    return arg.startswith("--") and any(c.isspace() for c in arg.split("=", 1)[0])


class _SqlCommand(click.Command):
    """Takes a QUERY that starts with a SQL comment ("-- top authors\nSELECT ...") for the query it is,
    not for an unknown option, by moving it behind a "--" (options before or after it still count)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        queries = [a for a in args[:end] if _starts_with_sql_comment(a)]
        if queries:
            rest = [a for a in args[:end] if not _starts_with_sql_comment(a)]
            args = [*rest, "--", *queries, *args[end + 1:]]
        return super().parse_args(ctx, args)


@main.command(cls=_SqlCommand)
@click.argument("query", required=False)
@click.option("--schema", "show_schema", is_flag=True, help="List the user-facing views with their comments.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table: every statement's answer, fitted to the terminal ($COLUMNS); csv, json: the last "
                   "statement's answer, every row and value exactly.")
@click.option("--max-rows", type=click.IntRange(min=0), default=50, show_default=True,
              help="Rows shown per statement in a table (0: all).")
@click.pass_obj
def sql(paths: Paths, query: str | None, show_schema: bool, fmt: str, max_rows: int) -> None:
    """Run QUERY on the warehouse, read-only (or list its views with --schema).

    QUERY may hold several statements (each answer is shown under its statement) and start with a
    -- comment. It may read files (read_csv, read_parquet...) but writes none: COPY, EXPORT, ATTACH,
    INSTALL and LOAD are refused, extensions are neither downloaded nor loaded on the fly, and
    settings are locked (except TimeZone).
    """
    import shutil

    from hubmine import sqlout
    from warehouse.db import connect_reader, run_user_query, user_views

    if not show_schema and not query:
        raise click.UsageError("give a QUERY or --schema")
    con = connect_reader(paths.warehouse, user_queries=True)
    try:
        if show_schema:
            _print_schema(user_views(con))
            return
        if fmt != "table":
            render = sqlout.render_csv if fmt == "csv" else sqlout.render_json
            for result in run_user_query(con, query, last_only=True):
                sys.stdout.write(render(result))  # not click.echo: off a terminal it strips escape sequences
            return
        width = shutil.get_terminal_size((100, 24)).columns
        for n, result in enumerate(run_user_query(con, query, max_rows=max_rows or None)):
            if result.statements > 1:
                click.echo(("\n" if n else "") + "> " + " ".join(result.statement.split()))
            click.echo(sqlout.render_table(result, width), nl=False)
    finally:
        con.close()


def _print_schema(views: list[dict]) -> None:
    for view in views:
        click.echo(f"{view['name']}: {view['comment'] or '(no comment)'}")
        for col in view["columns"]:
            click.echo(f"  {col['name']:<20} {col['type']:<24} {col['comment'] or ''}")
        click.echo()


# -- report: warehouse -> static site ----------------------------------------------------------------
def _hub_url(ctx: click.Context, param: click.Parameter, value: str) -> str | None:
    from report.build import ReportError, check_hub_url

    try:
        return check_hub_url(None if value == "none" else value)
    except ReportError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the site (default: reports/ in the data folder); replaced whole when complete.")
@click.option("--hub-url", default="auto", show_default=True, callback=_hub_url,
              help="Where repo ids link: an http(s) Hub URL, 'none', or 'auto' (the real Hub when the data "
                   "came from it).")
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.pass_obj
def report(paths: Paths, out: Path | None, hub_url: str | None, progress: bool) -> None:
    """Build the static report site (HTML, inline SVG charts, no scripts) from the warehouse, read-only."""
    from report.build import build_site

    site = build_site(paths, out, progress=progress, hub_url=hub_url)
    click.echo(f"report: {site / 'index.html'}")


# -- airflow: run the DAGs locally ---------------------------------------------------------------------
@main.group("airflow")
def airflow_group() -> None:
    """Run the Airflow DAGs (dags/) on this machine: environment, pools, `airflow standalone`."""


_tier_option = click.option(
    "--tier", help="The Hub account tier the pools are sized for: anonymous, free, pro, or unlimited (a "
                   "replay hub). Default: $HUBMINE_HUB_TIER, else free with $HF_TOKEN, else anonymous.")


def _resolve_tier(tier: str | None) -> str:
    from hubmine.tasks import TIERS, env_tier

    tier = tier or env_tier()
    if tier not in TIERS:
        raise click.BadParameter(f"{tier!r} is not one of {', '.join(TIERS)}", param_hint="--tier")
    return tier


@airflow_group.command("env")
@click.option("--airflow-home", type=click.Path(file_okay=False, path_type=Path),
              help="AIRFLOW_HOME. Default: $AIRFLOW_HOME, else <home>/airflow.")
@click.option("--port", type=int, default=8080, show_default=True)
@click.pass_obj
def airflow_env_cmd(paths: Paths, airflow_home: Path | None, port: int) -> None:
    """Print the environment (export lines) for a local `airflow standalone` with hubmine's DAGs."""
    import shlex

    from hubmine.airflow_local import local_env

    for key, value in local_env(paths, airflow_home, port=port).items():
        click.echo(f"export {key}={shlex.quote(value)}")


@airflow_group.command("pools")
@_tier_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here (default: stdout).")
def airflow_pools_cmd(tier: str | None, out: Path | None) -> None:
    """The Airflow pools (JSON for `airflow pools import FILE`), sized to the Hub's rate-limit buckets."""
    from hubmine.tasks import pools

    text = json.dumps(pools(_resolve_tier(tier)), indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text)
        click.echo(f"wrote {out}", err=True)


@airflow_group.command("standalone")
@click.option("--airflow-home", type=click.Path(file_okay=False, path_type=Path),
              help="AIRFLOW_HOME. Default: $AIRFLOW_HOME, else <home>/airflow.")
@click.option("--port", type=int, default=8080, show_default=True)
@_tier_option
@click.pass_obj
def airflow_standalone_cmd(paths: Paths, airflow_home: Path | None, port: int, tier: str | None) -> None:
    """Migrate the metadata DB, create the pools, then run `airflow standalone` on 127.0.0.1 (until Ctrl-C)."""
    from hubmine.airflow_local import run_standalone

    run_standalone(paths, airflow_home, port=port, tier=_resolve_tier(tier), echo=click.echo)


# -- demo: everything, offline ---------------------------------------------------------------------
@main.command()
@click.option("--models", type=click.IntRange(min=10), default=5_000, show_default=True,
              help="Size of the generated hub.")
@click.option("--days", type=click.IntRange(min=1, max=30), default=2, show_default=True,
              help="Simulated daily snapshots to crawl and load.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.pass_obj
def demo(paths: Paths, models: int, days: int, seed: int) -> None:
    """Generate a hub, serve it on a free port, crawl, load and analyse it, and build the report, fully offline."""
    from hubmine.demo import run_demo

    run_demo(paths, models=models, days=days, seed=seed, echo=click.echo)


if __name__ == "__main__":
    sys.exit(main())
