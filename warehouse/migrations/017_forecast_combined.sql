-- 017: forecast_fits.prior; the forecast marts publish the forecast of `hubmine forecast` (an equal-weight combination,
-- population priors, calibration by established series): the comments say what
-- the columns now hold.
COMMENT ON TABLE marts.forecast_fits IS 'Wang–Song–Barabási fit c(t) = m(exp(λΦ((ln t − μ)/σ)) − 1) of each adoption series with >= 10 derivatives (regularised by a prior from the population of base models): parameters, convergence diagnostics, fit quality, standard errors, ultimate impact; and the published forecasts with calibrated 80% intervals (the combination of hubmine forecast, not the WSB curve).';
COMMENT ON COLUMN marts.forecast_fits.input_key IS 'Hash of the series, its release time, the population priors and the fitter version: an unchanged key keeps its fit on the next run.';
COMMENT ON COLUMN marts.forecast_fits.forecast_model IS 'The components of the published mean that gave a forecast, e.g. mean(paper,linear3,linear,bass,drift) (per horizon, h3: …; h6: …, when they differ); NULL when the series failed its input checks.';
COMMENT ON COLUMN marts.forecast_fits.interval_method IS 'calibrated (forecast_h*_low/high from the backtest errors of the published forecast of the same horizon and calibration group: marts.forecast_calibration) or none (too few backtests: no interval); NULL without a forecast.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_low_model IS 'Not set (NULL): the published combination states no interval of its own.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_high_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6_low_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6_high_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12_low_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12_high_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.model IS 'published (the combination the marts publish), the baselines last, linear3, linear (6 months) and paper (the paper''s single curve_fit, first attempt), and the components drift, bass and wsb (regularised fit of the monthly counts).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.converged IS 'Not recorded (NULL).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.in_interval IS 'Not recorded (NULL): the models state no interval; see in_interval_calibrated.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.low_model IS 'Not recorded (NULL).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.high_model IS 'Not recorded (NULL).';
COMMENT ON TABLE marts.forecast_calibration IS 'Error quantiles behind the published 80% intervals: for each horizon and calibration group (established or small or young), the split-conformal 10% and 90% quantiles of ln(1 + actual growth) − ln(1 + forecast growth) over the backtests of the published forecast (groups need 15 outcomes). A forecast of growth g is published with the interval now + (1 + g)·e^q − 1.';
COMMENT ON COLUMN marts.forecast_calibration.size_class IS 'Calibration group: established (>= 30 derivatives and >= 12 months), small or young, or all (pooled).';
COMMENT ON COLUMN marts.forecast_calibration.forecast_model IS 'combined (the published combination) or all (pooled).';
ALTER TABLE marts.forecast_fits ADD COLUMN prior VARCHAR;
COMMENT ON COLUMN marts.forecast_fits.prior IS 'none (the WSB fit on the series'' own data) or population (that fit did not converge: refitted with the prior on (log λ, μ, log σ) from the population of base models); NULL when not fitted.';
