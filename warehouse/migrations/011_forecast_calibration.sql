-- Forecast marts, second version: fits on the derivatives' creation times (fit_input), published 80%
-- intervals calibrated on the backtest errors (marts.forecast_calibration), the models' own intervals
-- kept beside them, and the published forecast scored in the backtests (model 'published').
-- analysis/forecast/marts.py VERSION 2 refits every series, so no row keeps a first-version value.

ALTER TABLE marts.forecast_fits ADD COLUMN fit_input VARCHAR;
ALTER TABLE marts.forecast_fits ADD COLUMN interval_method VARCHAR;
ALTER TABLE marts.forecast_fits ADD COLUMN forecast_h3_low_model DOUBLE;
ALTER TABLE marts.forecast_fits ADD COLUMN forecast_h3_high_model DOUBLE;
ALTER TABLE marts.forecast_fits ADD COLUMN forecast_h6_low_model DOUBLE;
ALTER TABLE marts.forecast_fits ADD COLUMN forecast_h6_high_model DOUBLE;
ALTER TABLE marts.forecast_fits ADD COLUMN forecast_h12_low_model DOUBLE;
ALTER TABLE marts.forecast_fits ADD COLUMN forecast_h12_high_model DOUBLE;
COMMENT ON COLUMN marts.forecast_fits.fit_input IS 'What the WSB fit used: spacings (the derivatives'' creation times within the complete months, maximum spacing estimation) or steps (the monthly counts, when fewer than 3 distinct creation times); NULL when not fitted.';
COMMENT ON COLUMN marts.forecast_fits.interval_method IS 'calibrated (forecast_h*_low/high from the backtest errors of forecasts of the same horizon, size class and forecast_model: marts.forecast_calibration) or model (too few backtests: the model''s own interval); NULL without a forecast.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_low IS 'Lower end (10th percentile) of the published 80% prediction interval of forecast_h3 (see interval_method).';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_high IS 'Upper end (90th percentile) of the published 80% prediction interval of forecast_h3.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_low_model IS 'Lower end of the 80% interval of forecast_h3 as forecast_model states it (WSB: parameter draws and quasi-Poisson counts; linear: drift method), before calibration.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_high_model IS 'Upper end of the model''s own 80% interval of forecast_h3.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6_low_model IS 'Lower end of the model''s own 80% interval of forecast_h6.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6_high_model IS 'Upper end of the model''s own 80% interval of forecast_h6.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12_low_model IS 'Lower end of the model''s own 80% interval of forecast_h12.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12_high_model IS 'Upper end of the model''s own 80% interval of forecast_h12.';

ALTER TABLE marts.forecast_backtest_outcomes ADD COLUMN origin_value DOUBLE;
ALTER TABLE marts.forecast_backtest_outcomes ADD COLUMN low_model DOUBLE;
ALTER TABLE marts.forecast_backtest_outcomes ADD COLUMN high_model DOUBLE;
ALTER TABLE marts.forecast_backtest_outcomes ADD COLUMN low_calibrated DOUBLE;
ALTER TABLE marts.forecast_backtest_outcomes ADD COLUMN high_calibrated DOUBLE;
ALTER TABLE marts.forecast_backtest_outcomes ADD COLUMN in_interval_calibrated BOOLEAN;
COMMENT ON TABLE marts.forecast_backtest_outcomes IS 'Backtest of each base model''s relation-all series: fitted on its months up to the last minus h, forecast at the last month, by WSB, four baselines and the published forecast (WSB where the training fit converged, else linear).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.model IS 'wsb, last (last value), linear (recent trend), loglinear (recent growth rate), bass (Bass diffusion) or published (what the marts publish: wsb when converged, else linear).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.converged IS 'wsb, bass and published: whether the fit on the training window converged (published: the WSB fit); NULL for the other models.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.in_interval IS 'wsb, linear, published: whether actual fell inside the model''s own 80% interval (low_model..high_model); NULL for the other models.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.origin_value IS 'Cumulative derivatives at origin_t.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.low_model IS 'wsb, linear, published: lower end of the model''s own 80% interval.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.high_model IS 'wsb, linear, published: upper end of the model''s own 80% interval.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.low_calibrated IS 'published: lower end of the calibrated 80% interval, from the errors of the other folds of base models (cross-fitted: never from this base model''s own outcomes); NULL when those are too few.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.high_calibrated IS 'published: upper end of the calibrated 80% interval (cross-fitted).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.in_interval_calibrated IS 'published: whether actual fell inside the calibrated interval.';

