-- documentation_by_kind: documentation completeness per card kind.
-- Grain: one row per card kind.
-- Reads: documentation.
CREATE OR REPLACE VIEW documentation_by_kind AS
SELECT kind, count(*) AS cards, round(avg(score), 2) AS mean_score, round(avg(section_score), 2) AS mean_section_score,
       round(avg(metadata_score), 2) AS mean_metadata_score, sum(downloads) AS downloads
FROM documentation GROUP BY kind;
COMMENT ON VIEW documentation_by_kind IS 'Documentation completeness per card kind (trainer, autotrain, template, quantized, merge, free-form, empty; none: the model has no README.md).';
COMMENT ON COLUMN documentation_by_kind.kind IS 'Card kind.';
COMMENT ON COLUMN documentation_by_kind.cards IS 'Current models of that kind (for none, models without a README.md).';
COMMENT ON COLUMN documentation_by_kind.mean_score IS 'Mean completeness.';
COMMENT ON COLUMN documentation_by_kind.mean_section_score IS 'Mean section part (0-70).';
COMMENT ON COLUMN documentation_by_kind.mean_metadata_score IS 'Mean metadata part (0-30).';
COMMENT ON COLUMN documentation_by_kind.downloads IS 'Downloads of those models (30 days).';
