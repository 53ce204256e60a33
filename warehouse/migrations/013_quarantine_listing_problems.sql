-- Runs the loader could not load (quarantined, moved aside) and listed records the models miner
-- could not type (landed as problems and skipped). Both are written by warehouse/load.py; users read
-- the views quarantined_runs and listing_problems (warehouse/views/).

-- raw.quarantined_runs ---------------------------------------------------------------------------
-- Grain: one row per landing run moved to quarantine (a run quarantined again after being moved back
-- gets another row).
CREATE TABLE raw.quarantined_runs (
    source         VARCHAR NOT NULL,
    run_id         VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL,
    moved_to       VARCHAR NOT NULL
);
COMMENT ON TABLE raw.quarantined_runs IS 'Landing runs the loader could not load (truncated or missing part, unreadable manifest, bad rows), moved aside so that later runs load.';
COMMENT ON COLUMN raw.quarantined_runs.source IS 'Miner that landed the run (models, cards, history).';
COMMENT ON COLUMN raw.quarantined_runs.run_id IS 'Landing run id.';
COMMENT ON COLUMN raw.quarantined_runs.reason IS 'Why the run could not be loaded, in one line.';
COMMENT ON COLUMN raw.quarantined_runs.quarantined_at IS 'When the loader moved it aside.';
COMMENT ON COLUMN raw.quarantined_runs.moved_to IS 'Folder the run now lives in (landing/<source>/_quarantine/<run_id>), with a _quarantine.json note.';

-- raw.listing_problems ---------------------------------------------------------------------------
-- Grain: one row per listed record (or page) of a loaded models run that could not be typed.
CREATE TABLE raw.listing_problems (
    run_id     VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    listed_pos BIGINT NOT NULL,
    model_id   VARCHAR,
    reason     VARCHAR NOT NULL,
    record     VARCHAR NOT NULL,
    PRIMARY KEY (run_id, listed_pos)
);
COMMENT ON TABLE raw.listing_problems IS 'Records of a models listing that could not be typed (e.g. downloads "123", createdAt "garbage", no id, a page that is not a list): kept whole and skipped, never guessed at.';
COMMENT ON COLUMN raw.listing_problems.run_id IS 'Models run that listed the record.';
COMMENT ON COLUMN raw.listing_problems.fetched_at IS 'Time the run stands for.';
COMMENT ON COLUMN raw.listing_problems.listed_pos IS 'Position of the record in the walk (for a page that is not a list: where the page began).';
COMMENT ON COLUMN raw.listing_problems.model_id IS 'The record''s id when it has one (its model keeps its last known state and is not taken as removed); NULL otherwise.';
COMMENT ON COLUMN raw.listing_problems.reason IS 'What could not be typed, in one line.';
COMMENT ON COLUMN raw.listing_problems.record IS 'The record (or page) exactly as served, as JSON.';
