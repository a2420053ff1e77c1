package app

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/query"
	"github.com/tidemark-dev/tidemark/internal/secret"
)

func TestQueryBinding(t *testing.T) {
	h := newApp(t, "", false)
	qs := h.app.Query()
	dbID, _ := registerDB(t, h, "test", `CREATE TABLE t (id int, v text); INSERT INTO t VALUES (1, NULL), (2, 'b');`)
	out, err := qs.Run(QueryRequest{Tab: "a", DatabaseID: dbID, SQL: "SELECT * FROM t ORDER BY id"})
	if err != nil || out.Mode != "read-only" || out.Error != nil || len(out.Results) != 1 || len(out.Results[0].Rows) != 2 ||
		!out.Results[0].Rows[0][1].Null || out.Results[0].Columns[1].Type != "text" {
		t.Fatalf("select: %v %+v", err, out)
	}
	out, err = qs.Run(QueryRequest{Tab: "a", DatabaseID: dbID, SQL: "SELECT 1;\nDELETE FROM t"})
	if err != nil || out.Error == nil || out.Error.Fence != "allow-list" || out.Error.Line != 2 || !strings.Contains(out.Error.Message, "DELETE") || out.Error.Hint == "" {
		t.Fatalf("refused: %v %+v", err, out.Error)
	}
	out, err = qs.Run(QueryRequest{Tab: "a", DatabaseID: dbID, Admin: true, SQL: "ALTER TABLE t ADD COLUMN note text"})
	if err != nil || out.Error != nil || out.Mode != "admin" || out.Results[0].Tag != "ALTER TABLE" {
		t.Fatalf("admin: %v %+v", err, out)
	}
	out, err = qs.Run(QueryRequest{Tab: "a", DatabaseID: dbID, SQL: "SELECT note FROM t"})
	if err != nil || out.Error != nil || out.Results[0].Columns[0].Name != "note" {
		t.Fatalf("after admin: %v %+v", err, out)
	}
	hist, err := qs.History(dbID, "", 0)
	if err != nil || len(hist) != 4 || hist[1].Mode != "admin" || hist[2].Error == "" || hist[0].RanAt == "" {
		t.Fatalf("history: %v %+v", err, hist)
	}
	// The value viewer gets a cut value whole.
	out, err = qs.Run(QueryRequest{Tab: "a", DatabaseID: dbID, SQL: "SELECT repeat('x', 70000) AS v"})
	if err != nil || !out.Results[0].Rows[0][0].Truncated {
		t.Fatalf("long value: %v %+v", err, out.Error)
	}
	if v, err := qs.CellValue("a", 0, 0, 0); err != nil || v != strings.Repeat("x", 70000) {
		t.Errorf("cell value: %d bytes %v", len(v), err)
	}
	if _, err := qs.CellValue("a", 3, 0, 0); userErr(t, err).Field != "result" {
		t.Errorf("no such result: %v", err)
	}
	if _, err := qs.Run(QueryRequest{Tab: "a", DatabaseID: "nope", SQL: "SELECT 1"}); err == nil {
		t.Error("unknown database ran")
	}
	if err := qs.CloseTab("a"); err != nil {
		t.Fatal(err)
	}
}

func TestQueryTabsBinding(t *testing.T) {
	h := newApp(t, "", false)
	qs := h.app.Query()
	dbID, _ := registerDB(t, h, "test", `CREATE TABLE t (id int)`)
	if tabs, err := qs.ListTabs(); err != nil || tabs == nil || len(tabs) != 0 {
		t.Fatalf("no tabs: %#v %v", tabs, err)
	}
	want := []QueryTab{{ID: "b", Title: "Query 2", DatabaseID: dbID, SQL: "SELECT * FROM t", Limit: 200, TimeoutSeconds: 5, Active: true},
		{ID: "a", Title: "Query 1", SQL: "SELECT 1", Limit: -1}}
	if err := qs.SaveTabs(want); err != nil {
		t.Fatal(err)
	}
	if got, err := qs.ListTabs(); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("tabs %+v %v", got, err)
	}
	if err := qs.SaveTabs([]QueryTab{{ID: "x", DatabaseID: "nope"}}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("unknown database: %v", err)
	}
	if got, err := qs.ListTabs(); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("a refused save changed the tabs: %+v %v", got, err)
	}
}

func TestQueryCompletionBinding(t *testing.T) {
	h := newApp(t, "", false)
	qs := h.app.Query()
	dbID, _ := registerDB(t, h, "test", `CREATE TABLE t (id int, v varchar(10)); CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
		CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql AS 'SELECT 2 * x'`)
	if _, err := h.app.Schema().Sync(dbID); err != nil {
		t.Fatal(err)
	}
	c, err := qs.Completion(dbID)
	if err != nil || len(c.Schemas) != 1 || c.Schemas[0].Name != "public" {
		t.Fatalf("completion %v %+v", err, c)
	}
	want := []query.CompletionTable{{Name: "mv", Kind: "materialized view", Columns: []query.CompletionColumn{{Name: "id", Type: "integer"}}},
		{Name: "t", Kind: "table", Columns: []query.CompletionColumn{{Name: "id", Type: "integer"}, {Name: "v", Type: "character varying(10)"}}}}
	if s := c.Schemas[0]; !reflect.DeepEqual(s.Tables, want) || len(s.Functions) != 1 || s.Functions[0] != (query.CompletionFunction{Name: "twice", Args: "x integer", Returns: "integer"}) {
		t.Errorf("public: %+v", s)
	}
	if _, err := qs.Completion("nope"); err == nil {
		t.Error("unknown database completed")
	}
}

