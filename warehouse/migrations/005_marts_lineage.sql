-- Lineage marts: parent edges (card base_model, base_model tags, inferred relations), family trees,
-- name-based parent suggestions and the problems met on the way. Rebuilt whole by each analysis run
-- (analysis/lineage/marts.py): lineage is a property of the whole graph, not of one model.
CREATE SCHEMA IF NOT EXISTS marts;

-- marts.lineage_edges ---------------------------------------------------------------------------
-- Grain: one row per (child model, declared parent) of a current model. Checks: (child_id, parent_id)
-- unique; child_id <> parent_id; relation in (adapter, merge, quantized, finetune); at most one
-- is_primary row per child; cycle_broken rows are never primary.
CREATE TABLE marts.lineage_edges (
    child_id        VARCHAR NOT NULL,
    parent_id       VARCHAR NOT NULL,
    relation        VARCHAR NOT NULL,
    relation_source VARCHAR NOT NULL,
    declared_in     VARCHAR[] NOT NULL,
    parent_known    BOOLEAN NOT NULL,
    is_primary      BOOLEAN NOT NULL,
    cycle_broken    BOOLEAN NOT NULL,
    PRIMARY KEY (child_id, parent_id)
);
COMMENT ON TABLE marts.lineage_edges IS 'Declared lineage: one row per current model per base model it declares (card base_model, base_model tags, API baseModels), with the relation and where it came from.';
COMMENT ON COLUMN marts.lineage_edges.child_id IS 'Repo id of the derived model.';
COMMENT ON COLUMN marts.lineage_edges.parent_id IS 'Repo id of the base model, as declared (rewritten to the snapshot spelling when it differs only in case).';
COMMENT ON COLUMN marts.lineage_edges.relation IS 'adapter, merge, quantized or finetune.';
COMMENT ON COLUMN marts.lineage_edges.relation_source IS 'declared (card base_model_relation), tag (base_model:<relation>:<id>), api (baseModels) or inferred:<signal> (e.g. inferred:tag_gguf, inferred:library_peft, inferred:default = no signal, so finetune).';
COMMENT ON COLUMN marts.lineage_edges.declared_in IS 'Where the parent is named: card, tag and/or api.';
COMMENT ON COLUMN marts.lineage_edges.parent_known IS 'Whether the parent is a current model of the snapshot; an unknown parent becomes the root of its family.';
COMMENT ON COLUMN marts.lineage_edges.is_primary IS 'Whether this is the edge that places the child in its family tree (one per child: a known parent first, then the smallest id).';
COMMENT ON COLUMN marts.lineage_edges.cycle_broken IS 'True for an edge dropped to break a cycle of declarations (it leaves the lexicographically smallest model of the cycle); it takes no part in families.';

-- marts.lineage_nodes ---------------------------------------------------------------------------
-- Grain: one row per model that is a child or a parent of at least one edge (current models and
-- parents that are not in the snapshot); models without any lineage are absent (each is its own
-- one-model family). Checks: model_id unique; depth = 0 exactly when primary_parent_id IS NULL;
-- family_id is a node with depth 0.
CREATE TABLE marts.lineage_nodes (
    model_id          VARCHAR NOT NULL PRIMARY KEY,
    in_snapshot       BOOLEAN NOT NULL,
    parent_count      INTEGER NOT NULL,
    primary_parent_id VARCHAR,
    family_id         VARCHAR NOT NULL,
    depth             INTEGER NOT NULL,
    children          INTEGER NOT NULL
);
COMMENT ON TABLE marts.lineage_nodes IS 'Family membership of every model in the lineage graph: its family (root), its depth below the root and its primary parent.';
COMMENT ON COLUMN marts.lineage_nodes.model_id IS 'Repo id.';
COMMENT ON COLUMN marts.lineage_nodes.in_snapshot IS 'False for a parent that is declared but not a current model.';
COMMENT ON COLUMN marts.lineage_nodes.parent_count IS 'Parents declared (edges kept after cycle breaking); above 1 for merges.';
COMMENT ON COLUMN marts.lineage_nodes.primary_parent_id IS 'The parent that places the model in its family tree; NULL for a root.';
COMMENT ON COLUMN marts.lineage_nodes.family_id IS 'Repo id of the family root (a model with no parent, or a parent not in the snapshot).';
COMMENT ON COLUMN marts.lineage_nodes.depth IS 'Steps from the family root along primary parents (root = 0).';
COMMENT ON COLUMN marts.lineage_nodes.children IS 'Models whose primary parent this is.';

