-- listing_problems: listed records the models miner could not type, skipped rather than loaded.
-- Grain: one row per problem record (or page) per models run.
-- Reads: raw.listing_problems.
CREATE OR REPLACE VIEW listing_problems AS
SELECT run_id, fetched_at, listed_pos, model_id, reason,
       CASE WHEN length(record) > 300 THEN left(record, 300) || '…' ELSE record END AS record_excerpt
FROM raw.listing_problems;
COMMENT ON VIEW listing_problems IS 'Records of a models listing that could not be typed (a count as a string, a time that is not one, no id, a page that is not a list): skipped, kept whole in raw.listing_problems.';
COMMENT ON COLUMN listing_problems.run_id IS 'Models run that listed it.';
COMMENT ON COLUMN listing_problems.fetched_at IS 'Time the run stands for.';
COMMENT ON COLUMN listing_problems.listed_pos IS 'Position in the walk.';
COMMENT ON COLUMN listing_problems.model_id IS 'The record''s id, when it has one.';
COMMENT ON COLUMN listing_problems.reason IS 'What could not be typed.';
COMMENT ON COLUMN listing_problems.record_excerpt IS 'The record as served (JSON), cut at 300 characters.';
