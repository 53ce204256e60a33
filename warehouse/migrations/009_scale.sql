-- Scale (2.5M models a day on one small machine): tables that are rewritten or bulk-loaded every day
-- lose their PRIMARY KEY. A DuckDB primary key is an ART index: inserting 2.5M rows into a keyed
-- table costs ~10x the plain insert and the index is held in memory, so keyed marts of millions of
-- rows blow both the load-time and the memory budget. Each of these tables has exactly one writer
-- (the loader, or its analysis), which keeps the grain: it deletes the rows it replaces before
-- inserting (see warehouse/load.py, analysis/incremental.py, analysis/lineage/marts.py).
-- Also: core.model_counters marks its latest row per model (next_day IS NULL), so "latest counters"
-- is a filter instead of an aggregate over the whole history; raw.model_listing becomes a view over
-- the landing Parquet of the latest loaded run instead of a 2.5M-row copy rewritten every day (the
-- table is dropped here; the view is warehouse/views/raw.model_listing.sql).

-- core.model_counters ---------------------------------------------------------------------------
-- Grain: one row per model per day on which its downloads or likes differed from the previous
-- row. Checks (kept by warehouse/load.py): (model_id, day) unique; exactly one row per model has
-- next_day IS NULL; next_day equals the day of the model's next row.
CREATE TABLE core.model_counters_009 (
    model_id  VARCHAR NOT NULL,
    "day"     DATE NOT NULL,
    downloads BIGINT,
    likes     BIGINT,
    run_id    VARCHAR NOT NULL,
    next_day  DATE
);
INSERT INTO core.model_counters_009
SELECT model_id, "day", downloads, likes, run_id, lead("day") OVER (PARTITION BY model_id ORDER BY "day")
FROM core.model_counters;
DROP TABLE core.model_counters;
ALTER TABLE core.model_counters_009 RENAME TO model_counters;
COMMENT ON TABLE core.model_counters IS 'Daily download/like facts, change-only: one row per model per day on which a counter moved; the value holds until the next row (next_day).';
COMMENT ON COLUMN core.model_counters.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.model_counters."day" IS 'UTC day of the fetch.';
COMMENT ON COLUMN core.model_counters.downloads IS 'Downloads over the 30 days before the fetch, as the Hub counts them.';
COMMENT ON COLUMN core.model_counters.likes IS 'Likes at fetch time.';
COMMENT ON COLUMN core.model_counters.run_id IS 'Run that observed the value.';
COMMENT ON COLUMN core.model_counters.next_day IS 'Day of the model''s next counter row (the value holds until then); NULL on its latest row.';

-- raw.model_listing -----------------------------------------------------------------------------
-- Now a view (warehouse/views/raw.model_listing.sql) that the loader re-points at each run's landing
-- Parquet files (warehouse/load.py), so the raw layer costs no copy. The table goes; the writer
-- creates the view after the migrations.
DROP TABLE raw.model_listing;

-- meta.settings ---------------------------------------------------------------------------------
-- Grain: one row per setting the warehouse's writer keeps about itself. Checks: key unique.
CREATE TABLE meta.settings (
    key   VARCHAR NOT NULL PRIMARY KEY,
    value VARCHAR NOT NULL
);
COMMENT ON TABLE meta.settings IS 'Settings the loader keeps about the warehouse itself (e.g. state_fingerprint: which hash scheme the open intervals'' fingerprints were made with).';
COMMENT ON COLUMN meta.settings.key IS 'Setting name.';
COMMENT ON COLUMN meta.settings.value IS 'Setting value.';

-- core.model_state.state_hash: the loader compares a 64-bit fingerprint (DuckDB's hash over the
-- state columns) instead of an md5 of the JSON-serialised state, which alone took most of the load
-- budget at 2.5M models. The loader re-fingerprints the open intervals once when the scheme in
-- meta.settings differs from its own (after this migration, or a DuckDB upgrade).
COMMENT ON COLUMN core.model_state.state_hash IS 'Fingerprint of the state columns (16 hex digits of DuckDB''s hash; md5 in intervals closed before migration 009): the key analyses use to see that a model changed. A new interval starts when it changes.';