-- marts.lineage_families ------------------------------------------------------------------------
-- Grain: one row per family with at least two models (a tree of primary edges from one root).
-- Checks: family_id unique; size = count of lineage_nodes with that family_id; size = edges + 1.
CREATE TABLE marts.lineage_families (
    family_id          VARCHAR NOT NULL PRIMARY KEY,
    root_in_snapshot   BOOLEAN NOT NULL,
    size               BIGINT NOT NULL,
    models_in_snapshot BIGINT NOT NULL,
    depth              INTEGER NOT NULL,
    max_fan_out        INTEGER NOT NULL,
    mean_fan_out       DOUBLE NOT NULL,
    adapters           BIGINT NOT NULL,
    merges             BIGINT NOT NULL,
    quantized          BIGINT NOT NULL,
    finetunes          BIGINT NOT NULL,
    inferred_relations BIGINT NOT NULL
);
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

-- marts.lineage_suggestions ---------------------------------------------------------------------
-- Grain: one row per current model without a declared parent per suggested parent (a family root
-- whose name occurs in the model's name). Kept apart from declared edges. Checks: (model_id,
-- suggested_parent_id) unique; 0 <= confidence <= 1; model_id has no row in lineage_edges as child.
CREATE TABLE marts.lineage_suggestions (
    model_id            VARCHAR NOT NULL,
    suggested_parent_id VARCHAR NOT NULL,
    matched             VARCHAR NOT NULL,
    candidates          INTEGER NOT NULL,
    confidence          DOUBLE NOT NULL,
    PRIMARY KEY (model_id, suggested_parent_id)
);
COMMENT ON TABLE marts.lineage_suggestions IS 'Undeclared parents guessed from names: a model that declares no base model but whose name contains the name of a family root (e.g. ...Llama-3-8B... -> meta-llama/Meta-Llama-3-8B).';
COMMENT ON COLUMN marts.lineage_suggestions.model_id IS 'Repo id of the model without a declared parent.';
COMMENT ON COLUMN marts.lineage_suggestions.suggested_parent_id IS 'Repo id of the family root whose name matched.';
COMMENT ON COLUMN marts.lineage_suggestions.matched IS 'The name tokens that matched, lower case, joined by -.';
COMMENT ON COLUMN marts.lineage_suggestions.candidates IS 'Roots sharing that match (the confidence is split among them).';
COMMENT ON COLUMN marts.lineage_suggestions.confidence IS '0..1: grows with the tokens matched and a size token (8b, 70m), halved for an identical name, divided by candidates.';

-- marts.lineage_problems ------------------------------------------------------------------------
-- Grain: one row per lineage problem met while reading a current model's declarations or building
-- families. Checks: none unique.
CREATE TABLE marts.lineage_problems (
    model_id  VARCHAR NOT NULL,
    code      VARCHAR NOT NULL,
    parent_id VARCHAR,
    detail    VARCHAR
);
COMMENT ON TABLE marts.lineage_problems IS 'Lineage declarations that could not be taken as they are: self references, cycles broken, junk or malformed base_model values, unknown or conflicting relations.';
COMMENT ON COLUMN marts.lineage_problems.model_id IS 'Repo id of the model making the declaration.';
COMMENT ON COLUMN marts.lineage_problems.code IS 'self_reference, cycle_broken, not_a_string, empty_parent, url_not_id, parent_id_too_long, parent_id_malformed, unknown_relation, relation_conflict, card_data_unreadable, card_data_not_a_mapping.';
COMMENT ON COLUMN marts.lineage_problems.parent_id IS 'The parent concerned, when there is one.';
COMMENT ON COLUMN marts.lineage_problems.detail IS 'What was found, shortened.';
