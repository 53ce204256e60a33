"""Charts as self-contained SVG (matplotlib, no JavaScript, nothing fetched at view time).

Each chart function returns a :class:`Chart` (its matplotlib figure, rendered by ``Chart.svg()``), or
None when the data would make a chart of a single bar or point, which compares nothing: the page says
it in words instead. The rules every chart keeps (issue 18): one colour per lineage relation
(:data:`SERIES_COLOURS`); a log scale when the values span more than two orders of magnitude
(:data:`LOG_SPAN`); labels wrapped, never cut; the snapshot date and the data's source written in the
figure itself (:class:`Stamp`), since charts get pasted into papers without the page around them.

Labels come from the warehouse, so they are untrusted (repo ids, card fields). Three guards:
- mathtext is off (``text.parse_math``): a ``$`` in a repo name is a character, not TeX that can
  fail to parse and abort the build;
- text is written as SVG ``<text>`` (``svg.fonttype: none``), which matplotlib XML-escapes;
- the finished SVG is parsed and checked against an allowlist of elements and attributes before it
  is marked safe for the page (``safe_svg``): what is inlined is exactly what was checked.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display; must precede any pyplot import elsewhere in the process

from markupsafe import Markup, escape  # noqa: E402
from matplotlib import rc_context  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.dates import AutoDateLocator  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter  # noqa: E402

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
# One colour per lineage relation, whichever chart draws it and in whatever order: a reader who has
# learnt "adapter is orange" on one chart must not find it blue on the next.
SERIES_COLOURS = {"finetune": PALETTE[0], "adapter": PALETTE[1], "quantized": PALETTE[2], "merge": PALETTE[3],
                  # how a relation is known, not a relation: greys, so as not to read as one
                  "declared": "#4d4d4d", "inferred": "#a6a6a6"}
WIDTH_IN = 7.2
LABEL_CHARS = 40  # a tick label longer than this wraps (at a separator when it has one), never cut
# Values spanning more than this ratio (two orders of magnitude) go on a log scale: on a linear one the
# small bars vanish next to the large.
LOG_SPAN = 100
STAMP_COLOUR = "#5d6875"

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


@dataclass(frozen=True)
class Stamp:
    """What every figure says about its data, in a footer line inside the figure."""

    snapshot: str  # the data's date, e.g. 2026-12-06
    source: str    # where the data came from, e.g. "the Hub (https://huggingface.co)"

    @property
    def text(self) -> str:
        return f"Snapshot of {self.snapshot} · source: {self.source} · hubmine"


@dataclass
class Chart:
    """A drawn chart: its matplotlib figure (for tests and other formats) and its inline SVG."""

    key: str
    title: str
    figure: Figure

    def svg(self) -> Markup:
        with rc_context(_settings(self.key)):
            buf = io.StringIO()
            # No bbox_inches="tight": constrained layout already fits the figure, and "tight" draws it twice.
            self.figure.savefig(buf, format="svg", metadata={"Date": None})
        return safe_svg(buf.getvalue(), title=self.title)


# Where a label may wrap, strongest first: after a space, / or } (between words, owner and name, the
# segments of a naming pattern), then after - _ . : (inside a name); a piece with neither is split hard.
_BREAKS = (re.compile(r"[^\s/}]*(?:[\s/}]+|$)"), re.compile(r"[^\-_.:]*(?:[\-_.:]+|$)"))


def _pieces(text: str, width: int, level: int = 0) -> list[str]:
    if len(text) <= width:
        return [text]
    if level == len(_BREAKS):
        return [text[i:i + width] for i in range(0, len(text), width)]
    return [piece for part in _BREAKS[level].findall(text) if part for piece in _pieces(part, width, level + 1)]


def label(value: object, width: int = LABEL_CHARS) -> str:
    """A tick, legend or title label: control characters (invalid in XML) replaced, and lines longer than
    ``width`` wrapped at the strongest separator in reach (see _BREAKS). Nothing is cut: removing the
    newlines gives the whole value back."""
    text = _CONTROL.sub("\ufffd", "(none)" if value is None else str(value))
    lines = [""]
    for piece in _pieces(text, width):
        if lines[-1] and len(lines[-1]) + len(piece.rstrip()) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(lines)


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


def _settings(key: str) -> dict:
    """The chart rc settings; the hash salt differs per chart so that the clip-path ids of two SVGs
    inlined in one page never collide."""
    return {**_RC, "svg.hashsalt": f"hubmine-{key}"}


def _figure(height: float, stamp: Stamp) -> Figure:
    # A bare Figure, not pyplot: no global figure registry to leak or to share between threads.
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    # supxlabel, not fig.text: constrained layout keeps room for it below everything else.
    fig.supxlabel(label(stamp.text, 140), x=0.005, ha="left", fontsize=6.5, color=STAMP_COLOUR)
    return fig


def _percent(v: float, _=None) -> str:
    return f"{v:.0%}" if v == 0 or abs(v) >= 0.1 else f"{v * 100:.2g}%"


def _number(v: float, _=None) -> str:
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}"


_MASS = ((1e12, "Mt"), (1e9, "kt"), (1e6, "t"), (1e3, "kg"), (1.0, "g"), (1e-3, "mg"), (1e-6, "µg"))


def grams(v: float, _=None) -> str:
    """A mass in grams with its unit: 1 g, 100 g, 1 kg, 10 t."""
    for div, unit in _MASS:
        if v >= div * 0.999:
            return f"{v / div:.3g} {unit}"
    return f"{v:.1g} g"


def _value(v) -> float:
    return math.nan if v is None else float(v)


def _positive(values) -> list[float]:
    return [float(v) for v in values if v is not None and not math.isnan(float(v)) and float(v) > 0]


def spans_orders(values) -> bool:
    """Whether the positive values span more than LOG_SPAN (max / min)."""
    positive = _positive(values)
    return bool(positive) and max(positive) / min(positive) > LOG_SPAN


def _value_axis(ax: Axes, axis: str, values, *, percent: bool, bars: bool) -> None:
    """Scale and tick format of the value axis: log when the values span more than two orders of
    magnitude (symlog for lines with zeros, which a log scale would drop), else linear."""
    fmt = FuncFormatter(_percent if percent else _number)
    target = ax.xaxis if axis == "x" else ax.yaxis
    set_scale = ax.set_xscale if axis == "x" else ax.set_yscale
    set_lim = ax.set_xlim if axis == "x" else ax.set_ylim
    if spans_orders(values):
        low = min(_positive(values))
        if bars:
            set_scale("log")
            # The axis starts below the smallest bar, so that it shows; counts start at 0.5, not 0.1.
            floor = 10 ** math.floor(math.log10(low / 2))
            set_lim(**{"left" if axis == "x" else "bottom": 0.5 if low >= 1 and floor < 1 else floor})
        elif all(v is None or v > 0 for v in values):
            set_scale("log")
        else:
            set_scale("symlog", linthresh=low)
        target.set_minor_formatter(NullFormatter())
    elif not percent:
        target.set_major_locator(MaxNLocator(integer=all(float(v).is_integer() for v in _positive(values))))
    target.set_major_formatter(fmt)


def _colours(names: Sequence[str]) -> list[str]:
    """A colour per series: a lineage relation its own (SERIES_COLOURS), the others the palette in order,
    skipping the colours the chart's relations take."""
    taken = {SERIES_COLOURS[n] for n in names if n in SERIES_COLOURS}
    free = itertools.cycle([c for c in PALETTE if c not in taken])
    return [SERIES_COLOURS.get(n) or next(free) for n in names]


