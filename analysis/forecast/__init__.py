"""Adoption growth of base models: series, Wang–Song–Barabási fits, baselines, backtests, marts.

* ``series``: what is fitted (derivatives by month since release from the warehouse, with their
  creation times; CSV series; real monthly downloads) and the input checks that turn bad series
  into "not fitted: …" reasons;
* ``wsb``: the curve, its fit (profiled quasi-Poisson deviance of the spacings between creation
  times, or of the monthly steps; multi-start Levenberg–Marquardt in a logistic box) with
  diagnostics and standard errors, and forecasts with the model's own intervals;
* ``population``: the empirical-Bayes prior of the WSB fit, from the population of fits;
* ``calibration``: the published 80% intervals, from empirical quantiles of the backtest errors;
* ``combined``: the published forecast of monthly series (``hubmine forecast``), an equal-weight mean
  of simple models, and its backtest;
* ``devsplit``: issue 16's protocol on the real fine-tune series (bench and conformance test);
* ``baselines``: last value, linear trends, drift, log-linear trend, the paper's WSB fit, Bass diffusion;
* ``backtest``: fit on the first months, forecast 3/6/12 months ahead, MAPE/sMAPE tables;
* ``batch``: ``hubmine forecast FILE.csv`` — one result row per series: fit, forecasts, backtest;
* ``marts``: the ``forecast`` analysis (after ``lineage``) and its mart tables, the calibration
  recomputed on every run.
"""
