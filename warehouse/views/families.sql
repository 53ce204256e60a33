-- families: lineage families (trees of primary edges) with their size, depth, fan-out and relation mix.
-- Grain: one row per family of two or more models.
-- Reads: marts.lineage_families.
CREATE OR REPLACE VIEW families AS
SELECT family_id, root_in_snapshot, size, models_in_snapshot, depth, max_fan_out, mean_fan_out,
       adapters, merges, quantized, finetunes, inferred_relations FROM marts.lineage_families;
COMMENT ON VIEW families IS 'One row per model family of two or more models (tree of primary lineage edges from one root): size, depth, fan-out, relation mix.';
COMMENT ON COLUMN families.family_id IS 'Repo id of the root.';
COMMENT ON COLUMN families.root_in_snapshot IS 'Whether the root is a current model.';
COMMENT ON COLUMN families.size IS 'Models in the family.';
COMMENT ON COLUMN families.models_in_snapshot IS 'Current models in the family.';
COMMENT ON COLUMN families.depth IS 'Largest distance from the root.';
COMMENT ON COLUMN families.max_fan_out IS 'Most children of one model.';
COMMENT ON COLUMN families.mean_fan_out IS 'Mean children per model with children.';
COMMENT ON COLUMN families.adapters IS 'adapter edges into family members.';
COMMENT ON COLUMN families.merges IS 'merge edges into family members.';
COMMENT ON COLUMN families.quantized IS 'quantized edges into family members.';
COMMENT ON COLUMN families.finetunes IS 'finetune edges into family members.';
COMMENT ON COLUMN families.inferred_relations IS 'Edges whose relation was inferred.';
