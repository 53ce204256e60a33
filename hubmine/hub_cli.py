"""``hubmine hub ...``: make and serve replay-hub snapshots.

The only commands that reach into ``replayhub`` (the test double), and only inside each command,
so that running any other command never imports it.
"""

from __future__ import annotations

import errno
import json
import socket
from pathlib import Path

import click


@click.group()
def hub() -> None:
    """Make and serve hub snapshots (the offline imitation of the Hub API)."""


@hub.command("generate")
@click.option("--models", type=click.IntRange(min=1), required=True, help="Number of model repos on day 0.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--day", type=click.IntRange(min=0), default=0, show_default=True,
              help="Which simulated day to depict (day 0 = start; each day changes --daily-change of the models).")
@click.option("--daily-change", type=click.FloatRange(0, 1), default=0.03, show_default=True)
@click.option("--daily-new", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Models created each day, as a share of --models.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Generating processes (default: one per core for 50k models or more); the output does not depend on it.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def hub_generate(models: int, seed: int, day: int, daily_change: float, daily_new: float, workers: int | None,
                 out: Path) -> None:
    """Generate a realistic synthetic hub snapshot (deterministic for a given seed)."""
    from replayhub.synth import generate

    summary = generate(out, models=models, seed=seed, day=day, daily_change=daily_change, daily_new=daily_new,
                       workers=workers)
    click.echo(f"wrote {out} ({json.dumps(summary, default=str)})")


@hub.command("advance")
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--days", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write the later day here (a copy); without it SNAPSHOT is advanced in place.")
def hub_advance(snapshot: Path, days: int, out: Path | None) -> None:
    """Turn a generated snapshot of day D into day D+DAYS, touching only the models that change.

    Same result as `hub generate --day D+DAYS` with the snapshot's other parameters, in a fraction
    of the time.
    """
    from replayhub.synth import advance

    summary = advance(snapshot, out=out, days=days)
    click.echo(f"advanced {out or snapshot} ({json.dumps(summary, default=str)})")


@hub.command("card-dump")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("target", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--repo", default="librarian-bots/model_cards_with_metadata", show_default=True,
              help="Dataset repo id to publish it as.")
@click.option("--rows-per-file", type=click.IntRange(min=1), default=50_000, show_default=True)
def hub_card_dump(source: Path, target: Path, repo: str, rows_per_file: int) -> None:
    """Publish the daily card dump of snapshot SOURCE (e.g. day 0) as a dataset repo of snapshot TARGET
    (e.g. day 3), in the real dump's schema, for `hubmine bootstrap cards` against `hub serve TARGET`."""
    from replayhub.synth.card_dump import publish_card_dump

    published = publish_card_dump(source, target, repo_id=repo, rows_per_file=rows_per_file)
    click.echo(f"published {repo}@{published.sha} ({len(published.files)} files) in {published.root}")


@hub.command("import-real")
@click.option("--realdata", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="The recorded real data folder (../shared/realdata).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def hub_import_real(realdata: Path, out: Path) -> None:
    """Build a hub snapshot from real recorded Hub facts."""
    from replayhub.import_real import import_real

    summary = import_real(realdata, out)
    click.echo(f"wrote {out} ({json.dumps(summary, default=str)})")


@hub.command("hostile")
@click.option("--items", type=click.IntRange(min=4), default=1000, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def hub_hostile(items: int, out: Path) -> None:
    """Write a snapshot of hostile repos (YAML bombs, 50 MB cards, script payloads, bad ids...)."""
    from collections import Counter

    from replayhub.hostile import hostile_hub

    made = hostile_hub(out, items=items)
    click.echo(f"wrote {out}: {len(made)} items ({json.dumps(Counter(i.where for i in made))})")


@hub.command("serve")
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8800, show_default=True, help="0 picks a free port.")
@click.option("--request-log", type=click.Path(dir_okay=False, path_type=Path), help="JSON-lines request log.")
@click.option("--latency-ms", type=click.FloatRange(min=0), default=0, show_default=True)
@click.option("--rate-limit", default="", help="Requests per window per bucket, e.g. api=500,resolvers=3000.")
@click.option("--window-seconds", type=click.IntRange(min=1), default=300, show_default=True)
@click.option("--error-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of requests answered with HTTP 500.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the injected errors and faults.")
@click.option("--faults", default="",
              help="Fault rates, [BUCKET.]KIND=RATE,... with KIND one of 429, 5xx, reset, timeout, truncated, "
                   "broken_link, or all (split evenly), e.g. all=0.05 or 429=0.01,resolvers.timeout=0.02.")
@click.option("--fault-label", default="", help="Run label mixed into the fault draws (same label, same faults).")
@click.option("--stall-seconds", type=click.FloatRange(min=0), default=90.0, show_default=True,
              help="How long a timeout fault stalls before hanging up (set above the client's read timeout).")
@click.option("--score-drift", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="trendingScore points each model may move per listing request (downloads: ten times that), "
                   "as scores move on the Hub during a long walk; 0: they stay.")
def hub_serve(snapshot: Path, host: str, port: int, request_log: Path | None, latency_ms: float,
              rate_limit: str, window_seconds: int, error_rate: float, seed: int, faults: str, fault_label: str,
              stall_seconds: float, score_drift: float) -> None:
    """Serve SNAPSHOT through the Hub API endpoints huggingface_hub uses (until Ctrl-C)."""
    from replayhub.server import BUCKETS, HubConfig, parse_faults, parse_rate_limit, serve_forever

    try:
        fault_rates = parse_faults(faults, BUCKETS)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None
    config = HubConfig(latency_ms=latency_ms, rate_limits=parse_rate_limit(rate_limit),
                       window_seconds=window_seconds, error_rate=error_rate, seed=seed, request_log=request_log,
                       faults=fault_rates, run_label=fault_label, stall_seconds=stall_seconds,
                       score_drift=score_drift)
    try:
        serve_forever(snapshot, host=host, port=port, config=config)
    except OSError as exc:
        line = _cannot_listen(exc, host, port)
        if line is None:
            raise
        raise click.ClickException(line) from None


def _cannot_listen(exc: OSError, host: str, port: int) -> str | None:
    """One line for a socket the server could not open, saying what to do (None: another OSError)."""
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (by another `hubmine hub serve`?): stop what listens "
                f"there, or pick another port with --port (--port 0 picks a free one)")
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port} of {host}: pick a port above 1023 with --port"
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return f"cannot listen on host {host!r} ({exc.strerror or exc}): give an address of this machine with --host"
    return None
