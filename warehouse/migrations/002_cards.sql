-- Model cards: fetched README.md texts keyed by (model, sha), and the fetch errors to retry.

-- core.cards ------------------------------------------------------------------------------------
-- Grain: one row per model per sha whose README.md was fetched (or found missing).
-- Checks: (model_id, sha) unique; text is NULL exactly when status is not 'ok'.
CREATE TABLE core.cards (
    model_id   VARCHAR NOT NULL,
    sha        VARCHAR NOT NULL,
    status     VARCHAR NOT NULL,
    size       BIGINT,
    truncated  BOOLEAN,
    utf8_valid BOOLEAN,
    text       VARCHAR,
    fetched_at TIMESTAMPTZ NOT NULL,
    run_id     VARCHAR NOT NULL,
    PRIMARY KEY (model_id, sha)
);
COMMENT ON TABLE core.cards IS 'Model card (README.md) texts, one row per model per sha fetched; DuckDB stores the text compressed.';
COMMENT ON COLUMN core.cards.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.cards.sha IS 'Commit the README.md was read at (the listed sha).';
COMMENT ON COLUMN core.cards.status IS 'ok (card fetched), missing (no README.md at that sha) or repo_missing (repo gone).';
COMMENT ON COLUMN core.cards.size IS 'Bytes of README.md kept (after truncation).';
COMMENT ON COLUMN core.cards.truncated IS 'True when README.md exceeded the 8 MiB cap and was cut.';
COMMENT ON COLUMN core.cards.utf8_valid IS 'False when README.md was not valid UTF-8 (undecodable bytes replaced by U+FFFD).';
COMMENT ON COLUMN core.cards.text IS 'README.md text (YAML front matter included); NULL unless status is ok.';
COMMENT ON COLUMN core.cards.fetched_at IS 'Crawl start time of the run that fetched it.';
COMMENT ON COLUMN core.cards.run_id IS 'Cards run that fetched it.';

-- core.card_fetch_errors ------------------------------------------------------------------------
-- Grain: one row per failed README fetch (the miner retries it next run). Checks: none unique.
CREATE TABLE core.card_fetch_errors (
    model_id   VARCHAR NOT NULL,
    sha        VARCHAR,
    error      VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    run_id     VARCHAR NOT NULL
);
COMMENT ON TABLE core.card_fetch_errors IS 'README fetches that failed (HTTP errors, timeouts), one row per attempt; the cards miner retries them.';
COMMENT ON COLUMN core.card_fetch_errors.model_id IS 'Repo id.';
COMMENT ON COLUMN core.card_fetch_errors.sha IS 'Commit the fetch asked for.';
COMMENT ON COLUMN core.card_fetch_errors.error IS 'Error class and message.';
COMMENT ON COLUMN core.card_fetch_errors.fetched_at IS 'Crawl start time of the run.';
COMMENT ON COLUMN core.card_fetch_errors.run_id IS 'Cards run of the attempt.';
