-- forecast_calibration: the error quantiles behind the published 80% forecast intervals.
-- Grain: one row per (horizon, size class, forecast model) group with enough backtests, plus the pooled rows.
-- Reads: marts.forecast_calibration.
CREATE OR REPLACE VIEW forecast_calibration AS
SELECT horizon, size_class, forecast_model, outcomes, q_low, q_high FROM marts.forecast_calibration;
COMMENT ON VIEW forecast_calibration IS 'The error quantiles behind the published 80% forecast intervals (see marts.forecast_calibration): a forecast of growth g from now is published with the interval now + (1 + g)·e^q − 1, q = q_low and q_high of its horizon, calibration group and forecast model (or the pooled rows when its group has fewer than 15 backtests), as hubmine forecast calibrates.';
COMMENT ON COLUMN forecast_calibration.horizon IS 'Months ahead.';
COMMENT ON COLUMN forecast_calibration.size_class IS 'Calibration group: established (>= 30 derivatives and >= 12 months), small or young, or all.';
COMMENT ON COLUMN forecast_calibration.forecast_model IS 'combined (the published combination) or all.';
COMMENT ON COLUMN forecast_calibration.outcomes IS 'Backtest outcomes in the group.';
COMMENT ON COLUMN forecast_calibration.q_low IS 'Lower error quantile (ln of growth ratio actual/forecast).';
COMMENT ON COLUMN forecast_calibration.q_high IS 'Upper error quantile.';
