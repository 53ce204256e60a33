-- Documentation completeness of model cards (analysis/cards): per card, aggregates, fill-out rates.

-- marts.card_documentation ----------------------------------------------------------------------
-- Grain: one row per current model whose card (README.md) was fetched, for its latest fetched sha.
-- Checks: model_id unique; score between 0 and 100; has_card false implies score 0.
CREATE TABLE marts.card_documentation (
    model_id          VARCHAR NOT NULL PRIMARY KEY,
    sha               VARCHAR NOT NULL,
    has_card          BOOLEAN NOT NULL,
    kind              VARCHAR NOT NULL,
    score             DOUBLE NOT NULL,
    section_score     DOUBLE NOT NULL,
    metadata_score    DOUBLE NOT NULL,
    sections_present  VARCHAR[] NOT NULL,
    sections_filled   VARCHAR[] NOT NULL,
    metadata_present  VARCHAR[] NOT NULL,
    n_headings        INTEGER NOT NULL,
    body_chars        BIGINT NOT NULL,
    has_front_matter  BOOLEAN NOT NULL,
    metadata_loaded   BOOLEAN NOT NULL,
    issues            VARCHAR[] NOT NULL,
    has_error         BOOLEAN NOT NULL,
    fine_tuned_from   VARCHAR,
    fine_tuned_on     VARCHAR
);
COMMENT ON TABLE marts.card_documentation IS 'Documentation completeness per model card (latest fetched sha of each current model); score defined in analysis/cards/completeness.py.';
COMMENT ON COLUMN marts.card_documentation.model_id IS 'Repo id.';
COMMENT ON COLUMN marts.card_documentation.sha IS 'Commit the card was read at.';
COMMENT ON COLUMN marts.card_documentation.has_card IS 'False when the repo has no README.md at that sha.';
COMMENT ON COLUMN marts.card_documentation.kind IS 'Card kind: none, empty, autotrain, trainer, merge, quantized, template, free-form (or error).';
COMMENT ON COLUMN marts.card_documentation.score IS 'Documentation completeness 0-100: 70 x weighted share of FILLED template sections + 30 x share of present metadata fields.';
COMMENT ON COLUMN marts.card_documentation.section_score IS 'The section part of the score (0-70).';
COMMENT ON COLUMN marts.card_documentation.metadata_score IS 'The metadata part of the score (0-30).';
COMMENT ON COLUMN marts.card_documentation.sections_present IS 'Template sections with a heading mapped to them (model_details, uses, ...).';
COMMENT ON COLUMN marts.card_documentation.sections_filled IS 'Template sections whose body has real content (not only placeholders).';
COMMENT ON COLUMN marts.card_documentation.metadata_present IS 'Card YAML fields with a real value (license, language, datasets, metrics, model-index, base_model, library_name, pipeline_tag, co2_eq_emissions).';
COMMENT ON COLUMN marts.card_documentation.n_headings IS 'Headings found (ATX, setext, HTML, bold-line).';
COMMENT ON COLUMN marts.card_documentation.body_chars IS 'Characters of the body after the front matter.';
COMMENT ON COLUMN marts.card_documentation.has_front_matter IS 'The card starts with a YAML front matter block.';
COMMENT ON COLUMN marts.card_documentation.metadata_loaded IS 'The front matter was loaded (safe YAML) into a mapping.';
COMMENT ON COLUMN marts.card_documentation.issues IS 'Recorded parse problems (yaml_error, yaml_unsafe_tag, yaml_alias_bomb, front_matter_unclosed, body_truncated, invalid_utf8, nul_bytes, crlf, ...).';
COMMENT ON COLUMN marts.card_documentation.has_error IS 'At least one issue is an error (not just a warning).';
COMMENT ON COLUMN marts.card_documentation.fine_tuned_from IS 'Base model named by a Trainer card''s "fine-tuned version of X" sentence.';
COMMENT ON COLUMN marts.card_documentation.fine_tuned_on IS 'Dataset named by a Trainer card''s "on the Y dataset".';

