-- Repo histories (versions miner, source `history`): commits, weight/README files per commit, refs,
-- and the weight-change and card-change events derived from consecutive commits.

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

-- core.file_changes: consecutive commits, both with walked trees (or the first commit alone),
-- compared path by path; a file is identified by its LFS content oid, else its git oid.
CREATE VIEW core.file_changes AS
WITH c AS (
    SELECT model_id, commit_id, seq, date, tree_fetched,
           lag(commit_id) OVER w AS prev_commit, lag(tree_fetched) OVER w AS prev_fetched
    FROM core.commits WHERE removed_run IS NULL
    WINDOW w AS (PARTITION BY model_id ORDER BY seq)
),
pairs AS (SELECT * FROM c WHERE tree_fetched AND (prev_commit IS NULL OR prev_fetched)),
cur AS (
    SELECT p.model_id, p.commit_id, p.seq, p.date, f.path, f.oid, f.size, f.lfs_oid
    FROM pairs p JOIN core.commit_files f ON f.model_id = p.model_id AND f.commit_id = p.commit_id
),
prev AS (
    SELECT p.model_id, p.commit_id, p.seq, p.date, f.path, f.oid, f.size, f.lfs_oid
    FROM pairs p JOIN core.commit_files f ON f.model_id = p.model_id AND f.commit_id = p.prev_commit
)
SELECT coalesce(n.model_id, o.model_id) AS model_id, coalesce(n.commit_id, o.commit_id) AS commit_id,
       coalesce(n.seq, o.seq) AS seq, coalesce(n.date, o.date) AS date, coalesce(n.path, o.path) AS path,
       CASE WHEN o.path IS NULL THEN 'added' WHEN n.path IS NULL THEN 'removed' ELSE 'modified' END AS change,
       o.oid AS old_oid, n.oid AS new_oid, o.lfs_oid AS old_lfs_oid, n.lfs_oid AS new_lfs_oid,
       o.size AS old_size, n.size AS new_size
FROM cur n FULL JOIN prev o ON n.model_id = o.model_id AND n.commit_id = o.commit_id AND n.path = o.path
WHERE o.path IS NULL OR n.path IS NULL
   OR coalesce(n.lfs_oid, n.oid) IS DISTINCT FROM coalesce(o.lfs_oid, o.oid);
COMMENT ON VIEW core.file_changes IS 'One row per tracked file (weights, README.md) added, modified or removed by a commit, against the previous commit; basis of weight_changes and card_changes.';
COMMENT ON COLUMN core.file_changes.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN core.file_changes.commit_id IS 'Commit that made the change.';
COMMENT ON COLUMN core.file_changes.seq IS 'Position of the commit in the log, 0 = oldest.';
COMMENT ON COLUMN core.file_changes.date IS 'Commit date.';
COMMENT ON COLUMN core.file_changes.path IS 'Path of the file.';
COMMENT ON COLUMN core.file_changes.change IS 'added, modified or removed.';
COMMENT ON COLUMN core.file_changes.old_oid IS 'Git blob id before; NULL when added.';
COMMENT ON COLUMN core.file_changes.new_oid IS 'Git blob id after; NULL when removed.';
COMMENT ON COLUMN core.file_changes.old_lfs_oid IS 'LFS sha256 before; NULL when added or not in LFS.';
COMMENT ON COLUMN core.file_changes.new_lfs_oid IS 'LFS sha256 after; NULL when removed or not in LFS.';
COMMENT ON COLUMN core.file_changes.old_size IS 'Size in bytes before.';
COMMENT ON COLUMN core.file_changes.new_size IS 'Size in bytes after.';

CREATE VIEW commits AS
SELECT model_id, commit_id, seq, date, title, message, authors, tree_fetched
FROM core.commits WHERE removed_run IS NULL;
COMMENT ON VIEW commits IS 'One row per model per commit in its current log (followed repos only: see the history crawl policy).';
COMMENT ON COLUMN commits.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN commits.commit_id IS 'Git commit id.';
COMMENT ON COLUMN commits.seq IS 'Position in the log, 0 = oldest.';
COMMENT ON COLUMN commits.date IS 'Commit date.';
COMMENT ON COLUMN commits.title IS 'Commit title.';
COMMENT ON COLUMN commits.message IS 'Commit message body.';
COMMENT ON COLUMN commits.authors IS 'Hub user names credited.';
COMMENT ON COLUMN commits.tree_fetched IS 'Whether the commit''s files were read (events are computed only between read commits).';

CREATE VIEW weight_changes AS
SELECT model_id, commit_id, seq, date, path, change, old_lfs_oid, new_lfs_oid, old_size, new_size
FROM core.file_changes WHERE path <> 'README.md';
COMMENT ON VIEW weight_changes IS 'One row per weight-change event: a weight file added, removed, or with other content (LFS oid) than at the previous commit.';
COMMENT ON COLUMN weight_changes.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN weight_changes.commit_id IS 'Commit that changed the file.';
COMMENT ON COLUMN weight_changes.seq IS 'Position of the commit in the log, 0 = oldest.';
COMMENT ON COLUMN weight_changes.date IS 'Commit date.';
COMMENT ON COLUMN weight_changes.path IS 'Weight file path.';
COMMENT ON COLUMN weight_changes.change IS 'added, modified or removed.';
COMMENT ON COLUMN weight_changes.old_lfs_oid IS 'sha256 of the content before (NULL when added or not in LFS).';
COMMENT ON COLUMN weight_changes.new_lfs_oid IS 'sha256 of the content after (NULL when removed or not in LFS).';
COMMENT ON COLUMN weight_changes.old_size IS 'Size in bytes before.';
COMMENT ON COLUMN weight_changes.new_size IS 'Size in bytes after.';

CREATE VIEW card_changes AS
SELECT model_id, commit_id, seq, date, change, old_oid, new_oid, old_size, new_size
FROM core.file_changes WHERE path = 'README.md';
COMMENT ON VIEW card_changes IS 'One row per card-change event: README.md added, removed, or with another git oid than at the previous commit.';
COMMENT ON COLUMN card_changes.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN card_changes.commit_id IS 'Commit that changed the card.';
COMMENT ON COLUMN card_changes.seq IS 'Position of the commit in the log, 0 = oldest.';
COMMENT ON COLUMN card_changes.date IS 'Commit date.';
COMMENT ON COLUMN card_changes.change IS 'added, modified or removed.';
COMMENT ON COLUMN card_changes.old_oid IS 'Git blob id of README.md before (NULL when added).';
COMMENT ON COLUMN card_changes.new_oid IS 'Git blob id after (NULL when removed).';
COMMENT ON COLUMN card_changes.old_size IS 'Bytes before.';
COMMENT ON COLUMN card_changes.new_size IS 'Bytes after.';

CREATE VIEW model_refs AS
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
