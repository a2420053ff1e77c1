package schemaedit_test

import (
	"reflect"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

func findTable(v schemaedit.View, schema, name string) *schemaedit.TableView {
	for i := range v.Schemas {
		if v.Schemas[i].Name != schema {
			continue
		}
		for j := range v.Schemas[i].Tables {
			if v.Schemas[i].Tables[j].Name == name {
				return &v.Schemas[i].Tables[j]
			}
		}
	}
	return nil
}

func TestViewMarksAndUndo(t *testing.T) {
	e := schemaedit.New(baseModel())
	v := e.View()
	if v.CanUndo || v.CanRedo || v.Ops != 0 {
		t.Fatalf("fresh view: undo %v redo %v ops %d", v.CanUndo, v.CanRedo, v.Ops)
	}
	if !reflect.DeepEqual(v.Types, []string{"public.mood"}) {
		t.Fatalf("types = %v", v.Types)
	}
	tt := findTable(v, "public", "t")
	if tt == nil || len(tt.Columns) != 3 || !tt.Columns[0].PrimaryKey || tt.Columns[1].PrimaryKey || tt.Mark != "" {
		t.Fatalf("table t: %+v", tt)
	}
	if u := findTable(v, "public", "u"); u == nil || !u.Columns[1].ForeignKey || u.Constraints[1].RefTable != "public.t" {
		t.Fatalf("table u: %+v", u)
	}

	ops := []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "public", Table: "t1", Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint"}}, PrimaryKey: []string{"id"}},
		{Op: schemaedit.AddColumn, Schema: "public", Table: "t1", Column: &schemaedit.ColumnSpec{Name: "name", Type: "text"}},
		{Op: schemaedit.RenameColumn, Schema: "public", Table: "t", Name: "a", To: "b"},
		{Op: schemaedit.DropColumn, Schema: "public", Table: "t", Name: "note"},
		{Op: schemaedit.DropTable, Schema: "public", Table: "u"},
	}
	for _, op := range ops {
		if err := e.Apply(op); err != nil {
			t.Fatalf("%s: %v", op.Op, err)
		}
	}
	v = e.View()
	if !v.CanUndo || v.CanRedo || v.Ops != len(ops) {
		t.Fatalf("after edits: undo %v redo %v ops %d", v.CanUndo, v.CanRedo, v.Ops)
	}
	t1 := findTable(v, "public", "t1")
	if t1 == nil || t1.Mark != schemaedit.Created || len(t1.Columns) != 2 || t1.Columns[1].Name != "name" || t1.Columns[1].Mark != schemaedit.Created || !t1.Columns[0].PrimaryKey || !t1.Columns[0].NotNull {
		t.Fatalf("t1: %+v", t1)
	}
	tt = findTable(v, "public", "t")
	if tt.Mark != schemaedit.Changed || tt.Columns[1].Name != "b" || tt.Columns[1].Mark != schemaedit.Changed || tt.Columns[1].Key != `column:public.t.b` {
		t.Fatalf("t after rename: %+v", tt)
	}
	if !reflect.DeepEqual(tt.DroppedColumns, []string{"note"}) {
		t.Fatalf("dropped columns = %v", tt.DroppedColumns)
	}
	if findTable(v, "public", "u") != nil || !reflect.DeepEqual(v.Schemas[0].Dropped, []string{"u"}) {
		t.Fatalf("dropped table u: tables %+v dropped %v", v.Schemas[0].Tables, v.Schemas[0].Dropped)
	}

	e.Undo()
	v = e.View()
	if !v.CanRedo || findTable(v, "public", "u") == nil || len(v.Schemas[0].Dropped) != 0 {
		t.Fatalf("undo of the drop: redo %v dropped %v", v.CanRedo, v.Schemas[0].Dropped)
	}
	e.DiscardAll()
	if v := e.View(); v.CanUndo || v.CanRedo || findTable(v, "public", "t1") != nil {
		t.Fatalf("discard: %+v", v)
	}
}
