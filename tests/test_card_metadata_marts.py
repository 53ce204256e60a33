"""Carbon and metadata-problem marts, built incrementally from the listed card metadata."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import DAY0, land, model, query

from analysis.run import run_analyses
from core.config import Paths
from warehouse.load import load_pending

CO2 = {"co2_eq_emissions": {"emissions": 500, "source": "codecarbon", "training_type": "fine-tuning",
                            "geographical_location": "FR", "hardware_used": "1 A100"}}




@pytest.fixture
def paths(tmp_path) -> Paths:
    paths = Paths(tmp_path / "home")
    land(paths, "d0", DAY0, [
        model("a/co2", card_data=CO2, safetensors_params={"F16": 1_000_000_000}),
        model("a/bad", card_data={"license": "MIT", "base_model": "a/bad", "co2_eq_emissions": 12}),
        model("a/plain"),
    ])
    load_pending(paths)
    return paths


def test_marts_hold_normalised_carbon_and_spec_problems(paths):
    summary = run_analyses(paths)["card_metadata"]
    assert summary["analysed"] == 3
    rows = query(paths, "SELECT model_id, reporting_class, model_bytes, bytes_per_g, efficiency_band "
                        "FROM carbon_reporting ORDER BY model_id")
    assert rows == [("a/bad", "emissions_only", None, None, None),
                    ("a/co2", "full_context", 2_000_000_000, 4_000_000.0, "E")]  # E: < 2.8e7 B/g
    problems = query(paths, "SELECT model_id, code FROM metadata_problems ORDER BY code")
    assert problems == [("a/bad", "base_model_self_reference"), ("a/bad", "license_id_case")]


def test_only_changed_models_are_reanalysed_and_gone_models_leave(paths):
    run_analyses(paths)
    assert run_analyses(paths)["card_metadata"]["analysed"] == 0
    land(paths, "d1", DAY0 + timedelta(days=1), [
        model("a/bad", sha="b" * 40, card_data={"license": "mit"}),
        model("a/plain"),
    ])
    load_pending(paths)
    assert run_analyses(paths)["card_metadata"]["analysed"] == 1
    assert query(paths, "SELECT count(*) FROM metadata_problems") == [(0,)]
    assert query(paths, "SELECT count(*) FROM marts.carbon") == [(0,)]
    assert query(paths, "SELECT count(*) FROM marts.analysed WHERE analysis = 'card_metadata'") == [(2,)]


def test_reporting_share_by_month(paths):
    run_analyses(paths)
    [(models, reporting, share)] = query(paths, "SELECT models, reporting, reporting_share FROM carbon_reporting_by_month")
    assert (models, reporting) == (3, 2) and share == pytest.approx(2 / 3, abs=1e-4)
