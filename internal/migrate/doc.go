// Package migrate applies migration files (and changes authored in the app) to
// a PostgreSQL database so that a crash, a killed session or a lost connection
// can never leave the database and its history disagreeing.
//
// Plumbing, pure and table-tested: ParseFilename and Template (file naming
// conventions: Tidemark's template, Flyway, golang-migrate, goose, dbmate,
// Atlas), Version (numeric dot-separated ordering), Checksum (sha256:v1 over
// the normalised file) and LoadDir (an fs.FS of files into []Migration,
// statements split by the PostgreSQL parser via internal/sqlparse).
//
// Porcelain: Runner, with Status, Apply, ApplyChange, Baseline, Resolve and
// History. The history lives in the target database's
// tidemark.migration_history, the source of truth; its layout is versioned and
// upgraded in place. Runs are serialised by a session advisory lock (LockKey)
// polled on an idle connection of its own. See docs/migrate.md for the
// protocol and docs/file-naming.md for names.
package migrate
