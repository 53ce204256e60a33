"""How well WSB fits recover known parameters, by family size, by how children are placed, and by
what the fit is given.

    .venv/bin/python bench/forecast_recovery.py [--families 80] [--seed 11] [--sizes 50,100,400,1000]
                                                [--placements quantiles,random]

Families are drawn from the generator's planted ranges (λ in [1.5, 4], e^μ in [60, 460] days,
σ in [0.6, 1.5], observed for 18 to 57 complete months) and their children placed on the curve's
quantiles (as ``plant_wsb`` does: no noise, the count at any time is the curve rounded), at random
(a Poisson process conditioned on its count) or, with ``--placements strata``, one uniform draw in
each quantile stratum. Creation times are whole seconds, like the generator's. Each family is fitted
twice: on the monthly counts alone ("steps", what ``hubmine forecast FILE.csv`` fits) and on the
children's creation times ("spacings", what the marts fit).

Columns: how many fits recover λ, μ (in log-days), σ within 10% each; of the misses how many are
solver failures (the fit's loss is worse than the truth's: the solver missed the optimum) rather
than the data's limit (the fit explains the data better than the truth does); the median relative
error of λ; ``CR sd λ``, the median Cramér–Rao standard deviation of λ/λ for a Poisson process with
the family's parameters and size (the best any unbiased estimator can do on random times; quantile
placement has no such noise); CPU milliseconds per fit.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from random import Random
from statistics import NormalDist

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.forecast.series import MONTH_DAYS  # noqa: E402
from analysis.forecast.wsb import _Problem, fit_wsb, spacings  # noqa: E402

ND = NormalDist()


def family(r: Random, n: int, placement: str):
    """(creation times in months since release, complete months observed, (λ, μ in log-days, σ)) of
    one family of n children over 18..57 months, drawn like ``plant_wsb`` draws its families."""
    horizon = (18 + 39 * r.random()) * MONTH_DAYS
    lam, mu, sigma = 1.5 + 2.5 * r.random(), math.log(60 + 400 * r.random()), 0.6 + 0.9 * r.random()
    phi_t = ND.cdf((math.log(horizon) - mu) / sigma)
    days = []
    for j in range(n):
        if placement == "quantiles":
            u = (j + 0.5) / n
        elif placement == "strata":
            u = (j + r.random()) / n
        else:
            u = r.random()
        u = min(max(u, 1e-9), 1 - 1e-9)
        phi = math.log1p(u * math.expm1(lam * phi_t)) / lam
        days.append(math.exp(mu + sigma * ND.inv_cdf(min(max(phi, 1e-12), 1 - 1e-12))))
    seconds = np.floor(np.sort(days) * 86_400)  # the generator's createdAt: whole seconds
    return seconds / 86_400 / MONTH_DAYS, int(horizon // MONTH_DAYS), (lam, mu, sigma)


def loss(t, y, events, theta) -> float:
    """The fit's own objective (spacings or steps, as ``fit_wsb`` chooses) at natural theta."""
    if events is None:
        problem = _Problem(t, np.diff(y, prepend=0.0), t[-1], y[-1], None)
    else:
        ft, fy = spacings(events, t[-1])
        problem = _Problem(ft, np.diff(fy, prepend=0.0), t[-1], y[-1], None)
    problem._eval(np.asarray(theta, float))
    return float(problem.r @ problem.r)


def cramer_rao_sd_lambda(theta, months: int, n: float) -> float:
    """sd(λ)/λ at the truth for a Poisson process with c(T) = n: the information of 20 bins a month
    (the continuous-time limit to well under 1%), m profiled."""
    grid = np.arange(1, 20 * months + 1) / 20.0
    problem = _Problem(grid, np.zeros(len(grid)), grid[-1], n, None)
    problem._eval(np.asarray(theta, float))
    try:
        return math.sqrt(np.linalg.inv(problem.information())[0, 0])  # sd of log λ = sd(λ)/λ
    except np.linalg.LinAlgError:
        return math.inf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=80)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--sizes", default="50,100,400,1000")
    parser.add_argument("--placements", default="quantiles,random")
    args = parser.parse_args()
    print(f"{'children':>8} {'placement':>10} {'input':>9} {'recovered':>10} {'solver':>7} {'data':>5} "
          f"{'med|dλ|/λ':>10} {'CR sd λ':>8} {'ms/fit':>7}")
    for placement in args.placements.split(","):
        for n in (int(x) for x in args.sizes.split(",")):
            r = Random(args.seed)
            drawn = [family(r, n, placement) for _ in range(args.families)]
            bound = np.median([cramer_rao_sd_lambda((math.log(lam), mu - math.log(MONTH_DAYS), math.log(sigma)),
                                                    months, float(np.sum(ages < months)))
                               for ages, months, (lam, mu, sigma) in drawn])
            for kind in ("steps", "spacings"):
                ok = solver = data = 0
                seconds, lam_errors = 0.0, []
                for ages, months, (lam, mu, sigma) in drawn:
                    t = np.arange(1, months + 1, dtype=float)
                    y = np.searchsorted(ages, t, side="left").astype(float)  # created before the month's end
                    events = ages if kind == "spacings" else None
                    started = time.process_time()
                    fit = fit_wsb(t, y, events=events)
                    seconds += time.process_time() - started
                    assert fit.input == kind
                    mu_days = fit.mu + math.log(MONTH_DAYS)
                    lam_errors.append(abs(fit.lam - lam) / lam)
                    if (abs(fit.lam - lam) <= 0.1 * lam and abs(mu_days - mu) <= 0.1 * mu
                            and abs(fit.sigma - sigma) <= 0.1 * sigma):
                        ok += 1
                        continue
                    truth = loss(t, y, events, (math.log(lam), mu - math.log(MONTH_DAYS), math.log(sigma)))
                    if loss(t, y, events, fit.theta) > truth * 1.0001 + 1e-9:
                        solver += 1
                    else:
                        data += 1
                print(f"{n:>8} {placement:>10} {kind:>9} {ok:>5}/{args.families:<4} {solver:>7} {data:>5} "
                      f"{np.median(lam_errors):>10.3f} {bound:>8.2f} {1000 * seconds / args.families:>7.1f}",
                      flush=True)


if __name__ == "__main__":
    main()
