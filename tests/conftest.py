"""Shared test setup: a private Hugging Face client environment and the real-data folder.

huggingface_hub reads HF_HOME and friends once, at import, so they are set here, before any test
module imports the client (and so are hubmine's client settings, read by miners.hubclient at import).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="hubmine-test-hf-home-")
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
os.environ.pop("HF_TOKEN", None)
# hubmine's client retries with backoff from 1 s up to 30 s; tests keep the same number of attempts
# but wait milliseconds, so that a test of a persistent error does not sleep for a minute.
os.environ["HUBMINE_RETRY_BASE_SECONDS"] = "0.01"
os.environ["HUBMINE_RETRY_CAP_SECONDS"] = "0.1"
os.environ.pop("HF_ENDPOINT", None)
# Airflow reads AIRFLOW_HOME and its settings once, at import, too: whichever test reaches it first (a
# DAG test, or a task function looking up its Hub connection) gets this private home, never ~/airflow.
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="hubmine-test-airflow-home-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


@pytest.fixture
def realdata() -> Path:
    """../shared/realdata, or a clean skip where it is not beside the checkout."""
    if not REALDATA.is_dir():
        pytest.skip(f"real data not present at {REALDATA}")
    return REALDATA


@pytest.fixture(scope="session")
def real_snapshot(tmp_path_factory) -> tuple[Path, dict]:
    """The hub snapshot `hub import-real` builds from ../shared/realdata, built once per test session
    (about 10 s) and shared read-only: (snapshot folder, import summary)."""
    if not REALDATA.is_dir():
        pytest.skip(f"real data not present at {REALDATA}")
    from replayhub.import_real import import_real

    out = tmp_path_factory.mktemp("real_snapshot")
    return out, import_real(REALDATA, out, progress=False)


@pytest.fixture(scope="session")
def report_home(tmp_path_factory):
    """A warehouse built by the real pipeline on a small generated hub with hostile names mixed in
    (tests/report_warehouse.py), built once per session (about 10 s) and shared read-only by the report,
    browser and SQL-documentation tests: a test that changes it works on `report_warehouse.copy_home`."""
    from report_warehouse import build_home

    return build_home(tmp_path_factory.mktemp("report_home"))


@pytest.fixture(scope="session")
def report_site(report_home, tmp_path_factory):
    """(paths, site folder): `report_home` plus hand-made forecast views, and its report with repo ids linked
    to the Hub, built once and shared read-only by the report and browser tests."""
    from report_warehouse import forecast_site

    return forecast_site(report_home, tmp_path_factory.mktemp("report_site"), "https://huggingface.co")


@pytest.fixture(scope="session")
def imported_site(real_snapshot, tmp_path_factory):
    """(paths, site folder, crawl results): the report of the `hub import-real` sample, crawled without
    --as-of (tests/imported_report.py), built once per session (about a minute) and shared read-only."""
    from imported_report import build_imported_site

    return build_imported_site(real_snapshot[0], tmp_path_factory.mktemp("imported_site"))


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """(paths, site folder): what `hubmine demo` builds, on a small generated hub (two days)."""
    from core.config import Paths
    from hubmine.demo import run_demo

    paths = Paths(tmp_path_factory.mktemp("demo") / "home")
    result = run_demo(paths, models=DEMO_MODELS, days=2, seed=DEMO_SEED, echo=lambda line: None)
    return paths, Path(result["report"])


DEMO_MODELS, DEMO_SEED = 300, 7  # the demo's own size (5,000) would take minutes here
