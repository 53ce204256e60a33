"""Kill and resume: `hubmine crawl …` and `hubmine load` SIGKILLed at 20 random points, each resumed.

Two simulated days of a generated hub, each crawled (models, cards, history) and loaded, against
replay hubs served from this process. First uninterrupted (the reference, through the library calls
the commands make), then by the real command line, each command in a process of its own (forked
from ``tests/forkserver.py``, which has done the imports), with 20 SIGKILLs at seeded random
moments of the steps' working time; after each kill the step is simply run again, as a scheduler
retrying a task would (a crawl whose run already has its manifest is done and is not run again). After each day's
load the warehouse must equal the reference's at the same point (per-table checksums), and at the
end so must the landing zone's finished runs and the miners' state files.

The models listing lands a part (and saves its resume point) every page here, so a kill can find it
part-way; a models step still unfinished after its random kills is killed once more right after its
first part landed. Every attempt that starts with a resume point must ask the hub for the saved
cursor first (the hubs' request logs say), not for page 1.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pyarrow.parquet as pq
import pytest
from helpers import warehouse_checksums
from processes import ForkServer, alive, env

from core.config import Paths
from miners import cards as cards_miner
from miners import history as history_miner
from miners.cards import crawl_cards
from miners.history import crawl_history
from miners.landing import MANIFEST, RESUME
from miners.models import crawl_models, listed_state
from replayhub.server import HubConfig, ReplayHub
from replayhub.snapshot import SnapshotReader
from replayhub.synth import generate
from warehouse.load import load_pending

MODELS = 1_500
PART_ROWS = 1_000  # a models part per page: two parts, a resume point after the first
MAX_CARDS = 150
TOP_N = 15
KILLS = 20
SEED = 20261123
DAYS = (0, 1)


@pytest.fixture(scope="module")
def hubs(tmp_path_factory):
    root = tmp_path_factory.mktemp("kill_hubs")
    for day in DAYS:
        generate(root / f"day{day}", models=MODELS, seed=3, day=day, daily_change=0.1, progress=False)
    served = [ReplayHub(root / f"day{day}", config=HubConfig(request_log=root / f"day{day}.jsonl")).start()
              for day in DAYS]
    yield served
    for hub in served:
        hub.stop()


@pytest.fixture(scope="module")
def reference(hubs, tmp_path_factory):
    """The uninterrupted pipeline, through the library calls the commands make: its home, the
    warehouse checksums after each load, and how long each step's work took."""
    paths = Paths(tmp_path_factory.mktemp("reference"))
    work, checksums = [], {}
    for name, _, _, call in steps(hubs):
        started = time.perf_counter()
        call(paths)
        work.append(time.perf_counter() - started)
        if name.startswith("load"):
            checksums[name] = warehouse_checksums(paths)
    return paths, checksums, work


def snapshot_time(hub) -> datetime:
    reader = SnapshotReader(hub.snapshot_dir)
    try:
        return datetime.fromisoformat(reader.meta["snapshot_time"][:19]).replace(tzinfo=UTC)
    finally:
        reader.close()


def steps(hubs) -> list[tuple[str, ReplayHub | None, list[str], Callable[[Paths], object]]]:
    """(name, hub it talks to, hubmine arguments, the same step as a library call) of the two-day pipeline."""
    out = []
    for day, hub in zip(DAYS, hubs):
        as_of = snapshot_time(hub)
        run = dict(endpoint=hub.url, run_id=f"d{day}", fetched_at=as_of, progress=False)
        common = ["--endpoint", hub.url, "--run-id", f"d{day}", "--as-of", as_of.strftime("%Y-%m-%dT%H:%M:%S"),
                  "--no-progress"]
        out += [
            (f"models d{day}", hub, ["crawl", "models", *common, "--part-rows", str(PART_ROWS)],
             lambda p, r=run: crawl_models(paths=p, part_rows=PART_ROWS, **r)),
            (f"cards d{day}", hub, ["crawl", "cards", *common, "--max-cards", str(MAX_CARDS)],
             lambda p, r=run: crawl_cards(paths=p, max_cards=MAX_CARDS, **r)),
            (f"history d{day}", hub, ["crawl", "history", *common, "--top-n", str(TOP_N)],
             lambda p, r=run: crawl_history(paths=p, top_n=TOP_N, **r)),
            (f"load d{day}", None, ["load"], load_pending),
        ]
    return out


