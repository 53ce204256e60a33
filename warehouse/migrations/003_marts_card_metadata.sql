-- Marts over the listed card metadata: carbon reporting and metadata problems.
CREATE SCHEMA IF NOT EXISTS marts;

-- marts.analysed --------------------------------------------------------------------------------
-- Grain: one row per analysis per model per input key (a state hash or a card sha) already analysed,
-- so each run analyses only what changed. Checks: (analysis, model_id) unique.
CREATE TABLE marts.analysed (
    analysis VARCHAR NOT NULL,
    model_id VARCHAR NOT NULL,
    input_key VARCHAR NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (analysis, model_id)
);
COMMENT ON TABLE marts.analysed IS 'Bookkeeping: which input (state hash or card sha) of which model each analysis has already turned into mart rows, and with which analysis version.';
COMMENT ON COLUMN marts.analysed.analysis IS 'Analysis name (carbon, metadata_problems, documentation, ...).';
COMMENT ON COLUMN marts.analysed.model_id IS 'Repo id.';
COMMENT ON COLUMN marts.analysed.input_key IS 'What was analysed: the model state hash or the card sha.';
COMMENT ON COLUMN marts.analysed.version IS 'Analysis version; a new version re-analyses everything.';

-- marts.carbon ----------------------------------------------------------------------------------
-- Grain: one row per current model whose card metadata declares co2_eq_emissions.
-- Checks: model_id unique; reporting_class in the six classes of analysis/carbon/emissions.py.
CREATE TABLE marts.carbon (
    model_id              VARCHAR NOT NULL PRIMARY KEY,
    state_hash            VARCHAR NOT NULL,
    form                  VARCHAR NOT NULL,
    emissions_g           DOUBLE,
    source                VARCHAR,
    training_type         VARCHAR,
    geographical_location VARCHAR,
    hardware_used         VARCHAR,
    reporting_class       VARCHAR NOT NULL,
    model_bytes           BIGINT,
    bytes_per_g           DOUBLE,
    efficiency_band       VARCHAR,
    performance_score     DOUBLE,
    problems              VARCHAR[]
);
COMMENT ON TABLE marts.carbon IS 'Normalised co2_eq_emissions of every current model that declares it (see analysis/carbon.py for classes and bands).';
COMMENT ON COLUMN marts.carbon.model_id IS 'Repo id.';
COMMENT ON COLUMN marts.carbon.state_hash IS 'Model state the row was computed from.';
COMMENT ON COLUMN marts.carbon.form IS 'How the value was written: number, string, mapping or other.';
COMMENT ON COLUMN marts.carbon.emissions_g IS 'Grams CO2-eq, or NULL when no usable figure was given.';
COMMENT ON COLUMN marts.carbon.source IS 'Who measured it (AutoTrain, Code Carbon, a paper, ...), placeholders removed.';
COMMENT ON COLUMN marts.carbon.training_type IS 'pre-training / fine-tuning as written.';
COMMENT ON COLUMN marts.carbon.geographical_location IS 'Where it was trained, as written.';
COMMENT ON COLUMN marts.carbon.hardware_used IS 'Hardware, as written.';
COMMENT ON COLUMN marts.carbon.reporting_class IS 'no_figure, emissions_only, emissions_source, partial_context or full_context (which fields are present).';
COMMENT ON COLUMN marts.carbon.model_bytes IS 'Model size estimated from safetensors parameter counts per dtype (NULL when unknown).';
COMMENT ON COLUMN marts.carbon.bytes_per_g IS 'Efficiency: model bytes per gram CO2-eq (larger is better).';
COMMENT ON COLUMN marts.carbon.efficiency_band IS 'A (most efficient) .. E, quintile bands frozen from the HFCO2 dataset.';
COMMENT ON COLUMN marts.carbon.performance_score IS 'Harmonic mean of reported accuracy / F1 / ROUGE-1 / ROUGE-L from model-index, 0..1.';
COMMENT ON COLUMN marts.carbon.problems IS 'Deviations from the card spec found while normalising (codes).';

-- marts.metadata_problems -----------------------------------------------------------------------
-- Grain: one row per problem per current model's card metadata. Checks: none unique.
CREATE TABLE marts.metadata_problems (
    model_id      VARCHAR NOT NULL,
    state_hash    VARCHAR NOT NULL,
    field         VARCHAR NOT NULL,
    code          VARCHAR NOT NULL,
    message       VARCHAR NOT NULL,
    value_excerpt VARCHAR
);
COMMENT ON TABLE marts.metadata_problems IS 'Card metadata that breaks the Hub card spec (license ids, base_model form, model-index structure, co2 schema, language): one row per problem.';
COMMENT ON COLUMN marts.metadata_problems.model_id IS 'Repo id.';
COMMENT ON COLUMN marts.metadata_problems.state_hash IS 'Model state the row was computed from.';
COMMENT ON COLUMN marts.metadata_problems.field IS 'Path of the offending field, e.g. model-index[0].results[1].metrics[2].value.';
COMMENT ON COLUMN marts.metadata_problems.code IS 'Stable problem code for counting (unknown_license, not_a_repo_id, ...).';
COMMENT ON COLUMN marts.metadata_problems.message IS 'What is wrong, in words.';
COMMENT ON COLUMN marts.metadata_problems.value_excerpt IS 'The offending value, shortened.';
