"""The warehouse's views, one file each under warehouse/views/, re-created by the writer after the migrations.

Migrations create and alter tables. A view holds no data, so its whole current definition (the SQL, its
grain, its COMMENTs) lives in one file, as a dbt model does: ``warehouse/views/<name>.sql`` for a view of
schema ``main``, ``<schema>.<name>.sql`` for one elsewhere (the file is named as SQL names the view).
Whenever the writer opens the warehouse, :func:`sync_views` brings the views in line with the files in one
transaction: the macros holding Hub facts (made from ``core.hub``, so no SQL file restates them), then every
view in dependency order, after dropping the views an earlier sync made whose file is gone. The views it
made are listed in ``meta.view_files``; any other view or table is the user's own and never touched.

Re-creating ~45 views with their ~450 COMMENTs takes a fifth of a second or more, at every writer open. So the
sync is skipped when no migration ran and neither the files nor what the catalog holds for their views changed
since the last sync: both go into one fingerprint, kept in ``meta.settings``. Editing a file, or replacing or
dropping one of these views by hand, changes it.
"""

from __future__ import annotations

import graphlib
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from core.errors import HubmineError
from core.hub import PLACEHOLDER_CREATED_AT

VIEWS = "warehouse.views"
_FILE = re.compile(r"^((?:[a-z_]+\.)?[a-z0-9_]+)\.sql$")
_CREATE = re.compile(r"^CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(IF\s+NOT\s+EXISTS\s+)?([\w.]+)\s+AS\s",
                     re.IGNORECASE | re.MULTILINE)
_STATEMENT_END = re.compile(r";[ \t]*$", re.MULTILINE)
FINGERPRINT_KEY = "views_fingerprint"


class ViewFileError(HubmineError):
    """A file of warehouse/views is malformed or its view cannot be created."""


@dataclass(frozen=True)
class ViewFile:
    name: str  # as SQL names it: models, core.file_changes
    sql: str

    @property
    def path(self) -> str:
        return f"warehouse/views/{self.name}.sql"

    @property
    def schema_and_view(self) -> tuple[str, str]:
        schema, _, view = self.name.rpartition(".")
        return schema or "main", view

    @property
    def seeded(self) -> bool:
        """Created only while absent (CREATE VIEW IF NOT EXISTS): the loader re-points it afterwards."""
        return bool(_CREATE.search(self.sql).group(1))

    @property
    def query(self) -> str:
        """The SELECT of the file's CREATE VIEW statement (which ends at the first line ending in ';')."""
        create = _CREATE.search(self.sql)
        return _STATEMENT_END.split(self.sql[create.end():], maxsplit=1)[0].strip()


def view_files() -> list[ViewFile]:
    """Every file of warehouse/views, by name."""
    found = [read_view_file(match.group(1), entry.read_text(encoding="utf-8"))
             for entry in resources.files(VIEWS).iterdir() if (match := _FILE.match(entry.name))]
    return sorted(found, key=lambda v: v.name)


def read_view_file(name: str, sql: str) -> ViewFile:
    """The file of view ``name``; it must create exactly that view."""
    created = [view for _, view in _CREATE.findall(sql)]
    if created != [name]:
        raise ViewFileError(f"warehouse/views/{name}.sql must create exactly the view {name}, not {created or 'none'}")
    return ViewFile(name, sql)


def macro_statements() -> list[str]:
    """The macros views use for Hub facts, made from core.hub so that the facts are written down once."""
    dates = ", ".join(f"TIMESTAMPTZ '{d}'" for d in PLACEHOLDER_CREATED_AT)
    comment = (f"True when ts is one of the placeholder creation dates the Hub gives repos created before it "
               f"recorded creation times ({', '.join(PLACEHOLDER_CREATED_AT)}): the real date is unknown. "
               f"Defined from core/hub.py PLACEHOLDER_CREATED_AT; models.created_at_known is false for them.")
    return [f"CREATE OR REPLACE MACRO hub_placeholder_created(ts) AS ts IN ({dates})",
            f"COMMENT ON MACRO hub_placeholder_created IS {_literal(comment)}"]


def reads(con: duckdb.DuckDBPyConnection, views: list[ViewFile]) -> dict[str, set[str]]:
    """The tables and views each view's query names, found by DuckDB's own parser (CTE names left out)."""
    trees = con.execute("SELECT json_serialize_sql(q) FROM unnest($queries) WITH ORDINALITY AS t(q, i) ORDER BY i",
                        {"queries": [v.query for v in views]}).fetchall()
    return {view.name: _table_refs(json.loads(tree)) for view, (tree,) in zip(views, trees, strict=True)}


