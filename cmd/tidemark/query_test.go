package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

func TestQueryUsageErrors(t *testing.T) {
	u := "postgres://x@127.0.0.1:1/a"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"query", "-c", "SELECT 1"}, "--url is required"},
		{[]string{"query", "--url", u}, "give one of -c SQL or -f FILE"},
		{[]string{"query", "--url", u, "-c", "x", "-f", "y"}, "give one of -c SQL or -f FILE"},
		{[]string{"query", "--url", u, "-c", "SELECT 1", "--format", "xml"}, "unknown format"},
		{[]string{"query", "--url", u, "-c", "SELECT 1", "--limit", "-1"}, "--limit must be"},
		{[]string{"query", "--url", u, "-f", filepath.Join(t.TempDir(), "missing.sql")}, "missing.sql"},
		{[]string{"query", "--bogus"}, "unknown flag"},
		{[]string{"query", "--url", u, "-c", "SELECT 1", "--format", "xlsx"}, "--format xlsx writes a binary workbook: give -o FILE"},
	} {
		out, errs, code := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and %q", tc.args, code, errs, out, tc.want)
		}
	}
}

func TestQueryCLI(t *testing.T) {
	url := pgsrv.NewDB(t)
	pgtest.MustExec(t, url, `CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 5) g; UPDATE t SET v = NULL WHERE id = 3;`)
	out, errs, code := runCLI(t, "query", "--url", url, "-c", "SELECT * FROM t ORDER BY id")
	if code != 0 || !strings.Contains(out, "(5 rows)") || !strings.Contains(out, "NULL") {
		t.Errorf("table: %d %q %q", code, out, errs)
	}
	out, errs, code = runCLI(t, "query", "--url", url, "--format", "csv", "--limit", "2", "-c", "SELECT * FROM t ORDER BY id")
	if code != 0 || out != "id,v\n1,v1\n2,v2\n" || !strings.Contains(errs, "limit reached") {
		t.Errorf("csv limit: %d %q %q", code, out, errs)
	}
	out, _, code = runCLI(t, "query", "--url", url, "--format", "json", "--limit", "0", "-c", "SELECT * FROM t ORDER BY id")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 5 || rows[2]["v"] != nil {
		t.Errorf("json: %d %q", code, out)
	}
	// A write in read-only mode: exit 1, the fence named, the hint to use admin mode, nothing changed.
	_, errs, code = runCLI(t, "query", "--url", url, "-c", "DELETE FROM t")
	if code != 1 || !strings.Contains(errs, "refused by the read-only allow-list fence: DELETE is not a read-only statement") || !strings.Contains(errs, "hint:") {
		t.Errorf("refused: %d %q", code, errs)
	}
	// A server error: exit 1 with its SQLSTATE.
	_, errs, code = runCLI(t, "query", "--url", url, "-c", "SELECT nope FROM t")
	if code != 1 || !strings.Contains(errs, "SQLSTATE 42703") {
		t.Errorf("error: %d %q", code, errs)
	}
	// Admin mode changes the database; a file works as input.
	f := filepath.Join(t.TempDir(), "a.sql")
	if err := os.WriteFile(f, []byte("ALTER TABLE t ADD COLUMN note text;\nDELETE FROM t WHERE id > 4;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runCLI(t, "query", "--url", url, "--admin", "-f", f)
	if code != 0 || !strings.Contains(out, "ALTER TABLE") || !strings.Contains(out, "DELETE 1") {
		t.Errorf("admin: %d %q %q", code, out, errs)
	}
	out, _, code = runCLI(t, "query", "--url", url, "--format", "csv", "-c", "SELECT count(*), count(note) FROM t")
	if code != 0 || out != "count,count\n4,0\n" {
		t.Errorf("after admin: %d %q", code, out)
	}
}

func TestQueryCLIOutputFile(t *testing.T) {
	url := pgsrv.NewDB(t)
	pgtest.MustExec(t, url, `CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 5) g;`)
	dir := t.TempDir()
	// XLSX: one sheet per result, read back with excelize.
	x := filepath.Join(dir, "out.xlsx")
	out, errs, code := runCLI(t, "query", "--url", url, "--format", "xlsx", "-o", x, "--limit", "0", "-c", "SELECT * FROM t ORDER BY id; SELECT 'two' AS s")
	if code != 0 || out != "" {
		t.Fatalf("xlsx: %d %q %q", code, out, errs)
	}
	wb, err := excelize.OpenFile(x)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("Result 1")
	if err != nil || len(rows) != 6 || strings.Join(rows[0], ",") != "id,v" || strings.Join(rows[5], ",") != "5,v5" {
		t.Errorf("sheet 1: %v %v", rows, err)
	}
	if v, err := wb.GetCellValue("Result 2", "A2"); err != nil || v != "two" {
		t.Errorf("sheet 2: %q %v", v, err)
	}
	// CSV to a file; a failing run leaves the earlier file as it was and no partial file.
	c := filepath.Join(dir, "out.csv")
	if _, errs, code := runCLI(t, "query", "--url", url, "--format", "csv", "-o", c, "-c", "SELECT id FROM t WHERE id < 3 ORDER BY id"); code != 0 {
		t.Fatalf("csv: %d %q", code, errs)
	}
	if b, err := os.ReadFile(c); err != nil || string(b) != "id\n1\n2\n" {
		t.Fatalf("csv file: %q %v", b, err)
	}
	if _, errs, code := runCLI(t, "query", "--url", url, "--format", "csv", "-o", c, "-c", "SELECT id FROM t; SELECT 1/0"); code != 1 || !strings.Contains(errs, "22012") {
		t.Fatalf("failing run: %d %q", code, errs)
	}
	if b, err := os.ReadFile(c); err != nil || string(b) != "id\n1\n2\n" {
		t.Errorf("a failed run changed the file: %q %v", b, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("files left: %v", ents)
	}
}
