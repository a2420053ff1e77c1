package review

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/catalog"
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

// maxRowProbes bounds the EXISTS probes LoadCatalog runs for tables whose
// statistics say nothing (never analyzed, or analyzed while empty).
const maxRowProbes = 500

// LoadCatalog reads the review catalog of the database conn is connected to:
// the schema model (catalog.Inspect), row estimates (pg_class.reltuples,
// with an EXISTS probe when the statistics are missing or zero), the
// current database and search_path. It only reads catalogs and takes no
// locks beyond ACCESS SHARE for the probes.
func LoadCatalog(ctx context.Context, conn *pgx.Conn) (*Catalog, int, error) {
	res, err := catalog.Inspect(ctx, conn, catalog.Options{})
	if err != nil {
		return nil, 0, fmt.Errorf("load catalog: %w", err)
	}
	c := FromSchema(&res.Schema)
	var path []string
	if err := conn.QueryRow(ctx, "SELECT current_database(), current_schemas(false)").Scan(&c.Database, &path); err != nil {
		return nil, 0, fmt.Errorf("load catalog: search path: %w", err)
	}
	c.SearchPath = path
	rows, err := conn.Query(ctx, `SELECT n.nspname, c.relname, c.reltuples::float8
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`)
	if err != nil {
		return nil, 0, fmt.Errorf("load catalog: row estimates: %w", err)
	}
	type est struct {
		t    *Table
		rows float64
	}
	var ests []est
	for rows.Next() {
		var schema, name string
		var n float64
		if err := rows.Scan(&schema, &name, &n); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("load catalog: row estimates: %w", err)
		}
		if t := c.Table(schema, name); t != nil {
			ests = append(ests, est{t, n})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("load catalog: row estimates: %w", err)
	}
	probes := 0
	for _, e := range ests {
		if e.rows >= 1 {
			e.t.Rows = int64(e.rows)
			continue
		}
		if probes >= maxRowProbes {
			continue // stays unknown
		}
		probes++
		var any bool
		q := "SELECT EXISTS (SELECT 1 FROM ONLY " + pgx.Identifier{e.t.Schema, e.t.Name}.Sanitize() + ")"
		if err := conn.QueryRow(ctx, q).Scan(&any); err != nil {
			continue // no privilege: unknown
		}
		if any {
			e.t.Rows = 1
		} else {
			e.t.Rows = 0
		}
	}
	return c, res.ServerVersion, nil
}
