package diff

import (
	"reflect"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// prune removes from both (normalised) schemas the tables and views that are
// equal on both sides and unrelated to anything that changes: nothing they
// use changes, and they use nothing that changes. Planning then renders and
// compares only the part of the schema that matters, which keeps large
// schemas with small differences fast. What is kept: every changed object,
// everything that uses a kept object (transitively), and what kept objects
// use directly (for rendering). A table reached from another table through
// a foreign key, partition or inheritance link is kept without spreading
// further: only its sub-objects can be re-created because of the other.
func prune(f, t *catalog.Schema) {
	type rel struct {
		tf, tt *catalog.Table
		vf, vt *catalog.View
	}
	tables := map[string]*rel{}
	for i := range f.Tables {
		k := f.Tables[i].Ref().Key()
		tables[k] = &rel{tf: &f.Tables[i]}
	}
	for i := range t.Tables {
		k := t.Tables[i].Ref().Key()
		if r := tables[k]; r != nil {
			r.tt = &t.Tables[i]
		} else {
			tables[k] = &rel{tt: &t.Tables[i]}
		}
	}
	for i := range f.Views {
		tables[f.Views[i].Ref().Key()] = &rel{vf: &f.Views[i]}
	}
	for i := range t.Views {
		k := t.Views[i].Ref().Key()
		if r := tables[k]; r != nil && r.vf != nil {
			r.vt = &t.Views[i]
		} else if r == nil {
			tables[k] = &rel{vt: &t.Views[i]}
		} else {
			r.vt = &t.Views[i] // a table and a view with the same name: both kept below
		}
	}
	changed := map[string]bool{}
	for k, r := range tables {
		switch {
		case r.tf != nil || r.tt != nil:
			if r.tf == nil || r.tt == nil || r.vf != nil || r.vt != nil || !reflect.DeepEqual(r.tf, r.tt) {
				changed[k] = true
			}
		default:
			if r.vf == nil || r.vt == nil || !reflect.DeepEqual(r.vf, r.vt) {
				changed[k] = true
			}
		}
	}
	// Objects other than tables and views are never pruned: any difference
	// in them marks them changed.
	others := func(s *catalog.Schema, add func(string)) {
		for i := range s.Types {
			add(s.Types[i].Ref().Key())
		}
		for i := range s.Functions {
			add(s.Functions[i].Ref().Key())
		}
		for i := range s.Sequences {
			add(s.Sequences[i].Ref().Key())
		}
		for i := range s.Operators {
			add(s.Operators[i].Ref().Key())
		}
		for _, c := range s.Collations {
			add(catalog.ObjectRef{Kind: catalog.KindCollation, Schema: c.Schema, Name: c.Name}.Key())
		}
		for _, e := range s.Extensions {
			add(catalog.ObjectRef{Kind: catalog.KindExtension, Name: e.Name}.Key())
		}
	}
	fo := map[string]bool{}
	others(f, func(k string) { fo[k] = true })
	others(t, func(k string) {
		if !fo[k] {
			changed[k] = true
		}
		delete(fo, k)
	})
	for k := range fo {
		changed[k] = true
	}
	typeEq := func(a, b *catalog.Schema) {
		for i := range a.Types {
			if o := b.Type(a.Types[i].QualifiedName); o == nil || !reflect.DeepEqual(&a.Types[i], o) {
				changed[a.Types[i].Ref().Key()] = true
			}
		}
		for i := range a.Sequences {
			if o := b.Sequence(a.Sequences[i].QualifiedName); o == nil || !reflect.DeepEqual(&a.Sequences[i], o) {
				changed[a.Sequences[i].Ref().Key()] = true
			}
		}
	}
	typeEq(f, t)
	fm := map[string]*catalog.Function{}
	for i := range f.Functions {
		fm[f.Functions[i].Ref().Key()] = &f.Functions[i]
	}
	for i := range t.Functions {
		k := t.Functions[i].Ref().Key()
		if o := fm[k]; o == nil || !reflect.DeepEqual(o, &t.Functions[i]) {
			changed[k] = true
		}
	}
	if len(f.Operators) > 0 || len(t.Operators) > 0 || len(f.Collations) > 0 || len(t.Collations) > 0 || len(f.Casts) > 0 || len(t.Casts) > 0 ||
		len(f.ForeignTables) > 0 || len(t.ForeignTables) > 0 || len(f.ForeignServers) > 0 || len(t.ForeignServers) > 0 ||
		len(f.TextSearchConfigs) > 0 || len(t.TextSearchConfigs) > 0 || len(f.TextSearchDicts) > 0 || len(t.TextSearchDicts) > 0 ||
		len(f.OperatorFamilies) > 0 || len(t.OperatorFamilies) > 0 || len(f.OperatorClasses) > 0 || len(t.OperatorClasses) > 0 ||
		!reflect.DeepEqual(f.Extensions, t.Extensions) {
		// Rare kinds: do not prune at all when they are present.
		return
	}

	// Dependency edges between top-level objects, from both sides.
	deps := map[string][]string{}
	users := map[string][]string{}
	link := func(from, to string) {
		if from == to {
			return
		}
		deps[from] = append(deps[from], to)
		users[to] = append(users[to], from)
	}
	indexOwner := map[string]string{}
	for _, s := range []*catalog.Schema{f, t} {
		for i := range s.Tables {
			for _, x := range s.Tables[i].Indexes {
				indexOwner[catalog.QuoteQualified(s.Tables[i].Schema, x.Name)] = s.Tables[i].Ref().Key()
			}
		}
		for i := range s.Views {
			for _, x := range s.Views[i].Indexes {
				indexOwner[catalog.QuoteQualified(s.Views[i].Schema, x.Name)] = s.Views[i].Ref().Key()
			}
		}
	}
	funcsByName := map[catalog.QualifiedName][]string{}
	for _, s := range []*catalog.Schema{f, t} {
		for i := range s.Functions {
			funcsByName[s.Functions[i].QualifiedName] = append(funcsByName[s.Functions[i].QualifiedName], s.Functions[i].Ref().Key())
		}
	}
	top := func(r catalog.ObjectRef) string {
		switch r.Kind {
		case catalog.KindConstraint:
			return catalog.ObjectRef{Kind: catalog.KindTable, Schema: r.Schema, Name: r.Table}.Key()
		case catalog.KindIndex:
			return indexOwner[catalog.QuoteQualified(r.Schema, r.Name)]
		}
		return r.Key()
	}
	refs := func(from string, rs []catalog.ObjectRef) {
		for _, r := range rs {
			if k := top(r); k != "" {
				link(from, k)
			}
		}
	}
	tkey := func(q catalog.QualifiedName) string {
		return catalog.ObjectRef{Kind: catalog.KindTable, Schema: q.Schema, Name: q.Name}.Key()
	}
	for _, s := range []*catalog.Schema{f, t} {
		for i := range s.Tables {
			tb := &s.Tables[i]
			k := tb.Ref().Key()
			refs(k, tb.DependsOn)
			for _, c := range tb.Columns {
				link(k, catalog.ObjectRef{Kind: catalog.KindType, Schema: c.TypeRef.Schema, Name: c.TypeRef.Name}.Key())
			}
			if tb.PartitionOf != nil {
				link(k, tkey(*tb.PartitionOf))
			}
			for _, p := range tb.Inherits {
				link(k, tkey(p))
			}
			for _, c := range tb.Constraints {
				refs(k, c.DependsOn)
				if c.RefTable != nil {
					link(k, tkey(*c.RefTable))
				}
			}
			for _, x := range tb.Indexes {
				refs(k, x.DependsOn)
			}
			for _, r := range tb.Rules {
				refs(k, r.DependsOn)
			}
			for _, tr := range tb.Triggers {
				for _, fk := range funcsByName[tr.Function] {
					link(k, fk)
				}
			}
		}
		for i := range s.Views {
			v := &s.Views[i]
			k := v.Ref().Key()
			refs(k, v.DependsOn)
			for _, x := range v.Indexes {
				refs(k, x.DependsOn)
			}
			for _, tr := range v.Triggers {
				for _, fk := range funcsByName[tr.Function] {
					link(k, fk)
				}
			}
		}
		for i := range s.Sequences {
			q := &s.Sequences[i]
			if q.OwnedBy != nil {
				link(q.Ref().Key(), tkey(q.OwnedBy.Table))
				link(tkey(q.OwnedBy.Table), q.Ref().Key())
			}
		}
		for i := range s.Types {
			refs(s.Types[i].Ref().Key(), s.Types[i].DependsOn)
		}
		for i := range s.Functions {
			refs(s.Functions[i].Ref().Key(), s.Functions[i].DependsOn)
		}
	}
	keep := map[string]bool{}
	var queue []string
	for k := range changed {
		keep[k] = true
		queue = append(queue, k)
	}
	isTable := func(k string) bool { r := tables[k]; return r != nil && (r.tf != nil || r.tt != nil) }
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, u := range users[k] {
			if keep[u] {
				continue
			}
			keep[u] = true
			// A table using a table only has sub-objects (foreign keys,
			// partitions) re-created, never itself: no further spread.
			if !(isTable(k) && isTable(u)) {
				queue = append(queue, u)
			}
		}
	}
	for k := range keep {
		for _, d := range deps[k] {
			keep[d] = true
		}
	}
	filter := func(s *catalog.Schema) {
		tb := s.Tables[:0]
		for _, x := range s.Tables {
			if keep[x.Ref().Key()] {
				tb = append(tb, x)
			}
		}
		s.Tables = tb
		vs := s.Views[:0]
		for _, x := range s.Views {
			if keep[x.Ref().Key()] {
				vs = append(vs, x)
			}
		}
		s.Views = vs
	}
	filter(f)
	filter(t)
}
