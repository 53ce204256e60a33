-- Lineage marts: parent edges (card base_model, base_model tags, inferred relations), family trees,
-- name-based parent suggestions and the problems met on the way. Rebuilt whole by each analysis run
-- (analysis/lineage_marts.py): lineage is a property of the whole graph, not of one model.
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

-- User views ------------------------------------------------------------------------------------
CREATE VIEW lineage_edges AS
SELECT e.child_id, e.parent_id, e.relation, e.relation_source, e.relation_source LIKE 'inferred:%' AS relation_inferred,
       e.declared_in, e.parent_known, e.is_primary, e.cycle_broken, m.created_at AS child_created_at
FROM marts.lineage_edges e LEFT JOIN models m ON m.model_id = e.child_id;
COMMENT ON VIEW lineage_edges IS 'One row per current model per base model it declares: relation, where the relation came from, whether the parent is known.';
COMMENT ON COLUMN lineage_edges.child_id IS 'Derived model.';
COMMENT ON COLUMN lineage_edges.parent_id IS 'Base model.';
COMMENT ON COLUMN lineage_edges.relation IS 'adapter, merge, quantized or finetune.';
COMMENT ON COLUMN lineage_edges.relation_source IS 'declared, tag, api or inferred:<signal>.';
COMMENT ON COLUMN lineage_edges.relation_inferred IS 'True when nobody declared the relation.';
COMMENT ON COLUMN lineage_edges.declared_in IS 'Where the parent is named: card, tag, api.';
COMMENT ON COLUMN lineage_edges.parent_known IS 'Whether the parent is a current model.';
COMMENT ON COLUMN lineage_edges.is_primary IS 'Whether the edge places the child in its family tree.';
COMMENT ON COLUMN lineage_edges.cycle_broken IS 'True when the edge was dropped to break a declaration cycle.';
COMMENT ON COLUMN lineage_edges.child_created_at IS 'Creation time of the derived model as the Hub reports it.';

CREATE VIEW lineage_nodes AS
SELECT model_id, in_snapshot, family_id, depth, parent_count, primary_parent_id, children FROM marts.lineage_nodes;
COMMENT ON VIEW lineage_nodes IS 'One row per model in the lineage graph (models without any base model or derivative are absent): its family and depth.';
COMMENT ON COLUMN lineage_nodes.model_id IS 'Repo id.';
COMMENT ON COLUMN lineage_nodes.in_snapshot IS 'False for a declared parent that is not a current model.';
COMMENT ON COLUMN lineage_nodes.family_id IS 'Root of the family.';
COMMENT ON COLUMN lineage_nodes.depth IS 'Distance from the root (root = 0).';
COMMENT ON COLUMN lineage_nodes.parent_count IS 'Declared parents.';
COMMENT ON COLUMN lineage_nodes.primary_parent_id IS 'Parent in the family tree; NULL for the root.';
COMMENT ON COLUMN lineage_nodes.children IS 'Models below this one in the family tree.';

CREATE VIEW families AS
SELECT family_id, root_in_snapshot, size, models_in_snapshot, depth, max_fan_out, mean_fan_out,
       adapters, merges, quantized, finetunes, inferred_relations FROM marts.lineage_families;
COMMENT ON VIEW families IS 'One row per model family of two or more models (tree of primary lineage edges from one root): size, depth, fan-out, relation mix.';
COMMENT ON COLUMN families.family_id IS 'Repo id of the root.';
COMMENT ON COLUMN families.root_in_snapshot IS 'Whether the root is a current model.';
COMMENT ON COLUMN families.size IS 'Models in the family.';
COMMENT ON COLUMN families.models_in_snapshot IS 'Current models in the family.';
COMMENT ON COLUMN families.depth IS 'Largest distance from the root.';
COMMENT ON COLUMN families.max_fan_out IS 'Most children of one model.';
COMMENT ON COLUMN families.mean_fan_out IS 'Mean children per model with children.';
COMMENT ON COLUMN families.adapters IS 'adapter edges into family members.';
COMMENT ON COLUMN families.merges IS 'merge edges into family members.';
COMMENT ON COLUMN families.quantized IS 'quantized edges into family members.';
COMMENT ON COLUMN families.finetunes IS 'finetune edges into family members.';
COMMENT ON COLUMN families.inferred_relations IS 'Edges whose relation was inferred.';

CREATE VIEW derivatives_by_month AS
WITH d AS (
    SELECT e.parent_id AS base_model_id, date_trunc('month', m.created_at)::DATE AS month, e.relation
    FROM marts.lineage_edges e JOIN models m ON m.model_id = e.child_id
    WHERE NOT e.cycle_broken AND m.created_at_known
), per AS (
    SELECT base_model_id, month, relation, count(*) AS n FROM d GROUP BY ALL
    UNION ALL
    SELECT base_model_id, month, 'all', count(*) FROM d GROUP BY ALL
)
SELECT base_model_id, month, relation, n AS new_derivatives,
       sum(n) OVER (PARTITION BY base_model_id, relation ORDER BY month)::BIGINT AS cumulative
FROM per;
COMMENT ON VIEW derivatives_by_month IS 'Adoption of base models: one row per base model per relation (plus relation = all) per creation month of its direct derivatives in which at least one was created; children with an unknown or placeholder createdAt are left out. The forecaster''s input.';
COMMENT ON COLUMN derivatives_by_month.base_model_id IS 'Repo id of the base model (declared parent; may be absent from the snapshot).';
COMMENT ON COLUMN derivatives_by_month.month IS 'Creation month of the derivatives (first day).';
COMMENT ON COLUMN derivatives_by_month.relation IS 'adapter, merge, quantized, finetune, or all (every relation together; do not add it to the others).';
COMMENT ON COLUMN derivatives_by_month.new_derivatives IS 'Direct derivatives created that month.';
COMMENT ON COLUMN derivatives_by_month.cumulative IS 'Direct derivatives created up to and including that month.';

CREATE VIEW lineage_suggestions AS
SELECT model_id, suggested_parent_id, matched, candidates, confidence FROM marts.lineage_suggestions;
COMMENT ON VIEW lineage_suggestions IS 'One row per model without a declared base model per family root its name suggests, with a 0..1 confidence (guesses, not declarations).';
COMMENT ON COLUMN lineage_suggestions.model_id IS 'Model without a declared parent.';
COMMENT ON COLUMN lineage_suggestions.suggested_parent_id IS 'Family root whose name occurs in the model name.';
COMMENT ON COLUMN lineage_suggestions.matched IS 'Matched name tokens.';
COMMENT ON COLUMN lineage_suggestions.candidates IS 'Roots sharing that match.';
COMMENT ON COLUMN lineage_suggestions.confidence IS 'Confidence in [0, 1].';

CREATE VIEW lineage_problems AS
SELECT model_id, code, parent_id, detail FROM marts.lineage_problems;
COMMENT ON VIEW lineage_problems IS 'One row per lineage declaration problem (self reference, broken cycle, malformed id, unknown or conflicting relation).';
COMMENT ON COLUMN lineage_problems.model_id IS 'Model making the declaration.';
COMMENT ON COLUMN lineage_problems.code IS 'Stable problem code.';
COMMENT ON COLUMN lineage_problems.parent_id IS 'Parent concerned, if any.';
COMMENT ON COLUMN lineage_problems.detail IS 'What was found, shortened.';
