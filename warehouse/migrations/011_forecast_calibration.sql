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
