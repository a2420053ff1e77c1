// Package schematree presents a schema model as the tree the schema browser
// shows: schemas, groups of tables, views, functions, types and sequences,
// each table's columns, indexes, constraints, triggers and policies, with
// each object's properties and its DDL as catalog.Dump renders it.
package schematree

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Node is a node of the tree. ID is stable across syncs for the same object
// (kind and qualified name). Group nodes ("Tables", "Columns") have Kind
// "group" and no detail.
type Node struct {
	ID       string
	Label    string
	Kind     string
	Detail   string // a column's type, a function's arguments, ...
	Children []Node
}

// Property is one labelled fact about an object.
type Property struct {
	Name  string
	Value string
}

// Object is one object of the tree: its properties and its DDL.
type Object struct {
	ID         string
	Kind       string
	Schema     string
	Name       string
	Parent     string // the table or view of a sub-object
	Properties []Property
	DDL        string
}

// Counts counts the objects of a schema by kind.
type Counts struct {
	Schemas           int
	Tables            int
	Views             int
	MaterializedViews int
	Functions         int
	Procedures        int
	Types             int
	Sequences         int
}

// Tree is a schema model as a tree. It is built on first use and safe for
// concurrent use; the schema must not change afterwards.
type Tree struct {
	schema  *catalog.Schema
	built   sync.Once
	tree    []Node
	objects map[string]*entry

	once  sync.Once
	nodes map[string][]string // DumpNodes: key -> statements
	order []string            // DumpNodes keys in dump order
}

type entry struct {
	detail     Object
	keys       []string            // DumpNode keys whose statements make up the DDL
	column     *catalog.Column     // a column: rendered as in CREATE TABLE
	constraint *catalog.Constraint // a constraint: rendered as in CREATE TABLE when no node holds it (CHECK)
}

// New returns the tree of schema (kept, not copied).
func New(schema *catalog.Schema) *Tree { return &Tree{schema: schema} }

// Nodes returns the top-level nodes: each schema, then an Extensions group.
func (l *Tree) Nodes() []Node {
	l.built.Do(l.build)
	return l.tree
}

// Object returns the object with node id, with its DDL.
func (l *Tree) Object(id string) (Object, bool) {
	l.built.Do(l.build)
	e, ok := l.objects[id]
	if !ok {
		return Object{}, false
	}
	d := e.detail
	d.DDL = l.objectDDL(e)
	return d, true
}

// Count counts the schema's objects by kind.
func (l *Tree) Count() Counts { return countOf(l.schema) }

func countOf(m *catalog.Schema) Counts {
	c := Counts{Schemas: len(m.Namespaces), Tables: len(m.Tables), Types: len(m.Types), Sequences: len(m.Sequences)}
	for _, v := range m.Views {
		if v.Materialized {
			c.MaterializedViews++
		} else {
			c.Views++
		}
	}
	for _, f := range m.Functions {
		if f.Kind == catalog.FunctionProcedure {
			c.Procedures++
		} else {
			c.Functions++
		}
	}
	return c
}

// dumpNodes renders the schema's dump nodes once.
func (l *Tree) dumpNodes() {
	l.once.Do(func() {
		l.nodes = map[string][]string{}
		for _, n := range catalog.DumpNodes(*l.schema, catalog.DumpOptions{}) {
			l.nodes[n.Key] = n.Statements
			l.order = append(l.order, n.Key)
		}
	})
}

// objectDDL joins the statements Dump renders for the object.
func (l *Tree) objectDDL(e *entry) string {
	l.dumpNodes()
	var stmts []string
	for _, k := range e.keys {
		stmts = append(stmts, l.nodes[k]...)
	}
	if len(stmts) == 0 {
		switch {
		case e.column != nil:
			return catalog.ColumnDefinition(e.column)
		case e.constraint != nil:
			return catalog.ConstraintDefinition(e.constraint)
		}
		return ""
	}
	return strings.Join(stmts, ";\n\n") + ";"
}

// ---- the tree ----

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// props builds a property list, leaving out empty values.
func props(kv ...string) []Property {
	out := make([]Property, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			out = append(out, Property{Name: kv[i], Value: kv[i+1]})
		}
	}
	return out
}

