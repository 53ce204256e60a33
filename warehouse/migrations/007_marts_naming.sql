-- Naming and versioning practice: parsed repo names, naming patterns, versions in names, and
-- whether weight changes come with a card change.

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

CREATE VIEW model_names AS
SELECT n.model_id, n.pattern, n.segments, n.version, n.version_kind, n.size_params, n.problems,
       m.created_at, m.created_at_known, l.family_id
FROM marts.model_names n JOIN models m USING (model_id) LEFT JOIN marts.lineage_nodes l USING (model_id);
COMMENT ON VIEW model_names IS 'One row per current model: its parsed name, naming pattern and version, with its creation time and lineage family.';
COMMENT ON COLUMN model_names.model_id IS 'Repo id.';
COMMENT ON COLUMN model_names.pattern IS 'Naming practice (ordered segment types).';
COMMENT ON COLUMN model_names.segments IS 'Typed segments.';
COMMENT ON COLUMN model_names.version IS 'Version in the name.';
COMMENT ON COLUMN model_names.version_kind IS 'vN, vN.M, vN.M.K, date or NULL.';
COMMENT ON COLUMN model_names.size_params IS 'Parameter count from the name.';
COMMENT ON COLUMN model_names.problems IS 'Parse problems.';
COMMENT ON COLUMN model_names.created_at IS 'Repo creation time as reported.';
COMMENT ON COLUMN model_names.created_at_known IS 'False for missing or placeholder creation dates.';
COMMENT ON COLUMN model_names.family_id IS 'Lineage family (root model), NULL outside any family.';

CREATE VIEW naming_practices AS
SELECT pattern, count(*) AS models, round(count(*) / sum(count(*)) OVER (), 4) AS share, min(model_id) AS example
FROM marts.model_names GROUP BY pattern;
COMMENT ON VIEW naming_practices IS 'Naming practices overall: one row per naming pattern with how many current models follow it.';
COMMENT ON COLUMN naming_practices.pattern IS 'Ordered segment types.';
COMMENT ON COLUMN naming_practices.models IS 'Models named this way.';
COMMENT ON COLUMN naming_practices.share IS 'Share of all current models.';
COMMENT ON COLUMN naming_practices.example IS 'One model named this way.';

CREATE VIEW naming_practices_by_family AS
SELECT family_id, pattern, count(*) AS models
FROM model_names WHERE family_id IS NOT NULL GROUP BY ALL;
COMMENT ON VIEW naming_practices_by_family IS 'Naming practices per lineage family: one row per family per pattern.';
COMMENT ON COLUMN naming_practices_by_family.family_id IS 'Lineage family (root model).';
COMMENT ON COLUMN naming_practices_by_family.pattern IS 'Ordered segment types.';
COMMENT ON COLUMN naming_practices_by_family.models IS 'Models of the family named this way.';

CREATE VIEW naming_practices_by_month AS
SELECT date_trunc('month', created_at)::DATE AS month, pattern, count(*) AS models
FROM model_names WHERE created_at_known GROUP BY ALL;
COMMENT ON VIEW naming_practices_by_month IS 'Naming practices over time: one row per creation month per pattern (known dates only).';
COMMENT ON COLUMN naming_practices_by_month.month IS 'Creation month.';
COMMENT ON COLUMN naming_practices_by_month.pattern IS 'Ordered segment types.';
COMMENT ON COLUMN naming_practices_by_month.models IS 'Models created that month named this way.';

CREATE VIEW segment_type_shares AS
SELECT s.type AS segment_type, count(*) AS segments, round(count(*) / sum(count(*)) OVER (), 4) AS share
FROM (SELECT unnest(segments) AS s FROM marts.model_names) GROUP BY ALL;
COMMENT ON VIEW segment_type_shares IS 'Share of each segment type among all name segments of current models (as reported by Ajibode et al. 2025).';
COMMENT ON COLUMN segment_type_shares.segment_type IS 'Segment type.';
COMMENT ON COLUMN segment_type_shares.segments IS 'Segments of that type.';
COMMENT ON COLUMN segment_type_shares.share IS 'Share of all segments.';

-- Versioning practice: a weight modification (same path, other LFS oid) in a commit that does not
-- also change README.md is an undocumented weight change; the repo name cannot change in place,
-- so within a repo the card is the only place a new version can be announced.
CREATE VIEW versioning_practice AS
WITH weight_commits AS (
    SELECT model_id, commit_id, min(date) AS date FROM weight_changes WHERE change = 'modified' GROUP BY ALL),
per_repo AS (
    SELECT w.model_id, count(*) AS weight_change_commits,
           count(*) FILTER (WHERE c.commit_id IS NOT NULL) AS with_card_change
    FROM weight_commits w
    LEFT JOIN (SELECT DISTINCT model_id, commit_id FROM card_changes) c USING (model_id, commit_id)
    GROUP BY w.model_id)
SELECT n.model_id, n.version IS NOT NULL AS name_has_version, n.version_kind,
       coalesce(p.weight_change_commits, 0) AS weight_change_commits,
       coalesce(p.with_card_change, 0) AS with_card_change,
       coalesce(p.weight_change_commits, 0) - coalesce(p.with_card_change, 0) AS without_card_change
