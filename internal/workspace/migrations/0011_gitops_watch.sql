-- 0011: watching linked repositories. Each link gets its poll interval
-- (minutes; 0 = only on demand), how Tidemark authenticates to a remote
-- (the token itself lives in the OS keychain, never here: auth names the
-- method, auth_user the HTTPS user or SSH user, ssh_key the path of a key
-- file), and the outcome of its last fetch (last_error, or last_result: the
-- JSON of the last fetch that processed commits). gitops_unmatched lists the
-- .sql files under the base directory that did not become tasks, with the
-- reason, until a later commit fixes or deletes them.

ALTER TABLE project_repos ADD COLUMN poll_minutes INTEGER NOT NULL DEFAULT 1;
ALTER TABLE project_repos ADD COLUMN auth TEXT NOT NULL DEFAULT '';      -- '', 'token', 'ssh-agent', 'ssh-key'
ALTER TABLE project_repos ADD COLUMN auth_user TEXT NOT NULL DEFAULT '';
ALTER TABLE project_repos ADD COLUMN ssh_key TEXT NOT NULL DEFAULT '';   -- path of a private key file (never its content)
ALTER TABLE project_repos ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE project_repos ADD COLUMN last_result TEXT NOT NULL DEFAULT '';

CREATE TABLE gitops_unmatched (
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    commit_hash TEXT NOT NULL DEFAULT '',
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (project_id, path)
);
