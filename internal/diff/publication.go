package diff

import (
	"reflect"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// alterPublication changes publication f into t in place, so subscribers
// keep replicating: ALTER PUBLICATION ... SET (the whole list, or DROP of
// every entry when none is left) and SET (options). ok is false when one
// side is FOR ALL TABLES and the other is not: that cannot be altered.
func alterPublication(f, t *catalog.Publication) ([]Statement, bool) {
	if f.AllTables != t.AllTables {
		return nil, false
	}
	name := "ALTER PUBLICATION " + catalog.QuoteIdent(t.Name)
	var out []Statement
	if !t.AllTables && (!reflect.DeepEqual(f.Tables, t.Tables) || !reflect.DeepEqual(f.Schemas, t.Schemas)) {
		if objs := catalog.PublicationObjects(t); objs != "" {
			out = append(out, tx(name+" SET "+objs))
		} else {
			for _, x := range f.Tables {
				out = append(out, tx(name+" DROP TABLE "+x.Table.String()))
			}
			for _, n := range f.Schemas {
				out = append(out, tx(name+" DROP TABLES IN SCHEMA "+catalog.QuoteIdent(n)))
			}
		}
	}
	if !reflect.DeepEqual(f.Publish, t.Publish) || f.ViaRoot != t.ViaRoot {
		out = append(out, tx(name+" SET ("+catalog.PublicationOptions(t)+")"))
	}
	return out, true
}

// alterTSMappings changes the mappings of text search configuration f into
// those of t in place (its users, such as indexes, stay).
func alterTSMappings(f, t *catalog.TextSearchConfig) []Statement {
	old := map[string]catalog.TSMapping{}
	for _, m := range f.Mappings {
		old[m.Token] = m
	}
	var out []Statement
	seen := map[string]bool{}
	for _, m := range t.Mappings {
		seen[m.Token] = true
		o, had := old[m.Token]
		switch {
		case !had:
			out = append(out, tx(catalog.TSMappingStatement(t.QualifiedName, m, false)))
		case !reflect.DeepEqual(o.Dicts, m.Dicts):
			out = append(out, tx(catalog.TSMappingStatement(t.QualifiedName, m, true)))
		}
	}
	for _, m := range f.Mappings {
		if !seen[m.Token] {
			out = append(out, tx("ALTER TEXT SEARCH CONFIGURATION "+t.QualifiedName.String()+" DROP MAPPING FOR "+m.Token))
		}
	}
	return out
}
