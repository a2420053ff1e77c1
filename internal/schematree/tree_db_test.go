package schematree_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

// inspect returns the model of a database as a sync reads it.
func inspect(t *testing.T, dbURL string) *catalog.Schema {
	t.Helper()
	res, err := catalog.Inspect(context.Background(), pgtest.Conn(t, dbURL), catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &res.Schema
}

// find returns the tree node with id, searching depth first.
func find(nodes []schematree.Node, id string) *schematree.Node {
	for i := range nodes {
		if nodes[i].ID == id {
			return &nodes[i]
		}
		if n := find(nodes[i].Children, id); n != nil {
			return n
		}
	}
	return nil
}

func ids(nodes []schematree.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.ID)
		out = append(out, ids(n.Children)...)
	}
	return out
}

func hasProp(o schematree.Object, name, value string) bool {
	for _, p := range o.Properties {
		if p.Name == name && p.Value == value {
			return true
		}
	}
	return false
}

const shopSchema = `
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped');
CREATE SEQUENCE shop.invoice_no START 1000;
CREATE TABLE shop.customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE shop.orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE,
    status shop.status NOT NULL DEFAULT 'new',
    total numeric(12,2) CHECK (total >= 0)
);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id) WHERE status <> 'shipped';
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch();
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_orders ON shop.orders FOR SELECT USING (customer_id > 0);
CREATE VIEW shop.open_orders AS SELECT id, total FROM shop.orders WHERE status <> 'shipped';
CREATE MATERIALIZED VIEW shop.totals AS SELECT customer_id, sum(total) AS total FROM shop.orders GROUP BY customer_id;
CREATE PROCEDURE shop.archive(days integer) LANGUAGE sql AS $$SELECT 1$$;
COMMENT ON TABLE shop.orders IS 'one row per order';
CREATE TABLE public.audit (at timestamptz, note text);
`

