package schemaedit

import (
	"fmt"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Validate checks the edited model for what the operations cannot refuse
// one at a time: a primary key over a column that allows NULL, a foreign
// key whose columns differ in type from the referenced ones or whose
// referenced table or columns are gone, an index or constraint over a
// dropped column, a column whose type was dropped. Each problem names the
// operation that last touched the object or what the problem comes from;
// what was already so in the original model (an edit touched neither) is
// not reported.
func (e *Editor) Validate() []Problem {
	st := e.st
	s := &st.cur
	var out []Problem
	// add records a problem of the object key; the op named is the last
	// one that touched the first of causes (the object itself, a dropped
	// column or table) it can find. Untouched: not reported.
	add := func(key string, causes []string, field, format string, args ...any) {
		op := -1
		for _, c := range causes {
			if i, ok := st.lastOp[c]; ok && op < 0 {
				op = i
			}
		}
		if op < 0 {
			return // as it was before the session: not the edits' doing
		}
		out = append(out, Problem{Op: op, Object: key, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	// created is key when the session created the object: some checks
	// concern new objects only (a renamed foreign key keeps its types).
	created := func(key string) string {
		if st.marks[key] == Created {
			return key
		}
		return ""
	}
	baseTypes := map[catalog.QualifiedName]bool{}
	for _, ty := range e.base.Types {
		baseTypes[ty.QualifiedName] = true
	}
	for ti := range s.Tables {
		t := &s.Tables[ti]
		tname := t.QualifiedName.String()
		st.optionProblems(t, add)
		for _, c := range t.Columns {
			if baseTypes[c.TypeRef] && s.Type(c.TypeRef) == nil {
				add(columnKey(t.Schema, t.Name, c.Name), []string{columnKey(t.Schema, t.Name, c.Name), schemaKey(c.TypeRef.Schema), typeKey(c.TypeRef.Schema, c.TypeRef.Name)}, "type", "column %s of %s uses type %s, which is dropped", catalog.QuoteIdent(c.Name), tname, c.TypeRef.String())
			}
		}
		for _, x := range t.Indexes {
			if x.Constraint != "" {
				continue
			}
			for _, k := range x.Keys {
				if k.Column != "" && t.Column(k.Column) == nil {
					add(indexKey(t.Schema, x.Name), []string{indexKey(t.Schema, x.Name), columnKey(t.Schema, t.Name, k.Column)}, "columns", "index %s uses column %s of %s, which is dropped: drop the index or keep the column",
						catalog.QuoteIdent(x.Name), catalog.QuoteIdent(k.Column), tname)
				}
			}
			for _, col := range x.Include {
				if t.Column(col) == nil {
					add(indexKey(t.Schema, x.Name), []string{indexKey(t.Schema, x.Name), columnKey(t.Schema, t.Name, col)}, "columns", "index %s includes column %s of %s, which is dropped", catalog.QuoteIdent(x.Name), catalog.QuoteIdent(col), tname)
				}
			}
		}
		for _, c := range t.Constraints {
			key := constraintKey(t.Schema, t.Name, c.Name)
			for _, col := range c.Columns {
				if t.Column(col) == nil {
					add(key, []string{key, columnKey(t.Schema, t.Name, col)}, "columns", "constraint %s uses column %s of %s, which is dropped: drop the constraint or keep the column",
						catalog.QuoteIdent(c.Name), catalog.QuoteIdent(col), tname)
				}
			}
			switch c.Type {
			case catalog.ConstraintPrimaryKey:
				if c.Inherited {
					continue
				}
				for _, col := range c.Columns {
					if cc := t.Column(col); cc != nil && !cc.NotNull {
						add(key, []string{key, columnKey(t.Schema, t.Name, col)}, "not_null", "primary key %s of %s: column %s allows NULL; make it NOT NULL", catalog.QuoteIdent(c.Name), tname, catalog.QuoteIdent(col))
					}
				}
			case catalog.ConstraintForeignKey:
				if c.RefTable == nil {
					continue
				}
				rt := s.Table(*c.RefTable)
				if rt == nil {
					add(key, []string{key, tableKey(c.RefTable.Schema, c.RefTable.Name)}, "ref_table", "foreign key %s of %s references table %s, which is dropped", catalog.QuoteIdent(c.Name), tname, c.RefTable.String())
					continue
				}
				for j, rc := range c.RefColumns {
					ref := rt.Column(rc)
					if ref == nil {
						add(key, []string{key, columnKey(c.RefTable.Schema, c.RefTable.Name, rc)}, "ref_columns", "foreign key %s of %s references column %s of %s, which is dropped", catalog.QuoteIdent(c.Name), tname, catalog.QuoteIdent(rc), c.RefTable.String())
						continue
					}
					if j < len(c.Columns) {
						if own := t.Column(c.Columns[j]); own != nil && !sameType(own.Type, ref.Type) {
							add(key, []string{created(key), columnKey(t.Schema, t.Name, own.Name), columnKey(c.RefTable.Schema, c.RefTable.Name, rc)}, "columns", "foreign key %s: column %s is %s but the referenced %s.%s is %s; give them the same type",
								catalog.QuoteIdent(c.Name), catalog.QuoteIdent(own.Name), own.Type, c.RefTable.String(), catalog.QuoteIdent(rc), ref.Type)
						}
					}
				}
				if !hasKeyOn(rt, c.RefColumns) {
					add(key, append(refKeyCauses(rt), created(key)), "ref_columns", "foreign key %s: the referenced columns of %s have no primary key or unique constraint", catalog.QuoteIdent(c.Name), c.RefTable.String())
				}
			}
		}
	}
	st.validateViews(add)
	return out
}

// hasKeyOn reports whether t has a primary key or unique constraint on
// exactly cols (in any order).
func hasKeyOn(t *catalog.Table, cols []string) bool {
	for _, c := range t.Constraints {
		if c.Type != catalog.ConstraintPrimaryKey && c.Type != catalog.ConstraintUnique || len(c.Columns) != len(cols) {
			continue
		}
		set := map[string]bool{}
		for _, x := range c.Columns {
			set[x] = true
		}
		all := true
		for _, x := range cols {
			all = all && set[x]
		}
		if all {
			return true
		}
	}
	return false
}

// refKeyCauses are the marks of a referenced table's key constraints (a
// dropped key makes a foreign key lose its referenced key).
func refKeyCauses(t *catalog.Table) []string {
	var out []string
	for _, c := range t.Constraints {
		out = append(out, constraintKey(t.Schema, t.Name, c.Name))
	}
	return out
}