-- marts.forecast_calibration ----------------------------------------------------------------------
-- Grain: one row per group of published backtest outcomes with at least 30 outcomes: (horizon,
-- size_class, forecast_model), with size_class 'all' (per model) and size_class = forecast_model =
-- 'all' (per horizon) as the pooled fallbacks. Rewritten whole on every forecast build.
CREATE TABLE marts.forecast_calibration (
    horizon        INTEGER NOT NULL,
    size_class     VARCHAR NOT NULL,
    forecast_model VARCHAR NOT NULL,
    outcomes       BIGINT NOT NULL,
    q_low          DOUBLE NOT NULL,
    q_high         DOUBLE NOT NULL,
    PRIMARY KEY (horizon, size_class, forecast_model)
);
COMMENT ON TABLE marts.forecast_calibration IS 'Error quantiles behind the published 80% intervals: for each horizon, size class and forecast model, the split-conformal 10% and 90% quantiles of ln(1 + actual growth) − ln(1 + forecast growth) over the backtests. A forecast of growth g is published with the interval now + (1 + g)·e^q − 1 (never below now, always holding the point).';
COMMENT ON COLUMN marts.forecast_calibration.horizon IS 'Months ahead: 3, 6 or 12.';
COMMENT ON COLUMN marts.forecast_calibration.size_class IS '10-99, 100-999, 1000+, or all (pooled over size classes).';
COMMENT ON COLUMN marts.forecast_calibration.forecast_model IS 'wsb (converged fits), linear (fallback), or all (pooled).';
COMMENT ON COLUMN marts.forecast_calibration.outcomes IS 'Backtest outcomes in the group.';
COMMENT ON COLUMN marts.forecast_calibration.q_low IS 'Lower quantile (about the 10th percentile) of the log growth error.';
COMMENT ON COLUMN marts.forecast_calibration.q_high IS 'Upper quantile (about the 90th percentile) of the log growth error.';

-- User views --------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW forecasts AS
SELECT base_model_id, relation, n_months, derivatives_now, size_class, release_at, release_source,
       "lambda", mu, sigma, m, m_mode, fit_input, converged, reason, r2_log, rmse_log,
       se_lambda, se_mu, se_sigma, se_log_m, dispersion, c_inf, forecast_model, interval_method,
       forecast_h3, forecast_h3_low, forecast_h3_high, forecast_h6, forecast_h6_low, forecast_h6_high,
       forecast_h12, forecast_h12_low, forecast_h12_high,
       forecast_h3_low_model, forecast_h3_high_model, forecast_h6_low_model, forecast_h6_high_model,
       forecast_h12_low_model, forecast_h12_high_model, as_of
