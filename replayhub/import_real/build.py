"""Build a hub snapshot from the real recorded Hub facts in ``../shared/realdata``.

The replay hub then serves real model ids, counters, dates, lineage edges, carbon fields, commit
histories and card texts, so the miners and the analyses can be checked against facts that someone
else recorded from the real Hub rather than against the project's own generator.

One module per recorded source says what is taken from it and how it lands in the snapshot
(``models.info`` is the ``GET /api/models/{id}`` body): ``cassettes``, ``oderinwale``, ``laufer``,
``gaissa``, ``castano``, ``liang``; ``cards`` attaches the recorded card texts. Every source fills
the same per-id :class:`~replayhub.import_real.record.Record`; ``record`` merges them (precedence,
commits and trees). This module runs them in that order and writes the snapshot.

``meta``: ``source`` = ``import-real``, ``snapshot_time`` = the newest date found in any source,
``sources`` = the per-source counts (JSON), ``provenance`` = what the sample covers and which
claims it cannot support (``coverage.provenance``; served to crawls by the replay hub).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from replayhub.import_real import cassettes, castano, coverage, gaissa, laufer, liang, oderinwale
from replayhub.import_real.cards import CardIndex
from replayhub.import_real.record import Record, newer_than_verbatim, overlaps
from replayhub.provenance import META_KEY
from replayhub.snapshot import SnapshotWriter

SOURCE = "import-real"


def import_real(realdata: Path, out_dir: Path, *, progress: bool = True) -> dict:
    """Write a hub snapshot of the real recorded facts in ``realdata`` to ``out_dir``.

    Returns the summary: per-source counts (rows read, models, merges, repaired/dropped rows, cards),
    the total model count, ``snapshot_time`` and the run time in seconds.
    """
    started = time.perf_counter()
    realdata, out_dir = Path(realdata), Path(out_dir)
    log = _logger(progress, started)
    recs: dict[str, Record] = {}
    summary: dict[str, Any] = {}
    dates: list[str] = []

    def rec(repo_id: str, source: str) -> Record:
        r = recs.get(repo_id)
        if r is None:
            r = recs[repo_id] = Record(repo_id)
        r.sources.append(source)
        return r

    summary["cassette"] = cassettes.add(realdata / "hfhub_cassettes", rec, dates)
    log("cassette", summary["cassette"])
    summary["oderinwale"] = oderinwale.add(realdata / "oderinwale_model_trees", rec, dates)
    log("oderinwale", summary["oderinwale"])
    summary["laufer"] = laufer.add(realdata / "laufer_modelbiome" / "graph_data_mini.json", rec, dates)
    log("laufer", summary["laufer"])
    summary["gaissa"] = gaissa.add(realdata / "gaissa_hf_diversity", rec, dates)
    log("gaissa", summary["gaissa"])
    liang_models = liang.load(realdata / "liang2024_modelcards")
    cards = CardIndex(realdata)
    summary["castano"] = castano.add(realdata / "castano_hfco2" / "HFCO2.csv", rec, recs, liang_models, cards,
                                     dates)
    log("castano", summary["castano"])
    summary["liang"] = liang.add(liang_models, rec, dates)
    log("liang", summary["liang"])
    summary["cards"] = cards.attach(recs)
    summary["liang"]["carded_without_text"] = sum(
        1 for r in recs.values() if r.liang_has_card and r.readme is None)
    summary["liang"]["cards_attached"] = sum(1 for r in recs.values() if "liang" in r.sources and r.readme)
    log("cards", summary["cards"])

    snapshot_time = max(dates)
    summary["merged"] = overlaps(recs)
    summary["gaissa"]["commits_newer_than_cassette_body"] = newer_than_verbatim(recs)
    ordered = sorted(recs.values(), key=lambda r: (r.sort_key(), r.id))
    meta = {"snapshot_time": snapshot_time, "sources": json.dumps(summary, sort_keys=True),
            META_KEY: json.dumps(coverage.provenance(summary, recs), sort_keys=True)}
    with SnapshotWriter(out_dir, source=SOURCE, meta=meta) as writer:
        for r in ordered:
            info, commits = r.build()
            writer.add_model(info, commits=commits)
            if r.verbatim is not None and info is not r.verbatim:
                writer.add_revision_body(r.id, json.loads(r.verbatim)["sha"], r.verbatim)
    result = {"models": len(recs), "snapshot_time": snapshot_time, **summary,
              "seconds": round(time.perf_counter() - started, 2)}
    log("done", {"models": len(recs), "seconds": result["seconds"]})
    return result


def _logger(enabled: bool, started: float):
    def log(step: str, counts: dict[str, Any]) -> None:
        if enabled:
            brief = {k: (len(v) if isinstance(v, (list, dict)) and k.endswith("rows") else v)
                     for k, v in counts.items()}
            print(f"[import-real {time.perf_counter() - started:6.1f}s] {step}: {json.dumps(brief, default=str)}",
                  file=sys.stderr, flush=True)
    return log