FROM marts.model_names n JOIN (SELECT DISTINCT model_id FROM commits) h USING (model_id)
LEFT JOIN per_repo p USING (model_id);
COMMENT ON VIEW versioning_practice IS 'Per repo with fetched history: whether its name carries a version, and how many of its weight modifications came with a card (README.md) change in the same commit.';
COMMENT ON COLUMN versioning_practice.model_id IS 'Repo id.';
COMMENT ON COLUMN versioning_practice.name_has_version IS 'The repo name carries a version.';
COMMENT ON COLUMN versioning_practice.version_kind IS 'vN, vN.M, vN.M.K, date or NULL.';
COMMENT ON COLUMN versioning_practice.weight_change_commits IS 'Commits that modified a weight file (other LFS oid at the same path).';
COMMENT ON COLUMN versioning_practice.with_card_change IS 'Of those, commits that also changed README.md.';
COMMENT ON COLUMN versioning_practice.without_card_change IS 'Of those, commits that changed weights silently.';

CREATE VIEW versioning_summary AS
SELECT count(*) AS repos_with_history,
       count(*) FILTER (WHERE name_has_version) AS repos_with_version_in_name,
       count(*) FILTER (WHERE weight_change_commits > 0) AS repos_with_weight_changes,
       sum(weight_change_commits) AS weight_change_commits,
       sum(without_card_change) AS without_card_change,
       round(sum(without_card_change) / nullif(sum(weight_change_commits), 0), 4) AS share_without_card_change
FROM versioning_practice;
COMMENT ON VIEW versioning_summary IS 'Versioning practice in one row: share of weight modifications that came without a card change (Ajibode et al. 2025 report 40.87% without a new version or card change).';
COMMENT ON COLUMN versioning_summary.repos_with_history IS 'Repos whose history was fetched.';
COMMENT ON COLUMN versioning_summary.repos_with_version_in_name IS 'Of those, repos whose name carries a version.';
COMMENT ON COLUMN versioning_summary.repos_with_weight_changes IS 'Repos with at least one weight modification.';
COMMENT ON COLUMN versioning_summary.weight_change_commits IS 'Commits that modified weights.';
COMMENT ON COLUMN versioning_summary.without_card_change IS 'Of those, without a README.md change.';
COMMENT ON COLUMN versioning_summary.share_without_card_change IS 'without_card_change / weight_change_commits.';

CREATE VIEW family_releases AS
WITH versioned AS (
    SELECT family_id, model_id, created_at, version, version_major, version_minor,
           lag(version_major) OVER w AS prev_major, lag(version_minor) OVER w AS prev_minor,
           lag(created_at) OVER w AS prev_created_at
    FROM marts.model_names JOIN models USING (model_id) JOIN marts.lineage_nodes USING (model_id)
    WHERE version_major IS NOT NULL AND created_at_known
    WINDOW w AS (PARTITION BY family_id ORDER BY created_at, model_id))
SELECT family_id, model_id, created_at, version,
       CASE WHEN prev_major IS NULL THEN 'first'
            WHEN version_major > prev_major THEN 'major'
            WHEN version_major = prev_major AND version_minor > prev_minor THEN 'minor'
            WHEN version_major = prev_major AND version_minor = prev_minor THEN 'same'
            ELSE 'backwards' END AS step,
       date_diff('day', prev_created_at, created_at) AS days_since_previous
FROM versioned;
COMMENT ON VIEW family_releases IS 'Versioned releases within each lineage family in creation order (v1 -> v1.1 -> v2): one row per model whose name carries a vN[.M] version; step says whether the version moved forward as semantic versioning would.';
COMMENT ON COLUMN family_releases.family_id IS 'Lineage family (root model).';
COMMENT ON COLUMN family_releases.model_id IS 'Repo id.';
COMMENT ON COLUMN family_releases.created_at IS 'Creation time.';
COMMENT ON COLUMN family_releases.version IS 'Version in the name.';
COMMENT ON COLUMN family_releases.step IS 'first, major, minor, same or backwards relative to the previous versioned release of the family.';
COMMENT ON COLUMN family_releases.days_since_previous IS 'Days since the previous versioned release of the family.';

CREATE VIEW versioning_by_family AS
SELECT l.family_id, count(*) AS repos_with_history,
       count(*) FILTER (WHERE v.name_has_version) AS repos_with_version_in_name,
       sum(v.weight_change_commits) AS weight_change_commits,
       sum(v.without_card_change) AS without_card_change,
       round(sum(v.without_card_change) / nullif(sum(v.weight_change_commits), 0), 4) AS share_without_card_change
FROM versioning_practice v JOIN marts.lineage_nodes l USING (model_id)
GROUP BY l.family_id;
COMMENT ON VIEW versioning_by_family IS 'Versioning practice per lineage family: one row per family with fetched history.';
COMMENT ON COLUMN versioning_by_family.family_id IS 'Lineage family (root model).';
COMMENT ON COLUMN versioning_by_family.repos_with_history IS 'Family repos whose history was fetched.';
COMMENT ON COLUMN versioning_by_family.repos_with_version_in_name IS 'Of those, repos whose name carries a version.';
COMMENT ON COLUMN versioning_by_family.weight_change_commits IS 'Commits that modified weights.';
COMMENT ON COLUMN versioning_by_family.without_card_change IS 'Of those, without a README.md change.';
COMMENT ON COLUMN versioning_by_family.share_without_card_change IS 'without_card_change / weight_change_commits.';
