-- versioning_practice: whether weight modifications come with a card change, per repo.
-- Grain: one row per repo with fetched history.
-- Reads: card_changes, commits, marts.model_names, weight_changes.
-- Versioning practice: a weight modification (same path, other LFS oid) in a commit that does not
-- also change README.md is an undocumented weight change; the repo name cannot change in place,
-- so within a repo the card is the only place a new version can be announced.
CREATE OR REPLACE VIEW versioning_practice AS
WITH weight_commits AS (
    SELECT model_id, commit_id, min(date) AS date FROM weight_changes WHERE change = 'modified' GROUP BY ALL),
per_repo AS (
    SELECT w.model_id, count(*) AS weight_change_commits,
           count(*) FILTER (WHERE c.commit_id IS NOT NULL) AS with_card_change
    FROM weight_commits w
    LEFT JOIN (SELECT DISTINCT model_id, commit_id FROM card_changes) c USING (model_id, commit_id)
    GROUP BY w.model_id)
SELECT n.model_id, n.version IS NOT NULL AS name_has_version, n.version_kind,
       coalesce(p.weight_change_commits, 0) AS weight_change_commits,
       coalesce(p.with_card_change, 0) AS with_card_change,
       coalesce(p.weight_change_commits, 0) - coalesce(p.with_card_change, 0) AS without_card_change
FROM marts.model_names n JOIN (SELECT DISTINCT model_id FROM commits) h USING (model_id)
LEFT JOIN per_repo p USING (model_id);
COMMENT ON VIEW versioning_practice IS 'Per repo with fetched history: whether its name carries a version, and how many of its weight modifications came with a card (README.md) change in the same commit.';
COMMENT ON COLUMN versioning_practice.model_id IS 'Repo id.';
COMMENT ON COLUMN versioning_practice.name_has_version IS 'The repo name carries a version.';
COMMENT ON COLUMN versioning_practice.version_kind IS 'vN, vN.M, vN.M.K, date or NULL.';
COMMENT ON COLUMN versioning_practice.weight_change_commits IS 'Commits that modified a weight file (other LFS oid at the same path).';
COMMENT ON COLUMN versioning_practice.with_card_change IS 'Of those, commits that also changed README.md.';
COMMENT ON COLUMN versioning_practice.without_card_change IS 'Of those, commits that changed weights silently.';
