-- 015: release steps within lineage families, classified from the names (analysis/naming/releases.py).
-- Grain: one row per current model with a vN[.M[.K]] version in a lineage family and a known creation date.
CREATE TABLE marts.release_steps (
    family_id         VARCHAR NOT NULL,
    model_id          VARCHAR NOT NULL,
    previous_model_id VARCHAR,
    version           VARCHAR NOT NULL,
    release_kind      VARCHAR,
    step              VARCHAR NOT NULL
);
COMMENT ON COLUMN marts.release_steps.family_id IS 'Lineage family (root model).';
COMMENT ON COLUMN marts.release_steps.model_id IS 'Repo id of the release.';
COMMENT ON COLUMN marts.release_steps.previous_model_id IS 'The family''s previous versioned release; NULL for the first.';
COMMENT ON TABLE marts.release_steps IS 'Versioned releases of each lineage family in creation order, with the kind of release the name announces and how it moves the previous release''s version (analysis/naming/releases.py); rebuilt whole by the naming analysis.';
COMMENT ON COLUMN marts.release_steps.version IS 'Version the name announces (its last vN[.M[.K]]).';
COMMENT ON COLUMN marts.release_steps.release_kind IS 'Ajibode et al.''s reading of the version form: major (vN), minor (vN.M) or patch (vN.M.K).';
COMMENT ON COLUMN marts.release_steps.step IS 'first, major, minor, patch, same or backwards against the previous release''s version.';
