package diff

import (
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// objKind is what a plan node stands for.
type objKind int

const (
	kSchema objKind = iota
	kExtension
	kCollation
	kType
	kFunction
	kOperator
	kSequence
	kOwned
	kTable
	kAttach
	kView
	kConstraint
	kIndex
	kIndexExtra
	kIndexAttach
	kTrigger
	kPolicy
	kStatistics
	kRule
	kEventTrigger
	kPublication
	kCast
	kTSDict
	kTSConfig
	kForeignWrapper
	kForeignServer
	kForeignTable
	kOpFamily
	kOpClass
	kACL
	kOther
)

// obj is one node of a schema: what creates it (Dump's statements), what it
// depends on, and the model object behind it.
type obj struct {
	key   string
	kind  objKind
	stmts []string // creation statements without comments and privileges
	deco  []string // comments and OWNER TO statements
	deps  []string // keys; used for ordering and for rebuild propagation
	// orderDeps only order statements (not propagated when rebuilding).
	orderDeps []string
	order     int
	owner     string // key of the owning table/view for sub-objects and ACLs

	ns    *catalog.Namespace
	ext   *catalog.Extension
	typ   *catalog.Type
	fn    *catalog.Function
	op    *catalog.Operator
	seq   *catalog.Sequence
	table *catalog.Table
	view  *catalog.View
	con   *catalog.Constraint
	idx   *catalog.Index
	trg   *catalog.Trigger
	pol   *catalog.Policy
	stx   *catalog.Statistics
	rule  *catalog.Rule
	evt   *catalog.EventTrigger
	pub   *catalog.Publication
	cast  *catalog.Cast
	tsd   *catalog.TextSearchDict
	tsc   *catalog.TextSearchConfig
	fdw   *catalog.ForeignDataWrapper
	srv   *catalog.ForeignServer
	ft    *catalog.ForeignTable
	opf   *catalog.OperatorFamily
	opc   *catalog.OperatorClass
	coll  *catalog.Collation
	// rel is the table or view a sub-object belongs to.
	rel catalog.QualifiedName
	// inline marks check constraints that CREATE TABLE creates itself.
	inline bool
}

// index is a schema's objects by key, plus reverse dependencies.
type index struct {
	s     *catalog.Schema
	objs  map[string]*obj
	users map[string][]string // key -> keys of objects depending on it (propagating deps only)
	// colTargets are "COLUMN t.c" comment targets of existing columns.
	colTargets map[string]bool
}

func refKey(r catalog.ObjectRef) string {
	switch r.Kind {
	case catalog.KindIndex:
		return catalog.IndexNodeKey(r.Schema, r.Name)
	case catalog.KindConstraint:
		return catalog.ConstraintNodeKey(catalog.QualifiedName{Schema: r.Schema, Name: r.Table}, r.Name)
	}
	return r.Key()
}

// buildIndex indexes s (already normalised) for diffing. privileges selects
// whether owners and ACLs are part of the nodes.
func buildIndex(s *catalog.Schema, privileges bool) *index {
	ix := &index{s: s, objs: map[string]*obj{}, users: map[string][]string{}, colTargets: map[string]bool{}}
	put := func(o *obj) *obj {
		if prev, ok := ix.objs[o.key]; ok {
			return prev
		}
		o.order = -1
		ix.objs[o.key] = o
		return o
	}
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		put(&obj{key: catalog.ObjectRef{Kind: catalog.KindSchema, Name: n.Name}.Key(), kind: kSchema, ns: n})
	}
	for i := range s.Extensions {
		e := &s.Extensions[i]
		put(&obj{key: catalog.ObjectRef{Kind: catalog.KindExtension, Name: e.Name}.Key(), kind: kExtension, ext: e})
	}
	for i := range s.Collations {
		c := &s.Collations[i]
		put(&obj{key: catalog.ObjectRef{Kind: catalog.KindCollation, Schema: c.Schema, Name: c.Name}.Key(), kind: kCollation, coll: c})
	}
	for i := range s.Types {
		t := &s.Types[i]
		put(&obj{key: t.Ref().Key(), kind: kType, typ: t})
		for _, a := range t.Attributes {
			ix.colTargets["COLUMN "+t.QualifiedName.String()+"."+catalog.QuoteIdent(a.Name)] = true
		}
	}
	funcsByName := map[catalog.QualifiedName][]string{}
	for i := range s.Functions {
		f := &s.Functions[i]
		put(&obj{key: f.Ref().Key(), kind: kFunction, fn: f})
		funcsByName[f.QualifiedName] = append(funcsByName[f.QualifiedName], f.Ref().Key())
	}
	for i := range s.Operators {
		o := &s.Operators[i]
		put(&obj{key: o.Ref().Key(), kind: kOperator, op: o})
	}
	for i := range s.Sequences {
		q := &s.Sequences[i]
		put(&obj{key: q.Ref().Key(), kind: kSequence, seq: q})
		if q.OwnedBy != nil {
			put(&obj{key: catalog.OwnedByNodeKey(q.Ref()), kind: kOwned, seq: q})
		}
	}
	trigger := func(rel catalog.QualifiedName, owner catalog.ObjectRef, tr *catalog.Trigger) {
		o := put(&obj{key: catalog.TriggerNodeKey(owner, tr.Name), kind: kTrigger, trg: tr, rel: rel, owner: owner.Key()})
		o.deps = append(o.deps, funcsByName[tr.Function]...)
	}
	indexes := func(rel catalog.QualifiedName, owner string, xs []catalog.Index) {
		for i := range xs {
			x := &xs[i]
			if x.Constraint == "" {
				put(&obj{key: catalog.IndexNodeKey(rel.Schema, x.Name), kind: kIndex, idx: x, rel: rel, owner: owner})
			} else {
				put(&obj{key: catalog.IndexExtraNodeKey(rel.Schema, x.Name), kind: kIndexExtra, idx: x, rel: rel, owner: owner})
			}
			if x.ParentIndex != nil {
				put(&obj{key: catalog.AttachNodeKey(catalog.IndexNodeKey(rel.Schema, x.Name)), kind: kIndexAttach, idx: x, rel: rel, owner: owner})
			}
		}
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		tk := t.Ref().Key()
		to := put(&obj{key: tk, kind: kTable, table: t})
		for _, c := range t.Columns {
			ix.colTargets["COLUMN "+t.QualifiedName.String()+"."+catalog.QuoteIdent(c.Name)] = true
		}
		if t.PartitionOf != nil {
			pk := catalog.ObjectRef{Kind: catalog.KindTable, Schema: t.PartitionOf.Schema, Name: t.PartitionOf.Name}.Key()
			to.orderDeps = append(to.orderDeps, pk)
			put(&obj{key: catalog.AttachNodeKey(tk), kind: kAttach, table: t, owner: tk})
		}
		for _, p := range t.Inherits {
			to.orderDeps = append(to.orderDeps, catalog.ObjectRef{Kind: catalog.KindTable, Schema: p.Schema, Name: p.Name}.Key())
		}
		for j := range t.Constraints {
			c := &t.Constraints[j]
			o := put(&obj{key: catalog.ConstraintNodeKey(t.QualifiedName, c.Name), kind: kConstraint, con: c, rel: t.QualifiedName, owner: tk})
			if c.Type == catalog.ConstraintCheck {
				// Checks are planned here, not from Dump (which inlines most of them).
				o.stmts = []string{"ALTER TABLE " + t.QualifiedName.String() + " ADD " + catalog.ConstraintDefinition(c)}
				o.deps = append(o.deps, tk)
				for _, r := range c.DependsOn {
					o.deps = append(o.deps, refKey(r))
				}
				o.inline = !c.NotValid && (!c.Inherited || t.PartitionOf != nil)
				o.order = -2 // keep our statements
			}
		}
		indexes(t.QualifiedName, tk, t.Indexes)
		for j := range t.Triggers {
			trigger(t.QualifiedName, t.Ref(), &t.Triggers[j])
		}
		for j := range t.Policies {
			p := &t.Policies[j]
			put(&obj{key: catalog.PolicyNodeKey(t.Ref(), p.Name), kind: kPolicy, pol: p, rel: t.QualifiedName, owner: tk})
		}
		for j := range t.Statistics {
			x := &t.Statistics[j]
			put(&obj{key: catalog.StatisticsNodeKey(x.Schema, x.Name), kind: kStatistics, stx: x, rel: t.QualifiedName, owner: tk})
		}
		for j := range t.Rules {
			r := &t.Rules[j]
			put(&obj{key: catalog.RuleNodeKey(t.Ref(), r.Name), kind: kRule, rule: r, rel: t.QualifiedName, owner: tk})
		}
		if privileges {
			put(&obj{key: catalog.ACLNodeKey(tk), kind: kACL, owner: tk})
			put(&obj{key: catalog.ColumnACLNodeKey(t.QualifiedName), kind: kACL, owner: tk})
		}
	}
	for i := range s.Views {
		v := &s.Views[i]
		vk := v.Ref().Key()
		put(&obj{key: vk, kind: kView, view: v})
		for _, c := range v.Columns {
			ix.colTargets["COLUMN "+v.QualifiedName.String()+"."+catalog.QuoteIdent(c.Name)] = true
		}
		indexes(v.QualifiedName, vk, v.Indexes)
		for j := range v.Triggers {
			trigger(v.QualifiedName, v.Ref(), &v.Triggers[j])
		}
		for j := range v.Statistics {
			x := &v.Statistics[j]
			put(&obj{key: catalog.StatisticsNodeKey(x.Schema, x.Name), kind: kStatistics, stx: x, rel: v.QualifiedName, owner: vk})
		}
		for j := range v.Rules {
			r := &v.Rules[j]
			put(&obj{key: catalog.RuleNodeKey(v.Ref(), r.Name), kind: kRule, rule: r, rel: v.QualifiedName, owner: vk})
		}
		if privileges {
			put(&obj{key: catalog.ACLNodeKey(vk), kind: kACL, owner: vk})
			put(&obj{key: catalog.ColumnACLNodeKey(v.QualifiedName), kind: kACL, owner: vk})
		}
	}
	for i := range s.Casts {
		c := &s.Casts[i]
		put(&obj{key: c.Ref().Key(), kind: kCast, cast: c})
	}
	for i := range s.ForeignWrappers {
		w := &s.ForeignWrappers[i]
		put(&obj{key: w.Key(), kind: kForeignWrapper, fdw: w})
	}
	for i := range s.ForeignServers {
		x := &s.ForeignServers[i]
		put(&obj{key: catalog.ForeignServerKey(x.Name), kind: kForeignServer, srv: x})
	}
	for i := range s.ForeignTables {
		x := &s.ForeignTables[i]
		k := x.Ref().Key()
		put(&obj{key: k, kind: kForeignTable, ft: x})
		for j := range x.Statistics {
			st := &x.Statistics[j]
			put(&obj{key: catalog.StatisticsNodeKey(st.Schema, st.Name), kind: kStatistics, stx: st, rel: x.QualifiedName, owner: k})
		}
		if privileges {
			put(&obj{key: catalog.ACLNodeKey(k), kind: kACL, owner: k})
		}
	}
	for i := range s.OperatorFamilies {
		x := &s.OperatorFamilies[i]
		put(&obj{key: x.Ref().Key(), kind: kOpFamily, opf: x})
	}
	for i := range s.OperatorClasses {
		x := &s.OperatorClasses[i]
		put(&obj{key: x.Ref().Key(), kind: kOpClass, opc: x})
	}
	for i := range s.TextSearchDicts {
		x := &s.TextSearchDicts[i]
		put(&obj{key: x.Ref().Key(), kind: kTSDict, tsd: x})
	}
	for i := range s.TextSearchConfigs {
		x := &s.TextSearchConfigs[i]
		put(&obj{key: x.Ref().Key(), kind: kTSConfig, tsc: x})
	}
	for i := range s.Publications {
		p := &s.Publications[i]
		put(&obj{key: catalog.PublicationNodeKey(p.Name), kind: kPublication, pub: p})
	}
	for i := range s.EventTriggers {
		e := &s.EventTriggers[i]
		o := put(&obj{key: catalog.EventTriggerNodeKey(e.Name), kind: kEventTrigger, evt: e})
		o.deps = append(o.deps, funcsByName[e.Function]...)
	}
	if privileges {
		for k, o := range ix.objs {
			switch o.kind {
			case kSchema, kType, kFunction, kSequence:
				put(&obj{key: catalog.ACLNodeKey(k), kind: kACL, owner: k})
			}
		}
	}

	nodes := catalog.DumpNodesNormalized(s, catalog.DumpOptions{NoPrivileges: !privileges, NoHeader: true})
	for i, n := range nodes {
		o, ok := ix.objs[n.Key]
		if !ok {
			o = put(&obj{key: n.Key, kind: kOther})
			if strings.HasPrefix(n.Key, "defacl:") {
				o.kind = kACL
			}
		}
		if o.order < 0 {
			o.order = i
		}
		if o.kind == kACL {
			o.stmts = n.Statements
			o.deps = append(o.deps, n.Deps...)
			continue
		}
		var bare, deco []string
		for _, st := range n.Statements {
			if isDecoration(st) {
				deco = append(deco, st)
			} else {
				bare = append(bare, st)
			}
		}
		o.deco = deco
		if o.order == -2 || (o.kind == kConstraint && o.con != nil && o.con.Type == catalog.ConstraintCheck) {
			// Our own statements for checks; keep them.
			o.order = i
			o.deps = append(o.deps, n.Deps...)
			continue
		}
		o.stmts = bare
		o.deps = append(o.deps, n.Deps...)
	}
	// Drop ACL nodes that hold nothing (default privileges).
	for k, o := range ix.objs {
		if o.kind == kACL && len(o.stmts) == 0 {
			delete(ix.objs, k)
		}
	}
	for k, o := range ix.objs {
		o.deps = uniq(o.deps, k)
		for _, d := range o.deps {
			if strings.HasPrefix(d, "attach:") || strings.HasPrefix(d, "schema:") {
				continue
			}
			ix.users[d] = append(ix.users[d], k)
		}
	}
	return ix
}

