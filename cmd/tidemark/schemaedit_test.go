package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

func writeOps(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ops.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSchemaEditCLI(t *testing.T) {
	url := pgsrv.NewDB(t)
	pgtest.MustExec(t, url, `CREATE TABLE customers (id int PRIMARY KEY, name text);
		CREATE VIEW names AS SELECT name FROM customers;`)
	ops := writeOps(t, `[
		{"op": "rename_column", "schema": "public", "table": "customers", "name": "name", "to": "full_name"},
		{"op": "create_table", "schema": "public", "table": "t1", "columns": [{"name": "id", "type": "bigint", "identity": "always"}], "primary_key": ["id"]},
		{"op": "add_column", "schema": "public", "table": "t1", "column": {"name": "name", "type": "text"}},
		{"op": "add_constraint", "schema": "public", "table": "t1", "constraint": {"type": "foreign_key", "columns": ["id"], "ref_table": "customers"}}
	]`)
	out, errs, code := runCLI(t, "schema", "edit", "--url", url, "--ops", ops)
	if code != 1 || !strings.Contains(errs, "foreign key t1_id_fkey: column id is bigint but the referenced public.customers.id is integer") {
		t.Fatalf("type mismatch: exit %d\n%s\n%s", code, errs, out)
	}
	ops = writeOps(t, `[
		{"op": "rename_column", "schema": "public", "table": "customers", "name": "name", "to": "full_name"},
		{"op": "create_table", "schema": "public", "table": "t1", "columns": [{"name": "id", "type": "int", "identity": "always"}], "primary_key": ["id"]},
		{"op": "add_column", "schema": "public", "table": "t1", "column": {"name": "name", "type": "text"}},
		{"op": "add_constraint", "schema": "public", "table": "t1", "constraint": {"type": "foreign_key", "columns": ["id"], "ref_table": "customers"}}
	]`)
	out, errs, code = runCLI(t, "schema", "edit", "--url", url, "--ops", ops)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{"ALTER TABLE public.customers RENAME COLUMN name TO full_name;", "CREATE TABLE public.t1 (", "name text", "FOREIGN KEY (id) REFERENCES public.customers(id)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "DROP") {
		t.Errorf("the preview drops something:\n%s", out)
	}
	out, errs, code = runCLI(t, "schema", "edit", "--url", url, "--ops", ops, "--format", "json")
	if code != 0 {
		t.Fatalf("json: exit %d\n%s", code, errs)
	}
	var rep struct {
		Plan struct {
			Statements []struct {
				SQL string `json:"sql"`
			} `json:"statements"`
		} `json:"plan"`
		Renames []map[string]string `json:"renames"`
		Marks   map[string]string   `json:"marks"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(rep.Renames) != 1 || rep.Renames[0]["kind"] != "column" || rep.Renames[0]["to"] != "full_name" ||
		rep.Marks["table:public.t1"] != "created" || rep.Marks["column:public.customers.full_name"] != "changed" ||
		len(rep.Plan.Statements) == 0 || !strings.HasPrefix(rep.Plan.Statements[0].SQL, "ALTER TABLE public.customers RENAME COLUMN") {
		t.Errorf("json report: %+v", rep)
	}

	// A refused operation is named; a malformed file is a usage error.
	bad := writeOps(t, `[{"op": "drop_column", "schema": "public", "table": "customers", "name": "nope"}]`)
	_, errs, code = runCLI(t, "schema", "edit", "--url", url, "--ops", bad)
	if code != 1 || !strings.Contains(errs, "operation 1 (drop_column): table public.customers has no column nope") {
		t.Errorf("refused op: exit %d, %q", code, errs)
	}
	bad = writeOps(t, `[{"op": "drop_column", "colum": "x"}]`)
	_, errs, code = runCLI(t, "schema", "edit", "--url", url, "--ops", bad)
	if code != 2 || !strings.Contains(errs, `unknown field "colum"`) {
		t.Errorf("malformed ops: exit %d, %q", code, errs)
	}
	_, errs, code = runCLI(t, "schema", "edit", "--url", url)
	if code != 2 || !strings.Contains(errs, "--url and --ops (or --design) are required") {
		t.Errorf("usage: exit %d, %q", code, errs)
	}
}
