-- 0002: schema snapshots. Every successful sync of a database stores one row: the catalog
-- model as JSON and its DDL (both gzip-compressed), when it was taken, how long it took,
-- the model's fingerprint, the server version, and what could not be modelled or read.
-- Rows are kept as history (diff and change history compare them); a failed sync only
-- records its failure in schema_sync_status and leaves the snapshots alone.

CREATE TABLE schema_snapshots (
    id             TEXT PRIMARY KEY,             -- UUID
    database_id    TEXT NOT NULL REFERENCES databases (id) ON DELETE CASCADE,
    taken_at       TEXT NOT NULL,                -- RFC3339 with milliseconds, UTC
    duration_ms    INTEGER NOT NULL DEFAULT 0,
    fingerprint    TEXT NOT NULL,
    server_version INTEGER NOT NULL DEFAULT 0,   -- server_version_num
    model_gz       BLOB NOT NULL,                -- gzip of the catalog model JSON
    ddl_gz         BLOB NOT NULL,                -- gzip of the DDL text
    model_size     INTEGER NOT NULL DEFAULT 0,   -- uncompressed sizes
    ddl_size       INTEGER NOT NULL DEFAULT 0,
    unsupported    TEXT NOT NULL DEFAULT '[]',   -- JSON [{kind, schema, name, detail}]
    skipped        TEXT NOT NULL DEFAULT '[]'    -- JSON [{kind, schema, name, detail}]
);
CREATE INDEX schema_snapshots_database_idx ON schema_snapshots (database_id, taken_at);

-- The outcome of the last schema sync attempt per database.
CREATE TABLE schema_sync_status (
    database_id  TEXT PRIMARY KEY REFERENCES databases (id) ON DELETE CASCADE,
    attempted_at TEXT NOT NULL,
    error        TEXT NOT NULL DEFAULT '',       -- empty: the attempt succeeded
    sqlstate     TEXT NOT NULL DEFAULT ''
);
