"""Documentation coverage: how many models carry a card, and how much of the usage they account for.

Liang et al. 2024 ("What's documented in AI? Systematic Analysis of 32K AI Model Cards") report that
42.70% of the Hub's dated models had a card and that those models drew 90.48% of downloads.
:func:`card_coverage` computes both shares from any table with a has-card flag, a download count and a
creation time, so the warehouse, the report and the conformance test share one definition.

Definitions:

* dated -- ``created_at`` is not null and is not one of the Hub's placeholder creation dates
  (:data:`core.hub.PLACEHOLDER_CREATED_AT`, given to old models whose real date was lost). Only dated
  models count, because coverage is reported per creation period and an undated model belongs to none.
* carded -- the has-card flag is true; a null flag counts as no card (no evidence of one).
* downloads -- null counts as 0.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

import polars as pl

from core.hub import PLACEHOLDER_CREATED_AT

__all__ = ["CardCoverage", "card_coverage", "dated_models"]

# The placeholders to the second, as a naive UTC datetime and as the start of an ISO string.
_PLACEHOLDER_INSTANTS = tuple(
    datetime.fromisoformat(p).astimezone(UTC).replace(tzinfo=None, microsecond=0) for p in PLACEHOLDER_CREATED_AT
)
_PLACEHOLDER_STAMPS = tuple(p[:19] for p in PLACEHOLDER_CREATED_AT)


class CardCoverage(NamedTuple):
    share: float           # carded dated models / dated models
    download_share: float  # downloads of carded dated models / downloads of dated models


def _as_frame(frame) -> pl.DataFrame:
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if isinstance(frame, pl.DataFrame):
        return frame
    return pl.DataFrame(pl.from_arrow(frame)) if hasattr(frame, "schema") else pl.DataFrame(frame)


def _dated_expr(frame: pl.DataFrame, created_col: str, exclude_placeholder: bool) -> pl.Expr:
    col = pl.col(created_col)
    dtype = frame.schema[created_col]
    dated = col.is_not_null()
    if not exclude_placeholder:
        return dated
    if isinstance(dtype, pl.Datetime):
        as_utc = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None) if dtype.time_zone else col
        second, placeholders = as_utc.dt.truncate("1s"), _PLACEHOLDER_INSTANTS
    elif dtype == pl.String:
        # ISO strings as the API returns them ("2022-03-02T23:29:05.000Z"); compare to the second
        second, placeholders = col.str.replace(" ", "T").str.slice(0, 19), _PLACEHOLDER_STAMPS
    else:
        return dated  # dates without a time cannot hold a placeholder instant
    return dated & (~second.is_in(placeholders)).fill_null(True)


def dated_models(frame, *, created_col: str = "created_at", exclude_placeholder: bool = True) -> pl.DataFrame:
    """The rows of ``frame`` that count as dated (see the module docstring)."""
    df = _as_frame(frame)
    return df.filter(_dated_expr(df, created_col, exclude_placeholder))


def card_coverage(
    frame,
    *,
    card_col: str = "has_card",
    downloads_col: str = "downloads",
    created_col: str = "created_at",
    exclude_placeholder: bool = True,
) -> CardCoverage:
    """(share of dated models with a card, share of their downloads held by carded models).

    ``frame`` is a polars DataFrame/LazyFrame or anything ``pl.from_arrow`` reads. Either share is NaN
    when its denominator is zero (no dated models, or no downloads at all).
    """
    df = dated_models(frame, created_col=created_col, exclude_placeholder=exclude_placeholder)
    carded = pl.col(card_col).fill_null(False).cast(pl.Boolean)
    downloads = pl.col(downloads_col).cast(pl.Float64).fill_null(0.0).fill_nan(0.0)
    row = df.select(
        n=pl.len(),
        n_carded=carded.sum(),
        dl=downloads.sum(),
        dl_carded=pl.when(carded).then(downloads).otherwise(0.0).sum(),
    ).row(0, named=True)
    n, dl = row["n"], row["dl"] or 0.0
    share = row["n_carded"] / n if n else float("nan")
    download_share = row["dl_carded"] / dl if dl else float("nan")
    return CardCoverage(float(share), float(download_share))
