-- crawl_errors: what the crawls could not fetch and have not fetched since: one place to look after a bad night.
-- Grain: one row per (source, model): its latest failed attempt not made good by a later run.
-- Reads: core.card_fetch_errors, core.cards, core.history_fetches, models.
-- What the crawls could not fetch and have not fetched since: one place to look after a bad night.
CREATE OR REPLACE VIEW crawl_errors AS
WITH cards AS (
    SELECT 'cards' AS source, e.model_id, e.sha, e.error, NULL::BIGINT AS http_status, e.fetched_at, e.run_id
    FROM core.card_fetch_errors e
    -- a current model whose card at this sha never arrived
    JOIN models m ON m.model_id = e.model_id AND m.sha IS NOT DISTINCT FROM e.sha
    WHERE NOT EXISTS (SELECT 1 FROM core.cards c WHERE c.model_id = e.model_id AND c.sha = e.sha)
    QUALIFY row_number() OVER (PARTITION BY e.model_id ORDER BY e.fetched_at DESC, e.run_id DESC) = 1
), history AS (
    SELECT 'history' AS source, h.model_id, h.sha, h.error, h.http_status, h.fetched_at, h.run_id,
           h.status
    FROM core.history_fetches h
    QUALIFY row_number() OVER (PARTITION BY h.model_id ORDER BY h.fetched_at DESC, h.run_id DESC) = 1
)
SELECT * FROM cards
UNION ALL
SELECT source, model_id, sha, error, http_status, fetched_at, run_id FROM history WHERE status = 'error';
COMMENT ON VIEW crawl_errors IS 'Fetches that failed and were not made good by a later run: one row per (source, model), its latest failed attempt. The miners retry these on their next run.';
COMMENT ON COLUMN crawl_errors.source IS 'cards (README.md fetch) or history (commits, trees, refs).';
COMMENT ON COLUMN crawl_errors.model_id IS 'Repo id as listed (may be one the Hub could not have, e.g. with "../").';
COMMENT ON COLUMN crawl_errors.sha IS 'Commit the fetch asked for.';
COMMENT ON COLUMN crawl_errors.error IS 'Error class and message.';
COMMENT ON COLUMN crawl_errors.http_status IS 'HTTP status of the failing answer, when there was one (history only).';
COMMENT ON COLUMN crawl_errors.fetched_at IS 'Crawl start time of the failed run.';
COMMENT ON COLUMN crawl_errors.run_id IS 'Run of the failed attempt.';
