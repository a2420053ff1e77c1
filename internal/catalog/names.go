package catalog

import "strings"

// QuoteIdent quotes a PostgreSQL identifier only when needed, the way
// quote_ident() does: names that are lower-case letters, digits, underscores
// (not starting with a digit) and not a reserved, column-name or
// type/function-name keyword stay bare; everything else is double-quoted with
// embedded quotes doubled.
func QuoteIdent(name string) string {
	if name != "" && !needsQuote(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func needsQuote(name string) bool {
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r == '_':
		case r >= '0' && r <= '9':
			if i == 0 {
				return true
			}
		default:
			return true
		}
	}
	return isKeyword(name)
}

// QuoteQualified renders schema.name with each part quoted when needed; an
// empty schema renders the bare name.
func QuoteQualified(schema, name string) string {
	if schema == "" {
		return QuoteIdent(name)
	}
	return QuoteIdent(schema) + "." + QuoteIdent(name)
}

// String renders the name schema-qualified and quoted when needed.
func (q QualifiedName) String() string { return QuoteQualified(q.Schema, q.Name) }

// Less orders qualified names by schema, then name.
func (q QualifiedName) Less(o QualifiedName) bool {
	if q.Schema != o.Schema {
		return q.Schema < o.Schema
	}
	return q.Name < o.Name
}

// Key is a stable, unambiguous text key for the reference:
// "kind:schema.name(args)@table" with the optional parts omitted.
func (r ObjectRef) Key() string {
	var b strings.Builder
	b.WriteString(string(r.Kind))
	b.WriteByte(':')
	if r.Schema != "" {
		b.WriteString(QuoteIdent(r.Schema))
		b.WriteByte('.')
	}
	b.WriteString(QuoteIdent(r.Name))
	if r.Args != "" || r.Kind == KindFunction {
		b.WriteString("(" + r.Args + ")")
	}
	if r.Table != "" {
		b.WriteString("@" + QuoteIdent(r.Table))
	}
	return b.String()
}

// QuoteLiteral renders s as a standard-conforming SQL string literal, using
// the E” form only when s holds a backslash.
func QuoteLiteral(s string) string {
	if strings.Contains(s, `\`) {
		return "E'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func quoteIdents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// isKeyword reports PostgreSQL 17's keywords that are not UNRESERVED (reserved,
// column-name and type/function-name keywords): identifiers spelled like one
// must be quoted. A superset of older versions' lists, so quoting is safe on 13-17.
func isKeyword(name string) bool {
	switch name {
	case "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
		"between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check",
		"coalesce", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
		"current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
		"current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end",
		"except", "exists", "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full",
		"grant", "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int",
		"integer", "intersect", "interval", "into", "is", "isnull", "join", "json", "json_array", "json_arrayagg",
		"json_exists", "json_object", "json_objectagg", "json_query", "json_scalar", "json_serialize",
		"json_table", "json_value", "lateral", "leading", "least", "left", "like", "limit", "localtime",
		"localtimestamp", "merge_action", "national", "natural", "nchar", "none", "normalize", "not", "notnull",
		"null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay",
		"placing", "position", "precision", "primary", "real", "references", "returning", "right", "row", "select",
		"session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user", "table",
		"tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique",
		"user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with",
		"xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi",
		"xmlroot", "xmlserialize", "xmltable":
		return true
	}
	return false
}
