-- documentation_by_author: documentation completeness per author.
-- Grain: one row per author of current models with a fetched card status.
-- Reads: documentation.
CREATE OR REPLACE VIEW documentation_by_author AS
SELECT author, count(*) AS models, count(*) FILTER (WHERE has_card) AS with_card,
       round(avg(score), 2) AS mean_score, median(score) AS median_score, sum(downloads) AS downloads
FROM documentation GROUP BY author;
COMMENT ON VIEW documentation_by_author IS 'Documentation completeness per author: one row per author of current models with a fetched card status.';
COMMENT ON COLUMN documentation_by_author.author IS 'Owner.';
COMMENT ON COLUMN documentation_by_author.models IS 'Models with a fetched card status.';
COMMENT ON COLUMN documentation_by_author.with_card IS 'Of those, models with a README.md.';
COMMENT ON COLUMN documentation_by_author.mean_score IS 'Mean completeness (models without card count 0).';
COMMENT ON COLUMN documentation_by_author.median_score IS 'Median completeness.';
COMMENT ON COLUMN documentation_by_author.downloads IS 'Downloads of those models (30 days).';
