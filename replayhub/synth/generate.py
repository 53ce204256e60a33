"""Deterministic synthetic hub snapshots with realistic distributions (``hubmine hub generate``).

``generate(out_dir, models=N, seed=S, day=D)`` writes a snapshot directory (format: ``SNAPSHOT.md``)
that depicts the date ``start + D days``:

* Model ``i``'s static attributes come from a random stream seeded by ``(seed, i)`` plus the
  lineage state of the models before it (parents are always earlier models), so generating N or
  2N models gives the same first N models, and the snapshot streams to millions of models while
  holding only the candidate parents in memory.
* Day ``d >= 1`` changes each model with probability ``daily_change``, decided by a hash of
  ``(seed, i, d)``: a new commit dated that day (card edit, weight change with a new LFS oid, or a
  config change) and more downloads/likes. Day ``D`` replays days ``1..D``; models not picked on
  day ``D`` are byte-identical to day ``D-1``. :func:`changed_models` tells which ones were picked.
* Distributions follow the Hub: exponential growth of createdAt since 2019 (older repos carry the
  placeholder ``2022-03-02T23:29:04.000Z``), Zipf-like authors (a few orgs with thousands of repos,
  a long tail of single-repo users), heavy-tailed downloads (many zeros) with correlated likes,
  base-model trees rooted at real foundation models (finetune / adapter / quantized / merge, the
  relation sometimes undeclared so it must be inferred from files), cards of every quality (none,
  one-liners, Trainer and AutoTrain boilerplate, the empty or partly filled official template,
  quantization and mergekit cards, rich cards, ~0.5% malformed YAML), carbon metadata on a few
  percent, commit histories with weight-file and card changes.
* ``plant_wsb=K`` plants K base-model families whose derivatives' createdAt follow the
  Wang–Song–Barabási curve with known parameters (recorded in meta ``planted_wsb``), as ground
  truth for the forecasting analysis. The N children of a family sit at the curve's quantiles
  (j + 0.5) / N rather than at random draws, so its cumulative count at any time is the curve
  rounded to a whole number: with random draws a family of a few hundred children pins λ down only
  to about ±60% (Poisson noise), and no fit could be checked against the truth. N depends on the
  total model count, so planted children's dates (only theirs) are not prefix-stable.
  ``plant_share`` sets the share of all models that are planted children (default
  min(0.02·K, 0.2)); ``plant_spread=R`` makes the families' expected sizes a geometric series from
  the smallest to R times it (default 1: equal), assigned to the families in random order, so one
  hub holds families of 50 and of 2,000 derivatives.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
import zlib
from pathlib import Path
from typing import Any

from replayhub.snapshot import DB_NAME, ModelRows, SnapshotError, SnapshotWriter, commit_row
from replayhub.synth.clock import DAY, _ts, iso
from replayhub.synth.daily import _Served, _served, changed_models, day_change, new_models_per_day
from replayhub.synth.history import _Repo
from replayhub.synth.info import model_info
from replayhub.synth.parallel import BLOCK, _merge_stats, _new_stats, _produced_blocks, default_workers
from replayhub.synth.population import _Generator

GENERATOR_VERSION = "hubmine-generate/3"  # 3: gen_state holds the pools as JSON, not pickled objects
SOURCE = "generate"

# Maker-specific tables (the replay hub ignores them): what :func:`advance` needs to continue.
GEN_TABLES = """
CREATE TABLE gen_models (pos INTEGER PRIMARY KEY, weights TEXT NOT NULL, owner TEXT NOT NULL);
CREATE TABLE gen_state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""


