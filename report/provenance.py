"""What the report says about its own data, on every page: where it came from and what it cannot say.

The newest models run's ``provenance`` (``load_runs``, landed by the models miner from what the
endpoint served, see ``core.provenance``) becomes a :class:`Banner`, printed by the one template
macro ``provenance_banner``. Figures an imported sample cannot support (its ``unsupported`` claims)
are withheld: their values are replaced by the reason, never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from core.provenance import CARD_SHARE, CO2_REPORTING_SHARE, GENERATED, HUB, IMPORTED, SILENT_WEIGHT_CHANGES
from report.data import Table
from report.pages import Page

NOT_SUPPORTED = "not supported by this sample"

# Per unsupported claim: the headline labels and figure keys (report.pages) that make it.
WITHHELD: dict[str, tuple[set[str], set[str]]] = {
    # "all models" scores count a model without a README as 0: they hang on the card share too.
    CARD_SHARE: ({"models with a card", "models with a README.md", "mean score, all models"}, set()),
    SILENT_WEIGHT_CHANGES: ({"weight changes without a card change", "of which without a card change"},
                            {"versioning-silent", "versioning-repos"}),
    CO2_REPORTING_SHARE: ({"models declaring CO₂ emissions", "share of all models"},
                          {"carbon-by-month", "carbon-by-year"}),
}
MODELS_LABEL = "models on the Hub"
SAMPLE_LABEL = {GENERATED: "models in the generated hub", IMPORTED: "models in the imported sample"}


@dataclass
class Banner:
    """One page's statement of where its data came from."""

    kind: str  # generated | imported | replay | hub | unknown
    title: str
    text: str
    sources: list[dict] = field(default_factory=list)  # imported: name, what, models, coverage
    unsupported: dict[str, str] = field(default_factory=dict)  # claim id -> why


def clean_endpoint(url: str | None) -> str | None:
    """The endpoint without user:password, query or fragment (a report is published)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port is not None else "")
    except ValueError:
        return None
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def banner(served: dict | None, snapshot: datetime | None, endpoint: str | None) -> Banner:
    """The banner for the newest models run: ``served`` its provenance (None when not recorded),
    ``snapshot`` the time it stands for, ``endpoint`` where it was fetched."""
    when = snapshot.strftime("%Y-%m-%d %H:%M UTC") if snapshot else "no snapshot loaded"
    served = served or {}
    kind = served.get("kind") if isinstance(served.get("kind"), str) else "unknown"
    where = clean_endpoint(endpoint) or "an unrecorded endpoint"
    if snapshot is None:
        return Banner("none", "No data loaded", "No listing has been loaded into this warehouse yet: every figure "
                      "is empty (run hubmine crawl models and hubmine load).")
    if kind == GENERATED:
        return Banner(kind, "Generated data", (
            f"A synthetic hub made by hubmine's generator (seed {served.get('seed')}, {_n(served.get('base_models'))} "
            f"models on day 0, day {served.get('day')}: {_n(served.get('models'))} models), served by a replay hub at "
            f"{where}, simulated as of {when}. Organisation and model names may look real; every number is "
            "invented: nothing here describes the Hugging Face Hub."))
    if kind == IMPORTED:
        sources = [s for s in served.get("sources") or [] if isinstance(s, dict)]
        unsupported = {k: str(v) for k, v in (served.get("unsupported") or {}).items() if k in WITHHELD}
        return Banner(kind, "Imported sample of real Hub facts", (
            f"{_n(served.get('models'))} models recorded from the real Hub by {len(sources)} third-party sources, merged "
            f"by hubmine hub import-real and served by a replay hub at {where}; the data's own time is {when} "
            "(the newest date in any source). A sample, not the Hub: each source covers only what it recorded "
            f"(below), and {len(unsupported)} kind(s) of figure it cannot support are marked "
            f"\"{NOT_SUPPORTED}\" instead of computed."), sources, unsupported)
    if kind == HUB:
        return Banner(kind, "The Hugging Face Hub", f"Listed from the Hub at {where} at {when}.")
    if kind == "replay":
        return Banner(kind, "Replay hub test snapshot", (
            f"A replay hub snapshot made by {served.get('source') or 'an unnamed maker'} ({_n(served.get('models'))} "
            f"models), served at {where}, as of {when}: test data, not the Hub."))
    return Banner("unknown", "Origin not recorded", (
        f"Listed from {where} at {when}. The run does not record whether the endpoint served the real Hub or a "
        "replay hub's generated or imported snapshot (it was crawled before hubmine recorded it)."))


def _n(value) -> str:
    return f"{value:,}" if isinstance(value, int) else "an unrecorded number of"


def withhold(pages: list[Page], note: Banner) -> None:
    """Replace what ``note.unsupported`` claims with the reason, and name the models' population."""
    labels = {label: (claim, reason) for claim, reason in note.unsupported.items() for label in WITHHELD[claim][0]}
    keys = {key: (claim, reason) for claim, reason in note.unsupported.items() for key in WITHHELD[claim][1]}
    for page in pages:
        headlines = []
        for label, value in page.headlines:
            if label in labels:
                value = NOT_SUPPORTED
            elif label == MODELS_LABEL and note.kind in SAMPLE_LABEL:
                label = SAMPLE_LABEL[note.kind]
            headlines.append((label, value))
        page.headlines = headlines
        for fig in page.figures:
            if fig.key in keys:
                fig.chart, fig.table, fig.caption, fig.drawing = None, Table([], []), "", None
                fig.method = f"{NOT_SUPPORTED.capitalize()}: {keys[fig.key][1]}"
                fig.withheld = True
        if {lab for lab, _ in page.headlines} & set(labels) or any(f.key in keys for f in page.figures):
            page.notes.append("Some figures of this page are not shown: the imported sample cannot support them "
                              f"(marked \"{NOT_SUPPORTED}\").")
