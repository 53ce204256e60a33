-- derivatives_by_month: adoption of base models over time, the forecaster's input.
-- Grain: one row per base model per relation (plus relation = all) per creation month with at least one new direct derivative.
-- Reads: marts.lineage_edges, models.
CREATE OR REPLACE VIEW derivatives_by_month AS
WITH d AS (
    SELECT e.parent_id AS base_model_id, date_trunc('month', m.created_at)::DATE AS month, e.relation
    FROM marts.lineage_edges e JOIN models m ON m.model_id = e.child_id
    WHERE NOT e.cycle_broken AND m.created_at_known
), per AS (
    SELECT base_model_id, month, relation, count(*) AS n FROM d GROUP BY ALL
    UNION ALL
    SELECT base_model_id, month, 'all', count(*) FROM d GROUP BY ALL
)
SELECT base_model_id, month, relation, n AS new_derivatives,
       sum(n) OVER (PARTITION BY base_model_id, relation ORDER BY month)::BIGINT AS cumulative
FROM per;
COMMENT ON VIEW derivatives_by_month IS 'Adoption of base models: one row per base model per relation (plus relation = all) per creation month of its direct derivatives in which at least one was created; children with an unknown or placeholder createdAt are left out. The forecaster''s input.';
COMMENT ON COLUMN derivatives_by_month.base_model_id IS 'Repo id of the base model (declared parent; may be absent from the snapshot).';
COMMENT ON COLUMN derivatives_by_month.month IS 'Creation month of the derivatives (first day).';
COMMENT ON COLUMN derivatives_by_month.relation IS 'adapter, merge, quantized, finetune, or all (every relation together; do not add it to the others).';
COMMENT ON COLUMN derivatives_by_month.new_derivatives IS 'Direct derivatives created that month.';
COMMENT ON COLUMN derivatives_by_month.cumulative IS 'Direct derivatives created up to and including that month.';
