package schemaedit_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// optionsBase is baseModel with a partitioned table p (id, at) by range
// (at) and a deferrable unique key on t.note.
func optionsBase() *catalog.Schema {
	s := baseModel()
	intRef := catalog.QualifiedName{Schema: "pg_catalog", Name: "int4"}
	s.Tables = append(s.Tables, catalog.Table{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "p"}, Kind: catalog.TablePartitioned, PartitionKey: "RANGE (at)",
		Columns: []catalog.Column{{Name: "id", Type: "integer", TypeRef: intRef, NotNull: true}, {Name: "at", Type: "date", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "date"}, NotNull: true}}})
	t := s.Table(catalog.QualifiedName{Schema: "public", Name: "t"})
	t.Constraints = append(t.Constraints, catalog.Constraint{Name: "t_note_key", Type: catalog.ConstraintUnique, Definition: "UNIQUE (note) DEFERRABLE", Columns: []string{"note"}, Index: "t_note_key", Deferrable: true})
	t.Indexes = append(t.Indexes, catalog.Index{Name: "t_note_key", Definition: "CREATE UNIQUE INDEX t_note_key ON public.t USING btree (note)", Method: "btree", Unique: true,
		Constraint: "t_note_key", Keys: []catalog.IndexKey{{Column: "note"}}, Valid: true})
	return s
}

func addIdx(table string, spec schemaedit.IndexSpec) schemaedit.Op {
	return schemaedit.Op{Op: schemaedit.AddIndex, Schema: "public", Table: table, Index: &spec}
}

func addCon(table string, spec schemaedit.ConstraintSpec) schemaedit.Op {
	return schemaedit.Op{Op: schemaedit.AddConstraint, Schema: "public", Table: table, Constraint: &spec}
}

func addCol(table string, spec schemaedit.ColumnSpec) schemaedit.Op {
	return schemaedit.Op{Op: schemaedit.AddColumn, Schema: "public", Table: table, Column: &spec}
}

func newTable(name string, cols ...schemaedit.ColumnSpec) schemaedit.Op {
	return schemaedit.Op{Op: schemaedit.CreateTable, Schema: "public", Table: name, Columns: cols}
}

