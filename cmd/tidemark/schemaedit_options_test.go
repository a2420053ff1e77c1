package main

import (
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// TestSchemaEditOptionsCLI: the options of the ops JSON reach the plan
// through tidemark schema edit: an index's concurrently and a
// constraint's not_valid_first override --online both ways, and a refused
// option is named with its operation.
func TestSchemaEditOptionsCLI(t *testing.T) {
	url := pgsrv.NewDB(t)
	pgtest.MustExec(t, url, `CREATE TABLE customers (id int PRIMARY KEY, name text);
		CREATE TABLE orders (id int PRIMARY KEY, customer_id int, total numeric);`)
	ops := writeOps(t, `[
		{"op": "add_index", "schema": "public", "table": "customers", "index": {"name": "customers_name_lower",
			"keys": [{"expression": "lower(name)", "order": "desc", "nulls": "last", "opclass": "text_pattern_ops"}], "include": ["id"], "concurrently": true}},
		{"op": "add_index", "schema": "public", "table": "orders", "index": {"name": "orders_total", "columns": ["total"]}},
		{"op": "add_constraint", "schema": "public", "table": "orders", "constraint": {"name": "orders_customer_fkey", "type": "foreign_key",
			"columns": ["customer_id"], "ref_table": "customers", "deferrable": true, "not_valid_first": false}},
		{"op": "add_column", "schema": "public", "table": "orders", "column": {"name": "total_cents", "type": "bigint", "generated": "(total * 100)::bigint"}}
	]`)
	for _, c := range []struct {
		args          []string
		want, without []string
	}{
		{nil, []string{"CREATE INDEX CONCURRENTLY customers_name_lower ON public.customers USING btree ((lower(name)) text_pattern_ops DESC NULLS LAST) INCLUDE (id);",
			"CREATE INDEX orders_total ON public.orders", "REFERENCES public.customers(id) DEFERRABLE;", "GENERATED ALWAYS AS ((total * 100)::bigint) STORED"},
			[]string{"VALIDATE CONSTRAINT"}},
		{[]string{"--online"}, []string{"CREATE INDEX CONCURRENTLY customers_name_lower", "CREATE INDEX CONCURRENTLY orders_total", "REFERENCES public.customers(id) DEFERRABLE;"},
			[]string{"VALIDATE CONSTRAINT orders_customer_fkey"}},
	} {
		out, errs, code := runCLI(t, append([]string{"schema", "edit", "--url", url, "--ops", ops}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", c.args, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
			}
		}
		for _, w := range c.without {
			if strings.Contains(out, w) {
				t.Errorf("%v: output holds %q:\n%s", c.args, w, out)
			}
		}
	}
	bad := writeOps(t, `[{"op": "add_index", "schema": "public", "table": "customers", "index": {"keys": [{"column": "name", "opclass": "jsonb_path_ops"}]}}]`)
	_, errs, code := runCLI(t, "schema", "edit", "--url", url, "--ops", bad)
	if code != 1 || !strings.Contains(errs, "operation 1 (add_index): operator class jsonb_path_ops is for gin indexes, not btree") {
		t.Errorf("refused option: exit %d, %q", code, errs)
	}
}
