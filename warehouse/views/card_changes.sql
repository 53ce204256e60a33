-- card_changes: card-change events of followed repos (README.md edits), for the versioning views.
-- Grain: one row per README.md added, modified or removed by a commit.
-- Reads: core.file_changes.
CREATE OR REPLACE VIEW card_changes AS
SELECT model_id, commit_id, seq, date, change, old_oid, new_oid, old_size, new_size
FROM core.file_changes WHERE path = 'README.md';
COMMENT ON VIEW card_changes IS 'One row per card-change event: README.md added, removed, or with another git oid than at the previous commit.';
COMMENT ON COLUMN card_changes.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN card_changes.commit_id IS 'Commit that changed the card.';
COMMENT ON COLUMN card_changes.seq IS 'Position of the commit in the log, 0 = oldest.';
COMMENT ON COLUMN card_changes.date IS 'Commit date.';
COMMENT ON COLUMN card_changes.change IS 'added, modified or removed.';
COMMENT ON COLUMN card_changes.old_oid IS 'Git blob id of README.md before (NULL when added).';
COMMENT ON COLUMN card_changes.new_oid IS 'Git blob id after (NULL when removed).';
COMMENT ON COLUMN card_changes.old_size IS 'Bytes before.';
COMMENT ON COLUMN card_changes.new_size IS 'Bytes after.';
