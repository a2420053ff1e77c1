// Package drift detects schema drift: the structured difference between a
// database's live schema and the schema it is expected to have (the snapshot
// after its last recorded change, its baseline, a JSON model, a SQL dump or
// what a directory of migration files builds).
//
// Drift is computed on the catalog models, never on text: an object drifts
// only when what catalog.Dump renders for it differs between the two sides
// (table columns compared by name, so physical column order does not count),
// so anything the model does not capture (OIDs, statistics, sequence values,
// dropped attributes, data) can never be reported. Objects the model does not
// cover are listed as not compared, never as "no drift". Tidemark's own
// schema (catalog.TidemarkSchema) is always left out.
package drift

import (
	"slices"
	"sort"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Actions of an Object or a Change.
const (
	Added   = "added"   // in the live database, not expected
	Dropped = "dropped" // expected, missing from the live database
	Altered = "altered" // on both sides, different
)

// Status values of a Report.
const (
	StatusNone        = "none"         // no drift and every object was compared
	StatusDrift       = "drift"        // at least one object drifted
	StatusNotCompared = "not_compared" // no drift among compared objects, but some objects are not modelled
)

// Report is the drift of one live database from its expected schema.
type Report struct {
	Status string `json:"status"`
	// Privileges says whether owners and privileges were compared (only
	// when both models hold them).
	Privileges bool `json:"privileges"`
	// Objects are the drifted top-level objects, ordered by schema, kind, name.
	Objects []Object `json:"objects"`
	// NotCompared lists objects of either side the model does not cover.
	NotCompared []NotCompared `json:"not_compared"`
}

// Drifted reports whether any object drifted.
func (r *Report) Drifted() bool { return len(r.Objects) > 0 }

// Object is one drifted top-level object (schema, extension, type, sequence,
// table, view, materialized_view, function, ...). Sub-objects (columns,
// indexes, constraints, triggers, policies, privileges, comments,
// partitions) are Changes of their table or view.
type Object struct {
	Kind   string `json:"kind"`
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name"`
	// Action is Added (only live), Dropped (only expected) or Altered.
	Action  string   `json:"action"`
	Changes []Change `json:"changes"`
	// ExpectedDDL and LiveDDL are what Dump renders for the object on each
	// side (empty on the side where it does not exist).
	ExpectedDDL string `json:"expected_ddl"`
	LiveDDL     string `json:"live_ddl"`
}

// QualifiedName is schema.name (quoted where needed), or the name alone.
func (o Object) QualifiedName() string {
	name, args, routine := strings.Cut(o.Name, "(")
	if !routine || o.Kind == "table" || o.Kind == "view" {
		name, args = o.Name, ""
	} else {
		args = "(" + args
	}
	if o.Schema == "" {
		return catalog.QuoteIdent(name) + args
	}
	return catalog.QuoteQualified(o.Schema, name) + args
}

// Change is one property of an object that differs: "column email" added
// with its type, "column price default" altered from → to, "index
// public.t_x_idx" added, "body", "privilege" added ("SELECT to alice"),
// "comment", "owner", "partition public.t_2024" dropped, "value" added
// (an enum label), ... From is empty when added, To when dropped.
type Change struct {
	Property string `json:"property"`
	Action   string `json:"action"`
	From     string `json:"from,omitempty"`
	To       string `json:"to,omitempty"`
}

// NotCompared is an object the model does not cover, with the side(s) it
// was found on: expected, live or both.
type NotCompared struct {
	Side   string `json:"side"`
	Kind   string `json:"kind"`
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name"`
	Detail string `json:"detail,omitempty"`
}

// Compare reports the drift of live from expected. It is pure and reads
// neither argument's model in place (both are cloned). Owners and
// privileges are compared only when both models hold them.
func Compare(expected, live *catalog.Result) Report {
	if expected == nil {
		expected = &catalog.Result{}
	}
	if live == nil {
		live = &catalog.Result{}
	}
	expected, live = align(expected, live)
	priv := expected.Schema.Privileges && live.Schema.Privileges
	rep := Report{Status: StatusNone, Privileges: priv, Objects: []Object{}, NotCompared: notCompared(expected.Unsupported, live.Unsupported)}

	// Structural pre-filter: only objects whose models differ (or exist on
	// one side) are rendered; the rendered DDL decides.
	ei, li := items(&expected.Schema), items(&live.Schema)
	cand := map[string]bool{}
	for k, a := range ei {
		if b, ok := li[k]; !ok || !same(a.model, b.model, priv) {
			cand[k] = true
		}
	}
	for k := range li {
		if _, ok := ei[k]; !ok {
			cand[k] = true
		}
	}
	rest := !restSame(&expected.Schema, &live.Schema, priv)
	if len(cand) == 0 && !rest {
		rep.finish()
		return rep
	}
	re, rl := reduced(&expected.Schema, cand, rest), reduced(&live.Schema, cand, rest)
	es, ls := prepare(&re, priv, true), prepare(&rl, priv, true)
	opts := catalog.DumpOptions{NoHeader: true, NoPrivileges: !priv}
	en, ln := nodeMap(catalog.DumpNodesNormalized(es, opts)), nodeMap(catalog.DumpNodesNormalized(ls, opts))
	eo, lo := claims(es), claims(ls)

	// Group every differing node key under its object.
	type pair struct{ e, l *owner }
	diffKeys := map[string][]string{}
	meta := map[string]pair{}
	visit := func(k string) {
		id, o := ownerOf(k, eo, lo)
		if _, ok := meta[id]; !ok {
			meta[id] = pair{eo.byID[id], lo.byID[id]}
			if o != nil {
				meta[id] = pair{e: o, l: o}
			}
		}
		diffKeys[id] = append(diffKeys[id], k)
	}
	for k, a := range en {
		if b, ok := ln[k]; !ok || !equal(a, b) {
			visit(k)
		}
	}
	for k := range ln {
		if _, ok := en[k]; !ok {
			visit(k)
		}
	}
	var ed, ld map[string][]string
	for id := range diffKeys {
		p := meta[id]
		eHas, lHas := hasObject(id, eo, en), hasObject(id, lo, ln)
		m := p.e
		if m == nil {
			m = p.l
		}
		obj := Object{Kind: m.kind, Schema: m.schema, Name: m.name, Changes: []Change{}}
		switch {
		case eHas && !lHas:
			obj.Action = Dropped
		case lHas && !eHas:
			obj.Action = Added
		default:
			obj.Action = Altered
		}
		if ed == nil {
			// The DDL shown keeps the columns in their physical order.
			ed = nodeMap(catalog.DumpNodesNormalized(prepare(&re, priv, false), opts))
			ld = nodeMap(catalog.DumpNodesNormalized(prepare(&rl, priv, false), opts))
		}
		obj.ExpectedDDL = ddlOf(id, eo, ed)
		obj.LiveDDL = ddlOf(id, lo, ld)
		if obj.Action == Altered {
			if p.e != nil && p.l != nil && p.e.model != nil && p.l.model != nil {
				obj.Changes = properties(p.e.model, p.l.model, priv)
			}
			if len(obj.Changes) == 0 {
				obj.Changes = []Change{{Property: "definition", Action: Altered, From: obj.ExpectedDDL, To: obj.LiveDDL}}
			}
		}
		rep.Objects = append(rep.Objects, obj)
	}
	sort.Slice(rep.Objects, func(i, j int) bool {
		a, b := rep.Objects[i], rep.Objects[j]
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Name < b.Name
	})
	rep.finish()
	return rep
}

// align puts two models on the same terms: when either side was written
// by a version that did not model a kind yet (its unsupported objects name
// that kind as such a version did, see catalog.Legacy), that kind is taken
// out of both models and its objects listed as not compared, so an old
// snapshot never makes objects of a newer kind look added or dropped.
// Neither argument is changed.
func align(expected, live *catalog.Result) (*catalog.Result, *catalog.Result) {
	kinds := catalog.LegacyKinds(expected.Unsupported)
	for _, k := range catalog.LegacyKinds(live.Unsupported) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return expected, live
	}
	strip := func(r *catalog.Result) *catalog.Result {
		out := *r
		out.Schema = r.Schema.Clone()
		out.Unsupported = append([]catalog.Object(nil), r.Unsupported...)
		for _, k := range kinds {
			out.Unsupported = append(out.Unsupported, out.Schema.StripKind(k)...)
		}
		return &out
	}
	return strip(expected), strip(live)
}

