// Package anomaly keeps the workspace's Anomaly Center: conditions a check
// found on an instance or a database that need someone's attention — schema
// drift, an instance Tidemark cannot connect to, a database whose sync
// fails, a missing or damaged history table, a non-transactional migration
// left started, an applied migration whose file changed since.
//
// An anomaly is identified by its condition (kind, instance, database,
// subject). A check that finds the condition again moves its last_seen (and
// refreshes its details); a later check that no longer finds it archives it
// with the time (resolved_at). Checks run after each sync of the monitor
// (Center.AfterSync) and read only what the sync left in the workspace plus
// the target's history table: drift is internal/drift's structured
// comparison of the latest snapshot with the expected schema.
package anomaly

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Kinds of anomaly.
const (
	KindSchemaDrift       = "schema_drift"        // the live schema differs from the expected one
	KindConnection        = "instance_connection" // the instance cannot be reached or logged in to
	KindSyncFailure       = "database_sync"       // the database's schema sync fails
	KindModifiedMigration = "modified_migration"  // an applied migration's file changed since (checksum)
	KindHistoryTable      = "history_table"       // tidemark.migration_history is missing or damaged
	KindNonTxStarted      = "nontx_started"       // a non-transactional migration stopped partway; needs migrate resolve
	KindGitOpsModified    = "gitops_modified"     // a migration file in the linked repository changed after it was applied
	KindWriteback         = "gitops_writeback"    // the LATEST schema could not be written back to the linked repository
)

// Kinds lists every kind, in the order the Anomaly Center shows them.
var Kinds = []string{KindSchemaDrift, KindConnection, KindSyncFailure, KindModifiedMigration, KindHistoryTable, KindNonTxStarted,
	KindGitOpsModified, KindWriteback}

// ValidKind reports whether k is a kind of anomaly.
func ValidKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Severities.
const (
	SeverityError   = "error"   // changes are blocked or a production database differs
	SeverityWarning = "warning" // needs attention; nothing is blocked
)

// Anomaly is one anomaly, open or archived.
type Anomaly struct {
	ID            int64
	Kind          string
	Severity      string
	InstanceID    string
	InstanceName  string
	DatabaseID    string // "" for an instance's own anomaly
	DatabaseName  string
	EnvironmentID string
	ProjectID     string // the database's project ("" when none)
	Subject       string // tells apart conditions of one kind on one target (a migration version)
	Summary       string
	// Details is JSON shaped by kind (DriftDetails for schema drift,
	// ErrorDetails for failures, MigrationDetails for migrations).
	Details    json.RawMessage
	Action     string
	FirstSeen  time.Time
	LastSeen   time.Time
	ResolvedAt time.Time // zero while open
}

// Open reports whether the anomaly has not resolved.
func (a Anomaly) Open() bool { return a.ResolvedAt.IsZero() }

// Condition is what a check found: an anomaly's identity and current facts.
type Condition struct {
	Kind          string
	Severity      string
	InstanceID    string
	DatabaseID    string
	EnvironmentID string
	Subject       string
	Summary       string
	Details       any // marshalled to JSON
	Action        string
}

// Filter selects anomalies for List. Zero values select all; All includes
// the archived (resolved) ones.
type Filter struct {
	Kind          string
	EnvironmentID string
	ProjectID     string
	InstanceID    string
	DatabaseID    string
	All           bool
}

// Store keeps anomalies in the workspace (table anomalies, migration 0009).
type Store struct{ ws *workspace.Store }

// NewStore returns the store over the workspace.
func NewStore(ws *workspace.Store) *Store { return &Store{ws: ws} }

