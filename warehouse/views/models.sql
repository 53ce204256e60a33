-- models: the current state and latest counters of every model: where most queries start.
-- Grain: one row per model currently on the Hub (as of the latest load).
-- Reads: core.model_counters, core.model_state, macro hub_placeholder_created.
-- The latest counters are the rows with next_day IS NULL (a filter, not a GROUP BY over history).
CREATE OR REPLACE VIEW models AS
SELECT
    s.model_id, s.author, s.sha,
    s.created_at,
    s.created_at IS NOT NULL AND NOT hub_placeholder_created(s.created_at) AS created_at_known,
    s.last_modified,
    c.downloads, c.likes, c."day" AS counters_day,
    s.pipeline_tag, s.library_name, s.tags, s.card_data,
    s.private, s.gated, s.disabled, s.safetensors_total,
    s.valid_from AS state_since
FROM core.model_state AS s
LEFT JOIN core.model_counters AS c ON c.model_id = s.model_id AND c.next_day IS NULL
WHERE s.valid_to IS NULL;
COMMENT ON VIEW models IS 'One row per model currently on the Hub (as of the latest load): its state and latest counters.';
COMMENT ON COLUMN models.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN models.author IS 'User or organisation owning the repo.';
COMMENT ON COLUMN models.sha IS 'Head commit of main.';
COMMENT ON COLUMN models.created_at IS 'Repo creation time as the Hub reports it.';
COMMENT ON COLUMN models.created_at_known IS 'False when created_at is missing or either of the two placeholder dates the Hub gives old repos (macro hub_placeholder_created).';
COMMENT ON COLUMN models.last_modified IS 'Time of the last commit.';
COMMENT ON COLUMN models.downloads IS 'Downloads over the last 30 days at the latest counter change.';
COMMENT ON COLUMN models.likes IS 'Likes at the latest counter change.';
COMMENT ON COLUMN models.counters_day IS 'Day of the latest counter change.';
COMMENT ON COLUMN models.pipeline_tag IS 'Task the Hub assigns.';
COMMENT ON COLUMN models.library_name IS 'Library the model is for.';
COMMENT ON COLUMN models.tags IS 'Hub tags.';
COMMENT ON COLUMN models.card_data IS 'Model card YAML metadata as JSON.';
COMMENT ON COLUMN models.private IS 'Whether the repo is private.';
COMMENT ON COLUMN models.gated IS 'Access gating: false, auto or manual.';
COMMENT ON COLUMN models.disabled IS 'Whether the Hub disabled the repo.';
COMMENT ON COLUMN models.safetensors_total IS 'Parameter count from safetensors metadata.';
COMMENT ON COLUMN models.state_since IS 'Since when the current state holds (fetch time of the run that saw it first).';