-- Marts rebuilt whole or incrementally by their analysis, which keeps each table's grain.
-- marts.analysed: was PRIMARY KEY (analysis, model_id); uniqueness is now kept by its one writer.
CREATE TABLE marts.analysed_009 (
    analysis VARCHAR NOT NULL,
    model_id VARCHAR NOT NULL,
    input_key VARCHAR NOT NULL,
    "version" INTEGER NOT NULL
);
INSERT INTO marts.analysed_009 SELECT * FROM marts.analysed;
DROP TABLE marts.analysed;
ALTER TABLE marts.analysed_009 RENAME TO analysed;
COMMENT ON TABLE marts.analysed IS 'Bookkeeping: which input (state hash or card sha) of which model each analysis has already turned into mart rows, and with which analysis version.';
COMMENT ON COLUMN marts.analysed.analysis IS 'Analysis name (carbon, metadata_problems, documentation, ...).';
COMMENT ON COLUMN marts.analysed.model_id IS 'Repo id.';
COMMENT ON COLUMN marts.analysed.input_key IS 'What was analysed: the model state hash or the card sha.';
COMMENT ON COLUMN marts.analysed."version" IS 'Analysis version; a new version re-analyses everything.';

-- marts.model_names: was PRIMARY KEY (model_id); uniqueness is now kept by its one writer.
CREATE TABLE marts.model_names_009 (
    model_id VARCHAR NOT NULL,
    pattern VARCHAR NOT NULL,
    segments STRUCT("text" VARCHAR, "type" VARCHAR)[] NOT NULL,
    "version" VARCHAR,
    version_kind VARCHAR,
    version_major INTEGER,
    version_minor INTEGER,
    size_params DOUBLE,
    problems VARCHAR[] NOT NULL
);
INSERT INTO marts.model_names_009 SELECT * FROM marts.model_names;
DROP TABLE marts.model_names;
ALTER TABLE marts.model_names_009 RENAME TO model_names;
COMMENT ON TABLE marts.model_names IS 'Repo names split into typed segments (analysis/naming.py; the 13 types of Ajibode et al. 2025), one row per current model.';
COMMENT ON COLUMN marts.model_names.model_id IS 'Repo id; only the part after the slash is segmented.';
COMMENT ON COLUMN marts.model_names.pattern IS 'Naming practice: the ordered segment types, e.g. {identifier}{size}{version}.';
COMMENT ON COLUMN marts.model_names.segments IS 'The segments in order: text and type (identifier, base-model, size, training-mechanism, description, variant-type, version, task, dataset, language, creation-date, nationality, ambiguous).';
COMMENT ON COLUMN marts.model_names."version" IS 'Version carried by the name (first v-version, else a bare one, else a date stamp).';
COMMENT ON COLUMN marts.model_names.version_kind IS 'vN, vN.M, vN.M.K, date, or NULL when the name has no version.';
COMMENT ON COLUMN marts.model_names.version_major IS 'Major number of a vN[.M[.K]] version.';
COMMENT ON COLUMN marts.model_names.version_minor IS 'Minor number (0 when absent) of a vN[.M[.K]] version.';
COMMENT ON COLUMN marts.model_names.size_params IS 'Parameter count stated in the name (7B -> 7e9, 8x7B -> 5.6e10).';
COMMENT ON COLUMN marts.model_names.problems IS 'Odd input found while parsing (too_long, control_chars, non_ascii, ...).';

