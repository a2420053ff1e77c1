package query

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

// progressLog collects an export's progress reports.
type progressLog struct {
	mu   sync.Mutex
	all  []ExportProgress
	done chan ExportProgress
}

func newProgressLog() *progressLog { return &progressLog{done: make(chan ExportProgress, 1)} }

func (l *progressLog) report(p ExportProgress) {
	l.mu.Lock()
	l.all = append(l.all, p)
	l.mu.Unlock()
	if p.Done {
		l.done <- p
	}
}

func (l *progressLog) wait(t *testing.T) ExportProgress {
	t.Helper()
	select {
	case p := <-l.done:
		return p
	case <-time.After(2 * time.Minute):
		t.Fatal("the export did not finish")
		return ExportProgress{}
	}
}

// check verifies the reports: rows never go back, Done comes once and last.
func (l *progressLog) check(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var rows int64
	for i, p := range l.all {
		if p.Rows < rows {
			t.Errorf("report %d: rows went back from %d to %d", i, rows, p.Rows)
		}
		rows = p.Rows
		if p.Done != (i == len(l.all)-1) {
			t.Errorf("report %d of %d: done %v", i+1, len(l.all), p.Done)
		}
	}
}

func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestExportJob exports a generated result to files in the background: a
// finished CSV reads back into PostgreSQL with COPY ... FROM equal to the
// query, JSON lines and XLSX read back by their parsers, and a cancelled or
// failed export leaves no file (nor replaces an existing one).
func TestExportJob(t *testing.T) {
	ctx := context.Background()
	f := wstest.New(t, srv)
	d, url := f.Database(t, `CREATE TABLE src AS SELECT g AS id, md5(g::text) AS h, CASE WHEN g % 7 = 0 THEN NULL ELSE 'r' || g || E',"\n' END AS t, g * 1.5 AS n
		FROM generate_series(1, 30000) g;
		CREATE TABLE copy (LIKE src);`)
	e := NewEditor(f.WS, f.Conns)
	defer e.Close(ctx)
	conn := pgtest.Conn(t, url)
	dir := t.TempDir()

	// CSV, finished: every row, no row limit, read back with COPY FROM.
	path := filepath.Join(dir, "src.csv")
	log := newProgressLog()
	id, err := e.Export(ctx, ExportRequest{DatabaseID: d.ID, Tab: "t1", SQL: "SELECT * FROM src ORDER BY id", Format: CSV, Path: path}, log.report)
	if err != nil || id == "" {
		t.Fatalf("export: %q %v", id, err)
	}
	p := log.wait(t)
	log.check(t)
	if p.Err != nil || p.Rows != 30000 || p.JobID != id || p.Path != path {
		t.Fatalf("done: %+v", p)
	}
	b, err := os.ReadFile(path)
	if err != nil || int64(len(b)) != p.Bytes {
		t.Fatalf("file: %d bytes, reported %d: %v", len(b), p.Bytes, err)
	}
	if _, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(b), "COPY copy FROM STDIN (FORMAT csv, HEADER true)"); err != nil {
		t.Fatalf("COPY FROM the export: %v", err)
	}
	var diff, n int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM ((TABLE src EXCEPT ALL TABLE copy) UNION ALL (TABLE copy EXCEPT ALL TABLE src)) d), (SELECT count(*) FROM copy)`).Scan(&diff, &n); err != nil {
		t.Fatal(err)
	}
	if diff != 0 || n != 30000 {
		t.Errorf("the export read back differs in %d rows (%d rows)", diff, n)
	}
	if e.CancelExport(id) {
		t.Error("cancel of a finished export reported true")
	}
	// The run is in the query history.
	if h, err := e.History(ctx, d.ID, "FROM src ORDER BY id", 0); err != nil || len(h) != 1 || h[0].Rows != 30000 || h[0].Error != "" {
		t.Errorf("history: %+v %v", h, err)
	}

	// JSON lines and XLSX read back.
	jl := filepath.Join(dir, "src.jsonl")
	log = newProgressLog()
	if _, err := e.Export(ctx, ExportRequest{DatabaseID: d.ID, SQL: "SELECT id, t FROM src WHERE id <= 100 ORDER BY id", Format: JSONLines, Path: jl}, log.report); err != nil {
		t.Fatal(err)
	}
	if p := log.wait(t); p.Err != nil || p.Rows != 100 {
		t.Fatalf("jsonl: %+v", p)
	}
	b, _ = os.ReadFile(jl)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var last map[string]any
	if len(lines) != 100 || json.Unmarshal([]byte(lines[99]), &last) != nil || last["id"] != float64(100) || last["t"] != "r100,\"\n" {
		t.Errorf("jsonl: %d lines, last %v", len(lines), last)
	}
	xl := filepath.Join(dir, "src.xlsx")
	log = newProgressLog()
	if _, err := e.Export(ctx, ExportRequest{DatabaseID: d.ID, SQL: "SELECT id, h FROM src ORDER BY id", Format: XLSX, Path: xl}, log.report); err != nil {
		t.Fatal(err)
	}
	if p := log.wait(t); p.Err != nil || p.Rows != 30000 {
		t.Fatalf("xlsx: %+v", p)
	}
	wb, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows("Result 1")
	wb.Close()
	var h string
	_ = conn.QueryRow(ctx, "SELECT h FROM src WHERE id = 30000").Scan(&h)
	if err != nil || len(rows) != 30001 || rows[30000][0] != "30000" || rows[30000][1] != h {
		t.Errorf("xlsx: %d rows %v", len(rows), err)
	}

	// Cancelled mid-export: the query stops on the server and no file is left.
	big := filepath.Join(dir, "big.csv")
	log = newProgressLog()
	id, err = e.Export(ctx, ExportRequest{DatabaseID: d.ID, SQL: "SELECT g, md5(g::text) FROM generate_series(1, 100000000) g", Format: CSV, Path: big}, log.report)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		log.mu.Lock()
		started := len(log.all) > 0 && log.all[len(log.all)-1].Rows > 0
		log.mu.Unlock()
		if started {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no progress reported")
		}
	}
	if !e.CancelExport(id) {
		t.Fatal("cancel found no running export")
	}
	p = log.wait(t)
	log.check(t)
	if !errors.Is(p.Err, ErrExportCanceled) || p.Rows == 0 || p.Rows >= 100000000 {
		t.Errorf("cancelled: %+v", p)
	}
	if _, err := os.Stat(big); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cancelled export left %s: %v", big, err)
	}
	var running int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%generate_series(1, 100000000)%' AND pid <> pg_backend_pid()`).Scan(&running); err != nil || running != 0 {
		t.Errorf("the cancelled query still has %d sessions: %v", running, err)
	}

	// A failure after some rows keeps the existing file and leaves no partial one.
	if err := os.WriteFile(path, []byte("kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	log = newProgressLog()
	if _, err := e.Export(ctx, ExportRequest{DatabaseID: d.ID, SQL: "SELECT 1 / (20000 - id) FROM src ORDER BY id", Format: CSV, Path: path}, log.report); err != nil {
		t.Fatal(err)
	}
	if p := log.wait(t); usererr.From(p.Err).SQLState != "22012" {
		t.Errorf("division by zero: %+v", p)
	}
	if b, _ := os.ReadFile(path); string(b) != "kept\n" {
		t.Errorf("a failed export replaced the file: %q", b)
	}
	// Read-only fences hold for exports; two results do not go to one file.
	for _, tc := range []struct{ sql, want string }{
		{"DELETE FROM src RETURNING *", "allow-list fence: DELETE"},
		{"SELECT 1; SELECT 2", "more than one result"},
		{"SHOW nope_not_a_setting", "nope_not_a_setting"},
	} {
		log = newProgressLog()
		if _, err := e.Export(ctx, ExportRequest{DatabaseID: d.ID, SQL: tc.sql, Format: JSONArray, Path: filepath.Join(dir, "x.json")}, log.report); err != nil {
			t.Fatal(err)
		}
		if p := log.wait(t); p.Err == nil || !strings.Contains(p.Err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.sql, p.Err, tc.want)
		}
	}
	if got := leftovers(t, dir); strings.Join(got, ",") != "src.csv,src.jsonl,src.xlsx" {
		t.Errorf("files in the directory: %v", got)
	}
	// Bad requests are refused before anything starts.
	for _, req := range []ExportRequest{
		{DatabaseID: d.ID, SQL: "SELECT 1", Format: "xml", Path: filepath.Join(dir, "a")},
		{DatabaseID: d.ID, SQL: "SELECT 1", Format: CSV},
		{DatabaseID: d.ID, SQL: " ", Format: CSV, Path: filepath.Join(dir, "a")},
		{DatabaseID: "nope", SQL: "SELECT 1", Format: CSV, Path: filepath.Join(dir, "a")},
		{DatabaseID: d.ID, SQL: "SELECT 1", Format: CSV, Path: filepath.Join(dir, "missing", "a.csv")},
	} {
		if _, err := e.Export(ctx, req, nil); err == nil {
			t.Errorf("%+v: started", req)
		}
	}
	if got := leftovers(t, dir); len(got) != 3 {
		t.Errorf("files in the directory: %v", got)
	}
}

