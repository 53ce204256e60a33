-- core.file_changes: file-level differences between consecutive walked commits; the basis of weight_changes and card_changes.
-- Grain: one row per tracked file (weights, README.md) added, modified or removed by a commit.
-- Reads: core.commit_files, core.commits.
-- core.file_changes: consecutive commits, both with walked trees (or the first commit alone),
-- compared path by path; a file is identified by its LFS content oid, else its git oid.
CREATE OR REPLACE VIEW core.file_changes AS
WITH c AS (
    SELECT model_id, commit_id, seq, date, tree_fetched,
           lag(commit_id) OVER w AS prev_commit, lag(tree_fetched) OVER w AS prev_fetched
    FROM core.commits WHERE removed_run IS NULL
    WINDOW w AS (PARTITION BY model_id ORDER BY seq)
),
pairs AS (SELECT * FROM c WHERE tree_fetched AND (prev_commit IS NULL OR prev_fetched)),
cur AS (
    SELECT p.model_id, p.commit_id, p.seq, p.date, f.path, f.oid, f.size, f.lfs_oid
    FROM pairs p JOIN core.commit_files f ON f.model_id = p.model_id AND f.commit_id = p.commit_id
),
prev AS (
    SELECT p.model_id, p.commit_id, p.seq, p.date, f.path, f.oid, f.size, f.lfs_oid
    FROM pairs p JOIN core.commit_files f ON f.model_id = p.model_id AND f.commit_id = p.prev_commit
)
SELECT coalesce(n.model_id, o.model_id) AS model_id, coalesce(n.commit_id, o.commit_id) AS commit_id,
       coalesce(n.seq, o.seq) AS seq, coalesce(n.date, o.date) AS date, coalesce(n.path, o.path) AS path,
       CASE WHEN o.path IS NULL THEN 'added' WHEN n.path IS NULL THEN 'removed' ELSE 'modified' END AS change,
       o.oid AS old_oid, n.oid AS new_oid, o.lfs_oid AS old_lfs_oid, n.lfs_oid AS new_lfs_oid,
       o.size AS old_size, n.size AS new_size
FROM cur n FULL JOIN prev o ON n.model_id = o.model_id AND n.commit_id = o.commit_id AND n.path = o.path
WHERE o.path IS NULL OR n.path IS NULL
   OR coalesce(n.lfs_oid, n.oid) IS DISTINCT FROM coalesce(o.lfs_oid, o.oid);
COMMENT ON VIEW core.file_changes IS 'One row per tracked file (weights, README.md) added, modified or removed by a commit, against the previous commit; basis of weight_changes and card_changes.';
COMMENT ON COLUMN core.file_changes.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.file_changes.commit_id IS 'Commit that made the change.';
COMMENT ON COLUMN core.file_changes.seq IS 'Position of the commit in the log, 0 = oldest.';
COMMENT ON COLUMN core.file_changes.date IS 'Commit date.';
COMMENT ON COLUMN core.file_changes.path IS 'Path of the file.';
COMMENT ON COLUMN core.file_changes.change IS 'added, modified or removed.';
COMMENT ON COLUMN core.file_changes.old_oid IS 'Git blob id before; NULL when added.';
COMMENT ON COLUMN core.file_changes.new_oid IS 'Git blob id after; NULL when removed.';
COMMENT ON COLUMN core.file_changes.old_lfs_oid IS 'LFS sha256 before; NULL when added or not in LFS.';
COMMENT ON COLUMN core.file_changes.new_lfs_oid IS 'LFS sha256 after; NULL when removed or not in LFS.';
COMMENT ON COLUMN core.file_changes.old_size IS 'Size in bytes before.';
COMMENT ON COLUMN core.file_changes.new_size IS 'Size in bytes after.';
