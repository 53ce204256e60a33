"""Where hubmine keeps its data: one home folder holding the landing zone, miner state and the warehouse."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = "hubmine-data"
DEFAULT_ENDPOINT = "https://huggingface.co"


@dataclass(frozen=True)
class Paths:
    home: Path
    # The DuckDB file, when it must not live in the home folder: with workers on several machines
    # the home (landing zone, miner state) is shared storage, while the warehouse belongs on the
    # local disk of the one machine that runs the loader (DuckDB wants a local file and one writer).
    warehouse_file: Path | None = None

    @classmethod
    def from_env(cls, home: str | Path | None = None) -> Paths:
        """``home`` if given, else ``$HUBMINE_HOME``, else ``./hubmine-data``; the warehouse file is
        ``$HUBMINE_WAREHOUSE`` if set, else ``<home>/warehouse.duckdb``."""
        warehouse = os.environ.get("HUBMINE_WAREHOUSE")
        return cls(Path(home or os.environ.get("HUBMINE_HOME") or DEFAULT_HOME).resolve(),
                   Path(warehouse).resolve() if warehouse else None)

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def state(self) -> Path:
        return self.home / "state"

    @property
    def warehouse(self) -> Path:
        return self.warehouse_file or self.home / "warehouse.duckdb"

    @property
    def reports(self) -> Path:
        return self.home / "reports"


def hub_endpoint(endpoint: str | None = None) -> str:
    """The Hub to talk to: the argument, else ``$HF_ENDPOINT``, else the real Hub."""
    return (endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def progress_disabled(progress: bool) -> bool | None:
    """tqdm's ``disable``: off when asked, else automatic (bars on a terminal, silence in logs)."""
    return True if not progress else None