// TestTreeOfDatabase: the tree of a real database has a node of the right
// kind for every object, and each object's details carry its properties and
// DDL — the dump's own statements, nothing of another object.
func TestTreeOfDatabase(t *testing.T) {
	dbURL := srv.NewDB(t)
	pgtest.MustExec(t, dbURL, shopSchema)
	m := inspect(t, dbURL)
	tr := schematree.New(m)
	ddl := string(catalog.Dump(*m, catalog.DumpOptions{}))

	c := tr.Count()
	if c.Schemas != 2 || c.Tables != 3 || c.Views != 1 || c.MaterializedViews != 1 || c.Functions != 1 || c.Procedures != 1 || c.Types != 1 || c.Sequences != 2 {
		t.Fatalf("counts = %+v", c)
	}
	nodes := tr.Nodes()
	for _, want := range []struct{ id, kind string }{
		{"schema:shop", "schema"}, {"schema:public", "schema"}, {"table:shop.customers", "table"}, {"table:shop.orders", "table"}, {"table:public.audit", "table"},
		{"view:shop.open_orders", "view"}, {"view:shop.totals", "matview"}, {"function:shop.touch()", "function"},
		{"function:shop.archive(IN days integer)", "procedure"}, {"type:shop.status", "type"}, {"sequence:shop.invoice_no", "sequence"},
		{"table:shop.orders/column:customer_id", "column"}, {"table:shop.orders/index:orders_customer_idx", "index"},
		{"table:shop.orders/index:orders_pkey", "index"}, {"table:shop.orders/constraint:orders_customer_id_fkey", "constraint"},
		{"table:shop.orders/constraint:orders_total_check", "constraint"}, {"table:shop.orders/trigger:orders_touch", "trigger"},
		{"table:shop.orders/policy:own_orders", "policy"},
	} {
		if n := find(nodes, want.id); n == nil || n.Kind != want.kind {
			t.Errorf("node %s (%s): %+v; tree: %v", want.id, want.kind, n, ids(nodes))
		}
	}
	if col := find(nodes, "table:shop.orders/column:total"); col == nil || col.Detail != "numeric(12,2)" {
		t.Errorf("column total = %+v", col)
	}

	// Every node but the groups resolves to an object with DDL.
	for _, id := range ids(nodes) {
		if strings.HasPrefix(id, "group:") {
			continue
		}
		if o, ok := tr.Object(id); !ok || o.ID != id || o.DDL == "" {
			t.Errorf("object %s: %+v, %v", id, o, ok)
		}
	}
	object := func(id string) schematree.Object {
		t.Helper()
		o, ok := tr.Object(id)
		if !ok {
			t.Fatalf("object %s not found", id)
		}
		return o
	}
	tbl := object("table:shop.orders")
	for _, want := range []string{"CREATE TABLE shop.orders", "CREATE INDEX orders_customer_idx", "ADD CONSTRAINT orders_customer_id_fkey",
		"CREATE TRIGGER orders_touch", "CREATE POLICY own_orders", "COMMENT ON TABLE shop.orders IS 'one row per order'", "ENABLE ROW LEVEL SECURITY"} {
		if !strings.Contains(tbl.DDL, want) {
			t.Errorf("table DDL lacks %q:\n%s", want, tbl.DDL)
		}
	}
	if strings.Contains(tbl.DDL, "shop.customers (") {
		t.Errorf("table DDL holds another table:\n%s", tbl.DDL)
	}
	for _, st := range strings.Split(strings.TrimSuffix(tbl.DDL, ";"), ";\n\n") {
		if !strings.Contains(ddl, st+";") {
			t.Errorf("table statement not in the database DDL: %q", st)
		}
	}
	if !hasProp(tbl, "Comment", "one row per order") || !hasProp(tbl, "Row-level security", "yes") {
		t.Errorf("table properties = %+v", tbl.Properties)
	}
	if idx := object("table:shop.orders/index:orders_customer_idx"); !strings.HasPrefix(idx.DDL, "CREATE INDEX orders_customer_idx ON shop.orders") ||
		idx.Parent != "shop.orders" || !hasProp(idx, "Method", "btree") {
		t.Errorf("index = %+v", idx)
	}
	if pk := object("table:shop.orders/index:orders_pkey"); !strings.Contains(pk.DDL, "PRIMARY KEY (id)") {
		t.Errorf("primary key index DDL = %q", pk.DDL)
	}
	if chk := object("table:shop.orders/constraint:orders_total_check"); !strings.Contains(chk.DDL, "CHECK") {
		t.Errorf("check constraint DDL = %q", chk.DDL)
	}
	if col := object("table:shop.orders/column:status"); !strings.Contains(col.DDL, "status shop.status") || !hasProp(col, "Not null", "yes") {
		t.Errorf("column = %+v", col)
	}
	if fn := object("function:shop.touch()"); !strings.Contains(fn.DDL, "CREATE FUNCTION shop.touch()") || !hasProp(fn, "Language", "plpgsql") {
		t.Errorf("function = %+v", fn)
	}
	if v := object("view:shop.open_orders"); !strings.Contains(v.DDL, "CREATE VIEW shop.open_orders") {
		t.Errorf("view DDL = %q", v.DDL)
	}
	if _, ok := tr.Object("table:shop.nope"); ok {
		t.Error("an unknown node resolved")
	}

	// The node ids are the objects' keys: a later model of the same
	// database has the same ids, and the new column besides.
	pgtest.MustExec(t, dbURL, "ALTER TABLE shop.orders ADD COLUMN note text")
	again := schematree.New(inspect(t, dbURL)).Nodes()
	for _, id := range ids(nodes) {
		if find(again, id) == nil {
			t.Errorf("node %s is gone after the database changed", id)
		}
	}
	if find(again, "table:shop.orders/column:note") == nil {
		t.Fatalf("the new column is missing from the tree: %v", ids(again))
	}
}