-- marts.lineage_edges: was PRIMARY KEY (child_id, parent_id); uniqueness is now kept by its one writer.
CREATE TABLE marts.lineage_edges_009 (
    child_id VARCHAR NOT NULL,
    parent_id VARCHAR NOT NULL,
    relation VARCHAR NOT NULL,
    relation_source VARCHAR NOT NULL,
    declared_in VARCHAR[] NOT NULL,
    parent_known BOOLEAN NOT NULL,
    is_primary BOOLEAN NOT NULL,
    cycle_broken BOOLEAN NOT NULL
);
INSERT INTO marts.lineage_edges_009 SELECT * FROM marts.lineage_edges;
DROP TABLE marts.lineage_edges;
ALTER TABLE marts.lineage_edges_009 RENAME TO lineage_edges;
COMMENT ON TABLE marts.lineage_edges IS 'Declared lineage: one row per current model per base model it declares (card base_model, base_model tags, API baseModels), with the relation and where it came from.';
COMMENT ON COLUMN marts.lineage_edges.child_id IS 'Repo id of the derived model.';
COMMENT ON COLUMN marts.lineage_edges.parent_id IS 'Repo id of the base model, as declared (rewritten to the snapshot spelling when it differs only in case).';
COMMENT ON COLUMN marts.lineage_edges.relation IS 'adapter, merge, quantized or finetune.';
COMMENT ON COLUMN marts.lineage_edges.relation_source IS 'declared (card base_model_relation), tag (base_model:<relation>:<id>), api (baseModels) or inferred:<signal> (e.g. inferred:tag_gguf, inferred:library_peft, inferred:default = no signal, so finetune).';
COMMENT ON COLUMN marts.lineage_edges.declared_in IS 'Where the parent is named: card, tag and/or api.';
COMMENT ON COLUMN marts.lineage_edges.parent_known IS 'Whether the parent is a current model of the snapshot; an unknown parent becomes the root of its family.';
COMMENT ON COLUMN marts.lineage_edges.is_primary IS 'Whether this is the edge that places the child in its family tree (one per child: a known parent first, then the smallest id).';
COMMENT ON COLUMN marts.lineage_edges.cycle_broken IS 'True for an edge dropped to break a cycle of declarations (it leaves the lexicographically smallest model of the cycle); it takes no part in families.';

-- marts.lineage_nodes: was PRIMARY KEY (model_id); uniqueness is now kept by its one writer.
CREATE TABLE marts.lineage_nodes_009 (
    model_id VARCHAR NOT NULL,
    in_snapshot BOOLEAN NOT NULL,
    parent_count INTEGER NOT NULL,
    primary_parent_id VARCHAR,
    family_id VARCHAR NOT NULL,
    depth INTEGER NOT NULL,
    children INTEGER NOT NULL
);
INSERT INTO marts.lineage_nodes_009 SELECT * FROM marts.lineage_nodes;
DROP TABLE marts.lineage_nodes;
ALTER TABLE marts.lineage_nodes_009 RENAME TO lineage_nodes;
COMMENT ON TABLE marts.lineage_nodes IS 'Family membership of every model in the lineage graph: its family (root), its depth below the root and its primary parent.';
COMMENT ON COLUMN marts.lineage_nodes.model_id IS 'Repo id.';
COMMENT ON COLUMN marts.lineage_nodes.in_snapshot IS 'False for a parent that is declared but not a current model.';
COMMENT ON COLUMN marts.lineage_nodes.parent_count IS 'Parents declared (edges kept after cycle breaking); above 1 for merges.';
COMMENT ON COLUMN marts.lineage_nodes.primary_parent_id IS 'The parent that places the model in its family tree; NULL for a root.';
COMMENT ON COLUMN marts.lineage_nodes.family_id IS 'Repo id of the family root (a model with no parent, or a parent not in the snapshot).';
COMMENT ON COLUMN marts.lineage_nodes.depth IS 'Steps from the family root along primary parents (root = 0).';
COMMENT ON COLUMN marts.lineage_nodes.children IS 'Models whose primary parent this is.';

