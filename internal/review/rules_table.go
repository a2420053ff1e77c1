package review

import (
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

func tableRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: "table.require-pk", Family: "table", Title: "Tables have a primary key",
				Rationale: "Without a primary key rows cannot be addressed reliably: logical replication cannot replicate UPDATE/DELETE, ORMs and admin tools refuse to edit rows, and duplicates creep in. The check runs on the simulated final state, so a key added later in the same script counts and a key dropped anywhere is caught.",
				Level:     Error, Basic: Error, Example: "CREATE TABLE events (payload jsonb);"},
			finish: func(c *ctx) {
				for _, t := range c.cat.Tables() {
					if t.lastAlter < 0 || (t.Kind != "table" && t.Kind != "partitioned") || t.PrimaryKey() != nil {
						continue
					}
					c.reportStmt(t.lastAlter, false, "Table %s requires PRIMARY KEY, related statement: %q", t.qualified(), c.stmts[t.lastAlter].Text)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "table.no-foreign-key", Family: "table", Title: "No foreign keys",
				Rationale: "Some teams enforce relationships in the application to keep writes, sharding and online schema changes simple: foreign keys take locks on both tables when added and on every write to the referenced key. Enable this rule when that is your convention.",
				Level:     Warning, Example: "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);"},
			stmt: func(c *ctx) {
				table := ""
				found := false
				forEachNewConstraint(c, func(tbl string, k *pg_query.Constraint, _ []string, _ int) {
					if k.Contype == pg_query.ConstrType_CONSTR_FOREIGN {
						table, found = tbl, true
					}
				})
				if found {
					c.report("Foreign key is not allowed in the table %s, related statement: %q", qualifiedName(c, table), c.text())
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "table.comment", Family: "table", Title: "Table comment convention",
				Rationale: "COMMENT ON TABLE documents a table where every tool sees it (psql \\d+, IDEs, the schema browser). With required set, every table the script creates must end up with a non-empty comment; maxLength caps comment length (0 = no cap).",
				Level:     Warning, Payload: PayloadComment, Default: Payload{Required: true, MaxLength: 64},
				Example: "CREATE TABLE t (id bigint PRIMARY KEY); -- no COMMENT ON TABLE t"},
			finish: func(c *ctx) {
				for _, t := range c.cat.Tables() {
					if t.Kind != "table" && t.Kind != "partitioned" {
						continue
					}
					empty := t.Comment == nil || *t.Comment == ""
					switch {
					case empty && t.createdAt >= 0 && c.payload.Required:
						c.reportStmt(t.createdAt, false, "Comment is required for table `%s`", t.Name)
					case !empty && t.commentAt >= 0 && c.payload.MaxLength > 0 && utf8.RuneCountInString(*t.Comment) > c.payload.MaxLength:
						c.reportStmt(t.commentAt, false, "Table `%s` comment is too long. The length of comment should be within %d characters", t.Name, c.payload.MaxLength)
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "table.disallow-partition", Family: "table", Title: "No table partitioning",
				Rationale: "Partitioned tables change how keys, unique constraints, foreign keys and locking work, and partition maintenance needs tooling. Teams that have not planned for it can forbid creating or attaching partitions.",
				Level:     Warning, Example: "CREATE TABLE logs (at timestamptz) PARTITION BY RANGE (at);"},
			stmt: func(c *ctx) {
				switch s := c.node.Node.(type) {
				case *pg_query.Node_CreateStmt:
					if s.CreateStmt.Partspec != nil || s.CreateStmt.Partbound != nil {
						c.report("Table partition is forbidden, but %q creates", c.text())
					}
				case *pg_query.Node_AlterTableStmt:
					for _, cmd := range alterCmds(s.AlterTableStmt) {
						if cmd.Subtype == pg_query.AlterTableType_AT_AttachPartition {
							c.report("Table partition is forbidden, but %q creates", c.text())
							return
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "table.disallow-drop", Family: "table", Title: "No DROP TABLE",
				Rationale: "Dropping a table destroys its data irrecoverably (short of a backup restore) and breaks every reader still deployed. Rename it first, let it sit, and drop it in a later release.",
				Level:     Error, Basic: Warning, Example: "DROP TABLE users;"},
			stmt: func(c *ctx) {
				if ds := c.node.GetDropStmt(); ds != nil && ds.RemoveType == pg_query.ObjectType_OBJECT_TABLE {
					c.report("Dropping a table deletes its data and breaks code still reading it: %q", c.text())
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "table.disallow-rename", Family: "table", Title: "No table renames",
				Rationale: "Renaming a table breaks every deployed client that still uses the old name the moment the migration commits; there is no window in which old and new code both work. Create a view under the old name, or add the new table and migrate in steps.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE users RENAME TO accounts;"},
			stmt: func(c *ctx) {
				if rs := c.node.GetRenameStmt(); rs != nil && rs.RenameType == pg_query.ObjectType_OBJECT_TABLE {
					c.report("Renaming table %q breaks clients that still use the old name", rs.Relation.Relname)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "table.must-exist", Family: "table", Title: "Referenced tables exist",
				Rationale: "Against a synced catalog, a statement that alters, drops, indexes, comments on or writes to a table that neither exists nor is created earlier in the script fails at rollout. Catching it in review saves a failed deployment. Silent when the target's catalog is unknown.",
				Level:     Error, Basic: Error, Example: "ALTER TABLE no_such_table ADD COLUMN x int;"},
			stmt: func(c *ctx) {
				if !c.cat.Known {
					return
				}
				check := func(rv *pg_query.RangeVar, missingOK bool) {
					if rv == nil || missingOK || c.cat.resolve(rv.Schemaname, rv.Relname) != nil {
						return
					}
					c.reportAt(int(rv.Location), "relation %q does not exist", relDisplay(rv))
				}
				switch s := c.node.Node.(type) {
				case *pg_query.Node_AlterTableStmt:
					if s.AlterTableStmt.Objtype == pg_query.ObjectType_OBJECT_TABLE {
						check(s.AlterTableStmt.Relation, s.AlterTableStmt.MissingOk)
					}
				case *pg_query.Node_IndexStmt:
					check(s.IndexStmt.Relation, false)
				case *pg_query.Node_InsertStmt:
					if !c.facts().ctes[s.InsertStmt.Relation.Relname] {
						check(s.InsertStmt.Relation, false)
					}
				case *pg_query.Node_UpdateStmt:
					check(s.UpdateStmt.Relation, false)
				case *pg_query.Node_DeleteStmt:
					check(s.DeleteStmt.Relation, false)
				case *pg_query.Node_TruncateStmt:
					for _, r := range s.TruncateStmt.Relations {
						check(r.GetRangeVar(), false)
					}
				case *pg_query.Node_DropStmt:
					if s.DropStmt.RemoveType == pg_query.ObjectType_OBJECT_TABLE && !s.DropStmt.MissingOk {
						for _, o := range s.DropStmt.Objects {
							if l := o.GetList(); l != nil && c.cat.resolve(schemaOf(l.Items), lastName(l.Items)) == nil {
								c.report("table %q does not exist", nameList(l.Items))
							}
						}
					}
				case *pg_query.Node_CreateStmt:
					rv := s.CreateStmt.Relation
					if !s.CreateStmt.IfNotExists && c.cat.resolve(rv.Schemaname, rv.Relname) != nil {
						c.report("relation %q already exists", relDisplay(rv))
					}
				}
			},
		},
	}
}

// qualifiedName renders a table name as "schema"."name" using the catalog's default schema.
func qualifiedName(c *ctx, table string) string {
	schema := schemaOfStmt(c)
	if schema == "" {
		schema = c.cat.defaultSchema()
	}
	return `"` + schema + `"."` + table + `"`
}

// displayTable renders a RangeVar as in messages: "public"."t" when
// qualified, "t" otherwise.
func displayTable(rv *pg_query.RangeVar) string {
	if rv.Schemaname != "" {
		return `"` + rv.Schemaname + `"."` + rv.Relname + `"`
	}
	return `"` + rv.Relname + `"`
}

// truncateText shortens long statement texts in messages.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.TrimSpace(s[:n]) + "..."
}
