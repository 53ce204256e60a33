"""Everything the report shows, read from the warehouse's user views through one short read-only connection.

The connection is closed before any chart is drawn: while a reader holds the DuckDB file, the
loader cannot open it, so the report holds it only for these queries (bounded aggregates and top-N
lists, so the time does not grow with the number of models beyond the views' own scans).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb

from core.config import Paths
from warehouse.db import connect_reader

TOP = 15

# The forecaster's views (issue 6 contract): the page is built against these columns.
FORECAST_VIEWS = {
    "forecasts": ["base_model_id", "relation", "n_months", "derivatives_now", "lambda", "mu", "sigma", "m",
                  "m_mode", "converged", "reason", "r2_log", "rmse_log", "c_inf", "forecast_h3", "forecast_h6",
                  "forecast_h12", "forecast_h12_low", "forecast_h12_high"],
    "forecast_ranking": ["rank", "base_model_id", "derivatives_now", "c_inf", "forecast_h12", "forecast_h12_low",
                         "forecast_h12_high", "converged"],
    "forecast_backtest": ["horizon", "size_class", "model", "series", "mape", "smape"],
}


@dataclass
class Table:
    """Rows of one query, with its column names (values are plain Python: Decimal becomes int/float)."""

    columns: list[str]
    rows: list[tuple]

    def column(self, name: str) -> list:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class ReportData:
    """Query results by name (``tables``), single facts (``facts``) and where the data came from."""

    tables: dict[str, Table] = field(default_factory=dict)
    facts: dict[str, object] = field(default_factory=dict)
    provenance: dict[str, object] = field(default_factory=dict)
    forecasts: str = "absent"  # absent | empty | mismatch | ready
    forecast_problem: str = ""


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _table(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Table:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return Table(columns, [tuple(_plain(v) for v in row) for row in cursor.fetchall()])


def _scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return _plain(con.execute(sql).fetchall()[0][0])


# Queries per page: (name, SQL). Each reads user views only, as a user of the warehouse would.
OVERVIEW = {
    "models_by_month": """
        SELECT date_trunc('month', created_at)::DATE AS month, count(*) AS models
        FROM models WHERE created_at_known GROUP BY ALL ORDER BY month""",
    "licenses": f"""
        SELECT coalesce(license_id, CASE WHEN len(license_ids) > 1 THEN '(several)' ELSE '(none declared)' END)
               AS license, count(*) AS models, round(count(*) / sum(count(*)) OVER (), 4) AS share
        FROM licenses GROUP BY ALL ORDER BY models DESC, license LIMIT {TOP}""",
}

DOCUMENTATION = {
    "by_month": "SELECT * FROM documentation_by_month ORDER BY month",
    "score_bins": """
        SELECT least(floor(score / 10), 9)::INTEGER * 10 AS bin, count(*) AS cards
        FROM documentation WHERE has_card GROUP BY ALL ORDER BY bin""",
    "sections": "SELECT * FROM section_fill_rates ORDER BY filled_rate DESC, section",
    "by_kind": "SELECT * FROM documentation_by_kind ORDER BY cards DESC, kind",
    "correlations": "SELECT * FROM documentation_correlations ORDER BY measure",
    "top_authors": f"""
        SELECT author, models, with_card, mean_score, median_score, downloads FROM documentation_by_author
        ORDER BY downloads DESC NULLS LAST, author LIMIT {TOP}""",
    "by_task": f"""
        SELECT pipeline_tag, models, with_card, mean_score FROM documentation_by_pipeline_tag
        ORDER BY models DESC, pipeline_tag LIMIT {TOP}""",
}

LINEAGE = {
    "relations": """
        SELECT relation, count(*) FILTER (WHERE NOT relation_inferred) AS declared,
               count(*) FILTER (WHERE relation_inferred) AS inferred, count(*) AS edges
        FROM lineage_edges WHERE NOT cycle_broken GROUP BY ALL ORDER BY edges DESC, relation""",
    "families": f"""
        SELECT family_id, size, models_in_snapshot, depth, max_fan_out, adapters, merges, quantized, finetunes,
               inferred_relations
        FROM families ORDER BY size DESC, family_id LIMIT {TOP}""",
    "derivatives_by_month": """
        SELECT month, relation, sum(new_derivatives) AS new_derivatives
        FROM derivatives_by_month WHERE relation <> 'all' GROUP BY ALL ORDER BY month, relation""",
    "top_bases": f"""
        SELECT base_model_id, max(cumulative) FILTER (WHERE relation = 'all') AS derivatives,
               coalesce(max(cumulative) FILTER (WHERE relation = 'finetune'), 0) AS finetune,
               coalesce(max(cumulative) FILTER (WHERE relation = 'adapter'), 0) AS adapter,
               coalesce(max(cumulative) FILTER (WHERE relation = 'quantized'), 0) AS quantized,
               coalesce(max(cumulative) FILTER (WHERE relation = 'merge'), 0) AS merge,
               min(month) AS first_derivative, max(month) AS latest_derivative
        FROM derivatives_by_month GROUP BY base_model_id
        ORDER BY derivatives DESC, base_model_id LIMIT {TOP}""",
    "depths": "SELECT depth, count(*) AS families FROM families GROUP BY ALL ORDER BY depth",
    "problems": "SELECT code, count(*) AS problems, min(model_id) AS example FROM lineage_problems GROUP BY ALL ORDER BY problems DESC, code",
    "suggestions": f"""
        SELECT model_id, suggested_parent_id, matched, confidence FROM lineage_suggestions
        ORDER BY confidence DESC, model_id LIMIT {TOP}""",
}

NAMING = {
    "practices": f"SELECT pattern, models, share, example FROM naming_practices ORDER BY models DESC, pattern LIMIT {TOP}",
    "segments": "SELECT segment_type, segments, share FROM segment_type_shares ORDER BY segments DESC, segment_type",
    "version_by_month": """
        SELECT date_trunc('month', created_at)::DATE AS month, count(*) AS models,
               count(*) FILTER (WHERE version IS NOT NULL) AS with_version,
               round(count(*) FILTER (WHERE version IS NOT NULL) / count(*), 4) AS version_share
        FROM model_names WHERE created_at_known GROUP BY ALL ORDER BY month""",
    "version_kinds": """
        SELECT coalesce(version_kind, '(no version)') AS version_kind, count(*) AS models
        FROM model_names GROUP BY ALL ORDER BY models DESC, version_kind""",
    "summary": "SELECT * FROM versioning_summary",
    "silent_by_version": """
        SELECT CASE WHEN name_has_version THEN 'version in name' ELSE 'no version in name' END AS repos,
               count(*) AS repos_with_history, sum(weight_change_commits) AS weight_change_commits,
               sum(with_card_change) AS with_card_change, sum(without_card_change) AS without_card_change
        FROM versioning_practice GROUP BY ALL ORDER BY repos""",
    "steps": """
        SELECT step, count(*) AS releases, median(days_since_previous) AS median_days_since_previous
        FROM family_releases GROUP BY step
        ORDER BY list_position(['first', 'major', 'minor', 'same', 'backwards'], step), step""",
    "silent_repos": f"""
        SELECT model_id, version_kind, weight_change_commits, without_card_change FROM versioning_practice
        WHERE without_card_change > 0 ORDER BY without_card_change DESC, model_id LIMIT {TOP}""",
}

CARBON = {
    "by_month": "SELECT * FROM carbon_reporting_by_month ORDER BY month",
    "by_year": """
        SELECT year(month) AS year, sum(models) AS models, sum(reporting) AS reporting,
               round(sum(reporting) / sum(models), 4) AS reporting_share
        FROM carbon_reporting_by_month GROUP BY ALL ORDER BY year""",
    "classes": """
        SELECT reporting_class, count(*) AS declarations, median(emissions_g) AS median_emissions_g
        FROM carbon_reporting GROUP BY reporting_class
        ORDER BY list_position(['no_figure', 'emissions_only', 'emissions_source', 'partial_context',
                                'full_context'], reporting_class), reporting_class""",
    "bands": """
        SELECT coalesce(efficiency_band, '(unknown)') AS efficiency_band, count(*) AS declarations,
               median(bytes_per_g) AS median_bytes_per_g
        FROM carbon_reporting GROUP BY ALL ORDER BY efficiency_band""",
    "magnitudes": """
        SELECT floor(log10(emissions_g))::INTEGER AS log10_g, count(*) AS declarations
        FROM carbon_reporting WHERE emissions_g > 0 GROUP BY ALL ORDER BY log10_g""",
    "declarations": f"""
        SELECT model_id, emissions_g, source, training_type, geographical_location, hardware_used,
               reporting_class, efficiency_band, performance_score, downloads
        FROM carbon_reporting ORDER BY downloads DESC NULLS LAST, model_id LIMIT {TOP}""",
}

FORECASTS = {
    "ranking": f"""
        SELECT rank, base_model_id, derivatives_now, forecast_h12, forecast_h12_low, forecast_h12_high, c_inf,
               converged
        FROM forecast_ranking ORDER BY rank, base_model_id LIMIT {TOP}""",
    "fits": """
        SELECT count(*) AS series, count(*) FILTER (WHERE converged) AS converged,
               median(r2_log) FILTER (WHERE converged) AS median_r2_log,
               median(rmse_log) FILTER (WHERE converged) AS median_rmse_log
        FROM forecasts""",
    "reasons": """
        SELECT coalesce(reason, '(none)') AS reason, count(*) AS series FROM forecasts
        WHERE NOT converged GROUP BY ALL ORDER BY series DESC, reason""",
    "backtest": "SELECT * FROM forecast_backtest ORDER BY horizon, size_class, model",
    "parameters": f"""
        SELECT base_model_id, relation, n_months, derivatives_now, "lambda", mu, sigma, m, m_mode, r2_log,
               forecast_h3, forecast_h6, forecast_h12
        FROM forecasts WHERE converged ORDER BY derivatives_now DESC, base_model_id, relation LIMIT {TOP}""",
}


def _relations(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Columns of every relation (view or table) of schema main."""
    found: dict[str, set[str]] = {}
    for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'").fetchall():
        found.setdefault(table, set()).add(column)
    return found