FROM marts.forecast_fits;
COMMENT ON VIEW forecasts IS 'One row per base model (relation all) and per relation of it with >= 10 direct derivatives: Wang–Song–Barabási parameters, diagnostics, fit quality, ultimate impact and forecasts 3/6/12 months ahead with 80% intervals (the forecast from the WSB curve when it converged, else from the recent linear trend: see forecast_model; the interval calibrated on the backtest errors: see interval_method).';
COMMENT ON COLUMN forecasts.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN forecasts.relation IS 'all (every direct derivative), or adapter, finetune, merge, quantized.';
COMMENT ON COLUMN forecasts.n_months IS 'Complete months since release (points of the monthly series).';
COMMENT ON COLUMN forecasts.derivatives_now IS 'Cumulative derivatives at the end of the last complete month.';
COMMENT ON COLUMN forecasts.size_class IS 'Decade of the base model''s derivatives_now (relation all): 10-99, 100-999, 1000+.';
COMMENT ON COLUMN forecasts.release_at IS 'Start of month 1 (base createdAt, or first derivative when earlier or unknown).';
COMMENT ON COLUMN forecasts.release_source IS 'base_created or first_derivative.';
COMMENT ON COLUMN forecasts."lambda" IS 'λ, fitness.';
COMMENT ON COLUMN forecasts.mu IS 'μ, immediacy (log-months to the growth peak).';
COMMENT ON COLUMN forecasts.sigma IS 'σ, longevity (spread in log-months).';
COMMENT ON COLUMN forecasts.m IS 'm, scale in derivatives (estimated per series).';
COMMENT ON COLUMN forecasts.m_mode IS 'estimated or fixed.';
COMMENT ON COLUMN forecasts.fit_input IS 'spacings (creation times) or steps (monthly counts): what the fit used.';
COMMENT ON COLUMN forecasts.converged IS 'True when the fit converged at an interior optimum without a λ blow-up.';
COMMENT ON COLUMN forecasts.reason IS 'Why not converged, or "not fitted: <reason>"; NULL when converged.';
COMMENT ON COLUMN forecasts.r2_log IS 'R² on log1p(cumulative) of the monthly series.';
COMMENT ON COLUMN forecasts.rmse_log IS 'RMSE on log1p(cumulative) of the monthly series.';
COMMENT ON COLUMN forecasts.se_lambda IS 'Standard error of λ.';
COMMENT ON COLUMN forecasts.se_mu IS 'Standard error of μ.';
COMMENT ON COLUMN forecasts.se_sigma IS 'Standard error of σ.';
COMMENT ON COLUMN forecasts.se_log_m IS 'Standard error of ln m.';
COMMENT ON COLUMN forecasts.dispersion IS 'Quasi-Poisson dispersion of the monthly counts.';
COMMENT ON COLUMN forecasts.c_inf IS 'Ultimate impact c∞ = m(e^λ − 1); NULL unless the fit converged.';
COMMENT ON COLUMN forecasts.forecast_model IS 'wsb (converged fit) or linear (fallback: recent linear trend); NULL when the series could not be fitted.';
COMMENT ON COLUMN forecasts.interval_method IS 'calibrated (intervals from the backtest errors, marts.forecast_calibration) or model (the model''s own intervals: too few backtests to calibrate).';
COMMENT ON COLUMN forecasts.forecast_h3 IS 'Forecast cumulative derivatives 3 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h3_low IS '10th percentile of the 3-month forecast (published 80% interval).';
COMMENT ON COLUMN forecasts.forecast_h3_high IS '90th percentile of the 3-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h6 IS 'Forecast 6 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h6_low IS '10th percentile of the 6-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h6_high IS '90th percentile of the 6-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h12 IS 'Forecast 12 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h12_low IS '10th percentile of the 12-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h12_high IS '90th percentile of the 12-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h3_low_model IS 'The model''s own 80% interval of the 3-month forecast, lower end (before calibration).';
COMMENT ON COLUMN forecasts.forecast_h3_high_model IS 'The model''s own 80% interval of the 3-month forecast, upper end.';
COMMENT ON COLUMN forecasts.forecast_h6_low_model IS 'The model''s own interval of the 6-month forecast, lower end.';
COMMENT ON COLUMN forecasts.forecast_h6_high_model IS 'The model''s own interval of the 6-month forecast, upper end.';
COMMENT ON COLUMN forecasts.forecast_h12_low_model IS 'The model''s own interval of the 12-month forecast, lower end.';
COMMENT ON COLUMN forecasts.forecast_h12_high_model IS 'The model''s own interval of the 12-month forecast, upper end.';
COMMENT ON COLUMN forecasts.as_of IS 'Time of the listing the series was counted from.';

