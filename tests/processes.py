"""Hubmine commands in processes of their own, to be SIGKILLed: the client of ``tests/forkserver.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def env(tmp: Path) -> dict[str, str]:
    """The environment of a command: no Hub settings of the caller's, a private HF_HOME, short backoffs."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUBMINE_"))}
    out.update(HF_HOME=str(tmp / "hf-home"), HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DISABLE_PROGRESS_BARS="1",
               HUBMINE_RETRY_BASE_SECONDS="0.01", HUBMINE_RETRY_CAP_SECONDS="0.1")
    return out


class ForkServer:
    """``tests/forkserver.py``: runs each command in a forked child of one pre-imported process."""

    def __init__(self, environ: dict[str, str], logs: Path):
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("forkserver.py"))],
                                     env=environ, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.logs = logs
        self.count = 0

    def start(self, home: Path, args: list[str]) -> int:
        self.count += 1
        log = self.logs / f"{self.count:03d}.log"
        self.proc.stdin.write(json.dumps({"args": ["--home", str(home), *args], "log": str(log)}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())["pid"]

    def wait(self) -> int:
        """The exit code of the last command (negative: the signal that killed it)."""
        return json.loads(self.proc.stdout.readline())["code"]

    def output(self) -> str:
        return (self.logs / f"{self.count:03d}.log").read_text()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
