-- 0007: the SQL editor's open tabs, kept across restarts in their order: title,
-- database, text, row limit and statement timeout, and which tab is active.
-- Admin mode is deliberately not kept: every tab reopens read-only.

CREATE TABLE query_tabs (
    position         INTEGER PRIMARY KEY,           -- 0-based order in the tab bar
    id               TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    database_id      TEXT REFERENCES databases (id) ON DELETE SET NULL,
    sql              TEXT NOT NULL,
    row_limit        INTEGER NOT NULL,              -- 0: the default; negative: all rows
    timeout_seconds  INTEGER NOT NULL,              -- 0: the mode's default
    active           INTEGER NOT NULL DEFAULT 0
);
