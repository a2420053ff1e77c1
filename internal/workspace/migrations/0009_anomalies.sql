-- 0009: the Anomaly Center. One row per anomaly: a condition a check found on an
-- instance or a database (schema drift, connection or sync failure, a damaged or
-- missing history table, a non-transactional migration left started, an applied
-- migration whose file changed). A condition seen again on a later check moves
-- last_seen of its open row; when a later check no longer finds it, the row is
-- archived with resolved_at. At most one open row per condition (kind, instance,
-- database, subject).

CREATE TABLE anomalies (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    severity        TEXT NOT NULL,                 -- error, warning
    instance_id     TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    database_id     TEXT REFERENCES databases (id) ON DELETE CASCADE, -- NULL: the instance itself
    environment_id  TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',      -- tells apart conditions of one kind on one target (a version)
    summary         TEXT NOT NULL,
    details         TEXT NOT NULL DEFAULT '{}',    -- JSON, shaped by kind
    action          TEXT NOT NULL,                 -- what resolves it
    first_seen      TEXT NOT NULL,                 -- RFC3339, ms, UTC
    last_seen       TEXT NOT NULL,
    resolved_at     TEXT                           -- NULL while open
);
CREATE UNIQUE INDEX anomalies_open_idx ON anomalies (kind, instance_id, COALESCE(database_id, ''), subject) WHERE resolved_at IS NULL;
CREATE INDEX anomalies_database_idx ON anomalies (database_id, resolved_at);
