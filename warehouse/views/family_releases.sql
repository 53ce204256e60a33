-- family_releases: versioned releases within each lineage family, in creation order.
-- Grain: one row per family member with a known creation date whose name carries a vN[.M] version.
-- Reads: marts.lineage_nodes, marts.model_names, models.
CREATE OR REPLACE VIEW family_releases AS
WITH versioned AS (
    SELECT family_id, model_id, created_at, version, version_major, version_minor,
           lag(version_major) OVER w AS prev_major, lag(version_minor) OVER w AS prev_minor,
           lag(created_at) OVER w AS prev_created_at
    FROM marts.model_names JOIN models USING (model_id) JOIN marts.lineage_nodes USING (model_id)
    WHERE version_major IS NOT NULL AND created_at_known
    WINDOW w AS (PARTITION BY family_id ORDER BY created_at, model_id))
SELECT family_id, model_id, created_at, version,
       CASE WHEN prev_major IS NULL THEN 'first'
            WHEN version_major > prev_major THEN 'major'
            WHEN version_major = prev_major AND version_minor > prev_minor THEN 'minor'
            WHEN version_major = prev_major AND version_minor = prev_minor THEN 'same'
            ELSE 'backwards' END AS step,
       date_diff('day', prev_created_at, created_at) AS days_since_previous
FROM versioned;
COMMENT ON VIEW family_releases IS 'Versioned releases within each lineage family in creation order (v1 -> v1.1 -> v2): one row per model whose name carries a vN[.M] version; step says whether the version moved forward as semantic versioning would.';
COMMENT ON COLUMN family_releases.family_id IS 'Lineage family (root model).';
COMMENT ON COLUMN family_releases.model_id IS 'Repo id.';
COMMENT ON COLUMN family_releases.created_at IS 'Creation time.';
COMMENT ON COLUMN family_releases.version IS 'Version in the name.';
COMMENT ON COLUMN family_releases.step IS 'first, major, minor, same or backwards relative to the previous versioned release of the family.';
COMMENT ON COLUMN family_releases.days_since_previous IS 'Days since the previous versioned release of the family.';
