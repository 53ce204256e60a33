-- carbon_reporting_by_month: how carbon reporting evolved: declarations per creation month of the models.
-- Grain: one row per creation month of current models with a known creation date.
-- Reads: marts.carbon, models.
CREATE OR REPLACE VIEW carbon_reporting_by_month AS
SELECT date_trunc('month', m.created_at)::DATE AS month,
       count(*) AS models,
       count(c.model_id) AS reporting,
       round(count(c.model_id) / count(*), 4) AS reporting_share,
       count(*) FILTER (WHERE c.reporting_class = 'emissions_only') AS emissions_only,
       count(*) FILTER (WHERE c.reporting_class = 'emissions_source') AS emissions_source,
       count(*) FILTER (WHERE c.reporting_class IN ('partial_context', 'full_context')) AS with_context,
       count(*) FILTER (WHERE c.reporting_class = 'no_figure') AS no_figure,
       median(c.emissions_g) AS median_emissions_g
FROM models m LEFT JOIN marts.carbon c USING (model_id)
WHERE m.created_at_known
GROUP BY ALL ORDER BY month;
COMMENT ON VIEW carbon_reporting_by_month IS 'Carbon reporting over time: one row per creation month of current models (known dates only).';
COMMENT ON COLUMN carbon_reporting_by_month.month IS 'Creation month.';
COMMENT ON COLUMN carbon_reporting_by_month.models IS 'Current models created that month.';
COMMENT ON COLUMN carbon_reporting_by_month.reporting IS 'Of those, models declaring co2_eq_emissions.';
COMMENT ON COLUMN carbon_reporting_by_month.reporting_share IS 'reporting / models.';
COMMENT ON COLUMN carbon_reporting_by_month.emissions_only IS 'Declarations with a figure only.';
COMMENT ON COLUMN carbon_reporting_by_month.emissions_source IS 'Declarations with a figure and a source.';
COMMENT ON COLUMN carbon_reporting_by_month.with_context IS 'Declarations with training type, location or hardware.';
COMMENT ON COLUMN carbon_reporting_by_month.no_figure IS 'Declarations without a usable figure.';
COMMENT ON COLUMN carbon_reporting_by_month.median_emissions_g IS 'Median grams CO2-eq of the declarations.';