func grants(acl []catalog.Grant) string {
	if len(acl) == 0 {
		return ""
	}
	parts := make([]string, 0, len(acl))
	for _, g := range acl {
		p := g.Grantee + ": " + g.Privilege
		if g.Grantable {
			p += " (grantable)"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func group(parent, kind, label string, children []Node) Node {
	return Node{ID: "group:" + parent + "/" + kind, Label: fmt.Sprintf("%s (%d)", label, len(children)), Kind: "group", Children: children}
}

// build turns the model into the tree and the per-node index.
func (l *Tree) build() {
	m := l.schema
	l.objects = map[string]*entry{}
	add := func(d Object, keys []string, col *catalog.Column) {
		l.objects[d.ID] = &entry{detail: d, keys: keys, column: col}
	}
	type bucket struct{ tables, views, matviews, functions, procedures, types, sequences []Node }
	byNS := map[string]*bucket{}
	get := func(ns string) *bucket {
		b, ok := byNS[ns]
		if !ok {
			b = &bucket{}
			byNS[ns] = b
		}
		return b
	}
	// sequences owned by each table, so their OWNED BY shows with the table
	owned := map[string][]string{}
	for i := range m.Sequences {
		q := &m.Sequences[i]
		if q.OwnedBy != nil {
			tk := catalog.ObjectRef{Kind: catalog.KindTable, Schema: q.OwnedBy.Table.Schema, Name: q.OwnedBy.Table.Name}.Key()
			owned[tk] = append(owned[tk], catalog.OwnedByNodeKey(q.Ref()))
		}
	}
	for i := range m.Tables {
		t := &m.Tables[i]
		b := get(t.Schema)
		b.tables = append(b.tables, l.table(t, owned[t.Ref().Key()], add))
	}
	for i := range m.Views {
		v := &m.Views[i]
		b := get(v.Schema)
		if v.Materialized {
			b.matviews = append(b.matviews, l.view(v, add))
		} else {
			b.views = append(b.views, l.view(v, add))
		}
	}
	for i := range m.Functions {
		f := &m.Functions[i]
		k := f.Ref().Key()
		kind := string(f.Kind)
		add(Object{ID: k, Kind: kind, Schema: f.Schema, Name: f.Name, Properties: props(
			"Kind", kind, "Arguments", f.ArgsFull, "Returns", f.Result, "Language", f.Language, "Volatility", f.Volatility,
			"Strict", flag(f.Strict), "Security definer", flag(f.Security == "definer"), "Leakproof", flag(f.Leakproof),
			"Parallel", f.Parallel, "Configuration", strings.Join(f.Config, ", "), "Owner", f.Owner, "Privileges", grants(f.ACL),
			"Comment", str(f.Comment))}, []string{k, catalog.ACLNodeKey(k)}, nil)
		n := Node{ID: k, Label: f.Name, Kind: kind, Detail: "(" + f.Args + ")"}
		b := get(f.Schema)
		if f.Kind == catalog.FunctionProcedure {
			b.procedures = append(b.procedures, n)
		} else {
			b.functions = append(b.functions, n)
		}
	}
	for i := range m.Types {
		t := &m.Types[i]
		k := t.Ref().Key()
		p := props("Kind", string(t.Kind), "Labels", strings.Join(t.Labels, ", "), "Base type", t.BaseType,
			"Not null", flag(t.NotNull), "Default", str(t.Default), "Subtype", t.Subtype, "Owner", t.Owner,
			"Privileges", grants(t.ACL), "Comment", str(t.Comment))
		for _, c := range t.Constraints {
			p = append(p, Property{Name: "Constraint " + c.Name, Value: c.Definition})
		}
		for _, a := range t.Attributes {
			p = append(p, Property{Name: "Attribute " + a.Name, Value: a.Type})
		}
		add(Object{ID: k, Kind: "type", Schema: t.Schema, Name: t.Name, Properties: p}, []string{k, catalog.ACLNodeKey(k)}, nil)
		get(t.Schema).types = append(get(t.Schema).types, Node{ID: k, Label: t.Name, Kind: "type", Detail: string(t.Kind)})
	}
	for i := range m.Sequences {
		q := &m.Sequences[i]
		k := q.Ref().Key()
		ob := ""
		if q.OwnedBy != nil {
			ob = q.OwnedBy.Table.String() + "." + catalog.QuoteIdent(q.OwnedBy.Column)
		}
		add(Object{ID: k, Kind: "sequence", Schema: q.Schema, Name: q.Name, Properties: props(
			"Type", q.DataType, "Start", strconv.FormatInt(q.Start, 10), "Increment", strconv.FormatInt(q.Increment, 10),
			"Minimum", strconv.FormatInt(q.Min, 10), "Maximum", strconv.FormatInt(q.Max, 10), "Cache", strconv.FormatInt(q.Cache, 10),
			"Cycle", yesNo(q.Cycle), "Owned by", ob, "Owner", q.Owner, "Privileges", grants(q.ACL), "Comment", str(q.Comment))},
			[]string{k, catalog.OwnedByNodeKey(q.Ref()), catalog.ACLNodeKey(k)}, nil)
		get(q.Schema).sequences = append(get(q.Schema).sequences, Node{ID: k, Label: q.Name, Kind: "sequence", Detail: q.DataType})
	}
	names := make([]string, 0, len(m.Namespaces))
	for _, n := range m.Namespaces {
		names = append(names, n.Name)
	}
	for ns := range byNS {
		if m.Namespace(ns) == nil {
			names = append(names, ns)
		}
	}
	sort.Strings(names)
	l.tree = []Node{}
	for _, ns := range names {
		k := catalog.ObjectRef{Kind: catalog.KindSchema, Name: ns}.Key()
		var p []Property
		if n := m.Namespace(ns); n != nil {
			p = props("Owner", n.Owner, "Privileges", grants(n.ACL), "Comment", str(n.Comment))
		}
		add(Object{ID: k, Kind: "schema", Name: ns, Properties: p}, []string{k, catalog.ACLNodeKey(k)}, nil)
		node := Node{ID: k, Label: ns, Kind: "schema", Children: []Node{}}
		if b := byNS[ns]; b != nil {
			for _, g := range []struct {
				kind, label string
				nodes       []Node
			}{
				{"tables", "Tables", b.tables}, {"views", "Views", b.views}, {"matviews", "Materialized views", b.matviews},
				{"functions", "Functions", b.functions}, {"procedures", "Procedures", b.procedures},
				{"types", "Types", b.types}, {"sequences", "Sequences", b.sequences},
			} {
				if len(g.nodes) > 0 {
					node.Children = append(node.Children, group(k, g.kind, g.label, g.nodes))
				}
			}
		}
		l.tree = append(l.tree, node)
	}
	if len(m.Extensions) > 0 {
		var ext []Node
		for _, e := range m.Extensions {
			k := catalog.ObjectRef{Kind: catalog.KindExtension, Name: e.Name}.Key()
			add(Object{ID: k, Kind: "extension", Schema: e.Schema, Name: e.Name, Properties: props(
				"Version", e.Version, "Schema", e.Schema, "Comment", str(e.Comment))}, []string{k}, nil)
			ext = append(ext, Node{ID: k, Label: e.Name, Kind: "extension", Detail: e.Version})
		}
		l.tree = append(l.tree, group("", "extensions", "Extensions", ext))
	}
}

func flag(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

type adder func(d Object, keys []string, col *catalog.Column)

// subID is the node id of a sub-object of a table or view.
func subID(parent, kind, name string) string {
	return parent + "/" + kind + ":" + catalog.QuoteIdent(name)
}

func (l *Tree) table(t *catalog.Table, ownedKeys []string, add adder) Node {
	k := t.Ref().Key()
	name := t.QualifiedName.String()
	keys := []string{k, catalog.AttachNodeKey(k)}
	node := Node{ID: k, Label: t.Name, Kind: "table", Children: []Node{}}
	if t.Kind == catalog.TablePartitioned {
		node.Detail = "partitioned"
	} else if t.PartitionOf != nil {
		node.Detail = "partition of " + t.PartitionOf.Name
	}
	var cols, idx, cons, trg, pol []Node
	for i := range t.Columns {
		c := &t.Columns[i]
		id := subID(k, "column", c.Name)
		def := str(c.Default)
		add(Object{ID: id, Kind: "column", Schema: t.Schema, Name: c.Name, Parent: name, Properties: props(
			"Type", c.Type, "Not null", yesNo(c.NotNull), "Default", def, "Identity", c.Identity, "Generated", c.Generated,
			"Collation", c.Collation, "Storage", c.Storage, "Compression", c.Compression, "Inherited", flag(c.Inherited),
			"Privileges", grants(c.ACL), "Comment", str(c.Comment))}, nil, c)
		cols = append(cols, Node{ID: id, Label: c.Name, Kind: "column", Detail: c.Type})
	}
	l.indexNodes(k, t.QualifiedName, t.Indexes, t.Constraints, &keys, &idx, add)
	for i := range t.Constraints {
		c := &t.Constraints[i]
		id := subID(k, "constraint", c.Name)
		ck := catalog.ConstraintNodeKey(t.QualifiedName, c.Name)
		keys = append(keys, ck)
		ref := ""
		if c.RefTable != nil {
			ref = c.RefTable.String() + " (" + strings.Join(c.RefColumns, ", ") + ")"
		}
		add(Object{ID: id, Kind: "constraint", Schema: t.Schema, Name: c.Name, Parent: name, Properties: props(
			"Type", strings.ReplaceAll(string(c.Type), "_", " "), "Definition", c.Definition, "Columns", strings.Join(c.Columns, ", "),
			"References", ref, "On update", c.OnUpdate, "On delete", c.OnDelete, "Deferrable", flag(c.Deferrable),
			"Not valid", flag(c.NotValid), "Inherited", flag(c.Inherited), "Comment", str(c.Comment))},
			[]string{ck}, nil)
		l.objects[id].constraint = c
		cons = append(cons, Node{ID: id, Label: c.Name, Kind: "constraint", Detail: strings.ReplaceAll(string(c.Type), "_", " ")})
	}
	l.triggerNodes(k, t.Ref(), t.Schema, name, t.Triggers, &keys, &trg, add)
	for i := range t.Policies {
		p := &t.Policies[i]
		id := subID(k, "policy", p.Name)
		pk := catalog.PolicyNodeKey(t.Ref(), p.Name)
		keys = append(keys, pk)
		mode := "permissive"
		if !p.Permissive {
			mode = "restrictive"
		}
		add(Object{ID: id, Kind: "policy", Schema: t.Schema, Name: p.Name, Parent: name, Properties: props(
			"Mode", mode, "Command", p.Command, "Roles", strings.Join(p.Roles, ", "), "Using", p.Using, "With check", p.WithCheck,
			"Comment", str(p.Comment))}, []string{pk}, nil)
		pol = append(pol, Node{ID: id, Label: p.Name, Kind: "policy", Detail: p.Command})
	}
	keys = append(keys, ownedKeys...)
	keys = append(keys, catalog.ACLNodeKey(k), catalog.ColumnACLNodeKey(t.QualifiedName))
	parts := ""
	if t.PartitionOf != nil {
		parts = t.PartitionOf.String() + " " + t.PartitionBound
	}
	inh := make([]string, 0, len(t.Inherits))
	for _, q := range t.Inherits {
		inh = append(inh, q.String())
	}
	add(Object{ID: k, Kind: "table", Schema: t.Schema, Name: t.Name, Properties: props(
		"Kind", string(t.Kind), "Columns", strconv.Itoa(len(t.Columns)), "Partition key", t.PartitionKey, "Partition of", parts,
		"Inherits", strings.Join(inh, ", "), "Unlogged", flag(t.Unlogged), "Row-level security", flag(t.RLSEnabled),
		"Forced row-level security", flag(t.RLSForced), "Storage options", strings.Join(t.Options, ", "), "Owner", t.Owner,
		"Privileges", grants(t.ACL), "Comment", str(t.Comment))}, keys, nil)
	for _, g := range []struct {
		kind, label string
		nodes       []Node
	}{{"columns", "Columns", cols}, {"indexes", "Indexes", idx}, {"constraints", "Constraints", cons}, {"triggers", "Triggers", trg}, {"policies", "Policies", pol}} {
		if len(g.nodes) > 0 {
			node.Children = append(node.Children, group(k, g.kind, g.label, g.nodes))
		}
	}
	return node
}

func (l *Tree) indexNodes(k string, owner catalog.QualifiedName, xs []catalog.Index, cons []catalog.Constraint, keys *[]string, out *[]Node, add adder) {
	schema, parent := owner.Schema, owner.String()
	for i := range xs {
		x := &xs[i]
		id := subID(k, "index", x.Name)
		ik := catalog.IndexNodeKey(schema, x.Name)
		own := []string{ik, catalog.IndexExtraNodeKey(schema, x.Name), catalog.AttachNodeKey(ik)}
		if x.Constraint != "" {
			// created by its constraint: show the constraint's statement
			for _, c := range cons {
				if c.Name == x.Constraint {
					own = append([]string{catalog.ConstraintNodeKey(owner, c.Name)}, own...)
				}
			}
		}
		*keys = append(*keys, ik, catalog.IndexExtraNodeKey(schema, x.Name), catalog.AttachNodeKey(ik))
		cols := make([]string, 0, len(x.Keys))
		for _, kk := range x.Keys {
			if kk.Column != "" {
				cols = append(cols, kk.Column)
			} else {
				cols = append(cols, kk.Expression)
			}
		}
		detail := x.Method
		if x.Unique {
			detail = "unique " + detail
		}
		add(Object{ID: id, Kind: "index", Schema: schema, Name: x.Name, Parent: parent, Properties: props(
			"Method", x.Method, "Unique", flag(x.Unique), "Primary key", flag(x.Primary), "Keys", strings.Join(cols, ", "),
			"Include", strings.Join(x.Include, ", "), "Predicate", x.Predicate, "Constraint", x.Constraint,
			"Valid", yesNo(x.Valid), "Storage options", strings.Join(x.Options, ", "), "Comment", str(x.Comment))},
			own, nil)
		*out = append(*out, Node{ID: id, Label: x.Name, Kind: "index", Detail: detail})
	}
}

func (l *Tree) triggerNodes(k string, owner catalog.ObjectRef, schema, parent string, ts []catalog.Trigger, keys *[]string, out *[]Node, add adder) {
	for i := range ts {
		tr := &ts[i]
		id := subID(k, "trigger", tr.Name)
		tk := catalog.TriggerNodeKey(owner, tr.Name)
		*keys = append(*keys, tk)
		add(Object{ID: id, Kind: "trigger", Schema: schema, Name: tr.Name, Parent: parent, Properties: props(
			"Timing", tr.Timing, "Events", strings.Join(tr.Events, ", "), "For each row", yesNo(tr.ForEachRow),
			"Function", tr.Function.String(), "When", tr.When, "Constraint trigger", flag(tr.Constraint), "Enabled", tr.Enabled,
			"Comment", str(tr.Comment))}, []string{tk}, nil)
		*out = append(*out, Node{ID: id, Label: tr.Name, Kind: "trigger", Detail: tr.Timing + " " + strings.Join(tr.Events, "/")})
	}
}

func (l *Tree) view(v *catalog.View, add adder) Node {
	k := v.Ref().Key()
	name := v.QualifiedName.String()
	kind := "view"
	if v.Materialized {
		kind = "matview"
	}
	keys := []string{k}
	node := Node{ID: k, Label: v.Name, Kind: kind, Children: []Node{}}
	var cols, idx, trg []Node
	for i := range v.Columns {
		c := &v.Columns[i]
		id := subID(k, "column", c.Name)
		add(Object{ID: id, Kind: "column", Schema: v.Schema, Name: c.Name, Parent: name, Properties: props(
			"Type", c.Type, "Default", str(c.Default), "Privileges", grants(c.ACL), "Comment", str(c.Comment))},
			nil, &catalog.Column{Name: c.Name, Type: c.Type})
		cols = append(cols, Node{ID: id, Label: c.Name, Kind: "column", Detail: c.Type})
	}
	l.indexNodes(k, v.QualifiedName, v.Indexes, nil, &keys, &idx, add)
	l.triggerNodes(k, v.Ref(), v.Schema, name, v.Triggers, &keys, &trg, add)
	keys = append(keys, catalog.ACLNodeKey(k), catalog.ColumnACLNodeKey(v.QualifiedName))
	add(Object{ID: k, Kind: kind, Schema: v.Schema, Name: v.Name, Properties: props(
		"Materialized", flag(v.Materialized), "Columns", strconv.Itoa(len(v.Columns)), "Check option", v.CheckOption,
		"Security barrier", flag(v.SecurityBarrier), "Security invoker", flag(v.SecurityInvoker),
		"Populated", populated(v), "Owner", v.Owner,
		"Privileges", grants(v.ACL), "Comment", str(v.Comment))}, keys, nil)
	for _, g := range []struct {
		kind, label string
		nodes       []Node
	}{{"columns", "Columns", cols}, {"indexes", "Indexes", idx}, {"triggers", "Triggers", trg}} {
		if len(g.nodes) > 0 {
			node.Children = append(node.Children, group(k, g.kind, g.label, g.nodes))
		}
	}
	return node
}

func populated(v *catalog.View) string {
	if !v.Materialized {
		return ""
	}
	return yesNo(!v.WithNoData)
}
