-- download_series: monthly download series per model, in the shape `hubmine forecast` fits.
-- Grain: one row per model per monthly sample, from its first counter day to the latest models load.
-- Reads: core.model_counters, models, raw.load_runs.
CREATE OR REPLACE VIEW download_series AS
WITH bounds AS (
    SELECT model_id, min(day) AS first_day FROM core.model_counters GROUP BY model_id
), grid AS (
    SELECT b.model_id, b.first_day,
           unnest(range(0, (floor(datediff('day', b.first_day,
                                           (SELECT max(fetched_at)::DATE FROM raw.load_runs WHERE source = 'models'))
                                  / (365.25 / 12)) + 1)::BIGINT)) AS k
    FROM bounds b
), samples AS (
    SELECT model_id, k, (first_day + to_days(round(k * 365.25 / 12)::INTEGER))::DATE AS day FROM grid
)
SELECT s.model_id, (s.k + 1)::INTEGER AS t, s.day,
       datediff('day', m.created_at::DATE, s.day) / (365.25 / 12) AS months_since_created,
       c.downloads AS downloads_30d,
       sum(c.downloads) OVER (PARTITION BY s.model_id ORDER BY s.k) AS cumulative_downloads
FROM samples s
ASOF JOIN core.model_counters c ON c.model_id = s.model_id AND c.day <= s.day
LEFT JOIN models m ON m.model_id = s.model_id AND m.created_at_known;
COMMENT ON VIEW download_series IS 'Monthly download series per model from the daily counter facts: the 30-day download count sampled every 365.25/12 days from the first day the warehouse saw the model up to the latest models load, and their running sum (≈ downloads since then; fits with hubmine forecast, t counted from the first sample).';
COMMENT ON COLUMN download_series.model_id IS 'Repo id.';
COMMENT ON COLUMN download_series.t IS 'Sample number: 1 at the first counter day, then one per month.';
COMMENT ON COLUMN download_series.day IS 'Day sampled (the value is the latest counter row on or before it).';
COMMENT ON COLUMN download_series.months_since_created IS 'Months between the model''s createdAt and day; NULL when createdAt is unknown or a placeholder.';
COMMENT ON COLUMN download_series.downloads_30d IS 'Downloads over the 30 days before day, as the Hub counts them.';
COMMENT ON COLUMN download_series.cumulative_downloads IS 'Running sum of downloads_30d up to this sample (downloads since about 30 days before the first sample).';
