package diff

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// RenameKind is the kind of object a Rename renames.
type RenameKind string

// Rename kinds. The values are stable (JSON input of the schema editor).
const (
	RenameSchema     RenameKind = "schema"
	RenameTable      RenameKind = "table"
	RenameColumn     RenameKind = "column"
	RenameIndex      RenameKind = "index"
	RenameConstraint RenameKind = "constraint"
	RenameEnumValue  RenameKind = "enum_value"
	RenameView       RenameKind = "view"
	RenameSequence   RenameKind = "sequence"
)

// Rename is the intent to rename one object. The diff never guesses
// renames; a caller that knows one (the schema editor) passes it so the
// object is renamed in place instead of dropped and created again.
//
// Schema is the schema of the object (for a schema rename, leave it empty:
// From is the schema). Table is the table of a column or constraint; Type is
// the enum of an enum value (whose From and To are labels). Renames are
// applied in order, each to the names the previous ones left.
type Rename struct {
	Kind   RenameKind `json:"kind"`
	Schema string     `json:"schema,omitempty"`
	Table  string     `json:"table,omitempty"`
	Type   string     `json:"type,omitempty"`
	From   string     `json:"from"`
	To     string     `json:"to"`
}

// String names the rename for messages ("column public.t.a to b").
func (r Rename) String() string {
	switch r.Kind {
	case RenameSchema:
		return "schema " + catalog.QuoteIdent(r.From) + " to " + catalog.QuoteIdent(r.To)
	case RenameColumn, RenameConstraint:
		return string(r.Kind) + " " + catalog.QuoteQualified(r.Schema, r.Table) + "." + catalog.QuoteIdent(r.From) + " to " + catalog.QuoteIdent(r.To)
	case RenameEnumValue:
		return "value " + catalog.QuoteLiteral(r.From) + " of " + catalog.QuoteQualified(r.Schema, r.Type) + " to " + catalog.QuoteLiteral(r.To)
	}
	return string(r.Kind) + " " + catalog.QuoteQualified(r.Schema, r.From) + " to " + catalog.QuoteIdent(r.To)
}

// ApplyRenames returns a copy of s with the renames applied as PostgreSQL
// applies them: the object takes its new name and everything that refers
// to it by OID (view queries, index and constraint definitions, foreign
// keys, defaults, owned-by sequences, dependency lists) reads the new name,
// since PostgreSQL deparses those from stored trees. s is not changed.
// Statements are the ALTER ... RENAME statements, in order.
func ApplyRenames(s *catalog.Schema, renames []Rename) (catalog.Schema, []Statement, error) {
	c := s.Clone()
	var out []Statement
	for _, r := range renames {
		st, err := applyRename(&c, r)
		if err != nil {
			return catalog.Schema{}, nil, err
		}
		out = append(out, st)
	}
	return c, out, nil
}

func renameErr(r Rename, format string, args ...any) error {
	return usererr.Invalid("renames", "cannot rename %s: %s", r.String(), fmt.Sprintf(format, args...))
}

