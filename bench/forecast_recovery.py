"""How well WSB fits recover known parameters, by family size and by how children are placed.

    .venv/bin/python bench/forecast_recovery.py [--families 80] [--seed 11]

Families are drawn from the generator's planted ranges (λ in [1.5, 4], e^μ in [60, 460] days,
σ in [0.6, 1.5], observed for 18 to 57 months) and their children placed either on the curve's
quantiles (as ``plant_wsb`` does) or at random (a Poisson process conditioned on its count). For each
setting it prints how many fits recover λ, μ, σ within 10%, and of the misses how many are solver
failures (the fit's loss is worse than the truth's) rather than the data's limit (the fit explains the
data better than the truth does).
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
from analysis.forecast.wsb import _Problem, fit_wsb  # noqa: E402


def family(r: Random, n: int, placement: str):
    """(t, cumulative, (λ, μ in log-days, σ)) of one family of n children observed for 18..57 months."""
    horizon = (18 + 39 * r.random()) * MONTH_DAYS
    lam, mu, sigma = 1.5 + 2.5 * r.random(), math.log(60 + 400 * r.random()), 0.6 + 0.9 * r.random()
    phi_t = NormalDist().cdf((math.log(horizon) - mu) / sigma)
    times = []
    for j in range(n):
        u = (j + 0.5) / n if placement == "quantiles" else 1e-9 + r.random() * (1 - 2e-9)
        phi = math.log1p(u * math.expm1(lam * phi_t)) / lam
        times.append(math.exp(mu + sigma * NormalDist().inv_cdf(min(max(phi, 1e-12), 1 - 1e-12))))
    months = int(horizon // MONTH_DAYS)
    t = np.arange(1, months + 1, dtype=float)
    y = np.searchsorted(np.sort(times), t * MONTH_DAYS, side="right").astype(float)
    return t, y, (lam, mu, sigma)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=80)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(f"{'children':>8} {'placement':>10} {'recovered':>10} {'solver':>7} {'data':>5} {'ms/fit':>7}")
    for n, placement in [(1000, "quantiles"), (400, "quantiles"), (100, "quantiles"), (1000, "random"),
                         (400, "random")]:
        r = Random(args.seed)
        ok = solver = data = 0
        seconds = 0.0
        for _ in range(args.families):
            t, y, (lam, mu, sigma) = family(r, n, placement)
            started = time.process_time()
            fit = fit_wsb(t, y)
            seconds += time.process_time() - started
            mu_days = fit.mu + math.log(MONTH_DAYS)
            if (abs(fit.lam - lam) <= 0.1 * lam and abs(mu_days - mu) <= 0.1 * mu
                    and abs(fit.sigma - sigma) <= 0.1 * sigma):
                ok += 1
                continue
            problem = _Problem(t, y, None)
            problem._eval(np.array([math.log(lam), mu - math.log(MONTH_DAYS), math.log(sigma)]))
            truth = float(problem.r @ problem.r)
            problem._eval(fit.theta)
            if float(problem.r @ problem.r) > truth * 1.0001:
                solver += 1
            else:
                data += 1
        print(f"{n:>8} {placement:>10} {ok:>5}/{args.families:<4} {solver:>7} {data:>5} "
              f"{1000 * seconds / args.families:>7.1f}")


if __name__ == "__main__":
    main()
