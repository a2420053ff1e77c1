-- 0008: members and their roles; risk rules (CEL); approval templates and the
-- rules that pick them; rollout roles and time windows per environment; the
-- projects' distinct-approvers setting. The presets (risk rules, templates,
-- approval rules) are written by the store the first time they are read
-- (setting policy.seeded), so they live in one place in the code.

CREATE TABLE members (
    id          TEXT PRIMARY KEY,          -- the email, else the name
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL UNIQUE,   -- order added: the first is the workspace admin
    created_at  TEXT NOT NULL
);

CREATE TABLE member_roles (
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    project_id  TEXT NOT NULL DEFAULT '',  -- '': every project (and workspace roles)
    PRIMARY KEY (member_id, role, project_id)
);

CREATE TABLE risk_rules (
    position    INTEGER NOT NULL,
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    source      TEXT NOT NULL,
    level       TEXT NOT NULL,
    condition   TEXT NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE approval_templates (
    position    INTEGER NOT NULL,
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    steps       TEXT NOT NULL              -- JSON [{"role", "title"}]
);

CREATE TABLE approval_rules (
    position    INTEGER PRIMARY KEY,       -- first match wins
    id          TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL DEFAULT '',
    condition   TEXT NOT NULL DEFAULT '',
    template_id TEXT NOT NULL DEFAULT ''   -- '': no approval
);

CREATE TABLE rollout_policies (
    environment_id TEXT PRIMARY KEY REFERENCES environments (id) ON DELETE CASCADE,
    roles          TEXT NOT NULL,          -- JSON ["dba", ...]
    time_window    TEXT NOT NULL DEFAULT '' -- JSON {"days", "start", "end", "timezone"}; '': any time
);

CREATE TABLE project_approval (
    project_id         TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    distinct_approvers INTEGER NOT NULL DEFAULT 0
);
