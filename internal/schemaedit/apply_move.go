package schemaedit

import (
	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// MoveColumn places a column of a table created in the session after the
// column After ("" puts it first). PostgreSQL keeps a table's column order
// for good, so an existing table's columns cannot be reordered.
const MoveColumn OpKind = "move_column"

func (st *state) moveColumn(i int, op Op) error {
	t, err := st.table(op.Schema, op.Table)
	if err != nil {
		return err
	}
	if st.origin[objID{diff.RenameTable, t.Schema, "", t.Name}] {
		return usererr.Invalid("column", "the columns of %s cannot be reordered: PostgreSQL keeps an existing table's column order (add the column again, or create the table anew)",
			t.QualifiedName.String())
	}
	from := columnAt(t, op.Name)
	if from < 0 {
		return usererr.Invalid("column", "table %s has no column %s", t.QualifiedName.String(), catalog.QuoteIdent(op.Name))
	}
	if op.After == op.Name {
		return usererr.Invalid("after", "a column cannot be placed after itself")
	}
	c := t.Columns[from]
	rest := append(append([]catalog.Column(nil), t.Columns[:from]...), t.Columns[from+1:]...)
	to := 0
	if op.After != "" {
		j := -1
		for k := range rest {
			if rest[k].Name == op.After {
				j = k
			}
		}
		if j < 0 {
			return usererr.Invalid("after", "table %s has no column %s to place %s after", t.QualifiedName.String(), catalog.QuoteIdent(op.After), catalog.QuoteIdent(op.Name))
		}
		to = j + 1
	}
	t.Columns = append(rest[:to], append([]catalog.Column{c}, rest[to:]...)...)
	st.mark(i, tableKey(t.Schema, t.Name), Created)
	return nil
}

// columnAt is the position of column name in t, -1 when it has none.
func columnAt(t *catalog.Table, name string) int {
	for k := range t.Columns {
		if t.Columns[k].Name == name {
			return k
		}
	}
	return -1
}
