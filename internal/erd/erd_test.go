package erd_test

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/erd"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pg)) }

// shop has keys within a schema, across schemas, a composite key, a
// self-reference, a partitioned table with partitions, an inheritance child
// and a table without keys.
const shop = `
CREATE SCHEMA sales;
CREATE TABLE public.customers (id bigint PRIMARY KEY, name text NOT NULL, email text);
COMMENT ON TABLE public.customers IS 'people who buy';
CREATE TABLE public.employees (id int PRIMARY KEY, boss_id int REFERENCES public.employees (id));
CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES public.customers (id) ON DELETE CASCADE, placed timestamptz);
CREATE TABLE sales.lines (order_id bigint, n int, sku text, PRIMARY KEY (order_id, n),
  CONSTRAINT lines_order_fk FOREIGN KEY (order_id) REFERENCES sales.orders (id) ON UPDATE RESTRICT);
CREATE TABLE sales.events (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE sales.events_2024 PARTITION OF sales.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.vip (level int) INHERITS (public.customers);
CREATE TABLE public.notes (body text);
`

func inspect(t *testing.T, sql string) catalog.Schema {
	t.Helper()
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, sql)
	res, err := catalog.Inspect(context.Background(), pgtest.Conn(t, url), catalog.Options{NoPrivileges: true})
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return res.Schema
}

func tableIDs(d erd.Diagram) []string {
	out := []string{}
	for _, t := range d.Tables {
		out = append(out, t.ID)
	}
	return out
}

func edgeIDs(d erd.Diagram) []string {
	out := []string{}
	for _, e := range d.Edges {
		out = append(out, e.ID+" "+e.From+"->"+e.To)
	}
	return out
}

func find(d erd.Diagram, id string) *erd.Table {
	for i := range d.Tables {
		if d.Tables[i].ID == id {
			return &d.Tables[i]
		}
	}
	return nil
}

