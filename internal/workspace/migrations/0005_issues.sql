-- 0005: the change workflow. Every change is an issue: its header columns are what
-- lists filter and sort on; body is the workflow's own JSON document (plan, tasks,
-- checks, approval, activity), which the workspace stores but does not interpret.
-- version is the optimistic-concurrency counter: every update names the version it
-- read and bumps it, so two windows (or the app and the CLI) never both win.

CREATE TABLE issues (
    number       INTEGER PRIMARY KEY,            -- 1, 2, 3… per workspace
    project_id   TEXT REFERENCES projects (id) ON DELETE SET NULL,
    type         TEXT NOT NULL,                  -- create_database, schema_change, data_change, baseline
    status       TEXT NOT NULL,                  -- open, done, canceled
    title        TEXT NOT NULL,
    creator      TEXT NOT NULL,                  -- the creator's email (or name when no email)
    approval     TEXT NOT NULL,                  -- pending, approved, rejected, skipped
    rollout      TEXT NOT NULL DEFAULT '',       -- waiting, ready, running, failed, done
    environments TEXT NOT NULL DEFAULT ',',      -- ",test,prod," the environments the plan touches
    databases    TEXT NOT NULL DEFAULT ',',      -- ",<id>,<id>," the target databases
    version      INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX issues_status_idx ON issues (status, number DESC);
CREATE INDEX issues_project_idx ON issues (project_id, number DESC);
CREATE INDEX issues_creator_idx ON issues (creator, status, number DESC);

-- One attempt to run a task. Written while the task runs (log, statements), so
-- the issue's version does not move with every log line.
CREATE TABLE issue_runs (
    id           TEXT PRIMARY KEY,
    issue_number INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
    task_id      TEXT NOT NULL,
    attempt      INTEGER NOT NULL,
    status       TEXT NOT NULL,                  -- running, done, failed, canceled
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    UNIQUE (issue_number, task_id, attempt)
);

-- A task running on a database holds its claim: one task at a time per database,
-- across issues. Taken in the same transaction as the task's move to running.
CREATE TABLE task_claims (
    target       TEXT PRIMARY KEY,               -- database id, or "instance:<id>/<name>" for CREATE DATABASE
    issue_number INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
    task_id      TEXT NOT NULL,
    claimed_at   TEXT NOT NULL
);

-- The environment's rollout policy: '' follows Production() (manual for
-- production, automatic otherwise); 'automatic' or 'manual' override it.
ALTER TABLE environments ADD COLUMN rollout TEXT NOT NULL DEFAULT '';
-- Whether an issue's creator may approve it (Bytebase Free allows it).
ALTER TABLE projects ADD COLUMN allow_self_approval INTEGER NOT NULL DEFAULT 1;
-- The issue a change was rolled out by (NULL: applied outside the workflow).
ALTER TABLE change_history ADD COLUMN issue_number INTEGER;
CREATE INDEX change_history_issue_idx ON change_history (issue_number);
