-- documentation_by_month: documentation completeness over time.
-- Grain: one row per creation month of current models with a known creation date and a fetched card status.
-- Reads: documentation.
CREATE OR REPLACE VIEW documentation_by_month AS
SELECT date_trunc('month', created_at)::DATE AS month, count(*) AS models,
       count(*) FILTER (WHERE has_card) AS with_card, round(count(*) FILTER (WHERE has_card) / count(*), 4) AS card_share,
       round(avg(score), 2) AS mean_score, round(avg(score) FILTER (WHERE has_card), 2) AS mean_score_carded
FROM documentation WHERE created_at_known GROUP BY ALL;
COMMENT ON VIEW documentation_by_month IS 'Documentation over time: one row per creation month (known dates only).';
COMMENT ON COLUMN documentation_by_month.month IS 'Creation month.';
COMMENT ON COLUMN documentation_by_month.models IS 'Models created that month.';
COMMENT ON COLUMN documentation_by_month.with_card IS 'Of those, with a README.md.';
COMMENT ON COLUMN documentation_by_month.card_share IS 'with_card / models.';
COMMENT ON COLUMN documentation_by_month.mean_score IS 'Mean completeness, cardless models as 0.';
COMMENT ON COLUMN documentation_by_month.mean_score_carded IS 'Mean completeness of the models with a card.';
