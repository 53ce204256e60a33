"""Source ``castano``: ``castano_hfco2/HFCO2.csv`` (Castano et al. 2023, the HFCO2 carbon dataset).

Taken: ``cardData.co2_eq_emissions`` = {emissions, source, training_type, geographical_location,
hardware_used (the ``environment`` column)} with the raw values verbatim, "Not Specified" included;
``datasets`` into ``cardData.datasets``; downloads, likes, created_at (a day, so it ranks below
every exact timestamp); the ``library_name`` list into ``tags`` (its first non-framework entry as
``library_name``); ``size`` into ``usedStorage``. HFCO2 records model *names* without owners: a
name becomes ``owner/name`` only when the owner is certain (see :func:`resolve`); otherwise the
recorded name is kept as a legacy-style bare id. A name recorded in several rows keeps its first
row; the others are counted.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from replayhub.import_real.cards import CardIndex
from replayhub.import_real.record import Record, RecordFor
from replayhub.import_real.values import list_literal, num, whole

# Framework tags in HFCO2's library list: real tags, but not a `library_name`.
FRAMEWORK_TAGS = frozenset({"pytorch", "tf", "jax", "safetensors", "tensorboard", "rust", "onnx",
                            "tflite", "coreml", "keras", "flax", "tf-keras"})


def add(path: Path, rec: RecordFor, recs: dict[str, Record], liang: pl.DataFrame, cards: CardIndex,
        dates: list[str]) -> dict[str, Any]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first: dict[str, dict[str, str]] = {}
    duplicates: Counter[str] = Counter()
    for row in rows:
        if row["modelId"] in first:
            duplicates[row["modelId"]] += 1
        else:
            first[row["modelId"]] = row
    resolved, how = resolve(first, recs, liang, cards)
    for name, row in first.items():
        repo_id = resolved[name]
        r = rec(repo_id, "castano")
        created = f"{row['created_at']}T00:00:00.000Z" if row["created_at"] else None
        libraries = list_literal(row["library_name"])
        size = num(row["size"])
        r.layers["castano_day"] = {"createdAt": created}
        r.layers["castano"] = {
            "downloads": whole(row["downloads"]), "likes": whole(row["likes"]),
            "library_name": next((lib for lib in libraries if lib not in FRAMEWORK_TAGS), None),
            "usedStorage": int(size) if size is not None else None}
        r.tags["castano"] = libraries
        card: dict[str, Any] = {"co2_eq_emissions": {
            "emissions": num(row["co2_eq_emissions"]), "source": row["source"],
            "training_type": row["training_type"], "geographical_location": row["geographical_location"],
            "hardware_used": row["environment"]}}
        datasets = [d for d in list_literal(row["datasets"]) if d]
        if datasets:
            card["datasets"] = datasets
        r.card_layers["castano"] = card
        if created:
            dates.append(created)
    return {"rows": len(rows), "models": len(first), "duplicate_rows": sum(duplicates.values()),
            "duplicated_names": dict(sorted(duplicates.items())), "resolution": dict(sorted(how.items()))}


def resolve(first: dict[str, dict[str, str]], recs: dict[str, Record], liang: pl.DataFrame,
            cards: CardIndex) -> tuple[dict[str, str], Counter[str]]:
    """HFCO2 name -> snapshot id.

    ``owner/name`` only when certain: the name is itself a known id (legacy), or exactly one known
    id (Liang or an already imported source) has that name and the same creation day as HFCO2 records
    (a unique name alone is not enough: HFCO2's ``flan-t5-large`` is a 2023 AutoTrain model, not
    google's), or exactly one 2023 card scrape stem ``{owner}_{name}`` whose card declares
    ``co2_eq_emissions`` (HFCO2 was built from such cards). Otherwise the recorded name stays the id.
    """
    created: dict[str, str | None] = {}
    for repo_id, when in liang.select("modelId", pl.col("creation_time").dt.strftime("%Y-%m-%d")).iter_rows():
        created[repo_id] = when
    for repo_id, r in recs.items():
        when = r.created()
        created.setdefault(repo_id, when[:10] if when else None)
    by_name: dict[str, list[str]] = defaultdict(list)
    for repo_id in created:
        by_name[repo_id.rsplit("/", 1)[-1]].append(repo_id)
    resolved: dict[str, str] = {}
    how: Counter[str] = Counter()
    for name, row in first.items():
        if name in created:
            resolved[name] = name
            how["known_bare_id"] += 1
            continue
        day = row["created_at"] or None
        candidates = [c for c in by_name.get(name, ()) if "/" in c and day and created.get(c) == day]
        if len(candidates) == 1:
            resolved[name] = candidates[0]
            how["known_id"] += 1
            continue
        stem_ids = [c for c in cards.stem_candidates(name) if cards.declares_co2(c)
                    and created.get(c, day) in (None, day)]
        if len(stem_ids) == 1:
            resolved[name] = stem_ids[0]
            how["card_stem"] += 1
            continue
        resolved[name] = name
        how["unresolved_bare_name"] += 1
    return resolved, how
