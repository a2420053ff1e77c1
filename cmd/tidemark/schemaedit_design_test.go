package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// TestSchemaEditDesignCLI: --design edits a desired-state .sql (loaded on
// the --scratch server) and plans from each target database to it; the
// ops are optional and a rename is passed only where the target holds the
// object; a design PostgreSQL rejects exits 2 naming its line.
func TestSchemaEditDesignCLI(t *testing.T) {
	url := pgsrv.NewDB(t)
	pgtest.MustExec(t, url, `CREATE TABLE customers (id int PRIMARY KEY, name text)`)
	dir := t.TempDir()
	design := filepath.Join(dir, "design.sql")
	if err := os.WriteFile(design, []byte("CREATE TABLE public.customers (id int PRIMARY KEY, name text, email text);\nCREATE TABLE public.tags (id int PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCLI(t, "schema", "edit", "--url", url, "--design", design, "--scratch", pgsrv.AdminURL)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{"ADD COLUMN email text", "CREATE TABLE public.tags"} {
		if !strings.Contains(out, want) {
			t.Errorf("design plan lacks %q:\n%s", want, out)
		}
	}
	ops := writeOps(t, `[{"op": "rename_column", "schema": "public", "table": "customers", "name": "name", "to": "full_name"},
		{"op": "rename_table", "schema": "public", "table": "tags", "to": "labels"}]`)
	out, errs, code = runCLI(t, "schema", "edit", "--url", url, "--design", design, "--ops", ops, "--scratch", pgsrv.AdminURL)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if !strings.Contains(out, "RENAME COLUMN name TO full_name") || !strings.Contains(out, "CREATE TABLE public.labels") || strings.Contains(out, "DROP") ||
		strings.Contains(out, "RENAME TO labels") {
		t.Errorf("design plan with renames:\n%s", out)
	}
	bad := filepath.Join(dir, "bad.sql")
	if err := os.WriteFile(bad, []byte("CREATE TABLE a (id int);\nCREATE TABEL b (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code = runCLI(t, "schema", "edit", "--url", url, "--design", bad, "--scratch", pgsrv.AdminURL)
	if code != 2 || !strings.Contains(errs, "bad.sql:2") || !strings.Contains(errs, "42601") {
		t.Errorf("rejected design: exit %d\n%s", code, errs)
	}
	_, errs, code = runCLI(t, "schema", "edit", "--url", url, "--design", filepath.Join(dir, "missing.sql"))
	if code != 2 || !strings.Contains(errs, "missing.sql") {
		t.Errorf("missing design: exit %d\n%s", code, errs)
	}
	_, errs, code = runCLI(t, "schema", "edit", "--url", url, "--ops", ops, "--scratch", pgsrv.AdminURL)
	if code != 2 || !strings.Contains(errs, "--scratch goes with") {
		t.Errorf("--scratch without --design: exit %d\n%s", code, errs)
	}
}
