"""Opening the warehouse: the one DuckDB file, its numbered migrations, its views, and read-only access.

DuckDB admits one read-write process per file, and while it holds the file no other process can
even open it read-only. So hubmine has exactly one writer (the loader, ``warehouse.load``), and
everyone else opens short read-only connections between loads.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

import duckdb

from core.errors import HubmineError
from warehouse.view_sync import ViewFileError, sync_views

MIGRATIONS = "warehouse.migrations"
_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class WarehouseError(HubmineError):
    """The warehouse file is missing, locked by another process, or fails a migration."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every migration, in order."""
    found = []
    for entry in resources.files(MIGRATIONS).iterdir():
        match = _MIGRATION.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text()))
    return sorted(found)


def _explain_open_error(path: Path, exc: duckdb.Error) -> WarehouseError:
    if "lock" in str(exc).lower():
        return WarehouseError(f"{path} is open by another process (a load in progress?); "
                              f"try again when it has finished ({exc})")
    return WarehouseError(f"cannot open warehouse {path}: {exc}")


# The writer shares a small machine with the miners and the replay hub: DuckDB's default memory
# limit (80% of RAM) would let one 2.5M-model load or analysis take most of it. Past the limit
# DuckDB spills to <warehouse>.tmp instead. Insertion order is never relied on (every reader sorts
# or aggregates), and dropping it lets inserts run in parallel with less buffering.
MEMORY_LIMIT_ENV = "HUBMINE_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "2GB"


def writer_config() -> dict[str, str]:
    # storage v1.5.0: the duckdb 1.5 shell (the newest on PyPI) opens the file; 2.0's format it cannot read
    return {"memory_limit": os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT,
            "preserve_insertion_order": "false", "storage_compatibility_version": "v1.5.0"}


def connect_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """The read-write connection, with every pending migration applied (each in its own transaction) and
    then the views re-created from warehouse/views (in one transaction: see warehouse.view_sync)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), config=writer_config())
    except duckdb.Error as exc:
        raise _explain_open_error(path, exc) from None
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute("CREATE TABLE IF NOT EXISTS meta.schema_migrations "
                "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
    con.execute("COMMENT ON TABLE meta.schema_migrations IS "
                "'One row per applied numbered migration of warehouse/migrations.'")
    applied = {v for (v,) in con.execute("SELECT version FROM meta.schema_migrations").fetchall()}
    pending = [m for m in migrations() if m[0] not in applied]
    for version, name, sql in pending:
        try:
            con.execute("BEGIN")
            con.execute(sql)
            con.execute("INSERT INTO meta.schema_migrations VALUES (?, ?, now())", [version, name])
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            con.close()
            raise WarehouseError(f"migration {name} failed: {exc}") from None
    try:
        sync_views(con, migrated=bool(pending))
    except (ViewFileError, duckdb.Error) as exc:
        con.close()
        raise WarehouseError(f"cannot create the views: {exc}") from None
    return con


def connect_reader(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; fails with a clear message when there is no warehouse yet."""
    if not path.is_file():
        raise WarehouseError(f"no warehouse at {path}: run `hubmine load` (or `hubmine demo`) first")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise _explain_open_error(path, exc) from None


def user_views(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every user-facing view (schema ``main``) with its comment and its columns' comments."""
    views = con.execute(
        "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
        "ORDER BY view_name").fetchall()
    out = []
    for name, comment in views:
        columns = con.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index", [name]).fetchall()
        out.append({"name": name, "comment": comment,
                    "columns": [{"name": c, "type": t, "comment": d} for c, t, d in columns]})
    return out
