package query

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

const sampleSetup = `
CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), tags text[], doc jsonb, ok boolean, raw bytea, at timestamptz);
INSERT INTO items VALUES
 (1, 'plain', 1.50, '{a,b}', '{"k": [1, 2]}', true, '\x00ff', '2026-01-02 03:04:05+00'),
 (2, 'comma, "quote"' || chr(10) || 'newline', NULL, '{}', 'null', false, NULL, NULL),
 (3, '', 0, NULL, NULL, NULL, '\x', '2026-12-31 23:59:59.999999+00'),
 (4, NULL, -7.25, '{"x y",NULL}', '"s"', true, '\x5c', '1999-01-01 00:00:00+00'),
 (5, '\.', 3, '{q}', '{}', false, '\x01', NULL);
`

func open(t *testing.T, url string, o Options) *Session {
	t.Helper()
	cfg, _, err := pg.ParseConnString(url)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func grid(g *Grid) func(int, sqlparse.Statement) Sink {
	return func(int, sqlparse.Statement) Sink { return g }
}

func TestLimitNullsAndTypes(t *testing.T) {
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, sampleSetup)
	s := open(t, url, Options{})
	ctx := context.Background()
	for _, c := range []struct {
		limit   int
		rows    int64
		reached bool
	}{{0, 5, false}, {2, 2, true}, {5, 5, false}, {6, 5, false}, {1, 1, true}} {
		var g Grid
		res, err := s.Run(ctx, "SELECT * FROM items ORDER BY id", RunOptions{Limit: c.limit, Sink: grid(&g)})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows != c.rows || res[0].LimitReached != c.reached || len(g.Rows) != int(c.rows) {
			t.Errorf("limit %d: rows %d reached %v grid %d; want %d %v", c.limit, res[0].Rows, res[0].LimitReached, len(g.Rows), c.rows, c.reached)
		}
	}
	var g Grid
	if _, err := s.Run(ctx, "SELECT name, price, at FROM items WHERE id IN (3, 4) ORDER BY id", RunOptions{Sink: grid(&g)}); err != nil {
		t.Fatal(err)
	}
	if got := []string{g.Cols[0].Type, g.Cols[1].Type, g.Cols[2].Type}; got[0] != "text" || got[1] != "numeric(10,2)" || got[2] != "timestamp with time zone" {
		t.Errorf("types %v", got)
	}
	if g.Rows[0][0].Null || g.Rows[0][0].Text != "" || !g.Rows[1][0].Null {
		t.Errorf("empty string vs NULL: %+v", g.Rows)
	}
	// SHOW and EXPLAIN run too (not through a cursor).
	res, err := s.Run(ctx, "SHOW transaction_read_only; EXPLAIN SELECT * FROM items; VALUES (1), (2); TABLE items", RunOptions{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 || res[2].Rows != 2 || !res[3].LimitReached {
		t.Errorf("results %+v", res)
	}
}

func TestErrorsCarryPositionDetailAndHint(t *testing.T) {
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, sampleSetup)
	s := open(t, url, Options{})
	ctx := context.Background()
	pid := s.PID()
	// A syntax error: its position, without a round trip (the session's
	// connection is not even needed).
	_ = s.Close(ctx)
	_, err := s.Run(ctx, "SELECT 1;\nSELEC 2", RunOptions{})
	var se *StatementError
	if !errors.As(err, &se) || se.Line != 2 || se.Column != 1 || se.Err.SQLState != "42601" || s.conn != nil {
		t.Fatalf("syntax error: %v (%+v)", err, se)
	}
	// The server's error positions are mapped into the script, through the cursor.
	_, err = s.Run(ctx, "SELECT 1;\n  SELECT nope FROM items", RunOptions{})
	if !errors.As(err, &se) || se.Err.SQLState != "42703" || se.Line != 2 || se.Column != 10 || se.Index != 1 {
		t.Fatalf("undefined column: %v (%+v)", err, se)
	}
	if s.PID() == pid {
		t.Errorf("the session should have reconnected")
	}
	_, err = s.Run(ctx, "SELECT 1/0", RunOptions{})
	if !errors.As(err, &se) || se.Err.SQLState != "22012" {
		t.Errorf("division by zero: %v", err)
	}
	_, err = s.Run(ctx, "SELECT * FROM itemz", RunOptions{})
	if !errors.As(err, &se) || se.Err.SQLState != "42P01" || se.Column != 15 {
		t.Errorf("undefined table: %v (%+v)", err, se)
	}
	_, err = s.Run(ctx, "SELECT jsonb_path_query('{}', 'strict $.a')", RunOptions{})
	if !errors.As(err, &se) || se.Err.SQLState == "" {
		t.Errorf("json path: %v", err)
	}
	// A detail from the server comes through (admin mode, a unique violation).
	a := open(t, url, Options{Admin: true})
	_, err = a.Run(ctx, "INSERT INTO items (id) VALUES (1)", RunOptions{})
	if !errors.As(err, &se) || se.Err.SQLState != "23505" || !strings.Contains(se.Err.Detail, "(id)=(1)") {
		t.Errorf("unique violation: %v (%+v)", err, se)
	}
}

func TestCancelTimeoutAndReconnect(t *testing.T) {
	url := srv.NewDB(t)
	s := open(t, url, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Run(ctx, "SELECT pg_sleep(60)", RunOptions{})
		done <- err
	}()
	// Cancel once the statement runs on the server.
	obs := pgtest.Conn(t, url)
	for i := 0; ; i++ {
		if i > 500 {
			t.Fatal("the statement never ran")
		}
		var n int
		if err := obs.QueryRow(context.Background(), "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'FETCH%tidemark_query' AND state = 'active' AND pid <> pg_backend_pid()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	pid := s.PID()
	cancel()
	err := <-done
	var se *StatementError
	if !errors.As(err, &se) || se.Err.SQLState != "57014" || !strings.Contains(se.Err.Message, "cancelled") {
		t.Fatalf("cancel: %v", err)
	}
	// Server-side cancel: the same connection goes on.
	if _, err := s.Run(context.Background(), "SELECT 1", RunOptions{}); err != nil || s.PID() != pid {
		t.Fatalf("after cancel: %v (pid %d, was %d)", err, s.PID(), pid)
	}
	// Statement timeout.
	st := open(t, url, Options{Timeout: 200 * time.Millisecond})
	_, err = st.Run(context.Background(), "SELECT pg_sleep(30)", RunOptions{})
	if !errors.As(err, &se) || se.Err.SQLState != "57014" || !strings.Contains(se.Err.Message, "statement timeout") {
		t.Fatalf("timeout: %v", err)
	}
	// A lost connection: an error now, a reconnect on the next run.
	if _, err := obs.Exec(context.Background(), fmt.Sprintf("SELECT pg_terminate_backend(%d)", s.PID())); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), "SELECT 1", RunOptions{}); err == nil {
		t.Fatal("a terminated session ran a statement")
	}
	if _, err := s.Run(context.Background(), "SELECT 1", RunOptions{}); err != nil {
		t.Fatalf("reconnect: %v", err)
	}
}

func TestAdminMode(t *testing.T) {
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, sampleSetup)
	ctx := context.Background()
	a := open(t, url, Options{Admin: true})
	if a.Mode() != Admin {
		t.Fatal(a.Mode())
	}
	res, err := a.Run(ctx, "ALTER TABLE items ADD COLUMN note text; UPDATE items SET note = 'n' WHERE id = 1", RunOptions{})
	if err != nil || len(res) != 2 || res[0].Tag != "ALTER TABLE" || res[1].Tag != "UPDATE 1" {
		t.Fatalf("admin: %v %+v", err, res)
	}
	// Explicit transactions are honoured; the open one is visible.
	if _, err := a.Run(ctx, "BEGIN; DELETE FROM items WHERE id = 5", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if !a.InTransaction() {
		t.Error("no open transaction after BEGIN")
	}
	if _, err := a.Run(ctx, "ROLLBACK", RunOptions{}); err != nil || a.InTransaction() {
		t.Fatal(err)
	}
	ro := open(t, url, Options{})
	var g Grid
	if _, err := ro.Run(ctx, "SELECT count(*), max(note) FROM items", RunOptions{Sink: grid(&g)}); err != nil {
		t.Fatal(err)
	}
	if g.Rows[0][0].Text != "5" || g.Rows[0][1].Text != "n" {
		t.Errorf("after admin changes: %+v", g.Rows)
	}
	// EXPLAIN ANALYZE: admin only; the plan is a tree with actual times.
	if _, err := ro.Explain(ctx, "SELECT * FROM items", true); err == nil {
		t.Error("EXPLAIN ANALYZE ran in read-only mode")
	}
	plan, err := ro.Explain(ctx, "SELECT * FROM items i JOIN items j USING (id) ORDER BY id", false)
	if err != nil || plan.NodeType == "" || len(plan.Children) == 0 || plan.ActualTime != nil {
		t.Fatalf("plan: %v %+v", err, plan)
	}
	plan, err = a.Explain(ctx, "SELECT * FROM items i JOIN items j USING (id) ORDER BY id", true)
	if err != nil || plan.ActualTime == nil {
		t.Fatalf("analyze plan: %v %+v", err, plan)
	}
	slow := 0
	var visit func(n *PlanNode)
	visit = func(n *PlanNode) {
		if n.Slowest {
			slow++
		}
		for _, c := range n.Children {
			visit(c)
		}
	}
	visit(plan)
	if slow == 0 {
		t.Error("no slowest node marked")
	}
}

// TestExportsReadBack writes every format and reads it back: CSV with
// PostgreSQL's COPY ... FROM, JSON with a parser, SQL by running the
// INSERTs into a copy of the table and comparing the rows.
func TestExportsReadBack(t *testing.T) {
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, sampleSetup+`CREATE TABLE copy_csv (LIKE items); CREATE TABLE copy_sql (LIKE items);`)
	ctx := context.Background()
	s := open(t, url, Options{})
	export := func(f Format) []byte {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, f, "copy_sql")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Run(ctx, "SELECT * FROM items ORDER BY id", RunOptions{Sink: func(int, sqlparse.Statement) Sink { return w }}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	conn := pgtest.Conn(t, url)
	same := func(table string) {
		t.Helper()
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM ((TABLE items EXCEPT ALL TABLE `+table+`) UNION ALL (TABLE `+table+` EXCEPT ALL TABLE items)) d`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		var c int
		_ = conn.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&c)
		if n != 0 || c != 5 {
			t.Errorf("%s differs from items in %d rows (%d rows)", table, n, c)
		}
	}
	csvOut := export(CSV)
	if _, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(csvOut), "COPY copy_csv FROM STDIN (FORMAT csv, HEADER true)"); err != nil {
		t.Fatalf("COPY FROM the CSV: %v\n%s", err, csvOut)
	}
	same("copy_csv")
	sqlOut := export(SQL)
	if _, err := conn.Exec(ctx, string(sqlOut), pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatalf("run the INSERTs: %v\n%s", err, sqlOut)
	}
	same("copy_sql")
	var arr []map[string]any
	if err := json.Unmarshal(export(JSONArray), &arr); err != nil || len(arr) != 5 {
		t.Fatalf("JSON array: %v %d", err, len(arr))
	}
	if arr[0]["id"] != float64(1) || arr[0]["ok"] != true || arr[3]["name"] != nil || arr[1]["price"] != nil ||
		fmt.Sprint(arr[0]["doc"]) != "map[k:[1 2]]" || arr[2]["name"] != "" || arr[0]["price"] != 1.5 {
		t.Errorf("JSON values: %v", arr)
	}
	lines := strings.Split(strings.TrimSpace(string(export(JSONLines))), "\n")
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["id"] != float64(i+1) {
			t.Errorf("JSON line %d: %v %q", i, err, l)
		}
	}
	if len(lines) != 5 {
		t.Errorf("%d JSON lines", len(lines))
	}
	tab := string(export(Table))
	if !strings.Contains(tab, "(5 rows)") || !strings.Contains(tab, NullDisplay) {
		t.Errorf("table:\n%s", tab)
	}
}