func applyRename(s *catalog.Schema, r Rename) (Statement, error) {
	if r.From == "" || r.To == "" {
		return Statement{}, renameErr(r, "both the old and the new name are needed")
	}
	if r.From == r.To {
		return Statement{}, renameErr(r, "the new name is the old name")
	}
	if r.Kind != RenameSchema && r.Schema == "" {
		return Statement{}, renameErr(r, "the schema is missing")
	}
	if r.Kind != RenameSchema && r.Kind != RenameEnumValue && len(r.To) > 63 {
		return Statement{}, renameErr(r, "names are at most 63 bytes long")
	}
	lock := func(what string) Hazard {
		return Hazard{HazardAccessExclusive, "takes an ACCESS EXCLUSIVE lock on " + what + " (brief: only the catalog changes)"}
	}
	breaks := func(what string) Hazard {
		return Hazard{HazardBreaksClients, "clients and routine bodies that use the old name of " + what + " fail after the rename"}
	}
	switch r.Kind {
	case RenameSchema:
		if s.Namespace(r.From) == nil {
			return Statement{}, renameErr(r, "there is no schema %s", catalog.QuoteIdent(r.From))
		}
		if s.Namespace(r.To) != nil {
			return Statement{}, renameErr(r, "a schema named %s already exists", catalog.QuoteIdent(r.To))
		}
		renameSchema(s, r.From, r.To)
		return Statement{SQL: "ALTER SCHEMA " + catalog.QuoteIdent(r.From) + " RENAME TO " + catalog.QuoteIdent(r.To), Transactional: true,
			Object: catalog.ObjectRef{Kind: catalog.KindSchema, Name: r.To}.Key(), Hazards: []Hazard{breaks("schema " + r.From)}}, nil
	case RenameTable, RenameView, RenameSequence:
		q := catalog.QualifiedName{Schema: r.Schema, Name: r.From}
		var word string
		var kind catalog.ObjectKind
		switch r.Kind {
		case RenameTable:
			if s.Table(q) == nil {
				return Statement{}, renameErr(r, "there is no table %s", q.String())
			}
			word, kind = "TABLE", catalog.KindTable
		case RenameView:
			v := s.View(q)
			if v == nil {
				return Statement{}, renameErr(r, "there is no view %s", q.String())
			}
			word, kind = "VIEW", catalog.KindView
			if v.Materialized {
				word = "MATERIALIZED VIEW"
			}
		default:
			if findSequence(s, q) == nil {
				return Statement{}, renameErr(r, "there is no sequence %s", q.String())
			}
			word, kind = "SEQUENCE", catalog.KindSequence
		}
		if what := relationNamed(s, r.Schema, r.To); what != "" {
			return Statement{}, renameErr(r, "%s is already the name of %s", catalog.QuoteQualified(r.Schema, r.To), what)
		}
		renameRelation(s, r.Schema, r.From, r.To, r.Kind != RenameSequence)
		st := Statement{SQL: "ALTER " + word + " " + q.String() + " RENAME TO " + catalog.QuoteIdent(r.To), Transactional: true,
			Object: catalog.ObjectRef{Kind: kind, Schema: r.Schema, Name: r.To}.Key(), Hazards: []Hazard{breaks(q.String())}}
		if r.Kind != RenameSequence {
			st.Hazards = append(st.Hazards, lock(q.String()))
		}
		return st, nil
	case RenameColumn:
		tq := catalog.QualifiedName{Schema: r.Schema, Name: r.Table}
		t := s.Table(tq)
		if t == nil {
			return Statement{}, renameErr(r, "there is no table %s", tq.String())
		}
		if t.Column(r.From) == nil {
			return Statement{}, renameErr(r, "table %s has no column %s", tq.String(), catalog.QuoteIdent(r.From))
		}
		if t.Column(r.To) != nil {
			return Statement{}, renameErr(r, "table %s already has a column %s", tq.String(), catalog.QuoteIdent(r.To))
		}
		if t.Column(r.From).Inherited {
			return Statement{}, renameErr(r, "the column is inherited: rename it on the parent table")
		}
		renameColumn(s, tq, r.From, r.To)
		return Statement{SQL: "ALTER TABLE " + tq.String() + " RENAME COLUMN " + catalog.QuoteIdent(r.From) + " TO " + catalog.QuoteIdent(r.To),
			Transactional: true, Object: t.Ref().Key(), Hazards: []Hazard{breaks("column " + r.From), lock(tq.String())}}, nil
	case RenameIndex:
		owner, x := findIndex(s, r.Schema, r.From)
		if x == nil {
			return Statement{}, renameErr(r, "there is no index %s", catalog.QuoteQualified(r.Schema, r.From))
		}
		if what := relationNamed(s, r.Schema, r.To); what != "" {
			return Statement{}, renameErr(r, "%s is already the name of %s", catalog.QuoteQualified(r.Schema, r.To), what)
		}
		if x.Constraint != "" && owner.table != nil && owner.table.Constraint(r.To) != nil {
			return Statement{}, renameErr(r, "the index enforces constraint %s, and table %s already has a constraint %s",
				catalog.QuoteIdent(x.Constraint), owner.table.QualifiedName.String(), catalog.QuoteIdent(r.To))
		}
		renameIndex(s, owner, x, r.To)
		return Statement{SQL: "ALTER INDEX " + catalog.QuoteQualified(r.Schema, r.From) + " RENAME TO " + catalog.QuoteIdent(r.To),
			Transactional: true, Object: catalog.IndexNodeKey(r.Schema, r.To)}, nil
	case RenameConstraint:
		tq := catalog.QualifiedName{Schema: r.Schema, Name: r.Table}
		t := s.Table(tq)
		if t == nil {
			return Statement{}, renameErr(r, "there is no table %s", tq.String())
		}
		c := t.Constraint(r.From)
		if c == nil {
			return Statement{}, renameErr(r, "table %s has no constraint %s", tq.String(), catalog.QuoteIdent(r.From))
		}
		if c.Inherited {
			return Statement{}, renameErr(r, "the constraint is inherited: rename it on the parent table")
		}
		if t.Constraint(r.To) != nil {
			return Statement{}, renameErr(r, "table %s already has a constraint %s", tq.String(), catalog.QuoteIdent(r.To))
		}
		if c.Index != "" {
			if what := relationNamed(s, r.Schema, r.To); what != "" {
				return Statement{}, renameErr(r, "its index takes the new name, and %s is already the name of %s", catalog.QuoteQualified(r.Schema, r.To), what)
			}
		}
		renameConstraint(s, t, c, r.To)
		return Statement{SQL: "ALTER TABLE " + tq.String() + " RENAME CONSTRAINT " + catalog.QuoteIdent(r.From) + " TO " + catalog.QuoteIdent(r.To),
			Transactional: true, Object: catalog.ConstraintNodeKey(tq, r.To), Hazards: []Hazard{lock(tq.String())}}, nil
	case RenameEnumValue:
		tq := catalog.QualifiedName{Schema: r.Schema, Name: r.Type}
		typ := s.Type(tq)
		if typ == nil || typ.Kind != catalog.TypeEnum {
			return Statement{}, renameErr(r, "there is no enum %s", tq.String())
		}
		at := -1
		for i, l := range typ.Labels {
			if l == r.To {
				return Statement{}, renameErr(r, "%s already has the value %s", tq.String(), catalog.QuoteLiteral(r.To))
			}
			if l == r.From {
				at = i
			}
		}
		if at < 0 {
			return Statement{}, renameErr(r, "%s has no value %s", tq.String(), catalog.QuoteLiteral(r.From))
		}
		typ.Labels[at] = r.To
		w := rewriter{text: func(x string) string { return renameEnumLiterals(x, tq.String(), r.From, r.To) }}
		w.walk(reflect.ValueOf(s).Elem(), nil, "")
		return Statement{SQL: "ALTER TYPE " + tq.String() + " RENAME VALUE " + catalog.QuoteLiteral(r.From) + " TO " + catalog.QuoteLiteral(r.To),
			Transactional: true, Object: typ.Ref().Key(), Hazards: []Hazard{breaks("value " + catalog.QuoteLiteral(r.From))}}, nil
	}
	return Statement{}, renameErr(r, "unknown kind %q (schema, table, column, index, constraint, enum_value, view, sequence)", r.Kind)
}

