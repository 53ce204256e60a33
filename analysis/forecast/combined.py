"""The published forecast of a monthly series: an equal-weight combination of simple models.

No single model wins on real fine-tune series (Bhandari et al., dev split): the paper's fixed-m WSB fit
is the best baseline at 3 months, the linear trends at 6 and 12, the regularised WSB curve and Bass
diffusion are best at 3 months and poor at 12. The forecasting literature's most robust result is that
an equal-weight mean of diverse forecasts beats the models it combines (Clemen 1989; the M4
competition); weights or per-series selection estimated from a few backtests are noisier than the
gain they chase (selection by rolling-origin backtests inside each training window was measured on
the dev split and lost to the plain mean, docs/forecasting.md).

:data:`COMBINATIONS` is the small menu that was compared; :data:`PUBLISHED` is the one chosen on the
dev split (by the worst ratio to the best baseline over the three horizons, on the series with >= 30
fine-tunes and >= 12 months; ``analysis.forecast.devsplit`` repeats the choice by 2-fold
cross-validation over series and reports the out-of-fold figures). A component that fails (a curve
fit that does not return) drops out of the mean; the model string says which components made each forecast.

Components: ``paper`` (the paper's curve and least-squares fit, solved by MINPACK's Levenberg–Marquardt:
``baselines.paper_lm``, a twentieth of its curve_fit's cost on the demo hub, the same medians on the dev split), ``linear3`` and ``linear``
(least-squares trend of the last 3 and 6 points), ``drift`` (mean increment of the last 3 months),
``bass`` and ``wsb`` (the regularised WSB fit, ``analysis.forecast.population``).

Its 80% interval comes from the backtest errors of the same forecast (``analysis.forecast.calibration``)
grouped by horizon and :func:`calibration_class`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

import numpy as np

from analysis.forecast import baselines
from analysis.forecast.backtest import Outcome, errors, training_windows
from analysis.forecast.population import Prior
from analysis.forecast.wsb import fit_wsb

COMBINATIONS = {
    "trends+curves": ("paper", "linear3", "linear", "bass", "drift"),
    "trends+curves+wsb": ("paper", "linear3", "linear", "bass", "drift", "wsb"),
    "curves+trend": ("paper", "linear", "wsb", "bass", "drift"),
    "no-paper": ("linear3", "linear", "wsb", "bass", "drift"),
}
PUBLISHED = "trends+curves"
# The baselines of the protocol (issue 16): the best of them at each horizon is what to beat.
BASELINES = ("last", "linear3", "linear", "paper")
BACKTESTED = ("last", "linear3", "linear", "paper", "drift", "bass", "wsb")
# The models a published backtest keeps: the baselines and components, and the published combination.
PUBLISHED_MODELS = (*BACKTESTED, "published")
HORIZONS = (3, 6, 12)
# The published intervals are calibrated per horizon on the backtest errors of series of a like kind:
# established ones (>= 30 at the end, >= 12 months) and the rest. On the dev split the errors of the
# rest (small or young series, growing in bursts) made the intervals of the eligible base models
# cover 59% at 3 months, and 66% with young series of >= 30 among the established; 78% without them.
# Each group needs CALIBRATION_GROUP errors (split-conformal quantiles hold for any n; with 15 the
# interval runs from the lowest to the highest error but one).
ESTABLISHED_COUNT = 30
ESTABLISHED_MONTHS = 12
CALIBRATION_GROUP = 15


def calibration_class(count: float, months: float) -> str:
    return "established" if count >= ESTABLISHED_COUNT and months >= ESTABLISHED_MONTHS else "small or young"


COMPONENTS = ("paper", "linear3", "linear", "drift", "bass", "wsb")


def component_forecasts(t: np.ndarray, y: np.ndarray, t_future: np.ndarray, prior: Prior | None,
                        parts: Iterable[str] = COMPONENTS) -> dict[str, np.ndarray]:
    """The forecasts of the cumulative count at ``t_future`` from (t, y) (checked) of the components
    ``parts`` (only those are fitted: the curves cost a fit each)."""
    models = {
        "paper": lambda: baselines.paper_lm(t, y, t_future),
        "linear3": lambda: baselines.linear3(t, y, t_future),
        "linear": lambda: baselines.linear(t, y, t_future),
        "drift": lambda: baselines.drift(t, y, t_future),
        "bass": lambda: baselines.BassFit(t, y).predict(t_future),
        "wsb": lambda: fit_wsb(t, y, prior=prior).predict(t_future),
    }
    return {p: models[p]() for p in parts}


def combine(forecasts: dict[str, np.ndarray],
            parts: tuple[str, ...] = COMBINATIONS[PUBLISHED]) -> tuple[np.ndarray, list[str]]:
    """(the mean of the components ``parts`` (default: the published combination's) at each point, the
    model string per point: the components that gave a finite forecast, e.g.
    "mean(paper,linear3,linear,bass,drift)")."""
    stack = np.array([forecasts[p] for p in parts], float)
    finite = np.isfinite(stack)
    with np.errstate(invalid="ignore"):
        point = np.where(finite, stack, 0.0).sum(axis=0) / finite.sum(axis=0)
    labels = [f"mean({','.join(p for p, ok in zip(parts, finite[:, i]) if ok)})" for i in range(stack.shape[1])]
    return point, labels


def publish(t: np.ndarray, y: np.ndarray, t_future: np.ndarray,
            prior: Prior | None) -> tuple[np.ndarray, list[str]]:
    """The published forecast at ``t_future`` from (t, y) (checked): point and model string per point."""
    return combine(component_forecasts(t, y, t_future, prior, COMBINATIONS[PUBLISHED]))


def published_backtest(t: np.ndarray, y: np.ndarray, priors: dict[int, Prior | None],
                       models: Iterable[str] = PUBLISHED_MODELS) -> list[Outcome]:
    """The backtest outcomes of ``models`` (of PUBLISHED_MODELS; the published combination is model
    "published"), fitting only the components these need; "paper" is the component
    (``baselines.paper_lm``), not the paper's curve_fit. ``priors`` as for :func:`backtest`."""
    models = tuple(models)
    parts = [p for p in COMPONENTS if p in models or p in COMBINATIONS[PUBLISHED]]
    out = []
    for h, tt, yy in training_windows(t, y, HORIZONS):
        at = np.array([float(t[-1])])
        forecasts = component_forecasts(tt, yy, at, priors.get(h), parts)
        values = {k: float(v[0]) for k, v in forecasts.items()}
        values["published"] = float(combine(forecasts)[0][0])
        values["last"] = float(yy[-1])
        out += _outcomes(h, tt, yy, t, y, {model: values[model] for model in models})
    return out


def _outcomes(h: int, tt: np.ndarray, yy: np.ndarray, t: np.ndarray, y: np.ndarray,
              values: dict[str, float]) -> list[Outcome]:
    """The outcome of each model's forecast ``values`` made from the window (tt, yy), scored on y's last point."""
    out = []
    for model, value in values.items():
        ape, sape = errors(value, float(y[-1]))
        out.append(Outcome(h, model, float(tt[-1]), float(t[-1]), float(y[-1]), value, ape, sape,
                           origin_value=float(yy[-1])))
    return out


def every_subset() -> dict[str, tuple[str, ...]]:
    """Every equal-weight combination of the components ("a+b" -> parts): the ceiling of the approach,
    which ``bench/forecast.py --dev --subsets`` prints."""
    return {"+".join(parts): parts for k in range(1, len(COMPONENTS) + 1)
            for parts in itertools.combinations(COMPONENTS, k)}


def backtest(t: np.ndarray, y: np.ndarray, priors: dict[int, Prior | None],
             horizons: Iterable[int] = HORIZONS, *, paper_retry: bool = True,
             combinations: Mapping[str, tuple[str, ...]] = COMBINATIONS) -> list[Outcome]:
    """Outcomes of the baselines, the components and every combination at each horizon h: fitted on
    the points up to the last minus h (``priors[h]``: the prior from the population's windows cut the
    same way), scored on the last point. Models: BACKTESTED, "paper" being the baseline as the paper
    fits it (curve_fit, with its retry unless ``paper_retry`` is False; the combinations' component is
    ``baselines.paper_lm``), and "combined:<name>" per combination of ``combinations``."""
    out = []
    for h, tt, yy in training_windows(t, y, horizons):
        at = np.array([float(t[-1])])
        values = {k: float(v[0]) for k, v in component_forecasts(tt, yy, at, priors.get(h)).items()}
        arrays = {k: np.array([v]) for k, v in values.items()}
        combos = {f"combined:{name}": float(combine(arrays, parts)[0][0]) for name, parts in combinations.items()}
        values["last"] = float(yy[-1])
        values["paper"] = float(baselines.paper(tt, yy, at, retry=paper_retry)[0])  # the baseline, not the component
        out += _outcomes(h, tt, yy, t, y, {**values, **combos})
    return out
