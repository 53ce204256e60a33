"""Benchmark: the daily pipeline at Hub scale on this machine (issue 7, part 5).

A generated hub of ``--models`` (default 2.5M) goes through the listing crawl (real replay hub in
its own process + the real huggingface_hub client), the load and every analysis; then ``--days``
(default 30) simulated days, each changing ``--daily-change`` of the models (3%) and adding
``--daily-new`` new ones, go through the same steps; a last "quiet" day re-lists an unchanged hub.

Every step runs in its own process, so its peak RSS is its own (``ru_maxrss`` from wait4; the
pool workers of a step are reported beside it). Printed per day: wall and CPU time per step, peak
RSS, requests, rows changed, warehouse size and its growth; at the end the targets beside the
measurements, with ratios, and baselines measured in the same run (a DuckDB scan of the same
landing files for the load). The machine is shared: the load average is printed with each day.

Targets (issue 7): a 2.5M-model snapshot loads in <= 10 s (first day and daily deltas); peak RSS
<= 4 GiB; all analyses <= 5 min; the warehouse grows with the changes, not with the days.

    .venv/bin/python bench/scale.py [--models 2500000] [--days 30] [--keep DIR] [--work DIR]

``--keep DIR`` keeps the generated day-0 hub in DIR (reused when its parameters match); the days
are derived from a working copy. Big data goes under ``--work`` (default /tmp/hubmine-scale-*),
removed at the end unless ``--keep-work``. Each finished day is appended to ``days.jsonl`` in the
working folder; ``--resume --work DIR`` continues a kept run after the last day its warehouse loaded
(a 30-day run at 2.5M takes hours, longer than a session may last) and summarises every logged day.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_LOAD_S = 10.0
TARGET_RSS_MIB = 4096.0
TARGET_ANALYSES_S = 300.0
MIB = 1 << 20


# --------------------------------------------------------------------------------------------------
# Steps: each runs in a child process (`--step NAME --args JSON`) and prints one JSON line.
# --------------------------------------------------------------------------------------------------
def step_generate(a: dict) -> dict:
    from replayhub.synth import generate

    started = time.perf_counter()
    summary = generate(a["hub"], models=a["models"], seed=a["seed"], daily_change=a["daily_change"],
                       daily_new=a["daily_new"], progress=False)
    return {"seconds": time.perf_counter() - started, "models": summary["models"], "commits": summary["commits"]}


def step_advance(a: dict) -> dict:
    from replayhub.synth import advance

    started = time.perf_counter()
    summary = advance(a["hub"], progress=False)
    return {"seconds": time.perf_counter() - started, "changed": summary["changed"], "new": summary["new"],
            "models": summary["models"], "day": summary["day"]}


def step_crawl(a: dict) -> dict:
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from core.config import Paths
    from miners.models import crawl_models

    # The replay hub in a process of its own, as the real Hub is not in the crawler's process.
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from replayhub.server import serve_forever; "
                               "serve_forever(sys.argv[1], port=0)", a["hub"]],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = server.stdout.readline()
        url = line.rsplit(" at ", 1)[-1].strip()
        if not url.startswith("http"):
            raise RuntimeError(f"replay hub did not start: {line!r}")
        fetched_at = datetime.fromisoformat(a["fetched_at"])
        started = time.perf_counter()
        result = crawl_models(paths=Paths(Path(a["home"])), endpoint=url, run_id=a["run_id"], fetched_at=fetched_at,
                              progress=False)
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        _, _, usage = os.wait4(server.pid, 0)
    return {"seconds": seconds, "models": result.models, "requests": result.requests, "new": result.new,
            "changed": result.changed, "hub_rss_mib": usage.ru_maxrss / 1024,
            "hub_cpu_s": usage.ru_utime + usage.ru_stime}


def step_load(a: dict) -> dict:
    import duckdb

    from core.config import Paths
    from miners.landing import read_manifest
    from warehouse.load import load_pending

    paths = Paths(Path(a["home"]))
    started = time.perf_counter()
    [loaded] = load_pending(paths, run_id=a["run_id"], sources=("models",))
    seconds = time.perf_counter() - started
    run_dir = paths.landing / "models" / a["run_id"]
    parts = [str(run_dir / p) for p in read_manifest(run_dir)["parts"]]
    # Baseline: DuckDB reading every column of the same landing files, nothing else.
    started = time.perf_counter()
    duckdb.sql("SELECT count(*), sum(length(id)), sum(length(sha)), sum(len(tags)), sum(length(card_data)), "
               "sum(length(safetensors_params)), max(created_at), max(last_modified), sum(downloads) "
               "FROM read_parquet($p)", params={"p": parts}).fetchall()
    scan = time.perf_counter() - started
    return {"seconds": seconds, "rows": loaded.rows, "summary": loaded.summary, "scan_seconds": scan}


def step_analyze(a: dict) -> dict:
    from analysis.run import run_analyses
    from core.config import Paths

    started = time.perf_counter()
    result = run_analyses(Paths(Path(a["home"])))
    return {"seconds": time.perf_counter() - started,
            "per_analysis": {name: r["seconds"] for name, r in result.items()},
            "analysed": {name: r.get("analysed", r.get("models")) for name, r in result.items()}}


STEPS = {"generate": step_generate, "advance": step_advance, "crawl": step_crawl, "load": step_load,
         "analyze": step_analyze}


def child_main(name: str, args: dict) -> None:
    import resource

    result = STEPS[name](args)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["children_rss_mib"] = children.ru_maxrss / 1024
    result["children_cpu_s"] = children.ru_utime + children.ru_stime
    print("RESULT " + json.dumps(result), flush=True)


def run_step(name: str, **args) -> dict:
    """Run a step in a child process: its result plus wall time, CPU time and peak RSS (wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--step", name, "--args", json.dumps(args)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        raise RuntimeError(f"step {name} failed (exit {proc.returncode}); output:\n{out[-3000:]}")
    result = json.loads(lines[-1][len("RESULT "):])
    result["process_seconds"] = time.perf_counter() - started
    # ru_* of the child itself; its own children (pool workers, the replay hub) are in children_*.
    result["rss_mib"] = usage.ru_maxrss / 1024
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    return result


# --------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------
def snapshot_meta(hub: Path) -> dict:
    db = sqlite3.connect(hub / "hub.sqlite")
    try:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())
    finally:
        db.close()


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def warehouse_size(home: Path) -> int:
    return sum(p.stat().st_size for p in home.glob("warehouse.duckdb*") if p.is_file())