// finish sets the status.
func (r *Report) finish() {
	switch {
	case len(r.Objects) > 0:
		r.Status = StatusDrift
	case len(r.NotCompared) > 0:
		r.Status = StatusNotCompared
	default:
		r.Status = StatusNone
	}
}

// prepare clones s for comparing: privileges off unless priv, Tidemark's
// own schema left out, normalised, and (when byName) table columns in name
// order so physical column order does not count.
func prepare(s *catalog.Schema, priv, byName bool) *catalog.Schema {
	c := s.Clone()
	if !priv {
		c.Privileges = false
	}
	stripTidemark(&c)
	c.Normalize()
	if byName {
		for i := range c.Tables {
			cols := c.Tables[i].Columns
			sort.SliceStable(cols, func(x, y int) bool { return cols[x].Name < cols[y].Name })
		}
	}
	return &c
}

func stripTidemark(s *catalog.Schema) {
	in := func(schema string) bool { return schema != catalog.TidemarkSchema }
	s.Namespaces = keep(s.Namespaces, func(n catalog.Namespace) bool { return in(n.Name) })
	s.Collations = keep(s.Collations, func(x catalog.Collation) bool { return in(x.Schema) })
	s.Types = keep(s.Types, func(x catalog.Type) bool { return in(x.Schema) })
	s.Sequences = keep(s.Sequences, func(x catalog.Sequence) bool { return in(x.Schema) })
	s.Tables = keep(s.Tables, func(x catalog.Table) bool { return in(x.Schema) })
	s.Views = keep(s.Views, func(x catalog.View) bool { return in(x.Schema) })
	s.Functions = keep(s.Functions, func(x catalog.Function) bool { return in(x.Schema) })
	s.Operators = keep(s.Operators, func(x catalog.Operator) bool { return in(x.Schema) })
	s.DefaultPrivileges = keep(s.DefaultPrivileges, func(x catalog.DefaultPrivilege) bool { return in(x.Schema) })
}

