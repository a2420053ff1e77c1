package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Change sources kept in the change history.
const (
	SourceUI           = "ui"            // applied from this app
	SourceGit          = "git"           // applied from a Git-backed migration directory by this app
	SourceCLI          = "cli"           // files applied by `tidemark migrate` on this machine
	SourceOtherMachine = "other machine" // written by a Tidemark on another host
)

// Change is one attempt to apply a change to a database, as the workspace
// caches it. The target's tidemark.migration_history is the source of truth;
// RunID ties the two together (unique per database).
type Change struct {
	ID              string
	DatabaseID      string
	RunID           string
	Version         string
	Type            string // ddl, dml, baseline
	Status          string // done, started, failed
	Description     string
	Checksum        string
	Source          string // SourceUI, SourceGit, SourceCLI, SourceOtherMachine
	AppliedBy       string
	Host            string
	Duration        time.Duration
	Statement       string
	Error           string
	SQLState        string
	FailedStatement string
	FailedLine      int
	// BeforeSnapshotID and AfterSnapshotID are the schema snapshots taken
	// around the change (empty when none: rows from other machines, a failed
	// change has no after snapshot, or the snapshot was deleted).
	BeforeSnapshotID string
	AfterSnapshotID  string
	// SeenOnSync is set for rows found in the target's history that this
	// workspace did not write.
	SeenOnSync bool
	// Issue is the number of the issue whose rollout applied the change
	// (0: applied outside the workflow).
	Issue      int
	AppliedAt  time.Time // when the attempt started
	RecordedAt time.Time // when the workspace learnt of it
}

const changeColumns = `id, database_id, run_id, version, type, status, description, checksum, source, applied_by, host,
	duration_ms, statement, error, sqlstate, failed_statement, failed_line, coalesce(before_snapshot_id, ''),
	coalesce(after_snapshot_id, ''), seen_on_sync, applied_at, recorded_at, coalesce(issue_number, 0)`

func scanChange(sc interface{ Scan(...any) error }) (Change, error) {
	var c Change
	var ms int64
	var seen int
	var applied, recorded string
	err := sc.Scan(&c.ID, &c.DatabaseID, &c.RunID, &c.Version, &c.Type, &c.Status, &c.Description, &c.Checksum, &c.Source,
		&c.AppliedBy, &c.Host, &ms, &c.Statement, &c.Error, &c.SQLState, &c.FailedStatement, &c.FailedLine,
		&c.BeforeSnapshotID, &c.AfterSnapshotID, &seen, &applied, &recorded, &c.Issue)
	if err != nil {
		return Change{}, err
	}
	c.Duration = time.Duration(ms) * time.Millisecond
	c.SeenOnSync = seen != 0
	c.AppliedAt, _ = time.Parse(snapshotTime, applied)
	c.RecordedAt, _ = time.Parse(snapshotTime, recorded)
	return c, nil
}

func validateChange(c Change) error {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"database", c.DatabaseID}, {"run id", c.RunID}, {"version", c.Version}, {"type", c.Type}, {"status", c.Status}, {"source", c.Source},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("record change: %s must not be empty: %w", strings.Join(missing, ", "), ErrInvalid)
	}
	return nil
}

func nullIssue(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}