// rewriter walks a model: SQL texts (fields named in sqlFields), qualified
// names and object references.
type rewriter struct {
	text func(string) string
	name func(q *catalog.QualifiedName, owner reflect.Type, field string)
	ref  func(r *catalog.ObjectRef)
}

var (
	qnType  = reflect.TypeOf(catalog.QualifiedName{})
	refType = reflect.TypeOf(catalog.ObjectRef{})
)

// sqlFields are the model's fields that hold SQL as PostgreSQL deparses it.
var sqlFields = map[string]bool{
	"Definition": true, "Default": true, "Generated": true, "Type": true, "BaseType": true, "Predicate": true,
	"Expression": true, "Using": true, "WithCheck": true, "When": true, "PartitionKey": true, "PartitionBound": true,
	"Args": true, "ArgsFull": true, "Result": true, "Aggregate": true, "Subtype": true, "SubtypeOpClass": true,
	"RangeCollation": true, "Canonical": true, "SubtypeDiff": true, "Collation": true, "OpClass": true,
	"Function": true, "Commutator": true, "Negator": true, "Restrict": true, "Join": true, "Left": true, "Right": true,
}

func (w *rewriter) walk(v reflect.Value, owner reflect.Type, field string) {
	switch v.Kind() {
	case reflect.Ptr:
		if !v.IsNil() {
			w.walk(v.Elem(), owner, field)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			w.walk(v.Index(i), owner, field)
		}
	case reflect.Struct:
		switch v.Type() {
		case qnType:
			if w.name != nil {
				w.name(v.Addr().Interface().(*catalog.QualifiedName), owner, field)
			}
			return
		case refType:
			r := v.Addr().Interface().(*catalog.ObjectRef)
			if w.ref != nil {
				w.ref(r)
			}
			if w.text != nil && r.Args != "" {
				r.Args = w.text(r.Args)
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			w.walk(v.Field(i), v.Type(), v.Type().Field(i).Name)
		}
	case reflect.String:
		if w.text != nil && sqlFields[field] && v.CanSet() {
			if s := v.String(); s != "" {
				v.SetString(w.text(s))
			}
		}
	}
}

func renameSchema(s *catalog.Schema, from, to string) {
	s.Namespace(from).Name = to
	w := rewriter{
		text: func(x string) string { return renameSchemaRefs(x, from, to) },
		name: func(q *catalog.QualifiedName, _ reflect.Type, _ string) {
			if q.Schema == from {
				q.Schema = to
			}
		},
		ref: func(r *catalog.ObjectRef) {
			if r.Schema == from {
				r.Schema = to
			}
			if r.Kind == catalog.KindSchema && r.Name == from {
				r.Name = to
			}
		},
	}
	w.walk(reflect.ValueOf(s).Elem(), nil, "")
	for i := range s.Extensions {
		if s.Extensions[i].Schema == from {
			s.Extensions[i].Schema = to
		}
	}
	for i := range s.DefaultPrivileges {
		if s.DefaultPrivileges[i].Schema == from {
			s.DefaultPrivileges[i].Schema = to
		}
	}
}

var (
	functionType  = reflect.TypeOf(catalog.Function{})
	operatorType  = reflect.TypeOf(catalog.Operator{})
	collationType = reflect.TypeOf(catalog.Collation{})
)

// renameRelation renames a table, view or sequence (and a table's or
// view's row type). qualifiers: view queries qualify columns by the
// relation's name, which follows the rename.
func renameRelation(s *catalog.Schema, schema, from, to string, qualifiers bool) {
	if s.Namespace(from) != nil {
		qualifiers = false // "from." could be the schema
	}
	w := rewriter{
		text: func(x string) string { return renameRelationRefs(x, schema, from, to, qualifiers) },
		name: func(q *catalog.QualifiedName, owner reflect.Type, field string) {
			if q.Schema != schema || q.Name != from || field == "Function" || owner == functionType || owner == operatorType || owner == collationType {
				return
			}
			q.Name = to
		},
		ref: func(r *catalog.ObjectRef) {
			if r.Schema != schema {
				return
			}
			switch r.Kind {
			case catalog.KindTable, catalog.KindView, catalog.KindSequence, catalog.KindType:
				if r.Name == from {
					r.Name = to
				}
			case catalog.KindConstraint, catalog.KindTrigger, catalog.KindPolicy:
				if r.Table == from {
					r.Table = to
				}
			}
		},
	}
	w.walk(reflect.ValueOf(s).Elem(), nil, "")
}

// relationNamed says what in schema already holds name in the namespace
// tables, views, sequences, indexes and types share ("" when free).
func relationNamed(s *catalog.Schema, schema, name string) string {
	q := catalog.QualifiedName{Schema: schema, Name: name}
	switch {
	case s.Table(q) != nil:
		return "a table"
	case s.View(q) != nil:
		return "a view"
	case findSequence(s, q) != nil:
		return "a sequence"
	case s.Type(q) != nil:
		return "a type"
	}
	if _, x := findIndex(s, schema, name); x != nil {
		return "an index"
	}
	return ""
}

// findSequence finds a sequence, standalone or an identity column's.
func findSequence(s *catalog.Schema, q catalog.QualifiedName) *catalog.Sequence {
	if seq := s.Sequence(q); seq != nil {
		return seq
	}
	for i := range s.Tables {
		for j := range s.Tables[i].Columns {
			if seq := s.Tables[i].Columns[j].IdentitySequence; seq != nil && seq.QualifiedName == q {
				return seq
			}
		}
	}
	return nil
}

// relOwner is the table or materialized view an index belongs to.
type relOwner struct {
	table *catalog.Table
	view  *catalog.View
}

func (o relOwner) name() catalog.QualifiedName {
	if o.table != nil {
		return o.table.QualifiedName
	}
	return o.view.QualifiedName
}

func findIndex(s *catalog.Schema, schema, name string) (relOwner, *catalog.Index) {
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.Schema != schema {
			continue
		}
		for j := range t.Indexes {
			if t.Indexes[j].Name == name {
				return relOwner{table: t}, &t.Indexes[j]
			}
		}
	}
	for i := range s.Views {
		v := &s.Views[i]
		if v.Schema != schema {
			continue
		}
		for j := range v.Indexes {
			if v.Indexes[j].Name == name {
				return relOwner{view: v}, &v.Indexes[j]
			}
		}
	}
	return relOwner{}, nil
}