// isDecoration reports whether a Dump statement is a comment or an owner
// change (compared and planned apart from the object's definition).
func isDecoration(st string) bool {
	if strings.HasPrefix(st, "COMMENT ON ") {
		return true
	}
	if !strings.HasPrefix(st, "ALTER ") || strings.Contains(st, "\n") {
		return false
	}
	i := strings.LastIndex(st, " OWNER TO ")
	if i < 0 {
		return false
	}
	return isIdent(st[i+len(" OWNER TO "):])
}

// isIdent reports whether s is one identifier as QuoteIdent renders it.
func isIdent(s string) bool {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return !strings.Contains(strings.ReplaceAll(s[1:len(s)-1], `""`, ""), `"`)
	}
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '$') {
			return false
		}
	}
	return true
}

func uniq(s []string, self string) []string {
	out := s[:0]
	for _, x := range s {
		if x == self {
			continue
		}
		dup := false
		for _, y := range out {
			if y == x {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// subtract returns a minus the elements of b (multiset), keeping a's order.
func subtract(a, b []string) []string {
	cnt := map[string]int{}
	for _, x := range b {
		cnt[x]++
	}
	var out []string
	for _, x := range a {
		if cnt[x] > 0 {
			cnt[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}

func equalStrings(a, b []string) bool {
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