def load_avg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=2_500_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--daily-change", type=float, default=0.03)
    parser.add_argument("--daily-new", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="Keep (or reuse) the generated day-0 hub in this folder.")
    parser.add_argument("--work", type=Path, help="Working folder (default: a new one under /tmp).")
    parser.add_argument("--keep-work", action="store_true", help="Do not delete the working folder.")
    parser.add_argument("--resume", action="store_true",
                        help="Continue the run in --work (kept with --keep-work) after its last loaded day.")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child_main(args.step, json.loads(args.args))
        return

    if args.resume and not (args.work and (args.work / "hub" / "hub.sqlite").is_file()):
        raise SystemExit("--resume needs --work pointing at a kept run (its hub/hub.sqlite)")
    if args.resume:
        args.keep_work = True  # a run worth resuming is worth keeping
    work = args.work or Path(tempfile.mkdtemp(prefix="hubmine-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    home = work / "home"
    hub = work / "hub"
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"load average {load_avg()} (1/5/15 min) at start; work folder {work}")
    print(f"hub: {args.models:,} models, seed {args.seed}, {args.days} days at {args.daily_change:.1%} changed "
          f"+ {args.daily_new:.2%} new a day\n")
    steps: list[dict] = []
    log = work / "days.jsonl"  # one finished day per line, so a resumed run can summarise them all
    try:
        if args.resume:
            gen, first_day = None, resume_point(home, hub)
            steps = [json.loads(line) for line in log.read_text().splitlines()] if log.is_file() else []
            steps = [s for s in steps if s["day"] == "-" or (s["day"] != "quiet" and s["day"] < first_day)]
            gen = next((s for s in steps if s["day"] == "-"), None)
            print(f"resuming at day {first_day} (hub at day {snapshot_meta(hub)['day']}); "
                  f"{sum(1 for s in steps if s['day'] != '-')} earlier days in {log}")
        else:
            log.unlink(missing_ok=True)
            first_day = 0
            gen = prepare_hub(args, hub)
        if gen and not args.resume:
            steps.append({"day": "-", "step": "generate", **gen})
            with log.open("a") as f:
                f.write(json.dumps(steps[-1]) + "\n")
            print(f"generate: {gen['models']:,} models, {gen.get('commits', 0):,} commits in {gen['seconds']:.1f} s "
                  f"({gen['models'] / gen['seconds']:,.0f} models/s); peak RSS {gen['rss_mib']:.0f} MiB "
                  f"(+ workers {gen['children_rss_mib']:.0f} MiB each at most); hub {dir_size(hub) / 2**30:.1f} GiB\n")
        header = (f"{'day':>5} {'advance':>8} {'crawl':>7} {'req':>5} {'models/s':>8} {'load':>6} {'scan':>5} "
                  f"{'ld/scan':>7} {'ld cpu':>6} {'new':>6} {'changed':>7} {'counters':>8} {'analyses':>8} {'an cpu':>6} "
                  f"{'maxRSS':>7} {'wh MiB':>7} {'+MiB':>6} {'landing':>7}  load avg")
        print(header)
        for row in steps:
            if row["day"] != "-":
                print(format_day(row))
        previous_size = warehouse_size(home)
        meta = snapshot_meta(hub)
        start_time = datetime.fromisoformat(meta["snapshot_time"].replace("Z", "+00:00")) - timedelta(days=int(meta["day"]))
        for day in range(first_day, args.days + 2):
            quiet = day == args.days + 1  # the unchanged hub listed again a day later
            row: dict = {"day": "quiet" if quiet else day}
            # A run killed after its advance resumes with the hub already at this day.
            if 0 < day <= args.days and int(snapshot_meta(hub)["day"]) < day:
                row["advance"] = run_step("advance", hub=str(hub))
            fetched_at = start_time + timedelta(days=day)
            run_id = f"day{day:02d}"
            row["crawl"] = run_step("crawl", hub=str(hub), home=str(home), run_id=run_id,
                                    fetched_at=fetched_at.isoformat())
            row["load"] = run_step("load", home=str(home), run_id=run_id)
            row["analyze"] = run_step("analyze", home=str(home))
            # Only the latest landing run is still needed (raw.model_listing reads it).
            for old in sorted((home / "landing" / "models").iterdir()):
                if old.name != run_id:
                    shutil.rmtree(old)
            size = warehouse_size(home)
            row["warehouse_bytes"], row["growth_bytes"] = size, size - previous_size
            row["landing_bytes"] = dir_size(home / "landing")
            row["load_avg"] = load_avg()
            previous_size = size
            steps.append(row)
            with log.open("a") as f:
                f.write(json.dumps(row) + "\n")
            print(format_day(row), flush=True)
        summarize(args, gen, steps)
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)


