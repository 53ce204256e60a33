"""The report of an imported sample, built the way a user builds it: `hub import-real` (conftest's
``real_snapshot``) -> replay hub -> crawl models (no --as-of), a bounded cards crawl and the history
of the top repos -> load -> analyses -> report. About a minute; built once per session."""

from __future__ import annotations

from pathlib import Path

from analysis.run import run_analyses
from core.config import Paths
from miners.cards import crawl_cards
from miners.history import crawl_history
from miners.models import crawl_models
from replayhub.server import ReplayHub
from report.build import build_site
from warehouse.load import load_pending

MAX_CARDS = 600  # enough for every card figure; all 77k would take minutes
HISTORY_TOP_N = 40


def build_imported_site(snapshot: Path, root: Path) -> tuple[Paths, Path, dict]:
    """(paths, site folder, crawl results) of the imported sample in ``snapshot``."""
    paths = Paths(root / "home")
    with ReplayHub(snapshot) as hub:
        results = {"models": crawl_models(paths=paths, endpoint=hub.url, progress=False),
                   "cards": crawl_cards(paths=paths, endpoint=hub.url, max_cards=MAX_CARDS, progress=False),
                   "history": crawl_history(paths=paths, endpoint=hub.url, top_n=HISTORY_TOP_N, progress=False)}
    load_pending(paths)
    run_analyses(paths)
    return paths, build_site(paths, root / "site"), results
