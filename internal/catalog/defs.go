package catalog

import "strings"

// Definitions rendered on the client. pg_get_indexdef and
// pg_get_constraintdef build a relation cache entry for (and lock) the table
// of every index and constraint they render; on a large schema that is most
// of the server's work in Inspect. Indexes without expression keys, primary
// keys, unique constraints and foreign keys hold nothing but names and
// flags, so Inspect renders them here, byte for byte as those functions do
// with an empty search_path (checked against the server by the tests).

// index returns the index at p.
func (in *inspector) index(p indexPos) *Index {
	if p.view {
		return &in.res.Schema.Views[in.views[p.rel]].Indexes[p.pos]
	}
	return &in.res.Schema.Tables[in.tables[p.rel]].Indexes[p.pos]
}

// render fills in the definitions left to the client, once the index keys
// are read.
func (in *inspector) render() error {
	sch := &in.res.Schema
	for _, p := range in.renderIndexes {
		var owner QualifiedName
		if p.view {
			owner = sch.Views[in.views[p.rel]].QualifiedName
		} else {
			owner = sch.Tables[in.tables[p.rel]].QualifiedName
		}
		x := in.index(p)
		x.Definition = indexDef(owner, x)
	}
	for _, k := range in.renderKeys {
		t := &sch.Tables[k.table]
		c := &t.Constraints[k.pos]
		c.Definition = keyConstraintDef(c, t.Index(c.Index))
	}
	in.renderIndexes, in.renderKeys = nil, nil
	return nil
}

// indexDef renders x as pg_get_indexdef does.
func indexDef(table QualifiedName, x *Index) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if x.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX ")
	b.WriteString(QuoteIdent(x.Name))
	b.WriteString(" ON ")
	if x.Partitioned {
		b.WriteString("ONLY ")
	}
	b.WriteString(table.String())
	b.WriteString(" USING ")
	b.WriteString(QuoteIdent(x.Method))
	b.WriteString(" (")
	for i, k := range x.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		if k.Column != "" {
			b.WriteString(QuoteIdent(k.Column))
		} else {
			// Only reached when the server did not render an index with
			// expressions (dropped meanwhile): parentheses are always valid.
			b.WriteString("(" + k.Expression + ")")
		}
		if k.Collation != "" {
			b.WriteString(" COLLATE " + visibleName(k.Collation))
		}
		if k.OpClass != "" {
			b.WriteString(" " + visibleName(k.OpClass))
		}
		if len(k.OpClassOptions) > 0 {
			b.WriteString(" (" + relOptions(k.OpClassOptions) + ")")
		}
		switch {
		case k.Descending && k.NullsLast:
			b.WriteString(" DESC NULLS LAST")
		case k.Descending:
			b.WriteString(" DESC")
		case k.NullsFirst:
			b.WriteString(" NULLS FIRST")
		}
	}
	b.WriteByte(')')
	if len(x.Include) > 0 {
		b.WriteString(" INCLUDE (" + quoteIdents(x.Include) + ")")
	}
	if x.NullsNotDistinct {
		b.WriteString(" NULLS NOT DISTINCT")
	}
	if len(x.Options) > 0 {
		b.WriteString(" WITH (" + relOptions(x.Options) + ")")
	}
	if x.Predicate != "" {
		b.WriteString(" WHERE " + x.Predicate)
	}
	return b.String()
}

// keyConstraintDef renders a primary key or unique constraint as
// pg_get_constraintdef does; x is its index (for the INCLUDE columns).
func keyConstraintDef(c *Constraint, x *Index) string {
	var b strings.Builder
	if c.Type == ConstraintPrimaryKey {
		b.WriteString("PRIMARY KEY ")
	} else {
		b.WriteString("UNIQUE ")
	}
	if c.NullsNotDistinct {
		b.WriteString("NULLS NOT DISTINCT ")
	}
	b.WriteString("(" + quoteIdents(c.Columns) + ")")
	if x != nil && len(x.Include) > 0 {
		b.WriteString(" INCLUDE (" + quoteIdents(x.Include) + ")")
	}
	constraintTail(&b, c)
	return b.String()
}

// foreignKeyDef renders a foreign key as pg_get_constraintdef does, from
// the catalog codes of its match type and actions and the columns its ON
// DELETE SET NULL/DEFAULT is limited to (PostgreSQL 15+).
func foreignKeyDef(c *Constraint, match, upd, del string, delSet []string) string {
	var b strings.Builder
	b.WriteString("FOREIGN KEY (" + quoteIdents(c.Columns) + ") REFERENCES ")
	b.WriteString(c.RefTable.String())
	b.WriteString("(" + quoteIdents(c.RefColumns) + ")")
	switch match {
	case "f":
		b.WriteString(" MATCH FULL")
	case "p":
		b.WriteString(" MATCH PARTIAL")
	}
	if a := fkActionSQL(upd); a != "" {
		b.WriteString(" ON UPDATE " + a)
	}
	if a := fkActionSQL(del); a != "" {
		b.WriteString(" ON DELETE " + a)
	}
	if len(delSet) > 0 {
		b.WriteString(" (" + quoteIdents(delSet) + ")")
	}
	constraintTail(&b, c)
	return b.String()
}

// fkActionSQL is the SQL of a foreign key action code ("" for NO ACTION, the default).
func fkActionSQL(code string) string {
	switch code {
	case "r":
		return "RESTRICT"
	case "c":
		return "CASCADE"
	case "n":
		return "SET NULL"
	case "d":
		return "SET DEFAULT"
	}
	return ""
}

// constraintTail appends what pg_get_constraintdef ends every constraint with.
func constraintTail(b *strings.Builder, c *Constraint) {
	if c.Deferrable {
		b.WriteString(" DEFERRABLE")
	}
	if c.InitiallyDeferred {
		b.WriteString(" INITIALLY DEFERRED")
	}
	if c.NotValid {
		b.WriteString(" NOT VALID")
	}
}

// visibleName drops the pg_catalog qualification of a quoted qualified
// name, as the server does for names visible with an empty search_path.
func visibleName(q string) string {
	return strings.TrimPrefix(q, "pg_catalog.")
}

// relOptions renders reloptions ("name=value") as flatten_reloptions does:
// names quoted when needed; values bare when they read as an identifier
// that needs no quoting, otherwise as a string literal.
func relOptions(opts []string) string {
	var b strings.Builder
	for i, o := range opts {
		if i > 0 {
			b.WriteString(", ")
		}
		name, value, _ := strings.Cut(o, "=")
		b.WriteString(QuoteIdent(name))
		b.WriteByte('=')
		if value != "" && !needsQuote(value) {
			b.WriteString(value)
		} else {
			b.WriteString("'" + strings.ReplaceAll(value, "'", "''") + "'")
		}
	}
	return b.String()
}