func TestBuildFromDatabase(t *testing.T) {
	model := inspect(t, shop)
	all := []string{"public.customers", "public.employees", "public.notes", "public.vip", "sales.events", "sales.lines", "sales.orders"}
	cases := []struct {
		name     string
		schemas  []string
		shown    []string
		tables   []string
		edges    []string
		external int
	}{
		{"all schemas", nil, []string{"public", "sales"}, all, []string{
			"public.employees/employees_boss_id_fkey public.employees->public.employees",
			"sales.lines/lines_order_fk sales.lines->sales.orders",
			"sales.orders/orders_customer_id_fkey sales.orders->public.customers",
		}, 0},
		{"one schema: keys to another schema are counted, not drawn", []string{"sales"}, []string{"sales"},
			[]string{"sales.events", "sales.lines", "sales.orders"}, []string{"sales.lines/lines_order_fk sales.lines->sales.orders"}, 1},
		{"unknown schema names are ignored", []string{"public", "nope"}, []string{"public"},
			[]string{"public.customers", "public.employees", "public.notes", "public.vip"},
			[]string{"public.employees/employees_boss_id_fkey public.employees->public.employees"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := erd.Build(&model, erd.Options{Schemas: c.schemas})
			if !reflect.DeepEqual(d.Shown, c.shown) {
				t.Errorf("shown = %v, want %v", d.Shown, c.shown)
			}
			if got := tableIDs(d); !reflect.DeepEqual(got, c.tables) {
				t.Errorf("tables = %v, want %v", got, c.tables)
			}
			if got := edgeIDs(d); !reflect.DeepEqual(got, c.edges) {
				t.Errorf("edges = %v, want %v", got, c.edges)
			}
			if d.External != c.external {
				t.Errorf("external = %d, want %d", d.External, c.external)
			}
			want := []erd.SchemaInfo{{Name: "public", Tables: 4}, {Name: "sales", Tables: 3}}
			if !reflect.DeepEqual(d.Schemas, want) {
				t.Errorf("schemas = %+v, want %+v", d.Schemas, want)
			}
		})
	}

	d := erd.Build(&model, erd.Options{})
	orders := find(d, "sales.orders")
	wantCols := []erd.Column{
		{Name: "id", Type: "bigint", PrimaryKey: true},
		{Name: "customer_id", Type: "bigint", ForeignKey: true},
		{Name: "placed", Type: "timestamp with time zone", Nullable: true},
	}
	if orders == nil || !reflect.DeepEqual(orders.Columns, wantCols) {
		t.Errorf("sales.orders columns = %+v, want %+v", orders, wantCols)
	}
	if lines := find(d, "sales.lines"); lines == nil || !lines.Columns[0].PrimaryKey || !lines.Columns[0].ForeignKey || !lines.Columns[1].PrimaryKey || lines.Columns[2].PrimaryKey {
		t.Errorf("sales.lines: composite key columns not marked: %+v", lines)
	}
	if c := find(d, "public.customers"); c == nil || c.Comment != "people who buy" {
		t.Errorf("public.customers comment: %+v", c)
	}
	if v := find(d, "public.vip"); v == nil || len(v.Columns) != 1 || v.Columns[0].Name != "level" {
		t.Errorf("public.vip shows only its own columns: %+v", v)
	}
	if e := find(d, "sales.events"); e == nil || !e.Partitioned {
		t.Errorf("sales.events is partitioned: %+v", e)
	}
	for _, e := range d.Edges {
		switch e.Name {
		case "orders_customer_id_fkey":
			if e.OnDelete != "cascade" || e.OnUpdate != "no_action" || !reflect.DeepEqual(e.Columns, []string{"customer_id"}) || !reflect.DeepEqual(e.RefColumns, []string{"id"}) {
				t.Errorf("orders edge: %+v", e)
			}
		case "lines_order_fk":
			if e.OnUpdate != "restrict" || e.OnDelete != "no_action" {
				t.Errorf("lines edge actions: %+v", e)
			}
		}
		if e.Mark != "" {
			t.Errorf("a database's diagram has no marks: %+v", e)
		}
	}
}

func TestBuildEmpty(t *testing.T) {
	model := inspect(t, "SELECT 1")
	d := erd.Build(&model, erd.Options{})
	if len(d.Tables) != 0 || len(d.Edges) != 0 || d.Tables == nil || d.Edges == nil || d.Shown == nil {
		t.Fatalf("empty database: %+v", d)
	}
	if !reflect.DeepEqual(d.Schemas, []erd.SchemaInfo{{Name: "public", Tables: 0}}) {
		t.Fatalf("schemas = %+v", d.Schemas)
	}
}