CREATE OR REPLACE VIEW forecast_backtest AS
WITH o AS (
    SELECT horizon, size_class, model, ape, sape, converged, in_interval, in_interval_calibrated
    FROM marts.forecast_backtest_outcomes
    UNION ALL
    SELECT horizon, 'all', model, ape, sape, converged, in_interval, in_interval_calibrated
    FROM marts.forecast_backtest_outcomes
)
SELECT horizon, size_class, model,
       count(ape) FILTER (WHERE isfinite(ape)) AS series,
       avg(ape) FILTER (WHERE isfinite(ape)) AS mape,
       avg(sape) FILTER (WHERE isfinite(sape)) AS smape,
       median(ape) FILTER (WHERE isfinite(ape)) AS median_ape,
       avg(converged::INTEGER) AS converged_share,
       avg(in_interval::INTEGER) AS interval_coverage,
       avg(in_interval_calibrated::INTEGER) AS interval_coverage_calibrated
FROM o GROUP BY horizon, size_class, model
ORDER BY horizon, size_class <> 'all', size_class,
         list_position(['wsb', 'last', 'linear', 'loglinear', 'bass', 'published'], model);
COMMENT ON VIEW forecast_backtest IS 'Backtest errors by horizon, base-model size class (and all) and model: each base model fitted on its months up to the last minus h, forecast at the last; WSB against last value, linear trend, log-linear trend and Bass diffusion on the same series, and the published forecast (WSB when converged, else linear) with the coverage of its intervals before and after calibration.';
COMMENT ON COLUMN forecast_backtest.horizon IS 'Months ahead: 3, 6 or 12.';
COMMENT ON COLUMN forecast_backtest.size_class IS '10-99, 100-999, 1000+ derivatives now, or all.';
COMMENT ON COLUMN forecast_backtest.model IS 'wsb, last, linear, loglinear, bass or published.';
COMMENT ON COLUMN forecast_backtest.series IS 'Series with a finite forecast from this model.';
COMMENT ON COLUMN forecast_backtest.mape IS 'Mean absolute percentage error, in percent.';
COMMENT ON COLUMN forecast_backtest.smape IS 'Mean symmetric absolute percentage error, in percent (0..200).';
COMMENT ON COLUMN forecast_backtest.median_ape IS 'Median absolute percentage error, in percent (MAPE is dominated by a few blow-ups; the median is not).';
COMMENT ON COLUMN forecast_backtest.converged_share IS 'wsb, bass, published: share of training fits that converged.';
COMMENT ON COLUMN forecast_backtest.interval_coverage IS 'wsb, linear, published: share of actual values inside the model''s own 80% interval, before calibration (0.8 when those intervals are honest).';
COMMENT ON COLUMN forecast_backtest.interval_coverage_calibrated IS 'published: share of actual values inside the calibrated 80% interval (cross-fitted: the quantiles come from the other folds of base models); 0.8 when calibration works.';

CREATE VIEW forecast_calibration AS
SELECT horizon, size_class, forecast_model, outcomes, q_low, q_high FROM marts.forecast_calibration;
COMMENT ON VIEW forecast_calibration IS 'The error quantiles behind the published 80% forecast intervals (see marts.forecast_calibration): a forecast of growth g from now is published with the interval now + (1 + g)·e^q − 1, q = q_low and q_high of its horizon, size class and forecast model (or the pooled rows when its group has fewer than 30 backtests).';
COMMENT ON COLUMN forecast_calibration.horizon IS 'Months ahead.';
COMMENT ON COLUMN forecast_calibration.size_class IS '10-99, 100-999, 1000+, or all.';
COMMENT ON COLUMN forecast_calibration.forecast_model IS 'wsb, linear, or all.';
COMMENT ON COLUMN forecast_calibration.outcomes IS 'Backtest outcomes in the group.';
COMMENT ON COLUMN forecast_calibration.q_low IS 'Lower error quantile (ln of growth ratio actual/forecast).';
COMMENT ON COLUMN forecast_calibration.q_high IS 'Upper error quantile.';
