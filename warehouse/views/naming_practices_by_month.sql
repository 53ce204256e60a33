-- naming_practices_by_month: naming patterns over time.
-- Grain: one row per creation month (known dates only) per naming pattern.
-- Reads: model_names.
CREATE OR REPLACE VIEW naming_practices_by_month AS
SELECT date_trunc('month', created_at)::DATE AS month, pattern, count(*) AS models
FROM model_names WHERE created_at_known GROUP BY ALL;
COMMENT ON VIEW naming_practices_by_month IS 'Naming practices over time: one row per creation month per pattern (known dates only).';
COMMENT ON COLUMN naming_practices_by_month.month IS 'Creation month.';
COMMENT ON COLUMN naming_practices_by_month.pattern IS 'Ordered segment types.';
COMMENT ON COLUMN naming_practices_by_month.models IS 'Models created that month named this way.';