// TestBuildEditorMarks builds the diagram of editor sessions the way the
// desktop app does (the edited model, the session's marks, the original
// model for what was dropped) and checks the marks land on the right boxes,
// columns and edges.
func TestBuildEditorMarks(t *testing.T) {
	base := inspect(t, shop)
	type want struct {
		tables map[string]string // table ID -> mark
		cols   map[string]string // "table ID.column" -> mark
		edges  map[string]string // edge ID -> mark; absent edges must not be drawn
	}
	cases := []struct {
		name string
		ops  []schemaedit.Op
		want want
	}{
		{"new table with a foreign key and an index", []schemaedit.Op{
			{Op: schemaedit.CreateTable, Schema: "sales", Table: "returns", Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint"}, {Name: "order_id", Type: "bigint"}}, PrimaryKey: []string{"id"}},
			{Op: schemaedit.AddConstraint, Schema: "sales", Table: "returns", Constraint: &schemaedit.ConstraintSpec{Type: "foreign_key", Columns: []string{"order_id"}, RefTable: "orders"}},
			{Op: schemaedit.AddIndex, Schema: "sales", Table: "returns", Index: &schemaedit.IndexSpec{Columns: []string{"order_id"}}},
		}, want{
			tables: map[string]string{"sales.returns": "created", "sales.orders": ""},
			cols:   map[string]string{"sales.returns.order_id": ""}, // the box is created; its columns carry no mark of their own
			edges:  map[string]string{"sales.returns/returns_order_id_fkey": "created", "sales.lines/lines_order_fk": ""},
		}},
		{"a foreign key added to an existing table", []schemaedit.Op{
			{Op: schemaedit.AddColumn, Schema: "public", Table: "notes", Column: &schemaedit.ColumnSpec{Name: "author_id", Type: "int"}},
			{Op: schemaedit.AddConstraint, Schema: "public", Table: "notes", Constraint: &schemaedit.ConstraintSpec{Type: "foreign_key", Columns: []string{"author_id"}, RefTable: "employees"}},
		}, want{
			tables: map[string]string{"public.notes": "changed"},
			cols:   map[string]string{"public.notes.author_id": "created", "public.notes.body": ""},
			edges:  map[string]string{"public.notes/notes_author_id_fkey": "created"},
		}},
		{"dropped column, foreign key and table stay, marked dropped", []schemaedit.Op{
			{Op: schemaedit.DropColumn, Schema: "public", Table: "customers", Name: "email"},
			{Op: schemaedit.DropConstraint, Schema: "public", Table: "employees", Name: "employees_boss_id_fkey"},
			{Op: schemaedit.DropTable, Schema: "sales", Table: "lines"},
		}, want{
			tables: map[string]string{"sales.lines": "dropped", "public.customers": "changed"},
			cols:   map[string]string{"public.customers.email": "dropped", "public.customers.name": ""},
			edges:  map[string]string{"public.employees/employees_boss_id_fkey": "dropped", "sales.lines/lines_order_fk": "dropped"},
		}},
		{"a renamed column is changed, not dropped and added", []schemaedit.Op{
			{Op: schemaedit.RenameColumn, Schema: "public", Table: "customers", Name: "email", To: "mail"},
		}, want{
			tables: map[string]string{"public.customers": "changed"},
			cols:   map[string]string{"public.customers.mail": "changed"},
			edges:  map[string]string{"sales.orders/orders_customer_id_fkey": ""},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ed := schemaedit.New(&base)
			for _, op := range c.ops {
				if err := ed.Apply(op); err != nil {
					t.Fatalf("%s: %v", op.Op, err)
				}
			}
			marks := map[string]string{}
			for k, m := range ed.Marks() {
				marks[k] = string(m)
			}
			cur, orig := ed.Schema(), ed.Base()
			d := erd.Build(&cur, erd.Options{Marks: marks, Base: &orig})
			for id, m := range c.want.tables {
				tb := find(d, id)
				if tb == nil {
					t.Errorf("table %s missing; have %v", id, tableIDs(d))
					continue
				}
				if tb.Mark != m {
					t.Errorf("table %s mark %q, want %q", id, tb.Mark, m)
				}
			}
			for key, m := range c.want.cols {
				i := strings.LastIndex(key, ".")
				tb := find(d, key[:i])
				var col *erd.Column
				for j := range tb.Columns {
					if tb.Columns[j].Name == key[i+1:] {
						col = &tb.Columns[j]
					}
				}
				if col == nil {
					t.Errorf("column %s missing: %+v", key, tb.Columns)
				} else if col.Mark != m {
					t.Errorf("column %s mark %q, want %q", key, col.Mark, m)
				}
			}
			edges := map[string]string{}
			for _, e := range d.Edges {
				edges[e.ID] = e.Mark
			}
			for id, m := range c.want.edges {
				got, ok := edges[id]
				if !ok {
					t.Errorf("edge %s missing; have %v", id, edgeIDs(d))
				} else if got != m {
					t.Errorf("edge %s mark %q, want %q", id, got, m)
				}
			}
		})
	}
}
