-- 0004: the change history cache. One row per attempt to apply a change to a database, as
-- the workspace knows it: changes applied from this app (with the schema snapshots taken
-- before and after) and rows found in the target's tidemark.migration_history that were
-- written elsewhere (another machine, the CLI, CI) — those are marked seen_on_sync.
-- The target's table is the source of truth; this is a cache for the desktop views.

CREATE TABLE change_history (
    id                 TEXT PRIMARY KEY,             -- UUID
    database_id        TEXT NOT NULL REFERENCES databases (id) ON DELETE CASCADE,
    run_id             TEXT NOT NULL,                -- the attempt's run id in the target's history
    version            TEXT NOT NULL,
    type               TEXT NOT NULL,                -- ddl, dml, baseline
    status             TEXT NOT NULL,                -- done, started, failed
    description        TEXT NOT NULL DEFAULT '',
    checksum           TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL,                -- ui, git, cli, other machine
    applied_by         TEXT NOT NULL DEFAULT '',
    host               TEXT NOT NULL DEFAULT '',
    duration_ms        INTEGER NOT NULL DEFAULT 0,
    statement          TEXT NOT NULL DEFAULT '',
    error              TEXT NOT NULL DEFAULT '',
    sqlstate           TEXT NOT NULL DEFAULT '',
    failed_statement   TEXT NOT NULL DEFAULT '',
    failed_line        INTEGER NOT NULL DEFAULT 0,
    before_snapshot_id TEXT REFERENCES schema_snapshots (id) ON DELETE SET NULL,
    after_snapshot_id  TEXT REFERENCES schema_snapshots (id) ON DELETE SET NULL,
    seen_on_sync       INTEGER NOT NULL DEFAULT 0,   -- 1: found in the target, written elsewhere
    applied_at         TEXT NOT NULL,                -- when the attempt started (RFC3339, ms, UTC)
    recorded_at        TEXT NOT NULL                 -- when the workspace learnt of it
);
CREATE UNIQUE INDEX change_history_run_idx ON change_history (database_id, run_id);
CREATE INDEX change_history_database_idx ON change_history (database_id, applied_at);
