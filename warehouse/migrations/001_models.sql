-- Model snapshots: raw listing -> core state history (validity intervals) + daily counters. The user
-- views over them (models, model_history, ...) are defined in warehouse/views/, one file each.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;

-- raw.load_runs ---------------------------------------------------------------------------------
-- Grain: one row per landed run the loader ingested. Checks: (source, run_id) unique (primary key).
CREATE TABLE raw.load_runs (
    source      VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL,
    fetched_at  TIMESTAMPTZ NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL,
    rows_landed BIGINT NOT NULL,
    summary     JSON NOT NULL,
    PRIMARY KEY (source, run_id)
);
COMMENT ON TABLE raw.load_runs IS 'One row per landing run ingested by `hubmine load`; a (source, run id) present here is never loaded twice.';
COMMENT ON COLUMN raw.load_runs.source IS 'Miner that landed the run (models, cards, history, ...).';
COMMENT ON COLUMN raw.load_runs.run_id IS 'Landing run id (folder name under landing/<source>/), e.g. 20261123T142501Z.';
COMMENT ON COLUMN raw.load_runs.fetched_at IS 'Time the run''s data stands for (crawl start, UTC).';
COMMENT ON COLUMN raw.load_runs.loaded_at IS 'Time the loader committed the run.';
COMMENT ON COLUMN raw.load_runs.rows_landed IS 'Rows read from the run''s Parquet parts.';
COMMENT ON COLUMN raw.load_runs.summary IS 'What the load changed, per source: for models {new_models, changed_models, removed_models, counter_rows}.';

-- raw.model_listing -----------------------------------------------------------------------------
-- Grain: one row per model in the most recently loaded models run (a staging copy, replaced each
-- load; the landing Parquet files are the archive of every run). Checks: id unique within a run.
CREATE TABLE raw.model_listing (
    run_id             VARCHAR NOT NULL,
    fetched_at         TIMESTAMPTZ NOT NULL,
    listed_pos         BIGINT NOT NULL,
    id                 VARCHAR NOT NULL,
    author             VARCHAR,
    sha                VARCHAR,
    created_at         TIMESTAMPTZ,
    last_modified      TIMESTAMPTZ,
    downloads          BIGINT,
    likes              BIGINT,
    trending_score     DOUBLE,
    private            BOOLEAN,
    gated              VARCHAR,
    disabled           BOOLEAN,
    pipeline_tag       VARCHAR,
    library_name       VARCHAR,
    tags               VARCHAR[],
    card_data          JSON,
    safetensors_total  BIGINT,
    safetensors_params JSON
);
-- No COMMENTs: migration 009 turns this table into the view warehouse/views/raw.model_listing.sql,
-- which carries them.

-- core.model_state ------------------------------------------------------------------------------
-- Grain: one row per model per validity interval of its state (everything but the counters).
-- A new row starts only when something changed, so history grows with change, not with days.
-- Checks: at most one open interval (valid_to IS NULL) per model; intervals of a model do not overlap.
CREATE TABLE core.model_state (
    model_id           VARCHAR NOT NULL,
    author             VARCHAR,
    sha                VARCHAR,
    created_at         TIMESTAMPTZ,
    last_modified      TIMESTAMPTZ,
    private            BOOLEAN,
    gated              VARCHAR,
    disabled           BOOLEAN,
    pipeline_tag       VARCHAR,
    library_name       VARCHAR,
    tags               VARCHAR[],
    card_data          JSON,
    safetensors_total  BIGINT,
    safetensors_params JSON,
    state_hash         VARCHAR NOT NULL,
    valid_from         TIMESTAMPTZ NOT NULL,
    valid_to           TIMESTAMPTZ,
    run_id             VARCHAR NOT NULL
);
COMMENT ON TABLE core.model_state IS 'Model state history as validity intervals: one row per model per period during which its listed state (sha, tags, card metadata, ...) stayed the same.';
COMMENT ON COLUMN core.model_state.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.model_state.author IS 'User or organisation owning the repo.';
COMMENT ON COLUMN core.model_state.sha IS 'Head commit of main during the interval.';
COMMENT ON COLUMN core.model_state.created_at IS 'Repo creation time as reported (see created_at_known in the models view).';
COMMENT ON COLUMN core.model_state.last_modified IS 'Time of the last commit during the interval.';
COMMENT ON COLUMN core.model_state.private IS 'Whether the repo is private.';
COMMENT ON COLUMN core.model_state.gated IS 'Access gating: false, auto or manual.';
COMMENT ON COLUMN core.model_state.disabled IS 'Whether the Hub disabled the repo.';
COMMENT ON COLUMN core.model_state.pipeline_tag IS 'Task the Hub assigns.';
COMMENT ON COLUMN core.model_state.library_name IS 'Library the model is for.';
COMMENT ON COLUMN core.model_state.tags IS 'Hub tags.';
COMMENT ON COLUMN core.model_state.card_data IS 'Model card YAML metadata as JSON.';
COMMENT ON COLUMN core.model_state.safetensors_total IS 'Parameter count from safetensors metadata.';
COMMENT ON COLUMN core.model_state.safetensors_params IS 'Parameter count per dtype (JSON object).';
COMMENT ON COLUMN core.model_state.state_hash IS 'md5 of the state columns; a new interval starts when it changes.';
COMMENT ON COLUMN core.model_state.valid_from IS 'Fetch time of the run that first saw this state.';
COMMENT ON COLUMN core.model_state.valid_to IS 'Fetch time of the run that saw a different state or no model; NULL while current.';
COMMENT ON COLUMN core.model_state.run_id IS 'Run that opened the interval.';

-- core.model_counters ---------------------------------------------------------------------------
-- Grain: one row per model per day on which its downloads or likes differed from the previous
-- row (change-only, so a quiet model costs nothing per day). Checks: (model_id, day) unique.
CREATE TABLE core.model_counters (
    model_id   VARCHAR NOT NULL,
    day        DATE NOT NULL,
    downloads  BIGINT,
    likes      BIGINT,
    run_id     VARCHAR NOT NULL,
    PRIMARY KEY (model_id, day)
);
COMMENT ON TABLE core.model_counters IS 'Daily download/like facts, change-only: one row per model per day on which a counter moved; the value holds until the next row.';
COMMENT ON COLUMN core.model_counters.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.model_counters.day IS 'UTC day of the fetch.';
COMMENT ON COLUMN core.model_counters.downloads IS 'Downloads over the 30 days before the fetch, as the Hub counts them.';
COMMENT ON COLUMN core.model_counters.likes IS 'Likes at fetch time.';
COMMENT ON COLUMN core.model_counters.run_id IS 'Run that observed the value.';
