package migrate

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The history lives in the target database, in schema tidemark:
//
//   - tidemark.migration_history: one row per attempt to apply a migration.
//   - tidemark.meta: key/value; "history_layout" is the layout version of the
//     history table, upgraded in place by the steps in historyLayouts.
//
// Readers of older layouts (a status run before an apply upgraded the table)
// see NULLs for columns the layout does not have.
const (
	historySchema = "tidemark"
	historyTable  = "tidemark.migration_history"
)

// HistoryLayout is the layout version of tidemark.migration_history this build writes.
const HistoryLayout = 3

// historyLayouts[i] upgrades layout i to i+1 (layout 0 = nothing there). Each
// step runs in its own transaction under the migration lock. Never edit a
// released step; append a new one.
var historyLayouts = []string{
	// 0 -> 1: the first layout.
	`CREATE SCHEMA IF NOT EXISTS tidemark;
CREATE TABLE tidemark.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE tidemark.migration_history (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	version     text NOT NULL,
	description text NOT NULL DEFAULT '',
	type        text NOT NULL,
	checksum    text NOT NULL,
	status      text NOT NULL,
	applied_by  text NOT NULL DEFAULT current_user,
	started_at  timestamptz NOT NULL DEFAULT now(),
	finished_at timestamptz
);
INSERT INTO tidemark.meta VALUES ('history_layout', '1');`,
	// 1 -> 2: run ids (lost-COMMIT recovery), statement progress for
	// non-transactional units, errors, provenance and resolutions.
	`ALTER TABLE tidemark.migration_history
	ADD COLUMN source             text NOT NULL DEFAULT 'file',
	ADD COLUMN file_path          text NOT NULL DEFAULT '',
	ADD COLUMN statement          text NOT NULL DEFAULT '',
	ADD COLUMN transactional      boolean NOT NULL DEFAULT true,
	ADD COLUMN statements_applied integer NOT NULL DEFAULT 0,
	ADD COLUMN statements_total   integer NOT NULL DEFAULT 0,
	ADD COLUMN next_statement_line integer,
	ADD COLUMN error              text,
	ADD COLUMN error_sqlstate     text,
	ADD COLUMN failed_statement   text,
	ADD COLUMN failed_line        integer,
	ADD COLUMN host               text NOT NULL DEFAULT '',
	ADD COLUMN tool_version       text NOT NULL DEFAULT '',
	ADD COLUMN run_id             text,
	ADD COLUMN duration_ms        bigint,
	ADD COLUMN resolved_as        text,
	ADD COLUMN resolved_by        text,
	ADD COLUMN resolved_at        timestamptz,
	ADD COLUMN resolve_note       text;
UPDATE tidemark.migration_history SET run_id = 'layout1-' || id,
	statements_applied = CASE WHEN status = 'done' THEN 1 ELSE 0 END,
	duration_ms = (extract(epoch FROM finished_at - started_at) * 1000)::bigint;
ALTER TABLE tidemark.migration_history
	ALTER COLUMN run_id SET NOT NULL,
	ADD CONSTRAINT migration_history_run_id_key UNIQUE (run_id),
	ADD CONSTRAINT migration_history_status_check CHECK (status IN ('started', 'done', 'failed')),
	ADD CONSTRAINT migration_history_type_check CHECK (type IN ('ddl', 'dml', 'baseline')),
	ADD CONSTRAINT migration_history_resolved_as_check CHECK (resolved_as IN ('retry', 'done', 'rolled-back'));
CREATE INDEX migration_history_version_idx ON tidemark.migration_history (version, id);
UPDATE tidemark.meta SET value = '2' WHERE key = 'history_layout';`,
	// 2 -> 3: the number of the workspace issue a row was rolled out by.
	`ALTER TABLE tidemark.migration_history ADD COLUMN issue integer;
UPDATE tidemark.meta SET value = '3' WHERE key = 'history_layout';`,
}

// HistoryRow is one row of tidemark.migration_history: one attempt to apply a
// migration (or a baseline marker).
type HistoryRow struct {
	ID                int64      `json:"id,string"`
	Version           string     `json:"version"`
	Description       string     `json:"description"`
	Type              ChangeType `json:"type"`
	Source            Source     `json:"source"`
	Path              string     `json:"path"`
	Checksum          string     `json:"checksum"`
	Statement         string     `json:"statement,omitempty"`
	Status            string     `json:"status"` // started, done, failed
	Transactional     bool       `json:"transactional"`
	StatementsApplied int        `json:"statementsApplied"`
	StatementsTotal   int        `json:"statementsTotal"`
	NextStatementLine int        `json:"nextStatementLine,omitempty"` // file line of the statement after the last applied one
	Error             string     `json:"error,omitempty"`
	SQLState          string     `json:"sqlState,omitempty"`
	FailedStatement   string     `json:"failedStatement,omitempty"`
	FailedLine        int        `json:"failedLine,omitempty"`
	AppliedBy         string     `json:"appliedBy"`
	Host              string     `json:"host"`
	ToolVersion       string     `json:"toolVersion"`
	RunID             string     `json:"runId"`
	StartedAt         time.Time  `json:"startedAt"`
	FinishedAt        *time.Time `json:"finishedAt,omitempty"`
	DurationMS        int64      `json:"durationMs"`
	ResolvedAs        string     `json:"resolvedAs,omitempty"` // retry, done, rolled-back
	ResolvedBy        string     `json:"resolvedBy,omitempty"`
	ResolvedAt        *time.Time `json:"resolvedAt,omitempty"`
	ResolveNote       string     `json:"resolveNote,omitempty"`
	// Issue is the number of the workspace issue whose rollout wrote the
	// row (0: none).
	Issue int `json:"issue,omitempty"`
}

