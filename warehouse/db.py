"""Opening the warehouse: the one DuckDB file, its numbered migrations, its views, and read-only access.

DuckDB admits one read-write process per file, and while it holds the file no other process can
even open it read-only (nor can a writer open it while readers hold it). So hubmine has one writer
at a time (``hubmine load`` or ``hubmine analyze``), which waits a bounded time for the file, and
everyone else opens short read-only connections between writes (``warehouse.holders`` says who
holds the file).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from core.errors import HubmineError
from warehouse import holders
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


# A writer that finds the file held (by a reader, or another writer) waits this long for it, telling
# who holds it, before it gives up: the holder is most often a report or a query about to finish.
LOCK_WAIT_ENV = "HUBMINE_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 60.0
_RETRY_SECONDS = 0.25


def lock_wait(seconds: float | None = None) -> float:
    """How long a writer waits for the file: ``seconds``, else ``$HUBMINE_LOCK_WAIT``, else 60 s."""
    if seconds is not None:
        return seconds
    raw = os.environ.get(LOCK_WAIT_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_LOCK_WAIT
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise WarehouseError(f"{LOCK_WAIT_ENV}={raw!r} is not a number of seconds (0 or more)")
    return value


def _open(path: Path, *, read_only: bool, config: dict, wait: float) -> duckdb.DuckDBPyConnection:
    """Open ``path``; while another process holds it, wait up to ``wait`` seconds (saying once, on
    stderr, who holds it), then fail naming the holder."""
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as exc:
            message = str(exc)
            if not holders.is_lock_conflict(message):
                raise WarehouseError(f"cannot open warehouse {path}: {message}") from None
            holder = holders.describe(path, message)
            if time.monotonic() >= deadline:
                raise WarehouseError(_held_message(path, holder, read_only=read_only, wait=wait)) from None
            if not told:
                print(f"waiting up to {wait:g} s for {path}: held by {holder}", file=sys.stderr, flush=True)
                told = True
            time.sleep(min(_RETRY_SECONDS, max(0.0, deadline - time.monotonic())))
            continue
        holders.record(path, con, writing=not read_only)
        return con


def _held_message(path: Path, holder: str, *, read_only: bool, wait: float) -> str:
    if read_only:
        return (f"cannot read {path}: {holder} holds it (DuckDB lets no reader in while a process writes); "
                f"run again when it has finished")
    waited = f"still held after {wait:g} s" if wait else "held"
    return (f"cannot write {path}: {waited} by {holder}; run again when it has finished (or stop it), or wait "
            f"longer with --lock-wait SECONDS or {LOCK_WAIT_ENV}")


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


def _no_warehouse(path: Path) -> WarehouseError:
    return WarehouseError(f"no warehouse at {path}: check --home (or $HUBMINE_HOME, $HUBMINE_WAREHOUSE); "
                          f"`hubmine load` makes it from landed runs (`hubmine crawl models` lands the first; "
                          f"`hubmine demo` does it all)")


def connect_writer(path: Path, *, create: bool = True, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """The read-write connection, with every pending migration applied (each in its own transaction) and
    then the views re-created from warehouse/views (in one transaction: see warehouse.view_sync).

    ``create``: make the file when there is none (else fail: a mistyped data folder must not get an
    empty warehouse). ``wait``: seconds to wait while another process holds the file (default
    :func:`lock_wait`)."""
    if not create and not path.is_file():
        raise _no_warehouse(path)
    wait = lock_wait(wait)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False, config=writer_config(), wait=wait)
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


# A connection for queries a user types (`hubmine sql`) reads files but writes none. Read-only
# opening keeps the warehouse as it is; these settings keep the rest of the file system so: no
# extension is downloaded (into ~/.duckdb) or loaded on the fly, no secret is stored, and the
# configuration is locked, so that no query turns on a log or profile written to a file, nor turns
# these settings off. Only the time zone a query prints in stays settable.
QUERY_CONFIG: dict[str, str | list[str]] = {
    "autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
    "allow_community_extensions": "false", "allow_persistent_secrets": "false",
    "lock_configuration": "true", "allowed_configs": ["TimeZone"],
}
# The statement kinds (DuckDB's parser's) such a query may hold; with the settings above they read
# only. PRAGMA, CALL and SET are table functions and settings (the locked ones fail); MULTI is a PIVOT.
QUERY_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL", "SET", "MULTI"})
_REFUSED_BECAUSE = {
    "COPY": "it reads or writes files", "EXPORT": "it writes files", "ATTACH": "it opens another database file",
    "DETACH": "it closes a database", "LOAD": "it installs or loads an extension",
}


def connect_reader(path: Path, *, user_queries: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection; fails with a clear message when there is no warehouse yet.
    ``user_queries``: for queries a user types, which may then write no file (:func:`run_user_query`)."""
    if not path.is_file():
        raise _no_warehouse(path)
    return _open(path, read_only=True, config=QUERY_CONFIG if user_queries else {}, wait=0)


@dataclass(frozen=True)
class StatementResult:
    """The answer of one statement of a user's query (``statements`` long): its rows (the first
    ``max_rows`` when ``more``)."""

    statement: str
    columns: list[str]
    rows: list[tuple]
    more: bool
    statements: int


def run_user_query(con: duckdb.DuckDBPyConnection, query: str, *, max_rows: int | None = None,
                   last_only: bool = False) -> Iterator[StatementResult]:
    """Run a query a user typed on a ``connect_reader(..., user_queries=True)`` connection, statement by
    statement, giving the result of each statement that has one (at most ``max_rows`` rows of each;
    with ``last_only``, only the last one's: the earlier statements then run only for their effect,
    e.g. a SET). Each result is read before the next statement runs, so a later SET TimeZone does not
    change an earlier answer. Statements that are not reads are refused before anything runs, in one
    line that says what to do instead; errors in running the query become WarehouseErrors."""
    try:
        statements = con.extract_statements(query)
        refused = [statement.type.name for statement in statements if statement.type.name not in QUERY_STATEMENTS]
        if refused:
            why = _REFUSED_BECAUSE.get(refused[0], "the warehouse is read-only here (only `hubmine load` and "
                                                   "`hubmine analyze` write it)")
            raise WarehouseError(f"refused: a {refused[0]} statement, because {why}; `hubmine sql` runs "
                                 f"queries only (to save a result, redirect its output with --format csv or json)")
        answering = [i for i, statement in enumerate(statements)
                     if duckdb.ExpectedResultType.QUERY_RESULT in statement.expected_result_type]
        for i, statement in enumerate(statements):
            relation = con.sql(statement)  # a statement without a result (SET) runs here
            if relation is None or i not in answering or (last_only and i != answering[-1]):
                continue
            rows = relation.fetchall() if max_rows is None else relation.limit(max_rows + 1).fetchall()
            yield StatementResult(statement.query.strip(), list(relation.columns), rows[:max_rows],
                                  more=max_rows is not None and len(rows) > max_rows, statements=len(statements))
    except duckdb.Error as exc:
        raise WarehouseError(f"query failed: {exc}") from None


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
