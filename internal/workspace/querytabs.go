package workspace

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// QueryTab is one open SQL editor tab as kept across restarts. Admin mode is
// never kept: a tab always reopens read-only.
type QueryTab struct {
	ID             string
	Title          string
	DatabaseID     string // "" when no database is chosen (or it was removed)
	SQL            string
	Limit          int // 0: the default row limit; negative: all rows
	TimeoutSeconds int // 0: the mode's default
	Active         bool
}

// ListQueryTabs returns the saved tabs in their order (empty when none).
func (s *Store) ListQueryTabs(ctx context.Context) ([]QueryTab, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, database_id, sql, row_limit, timeout_seconds, active
		FROM query_tabs ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("list query tabs: %w", err)
	}
	defer rows.Close()
	out := []QueryTab{}
	for rows.Next() {
		var t QueryTab
		var db sql.NullString
		if err := rows.Scan(&t.ID, &t.Title, &db, &t.SQL, &t.Limit, &t.TimeoutSeconds, &t.Active); err != nil {
			return nil, fmt.Errorf("list query tabs: %w", err)
		}
		t.DatabaseID = db.String
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list query tabs: %w", err)
	}
	return out, nil
}

// SaveQueryTabs replaces the saved tabs with tabs, in their order. Tab ids
// must be non-empty and distinct, at most one tab active, the timeout not
// negative; a database that is not in the workspace is ErrNotFound. Nothing
// is changed when any tab is refused.
func (s *Store) SaveQueryTabs(ctx context.Context, tabs []QueryTab) error {
	seen := map[string]bool{}
	active := 0
	for i, t := range tabs {
		switch {
		case strings.TrimSpace(t.ID) == "":
			return fmt.Errorf("query tab %d: empty id: %w", i+1, ErrInvalid)
		case seen[t.ID]:
			return fmt.Errorf("query tab %q appears twice: %w", t.ID, ErrInvalid)
		case t.TimeoutSeconds < 0:
			return fmt.Errorf("query tab %q: timeout %d s is negative: %w", t.ID, t.TimeoutSeconds, ErrInvalid)
		}
		seen[t.ID] = true
		if t.Active {
			active++
		}
	}
	if active > 1 {
		return fmt.Errorf("query tabs: %d tabs are active, at most one can be: %w", active, ErrInvalid)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save query tabs: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM query_tabs`); err != nil {
		return fmt.Errorf("save query tabs: %w", err)
	}
	for i, t := range tabs {
		if t.DatabaseID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM databases WHERE id = ?`, t.DatabaseID).Scan(&n); err != nil {
				return fmt.Errorf("save query tab %q: %w", t.ID, err)
			}
			if n == 0 {
				return fmt.Errorf("query tab %q: %w", t.ID, notFound("database", t.DatabaseID))
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO query_tabs (position, id, title, database_id, sql, row_limit, timeout_seconds, active)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, i, t.ID, t.Title, nullStr(t.DatabaseID), t.SQL, t.Limit, t.TimeoutSeconds, t.Active); err != nil {
			return fmt.Errorf("save query tab %q: %w", t.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save query tabs: %w", err)
	}
	return nil
}