func nullID(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func insertChange(ctx context.Context, tx *sql.Tx, c *Change) error {
	if c.AppliedAt.IsZero() {
		c.AppliedAt = time.Now()
	}
	c.AppliedAt = c.AppliedAt.UTC().Truncate(time.Millisecond)
	c.RecordedAt = time.Now().UTC().Truncate(time.Millisecond)
	c.Duration = c.Duration.Truncate(time.Millisecond)
	c.ID = uuid.NewString()
	seen := 0
	if c.SeenOnSync {
		seen = 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO change_history (id, database_id, run_id, version, type, status, description,
		checksum, source, applied_by, host, duration_ms, statement, error, sqlstate, failed_statement, failed_line,
		before_snapshot_id, after_snapshot_id, seen_on_sync, applied_at, recorded_at, issue_number)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.DatabaseID, c.RunID, c.Version, c.Type, c.Status, c.Description, c.Checksum, c.Source, c.AppliedBy, c.Host,
		c.Duration.Milliseconds(), c.Statement, c.Error, c.SQLState, c.FailedStatement, c.FailedLine,
		nullID(c.BeforeSnapshotID), nullID(c.AfterSnapshotID), seen,
		c.AppliedAt.Format(snapshotTime), c.RecordedAt.Format(snapshotTime), nullIssue(c.Issue))
	if isUnique(err) {
		return fmt.Errorf("change with run id %s of database %s %w", c.RunID, c.DatabaseID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("record change %s of database %s: %w", c.Version, c.DatabaseID, err)
	}
	return nil
}

func (s *Store) checkDatabase(ctx context.Context, tx *sql.Tx, id string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM databases WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("database", id)
	}
	if err != nil {
		return fmt.Errorf("look up database %s: %w", id, err)
	}
	return nil
}

// RecordChange stores one attempt (ID and RecordedAt are assigned; a zero
// AppliedAt means now). A second row with the same database and run id is
// refused with ErrDuplicate; an unknown database is ErrNotFound.
func (s *Store) RecordChange(ctx context.Context, c Change) (Change, error) {
	if err := validateChange(c); err != nil {
		return Change{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Change{}, err
	}
	defer tx.Rollback()
	if err := s.checkDatabase(ctx, tx, c.DatabaseID); err != nil {
		return Change{}, err
	}
	if err := insertChange(ctx, tx, &c); err != nil {
		return Change{}, err
	}
	if err := tx.Commit(); err != nil {
		return Change{}, fmt.Errorf("record change %s: %w", c.Version, err)
	}
	return c, nil
}

// MergeChanges brings the cache in line with rows read from the target's
// history (the source of truth). A row whose run id the workspace has not
// seen is added as given (callers set SeenOnSync and Source); a known row
// gets the target's status, error, duration and checksum (a unit that was
// running may have finished or been resolved since). Snapshot ids and the
// source of known rows are kept. It returns the rows it added, in the order
// given.
func (s *Store) MergeChanges(ctx context.Context, databaseID string, rows []Change) ([]Change, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := s.checkDatabase(ctx, tx, databaseID); err != nil {
		return nil, err
	}
	added := []Change{}
	for _, c := range rows {
		c.DatabaseID = databaseID
		if err := validateChange(c); err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE change_history SET status = ?, error = ?, sqlstate = ?, failed_statement = ?,
			failed_line = ?, duration_ms = ?, checksum = ?, issue_number = coalesce(issue_number, ?) WHERE database_id = ? AND run_id = ?`,
			c.Status, c.Error, c.SQLState, c.FailedStatement, c.FailedLine, c.Duration.Milliseconds(), c.Checksum, nullIssue(c.Issue), databaseID, c.RunID)
		if err != nil {
			return nil, fmt.Errorf("merge change %s of database %s: %w", c.RunID, databaseID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			continue
		}
		if err := insertChange(ctx, tx, &c); err != nil {
			return nil, err
		}
		added = append(added, c)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("merge changes of database %s: %w", databaseID, err)
	}
	return added, nil
}

// ListChanges returns a database's change history, newest first. An unknown
// database is ErrNotFound.
func (s *Store) ListChanges(ctx context.Context, databaseID string) ([]Change, error) {
	if _, err := s.GetDatabase(ctx, databaseID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+changeColumns+` FROM change_history WHERE database_id = ?
		ORDER BY applied_at DESC, recorded_at DESC, id`, databaseID)
	if err != nil {
		return nil, fmt.Errorf("list changes of database %s: %w", databaseID, err)
	}
	defer rows.Close()
	out := []Change{}
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, fmt.Errorf("list changes of database %s: %w", databaseID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// GetChange returns one change of a database (ErrNotFound when the database
// has no change with that id).
func (s *Store) GetChange(ctx context.Context, databaseID, id string) (Change, error) {
	c, err := scanChange(s.db.QueryRowContext(ctx, `SELECT `+changeColumns+` FROM change_history WHERE database_id = ? AND id = ?`, databaseID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Change{}, notFound("change", id)
	}
	if err != nil {
		return Change{}, fmt.Errorf("read change %s: %w", id, err)
	}
	return c, nil
}

// ListProjectChanges returns the change history of a project's databases,
// newest first, at most limit rows (default 200).
func (s *Store) ListProjectChanges(ctx context.Context, projectID string, limit int) ([]Change, error) {
	if _, err := s.GetProject(ctx, projectID); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+changeColumns+` FROM change_history
		WHERE database_id IN (SELECT id FROM databases WHERE project_id = ?) ORDER BY applied_at DESC, recorded_at DESC, id LIMIT ?`, projectID, limit)
	if err != nil {
		return nil, fmt.Errorf("list changes of project %s: %w", projectID, err)
	}
	defer rows.Close()
	out := []Change{}
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, fmt.Errorf("list changes of project %s: %w", projectID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListIssueChanges returns the changes an issue's rollout applied, newest first.
func (s *Store) ListIssueChanges(ctx context.Context, issue int) ([]Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+changeColumns+` FROM change_history WHERE issue_number = ?
		ORDER BY applied_at DESC, recorded_at DESC, id`, issue)
	if err != nil {
		return nil, fmt.Errorf("list changes of issue #%d: %w", issue, err)
	}
	defer rows.Close()
	out := []Change{}
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, fmt.Errorf("list changes of issue #%d: %w", issue, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