def generate(out_dir: str | Path, *, models: int, seed: int = 0, day: int = 0, daily_change: float = 0.03,
             start: str = "2026-11-01", progress: bool = True, plant_wsb: int = 0,
             plant_share: float | None = None, daily_new: float = 0.0,
             workers: int | None = None, plant_spread: float = 1.0) -> dict[str, Any]:
    """Write a synthetic hub snapshot of ``models`` model repos to ``out_dir``.

    Args:
        out_dir: the snapshot directory (``hub.sqlite`` is replaced if present).
        models: number of model repos on day 0 (streams: memory stays bounded up to millions).
        seed: the same (models, seed, day, daily_change, start, plant_wsb, plant_share, plant_spread,
            daily_new) gives identical rows.
        day: the simulated day depicted: ``start + day`` days; day ``d >= 1`` changes a
            ``daily_change`` share of the models (see :func:`changed_models`).
        daily_change: probability that a model gets a new commit on a given day.
        start: the date of day 0 (``YYYY-MM-DD``); every day-0 model is created before it.
        progress: show a tqdm progress bar.
        plant_wsb: number of planted base-model families whose derivatives' createdAt follow the
            Wang–Song–Barabási curve; parameters in meta ``planted_wsb`` (JSON list).
        plant_share: share of all models that are planted children (default min(0.02·K, 0.2)).
        plant_spread: the largest planted family's expected size over the smallest's (sizes in
            geometric progression, in random order); 1 (default) makes them alike.
        daily_new: models created each day ``d >= 1``, as a share of ``models``; appended after the
            earlier ones (see :func:`new_models_per_day`).
        workers: processes generating in parallel (default :func:`default_workers`); the output does
            not depend on it.

    Returns:
        Summary statistics (counts, shares, throughput) of the written snapshot.

    Day ``D`` equals day ``D-1`` advanced by :func:`advance`.

    >>> generate("/tmp/hub", models=1000, seed=1, progress=False)["models"]
    1000
    """
    if models < 1 or models >= 1 << 32:
        raise ValueError(f"models must be between 1 and 2^32-1, got {models}")
    if seed < 0 or seed >= 1 << 31:
        raise ValueError(f"seed must be between 0 and 2^31-1, got {seed}")
    if day < 0:
        raise ValueError(f"day must be >= 0, got {day}")
    if not 0.0 <= daily_change <= 1.0:
        raise ValueError(f"daily_change must be within [0, 1], got {daily_change}")
    if plant_wsb < 0:
        raise ValueError(f"plant_wsb must be >= 0, got {plant_wsb}")
    if plant_share is not None and not 0 < plant_share <= 0.9:
        raise ValueError(f"plant_share must be within (0, 0.9], got {plant_share}")
    if not 1.0 <= plant_spread <= 1e6:
        raise ValueError(f"plant_spread must be within [1, 10^6], got {plant_spread}")
    if not 0.0 <= daily_new <= 1.0:
        raise ValueError(f"daily_new must be within [0, 1], got {daily_new}")
    started = time.perf_counter()
    g = _Generator(models=models, seed=seed, start=start, plant_wsb=plant_wsb,
                   plant_share=plant_share, plant_spread=plant_spread)  # for meta; producers make rows
    per_day = new_models_per_day(models, daily_new)
    total = models + per_day * day
    meta = {"snapshot_time": iso(g.start_ts + day * DAY + DAY - 1), "seed": str(seed), "day": str(day),
            "daily_change": repr(float(daily_change)), "start": start, "generator": GENERATOR_VERSION,
            "base_models": str(models), "daily_new": repr(float(daily_new)), "plant_wsb": str(plant_wsb),
            "plant_share": "" if plant_share is None else repr(float(plant_share)),
            "plant_spread": repr(float(plant_spread))}
    if g.wsb:
        meta["planted_wsb"] = json.dumps([{k: v for k, v in p.items() if not k.startswith("_")} for p in g.wsb])
    params = {"models": models, "seed": seed, "start": start, "plant_wsb": plant_wsb, "plant_share": plant_share,
              "plant_spread": plant_spread, "day": day,
              "daily_change": daily_change, "per_day": per_day}
    # Day-0 models first, then each day's new ones (they need every earlier model as a possible
    # parent); each model is written once, with all its changes up to `day`.
    blocks = [(first, min(BLOCK, models - first), None) for first in range(0, models, BLOCK)]
    blocks += [(models + (d - 1) * per_day + k, min(BLOCK, per_day - k), d)
               for d in range(1, day + 1) for k in range(0, per_day, BLOCK)]
    if workers is None:
        workers = default_workers(total)
    workers = max(1, min(workers, len(blocks)))
    stats = _new_stats()
    bar = _progress(total, progress)
    try:
        with SnapshotWriter(out_dir, source=SOURCE, meta=meta) as w:
            w.db.executescript(GEN_TABLES)
            for block in _produced_blocks(params, blocks, workers):
                if block[0] == "state":
                    w.add_rows("gen_state", block[1])
                    continue
                _, rows, gen_rows, part = block
                for row in rows:
                    w.add_rows_of(ModelRows(*row))
                w.add_rows("gen_models", gen_rows)
                _merge_stats(stats, part)
                if bar is not None:
                    bar.update(len(rows))
    finally:
        if bar is not None:
            bar.close()
    elapsed = time.perf_counter() - started
    share = 1.0 / total
    db = sqlite3.connect(Path(out_dir) / DB_NAME)
    try:
        authors = db.execute("SELECT count(DISTINCT author) FROM models").fetchone()[0]
    finally:
        db.close()
    return {
        "path": str(Path(out_dir) / "hub.sqlite"), "models": total, "seed": seed, "day": day,
        "snapshot_time": meta["snapshot_time"], "commits": stats["commits"], "authors": authors,
        "changed_today": stats["changed_today"], "new_today": per_day if day else 0, "downloads": stats["downloads"],
        "share_readme_missing": round(stats["readme_missing"] * share, 4),
        "share_placeholder_created": round(stats["placeholder_created"] * share, 4),
        "share_co2": round(stats["co2"] * share, 4), "share_base_model": round(stats["with_base_model"] * share, 4),
        "share_relation_declared": round(stats["relation_declared"] * share, 4),
        "malformed_yaml": stats["malformed_yaml"], "base_model_relations": stats["relations"],
        "planted_wsb": len(g.wsb), "seconds": round(elapsed, 2), "models_per_s": round(total / elapsed, 1),
    }


