package schematree

import (
	"sort"
	"strings"
)

// Actions of a Change.
const (
	Added   = "added"
	Dropped = "dropped"
	Altered = "altered"
)

// Change is a top-level object (schema, table, view, function, type,
// sequence, extension, ...) that differs between two schemas. An object is
// altered when anything Dump renders for it differs: its columns, indexes,
// constraints, triggers, policies, comments, owner or privileges.
type Change struct {
	Action string `json:"action"` // added, dropped, altered
	Kind   string `json:"kind"`
	Schema string `json:"schema"`
	Name   string `json:"name"`
}

// unit is one top-level object's share of the DDL.
type unit struct {
	id, kind, schema, name string
	ddl                    string
}

// units returns the tree's top-level objects with their DDL, plus one unit
// per dump node no object claims (operators, casts, default privileges...).
func (l *Tree) units() []unit {
	l.built.Do(l.build)
	l.dumpNodes()
	claimed := map[string]bool{}
	var out []unit
	for id, e := range l.objects {
		if e.detail.Parent != "" {
			continue
		}
		for _, k := range e.keys {
			claimed[k] = true
		}
		out = append(out, unit{id: id, kind: e.detail.Kind, schema: e.detail.Schema, name: e.detail.Name, ddl: l.objectDDL(e)})
	}
	for _, k := range l.order {
		if claimed[k] {
			continue
		}
		kind, name, _ := strings.Cut(k, ":")
		out = append(out, unit{id: k, kind: kind, name: name, ddl: strings.Join(l.nodes[k], ";\n\n") + ";"})
	}
	return out
}

// Compare lists the top-level objects added, dropped or altered from before
// to after, in the order of AlignedDDL.
func Compare(before, after *Tree) []Change {
	out := []Change{}
	pair(before, after, func(b, a *unit) {
		switch {
		case b == nil:
			out = append(out, Change{Action: Added, Kind: a.kind, Schema: a.schema, Name: a.name})
		case a == nil:
			out = append(out, Change{Action: Dropped, Kind: b.kind, Schema: b.schema, Name: b.name})
		case a.ddl != b.ddl:
			out = append(out, Change{Action: Altered, Kind: a.kind, Schema: a.schema, Name: a.name})
		}
	})
	return out
}

// AlignedDDL renders both schemas object by object in one common order
// (schema, kind, name), so that a line diff of the two texts pairs each
// unchanged object with itself. The texts are for reading, not for loading:
// their order is not a valid creation order (catalog.Dump gives that).
func AlignedDDL(before, after *Tree) (string, string) {
	var bt, at strings.Builder
	pair(before, after, func(b, a *unit) {
		if b != nil {
			bt.WriteString(b.ddl + "\n\n")
		}
		if a != nil {
			at.WriteString(a.ddl + "\n\n")
		}
	})
	return strings.TrimRight(bt.String(), "\n") + "\n", strings.TrimRight(at.String(), "\n") + "\n"
}

// pair walks the union of both trees' units in order, calling fn with the
// unit of each side (nil when absent on that side).
func pair(before, after *Tree, fn func(b, a *unit)) {
	type both struct{ b, a *unit }
	bu, au := before.units(), after.units()
	m := map[string]*both{}
	var ids []*unit
	for i := range bu {
		m[bu[i].id] = &both{b: &bu[i]}
		ids = append(ids, &bu[i])
	}
	for i := range au {
		if p, ok := m[au[i].id]; ok {
			p.a = &au[i]
			continue
		}
		m[au[i].id] = &both{a: &au[i]}
		ids = append(ids, &au[i])
	}
	sort.SliceStable(ids, func(i, j int) bool { return less(ids[i], ids[j]) })
	for _, u := range ids {
		p := m[u.id]
		fn(p.b, p.a)
	}
}

func less(a, b *unit) bool {
	if a.schema != b.schema {
		return a.schema < b.schema
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	return a.id < b.id
}