// TestExportXLSXFailureCleansUp: an XLSX export that fails after its rows
// spilled to excelize's temporary file removes that file too.
func TestExportXLSXFailureCleansUp(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	f := wstest.New(t, srv)
	d, _ := f.Database(t, "")
	e := NewEditor(f.WS, f.Conns)
	defer e.Close(ctx)
	dir := t.TempDir()
	log := newProgressLog()
	// ~60 MB of sheet XML (past excelize's 16 MiB in memory), then an error.
	sql := "SELECT g, CASE WHEN g < 250000 THEN repeat('x', 200) ELSE (1 / (g - g))::text END AS v FROM generate_series(1, 300000) g"
	if _, err := e.Export(ctx, ExportRequest{DatabaseID: d.ID, SQL: sql, Format: XLSX, Path: filepath.Join(dir, "x.xlsx")}, log.report); err != nil {
		t.Fatal(err)
	}
	if p := log.wait(t); usererr.From(p.Err).SQLState != "22012" || p.Rows < 100000 {
		t.Fatalf("export: rows %d, %v", p.Rows, p.Err)
	}
	if got := leftovers(t, dir); len(got) != 0 {
		t.Errorf("export directory: %v", got)
	}
	if got := leftovers(t, tmp); len(got) != 0 {
		t.Errorf("temporary files left: %v", got)
	}
}
