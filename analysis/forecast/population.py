"""Empirical Bayes for the WSB fit: a prior on its shape from the population of fits.

A base model whose own months cannot place its peak (growth still accelerating, or a short series)
sends an unregularised fit to a bound or into a λ blow-up: on Bhandari et al.'s fine-tune series
(dev split) 12 of the 33 base models with >= 100 fine-tunes and >= 12 months. The population of
*converged* fits of the same kind of series says where shapes usually lie; its mean and spread of
(log λ, μ, log σ) are a normal prior (:class:`Prior`) for every fit, so the fit is a posterior mode that
the series' own data move as far as they are informative. The prior's sd is the population's sd (no
tuning: scaling it by 0.5 or 2 was measured and not chosen, docs/forecasting.md).

Backtests take their prior from the population's *training windows* (every series cut at the same
horizon), so no held-out month enters any fit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from analysis.forecast.series import MIN_DERIVATIVES, check
from analysis.forecast.wsb import WSBFit, fit_wsb

MIN_FITS = 20  # converged fits the prior needs; with fewer the fits go without one
# How far the population may move the prior before the fits made with it are redone (the marts keep
# the prior their fits used until then): a mean by 0.1 of its sd, an sd by 10%. A posterior mode moves
# by at most the prior's shift (by less where the series' own data weigh in), so no kept fit is off by
# more than 0.1 prior sd, a tenth of the spread between base models; and the daily run stays
# incremental, since a day's handful of new fits moves a population of hundreds by far less.
TOLERANCE = 0.1


@dataclass(frozen=True)
class Prior:
    """A normal prior on the shape (log λ, μ, log σ): ``mean`` and ``sd`` per coordinate (sd None: flat).
    Added to the deviance as residuals (θ − mean)/sd, so the fit is a posterior mode; a prior from the
    population of fits (empirical Bayes) keeps a series whose own months cannot place the peak (still
    accelerating, or too short) from running off to a bound or a λ blow-up."""

    mean: tuple[float, float, float]
    sd: tuple[float | None, float | None, float | None]

    def _used(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = np.array([i for i, s in enumerate(self.sd) if s is not None], int)
        return idx, np.array(self.mean, float)[idx], np.array([self.sd[i] for i in idx], float)

    def residuals(self, theta: np.ndarray) -> np.ndarray:
        """(θ − mean)/sd of the coordinates with a prior; θ one point or rows of points."""
        idx, mean, sd = self._used()
        return (np.asarray(theta)[..., idx] - mean) / sd

    def jacobian(self) -> np.ndarray:
        idx, _, sd = self._used()
        jac = np.zeros((len(idx), 3))
        jac[np.arange(len(idx)), idx] = 1 / sd
        return jac

    def precision(self) -> np.ndarray:
        return np.array([0.0 if s is None else 1 / s ** 2 for s in self.sd])


def prior_from(fits: Iterable[WSBFit]) -> Prior | None:
    """Mean and sd of (log λ, μ, log σ) over the converged fits; None when fewer than MIN_FITS."""
    return prior_of(np.array([f.theta for f in fits if f.converged and f.theta is not None]))


def prior_of(theta: np.ndarray) -> Prior | None:
    """The prior of the rows (log λ, μ, log σ) of converged fits; None when fewer than MIN_FITS."""
    if len(theta) < MIN_FITS:
        return None
    mean, sd = theta.mean(axis=0), theta.std(axis=0, ddof=1)
    return Prior(tuple(float(v) for v in mean), tuple(float(max(v, 1e-3)) for v in sd))


def moved(new: Prior | None, old: Prior | None, tolerance: float = TOLERANCE) -> bool:
    """Whether the prior ``new`` differs from ``old`` by more than ``tolerance``: a mean moved by more
    than ``tolerance`` of the old sd, or an sd changed by more than that share, on any coordinate (or
    one of them is None and the other not)."""
    if new is None or old is None:
        return (new is None) != (old is None)
    for m1, s1, m0, s0 in zip(new.mean, new.sd, old.mean, old.sd):
        if (s1 is None) != (s0 is None):
            return True
        if s0 is not None and (abs(m1 - m0) > tolerance * s0 or abs(math.log(s1 / s0)) > tolerance):
            return True
    return False


def population_prior(windows: Iterable[tuple[np.ndarray, np.ndarray]], cut: int = 0) -> Prior | None:
    """The prior from unregularised fits of the series (t, y) with >= MIN_DERIVATIVES at the end of the
    window, each cut by its last ``cut`` points (a backtest's horizon) first."""
    fits = []
    for t, y in windows:
        if cut:
            t, y = t[:len(t) - cut], y[:len(y) - cut]
        if len(y) == 0 or y[-1] < MIN_DERIVATIVES:
            continue
        t, y, reason = check(t, y)
        if reason is None:
            fits.append(fit_wsb(t, y))
    return prior_from(fits)
