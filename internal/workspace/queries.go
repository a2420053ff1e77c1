package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Query modes kept in the query history.
const (
	QueryReadOnly = "read-only"
	QueryAdmin    = "admin"
)

// QueryRun is one statement run from the SQL editor.
type QueryRun struct {
	ID         string
	DatabaseID string
	Statement  string
	Mode       string // QueryReadOnly, QueryAdmin
	RanAt      time.Time
	Duration   time.Duration
	Rows       int64
	Error      string
	SQLState   string
}

const timeMillis = "2006-01-02T15:04:05.000Z07:00"

// RecordQuery stores one run (ID assigned; a zero RanAt means now). An
// unknown database is ErrNotFound.
func (s *Store) RecordQuery(ctx context.Context, q QueryRun) (QueryRun, error) {
	if q.Mode != QueryReadOnly && q.Mode != QueryAdmin {
		return QueryRun{}, fmt.Errorf("query mode %q: want %s or %s", q.Mode, QueryReadOnly, QueryAdmin)
	}
	if strings.TrimSpace(q.Statement) == "" {
		return QueryRun{}, fmt.Errorf("query history: empty statement")
	}
	if _, err := s.GetDatabase(ctx, q.DatabaseID); err != nil {
		return QueryRun{}, err
	}
	if q.RanAt.IsZero() {
		q.RanAt = time.Now()
	}
	q.RanAt = q.RanAt.UTC().Truncate(time.Millisecond)
	q.Duration = q.Duration.Truncate(time.Millisecond)
	q.ID = uuid.NewString()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO query_history (id, database_id, statement, mode, ran_at, duration_ms, rows, error, sqlstate)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, q.ID, q.DatabaseID, q.Statement, q.Mode, q.RanAt.Format(timeMillis),
		q.Duration.Milliseconds(), q.Rows, q.Error, q.SQLState); err != nil {
		return QueryRun{}, fmt.Errorf("record query of database %s: %w", q.DatabaseID, err)
	}
	return q, nil
}

// ListQueries returns a database's query history, newest first: at most
// limit runs (0: all) whose statement contains search (case-insensitive;
// "" matches every run). An unknown database is ErrNotFound.
func (s *Store) ListQueries(ctx context.Context, databaseID, search string, limit int) ([]QueryRun, error) {
	if _, err := s.GetDatabase(ctx, databaseID); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(search)) + "%"
	rows, err := s.db.QueryContext(ctx, `SELECT id, database_id, statement, mode, ran_at, duration_ms, rows, error, sqlstate
		FROM query_history WHERE database_id = ? AND lower(statement) LIKE ? ESCAPE '\'
		ORDER BY ran_at DESC, rowid DESC LIMIT ?`, databaseID, like, limit)
	if err != nil {
		return nil, fmt.Errorf("list queries of database %s: %w", databaseID, err)
	}
	defer rows.Close()
	out := []QueryRun{}
	for rows.Next() {
		var q QueryRun
		var ran string
		var ms int64
		if err := rows.Scan(&q.ID, &q.DatabaseID, &q.Statement, &q.Mode, &ran, &ms, &q.Rows, &q.Error, &q.SQLState); err != nil {
			return nil, fmt.Errorf("list queries of database %s: %w", databaseID, err)
		}
		q.RanAt, _ = time.Parse(timeMillis, ran)
		q.Duration = time.Duration(ms) * time.Millisecond
		out = append(out, q)
	}
	return out, rows.Err()
}
