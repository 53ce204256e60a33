"""Source ``liang``: ``liang2024_modelcards/model_info.parquet`` (Liang et al. 2024, model card analysis).

Taken: 74,970 models: author, createdAt, downloads; ``pipeline_tag`` = ``task_category`` unless
``unknown`` (every other value is a Hub pipeline tag), also listed in ``tags`` as the Hub does;
``has_modelcard`` (a card is attached only where its text is recorded, see ``cards.py``).
``task_domain`` is the paper's grouping, not a Hub field, and is not stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from replayhub.import_real.record import RecordFor


def load(folder: Path) -> pl.DataFrame:
    """The models table; HFCO2's names are resolved against it too (``castano.resolve``)."""
    return pl.read_parquet(folder / "model_info.parquet")


def add(liang: pl.DataFrame, rec: RecordFor, dates: list[str]) -> dict[str, Any]:
    frame = liang.select(
        "modelId", "author", "has_modelcard", "task_category",
        pl.col("downloads").round().cast(pl.Int64),
        pl.col("creation_time").dt.strftime("%Y-%m-%dT%H:%M:%S.000Z").alias("created"))
    tagged = 0
    for repo_id, author, has_card, task, downloads, created in frame.iter_rows():
        r = rec(repo_id, "liang")
        pipeline = task if task and task != "unknown" else None
        r.layers["liang"] = {"author": author, "createdAt": created, "downloads": downloads,
                             "pipeline_tag": pipeline}
        if pipeline:
            r.tags["liang"] = [pipeline]
            tagged += 1
        r.liang_has_card = bool(has_card)
        if created:
            dates.append(created)
    return {"rows": liang.height, "models": liang["modelId"].n_unique(), "with_pipeline_tag": tagged,
            "has_modelcard": int(liang["has_modelcard"].sum()), "null_creation_time":
                int(liang["creation_time"].null_count())}
