-- carbon_reporting: the normalised co2_eq_emissions declarations (marts.carbon) with the model's facts.
-- Grain: one row per current model that declares co2_eq_emissions.
-- Reads: marts.carbon, models.
CREATE OR REPLACE VIEW carbon_reporting AS
SELECT c.model_id, m.author, m.created_at, m.created_at_known, m.downloads, c.form, c.emissions_g, c.source,
       c.training_type, c.geographical_location, c.hardware_used, c.reporting_class, c.model_bytes,
       c.bytes_per_g, c.efficiency_band, c.performance_score
FROM marts.carbon c JOIN models m USING (model_id);
COMMENT ON VIEW carbon_reporting IS 'One row per current model that declares co2_eq_emissions: the normalised declaration, its reporting class and efficiency.';
COMMENT ON COLUMN carbon_reporting.model_id IS 'Repo id.';
COMMENT ON COLUMN carbon_reporting.author IS 'Owner.';
COMMENT ON COLUMN carbon_reporting.created_at IS 'Repo creation time as reported.';
COMMENT ON COLUMN carbon_reporting.created_at_known IS 'False for missing or placeholder creation dates.';
COMMENT ON COLUMN carbon_reporting.downloads IS 'Downloads over the last 30 days.';
COMMENT ON COLUMN carbon_reporting.form IS 'number, string, mapping or other.';
COMMENT ON COLUMN carbon_reporting.emissions_g IS 'Grams CO2-eq.';
COMMENT ON COLUMN carbon_reporting.source IS 'Who measured it.';
COMMENT ON COLUMN carbon_reporting.training_type IS 'pre-training / fine-tuning.';
COMMENT ON COLUMN carbon_reporting.geographical_location IS 'Where it was trained.';
COMMENT ON COLUMN carbon_reporting.hardware_used IS 'Hardware used.';
COMMENT ON COLUMN carbon_reporting.reporting_class IS 'Reporting-practice class (which fields are present).';
COMMENT ON COLUMN carbon_reporting.model_bytes IS 'Estimated model size in bytes.';
COMMENT ON COLUMN carbon_reporting.bytes_per_g IS 'Model bytes per gram CO2-eq.';
COMMENT ON COLUMN carbon_reporting.efficiency_band IS 'A (best) .. E.';
COMMENT ON COLUMN carbon_reporting.performance_score IS 'Harmonic mean of reported accuracy/F1/ROUGE.';
