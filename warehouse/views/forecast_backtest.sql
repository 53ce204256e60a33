-- forecast_backtest: how well each forecasting model did on held-out months, by horizon and size class.
-- Grain: one row per horizon per size class (plus all) per model.
-- Reads: marts.forecast_backtest_outcomes.
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
         list_position(['published', 'last', 'linear3', 'linear', 'paper', 'drift', 'bass'], model);
COMMENT ON VIEW forecast_backtest IS 'Backtest errors by horizon, base-model size class (and all) and model: each base model fitted on its months up to the last minus h, forecast at the last: the published forecast (the mean of paper, linear3, linear, drift and bass, as hubmine forecast publishes it, with the coverage of its calibrated intervals) against the baselines (last value, linear trends of 3 and 6 months, the paper''s WSB fit with m = 100, solved by Levenberg–Marquardt as in the mean) and the other components (drift, Bass diffusion) on the same series.';
COMMENT ON COLUMN forecast_backtest.horizon IS 'Months ahead: 3, 6 or 12.';
COMMENT ON COLUMN forecast_backtest.size_class IS '10-99, 100-999, 1000+ derivatives now, or all.';
COMMENT ON COLUMN forecast_backtest.model IS 'published, last, linear3, linear (6 months), paper, drift or bass.';
COMMENT ON COLUMN forecast_backtest.series IS 'Series with a finite forecast from this model.';
COMMENT ON COLUMN forecast_backtest.mape IS 'Mean absolute percentage error, in percent.';
COMMENT ON COLUMN forecast_backtest.smape IS 'Mean symmetric absolute percentage error, in percent (0..200).';
COMMENT ON COLUMN forecast_backtest.median_ape IS 'Median absolute percentage error, in percent (MAPE is dominated by a few blow-ups; the median is not).';
COMMENT ON COLUMN forecast_backtest.converged_share IS 'Not recorded for these models (NULL).';
COMMENT ON COLUMN forecast_backtest.interval_coverage IS 'Not recorded (NULL): the published combination states no interval of its own.';
COMMENT ON COLUMN forecast_backtest.interval_coverage_calibrated IS 'published: share of actual values inside the calibrated 80% interval (cross-fitted: the quantiles come from the other folds of base models); 0.8 when calibration works.';
