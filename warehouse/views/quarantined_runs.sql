-- quarantined_runs: landing runs the loader moved aside instead of loading, and why.
-- Grain: one row per quarantine of a landing run.
-- Reads: raw.quarantined_runs.
CREATE OR REPLACE VIEW quarantined_runs AS
SELECT source, run_id, reason, quarantined_at, moved_to FROM raw.quarantined_runs;
COMMENT ON VIEW quarantined_runs IS 'Landing runs the loader could not load and moved aside (landing/<source>/_quarantine/<run_id>), so that later runs load. Fix one and move it back to load it.';
COMMENT ON COLUMN quarantined_runs.source IS 'Miner that landed the run.';
COMMENT ON COLUMN quarantined_runs.run_id IS 'Landing run id.';
COMMENT ON COLUMN quarantined_runs.reason IS 'Why it could not be loaded.';
COMMENT ON COLUMN quarantined_runs.quarantined_at IS 'When it was moved aside.';
COMMENT ON COLUMN quarantined_runs.moved_to IS 'Where it is now.';