def _table_refs(tree) -> set[str]:
    refs, ctes = set(), set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                refs.add((node.get("schema_name") or "main", node["table_name"]))
            ctes.update(entry["key"] for entry in node.get("cte_map", {}).get("map", []))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return {name if schema == "main" else f"{schema}.{name}" for schema, name in refs
            if not (schema == "main" and name in ctes)}


def in_dependency_order(con: duckdb.DuckDBPyConnection, views: list[ViewFile]) -> list[ViewFile]:
    """The views ordered so that each comes after the views it reads (the same files, the same order)."""
    by_name = {v.name: v for v in views}
    graph = graphlib.TopologicalSorter()
    for name, names in sorted(reads(con, views).items()):
        graph.add(name, *sorted(names & by_name.keys() - {name}))
    try:
        return [by_name[name] for name in graph.static_order()]
    except graphlib.CycleError as exc:
        raise ViewFileError(f"views read each other in a cycle: {' -> '.join(exc.args[1])}") from None


def sync_views(con: duckdb.DuckDBPyConnection, *, migrated: bool) -> bool:
    """Bring the views in line with warehouse/views; False when they already were (nothing written)."""
    views = view_files()
    macros = macro_statements()
    if not migrated and _stored_fingerprint(con) == _fingerprint(con, views, macros):
        return False
    ordered = in_dependency_order(con, views)
    con.execute("BEGIN")
    try:
        _create_tracking_table(con)
        # Dropped first: a view that still reads one of them then fails, naming its file.
        names = {v.name for v in views}
        for (stale,) in con.execute("SELECT view_name FROM meta.view_files ORDER BY 1").fetchall():
            if stale not in names:
                con.execute(f"DROP VIEW IF EXISTS {_qualified(stale)}")
        for statement in macros:
            con.execute(statement)
        for view in ordered:
            try:
                con.execute(view.sql)
            except duckdb.Error as exc:
                raise ViewFileError(f"{view.path}: {exc}") from None
        con.execute("DELETE FROM meta.view_files")
        con.executemany("INSERT INTO meta.view_files VALUES (?, ?)", [[v.name, v.path] for v in views])
        con.execute("INSERT OR REPLACE INTO meta.settings VALUES (?, ?)",
                    [FINGERPRINT_KEY, _fingerprint(con, views, macros)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True


def _create_tracking_table(con: duckdb.DuckDBPyConnection) -> None:
    # The writer's own bookkeeping, like meta.schema_migrations: made here rather than by a migration.
    con.execute("CREATE TABLE IF NOT EXISTS meta.view_files "
                "(view_name VARCHAR NOT NULL PRIMARY KEY, file VARCHAR NOT NULL)")
    con.execute("COMMENT ON TABLE meta.view_files IS 'One row per view the writer made from a file of "
                "warehouse/views; a view listed here whose file is gone is dropped at the next writer open. "
                "Views not listed are the users'' own and never touched.'")
    con.execute("COMMENT ON COLUMN meta.view_files.view_name IS "
                "'The view as SQL names it (schema-qualified outside main), e.g. models, core.file_changes.'")
    con.execute("COMMENT ON COLUMN meta.view_files.file IS 'The file defining it, e.g. warehouse/views/models.sql.'")


def _stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("SELECT value FROM meta.settings WHERE key = ?", [FINGERPRINT_KEY]).fetchall()
    return rows[0][0] if rows else None


def _fingerprint(con: duckdb.DuckDBPyConnection, views: list[ViewFile], macros: list[str]) -> str:
    """md5 over the view files and macros and over what the catalog holds for those views: their columns,
    types and COMMENTs.

    Not their SQL: DuckDB renders a view's SQL differently after the file is reopened. A view replaced by
    hand loses its COMMENTs (CREATE OR REPLACE drops them), which is seen. A seeded view's column types are
    left out too: the loader re-points it at every load.
    """
    wanted = {v.schema_and_view: v for v in views}
    catalog = {}
    for schema, name, comment in con.execute(
            "SELECT schema_name, view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall():
        if (view := wanted.get((schema, name))) is not None:
            catalog[view.name] = [comment]
    for schema, name, column, data_type, comment in con.execute(
            "SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns() "
            "WHERE NOT internal ORDER BY schema_name, table_name, column_index").fetchall():
        if (view := wanted.get((schema, name))) is not None and view.name in catalog:
            catalog[view.name].append([column, None if view.seeded else data_type, comment])
    text = json.dumps([macros, [[v.name, v.sql] for v in views], sorted(catalog.items())])
    return hashlib.md5(text.encode()).hexdigest()


def _qualified(name: str) -> str:
    return ".".join(f'"{part}"' for part in name.split("."))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
