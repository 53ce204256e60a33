-- lineage_suggestions: undeclared parents guessed from model names (kept apart from declared edges).
-- Grain: one row per model without a declared parent per family root its name suggests.
-- Reads: marts.lineage_suggestions.
CREATE OR REPLACE VIEW lineage_suggestions AS
SELECT model_id, suggested_parent_id, matched, candidates, confidence FROM marts.lineage_suggestions;
COMMENT ON VIEW lineage_suggestions IS 'One row per model without a declared base model per family root its name suggests, with a 0..1 confidence (guesses, not declarations).';
COMMENT ON COLUMN lineage_suggestions.model_id IS 'Model without a declared parent.';
COMMENT ON COLUMN lineage_suggestions.suggested_parent_id IS 'Family root whose name occurs in the model name.';
COMMENT ON COLUMN lineage_suggestions.matched IS 'Matched name tokens.';
COMMENT ON COLUMN lineage_suggestions.candidates IS 'Roots sharing that match.';
COMMENT ON COLUMN lineage_suggestions.confidence IS 'Confidence in [0, 1].';
