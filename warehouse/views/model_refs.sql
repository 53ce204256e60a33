-- model_refs: branches, tags and convert refs of followed repos.
-- Grain: one row per model per ref, as of the model's latest history fetch.
-- Reads: core.commits, core.refs.
CREATE OR REPLACE VIEW model_refs AS
SELECT r.model_id, r.kind, r.name, r.ref, r.target_commit, c.date AS target_date, r.fetched_at
FROM core.refs r LEFT JOIN core.commits c ON c.model_id = r.model_id AND c.commit_id = r.target_commit;
COMMENT ON VIEW model_refs IS 'One row per model per branch, tag or convert ref, as of the model''s latest history fetch.';
COMMENT ON COLUMN model_refs.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN model_refs.kind IS 'branch, tag or convert.';
COMMENT ON COLUMN model_refs.name IS 'Ref name.';
COMMENT ON COLUMN model_refs.ref IS 'Full ref name.';
COMMENT ON COLUMN model_refs.target_commit IS 'Commit the ref points at.';
COMMENT ON COLUMN model_refs.target_date IS 'Date of that commit, when it is in the fetched log.';
COMMENT ON COLUMN model_refs.fetched_at IS 'When the refs were read.';
