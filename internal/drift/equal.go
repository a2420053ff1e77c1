package drift

import (
	"reflect"
	"sort"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// item is a top-level object of one side, found by its ObjectRef key.
type item struct {
	model any // *catalog.Namespace, *catalog.Extension, *catalog.Type, ...
}

// items indexes the top-level objects of s (Tidemark's schema left out)
// by their ObjectRef key.
func items(s *catalog.Schema) map[string]item {
	m := make(map[string]item, len(s.Tables)+len(s.Views)+len(s.Functions)+len(s.Sequences)+len(s.Types)+len(s.Namespaces)+len(s.Extensions))
	own := func(schema string) bool { return schema != catalog.TidemarkSchema }
	for i := range s.Namespaces {
		if n := &s.Namespaces[i]; own(n.Name) {
			m[catalog.ObjectRef{Kind: catalog.KindSchema, Name: n.Name}.Key()] = item{n}
		}
	}
	for i := range s.Extensions {
		e := &s.Extensions[i]
		m[catalog.ObjectRef{Kind: catalog.KindExtension, Name: e.Name}.Key()] = item{e}
	}
	for i := range s.Types {
		if t := &s.Types[i]; own(t.Schema) {
			m[t.Ref().Key()] = item{t}
		}
	}
	for i := range s.Sequences {
		if q := &s.Sequences[i]; own(q.Schema) {
			m[q.Ref().Key()] = item{q}
		}
	}
	for i := range s.Functions {
		if f := &s.Functions[i]; own(f.Schema) {
			m[f.Ref().Key()] = item{f}
		}
	}
	for i := range s.Tables {
		if t := &s.Tables[i]; own(t.Schema) {
			m[t.Ref().Key()] = item{t}
		}
	}
	for i := range s.Views {
		if v := &s.Views[i]; own(v.Schema) {
			m[v.Ref().Key()] = item{v}
		}
	}
	return m
}

// same reports whether two versions of an object are equal for drift: by
// reflect.DeepEqual first (the common case, fast), else by a comparison
// that treats nil and empty lists alike, ignores dependency edges (they
// order DDL, they are not part of it), compares table columns by name and
// leaves owners and privileges out unless priv. Objects same calls
// different are rendered and compared as DDL, which has the last word.
func same(a, b any, priv bool) bool {
	ta, isTable := a.(*catalog.Table)
	if isTable {
		if tableEq(ta, b.(*catalog.Table)) {
			return true
		}
	} else if reflect.DeepEqual(a, b) {
		return true
	}
	if isTable {
		tb := b.(*catalog.Table)
		if len(ta.Columns) != len(tb.Columns) {
			return false
		}
		ca, cb := *ta, *tb
		ca.Columns, cb.Columns = byName(ta.Columns), byName(tb.Columns)
		return loose(reflect.ValueOf(&ca).Elem(), reflect.ValueOf(&cb).Elem(), priv)
	}
	return loose(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem(), priv)
}

func byName(cols []catalog.Column) []catalog.Column {
	out := append([]catalog.Column(nil), cols...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

var (
	refsType  = reflect.TypeOf([]catalog.ObjectRef(nil))
	grantType = reflect.TypeOf([]catalog.Grant(nil))
)

// loose is reflect.DeepEqual with nil == empty, dependency edges ignored
// and (unless priv) owners and grants ignored.
func loose(a, b reflect.Value, priv bool) bool {
	switch a.Kind() {
	case reflect.Struct:
		t := a.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Type == refsType || (!priv && (f.Type == grantType || (f.Name == "Owner" && f.Type.Kind() == reflect.String) || f.Name == "Privileges")) {
				continue
			}
			if !loose(a.Field(i), b.Field(i), priv) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !loose(a.Index(i), b.Index(i), priv) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return loose(a.Elem(), b.Elem(), priv)
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		return reflect.DeepEqual(a.Interface(), b.Interface())
	}
	return a.Equal(b)
}

// reduced builds a schema holding the objects of s whose keys are in ids
// (plus the parents of tables and the tables owning sequences, as context
// for rendering), and every object of the kinds not indexed by items when
// withRest. It shares s's values; callers clone before changing it.
func reduced(s *catalog.Schema, ids map[string]bool, withRest bool) catalog.Schema {
	out := catalog.Schema{Privileges: s.Privileges}
	want := func(k string) bool { return ids[k] }
	ctx := map[string]bool{}
	for i := range s.Tables {
		t := &s.Tables[i]
		if !want(t.Ref().Key()) {
			continue
		}
		if t.PartitionOf != nil {
			ctx[catalog.ObjectRef{Kind: catalog.KindTable, Schema: t.PartitionOf.Schema, Name: t.PartitionOf.Name}.Key()] = true
		}
		for _, p := range t.Inherits {
			ctx[catalog.ObjectRef{Kind: catalog.KindTable, Schema: p.Schema, Name: p.Name}.Key()] = true
		}
	}
	for i := range s.Sequences {
		q := &s.Sequences[i]
		if want(q.Ref().Key()) {
			out.Sequences = append(out.Sequences, *q)
			if q.OwnedBy != nil {
				ctx[catalog.ObjectRef{Kind: catalog.KindTable, Schema: q.OwnedBy.Table.Schema, Name: q.OwnedBy.Table.Name}.Key()] = true
			}
		}
	}
	for i := range s.Namespaces {
		if n := &s.Namespaces[i]; want(catalog.ObjectRef{Kind: catalog.KindSchema, Name: n.Name}.Key()) {
			out.Namespaces = append(out.Namespaces, *n)
		}
	}
	for i := range s.Extensions {
		if e := &s.Extensions[i]; want(catalog.ObjectRef{Kind: catalog.KindExtension, Name: e.Name}.Key()) {
			out.Extensions = append(out.Extensions, *e)
		}
	}
	for i := range s.Types {
		if t := &s.Types[i]; want(t.Ref().Key()) {
			out.Types = append(out.Types, *t)
		}
	}
	for i := range s.Functions {
		if f := &s.Functions[i]; want(f.Ref().Key()) {
			out.Functions = append(out.Functions, *f)
		}
	}
	for i := range s.Tables {
		if t := &s.Tables[i]; want(t.Ref().Key()) || ctx[t.Ref().Key()] {
			out.Tables = append(out.Tables, *t)
		}
	}
	for i := range s.Views {
		if v := &s.Views[i]; want(v.Ref().Key()) {
			out.Views = append(out.Views, *v)
		}
	}
	if withRest {
		out.Collations = s.Collations
		out.Operators = s.Operators
		out.EventTriggers = s.EventTriggers
		out.DefaultPrivileges = s.DefaultPrivileges
		out.Publications = s.Publications
		out.Casts = s.Casts
		out.TextSearchDicts = s.TextSearchDicts
		out.TextSearchConfigs = s.TextSearchConfigs
		out.ForeignWrappers, out.ForeignServers, out.ForeignTables = s.ForeignWrappers, s.ForeignServers, s.ForeignTables
		out.OperatorFamilies, out.OperatorClasses = s.OperatorFamilies, s.OperatorClasses
	}
	return out
}

// restSame reports whether the kinds items does not index are equal.
func restSame(a, b *catalog.Schema, priv bool) bool {
	type rest struct {
		C  []catalog.Collation
		O  []catalog.Operator
		E  []catalog.EventTrigger
		D  []catalog.DefaultPrivilege
		P  []catalog.Publication
		K  []catalog.Cast
		TD []catalog.TextSearchDict
		TC []catalog.TextSearchConfig
		FW []catalog.ForeignDataWrapper
		FS []catalog.ForeignServer
		FT []catalog.ForeignTable
		OF []catalog.OperatorFamily
		OC []catalog.OperatorClass
	}
	ra := rest{a.Collations, a.Operators, a.EventTriggers, a.DefaultPrivileges, a.Publications, a.Casts, a.TextSearchDicts, a.TextSearchConfigs,
		a.ForeignWrappers, a.ForeignServers, a.ForeignTables, a.OperatorFamilies, a.OperatorClasses}
	rb := rest{b.Collations, b.Operators, b.EventTriggers, b.DefaultPrivileges, b.Publications, b.Casts, b.TextSearchDicts, b.TextSearchConfigs,
		b.ForeignWrappers, b.ForeignServers, b.ForeignTables, b.OperatorFamilies, b.OperatorClasses}
	if !priv {
		ra.D, rb.D = nil, nil
	}
	return same(&ra, &rb, priv)
}
