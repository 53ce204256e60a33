-- documentation_by_pipeline_tag: documentation completeness per task.
-- Grain: one row per pipeline_tag ((none) for models without one).
-- Reads: documentation.
CREATE OR REPLACE VIEW documentation_by_pipeline_tag AS
SELECT coalesce(pipeline_tag, '(none)') AS pipeline_tag, count(*) AS models,
       count(*) FILTER (WHERE has_card) AS with_card, round(avg(score), 2) AS mean_score
FROM documentation GROUP BY ALL;
COMMENT ON VIEW documentation_by_pipeline_tag IS 'Documentation completeness per task (pipeline_tag).';
COMMENT ON COLUMN documentation_by_pipeline_tag.pipeline_tag IS 'Task, (none) when unset.';
COMMENT ON COLUMN documentation_by_pipeline_tag.models IS 'Models.';
COMMENT ON COLUMN documentation_by_pipeline_tag.with_card IS 'Models with a README.md.';
COMMENT ON COLUMN documentation_by_pipeline_tag.mean_score IS 'Mean completeness.';
