"""The landing zone: where miners put what they fetched, as Parquet, one folder per source and run.

Layout: ``<home>/landing/<source>/<run_id>/part-00000.parquet …`` (and ``problems-00000.parquet``
beside a part whose pages held records the miner could not type) plus ``_manifest.json``, written
last, which marks the run complete. A run the loader cannot load is moved to
``<source>/_quarantine/<run_id>`` with a ``_quarantine.json`` saying why (``quarantine``). Every file is written to a temporary name and renamed, so a
killed miner leaves either a whole file or none; the loader only reads runs with a manifest.
A miner that can continue a killed run (the models listing) also keeps ``_resume.json`` in the
unfinished run's folder, rewritten after each part: which parts it covers and where to go on. It is
removed once the manifest is written, and ignored in a finished run.
Miners never touch the warehouse: DuckDB admits one writer, so the loader alone ingests these files.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import HubmineError

MANIFEST = "_manifest.json"
RESUME = "_resume.json"
_RUN_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


class LandingError(HubmineError):
    """A landing run is malformed, incomplete or named unsafely."""


def new_run_id(now: datetime | None = None) -> str:
    """A sortable run id from the UTC time, e.g. ``20261123T142501Z``."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def check_run_id(run_id: str) -> str:
    # Run ids become folder names: refuse anything that could climb out of the landing zone.
    if not _RUN_ID.match(run_id):
        raise LandingError(f"invalid run id {run_id!r}: use letters, digits, '.', '_' or '-'")
    return run_id


def _fsync_dir(path: Path) -> None:
    # The rename itself lives in the folder: without this a power cut can forget it.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: readers (and a process killed half-way) see the
    old file or the new one, never a part of it."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def write_parquet_atomic(path: Path, table: pa.Table, *, tmp_suffix: str = ".tmp", **options: Any) -> None:
    """``write_atomic`` for a Parquet file: written to a temporary name, fsynced, renamed."""
    tmp = path.with_name(path.name + tmp_suffix)
    try:
        with open(tmp, "wb") as fh:
            pq.write_table(table, fh, **options)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


class LandingRun:
    """One miner run's folder. ``start()`` clears leftovers of a killed attempt of the same run;
    ``resume(n)`` instead carries on after the first ``n`` parts that attempt landed."""

    def __init__(self, landing_root: Path, source: str, run_id: str):
        self.source = source
        self.run_id = check_run_id(run_id)
        self.dir = Path(landing_root) / source / run_id
        self.parts: list[Path] = []

    @property
    def complete(self) -> bool:
        return (self.dir / MANIFEST).is_file()

    def start(self) -> None:
        if self.complete:
            raise LandingError(f"{self.source} run {self.run_id} already landed at {self.dir}")
        self.dir.mkdir(parents=True, exist_ok=True)
        # A killed attempt's parts (and temporary files) are not this attempt's: start clean.
        for leftover in self.dir.iterdir():
            leftover.unlink()
        self.parts = []

    def part_path(self, index: int) -> Path:
        return self.dir / f"part-{index:05d}.parquet"

    def missing_parts(self, parts: int) -> list[str]:
        """Names of the first ``parts`` parts that are not on disk."""
        return [p.name for p in map(self.part_path, range(parts)) if not p.is_file()]

    def problem_path(self, index: int) -> Path:
        return self.dir / f"problems-{index:05d}.parquet"

    def problem_files(self) -> list[Path]:
        """The problem files landed so far (records the miner could not type), in part order."""
        return sorted(self.dir.glob("problems-*.parquet"))

    def write_problems(self, table: pa.Table) -> Path:
        """Land the problem records of the part about to be written (call before ``write_part``)."""
        path = self.problem_path(len(self.parts))
        write_parquet_atomic(path, table, compression="zstd")
        return path

    def resume(self, parts: int) -> None:
        """Go on with an unfinished attempt of this run: its first ``parts`` parts are kept as this
        attempt's; whatever else it left (a part landed after its last resume point, temporary
        files) is removed, its rows being fetched again."""
        if self.complete:
            raise LandingError(f"{self.source} run {self.run_id} already landed at {self.dir}")
        keep = [self.part_path(i) for i in range(parts)]
        missing = self.missing_parts(parts)
        if missing:
            raise LandingError(f"{self.source} run {self.run_id}: {', '.join(missing)} missing from {self.dir}")
        names = {p.name for p in keep} | {self.problem_path(i).name for i in range(parts)} | {RESUME}
        for leftover in self.dir.iterdir():
            if leftover.name not in names:
                leftover.unlink()
        self.parts = keep

    def resume_point(self) -> dict[str, Any] | None:
        """What an unfinished attempt saved with ``save_resume_point`` (None: nothing, or the run is
        finished). Raises LandingError when the file is unreadable."""
        path = self.dir / RESUME
        if self.complete or not path.is_file():
            return None
        try:
            point = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise LandingError(f"{path}: unreadable resume point: {exc}") from None
        if not isinstance(point, dict):
            raise LandingError(f"{path}: unreadable resume point: not a JSON object")
        return point

    def save_resume_point(self, point: dict[str, Any]) -> None:
        """Replace the run's resume point (call after the parts it covers are written)."""
        write_atomic(self.dir / RESUME, json.dumps(point, indent=2, default=str).encode())

    def write_rows(self, rows: list[dict[str, Any]], schema: pa.Schema, fetched_at: datetime) -> pa.Table:
        """Land row dicts (every schema column but ``run_id`` and ``fetched_at``) as the next part."""
        table = rows_table(rows, schema, self.run_id, fetched_at)
        self.write_part(table)
        return table

    def write_part(self, table: pa.Table) -> Path:
        path = self.part_path(len(self.parts))
        write_parquet_atomic(path, table, compression="zstd")
        self.parts.append(path)
        return path

    def finish(self, manifest: dict[str, Any]) -> Path:
        body = {"source": self.source, "run_id": self.run_id,
                "parts": [p.name for p in self.parts], **manifest}
        if problems := self.problem_files():
            body["problems"] = [p.name for p in problems]
        write_atomic(self.dir / MANIFEST, json.dumps(body, indent=2, default=str).encode())
        # Only now: a kill before the manifest must still find where to go on. One that comes
        # between the two leaves a resume point that nothing reads (the run is finished).
        (self.dir / RESUME).unlink(missing_ok=True)
        return self.dir


