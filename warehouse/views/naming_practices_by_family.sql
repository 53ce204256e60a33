-- naming_practices_by_family: naming patterns per lineage family.
-- Grain: one row per family per naming pattern.
-- Reads: model_names.
CREATE OR REPLACE VIEW naming_practices_by_family AS
SELECT family_id, pattern, count(*) AS models
FROM model_names WHERE family_id IS NOT NULL GROUP BY ALL;
COMMENT ON VIEW naming_practices_by_family IS 'Naming practices per lineage family: one row per family per pattern.';
COMMENT ON COLUMN naming_practices_by_family.family_id IS 'Lineage family (root model).';
COMMENT ON COLUMN naming_practices_by_family.pattern IS 'Ordered segment types.';
COMMENT ON COLUMN naming_practices_by_family.models IS 'Models of the family named this way.';
