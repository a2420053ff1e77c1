package query

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

// TestEditorTutorialFlow walks the tutorial: a read-only query, a refused
// DELETE, then admin mode on a production database (confirmed by name)
// adding a column that a query then shows; every run is in the history.
func TestEditorTutorialFlow(t *testing.T) {
	ctx := context.Background()
	f := wstest.New(t, srv)
	d, _ := f.Database(t, `CREATE TABLE employees (id int PRIMARY KEY, name text); INSERT INTO employees VALUES (1, 'Ann'), (2, NULL);`)
	d = f.Production(t, d)
	e := NewEditor(f.WS, f.Conns)
	defer e.Close(ctx)

	out, err := e.Run(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: "SELECT * FROM employees ORDER BY id"})
	if err != nil || out.Mode != ReadOnly || len(out.Grids) != 1 || len(out.Grids[0].Rows) != 2 || !out.Grids[0].Rows[1][1].Null {
		t.Fatalf("read-only select: %v %+v", err, out)
	}
	_, err = e.Run(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: "DELETE FROM employees"})
	if ue := usererr.From(err); ue == nil || !strings.Contains(ue.Message, "allow-list fence: DELETE") || ue.Hint == "" {
		t.Fatalf("delete: %v", err)
	}
	// Admin mode on production needs the database's name.
	_, err = e.Run(ctx, Request{Tab: "t1", DatabaseID: d.ID, Admin: true, Script: "ALTER TABLE employees ADD COLUMN email text"})
	if ue := usererr.From(err); ue == nil || ue.Field != "confirm" {
		t.Fatalf("unconfirmed admin on production: %v", err)
	}
	out, err = e.Run(ctx, Request{Tab: "t1", DatabaseID: d.ID, Admin: true, ConfirmDatabase: d.Name, Script: "BEGIN; ALTER TABLE employees ADD COLUMN email text"})
	if err != nil || out.Mode != Admin || !out.InTransaction {
		t.Fatalf("admin: %v %+v", err, out)
	}
	out, err = e.Run(ctx, Request{Tab: "t1", DatabaseID: d.ID, Admin: true, ConfirmDatabase: d.Name, Script: "COMMIT"})
	if err != nil || out.InTransaction {
		t.Fatalf("commit: %v %+v", err, out)
	}
	// Back to read-only: the admin session is closed, the column is there.
	out, err = e.Run(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: "SELECT id, email FROM employees ORDER BY id", Limit: 1})
	if err != nil || out.Mode != ReadOnly || out.Grids[0].Cols[1].Name != "email" || !out.Results[0].LimitReached {
		t.Fatalf("after admin: %v %+v", err, out)
	}
	hist, err := e.History(ctx, d.ID, "", 0)
	if err != nil || len(hist) != 5 {
		t.Fatalf("history: %d %v", len(hist), err)
	}
	if hist[0].Mode != workspace.QueryReadOnly || hist[0].Rows != 1 || hist[1].Mode != workspace.QueryAdmin || hist[3].Error == "" {
		t.Errorf("history rows: %+v", hist)
	}
	if got, _ := e.History(ctx, d.ID, "alter table", 0); len(got) != 1 {
		t.Errorf("search: %+v", got)
	}
	// Nothing in change history: admin changes are drift.
	if ch, err := f.WS.ListChanges(ctx, d.ID); err != nil || len(ch) != 0 {
		t.Errorf("change history: %+v %v", ch, err)
	}
	// Closing a tab with an open admin transaction rolls it back.
	if _, err := e.Run(ctx, Request{Tab: "t2", DatabaseID: d.ID, Admin: true, ConfirmDatabase: d.Name, Script: "BEGIN; DELETE FROM employees"}); err != nil {
		t.Fatal(err)
	}
	if err := e.CloseTab(ctx, "t2"); err != nil {
		t.Fatal(err)
	}
	out, err = e.Run(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: "SELECT count(*) FROM employees"})
	if err != nil || out.Grids[0].Rows[0][0].Text != "2" {
		t.Errorf("after closing the tab: %v %+v", err, out)
	}
	if e.Cancel("t1") {
		t.Error("cancel reported a running statement")
	}
	if _, err := e.Run(ctx, Request{Tab: "t1", DatabaseID: "nope", Script: "SELECT 1"}); !errors.Is(err, workspace.ErrNotFound) {
		t.Errorf("unknown database: %v", err)
	}
}

