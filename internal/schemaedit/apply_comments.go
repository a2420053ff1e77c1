package schemaedit

import (
	"fmt"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// CommentOn sets or removes the comment of any object the editor shows:
// kind, the object's place (schema, table, name) and comment (null or ""
// removes it, as COMMENT ... IS ” does). comment_table stays for tables.
const CommentOn OpKind = "comment"

// applyComment applies a comment op.
func (st *state) applyComment(i int, op Op) error {
	s := &st.cur
	var c *string
	if op.Comment != nil && *op.Comment != "" {
		v := *op.Comment
		c = &v
	}
	q := catalog.QualifiedName{Schema: op.Schema, Name: op.Name}
	switch op.Kind {
	case "schema":
		n := s.Namespace(op.Name)
		if n == nil {
			return usererr.Invalid("name", "there is no schema %s", catalog.QuoteIdent(op.Name))
		}
		n.Comment = c
		st.mark(i, schemaKey(op.Name), Changed)
	case "table":
		t, err := st.table(op.Schema, op.Table)
		if err != nil {
			return err
		}
		t.Comment = c
		st.mark(i, tableKey(t.Schema, t.Name), Changed)
	case "column":
		t, err := st.table(op.Schema, op.Table)
		if err != nil {
			return err
		}
		col := t.Column(op.Name)
		if col == nil {
			return usererr.Invalid("name", "table %s has no column %s", t.QualifiedName.String(), catalog.QuoteIdent(op.Name))
		}
		col.Comment = c
		st.mark(i, columnKey(t.Schema, t.Name, col.Name), Changed)
		st.mark(i, tableKey(t.Schema, t.Name), Changed)
	case "view", "materialized_view":
		v := s.View(q)
		if v == nil || (op.Kind == "materialized_view" && !v.Materialized) {
			return usererr.Invalid("name", "there is no %s %s", strings.ReplaceAll(op.Kind, "_", " "), q.String())
		}
		v.Comment = c
		st.mark(i, viewKey(op.Schema, op.Name), Changed)
	case "sequence":
		seq := s.Sequence(q)
		if seq == nil {
			return usererr.Invalid("name", "there is no sequence %s", q.String())
		}
		seq.Comment = c
		st.mark(i, sequenceKey(op.Schema, op.Name), Changed)
	case "index":
		_, x := findIndex(s, op.Schema, op.Name)
		if x == nil {
			return usererr.Invalid("name", "there is no index %s", q.String())
		}
		x.Comment = c
		st.mark(i, indexKey(op.Schema, op.Name), Changed)
	case "constraint":
		t, err := st.table(op.Schema, op.Table)
		if err != nil {
			return err
		}
		k := t.Constraint(op.Name)
		if k == nil {
			return usererr.Invalid("name", "table %s has no constraint %s", t.QualifiedName.String(), catalog.QuoteIdent(op.Name))
		}
		k.Comment = c
		st.mark(i, constraintKey(t.Schema, t.Name, k.Name), Changed)
		st.mark(i, tableKey(t.Schema, t.Name), Changed)
	case "type":
		ty := s.Type(q)
		if ty == nil || (ty.Kind != catalog.TypeEnum && ty.Kind != catalog.TypeDomain && ty.Kind != catalog.TypeComposite) {
			return usererr.Invalid("name", "there is no enum, domain or composite type %s", q.String())
		}
		ty.Comment = c
		st.mark(i, typeKey(op.Schema, op.Name), Changed)
	case "function":
		f, err := st.function(q, op.Args)
		if err != nil {
			return err
		}
		f.Comment = c
		st.mark(i, functionKey(f), Changed)
	case "":
		return usererr.Invalid("kind", "comment needs the kind of object (schema, table, column, view, materialized_view, sequence, index, constraint, type, function)")
	default:
		return usererr.Invalid("kind", "cannot comment on a %q: the kinds are schema, table, column, view, materialized_view, sequence, index, constraint, type and function", op.Kind)
	}
	return nil
}

func functionKey(f *catalog.Function) string {
	return "function:" + f.QualifiedName.String() + "(" + f.Args + ")"
}

// function finds a function, procedure or aggregate by name and identity
// arguments ("k text", as PostgreSQL prints them); without arguments, the
// only one of that name.
func (st *state) function(q catalog.QualifiedName, args string) (*catalog.Function, error) {
	var named []*catalog.Function
	for i := range st.cur.Functions {
		f := &st.cur.Functions[i]
		if f.QualifiedName != q {
			continue
		}
		if args != "" && strings.Join(strings.Fields(f.Args), " ") == strings.Join(strings.Fields(args), " ") {
			return f, nil
		}
		named = append(named, f)
	}
	switch {
	case len(named) == 0:
		return nil, usererr.Invalid("name", "there is no function %s", q.String())
	case args == "" && len(named) == 1:
		return named[0], nil
	}
	var sigs []string
	for _, f := range named {
		sigs = append(sigs, fmt.Sprintf("%s(%s)", q.String(), f.Args))
	}
	if args == "" {
		return nil, usererr.Invalid("args", "there are %d functions %s: name the arguments (%s)", len(named), q.String(), strings.Join(sigs, ", "))
	}
	return nil, usererr.Invalid("args", "there is no function %s(%s): there is %s", q.String(), args, strings.Join(sigs, ", "))
}
