"""Build the static report site: warehouse (read-only) -> pages -> HTML with inline SVG charts.

The site is written into a fresh folder beside the destination and swapped in only when complete,
so a reader (or a web server) never sees a half-built site.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from tqdm import tqdm

from core.config import Paths, progress_disabled
from core.errors import HubmineError
from report import data as report_data
from report import provenance
from report.pages import MODEL_COLUMNS, Page, build_pages

# Written into every site we build: only a folder holding it (or an empty one) is ever replaced,
# so `--out ~/Documents` by mistake fails instead of deleting the folder.
MARKER = ".hubmine-report"
AUTO = "auto"
HUB = "https://huggingface.co"
# Leftovers of an interrupted build older than this are removed by the next build.
STALE_SECONDS = 3600


class ReportError(HubmineError):
    """The report cannot be written where asked (the destination is not a hubmine report folder)."""


def _version() -> str:
    try:
        return version("hubmine")
    except PackageNotFoundError:
        return "unknown"


def _cell(value, column: str = "") -> str:
    """A table cell as plain text (the template escapes it)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)  # no separator in years and small counts
    if isinstance(value, float):
        if value != value:
            return "—"
        if any(key in column for key in ("share", "rate", "filled_when_present")):
            return f"{value:.1%}"
        if abs(value) >= 1e6:
            return f"{value:.3g}"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3g}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):  # date: months are first days, so show the month
        text = value.isoformat()
        return text[:7] if column in ("month", "last_month", "first_derivative", "latest_derivative") else text
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    text = str(value)
    return text if len(text) <= 160 else text[:159] + "…"


def _breakable(text: str) -> Markup:
    """A cell's text, escaped, with a line-break opportunity (``<wbr>``, not copied with the text) after
    each / and _ : a long repo id wraps between its parts, never inside a word (browsers already break
    after a hyphen, but not after these)."""
    return Markup("<wbr>").join(escape(part) for part in re.split(r"(?<=[/_])", text))


def _hub_link(repo_id: str, hub_url: str) -> str:
    """The repo's page on the Hub. The id is percent-encoded as one path (``:``, ``<``, ``"`` ... all
    encoded), so a hostile id such as ``javascript:alert(1)`` stays a path under the Hub's address."""
    return f"{hub_url.rstrip('/')}/{quote(repo_id, safe='/')}"


def environment() -> Environment:
    env = Environment(loader=PackageLoader("report", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["cell"] = _cell
    env.filters["breakable"] = _breakable
    env.filters["hub_link"] = _hub_link
    env.globals["model_columns"] = MODEL_COLUMNS
    return env


def check_hub_url(hub_url: str | None) -> str | None:
    """``hub_url`` when repo ids may link there: None, ``auto``, or an http(s) URL with a host. Any
    other scheme (``javascript:``, ``file:``, ``data:``...) would put that into every link of the site."""
    if hub_url is None or hub_url == AUTO:
        return hub_url
    parts = urlsplit(hub_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ReportError(f"hub URL {hub_url!r} is not an http(s) URL with a host: give e.g. {HUB}, "
                          f"'{AUTO}' or 'none'")
    return hub_url


def _links_to(hub_url: str | None, endpoint: str | None) -> str | None:
    """Where repo ids link: the given Hub, or (auto) the real Hub only when the data came from it —
    a replay hub on a local port is gone by the time anyone reads the report."""
    if check_hub_url(hub_url) != AUTO:
        return hub_url
    host = urlsplit(endpoint or "").hostname or ""
    return HUB if host in ("huggingface.co", "hf.co") else None


def _check_destination(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ReportError(f"{out} is not empty and is not a hubmine report folder (no {MARKER}); "
                          f"refusing to replace it: choose another --out")


def _remove_leftovers(out: Path) -> None:
    now = time.time()
    for pattern in (f".{out.name}.building-*", f".{out.name}.old-*"):
        for path in out.parent.glob(pattern):
            try:
                if now - path.stat().st_mtime > STALE_SECONDS:
                    shutil.rmtree(path, ignore_errors=True)
            except OSError:
                pass


def _banner(data: report_data.ReportData) -> provenance.Banner:
    return provenance.banner(data.provenance.get("served"), data.provenance.get("snapshot"),
                             data.provenance.get("endpoint"))


def _render(pages: list[Page], data: report_data.ReportData, site: Path, hub_url: str | None,
            progress: bool) -> None:
    env = environment()
    snapshot = report_data.snapshot_label(data.provenance.get("snapshot"))
    common = {
        "site_pages": pages,
        "snapshot": snapshot,
        "first_snapshot": report_data.snapshot_label(data.provenance.get("first_snapshot")),
        "provenance": data.provenance,
        "built": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": _version(),
        "hub_url": hub_url,
        "runs": data.tables["provenance.runs"],
        "quarantined": data.tables["provenance.quarantined"],
        "card_sources": data.tables.get("provenance.card_sources"),
        "banner": _banner(data),
    }
    for page in tqdm(pages, desc="report pages", unit="page", disable=progress_disabled(progress)):
        template = env.get_template("index.html.j2" if page.slug == "index" else "page.html.j2")
        (site / page.file).write_text(template.render(page=page, **common), encoding="utf-8")


def build_site(paths: Paths, out: Path | None = None, *, progress: bool = False, hub_url: str | None = AUTO) -> Path:
    """Build the report from the warehouse into ``out`` (default ``paths.reports``); returns the folder.

    ``hub_url``: where repo ids link (``None``: no links; default: the real Hub when the listings
    came from it). The warehouse is read through one short read-only connection, closed before the
    charts are drawn.
    """
    out = Path(out if out is not None else paths.reports).absolute()
    _check_destination(out)
    check_hub_url(hub_url)
    loaded = report_data.load(paths)  # before any file is written: a missing warehouse leaves nothing behind
    pages = build_pages(loaded)
    provenance.withhold(pages, _banner(loaded))
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        _render(pages, loaded, building, _links_to(hub_url, loaded.provenance.get("endpoint")), progress)
        (building / MARKER).write_text("hubmine report; this folder is replaced by every `hubmine report`\n")
        building.chmod(0o755)  # mkdtemp makes it private; a published site is readable like any folder
        if out.exists():
            # Two renames on one file system: the old site stays whole until the new one is complete.
            retired = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            os.rename(out, retired)
            os.rename(building, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return out
