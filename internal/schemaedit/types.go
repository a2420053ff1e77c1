package schemaedit

import (
	"regexp"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// builtinTypes maps the spellings of the built-in types users pick to the
// name format_type prints (what Inspect stores), with the pg_catalog type
// name behind it.
var builtinTypes = map[string][2]string{
	"smallint": {"smallint", "int2"}, "int2": {"smallint", "int2"},
	"integer": {"integer", "int4"}, "int": {"integer", "int4"}, "int4": {"integer", "int4"},
	"bigint": {"bigint", "int8"}, "int8": {"bigint", "int8"},
	"text": {"text", "text"}, "boolean": {"boolean", "bool"}, "bool": {"boolean", "bool"},
	"real": {"real", "float4"}, "float4": {"real", "float4"},
	"double precision": {"double precision", "float8"}, "float8": {"double precision", "float8"}, "float": {"double precision", "float8"},
	"numeric": {"numeric", "numeric"}, "decimal": {"numeric", "numeric"},
	"character varying": {"character varying", "varchar"}, "varchar": {"character varying", "varchar"},
	"character": {"character", "bpchar"}, "char": {"character", "bpchar"},
	"timestamp with time zone": {"timestamp with time zone", "timestamptz"}, "timestamptz": {"timestamp with time zone", "timestamptz"},
	"timestamp without time zone": {"timestamp without time zone", "timestamp"}, "timestamp": {"timestamp without time zone", "timestamp"},
	"time with time zone": {"time with time zone", "timetz"}, "timetz": {"time with time zone", "timetz"},
	"time without time zone": {"time without time zone", "time"}, "time": {"time without time zone", "time"},
	"date": {"date", "date"}, "interval": {"interval", "interval"}, "uuid": {"uuid", "uuid"},
	"json": {"json", "json"}, "jsonb": {"jsonb", "jsonb"}, "bytea": {"bytea", "bytea"},
	"inet": {"inet", "inet"}, "cidr": {"cidr", "cidr"}, "macaddr": {"macaddr", "macaddr"}, "money": {"money", "money"},
	"xml": {"xml", "xml"}, "tsvector": {"tsvector", "tsvector"}, "tsquery": {"tsquery", "tsquery"},
	"oid": {"oid", "oid"}, "bit": {"bit", "bit"}, "bit varying": {"bit varying", "varbit"}, "varbit": {"bit varying", "varbit"},
	"point": {"point", "point"}, "int4range": {"int4range", "int4range"}, "int8range": {"int8range", "int8range"},
	"daterange": {"daterange", "daterange"}, "tstzrange": {"tstzrange", "tstzrange"}, "numrange": {"numrange", "numrange"},
}

// Suggestions are the types the editor offers first, in order.
var Suggestions = []string{"bigint", "integer", "text", "varchar(n)", "boolean", "numeric(p,s)", "timestamptz", "date", "uuid", "jsonb"}

var typmodRe = regexp.MustCompile(`^([a-z][a-z0-9 ]*?)\s*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$`)

// resolvedType is a column type as Inspect stores it.
type resolvedType struct {
	text string                // format_type form ("character varying(20)[]", "public.mood")
	ref  catalog.QualifiedName // the element type
	user bool                  // one of the model's own types
}

// resolveType turns what a user typed into the stored form: a built-in
// (any common spelling, with a type modifier where it takes one) or one of
// the model's enums, domains and composite types (qualified or, when the
// name is unique, bare). ok is false for an unknown type.
func resolveType(s *catalog.Schema, typed string) (resolvedType, bool) {
	t := strings.TrimSpace(typed)
	arrays := ""
	for strings.HasSuffix(t, "[]") {
		arrays += "[]"
		t = strings.TrimSpace(strings.TrimSuffix(t, "[]"))
	}
	lower := strings.Join(strings.Fields(strings.ToLower(t)), " ")
	if m := typmodRe.FindStringSubmatch(lower); m != nil {
		if b, ok := builtinTypes[strings.TrimSpace(m[1])]; ok {
			mod := strings.ReplaceAll(m[2], " ", "")
			if mod != "" && !takesModifier(b[0]) {
				return resolvedType{}, false
			}
			return resolvedType{text: b[0] + mod + arrays, ref: catalog.QualifiedName{Schema: "pg_catalog", Name: b[1]}}, true
		}
	}
	schema, name := "", t
	if i := strings.Index(t, "."); i > 0 {
		schema, name = unquote(t[:i]), unquote(t[i+1:])
	} else {
		name = unquote(t)
	}
	var found *catalog.Type
	for i := range s.Types {
		ty := &s.Types[i]
		if ty.Name != name || (schema != "" && ty.Schema != schema) {
			continue
		}
		if ty.Kind != catalog.TypeEnum && ty.Kind != catalog.TypeDomain && ty.Kind != catalog.TypeComposite {
			continue
		}
		if found != nil && schema == "" {
			if found.Schema == "public" {
				continue
			}
			if ty.Schema != "public" {
				return resolvedType{}, false // ambiguous: qualify it
			}
		}
		found = ty
	}
	if found == nil {
		return resolvedType{}, false
	}
	return resolvedType{text: found.QualifiedName.String() + arrays, ref: found.QualifiedName, user: true}, true
}

func takesModifier(t string) bool {
	switch t {
	case "character varying", "character", "numeric", "bit", "bit varying":
		return true
	}
	return false
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, `"`) && strings.HasSuffix(s, `"`) && len(s) >= 2 {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

// sameType reports whether two stored column types are the same for a
// foreign key (type modifiers of varchar/numeric aside, which PostgreSQL
// accepts).
func sameType(a, b string) bool {
	strip := func(t string) string {
		if i := strings.Index(t, "("); i > 0 {
			return t[:i]
		}
		return t
	}
	return strip(a) == strip(b)
}
