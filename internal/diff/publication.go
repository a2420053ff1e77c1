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
