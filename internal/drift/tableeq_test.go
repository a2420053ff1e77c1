package drift

import (
	"reflect"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// TestTableEqSeesEveryField changes each field of a table and of each of
// its sub-objects, one at a time, and requires tableEq to notice: a field
// added to the model without being compared would hide drift.
func TestTableEqSeesEveryField(t *testing.T) {
	one := 1
	s := "x"
	base := catalog.Table{
		Columns:     []catalog.Column{{IdentitySequence: &catalog.Sequence{OwnedBy: &catalog.ColumnRef{}}, StatsTarget: &one, Default: &s}},
		Constraints: []catalog.Constraint{{RefTable: &catalog.QualifiedName{}}},
		Indexes:     []catalog.Index{{Keys: []catalog.IndexKey{{StatsTarget: &one}}, ParentIndex: &catalog.QualifiedName{}}},
		Triggers:    []catalog.Trigger{{}},
		Policies:    []catalog.Policy{{}},
		PartitionOf: &catalog.QualifiedName{},
		Inherits:    []catalog.QualifiedName{{}},
		Comment:     &s,
	}
	n := 0
	// Compare each mutation against an unmutated copy.
	orig := clone(&base)
	var check func(path string, v reflect.Value)
	check = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				check(path+"*", v.Elem())
			}
		case reflect.Slice:
			if v.Type().Elem().Kind() == reflect.Struct && v.Len() > 0 {
				check(path+"[0]", v.Index(0))
				return
			}
			leaf(t, path, v, &base, orig, &n)
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).Type == reflect.TypeOf([]catalog.ObjectRef(nil)) {
					continue // dependency edges are ignored on purpose
				}
				check(path+"."+v.Type().Field(i).Name, v.Field(i))
			}
		default:
			leaf(t, path, v, &base, orig, &n)
		}
	}
	check("table", reflect.ValueOf(&base).Elem())
	if n < 90 {
		t.Fatalf("only %d fields checked", n)
	}
}

func leaf(t *testing.T, path string, v reflect.Value, base, orig *catalog.Table, n *int) {
	t.Helper()
	old := reflect.New(v.Type()).Elem()
	old.Set(v)
	mutate(v)
	*n++
	if tableEq(base, orig) {
		t.Errorf("%s: a changed value is not seen", path)
	}
	v.Set(old)
	if !tableEq(base, orig) {
		t.Fatalf("%s: restore failed", path)
	}
}

func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "changed")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 7)
	case reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.New(v.Type().Elem()).Elem()))
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		} else {
			v.Set(reflect.Zero(v.Type()))
		}
	}
}

func clone(t *catalog.Table) *catalog.Table {
	s := catalog.Schema{Tables: []catalog.Table{*t}}
	c := s.Clone()
	return &c.Tables[0]
}
