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
