"""What a user sees on the terminal (issue 18, points 2, 3 and 8): one progress bar per step and none of
huggingface_hub's, a bad endpoint refused in seconds naming the URL and what answered, a retry that
waits saying so, `hub serve` on a busy port in one line, and a demo that speaks in words.

Real parts throughout: the `hubmine` command in a pseudo-terminal or a process of its own, the replay
hub, real sockets and HTTP servers on this machine; no mocks."""

from __future__ import annotations

import fcntl
import http.server
import os
import pty
import re
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hubmine.cli import main
from miners import hubclient
from miners.hubclient import STATS, EndpointError, check_endpoint
from replayhub.server import HubConfig, ReplayHub
from replayhub.synth import generate
from replayhub.synth.card_dump import publish_card_dump

MODELS = 120
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BAR = re.compile(r"^(?P<desc>[^:|]+): +(?:\d+%\||\d+ [a-z]+ \[)")  # "fetching cards:  40%|" or "x: 12 models ["


@pytest.fixture(scope="module")
def hub_dir(tmp_path_factory) -> Path:
    """A small generated hub that also offers the card dump of its own day."""
    out = tmp_path_factory.mktemp("terminal_hub")
    generate(out, models=MODELS, seed=11, progress=False)
    publish_card_dump(out, out)
    return out


@pytest.fixture(scope="module")
def hub(hub_dir):
    with ReplayHub(hub_dir) as served:
        yield served


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    """No Hub settings of the caller's, a private (empty) HF_HOME, short backoffs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUBMINE_", "TQDM_"))}
    env.update(HF_HOME=str(tmp / "hf-home"), HF_HUB_DISABLE_TELEMETRY="1", HUBMINE_RETRY_BASE_SECONDS="0.01",
               HUBMINE_RETRY_CAP_SECONDS="0.1", **extra)
    return env


def _hubmine(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hubmine.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ``hubmine ARGS`` with stdout and stderr on a 160-column pseudo-terminal (where tqdm draws)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "hubmine.cli", *args], env=env, stdin=slave, stdout=slave,
                            stderr=slave, close_fds=True)
    os.close(slave)
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the process closed its end
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(timeout=60), out.decode("utf-8", errors="replace")


def _bars(screen: str) -> dict[str, list[str]]:
    """Every state drawn of every progress bar, by the bar's description."""
    bars: dict[str, list[str]] = {}
    for piece in re.split(r"[\r\n]", ANSI.sub("", screen)):
        if m := BAR.match(piece.strip()):
            bars.setdefault(m["desc"], []).append(piece.strip())
    return bars


# -- 2: one bar per step, none of the library's ---------------------------------------------------

def test_each_step_draws_one_bar_of_its_own_and_huggingface_hub_draws_none(hub, tmp_path):
    env = _env(tmp_path, HF_ENDPOINT=hub.url)
    home = str(tmp_path / "home")
    # A listing before: its size is the next listing bar's total (the first listing has only a rate).
    # (as of a day before the snapshot: a listing without --as-of stands for the snapshot's own time)
    assert _hubmine("--home", home, "crawl", "models", "--no-progress", "--as-of", "2026-10-31T00:00:00",
                    env=env).returncode == 0
    steps = [(["crawl", "models"], "listing models"), (["bootstrap", "cards"], "landing dumped cards"),
             (["crawl", "cards"], "fetching cards")]
    for args, desc in steps:
        code, screen = _on_a_terminal(["--home", home, *args], env)
        assert code == 0, screen
        bars = _bars(screen)
        assert list(bars) == [desc], screen  # the dump's Parquet download drew no bar of its own
        last = bars[desc][-1]
        assert re.search(r"\d+/\d+ \[", last) and "/s]" in last, last  # counts, rate (and ETA while running)
        done, total = map(int, re.search(r"(\d+)/(\d+) \[", last).groups())
        assert done == total > 0, last


def test_the_library_bar_would_be_seen_where_the_user_asks_for_it(hub, tmp_path):
    """The control of the test above: HF_HUB_DISABLE_PROGRESS_BARS=0 is the user's and wins, and then
    the download bar of the dump file shows, so its absence above is not blindness of the test."""
    env = _env(tmp_path, HF_ENDPOINT=hub.url, HF_HUB_DISABLE_PROGRESS_BARS="0")
    home = str(tmp_path / "home")
    # (as of a day before the snapshot: a listing without --as-of stands for the snapshot's own time)
    assert _hubmine("--home", home, "crawl", "models", "--no-progress", "--as-of", "2026-10-31T00:00:00",
                    env=env).returncode == 0
    code, screen = _on_a_terminal(["--home", home, "bootstrap", "cards"], env)
    assert code == 0, screen
    assert any(desc.endswith(".parquet") for desc in _bars(screen)), screen


# -- 3: a bad endpoint fails at once, naming the URL and what answered --------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _HtmlPage(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        body = b"<!doctype html><title>a web site</title><p>hello"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def html_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HtmlPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("command", [["crawl", "models"], ["crawl", "cards"], ["crawl", "history"],
                                     ["bootstrap", "cards"]])
def test_every_crawl_refuses_an_endpoint_where_nothing_listens_at_once(command, hub, tmp_path):
    runner, home = CliRunner(), ["--home", str(tmp_path)]
    assert runner.invoke(main, [*home, "crawl", "models", "--endpoint", hub.url, "--no-progress"]).exit_code == 0
    runs = sorted((tmp_path / "landing").glob("*/*"))
    url = f"http://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    result = runner.invoke(main, [*home, *command, "--endpoint", url])
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and f"{url} refused the connection" in result.output, result.output
    assert sorted((tmp_path / "landing").glob("*/*")) == runs  # it failed before starting a run


