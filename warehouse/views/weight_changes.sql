-- weight_changes: weight-change events of followed repos.
-- Grain: one row per weight file added, modified or removed by a commit.
-- Reads: core.file_changes.
CREATE OR REPLACE VIEW weight_changes AS
SELECT model_id, commit_id, seq, date, path, change, old_lfs_oid, new_lfs_oid, old_size, new_size
FROM core.file_changes WHERE path <> 'README.md';
COMMENT ON VIEW weight_changes IS 'One row per weight-change event: a weight file added, removed, or with other content (LFS oid) than at the previous commit.';
COMMENT ON COLUMN weight_changes.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN weight_changes.commit_id IS 'Commit that changed the file.';
COMMENT ON COLUMN weight_changes.seq IS 'Position of the commit in the log, 0 = oldest.';
COMMENT ON COLUMN weight_changes.date IS 'Commit date.';
COMMENT ON COLUMN weight_changes.path IS 'Weight file path.';
COMMENT ON COLUMN weight_changes.change IS 'added, modified or removed.';
COMMENT ON COLUMN weight_changes.old_lfs_oid IS 'sha256 of the content before (NULL when added or not in LFS).';
COMMENT ON COLUMN weight_changes.new_lfs_oid IS 'sha256 of the content after (NULL when removed or not in LFS).';
COMMENT ON COLUMN weight_changes.old_size IS 'Size in bytes before.';
COMMENT ON COLUMN weight_changes.new_size IS 'Size in bytes after.';
