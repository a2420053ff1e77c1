-- 0001: environments, instances, projects, databases, settings.
-- Passwords are never stored here: instances only record how the password is found
-- (password_mode); the secret itself lives in the OS keychain, ~/.pgpass, PGPASSWORD
-- or memory for one session.

CREATE TABLE environments (
    id         TEXT PRIMARY KEY,                 -- slug, e.g. "test", "prod"
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    position   INTEGER NOT NULL,
    protected  INTEGER NOT NULL DEFAULT 0,       -- production-like: changes need approval
    created_at TEXT NOT NULL
);

INSERT INTO environments (id, name, position, protected, created_at) VALUES
    ('test', 'Test', 0, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('prod', 'Prod', 1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

CREATE TABLE instances (
    id             TEXT PRIMARY KEY,             -- UUID
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    environment_id TEXT NOT NULL REFERENCES environments (id),
    host           TEXT NOT NULL,
    port           INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    user_name      TEXT NOT NULL,
    database_name  TEXT NOT NULL DEFAULT '',
    sslmode        TEXT NOT NULL DEFAULT 'prefer',
    password_mode  TEXT NOT NULL DEFAULT 'none'
                   CHECK (password_mode IN ('keychain', 'pgpass', 'env', 'session', 'none')),
    is_sample      INTEGER NOT NULL DEFAULT 0,
    last_sync_at   TEXT,
    last_error     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);

CREATE TABLE projects (
    id         TEXT PRIMARY KEY,                 -- UUID
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    archived   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE databases (
    id             TEXT PRIMARY KEY,             -- UUID
    instance_id    TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    owner          TEXT NOT NULL DEFAULT '',
    encoding       TEXT NOT NULL DEFAULT '',
    size_bytes     INTEGER NOT NULL DEFAULT 0,
    project_id     TEXT REFERENCES projects (id) ON DELETE SET NULL,
    -- NULL: the database is in its instance's environment; set: an override
    -- (as in Bytebase), used e.g. by the sample instance for hr_prod.
    environment_id TEXT REFERENCES environments (id),
    synced_at      TEXT NOT NULL,
    UNIQUE (instance_id, name)
);
CREATE INDEX databases_project_idx ON databases (project_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
