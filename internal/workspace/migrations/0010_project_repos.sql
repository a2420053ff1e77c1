-- 0010: GitOps. A project links one git repository (project_repos): an existing
-- local clone (path) or a remote (url) Tidemark clones into the workspace, the
-- branch watched, the naming used when the repository has no tidemark.yaml, the
-- commit the link starts from and the last commit processed. gitops_files
-- remembers, for each migration file turned into an issue, the content (blob)
-- its task holds and where (issue, task), so a later commit that modifies or
-- deletes the file updates, resets or cancels that task, or is reported when
-- the task already ran.

CREATE TABLE project_repos (
    project_id      TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    path            TEXT NOT NULL DEFAULT '',    -- a local clone; '' when url is set
    url             TEXT NOT NULL DEFAULT '',    -- a remote, cloned into the workspace (no credentials)
    branch          TEXT NOT NULL DEFAULT 'main',
    base_dir        TEXT NOT NULL DEFAULT '',
    template        TEXT NOT NULL DEFAULT '',
    latest_template TEXT NOT NULL DEFAULT '',
    start_commit    TEXT NOT NULL DEFAULT '',    -- '' = the branch head when linked
    last_commit     TEXT NOT NULL DEFAULT '',    -- the last commit processed ('' before the first fetch)
    last_fetch_at   TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL
);

CREATE TABLE gitops_files (
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    blob        TEXT NOT NULL,                   -- git blob hash of the content the task holds
    database_id TEXT NOT NULL,
    version     TEXT NOT NULL,
    issue       INTEGER NOT NULL,
    task_id     TEXT NOT NULL,
    commit_hash TEXT NOT NULL,                   -- the commit the content came from
    deleted     INTEGER NOT NULL DEFAULT 0,      -- the file was deleted from the branch
    PRIMARY KEY (project_id, path)
);
CREATE INDEX gitops_files_task_idx ON gitops_files (issue, task_id);
