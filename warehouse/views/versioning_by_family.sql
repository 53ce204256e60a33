-- versioning_by_family: versioning practice per lineage family.
-- Grain: one row per family with fetched history.
-- Reads: marts.lineage_nodes, versioning_practice.
CREATE OR REPLACE VIEW versioning_by_family AS
SELECT l.family_id, count(*) AS repos_with_history,
       count(*) FILTER (WHERE v.name_has_version) AS repos_with_version_in_name,
       sum(v.weight_change_commits) AS weight_change_commits,
       sum(v.without_card_change) AS without_card_change,
       round(sum(v.without_card_change) / nullif(sum(v.weight_change_commits), 0), 4) AS share_without_card_change
FROM versioning_practice v JOIN marts.lineage_nodes l USING (model_id)
GROUP BY l.family_id;
COMMENT ON VIEW versioning_by_family IS 'Versioning practice per lineage family: one row per family with fetched history.';
COMMENT ON COLUMN versioning_by_family.family_id IS 'Lineage family (root model).';
COMMENT ON COLUMN versioning_by_family.repos_with_history IS 'Family repos whose history was fetched.';
COMMENT ON COLUMN versioning_by_family.repos_with_version_in_name IS 'Of those, repos whose name carries a version.';
COMMENT ON COLUMN versioning_by_family.weight_change_commits IS 'Commits that modified weights.';
COMMENT ON COLUMN versioning_by_family.without_card_change IS 'Of those, without a README.md change.';
COMMENT ON COLUMN versioning_by_family.share_without_card_change IS 'without_card_change / weight_change_commits.';