// renameIndex renames an index and, as PostgreSQL does, the constraint it
// enforces.
func renameIndex(s *catalog.Schema, owner relOwner, x *catalog.Index, to string) {
	schema, from := owner.name().Schema, x.Name
	x.Name = to
	x.Definition = renameFirstIdentAfter(x.Definition, "INDEX", from, to)
	if x.Constraint != "" && owner.table != nil {
		if c := owner.table.Constraint(x.Constraint); c != nil {
			renameConstraintRefs(s, owner.table, c.Name, to)
			c.Name = to
			c.Index = to
		}
		x.Constraint = to
	}
	w := rewriter{
		name: func(q *catalog.QualifiedName, _ reflect.Type, field string) {
			if field == "ParentIndex" && q.Schema == schema && q.Name == from {
				q.Name = to
			}
		},
		ref: func(r *catalog.ObjectRef) {
			if r.Kind == catalog.KindIndex && r.Schema == schema && r.Name == from {
				r.Name = to
			}
		},
	}
	w.walk(reflect.ValueOf(s).Elem(), nil, "")
}

// renameConstraint renames a table constraint and, as PostgreSQL does, the
// index enforcing it and the inherited copies of a CHECK constraint.
func renameConstraint(s *catalog.Schema, t *catalog.Table, c *catalog.Constraint, to string) {
	from := c.Name
	renameConstraintRefs(s, t, from, to)
	c.Name = to
	if c.Index != "" {
		if x := t.Index(c.Index); x != nil {
			old := x.Name
			x.Name = to
			x.Definition = renameFirstIdentAfter(x.Definition, "INDEX", old, to)
			x.Constraint = to
			w := rewriter{
				name: func(q *catalog.QualifiedName, _ reflect.Type, field string) {
					if field == "ParentIndex" && q.Schema == t.Schema && q.Name == old {
						q.Name = to
					}
				},
				ref: func(r *catalog.ObjectRef) {
					if r.Kind == catalog.KindIndex && r.Schema == t.Schema && r.Name == old {
						r.Name = to
					}
				},
			}
			w.walk(reflect.ValueOf(s).Elem(), nil, "")
		}
		c.Index = to
	}
	if c.Type == catalog.ConstraintCheck {
		for _, child := range children(s, t.QualifiedName) {
			if cc := child.Constraint(from); cc != nil && cc.Inherited && child.Constraint(to) == nil {
				renameConstraint(s, child, cc, to)
			}
		}
	}
}

