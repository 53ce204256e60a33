"""The folders are layers of the data flow (pyproject.toml [tool.importlinter]): an import that runs
back up a layer, or production code that reaches into the replay hub, fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    # In a child process: import-linter configures logging for the whole interpreter, which would
    # silence the loggers other tests read.
    done = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                           "lint_imports_command()", "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Contracts: 3 kept, 0 broken." in done.stdout, done.stdout + done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