def rows_table(rows: list[dict[str, Any]], schema: pa.Schema, run_id: str, fetched_at: datetime) -> pa.Table:
    columns = {name: [r[name] for r in rows] for name in schema.names if name not in ("run_id", "fetched_at")}
    columns["run_id"] = [run_id] * len(rows)
    columns["fetched_at"] = [fetched_at] * len(rows)
    return pa.Table.from_pydict(columns, schema=schema)


def read_manifest(run_dir: Path) -> dict[str, Any]:
    path = Path(run_dir) / MANIFEST
    if not path.is_file():
        raise LandingError(f"{run_dir}: incomplete run (no {MANIFEST}); re-run the miner to finish it")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise LandingError(f"{path}: unreadable manifest: {exc}") from None


def complete_runs(landing_root: Path, source: str) -> list[Path]:
    """Folders of the finished runs of one source, oldest first (run ids sort by time)."""
    root = Path(landing_root) / source
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / MANIFEST).is_file())


def newest_run(landing_root: Path, source: str) -> Path | None:
    """The folder of the newest run of one source, finished or not (run ids sort by time)."""
    root = Path(landing_root) / source
    runs = sorted(p for p in root.iterdir() if p.is_dir() and _RUN_ID.match(p.name)) if root.is_dir() else []
    return runs[-1] if runs else None


QUARANTINE = "_quarantine"
QUARANTINE_NOTE = "_quarantine.json"


def quarantine(run_dir: Path, reason: str, now: datetime | None = None) -> Path:
    """Move a run the loader cannot load out of the way, whole, to ``<source>/_quarantine/<run_id>``
    (``<run_id>.<time>`` when that is taken), with ``_quarantine.json`` saying why and when. Nothing
    is deleted: to retry it, fix it and move it back."""
    run_dir = Path(run_dir)
    now = now or datetime.now(UTC)
    root = run_dir.parent / QUARANTINE
    root.mkdir(exist_ok=True)
    target = root / run_dir.name
    if target.exists():
        target = root / f"{run_dir.name}.{new_run_id(now)}"
    note = {"source": run_dir.parent.name, "run_id": run_dir.name, "reason": reason,
            "quarantined_at": now.isoformat(), "moved_from": str(run_dir)}
    write_atomic(run_dir / QUARANTINE_NOTE, json.dumps(note, indent=2).encode())
    os.replace(run_dir, target)
    _fsync_dir(root)
    _fsync_dir(run_dir.parent)
    return target
