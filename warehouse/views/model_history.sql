-- model_history: every state a model has had, as validity intervals.
-- Grain: one row per model per validity interval of its state.
-- Reads: core.model_state.
CREATE OR REPLACE VIEW model_history AS
SELECT model_id, sha, last_modified, pipeline_tag, library_name, tags, card_data, gated, valid_from, valid_to
FROM core.model_state;
COMMENT ON VIEW model_history IS 'Every state a model has had: one row per model per validity interval [valid_from, valid_to).';
COMMENT ON COLUMN model_history.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN model_history.sha IS 'Head commit of main during the interval.';
COMMENT ON COLUMN model_history.last_modified IS 'Time of the last commit during the interval.';
COMMENT ON COLUMN model_history.pipeline_tag IS 'Task the Hub assigned during the interval.';
COMMENT ON COLUMN model_history.library_name IS 'Library during the interval.';
COMMENT ON COLUMN model_history.tags IS 'Hub tags during the interval.';
COMMENT ON COLUMN model_history.card_data IS 'Model card YAML metadata during the interval, as JSON.';
COMMENT ON COLUMN model_history.gated IS 'Access gating during the interval.';
COMMENT ON COLUMN model_history.valid_from IS 'Start of the interval (fetch time of the run that first saw the state).';
COMMENT ON COLUMN model_history.valid_to IS 'End of the interval (exclusive); NULL while current.';
