package catalog

import "reflect"

// Clone returns a deep copy of s: no slice, map or pointer is shared.
func (s Schema) Clone() Schema {
	var c Schema
	(&cloner{plans: map[reflect.Type]*copyPlan{}}).copy(reflect.ValueOf(&c).Elem(), reflect.ValueOf(s))
	return c
}

// cloner deep-copies model values. The model holds only structs, slices,
// pointers, maps, strings, numbers and bools; nil stays nil and empty stays
// empty (they marshal differently). Each type is examined once per Clone:
// a struct is copied in one assignment and only its fields that hold
// references are copied again, deeply.
type cloner struct {
	plans map[reflect.Type]*copyPlan
}

// copyPlan is what copying a value of one type takes.
type copyPlan struct {
	flat bool  // holds no references: a plain assignment copies it
	deep []int // for a struct: the fields that hold references
}

func (c *cloner) plan(t reflect.Type) *copyPlan {
	if p, ok := c.plans[t]; ok {
		return p
	}
	p := &copyPlan{}
	c.plans[t] = p // (not flat while being examined: safe for recursive types)
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		p.flat = true
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if !c.plan(t.Field(i).Type).flat {
				p.deep = append(p.deep, i)
			}
		}
		p.flat = len(p.deep) == 0
	}
	return p
}

// copy copies src into dst (settable, same type).
func (c *cloner) copy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		dst.Set(src)
		for _, i := range c.plan(src.Type()).deep {
			c.copy(dst.Field(i), src.Field(i))
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		n := src.Len()
		s := reflect.MakeSlice(src.Type(), n, n)
		if c.plan(src.Type().Elem()).flat {
			reflect.Copy(s, src)
		} else {
			for i := 0; i < n; i++ {
				c.copy(s.Index(i), src.Index(i))
			}
		}
		dst.Set(s)
	case reflect.Pointer:
		if src.IsNil() {
			dst.Set(reflect.Zero(src.Type()))
			return
		}
		p := reflect.New(src.Type().Elem())
		c.copy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Map:
		if src.IsNil() {
			dst.Set(reflect.Zero(src.Type()))
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			v := reflect.New(src.Type().Elem()).Elem()
			c.copy(v, it.Value())
			m.SetMapIndex(it.Key(), v)
		}
		dst.Set(m)
	default:
		dst.Set(src)
	}
}
