-- forecast_series: the monthly adoption series behind each forecast.
-- Grain: one row per fitted series (base model x relation) per complete month since release.
-- Reads: marts.forecast_fits, marts.forecast_series.
CREATE OR REPLACE VIEW forecast_series AS
SELECT s.base_model_id, s.relation, s.t,
       f.release_at + to_microseconds((s.t * 365.25 / 12 * 86400e6)::BIGINT) AS month_end,
       s.cumulative, s.cumulative - coalesce(lag(s.cumulative) OVER w, 0) AS new_derivatives
FROM marts.forecast_series s JOIN marts.forecast_fits f USING (base_model_id, relation)
WINDOW w AS (PARTITION BY s.base_model_id, s.relation ORDER BY s.t);
COMMENT ON VIEW forecast_series IS 'The adoption series behind each forecast: cumulative direct derivatives per base model and relation at the end of each complete month since release.';
COMMENT ON COLUMN forecast_series.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN forecast_series.relation IS 'adapter, finetune, merge, quantized or all.';
COMMENT ON COLUMN forecast_series.t IS 'Months since release.';
COMMENT ON COLUMN forecast_series.month_end IS 'End of month t (release_at + t × 365.25/12 days).';
COMMENT ON COLUMN forecast_series.cumulative IS 'Derivatives created before month_end.';
COMMENT ON COLUMN forecast_series.new_derivatives IS 'Derivatives created in month t.';
