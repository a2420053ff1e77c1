package review

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Live is the database access rules need for checks the SQL alone cannot
// answer. Implementations must not change the database.
type Live interface {
	// EstimateRows returns the planner's row estimate for a statement (EXPLAIN, not executed).
	EstimateRows(ctx context.Context, sql string) (int64, error)
	// Explain plans a statement without running it and returns the server's error, if any.
	Explain(ctx context.Context, sql string) error
	// IsMemberOf reports whether the current role is role or a member of it.
	IsMemberOf(ctx context.Context, role string) (bool, error)
}

// PGLive implements Live on a pgx connection. EXPLAIN of data-changing
// statements does not run them, so it is safe on production targets.
type PGLive struct{ Conn *pgx.Conn }

// EstimateRows runs EXPLAIN (FORMAT JSON) and returns the top plan node's row estimate.
func (l *PGLive) EstimateRows(ctx context.Context, sql string) (int64, error) {
	var raw []byte
	if err := l.Conn.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql).Scan(&raw); err != nil {
		return 0, fmt.Errorf("explain: %w", err)
	}
	var plans []struct {
		Plan struct {
			Rows  float64 `json:"Plan Rows"`
			Plans []struct {
				Rows float64 `json:"Plan Rows"`
			} `json:"Plans"`
			NodeType string `json:"Node Type"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal(raw, &plans); err != nil || len(plans) == 0 {
		return 0, fmt.Errorf("explain: unexpected plan output")
	}
	p := plans[0].Plan
	// ModifyTable reports 0 rows; its input estimates the affected rows.
	if p.NodeType == "ModifyTable" && len(p.Plans) > 0 {
		return int64(p.Plans[0].Rows), nil
	}
	return int64(p.Rows), nil
}

// Explain plans sql and returns the server's error.
func (l *PGLive) Explain(ctx context.Context, sql string) error {
	rows, err := l.Conn.Query(ctx, "EXPLAIN "+sql)
	if err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

// IsMemberOf reports pg_has_role(current_user, role, 'MEMBER').
func (l *PGLive) IsMemberOf(ctx context.Context, role string) (bool, error) {
	var ok bool
	err := l.Conn.QueryRow(ctx, "SELECT pg_has_role(current_user, $1, 'MEMBER')", role).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("check role membership: %w", err)
	}
	return ok, nil
}
