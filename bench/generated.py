"""What the crawl benches share: the options naming a generated hub, and generating it only once.

Imported by the bench scripts, which run as ``python bench/<name>.py`` (so this folder is on the path).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from replayhub.snapshot import DB_NAME
from replayhub.synth import generate


def hub_options(parser: argparse.ArgumentParser, *, models: int) -> None:
    """``--models`` (the size of the hub to generate) and ``--keep DIR`` (reuse or keep it there)."""
    parser.add_argument("--models", type=int, default=models)
    parser.add_argument("--keep", type=Path, help="Reuse/keep the generated hub in this folder.")


def generated_hub(hub_dir: Path, *, models: int, seed: int, progress: bool = False) -> Path:
    """``hub_dir``, with a hub of ``models`` generated into it unless one is there already."""
    if not (hub_dir / DB_NAME).is_file():
        started = time.perf_counter()
        generate(hub_dir, models=models, seed=seed, progress=progress)
        print(f"generate: {models:,} models in {time.perf_counter() - started:.1f}s")
    return hub_dir
