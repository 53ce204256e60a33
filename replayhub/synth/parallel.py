"""Producing a snapshot's rows in one process or several.

Generation is sequential in its lineage step (a model's parents are earlier models) but that step
is cheap; completing a model (files, card, history, API body) is not. So every producer walks
every model's lineage step and completes only the blocks it owns: workers share the expensive part,
and the rows do not depend on how many there are. Blocks come back in order, with their statistics.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import traceback
from queue import Empty
from typing import Any

import numpy as np

from replayhub.snapshot import model_rows
from replayhub.synth.clock import PLACEHOLDER_CREATED
from replayhub.synth.daily import _day_uniform, _no_load, _Served, _served, day_change
from replayhub.synth.history import _Repo
from replayhub.synth.info import model_info
from replayhub.synth.population import _Generator

BLOCK = 5_000
# Below this many models a worker process costs more than it saves.
PARALLEL_MIN_MODELS = 50_000


def default_workers(models: int) -> int:
    """Processes for generating ``models`` models: one per core (at most 4) for large hubs, else 1."""
    return 1 if models < PARALLEL_MIN_MODELS else max(1, min(4, os.cpu_count() or 1))


class _Producer:
    """Generates blocks of models as table rows. Every producer walks every model's lineage step
    (``_Generator.model``: sequential state, cheap) but completes and serialises only the blocks it
    owns, so several producers in several processes share the expensive part of the work."""

    def __init__(self, params: dict[str, Any]):
        self.p = params
        self.g = _Generator(models=params["models"], seed=params["seed"], start=params["start"],
                            plant_wsb=params["plant_wsb"], plant_share=params["plant_share"],
                            plant_spread=params["plant_spread"])
        self.b = _Repo(self.g)
        self.days = np.arange(1, params["day"] + 1)
        self.blobs: set[str] = set()  # blobs this producer already emitted (the writer dedupes across producers)

    def block(self, first: int, count: int, fresh: int | None, own: bool) -> tuple | None:
        g, b, p = self.g, self.b, self.p
        if not own:
            for i in range(first, first + count):
                g.model(i, fresh)
            return None
        day, seed = p["day"], p["seed"]
        changes: dict[int, list[int]] = {}
        if day:
            rows, cols = np.nonzero(_day_uniform(seed, first, count, self.days) < p["daily_change"])
            for row, col in zip(rows.tolist(), cols.tolist()):
                if fresh is None or col + 1 > fresh:
                    changes.setdefault(first + row, []).append(col + 1)
        out, gen_rows = [], []
        stats = _new_stats()
        known = self.blobs.__contains__
        for i in range(first, first + count):
            m = g.model(i, fresh)
            b.complete(m, fresh)
            info = model_info(m)
            served = _served(m, info)
            commits = list(m["commits"])
            for d in changes.get(i, ()):
                commits.append(day_change(seed, g.start_ts, served, d, _no_load))
            if day and day in changes.get(i, ()):
                stats["changed_today"] += 1
            rows = model_rows(i, info, b.writer_commits(commits), m["refs"], known)
            self.blobs.update(blob[0] for blob in rows.blobs)
            out.append((rows.model, rows.commits, rows.refs, rows.blobs))
            gen_rows.append((i, json.dumps(served.weights), json.dumps(list(served.owner))))
            _count(stats, m, served, len(commits))
        if len(self.blobs) > 2_000_000:
            self.blobs.clear()  # bounded memory; the writer still dedupes
        return ("rows", out, gen_rows, stats)


def _produced_blocks(params: dict[str, Any], blocks: list[tuple], workers: int):
    """("rows", model rows, gen_models rows, stats) per block in order, then ("state", gen_state rows)."""
    if workers <= 1:
        producer = _Producer(params)
        for first, count, fresh in blocks:
            yield producer.block(first, count, fresh, True)
        yield ("state", producer.g.state())
        return
    # spawn, not fork: a caller may hold threads (a replay hub, DuckDB) that fork would copy half-way.
    ctx = multiprocessing.get_context("spawn")
    queues = [ctx.Queue(maxsize=3) for _ in range(workers)]
    procs = [ctx.Process(target=_worker_main, args=(params, blocks, k, workers, queues[k]), daemon=True)
             for k in range(workers)]
    for proc in procs:
        proc.start()
    try:
        for n in range(len(blocks)):
            yield _receive(queues[n % workers], procs[n % workers])
        yield _receive(queues[0], procs[0])
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()


def _receive(queue, proc) -> tuple:
    while True:
        try:
            item = queue.get(timeout=5)
        except Empty:
            if not proc.is_alive():
                raise RuntimeError(f"generator worker {proc.name} died (exit code {proc.exitcode})") from None
            continue
        if item[0] == "error":
            raise RuntimeError(f"generator worker failed:\n{item[1]}")
        return item


def _worker_main(params: dict[str, Any], blocks: list[tuple], worker: int, workers: int, queue) -> None:
    try:
        producer = _Producer(params)
        for n, (first, count, fresh) in enumerate(blocks):
            result = producer.block(first, count, fresh, n % workers == worker)
            if result is not None:
                queue.put(result)
        if worker == 0:
            queue.put(("state", producer.g.state()))
    except BaseException:
        queue.put(("error", traceback.format_exc()))
        raise


def _new_stats() -> dict[str, Any]:
    return {"readme_missing": 0, "placeholder_created": 0, "co2": 0, "with_base_model": 0, "relation_declared": 0,
            "malformed_yaml": 0, "commits": 0, "downloads": 0,
            "relations": {"finetune": 0, "adapter": 0, "quantized": 0, "merge": 0}, "changed_today": 0}


def _merge_stats(total: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict):
            for k, v in value.items():
                total[key][k] += v
        else:
            total[key] += value


def _count(stats: dict[str, Any], m: dict[str, Any], served: _Served, commits: int) -> None:
    info = served.info
    stats["commits"] += commits
    stats["downloads"] += info["downloads"]
    if "README.md" not in served.files:
        stats["readme_missing"] += 1
    if info["createdAt"] == PLACEHOLDER_CREATED:
        stats["placeholder_created"] += 1
    card = info.get("cardData")
    if card:
        if "co2_eq_emissions" in card:
            stats["co2"] += 1
        if "base_model" in card:
            stats["with_base_model"] += 1
            if m["relation"]:
                stats["relations"][m["relation"]] += 1
        if "base_model_relation" in card:
            stats["relation_declared"] += 1
    if m["malformed"]:
        stats["malformed_yaml"] += 1
