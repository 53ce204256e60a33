-- model_daily_counters: downloads and likes over time, change-only.
-- Grain: one row per model per day on which its downloads or likes changed.
-- Reads: core.model_counters.
CREATE OR REPLACE VIEW model_daily_counters AS
SELECT model_id, day, downloads, likes FROM core.model_counters;
COMMENT ON VIEW model_daily_counters IS 'Downloads and likes per model per day on which they changed; a value holds until the model''s next row (use an ASOF join to read any day).';
COMMENT ON COLUMN model_daily_counters.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN model_daily_counters.day IS 'UTC day of the fetch that saw the value.';
COMMENT ON COLUMN model_daily_counters.downloads IS 'Downloads over the 30 days before that fetch.';
COMMENT ON COLUMN model_daily_counters.likes IS 'Likes at that fetch.';
