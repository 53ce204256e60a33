-- lineage_edges: declared lineage: which model derives from which, and how.
-- Grain: one row per current model per base model it declares.
-- Reads: marts.lineage_edges, models.
CREATE OR REPLACE VIEW lineage_edges AS
SELECT e.child_id, e.parent_id, e.relation, e.relation_source, e.relation_source LIKE 'inferred:%' AS relation_inferred,
       e.declared_in, e.parent_known, e.is_primary, e.cycle_broken, m.created_at AS child_created_at
FROM marts.lineage_edges e LEFT JOIN models m ON m.model_id = e.child_id;
COMMENT ON VIEW lineage_edges IS 'One row per current model per base model it declares: relation, where the relation came from, whether the parent is known.';
COMMENT ON COLUMN lineage_edges.child_id IS 'Derived model.';
COMMENT ON COLUMN lineage_edges.parent_id IS 'Base model.';
COMMENT ON COLUMN lineage_edges.relation IS 'adapter, merge, quantized or finetune.';
COMMENT ON COLUMN lineage_edges.relation_source IS 'declared, tag, api or inferred:<signal>.';
COMMENT ON COLUMN lineage_edges.relation_inferred IS 'True when nobody declared the relation.';
COMMENT ON COLUMN lineage_edges.declared_in IS 'Where the parent is named: card, tag, api.';
COMMENT ON COLUMN lineage_edges.parent_known IS 'Whether the parent is a current model.';
COMMENT ON COLUMN lineage_edges.is_primary IS 'Whether the edge places the child in its family tree.';
COMMENT ON COLUMN lineage_edges.cycle_broken IS 'True when the edge was dropped to break a declaration cycle.';
COMMENT ON COLUMN lineage_edges.child_created_at IS 'Creation time of the derived model as the Hub reports it.';
