-- family_releases: versioned releases within each lineage family, in creation order, with what changed.
-- Grain: one row per family member with a known creation date whose name carries a vN[.M[.K]] version.
-- Reads: core.commit_files, core.commits, marts.release_steps, models.
-- The step is classified in Python (analysis/naming/releases.py, the classifier the Ajibode conformance
-- test measures); here only the files of the two releases are compared, as Ajibode et al. compare a
-- release with its predecessor: the weight files (LFS content) and the card, each at the repo's newest
-- walked commit. NULL when either repo's files were not fetched.
CREATE OR REPLACE VIEW family_releases AS
WITH newest AS (
    SELECT model_id, arg_max(commit_id, seq) AS commit_id
    FROM core.commits WHERE tree_fetched AND removed_run IS NULL GROUP BY model_id),
files AS (
    SELECT n.model_id,
           list(coalesce(f.lfs_oid, f.oid) ORDER BY coalesce(f.lfs_oid, f.oid)) FILTER (WHERE f.path <> 'README.md') AS weights,
           max(f.oid) FILTER (WHERE f.path = 'README.md') AS card
    FROM newest n LEFT JOIN core.commit_files f ON f.model_id = n.model_id AND f.commit_id = n.commit_id
    GROUP BY n.model_id)
SELECT r.family_id, r.model_id, m.created_at, r.version, r.release_kind, r.step, r.previous_model_id,
       date_diff('day', p.created_at, m.created_at) AS days_since_previous,
       CASE WHEN fc.model_id IS NOT NULL AND fp.model_id IS NOT NULL
            THEN coalesce(fc.weights, []) <> coalesce(fp.weights, []) END AS large_files_changed,
       CASE WHEN fc.model_id IS NOT NULL AND fp.model_id IS NOT NULL THEN fc.card IS DISTINCT FROM fp.card END AS card_changed
FROM marts.release_steps r JOIN models m USING (model_id)
LEFT JOIN models p ON p.model_id = r.previous_model_id
LEFT JOIN files fc ON fc.model_id = r.model_id
LEFT JOIN files fp ON fp.model_id = r.previous_model_id;
COMMENT ON VIEW family_releases IS 'Versioned releases within each lineage family in creation order (v1 -> v1.1 -> v2): one row per model whose name carries a vN[.M[.K]] version; release_kind is Ajibode et al.''s reading of the version form, step says whether the version moved forward as semantic versioning would, and the change flags compare the release''s files with the previous release''s.';
COMMENT ON COLUMN family_releases.family_id IS 'Lineage family (root model).';
COMMENT ON COLUMN family_releases.model_id IS 'Repo id.';
COMMENT ON COLUMN family_releases.created_at IS 'Creation time.';
COMMENT ON COLUMN family_releases.version IS 'Version the name announces (its last vN[.M[.K]]).';
COMMENT ON COLUMN family_releases.release_kind IS 'major (vN), minor (vN.M) or patch (vN.M.K), as Ajibode et al. read the version form.';
COMMENT ON COLUMN family_releases.step IS 'first, major, minor, patch, same or backwards relative to the previous versioned release of the family.';
COMMENT ON COLUMN family_releases.previous_model_id IS 'The previous versioned release of the family; NULL for the first.';
COMMENT ON COLUMN family_releases.days_since_previous IS 'Days since the previous versioned release of the family.';
COMMENT ON COLUMN family_releases.large_files_changed IS 'The weight files (by LFS content) differ from the previous release''s, each at its newest walked commit; NULL when either history was not fetched (or for the first release).';
COMMENT ON COLUMN family_releases.card_changed IS 'README.md differs from the previous release''s (git blob), each at its newest walked commit; NULL when either history was not fetched (or for the first release).';