// Row statuses.
const (
	StatusStarted = "started"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// Resolutions accepted by Resolve.
const (
	ResolveRetry      = "retry"       // run again from the statement that did not finish
	ResolveDone       = "done"        // the rest was completed by hand; record as done
	ResolveRolledBack = "rolled-back" // what ran was undone by hand; run again from the start
)

// blocking reports whether this row stops every apply until resolved: a
// non-transactional unit that started and did not finish.
func (h *HistoryRow) blocking() bool {
	return !h.Transactional && (h.Status == StatusStarted || h.Status == StatusFailed) && h.ResolvedAs == ""
}

// querier is what history reads need; *pgx.Conn and pgx.Tx satisfy it.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// historyLayout returns the layout version present (0 when there is no history table).
func historyLayout(ctx context.Context, q querier) (int, error) {
	var hasTable, hasMeta bool
	err := q.QueryRow(ctx, `SELECT to_regclass('tidemark.migration_history') IS NOT NULL, to_regclass('tidemark.meta') IS NOT NULL`).Scan(&hasTable, &hasMeta)
	if err != nil {
		return 0, fmt.Errorf("look for the history table: %w", err)
	}
	if !hasTable {
		return 0, nil
	}
	if !hasMeta {
		return 0, fmt.Errorf("%s exists but tidemark.meta does not: the history table was not created by Tidemark", historyTable)
	}
	var v int
	if err := q.QueryRow(ctx, `SELECT value::int FROM tidemark.meta WHERE key = 'history_layout'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read the history layout version: %w", err)
	}
	if v > HistoryLayout {
		return v, fmt.Errorf("history table layout %d is newer than this Tidemark understands (%d): upgrade Tidemark", v, HistoryLayout)
	}
	return v, nil
}

// upgradeHistory creates or upgrades the history table to HistoryLayout. The
// caller holds the migration lock, so two runners never race here.
func upgradeHistory(ctx context.Context, conn *pgx.Conn) error {
	cur, err := historyLayout(ctx, conn)
	if err != nil {
		return err
	}
	for v := cur; v < HistoryLayout; v++ {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, historyLayouts[v])
			return err
		})
		if err != nil {
			return fmt.Errorf("upgrade history table layout %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

// historyColumns lists the columns read, per layout; columns a layout lacks read as NULL.
func historyColumns(layout int) string {
	issue := "NULL::int"
	if layout >= 3 {
		issue = "issue"
	}
	if layout >= 2 {
		return `id, version, description, type, source, file_path, checksum, statement, status, transactional,
			statements_applied, statements_total, next_statement_line, error, error_sqlstate, failed_statement, failed_line,
			applied_by, host, tool_version, run_id, started_at, finished_at, coalesce(duration_ms, 0),
			resolved_as, resolved_by, resolved_at, resolve_note, ` + issue
	}
	return `id, version, description, type, 'file', '', checksum, '', status, true,
			CASE WHEN status = 'done' THEN 1 ELSE 0 END, 0, NULL::int, NULL, NULL, NULL, NULL::int,
			applied_by, '', '', 'layout1-' || id, started_at, finished_at,
			coalesce((extract(epoch FROM finished_at - started_at) * 1000)::bigint, 0),
			NULL, NULL, NULL::timestamptz, NULL, NULL::int`
}

func scanHistory(rows pgx.Rows) ([]HistoryRow, error) {
	defer rows.Close()
	var out []HistoryRow
	for rows.Next() {
		var (
			h                                                HistoryRow
			next, failedLine, issue                          *int32
			errText, state, failedStmt, resAs, resBy, resNot *string
		)
		if err := rows.Scan(&h.ID, &h.Version, &h.Description, &h.Type, &h.Source, &h.Path, &h.Checksum, &h.Statement,
			&h.Status, &h.Transactional, &h.StatementsApplied, &h.StatementsTotal, &next, &errText, &state, &failedStmt,
			&failedLine, &h.AppliedBy, &h.Host, &h.ToolVersion, &h.RunID, &h.StartedAt, &h.FinishedAt, &h.DurationMS,
			&resAs, &resBy, &h.ResolvedAt, &resNot, &issue); err != nil {
			return nil, fmt.Errorf("read history: %w", err)
		}
		h.NextStatementLine = derefInt(next)
		h.FailedLine = derefInt(failedLine)
		h.Issue = derefInt(issue)
		h.Error, h.SQLState, h.FailedStatement = deref(errText), deref(state), deref(failedStmt)
		h.ResolvedAs, h.ResolvedBy, h.ResolveNote = deref(resAs), deref(resBy), deref(resNot)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(i *int32) int {
	if i == nil {
		return 0
	}
	return int(*i)
}

// readHistory returns every history row in id order (empty when there is no table).
func readHistory(ctx context.Context, q querier) ([]HistoryRow, int, error) {
	layout, err := historyLayout(ctx, q)
	if err != nil || layout == 0 {
		return nil, layout, err
	}
	rows, err := q.Query(ctx, `SELECT `+historyColumns(layout)+` FROM `+historyTable+` ORDER BY id`)
	if err != nil {
		return nil, layout, fmt.Errorf("read history: %w", err)
	}
	hs, err := scanHistory(rows)
	return hs, layout, err
}

// historyByRunID returns the row written by a run id, or nil when there is none.
func historyByRunID(ctx context.Context, q querier, runID string) (*HistoryRow, error) {
	rows, err := q.Query(ctx, `SELECT `+historyColumns(HistoryLayout)+` FROM `+historyTable+` WHERE run_id = $1`, runID)
	if err != nil {
		return nil, fmt.Errorf("look up run %s: %w", runID, err)
	}
	hs, err := scanHistory(rows)
	if err != nil || len(hs) == 0 {
		return nil, err
	}
	return &hs[0], nil
}