-- marts.lineage_families: was PRIMARY KEY (family_id); uniqueness is now kept by its one writer.
CREATE TABLE marts.lineage_families_009 (
    family_id VARCHAR NOT NULL,
    root_in_snapshot BOOLEAN NOT NULL,
    size BIGINT NOT NULL,
    models_in_snapshot BIGINT NOT NULL,
    depth INTEGER NOT NULL,
    max_fan_out INTEGER NOT NULL,
    mean_fan_out DOUBLE NOT NULL,
    adapters BIGINT NOT NULL,
    merges BIGINT NOT NULL,
    quantized BIGINT NOT NULL,
    finetunes BIGINT NOT NULL,
    inferred_relations BIGINT NOT NULL
);
INSERT INTO marts.lineage_families_009 SELECT * FROM marts.lineage_families;
DROP TABLE marts.lineage_families;
ALTER TABLE marts.lineage_families_009 RENAME TO lineage_families;
COMMENT ON TABLE marts.lineage_families IS 'Model families: one row per tree of primary lineage edges, named by its root, with size, depth, fan-out and relation mix.';
COMMENT ON COLUMN marts.lineage_families.family_id IS 'Repo id of the root.';
COMMENT ON COLUMN marts.lineage_families.root_in_snapshot IS 'False when the root is a declared parent that is not a current model.';
COMMENT ON COLUMN marts.lineage_families.size IS 'Models in the family, root included.';
COMMENT ON COLUMN marts.lineage_families.models_in_snapshot IS 'Of those, current models of the snapshot.';
COMMENT ON COLUMN marts.lineage_families.depth IS 'Largest distance from the root.';
COMMENT ON COLUMN marts.lineage_families.max_fan_out IS 'Most children of one model of the family.';
COMMENT ON COLUMN marts.lineage_families.mean_fan_out IS 'Mean children per model that has children (leaves excluded).';
COMMENT ON COLUMN marts.lineage_families.adapters IS 'Edges of relation adapter whose child is in the family (every declared parent counts, not only primary ones).';
COMMENT ON COLUMN marts.lineage_families.merges IS 'Edges of relation merge whose child is in the family.';
COMMENT ON COLUMN marts.lineage_families.quantized IS 'Edges of relation quantized whose child is in the family.';
COMMENT ON COLUMN marts.lineage_families.finetunes IS 'Edges of relation finetune whose child is in the family.';
COMMENT ON COLUMN marts.lineage_families.inferred_relations IS 'Of those edges, how many had their relation inferred rather than declared.';

-- marts.lineage_suggestions: was PRIMARY KEY (model_id, suggested_parent_id); uniqueness is now kept by its one writer.
CREATE TABLE marts.lineage_suggestions_009 (
    model_id VARCHAR NOT NULL,
    suggested_parent_id VARCHAR NOT NULL,
    "matched" VARCHAR NOT NULL,
    candidates INTEGER NOT NULL,
    confidence DOUBLE NOT NULL
);
INSERT INTO marts.lineage_suggestions_009 SELECT * FROM marts.lineage_suggestions;
DROP TABLE marts.lineage_suggestions;
ALTER TABLE marts.lineage_suggestions_009 RENAME TO lineage_suggestions;
COMMENT ON TABLE marts.lineage_suggestions IS 'Undeclared parents guessed from names: a model that declares no base model but whose name contains the name of a family root (e.g. ...Llama-3-8B... -> meta-llama/Meta-Llama-3-8B).';
COMMENT ON COLUMN marts.lineage_suggestions.model_id IS 'Repo id of the model without a declared parent.';
COMMENT ON COLUMN marts.lineage_suggestions.suggested_parent_id IS 'Repo id of the family root whose name matched.';
COMMENT ON COLUMN marts.lineage_suggestions."matched" IS 'The name tokens that matched, lower case, joined by -.';
COMMENT ON COLUMN marts.lineage_suggestions.candidates IS 'Roots sharing that match (the confidence is split among them).';
COMMENT ON COLUMN marts.lineage_suggestions.confidence IS '0..1: grows with the tokens matched and a size token (8b, 70m), halved for an identical name, divided by candidates.';