def advance(snapshot_dir: str | Path, *, out: str | Path | None = None, days: int = 1,
            progress: bool = True) -> dict[str, Any]:
    """Turn a generated snapshot of day ``D`` into day ``D + days``: only the models that change
    (``daily_change`` of them a day) and the new ones (``daily_new``) are touched.

    The result is identical to :func:`generate` with ``day=D + days`` and the same other arguments.
    With ``out``, the snapshot is copied there first; without, it is advanced in place (a bench's
    rolling copy: the day it depicts is in its meta).
    """
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    started = time.perf_counter()
    src = Path(snapshot_dir)
    target = src if out is None else Path(out)
    if not (src / DB_NAME).is_file():
        raise SnapshotError(f"{src}: not a hub snapshot (no {DB_NAME})")
    if target.resolve() != src.resolve():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / DB_NAME, target / DB_NAME)
    db = sqlite3.connect(target / DB_NAME)
    db.execute("PRAGMA journal_mode=OFF")  # like the writer: a failed advance leaves a snapshot to regenerate
    db.execute("PRAGMA synchronous=OFF")
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("source") != SOURCE or meta.get("generator") != GENERATOR_VERSION or "base_models" not in meta:
            raise SnapshotError(f"{src}: not a snapshot of {GENERATOR_VERSION} (meta {meta.get('generator')!r}); "
                                "regenerate it with `hubmine hub generate`")
        summary = {"changed": 0, "new": 0}
        for _ in range(days):
            changed, new = _advance_one(db, meta, progress)
            summary["changed"] += changed
            summary["new"] += new
        db.commit()
    finally:
        db.close()
    elapsed = time.perf_counter() - started
    return {"path": str(target / DB_NAME), "day": int(meta["day"]), "models": int(meta["models"]),
            "snapshot_time": meta["snapshot_time"], **summary, "seconds": round(elapsed, 2)}


