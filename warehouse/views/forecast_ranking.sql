-- forecast_ranking: base models ranked by the derivatives they are forecast to have in 12 months.
-- Grain: one row per base model (relation all) with a 12-month forecast.
-- Reads: marts.forecast_fits.
CREATE OR REPLACE VIEW forecast_ranking AS
SELECT row_number() OVER (ORDER BY forecast_h12 DESC, base_model_id)::INTEGER AS rank,
       base_model_id, derivatives_now, forecast_h12 - derivatives_now AS expected_new_h12, c_inf,
       forecast_h12, forecast_h12_low, forecast_h12_high, forecast_model, converged, reason
FROM marts.forecast_fits
WHERE relation = 'all' AND forecast_h12 IS NOT NULL;
COMMENT ON VIEW forecast_ranking IS 'Base models ranked by the derivatives they are forecast to have 12 months from now (relation all; series that failed their input checks have no forecast and are left out). Ranked on the backtested 12-month horizon rather than on c∞, an extrapolation to infinity that no backtest can check and that exists only for converged fits.';
COMMENT ON COLUMN forecast_ranking.rank IS '1 = most derivatives forecast 12 months ahead.';
COMMENT ON COLUMN forecast_ranking.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN forecast_ranking.derivatives_now IS 'Cumulative derivatives at the end of the last complete month.';
COMMENT ON COLUMN forecast_ranking.expected_new_h12 IS 'Derivatives expected in the next 12 months (forecast_h12 − derivatives_now).';
COMMENT ON COLUMN forecast_ranking.c_inf IS 'Ultimate impact c∞ = m(e^λ − 1); NULL unless converged.';
COMMENT ON COLUMN forecast_ranking.forecast_model IS 'The components of the published mean, e.g. mean(paper,linear3,linear,bass,drift).';
COMMENT ON COLUMN forecast_ranking.forecast_h12 IS 'Forecast cumulative derivatives 12 months ahead.';
COMMENT ON COLUMN forecast_ranking.forecast_h12_low IS '10th percentile of that forecast.';
COMMENT ON COLUMN forecast_ranking.forecast_h12_high IS '90th percentile of that forecast.';
COMMENT ON COLUMN forecast_ranking.converged IS 'Whether the WSB fit converged (see reason otherwise); the forecast does not depend on it.';
COMMENT ON COLUMN forecast_ranking.reason IS 'Why the fit is not trusted; NULL when converged.';
