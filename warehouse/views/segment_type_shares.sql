-- segment_type_shares: how common each name segment type is (as reported by Ajibode et al. 2025).
-- Grain: one row per segment type.
-- Reads: marts.model_names.
CREATE OR REPLACE VIEW segment_type_shares AS
SELECT s.type AS segment_type, count(*) AS segments, round(count(*) / sum(count(*)) OVER (), 4) AS share
FROM (SELECT unnest(segments) AS s FROM marts.model_names) GROUP BY ALL;
COMMENT ON VIEW segment_type_shares IS 'Share of each segment type among all name segments of current models (as reported by Ajibode et al. 2025).';
COMMENT ON COLUMN segment_type_shares.segment_type IS 'Segment type.';
COMMENT ON COLUMN segment_type_shares.segments IS 'Segments of that type.';
COMMENT ON COLUMN segment_type_shares.share IS 'Share of all segments.';