def _legend(fig: Figure, ax: Axes, count: int) -> None:
    if count > 1:
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=min(count, 4), fontsize=8)


def line_chart(key: str, title: str, x: Sequence[date], series: dict[str, Sequence[float | None]], *,
               stamp: Stamp, ylabel: str = "", percent: bool = False, ylim: tuple[float, float] | None = None,
               markers: bool = False) -> Chart | None:
    """One line per series over dates (months); gaps (None) break the line. None for fewer than two dates.

    ``ylim`` fixes the value axis (a bounded score): it then stays linear whatever the values span."""
    if len(x) < 2:
        return None
    with rc_context(_settings(key)):
        fig = _figure(3.1, stamp)
        ax = fig.subplots()
        for (name, values), colour in zip(series.items(), _colours(list(series))):
            ax.plot(list(x), [_value(v) for v in values], label=label(name), linewidth=1.6, color=colour,
                    marker="o" if markers or len(x) < 4 else None, markersize=3)
        ax.set_ylabel(label(ylabel, 60))
        if ylim:
            ax.set_ylim(*ylim)
            ax.yaxis.set_major_formatter(FuncFormatter(_percent if percent else _number))
        else:
            _value_axis(ax, "y", [v for values in series.values() for v in values], percent=percent, bars=False)
        _legend(fig, ax, len(series))
        fig.autofmt_xdate(rotation=0, ha="center")
        return Chart(key, title, fig)