// TestTreeCoversCorpus is an oracle over real schemas: every object of
// the model is a node of the tree, every node resolves to details with DDL,
// and the DDL of the tree's objects is exactly the dump's statements — each
// object's statements are in the whole DDL, and every statement of the dump
// (but those of kinds the tree does not show) belongs to some object.
func TestTreeCoversCorpus(t *testing.T) {
	for _, name := range []string{"pagila.sql", "danbooru.sql"} {
		t.Run(name, func(t *testing.T) {
			file := testcorpus.Path(t, "schemas", name)
			dbURL := srv.NewDB(t)
			if err := srv.Psql(dbURL, file, nil); err != nil {
				t.Fatalf("load %s: %v", name, err)
			}
			m := inspect(t, dbURL)
			tr := schematree.New(m)
			tree := tr.Nodes()
			var want []string
			for _, x := range m.Tables {
				k := x.Ref().Key()
				want = append(want, k)
				for _, c := range x.Columns {
					want = append(want, k+"/column:"+catalog.QuoteIdent(c.Name))
				}
				for _, c := range x.Constraints {
					want = append(want, k+"/constraint:"+catalog.QuoteIdent(c.Name))
				}
				for _, c := range x.Indexes {
					want = append(want, k+"/index:"+catalog.QuoteIdent(c.Name))
				}
				for _, c := range x.Triggers {
					want = append(want, k+"/trigger:"+catalog.QuoteIdent(c.Name))
				}
			}
			for _, x := range m.Views {
				want = append(want, x.Ref().Key())
			}
			for _, x := range m.Functions {
				want = append(want, x.Ref().Key())
			}
			for _, x := range m.Types {
				want = append(want, x.Ref().Key())
			}
			for _, x := range m.Sequences {
				want = append(want, x.Ref().Key())
			}
			for _, id := range want {
				if find(tree, id) == nil {
					t.Errorf("model object %s is not in the tree", id)
				}
			}
			if len(want) < 50 {
				t.Fatalf("only %d objects: the corpus did not load", len(want))
			}

			nodes := catalog.DumpNodes(*m, catalog.DumpOptions{})
			var all []string
			for _, n := range nodes {
				all = append(all, n.Statements...)
			}
			covered := map[string]bool{}
			for _, id := range ids(tree) {
				if strings.HasPrefix(id, "group:") {
					continue
				}
				d, ok := tr.Object(id)
				if !ok {
					t.Fatalf("object %s not found", id)
				}
				if d.DDL == "" {
					t.Errorf("object %s has no DDL", id)
				}
				if strings.Contains(id, "/") {
					continue // sub-objects: fragments or their own statements, checked through their owner
				}
				// The object's DDL is a sequence of the dump's statements (bodies may
				// hold ";\n\n", so match whole statements rather than split).
				rest := d.DDL
				for rest != "" {
					best := ""
					for _, st := range all {
						if len(st) > len(best) && strings.HasPrefix(rest, st+";") && (len(rest) == len(st)+1 || strings.HasPrefix(rest[len(st)+1:], "\n\n")) {
							best = st
						}
					}
					if best == "" {
						t.Errorf("%s: DDL holds a statement that is not in the dump: %.200q", id, rest)
						break
					}
					covered[best] = true
					rest = strings.TrimPrefix(rest[len(best)+1:], "\n\n")
				}
			}
			for _, n := range nodes {
				switch k := n.Key; {
				case strings.HasPrefix(k, "operator:"), strings.HasPrefix(k, "acl:operator:"), strings.HasPrefix(k, "collation:"),
					strings.HasPrefix(k, "event_trigger:"), strings.HasPrefix(k, "defacl:"):
					continue // kinds the tree does not show
				}
				for _, st := range n.Statements {
					if !covered[st] {
						t.Errorf("dump statement of %s belongs to no object of the tree: %q", n.Key, st)
					}
				}
			}
		})
	}
}
