// Package erd turns a catalog model into the data of an entity-relationship
// diagram: tables as boxes with their columns (type, nullability, primary
// and foreign key membership) and one edge per foreign key. It draws
// nothing and lays nothing out; the UI does both. Marks of a schema editor
// session (created, changed, dropped) are carried onto tables, columns and
// edges, and objects dropped in the session are brought back from the
// original model so the diagram can show them struck through.
package erd

import (
	"sort"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Diagram is the content of one diagram.
type Diagram struct {
	// Schemas are all the schemas of the model with their table counts, so
	// the UI can offer a choice; Shown are the ones in the diagram.
	Schemas []SchemaInfo `json:"schemas"`
	Shown   []string     `json:"shown"`
	Tables  []Table      `json:"tables"`
	Edges   []Edge       `json:"edges"`
	// External counts the foreign keys of shown tables whose referenced
	// table is in a schema not shown (no edge is drawn for them).
	External int `json:"external"`
}

// SchemaInfo is one schema of the model.
type SchemaInfo struct {
	Name   string `json:"name"`
	Tables int    `json:"tables"`
}

// Table is one box. ID is the qualified name as SQL writes it
// (public.orders, "My Schema".t), unique in the diagram.
type Table struct {
	ID          string   `json:"id"`
	Schema      string   `json:"schema"`
	Name        string   `json:"name"`
	Partitioned bool     `json:"partitioned"`
	Comment     string   `json:"comment"`
	Mark        string   `json:"mark"` // "", created, changed, dropped
	Columns     []Column `json:"columns"`
}

// Column is one line of a box.
type Column struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	PrimaryKey bool   `json:"pk"`
	ForeignKey bool   `json:"fk"`
	Nullable   bool   `json:"nullable"`
	Mark       string `json:"mark"`
}

// Edge is one foreign key, from the referencing table to the referenced one.
type Edge struct {
	// ID is the referencing table's ID and the constraint name, joined by "/".
	ID         string   `json:"id"`
	Name       string   `json:"name"` // the constraint
	From       string   `json:"from"` // Table.ID
	To         string   `json:"to"`
	Columns    []string `json:"columns"`
	RefColumns []string `json:"refColumns"`
	OnDelete   string   `json:"onDelete"` // no_action, restrict, cascade, set_null, set_default
	OnUpdate   string   `json:"onUpdate"`
	Mark       string   `json:"mark"`
}

// Options choose what a diagram shows.
type Options struct {
	// Schemas restricts the diagram to these schemas; empty means all.
	// Names not in the model are ignored.
	Schemas []string
	// Marks are the marks of a schema editor session, keyed as
	// schemaedit.Editor.Marks documents ("table:s.t", "column:s.t.c",
	// "constraint:s.t.c", names quoted as in SQL).
	Marks map[string]string
	// Base is the session's original model: tables, columns and foreign
	// keys marked dropped are taken from it (they are no longer in the
	// edited model). Nil leaves dropped objects out.
	Base *catalog.Schema
}

// Build returns the diagram of s. Partitions are left out (their parent is
// the box), as are columns inherited from a parent. The result is sorted
// (tables by schema and name, edges by ID) so the same model always gives
// the same diagram, and every slice is non-nil.
func Build(s *catalog.Schema, opts Options) Diagram {
	d := Diagram{Schemas: []SchemaInfo{}, Shown: []string{}, Tables: []Table{}, Edges: []Edge{}}
	want := map[string]bool{}
	for _, n := range opts.Schemas {
		want[n] = true
	}
	counts := map[string]int{}
	for i := range s.Tables {
		if s.Tables[i].PartitionOf == nil {
			counts[s.Tables[i].Schema]++
		}
	}
	shown := map[string]bool{}
	for _, n := range s.Namespaces {
		d.Schemas = append(d.Schemas, SchemaInfo{Name: n.Name, Tables: counts[n.Name]})
		if len(want) == 0 || want[n.Name] {
			shown[n.Name] = true
			d.Shown = append(d.Shown, n.Name)
		}
	}
	sort.Slice(d.Schemas, func(a, b int) bool { return d.Schemas[a].Name < d.Schemas[b].Name })
	sort.Strings(d.Shown)

	mark := func(key string) string { return opts.Marks[key] }
	var fks []fkOf
	have := map[catalog.QualifiedName]bool{}
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.PartitionOf != nil || !shown[t.Schema] {
			continue
		}
		have[t.QualifiedName] = true
		box := table(t, mark(tableKey(t.QualifiedName)), mark)
		if opts.Base != nil {
			box.Columns = append(box.Columns, droppedColumns(opts.Base.Table(t.QualifiedName), t, mark)...)
			fks = append(fks, droppedFKs(opts.Base.Table(t.QualifiedName), t, mark)...)
		}
		d.Tables = append(d.Tables, box)
		for ci := range t.Constraints {
			if c := &t.Constraints[ci]; c.Type == catalog.ConstraintForeignKey && !c.Inherited && c.RefTable != nil {
				fks = append(fks, fkOf{t.QualifiedName, c, mark(constraintKey(t.QualifiedName, c.Name))})
			}
		}
	}
	if opts.Base != nil {
		for i := range opts.Base.Tables {
			t := &opts.Base.Tables[i]
			if t.PartitionOf != nil || !shown[t.Schema] || have[t.QualifiedName] || mark(tableKey(t.QualifiedName)) != "dropped" {
				continue
			}
			have[t.QualifiedName] = true
			box := table(t, "dropped", func(string) string { return "" })
			d.Tables = append(d.Tables, box)
			for ci := range t.Constraints {
				if c := &t.Constraints[ci]; c.Type == catalog.ConstraintForeignKey && !c.Inherited && c.RefTable != nil {
					fks = append(fks, fkOf{t.QualifiedName, c, "dropped"})
				}
			}
		}
	}
	for _, f := range fks {
		if !have[*f.c.RefTable] {
			if !shown[f.c.RefTable.Schema] {
				d.External++
			}
			continue
		}
		from := f.table.String()
		d.Edges = append(d.Edges, Edge{ID: from + "/" + f.c.Name, Name: f.c.Name, From: from, To: f.c.RefTable.String(),
			Columns: nonNil(f.c.Columns), RefColumns: nonNil(f.c.RefColumns), OnDelete: orNoAction(f.c.OnDelete), OnUpdate: orNoAction(f.c.OnUpdate), Mark: f.mark})
	}
	sort.Slice(d.Tables, func(a, b int) bool {
		x, y := d.Tables[a], d.Tables[b]
		if x.Schema != y.Schema {
			return x.Schema < y.Schema
		}
		return x.Name < y.Name
	})
	sort.Slice(d.Edges, func(a, b int) bool { return d.Edges[a].ID < d.Edges[b].ID })
	return d
}

