package catalog

import (
	"math/rand"
	"reflect"
	"testing"
)

// fill sets every field reachable from v to a non-zero value (slices of one
// to three elements, every pointer allocated), so a test sees every field
// of the model, including ones added later.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(string(rune('a' + r.Intn(26))))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(1 + r.Intn(100)))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(1 + r.Intn(100)))
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fill(r, v.Field(i), depth)
		}
	case reflect.Slice:
		if depth > 4 {
			return
		}
		n := 1 + r.Intn(3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			fill(r, s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Pointer:
		if depth > 4 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Map:
		if depth > 4 {
			return
		}
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(r, k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(r, e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// shared reports a slice backing array, pointer or map reachable from both
// a and b (same type), or "" when nothing is shared.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if s := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); s != "" {
				return s
			}
		}
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := 0; i < a.Len(); i++ {
			if s := shared(a.Index(i), b.Index(i), path+"[]"); s != "" {
				return s
			}
		}
	case reflect.Pointer:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			return path
		}
		if !a.IsNil() {
			return shared(a.Elem(), b.Elem(), path+"*")
		}
	case reflect.Map:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			return path
		}
	}
	return ""
}

// Clone copies every field of the model and shares nothing with the original;
// nil and empty lists stay as they were.
func TestCloneDeep(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for n := 0; n < 20; n++ {
		var s Schema
		fill(r, reflect.ValueOf(&s).Elem(), 0)
		c := s.Clone()
		if !reflect.DeepEqual(s, c) {
			t.Fatal("the clone differs from the original")
		}
		if p := shared(reflect.ValueOf(&s).Elem(), reflect.ValueOf(&c).Elem(), "Schema"); p != "" {
			t.Fatalf("the clone shares %s with the original", p)
		}
	}
	e := Schema{Tables: []Table{{Columns: []Column{}, Indexes: nil}}}
	c := e.Clone()
	if c.Tables[0].Columns == nil || c.Tables[0].Indexes != nil {
		t.Errorf("nil/empty not kept: columns %#v, indexes %#v", c.Tables[0].Columns, c.Tables[0].Indexes)
	}
}