def resume_point(home: Path, hub: Path) -> int:
    """The day after the last one the warehouse loaded; the hub must be at that day or the one before."""
    import duckdb

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        loaded = [r[0] for r in con.execute("SELECT run_id FROM raw.load_runs WHERE source = 'models'").fetchall()]
    finally:
        con.close()
    days = [int(r[3:]) for r in loaded if r.startswith("day")]
    first_day = max(days) + 1 if days else 0
    hub_day = int(snapshot_meta(hub)["day"])
    if hub_day not in (first_day - 1, first_day):
        raise SystemExit(f"cannot resume: the warehouse has loaded up to day {first_day - 1} but the hub is at day "
                         f"{hub_day}")
    return first_day


def prepare_hub(args, hub: Path) -> dict | None:
    """Generate day 0 into the working folder (or copy the kept one); the generate step's numbers."""
    from replayhub.synth import GENERATOR_VERSION

    wanted = {"generator": GENERATOR_VERSION, "base_models": str(args.models), "seed": str(args.seed),
              "daily_change": repr(float(args.daily_change)), "daily_new": repr(float(args.daily_new)), "day": "0"}
    source = args.keep or hub
    gen = None
    if args.keep and (args.keep / "hub.sqlite").is_file():
        meta = snapshot_meta(args.keep)
        if any(meta.get(k) != v for k, v in wanted.items()):
            raise SystemExit(f"{args.keep} holds another hub ({ {k: meta.get(k) for k in wanted} }); "
                             "remove it or pick another --keep folder")
        print(f"reusing the day-0 hub in {args.keep}")
    else:
        gen = run_step("generate", hub=str(source), models=args.models, seed=args.seed,
                       daily_change=args.daily_change, daily_new=args.daily_new)
    if args.keep:
        started = time.perf_counter()
        hub.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.keep / "hub.sqlite", hub / "hub.sqlite")
        print(f"copied the kept hub to the working folder in {time.perf_counter() - started:.1f} s")
    return gen


