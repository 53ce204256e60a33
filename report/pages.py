"""What each page of the report says: headline numbers, figures (chart + its data table + methodology).

Only composition here: the numbers come from ``report.data``, the SVG from ``report.charts``. Text
written here is ours; every value that came from the warehouse stays a plain string and is escaped
by the templates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from markupsafe import Markup

from core.hub import PLACEHOLDER_CREATED_AT
from report import charts
from report.data import ReportData, Table
from report.names import displayed

# Columns holding repo ids: rendered as links to the Hub when the data came from the Hub.
MODEL_COLUMNS = {"model_id", "base_model_id", "family_id", "example", "suggested_parent_id"}
# "2022-03-02T23:29:04Z and 2022-03-02T23:29:05Z", as the methodology notes quote them
_PLACEHOLDER_DATES = " and ".join(p.replace(".000Z", "Z") for p in PLACEHOLDER_CREATED_AT)


@dataclass
class Figure:
    key: str
    title: str
    chart: Markup | None
    table: Table
    method: str
    caption: str = ""  # in words what a chart of a single bar or point would have shown
    drawing: charts.Chart | None = field(default=None, repr=False)
    withheld: bool = False  # the data cannot support it (report.provenance.withhold): no chart, no values


@dataclass
class Page:
    slug: str
    title: str
    summary: str
    headlines: list[tuple[str, str]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return f"{self.slug}.html"


def pct(value, digits: int = 1) -> str:
    return "—" if value is None else f"{float(value):.{digits}%}"


def num(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _share(part, whole) -> float | None:
    return part / whole if whole else None


def stamp(data: ReportData) -> charts.Stamp:
    """The footer every chart carries: the data's date and what the data is (the newest listing's recorded
    provenance, ``served``, when there is one; else the endpoint it was fetched from)."""
    snapshot, served = data.provenance.get("snapshot"), data.provenance.get("served") or {}
    endpoint = data.provenance.get("endpoint") or "an unrecorded endpoint"
    source = {
        "generated": f"generated data, not the Hub (hubmine's generator, seed {served.get('seed')}, "
                     f"{served.get('models')} models)",
        "imported": f"an imported sample of real Hub facts ({served.get('models')} models), not the whole Hub",
        "replay": "a replay hub test snapshot, not the Hub",
        "hub": f"the Hugging Face Hub ({endpoint})",
    }.get(served.get("kind"), endpoint)
    return charts.Stamp(snapshot.strftime("%Y-%m-%d") if snapshot else "unknown date", source)


def _figure(data: ReportData, key: str, title: str, table: Table, method: str, chart, *args,
            chart_title: str | None = None, **kwargs) -> Figure:
    """A figure whose chart, ``chart(key, chart_title or title, *args, stamp=..., **kwargs)``, is drawn only
    when its table has rows (an empty chart says nothing) and more than one bar or point (else the figure
    says it in words). A string in ``args``, or as a value of a dict in ``args`` (a chart's series), names
    a column of ``table``."""
    def column(arg):
        if isinstance(arg, str):
            return table.column(arg)
        return {label: column(v) for label, v in arg.items()} if isinstance(arg, dict) else arg

    if not len(table):
        return Figure(key, title, None, table, method)
    values = list(map(column, args))
    drawn = chart(key, chart_title or title, *values, stamp=stamp(data), **kwargs)
    if drawn is None:
        return Figure(key, title, None, table, method, caption=_in_words(table, args, values, kwargs))
    return Figure(key, title, drawn.svg(), table, method, drawing=drawn)


def _in_words(table: Table, args: tuple, values: list, kwargs: dict) -> str:
    """The sentence that stands for a chart of one bar or point: the category and its values."""
    name = (args[0] if isinstance(args[0], str) else table.columns[0]).replace("_", " ")
    category = values[0][0]
    category = category.strftime("%Y-%m") if isinstance(category, date) else category
    series = next((v for v in values[1:] if isinstance(v, dict)),
                  {a.replace("_", " "): v for a, v in zip(args[1:], values[1:]) if isinstance(a, str)})
    shown = pct if kwargs.get("percent") else num
    parts = ", ".join(f"{label} {shown(v[0])}" for label, v in series.items())
    return f"Only one {name} in this snapshot, so no chart: {category} — {parts}."


def _months(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _pivot(table: Table, x: str, series: str, value: str) -> tuple[list, dict[str, list]]:
    """Long rows (month, series, value) to one list per series over every month from the first to the last
    (gaps as 0: a month without rows had none, and a line drawn across it would say otherwise)."""
    present = table.column(x)
    xs = [_add_months(min(present), i) for i in range(_months(min(present), max(present)) + 1)] if present else []
    cells: dict[str, dict] = defaultdict(dict)
    for row in table.records():
        cells[row[series]][row[x]] = row[value]
    return xs, {name: [values.get(v, 0) for v in xs] for name, values in sorted(cells.items())}


# -- index ---------------------------------------------------------------------------------------------
def overview(data: ReportData) -> Page:
    f, t = data.facts, data.tables
    versioning = f["versioning"]
    headlines = [
        ("models on the Hub", num(f["models"])),
        ("models with a card", f"{num(f['with_card'])} ({pct(_share(f['with_card'], f['cards_checked']))})"),
        ("mean documentation score (models with a card)", "—" if f["mean_score_carded"] is None
         else f"{f['mean_score_carded']:.1f} / 100"),
        ("lineage families (2+ models)", num(f["families"])),
        ("declared or inferred lineage edges", num(f["lineage_edges"])),
        ("models declaring CO₂ emissions", f"{num(f['carbon_declarations'])} "
                                           f"({pct(_share(f['carbon_declarations'], f['models']), 2)})"),
        ("weight changes without a card change", pct(versioning.get("share_without_card_change"))),
        ("base models with an adoption forecast",
         num(f["forecast_series"]) if data.forecasts == "ready" else "not computed yet"),
    ]
    months, licenses = t["overview.models_by_month"], t["overview.licenses"]
    figures = [
        _figure(data, "models-by-month", "Models created per month", months,
                "Current models by the month of their createdAt. Models whose creation date is unknown or one of "
                f"the Hub's placeholders for old repos ({_PLACEHOLDER_DATES}) are left out. The snapshot's own "
                "month is still incomplete.",
                charts.line_chart, "month", {"models": "models"}, ylabel="models created"),
        _figure(data, "licenses", f"Licences of current models (top {len(licenses)})", licenses,
                "The licence each current model declares (view licenses): the card metadata's license, or else "
                "the Hub's license:<id> tags; (none declared) when neither names one, (several) when more than "
                "one id is declared. 'other' is a licence outside the Hub's list (its license_name says which).",
                charts.hbar_chart, "license", {"models": "models"}, xlabel="current models",
                chart_title="Licences of current models"),
    ]
    return Page("index", "Overview", "Headline numbers, the snapshot this report describes, and where it came from.",
                headlines, figures)


# -- documentation ---------------------------------------------------------------------------------------
def documentation(data: ReportData) -> Page:
    t, f = data.tables, data.facts
    by_month, bins, sections, kinds = (t["documentation.by_month"], _score_bins(t["documentation.score_bins"]),
                                       t["documentation.sections"], t["documentation.by_kind"])
    rho = {r["measure"]: r["spearman_rho"] for r in t["documentation.correlations"].records()}
    figures = [
        _figure(data, "doc-by-month", "Documentation completeness by creation month", by_month,
                "Score 0–100 per model card = 70 × weighted share of the 14 model-card template sections that are "
                "filled (the card's prose or code answers the section's question about the model, wherever it "
                "stands and in any language; placeholders, boilerplate and 'Unknown' answers fill nothing; the "
                "six core sections weigh 2, the others 1) + 30 × share of 9 metadata fields "
                "present in the card YAML. Means per creation month of the model; 'all models' counts models "
                "without a README.md as 0. Months with few models are noisy.",
                charts.line_chart, "month", {"models with a card": "mean_score_carded", "all models": "mean_score"},
                ylabel="mean score (0–100)", ylim=(0, 100)),
        _figure(data, "doc-score-distribution", "Distribution of completeness scores", bins,
                "Models with a README.md, by score in bins of 10 points (bin 90 includes 100).",
                charts.bar_chart, [f"{b}–{b + 9 if b < 90 else 100}" for b in bins.column("bin")],
                {"cards": "cards"}, ylabel="cards"),
        _figure(data, "doc-sections", "Template sections: present and filled", sections,
                "For each section of the Hub's model-card template: present, the share of cards with a heading "
                "meant for it (matched through synonyms in nine languages, any level, numbered or not); filled, "
                "the share whose content answers it, under any heading or none (a code snippet is How to Get "
                "Started wherever it stands); filled when present, among cards with the heading, the share where "
                "the section is also filled — the form of Liang et al. 2024.",
                charts.hbar_chart, "section",
                {"present": "present_rate", "filled": "filled_rate", "filled when present": "filled_when_present"},
                xlabel="share of cards", percent=True),
        _figure(data, "doc-kinds", "Completeness by card kind", kinds,
                "Cards classified by their origin (trainer- or AutoTrain-generated, the untouched template, "
                "quantization or merge boilerplate, free-form, empty, none); bars are the mean score, split into "
                "its section part (0–70) and metadata part (0–30).",
                charts.hbar_chart, "kind",
                {"sections (0–70)": "mean_section_score", "metadata (0–30)": "mean_metadata_score"},
                xlabel="mean score", stacked=True),
        Figure("doc-correlations", "Completeness against popularity", None, t["documentation.correlations"],
               "Spearman's rank correlation of the completeness score with 30-day downloads and with likes over "
               "models with a card, as in Kadasi et al. 2025. A correlation, not a cause: popular models attract "
               "documentation and documented models attract users."),
        Figure("doc-authors", f"Most downloaded authors and their documentation (top {len(t['documentation.top_authors'])})",
               None, t["documentation.top_authors"],
               "Authors ranked by the 30-day downloads of their current models; scores count models without a "
               "README.md as 0."),
        Figure("doc-tasks", "Completeness by task", None, t["documentation.by_task"],
               "Mean score per pipeline_tag (the Hub's task), for the most common tasks."),
    ]
    headlines = [
        ("models with a README.md", f"{num(f['with_card'])} of {num(f['cards_checked'])}"),
        ("mean score, models with a card", "—" if f["mean_score_carded"] is None else f"{f['mean_score_carded']:.1f}"),
        ("mean score, all models", "—" if f["mean_score"] is None else f"{f['mean_score']:.1f}"),
        ("Spearman ρ with downloads", "—" if rho.get("downloads") is None else f"{rho['downloads']:.2f}"),
    ]
    return Page("documentation", "Documentation completeness",
                "How completely model cards follow the Hub's model-card template, over time, by section and by kind.",
                headlines, figures)


def _score_bins(bins: Table) -> Table:
    """Cards per 10-point score bin, every bin from 0 to 90 (the empty ones with 0): a distribution with
    its empty bins left out reads as a different one."""
    counts = dict(zip(bins.column("bin"), bins.column("cards")))
    return Table(["bin", "cards"], [(b, counts.get(b, 0)) for b in range(0, 100, 10)] if counts else [])


# -- lineage ---------------------------------------------------------------------------------------------
def lineage(data: ReportData) -> Page:
    t, f = data.tables, data.facts
    relations, families, monthly, bases = (t["lineage.relations"], t["lineage.families"],
                                           t["lineage.derivatives_by_month"], t["lineage.top_bases"])
    months, per_relation = _pivot(monthly, "month", "relation", "new_derivatives")
    figures = [
        _figure(data, "lineage-relations", "How derivatives relate to their base models", relations,
                "Edges child → declared base model, from the card's base_model (+ base_model_relation), "
                "base_model:<relation>:<id> tags and the API's baseModels. When nobody declared the relation it is "
                "inferred (peft/LoRA files or tags → adapter; GGUF/AWQ/GPTQ/EXL2/bitsandbytes → quantized; merge "
                "configs or tags → merge; else finetune) and counted as inferred. Edges dropped to break a "
                "declaration cycle are left out.",
                charts.hbar_chart, "relation", {"declared": "declared", "inferred": "inferred"},
                xlabel="edges", stacked=True),
        _figure(data, "lineage-families", f"Largest lineage families (top {len(families)})", families,
                "A family is the tree of primary lineage edges hanging from one root model (a model with no "
                "base model of its own); size counts every model in it, including a root that is not on the Hub "
                "any more. Depth is the longest chain from the root.",
                charts.hbar_chart, "family_id", {"models": "size"},
                xlabel="models in the family", chart_title="Largest lineage families"),
        _figure(data, "lineage-monthly", "New derivatives per month, by relation", monthly,
                "Direct derivatives by the creation month of the child, summed over all base models. Children "
                "with an unknown or placeholder creation date are left out; the snapshot's own month is still "
                "incomplete.",
                charts.line_chart, months, per_relation, ylabel="new derivatives"),
        _figure(data, "lineage-bases", f"Base models with the most direct derivatives (top {len(bases)})", bases,
                "Direct derivatives (children, any relation) of each base model to date, from derivatives_by_month "
                "— the series the adoption forecasts are fitted to.",
                charts.hbar_chart, "base_model_id",
                {r: r for r in ("finetune", "adapter", "quantized", "merge")},
                xlabel="direct derivatives", stacked=True, chart_title="Base models with the most direct derivatives"),
        _figure(data, "lineage-depths", "Families by depth", t["lineage.depths"],
                "How many generations deep families go (1 = the root and its direct children only).",
                charts.bar_chart, "depth", {"families": "families"}, ylabel="families"),
        Figure("lineage-problems", "Lineage declaration problems", None, t["lineage.problems"],
               "Self references, broken cycles, malformed ids and unknown or conflicting relations found in "
               "base_model declarations, by problem code."),
        Figure("lineage-suggestions", "Undeclared parents suggested from names", None, t["lineage.suggestions"],
               "Models without a declared base model whose name contains the name of a family root; a guess with "
               "a confidence in [0, 1], never counted as an edge above."),
    ]
    headlines = [
        ("lineage families (2+ models)", num(f["families"])),
        ("models in families", num(f["models_in_families"])),
        ("lineage edges", num(f["lineage_edges"])),
        ("edges with an inferred relation", pct(_share(f["inferred_edges"], f["lineage_edges"]))),
    ]
    return Page("lineage", "Lineage and families",
                "Which models are built on which: relations, families and the growth of derivatives.",
                headlines, figures)


# -- naming and versioning ---------------------------------------------------------------------------------
def naming(data: ReportData) -> Page:
    t, f = data.tables, data.facts
    practices, segments, by_month, steps, silent = (t["naming.practices"], t["naming.segments"],
                                                     t["naming.version_by_month"], t["naming.steps"],
                                                     t["naming.silent_by_version"])
    v = f["versioning"]
    figures = [
        _figure(data, "naming-practices", f"Most common naming practices (top {len(practices)})", practices,
                "A repo name (the part after the slash) is split into typed segments — identifier, base model, "
                "size, training mechanism, description, variant type, version, task, dataset, language, creation "
                "date, nationality, ambiguous (Ajibode et al. 2025) — and its naming practice is the ordered pattern "
                "of segment types.",
                charts.hbar_chart, "pattern", {"models": "share"},
                xlabel="share of models", percent=True, chart_title="Most common naming practices"),
        _figure(data, "naming-segments", "Segment types in repo names", segments,
                "Share of each segment type among all segments of all current repo names.",
                charts.hbar_chart, "segment_type", {"segments": "share"},
                xlabel="share of segments", percent=True),
        _figure(data, "naming-versions", "Repo names carrying a version, by creation month", by_month,
                "Share of models created each month whose name carries a version: v1, v2.1, v0.1.3, a bare "
                "version number, or a date stamp such as 2407.",
                charts.line_chart, "month", {"with a version": "version_share"},
                ylabel="share of new models", percent=True),
        _figure(data, "versioning-silent", "Weight changes with and without a card change", silent,
                "For repos whose commit history was fetched: a weight change is a commit in which a weight file "
                "keeps its path but gets another LFS oid. A repo cannot rename itself, so within a repo the card "
                "(README.md) is where a new version can be announced; a weight change in a commit that leaves "
                "README.md untouched is counted as silent.",
                charts.hbar_chart, "repos",
                {"with a card change": "with_card_change", "without (silent)": "without_card_change"},
                xlabel="weight-change commits", stacked=True),
        _figure(data, "versioning-steps", "Version steps between releases of a family", steps,
                "Within each lineage family, models whose names carry a vN[.M] version, in creation order: is each "
                "release a major or minor step forward, the same version again, or a step backwards?",
                charts.bar_chart, "step", {"releases": "releases"}, ylabel="releases"),
        Figure("versioning-kinds", "Kinds of version in names", None, t["naming.version_kinds"],
               "How the version in a name is written, over all current models."),
        Figure("versioning-repos", "Repos with the most silent weight changes", None, t["naming.silent_repos"],
               "Repos whose history was fetched, by weight-change commits without a README.md change."),
    ]
    headlines = [
        ("names carrying a version", pct(_share(f["names_with_version"], f["models"]))),
        ("repos with fetched history", num(v.get("repos_with_history"))),
        ("weight-change commits", num(v.get("weight_change_commits"))),
        ("of which without a card change", pct(v.get("share_without_card_change"))),
    ]
    return Page("naming", "Naming and versioning",
                "How repos are named, whether names carry versions, and whether weight changes are announced.",
                headlines, figures)


# -- carbon ------------------------------------------------------------------------------------------------
def carbon(data: ReportData) -> Page:
    t, f = data.tables, data.facts
    by_month, classes, bands, magnitudes = (t["carbon.by_month"], t["carbon.classes"], t["carbon.bands"],
                                            _decades(t["carbon.magnitudes"]))
    figures = [
        _figure(data, "carbon-by-month", "Share of new models reporting CO₂ emissions", by_month,
                "Share of the current models created each month whose card metadata declares co2_eq_emissions "
                "(a number or a mapping with emissions, source, training_type, geographical_location, "
                "hardware_used). Months with few models are noisy; the yearly shares are in the table below the "
                "monthly one.",
                charts.line_chart, "month", {"reporting": "reporting_share"},
                ylabel="share of new models", percent=True),
        Figure("carbon-by-year", "Carbon reporting by creation year", None, t["carbon.by_year"],
               "The monthly shares above, pooled per creation year."),
        _figure(data, "carbon-classes", "How completely emissions are reported", classes,
                "Reporting-practice classes by which fields a declaration holds: no usable figure; a figure only; "
                "a figure and its source; some context (training type, location or hardware); full context.",
                charts.hbar_chart, "reporting_class", {"declarations": "declarations"},
                xlabel="declarations"),
        _figure(data, "carbon-bands", "Efficiency bands (model bytes per gram CO₂-eq)", bands,
                "Efficiency = model size in bytes (from the safetensors parameter counts) per gram of declared "
                "emissions, banded A (most efficient) to E with thresholds frozen from the HFCO2 dataset; unknown "
                "when the size or the figure is missing.",
                charts.bar_chart, "efficiency_band", {"declarations": "declarations"},
                ylabel="declarations", chart_title="Efficiency bands"),
        _figure(data, "carbon-magnitudes", "Declared emissions by order of magnitude", magnitudes,
                "Declarations with a positive figure, normalised to grams CO₂-eq, by the power of ten of the figure "
                "(3 = 1–10 kg), on a logarithmic axis; every power of ten between the smallest and the largest "
                "figure is shown, the empty ones too.",
                charts.decade_histogram, "power_of_ten", "declarations", xlabel="declared emissions (CO₂-eq)",
                ylabel="declarations"),
        Figure("carbon-declarations", "Declarations of the most downloaded models", None, t["carbon.declarations"],
               "As declared in the card metadata (free text from the card, shown verbatim); grams normalised from "
               "the declared unit; performance = harmonic mean of the reported accuracy/F1/ROUGE."),
    ]
    headlines = [
        ("models declaring CO₂ emissions", num(f["carbon_declarations"])),
        ("share of all models", pct(_share(f["carbon_declarations"], f["models"]), 2)),
        ("declarations with a usable figure", num(f["carbon_with_figure"])),
    ]
    return Page("carbon", "Carbon", "Who reports the carbon footprint of training, how completely, and how much.",
                headlines, figures)


def _decades(magnitudes: Table) -> Table:
    """Declarations per power of ten of grams, every power between the smallest and the largest (the empty
    ones with 0), each with its range in words: the rows the histogram draws."""
    counts = dict(zip(magnitudes.column("log10_g"), magnitudes.column("declarations")))
    rows = [(e, f"{charts.grams(10.0 ** e)} – {charts.grams(10.0 ** (e + 1))}", counts.get(e, 0))
            for e in range(min(counts), max(counts) + 1)] if counts else []
    return Table(["power_of_ten", "emissions", "declarations"], rows)


# -- forecasts ---------------------------------------------------------------------------------------------
def forecasts(data: ReportData) -> Page:
    page = Page("forecasts", "Adoption forecasts",
                "Forecasts of how many derivatives the most adopted base models will have, and how well the "
                "method did on past data.")
    if data.forecasts != "ready":
        page.notes.append({
            "absent": "No forecasts computed yet: the forecast views are not in this warehouse.",
            "empty": "No forecasts computed yet: the forecast views exist but hold no rows.",
            "mismatch": "Forecasts are not shown: the forecast views do not have the expected columns.",
        }[data.forecasts] + f" ({data.forecast_problem})")
        return page
    t, f = data.tables, data.facts
    ranking, backtest, observed, points = (t["forecasts.ranking"], t["forecasts.backtest"], t["forecasts.observed"],
                                           t["forecasts.points"])
    snapshot = data.provenance["snapshot"]
    anchor = date(snapshot.year, snapshot.month, 1) if snapshot else None
    by_base = {r["base_model_id"]: r for r in points.records()}
    panels, panel_rows = [], []
    for base in dict.fromkeys(observed.column("base_model_id")):
        rows = [r for r in observed.records() if r["base_model_id"] == base]
        p = by_base.get(base)
        fx = [_add_months(anchor, h) for h in (3, 6, 12)] if p and anchor else []
        fy = [p["forecast_h3"], p["forecast_h6"], p["forecast_h12"]] if fx else []
        panels.append({"title": base, "x": [r["month"] for r in rows], "y": [r["cumulative"] for r in rows],
                       "fx": fx, "fy": fy, "flow": [None, None, p["forecast_h12_low"]] if fx else [],
                       "fhigh": [None, None, p["forecast_h12_high"]] if fx else []})
        panel_rows.append((base, rows[-1]["month"], rows[-1]["cumulative"], *(fy or [None] * 3),
                           p["forecast_h12_low"] if p else None, p["forecast_h12_high"] if p else None))
    panel_table = Table(["base_model_id", "last_month", "derivatives", "forecast_h3", "forecast_h6", "forecast_h12",
                         "forecast_h12_low", "forecast_h12_high"], panel_rows)
    horizons = sorted(set(backtest.column("horizon")))
    models = sorted(set(backtest.column("model")))
    pooled = defaultdict(lambda: [0.0, 0])
    for r in backtest.records():
        if r["smape"] is not None and r["series"]:
            cell = pooled[(r["horizon"], r["model"])]
            cell[0] += r["smape"] * r["series"]
            cell[1] += r["series"]
    smape = {m: [pooled[(h, m)][0] / pooled[(h, m)][1] if pooled[(h, m)][1] else None for h in horizons]
             for m in models}
    page.figures = [
        _figure(data, "forecast-ranking", f"Forecast derivatives in 12 months (top {len(ranking)})", ranking,
                "Cumulative direct derivatives c(t) of each base model are fitted with the Wang–Song–Barabási model "
                "c(t) = m·(exp(λ·Φ((ln t − μ)/σ)) − 1) (λ fitness, μ immediacy, σ longevity), multi-start and "
                "bounded in log space, on the derivatives' creation times, for its parameters; the bar is the "
                "published forecast 12 months ahead (the mean of the paper's WSB fit, the linear trends of 3 and "
                "6 months, the drift and Bass diffusion: see forecast_model) with its 80% interval (calibrated on "
                "the backtest errors), next to the "
                "count now, in the forecaster's ranking order (forecast_ranking; the table says whether each fit "
                "converged).",
                charts.hbar_chart, "base_model_id",
                {"derivatives now": "derivatives_now", "forecast +12 months": "forecast_h12"},
                xlabel="direct derivatives",
                errors=(ranking.column("forecast_h12_low"),
                        ranking.column("forecast_h12_high")), chart_title="Forecast derivatives in 12 months"),
        _figure(data, "forecast-series", "Observed derivatives and forecasts of the top-ranked base models", panel_table,
                "Line: cumulative direct derivatives by creation month (all relations). Points: the forecasts "
                "3, 6 and 12 months after the snapshot month, the last one with its interval.",
                charts.small_multiples, panels, chart_title="Observed derivatives and forecasts"),
        _figure(data, "forecast-backtest", "Backtest: forecast error by horizon", backtest,
                "Each method is fitted on the first months of a series and scored on the months it did not see; "
                "the chart pools the size classes (weighted by their number of series) into one symmetric mean "
                "absolute percentage error (sMAPE) per horizon; the table has every size class. Lower is better; "
                "the simple baselines are the bar to beat.",
                charts.bar_chart, [f"{h} months" for h in horizons], smape, ylabel="sMAPE"),
        Figure("forecast-fits", "Fit quality", None, t["forecasts.fits"],
               "Series fitted, how many converged, and the median R² and RMSE of the converged fits in log space."),
        Figure("forecast-reasons", "Why fits did not converge", None, t["forecasts.reasons"],
               "Series whose WSB fit did not converge, by the reason the fitter gave (their parameters are not "
               "trusted; the published forecast does not use the fit)."),
        Figure("forecast-parameters", "Fitted parameters of the largest series", None, t["forecasts.parameters"],
               "λ (fitness), μ (immediacy), σ (longevity) and m of converged fits, largest series first."),
    ]
    page.headlines = [
        ("series fitted", num(f["forecast_series"])),
        ("converged", num(t["forecasts.fits"].records()[0]["converged"])),
    ]
    return page


def build_pages(data: ReportData) -> list[Page]:
    """Every page, index first. Slugs in the tables are shown by their display names, in charts and
    tables alike (report.names)."""
    data = replace(data, tables={name: displayed(table) for name, table in data.tables.items()})
    topical = [documentation(data), lineage(data), naming(data), carbon(data), forecasts(data)]
    return [overview(data), *topical]
