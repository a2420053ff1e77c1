package review

import (
	"regexp"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

const snakeCase = `^[a-z]+(_[a-z]+)*$`

func namingRules() []*rule {
	return []*rule{
		{
			RuleInfo: RuleInfo{ID: "naming.table", Family: "naming", Title: "Table naming convention",
				Rationale: "Consistent table names make schemas predictable to read and to query: one case style, no quoting needed, and a bounded length so names survive tools that truncate. The format is a regular expression every new or renamed table must match; maxLength caps the name length (0 = no cap).",
				Level:     Warning, Payload: PayloadRegex, Default: Payload{Format: snakeCase, MaxLength: 63},
				Example: `CREATE TABLE "UserAccounts" (id bigint PRIMARY KEY);`},
			stmt: func(c *ctx) {
				forEachNewTableName(c, func(name string, loc int) {
					checkName(c, loc, name, "table", `"`+name+`"`)
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "naming.column", Family: "naming", Title: "Column naming convention",
				Rationale: "Column names in one style avoid quoting mistakes (\"userId\" vs userid) and make generated code and ad-hoc queries agree. The format is a regular expression every new or renamed column must match; maxLength caps the length (0 = no cap).",
				Level:     Warning, Payload: PayloadRegex, Default: Payload{Format: snakeCase, MaxLength: 63},
				Example: `ALTER TABLE t ADD COLUMN "createdAt" timestamptz;`},
			stmt: func(c *ctx) {
				forEachNewColumn(c, func(table, col string, loc int) {
					checkName(c, loc, col, "column", `"`+table+`"."`+col+`"`)
				})
			},
		},
		namingIndexRule("naming.index.idx", "Index naming convention", "idx", "^$|^idx_{{table}}_{{column_list}}$",
			"Indexes named after their table and columns tell what they cover in EXPLAIN output and in error messages, and avoid collisions between tables. The format is a regular expression with {{table}} and {{column_list}} (columns joined by _); ^$ accepts unnamed indexes, which PostgreSQL names itself.",
			"CREATE INDEX by_email ON users (email);"),
		namingIndexRule("naming.index.pk", "Primary key naming convention", "pk", "^$|^pk_{{table}}_{{column_list}}$",
			"A predictable primary key name makes constraint errors and later ALTER statements readable. The format is a regular expression with {{table}} and {{column_list}}; ^$ accepts unnamed keys.",
			"ALTER TABLE users ADD CONSTRAINT users_key PRIMARY KEY (id);"),
		namingIndexRule("naming.index.uk", "Unique key naming convention", "uk", "^$|^uk_{{table}}_{{column_list}}$",
			"Unique constraints and unique indexes surface their names in duplicate-key errors users see; a convention makes those errors self-explanatory. The format is a regular expression with {{table}} and {{column_list}}; ^$ accepts unnamed keys.",
			"CREATE UNIQUE INDEX email_unique ON users (email);"),
		{
			RuleInfo: RuleInfo{ID: "naming.index.fk", Family: "naming", Title: "Foreign key naming convention",
				Rationale: "Foreign key names appear in violation errors; naming them after both ends says which relationship broke. The format is a regular expression with {{referencing_table}}, {{referencing_column}}, {{referenced_table}} and {{referenced_column}}; ^$ accepts unnamed keys.",
				Level:     Warning, Payload: PayloadTemplate,
				Default:      Payload{Format: "^$|^fk_{{referencing_table}}_{{referencing_column}}_{{referenced_table}}_{{referenced_column}}$", MaxLength: 63},
				Placeholders: []string{"referencing_table", "referencing_column", "referenced_table", "referenced_column"},
				Example:      "ALTER TABLE orders ADD CONSTRAINT user_ref FOREIGN KEY (user_id) REFERENCES users (id);"},
			stmt: func(c *ctx) {
				forEachNewConstraint(c, func(table string, k *pg_query.Constraint, cols []string, loc int) {
					if k.Contype != pg_query.ConstrType_CONSTR_FOREIGN {
						return
					}
					fkCols := keyNames(k.FkAttrs)
					if len(fkCols) == 0 {
						fkCols = cols
					}
					refTable := ""
					if k.Pktable != nil {
						refTable = k.Pktable.Relname
					}
					vals := map[string]string{"referencing_table": table, "referencing_column": strings.Join(fkCols, "_"),
						"referenced_table": refTable, "referenced_column": strings.Join(keyNames(k.PkAttrs), "_")}
					checkTemplate(c, loc, k.Conname, vals, "Foreign key", table)
				})
			},
		},
		{
			RuleInfo: RuleInfo{ID: "naming.fully-qualified", Family: "naming", Title: "Fully qualified object names",
				Rationale: "An unqualified name resolves through search_path, which differs between sessions, roles and tools; the same migration can then create or change objects in a different schema than intended. Writing schema.object makes the target explicit.",
				Level:     Warning,
				Example:   "CREATE TABLE users (id bigint PRIMARY KEY);"},
			stmt: func(c *ctx) {
				if c.node == nil {
					return
				}
				for _, name := range unqualifiedRelations(c, c.facts()) {
					c.reportStmt(c.i, true, "unqualified object name: '%s'", name)
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "table.drop-naming-convention", Family: "naming", Title: "Only drop tables named for deletion",
				Rationale: "Requiring a table to be renamed (e.g. to *_delete) before it is dropped splits a destructive change in two: the rename breaks any remaining user loudly but reversibly, and the drop follows once nothing complained. The format is a regular expression the dropped table's name must match.",
				Level:     Warning, Payload: PayloadRegex, Default: Payload{Format: "_del$"},
				Example: "DROP TABLE users;"},
			stmt: func(c *ctx) {
				ds := c.node.GetDropStmt()
				if ds == nil || ds.RemoveType != pg_query.ObjectType_OBJECT_TABLE {
					return
				}
				re, err := c.regexp(c.payload.Format)
				if err != nil {
					return
				}
				for _, o := range ds.Objects {
					if l := o.GetList(); l != nil {
						name := lastName(l.Items)
						if !re.MatchString(name) {
							c.report("`%s` mismatches drop table naming convention, naming format should be %q", name, c.payload.Format)
						}
					}
				}
			},
		},
		{
			RuleInfo: RuleInfo{ID: "naming.identifier.max-length", Family: "naming", Title: "Identifiers fit in 63 bytes",
				Rationale: "PostgreSQL silently truncates identifiers longer than NAMEDATALEN-1 (63 bytes) with only a NOTICE, so two long names can collide and the name in the catalog differs from the one in the migration. Keep identifiers within the limit (the payload, in bytes).",
				Level:     Error, Basic: Error, Payload: PayloadNumber, Default: Payload{Number: 63},
				Example: "CREATE TABLE customer_subscription_billing_address_history_archive_2024_q1 (id bigint);"},
			stmt: func(c *ctx) {
				for _, id := range newIdentifiers(c.node) {
					id.name = fullIdent(c, id.name)
					if len(id.name) > c.payload.Number {
						c.reportAt(id.loc, "identifier %q is %d bytes long; PostgreSQL truncates names to %d bytes", id.name, len(id.name), c.payload.Number)
					}
				}
			},
		},
	}
}

// fullIdent undoes the parser's truncation of identifiers to 63 bytes by
// finding the identifier in the statement's source.
func fullIdent(c *ctx, name string) string {
	if len(name) < 63 {
		return name
	}
	text := c.st.Text
	lower := strings.ToLower(text)
	for from := 0; ; {
		k := strings.Index(lower[from:], strings.ToLower(name))
		if k < 0 {
			return name
		}
		k += from
		if k > 0 && isIdentByte(text[k-1]) {
			from = k + 1
			continue
		}
		e := k + len(name)
		for e < len(text) && isIdentByte(text[e]) {
			e++
		}
		full := text[k:e]
		if k > 0 && text[k-1] == '"' {
			return full
		}
		return strings.ToLower(full)
	}
}

func isIdentByte(b byte) bool {
	return b == '_' || b == '$' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// checkName matches a name against the rule's regex and max length.
func checkName(c *ctx, loc int, name, what, display string) {
	name = fullIdent(c, name)
	re, err := c.regexp(c.payload.Format)
	if err != nil {
		return
	}
	if !re.MatchString(name) {
		c.reportAt(loc, "%s mismatches %s naming convention, naming format should be %q", display, what, c.payload.Format)
	}
	if c.payload.MaxLength > 0 && len(name) > c.payload.MaxLength {
		c.reportAt(loc, "%s mismatches %s naming convention, its length should be within %d characters", display, what, c.payload.MaxLength)
	}
}

// expandTemplate replaces {{name}} placeholders with the quoted values.
func expandTemplate(format string, vals map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(format, func(m string) string {
		key := placeholderRE.FindStringSubmatch(m)[1]
		return regexp.QuoteMeta(vals[key])
	})
}

func checkTemplate(c *ctx, loc int, name string, vals map[string]string, what, table string) {
	expected := expandTemplate(c.payload.Format, vals)
	var ok bool
	if lit, allowEmpty, simple := literalTemplate(c.payload.Format); simple {
		// The common shape (^$|)^literal{{placeholders}}$ needs no regex.
		want := placeholderRE.ReplaceAllStringFunc(lit, func(m string) string { return vals[placeholderRE.FindStringSubmatch(m)[1]] })
		ok = name == want || allowEmpty && name == ""
	} else {
		re, err := c.regexp(expected)
		if err != nil {
			return
		}
		ok = re.MatchString(name)
	}
	if !ok {
		c.reportAt(loc, "%s in table %q mismatches the naming convention, expect %q but found %q", what, table, expected, name)
	}
	if c.payload.MaxLength > 0 && len(name) > c.payload.MaxLength {
		c.reportAt(loc, "%s %q in table %q mismatches the naming convention, its length should be within %d characters", what, name, table, c.payload.MaxLength)
	}
}

// literalTemplate recognises formats of the form "^$|^body$" or "^body$"
// whose body is literal text and placeholders only.
func literalTemplate(format string) (body string, allowEmpty, ok bool) {
	f := format
	if strings.HasPrefix(f, "^$|") {
		f, allowEmpty = f[3:], true
	}
	if len(f) < 2 || f[0] != '^' || f[len(f)-1] != '$' {
		return "", false, false
	}
	body = f[1 : len(f)-1]
	if strings.ContainsAny(placeholderRE.ReplaceAllString(body, ""), `\.+*?()|[]{}^$`) {
		return "", false, false
	}
	return body, allowEmpty, true
}

// namingIndexRule builds the idx/pk/uk naming rules, which share their logic.
func namingIndexRule(id, title, kind, format, rationale, example string) *rule {
	what := map[string]string{"idx": "Index", "pk": "Primary key", "uk": "Unique key"}[kind]
	return &rule{
		RuleInfo: RuleInfo{ID: id, Family: "naming", Title: title, Rationale: rationale, Level: Warning,
			Payload: PayloadTemplate, Default: Payload{Format: format, MaxLength: 63},
			Placeholders: []string{"table", "column_list"}, Example: example},
		stmt: func(c *ctx) {
			check := func(loc int, name, table string, cols []string) {
				checkTemplate(c, loc, name, map[string]string{"table": table, "column_list": strings.Join(cols, "_")}, what, table)
			}
			switch s := c.node.Node.(type) {
			case *pg_query.Node_IndexStmt:
				is := s.IndexStmt
				if (kind == "uk") == is.Unique && kind != "pk" {
					check(-1, is.Idxname, is.Relation.Relname, indexColumns(is))
				}
			case *pg_query.Node_RenameStmt:
				rs := s.RenameStmt
				switch rs.RenameType {
				case pg_query.ObjectType_OBJECT_INDEX:
					schema := rs.Relation.Schemaname
					if schema == "" {
						schema = c.cat.defaultSchema()
					}
					t := c.cat.IndexTable(schema, rs.Relation.Relname)
					if t == nil {
						return
					}
					ix := t.Index(rs.Relation.Relname)
					if ix != nil && indexKind(t, ix) == kind {
						check(-1, rs.Newname, t.Name, ix.Columns)
					}
				case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
					t := c.cat.resolve(rs.Relation.Schemaname, rs.Relation.Relname)
					if t == nil {
						return
					}
					k := t.Constraint(rs.Subname)
					if k != nil && (k.Type == "p" && kind == "pk" || k.Type == "u" && kind == "uk") {
						check(-1, rs.Newname, t.Name, k.Columns)
					}
				}
			}
			if kind == "idx" {
				return
			}
			forEachNewConstraint(c, func(table string, k *pg_query.Constraint, cols []string, loc int) {
				want := pg_query.ConstrType_CONSTR_PRIMARY
				if kind == "uk" {
					want = pg_query.ConstrType_CONSTR_UNIQUE
				}
				if k.Contype != want {
					return
				}
				keys := keyNames(k.Keys)
				if len(keys) == 0 {
					keys = cols
				}
				if k.Indexname != "" {
					if t := c.cat.resolve(schemaOfStmt(c), table); t != nil {
						if ix := t.Index(k.Indexname); ix != nil {
							keys = ix.Columns
						}
					}
				}
				check(loc, k.Conname, table, keys)
			})
		},
	}
}

func schemaOfStmt(c *ctx) string {
	if at := c.node.GetAlterTableStmt(); at != nil && at.Relation != nil {
		return at.Relation.Schemaname
	}
	if cs := c.node.GetCreateStmt(); cs != nil && cs.Relation != nil {
		return cs.Relation.Schemaname
	}
	return ""
}

// indexKind classifies an index as pk, uk or idx.
func indexKind(t *Table, ix *Index) string {
	switch {
	case ix.Primary:
		return "pk"
	case ix.Unique:
		return "uk"
	}
	return "idx"
}

// forEachNewTableName calls fn for each table a statement creates or renames to.
func forEachNewTableName(c *ctx, fn func(name string, loc int)) {
	switch s := c.node.Node.(type) {
	case *pg_query.Node_CreateStmt:
		fn(s.CreateStmt.Relation.Relname, -1)
	case *pg_query.Node_CreateTableAsStmt:
		if s.CreateTableAsStmt.Objtype == pg_query.ObjectType_OBJECT_TABLE && s.CreateTableAsStmt.Into != nil {
			fn(s.CreateTableAsStmt.Into.Rel.Relname, -1)
		}
	case *pg_query.Node_RenameStmt:
		if s.RenameStmt.RenameType == pg_query.ObjectType_OBJECT_TABLE {
			fn(s.RenameStmt.Newname, -1)
		}
	}
}

// forEachNewColumn calls fn for each column a statement adds or renames to.
func forEachNewColumn(c *ctx, fn func(table, col string, loc int)) {
	switch s := c.node.Node.(type) {
	case *pg_query.Node_CreateStmt:
		cols, _ := tableElts(s.CreateStmt)
		for _, cd := range cols {
			fn(s.CreateStmt.Relation.Relname, cd.Colname, int(cd.Location))
		}
	case *pg_query.Node_AlterTableStmt:
		for _, cmd := range alterCmds(s.AlterTableStmt) {
			if cmd.Subtype == pg_query.AlterTableType_AT_AddColumn {
				if cd := cmd.Def.GetColumnDef(); cd != nil {
					fn(s.AlterTableStmt.Relation.Relname, cd.Colname, int(cd.Location))
				}
			}
		}
	case *pg_query.Node_RenameStmt:
		if s.RenameStmt.RenameType == pg_query.ObjectType_OBJECT_COLUMN {
			fn(s.RenameStmt.Relation.Relname, s.RenameStmt.Newname, -1)
		}
	}
}

// forEachNewConstraint calls fn for each constraint a CREATE TABLE or ALTER
// TABLE ... ADD CONSTRAINT / ADD COLUMN introduces (cols = the column of a
// column constraint).
func forEachNewConstraint(c *ctx, fn func(table string, k *pg_query.Constraint, cols []string, loc int)) {
	switch s := c.node.Node.(type) {
	case *pg_query.Node_CreateStmt:
		table := s.CreateStmt.Relation.Relname
		cols, cons := tableElts(s.CreateStmt)
		for _, cd := range cols {
			for _, k := range colConstraints(cd) {
				fn(table, k, []string{cd.Colname}, int(k.Location))
			}
		}
		for _, k := range cons {
			fn(table, k, nil, int(k.Location))
		}
	case *pg_query.Node_AlterTableStmt:
		if s.AlterTableStmt.Relation == nil {
			return
		}
		table := s.AlterTableStmt.Relation.Relname
		for _, cmd := range alterCmds(s.AlterTableStmt) {
			switch cmd.Subtype {
			case pg_query.AlterTableType_AT_AddConstraint:
				if k := cmd.Def.GetConstraint(); k != nil {
					fn(table, k, nil, int(k.Location))
				}
			case pg_query.AlterTableType_AT_AddColumn:
				if cd := cmd.Def.GetColumnDef(); cd != nil {
					for _, k := range colConstraints(cd) {
						fn(table, k, []string{cd.Colname}, int(k.Location))
					}
				}
			}
		}
	}
}

// unqualifiedRelations lists relation names written without a schema
// (CTE references excluded), in tree order.
func unqualifiedRelations(c *ctx, f *stmtFacts) []string {
	var out []string
	for _, rv := range f.relations {
		if rv.Schemaname == "" && rv.Relname != "" && !f.ctes[rv.Relname] {
			out = append(out, rv.Relname)
		}
	}
	if ds := c.node.GetDropStmt(); ds != nil {
		switch ds.RemoveType {
		case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_SEQUENCE, pg_query.ObjectType_OBJECT_VIEW,
			pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_INDEX, pg_query.ObjectType_OBJECT_TYPE,
			pg_query.ObjectType_OBJECT_DOMAIN, pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
			for _, o := range ds.Objects {
				if l := o.GetList(); l != nil && len(l.Items) == 1 {
					out = append(out, strVal(l.Items[0]))
				} else if tn := o.GetTypeName(); tn != nil && len(tn.Names) == 1 {
					out = append(out, strVal(tn.Names[0]))
				}
			}
		}
	}
	return out
}

type ident struct {
	name string
	loc  int
}

// newIdentifiers lists the identifiers a statement defines.
func newIdentifiers(n *pg_query.Node) []ident {
	var out []ident
	add := func(name string, loc int) {
		if name != "" {
			out = append(out, ident{name, loc})
		}
	}
	switch s := n.Node.(type) {
	case *pg_query.Node_CreateStmt:
		add(s.CreateStmt.Relation.Relname, int(s.CreateStmt.Relation.Location))
		for _, e := range s.CreateStmt.TableElts {
			if cd := e.GetColumnDef(); cd != nil {
				add(cd.Colname, int(cd.Location))
				for _, k := range colConstraints(cd) {
					add(k.Conname, int(k.Location))
				}
			} else if k := e.GetConstraint(); k != nil {
				add(k.Conname, int(k.Location))
			}
		}
	case *pg_query.Node_IndexStmt:
		add(s.IndexStmt.Idxname, -1)
	case *pg_query.Node_AlterTableStmt:
		for _, cmd := range alterCmds(s.AlterTableStmt) {
			if cd := cmd.Def.GetColumnDef(); cd != nil && cmd.Subtype == pg_query.AlterTableType_AT_AddColumn {
				add(cd.Colname, int(cd.Location))
			}
			if k := cmd.Def.GetConstraint(); k != nil {
				add(k.Conname, int(k.Location))
			}
		}
	case *pg_query.Node_RenameStmt:
		add(s.RenameStmt.Newname, -1)
	case *pg_query.Node_CreateSchemaStmt:
		add(s.CreateSchemaStmt.Schemaname, -1)
	case *pg_query.Node_ViewStmt:
		add(s.ViewStmt.View.Relname, int(s.ViewStmt.View.Location))
	case *pg_query.Node_CreateSeqStmt:
		add(s.CreateSeqStmt.Sequence.Relname, int(s.CreateSeqStmt.Sequence.Location))
	case *pg_query.Node_CreateTableAsStmt:
		if s.CreateTableAsStmt.Into != nil {
			add(s.CreateTableAsStmt.Into.Rel.Relname, int(s.CreateTableAsStmt.Into.Rel.Location))
		}
	case *pg_query.Node_CreateFunctionStmt:
		add(lastName(s.CreateFunctionStmt.Funcname), -1)
	}
	return out
}
