"""The baselines a WSB forecast has to beat, fitted on the same training window.

* ``last``: nothing more will come (the last value).
* ``linear``: the recent trend goes on: least-squares slope of the last :data:`WINDOW` points,
  continued from the last value (never downwards).
* ``loglinear``: recent growth compounds: least-squares slope of log1p(count) over the last
  :data:`WINDOW` points, continued from the last value (never downwards).
* ``linear3``: the same over the last 3 points.
* ``drift``: the mean monthly increment of the last 3 months, continued.
* ``paper_lm``: the same curve and objective solved by MINPACK's Levenberg–Marquardt, far cheaper
  (the published combination's component).
* ``paper``: the WSB curve as Bhandari et al. fit it (utils/citation_model.py of their repository): one
  ``curve_fit`` of the cumulative counts on t = 0, 1, … with m fixed at 100, starting from
  (λ, μ, σ) = (0.5, 2, 0.5), bounds (0, ∞), retried with 10,000 evaluations when it fails. The only
  change is an analytic Jacobian (the same trust-region iterations, without 3 extra evaluations per
  step for finite differences; the retry took 30 s per series without it).
* ``bass``: the Bass diffusion model N(t) = M·F(t), F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p)·e^{−(p+q)t}),
  fitted exactly like the WSB curve (Poisson deviance of the new counts per step, M profiled out
  through the current count, multi-start, logistic boxes on log p and log q, Levenberg–Marquardt) so
  that the comparison is between curves, not between fitting procedures.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.optimize import curve_fit, leastsq
from scipy.special import expit, ndtr
from scipy.stats import norm

from analysis.forecast.wsb import TINY, deviance_residuals, deviance_slope, levenberg_marquardt

WINDOW = 6
LOG_P = (math.log(1e-6), math.log(1.0))
LOG_Q = (math.log(1e-4), math.log(5.0))
START_P = (1e-3, 1e-2, 5e-2)
START_Q = (0.03, 0.1, 0.3, 1.0)
POLISH = 2
MAX_NFEV = 200
TOL = 1e-8  # as least_squares' defaults: a looser stop halts short of a bound and hides it


def last(t: np.ndarray, y: np.ndarray, t_future: np.ndarray) -> np.ndarray:
    return np.full(len(t_future), float(y[-1]))


def _slope(x: np.ndarray, v: np.ndarray) -> float:
    x, v = x[-WINDOW:], v[-WINDOW:]
    if len(x) < 2:
        return 0.0
    xc = x - x.mean()
    return float(xc @ (v - v.mean()) / (xc @ xc))


def linear(t: np.ndarray, y: np.ndarray, t_future: np.ndarray, window: int = WINDOW) -> np.ndarray:
    return y[-1] + max(_slope(t[-window:], y[-window:]), 0.0) * (t_future - t[-1])


def linear3(t: np.ndarray, y: np.ndarray, t_future: np.ndarray) -> np.ndarray:
    return linear(t, y, t_future, 3)


PAPER_M = 100.0
PAPER_START = (0.5, 2.0, 0.5)
PAPER_RETRY_NFEV = 10_000
PAPER_LM_NFEV = 100


def _paper_curve(t, lam, mu, sigma):
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return PAPER_M * np.expm1(lam * ndtr((np.log(t) - mu) / sigma))


def _paper_jacobian(t, lam, mu, sigma):
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        z = (np.log(t) - mu) / sigma
        phi = ndtr(z)
        grow = PAPER_M * np.exp(lam * phi)
        dens = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
        jac = np.stack([grow * phi, -grow * lam * dens / sigma, -grow * lam * dens * z / sigma], axis=1)
    return np.where(np.isfinite(jac), jac, 0.0)


def paper(t: np.ndarray, y: np.ndarray, t_future: np.ndarray, *, retry: bool = True) -> np.ndarray:
    """Bhandari et al.'s single-start fit (module docstring), NaN where it fails even on the retry.
    ``retry`` False: the first attempt only (curve_fit's default 300 evaluations), as a component of
    the combination (``analysis.forecast.combined``), where a failed fit simply drops out; the retry
    costs ~25 s on a failing series and is kept for the baseline."""
    tt, yy = (np.concatenate([[0.0], t]), np.concatenate([[0.0], y])) if t[0] > 0 else (t, y)
    for max_nfev in (None, PAPER_RETRY_NFEV) if retry else (None,):
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                params, _ = curve_fit(_paper_curve, tt, yy, p0=PAPER_START, bounds=(0, np.inf),
                                      jac=_paper_jacobian, max_nfev=max_nfev)
        except (RuntimeError, ValueError):
            continue
        return _paper_curve(np.asarray(t_future, float), *params)
    return np.full(len(t_future), np.nan)


def paper_lm(t: np.ndarray, y: np.ndarray, t_future: np.ndarray, maxfev: int = PAPER_LM_NFEV) -> np.ndarray:
    """The paper's curve and fit (m = 100, least squares of the cumulative counts on t = 0, 1, …, start
    (λ, μ, σ) = (0.5, 2, 0.5), all three > 0) solved by MINPACK's Levenberg–Marquardt (``leastsq``) in
    (ln λ, ln μ, ln σ) instead of curve_fit's bounded trust region, at most ``maxfev`` evaluations; NaN
    where it fails. The component of the published combination (``analysis.forecast.combined``).
    Measured while choosing: on the dev split's 140 training windows of series with >= 30 fine-tunes it
    gives curve_fit's forecast (within 0.1%), or fails where it fails, on 137 (107 forecasts, curve_fit
    104), and the same medians; on the demo hub's 267 windows it takes 0.7 CPU-s where curve_fit took
    18 (half of curve_fit's fits end at its 300-evaluation limit, 0.13 s each), and gives 140 forecasts
    where curve_fit gave 134 (300 evaluations instead of 100: 1.9 CPU-s, 145, the same medians)."""
    tt, yy = (np.concatenate([[0.0], t]), np.concatenate([[0.0], y])) if t[0] > 0 else (t, y)

    def residuals(u):
        return _paper_curve(tt, *np.exp(u)) - yy

    def jacobian(u):
        return _paper_jacobian(tt, *np.exp(u)) * np.exp(u)

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        u, _, _, _, ier = leastsq(residuals, np.log(PAPER_START), Dfun=jacobian, full_output=True, maxfev=maxfev)
    if ier not in (1, 2, 3, 4) or not np.all(np.isfinite(u)):
        return np.full(len(t_future), np.nan)
    return _paper_curve(np.asarray(t_future, float), *np.exp(u))


def linear_interval(t: np.ndarray, y: np.ndarray, t_future: np.ndarray,
                    level: float = 0.8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The linear forecast with the drift method's prediction interval: the monthly increments of
    the window are taken as i.i.d., so the spread after h months is s·sqrt(h·(1 + h/k)), s their
    standard deviation over the k increments (Hyndman & Athanasopoulos, Forecasting, 5.5). The lower
    end never goes below the last value: a cumulative count does not fall."""
    point = linear(t, y, t_future)
    steps = np.diff(y[-WINDOW:]) / np.diff(t[-WINDOW:]) if len(t) > 1 else np.zeros(0)
    s = float(np.std(steps, ddof=1)) if len(steps) > 1 else 0.0
    h = t_future - t[-1]
    k = max(len(steps), 1)
    z = float(norm.ppf(0.5 + level / 2))
    spread = z * s * np.sqrt(h * (1 + h / k))
    return point, np.maximum(point - spread, y[-1]), point + spread


def drift(t: np.ndarray, y: np.ndarray, t_future: np.ndarray, window: int = 3) -> np.ndarray:
    """The mean monthly increment of the last ``window`` months, continued (the drift method)."""
    steps = np.diff(y[-window - 1:]) / np.diff(t[-window - 1:])
    return y[-1] + (float(steps.mean()) if len(steps) else 0.0) * (t_future - t[-1])


def loglinear(t: np.ndarray, y: np.ndarray, t_future: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.expm1(math.log1p(y[-1]) + max(_slope(t, np.log1p(y)), 0.0) * (t_future - t[-1]))


def bass_share(t: np.ndarray, log_p, log_q) -> np.ndarray:
    """F(t), the share of the market M adopted by t; broadcasts over parameter arrays."""
    p, q = np.exp(log_p), np.exp(log_q)
    e = np.exp(-(p + q) * t)
    return (1 - e) / (1 + (q / p) * e)


def _steps(x: np.ndarray) -> np.ndarray:
    """Increments along the last axis from 0 (np.diff with prepend=0, without its overhead: the Bass
    solver calls this thousands of times per series)."""
    out = x.copy()
    out[..., 1:] -= x[..., :-1]
    return out


class BassFit:
    """M profiled through the last count: N(t) = y_T · F(t) / F(T)."""

    def __init__(self, t: np.ndarray, y: np.ndarray):
        self.t, self.y_last, self.t_last = t, float(y[-1]), float(t[-1])
        self.new = np.diff(y, prepend=0.0)
        self.lo = np.array([LOG_P[0], LOG_Q[0]])
        self.hi = np.array([LOG_P[1], LOG_Q[1]])
        self.theta = None
        self.converged = False
        p, q = np.meshgrid(np.log(START_P), np.log(START_Q), indexing="ij")
        grid = np.stack([p.ravel(), q.ravel()], axis=1)
        loss = np.sum(self._residuals((grid[:, :1], grid[:, 1:])) ** 2, axis=1)  # every start at once
        best = None
        for i in np.argsort(np.where(np.isfinite(loss), loss, np.inf), kind="stable")[:POLISH]:
            try:
                with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
                    res = levenberg_marquardt(self, self._unbounded(grid[i]), tol=TOL, maxfev=MAX_NFEV)
            except (ValueError, np.linalg.LinAlgError):
                continue
            if np.isfinite(res.cost) and (best is None or res.cost < best.cost):
                best = res
        if best is not None:
            self.theta = self._natural(best.x)
            inner = expit(best.x)
            self.converged = bool(best.status > 0 and np.all((inner > 1e-3) & (inner < 1 - 1e-3)))

    def _natural(self, u):
        return self.lo + (self.hi - self.lo) * expit(u)

    def _unbounded(self, theta):
        s = np.clip((theta - self.lo) / (self.hi - self.lo), 1e-9, 1 - 1e-9)
        return np.log(s / (1 - s))

    def _means(self, theta) -> tuple[np.ndarray, np.ndarray]:
        """(means of the new counts per step, F(t)), the means kept above TINY; theta = (log p, log q),
        each a number or a column of starts."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            F = bass_share(self.t, theta[0], theta[1])
            scale = self.y_last / np.maximum(F[..., -1:], TINY)
            return np.maximum(_steps(F) * scale, TINY), F

    def _residuals(self, theta: np.ndarray) -> np.ndarray:
        r = deviance_residuals(self.new, self._means(theta)[0])
        return np.where(np.isfinite(r), r, 1e6)

    def residuals(self, u: np.ndarray) -> np.ndarray:
        """Residuals in the solver's unbounded coordinates (for ``levenberg_marquardt``)."""
        return self._residuals(self._natural(u))

    def jacobian(self, u: np.ndarray) -> np.ndarray:
        """d residuals / du, analytic: F = (1 − e)/(1 + r·e), e = exp(−(p + q) t), r = q/p."""
        theta = self._natural(u)
        p, q = math.exp(theta[0]), math.exp(theta[1])
        mean, F = self._means(theta)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            e = np.exp(-(p + q) * self.t)
            denom = (1 + (q / p) * e) ** 2
            dF_ds = (1 + q / p) * self.t * e / denom  # s = p + q
            dF_dr = -(1 - e) * e / denom
            # d log p: ds = p, dr = −r; d log q: ds = q, dr = r
            dF = np.stack([dF_ds * p - dF_dr * (q / p), dF_ds * q + dF_dr * (q / p)], axis=1)
            FT = max(F[-1], TINY)
            dg = _steps(dF.T).T
            g = _steps(F)
            dmean = (self.y_last / FT) * (dg - g[:, None] * (dF[-1] / FT))
            r = deviance_residuals(self.new, mean)
            jac = deviance_slope(self.new, mean, r)[:, None] * dmean
        jac[~np.isfinite(jac)] = 0.0
        s = expit(u)
        return jac * ((self.hi - self.lo) * s * (1 - s))

    def predict(self, t_future: np.ndarray) -> np.ndarray:
        if self.theta is None:
            return np.full(len(t_future), np.nan)
        F = bass_share(np.append(t_future, self.t_last), self.theta[0], self.theta[1])
        return self.y_last * F[:-1] / max(F[-1], TINY)


def bass(t: np.ndarray, y: np.ndarray, t_future: np.ndarray) -> np.ndarray:
    return BassFit(t, y).predict(t_future)
