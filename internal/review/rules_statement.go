package review

import (
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

func statementRules() []*rule {
	return []*rule{
		whereFunctionsRule(),
		{
			RuleInfo: RuleInfo{ID: "statement.where.require.update-delete", Family: "statement", Title: "UPDATE and DELETE have a WHERE clause",
				Rationale: "An UPDATE or DELETE without WHERE touches every row of the table, which is almost never what a migration means and takes row locks on the whole table. Write WHERE true when you really mean all rows.",
				Level:     Error, Basic: Error, Example: "DELETE FROM sessions;"},
			stmt: func(c *ctx) {
				switch s := c.node.Node.(type) {
				case *pg_query.Node_UpdateStmt:
					if s.UpdateStmt.WhereClause == nil {
						c.report("%q requires WHERE clause", c.text())
					}
				case *pg_query.Node_DeleteStmt:
					if s.DeleteStmt.WhereClause == nil {
						c.report("%q requires WHERE clause", c.text())
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.where.require.select", Family: "statement", Title: "SELECT has a WHERE clause",
				Rationale: "A SELECT that reads a table without WHERE scans all of it; in migrations and data fixes that is usually a mistake that gets slower as the table grows. Subqueries are checked too.",
				Level:     Warning, Example: "SELECT id FROM users;"},
			stmt: func(c *ctx) {
				if c.node.GetSelectStmt() == nil {
					return
				}
				top := c.node.GetSelectStmt()
				for _, s := range c.facts().selects {
					if len(s.FromClause) == 0 || s.WhereClause != nil {
						continue
					}
					if s == top {
						c.report("%q requires WHERE clause", c.text())
					} else {
						c.report("a subquery of %q requires WHERE clause", c.text())
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.select.no-select-all", Family: "statement", Title: "No SELECT *",
				Rationale: "SELECT * returns whatever columns exist at run time: adding or reordering columns silently changes INSERT ... SELECT targets and view definitions, and reads more data than needed. List the columns.",
				Level:     Warning, Example: "INSERT INTO archive SELECT * FROM orders;"},
			stmt: func(c *ctx) {
				if !strings.Contains(c.st.Text, "*") {
					return
				}
			selects:
				for _, s := range c.facts().selects {
					for _, t := range s.TargetList {
						if rt := t.GetResTarget(); rt != nil {
							if cr := rt.Val.GetColumnRef(); cr != nil {
								for _, f := range cr.Fields {
									if f.GetAStar() != nil {
										c.reportAt(int(rt.Location), "%q uses SELECT all", c.text())
										continue selects
									}
								}
							}
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.where.no-leading-wildcard-like", Family: "statement", Title: "No leading wildcard in LIKE",
				Rationale: "A LIKE pattern starting with % cannot use a b-tree index, so the query scans the whole table. Use a trigram index (pg_trgm) or full-text search if you really need infix matching.",
				Level:     Warning, Example: "SELECT id FROM users WHERE email LIKE '%@example.com';"},
			stmt: func(c *ctx) {
				if !containsFoldASCII(c.st.Text, "like") {
					return
				}
				found := false
				for _, e := range c.facts().likes {
					if p, ok := constString(e.Rexpr); ok && strings.HasPrefix(p, "%") {
						found = true
					}
				}
				if found {
					c.report("%q uses leading wildcard LIKE", c.text())
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.disallow-on-del-cascade", Family: "statement", Title: "No ON DELETE CASCADE",
				Rationale: "ON DELETE CASCADE turns one DELETE into deletes across tables that nobody reviewed, under locks held until commit. Delete dependent rows explicitly, or use RESTRICT/SET NULL.",
				Level:     Warning, Example: "CREATE TABLE items (order_id bigint REFERENCES orders ON DELETE CASCADE);"},
			stmt: func(c *ctx) {
				found := false
				forEachNewConstraint(c, func(_ string, k *pg_query.Constraint, _ []string, _ int) {
					if k.Contype == pg_query.ConstrType_CONSTR_FOREIGN && k.FkDelAction == "c" {
						found = true
					}
				})
				if found {
					c.report("The CASCADE option is not permitted for ON DELETE clauses")
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.disallow-rm-tbl-cascade", Family: "statement", Title: "No DROP/TRUNCATE ... CASCADE",
				Rationale: "CASCADE on DROP TABLE or TRUNCATE silently extends the statement to every dependent object (views, foreign keys, referencing tables' rows). Name what you remove.",
				Level:     Error, Basic: Error, Example: "TRUNCATE orders CASCADE;"},
			stmt: func(c *ctx) {
				switch s := c.node.Node.(type) {
				case *pg_query.Node_TruncateStmt:
					if s.TruncateStmt.Behavior == pg_query.DropBehavior_DROP_CASCADE {
						c.report("The use of CASCADE is not permitted when removing a table")
					}
				case *pg_query.Node_DropStmt:
					if s.DropStmt.Behavior == pg_query.DropBehavior_DROP_CASCADE && s.DropStmt.RemoveType == pg_query.ObjectType_OBJECT_TABLE {
						c.report("The use of CASCADE is not permitted when removing a table")
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.disallow-truncate", Family: "statement", Title: "No TRUNCATE",
				Rationale: "TRUNCATE removes all rows without firing DELETE triggers (audit trails miss it), takes an ACCESS EXCLUSIVE lock, and with CASCADE or RESTART IDENTITY reaches further than it reads. Use DELETE with a WHERE clause for data changes.",
				Level:     Warning, Example: "TRUNCATE TABLE sessions;"},
			stmt: func(c *ctx) {
				ts := c.node.GetTruncateStmt()
				if ts == nil {
					return
				}
				extra := ""
				if ts.Behavior == pg_query.DropBehavior_DROP_CASCADE {
					extra += " CASCADE will wipe dependent tables."
				}
				if ts.RestartSeqs {
					extra += " RESTART IDENTITY will reset owned sequences."
				}
				for _, r := range ts.Relations {
					if rv := r.GetRangeVar(); rv != nil {
						c.reportAt(int(rv.Location), "TRUNCATE TABLE %q is not allowed: TRUNCATE bypasses DELETE triggers and locks the table exclusively.%s", relDisplay(rv), extra)
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.disallow-commit", Family: "statement", Title: "No COMMIT outside the file's own transaction blocks",
				Rationale: "Tidemark runs a migration in a transaction and records it in the history table in that same transaction. A COMMIT with no BEGIN of the file's own before it ends that transaction in the middle of the unit, so a later failure leaves a half-applied change recorded as nothing: an error (the runner refuses such a file). A COMMIT that closes the file's own BEGIN ... COMMIT block is the file managing its own transactions, which Tidemark's runner honours (each block runs as written, as a unit, and each statement outside a block alone): noted at info level.",
				Level:     Error, Basic: Error, Example: "CREATE TABLE t (id int); COMMIT; CREATE TABLE u (id int);"},
			stmt: func(c *ctx) {
				if ts := c.node.GetTransactionStmt(); ts != nil && ts.Kind == pg_query.TransactionStmtKind_TRANS_STMT_COMMIT {
					switch {
					case c.txOpen && c.opts.tidemarkRunner():
						c.reportInfo("COMMIT ends the transaction block the file opened at line %d: the file manages its own transactions, and Tidemark's runner runs each block as written, as a unit, and each statement outside a block alone", c.stmts[c.txBegin].Line)
					case c.txOpen:
						c.reportInfo("COMMIT ends the transaction block the file opened at line %d: the file manages its own transactions (fine for --runner other)", c.stmts[c.txBegin].Line)
					case c.opts.tidemarkRunner():
						c.report("COMMIT with no BEGIN before it would end the runner's own transaction in the middle of the file; remove it, or open the block with BEGIN (related statement: %q)", c.text())
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.merge-alter-table", Family: "statement", Title: "Merge ALTER TABLEs on the same table",
				Rationale: "Each ALTER TABLE takes the table's lock again and may rewrite or scan it again; one ALTER TABLE with several comma-separated actions does all of it in one pass under one lock.",
				Level:     Warning, Example: "ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD COLUMN b int;"},
			stmt: func(c *ctx) {
				st := ruleState(c, func() *map[string]*alterCount { m := map[string]*alterCount{}; return &m })
				key := ""
				switch s := c.node.Node.(type) {
				case *pg_query.Node_CreateStmt:
					key = tableKey(c, s.CreateStmt.Relation)
				case *pg_query.Node_AlterTableStmt:
					if s.AlterTableStmt.Objtype == pg_query.ObjectType_OBJECT_TABLE {
						key = tableKey(c, s.AlterTableStmt.Relation)
					}
				}
				if key == "" {
					return
				}
				e := (*st)[key]
				if e == nil {
					e = &alterCount{}
					(*st)[key] = e
				}
				e.count++
				e.last = c.i
			},
			finish: func(c *ctx) {
				v, ok := c.state[c.rule.ID]
				if !ok {
					return
				}
				m := *(v.(*map[string]*alterCount))
				for _, key := range sortedKeys(m) {
					if e := m[key]; e.count > 1 {
						c.reportStmt(e.last, false, "There are %d statements to modify table `%s`", e.count, key[strings.IndexByte(key, '.')+1:])
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.insert.must-specify-column", Family: "statement", Title: "INSERT lists its columns",
				Rationale: "INSERT without a column list depends on the table's physical column order: adding, dropping or reordering a column silently shifts values into the wrong columns or fails.",
				Level:     Warning, Basic: Warning, Example: "INSERT INTO users VALUES (1, 'a@example.com');"},
			stmt: func(c *ctx) {
				if is := c.node.GetInsertStmt(); is != nil && len(is.Cols) == 0 && is.SelectStmt != nil {
					c.report("The INSERT statement must specify columns but %q does not", c.text())
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.insert.disallow-order-by-rand", Family: "statement", Title: "No ORDER BY random() in INSERT",
				Rationale: "INSERT ... SELECT ... ORDER BY random() sorts the whole source to produce an order the table does not keep; it is slow and makes the change non-reproducible.",
				Level:     Warning, Example: "INSERT INTO sample SELECT id FROM users ORDER BY random() LIMIT 100;"},
			stmt: func(c *ctx) {
				is := c.node.GetInsertStmt()
				if is == nil || is.SelectStmt == nil {
					return
				}
				found := false
				for _, s := range c.facts().selects {
					for _, sb := range s.SortClause {
						if by := sb.GetSortBy(); by != nil {
							if fc := stripCasts(by.Node).GetFuncCall(); fc != nil {
								switch funcName(fc) {
								case "random", "random_between", "rand":
									found = true
								}
							}
						}
					}
				}
				if found {
					c.report("The INSERT statement uses ORDER BY random() or random_between(), related statement %q", c.text())
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.insert.row-limit", Family: "statement", Title: "INSERT row limit",
				Rationale: "Large inserts in a migration hold locks and bloat WAL in one transaction; load bulk data with COPY or in batches. VALUES lists are counted directly; INSERT ... SELECT is estimated with EXPLAIN when a database is connected.",
				Level:     Warning, Payload: PayloadNumber, Default: Payload{Number: 1000},
				Example: "INSERT INTO t (a) VALUES (1), (2), (3) /* ... */;"},
			stmt: func(c *ctx) {
				is := c.node.GetInsertStmt()
				if is == nil || is.SelectStmt == nil {
					return
				}
				sel := is.SelectStmt.GetSelectStmt()
				if sel != nil && len(sel.ValuesLists) > 0 {
					if n := len(sel.ValuesLists); n > c.payload.Number {
						c.report("The statement %q inserts %d rows. The count exceeds %d.", truncateText(c.text(), 200), n, c.payload.Number)
					}
					return
				}
				if c.opts.Live == nil || !c.targetsExisting(is.Relation) {
					return
				}
				rows, err := c.opts.Live.EstimateRows(c.gctx, c.text())
				if err == nil && rows > int64(c.payload.Number) {
					c.report("The statement %q inserts about %d rows (EXPLAIN estimate). The count exceeds %d.", truncateText(c.text(), 200), rows, c.payload.Number)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.affected-row-limit", Family: "statement", Title: "UPDATE/DELETE affected-row limit",
				Rationale: "An UPDATE or DELETE touching many rows holds row locks until commit, blocks concurrent writers and generates WAL in one burst. The planner's EXPLAIN estimate on the target flags statements above the limit so they can be batched. Needs a database.",
				Level:     Warning, Payload: PayloadNumber, Default: Payload{Number: 1000}, NeedsDatabase: true,
				Example: "UPDATE orders SET archived = true WHERE created_at < '2020-01-01';"},
			stmt: func(c *ctx) {
				var rv *pg_query.RangeVar
				switch s := c.node.Node.(type) {
				case *pg_query.Node_UpdateStmt:
					rv = s.UpdateStmt.Relation
				case *pg_query.Node_DeleteStmt:
					rv = s.DeleteStmt.Relation
				default:
					return
				}
				if c.opts.Live == nil || !c.targetsExisting(rv) {
					return
				}
				rows, err := c.opts.Live.EstimateRows(c.gctx, c.text())
				if err == nil && rows > int64(c.payload.Number) {
					c.report("The statement %q affects about %d rows (EXPLAIN estimate). The count exceeds %d.", truncateText(c.text(), 200), rows, c.payload.Number)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.dml-dry-run", Family: "statement", Title: "DML passes a dry run",
				Rationale: "EXPLAIN plans a statement against the real target without running it, catching missing columns, type mismatches and permission errors before rollout. Needs a database; statements on tables the script itself creates are skipped.",
				Level:     Error, Basic: Error, NeedsDatabase: true,
				Example: "UPDATE users SET emial = 'x' WHERE id = 1;"},
			stmt: func(c *ctx) {
				var rv *pg_query.RangeVar
				switch s := c.node.Node.(type) {
				case *pg_query.Node_InsertStmt:
					rv = s.InsertStmt.Relation
				case *pg_query.Node_UpdateStmt:
					rv = s.UpdateStmt.Relation
				case *pg_query.Node_DeleteStmt:
					rv = s.DeleteStmt.Relation
				default:
					return
				}
				if c.opts.Live == nil || !c.targetsExisting(rv) {
					return
				}
				if err := c.opts.Live.Explain(c.gctx, c.text()); err != nil {
					c.report("\"%s\" dry runs failed: %v", truncateText(c.text(), 200), err)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.disallow-add-column-with-default", Family: "statement", Title: "No table rewrite from ADD COLUMN",
				Rationale: "Before PostgreSQL 11 every ADD COLUMN ... DEFAULT rewrites the table under an ACCESS EXCLUSIVE lock. From 11 on a constant (or stable, like now()) default is stored once and costs nothing; a volatile default (random(), clock_timestamp(), gen_random_uuid(), nextval(), so serial and identity columns too) and a stored generated column still rewrite every row. The server version comes from --url, the environment's instance or --pg-version (default: the newest). Safe form: add the column without the default, set the default, backfill in batches.",
				Level:     Warning, Example: "ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();"},
			stmt: func(c *ctx) {
				forEachAddColumn(c, func(rv *pg_query.RangeVar, cd *pg_query.ColumnDef) {
					cons := colConstraints(cd)
					def := defaultExpr(cons)
					if v := c.opts.ServerVersion; v > 0 && v < 110000 {
						if def != nil {
							c.report("Adding column with DEFAULT will lock the whole table and rewrite each row on PostgreSQL before 11 (and on any version for a volatile default)")
						}
						return
					}
					if t := c.cat.resolve(rv.Schemaname, rv.Relname); t != nil && (t.created || t.Rows == 0) {
						return // nothing to rewrite
					}
					switch {
					case hasConstraint(cons, pg_query.ConstrType_CONSTR_GENERATED) != nil:
						c.reportAt(int(cd.Location), "Adding stored generated column %q rewrites table %s under an ACCESS EXCLUSIVE lock", cd.Colname, displayTable(rv))
					case isSerial(cd.TypeName) || hasConstraint(cons, pg_query.ConstrType_CONSTR_IDENTITY) != nil:
						c.reportAt(int(cd.Location), "Adding %s column %q fills it from a sequence, rewriting table %s under an ACCESS EXCLUSIVE lock", typeDisplay(cd.TypeName), cd.Colname, displayTable(rv))
					case def != nil:
						if fn := volatileCall(def); fn != "" {
							c.reportAt(int(cd.Location), "Adding column %q with volatile DEFAULT %s() rewrites table %s under an ACCESS EXCLUSIVE lock; add it without the default, set the default, then backfill in batches", cd.Colname, fn, displayTable(rv))
						}
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.add-check-not-valid", Family: "statement", Title: "Add CHECK constraints NOT VALID",
				Rationale: "ADD CONSTRAINT ... CHECK scans the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes. Add it NOT VALID (instant), then VALIDATE CONSTRAINT, which takes only a SHARE UPDATE EXCLUSIVE lock. Tables the script creates are exempt.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE t ADD CONSTRAINT positive CHECK (amount > 0);"},
			stmt: func(c *ctx) {
				forEachAddConstraint(c, func(rv *pg_query.RangeVar, k *pg_query.Constraint) {
					if k.Contype == pg_query.ConstrType_CONSTR_CHECK && !k.SkipValidation && !createdHere(c, rv) {
						c.report("Adding check constraints with validation will block reads and writes. You can add check constraints not valid and then validate separately")
					}
				})
				validateSameTx(c, "c")
			},
			finish: func(c *ctx) { reportValidateSameTx(c) },
		},
		{
			RuleInfo: RuleInfo{ID: "statement.add-foreign-key-not-valid", Family: "statement", Title: "Add foreign keys NOT VALID",
				Rationale: "ADD FOREIGN KEY scans the table to validate every row while holding SHARE ROW EXCLUSIVE locks on both tables, blocking writes to both. Add it NOT VALID, then VALIDATE CONSTRAINT separately.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);"},
			stmt: func(c *ctx) {
				forEachAddConstraint(c, func(_ *pg_query.RangeVar, k *pg_query.Constraint) {
					if k.Contype == pg_query.ConstrType_CONSTR_FOREIGN && !k.SkipValidation {
						c.report("Adding foreign keys with validation will block reads and writes. You can add foreign keys not valid and then validate separately")
					}
				})
				validateSameTx(c, "f")
			},
			finish: func(c *ctx) { reportValidateSameTx(c) },
		},
		{
			RuleInfo: RuleInfo{ID: "statement.disallow-add-not-null", Family: "statement", Title: "No SET NOT NULL on existing columns",
				Rationale: "ALTER COLUMN ... SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock. Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, and on PostgreSQL 12+ SET NOT NULL then skips the scan: a SET NOT NULL after a validated check of the column (earlier in the file, in an earlier file, or in the database with --url) is not flagged.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;"},
			stmt: func(c *ctx) {
				at := c.node.GetAlterTableStmt()
				if at == nil {
					return
				}
				t := c.cat.resolve(at.Relation.GetSchemaname(), at.Relation.GetRelname())
				for _, cmd := range alterCmds(at) {
					if cmd.Subtype == pg_query.AlterTableType_AT_SetNotNull {
						if v := c.opts.ServerVersion; t != nil && (v == 0 || v >= 120000) && t.provenNotNull(cmd.Name) {
							continue // a validated CHECK (col IS NOT NULL) lets SET NOT NULL skip the scan
						}
						c.report("Setting NOT NULL will block reads and writes. You can use CHECK (%q IS NOT NULL) instead", cmd.Name)
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.create-specify-schema", Family: "statement", Title: "CREATE TABLE names its schema",
				Rationale: "A table created without a schema lands in the first schema of search_path, which depends on the session. Write CREATE TABLE schema.table.",
				Level:     Warning, Example: "CREATE TABLE users (id bigint PRIMARY KEY);"},
			stmt: func(c *ctx) {
				if cs := c.node.GetCreateStmt(); cs != nil && cs.Relation.Schemaname == "" {
					c.report("Table schema should be specified.")
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.check-set-role-variable", Family: "statement", Title: "SET ROLE before changes",
				Rationale: "Objects are owned by the role that creates them. Starting the script with SET ROLE makes every object belong to the application's owner role instead of whoever happens to run the migration.",
				Level:     Warning, Example: "CREATE TABLE t (id int); -- without SET ROLE owner first"},
			stmt: func(c *ctx) {
				done := ruleState(c, func() *bool { b := false; return &b })
				if *done {
					return
				}
				if vs := c.node.GetVariableSetStmt(); vs != nil {
					if vs.Name == "role" {
						*done = true
					}
					return
				}
				if c.st.Kind == sqlparse.TransactionControl || c.st.Kind == sqlparse.MetaCommand {
					return
				}
				*done = true
				c.report("No SET ROLE statement found.")
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.non-transactional", Family: "statement", Title: "Non-transactional statements",
				Rationale: "Statements such as CREATE INDEX CONCURRENTLY, VACUUM or ALTER SYSTEM cannot run inside a transaction block, so they cannot be rolled back with the rest of the migration and must run alone. Review them deliberately.",
				Level:     Warning, Basic: Warning, Example: "CREATE INDEX CONCURRENTLY i ON t (a);"},
			stmt: func(c *ctx) {
				if nonTransactional(c) {
					c.report("This statement is non-transactional: %s cannot run inside a transaction block", c.st.Tag)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.object-owner-check", Family: "statement", Title: "Changed objects are owned by the current role",
				Rationale: "ALTER, DROP and CREATE INDEX on a table need ownership of it; a migration run by a role that does not own (or belong to the owner of) its tables fails at rollout. Needs a database to know owners and memberships.",
				Level:     Warning, NeedsDatabase: true, Example: "ALTER TABLE owned_by_someone_else ADD COLUMN x int;"},
			stmt: func(c *ctx) {
				if c.opts.Live == nil {
					return
				}
				var rv *pg_query.RangeVar
				switch s := c.node.Node.(type) {
				case *pg_query.Node_AlterTableStmt:
					rv = s.AlterTableStmt.Relation
				case *pg_query.Node_IndexStmt:
					rv = s.IndexStmt.Relation
				case *pg_query.Node_RenameStmt:
					rv = s.RenameStmt.Relation
				}
				if rv == nil {
					return
				}
				t := c.cat.resolve(rv.Schemaname, rv.Relname)
				if t == nil || t.created || t.Owner == "" {
					return
				}
				ok, err := c.opts.Live.IsMemberOf(c.gctx, t.Owner)
				if err == nil && !ok {
					c.report("Table %s is owned by %q; the current role does not own it and is not a member of its owner", t.qualified(), t.Owner)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.prior-backup-check", Family: "statement", Title: "Data changes contain only DML",
				Rationale: "Before a data change (UPDATE/DELETE) runs, the affected rows can be backed up so the change can be undone exactly. That only works when the script changes data alone: schema changes mixed in cannot be backed up or restored the same way. Split DDL into its own change.",
				Level:     Warning, Example: "CREATE TABLE t_backup (a int); DELETE FROM t WHERE a > 1;"},
			finish: func(c *ctx) {
				hasDataChange := false
				for i := range c.stmts {
					if t := c.stmts[i].Tag; t == "UPDATE" || t == "DELETE" {
						hasDataChange = true
					}
				}
				if !hasDataChange {
					return
				}
				for i := range c.stmts {
					st := &c.stmts[i]
					if st.Kind == sqlparse.DDL || st.Kind == sqlparse.DCL {
						c.reportStmt(i, false, "Data change can only run DML, %q is not DML", st.Text)
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.no-duplicate-column-assignment", Family: "statement", Title: "No column assigned twice",
				Rationale: "UPDATE ... SET a = 1, a = 2 and INSERT INTO t (a, a) fail at run time with \"multiple assignments to same column\" / \"column specified more than once\"; catching it in review saves a failed rollout.",
				Level:     Error, Basic: Error, Example: "UPDATE t SET a = 1, a = 2 WHERE id = 1;"},
			stmt: func(c *ctx) {
				var targets []*pg_query.Node
				verb := ""
				switch s := c.node.Node.(type) {
				case *pg_query.Node_UpdateStmt:
					targets, verb = s.UpdateStmt.TargetList, "assigned"
				case *pg_query.Node_InsertStmt:
					targets, verb = s.InsertStmt.Cols, "listed"
				default:
					return
				}
				seen := map[string]bool{}
				for _, t := range targets {
					rt := t.GetResTarget()
					if rt == nil {
						continue
					}
					name := rt.Name
					for _, ind := range rt.Indirection {
						if s := strVal(ind); s != "" {
							name += "." + s
						} else {
							name = "" // subscripts (a[1], a[2]) are distinct targets
						}
					}
					if name == "" {
						continue
					}
					if seen[name] {
						c.reportAt(int(rt.Location), "column %q is %s more than once", name, verb)
					}
					seen[name] = true
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.prefer-robust", Family: "statement", Title: "Prefer IF [NOT] EXISTS",
				Rationale: "A non-transactional step (CREATE INDEX CONCURRENTLY) or a retried migration may run a statement twice. IF NOT EXISTS / IF EXISTS make CREATE, DROP, ADD COLUMN and DROP COLUMN idempotent so a retry does not fail halfway.",
				Level:     Warning, Example: "CREATE INDEX CONCURRENTLY i ON t (a);"},
			stmt: func(c *ctx) {
				msg := ""
				switch s := c.node.Node.(type) {
				case *pg_query.Node_CreateStmt:
					if !s.CreateStmt.IfNotExists {
						msg = "CREATE TABLE without IF NOT EXISTS"
					}
				case *pg_query.Node_IndexStmt:
					if !s.IndexStmt.IfNotExists && s.IndexStmt.Idxname != "" {
						msg = "CREATE INDEX without IF NOT EXISTS"
					}
				case *pg_query.Node_DropStmt:
					if !s.DropStmt.MissingOk {
						msg = "DROP " + sqlparse.ObjectTypeName(s.DropStmt.RemoveType) + " without IF EXISTS"
					}
				case *pg_query.Node_AlterTableStmt:
					for _, cmd := range alterCmds(s.AlterTableStmt) {
						switch cmd.Subtype {
						case pg_query.AlterTableType_AT_AddColumn:
							if !cmd.MissingOk {
								msg = "ADD COLUMN without IF NOT EXISTS"
							}
						case pg_query.AlterTableType_AT_DropColumn:
							if !cmd.MissingOk {
								msg = "DROP COLUMN without IF EXISTS"
							}
						case pg_query.AlterTableType_AT_DropConstraint:
							if !cmd.MissingOk {
								msg = "DROP CONSTRAINT without IF EXISTS"
							}
						}
					}
				}
				if msg != "" {
					c.report("%s fails when the migration is retried; make it idempotent", msg)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.disallow-vacuum-full", Family: "statement", Title: "No VACUUM FULL",
				Rationale: "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock for its whole duration and needs disk space for a full copy; reads and writes stop. Use pg_repack or plain VACUUM.",
				Level:     Error, Basic: Error, Example: "VACUUM FULL orders;"},
			stmt: func(c *ctx) {
				if vs := c.node.GetVacuumStmt(); vs != nil && vs.IsVacuumcmd {
					for _, o := range vs.Options {
						if d := o.GetDefElem(); d != nil && d.Defname == "full" {
							c.report("VACUUM FULL locks the table exclusively while rewriting it")
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.disallow-cluster", Family: "statement", Title: "No CLUSTER",
				Rationale: "CLUSTER rewrites the table in index order under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole rewrite. Use pg_repack for online reordering.",
				Level:     Error, Basic: Error, Example: "CLUSTER orders USING orders_created_idx;"},
			stmt: func(c *ctx) {
				if c.node.GetClusterStmt() != nil {
					c.report("CLUSTER locks the table exclusively while rewriting it")
				}
			},
		},
	}
}

// nonTransactional is sqlparse.IsNonTransactional plus what needs the
// catalog: REINDEX TABLE and CLUSTER of a partitioned table cannot run in a
// transaction block either.
func nonTransactional(c *ctx) bool {
	if sqlparse.IsNonTransactional(c.node, c.opts.ServerVersion) {
		return true
	}
	partitioned := func(rv *pg_query.RangeVar) bool {
		t := c.cat.resolve(rv.GetSchemaname(), rv.GetRelname())
		return t != nil && t.Kind == "partitioned"
	}
	switch s := c.node.Node.(type) {
	case *pg_query.Node_ReindexStmt:
		return s.ReindexStmt.Kind == pg_query.ReindexObjectType_REINDEX_OBJECT_TABLE && partitioned(s.ReindexStmt.Relation)
	case *pg_query.Node_ClusterStmt:
		return s.ClusterStmt.Relation != nil && partitioned(s.ClusterStmt.Relation)
	}
	return false
}

// targetsExisting reports whether a DML target exists in the catalog and was
// not created by the script (so the live database can plan it).
func (c *ctx) targetsExisting(rv *pg_query.RangeVar) bool {
	if rv == nil {
		return false
	}
	t := c.cat.resolve(rv.Schemaname, rv.Relname)
	if t == nil {
		return !c.cat.Known // unknown catalog: let the database decide
	}
	return !t.created
}

func tableKey(c *ctx, rv *pg_query.RangeVar) string {
	if rv == nil {
		return ""
	}
	schema := rv.Schemaname
	if schema == "" {
		schema = c.cat.defaultSchema()
	}
	return schema + "." + rv.Relname
}

// forEachAddColumn calls fn for each ADD COLUMN of an ALTER TABLE.
func forEachAddColumn(c *ctx, fn func(rv *pg_query.RangeVar, cd *pg_query.ColumnDef)) {
	at := c.node.GetAlterTableStmt()
	if at == nil {
		return
	}
	for _, cmd := range alterCmds(at) {
		if cmd.Subtype == pg_query.AlterTableType_AT_AddColumn {
			if cd := cmd.Def.GetColumnDef(); cd != nil {
				fn(at.Relation, cd)
			}
		}
	}
}

// forEachAddConstraint calls fn for each ADD CONSTRAINT of an ALTER TABLE.
func forEachAddConstraint(c *ctx, fn func(rv *pg_query.RangeVar, k *pg_query.Constraint)) {
	at := c.node.GetAlterTableStmt()
	if at == nil {
		return
	}
	for _, cmd := range alterCmds(at) {
		if cmd.Subtype == pg_query.AlterTableType_AT_AddConstraint {
			if k := cmd.Def.GetConstraint(); k != nil {
				fn(at.Relation, k)
			}
		}
	}
}

// alterCount counts the statements changing one table (merge-alter-table).
type alterCount struct{ count, last int }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validateSameTx notes a VALIDATE CONSTRAINT of a constraint of type typ
// that the file added NOT VALID; reportValidateSameTx flags those that run
// in the same transaction as the ADD, which then holds its ACCESS EXCLUSIVE
// lock through the validating scan.
// createdHere reports whether rv is a table the script itself created (and
// so empty, and seen by nobody else yet).
func createdHere(c *ctx, rv *pg_query.RangeVar) bool {
	t := c.cat.resolve(rv.GetSchemaname(), rv.GetRelname())
	return t != nil && t.created
}

func validateSameTx(c *ctx, typ string) {
	at := c.node.GetAlterTableStmt()
	if at == nil {
		return
	}
	t := c.cat.resolve(at.Relation.GetSchemaname(), at.Relation.GetRelname())
	if t == nil || t.created {
		return
	}
	for _, cmd := range alterCmds(at) {
		if cmd.Subtype != pg_query.AlterTableType_AT_ValidateConstraint {
			continue
		}
		if k := t.Constraint(cmd.Name); k != nil && k.Type == typ && k.NotValid && k.addedAt >= 0 {
			p := ruleState(c, func() *[][2]int { return &[][2]int{} })
			*p = append(*p, [2]int{k.addedAt, c.i})
		}
	}
}

func reportValidateSameTx(c *ctx) {
	p := ruleState(c, func() *[][2]int { return &[][2]int{} })
	for _, v := range *p {
		if c.sameTransaction(v[0], v[1]) {
			c.reportStmt(v[1], false, "VALIDATE CONSTRAINT runs in the same transaction as the ADD CONSTRAINT ... NOT VALID on line %d, so the ACCESS EXCLUSIVE lock that ADD took is held through the validating scan. Validate in a later file (or, run by another tool, after a COMMIT)", c.stmts[v[0]].Line)
		}
	}
}
