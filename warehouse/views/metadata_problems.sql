-- metadata_problems: card metadata that breaks the Hub's card spec.
-- Grain: one row per problem per current model's card metadata.
-- Reads: marts.metadata_problems.
CREATE OR REPLACE VIEW metadata_problems AS
SELECT model_id, field, code, message, value_excerpt FROM marts.metadata_problems;
COMMENT ON VIEW metadata_problems IS 'One row per card-metadata problem of a current model (listed cardData checked against the Hub card spec).';
COMMENT ON COLUMN metadata_problems.model_id IS 'Repo id.';
COMMENT ON COLUMN metadata_problems.field IS 'Path of the offending field.';
COMMENT ON COLUMN metadata_problems.code IS 'Stable problem code.';
COMMENT ON COLUMN metadata_problems.message IS 'What is wrong.';
COMMENT ON COLUMN metadata_problems.value_excerpt IS 'The offending value, shortened.';