// TestEditorExplain: plans on the tab's session; EXPLAIN ANALYZE only in
// admin mode; an error points into the statement; a plan longer than a grid
// cell still parses; every plan is in the history.
func TestEditorExplain(t *testing.T) {
	ctx := context.Background()
	f := wstest.New(t, srv)
	d, _ := f.Database(t, `CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g;`)
	e := NewEditor(f.WS, f.Conns)
	defer e.Close(ctx)
	plan, _, err := e.Explain(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: "SELECT * FROM t WHERE id = 5"}, false)
	if err != nil || plan.NodeType == "" || plan.ActualTime != nil {
		t.Fatalf("explain: %v %+v", err, plan)
	}
	_, _, err = e.Explain(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: "SELECT * FROM t"}, true)
	var se *StatementError
	if !errors.As(err, &se) || se.Fence != FenceAllowList || usererr.From(err).Hint == "" {
		t.Fatalf("EXPLAIN ANALYZE in read-only mode: %v", err)
	}
	plan, inTx, err := e.Explain(ctx, Request{Tab: "t1", DatabaseID: d.ID, Admin: true, Script: "SELECT * FROM t a JOIN t b USING (id)"}, true)
	if err != nil || plan.ActualTime == nil || inTx {
		t.Fatalf("EXPLAIN ANALYZE in admin mode: %v %+v", err, plan)
	}
	_, _, err = e.Explain(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: "\n  SELECT nope FROM t"}, false)
	if !errors.As(err, &se) || se.Line != 2 || se.Column != 10 || usererr.From(err).SQLState != "42703" {
		t.Fatalf("error position: %v %+v", err, se)
	}
	parts := make([]string, 300)
	for i := range parts {
		parts[i] = "SELECT id, v FROM t WHERE id > " + strconv.Itoa(i)
	}
	plan, _, err = e.Explain(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: strings.Join(parts, " UNION ALL ")}, false)
	if err != nil || len(plan.Children) != 300 {
		t.Fatalf("a long plan: %v", err)
	}
	if h, err := e.History(ctx, d.ID, "explain", 0); err != nil || len(h) != 5 || h[2].Mode != workspace.QueryAdmin || !strings.HasPrefix(h[2].Statement, "EXPLAIN ANALYZE ") {
		t.Errorf("history: %+v %v", h, err)
	}
}

// TestEditorValueViewer: a value cut in the grid comes back whole from the
// tab's last run; past the budget a cut value is refused with a way out.
func TestEditorValueViewer(t *testing.T) {
	ctx := context.Background()
	f := wstest.New(t, srv)
	d, _ := f.Database(t, `CREATE TABLE docs (id int, body text, raw bytea);
		INSERT INTO docs VALUES (1, repeat('é', 60000) || 'end', decode(repeat('ab', 70000), 'hex')), (2, 'short', NULL);`)
	e := NewEditor(f.WS, f.Conns)
	defer e.Close(ctx)
	out, err := e.Run(ctx, Request{Tab: "t1", DatabaseID: d.ID, Script: "SELECT 1; SELECT body, raw, id FROM docs ORDER BY id"})
	if err != nil || len(out.Grids) != 2 {
		t.Fatalf("run: %v", err)
	}
	g := out.Grids[1]
	if c := g.Rows[0][0]; !c.Truncated || len(c.Text) > MaxCellBytes {
		t.Fatalf("the long value is not cut: %d bytes, truncated %v", len(c.Text), c.Truncated)
	}
	body, err := e.Value("t1", 1, 0, 0)
	if err != nil || body != strings.Repeat("é", 60000)+"end" {
		t.Errorf("whole body: %d bytes, %v", len(body), err)
	}
	raw, err := e.Value("t1", 1, 0, 1)
	if err != nil || raw != `\x`+strings.Repeat("ab", 70000) {
		t.Errorf("whole bytea: %d bytes, %v", len(raw), err)
	}
	if v, err := e.Value("t1", 1, 1, 0); err != nil || v != "short" {
		t.Errorf("short value: %q %v", v, err)
	}
	for _, c := range [][3]int{{2, 0, 0}, {1, 2, 0}, {1, 0, 3}, {-1, 0, 0}} {
		if _, err := e.Value("t1", c[0], c[1], c[2]); usererr.From(err) == nil || usererr.From(err).Field == "" {
			t.Errorf("cell %v: %v", c, err)
		}
	}
	if _, err := e.Value("other", 0, 0, 0); err == nil {
		t.Error("a tab that never ran has values")
	}
	// The budget: cut values are kept whole while it lasts.
	gb := &Grid{KeepFull: 3 * MaxCellBytes}
	big := bytes.Repeat([]byte("x"), MaxCellBytes+10)
	for i := 0; i < 3; i++ {
		if err := gb.Row([][]byte{big}); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []error{nil, nil, ErrValueNotKept} {
		if v, err := gb.Full(i, 0); !errors.Is(err, want) || (err == nil && v != string(big)) {
			t.Errorf("row %d: %d bytes, %v; want %v", i, len(v), err, want)
		}
	}
}
