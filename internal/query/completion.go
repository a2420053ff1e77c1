package query

import (
	"cmp"
	"slices"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Relation kinds in a completion catalog.
const (
	KindTable            = "table"
	KindView             = "view"
	KindMaterializedView = "materialized view"
	KindForeignTable     = "foreign table"
	KindPartitionedTable = "partitioned table"
)

// CompletionCatalog is what the editor completes names from: the schemas of
// a database with their relations (and columns) and functions, taken from a
// stored snapshot so that completing needs no round trip to the server.
type CompletionCatalog struct {
	Schemas []CompletionSchema `json:"schemas"`
}

// CompletionSchema is one schema's names, relations and functions by name.
type CompletionSchema struct {
	Name      string               `json:"name"`
	Tables    []CompletionTable    `json:"tables"`
	Functions []CompletionFunction `json:"functions"`
}

// CompletionTable is a table, view, materialized view, foreign table or
// partitioned table (Kind*) with its columns in order. The columns of a
// foreign or typed table are not in the snapshot model, so it has none.
type CompletionTable struct {
	Name    string             `json:"name"`
	Kind    string             `json:"kind"`
	Columns []CompletionColumn `json:"columns"`
}

// CompletionColumn is a column and its format_type spelling.
type CompletionColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// CompletionFunction is a function, aggregate or procedure: its arguments
// (with modes and defaults) and result.
type CompletionFunction struct {
	Name    string `json:"name"`
	Args    string `json:"args"`
	Returns string `json:"returns"`
}

// NewCompletion builds the completion catalog of a schema model; unsupported
// lists the objects the model does not cover (foreign tables among them),
// as a snapshot records them. Schemas, relations and functions are sorted by
// name; columns keep their order.
func NewCompletion(s catalog.Schema, unsupported []catalog.Object) CompletionCatalog {
	byName := map[string]*CompletionSchema{}
	schema := func(name string) *CompletionSchema {
		cs := byName[name]
		if cs == nil {
			cs = &CompletionSchema{Name: name, Tables: []CompletionTable{}, Functions: []CompletionFunction{}}
			byName[name] = cs
		}
		return cs
	}
	for _, n := range s.Namespaces {
		schema(n.Name)
	}
	for _, t := range s.Tables {
		ct := CompletionTable{Name: t.Name, Kind: KindTable, Columns: make([]CompletionColumn, 0, len(t.Columns))}
		if t.Kind == catalog.TablePartitioned {
			ct.Kind = KindPartitionedTable
		}
		for _, c := range t.Columns {
			ct.Columns = append(ct.Columns, CompletionColumn{Name: c.Name, Type: c.Type})
		}
		cs := schema(t.Schema)
		cs.Tables = append(cs.Tables, ct)
	}
	for _, v := range s.Views {
		ct := CompletionTable{Name: v.Name, Kind: KindView, Columns: make([]CompletionColumn, 0, len(v.Columns))}
		if v.Materialized {
			ct.Kind = KindMaterializedView
		}
		for _, c := range v.Columns {
			ct.Columns = append(ct.Columns, CompletionColumn{Name: c.Name, Type: c.Type})
		}
		cs := schema(v.Schema)
		cs.Tables = append(cs.Tables, ct)
	}
	for _, t := range s.ForeignTables {
		ct := CompletionTable{Name: t.Name, Kind: KindForeignTable, Columns: make([]CompletionColumn, 0, len(t.Columns))}
		for _, c := range t.Columns {
			ct.Columns = append(ct.Columns, CompletionColumn{Name: c.Name, Type: c.Type})
		}
		cs := schema(t.Schema)
		cs.Tables = append(cs.Tables, ct)
	}
	// Typed tables and foreign partitions are only reported, without their
	// columns.
	for _, o := range unsupported {
		kind := ""
		switch o.Kind {
		case catalog.KindForeignTable:
			kind = KindForeignTable
		case catalog.KindTable:
			kind = KindTable
		default:
			continue
		}
		cs := schema(o.Schema)
		cs.Tables = append(cs.Tables, CompletionTable{Name: o.Name, Kind: kind, Columns: []CompletionColumn{}})
	}
	for _, f := range s.Functions {
		args := f.ArgsFull
		if args == "" {
			args = f.Args
		}
		cs := schema(f.Schema)
		cs.Functions = append(cs.Functions, CompletionFunction{Name: f.Name, Args: args, Returns: f.Result})
	}
	out := CompletionCatalog{Schemas: make([]CompletionSchema, 0, len(byName))}
	for _, cs := range byName {
		slices.SortStableFunc(cs.Tables, func(a, b CompletionTable) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortStableFunc(cs.Functions, func(a, b CompletionFunction) int {
			return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Args, b.Args))
		})
		out.Schemas = append(out.Schemas, *cs)
	}
	slices.SortFunc(out.Schemas, func(a, b CompletionSchema) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
