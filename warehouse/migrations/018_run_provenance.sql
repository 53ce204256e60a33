-- Where a run's data came from (issue 18): the models miner lands what the endpoint served (the
-- real Hub, or a replay hub's generated or imported snapshot, see core.provenance), and the report
-- prints it on every page. Runs loaded before this migration have none (NULL: unknown).
ALTER TABLE raw.load_runs ADD COLUMN provenance JSON;
COMMENT ON COLUMN raw.load_runs.provenance IS 'What the crawled endpoint served, from the run''s manifest (JSON: kind hub | generated | imported | replay, snapshot_time, and per kind seed and size or sources, coverage and unsupported claims); NULL when the run recorded none.';