def format_day(row: dict) -> str:
    crawl, load, analyze = row["crawl"], row["load"], row["analyze"]
    adv = row.get("advance")
    summary = load["summary"]
    rss = max(crawl["rss_mib"], load["rss_mib"], analyze["rss_mib"], analyze["children_rss_mib"],
              adv["rss_mib"] if adv else 0)
    return (f"{row['day']!s:>5} {(adv['seconds'] if adv else 0):8.1f} {crawl['seconds']:7.1f} {crawl['requests']:5d} "
            f"{crawl['models'] / crawl['seconds']:8,.0f} {load['seconds']:6.2f} {load['scan_seconds']:5.2f} "
            f"{load['seconds'] / load['scan_seconds']:7.1f} {load['cpu_s']:6.1f} {summary['new_models']:6d} "
            f"{summary['changed_models']:7d} {summary['counter_rows']:8d} {analyze['seconds']:8.1f} "
            f"{analyze['cpu_s'] + analyze['children_cpu_s']:6.0f} {rss:7.0f} "
            f"{row['warehouse_bytes'] / MIB:7.1f} {row['growth_bytes'] / MIB:6.1f} {row['landing_bytes'] / MIB:7.0f}  "
            f"{row['load_avg']}")


def summarize(args, gen: dict | None, steps: list[dict]) -> None:
    days = [s for s in steps if "load" in s]
    first = next((d for d in days if d["day"] == 0), None)
    later = [d for d in days if d["day"] not in (0, "quiet")]
    if first is None:  # a resumed run whose earlier days were not logged: summarise what it has
        print(f"\n(no day 0 in this run's log; the first-day lines describe day {days[0]['day']})")
        first = days[0]
        later = later[1:]
    quiet = [d for d in days if d["day"] == "quiet"]
    loads = [d["load"]["seconds"] for d in later]
    analyses = [d["analyze"]["seconds"] for d in later]
    rss_by_step: dict[str, float] = {}
    for d in days:
        for name in ("advance", "crawl", "load", "analyze"):
            if name in d:
                rss_by_step[name] = max(rss_by_step.get(name, 0), d[name]["rss_mib"])
                if name == "analyze":
                    rss_by_step["analysis worker"] = max(rss_by_step.get("analysis worker", 0),
                                                         d[name]["children_rss_mib"])
                if name == "crawl":
                    rss_by_step["replay hub"] = max(rss_by_step.get("replay hub", 0), d[name]["hub_rss_mib"])
    if gen:
        rss_by_step["generate"] = gen["rss_mib"]
        rss_by_step["generate worker"] = gen["children_rss_mib"]
    peak = max(v for k, v in rss_by_step.items() if not k.startswith("generate"))
    per_analysis = {name: (first["analyze"]["per_analysis"][name],
                           max((d["analyze"]["per_analysis"][name] for d in later), default=0.0))
                    for name in first["analyze"]["per_analysis"]}
    print("\n--- targets (measured / target = ratio; < 1 meets it) ---")
    print(f"load, first day ({first['load']['rows']:,} rows): {first['load']['seconds']:.2f} s / {TARGET_LOAD_S:.0f} s "
          f"= {first['load']['seconds'] / TARGET_LOAD_S:.2f}   (CPU {first['load']['cpu_s']:.1f} s; "
          f"baseline DuckDB scan of the same files {first['load']['scan_seconds']:.2f} s -> load/scan "
          f"{first['load']['seconds'] / first['load']['scan_seconds']:.1f})")
    if loads:
        print(f"load, daily deltas: median {sorted(loads)[len(loads) // 2]:.2f} s, max {max(loads):.2f} s / "
              f"{TARGET_LOAD_S:.0f} s = {max(loads) / TARGET_LOAD_S:.2f}")
    print(f"peak RSS over pipeline steps: {peak:.0f} MiB / {TARGET_RSS_MIB:.0f} MiB = {peak / TARGET_RSS_MIB:.2f}   "
          + ", ".join(f"{k} {v:.0f}" for k, v in rss_by_step.items()))
    print(f"analyses, first day: {first['analyze']['seconds']:.1f} s / {TARGET_ANALYSES_S:.0f} s = "
          f"{first['analyze']['seconds'] / TARGET_ANALYSES_S:.2f}   "
          + ", ".join(f"{k} {v[0]:.1f}" for k, v in per_analysis.items()))
    if analyses:
        print(f"analyses, daily (incremental): median {sorted(analyses)[len(analyses) // 2]:.1f} s, max "
              f"{max(analyses):.1f} s / {TARGET_ANALYSES_S:.0f} s = {max(analyses) / TARGET_ANALYSES_S:.2f}   (max per "
              "analysis: " + ", ".join(f"{k} {v[1]:.1f}" for k, v in per_analysis.items()) + ")")
    if later:
        growth = [d["growth_bytes"] for d in later]
        changed = [d["load"]["summary"]["new_models"] + d["load"]["summary"]["changed_models"]
                   + d["load"]["summary"]["counter_rows"] for d in later]
        per_row = sum(growth) / max(1, sum(changed))
        print(f"warehouse: {first['warehouse_bytes'] / MIB:.0f} MiB after day 0, {later[-1]['warehouse_bytes'] / MIB:.0f} MiB "
              f"after day {later[-1]['day']}; growth per day median {sorted(growth)[len(growth) // 2] / MIB:.1f} MiB "
              f"= {per_row:.0f} bytes per changed row (state + counter rows)")
    if quiet:
        q = quiet[0]
        print(f"quiet day (same hub listed again): {q['growth_bytes'] / MIB:+.1f} MiB, "
              f"{q['load']['summary']['changed_models']} changed, load {q['load']['seconds']:.2f} s, "
              f"analyses {q['analyze']['seconds']:.1f} s")
    crawl_s = [d["crawl"]["seconds"] for d in days]
    print(f"crawl: {first['crawl']['requests']} requests for {first['crawl']['models']:,} models "
          f"({first['crawl']['requests'] / first['crawl']['models']:.4f} per model), median {sorted(crawl_s)[len(crawl_s) // 2]:.0f} s")
    if gen:
        print(f"generate: {gen['seconds']:.0f} s for {gen['models']:,} models (aim: a few minutes)")
    advances = [d["advance"]["seconds"] for d in later if "advance" in d]
    if advances:
        print(f"advance a day: median {sorted(advances)[len(advances) // 2]:.1f} s")
    print(f"load average at end: {load_avg()}")


if __name__ == "__main__":
    main()