CREATE VIEW documentation AS
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

CREATE VIEW documentation_by_author AS
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

CREATE VIEW documentation_by_month AS
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

CREATE VIEW documentation_by_pipeline_tag AS
SELECT coalesce(pipeline_tag, '(none)') AS pipeline_tag, count(*) AS models,
       count(*) FILTER (WHERE has_card) AS with_card, round(avg(score), 2) AS mean_score
FROM documentation GROUP BY ALL;
COMMENT ON VIEW documentation_by_pipeline_tag IS 'Documentation completeness per task (pipeline_tag).';
COMMENT ON COLUMN documentation_by_pipeline_tag.pipeline_tag IS 'Task, (none) when unset.';
COMMENT ON COLUMN documentation_by_pipeline_tag.models IS 'Models.';
COMMENT ON COLUMN documentation_by_pipeline_tag.with_card IS 'Models with a README.md.';
COMMENT ON COLUMN documentation_by_pipeline_tag.mean_score IS 'Mean completeness.';

CREATE VIEW documentation_by_kind AS
SELECT kind, count(*) AS cards, round(avg(score), 2) AS mean_score, round(avg(section_score), 2) AS mean_section_score,
       round(avg(metadata_score), 2) AS mean_metadata_score, sum(downloads) AS downloads
FROM documentation GROUP BY kind;
COMMENT ON VIEW documentation_by_kind IS 'Documentation completeness per card kind (trainer, autotrain, template, quantized, merge, free-form, empty, none).';
COMMENT ON COLUMN documentation_by_kind.kind IS 'Card kind.';
COMMENT ON COLUMN documentation_by_kind.cards IS 'Cards of that kind.';
COMMENT ON COLUMN documentation_by_kind.mean_score IS 'Mean completeness.';
COMMENT ON COLUMN documentation_by_kind.mean_section_score IS 'Mean section part (0-70).';
COMMENT ON COLUMN documentation_by_kind.mean_metadata_score IS 'Mean metadata part (0-30).';
COMMENT ON COLUMN documentation_by_kind.downloads IS 'Downloads of those models (30 days).';

CREATE VIEW section_fill_rates AS
WITH sections(position, section) AS (VALUES
    (1, 'model_details'), (2, 'uses'), (3, 'bias_risks_limitations'), (4, 'how_to_get_started'),
    (5, 'training_details'), (6, 'evaluation'), (7, 'model_examination'), (8, 'environmental_impact'),
    (9, 'technical_specifications'), (10, 'citation'), (11, 'glossary'), (12, 'more_information'),
    (13, 'card_authors'), (14, 'contact'))
SELECT s.section, count(*) AS cards,
       round(count(*) FILTER (WHERE list_contains(d.sections_present, s.section)) / count(*), 4) AS present_rate,
       round(count(*) FILTER (WHERE list_contains(d.sections_filled, s.section)) / count(*), 4) AS filled_rate,
       round(count(*) FILTER (WHERE list_contains(d.sections_filled, s.section))
             / nullif(count(*) FILTER (WHERE list_contains(d.sections_present, s.section)), 0), 4) AS filled_when_present
FROM sections s CROSS JOIN marts.card_documentation d
WHERE d.has_card
GROUP BY s.position, s.section ORDER BY s.position;
COMMENT ON VIEW section_fill_rates IS 'Section fill-out table (as in Liang et al. 2024): one row per model-card template section over all current cards.';
COMMENT ON COLUMN section_fill_rates.section IS 'Template section.';
COMMENT ON COLUMN section_fill_rates.cards IS 'Cards considered (models with a README.md).';
COMMENT ON COLUMN section_fill_rates.present_rate IS 'Share of cards with a heading for the section.';
COMMENT ON COLUMN section_fill_rates.filled_rate IS 'Share of cards where the section has real content.';
COMMENT ON COLUMN section_fill_rates.filled_when_present IS 'Share filled among cards where the section is present.';

CREATE VIEW documentation_correlations AS
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
