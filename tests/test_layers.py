"""The folders are layers of the data flow (pyproject.toml [tool.importlinter]): an import that runs
back up a layer, or production code that reaches into the replay hub, fails here."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert "Contracts: 3 kept, 0 broken." in report, report
    assert status == 0, report
