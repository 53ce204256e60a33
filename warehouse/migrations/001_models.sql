-- Model snapshots: raw listing -> core state history (validity intervals) + daily counters -> user views.
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
COMMENT ON TABLE raw.model_listing IS 'The latest loaded `list_models(expand=...)` run as fetched, one row per listed model; replaced by each load (landing Parquet keeps every run).';
COMMENT ON COLUMN raw.model_listing.run_id IS 'Landing run id.';
COMMENT ON COLUMN raw.model_listing.fetched_at IS 'Crawl start time of the run (UTC).';
COMMENT ON COLUMN raw.model_listing.listed_pos IS 'Position of the model in the listing (0-based).';
COMMENT ON COLUMN raw.model_listing.id IS 'Repo id, author/name (or a legacy bare name).';
COMMENT ON COLUMN raw.model_listing.author IS 'User or organisation owning the repo.';
COMMENT ON COLUMN raw.model_listing.sha IS 'Head commit of the main branch when listed.';
COMMENT ON COLUMN raw.model_listing.created_at IS 'Repo creation time as the Hub reports it (2022-03-02T23:29:04Z is a placeholder for old repos).';
COMMENT ON COLUMN raw.model_listing.last_modified IS 'Time of the last commit.';
COMMENT ON COLUMN raw.model_listing.downloads IS 'Downloads over the last 30 days, as the Hub counts them.';
COMMENT ON COLUMN raw.model_listing.likes IS 'Likes at fetch time.';
COMMENT ON COLUMN raw.model_listing.trending_score IS 'Hub trending score at fetch time.';
COMMENT ON COLUMN raw.model_listing.private IS 'Whether the repo is private (only visible with a token that can see it).';
COMMENT ON COLUMN raw.model_listing.gated IS 'Access gating: false, auto or manual.';
COMMENT ON COLUMN raw.model_listing.disabled IS 'Whether the Hub disabled the repo.';
COMMENT ON COLUMN raw.model_listing.pipeline_tag IS 'Task the Hub assigns (text-generation, fill-mask, ...).';
COMMENT ON COLUMN raw.model_listing.library_name IS 'Library the model is for (transformers, diffusers, peft, ...).';
COMMENT ON COLUMN raw.model_listing.tags IS 'Hub tags, including base_model:<relation>:<id>, license:<id>, dataset:<id>.';
COMMENT ON COLUMN raw.model_listing.card_data IS 'Model card YAML metadata (cardData) as JSON, or NULL when the repo has none.';
COMMENT ON COLUMN raw.model_listing.safetensors_total IS 'Parameter count from safetensors metadata, when the Hub knows it.';
COMMENT ON COLUMN raw.model_listing.safetensors_params IS 'Parameter count per dtype from safetensors metadata (JSON object).';

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

-- User views ------------------------------------------------------------------------------------
CREATE VIEW models AS
WITH latest_counters AS (
    SELECT model_id, arg_max(downloads, day) AS downloads, arg_max(likes, day) AS likes, max(day) AS counters_day
    FROM core.model_counters GROUP BY model_id
)
SELECT
    s.model_id, s.author, s.sha,
    s.created_at,
    s.created_at IS NOT NULL AND s.created_at <> TIMESTAMPTZ '2022-03-02 23:29:04+00' AS created_at_known,
    s.last_modified,
    c.downloads, c.likes, c.counters_day,
    s.pipeline_tag, s.library_name, s.tags, s.card_data,
    s.private, s.gated, s.disabled, s.safetensors_total,
    s.valid_from AS state_since
FROM core.model_state AS s
LEFT JOIN latest_counters AS c USING (model_id)
WHERE s.valid_to IS NULL;
COMMENT ON VIEW models IS 'One row per model currently on the Hub (as of the latest load): its state and latest counters.';
COMMENT ON COLUMN models.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN models.author IS 'User or organisation owning the repo.';
COMMENT ON COLUMN models.sha IS 'Head commit of main.';
COMMENT ON COLUMN models.created_at IS 'Repo creation time as the Hub reports it.';
COMMENT ON COLUMN models.created_at_known IS 'False when created_at is missing or the Hub placeholder 2022-03-02T23:29:04Z given to old repos.';
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

CREATE VIEW model_history AS
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

CREATE VIEW model_daily_counters AS
SELECT model_id, day, downloads, likes FROM core.model_counters;
COMMENT ON VIEW model_daily_counters IS 'Downloads and likes per model per day on which they changed; a value holds until the model''s next row (use an ASOF join to read any day).';
COMMENT ON COLUMN model_daily_counters.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN model_daily_counters.day IS 'UTC day of the fetch that saw the value.';
COMMENT ON COLUMN model_daily_counters.downloads IS 'Downloads over the 30 days before that fetch.';
COMMENT ON COLUMN model_daily_counters.likes IS 'Likes at that fetch.';

CREATE VIEW load_runs AS
SELECT source, run_id, fetched_at, loaded_at, rows_landed, summary FROM raw.load_runs;
COMMENT ON VIEW load_runs IS 'One row per landing run loaded into the warehouse, with what it changed.';
COMMENT ON COLUMN load_runs.source IS 'Miner that landed the run.';
COMMENT ON COLUMN load_runs.run_id IS 'Landing run id.';
COMMENT ON COLUMN load_runs.fetched_at IS 'Time the run''s data stands for.';
COMMENT ON COLUMN load_runs.loaded_at IS 'Time the load committed.';
COMMENT ON COLUMN load_runs.rows_landed IS 'Rows read from the run.';
COMMENT ON COLUMN load_runs.summary IS 'What the load changed (JSON; keys depend on the source).';
