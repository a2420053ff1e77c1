package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// TestSchemaEditObjectsCLI: the ops JSON of views, sequences and comments
// (sequence values as numbers or strings) plans CREATE VIEW, CREATE
// SEQUENCE, COMMENT ON and renames without a DROP; a view definition with
// a syntax error is a refused operation (exit 1) naming the parser's words.
func TestSchemaEditObjectsCLI(t *testing.T) {
	url := pgsrv.NewDB(t)
	pgtest.MustExec(t, url, `CREATE TABLE customers (id int PRIMARY KEY, name text, email text);
		CREATE VIEW names AS SELECT name FROM customers;
		CREATE SEQUENCE counter;`)
	ops := writeOps(t, `[
		{"op": "create_view", "schema": "public", "name": "mailable", "comment": "customers we can mail",
		 "view": {"definition": "SELECT id, email FROM customers WHERE email IS NOT NULL"}},
		{"op": "rename_view", "schema": "public", "name": "names", "to": "customer_names"},
		{"op": "create_sequence", "schema": "public", "name": "ticket_no", "sequence": {"data_type": "integer", "start": "100", "increment": 10}},
		{"op": "rename_sequence", "schema": "public", "name": "counter", "to": "counter2"},
		{"op": "comment", "kind": "index", "schema": "public", "name": "customers_pkey", "comment": "by id"},
		{"op": "comment_table", "schema": "public", "table": "customers", "comment": "people"}
	]`)
	out, errs, code := runCLI(t, "schema", "edit", "--url", url, "--ops", ops)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{"ALTER VIEW public.names RENAME TO customer_names;", "ALTER SEQUENCE public.counter RENAME TO counter2;",
		"CREATE VIEW public.mailable AS", "FROM public.customers", "COMMENT ON VIEW public.mailable IS 'customers we can mail';",
		"CREATE SEQUENCE public.ticket_no", "START WITH 100", "COMMENT ON INDEX public.customers_pkey IS 'by id';", "COMMENT ON TABLE public.customers IS 'people';"} {
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
		Renames []map[string]string `json:"renames"`
		Marks   map[string]string   `json:"marks"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(rep.Renames) != 2 || rep.Renames[0]["kind"] != "view" || rep.Renames[1]["kind"] != "sequence" ||
		rep.Marks["view:public.mailable"] != "created" || rep.Marks["sequence:public.counter2"] != "changed" || rep.Marks["index:public.customers_pkey"] != "changed" {
		t.Errorf("json report: %+v", rep)
	}

	bad := writeOps(t, `[{"op": "create_view", "schema": "public", "name": "v", "view": {"definition": "SELECT id FORM customers"}}]`)
	_, errs, code = runCLI(t, "schema", "edit", "--url", url, "--ops", bad)
	if code != 1 || !strings.Contains(errs, `operation 1 (create_view): the view's definition is not valid SQL: syntax error at or near "customers"`) {
		t.Errorf("bad definition: exit %d, %q", code, errs)
	}
}
