-- lineage_problems: lineage declarations that could not be taken as they are.
-- Grain: one row per problem met in a current model's declarations or while building families.
-- Reads: marts.lineage_problems.
CREATE OR REPLACE VIEW lineage_problems AS
SELECT model_id, code, parent_id, detail FROM marts.lineage_problems;
COMMENT ON VIEW lineage_problems IS 'One row per lineage declaration problem (self reference, broken cycle, malformed id, unknown or conflicting relation).';
COMMENT ON COLUMN lineage_problems.model_id IS 'Model making the declaration.';
COMMENT ON COLUMN lineage_problems.code IS 'Stable problem code.';
COMMENT ON COLUMN lineage_problems.parent_id IS 'Parent concerned, if any.';
COMMENT ON COLUMN lineage_problems.detail IS 'What was found, shortened.';