-- marts.card_documentation: was PRIMARY KEY (model_id); uniqueness is now kept by its one writer.
CREATE TABLE marts.card_documentation_009 (
    model_id VARCHAR NOT NULL,
    sha VARCHAR NOT NULL,
    has_card BOOLEAN NOT NULL,
    kind VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    section_score DOUBLE NOT NULL,
    metadata_score DOUBLE NOT NULL,
    sections_present VARCHAR[] NOT NULL,
    sections_filled VARCHAR[] NOT NULL,
    metadata_present VARCHAR[] NOT NULL,
    n_headings INTEGER NOT NULL,
    body_chars BIGINT NOT NULL,
    has_front_matter BOOLEAN NOT NULL,
    metadata_loaded BOOLEAN NOT NULL,
    issues VARCHAR[] NOT NULL,
    has_error BOOLEAN NOT NULL,
    fine_tuned_from VARCHAR,
    fine_tuned_on VARCHAR
);
INSERT INTO marts.card_documentation_009 SELECT * FROM marts.card_documentation;
DROP TABLE marts.card_documentation;
ALTER TABLE marts.card_documentation_009 RENAME TO card_documentation;
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

-- marts.lineage_declared_edges ------------------------------------------------------------------
-- Grain: one row per (current model that may declare a parent, parent it declares), as its own
-- card and tags say (before case-folding, deduplication and cycle breaking). Kept incrementally
-- (analysis lineage_declared in marts.analysed): a model is parsed again only when its state
-- changes. Checks: (model_id, parent_id) unique (extract_edges merges a parent named twice).
CREATE TABLE marts.lineage_declared_edges (
    model_id        VARCHAR NOT NULL,
    parent_id       VARCHAR NOT NULL,
    relation        VARCHAR NOT NULL,
    relation_source VARCHAR NOT NULL,
    declared_in     VARCHAR[] NOT NULL
);
COMMENT ON TABLE marts.lineage_declared_edges IS 'Working table of the lineage analysis: the parents each current model declares on its own (card base_model, base_model tags), extracted once per model state; lineage_edges is built from it.';
COMMENT ON COLUMN marts.lineage_declared_edges.model_id IS 'Repo id of the declaring (child) model.';
COMMENT ON COLUMN marts.lineage_declared_edges.parent_id IS 'Declared parent, cleaned (URL prefix and blanks removed) but as spelled.';
COMMENT ON COLUMN marts.lineage_declared_edges.relation IS 'adapter, merge, quantized or finetune (declared, from a tag, or inferred).';
COMMENT ON COLUMN marts.lineage_declared_edges.relation_source IS 'declared, tag, api or inferred:<signal>.';
COMMENT ON COLUMN marts.lineage_declared_edges.declared_in IS 'Where the parent is named: card, tag and/or api.';

-- marts.lineage_declared_problems ---------------------------------------------------------------
-- Grain: one row per problem found in one current model's own lineage declarations. Kept with
-- marts.lineage_declared_edges. Checks: none unique.
CREATE TABLE marts.lineage_declared_problems (
    model_id  VARCHAR NOT NULL,
    code      VARCHAR NOT NULL,
    parent_id VARCHAR,
    detail    VARCHAR
);
COMMENT ON TABLE marts.lineage_declared_problems IS 'Working table of the lineage analysis: problems in each current model''s own declarations (malformed base_model, self reference, ...), extracted once per model state; lineage_problems is built from it.';
COMMENT ON COLUMN marts.lineage_declared_problems.model_id IS 'Repo id of the declaring model.';
COMMENT ON COLUMN marts.lineage_declared_problems.code IS 'Problem code (see analysis/lineage.py).';
COMMENT ON COLUMN marts.lineage_declared_problems.parent_id IS 'The parent concerned, when there is one.';
COMMENT ON COLUMN marts.lineage_declared_problems.detail IS 'What was found (an excerpt of the value).';