const stamp = "2006-01-02T15:04:05.000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(stamp) }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Observe records that the condition holds at now: it updates the open
// anomaly of the same condition (last seen, severity, summary, details,
// action) or opens a new one. It returns the anomaly and whether it is new.
func (s *Store) Observe(ctx context.Context, c Condition, now time.Time) (Anomaly, bool, error) {
	if !ValidKind(c.Kind) || c.InstanceID == "" || c.Summary == "" {
		return Anomaly{}, false, fmt.Errorf("observe anomaly %q on %q: %w", c.Kind, c.InstanceID, workspace.ErrInvalid)
	}
	details := []byte("{}")
	if c.Details != nil {
		b, err := json.Marshal(c.Details)
		if err != nil {
			return Anomaly{}, false, fmt.Errorf("observe anomaly: details: %w", err)
		}
		details = b
	}
	db := s.ws.DB()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return Anomaly{}, false, fmt.Errorf("observe anomaly: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM anomalies WHERE kind = ? AND instance_id = ? AND COALESCE(database_id, '') = ?
		AND subject = ? AND resolved_at IS NULL`, c.Kind, c.InstanceID, c.DatabaseID, c.Subject).Scan(&id)
	created := false
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := tx.ExecContext(ctx, `INSERT INTO anomalies (kind, severity, instance_id, database_id, environment_id, subject, summary,
			details, action, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Kind, c.Severity, c.InstanceID, nullable(c.DatabaseID), c.EnvironmentID, c.Subject, c.Summary, string(details), c.Action, ts(now), ts(now))
		if err != nil {
			return Anomaly{}, false, fmt.Errorf("open anomaly %s: %w", c.Kind, err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return Anomaly{}, false, fmt.Errorf("open anomaly %s: %w", c.Kind, err)
		}
		created = true
	case err != nil:
		return Anomaly{}, false, fmt.Errorf("observe anomaly %s: %w", c.Kind, err)
	default:
		if _, err := tx.ExecContext(ctx, `UPDATE anomalies SET severity = ?, environment_id = ?, summary = ?, details = ?, action = ?, last_seen = ?
			WHERE id = ?`, c.Severity, c.EnvironmentID, c.Summary, string(details), c.Action, ts(now), id); err != nil {
			return Anomaly{}, false, fmt.Errorf("observe anomaly %s: %w", c.Kind, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Anomaly{}, false, fmt.Errorf("observe anomaly %s: %w", c.Kind, err)
	}
	a, err := s.Get(ctx, id)
	return a, created, err
}

// Clear archives the open anomalies of one kind on a target (databaseID ""
// for the instance itself) whose subject is not in keep, with resolved_at
// now. It returns how many it archived.
func (s *Store) Clear(ctx context.Context, kind, instanceID, databaseID string, keep []string, now time.Time) (int, error) {
	q := `UPDATE anomalies SET resolved_at = ? WHERE kind = ? AND instance_id = ? AND COALESCE(database_id, '') = ? AND resolved_at IS NULL`
	args := []any{ts(now), kind, instanceID, databaseID}
	if len(keep) > 0 {
		q += ` AND subject NOT IN (?` + strings.Repeat(", ?", len(keep)-1) + `)`
		for _, k := range keep {
			args = append(args, k)
		}
	}
	res, err := s.ws.DB().ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("resolve %s anomalies: %w", kind, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

const selectCols = `a.id, a.kind, a.severity, a.instance_id, COALESCE(i.name, ''), COALESCE(a.database_id, ''), COALESCE(d.name, ''),
	a.environment_id, COALESCE(d.project_id, ''), a.subject, a.summary, a.details, a.action, a.first_seen, a.last_seen, COALESCE(a.resolved_at, '')
	FROM anomalies a LEFT JOIN instances i ON i.id = a.instance_id LEFT JOIN databases d ON d.id = a.database_id`

func scan(sc interface{ Scan(...any) error }) (Anomaly, error) {
	var a Anomaly
	var details, first, last, resolved string
	if err := sc.Scan(&a.ID, &a.Kind, &a.Severity, &a.InstanceID, &a.InstanceName, &a.DatabaseID, &a.DatabaseName, &a.EnvironmentID,
		&a.ProjectID, &a.Subject, &a.Summary, &details, &a.Action, &first, &last, &resolved); err != nil {
		return Anomaly{}, err
	}
	a.Details = json.RawMessage(details)
	a.FirstSeen, _ = time.Parse(stamp, first)
	a.LastSeen, _ = time.Parse(stamp, last)
	if resolved != "" {
		a.ResolvedAt, _ = time.Parse(stamp, resolved)
	}
	return a, nil
}

// Get returns one anomaly, open or archived (workspace.ErrNotFound when
// there is none with that id).
func (s *Store) Get(ctx context.Context, id int64) (Anomaly, error) {
	a, err := scan(s.ws.DB().QueryRowContext(ctx, `SELECT `+selectCols+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Anomaly{}, fmt.Errorf("anomaly %d: %w", id, workspace.ErrNotFound)
	}
	if err != nil {
		return Anomaly{}, fmt.Errorf("anomaly %d: %w", id, err)
	}
	return a, nil
}

// List returns the anomalies the filter selects: open ones first, then by
// severity (errors first) and last seen, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Anomaly, error) {
	if f.Kind != "" && !ValidKind(f.Kind) {
		return nil, fmt.Errorf("anomaly kind %q is not one of %s: %w", f.Kind, strings.Join(Kinds, ", "), workspace.ErrInvalid)
	}
	q := `SELECT ` + selectCols + ` WHERE 1 = 1`
	var args []any
	add := func(cond, v string) {
		if v != "" {
			q += ` AND ` + cond
			args = append(args, v)
		}
	}
	add(`a.kind = ?`, f.Kind)
	add(`a.environment_id = ?`, f.EnvironmentID)
	add(`d.project_id = ?`, f.ProjectID)
	add(`a.instance_id = ?`, f.InstanceID)
	add(`a.database_id = ?`, f.DatabaseID)
	if !f.All {
		q += ` AND a.resolved_at IS NULL`
	}
	q += ` ORDER BY a.resolved_at IS NOT NULL, a.severity = 'warning', a.last_seen DESC, a.id DESC`
	rows, err := s.ws.DB().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list anomalies: %w", err)
	}
	defer rows.Close()
	out := []Anomaly{}
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list anomalies: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list anomalies: %w", err)
	}
	return out, nil
}

// CountOpen returns how many anomalies are open (the navigation badge).
func (s *Store) CountOpen(ctx context.Context) (int, error) {
	var n int
	if err := s.ws.DB().QueryRowContext(ctx, `SELECT count(*) FROM anomalies WHERE resolved_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count anomalies: %w", err)
	}
	return n, nil
}
