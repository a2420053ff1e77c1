package schematree

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

func schema(tables ...catalog.Table) *catalog.Schema {
	return &catalog.Schema{Namespaces: []catalog.Namespace{{Name: "public"}}, Tables: tables}
}

func table(name string, cols ...string) catalog.Table {
	t := catalog.Table{QualifiedName: catalog.QualifiedName{Schema: "public", Name: name}, Kind: catalog.TableRegular}
	for _, c := range cols {
		t.Columns = append(t.Columns, catalog.Column{Name: c, Type: "integer"})
	}
	return t
}

func TestCompareAndAlignedDDL(t *testing.T) {
	before := New(schema(table("a", "id"), table("b", "id"), table("c", "id")))
	after := New(schema(table("a", "id"), table("b", "id", "x"), table("aa", "id")))
	got := Compare(before, after)
	want := []Change{
		{Action: Added, Kind: "table", Schema: "public", Name: "aa"},
		{Action: Altered, Kind: "table", Schema: "public", Name: "b"},
		{Action: Dropped, Kind: "table", Schema: "public", Name: "c"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Compare = %+v\nwant %+v", got, want)
	}
	if got := Compare(before, before); len(got) != 0 {
		t.Fatalf("Compare of a schema with itself = %+v", got)
	}
	bt, at := AlignedDDL(before, after)
	// Unchanged objects appear in the same order on both sides: table a comes
	// before b on both, and the text before b is the same.
	bi, ai := strings.Index(bt, "CREATE TABLE public.b"), strings.Index(at, "CREATE TABLE public.b")
	if bi < 0 || ai < 0 {
		t.Fatalf("texts lack table b:\n%s\n---\n%s", bt, at)
	}
	if !strings.HasPrefix(at[:ai], bt[:strings.Index(bt, "CREATE TABLE public.a")]) || !strings.Contains(at[:ai], "CREATE TABLE public.aa") {
		t.Fatalf("after text is not aligned with before:\n%s\n---\n%s", bt, at)
	}
	if strings.Contains(at, "public.c") || !strings.Contains(bt, "public.c") {
		t.Fatalf("dropped table misplaced:\n%s\n---\n%s", bt, at)
	}
}

func TestTreeObjectDDL(t *testing.T) {
	tb := table("orders", "id", "total")
	tb.Constraints = []catalog.Constraint{{Name: "orders_total_check", Type: catalog.ConstraintCheck, Definition: "CHECK ((total >= 0))"}}
	tr := New(schema(tb))
	k := catalog.ObjectRef{Kind: catalog.KindTable, Schema: "public", Name: "orders"}.Key()
	o, ok := tr.Object(k + "/constraint:orders_total_check")
	if !ok || o.DDL != "CONSTRAINT orders_total_check CHECK ((total >= 0))" {
		t.Fatalf("check constraint = %+v, %v", o, ok)
	}
	o, ok = tr.Object(k + "/column:total")
	if !ok || o.DDL != "total integer" {
		t.Fatalf("column = %+v, %v", o, ok)
	}
	o, ok = tr.Object(k)
	if !ok || !strings.Contains(o.DDL, "CREATE TABLE public.orders") {
		t.Fatalf("table = %+v, %v", o, ok)
	}
	if c := tr.Count(); c.Tables != 1 || c.Schemas != 1 {
		t.Fatalf("counts = %+v", c)
	}
}
