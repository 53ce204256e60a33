-- Naming and versioning practice: parsed repo names with their segments and versions. The views over
-- them (naming patterns, whether weight changes come with a card change) are in warehouse/views/.

-- marts.model_names -----------------------------------------------------------------------------
-- Grain: one row per current model (its repo name parsed once; names do not change in place).
-- Checks: model_id unique; pattern is the concatenation of the segment types in braces.
CREATE TABLE marts.model_names (
    model_id      VARCHAR NOT NULL PRIMARY KEY,
    pattern       VARCHAR NOT NULL,
    segments      STRUCT("text" VARCHAR, "type" VARCHAR)[] NOT NULL,
    version       VARCHAR,
    version_kind  VARCHAR,
    version_major INTEGER,
    version_minor INTEGER,
    size_params   DOUBLE,
    problems      VARCHAR[] NOT NULL
);
COMMENT ON TABLE marts.model_names IS 'Repo names split into typed segments (analysis/naming.py; the 13 types of Ajibode et al. 2025), one row per current model.';
COMMENT ON COLUMN marts.model_names.model_id IS 'Repo id; only the part after the slash is segmented.';
COMMENT ON COLUMN marts.model_names.pattern IS 'Naming practice: the ordered segment types, e.g. {identifier}{size}{version}.';
COMMENT ON COLUMN marts.model_names.segments IS 'The segments in order: text and type (identifier, base-model, size, training-mechanism, description, variant-type, version, task, dataset, language, creation-date, nationality, ambiguous).';
COMMENT ON COLUMN marts.model_names.version IS 'Version carried by the name (first v-version, else a bare one, else a date stamp).';
COMMENT ON COLUMN marts.model_names.version_kind IS 'vN, vN.M, vN.M.K, date, or NULL when the name has no version.';
COMMENT ON COLUMN marts.model_names.version_major IS 'Major number of a vN[.M[.K]] version.';
COMMENT ON COLUMN marts.model_names.version_minor IS 'Minor number (0 when absent) of a vN[.M[.K]] version.';
COMMENT ON COLUMN marts.model_names.size_params IS 'Parameter count stated in the name (7B -> 7e9, 8x7B -> 5.6e10).';
COMMENT ON COLUMN marts.model_names.problems IS 'Odd input found while parsing (too_long, control_chars, non_ascii, ...).';