def hbar_chart(key: str, title: str, labels: Sequence[object], series: dict[str, Sequence[float | None]], *,
               stamp: Stamp, xlabel: str = "", percent: bool = False, stacked: bool = False,
               errors: tuple[Sequence[float], Sequence[float]] | None = None) -> Chart | None:
    """Horizontal bars, first label on top; several series side by side (or stacked). None for one bar.

    ``errors`` = (low, high) absolute bounds drawn as whiskers on the last series. Stacked bars whose
    totals span more than two orders of magnitude are drawn side by side on a log scale instead (a
    stack cannot be read on a log axis).
    """
    n, k = len(labels), len(series)
    rows = {name: [0.0 if v is None else float(v) for v in values] for name, values in series.items()}
    if stacked and spans_orders([sum(col) for col in zip(*rows.values())]):
        stacked = False
    if n * (1 if stacked else k) < 2:
        return None
    ticks = [label(v) for v in labels]
    # A category's slot must hold its label and half of each neighbour's (labels wrap to several lines).
    heights = [0.155 * (t.count("\n") + 1) for t in ticks]
    need = max([(a + b) / 2 for a, b in zip(heights, heights[1:])] or heights) + 0.04
    slot = max(0.24 if stacked or k == 1 else 0.36, need)
    with rc_context(_settings(key)):
        fig = _figure(max(1.6, 0.9 + slot * n), stamp)
        ax = fig.subplots()
        positions = list(range(n))[::-1]
        height = 0.8 if stacked else 0.8 / k
        left = [0.0] * n
        for i, ((name, vals), colour) in enumerate(zip(rows.items(), _colours(list(rows)))):
            if stacked:
                ax.barh(positions, vals, height, left=left, label=label(name), color=colour)
                left = [a + b for a, b in zip(left, vals)]
                continue
            offset = (k - 1) / 2 * height - i * height
            xerr = None
            if errors is not None and i == k - 1:
                low, high = errors
                xerr = [[max(0.0, v - _value(lo)) for v, lo in zip(vals, low)],
                        [max(0.0, _value(hi) - v) for v, hi in zip(vals, high)]]
            ax.barh([p + offset for p in positions], vals, height, label=label(name), xerr=xerr, color=colour,
                    error_kw={"elinewidth": 0.9, "capsize": 2, "ecolor": "#333333"})
        ax.set_yticks(positions, ticks)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(label(xlabel, 60))
        drawn = left if stacked else [v for vals in rows.values() for v in vals]
        if errors is not None:  # the whiskers are drawn too: a long one can squash every bar
            drawn = [*drawn, *(_value(v) for bound in errors for v in bound if v is not None)]
        _value_axis(ax, "x", drawn, percent=percent, bars=True)
        _legend(fig, ax, k)
        return Chart(key, title, fig)


def bar_chart(key: str, title: str, categories: Sequence[object], series: dict[str, Sequence[float | None]], *,
              stamp: Stamp, ylabel: str = "", percent: bool = False) -> Chart | None:
    """Vertical bars over a few categories (bins, bands, horizons, steps), several series side by side.
    None for one bar."""
    n, k = len(categories), len(series)
    if n * k < 2:
        return None
    with rc_context(_settings(key)):
        fig = _figure(3.0, stamp)
        ax = fig.subplots()
        width = 0.8 / k
        drawn = []
        for i, ((name, values), colour) in enumerate(zip(series.items(), _colours(list(series)))):
            vals = [0.0 if v is None else float(v) for v in values]
            drawn += vals
            ax.bar([j - 0.4 + width * (i + 0.5) for j in range(n)], vals, width, label=label(name), color=colour)
        ax.set_xticks(range(n), [label(c, 14) for c in categories])
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(label(ylabel, 60))
        _value_axis(ax, "y", drawn, percent=percent, bars=True)
        _legend(fig, ax, k)
        return Chart(key, title, fig)


def decade_histogram(key: str, title: str, exponents: Sequence[int], counts: Sequence[int], *, stamp: Stamp,
                     xlabel: str, ylabel: str, unit=grams) -> Chart | None:
    """Counts per power of ten (bin e holds values in [10^e, 10^(e+1))) on a numeric log axis, every
    decade between the first and the last shown, the empty ones included. None for a single bin."""
    if not exponents:
        return None
    low, high = min(exponents), max(exponents)
    if low == high:
        return None
    by_exponent = dict(zip(exponents, counts))
    decades = list(range(low, high + 1))
    heights = [by_exponent.get(e, 0) for e in decades]
    with rc_context(_settings(key)):
        fig = _figure(3.0, stamp)
        ax = fig.subplots()
        ax.bar([10.0 ** e for e in decades], heights, [10.0 ** (e + 1) - 10.0 ** e for e in decades], align="edge",
               color=PALETTE[0], edgecolor="white", linewidth=0.6)
        ax.set_xscale("log")
        ax.set_xlim(10.0 ** low, 10.0 ** (high + 1))
        edges = [10.0 ** e for e in range(low, high + 2)]
        ax.xaxis.set_major_locator(FixedLocator(edges))
        ax.xaxis.set_major_formatter(FuncFormatter(unit))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.grid(axis="x", visible=False)
        ax.set_xlabel(label(xlabel, 60))
        ax.set_ylabel(label(ylabel, 60))
        _value_axis(ax, "y", heights, percent=False, bars=True)
        return Chart(key, title, fig)


def small_multiples(key: str, title: str, panels: Sequence[dict], *, stamp: Stamp) -> Chart | None:
    """One small panel per series: observed points (x, y) as a line, forecast points with whiskers.

    Each panel: {"title", "x", "y", "fx", "fy", "flow", "fhigh"} (forecast lists may be empty); a panel
    whose values span more than two orders of magnitude has a log value axis.
    """
    if not panels:
        return None
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    with rc_context(_settings(key)):
        fig = _figure(0.6 + 2.2 * rows, stamp)
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
            values = [*panel["y"], *panel["fy"], *(v for v in panel["fhigh"] if v is not None)]
            _value_axis(ax, "y", values, percent=False, bars=False)
            ax.tick_params(labelsize=7)
            ax.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=5))  # a small panel fits few dates
            for tick in ax.get_xticklabels():
                tick.set_rotation(30)
                tick.set_ha("right")
        fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=8)
        return Chart(key, title, fig)
