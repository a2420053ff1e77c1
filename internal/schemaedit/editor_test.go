package schemaedit_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

func str(s string) *string { return &s }
func yes() *bool           { b := true; return &b }
func no() *bool            { b := false; return &b }

// baseModel is a small model built by hand (the convergence tests use
// inspected ones): public.t(id, a, note), public.u(id, t_id → t), enum mood.
func baseModel() *catalog.Schema {
	pk := func(t string) (catalog.Constraint, catalog.Index) {
		return catalog.Constraint{Name: t + "_pkey", Type: catalog.ConstraintPrimaryKey, Definition: "PRIMARY KEY (id)", Columns: []string{"id"}, Index: t + "_pkey"},
			catalog.Index{Name: t + "_pkey", Definition: "CREATE UNIQUE INDEX " + t + "_pkey ON public." + t + " USING btree (id)", Method: "btree",
				Unique: true, Primary: true, Constraint: t + "_pkey", Keys: []catalog.IndexKey{{Column: "id"}}, Valid: true}
	}
	tc, ti := pk("t")
	uc, ui := pk("u")
	intRef := catalog.QualifiedName{Schema: "pg_catalog", Name: "int4"}
	return &catalog.Schema{
		Namespaces: []catalog.Namespace{{Name: "public"}},
		Types:      []catalog.Type{{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "mood"}, Kind: catalog.TypeEnum, Labels: []string{"ok", "bad"}}},
		Tables: []catalog.Table{
			{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "t"}, Kind: catalog.TableRegular,
				Columns: []catalog.Column{{Name: "id", Type: "integer", TypeRef: intRef, NotNull: true}, {Name: "a", Type: "integer", TypeRef: intRef},
					{Name: "note", Type: "text", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "text"}}},
				Constraints: []catalog.Constraint{tc}, Indexes: []catalog.Index{ti,
					{Name: "t_a", Definition: "CREATE INDEX t_a ON public.t USING btree (a)", Method: "btree", Keys: []catalog.IndexKey{{Column: "a"}}, Valid: true}}},
			{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "u"}, Kind: catalog.TableRegular,
				Columns: []catalog.Column{{Name: "id", Type: "integer", TypeRef: intRef, NotNull: true}, {Name: "t_id", Type: "integer", TypeRef: intRef}},
				Constraints: []catalog.Constraint{uc, {Name: "u_t_id_fkey", Type: catalog.ConstraintForeignKey, Definition: "FOREIGN KEY (t_id) REFERENCES public.t(id)",
					Columns: []string{"t_id"}, RefTable: &catalog.QualifiedName{Schema: "public", Name: "t"}, RefColumns: []string{"id"}, MatchType: "simple", OnUpdate: "no_action", OnDelete: "no_action"}},
				Indexes: []catalog.Index{ui}},
		},
	}
}

