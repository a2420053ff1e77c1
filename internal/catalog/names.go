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
	return keywords[name]
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

// keywords are PostgreSQL 17's keywords that are not UNRESERVED (reserved,
// column-name and type/function-name keywords): identifiers spelled like one
// must be quoted. A superset of older versions' lists, so quoting is safe on 13-17.
var keywords = map[string]bool{"all": true, "analyse": true, "analyze": true, "and": true, "any": true, "array": true, "as": true, "asc": true, "asymmetric": true, "authorization": true, "between": true, "bigint": true, "binary": true, "bit": true, "boolean": true, "both": true, "case": true, "cast": true, "char": true, "character": true, "check": true, "coalesce": true, "collate": true, "collation": true, "column": true, "concurrently": true, "constraint": true, "create": true, "cross": true, "current_catalog": true, "current_date": true, "current_role": true, "current_schema": true, "current_time": true, "current_timestamp": true, "current_user": true, "dec": true, "decimal": true, "default": true, "deferrable": true, "desc": true, "distinct": true, "do": true, "else": true, "end": true, "except": true, "exists": true, "extract": true, "false": true, "fetch": true, "float": true, "for": true, "foreign": true, "freeze": true, "from": true, "full": true, "grant": true, "greatest": true, "group": true, "grouping": true, "having": true, "ilike": true, "in": true, "initially": true, "inner": true, "inout": true, "int": true, "integer": true, "intersect": true, "interval": true, "into": true, "is": true, "isnull": true, "join": true, "json": true, "json_array": true, "json_arrayagg": true, "json_exists": true, "json_object": true, "json_objectagg": true, "json_query": true, "json_scalar": true, "json_serialize": true, "json_table": true, "json_value": true, "lateral": true, "leading": true, "least": true, "left": true, "like": true, "limit": true, "localtime": true, "localtimestamp": true, "merge_action": true, "national": true, "natural": true, "nchar": true, "none": true, "normalize": true, "not": true, "notnull": true, "null": true, "nullif": true, "numeric": true, "offset": true, "on": true, "only": true, "or": true, "order": true, "out": true, "outer": true, "overlaps": true, "overlay": true, "placing": true, "position": true, "precision": true, "primary": true, "real": true, "references": true, "returning": true, "right": true, "row": true, "select": true, "session_user": true, "setof": true, "similar": true, "smallint": true, "some": true, "substring": true, "symmetric": true, "system_user": true, "table": true, "tablesample": true, "then": true, "time": true, "timestamp": true, "to": true, "trailing": true, "treat": true, "trim": true, "true": true, "union": true, "unique": true, "user": true, "using": true, "values": true, "varchar": true, "variadic": true, "verbose": true, "when": true, "where": true, "window": true, "with": true, "xmlattributes": true, "xmlconcat": true, "xmlelement": true, "xmlexists": true, "xmlforest": true, "xmlnamespaces": true, "xmlparse": true, "xmlpi": true, "xmlroot": true, "xmlserialize": true, "xmltable": true}