def _forecast_state(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    relations = _relations(con)
    absent = [name for name in FORECAST_VIEWS if name not in relations]
    if absent:
        return "absent", f"view(s) {', '.join(absent)} not in this warehouse"
    mismatched = {name: sorted(set(cols) - relations[name]) for name, cols in FORECAST_VIEWS.items()
                  if set(cols) - relations[name]}
    if mismatched:
        return "mismatch", "; ".join(f"{name} lacks {', '.join(cols)}" for name, cols in mismatched.items())
    if not _scalar(con, "SELECT count(*) FROM forecasts"):
        return "empty", "the forecast views hold no rows"
    return "ready", ""


def _forecast_panels(con: duckdb.DuckDBPyConnection) -> Table:
    """Observed cumulative derivatives (all relations) of the top-ranked base models, month by month."""
    return _table(con, """
        SELECT d.base_model_id, d.month, d.cumulative
        FROM derivatives_by_month d
        JOIN (SELECT base_model_id, min(rank) AS rank FROM forecast_ranking GROUP BY ALL
              ORDER BY rank LIMIT 6) r USING (base_model_id)
        WHERE d.relation = 'all' ORDER BY r.rank, d.month""")


def _forecast_points(con: duckdb.DuckDBPyConnection) -> Table:
    return _table(con, """
        SELECT base_model_id, forecast_h3, forecast_h6, forecast_h12, forecast_h12_low, forecast_h12_high
        FROM forecasts WHERE relation = 'all' OR relation IS NULL""")


def _endpoint(paths: Paths, source: str, run_id: str) -> str | None:
    """The Hub a landed run came from (its manifest), without any user:password or query."""
    manifest = paths.landing / source / run_id / "_manifest.json"
    try:
        url = json.loads(manifest.read_text()).get("endpoint")
        parts = urlsplit(url)
        netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port is not None else "")
    except (OSError, ValueError, TypeError, AttributeError):
        return None  # landing zone archived or pruned: provenance says "unknown", the report still builds
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def load(paths: Paths) -> ReportData:
    """Run every report query on one read-only connection, then close it."""
    con = connect_reader(paths.warehouse)
    try:
        con.execute("SET TimeZone = 'UTC'")  # timestamps print in UTC whatever the machine's zone
        return _load(con, paths)
    finally:
        con.close()


