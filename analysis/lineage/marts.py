"""Lineage marts, rebuilt from the current ``models`` state on every run.

What each model declares (its card's base_model, its base_model tags) depends on that model alone
and is parsed incrementally, once per state (marts.lineage_declared_*). Everything built on top is
a property of the whole graph -- one new declaration can move a whole subtree into another family
or close a cycle -- so edges, families and suggestions are recomputed from all declarations and the
mart tables replaced inside the caller's transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from analysis.incremental import map_batches, refresh
from analysis.lineage.graph import (
    EDGES,
    PROBLEMS,
    build_forest,
    canonical_parents,
    extract_edges,
    forest_nodes,
    suggest_parents,
)
from warehouse.db import connect_reader

# Only two card fields matter, and most models declare no lineage at all: only candidate rows (a
# card that is not a mapping or names base_model, or a base_model: tag) are fetched and parsed, with
# the card cut down to those two fields. The text tests are a cheap superset of the exact ones
# (card text is Python's json.dumps, which never escapes the key); extract_edges decides exactly.
# `files`: the weight files at the listed sha, known for repos whose history was fetched (adapter
# weights then reveal an adapter whose card did not say so); NULL elsewhere.
MODEL_IDS = "SELECT model_id FROM core.model_state WHERE valid_to IS NULL ORDER BY model_id"
CANDIDATES = """
    SELECT s.model_id, s.tags, s.library_name,
           CASE WHEN json_type(s.card_data) <> 'OBJECT' THEN s.card_data::VARCHAR
                ELSE json_object('base_model', json_extract(s.card_data, '$.base_model'),
                                 'base_model_relation', json_extract(s.card_data, '$.base_model_relation'))::VARCHAR
           END AS card_data,
           f.files
    FROM core.model_state s
    LEFT JOIN (SELECT model_id, commit_id, list(path ORDER BY path) AS files FROM core.commit_files GROUP BY ALL) f
           ON f.model_id = s.model_id AND f.commit_id = s.sha
    WHERE s.valid_to IS NULL
      AND (len(list_filter(s.tags, lambda t: starts_with(t, 'base_model:'))) > 0
           OR (s.card_data IS NOT NULL AND (NOT starts_with(ltrim(s.card_data::VARCHAR), '{')
                                             OR contains(s.card_data::VARCHAR, '"base_model"'))))
    ORDER BY s.model_id"""
# compute_from parses candidates in slices (bounded memory), by worker processes if asked.
EXTRACT_ROWS = 50_000

EDGE_COLUMNS = ["child_id", "parent_id", "relation", "relation_source", "declared_in", "parent_known",
                "is_primary", "cycle_broken"]


def compute(models: pa.Table) -> dict[str, pa.Table]:
    """Every lineage mart from a table of current models (model_id, tags, library_name, card_data and
    optionally ``candidate``: false for rows that surely declare no parent, which are not parsed)."""
    candidates = models.filter(models["candidate"]) if "candidate" in models.column_names else models
    return compute_from(models["model_id"], candidates)


def _extract(batch: pa.Table) -> tuple[pa.Table, pa.Table]:
    return extract_edges(batch)


def compute_from(model_ids: pa.Array | pa.ChunkedArray, candidates: pa.Table, *, workers: int = 1) -> dict[str, pa.Table]:
    """Every lineage mart from all current model ids and the candidate rows (those that may declare
    a parent: model_id, tags, library_name, card_data, optionally files)."""
    slices = (candidates.slice(start, EXTRACT_ROWS) for start in range(0, candidates.num_rows, EXTRACT_ROWS))
    found = [result for _, result in map_batches(_extract, slices, workers)]
    raw_edges = pa.concat_tables([e for e, _ in found]) if found else EDGES.empty_table()
    problems = pa.concat_tables([p for _, p in found]) if found else PROBLEMS.empty_table()
    return compute_marts(model_ids, raw_edges, problems)


def compute_marts(model_ids: pa.Array | pa.ChunkedArray, raw_edges: pa.Table, problems: pa.Table) -> dict[str, pa.Table]:
    """Every lineage mart from all current model ids and the edges (and problems) each model
    declares on its own (:func:`analysis.lineage.graph.extract_edges`): what joins them into families."""
    edges = canonical_parents(raw_edges, model_ids)
    nodes_in_graph = pa.chunked_array([edges["child_id"], edges["parent_id"]], pa.string())
    forest = build_forest(nodes_in_graph, edges["child_id"], edges["parent_id"], edges["parent_known"])
    nodes = forest_nodes(forest, model_ids)
    broken = pa.table({"child_id": [c for c, _ in forest.broken], "parent_id": [p for _, p in forest.broken]},
                      schema=pa.schema([("child_id", pa.string()), ("parent_id", pa.string())]))
    cycle_problems = pa.table({
        "model_id": broken["child_id"], "code": pa.array(["cycle_broken"] * broken.num_rows, pa.string()),
        "parent_id": broken["parent_id"],
        "detail": pa.array(["edge dropped: it closes a cycle of base_model declarations"] * broken.num_rows,
                           pa.string())}, schema=PROBLEMS)
    con = duckdb.connect()
    try:
        for name, table in (("e", edges), ("n", nodes), ("b", broken)):
            con.register(name, table)
        edges_out = con.sql("""
            SELECT e.child_id, e.parent_id, e.relation, e.relation_source, e.declared_in, e.parent_known,
                   coalesce(n.primary_parent_id = e.parent_id, false) AS is_primary,
                   b.child_id IS NOT NULL AS cycle_broken
            FROM e LEFT JOIN n ON n.model_id = e.child_id
            LEFT JOIN b ON b.child_id = e.child_id AND b.parent_id = e.parent_id
            ORDER BY e.child_id, e.parent_id""").to_arrow_table()
        con.register("eo", edges_out)
        families = con.sql("""
            WITH rel AS (
                SELECT n.family_id,
                       count(*) FILTER (WHERE relation = 'adapter') AS adapters,
                       count(*) FILTER (WHERE relation = 'merge') AS merges,
                       count(*) FILTER (WHERE relation = 'quantized') AS quantized,
                       count(*) FILTER (WHERE relation = 'finetune') AS finetunes,
                       count(*) FILTER (WHERE relation_source LIKE 'inferred:%') AS inferred_relations
                FROM eo JOIN n ON n.model_id = eo.child_id WHERE NOT eo.cycle_broken GROUP BY n.family_id)
            SELECT n.family_id,
                   bool_or(n.model_id = n.family_id AND n.in_snapshot) AS root_in_snapshot,
                   count(*) AS size, count(*) FILTER (WHERE n.in_snapshot) AS models_in_snapshot,
                   max(n.depth)::INTEGER AS depth, max(n.children)::INTEGER AS max_fan_out,
                   coalesce(avg(n.children) FILTER (WHERE n.children > 0), 0) AS mean_fan_out,
                   coalesce(any_value(r.adapters), 0) AS adapters, coalesce(any_value(r.merges), 0) AS merges,
                   coalesce(any_value(r.quantized), 0) AS quantized,
                   coalesce(any_value(r.finetunes), 0) AS finetunes,
                   coalesce(any_value(r.inferred_relations), 0) AS inferred_relations
            FROM n LEFT JOIN rel r USING (family_id)
            GROUP BY n.family_id HAVING count(*) >= 2 ORDER BY n.family_id""").to_arrow_table()
        roots = con.sql("SELECT model_id FROM n WHERE depth = 0 AND children > 0").to_arrow_table()["model_id"]
        con.register("m", pa.table({"model_id": model_ids}))
        orphans = con.sql("""
            SELECT model_id FROM m WHERE model_id NOT IN (SELECT child_id FROM eo)
            ORDER BY model_id""").to_arrow_table()["model_id"]
    finally:
        con.close()
    suggestions = suggest_parents(orphans.to_pylist(), roots.to_pylist())
    return {
        "marts.lineage_edges": edges_out.select(EDGE_COLUMNS),
        "marts.lineage_nodes": nodes,
        "marts.lineage_families": families,
        "marts.lineage_suggestions": suggestions,
        "marts.lineage_problems": pa.concat_tables([problems.cast(PROBLEMS), cycle_problems]),
    }


# What each model declares depends on its own state only, so it is extracted incrementally (once
# per state; the fetched weight files count as state): only the few models that changed since the
# last run are parsed. Families, depths and suggestions are properties of the whole graph and are
# recomputed from all declarations on every run. Raise DECLARED_VERSION when extraction changes.
DECLARED = "lineage_declared"
DECLARED_VERSION = 1
DECLARED_EDGES = pa.schema([("model_id", pa.string())] + [f for f in EDGES if f.name != "child_id"])
DECLARED_INPUTS = CANDIDATES.replace(
    "SELECT s.model_id, s.tags,",
    "SELECT s.model_id, s.state_hash || coalesce('/' || md5(array_to_string(f.files, chr(31))), '') AS input_key, "
    "s.tags,").replace("    ORDER BY s.model_id", "")
assert DECLARED_INPUTS != CANDIDATES and "input_key" in DECLARED_INPUTS


def _declare(batch: pa.Table) -> dict[str, pa.Table]:
    edges, problems = extract_edges(batch)
    return {"marts.lineage_declared_edges": edges.rename_columns(["model_id", *edges.column_names[1:]]),
            "marts.lineage_declared_problems": problems}


def build(con: duckdb.DuckDBPyConnection, *, progress: bool = False, workers: int | None = None) -> dict:
    """Replace the lineage marts with ones computed from the current models; runs inside the caller's
    transaction. Declarations are extracted only for models whose state changed (see DECLARED)."""
    started = time.monotonic()
    declared = refresh(con, analysis=DECLARED, version=DECLARED_VERSION, inputs_sql=DECLARED_INPUTS,
                       marts={"marts.lineage_declared_edges": DECLARED_EDGES,
                              "marts.lineage_declared_problems": PROBLEMS},
                       analyse=_declare, progress=progress, workers=workers)
    model_ids = con.sql(MODEL_IDS).to_arrow_table()["model_id"]
    raw_edges = con.sql("SELECT model_id AS child_id, parent_id, relation, relation_source, declared_in "
                        "FROM marts.lineage_declared_edges").to_arrow_table().cast(EDGES)
    problems = con.sql("SELECT model_id, code, parent_id, detail FROM marts.lineage_declared_problems "
                       "ORDER BY model_id, code, parent_id, detail").to_arrow_table().cast(PROBLEMS)
    marts = compute_marts(model_ids, raw_edges, problems)
    summary = {"models": len(model_ids), "declarations_parsed": declared["analysed"]}
    for table, rows in marts.items():
        # Rebuilt whole: these marts have no primary key (migration 009), the delete keeps the grain.
        con.execute(f"DELETE FROM {table}")
        if rows.num_rows:
            con.register("new_rows", rows)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM new_rows")
            con.unregister("new_rows")
        summary[f"rows_{table.split('.')[-1]}"] = rows.num_rows
    summary["compute_seconds"] = round(time.monotonic() - started, 2)
    return summary


def family_members(warehouse: Path, families: Iterable[str]) -> list[str]:
    """Every model of the given lineage families (by root id), from the built marts, read-only."""
    con = connect_reader(warehouse)
    try:
        rows = con.execute("SELECT model_id FROM lineage_nodes WHERE family_id IN (SELECT unnest(?)) "
                           "ORDER BY model_id", [list(families)]).fetchall()
    finally:
        con.close()
    return [model_id for (model_id,) in rows]