def test_the_endpoint_check_names_what_answered(hub, html_site):
    assert check_endpoint(hub.url) == hub.url
    cases = {
        "notaurl": ["'notaurl' is not an http(s) URL", "https://huggingface.co"],
        f"{hub.url}/api/models": [f"{hub.url}/api/models/api/models answered HTTP 404", "not as the Hub API",
                                  "without the /api/... path"],
        html_site: [f"{html_site}/api/models answered HTTP 200 (text/html), not as the Hub API"],
    }
    for url, words in cases.items():
        started = time.monotonic()
        with pytest.raises(EndpointError) as caught:
            check_endpoint(url)
        assert time.monotonic() - started < 5
        for w in words:
            assert w in str(caught.value), str(caught.value)


def test_an_endpoint_that_accepts_but_never_answers_fails_within_the_check_timeout():
    with socket.socket() as listener:  # the kernel accepts connections into the backlog; nobody answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(EndpointError, match=re.escape(f"{url} did not answer within")):
            check_endpoint(url)
        assert time.monotonic() - started < hubclient.CHECK_TIMEOUT + 3


# -- 3: a retry that waits says so ------------------------------------------------------------------

WAITING = re.compile(r"^waiting (\d+(?:\.\d)?) s: HTTP 429 from 127\.0\.0\.1:(\d+) \(resolvers\), retry (\d+)/(\d+)$")


def _crawl_cards(hub_dir: Path, tmp_path: Path, config: HubConfig, workers: int, max_cards: int):
    """`hubmine crawl models` then `crawl cards` against a replay hub served with ``config``: the cards
    command's result, the 429s it got, its waiting lines, and the hub's port."""
    with ReplayHub(hub_dir, config=config) as served:
        runner, home = CliRunner(), ["--home", str(tmp_path)]
        assert runner.invoke(main, [*home, "crawl", "models", "--endpoint", served.url]).exit_code == 0
        before = STATS.rate_limited["resolvers"]
        result = runner.invoke(main, [*home, "crawl", "cards", "--endpoint", served.url, "--workers", str(workers),
                                     "--max-cards", str(max_cards)])
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if line.startswith("waiting")]
    return result, STATS.rate_limited["resolvers"] - before, said, served.port


def test_a_429_wait_is_said_on_the_terminal_in_one_line(hub_dir, tmp_path):
    config = HubConfig(faults={"429": {"resolvers": 0.05}}, window_seconds=2, seed=3)
    result, got_429, said, port = _crawl_cards(hub_dir, tmp_path, config, workers=4, max_cards=50)
    assert got_429 > 0 and said, result.output
    for line in said:
        m = WAITING.match(line)
        assert m, line
        # the wait is the window's reset (1 or 2 s); the retry counts against the policy's attempts
        assert int(m[2]) == port and 1 <= float(m[1]) <= 2
        assert 1 <= int(m[3]) <= int(m[4]) == hubclient.configure().attempts - 1
    # Threads blocked by one 429 together are announced once, not once each.
    assert len(said) <= got_429
    assert "0 errors" in result.stdout


def test_a_spent_budget_wait_is_said_once_per_window(hub_dir, tmp_path):
    """No 429 at all: the Hub's RateLimit headers say the window's quota is used up, the pacer holds
    every thread until the reset, and the terminal hears it once per window, not once per thread."""
    config = HubConfig(rate_limits={"resolvers": 40}, window_seconds=2)
    result, got_429, said, port = _crawl_cards(hub_dir, tmp_path, config, workers=8, max_cards=60)
    assert got_429 == 0  # the pacer kept under the limit
    pattern = re.compile(rf"^waiting (1\.\d|2\.0) s: the resolvers budget at 127\.0\.0\.1:{port} is spent "
                         r"until its window resets$")
    assert said and all(pattern.match(line) for line in said), said
    windows = int(result.stdout.split(" resolver request")[0].rsplit(" ", 1)[1].replace(",", "")) // 40 + 1
    assert len(said) <= windows, said


# -- 8: hub serve on a busy port, the demo in words ---------------------------------------------------

def test_hub_serve_on_a_busy_port_says_so_in_one_line(hub_dir, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run = _hubmine("hub", "serve", str(hub_dir), "--port", str(port), env=_env(tmp_path), timeout=60)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1, run.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in run.stderr and "--port 0" in run.stderr


def test_the_demo_speaks_in_words_one_line_a_step(tmp_path):
    run = _hubmine("--home", str(tmp_path / "home"), "demo", "--models", "60", "--days", "2", "--seed", "3",
                   env=_env(tmp_path), timeout=600)
    assert run.returncode == 0, run.stderr
    lines = (run.stdout + run.stderr).splitlines()
    dict_repr = re.compile(r"[{\[]['\"]|['\"]: |\{\}")
    assert not [line for line in lines if dict_repr.search(line)], lines
    for day in (0, 1):
        steps = [line for line in lines if line.startswith(f"[day {day}] ")]
        # generate, serve, list, (bootstrap on day 0), cards, history, load
        assert len(steps) == (7 if day == 0 else 6), steps
    assert len(lines) <= 25, lines
    assert all(len(line) <= 200 for line in lines), lines
    # the cards step says what became of every model it took: fetched, without README.md, or errors
    card_lines = [line for line in lines if " new or changed models: " in line]
    assert len(card_lines) == 2, lines  # one a day
    for line in card_lines:
        counts = dict((what, int(n.replace(",", ""))) for n, what in re.findall(
            r"([\d,]+) (fetched|without README\.md|errors)", line.split(": ", 1)[1]))
        taken = int(re.search(r"cards of ([\d,]+) new", line).group(1).replace(",", ""))
        assert sum(counts.values()) == taken, line
    assert run.stderr == ""  # no warnings, no bars
