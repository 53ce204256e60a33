-- naming_practices: how current models are named: naming patterns and how common each is.
-- Grain: one row per naming pattern.
-- Reads: marts.model_names.
CREATE OR REPLACE VIEW naming_practices AS
SELECT pattern, count(*) AS models, round(count(*) / sum(count(*)) OVER (), 4) AS share, min(model_id) AS example
FROM marts.model_names GROUP BY pattern;
COMMENT ON VIEW naming_practices IS 'Naming practices overall: one row per naming pattern with how many current models follow it.';
COMMENT ON COLUMN naming_practices.pattern IS 'Ordered segment types.';
COMMENT ON COLUMN naming_practices.models IS 'Models named this way.';
COMMENT ON COLUMN naming_practices.share IS 'Share of all current models.';
COMMENT ON COLUMN naming_practices.example IS 'One model named this way.';