def finished(home: Path, name: str) -> bool:
    """A crawl step whose landing run has its manifest is done: running it again would refuse."""
    kind, _, day = name.partition(" ")
    return kind != "load" and (home / "landing" / kind / day / MANIFEST).is_file()


def saved_cursor(home: Path, name: str) -> str | None:
    """The cursor a models step's unfinished run would resume at (None: it has no resume point)."""
    kind, _, day = name.partition(" ")
    path = home / "landing" / kind / day / RESUME
    if kind != "models" or not path.is_file():
        return None
    return dict(parse_qsl(urlsplit(json.loads(path.read_text())["next_url"]).query))["cursor"]


def listing_cursors(hub: ReplayHub, since: float) -> list[str | None]:
    """The cursors (None: page 1) of the listing requests that reached ``hub`` at or after ``since``,
    in order of arrival (not the command's endpoint check, which asks for one model)."""
    rows = [json.loads(line) for line in Path(hub.config.request_log).read_text().splitlines()]
    listing = sorted((r for r in rows if r["path"] == "/api/models" and r["query"].get("limit") != "1"
                      and r["arrived"] >= since),
                     key=lambda r: r["arrived"])
    return [r["query"].get("cursor") for r in listing]


def wait_for_work(pid: int, home: Path, hub: ReplayHub | None, before: int) -> bool:
    """Wait until the command starts its real work: its first request reaches the hub (a crawl), or
    it holds the warehouse file open (a load). False: it ended first."""
    warehouse = str(home / "warehouse.duckdb")
    while alive(pid):
        if hub is not None and hub.stats.total > before:
            return True
        if hub is None:
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
                if any(os.readlink(f"/proc/{pid}/fd/{fd}") == warehouse for fd in fds):
                    return True
            except OSError:
                pass  # the process is between states; look again
        time.sleep(0.002)
    return False


def landing_files(home: Path) -> dict[str, list[str]]:
    return {str(p.relative_to(home / "landing")): sorted(f.name for f in p.iterdir())
            for p in sorted((home / "landing").glob("*/*")) if (p / MANIFEST).is_file()}


def states(home: Path) -> dict[str, tuple]:
    out = {}
    for path in sorted((home / "state").glob("*.parquet")):
        table = pq.read_table(path)
        out[path.name] = (sorted(zip(*(table[c].to_pylist() for c in table.column_names))),
                          (table.schema.metadata or {}).get(b"hubmine.folded_runs"))
    return out


