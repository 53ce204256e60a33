"""Charts as self-contained SVG (matplotlib, no JavaScript, nothing fetched at view time).

Labels come from the warehouse, so they are untrusted (repo ids, card fields). Three guards:
- mathtext is off (``text.parse_math``): a ``$`` in a repo name is a character, not TeX that can
  fail to parse and abort the build;
- text is written as SVG ``<text>`` (``svg.fonttype: none``), which matplotlib XML-escapes;
- the finished SVG is parsed and checked against an allowlist of elements and attributes before it
  is marked safe for the page (``safe_svg``): what is inlined is exactly what was checked.
"""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display; must precede any pyplot import elsewhere in the process

from markupsafe import Markup, escape  # noqa: E402
from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
WIDTH_IN = 7.2
LABEL_CHARS = 42

_RC = {
    "text.parse_math": False,
    "svg.fonttype": "none",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
}

# What matplotlib's SVG backend writes; anything else (script, foreignObject, a, image, animate...)
# means the SVG is not what we think it is, and it is refused rather than inlined.
_ALLOWED_TAGS = {"svg", "defs", "style", "g", "path", "use", "clipPath", "rect", "text", "tspan", "title",
                 "desc", "circle", "ellipse", "line", "polyline", "polygon", "metadata", "RDF", "Work",
                 "type", "format", "date", "creator", "Agent"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


class ChartError(Exception):
    """The rendered SVG failed the safety check (a bug, never expected)."""


def label(value: object, limit: int = LABEL_CHARS) -> str:
    """A tick or legend label: control characters (invalid in XML) replaced, long values shortened."""
    text = _CONTROL.sub("\ufffd", "(none)" if value is None else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def safe_svg(svg: str, *, title: str) -> Markup:
    """Inline-ready SVG: prolog, doctype and comments removed, then every element and attribute checked.

    Raises ChartError when the SVG holds anything outside the allowlist.
    """
    body = svg[svg.index("<svg"):]
    body = _COMMENT.sub("", body)
    root = ET.fromstring(body)
    for element in root.iter():
        tag = _local(element.tag)
        if tag not in _ALLOWED_TAGS:
            raise ChartError(f"unexpected SVG element <{tag}>")
        for attr, value in element.attrib.items():
            name = _local(attr).lower()
            if name.startswith("on"):
                raise ChartError(f"event handler attribute {name} in SVG")
            if name == "href" and not value.startswith("#"):
                raise ChartError(f"external reference {value!r} in SVG")
            if "url(" in value and not re.fullmatch(r"[^()]*(url\(#[\w.-]+\)[^()]*)+", value):
                raise ChartError(f"external url() in SVG attribute {name}")
        if tag == "style" and re.search(r"@import|url\(|expression", element.text or "", re.I):
            raise ChartError("style element with external references in SVG")
    # role/aria-label: screen readers announce the chart by its title (escaped: it may hold data).
    body = body.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return Markup(body)


def _render(fig: Figure, title: str) -> Markup:
    buf = io.StringIO()
    # No bbox_inches="tight": constrained layout already fits the figure, and "tight" draws it twice.
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return safe_svg(buf.getvalue(), title=title)


def _settings(key: str) -> dict:
    """The chart rc settings; the hash salt differs per chart so that the clip-path ids of two SVGs
    inlined in one page never collide."""
    return {**_RC, "svg.hashsalt": f"hubmine-{key}"}


def _figure(height: float) -> Figure:
    # A bare Figure, not pyplot: no global figure registry to leak or to share between threads.
    return Figure(figsize=(WIDTH_IN, height), layout="constrained")


def _percent(ax, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _: f"{v:.0%}" if abs(v) >= 0.1 or v == 0 else f"{v:.1%}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _number(v: float, _=None) -> str:
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}"


def _value(v) -> float:
    return math.nan if v is None else float(v)


def line_chart(key: str, title: str, x: Sequence[date], series: dict[str, Sequence[float | None]], *,
               ylabel: str = "", percent: bool = False, ylim: tuple[float, float] | None = None,
               markers: bool = False) -> Markup:
    """One line per series over dates (months); gaps (None) break the line."""
    with rc_context(_settings(key)):
        fig = _figure(3.0)
        ax = fig.subplots()
        for name, values in series.items():
            ax.plot(list(x), [_value(v) for v in values], label=label(name), linewidth=1.6,
                    marker="o" if markers or len(x) < 4 else None, markersize=3)
        ax.set_ylabel(label(ylabel, 60))
        if ylim:
            ax.set_ylim(*ylim)
        if percent:
            _percent(ax)
        else:
            ax.yaxis.set_major_formatter(FuncFormatter(_number))
        if len(series) > 1:
            fig.legend(loc="outside lower center", ncols=len(series), fontsize=8)
        fig.autofmt_xdate(rotation=0, ha="center")
        return _render(fig, title)


def hbar_chart(key: str, title: str, labels: Sequence[object], series: dict[str, Sequence[float | None]], *,
               xlabel: str = "", percent: bool = False, stacked: bool = False,
               errors: tuple[Sequence[float], Sequence[float]] | None = None) -> Markup:
    """Horizontal bars, first label on top; several series side by side (or stacked).

    ``errors`` = (low, high) absolute bounds drawn as whiskers on the last series.
    """
    n = len(labels)
    with rc_context(_settings(key)):
        fig = _figure(max(1.4, 0.5 + 0.24 * n * (1 if stacked or len(series) == 1 else 1.5)))
        ax = fig.subplots()
        positions = list(range(n))[::-1]
        k = len(series)
        height = 0.8 if stacked else 0.8 / k
        left = [0.0] * n
        for i, (name, values) in enumerate(series.items()):
            vals = [0.0 if v is None else float(v) for v in values]
            if stacked:
                ax.barh(positions, vals, height, left=left, label=label(name))
                left = [a + b for a, b in zip(left, vals)]
            else:
                offset = (k - 1) / 2 * height - i * height
                bars_at = [p + offset for p in positions]
                xerr = None
                if errors is not None and i == k - 1:
                    low, high = errors
                    xerr = [[max(0.0, v - _value(lo)) for v, lo in zip(vals, low)],
                            [max(0.0, _value(hi) - v) for v, hi in zip(vals, high)]]
                ax.barh(bars_at, vals, height, label=label(name), xerr=xerr,
                        error_kw={"elinewidth": 0.9, "capsize": 2, "ecolor": "#333333"})
        ax.set_yticks(positions, [label(v) for v in labels])
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(label(xlabel, 60))
        if percent:
            _percent(ax, "x")
        else:
            ax.xaxis.set_major_formatter(FuncFormatter(_number))
        if k > 1:
            fig.legend(loc="outside lower center", ncols=k, fontsize=8)
        return _render(fig, title)


def bar_chart(key: str, title: str, categories: Sequence[object], series: dict[str, Sequence[float | None]], *,
              ylabel: str = "", percent: bool = False, stacked: bool = False) -> Markup:
    """Vertical bars over a few categories (bins, bands, horizons, steps)."""
    with rc_context(_settings(key)):
        fig = _figure(2.8)
        ax = fig.subplots()
        n, k = len(categories), len(series)
        width = 0.8 if stacked else 0.8 / k
        bottom = [0.0] * n
        for i, (name, values) in enumerate(series.items()):
            vals = [0.0 if v is None else float(v) for v in values]
            if stacked:
                ax.bar(range(n), vals, width, bottom=bottom, label=label(name))
                bottom = [a + b for a, b in zip(bottom, vals)]
            else:
                ax.bar([j - 0.4 + width * (i + 0.5) for j in range(n)], vals, width, label=label(name))
        ax.set_xticks(range(n), [label(c, 16) for c in categories])
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(label(ylabel, 60))
        if percent:
            _percent(ax)
        else:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_formatter(FuncFormatter(_number))
        if k > 1:
            fig.legend(loc="outside lower center", ncols=min(k, 4), fontsize=8)
        return _render(fig, title)


def small_multiples(key: str, title: str, panels: Sequence[dict]) -> Markup:
    """One small panel per series: observed points (x, y) as a line, forecast points with whiskers.

    Each panel: {"title", "x", "y", "fx", "fy", "flow", "fhigh"} (forecast lists may be empty).
    """
    cols = min(3, max(1, len(panels)))
    rows = math.ceil(len(panels) / cols)
    with rc_context(_settings(key)):
        fig = _figure(2.1 * rows)
        axes = fig.subplots(rows, cols, squeeze=False)
        for ax in axes.flat[len(panels):]:
            ax.set_visible(False)
        for ax, panel in zip(axes.flat, panels):
            ax.plot(panel["x"], [_value(v) for v in panel["y"]], color=PALETTE[0], linewidth=1.5, label="observed")
            if panel["fx"]:
                fy = [_value(v) for v in panel["fy"]]
                err = [[max(0.0, y - _value(lo)) if lo is not None else 0.0 for y, lo in zip(fy, panel["flow"])],
                       [max(0.0, _value(hi) - y) if hi is not None else 0.0 for y, hi in zip(fy, panel["fhigh"])]]
                ax.errorbar(panel["fx"], fy, yerr=err, fmt="o", color=PALETTE[3], markersize=3.5, capsize=2,
                            elinewidth=0.9, label="forecast")
            ax.set_title(label(panel["title"], 34), fontsize=8.5)
            ax.yaxis.set_major_formatter(FuncFormatter(_number))
            ax.tick_params(labelsize=7)
            for tick in ax.get_xticklabels():
                tick.set_rotation(30)
                tick.set_ha("right")
        fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=8)
        return _render(fig, title)
