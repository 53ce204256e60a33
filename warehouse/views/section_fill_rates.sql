-- section_fill_rates: how often each model-card template section is present and filled (as in Liang et al. 2024).
-- Grain: one row per model-card template section (14).
-- Reads: marts.card_documentation.
CREATE OR REPLACE VIEW section_fill_rates AS
WITH sections(position, section) AS (VALUES
    (1, 'model_details'), (2, 'uses'), (3, 'bias_risks_limitations'), (4, 'how_to_get_started'),
    (5, 'training_details'), (6, 'evaluation'), (7, 'model_examination'), (8, 'environmental_impact'),
    (9, 'technical_specifications'), (10, 'citation'), (11, 'glossary'), (12, 'more_information'),
    (13, 'card_authors'), (14, 'contact'))
SELECT s.section, count(*) AS cards,
       round(count(*) FILTER (WHERE list_contains(d.sections_present, s.section)) / count(*), 4) AS present_rate,
       round(count(*) FILTER (WHERE list_contains(d.sections_filled, s.section)) / count(*), 4) AS filled_rate,
       round(count(*) FILTER (WHERE list_contains(d.sections_filled, s.section)
                                AND list_contains(d.sections_present, s.section))
             / nullif(count(*) FILTER (WHERE list_contains(d.sections_present, s.section)), 0), 4) AS filled_when_present
FROM sections s CROSS JOIN marts.card_documentation d
WHERE d.has_card
GROUP BY s.position, s.section ORDER BY s.position;
COMMENT ON VIEW section_fill_rates IS 'Section fill-out table (as in Liang et al. 2024): one row per model-card template section over all current cards. Filled is judged on content wherever it stands (docs/documentation.md), so a section can be filled without its heading.';
COMMENT ON COLUMN section_fill_rates.section IS 'Template section.';
COMMENT ON COLUMN section_fill_rates.cards IS 'Cards considered (models with a README.md).';
COMMENT ON COLUMN section_fill_rates.present_rate IS 'Share of cards with a heading meant for the section, filled or not.';
COMMENT ON COLUMN section_fill_rates.filled_rate IS 'Share of cards whose prose or code answers the section''s question about the model, under any heading or none.';
COMMENT ON COLUMN section_fill_rates.filled_when_present IS 'Among cards where the section is present, the share where it is also filled (Liang et al. 2024''s form).';
