package schemaedit

import (
	"sort"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// View is the edited model as the editor shows it: the schemas with their
// tables, each object with its mark key and mark, the objects dropped in
// the session (still shown, struck through, until the edit is undone) and
// the tables that can be restored.
type View struct {
	Schemas []SchemaView `json:"schemas"`
	// Types are the model's own enums, domains and composite types (qualified),
	// offered beside Suggestions when a column's type is picked.
	Types       []string `json:"types"`
	Suggestions []string `json:"suggestions"`
	CanUndo     bool     `json:"canUndo"`
	CanRedo     bool     `json:"canRedo"`
	// Ops counts the applied operations.
	Ops int `json:"ops"`
}

// SchemaView is one schema of the edited model.
type SchemaView struct {
	Name   string      `json:"name"`
	Key    string      `json:"key"`
	Mark   Mark        `json:"mark"`
	Tables []TableView `json:"tables"`
	// Dropped are the tables of this schema dropped in the session (restorable).
	Dropped []string `json:"dropped"`
	// The schema's comment, views, sequences and types, and the views and
	// sequences dropped in the session (view_objects.go).
	Comment          *string        `json:"comment"`
	Views            []ViewView     `json:"views"`
	Sequences        []SequenceView `json:"sequences"`
	Types            []TypeView     `json:"types"`
	DroppedViews     []string       `json:"droppedViews"`
	DroppedSequences []string       `json:"droppedSequences"`
	Functions        []FunctionView `json:"functions"`
}

// TableView is one table: its columns, indexes and constraints.
type TableView struct {
	Schema      string           `json:"schema"`
	Name        string           `json:"name"`
	Key         string           `json:"key"`
	Mark        Mark             `json:"mark"`
	Comment     *string          `json:"comment"`
	Partitioned bool             `json:"partitioned"`
	Columns     []ColumnView     `json:"columns"`
	Indexes     []IndexView      `json:"indexes"`
	Constraints []ConstraintView `json:"constraints"`
	// DroppedColumns are the columns dropped in the session, by name.
	DroppedColumns []string `json:"droppedColumns"`
	// PartitionKey is a partitioned table's key ("RANGE (at)").
	PartitionKey string `json:"partitionKey"`
	// Unlogged marks an UNLOGGED table.
	Unlogged bool `json:"unlogged"`
}

// ColumnView is one column as the grid shows it.
type ColumnView struct {
	Name       string  `json:"name"`
	Key        string  `json:"key"`
	Mark       Mark    `json:"mark"`
	Type       string  `json:"type"`
	Default    *string `json:"default"`
	NotNull    bool    `json:"notNull"`
	Identity   string  `json:"identity"`
	Generated  string  `json:"generated"`
	Comment    *string `json:"comment"`
	PrimaryKey bool    `json:"primaryKey"`
	// ForeignKey is true when the column is in a foreign key.
	ForeignKey bool `json:"foreignKey"`
	// Collation is the column's collation when not its type's default
	// (schema-qualified: pg_catalog."C").
	Collation string `json:"collation"`
}

// IndexView is one index (those enforcing a constraint included, with it named).
type IndexView struct {
	Name       string   `json:"name"`
	Key        string   `json:"key"`
	Mark       Mark     `json:"mark"`
	Definition string   `json:"definition"`
	Columns    []string `json:"columns"`
	Unique     bool     `json:"unique"`
	Method     string   `json:"method"`
	Constraint string   `json:"constraint"`
	Comment    *string  `json:"comment"`
}

// ConstraintView is one table constraint.
type ConstraintView struct {
	Name       string   `json:"name"`
	Key        string   `json:"key"`
	Mark       Mark     `json:"mark"`
	Type       string   `json:"type"`
	Definition string   `json:"definition"`
	Columns    []string `json:"columns"`
	// RefTable is the referenced table of a foreign key (qualified).
	RefTable   string   `json:"refTable"`
	RefColumns []string `json:"refColumns"`
	Comment    *string  `json:"comment"`
}

// CanUndo reports whether an operation can be taken back.
func (e *Editor) CanUndo() bool { return e.pos > 0 }

// CanRedo reports whether an undone operation can be applied again.
func (e *Editor) CanRedo() bool { return e.pos < len(e.ops) }

// View returns the edited model with its marks. System schemas
// (pg_catalog, information_schema, pg_toast) are not in the model.
func (e *Editor) View() View {
	st := e.st
	s := &st.cur
	v := View{Types: []string{}, Suggestions: append([]string(nil), Suggestions...), CanUndo: e.CanUndo(), CanRedo: e.CanRedo(), Ops: e.pos}
	bySchema := map[string]int{}
	for _, n := range s.Namespaces {
		k := schemaKey(n.Name)
		bySchema[n.Name] = len(v.Schemas)
		v.Schemas = append(v.Schemas, SchemaView{Name: n.Name, Key: k, Mark: st.marks[k], Tables: []TableView{}, Dropped: []string{}})
	}
	for ti := range s.Tables {
		t := &s.Tables[ti]
		i, ok := bySchema[t.Schema]
		if !ok || t.PartitionOf != nil {
			continue // partitions are edited through their parent
		}
		v.Schemas[i].Tables = append(v.Schemas[i].Tables, st.tableView(t))
	}
	for q := range st.dropped {
		if i, ok := bySchema[q.Schema]; ok {
			v.Schemas[i].Dropped = append(v.Schemas[i].Dropped, q.Name)
		}
	}
	st.objectViews(&v, bySchema)
	for i := range v.Schemas {
		sc := &v.Schemas[i]
		sort.Slice(sc.Tables, func(a, b int) bool { return sc.Tables[a].Name < sc.Tables[b].Name })
		sort.Strings(sc.Dropped)
	}
	sort.Slice(v.Schemas, func(a, b int) bool { return v.Schemas[a].Name < v.Schemas[b].Name })
	for _, ty := range s.Types {
		if ty.Kind == catalog.TypeEnum || ty.Kind == catalog.TypeDomain || ty.Kind == catalog.TypeComposite {
			v.Types = append(v.Types, ty.QualifiedName.String())
		}
	}
	sort.Strings(v.Types)
	return v
}

func (st *state) tableView(t *catalog.Table) TableView {
	tv := TableView{Schema: t.Schema, Name: t.Name, Key: tableKey(t.Schema, t.Name), Comment: t.Comment,
		Partitioned: t.Kind == catalog.TablePartitioned, PartitionKey: t.PartitionKey, Unlogged: t.Unlogged, Columns: []ColumnView{}, Indexes: []IndexView{}, Constraints: []ConstraintView{}, DroppedColumns: []string{}}
	tv.Mark = st.marks[tv.Key]
	pk, fk := map[string]bool{}, map[string]bool{}
	for _, c := range t.Constraints {
		for _, col := range c.Columns {
			switch c.Type {
			case catalog.ConstraintPrimaryKey:
				pk[col] = true
			case catalog.ConstraintForeignKey:
				fk[col] = true
			}
		}
	}
	for _, c := range t.Columns {
		if c.Inherited {
			continue
		}
		k := columnKey(t.Schema, t.Name, c.Name)
		tv.Columns = append(tv.Columns, ColumnView{Name: c.Name, Key: k, Mark: st.marks[k], Type: c.Type, Default: c.Default, NotNull: c.NotNull,
			Identity: c.Identity, Generated: c.Generated, Collation: c.Collation, Comment: c.Comment, PrimaryKey: pk[c.Name], ForeignKey: fk[c.Name]})
	}
	for _, x := range t.Indexes {
		k := indexKey(t.Schema, x.Name)
		cols := []string{}
		for _, key := range x.Keys {
			if key.Column != "" {
				cols = append(cols, key.Column)
			} else {
				cols = append(cols, key.Expression)
			}
		}
		tv.Indexes = append(tv.Indexes, IndexView{Name: x.Name, Key: k, Mark: st.marks[k], Definition: x.Definition, Columns: cols,
			Unique: x.Unique, Method: x.Method, Constraint: x.Constraint})
	}
	for _, c := range t.Constraints {
		if c.Inherited {
			continue
		}
		k := constraintKey(t.Schema, t.Name, c.Name)
		cv := ConstraintView{Name: c.Name, Key: k, Mark: st.marks[k], Type: string(c.Type), Definition: c.Definition,
			Columns: append([]string{}, c.Columns...), RefColumns: append([]string{}, c.RefColumns...)}
		if c.RefTable != nil {
			cv.RefTable = c.RefTable.String()
		}
		tv.Constraints = append(tv.Constraints, cv)
	}
	prefix := "column:" + catalog.QuoteQualified(t.Schema, t.Name) + "."
	for k, m := range st.marks {
		if m == Dropped && strings.HasPrefix(k, prefix) {
			tv.DroppedColumns = append(tv.DroppedColumns, unquote(strings.TrimPrefix(k, prefix)))
		}
	}
	sort.Strings(tv.DroppedColumns)
	return tv
}