def _load(con: duckdb.DuckDBPyConnection, paths: Paths) -> ReportData:
    data = ReportData()
    for group, queries in (("overview", OVERVIEW), ("documentation", DOCUMENTATION), ("lineage", LINEAGE),
                           ("naming", NAMING), ("carbon", CARBON)):
        for name, sql in queries.items():
            data.tables[f"{group}.{name}"] = _table(con, sql)

    data.facts.update(dict(zip(
        ["models", "with_card", "mean_score", "mean_score_carded"],
        con.execute("""SELECT (SELECT count(*) FROM models), count(*) FILTER (WHERE has_card),
                              avg(score), avg(score) FILTER (WHERE has_card) FROM documentation""").fetchall()[0])))
    data.facts["cards_checked"] = _scalar(con, "SELECT count(*) FROM documentation")
    data.facts["families"] = _scalar(con, "SELECT count(*) FROM families")
    data.facts["models_in_families"] = _scalar(con, "SELECT coalesce(sum(models_in_snapshot), 0) FROM families")
    data.facts["lineage_edges"] = _scalar(con, "SELECT count(*) FROM lineage_edges WHERE NOT cycle_broken")
    data.facts["inferred_edges"] = _scalar(
        con, "SELECT count(*) FROM lineage_edges WHERE NOT cycle_broken AND relation_inferred")
    data.facts["carbon_declarations"] = _scalar(con, "SELECT count(*) FROM carbon_reporting")
    data.facts["carbon_with_figure"] = _scalar(
        con, "SELECT count(*) FROM carbon_reporting WHERE emissions_g IS NOT NULL")
    data.facts["names_with_version"] = _scalar(con, "SELECT count(*) FROM model_names WHERE version IS NOT NULL")
    summary = data.tables["naming.summary"].records()
    data.facts["versioning"] = summary[0] if summary else {}

    data.forecasts, data.forecast_problem = _forecast_state(con)
    if data.forecasts == "ready":
        for name, sql in FORECASTS.items():
            data.tables[f"forecasts.{name}"] = _table(con, sql)
        data.tables["forecasts.observed"] = _forecast_panels(con)
        data.tables["forecasts.points"] = _forecast_points(con)
        data.facts["forecast_series"] = _scalar(con, "SELECT count(*) FROM forecasts")

    runs = _table(con, """
        SELECT source, count(*) AS runs, min(fetched_at) AS first_fetched, max(fetched_at) AS last_fetched,
               arg_max(run_id, fetched_at) AS last_run_id, max(loaded_at) AS last_loaded
        FROM load_runs GROUP BY source ORDER BY source""")
    endpoints = {row["source"]: _endpoint(paths, row["source"], row["last_run_id"]) for row in runs.records()}
    runs = Table(runs.columns + ["endpoint"], [row + (endpoints[row[0]],) for row in runs.rows])
    data.tables["provenance.runs"] = runs
    # Runs the loader moved aside: the figures do not include them, and the reader should know.
    data.tables["provenance.quarantined"] = _table(con, """
        SELECT source, run_id, reason, quarantined_at FROM quarantined_runs ORDER BY quarantined_at, source, run_id""")
    # hub: fetched README.md; dump@<commit>: taken from the daily card dump (hubmine bootstrap cards)
    data.tables["provenance.card_sources"] = _table(
        con, "SELECT source, count(*) AS cards FROM cards GROUP BY source ORDER BY source")
    snapshot = _scalar(con, "SELECT max(fetched_at) FROM load_runs WHERE source = 'models'")
    # What the newest listing's endpoint served (core.provenance); NULL for runs that did not record it.
    served = _scalar(con, "SELECT arg_max(provenance, fetched_at) FROM load_runs WHERE source = 'models'")
    first = _scalar(con, "SELECT min(fetched_at) FROM load_runs WHERE source = 'models'")
    migration = con.execute(
        "SELECT version, name FROM meta.schema_migrations ORDER BY version DESC LIMIT 1").fetchall()
    data.provenance = {
        "snapshot": snapshot,
        "first_snapshot": first,
        "snapshot_days": _scalar(
            con, "SELECT count(DISTINCT fetched_at::DATE) FROM load_runs WHERE source = 'models'"),
        "schema": f"{migration[0][0]} ({migration[0][1]})" if migration else "none",
        "warehouse": Path(paths.warehouse).name,
        "endpoint": endpoints.get("models"),
        "quarantined_runs": len(data.tables["provenance.quarantined"].rows),
        "served": _served(served),
    }
    return data


def _served(value) -> dict | None:
    try:
        served = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return None
    return served if isinstance(served, dict) else None


def snapshot_label(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "no snapshot loaded"
