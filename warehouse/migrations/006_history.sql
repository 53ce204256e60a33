-- Repo histories (versions miner, source `history`): commits, weight/README files per commit, refs,
-- as tables; the weight-change and card-change events derived from consecutive commits are views
-- (warehouse/views/core.file_changes.sql, weight_changes.sql, card_changes.sql).

-- core.commits ----------------------------------------------------------------------------------
-- Grain: one row per model per commit ever seen in its log at a fetched head.
-- Checks: (model_id, commit_id) unique; among rows with removed_run NULL, seq runs 0..n-1 per model.
CREATE TABLE core.commits (
    model_id     VARCHAR NOT NULL,
    commit_id    VARCHAR NOT NULL,
    seq          BIGINT NOT NULL,
    date         TIMESTAMPTZ NOT NULL,
    title        VARCHAR,
    message      VARCHAR,
    authors      VARCHAR[],
    tree_fetched BOOLEAN NOT NULL,
    run_id       VARCHAR NOT NULL,
    removed_run  VARCHAR,
    PRIMARY KEY (model_id, commit_id)
);
COMMENT ON TABLE core.commits IS 'Commits of the repos the versions miner follows, one row per model per commit; commits dropped by a history rewrite are kept, marked by removed_run.';
COMMENT ON COLUMN core.commits.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.commits.commit_id IS 'Git commit id (40 hex).';
COMMENT ON COLUMN core.commits.seq IS 'Position in the log, 0 = oldest commit (the log''s order, not sorted by date).';
COMMENT ON COLUMN core.commits.date IS 'Commit date as the Hub reports it.';
COMMENT ON COLUMN core.commits.title IS 'First line of the commit message.';
COMMENT ON COLUMN core.commits.message IS 'Rest of the commit message.';
COMMENT ON COLUMN core.commits.authors IS 'Hub user names credited with the commit.';
COMMENT ON COLUMN core.commits.tree_fetched IS 'True when the commit''s file tree was walked (its weight/README files are in core.commit_files).';
COMMENT ON COLUMN core.commits.run_id IS 'History run that first landed the commit.';
COMMENT ON COLUMN core.commits.removed_run IS 'History run whose full log no longer held the commit (rewritten history); NULL while it is in the log.';

-- core.commit_files -----------------------------------------------------------------------------
-- Grain: one row per model per commit per weight file or root README.md in that commit's tree.
-- Checks: (model_id, commit_id, path) unique; lfs_size NOT NULL exactly when lfs_oid is.
CREATE TABLE core.commit_files (
    model_id  VARCHAR NOT NULL,
    commit_id VARCHAR NOT NULL,
    path      VARCHAR NOT NULL,
    oid       VARCHAR,
    size      BIGINT,
    lfs_oid   VARCHAR,
    lfs_size  BIGINT,
    run_id    VARCHAR NOT NULL,
    PRIMARY KEY (model_id, commit_id, path)
);
COMMENT ON TABLE core.commit_files IS 'Weight files (.safetensors .bin .pt .pth .ckpt .gguf .onnx .h5 .msgpack .tflite .mlmodel .pb .model) and README.md at each commit whose tree was walked; other files are not kept.';
COMMENT ON COLUMN core.commit_files.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.commit_files.commit_id IS 'Commit whose tree lists the file.';
COMMENT ON COLUMN core.commit_files.path IS 'Path in the repo.';
COMMENT ON COLUMN core.commit_files.oid IS 'Git blob id (for an LFS file: of its pointer).';
COMMENT ON COLUMN core.commit_files.size IS 'File size in bytes.';
COMMENT ON COLUMN core.commit_files.lfs_oid IS 'sha256 of the content of an LFS file; NULL for a file stored in git.';
COMMENT ON COLUMN core.commit_files.lfs_size IS 'Content size of an LFS file; NULL for a file stored in git.';
COMMENT ON COLUMN core.commit_files.run_id IS 'History run that walked the tree.';

-- core.refs -------------------------------------------------------------------------------------
-- Grain: one row per model per ref (branch, tag, convert) as of the model's latest history fetch.
-- Checks: (model_id, kind, name) unique; a model's rows are replaced whenever it is fetched.
CREATE TABLE core.refs (
    model_id      VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    ref           VARCHAR,
    target_commit VARCHAR NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR NOT NULL,
    PRIMARY KEY (model_id, kind, name)
);
COMMENT ON TABLE core.refs IS 'Branches, tags and convert refs of followed repos, as of each repo''s latest history fetch.';
COMMENT ON COLUMN core.refs.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.refs.kind IS 'branch, tag or convert.';
COMMENT ON COLUMN core.refs.name IS 'Ref name, e.g. main or v1.0.';
COMMENT ON COLUMN core.refs.ref IS 'Full ref, e.g. refs/tags/v1.0.';
COMMENT ON COLUMN core.refs.target_commit IS 'Commit the ref points at.';
COMMENT ON COLUMN core.refs.fetched_at IS 'Crawl start time of the run that read the refs.';
COMMENT ON COLUMN core.refs.run_id IS 'History run that read the refs.';

-- core.history_fetches --------------------------------------------------------------------------
-- Grain: one row per model per history run that attempted it. Checks: (model_id, run_id) unique;
-- error is NULL exactly when status is 'ok'.
CREATE TABLE core.history_fetches (
    model_id      VARCHAR NOT NULL,
    sha           VARCHAR,
    status        VARCHAR NOT NULL,
    error         VARCHAR,
    http_status   BIGINT,
    previous_sha  VARCHAR,
    full_listing  BOOLEAN,
    commits_total BIGINT,
    new_commits   BIGINT,
    trees_fetched BIGINT,
    fetched_at    TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR NOT NULL,
    PRIMARY KEY (model_id, run_id)
);
COMMENT ON TABLE core.history_fetches IS 'Every history fetch attempt per repo: what it landed, or the error (the miner retries failed repos next run).';
COMMENT ON COLUMN core.history_fetches.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.history_fetches.sha IS 'Listed head the log was read at.';
COMMENT ON COLUMN core.history_fetches.status IS 'ok or error.';
COMMENT ON COLUMN core.history_fetches.error IS 'Error class and message; NULL when ok.';
COMMENT ON COLUMN core.history_fetches.http_status IS 'HTTP status of the failing answer (404, 500, ...), when there was one.';
COMMENT ON COLUMN core.history_fetches.previous_sha IS 'Head fetched by the previous successful fetch; NULL on the first.';
COMMENT ON COLUMN core.history_fetches.full_listing IS 'True when the whole log was landed (first fetch, or the previous head vanished from the log).';
COMMENT ON COLUMN core.history_fetches.commits_total IS 'Commits in the log at sha.';
COMMENT ON COLUMN core.history_fetches.new_commits IS 'Commits landed by this fetch.';
COMMENT ON COLUMN core.history_fetches.trees_fetched IS 'Tree walks done (one per landed commit unless capped).';
COMMENT ON COLUMN core.history_fetches.fetched_at IS 'Crawl start time of the run.';
COMMENT ON COLUMN core.history_fetches.run_id IS 'History run of the attempt.';
