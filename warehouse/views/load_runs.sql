-- load_runs: the loader's log: every landing run loaded and what it changed.
-- Grain: one row per landing run loaded.
-- Reads: raw.load_runs.
CREATE OR REPLACE VIEW load_runs AS
SELECT source, run_id, fetched_at, loaded_at, rows_landed, summary, provenance FROM raw.load_runs;
COMMENT ON VIEW load_runs IS 'One row per landing run loaded into the warehouse, with what it changed.';
COMMENT ON COLUMN load_runs.source IS 'Miner that landed the run.';
COMMENT ON COLUMN load_runs.run_id IS 'Landing run id.';
COMMENT ON COLUMN load_runs.fetched_at IS 'Time the run''s data stands for.';
COMMENT ON COLUMN load_runs.loaded_at IS 'Time the load committed.';
COMMENT ON COLUMN load_runs.rows_landed IS 'Rows read from the run.';
COMMENT ON COLUMN load_runs.summary IS 'What the load changed (JSON; keys depend on the source).';
COMMENT ON COLUMN load_runs.provenance IS 'What the crawled endpoint served (JSON: kind hub | generated | imported | replay, snapshot_time, seed and size or sources and unsupported claims); NULL when not recorded.';
