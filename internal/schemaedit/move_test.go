package schemaedit_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// TestMoveColumn: a new table's columns are reordered (first, after one);
// an existing table's, an unknown column or anchor, and a column after
// itself are refused naming the field, and nothing changes.
func TestMoveColumn(t *testing.T) {
	create := newTable("n", schemaedit.ColumnSpec{Name: "a", Type: "int"}, schemaedit.ColumnSpec{Name: "b", Type: "int"}, schemaedit.ColumnSpec{Name: "c", Type: "int"})
	move := func(table, name, after string) schemaedit.Op {
		return schemaedit.Op{Op: schemaedit.MoveColumn, Schema: "public", Table: table, Name: name, After: after}
	}
	order := func(e *schemaedit.Editor) []string {
		s := e.Schema()
		var out []string
		for _, c := range s.Table(catalog.QualifiedName{Schema: "public", Name: "n"}).Columns {
			out = append(out, c.Name)
		}
		return out
	}
	e := schemaedit.New(baseModel())
	for _, op := range []schemaedit.Op{create, move("n", "c", ""), move("n", "a", "b")} {
		if err := e.Apply(op); err != nil {
			t.Fatal(err)
		}
	}
	if got := order(e); !reflect.DeepEqual(got, []string{"c", "b", "a"}) {
		t.Fatalf("order = %v", got)
	}
	if m := e.Marks()["table:public.n"]; m != schemaedit.Created {
		t.Errorf("the new table is marked %q", m)
	}
	for _, c := range []struct {
		name, field, want string
		op                schemaedit.Op
	}{
		{"existing table", "column", "PostgreSQL keeps an existing table's column order", move("t", "id", "")},
		{"unknown column", "column", "table public.n has no column x", move("n", "x", "")},
		{"unknown anchor", "after", "table public.n has no column zz to place b after", move("n", "b", "zz")},
		{"after itself", "after", "a column cannot be placed after itself", move("n", "b", "b")},
		{"unknown table", "table", "", move("nope", "a", "")},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := order(e)
			err := e.Apply(c.op)
			ue := usererr.From(err)
			if err == nil || (c.field != "table" && (ue.Field != c.field || !strings.Contains(ue.Message, c.want))) {
				t.Fatalf("got %v (field %q)", err, ue.Field)
			}
			if got := order(e); !reflect.DeepEqual(got, before) {
				t.Errorf("a refused move changed the order: %v", got)
			}
		})
	}
}
