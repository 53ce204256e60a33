"""analysis.cards.stats against Liang et al. 2024 (liang2024_modelcards/model_info.parquet).

The paper: 42.70% of the dated models have a card, and those hold 90.48% of downloads. "Dated" is
a non-null creation_time: 74,970 rows, 173 without a creation time, 74,797 dated.
"""

from __future__ import annotations

import polars as pl
import pytest

from analysis.cards.stats import card_coverage, dated_models

pytestmark = pytest.mark.realdata


@pytest.fixture
def liang(realdata) -> pl.DataFrame:
    frame = pl.read_parquet(realdata / "liang2024_modelcards" / "model_info.parquet")
    return frame.rename({"has_modelcard": "has_card", "creation_time": "created_at"})


def test_dated_models(liang):
    assert liang.height == 74_970
    assert dated_models(liang).height == 74_797


def test_card_coverage_matches_the_paper(liang):
    share, download_share = card_coverage(liang)
    assert round(100 * share, 2) == 42.70
    assert round(100 * download_share, 2) == 90.48


def test_undated_rows_change_the_answer(liang):
    """Counting the 173 undated models too gives 42.83%: the paper's denominator is the dated set."""
    undated_too = card_coverage(liang.with_columns(pl.col("created_at").fill_null(pl.col("created_at").min())))
    assert round(100 * undated_too.share, 2) == 42.83