// TestQueryExportBinding: ExportToFile maps the request into the engine's
// export job and its progress into "query:export" events; CancelExport stops
// it. What an export writes is tested in internal/query.
func TestQueryExportBinding(t *testing.T) {
	h := &harness{dir: t.TempDir(), env: map[string]string{"HOME": t.TempDir()}}
	done := make(chan ExportProgress, 4)
	var mu sync.Mutex
	var events []ExportProgress
	a, err := New(Options{WorkspaceDir: h.dir, Keychain: &secret.Keychain{Service: "tidemark-test", Getenv: func(string) string { return "" }},
		Getenv: func(k string) string { return h.env[k] }, SampleFallbackBase: filepath.Join(t.TempDir(), "fallback"),
		Emit: func(name string, p any) {
			if e, ok := p.(ExportProgress); ok && name == ExportEvent {
				mu.Lock()
				events = append(events, e)
				mu.Unlock()
				if e.Done {
					done <- e
				}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	h.app = a
	t.Cleanup(func() { a.Shutdown(t.Context()) })
	qs := a.Query()
	dbID, _ := registerDB(t, h, "test", `CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 2000)`)
	dir := t.TempDir()
	path := filepath.Join(dir, "t.csv")
	id, err := qs.ExportToFile(ExportRequest{DatabaseID: dbID, Tab: "a", SQL: "SELECT * FROM t ORDER BY id", Format: "csv", Path: path})
	if err != nil || id == "" {
		t.Fatalf("export: %q %v", id, err)
	}
	e := <-done
	if e.JobID != id || e.Rows != 2000 || e.Error != "" || e.Canceled || e.Path != path {
		t.Fatalf("done: %+v", e)
	}
	if b, err := os.ReadFile(path); err != nil || int64(len(b)) != e.Bytes || !strings.HasPrefix(string(b), "id\n1\n2\n") {
		t.Fatalf("file: %d %v", len(b), err)
	}
	// A refused statement: the event carries the message; no file.
	if _, err := qs.ExportToFile(ExportRequest{DatabaseID: dbID, SQL: "DELETE FROM t RETURNING id", Format: "json", Path: filepath.Join(dir, "d.json")}); err != nil {
		t.Fatal(err)
	}
	if e := <-done; !e.Done || !strings.Contains(e.Error, "DELETE") {
		t.Errorf("refused: %+v", e)
	}
	// Cancelled: canceled in the last event, no file.
	id, err = qs.ExportToFile(ExportRequest{DatabaseID: dbID, SQL: "SELECT g FROM generate_series(1, 100000000) g", Format: "jsonl", Path: filepath.Join(dir, "big.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	if !qs.CancelExport(id) {
		t.Fatal("no running export to cancel")
	}
	if e := <-done; !e.Canceled || e.Error == "" {
		t.Errorf("cancelled: %+v", e)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left: %v", ents)
	}
	// Bad input fails the call with a wire error naming the field.
	if _, err := qs.ExportToFile(ExportRequest{DatabaseID: dbID, SQL: "SELECT 1", Format: "xml", Path: path}); userErr(t, err).Field != "format" {
		t.Errorf("bad format: %v", err)
	}
	if qs.CancelExport("nope") {
		t.Error("cancelled an unknown export")
	}
	// Without a window there is no save dialog.
	if _, err := qs.ChooseExportPath("t.csv"); err == nil {
		t.Error("a save dialog without a window")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) < 3 {
		t.Errorf("events: %+v", events)
	}
}

func TestQueryExplainBinding(t *testing.T) {
	h := newApp(t, "", false)
	qs := h.app.Query()
	dbID, _ := registerDB(t, h, "test", `CREATE TABLE t (id int PRIMARY KEY)`)
	out, err := qs.Explain(ExplainRequest{Tab: "a", DatabaseID: dbID, SQL: "SELECT * FROM t WHERE id = 1"})
	if err != nil || out.Error != nil || out.Plan == nil || out.Plan.NodeType == "" || out.Mode != "read-only" {
		t.Fatalf("explain: %v %+v", err, out)
	}
	out, err = qs.Explain(ExplainRequest{Tab: "a", DatabaseID: dbID, SQL: "SELECT * FROM t", Analyze: true})
	if err != nil || out.Error == nil || out.Error.Fence != "allow-list" || out.Plan != nil {
		t.Fatalf("analyze read-only: %v %+v", err, out)
	}
	out, err = qs.Explain(ExplainRequest{Tab: "a", DatabaseID: dbID, SQL: "SELECT * FROM t", Analyze: true, Admin: true})
	if err != nil || out.Error != nil || out.Plan == nil || out.Plan.ActualTime == nil || out.Mode != "admin" {
		t.Fatalf("analyze admin: %v %+v", err, out)
	}
}