func TestApplyRefused(t *testing.T) {
	cases := []struct {
		name string
		ops  []schemaedit.Op
		want string
	}{
		{"duplicate schema", []schemaedit.Op{{Op: schemaedit.CreateSchema, Name: "public"}}, "a schema named public already exists"},
		{"duplicate table", []schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "u"}}, "public.u is already the name of a table"},
		{"table named like an index", []schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "t_a"}}, "public.t_a is already the name of an index"},
		{"table in a missing schema", []schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "nope", Table: "x"}}, "there is no schema nope"},
		{"duplicate column in a new table", []schemaedit.Op{{Op: schemaedit.CreateTable, Schema: "public", Table: "x",
			Columns: []schemaedit.ColumnSpec{{Name: "a", Type: "int"}, {Name: "a", Type: "text"}}}}, "column a appears twice"},
		{"duplicate column", []schemaedit.Op{{Op: schemaedit.AddColumn, Schema: "public", Table: "t", Column: &schemaedit.ColumnSpec{Name: "a", Type: "int"}}}, "table public.t already has a column a"},
		{"unknown type", []schemaedit.Op{{Op: schemaedit.AddColumn, Schema: "public", Table: "t", Column: &schemaedit.ColumnSpec{Name: "b", Type: "integr"}}}, `unknown type "integr"`},
		{"modifier on a type without one", []schemaedit.Op{{Op: schemaedit.AddColumn, Schema: "public", Table: "t", Column: &schemaedit.ColumnSpec{Name: "b", Type: "integer(3)"}}}, `unknown type`},
		{"identity on text", []schemaedit.Op{{Op: schemaedit.AddColumn, Schema: "public", Table: "t", Column: &schemaedit.ColumnSpec{Name: "b", Type: "text", Identity: "always"}}}, "must be smallint, integer or bigint"},
		{"rename to a taken column", []schemaedit.Op{{Op: schemaedit.RenameColumn, Schema: "public", Table: "t", Name: "a", To: "note"}}, "already has a column note"},
		{"rename a missing table", []schemaedit.Op{{Op: schemaedit.RenameTable, Schema: "public", Table: "zz", To: "x"}}, "there is no table public.zz"},
		{"drop the index of a constraint", []schemaedit.Op{{Op: schemaedit.DropIndex, Schema: "public", Name: "t_pkey"}}, "enforces constraint t_pkey: drop the constraint instead"},
		{"second primary key", []schemaedit.Op{{Op: schemaedit.AddConstraint, Schema: "public", Table: "t", Constraint: &schemaedit.ConstraintSpec{Type: "primary_key", Columns: []string{"a"}}}}, "already has a primary key"},
		{"foreign key to a missing table", []schemaedit.Op{{Op: schemaedit.AddConstraint, Schema: "public", Table: "u",
			Constraint: &schemaedit.ConstraintSpec{Type: "foreign_key", Columns: []string{"id"}, RefTable: "zz"}}}, "there is no table public.zz to reference"},
		{"enum value taken", []schemaedit.Op{{Op: schemaedit.AddEnumValue, Schema: "public", Type: "mood", Name: "ok"}}, "already has the value 'ok'"},
		{"restore what was not dropped", []schemaedit.Op{{Op: schemaedit.RestoreTable, Schema: "public", Table: "t"}}, "was not dropped in this session"},
		{"unknown op", []schemaedit.Op{{Op: "paint_table"}}, `unknown operation "paint_table"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := schemaedit.New(baseModel())
			before := e.Schema()
			var err error
			for _, op := range c.ops {
				if err = e.Apply(op); err != nil {
					break
				}
			}
			var ue *usererr.Error
			if !errors.As(err, &ue) || !strings.Contains(ue.Message, c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if after := e.Schema(); !reflect.DeepEqual(before, after) || len(e.Ops()) != 0 {
				t.Errorf("a refused operation changed the model")
			}
		})
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		ops  []schemaedit.Op
		want []string
	}{
		{"primary key on a nullable column", []schemaedit.Op{
			{Op: schemaedit.CreateTable, Schema: "public", Table: "x", Columns: []schemaedit.ColumnSpec{{Name: "k", Type: "int"}}},
			{Op: schemaedit.AddConstraint, Schema: "public", Table: "x", Constraint: &schemaedit.ConstraintSpec{Type: "primary_key", Columns: []string{"k"}}}},
			[]string{"primary key x_pkey of public.x: column k allows NULL; make it NOT NULL"}},
		{"foreign key type mismatch", []schemaedit.Op{
			{Op: schemaedit.AddColumn, Schema: "public", Table: "u", Column: &schemaedit.ColumnSpec{Name: "t_note", Type: "varchar(10)"}},
			{Op: schemaedit.AddConstraint, Schema: "public", Table: "u", Constraint: &schemaedit.ConstraintSpec{Type: "foreign_key", Columns: []string{"t_note"}, RefTable: "t"}}},
			[]string{"foreign key u_t_note_fkey: column t_note is character varying(10) but the referenced public.t.id is integer; give them the same type"}},
		{"foreign key to columns without a key", []schemaedit.Op{
			{Op: schemaedit.AddConstraint, Schema: "public", Table: "u", Constraint: &schemaedit.ConstraintSpec{Name: "u_t_a_fkey", Type: "foreign_key", Columns: []string{"t_id"}, RefTable: "t", RefColumns: []string{"a"}}}},
			[]string{"foreign key u_t_a_fkey: the referenced columns of public.t have no primary key or unique constraint"}},
		{"index on a dropped column", []schemaedit.Op{{Op: schemaedit.DropColumn, Schema: "public", Table: "t", Name: "a"}},
			[]string{"index t_a uses column a of public.t, which is dropped: drop the index or keep the column"}},
		{"foreign key to a dropped table", []schemaedit.Op{{Op: schemaedit.DropTable, Schema: "public", Table: "t"}},
			[]string{"foreign key u_t_id_fkey of public.u references table public.t, which is dropped"}},
		{"fixed by the next op", []schemaedit.Op{{Op: schemaedit.DropColumn, Schema: "public", Table: "t", Name: "a"}, {Op: schemaedit.DropIndex, Schema: "public", Name: "t_a"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := schemaedit.New(baseModel())
			for _, op := range c.ops {
				if err := e.Apply(op); err != nil {
					t.Fatal(err)
				}
			}
			ps := e.Validate()
			var got []string
			for _, p := range ps {
				got = append(got, p.Message)
				if p.Op < 0 || p.Op >= len(c.ops) {
					t.Errorf("problem %q names op %d", p.Message, p.Op)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("problems %q, want %q", got, c.want)
			}
			_, err := e.Preview(diff.Options{})
			if (err != nil) != (len(c.want) > 0) {
				t.Fatalf("preview: %v", err)
			}
			if err != nil && !strings.Contains(err.Error(), c.want[0]) {
				t.Errorf("preview error %q does not say %q", err, c.want[0])
			}
		})
	}
}

func TestUndoRedoMarks(t *testing.T) {
	e := schemaedit.New(baseModel())
	ops := []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "public", Table: "t1", Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint"}}, PrimaryKey: []string{"id"}},
		{Op: schemaedit.AddColumn, Schema: "public", Table: "t1", Column: &schemaedit.ColumnSpec{Name: "name", Type: "text"}},
		{Op: schemaedit.RenameColumn, Schema: "public", Table: "t", Name: "a", To: "amount"},
		{Op: schemaedit.RenameTable, Schema: "public", Table: "t", To: "things"},
		{Op: schemaedit.DropColumn, Schema: "public", Table: "u", Name: "t_id"},
		{Op: schemaedit.RenameColumn, Schema: "public", Table: "t1", Name: "name", To: "title"},
	}
	for _, op := range ops {
		if err := e.Apply(op); err != nil {
			t.Fatalf("%v: %v", op, err)
		}
	}
	wantMarks := map[string]schemaedit.Mark{
		"table:public.t1": schemaedit.Created, "column:public.t1.title": schemaedit.Created, "constraint:public.t1.t1_pkey": schemaedit.Created,
		"index:public.t1_pkey": schemaedit.Created, "column:public.things.amount": schemaedit.Changed, "table:public.things": schemaedit.Changed,
		"column:public.u.t_id": schemaedit.Dropped, "table:public.u": schemaedit.Changed,
	}
	got := e.Marks()
	delete(got, "index:public.t1_pkey") // primary key index: marked or not, both fine
	delete(wantMarks, "index:public.t1_pkey")
	if !reflect.DeepEqual(got, wantMarks) {
		t.Errorf("marks %v, want %v", got, wantMarks)
	}
	// Only renames of original objects are intents.
	wantRenames := []diff.Rename{{Kind: diff.RenameColumn, Schema: "public", Table: "t", From: "a", To: "amount"},
		{Kind: diff.RenameTable, Schema: "public", From: "t", To: "things"}}
	if r := e.Renames(); !reflect.DeepEqual(r, wantRenames) {
		t.Errorf("renames %v, want %v", r, wantRenames)
	}
	full := e.Schema()
	for i := len(ops); i > 0; i-- {
		if !e.Undo() {
			t.Fatalf("undo %d refused", i)
		}
	}
	if e.Undo() {
		t.Fatal("undo past the start")
	}
	base := baseModel()
	base.Normalize()
	if !reflect.DeepEqual(e.Schema(), *base) || len(e.Marks()) != 0 || len(e.Renames()) != 0 {
		t.Fatal("undoing everything does not give the original model back")
	}
	for range ops {
		if !e.Redo() {
			t.Fatal("redo refused")
		}
	}
	if e.Redo() {
		t.Fatal("redo past the end")
	}
	if !reflect.DeepEqual(e.Schema(), full) {
		t.Fatal("redo does not give the edited model back")
	}
	e.Undo()
	if err := e.Apply(schemaedit.Op{Op: schemaedit.AddColumn, Schema: "public", Table: "t1", Column: &schemaedit.ColumnSpec{Name: "x", Type: "date"}}); err != nil {
		t.Fatal(err)
	}
	if e.Redo() {
		t.Fatal("redo after a new operation")
	}
	if n := len(e.Ops()); n != len(ops) {
		t.Fatalf("%d ops after undo + apply, want %d", n, len(ops))
	}
	e.DiscardAll()
	if sc := e.Schema(); len(e.Ops()) != 0 || len(e.Marks()) != 0 || sc.Table(catalog.QualifiedName{Schema: "public", Name: "t1"}) != nil {
		t.Fatal("discard all kept edits")
	}
	// A dropped table restored is no longer marked, and the drop is undone.
	if err := e.Apply(schemaedit.Op{Op: schemaedit.DropTable, Schema: "public", Table: "u"}); err != nil {
		t.Fatal(err)
	}
	if e.Marks()["table:public.u"] != schemaedit.Dropped {
		t.Fatalf("marks after drop: %v", e.Marks())
	}
	if err := e.Apply(schemaedit.Op{Op: schemaedit.RestoreTable, Schema: "public", Table: "u"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Marks()["table:public.u"]; ok {
		t.Fatalf("marks after restore: %v", e.Marks())
	}
	if p, err := e.Preview(diff.Options{}); err != nil || !p.Empty() {
		t.Fatalf("preview after drop + restore: %v\n%s", err, p.SQL())
	}
}

func TestResolveTypes(t *testing.T) {
	e := schemaedit.New(baseModel())
	cases := map[string]string{
		"int": "integer", "INT4": "integer", "bigint": "bigint", "varchar(20)": "character varying(20)", "VarChar ( 20 )": "character varying(20)",
		"numeric(10, 2)": "numeric(10,2)", "timestamptz": "timestamp with time zone", "bool": "boolean", "text[]": "text[]",
		"double precision": "double precision", "uuid": "uuid", "jsonb": "jsonb", "mood": "public.mood", "public.mood[]": "public.mood[]",
	}
	i := 0
	for typed, want := range cases {
		i++
		name := "c" + string(rune('a'+i))
		if err := e.Apply(schemaedit.Op{Op: schemaedit.AddColumn, Schema: "public", Table: "t", Column: &schemaedit.ColumnSpec{Name: name, Type: typed}}); err != nil {
			t.Fatalf("%s: %v", typed, err)
		}
		s := e.Schema()
		if got := s.Table(catalog.QualifiedName{Schema: "public", Name: "t"}).Column(name).Type; got != want {
			t.Errorf("%q stored as %q, want %q", typed, got, want)
		}
	}
}
