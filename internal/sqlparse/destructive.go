package sqlparse

import (
	"strconv"
	"strings"
)

// Destruction is a statement that loses objects or data wholesale.
type Destruction struct {
	Line int    // 1-based line of the statement
	What string // "DROP TABLE", "TRUNCATE", "DELETE without WHERE", ...
}

// String renders the finding as "line 3: DROP TABLE".
func (d Destruction) String() string { return "line " + strconv.Itoa(d.Line) + ": " + d.What }

// Destructive lists, in order, the statements that drop objects (any DROP
// command, ALTER TABLE ... DROP COLUMN or DROP CONSTRAINT), truncate tables,
// or delete or update every row of a table (no WHERE clause). It reads the
// parse tree, so comments and string literals never count.
func Destructive(sts []Statement) []Destruction {
	var out []Destruction
	for _, st := range sts {
		n := st.Node
		if n == nil {
			continue
		}
		what := ""
		switch {
		case strings.HasPrefix(st.Tag, "DROP "):
			what = st.Tag
		case n.GetTruncateStmt() != nil:
			what = "TRUNCATE"
		case n.GetDeleteStmt() != nil && n.GetDeleteStmt().GetWhereClause() == nil:
			what = "DELETE without WHERE"
		case n.GetUpdateStmt() != nil && n.GetUpdateStmt().GetWhereClause() == nil:
			what = "UPDATE without WHERE"
		case n.GetAlterTableStmt() != nil:
			for _, c := range n.GetAlterTableStmt().GetCmds() {
				switch c.GetAlterTableCmd().GetSubtype().String() {
				case "AT_DropColumn":
					what = "ALTER TABLE ... DROP COLUMN"
				case "AT_DropConstraint":
					if what == "" {
						what = "ALTER TABLE ... DROP CONSTRAINT"
					}
				}
			}
		}
		if what != "" {
			out = append(out, Destruction{Line: st.Line, What: what})
		}
	}
	return out
}