type fkOf struct {
	table catalog.QualifiedName
	c     *catalog.Constraint
	mark  string
}

func table(t *catalog.Table, m string, mark func(string) string) Table {
	box := Table{ID: t.QualifiedName.String(), Schema: t.Schema, Name: t.Name, Partitioned: t.Kind == catalog.TablePartitioned,
		Mark: m, Columns: []Column{}}
	if t.Comment != nil {
		box.Comment = *t.Comment
	}
	pk, fk := keyColumns(t)
	for _, c := range t.Columns {
		if c.Inherited {
			continue
		}
		box.Columns = append(box.Columns, Column{Name: c.Name, Type: c.Type, PrimaryKey: pk[c.Name], ForeignKey: fk[c.Name],
			Nullable: !c.NotNull && !pk[c.Name], Mark: mark(columnKey(t.QualifiedName, c.Name))})
	}
	return box
}

func keyColumns(t *catalog.Table) (pk, fk map[string]bool) {
	pk, fk = map[string]bool{}, map[string]bool{}
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
	return pk, fk
}

// droppedColumns are the columns of the original table base that the
// session dropped from t, in their original order.
func droppedColumns(base, t *catalog.Table, mark func(string) string) []Column {
	if base == nil {
		return nil
	}
	cur := map[string]bool{}
	for _, c := range t.Columns {
		cur[c.Name] = true
	}
	pk, fk := keyColumns(base)
	var out []Column
	for _, c := range base.Columns {
		if !c.Inherited && !cur[c.Name] && mark(columnKey(t.QualifiedName, c.Name)) == "dropped" {
			out = append(out, Column{Name: c.Name, Type: c.Type, PrimaryKey: pk[c.Name], ForeignKey: fk[c.Name], Nullable: !c.NotNull && !pk[c.Name], Mark: "dropped"})
		}
	}
	return out
}

// droppedFKs are the foreign keys of the original table base that the
// session dropped from t.
func droppedFKs(base, t *catalog.Table, mark func(string) string) []fkOf {
	if base == nil {
		return nil
	}
	cur := map[string]bool{}
	for _, c := range t.Constraints {
		cur[c.Name] = true
	}
	var out []fkOf
	for ci := range base.Constraints {
		c := &base.Constraints[ci]
		if c.Type == catalog.ConstraintForeignKey && !c.Inherited && c.RefTable != nil && !cur[c.Name] && mark(constraintKey(t.QualifiedName, c.Name)) == "dropped" {
			out = append(out, fkOf{t.QualifiedName, c, "dropped"})
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return append([]string{}, s...)
}

func orNoAction(a string) string {
	if strings.TrimSpace(a) == "" {
		return "no_action"
	}
	return a
}

// The keys of schemaedit.Editor.Marks.
func tableKey(q catalog.QualifiedName) string { return "table:" + q.String() }
func columnKey(q catalog.QualifiedName, c string) string {
	return "column:" + q.String() + "." + catalog.QuoteIdent(c)
}
func constraintKey(q catalog.QualifiedName, c string) string {
	return "constraint:" + q.String() + "." + catalog.QuoteIdent(c)
}