func renameConstraintRefs(s *catalog.Schema, t *catalog.Table, from, to string) {
	w := rewriter{ref: func(r *catalog.ObjectRef) {
		if r.Kind == catalog.KindConstraint && r.Schema == t.Schema && r.Table == t.Name && r.Name == from {
			r.Name = to
		}
	}}
	w.walk(reflect.ValueOf(s).Elem(), nil, "")
}

// children are the partitions and inheritance children of table q.
func children(s *catalog.Schema, q catalog.QualifiedName) []*catalog.Table {
	var out []*catalog.Table
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.PartitionOf != nil && *t.PartitionOf == q {
			out = append(out, t)
			continue
		}
		for _, p := range t.Inherits {
			if p == q {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// renameColumn renames column from of table tq, in the table's own
// definitions, in foreign keys that reference it, in view queries, in the
// sequences it owns, and in the partitions and children that inherit it.
func renameColumn(s *catalog.Schema, tq catalog.QualifiedName, from, to string) {
	t := s.Table(tq)
	bare := func(x string) string { return renameColumnRefs(x, from, to, true, nil, false) }
	t.Column(from).Name = to
	for i := range t.Columns {
		t.Columns[i].Generated = bare(t.Columns[i].Generated)
	}
	t.PartitionKey = bare(t.PartitionKey)
	for i := range t.Constraints {
		c := &t.Constraints[i]
		replaceName(c.Columns, from, to)
		if c.Type == catalog.ConstraintForeignKey {
			head, tail, ok := strings.Cut(c.Definition, " REFERENCES ")
			if ok {
				c.Definition = bare(head) + " REFERENCES " + tail
			}
			continue
		}
		c.Definition = bare(c.Definition)
	}
	for i := range t.Indexes {
		x := &t.Indexes[i]
		for j := range x.Keys {
			if x.Keys[j].Column == from {
				x.Keys[j].Column = to
			}
			x.Keys[j].Expression = bare(x.Keys[j].Expression)
		}
		replaceName(x.Include, from, to)
		x.Predicate = bare(x.Predicate)
		if head, tail, ok := strings.Cut(x.Definition, " USING "); ok {
			x.Definition = head + " USING " + bare(tail)
		}
	}
	for i := range t.Triggers {
		tr := &t.Triggers[i]
		replaceName(tr.UpdateOf, from, to)
		rowRefs := func(x string) string { return renameColumnRefs(x, from, to, true, []string{"new", "old"}, false) }
		tr.When = rowRefs(tr.When)
		for _, kw := range []string{" BEFORE ", " AFTER ", " INSTEAD OF "} {
			if head, tail, ok := strings.Cut(tr.Definition, kw); ok {
				tr.Definition = head + kw + rowRefs(tail)
				break
			}
		}
	}
	for i := range t.Policies {
		t.Policies[i].Using = bare(t.Policies[i].Using)
		t.Policies[i].WithCheck = bare(t.Policies[i].WithCheck)
	}
	// Foreign keys referencing the column (the table's own included).
	for i := range s.Tables {
		for j := range s.Tables[i].Constraints {
			c := &s.Tables[i].Constraints[j]
			if c.Type != catalog.ConstraintForeignKey || c.RefTable == nil || *c.RefTable != tq {
				continue
			}
			replaceName(c.RefColumns, from, to)
			if head, tail, ok := strings.Cut(c.Definition, " REFERENCES "); ok {
				c.Definition = head + " REFERENCES " + bare(tail)
			}
		}
	}
	for i := range s.Sequences {
		if ob := s.Sequences[i].OwnedBy; ob != nil && ob.Table == tq && ob.Column == from {
			ob.Column = to
		}
	}
	for i := range s.Views {
		v := &s.Views[i]
		if quals := viewRefNames(v.Definition, tq); len(quals) > 0 {
			v.Definition = renameColumnRefs(v.Definition, from, to, false, quals, true)
		}
	}
	for _, child := range children(s, tq) {
		if c := child.Column(from); c != nil && child.Column(to) == nil {
			renameColumn(s, child.QualifiedName, from, to)
		}
	}
}

// viewRefNames returns the names a view query uses for table q: its alias
// where it has one, else its name (nil when the query does not read q).
func viewRefNames(def string, q catalog.QualifiedName) []string {
	if !strings.Contains(def, catalog.QuoteIdent(q.Name)) {
		return nil
	}
	toks := tokenize(def)
	var out []string
	for i, t := range toks {
		if !t.isName(q.Name) {
			continue
		}
		p := prev(toks, i)
		if at(toks, p).text != "." || !at(toks, prev(toks, p)).isName(q.Schema) {
			continue
		}
		n := at(toks, next(toks, i))
		if n.kind == tQuoted || (n.kind == tIdent && n.text == strings.ToLower(n.text) && isIdentStart(n.text[0])) {
			out = append(out, unquote(n.text))
		} else {
			out = append(out, q.Name)
		}
	}
	return out
}

func unquote(s string) string {
	if strings.HasPrefix(s, `"`) && len(s) >= 2 {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

func replaceName(names []string, from, to string) {
	for i := range names {
		if names[i] == from {
			names[i] = to
		}
	}
}
