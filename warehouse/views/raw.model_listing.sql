-- raw.model_listing: the latest loaded models run as fetched, the loader's input for core.model_state and core.model_counters.
-- Grain: one row per model in the most recently loaded models run.
-- Reads: nothing (see below).
-- The loader re-points this view at each models run's landing Parquet files (warehouse/load.py),
-- so it reads the landing zone and needs that run's files. What follows is only the seed the
-- writer creates while the view is absent (empty until the first load): IF NOT EXISTS keeps the
-- loader's definition; the comments below are applied again at every sync.
CREATE VIEW IF NOT EXISTS raw.model_listing AS
SELECT NULL::VARCHAR AS run_id,
       NULL::TIMESTAMPTZ AS fetched_at,
       NULL::BIGINT AS listed_pos,
       NULL::VARCHAR AS id,
       NULL::VARCHAR AS author,
       NULL::VARCHAR AS sha,
       NULL::TIMESTAMPTZ AS created_at,
       NULL::TIMESTAMPTZ AS last_modified,
       NULL::BIGINT AS downloads,
       NULL::BIGINT AS likes,
       NULL::DOUBLE AS trending_score,
       NULL::BOOLEAN AS private,
       NULL::VARCHAR AS gated,
       NULL::BOOLEAN AS disabled,
       NULL::VARCHAR AS pipeline_tag,
       NULL::VARCHAR AS library_name,
       NULL::VARCHAR[] AS tags,
       NULL::VARCHAR AS card_data,
       NULL::BIGINT AS safetensors_total,
       NULL::VARCHAR AS safetensors_params,
       NULL::BOOLEAN AS readme
WHERE false;
COMMENT ON VIEW raw.model_listing IS 'The latest loaded `list_models(expand=...)` run as fetched, one row per listed model: a view over that run''s landing Parquet files (re-pointed by each load).';
COMMENT ON COLUMN raw.model_listing.run_id IS 'Landing run id.';
COMMENT ON COLUMN raw.model_listing.fetched_at IS 'Crawl start time of the run (UTC).';
COMMENT ON COLUMN raw.model_listing.listed_pos IS 'Position of the model in the listing (0-based).';
COMMENT ON COLUMN raw.model_listing.id IS 'Repo id, author/name (or a legacy bare name).';
COMMENT ON COLUMN raw.model_listing.author IS 'User or organisation owning the repo.';
COMMENT ON COLUMN raw.model_listing.sha IS 'Head commit of the main branch when listed.';
COMMENT ON COLUMN raw.model_listing.created_at IS 'Repo creation time as the Hub reports it (either of two placeholder dates for old repos: see the macro hub_placeholder_created).';
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
COMMENT ON COLUMN raw.model_listing.card_data IS 'Model card YAML metadata (cardData) as JSON text, or NULL when the repo has none.';
COMMENT ON COLUMN raw.model_listing.safetensors_total IS 'Parameter count from safetensors metadata, when the Hub knows it.';
COMMENT ON COLUMN raw.model_listing.safetensors_params IS 'Parameter count per dtype from safetensors metadata (JSON object text).';
COMMENT ON COLUMN raw.model_listing.readme IS 'Whether the listed files (siblings) include README.md; NULL in runs listed before hubmine kept it. False: the cards miner records the card as missing without a request.';
