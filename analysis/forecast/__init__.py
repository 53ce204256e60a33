"""Adoption growth of base models: series, Wang–Song–Barabási fits, baselines, backtests, marts.

* ``series``: what is fitted (derivatives by month since release from the warehouse, with their
  creation times; CSV series; real monthly downloads) and the input checks that turn bad series
  into "not fitted: …" reasons;
* ``wsb``: the curve, its fit (profiled quasi-Poisson deviance of the spacings between creation
  times, or of the monthly steps; multi-start Levenberg–Marquardt in a logistic box) with
  diagnostics and standard errors, and forecasts with the model's own intervals;
* ``calibration``: the published 80% intervals, from empirical quantiles of the backtest errors;
* ``baselines``: last value, linear and log-linear trends, Bass diffusion;
* ``backtest``: fit on the first months, forecast 3/6/12 months ahead, MAPE/sMAPE tables;
* ``batch``: ``hubmine forecast FILE.csv`` — one result row per series;
* ``marts``: the ``forecast`` analysis (after ``lineage``) and its mart tables, the calibration
  recomputed on every run.
"""
