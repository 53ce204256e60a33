-- cards: the current card text of each model, to read and search cards.
-- Grain: one row per current model whose card was fetched at its current sha.
-- Reads: core.cards, models.
CREATE OR REPLACE VIEW cards AS
SELECT m.model_id, m.sha, c.status, c.size, c.truncated, c.utf8_valid, c.text, c.fetched_at, c.source
FROM models m JOIN core.cards c ON c.model_id = m.model_id AND c.sha = m.sha;
COMMENT ON VIEW cards IS 'The card of every current model whose card was fetched at its current sha: one row per model.';
COMMENT ON COLUMN cards.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN cards.sha IS 'Current head commit, the one the card was read at.';
COMMENT ON COLUMN cards.status IS 'ok, missing (no README.md), repo_missing or disabled.';
COMMENT ON COLUMN cards.size IS 'Bytes of README.md kept.';
COMMENT ON COLUMN cards.truncated IS 'README.md exceeded 8 MiB and was cut.';
COMMENT ON COLUMN cards.utf8_valid IS 'False when README.md was not valid UTF-8.';
COMMENT ON COLUMN cards.text IS 'README.md text, front matter included.';
COMMENT ON COLUMN cards.fetched_at IS 'When it was fetched (or taken from the dump).';
COMMENT ON COLUMN cards.source IS 'hub (fetched from the Hub) or dump@<commit> (from the daily card dump at that commit).';