def _advance_one(db: sqlite3.Connection, meta: dict[str, str], progress: bool) -> tuple[int, int]:
    seed, rate = int(meta["seed"]), float(meta["daily_change"])
    base, total, d = int(meta["base_models"]), int(meta["models"]), int(meta["day"]) + 1
    start_ts = _ts(meta["start"])
    selected = changed_models(total, seed, d, rate).tolist()
    blobs: list[tuple] = []

    def store_blob(oid: str, content: bytes) -> None:
        blobs.append((oid, len(content), zlib.compress(content, 1)))

    def load(entry: dict[str, Any]) -> bytes | None:
        row = db.execute("SELECT data FROM blobs WHERE oid = ?", (entry.get("oid"),)).fetchone()
        return zlib.decompress(row[0]) if row else None

    bar = _progress(len(selected), progress)
    for k in range(0, len(selected), 2_000):
        chunk = selected[k:k + 2_000]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT m.pos, m.id, m.info, g.weights, g.owner FROM models m JOIN gen_models g USING (pos) "
                          f"WHERE m.pos IN ({marks}) ORDER BY m.pos", chunk).fetchall()
        model_rows, commit_rows, ref_rows = [], [], []
        for pos, repo_id, info_text, weights, owner in rows:
            seq, tree = db.execute("SELECT seq, tree FROM commits WHERE repo_id = ? ORDER BY seq DESC LIMIT 1",
                                   (repo_id,)).fetchone()
            served = _Served(pos, json.loads(info_text), {e["path"]: e for e in json.loads(tree)}, seq,
                             json.loads(weights), tuple(json.loads(owner)))
            commit = day_change(seed, start_ts, served, d, load)
            info = served.info
            model_rows.append((info["sha"], info["lastModified"], int(info.get("downloads") or 0),
                               int(info.get("likes") or 0), float(info.get("trendingScore") or 0),
                               json.dumps(info, separators=(",", ":")), pos))
            commit_rows.append(commit_row(repo_id, served.seq, commit, store_blob))
            ref_rows.append((commit.id, repo_id))
        db.executemany("UPDATE models SET sha = ?, last_modified = ?, downloads = ?, likes = ?, trending_score = ?, "
                       "info = ? WHERE pos = ?", model_rows)
        db.executemany("INSERT INTO commits VALUES (?,?,?,?,?,?,?,?)", commit_rows)
        db.executemany("INSERT OR IGNORE INTO blobs VALUES (?,?,?)", blobs)
        db.executemany("UPDATE refs SET target = ? WHERE repo_id = ? AND kind = 'branch' AND name = 'main'", ref_rows)
        blobs.clear()
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    per_day = new_models_per_day(base, float(meta["daily_new"]))
    if per_day:
        g = _Generator(models=base, seed=seed, start=meta["start"], plant_wsb=int(meta.get("plant_wsb", "0")),
                       plant_share=float(meta["plant_share"]) if meta.get("plant_share") else None,
                       plant_spread=float(meta.get("plant_spread") or 1.0))
        g.restore(dict(db.execute("SELECT key, value FROM gen_state").fetchall()))
        b = _Repo(g)
        model_rows, commit_rows, ref_rows, gen_rows = [], [], [], []
        for i in range(total, total + per_day):
            m = g.model(i, d)
            b.complete(m, d)
            info = model_info(m)
            body = json.dumps(info, separators=(",", ":"))
            model_rows.append((i, m["id"], m["author"], info["sha"], info["createdAt"], info["lastModified"],
                               int(info.get("downloads") or 0), int(info.get("likes") or 0),
                               float(info.get("trendingScore") or 0), body))
            fragments: dict[int, str] = {}
            for seq, commit in enumerate(b.writer_commits(m["commits"])):
                commit_rows.append(commit_row(m["id"], seq, commit, store_blob, fragments))
            refs = {("branch", "main"): m["commits"][-1].id}
            for kind, name, target in m["refs"]:
                refs[(kind, name)] = target
            ref_rows += [(m["id"], kind, name, target) for (kind, name), target in refs.items()]
            served = _served(m, info)
            gen_rows.append((i, json.dumps(served.weights), json.dumps(list(served.owner))))
        db.executemany("INSERT INTO models VALUES (?,?,?,?,?,?,?,?,?,?)", model_rows)
        db.executemany("INSERT INTO commits VALUES (?,?,?,?,?,?,?,?)", commit_rows)
        db.executemany("INSERT OR IGNORE INTO blobs VALUES (?,?,?)", blobs)
        db.executemany("INSERT INTO refs VALUES (?,?,?,?)", ref_rows)
        db.executemany("INSERT INTO gen_models VALUES (?,?,?)", gen_rows)
        db.executemany("INSERT OR REPLACE INTO gen_state VALUES (?,?)", g.state())
    meta.update(day=str(d), models=str(total + per_day), snapshot_time=iso(start_ts + d * DAY + DAY - 1))
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", [(k, meta[k]) for k in ("day", "models", "snapshot_time")])
    return len(selected), per_day


def _progress(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    from core.config import progress_disabled

    return tqdm(total=total, unit="model", desc="generate", smoothing=0.05, disable=progress_disabled(enabled))
