"""What a hub snapshot is, as the replay hub tells its clients: generated, an imported sample, or a test hub.

The replay hub answers ``GET core.provenance.PATH`` with :func:`served_provenance` of the snapshot
it serves (the real Hub has no such path: a crawl that gets a 404 knows it listed a real Hub). The
crawl lands the answer with its run, the loader keeps it in ``load_runs``, and the report says on
every page where its figures came from and which of them the data cannot support.

Shape (JSON): ``kind`` (``generated`` | ``imported`` | ``replay``), ``snapshot_time`` (the moment the
data depicts: a crawl without ``--as-of`` stands for that time, not for the wall clock), ``models``,
``source`` (the snapshot maker), and per kind:

- generated: ``seed``, ``base_models`` (day-0 size), ``day``, ``generator``.
- imported: ``sources`` (per recorded source: ``name``, ``what``, ``models``, ``coverage``),
  ``unsupported`` (claim id -> why the sample cannot support it; the report withholds those
  figures), ``card_unknown`` (models a source records as carded whose text nobody recorded).
"""

from __future__ import annotations

import json
from typing import Any

from core.provenance import GENERATED, REPLAY

META_KEY = "provenance"  # the importer's record (JSON) in the snapshot's meta table


def served_provenance(meta: dict[str, str]) -> dict[str, Any]:
    """The provenance of a snapshot from its ``meta`` table (see the module docstring)."""
    source = meta.get("source", "")
    base = {"source": source, "snapshot_time": meta.get("snapshot_time"), "models": _int(meta.get("models"))}
    if META_KEY in meta:
        return {**json.loads(meta[META_KEY]), **base}
    if source == "generate":
        return {"kind": GENERATED, **base, "seed": _int(meta.get("seed")), "day": _int(meta.get("day")),
                "base_models": _int(meta.get("base_models")), "generator": meta.get("generator")}
    return {"kind": REPLAY, **base}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
