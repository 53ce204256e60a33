-- lineage_nodes: family membership and depth of every model in the lineage graph.
-- Grain: one row per model that is a child or a parent of at least one edge.
-- Reads: marts.lineage_nodes.
CREATE OR REPLACE VIEW lineage_nodes AS
SELECT model_id, in_snapshot, family_id, depth, parent_count, primary_parent_id, children FROM marts.lineage_nodes;
COMMENT ON VIEW lineage_nodes IS 'One row per model in the lineage graph (models without any base model or derivative are absent): its family and depth.';
COMMENT ON COLUMN lineage_nodes.model_id IS 'Repo id.';
COMMENT ON COLUMN lineage_nodes.in_snapshot IS 'False for a declared parent that is not a current model.';
COMMENT ON COLUMN lineage_nodes.family_id IS 'Root of the family.';
COMMENT ON COLUMN lineage_nodes.depth IS 'Distance from the root (root = 0).';
COMMENT ON COLUMN lineage_nodes.parent_count IS 'Declared parents.';
COMMENT ON COLUMN lineage_nodes.primary_parent_id IS 'Parent in the family tree; NULL for the root.';
COMMENT ON COLUMN lineage_nodes.children IS 'Models below this one in the family tree.';
