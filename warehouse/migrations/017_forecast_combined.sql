-- 017: forecast_fits.prior, forecast_priors; the forecast marts publish the forecast of `hubmine forecast` (an equal-weight combination,
-- population priors, calibration by established series): the comments say what
-- the columns now hold.
COMMENT ON TABLE marts.forecast_fits IS 'Wang–Song–Barabási fit c(t) = m(exp(λΦ((ln t − μ)/σ)) − 1) of each adoption series with >= 10 derivatives (regularised by a prior from the population of base models): parameters, convergence diagnostics, fit quality, standard errors, ultimate impact; and the published forecasts with calibrated 80% intervals (the combination of hubmine forecast, not the WSB curve).';
COMMENT ON COLUMN marts.forecast_fits.input_key IS 'Hash of the series, its derivatives'' creation times, its release time and the fitter version (not the prior: marts.forecast_priors): an unchanged key keeps its fit on the next run.';
COMMENT ON COLUMN marts.forecast_fits.forecast_model IS 'The components of the published mean that gave a forecast, e.g. mean(paper,linear3,linear,bass,drift) (per horizon, h3: …; h6: …, when they differ); NULL when the series failed its input checks.';
COMMENT ON COLUMN marts.forecast_fits.interval_method IS 'calibrated (forecast_h*_low/high from the backtest errors of the published forecast of the same horizon and calibration group: marts.forecast_calibration) or none (too few backtests: no interval); NULL without a forecast.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_low_model IS 'Not set (NULL): the published combination states no interval of its own.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_high_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6_low_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6_high_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12_low_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12_high_model IS 'Not set (NULL), as forecast_h3_low_model.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.model IS 'published (the combination the marts publish), the baselines last, linear3, linear (6 months) and paper (the paper''s WSB curve and least-squares fit with m = 100, solved by Levenberg–Marquardt: the published mean''s component), and the components drift and bass.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.converged IS 'Not recorded (NULL).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.in_interval IS 'Not recorded (NULL): the models state no interval; see in_interval_calibrated.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.low_model IS 'Not recorded (NULL).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.high_model IS 'Not recorded (NULL).';
COMMENT ON TABLE marts.forecast_calibration IS 'Error quantiles behind the published 80% intervals: for each horizon and calibration group (established or small or young), the split-conformal 10% and 90% quantiles of ln(1 + actual growth) − ln(1 + forecast growth) over the backtests of the published forecast (groups need 15 outcomes). A forecast of growth g is published with the interval now + (1 + g)·e^q − 1.';
COMMENT ON COLUMN marts.forecast_calibration.size_class IS 'Calibration group: established (>= 30 derivatives and >= 12 months), small or young, or all (pooled).';
COMMENT ON COLUMN marts.forecast_calibration.forecast_model IS 'combined (the published combination) or all (pooled).';
ALTER TABLE marts.forecast_fits ADD COLUMN prior VARCHAR;
COMMENT ON COLUMN marts.forecast_fits.prior IS 'none (the WSB fit on the series'' own data) or population (that fit did not converge: refitted with the prior on (log λ, μ, log σ) from the population of base models: marts.forecast_priors); NULL when not fitted.';
-- The prior the regularised fits use, kept until the population moves it beyond a tolerance (a mean by
-- 0.1 of its sd, an sd by 10%): the prior is no part of the series' input keys, so a daily run stays
-- incremental. At most one row.
CREATE TABLE marts.forecast_priors (
    fits             INTEGER NOT NULL,
    log_lambda_mean  DOUBLE NOT NULL,
    mu_mean          DOUBLE NOT NULL,
    log_sigma_mean   DOUBLE NOT NULL,
    log_lambda_sd    DOUBLE NOT NULL,
    mu_sd            DOUBLE NOT NULL,
    log_sigma_sd     DOUBLE NOT NULL,
    set_at           TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE marts.forecast_priors IS 'The normal prior on (log λ, μ, log σ) of the forecast_fits rows with prior = population: the mean and sd of the converged unregularised fits of the base models (relation all) when it was set. Replaced, and those fits redone, only when the population moves a mean by more than 0.1 of its sd or an sd by more than 10%; no row while fewer than 20 fits converge.';
COMMENT ON COLUMN marts.forecast_priors.fits IS 'Converged unregularised fits (relation all) the prior was computed from.';
COMMENT ON COLUMN marts.forecast_priors.log_lambda_mean IS 'Prior mean of ln λ.';
COMMENT ON COLUMN marts.forecast_priors.mu_mean IS 'Prior mean of μ (log-months).';
COMMENT ON COLUMN marts.forecast_priors.log_sigma_mean IS 'Prior mean of ln σ.';
COMMENT ON COLUMN marts.forecast_priors.log_lambda_sd IS 'Prior sd of ln λ (the population''s, at least 0.001).';
COMMENT ON COLUMN marts.forecast_priors.mu_sd IS 'Prior sd of μ.';
COMMENT ON COLUMN marts.forecast_priors.log_sigma_sd IS 'Prior sd of ln σ.';
COMMENT ON COLUMN marts.forecast_priors.set_at IS 'When the prior was set (the run whose population moved it).';
