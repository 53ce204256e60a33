-- commits: the current commit log of each followed repo (commits a history rewrite dropped are hidden).
-- Grain: one row per model per commit in its current log.
-- Reads: core.commits.
CREATE OR REPLACE VIEW commits AS
SELECT model_id, commit_id, seq, date, title, message, authors, tree_fetched
FROM core.commits WHERE removed_run IS NULL;
COMMENT ON VIEW commits IS 'One row per model per commit in its current log (followed repos only: see the history crawl policy).';
COMMENT ON COLUMN commits.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN commits.commit_id IS 'Git commit id.';
COMMENT ON COLUMN commits.seq IS 'Position in the log, 0 = oldest.';
COMMENT ON COLUMN commits.date IS 'Commit date.';
COMMENT ON COLUMN commits.title IS 'Commit title.';
COMMENT ON COLUMN commits.message IS 'Commit message body.';
COMMENT ON COLUMN commits.authors IS 'Hub user names credited.';
COMMENT ON COLUMN commits.tree_fetched IS 'Whether the commit''s files were read (events are computed only between read commits).';
