-- 0006: the SQL editor's query history, per database: every statement run from the
-- editor (read-only or admin), with when, how long, how many rows and its error.
-- Admin statements are recorded here and never in change_history: that is what
-- makes them drift.

CREATE TABLE query_history (
    id           TEXT PRIMARY KEY,
    database_id  TEXT NOT NULL REFERENCES databases (id) ON DELETE CASCADE,
    statement    TEXT NOT NULL,
    mode         TEXT NOT NULL,                  -- read-only, admin
    ran_at       TEXT NOT NULL,                  -- RFC 3339, UTC, milliseconds
    duration_ms  INTEGER NOT NULL,
    rows         INTEGER NOT NULL,
    error        TEXT NOT NULL DEFAULT '',
    sqlstate     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX query_history_database_idx ON query_history (database_id, ran_at DESC);
