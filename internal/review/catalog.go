package review

import (
	"regexp"
	"sort"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Catalog is the schema state review simulates a script against: what rules
// need to see (tables, columns, indexes, constraints, comments, row
// estimates), nothing more. Build one with NewCatalog and AddTable, from a
// synced model with FromSchema, or from a live database with LoadCatalog.
// Review never modifies the Catalog it is given (it works on a copy).
type Catalog struct {
	// Database is the current database name (CREATE DATABASE rules, messages).
	Database string
	// SearchPath resolves unqualified names; empty means ["public"].
	SearchPath []string
	// Known is true when the catalog describes the target completely (synced
	// or live), so an object missing from it does not exist. With Known false
	// (an empty or partial catalog) rules that need existence stay silent.
	Known   bool
	schemas map[string]bool
	tables  map[string]*Table // key: schema + "." + name
	indexes map[string]*Table // key: schema + "." + index name -> owning table
	at      int               // the statement being applied (simulation)
}

// Table is a table (or view / materialized view) of a Catalog.
type Table struct {
	Schema, Name string
	Kind         string // "table", "partitioned", "view", "matview"
	Columns      []*Column
	Indexes      []*Index      // all indexes, including those backing PK/UNIQUE constraints
	Constraints  []*Constraint // PK, UNIQUE, FOREIGN KEY, CHECK, EXCLUDE
	Comment      *string
	Owner        string
	// Rows is the estimated row count (pg_class.reltuples); -1 when unknown.
	Rows int64

	// simulation bookkeeping
	created     bool // created by the reviewed script
	lastTouch   int  // index of the last statement that changed it (indexes, comments too); -1 none
	lastAlter   int  // index of the last CREATE/ALTER TABLE (or column/constraint rename) of it; -1 none
	createdAt   int  // index of the creating statement; -1 when pre-existing
	partialCols bool // columns not fully known (CREATE TABLE AS, LIKE, INHERITS, views)
	commentAt   int  // statement that last set the comment; -1 none
}

// Column is a table column.
type Column struct {
	Name       string
	Type       string // display form, e.g. "character varying(20)"
	NotNull    bool
	HasDefault bool
	Identity   bool
	Collation  string
	Comment    *string

	addedAt   int // statement that added it; -1 when pre-existing
	commentAt int // statement that last set the comment; -1 none
}

// Index is an index of a table.
type Index struct {
	Name       string
	Columns    []string // key columns ("" for an expression key)
	Unique     bool
	Primary    bool
	Constraint string // constraint it backs, if any
}

// Constraint is a table constraint.
type Constraint struct {
	Name     string
	Type     string // "p", "u", "f", "c", "x"
	Columns  []string
	Index    string // backing index for p/u/x
	NotValid bool
	RefTable string
	RefCols  []string

	// notNullOf is the column a CHECK (col IS NOT NULL) proves non-null.
	notNullOf string
	// addedAt / validAt: the statement of this review that added it / made
	// it valid (when !NotValid); -1 when it was so before the reviewed file.
	addedAt, validAt int
}

// NewCatalog returns an empty catalog (schema public only).
func NewCatalog() *Catalog {
	c := &Catalog{schemas: map[string]bool{"public": true}, tables: map[string]*Table{}, indexes: map[string]*Table{}}
	return c
}

// AddSchema records a schema.
func (c *Catalog) AddSchema(name string) { c.schemas[name] = true }

// HasSchema reports whether a schema exists.
func (c *Catalog) HasSchema(name string) bool { return c.schemas[name] }

// AddTable adds (or replaces) a table; Schema defaults to public, Rows to
// unknown when negative. Indexes named by constraints are linked.
func (c *Catalog) AddTable(t *Table) {
	if t.Schema == "" {
		t.Schema = "public"
	}
	if t.Kind == "" {
		t.Kind = "table"
	}
	t.lastTouch, t.lastAlter, t.createdAt, t.commentAt = -1, -1, -1, -1
	for _, col := range t.Columns {
		col.addedAt, col.commentAt = -1, -1
	}
	c.schemas[t.Schema] = true
	c.tables[t.Schema+"."+t.Name] = t
	for _, ix := range t.Indexes {
		c.indexes[t.Schema+"."+ix.Name] = t
	}
}

// Table returns the table schema.name, or nil.
func (c *Catalog) Table(schema, name string) *Table { return c.tables[schema+"."+name] }

// Tables returns all tables sorted by schema and name.
func (c *Catalog) Tables() []*Table {
	out := make([]*Table, 0, len(c.tables))
	for _, t := range c.tables {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Schema != out[j].Schema {
			return out[i].Schema < out[j].Schema
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// IndexTable returns the table owning index schema.name, or nil.
func (c *Catalog) IndexTable(schema, name string) *Table { return c.indexes[schema+"."+name] }

func (c *Catalog) defaultSchema() string {
	if len(c.SearchPath) > 0 {
		return c.SearchPath[0]
	}
	return "public"
}

// resolve finds a table by possibly unqualified name along the search path.
func (c *Catalog) resolve(schema, name string) *Table {
	if schema != "" {
		return c.tables[schema+"."+name]
	}
	path := c.SearchPath
	if len(path) == 0 {
		path = []string{"public"}
	}
	for _, s := range path {
		if t := c.tables[s+"."+name]; t != nil {
			return t
		}
	}
	return nil
}

// clone deep-copies the catalog so a review can simulate on it.
func (c *Catalog) clone() *Catalog {
	if c == nil {
		return NewCatalog()
	}
	n := &Catalog{Database: c.Database, SearchPath: append([]string(nil), c.SearchPath...), Known: c.Known,
		schemas: map[string]bool{}, tables: make(map[string]*Table, len(c.tables)), indexes: make(map[string]*Table, len(c.indexes))}
	for s := range c.schemas {
		n.schemas[s] = true
	}
	for _, t := range c.tables {
		n.AddTable(t.clone())
	}
	return n
}

func (t *Table) clone() *Table {
	n := *t
	n.Columns = make([]*Column, len(t.Columns))
	for i, col := range t.Columns {
		cc := *col
		n.Columns[i] = &cc
	}
	n.Indexes = make([]*Index, len(t.Indexes))
	for i, ix := range t.Indexes {
		ic := *ix
		ic.Columns = append([]string(nil), ix.Columns...)
		n.Indexes[i] = &ic
	}
	n.Constraints = make([]*Constraint, len(t.Constraints))
	for i, k := range t.Constraints {
		kc := *k
		kc.addedAt, kc.validAt = -1, -1 // a new review: earlier files ran in earlier transactions
		kc.Columns = append([]string(nil), k.Columns...)
		kc.RefCols = append([]string(nil), k.RefCols...)
		n.Constraints[i] = &kc
	}
	return &n
}

// Column returns the named column or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Index returns the named index or nil.
func (t *Table) Index(name string) *Index {
	for _, ix := range t.Indexes {
		if ix.Name == name {
			return ix
		}
	}
	return nil
}

// Constraint returns the named constraint or nil.
func (t *Table) Constraint(name string) *Constraint {
	for _, k := range t.Constraints {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// PrimaryKey returns the primary key constraint or nil.
func (t *Table) PrimaryKey() *Constraint {
	for _, k := range t.Constraints {
		if k.Type == "p" {
			return k
		}
	}
	return nil
}

// Indexed reports whether column is a key column of any index.
func (t *Table) Indexed(column string) bool {
	for _, ix := range t.Indexes {
		for _, c := range ix.Columns {
			if c == column {
				return true
			}
		}
	}
	return false
}

// qualified renders "schema"."name".
func (t *Table) qualified() string { return `"` + t.Schema + `"."` + t.Name + `"` }

// FromSchema converts a synced catalog model into the review catalog. Row
// estimates are unknown (the model carries none); the result is Known.
func FromSchema(s *catalog.Schema) *Catalog {
	c := NewCatalog()
	c.Known = true
	if s == nil {
		return c
	}
	for _, ns := range s.Namespaces {
		c.AddSchema(ns.Name)
	}
	for i := range s.Tables {
		st := &s.Tables[i]
		t := &Table{Schema: st.Schema, Name: st.Name, Kind: "table", Comment: st.Comment, Owner: st.Owner, Rows: -1}
		if st.Kind == catalog.TablePartitioned {
			t.Kind = "partitioned"
		}
		for _, col := range st.Columns {
			t.Columns = append(t.Columns, &Column{Name: col.Name, Type: col.Type, NotNull: col.NotNull,
				HasDefault: col.Default != nil || col.Identity != "" || col.Generated != "",
				Identity:   col.Identity != "", Collation: col.Collation, Comment: col.Comment})
		}
		for _, k := range st.Constraints {
			kc := &Constraint{Name: k.Name, Columns: append([]string(nil), k.Columns...), Index: k.Index, NotValid: k.NotValid,
				RefCols: append([]string(nil), k.RefColumns...), addedAt: -1, validAt: -1}
			switch k.Type {
			case catalog.ConstraintPrimaryKey:
				kc.Type = "p"
			case catalog.ConstraintUnique:
				kc.Type = "u"
			case catalog.ConstraintForeignKey:
				kc.Type = "f"
			case catalog.ConstraintCheck:
				kc.Type = "c"
				if m := notNullCheckRE.FindStringSubmatch(k.Definition); m != nil {
					kc.notNullOf = m[1]
					if kc.notNullOf == "" {
						kc.notNullOf = m[2]
					}
				}
			case catalog.ConstraintExclusion:
				kc.Type = "x"
			}
			if k.RefTable != nil {
				kc.RefTable = k.RefTable.Name
			}
			t.Constraints = append(t.Constraints, kc)
		}
		for _, ix := range st.Indexes {
			ri := &Index{Name: ix.Name, Unique: ix.Unique, Primary: ix.Primary, Constraint: ix.Constraint}
			for _, k := range ix.Keys {
				ri.Columns = append(ri.Columns, k.Column)
			}
			t.Indexes = append(t.Indexes, ri)
		}
		c.AddTable(t)
	}
	for i := range s.Views {
		v := &s.Views[i]
		kind := "view"
		if v.Materialized {
			kind = "matview"
		}
		t := &Table{Schema: v.Schema, Name: v.Name, Kind: kind, Comment: v.Comment, Owner: v.Owner, Rows: -1}
		for _, col := range v.Columns {
			t.Columns = append(t.Columns, &Column{Name: col.Name, Type: col.Type, Comment: col.Comment})
		}
		for _, ix := range v.Indexes {
			ri := &Index{Name: ix.Name, Unique: ix.Unique}
			for _, k := range ix.Keys {
				ri.Columns = append(ri.Columns, k.Column)
			}
			t.Indexes = append(t.Indexes, ri)
		}
		c.AddTable(t)
	}
	return c
}

// nameKey lowercases for case-insensitive comparisons of type and option names.
func nameKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// notNullCheckRE matches the definition PostgreSQL prints for
// CHECK (col IS NOT NULL).
var notNullCheckRE = regexp.MustCompile(`^CHECK \(\((?:"((?:[^"]|"")+)"|([a-z_][a-z0-9_$]*)) IS NOT NULL\)\)`)

// provenNotNull reports whether a valid CHECK (col IS NOT NULL) covers col.
func (t *Table) provenNotNull(col string) bool {
	for _, k := range t.Constraints {
		if k.Type == "c" && !k.NotValid && k.notNullOf == col {
			return true
		}
	}
	return false
}
