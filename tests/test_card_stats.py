"""analysis.cards.stats: which models count as dated (both Hub placeholder dates left out) and coverage."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import polars as pl
import pytest

from analysis.cards.stats import card_coverage, dated_models
from core.hub import PLACEHOLDER_CREATED_AT

CREATED = [
    "2022-03-02T23:29:04.000Z",  # the two placeholders, as the API writes them
    "2022-03-02T23:29:05.000Z",
    "2022-03-02 23:29:05",       # and as a timestamp printed by a database
    "2022-03-02T23:29:06.000Z",  # a real creation a second later
    "2023-01-15T10:00:00.000Z",
    None,
]
DATED = ["2022-03-02T23:29:06.000Z", "2023-01-15T10:00:00.000Z"]


def frame(created: list) -> pl.DataFrame:
    return pl.DataFrame({"created_at": created, "has_card": [True] * len(created),
                         "downloads": [10] * len(created)}, schema_overrides={"created_at": pl.String})


def test_both_placeholder_strings_count_as_undated():
    assert dated_models(frame(CREATED))["created_at"].to_list() == DATED
    assert dated_models(frame(CREATED), exclude_placeholder=False).height == len(CREATED) - 1


@pytest.mark.parametrize("time_zone", [None, "UTC", "Europe/Paris"])
@pytest.mark.parametrize("time_unit", ["us", "ns"])
def test_both_placeholder_instants_count_as_undated(time_zone, time_unit):
    instants = [None if c is None else datetime.fromisoformat(c).replace(tzinfo=UTC) for c in CREATED]
    column = pl.Series("created_at", instants, pl.Datetime(time_unit, "UTC"))
    column = column.dt.convert_time_zone(time_zone) if time_zone else column.dt.replace_time_zone(None)
    df = frame(CREATED).with_columns(column)
    kept = dated_models(df)["created_at"]
    kept = kept.dt.convert_time_zone("UTC") if time_zone else kept.dt.replace_time_zone("UTC")
    assert [t.strftime("%Y-%m-%dT%H:%M:%S.000Z") for t in kept] == DATED


def test_a_placeholder_model_changes_no_share():
    """A carded :05 model with most of the downloads would move both shares if it counted."""
    df = pl.DataFrame({"created_at": ["2022-03-02T23:29:05.000Z", "2023-01-01T00:00:00.000Z",
                                      "2023-02-01T00:00:00.000Z"],
                       "has_card": [True, True, False], "downloads": [1_000_000, 30, 70]})
    assert card_coverage(df) == (0.5, 0.3)
    assert card_coverage(df, exclude_placeholder=False) == (pytest.approx(2 / 3), pytest.approx(1_000_030 / 1_000_100))


@pytest.mark.realdata
def test_recorded_hub_bodies_carry_both_placeholders_and_neither_counts(realdata):
    """The recorded model_info bodies: createdAt is :05 36 times and :04 10 times; all 46 are undated."""
    found = [m for path in sorted((realdata / "hfhub_cassettes").rglob("*.json"))
             for m in re.findall(r'"createdAt":\s*"([^"]+)"', path.read_text())]
    counts = {p: found.count(p) for p in PLACEHOLDER_CREATED_AT}
    assert counts == {"2022-03-02T23:29:04.000Z": 10, "2022-03-02T23:29:05.000Z": 36}
    kept = dated_models(frame(found))["created_at"].to_list()
    assert kept == [c for c in found if c not in PLACEHOLDER_CREATED_AT]
    assert len(kept) == len(found) - 46