// keep returns the elements of xs that ok accepts (xs's backing array is reused).
func keep[T any](xs []T, ok func(T) bool) []T {
	out := xs[:0]
	for _, x := range xs {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

func nodeMap(ns []catalog.DumpNode) map[string][]string {
	m := make(map[string][]string, len(ns))
	for _, n := range ns {
		m[n.Key] = n.Statements
	}
	return m
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// owner is a top-level object of one side: what it is and the dump node
// keys it claims.
type owner struct {
	kind, schema, name string
	keys               []string
	model              any // *catalog.Table, *catalog.View, ... (nil for unclaimed nodes)
}

// claims maps each dump node key of s to the object owning it, and each
// object id to its owner record (object ids are the objects' own keys).
type claimSet struct {
	byID  map[string]*owner
	byKey map[string]string
}

func claims(s *catalog.Schema) *claimSet {
	cs := &claimSet{byID: map[string]*owner{}, byKey: map[string]string{}}
	add := func(id string, o *owner) {
		cs.byID[id] = o
		for _, k := range o.keys {
			cs.byKey[k] = id
		}
	}
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		k := catalog.ObjectRef{Kind: catalog.KindSchema, Name: n.Name}.Key()
		add(k, &owner{kind: "schema", name: n.Name, keys: []string{k, catalog.ACLNodeKey(k)}, model: n})
	}
	for i := range s.Extensions {
		e := &s.Extensions[i]
		k := catalog.ObjectRef{Kind: catalog.KindExtension, Name: e.Name}.Key()
		add(k, &owner{kind: "extension", name: e.Name, keys: []string{k}, model: e})
	}
	for i := range s.Types {
		t := &s.Types[i]
		k := t.Ref().Key()
		add(k, &owner{kind: "type", schema: t.Schema, name: t.Name, keys: []string{k, catalog.ACLNodeKey(k)}, model: t})
	}
	for i := range s.Sequences {
		q := &s.Sequences[i]
		k := q.Ref().Key()
		add(k, &owner{kind: "sequence", schema: q.Schema, name: q.Name, keys: []string{k, catalog.OwnedByNodeKey(q.Ref()), catalog.ACLNodeKey(k)}, model: q})
	}
	for i := range s.Functions {
		f := &s.Functions[i]
		k := f.Ref().Key()
		name := f.Name + "(" + f.Args + ")"
		add(k, &owner{kind: string(functionKind(f)), schema: f.Schema, name: name, keys: []string{k, catalog.ACLNodeKey(k)}, model: f})
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		k := t.Ref().Key()
		keys := []string{k, catalog.AttachNodeKey(k), catalog.ACLNodeKey(k), catalog.ColumnACLNodeKey(t.QualifiedName)}
		keys = indexKeys(keys, t.Schema, t.Indexes)
		for _, c := range t.Constraints {
			keys = append(keys, catalog.ConstraintNodeKey(t.QualifiedName, c.Name))
		}
		for _, tr := range t.Triggers {
			keys = append(keys, catalog.TriggerNodeKey(t.Ref(), tr.Name))
		}
		for _, p := range t.Policies {
			keys = append(keys, catalog.PolicyNodeKey(t.Ref(), p.Name))
		}
		for _, x := range t.Statistics {
			keys = append(keys, catalog.StatisticsNodeKey(x.Schema, x.Name))
		}
		for _, r := range t.Rules {
			keys = append(keys, catalog.RuleNodeKey(t.Ref(), r.Name))
		}
		add(k, &owner{kind: "table", schema: t.Schema, name: t.Name, keys: keys, model: t})
	}
	for i := range s.ForeignWrappers {
		w := &s.ForeignWrappers[i]
		add(w.Key(), &owner{kind: string(catalog.KindForeignWrapper), name: w.Name, keys: []string{w.Key()}, model: w})
	}
	for i := range s.ForeignServers {
		x := &s.ForeignServers[i]
		k := catalog.ForeignServerKey(x.Name)
		add(k, &owner{kind: string(catalog.KindForeignServer), name: x.Name, keys: []string{k}, model: x})
	}
	for i := range s.ForeignTables {
		x := &s.ForeignTables[i]
		k := x.Ref().Key()
		keys := []string{k, catalog.ACLNodeKey(k)}
		for _, st := range x.Statistics {
			keys = append(keys, catalog.StatisticsNodeKey(st.Schema, st.Name))
		}
		add(k, &owner{kind: string(catalog.KindForeignTable), schema: x.Schema, name: x.Name, keys: keys, model: x})
	}
	for i := range s.TextSearchDicts {
		x := &s.TextSearchDicts[i]
		k := x.Ref().Key()
		add(k, &owner{kind: string(catalog.KindTSDict), schema: x.Schema, name: x.Name, keys: []string{k}, model: x})
	}
	for i := range s.TextSearchConfigs {
		x := &s.TextSearchConfigs[i]
		k := x.Ref().Key()
		add(k, &owner{kind: string(catalog.KindTSConfig), schema: x.Schema, name: x.Name, keys: []string{k}, model: x})
	}
	for i := range s.OperatorFamilies {
		x := &s.OperatorFamilies[i]
		k := x.Ref().Key()
		add(k, &owner{kind: string(catalog.KindOperatorFamily), schema: x.Schema, name: x.Name + " USING " + x.Method, keys: []string{k}, model: x})
	}
	for i := range s.OperatorClasses {
		x := &s.OperatorClasses[i]
		k := x.Ref().Key()
		add(k, &owner{kind: string(catalog.KindOperatorClass), schema: x.Schema, name: x.Name + " USING " + x.Method, keys: []string{k}, model: x})
	}
	for i := range s.Casts {
		c := &s.Casts[i]
		k := c.Ref().Key()
		add(k, &owner{kind: "cast", name: c.Name(), keys: []string{k}, model: c})
	}
	for i := range s.Publications {
		p := &s.Publications[i]
		k := catalog.PublicationNodeKey(p.Name)
		add(k, &owner{kind: "publication", name: p.Name, keys: []string{k}, model: p})
	}
	for i := range s.Views {
		v := &s.Views[i]
		k := v.Ref().Key()
		keys := []string{k, catalog.ACLNodeKey(k), catalog.ColumnACLNodeKey(v.QualifiedName)}
		keys = indexKeys(keys, v.Schema, v.Indexes)
		for _, tr := range v.Triggers {
			keys = append(keys, catalog.TriggerNodeKey(v.Ref(), tr.Name))
		}
		for _, x := range v.Statistics {
			keys = append(keys, catalog.StatisticsNodeKey(x.Schema, x.Name))
		}
		for _, r := range v.Rules {
			keys = append(keys, catalog.RuleNodeKey(v.Ref(), r.Name))
		}
		kind := "view"
		if v.Materialized {
			kind = "materialized_view"
		}
		add(k, &owner{kind: kind, schema: v.Schema, name: v.Name, keys: keys, model: v})
	}
	return cs
}

func functionKind(f *catalog.Function) string {
	switch f.Kind {
	case catalog.FunctionProcedure:
		return "procedure"
	case catalog.FunctionAggregate:
		return "aggregate"
	}
	return "function"
}

func indexKeys(keys []string, schema string, xs []catalog.Index) []string {
	for _, x := range xs {
		ik := catalog.IndexNodeKey(schema, x.Name)
		keys = append(keys, ik, catalog.IndexExtraNodeKey(schema, x.Name), catalog.AttachNodeKey(ik))
	}
	return keys
}

// ownerOf finds the object a node key belongs to: the one claiming it on
// either side, else the object named by the key with its wrapper prefixes
// (acl:, attach:, owned:, indexextra:) stripped. For keys no object claims
// it returns an owner record built from the key.
func ownerOf(k string, e, l *claimSet) (string, *owner) {
	if id, ok := e.byKey[k]; ok {
		return id, nil
	}
	if id, ok := l.byKey[k]; ok {
		return id, nil
	}
	base := k
	for {
		cut := false
		for _, p := range []string{"acl:", "attach:", "owned:", "indexextra:"} {
			if strings.HasPrefix(base, p) {
				base, cut = strings.TrimPrefix(base, p), true
			}
		}
		if !cut {
			break
		}
	}
	if id, ok := e.byKey[base]; ok {
		return id, nil
	}
	if id, ok := l.byKey[base]; ok {
		return id, nil
	}
	kind, name, found := strings.Cut(base, ":")
	switch {
	case !found:
		kind, name = "object", base
	case kind == "defacl":
		kind = string(catalog.KindDefaultACL)
	}
	return "other:" + base, &owner{kind: kind, name: name, keys: nil}
}

// hasObject reports whether the object id exists on a side: claimed by one
// of its models, or (unclaimed) rendered there.
func hasObject(id string, cs *claimSet, nodes map[string][]string) bool {
	if _, ok := cs.byID[id]; ok {
		return true
	}
	if base, ok := strings.CutPrefix(id, "other:"); ok {
		for k := range nodes {
			if k == base || strings.HasSuffix(k, ":"+base) {
				if _, claimed := cs.byKey[k]; !claimed {
					return true
				}
			}
		}
	}
	return false
}

// ddlOf joins the statements of the object's nodes on one side.
func ddlOf(id string, cs *claimSet, nodes map[string][]string) string {
	var keys []string
	if o, ok := cs.byID[id]; ok {
		keys = o.keys
	} else if base, ok := strings.CutPrefix(id, "other:"); ok {
		for k := range nodes {
			if _, claimed := cs.byKey[k]; !claimed && (k == base || strings.HasSuffix(k, ":"+base)) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
	}
	var stmts []string
	for _, k := range keys {
		stmts = append(stmts, nodes[k]...)
	}
	if len(stmts) == 0 {
		return ""
	}
	return strings.Join(stmts, ";\n") + ";\n"
}

// notCompared merges the unsupported objects of both sides.
func notCompared(e, l []catalog.Object) []NotCompared {
	type id struct{ kind, schema, name, detail string }
	side := map[id]string{}
	var order []id
	for _, x := range []struct {
		name string
		objs []catalog.Object
	}{{"expected", e}, {"live", l}} {
		for _, o := range x.objs {
			if o.Schema == catalog.TidemarkSchema {
				continue
			}
			k := id{string(o.Kind), o.Schema, o.Name, o.Detail}
			switch side[k] {
			case "":
				side[k] = x.name
				order = append(order, k)
			case "expected":
				if x.name == "live" {
					side[k] = "both"
				}
			}
		}
	}
	out := make([]NotCompared, 0, len(order))
	for _, k := range order {
		out = append(out, NotCompared{Side: side[k], Kind: k.kind, Schema: k.schema, Name: k.name, Detail: k.detail})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Name < b.Name
	})
	return out
}