// TestOptionsRefused: operations with an option that cannot apply are
// refused with a message naming the field and the fix; nothing changes.
func TestOptionsRefused(t *testing.T) {
	key := func(ks ...schemaedit.IndexKeySpec) []schemaedit.IndexKeySpec { return ks }
	cases := []struct {
		name, field, want string
		ops               []schemaedit.Op
	}{
		// Indexes.
		{"columns and keys", "keys", "give the index's columns or its keys, not both",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Columns: []string{"a"}, Keys: key(schemaedit.IndexKeySpec{Column: "note"})})}},
		{"a key both column and expression", "keys", "key 1 is a column or an expression, not both",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Column: "a", Expression: "a + 1"})})}},
		{"an empty key", "keys", "key 1 needs a column or an expression", []schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{})})}},
		{"expression syntax", "keys", `the index expression "lower(note" is not a valid SQL expression`,
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Expression: "lower(note"})})}},
		{"expression with a FROM", "keys", "must be a single expression (no FROM, WHERE or other clauses)",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Expression: "a) FROM t WHERE (true"})})}},
		{"expression with two statements", "keys", "must be one expression, not several statements",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Expression: "a); DROP TABLE t; SELECT (1"})})}},
		{"expression with a subquery", "keys", "may not use a subquery",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Expression: "a + (SELECT 1)"})})}},
		{"expression over an unknown column", "keys", "the index expression lower(nope) uses column nope, which table public.t does not have",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Expression: "lower(nope)"})})}},
		{"order on a gin index", "order", "gin indexes have no order: ASC/DESC and NULLS FIRST/LAST are for btree indexes",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Method: "gin", Keys: key(schemaedit.IndexKeySpec{Column: "a", Order: "desc"})})}},
		{"unknown order", "order", `the order of key 1 is asc or desc, not "down"`,
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Column: "a", Order: "down"})})}},
		{"unknown nulls", "nulls", `the NULLS of key 1 is first or last, not "middle"`,
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Column: "a", Nulls: "middle"})})}},
		{"unique hash index", "unique", "only btree indexes can be unique, not hash",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Columns: []string{"a"}, Method: "hash", Unique: true})}},
		{"operator class of another method", "opclass", "operator class jsonb_path_ops is for gin indexes, not btree",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Column: "note", OpClass: "jsonb_path_ops"})})}},
		{"unknown operator class", "opclass", "there is no operator class text_patern_ops for btree indexes",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Keys: key(schemaedit.IndexKeySpec{Column: "note", OpClass: "text_patern_ops"})})}},
		{"INCLUDE an unknown column", "include", "INCLUDE column nope is not a column of table public.t",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Columns: []string{"a"}, Include: []string{"nope"}})}},
		{"INCLUDE a key column", "include", "column a is already a key of the index",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Columns: []string{"a"}, Include: []string{"a"}})}},
		{"INCLUDE on gin", "include", "gin indexes cannot INCLUDE columns",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Columns: []string{"a"}, Method: "gin", Include: []string{"note"}})}},
		{"WHERE over an unknown column", "where", "the WHERE predicate uses column nope",
			[]schemaedit.Op{addIdx("t", schemaedit.IndexSpec{Columns: []string{"a"}, Where: "nope > 0"})}},
		{"concurrently on a new table", "concurrently", "table public.x is new: its indexes are built with it",
			[]schemaedit.Op{newTable("x", schemaedit.ColumnSpec{Name: "a", Type: "int"}), addIdx("x", schemaedit.IndexSpec{Columns: []string{"a"}, Concurrently: yes()})}},
		{"concurrently on a partitioned table", "concurrently", "PostgreSQL cannot build an index of a partitioned table concurrently",
			[]schemaedit.Op{addIdx("p", schemaedit.IndexSpec{Columns: []string{"id"}, Concurrently: yes()})}},
		{"unique index of a partitioned table without the partition key", "columns", "a unique index on it must include the partition key column(s) at",
			[]schemaedit.Op{addIdx("p", schemaedit.IndexSpec{Columns: []string{"id"}, Unique: true})}},
		// Constraints.
		{"deferrable check", "deferrable", "a check constraint cannot be deferrable",
			[]schemaedit.Op{addCon("t", schemaedit.ConstraintSpec{Type: "check", Check: "a > 0", Deferrable: true})}},
		{"NOT VALID first for a unique constraint", "not_valid_first", "only foreign keys and checks can be added NOT VALID then validated, not a unique",
			[]schemaedit.Op{addCon("t", schemaedit.ConstraintSpec{Type: "unique", Columns: []string{"a"}, NotValidFirst: yes()})}},
		{"NOT VALID first on a new table", "not_valid_first", "table public.x is new: it has no rows to validate",
			[]schemaedit.Op{newTable("x", schemaedit.ColumnSpec{Name: "a", Type: "int"}), addCon("x", schemaedit.ConstraintSpec{Type: "check", Check: "a > 0", NotValidFirst: yes()})}},
		{"foreign key to a deferrable key", "ref_columns", "the referenced key t_note_key of public.t is deferrable: PostgreSQL cannot use a deferrable key for a foreign key",
			[]schemaedit.Op{addCol("u", schemaedit.ColumnSpec{Name: "note", Type: "text"}), addCon("u", schemaedit.ConstraintSpec{Type: "foreign_key", Columns: []string{"note"}, RefTable: "t", RefColumns: []string{"note"}})}},
		{"primary key of a partitioned table without the partition key", "columns", "table public.p is partitioned by RANGE (at): a primary key on it must include the partition key column(s) at",
			[]schemaedit.Op{addCon("p", schemaedit.ConstraintSpec{Type: "primary_key", Columns: []string{"id"}})}},
		{"check over an unknown column", "check", "the check expression uses column nope",
			[]schemaedit.Op{addCon("t", schemaedit.ConstraintSpec{Type: "check", Check: "nope > 0"})}},
		// Columns.
		{"generated with a default", "generated", "column g has a default: a generated column cannot have one",
			[]schemaedit.Op{addCol("t", schemaedit.ColumnSpec{Name: "g", Type: "int", Default: str("1"), Generated: "a * 2"})}},
		{"generated identity", "generated", "column g is an identity column: it cannot also be generated",
			[]schemaedit.Op{addCol("t", schemaedit.ColumnSpec{Name: "g", Type: "int", Identity: "always", Generated: "a * 2"})}},
		{"generated over an unknown column", "generated", "the generated expression uses column b, which table public.t does not have",
			[]schemaedit.Op{addCol("t", schemaedit.ColumnSpec{Name: "g", Type: "int", Generated: "b * 2"})}},
		{"generated over a generated column", "generated", "uses column g, which is itself generated: a generated column can only use ordinary columns",
			[]schemaedit.Op{addCol("t", schemaedit.ColumnSpec{Name: "g", Type: "int", Generated: "a * 2"}), addCol("t", schemaedit.ColumnSpec{Name: "h", Type: "int", Generated: "g + 1"})}},
		{"generated over itself in a new table", "generated", "of column g uses the column itself",
			[]schemaedit.Op{newTable("x", schemaedit.ColumnSpec{Name: "g", Type: "int", Generated: "g + 1"})}},
		{"existing column made generated", "generated", "PostgreSQL cannot make an existing column generated; add a new generated column",
			[]schemaedit.Op{{Op: schemaedit.AlterColumn, Schema: "public", Table: "t", Name: "a", Set: &schemaedit.ColumnChange{Generated: str("id * 2")}}}},
		{"default on a generated column", "default", "column g is generated: it cannot have a default",
			[]schemaedit.Op{addCol("t", schemaedit.ColumnSpec{Name: "g", Type: "int", Generated: "a * 2"}), {Op: schemaedit.AlterColumn, Schema: "public", Table: "t", Name: "g", Set: &schemaedit.ColumnChange{Default: str("0")}}}},
		{"collation on an integer", "collation", "column b is integer, which takes no collation",
			[]schemaedit.Op{addCol("t", schemaedit.ColumnSpec{Name: "b", Type: "int", Collation: "C"})}},
		{"collation of an unknown schema", "collation", "there is no collation nope.c1",
			[]schemaedit.Op{{Op: schemaedit.AlterColumn, Schema: "public", Table: "t", Name: "note", Set: &schemaedit.ColumnChange{Collation: str("nope.c1")}}}},
		// Tables.
		{"partition key column unknown", "partition_by", "partition key column nope is not a column of table public.x",
			[]schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int"}}, PartitionBy: &schemaedit.PartitionSpec{Method: "range", Columns: []string{"nope"}}}}},
		{"list partitioning by two columns", "partition_by", "list partitioning takes one column, not 2",
			[]schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int"}, {Name: "b", Type: "int"}}, PartitionBy: &schemaedit.PartitionSpec{Method: "list", Columns: []string{"a", "b"}}}}},
		{"unknown partitioning", "partition_by", `partitioning is by range, list or hash, not "tree"`,
			[]schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int"}}, PartitionBy: &schemaedit.PartitionSpec{Method: "tree", Columns: []string{"a"}}}}},
		{"partitioned by a generated column", "partition_by", "partition key column g is generated",
			[]schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int"}, {Name: "g", Type: "int", Generated: "a + 1"}}, PartitionBy: &schemaedit.PartitionSpec{Method: "hash", Columns: []string{"g"}}}}},
		{"primary key of a new partitioned table without the key", "columns", "must include the partition key column(s) b",
			[]schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int", NotNull: true}, {Name: "b", Type: "int"}}, PrimaryKey: []string{"a"}, PartitionBy: &schemaedit.PartitionSpec{Method: "hash", Columns: []string{"b"}}}}},
		{"unlogged partitioned table", "unlogged", "a partitioned table cannot be UNLOGGED",
			[]schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Unlogged: true, Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int"}}, PartitionBy: &schemaedit.PartitionSpec{Method: "list", Columns: []string{"a"}}}}},
		{"partition an existing table", "partition_by", "PostgreSQL cannot partition an existing table in place",
			[]schemaedit.Op{{Op: schemaedit.PartitionTable, Schema: "public", Table: "t", PartitionBy: &schemaedit.PartitionSpec{Method: "hash", Columns: []string{"id"}}}}},
		{"partition a new table whose key leaves the partition key out", "partition_by", "table public.x is partitioned by LIST (b): a primary key x_pkey on it must include the partition key column(s) b",
			[]schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int"}, {Name: "b", Type: "int"}}, PrimaryKey: []string{"a"}},
				{Op: schemaedit.PartitionTable, Schema: "public", Table: "x", PartitionBy: &schemaedit.PartitionSpec{Method: "list", Columns: []string{"b"}}}}},
		{"set unlogged on a partitioned table", "unlogged", "table public.p is partitioned: a partitioned table is neither logged nor unlogged",
			[]schemaedit.Op{{Op: schemaedit.SetUnlogged, Schema: "public", Table: "p", Unlogged: true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := schemaedit.New(optionsBase())
			var err error
			applied := 0
			for _, op := range c.ops {
				if err = e.Apply(op); err != nil {
					break
				}
				applied++
			}
			var ue *usererr.Error
			if !errors.As(err, &ue) || !strings.Contains(ue.Message, c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if ue.Field != c.field {
				t.Errorf("field %q, want %q", ue.Field, c.field)
			}
			if applied != len(c.ops)-1 || len(e.Ops()) != applied {
				t.Errorf("the refused op was recorded (%d ops applied, %d recorded)", applied, len(e.Ops()))
			}
		})
	}
}

// TestOptionsValidate: later edits that break an option are problems at
// the field, named in words a user understands.
func TestOptionsValidate(t *testing.T) {
	cases := []struct {
		name  string
		ops   []schemaedit.Op
		field string
		want  []string
	}{
		{"a generated column over a column dropped since", []schemaedit.Op{
			addCol("t", schemaedit.ColumnSpec{Name: "twice", Type: "int", Generated: "a * 2"}),
			{Op: schemaedit.DropIndex, Schema: "public", Name: "t_a"},
			{Op: schemaedit.DropColumn, Schema: "public", Table: "t", Name: "a"}}, "generated",
			[]string{"generated column twice of public.t uses column a, which is dropped: drop the generated column too, or keep the column"}},
		{"a renamed column is renamed in a generated expression too", []schemaedit.Op{
			newTable("x", schemaedit.ColumnSpec{Name: "w", Type: "int"}, schemaedit.ColumnSpec{Name: "area", Type: "int", Generated: "w * 2"}),
			{Op: schemaedit.RenameColumn, Schema: "public", Table: "x", Name: "w", To: "width"}}, "", nil},
		{"a new table's partition key column dropped", []schemaedit.Op{
			{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int"}, {Name: "b", Type: "int"}}, PartitionBy: &schemaedit.PartitionSpec{Method: "range", Columns: []string{"b"}}},
			{Op: schemaedit.DropColumn, Schema: "public", Table: "x", Name: "b"}}, "partition_by",
			[]string{"table public.x is partitioned by column b, which is dropped: PostgreSQL cannot drop a partition key column; keep it"}},
		{"an expression index over a column dropped since", []schemaedit.Op{
			addIdx("t", schemaedit.IndexSpec{Name: "t_lower", Keys: []schemaedit.IndexKeySpec{{Expression: "lower(note)"}}}),
			{Op: schemaedit.DropConstraint, Schema: "public", Table: "t", Name: "t_note_key"},
			{Op: schemaedit.DropColumn, Schema: "public", Table: "t", Name: "note"}}, "keys",
			[]string{"index t_lower: expression lower(note) uses column note of public.t, which is dropped: drop the index or keep the column"}},
		{"a logged table referencing a table made unlogged", []schemaedit.Op{
			{Op: schemaedit.SetUnlogged, Schema: "public", Table: "t", Unlogged: true}}, "ref_table",
			[]string{"foreign key u_t_id_fkey: public.u is logged and references the unlogged table public.t, which PostgreSQL refuses: make both logged or both unlogged"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := schemaedit.New(optionsBase())
			for _, op := range c.ops {
				if err := e.Apply(op); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, p := range e.Validate() {
				got = append(got, p.Message)
				if p.Field != c.field {
					t.Errorf("problem %q at field %q, want %q", p.Message, p.Field, c.field)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("problems %q, want %q", got, c.want)
			}
		})
	}
}

// TestBuiltinOpClassesExist: every operator class the editor accepts
// without asking the database is one of the server's, for that method.
func TestBuiltinOpClassesExist(t *testing.T) {
	url := pg.NewDB(t)
	conn := pgtest.Conn(t, url)
	rows, err := conn.Query(context.Background(), `SELECT am.amname, c.opcname FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
		WHERE c.opcnamespace = 'pg_catalog'::pg_catalog.regnamespace`)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for rows.Next() {
		var am, name string
		if err := rows.Scan(&am, &name); err != nil {
			t.Fatal(err)
		}
		have[am+" "+name] = true
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	for method, names := range schemaedit.BuiltinOpClasses {
		for _, n := range names {
			if !have[method+" "+n] {
				t.Errorf("%s operator class %s does not exist on the server", method, n)
			}
		}
	}
}

// TestOptionsView: the editor's view carries the options the UI shows
// (collation, UNLOGGED, partition key) and definitions with them.
func TestOptionsView(t *testing.T) {
	e := schemaedit.New(optionsBase())
	for _, op := range []schemaedit.Op{
		addCol("t", schemaedit.ColumnSpec{Name: "code", Type: "text", Collation: "C"}),
		{Op: schemaedit.SetUnlogged, Schema: "public", Table: "u", Unlogged: true},
		addIdx("t", schemaedit.IndexSpec{Name: "t_code", Keys: []schemaedit.IndexKeySpec{{Expression: "lower(code)", Order: "desc"}}, Include: []string{"a"}}),
	} {
		if err := e.Apply(op); err != nil {
			t.Fatal(err)
		}
	}
	tables := map[string]schemaedit.TableView{}
	for _, tv := range e.View().Schemas[0].Tables {
		tables[tv.Name] = tv
	}
	var coll, def string
	for _, c := range tables["t"].Columns {
		if c.Name == "code" {
			coll = c.Collation
		}
	}
	for _, x := range tables["t"].Indexes {
		if x.Name == "t_code" {
			def = x.Definition
		}
	}
	if coll != `pg_catalog."C"` {
		t.Errorf("collation %q", coll)
	}
	if def != "CREATE INDEX t_code ON public.t USING btree ((lower(code)) DESC) INCLUDE (a)" {
		t.Errorf("definition %q", def)
	}
	if !tables["u"].Unlogged || tables["t"].Unlogged {
		t.Errorf("unlogged: u %v, t %v", tables["u"].Unlogged, tables["t"].Unlogged)
	}
	if p := tables["p"]; !p.Partitioned || p.PartitionKey != "RANGE (at)" {
		t.Errorf("partitioned %v key %q", p.Partitioned, p.PartitionKey)
	}
}

// TestDecodeOptionsOps: the options example of docs/cli.md decodes (no
// unknown fields) into the specs, and a misspelt option is refused.
func TestDecodeOptionsOps(t *testing.T) {
	doc := `[{"op": "add_index", "schema": "public", "table": "customers", "index": {"name": "customers_name",
     "keys": [{"expression": "lower(name)", "order": "desc", "nulls": "last", "opclass": "text_pattern_ops"}],
     "include": ["id"], "where": "name IS NOT NULL", "concurrently": true}},
   {"op": "add_constraint", "schema": "public", "table": "orders", "constraint": {"type": "foreign_key",
     "columns": ["customer_id"], "ref_table": "customers", "deferrable": true, "initially_deferred": true,
     "not_valid_first": true}},
   {"op": "add_column", "schema": "public", "table": "orders", "column": {"name": "total_cents",
     "type": "bigint", "generated": "(total * 100)::bigint"}},
   {"op": "alter_column", "schema": "public", "table": "customers", "name": "code", "set": {"collation": "C"}},
   {"op": "create_table", "schema": "public", "table": "events", "unlogged": false,
     "columns": [{"name": "id", "type": "bigint", "not_null": true}, {"name": "at", "type": "date", "not_null": true}],
     "primary_key": ["id", "at"], "partition_by": {"method": "range", "columns": ["at"]}},
   {"op": "set_unlogged", "schema": "public", "table": "scratch", "unlogged": true}]`
	ops, err := schemaedit.DecodeOps([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 6 {
		t.Fatalf("%d ops", len(ops))
	}
	x := ops[0].Index
	if x.Keys[0] != (schemaedit.IndexKeySpec{Expression: "lower(name)", Order: "desc", Nulls: "last", OpClass: "text_pattern_ops"}) || x.Include[0] != "id" || x.Concurrently == nil || !*x.Concurrently {
		t.Errorf("index %+v", x)
	}
	if c := ops[1].Constraint; !c.Deferrable || !c.InitiallyDeferred || c.NotValidFirst == nil || !*c.NotValidFirst {
		t.Errorf("constraint %+v", c)
	}
	if ops[2].Column.Generated == "" || ops[3].Set.Collation == nil || *ops[3].Set.Collation != "C" {
		t.Errorf("column options %+v %+v", ops[2].Column, ops[3].Set)
	}
	if p := ops[4].PartitionBy; p == nil || p.Method != "range" || p.Columns[0] != "at" || ops[5].Op != schemaedit.SetUnlogged || !ops[5].Unlogged {
		t.Errorf("table options %+v %+v", ops[4], ops[5])
	}
	if _, err := schemaedit.DecodeOps([]byte(`[{"op": "add_index", "schema": "public", "table": "t", "index": {"columns": ["a"], "concurently": true}}]`)); err == nil || !strings.Contains(err.Error(), "concurently") {
		t.Errorf("a misspelt option: %v", err)
	}
}

// TestResolveCollation: typed collations are stored as Inspect stores
// them; a locale's dot is not a schema separator unless a schema of the
// model comes before it.
func TestResolveCollation(t *testing.T) {
	s := optionsBase()
	s.Namespaces = append(s.Namespaces, catalog.Namespace{Name: "my_app"})
	s.Collations = append(s.Collations, catalog.Collation{QualifiedName: catalog.QualifiedName{Schema: "my_app", Name: "german"}}, catalog.Collation{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "ci"}})
	for typed, want := range map[string]string{
		"": "", "default": "", "C": `pg_catalog."C"`, "c": `pg_catalog."C"`, `"POSIX"`: `pg_catalog."POSIX"`, "posix": `pg_catalog."POSIX"`,
		"en_US.utf8": `pg_catalog."en_US.utf8"`, `pg_catalog."en_US.utf8"`: `pg_catalog."en_US.utf8"`, "my_app.german": "my_app.german",
		"ci": "public.ci", "und-x-icu": `pg_catalog."und-x-icu"`,
	} {
		got, err := schemaedit.ResolveCollation(s, typed)
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", typed, got, err, want)
		}
	}
	if _, err := schemaedit.ResolveCollation(s, "my_app.nope"); err == nil || !strings.Contains(err.Error(), "there is no collation my_app.nope") {
		t.Errorf("unknown collation of a schema: %v", err)
	}
}