def test_sigkilled_crawls_and_loads_resume_to_the_same_warehouse(hubs, reference, tmp_path):
    pipeline = steps(hubs)
    environ = env(tmp_path)
    reference, expected, work = reference

    # 20 kill points: a step drawn in proportion to its working time, a moment within that work.
    # The commands run faster than the in-process reference (which shares its interpreter with the
    # replay hubs): moments are drawn from the first half of the reference's time, or many would
    # come after the command has ended.
    rng = random.Random(SEED)
    kills: dict[int, list[float]] = {}
    for _ in range(KILLS):
        i = rng.choices(range(len(pipeline)), weights=work)[0]
        kills.setdefault(i, []).append(rng.uniform(0, 0.5 * work[i]))

    home = tmp_path / "killed"
    logs = tmp_path / "logs"
    logs.mkdir()
    server = ForkServer(environ, logs)
    killed = after_first_part = resumed = 0

    def start(name: str, hub: ReplayHub | None, args: list[str]) -> tuple[int, Callable[[], None]]:
        """Start the step; the returned check, called once the attempt has ended, asserts that an
        attempt that found a resume point began its listing there."""
        nonlocal resumed
        cursor, since = saved_cursor(home, name), time.time()

        def check() -> None:
            nonlocal resumed
            # An attempt may be killed before its first request (wait_for_work can mistake a request
            # of the attempt killed before it, answered late, for its own).
            if cursor is not None and (asked := listing_cursors(hub, since)):
                assert asked[0] == cursor, f"{name} did not resume at its cursor: {asked}"
                resumed += 1

        return server.start(home, args), check

    try:
        for i, (name, hub, args, _) in enumerate(pipeline):
            # A models step still unfinished after its random moments is killed once more just after
            # its first part landed (None; at once if an earlier attempt landed it already).
            targeted = [None] if name.startswith("models") else []
            for delay in sorted(kills.get(i, [])) + targeted:
                if finished(home, name):
                    break
                before = hub.stats.total if hub is not None else 0
                pid, check = start(name, hub, args)
                if wait_for_work(pid, home, hub, before):
                    deadline = time.perf_counter() + (delay if delay is not None else 60)
                    while alive(pid) and time.perf_counter() < deadline:
                        if delay is None and saved_cursor(home, name) is not None:
                            break
                        time.sleep(0.002)
                    if alive(pid):
                        os.kill(pid, signal.SIGKILL)  # no cleanup, no atexit, no finally
                        if delay is None:
                            after_first_part += 1
                        else:
                            killed += 1
                server.wait()
                check()
            if not finished(home, name):  # the resume: the same command again, to the end
                _, check = start(name, hub, args)
                assert server.wait() == 0, f"{name} failed:\n{server.output()}"
                check()
            if name.startswith("load"):
                assert warehouse_checksums(Paths(home)) == expected[name], f"after {name} ({killed} kills so far)"
    finally:
        server.close()

    # Most kill points found their step still running (the others came after it had finished).
    print(f"\n{killed} of {KILLS} kill points killed a running command; {after_first_part} listings "
          f"killed after their first part; {resumed} attempts resumed a listing at its cursor")
    assert killed >= KILLS * 3 // 4, (killed, kills)
    # Listings were killed with a part landed and taken up again at their cursor (day 1's single
    # random moment comes before its first part, so its targeted kill always happens).
    assert after_first_part >= 1 and resumed >= 1
    # No part of a killed attempt survives in a finished run, and the states say what the reference's
    # say once read as the next run would read them (a step killed after its manifest is not rerun:
    # its state is caught up on that read).
    assert landing_files(home) == landing_files(reference.home)
    for read in (listed_state, cards_miner.fetched_state, history_miner.fetched_state):
        read(Paths(home))
    assert states(home) == states(reference.home)


def test_a_kill_between_a_runs_manifest_and_its_state_write_is_caught_up(hubs, reference, tmp_path):
    """The narrowest window, which random kill points rarely hit: the manifest is written, the state
    is not. Simulated exactly, after every crawl step: that miner's state file is put back as it was
    before the step. The next readers must fold the finished run in themselves, so that nothing is
    fetched twice (duplicates) or at a stale sha."""
    pipeline = [(name, call) for name, _, _, call in steps(hubs)]
    reference, checksums, _ = reference
    killed = Paths(tmp_path / "killed")
    expected = checksums[pipeline[-1][0]]

    state_of = {"models": "models_listed.parquet", "cards": "cards_fetched.parquet",
                "history": "history_fetched.parquet"}
    for name, call in pipeline:
        kind = name.split()[0]
        state = killed.state / state_of.get(kind, "-")
        before = state.read_bytes() if state.is_file() else None
        call(killed)
        if kind in state_of:
            assert (killed.landing / kind / name.split()[1] / MANIFEST).is_file()
            if before is None:
                state.unlink()
            else:
                state.write_bytes(before)
    assert warehouse_checksums(killed) == expected
    # The next run of each miner reads its state (catching up) and finds nothing left to fetch.
    with ReplayHub(hubs[1].snapshot_dir) as hub:
        again = crawl_cards(paths=killed, endpoint=hub.url, run_id="again", fetched_at=snapshot_time(hub),
                            max_cards=0, progress=False)
    assert again.attempted == 0
    assert landing_files(killed.home) == {**landing_files(reference.home), "cards/again": ["_manifest.json",
                                                                                         "part-00000.parquet"]}
    history_miner.fetched_state(killed)  # as the next history run would read it
    assert states(killed.home) == states(reference.home) | {"cards_fetched.parquet": states(killed.home)[
        "cards_fetched.parquet"]}
    cards_state = states(killed.home)["cards_fetched.parquet"]
    assert cards_state[0] == states(reference.home)["cards_fetched.parquet"][0]
    assert json.loads(cards_state[1]) == ["d0", "d1", "again"]
