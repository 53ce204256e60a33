-- model_names: parsed repo names with their naming pattern and version, beside creation time and lineage family.
-- Grain: one row per current model.
-- Reads: marts.lineage_nodes, marts.model_names, models.
CREATE OR REPLACE VIEW model_names AS
SELECT n.model_id, n.pattern, n.segments, n.version, n.version_kind, n.size_params, n.problems,
       m.created_at, m.created_at_known, l.family_id
FROM marts.model_names n JOIN models m USING (model_id) LEFT JOIN marts.lineage_nodes l USING (model_id);
COMMENT ON VIEW model_names IS 'One row per current model: its parsed name, naming pattern and version, with its creation time and lineage family.';
COMMENT ON COLUMN model_names.model_id IS 'Repo id.';
COMMENT ON COLUMN model_names.pattern IS 'Naming practice (ordered segment types).';
COMMENT ON COLUMN model_names.segments IS 'Typed segments.';
COMMENT ON COLUMN model_names.version IS 'Version in the name.';
COMMENT ON COLUMN model_names.version_kind IS 'vN, vN.M, vN.M.K, date or NULL.';
COMMENT ON COLUMN model_names.size_params IS 'Parameter count from the name.';
COMMENT ON COLUMN model_names.problems IS 'Parse problems.';
COMMENT ON COLUMN model_names.created_at IS 'Repo creation time as reported.';
COMMENT ON COLUMN model_names.created_at_known IS 'False for missing or placeholder creation dates.';
COMMENT ON COLUMN model_names.family_id IS 'Lineage family (root model), NULL outside any family.';
