package review

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// indexDef is an index a statement creates (CREATE INDEX or a PK/UNIQUE constraint).
type indexDef struct {
	table string
	name  string
	kind  string // "PRIMARY KEY", "UNIQUE KEY", "INDEX", "FOREIGN KEY"
	cols  []string
	loc   int
}

// forEachIndexDef calls fn for each key a statement defines.
func forEachIndexDef(c *ctx, withFK bool, fn func(d indexDef)) {
	if is := c.node.GetIndexStmt(); is != nil {
		fn(indexDef{table: is.Relation.Relname, name: is.Idxname, kind: "INDEX", cols: indexColumns(is), loc: -1})
		return
	}
	forEachNewConstraint(c, func(table string, k *pg_query.Constraint, cols []string, loc int) {
		keys := keyNames(k.Keys)
		if len(keys) == 0 {
			keys = cols
		}
		switch k.Contype {
		case pg_query.ConstrType_CONSTR_PRIMARY:
			if k.Indexname == "" {
				fn(indexDef{table: table, name: k.Conname, kind: "PRIMARY KEY", cols: keys, loc: loc})
			}
		case pg_query.ConstrType_CONSTR_UNIQUE:
			if k.Indexname == "" {
				fn(indexDef{table: table, name: k.Conname, kind: "UNIQUE KEY", cols: keys, loc: loc})
			}
		case pg_query.ConstrType_CONSTR_FOREIGN:
			if withFK {
				fk := keyNames(k.FkAttrs)
				if len(fk) == 0 {
					fk = cols
				}
				fn(indexDef{table: table, name: k.Conname, kind: "FOREIGN KEY", cols: fk, loc: loc})
			}
		}
	})
}

func indexRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: "index.no-duplicate-column", Family: "index", Title: "No duplicate columns in keys",
				Rationale: "A column listed twice in an index or key adds nothing but size; it is always a typo for another column.",
				Level:     Error, Basic: Error, Example: "CREATE INDEX i ON t (a, a);"},
			stmt: func(c *ctx) {
				forEachIndexDef(c, true, func(d indexDef) {
					seen := map[string]bool{}
					for _, col := range d.cols {
						if col == "" {
							continue
						}
						if seen[col] {
							c.reportAt(d.loc, "%s %q has duplicate column \"%s\".\"%s\"", d.kind, d.name, d.table, col)
							return
						}
						seen[col] = true
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "index.key-number-limit", Family: "index", Title: "Index key count limit",
				Rationale: "Wide composite indexes are large, slow to maintain on every write, and rarely used beyond their leading columns. The number is the most key columns an index or key may have.",
				Level:     Warning, Payload: PayloadNumber, Default: Payload{Number: 5},
				Example: "CREATE INDEX i ON t (a, b, c, d, e, f);"},
			stmt: func(c *ctx) {
				forEachIndexDef(c, false, func(d indexDef) {
					if len(d.cols) > c.payload.Number {
						c.reportAt(d.loc, "The number of keys of index %q in table %q should be not greater than %d", d.name, d.table, c.payload.Number)
					}
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "index.total-number-limit", Family: "index", Title: "Indexes per table limit",
				Rationale: "Every index slows every INSERT and most UPDATEs of its table and competes for cache. The check counts the simulated final state (existing indexes plus those the script adds, minus those it drops) of each table the script touches.",
				Level:     Warning, Payload: PayloadNumber, Default: Payload{Number: 10},
				Example: "CREATE INDEX i11 ON t (k); -- the table's 11th index"},
			finish: func(c *ctx) {
				for _, t := range c.cat.Tables() {
					if t.lastTouch >= 0 && len(t.Indexes) > c.payload.Number {
						c.reportStmt(t.lastTouch, true, "The count of index in table %s should be no more than %d, but found %d", t.qualified(), c.payload.Number, len(t.Indexes))
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "index.primary-key-type-allowlist", Family: "index", Title: "Primary key type allow-list",
				Rationale: "Primary keys of unexpected types (text, varchar, numeric, floating point) are slow to compare, large to reference from other tables, and hard to change later. The list names the types primary key columns may use (aliases such as int and integer are resolved).",
				Level:     Warning, Payload: PayloadList, Default: Payload{List: []string{"bigint", "bigserial", "uuid", "integer", "serial"}},
				Example: "CREATE TABLE t (code varchar(20) PRIMARY KEY);"},
			stmt: func(c *ctx) {
				allowed := func(base string) bool {
					for _, a := range c.payload.List {
						if canonicalType(a) == base {
							return true
						}
					}
					return false
				}
				report := func(col, typ string, loc int) {
					c.reportAt(loc, "The column %q is one of the primary key, but its type %q is not in allowlist", col, typ)
				}
				switch s := c.node.Node.(type) {
				case *pg_query.Node_CreateStmt:
					cols, cons := tableElts(s.CreateStmt)
					pk := primaryKeyColumns(cons)
					for _, cd := range cols {
						if pk[cd.Colname] || hasConstraint(colConstraints(cd), pg_query.ConstrType_CONSTR_PRIMARY) != nil {
							if !allowed(typeBase(cd.TypeName)) {
								report(cd.Colname, typeDisplay(cd.TypeName), int(cd.Location))
							}
						}
					}
				case *pg_query.Node_AlterTableStmt:
					t := c.cat.resolve(s.AlterTableStmt.Relation.Schemaname, s.AlterTableStmt.Relation.Relname)
					forEachNewConstraint(c, func(_ string, k *pg_query.Constraint, cols []string, loc int) {
						if k.Contype != pg_query.ConstrType_CONSTR_PRIMARY || t == nil {
							return
						}
						keys := keyNames(k.Keys)
						if k.Indexname != "" {
							if ix := t.Index(k.Indexname); ix != nil {
								keys = ix.Columns
							}
						}
						for _, col := range keys {
							if cc := t.Column(col); cc != nil && !allowed(canonicalType(stripTypmod(cc.Type))) {
								report(col, cc.Type, loc)
							}
						}
					})
					forEachAddColumn(c, func(_ *pg_query.RangeVar, cd *pg_query.ColumnDef) {
						if hasConstraint(colConstraints(cd), pg_query.ConstrType_CONSTR_PRIMARY) != nil && !allowed(typeBase(cd.TypeName)) {
							report(cd.Colname, typeDisplay(cd.TypeName), int(cd.Location))
						}
					})
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "index.create-concurrently", Family: "index", Title: "CREATE INDEX CONCURRENTLY on existing tables",
				Rationale: "A plain CREATE INDEX holds a SHARE lock for the whole build, blocking every INSERT, UPDATE and DELETE on the table. CONCURRENTLY builds without blocking writes. Tables the script itself creates are exempt: they are empty and nobody else sees them yet.",
				Level:     Error, Basic: Error, Example: "CREATE INDEX orders_user_idx ON orders (user_id);"},
			stmt: func(c *ctx) {
				is := c.node.GetIndexStmt()
				if is == nil || is.Concurrent {
					return
				}
				if t := c.cat.resolve(is.Relation.Schemaname, is.Relation.Relname); t != nil && t.created {
					return
				}
				c.report("Creating indexes will block writes on the table, unless use CONCURRENTLY")
			},
		},
		{
			RuleInfo: RuleInfo{ID: "index.drop-concurrently", Family: "index", Title: "DROP INDEX CONCURRENTLY",
				Rationale: "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table, queueing every query behind it (and behind any long query already running). DROP INDEX CONCURRENTLY waits for conflicting transactions instead of blocking new ones.",
				Level:     Warning, Basic: Warning, Example: "DROP INDEX orders_user_idx;"},
			stmt: func(c *ctx) {
				ds := c.node.GetDropStmt()
				if ds == nil || ds.RemoveType != pg_query.ObjectType_OBJECT_INDEX || ds.Concurrent {
					return
				}
				for _, o := range ds.Objects {
					l := o.GetList()
					if l == nil {
						continue
					}
					schema := schemaOf(l.Items)
					if schema == "" {
						schema = c.cat.defaultSchema()
					}
					if t := c.cat.IndexTable(schema, lastName(l.Items)); t != nil && t.created {
						continue
					}
					c.report("Dropping index %q without CONCURRENTLY locks the table exclusively", nameList(l.Items))
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "index.reindex-concurrently", Family: "index", Title: "REINDEX CONCURRENTLY",
				Rationale: "REINDEX locks out writes (and, for the index being rebuilt, reads that use it) for the whole rebuild. REINDEX CONCURRENTLY (PostgreSQL 12+) rebuilds without blocking.",
				Level:     Warning, Basic: Warning, Example: "REINDEX INDEX orders_user_idx;"},
			stmt: func(c *ctx) {
				rs := c.node.GetReindexStmt()
				if rs == nil {
					return
				}
				for _, p := range rs.Params {
					if d := p.GetDefElem(); d != nil && d.Defname == "concurrently" {
						return
					}
				}
				c.report("REINDEX without CONCURRENTLY blocks writes to the table while it rebuilds")
			},
		},
		{
			RuleInfo: RuleInfo{ID: "index.add-primary-key-using-index", Family: "index", Title: "Add primary keys USING INDEX",
				Rationale: "ALTER TABLE ... ADD PRIMARY KEY builds the key's index while holding an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole build. Build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which is instant. Tables the script creates are exempt.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE orders ADD PRIMARY KEY (id);"},
			stmt: constraintBuildsIndex(pg_query.ConstrType_CONSTR_PRIMARY,
				"Adding a primary key builds its index under an ACCESS EXCLUSIVE lock; create a unique index CONCURRENTLY and use ADD PRIMARY KEY USING INDEX"),
		},
		{
			RuleInfo: RuleInfo{ID: "index.unique-constraint-use-index", Family: "index", Title: "Add unique constraints USING INDEX",
				Rationale: "ALTER TABLE ... ADD UNIQUE builds its index under an ACCESS EXCLUSIVE lock. Create the unique index CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX. Tables the script creates are exempt.",
				Level:     Warning, Basic: Warning, Example: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);"},
			stmt: constraintBuildsIndex(pg_query.ConstrType_CONSTR_UNIQUE,
				"Adding a unique constraint builds its index under an ACCESS EXCLUSIVE lock; create a unique index CONCURRENTLY and use ADD CONSTRAINT ... UNIQUE USING INDEX"),
		},
		{
			RuleInfo: RuleInfo{ID: "index.no-redundant", Family: "index", Title: "No redundant indexes",
				Rationale: "An index whose key columns equal, or are a leading prefix of, another index on the same table is redundant for lookups: it costs writes and cache for nothing. The check runs against the simulated catalog, so indexes from earlier migrations count.",
				Level:     Warning, Basic: Warning, Example: "CREATE INDEX i2 ON t (a); -- t already has an index on (a, b)"},
			stmt: func(c *ctx) {
				is := c.node.GetIndexStmt()
				if is == nil || is.WhereClause != nil {
					return
				}
				t := c.cat.resolve(is.Relation.Schemaname, is.Relation.Relname)
				if t == nil {
					return
				}
				cols := indexColumns(is)
				if len(cols) == 0 || containsString(cols, "") {
					return
				}
				for _, ix := range t.Indexes {
					if len(ix.Columns) < len(cols) || containsString(ix.Columns, "") {
						continue
					}
					if strings.Join(ix.Columns[:len(cols)], "\x00") == strings.Join(cols, "\x00") && (!is.Unique || ix.Unique && len(ix.Columns) == len(cols)) {
						c.report("Index on (%s) is redundant: index %q on table %q already covers these columns", strings.Join(cols, ", "), ix.Name, t.Name)
						return
					}
				}
			},
		},
	}
}

// stripTypmod removes "(...)" and array brackets from a displayed type.
func stripTypmod(s string) string {
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, "[]")
}

// constraintBuildsIndex reports ALTER TABLE on a table the script did not
// create adding a constraint of type ct that builds its own index (no USING
// INDEX), which holds an ACCESS EXCLUSIVE lock for the whole build.
func constraintBuildsIndex(ct pg_query.ConstrType, msg string) func(c *ctx) {
	return func(c *ctx) {
		at := c.node.GetAlterTableStmt()
		if at == nil {
			return
		}
		if t := c.cat.resolve(at.Relation.Schemaname, at.Relation.Relname); t != nil && t.created {
			return
		}
		forEachNewConstraint(c, func(_ string, k *pg_query.Constraint, _ []string, loc int) {
			if k.Contype == ct && k.Indexname == "" {
				c.reportAt(loc, "%s", msg)
			}
		})
	}
}
