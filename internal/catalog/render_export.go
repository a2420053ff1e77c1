package catalog

// Exported views of Dump's internals for packages that plan changes (diff):
// the per-object statements Dump would run and the dependency keys between
// them, plus the key formats of sub-objects. Thin wrappers only: the
// rendering stays in dump.go.

import "math"

// DumpNode is one object's share of Dump: the statements that create it
// (CREATE plus the ALTER/COMMENT/OWNER statements Dump attaches to it) and
// the keys of the nodes it must come after.
type DumpNode struct {
	// Key identifies the node: an ObjectRef key for top-level objects
	// ("table:public.t"), or one of the sub-object forms built by the
	// *NodeKey functions below; "acl:<key>", "colacl:<name>" and
	// "defacl:<role>.<schema>.<type>" carry privileges.
	Key        string   `json:"key"`
	Statements []string `json:"statements"`
	// Deps are the keys of other nodes this one depends on (unknown
	// references and Dump's internal ordering barrier left out).
	Deps []string `json:"deps,omitempty"`
	// Post marks nodes Dump places after every schema object (foreign keys,
	// triggers, policies, privileges).
	Post bool `json:"post,omitempty"`
}

// DumpNodes returns Dump's statements grouped per object, in Dump's order
// (a valid creation order). Nodes without statements are left out, but
// their keys may still appear in Deps.
func DumpNodes(s Schema, opts DumpOptions) []DumpNode {
	s = s.Clone()
	s.Normalize()
	return DumpNodesNormalized(&s, opts)
}

// DumpNodesNormalized is DumpNodes for a schema that is already normalised
// (as Inspect returns it, or after Normalize); s is only read.
func DumpNodesNormalized(s *Schema, opts DumpOptions) []DumpNode {
	// Serial: the callers (diff) count CPU time, which rendering on several
	// goroutines only raises.
	d := newDumper(s, opts, math.MaxInt)
	d.build()
	order := d.order()
	out := make([]DumpNode, 0, len(order))
	for _, n := range order {
		if n.key == barrierKey {
			continue
		}
		dn := DumpNode{Key: n.key, Statements: append([]string(nil), n.stmts...), Post: n.post}
		seen := map[string]bool{}
		for _, k := range n.deps {
			m, ok := d.nodes[k]
			if !ok || m.key == barrierKey || m == n || seen[m.key] {
				continue
			}
			seen[m.key] = true
			dn.Deps = append(dn.Deps, m.key)
		}
		out = append(out, dn)
	}
	return out
}

// ColumnDefinition renders a column as it appears in CREATE TABLE (and in
// ALTER TABLE ... ADD COLUMN): name, type, collation, generation, default,
// NOT NULL and identity.
func ColumnDefinition(c *Column) string { return (&dumper{}).columnDef(c) }

// ConstraintDefinition renders a constraint as it appears inside CREATE
// TABLE (and after ALTER TABLE ... ADD): CONSTRAINT name definition. CHECK
// constraints are rendered so, inline, and have no DumpNode of their own.
// The definition is written so that loading it stores the same expression
// (Reloadable).
func ConstraintDefinition(c *Constraint) string {
	return "CONSTRAINT " + QuoteIdent(c.Name) + " " + Reloadable(c.Definition)
}

// ConstraintNodeKey is the DumpNode key of constraint name on table t.
func ConstraintNodeKey(t QualifiedName, name string) string { return constraintKey(t, name) }

// IndexNodeKey is the DumpNode key of index name in schema.
func IndexNodeKey(schema, name string) string { return "index:" + QuoteQualified(schema, name) }

// TriggerNodeKey is the DumpNode key of trigger name on the table or view owner.
func TriggerNodeKey(owner ObjectRef, name string) string {
	return "trigger:" + owner.Key() + "." + QuoteIdent(name)
}

// PolicyNodeKey is the DumpNode key of policy name on table owner.
func PolicyNodeKey(owner ObjectRef, name string) string {
	return "policy:" + owner.Key() + "." + QuoteIdent(name)
}

// RuleNodeKey is the DumpNode key of rule name on the table owner.
func RuleNodeKey(owner ObjectRef, name string) string {
	return "rule:" + owner.Key() + "." + QuoteIdent(name)
}

// StatisticsNodeKey is the DumpNode key of extended statistics schema.name.
func StatisticsNodeKey(schema, name string) string {
	return "statistics:" + QuoteQualified(schema, name)
}

// AttachNodeKey is the DumpNode key of attaching a partition (table key) or
// a partition's index (IndexNodeKey) to its parent.
func AttachNodeKey(key string) string { return "attach:" + key }

// OwnedByNodeKey is the DumpNode key of ALTER SEQUENCE ... OWNED BY.
func OwnedByNodeKey(seq ObjectRef) string { return "owned:" + seq.Key() }

// IndexExtraNodeKey is the DumpNode key of the extra statements (statistics,
// replica identity, cluster) of an index that backs a constraint.
func IndexExtraNodeKey(schema, name string) string { return "indexextra:" + IndexNodeKey(schema, name) }

// ACLNodeKey is the DumpNode key of the privileges (REVOKE/GRANT) of the
// object whose node key is objKey.
func ACLNodeKey(objKey string) string { return "acl:" + objKey }

// ColumnACLNodeKey is the DumpNode key of the column privileges of table or
// view t.
func ColumnACLNodeKey(t QualifiedName) string { return "colacl:" + t.String() }

// PublicationNodeKey is the DumpNode key of publication name.
func PublicationNodeKey(name string) string { return "publication:" + QuoteIdent(name) }

// EventTriggerNodeKey is the DumpNode key of event trigger name.
func EventTriggerNodeKey(name string) string { return "event_trigger:" + QuoteIdent(name) }

// Signature renders a routine as name(args) for ALTER/DROP/COMMENT.
func (f *Function) Signature() string { return f.signature() }

// Signature renders an operator as schema.op (left, right) for ALTER/DROP.
func (o *Operator) Signature() string { return o.signature() }
