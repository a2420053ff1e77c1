package review

import (
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

func systemRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: "system.charset.allowlist", Family: "system", Title: "Database encoding allow-list",
				Rationale: "A database created with an unexpected encoding (SQL_ASCII, LATIN1) cannot store all characters, and converting later means dump and reload. The list names the encodings CREATE DATABASE may use (case-insensitive).",
				Level:     Warning, Payload: PayloadList, Default: Payload{List: []string{"UTF8"}},
				Example: "CREATE DATABASE app ENCODING 'LATIN1';"},
			stmt: func(c *ctx) {
				cd := c.node.GetCreatedbStmt()
				if cd == nil {
					return
				}
				for _, o := range cd.Options {
					d := o.GetDefElem()
					if d == nil || d.Defname != "encoding" {
						continue
					}
					enc := strings.ToLower(strVal(d.Arg))
					if s, ok := constString(d.Arg); ok {
						enc = strings.ToLower(s)
					}
					if enc != "" && !containsFold(c.payload.List, enc) {
						c.report("%q used disabled encoding '%s'", cd.Dbname, enc)
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "system.collation.allowlist", Family: "system", Title: "Collation allow-list",
				Rationale: "Columns with ad-hoc collations sort and compare differently from the rest of the database, and libc/ICU collation changes across OS upgrades corrupt their indexes. The list names the collations column definitions may use.",
				Level:     Warning, Payload: PayloadList, Default: Payload{List: []string{"C", "POSIX", "default", "und-x-icu"}},
				Example: `ALTER TABLE t ADD COLUMN name text COLLATE "de_DE";`},
			stmt: func(c *ctx) {
				check := func(cc *pg_query.CollateClause) {
					if cc == nil {
						return
					}
					name := lastName(cc.Collname)
					if !containsFold(c.payload.List, name) {
						c.report("Use disabled collation %q, related statement %q", name, c.text())
					}
				}
				forEachColumnDef(c, func(d colDef) { check(d.cd.CollClause) })
				forEachTypeChange(c, func(tc typeChange) { check(tc.cd.CollClause) })
			},
		},
		{
			RuleInfo: RuleInfo{ID: "system.comment.length", Family: "system", Title: "Comment length limit",
				Rationale: "Comments are documentation, not storage; very long ones clutter every \\d+ listing and UI. The number is the longest COMMENT ON text allowed, in characters.",
				Level:     Warning, Payload: PayloadNumber, Default: Payload{Number: 256},
				Example: "COMMENT ON TABLE t IS '...a very long essay...';"},
			stmt: func(c *ctx) {
				if cs := c.node.GetCommentStmt(); cs != nil && utf8.RuneCountInString(cs.Comment) > c.payload.Number {
					c.report("The length of comment should be within %d characters", c.payload.Number)
				}
			},
		},
	}
}

func compatRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: "schema.backward-compatibility", Family: "compatibility", Title: "Backward-compatible schema changes",
				Rationale: "During a rollout the previous application version keeps running against the new schema. Dropping or renaming tables, columns, schemas or databases, changing column types, and adding primary/unique/foreign keys or CHECKs to existing tables (which reject writes the old code still makes) break it. Objects the script itself creates are exempt.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE users DROP COLUMN email;"},
			stmt: func(c *ctx) {
				existing := func(rv *pg_query.RangeVar) bool {
					if rv == nil {
						return false
					}
					t := c.cat.resolve(rv.Schemaname, rv.Relname)
					return t == nil || !t.created
				}
				flag := func() { c.report("%q may cause incompatibility with the existing data and code", c.text()) }
				switch s := c.node.Node.(type) {
				case *pg_query.Node_DropStmt:
					switch s.DropStmt.RemoveType {
					case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_SCHEMA,
						pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
						for _, o := range s.DropStmt.Objects {
							if l := o.GetList(); l != nil {
								if t := c.cat.resolve(schemaOf(l.Items), lastName(l.Items)); t != nil && t.created {
									continue
								}
							}
							flag()
							return
						}
						if len(s.DropStmt.Objects) > 0 && s.DropStmt.RemoveType == pg_query.ObjectType_OBJECT_SCHEMA {
							flag()
						}
					}
				case *pg_query.Node_DropdbStmt:
					flag()
				case *pg_query.Node_RenameStmt:
					switch s.RenameStmt.RenameType {
					case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_COLUMN, pg_query.ObjectType_OBJECT_VIEW,
						pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_SCHEMA:
						if s.RenameStmt.Relation == nil || existing(s.RenameStmt.Relation) {
							flag()
						}
					}
				case *pg_query.Node_AlterTableStmt:
					if !existing(s.AlterTableStmt.Relation) {
						return
					}
					for _, cmd := range alterCmds(s.AlterTableStmt) {
						switch cmd.Subtype {
						case pg_query.AlterTableType_AT_DropColumn, pg_query.AlterTableType_AT_AlterColumnType:
							flag()
							return
						case pg_query.AlterTableType_AT_AddConstraint:
							if k := cmd.Def.GetConstraint(); k != nil {
								switch k.Contype {
								case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_FOREIGN,
									pg_query.ConstrType_CONSTR_CHECK, pg_query.ConstrType_CONSTR_EXCLUSION:
									flag()
									return
								}
							}
						}
					}
				case *pg_query.Node_IndexStmt:
					if s.IndexStmt.Unique && existing(s.IndexStmt.Relation) {
						flag()
					}
				}
			},
		},
	}
}

func migrationRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: "domain.create-no-constraint", Family: "migration", Title: "No constraints on new domains",
				Rationale: "A domain CHECK is re-validated against every column using the domain whenever the domain changes, and adding one later scans all of them under locks. Put the constraint on the table columns instead.",
				Level:     Warning, Example: "CREATE DOMAIN positive AS int CHECK (VALUE > 0);"},
			stmt: func(c *ctx) {
				if cd := c.node.GetCreateDomainStmt(); cd != nil {
					for _, k := range cd.Constraints {
						if kc := k.GetConstraint(); kc != nil && kc.Contype == pg_query.ConstrType_CONSTR_CHECK {
							c.report("Domain %q has a CHECK constraint; prefer table constraints", nameList(cd.Domainname))
							return
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "domain.alter-no-add-constraint", Family: "migration", Title: "No ALTER DOMAIN ... ADD CONSTRAINT",
				Rationale: "ALTER DOMAIN ... ADD CONSTRAINT validates every column of every table that uses the domain while holding locks on them. Add it NOT VALID (new values are checked at once) and VALIDATE CONSTRAINT later, which does not block writes.",
				Level:     Warning, Basic: Warning, Example: "ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0);"},
			stmt: func(c *ctx) {
				if ad := c.node.GetAlterDomainStmt(); ad != nil && ad.Subtype == "C" && !ad.Def.GetConstraint().GetSkipValidation() {
					c.report("Adding a constraint to domain %q validates every column using it under lock", nameList(ad.TypeName))
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "database.disallow-drop", Family: "migration", Title: "No DROP DATABASE",
				Rationale: "DROP DATABASE deletes everything in it and cannot run inside a transaction, so it cannot be rolled back. It has no place in a migration.",
				Level:     Error, Basic: Error, Example: "DROP DATABASE app;"},
			stmt: func(c *ctx) {
				if dd := c.node.GetDropdbStmt(); dd != nil {
					c.report("DROP DATABASE %q deletes all its data and cannot be rolled back", dd.Dbname)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "table.detach-partition-concurrently", Family: "migration", Title: "DETACH PARTITION CONCURRENTLY",
				Rationale: "DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the partitioned table, blocking all queries on every partition. On PostgreSQL 14+ DETACH PARTITION ... CONCURRENTLY needs only SHARE UPDATE EXCLUSIVE (it must run outside a transaction block).",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE logs DETACH PARTITION logs_2020;"},
			stmt: func(c *ctx) {
				at := c.node.GetAlterTableStmt()
				if at == nil {
					return
				}
				for _, cmd := range alterCmds(at) {
					if cmd.Subtype == pg_query.AlterTableType_AT_DetachPartition {
						if pc := cmd.Def.GetPartitionCmd(); pc != nil && !pc.Concurrent {
							c.report("Detaching partition %q without CONCURRENTLY locks the whole partitioned table", pc.Name.GetRelname())
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "type.enum.add-value-ordering", Family: "migration", Title: "Enum values placed deliberately",
				Rationale: "Enum values sort in declaration order, and a plain ADD VALUE appends the new value after every existing one: range comparisons and ORDER BY on the type (status < 'shipped', a CHECK, a partial index) now treat it as the last value, which is often not where it belongs. ADD VALUE ... BEFORE/AFTER states the position (existing values keep their relative order). Confirm that the end is right, or name the neighbour.",
				Level:     Warning, Example: "ALTER TYPE status ADD VALUE 'paused';"},
			stmt: func(c *ctx) { enumAppend(c) },
		},
		{
			RuleInfo: RuleInfo{ID: "type.enum.require-value-ordering", Family: "migration", Title: "Enum values added with an explicit position",
				Rationale: "The same check as type.enum.add-value-ordering (ADD VALUE without BEFORE or AFTER appends the value at the end of the sort order), kept under this id for policies that name it. Enable one of the two.",
				Level:     Off, Example: "ALTER TYPE status ADD VALUE 'paused';"},
			stmt: func(c *ctx) { enumAppend(c) },
		},
		{
			RuleInfo: RuleInfo{ID: "statement.require-lock-timeout", Family: "migration", Title: "Set lock_timeout before taking locks",
				Rationale: "A DDL statement waiting for its lock (behind a long query) blocks every later query on the table, so a harmless migration can take an application down. SET lock_timeout first so it fails fast and can be retried. Waived for files run by Tidemark's runner, which sets lock_timeout and statement_timeout on every session itself; reported with --runner other (psql and other tools run the file as written).",
				Level:     Warning, Example: "ALTER TABLE users ADD COLUMN x int; -- no SET lock_timeout before"},
			stmt: func(c *ctx) { requireSetting(c, "lock_timeout") },
		},
		{
			RuleInfo: RuleInfo{ID: "statement.require-statement-timeout", Family: "migration", Title: "Set statement_timeout",
				Rationale: "A migration statement that runs far longer than expected (a table rewrite, a slow backfill) holds its locks the whole time. SET statement_timeout bounds the damage. Waived for files run by Tidemark's runner, which sets it on every session; reported with --runner other.",
				Level:     Warning, Example: "UPDATE big_table SET x = 1 WHERE y; -- no SET statement_timeout before"},
			stmt: func(c *ctx) { requireSetting(c, "statement_timeout") },
		},
	}
}

// requireSetting flags the first lock-taking statement (DDL, DML) that runs
// before SET <name> appears in the script.
func requireSetting(c *ctx, name string) {
	if c.opts.tidemarkRunner() {
		return // the runner sets lock_timeout and statement_timeout itself
	}
	done := ruleState(c, func() *bool { b := false; return &b })
	if *done {
		return
	}
	if vs := c.node.GetVariableSetStmt(); vs != nil {
		if vs.Name == name {
			*done = true
		}
		return
	}
	if c.st.Kind != sqlparse.DDL && c.st.Kind != sqlparse.DML {
		return
	}
	*done = true
	c.report("Statement runs before SET %s; a blocked lock wait would queue all queries on the table behind it", name)
}

func transactionRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: "statement.transaction-nesting", Family: "transaction", Title: "No nested or script-managed transactions",
				Rationale: "A BEGIN inside a block that is already open only warns (\"there is already a transaction in progress\") and its COMMIT then ends the outer block early: a bug whatever runs the file. A file may manage its own transactions with BEGIN ... COMMIT blocks, as psql-run migrations and Squawk's examples do: Tidemark's runner then runs each block as written, as a unit (recorded in the history inside the block), and each statement outside a block alone, and another tool runs it as written; that choice is noted at info level.",
				Level:     Warning, Basic: Warning, Example: "BEGIN; ALTER TABLE t ADD COLUMN x int; BEGIN; ALTER TABLE t ADD COLUMN y int; COMMIT; COMMIT;"},
			stmt: func(c *ctx) {
				ts := c.node.GetTransactionStmt()
				if ts == nil {
					return
				}
				switch ts.Kind {
				case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START:
					switch {
					case c.txOpen:
						c.report("BEGIN inside a transaction block that is already open")
					case !c.opts.tidemarkRunner():
						c.reportInfo("The file manages its own transaction from here (fine for --runner other)")
					default:
						c.reportInfo("The file manages its own transactions from here: Tidemark's runner runs each BEGIN ... COMMIT block as written, as a unit, and each statement outside a block alone")
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.uncommitted-transaction", Family: "transaction", Title: "No transaction left open",
				Rationale: "A script that BEGINs without COMMIT or ROLLBACK leaves the session inside a transaction: its changes and locks stay pending until the connection closes, and then are rolled back.",
				Level:     Error, Basic: Error, Example: "BEGIN; ALTER TABLE t ADD COLUMN x int;"},
			finish: func(c *ctx) {
				if c.txOpen && c.txBegin >= 0 {
					c.reportStmt(c.txBegin, false, "Transaction opened here is never committed or rolled back")
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "index.concurrently-in-transaction", Family: "transaction", Title: "No concurrent index operations in a transaction",
				Rationale: "CREATE/DROP INDEX CONCURRENTLY and REINDEX CONCURRENTLY cannot run inside a transaction block; inside BEGIN ... COMMIT they fail with SQLSTATE 25001 and abort the whole block.",
				Level:     Error, Basic: Error, Example: "BEGIN; CREATE INDEX CONCURRENTLY i ON t (a); COMMIT;"},
			stmt: func(c *ctx) {
				if !nonTransactional(c) {
					return
				}
				if c.txOpen {
					c.report("%s cannot run inside a transaction block (SQLSTATE 25001)", c.st.Tag)
				}
			},
		},
	}
}

const ruleUnusedIgnore = "review.unused-ignore"

func reviewRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: ruleUnusedIgnore, Family: "review", Title: "Suppressions that suppress nothing",
				Rationale: "A -- tidemark:ignore comment that matches no advice (the rule no longer fires, the id is misspelt, or it sits on the wrong statement) hides nothing today but will silently hide a real finding later. Remove or fix it.",
				Level:     Warning, Basic: Warning, Example: "-- tidemark:ignore table.require-pk\nCREATE TABLE t (id bigint PRIMARY KEY);"},
		},
		{
			RuleInfo: RuleInfo{ID: "statement.no-meta-command", Family: "review", Title: "No psql meta-commands",
				Rationale: "Lines starting with a backslash (\\connect, \\set, \\i) are instructions to psql, not SQL. Tidemark's runner sends SQL to the server and cannot execute them; write plain SQL or split the change per database. Files reviewed with --runner other (run by psql) may use them.",
				Level:     Error, Basic: Error, Example: "\\connect other_db"},
			meta: true,
			stmt: func(c *ctx) {
				if c.st.Kind == sqlparse.MetaCommand && c.opts.tidemarkRunner() {
					c.report("psql meta-command %s is not supported: migrations must be plain SQL", c.st.Tag)
				}
			},
		},
	}
}

// enumAppend flags ALTER TYPE ... ADD VALUE without BEFORE or AFTER.
func enumAppend(c *ctx) {
	if ae := c.node.GetAlterEnumStmt(); ae != nil && ae.OldVal == "" && ae.NewVal != "" && ae.NewValNeighbor == "" {
		c.report("ADD VALUE %q without BEFORE or AFTER appends it after every existing value of %s: comparisons and ORDER BY treat it as the last one", ae.NewVal, nameList(ae.TypeName))
	}
}
