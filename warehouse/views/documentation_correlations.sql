-- documentation_correlations: whether better documented models are downloaded and liked more (Spearman's rho).
-- Grain: one row per measure: downloads, likes.
-- Reads: documentation.
CREATE OR REPLACE VIEW documentation_correlations AS
WITH ranked AS (
    -- Average ranks (ties share the mean of the ranks they span), so corr() of ranks is Spearman's rho.
    SELECT (rank() OVER (ORDER BY score) + count(*) OVER () + 1 - rank() OVER (ORDER BY score DESC)) / 2 AS r_score,
           (rank() OVER (ORDER BY downloads) + count(*) OVER () + 1 - rank() OVER (ORDER BY downloads DESC)) / 2 AS r_downloads,
           (rank() OVER (ORDER BY likes) + count(*) OVER () + 1 - rank() OVER (ORDER BY likes DESC)) / 2 AS r_likes
    FROM documentation WHERE has_card AND downloads IS NOT NULL AND likes IS NOT NULL)
SELECT 'downloads' AS measure, count(*) AS cards, round(corr(r_score, r_downloads), 4) AS spearman_rho FROM ranked
UNION ALL
SELECT 'likes', count(*), round(corr(r_score, r_likes), 4) FROM ranked;
COMMENT ON VIEW documentation_correlations IS 'Spearman rank correlation of documentation completeness with downloads and with likes (as in Kadasi et al. 2025), over current models with a card.';
COMMENT ON COLUMN documentation_correlations.measure IS 'downloads or likes.';
COMMENT ON COLUMN documentation_correlations.cards IS 'Cards in the correlation.';
COMMENT ON COLUMN documentation_correlations.spearman_rho IS 'Spearman''s rho between score and the measure.';
