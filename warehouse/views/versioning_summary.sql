-- versioning_summary: versioning practice over all repos with fetched history.
-- Grain: exactly one row.
-- Reads: versioning_practice.
CREATE OR REPLACE VIEW versioning_summary AS
SELECT count(*) AS repos_with_history,
       count(*) FILTER (WHERE name_has_version) AS repos_with_version_in_name,
       count(*) FILTER (WHERE weight_change_commits > 0) AS repos_with_weight_changes,
       sum(weight_change_commits) AS weight_change_commits,
       sum(without_card_change) AS without_card_change,
       round(sum(without_card_change) / nullif(sum(weight_change_commits), 0), 4) AS share_without_card_change
FROM versioning_practice;
COMMENT ON VIEW versioning_summary IS 'Versioning practice in one row: share of weight modifications that came without a card change (Ajibode et al. 2025 report 40.87% without a new version or card change).';
COMMENT ON COLUMN versioning_summary.repos_with_history IS 'Repos whose history was fetched.';
COMMENT ON COLUMN versioning_summary.repos_with_version_in_name IS 'Of those, repos whose name carries a version.';
COMMENT ON COLUMN versioning_summary.repos_with_weight_changes IS 'Repos with at least one weight modification.';
COMMENT ON COLUMN versioning_summary.weight_change_commits IS 'Commits that modified weights.';
COMMENT ON COLUMN versioning_summary.without_card_change IS 'Of those, without a README.md change.';
COMMENT ON COLUMN versioning_summary.share_without_card_change IS 'without_card_change / weight_change_commits.';
