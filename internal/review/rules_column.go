package review

import (
	"sort"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// colDef is a column definition found in CREATE TABLE or ALTER TABLE ... ADD COLUMN.
type colDef struct {
	rv     *pg_query.RangeVar
	cd     *pg_query.ColumnDef
	create bool // inside CREATE TABLE
	pk     bool // part of the table's primary key (CREATE TABLE table constraint)
}

// primaryKeyColumns is the set of columns a table-level PRIMARY KEY among cons names.
func primaryKeyColumns(cons []*pg_query.Constraint) map[string]bool {
	pk := map[string]bool{}
	for _, k := range cons {
		if k.Contype == pg_query.ConstrType_CONSTR_PRIMARY {
			for _, n := range keyNames(k.Keys) {
				pk[n] = true
			}
		}
	}
	return pk
}

// forEachColumnDef calls fn for each new column of a statement.
func forEachColumnDef(c *ctx, fn func(d colDef)) {
	switch s := c.node.Node.(type) {
	case *pg_query.Node_CreateStmt:
		cols, cons := tableElts(s.CreateStmt)
		pk := primaryKeyColumns(cons)
		for _, cd := range cols {
			fn(colDef{rv: s.CreateStmt.Relation, cd: cd, create: true, pk: pk[cd.Colname]})
		}
	case *pg_query.Node_AlterTableStmt:
		forEachAddColumn(c, func(rv *pg_query.RangeVar, cd *pg_query.ColumnDef) {
			fn(colDef{rv: rv, cd: cd})
		})
	}
}

// typeChange is an ALTER COLUMN ... TYPE.
type typeChange struct {
	rv  *pg_query.RangeVar
	col string
	tn  *pg_query.TypeName
	cd  *pg_query.ColumnDef
}

func forEachTypeChange(c *ctx, fn func(tc typeChange)) {
	at := c.node.GetAlterTableStmt()
	if at == nil {
		return
	}
	for _, cmd := range alterCmds(at) {
		if cmd.Subtype == pg_query.AlterTableType_AT_AlterColumnType {
			if cd := cmd.Def.GetColumnDef(); cd != nil {
				fn(typeChange{rv: at.Relation, col: cmd.Name, tn: cd.TypeName, cd: cd})
			}
		}
	}
}

// forEachColumnType calls fn for every column type a statement writes
// (new columns and type changes) with the column name and location.
func forEachColumnType(c *ctx, fn func(rv *pg_query.RangeVar, col string, tn *pg_query.TypeName, loc int)) {
	forEachColumnDef(c, func(d colDef) { fn(d.rv, d.cd.Colname, d.cd.TypeName, int(d.cd.Location)) })
	forEachTypeChange(c, func(tc typeChange) { fn(tc.rv, tc.col, tc.tn, -1) })
}

func colDisplay(rv *pg_query.RangeVar, col string) string {
	return `"` + rv.Relname + `"."` + col + `"`
}

func columnRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: "column.required", Family: "column", Title: "Required columns",
				Rationale: "Some columns every table must have (a surrogate id, audit timestamps, who changed a row). Tables the script creates must end up with all of them; dropping or renaming one of them on an existing table is flagged too.",
				Level:     Warning, Payload: PayloadList, Default: Payload{List: []string{"id", "created_ts", "updated_ts", "creator_id", "updater_id"}},
				Example: "CREATE TABLE book (id bigint PRIMARY KEY); -- no created_ts, updated_ts, ..."},
			stmt: func(c *ctx) {
				check := func(rv *pg_query.RangeVar, col string) {
					t := c.cat.resolve(rv.Schemaname, rv.Relname)
					if t == nil || t.created || !containsString(c.payload.List, col) || t.Column(col) == nil {
						return
					}
					c.report("Table %q requires columns: %s", rv.Relname, col)
				}
				switch s := c.node.Node.(type) {
				case *pg_query.Node_AlterTableStmt:
					for _, cmd := range alterCmds(s.AlterTableStmt) {
						if cmd.Subtype == pg_query.AlterTableType_AT_DropColumn {
							check(s.AlterTableStmt.Relation, cmd.Name)
						}
					}
				case *pg_query.Node_RenameStmt:
					if s.RenameStmt.RenameType == pg_query.ObjectType_OBJECT_COLUMN && !containsString(c.payload.List, s.RenameStmt.Newname) {
						check(s.RenameStmt.Relation, s.RenameStmt.Subname)
					}
				}
			},
			finish: func(c *ctx) {
				for _, t := range c.cat.Tables() {
					if t.createdAt < 0 || t.partialCols || (t.Kind != "table" && t.Kind != "partitioned") {
						continue
					}
					var missing []string
					for _, req := range c.payload.List {
						if t.Column(req) == nil {
							missing = append(missing, req)
						}
					}
					if len(missing) > 0 {
						sort.Strings(missing)
						c.reportStmt(t.createdAt, false, "Table %q requires columns: %s", t.Name, strings.Join(missing, ", "))
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.no-null", Family: "column", Title: "Columns are NOT NULL",
				Rationale: "Nullable columns bring three-valued logic into every query (NOT IN with a NULL returns nothing, sums skip rows) and usually mean \"unknown\" was never designed. Declare columns NOT NULL unless NULL has a meaning.",
				Level:     Warning, Example: "CREATE TABLE t (id bigint PRIMARY KEY, name text);"},
			stmt: func(c *ctx) {
				forEachColumnDef(c, func(d colDef) {
					cons := colConstraints(d.cd)
					if d.pk || hasNotNull(cons) || d.cd.IsNotNull {
						return
					}
					c.reportAt(int(d.cd.Location), "Column %q in %s cannot have NULL value", d.cd.Colname, qualifiedName(c, d.rv.Relname))
				})
				if at := c.node.GetAlterTableStmt(); at != nil {
					for _, cmd := range alterCmds(at) {
						if cmd.Subtype == pg_query.AlterTableType_AT_DropNotNull {
							c.report("Column %q in %s cannot have NULL value", cmd.Name, qualifiedName(c, at.Relation.Relname))
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.disallow-change-type", Family: "column", Title: "No column type changes",
				Rationale: "ALTER COLUMN ... TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (except a few binary-compatible cases such as widening varchar), and clients expecting the old type break. Add a new column, backfill, and switch over instead.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE t ALTER COLUMN id TYPE bigint;"},
			stmt: func(c *ctx) {
				forEachTypeChange(c, func(tc typeChange) {
					c.report("The statement %q changes column type", c.text())
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.comment", Family: "column", Title: "Column comment convention",
				Rationale: "COMMENT ON COLUMN documents meaning, units and allowed values where every tool shows it. With required set, every column the script adds must end up with a non-empty comment; maxLength caps comment length (0 = no cap).",
				Level:     Warning, Payload: PayloadComment, Default: Payload{Required: true, MaxLength: 64},
				Example: "CREATE TABLE t (amount numeric); -- no COMMENT ON COLUMN t.amount"},
			finish: func(c *ctx) {
				for _, t := range c.cat.Tables() {
					if t.Kind != "table" && t.Kind != "partitioned" {
						continue
					}
					for _, col := range t.Columns {
						empty := col.Comment == nil || *col.Comment == ""
						switch {
						case empty && col.addedAt >= 0 && c.payload.Required:
							c.reportStmt(col.addedAt, false, "Comment is required for column `%s.%s`", t.Name, col.Name)
						case !empty && col.commentAt >= 0 && c.payload.MaxLength > 0 && utf8.RuneCountInString(*col.Comment) > c.payload.MaxLength:
							c.reportStmt(col.commentAt, false, "Column `%s.%s` comment is too long. The length of comment should be within %d characters", t.Name, col.Name, c.payload.MaxLength)
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.type-disallow-list", Family: "column", Title: "Disallowed column types",
				Rationale: "Some types are banned by convention: json (use jsonb), money (locale-dependent), serial (use identity), or types your drivers map badly. The list names types new or changed columns must not use (aliases such as int4/integer are resolved).",
				Level:     Warning, Payload: PayloadList, Default: Payload{List: []string{"json", "money", "timetz"}},
				Example: "ALTER TABLE t ADD COLUMN doc json;"},
			stmt: func(c *ctx) {
				forEachColumnType(c, func(rv *pg_query.RangeVar, col string, tn *pg_query.TypeName, loc int) {
					base := typeBase(tn)
					for _, bad := range c.payload.List {
						if canonicalType(bad) == base {
							c.reportAt(loc, "Disallow column type %s but column %s is", strings.ToUpper(bad), colDisplay(rv, col))
						}
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.maximum-character-length", Family: "column", Title: "CHAR length limit",
				Rationale: "char(n) pads every value with spaces to n characters, wasting space and surprising comparisons; long fixed-length columns are almost always meant to be varchar or text. The number is the largest char(n) allowed.",
				Level:     Warning, Payload: PayloadNumber, Default: Payload{Number: 20},
				Example: "CREATE TABLE t (code char(100));"},
			stmt: func(c *ctx) {
				forEachColumnType(c, func(rv *pg_query.RangeVar, col string, tn *pg_query.TypeName, loc int) {
					if typeBase(tn) != "character" {
						return
					}
					if mods := typeMods(tn); len(mods) == 1 && mods[0] > c.payload.Number {
						c.reportAt(loc, "The length of the CHAR column %q in table %s is bigger than %d, please use VARCHAR instead", col, displayTable(rv), c.payload.Number)
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.require-default", Family: "column", Title: "Columns have a DEFAULT",
				Rationale: "A default lets INSERTs that do not know about a column keep working, which matters when old and new application versions run side by side during a rollout. Serial, identity and generated columns have one implicitly.",
				Level:     Warning, Example: "ALTER TABLE t ADD COLUMN status text;"},
			stmt: func(c *ctx) {
				forEachColumnDef(c, func(d colDef) {
					cons := colConstraints(d.cd)
					if defaultExpr(cons) != nil || isSerial(d.cd.TypeName) || hasConstraint(cons, pg_query.ConstrType_CONSTR_IDENTITY) != nil ||
						hasConstraint(cons, pg_query.ConstrType_CONSTR_GENERATED) != nil {
						return
					}
					schema := d.rv.Schemaname
					if schema == "" {
						schema = c.cat.defaultSchema()
					}
					c.reportAt(int(d.cd.Location), "Column %s in schema %q doesn't have DEFAULT", colDisplay(d.rv, d.cd.Colname), schema)
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.default-disallow-volatile", Family: "column", Title: "No function-call defaults",
				Rationale: "A default that calls a function is evaluated per row. Volatile ones (random(), clock_timestamp(), gen_random_uuid(), nextval()) force a full table rewrite when the column is added to an existing table, and even now() stamps every existing row with the migration time, which is rarely what is meant. Backfill explicitly instead.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();"},
			stmt: func(c *ctx) {
				forEachColumnDef(c, func(d colDef) {
					def := defaultExpr(colConstraints(d.cd))
					if def == nil {
						return
					}
					hasCall := false
					walk(def, func(n *pg_query.Node) bool {
						if n.GetFuncCall() != nil {
							hasCall = true
						}
						return !hasCall
					})
					if hasCall {
						schema := d.rv.Schemaname
						if schema == "" {
							schema = c.cat.defaultSchema()
						}
						c.reportAt(int(d.cd.Location), "Column %s in schema %q has volatile DEFAULT", colDisplay(d.rv, d.cd.Colname), schema)
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.add-not-null-require-default", Family: "column", Title: "NOT NULL columns added to tables with rows need a DEFAULT",
				Rationale: "ALTER TABLE ... ADD COLUMN ... NOT NULL without a DEFAULT fails as soon as the table has a row (\"column contains null values\", SQLSTATE 23502). Against a synced catalog the table's row estimate decides: tables the script creates, or known to be empty, pass; tables with rows (or unknown contents) are flagged.",
				Level:     Error, Basic: Error, Example: "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;"},
			stmt: func(c *ctx) {
				forEachColumnDef(c, func(d colDef) {
					if d.create {
						return
					}
					cons := colConstraints(d.cd)
					if !hasNotNull(cons) || defaultExpr(cons) != nil || isSerial(d.cd.TypeName) ||
						hasConstraint(cons, pg_query.ConstrType_CONSTR_IDENTITY) != nil || hasConstraint(cons, pg_query.ConstrType_CONSTR_GENERATED) != nil {
						return
					}
					t := c.cat.resolve(d.rv.Schemaname, d.rv.Relname)
					switch {
					case t == nil && c.cat.Known:
						return
					case t != nil && (t.created || t.Rows == 0):
						return
					case t != nil && t.Rows > 1:
						c.reportAt(int(d.cd.Location), "Adding NOT NULL column %q without a DEFAULT fails: table %s has about %d rows", d.cd.Colname, t.qualified(), t.Rows)
					case t != nil && t.Rows == 1:
						c.reportAt(int(d.cd.Location), "Adding NOT NULL column %q without a DEFAULT fails: table %s has rows", d.cd.Colname, t.qualified())
					default:
						c.reportAt(int(d.cd.Location), "Adding NOT NULL column %q without a DEFAULT fails if table %s has any rows", d.cd.Colname, displayTable(d.rv))
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.type.no-char", Family: "column", Title: "No char(n) columns",
				Rationale: "character(n) pads values with spaces, compares ignoring trailing spaces, and is no faster than text or varchar in PostgreSQL. Use text (with a CHECK on length if needed).",
				Level:     Warning, Basic: Warning, Example: "CREATE TABLE t (code char(2));"},
			stmt: func(c *ctx) {
				forEachColumnType(c, func(rv *pg_query.RangeVar, col string, tn *pg_query.TypeName, loc int) {
					if typeBase(tn) == "character" {
						c.reportAt(loc, "Column %s uses %s; use text or varchar instead", colDisplay(rv, col), typeDisplay(tn))
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.type.prefer-bigint", Family: "column", Title: "Prefer bigint over integer and smallint",
				Rationale: "Integer keys and counters run out (2^31) on busy tables, and widening a column later rewrites the table under an exclusive lock. bigint costs 4 bytes more per row; choose it up front.",
				Level:     Warning, Example: "CREATE TABLE t (id integer PRIMARY KEY);"},
			stmt: func(c *ctx) {
				forEachColumnType(c, func(rv *pg_query.RangeVar, col string, tn *pg_query.TypeName, loc int) {
					switch typeBase(tn) {
					case "integer", "smallint", "serial", "smallserial":
						c.reportAt(loc, "Column %s uses %s; prefer bigint (or bigserial/identity) to avoid running out of values", colDisplay(rv, col), typeBase(tn))
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.type.prefer-identity", Family: "column", Title: "Prefer identity columns over serial",
				Rationale: "serial creates a sequence with separate ownership and permissions, which dumps, grants and copying tables get wrong. GENERATED ... AS IDENTITY is the SQL-standard replacement, tied to the column.",
				Level:     Warning, Example: "CREATE TABLE t (id bigserial PRIMARY KEY);"},
			stmt: func(c *ctx) {
				forEachColumnType(c, func(rv *pg_query.RangeVar, col string, tn *pg_query.TypeName, loc int) {
					if isSerial(tn) {
						c.reportAt(loc, "Column %s uses %s; prefer GENERATED BY DEFAULT AS IDENTITY", colDisplay(rv, col), typeBase(tn))
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.type.prefer-text", Family: "column", Title: "Prefer text over varchar(n)",
				Rationale: "varchar(n) has no performance benefit over text in PostgreSQL, and raising the limit later may need a table rewrite on old versions and always needs a migration. Use text with a CHECK (length(col) <= n) constraint, which can be changed cheaply.",
				Level:     Warning, Example: "ALTER TABLE t ADD COLUMN name varchar(100);"},
			stmt: func(c *ctx) {
				forEachColumnType(c, func(rv *pg_query.RangeVar, col string, tn *pg_query.TypeName, loc int) {
					if typeBase(tn) == "character varying" && len(typeMods(tn)) > 0 {
						c.reportAt(loc, "Column %s uses %s; prefer text with a CHECK constraint on its length", colDisplay(rv, col), typeDisplay(tn))
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.type.prefer-timestamptz", Family: "column", Title: "Prefer timestamptz",
				Rationale: "timestamp without time zone stores wall-clock time with no zone, so values written from servers or sessions in different zones silently disagree. timestamptz stores an instant and converts on display.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE t ADD COLUMN created_at timestamp;"},
			stmt: func(c *ctx) {
				forEachColumnType(c, func(rv *pg_query.RangeVar, col string, tn *pg_query.TypeName, loc int) {
					if typeBase(tn) == "timestamp without time zone" {
						c.reportAt(loc, "Column %s uses timestamp without time zone; prefer timestamptz", colDisplay(rv, col))
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.disallow-drop", Family: "column", Title: "No DROP COLUMN",
				Rationale: "Dropping a column breaks every deployed query that still names it, and the data is gone. Stop using the column in the application first, deploy, then drop it in a later migration.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE users DROP COLUMN email;"},
			stmt: func(c *ctx) {
				if at := c.node.GetAlterTableStmt(); at != nil {
					for _, cmd := range alterCmds(at) {
						if cmd.Subtype == pg_query.AlterTableType_AT_DropColumn {
							c.report("Dropping column %q of %s deletes its data and breaks queries that still use it", cmd.Name, displayTable(at.Relation))
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.disallow-drop-not-null", Family: "column", Title: "No DROP NOT NULL",
				Rationale: "Readers of a column rely on it never being NULL; dropping the constraint lets NULLs in that deployed code does not handle.",
				Level:     Warning, Example: "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;"},
			stmt: func(c *ctx) {
				if at := c.node.GetAlterTableStmt(); at != nil {
					for _, cmd := range alterCmds(at) {
						if cmd.Subtype == pg_query.AlterTableType_AT_DropNotNull {
							c.report("Dropping NOT NULL on %q lets NULLs into a column existing code assumes is never NULL", cmd.Name)
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.disallow-rename", Family: "column", Title: "No column renames",
				Rationale: "Renaming a column breaks every deployed client that still uses the old name at the moment of commit. Add the new column, write to both, backfill, switch readers, then drop the old one.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE users RENAME COLUMN email TO email_address;"},
			stmt: func(c *ctx) {
				if rs := c.node.GetRenameStmt(); rs != nil && rs.RenameType == pg_query.ObjectType_OBJECT_COLUMN {
					c.report("Renaming column %q to %q breaks clients that still use the old name", rs.Subname, rs.Newname)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "column.must-exist", Family: "column", Title: "Referenced columns exist",
				Rationale: "Against the simulated catalog, altering, dropping, renaming, indexing, commenting on or writing to a column that does not exist fails at rollout (SQLSTATE 42703). Checked when the table's columns are known: synced from the target or created by the script.",
				Level:     Error, Basic: Error, Example: "ALTER TABLE users ALTER COLUMN emial SET NOT NULL;"},
			stmt: func(c *ctx) {
				table := func(rv *pg_query.RangeVar) *Table {
					if rv == nil {
						return nil
					}
					t := c.cat.resolve(rv.Schemaname, rv.Relname)
					if t == nil || t.partialCols || !(c.cat.Known || t.created) {
						return nil
					}
					return t
				}
				check := func(t *Table, col string, loc int) {
					if t != nil && col != "" && t.Column(col) == nil {
						c.reportAt(loc, "column %q of relation %q does not exist", col, t.Name)
					}
				}
				switch s := c.node.Node.(type) {
				case *pg_query.Node_AlterTableStmt:
					t := table(s.AlterTableStmt.Relation)
					for _, cmd := range alterCmds(s.AlterTableStmt) {
						switch cmd.Subtype {
						case pg_query.AlterTableType_AT_DropColumn:
							if !cmd.MissingOk {
								check(t, cmd.Name, -1)
							}
						case pg_query.AlterTableType_AT_AlterColumnType, pg_query.AlterTableType_AT_SetNotNull,
							pg_query.AlterTableType_AT_DropNotNull, pg_query.AlterTableType_AT_ColumnDefault:
							check(t, cmd.Name, -1)
						}
					}
				case *pg_query.Node_RenameStmt:
					if s.RenameStmt.RenameType == pg_query.ObjectType_OBJECT_COLUMN {
						check(table(s.RenameStmt.Relation), s.RenameStmt.Subname, -1)
					}
				case *pg_query.Node_IndexStmt:
					t := table(s.IndexStmt.Relation)
					for _, col := range indexColumns(s.IndexStmt) {
						check(t, col, -1)
					}
				case *pg_query.Node_CommentStmt:
					if s.CommentStmt.Objtype == pg_query.ObjectType_OBJECT_COLUMN {
						items := s.CommentStmt.Object.GetList().GetItems()
						if len(items) >= 2 {
							tbl := items[:len(items)-1]
							rv := &pg_query.RangeVar{Schemaname: schemaOf(tbl), Relname: lastName(tbl)}
							check(table(rv), strVal(items[len(items)-1]), -1)
						}
					}
				case *pg_query.Node_InsertStmt:
					if !c.facts().ctes[s.InsertStmt.Relation.Relname] {
						t := table(s.InsertStmt.Relation)
						for _, n := range s.InsertStmt.Cols {
							if rt := n.GetResTarget(); rt != nil {
								check(t, rt.Name, int(rt.Location))
							}
						}
					}
				case *pg_query.Node_UpdateStmt:
					t := table(s.UpdateStmt.Relation)
					for _, n := range s.UpdateStmt.TargetList {
						if rt := n.GetResTarget(); rt != nil {
							check(t, rt.Name, int(rt.Location))
						}
					}
				}
			},
		},
	}
}
