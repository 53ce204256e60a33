-- documentation: documentation completeness of each model's card with the model's facts; the documentation_* views aggregate it.
-- Grain: one row per current model whose card status was fetched.
-- Reads: marts.card_documentation, models.
CREATE OR REPLACE VIEW documentation AS
SELECT d.model_id, m.author, m.created_at, m.created_at_known, m.pipeline_tag, m.library_name, m.downloads,
       m.likes, d.has_card, d.kind, d.score, d.section_score, d.metadata_score, d.sections_present,
       d.sections_filled, d.metadata_present, d.issues
FROM marts.card_documentation d JOIN models m USING (model_id);
COMMENT ON VIEW documentation IS 'Documentation completeness of each current model''s card, with the model''s facts.';
COMMENT ON COLUMN documentation.model_id IS 'Repo id.';
COMMENT ON COLUMN documentation.author IS 'Owner.';
COMMENT ON COLUMN documentation.created_at IS 'Repo creation time as reported.';
COMMENT ON COLUMN documentation.created_at_known IS 'False for missing or placeholder creation dates.';
COMMENT ON COLUMN documentation.pipeline_tag IS 'Task.';
COMMENT ON COLUMN documentation.library_name IS 'Library.';
COMMENT ON COLUMN documentation.downloads IS 'Downloads over the last 30 days.';
COMMENT ON COLUMN documentation.likes IS 'Likes.';
COMMENT ON COLUMN documentation.has_card IS 'The repo has a README.md.';
COMMENT ON COLUMN documentation.kind IS 'Card kind.';
COMMENT ON COLUMN documentation.score IS 'Completeness 0-100.';
COMMENT ON COLUMN documentation.section_score IS 'Section part (0-70).';
COMMENT ON COLUMN documentation.metadata_score IS 'Metadata part (0-30).';
COMMENT ON COLUMN documentation.sections_present IS 'Template sections present.';
COMMENT ON COLUMN documentation.sections_filled IS 'Template sections filled.';
COMMENT ON COLUMN documentation.metadata_present IS 'Metadata fields present.';
COMMENT ON COLUMN documentation.issues IS 'Parse problems recorded.';
