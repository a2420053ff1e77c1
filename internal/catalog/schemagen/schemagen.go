// Package schemagen generates realistic, random (but seeded, so repeatable)
// PostgreSQL schemas as SQL scripts: tables with varied columns, keys,
// foreign keys, indexes, checks, views, a materialized view, functions,
// triggers, enums, domains, composite types, sequences, partitioned tables,
// inheritance, policies and comments. Tests use it for round-trip oracles and
// benchmarks use it to build large databases.
package schemagen

import (
	"fmt"
	"math/rand"
	"strings"
)

// Options size the generated schema.
type Options struct {
	// Tables is the number of ordinary tables (partitioned tables, partitions
	// and inheritance children come on top, about one per 25 tables).
	Tables int
	// Schemas spreads the objects over this many schemas (default 1 + Tables/500).
	Schemas int
}

// Generate returns a script (plain SQL, one statement per line group) that
// builds the schema described by seed and opts in an empty database.
func Generate(seed int64, opts Options) string {
	g := &gen{r: rand.New(rand.NewSource(seed)), used: map[string]bool{}}
	if opts.Tables <= 0 {
		opts.Tables = 10
	}
	if opts.Schemas <= 0 {
		opts.Schemas = 1 + opts.Tables/500
	}
	g.run(opts)
	return g.b.String()
}

type table struct {
	schema, name string
	cols         []column
	pk           string // primary key column, "" when none
}

type column struct {
	name, typ string
}

type gen struct {
	r       *rand.Rand
	b       strings.Builder
	used    map[string]bool
	schemas []string
	enums   []string
	domains []string
	tables  []table
	funcs   []string // trigger functions
	n       int
}

func (g *gen) emit(format string, args ...any) {
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteString(";\n")
}

func wordList() []string {
	return []string{"account", "order", "item", "user", "invoice", "payment", "note", "tag", "event", "session",
		"product", "price", "stock", "shipment", "address", "review", "rating", "comment", "group", "role", "Value",
		"status", "kind", "level", "select", "limit", "offset", "created", "updated", "Title", "name", "amount"}
}

// ident returns a fresh identifier, sometimes needing quotes (a keyword or
// mixed case), unique across the whole script.
func (g *gen) ident(prefix string) string {
	for {
		words := wordList()
		w := words[g.r.Intn(len(words))]
		var name string
		switch g.r.Intn(6) {
		case 0:
			name = w // may be a keyword or mixed case
		default:
			g.n++
			name = fmt.Sprintf("%s_%s_%d", prefix, strings.ToLower(w), g.n)
		}
		if !g.used[name] {
			g.used[name] = true
			return name
		}
	}
}

func q(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r == '_' || (i > 0 && r >= '0' && r <= '9')) {
			plain = false
		}
	}
	switch strings.ToLower(name) {
	case "order", "user", "group", "select", "limit", "offset", "table", "check":
		plain = false
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func qq(schema, name string) string { return q(schema) + "." + q(name) }

func (g *gen) pick(s []string) string { return s[g.r.Intn(len(s))] }

func (g *gen) run(o Options) {
	g.schemas = []string{"public"}
	for i := 1; i < o.Schemas; i++ {
		s := fmt.Sprintf("s%d", i)
		g.emit("CREATE SCHEMA %s", q(s))
		g.emit("COMMENT ON SCHEMA %s IS 'generated schema %d'", q(s), i)
		g.schemas = append(g.schemas, s)
	}
	nTypes := 3 + o.Tables/50
	for i := 0; i < nTypes; i++ {
		s := g.pick(g.schemas)
		switch i % 3 {
		case 0:
			n := qq(s, g.ident("e"))
			g.emit("CREATE TYPE %s AS ENUM ('new', 'active', 'suspended', 'closed')", n)
			g.enums = append(g.enums, n)
		case 1:
			n := qq(s, g.ident("d"))
			g.emit("CREATE DOMAIN %s AS integer CHECK (VALUE >= 0)", n)
			g.emit("COMMENT ON DOMAIN %s IS 'non-negative'", n)
			g.domains = append(g.domains, n)
		case 2:
			n := qq(s, g.ident("c"))
			g.emit("CREATE TYPE %s AS (x integer, y text, z numeric(10,2))", n)
		}
	}
	for i := 0; i < 1+o.Tables/100; i++ {
		s := g.pick(g.schemas)
		n := qq(s, g.ident("touch"))
		g.emit("CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", n)
		g.funcs = append(g.funcs, n)
		f := qq(s, g.ident("calc"))
		g.emit("CREATE FUNCTION %s(a integer, b integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT a * b $$", f)
		g.emit("COMMENT ON FUNCTION %s(integer, integer) IS 'multiplies'", f)
	}
	for i := 0; i < o.Tables; i++ {
		g.table(g.pick(g.schemas))
		if i%25 == 24 {
			g.partitioned(g.pick(g.schemas))
		}
		if i%40 == 39 && len(g.tables) > 0 {
			g.child()
		}
	}
	for i := 0; i < 1+o.Tables/20; i++ {
		g.view()
	}
	if len(g.tables) > 0 {
		t := g.tables[g.r.Intn(len(g.tables))]
		mv := qq(t.schema, g.ident("mv"))
		g.emit("CREATE MATERIALIZED VIEW %s AS SELECT %s, count(*) AS n FROM %s GROUP BY 1", mv, q(t.cols[0].name), qq(t.schema, t.name))
		g.emit("CREATE UNIQUE INDEX ON %s (%s)", mv, q(t.cols[0].name))
	}
}

func (g *gen) colType() (string, string) {
	switch g.r.Intn(14) {
	case 0:
		return "integer", "DEFAULT 0"
	case 1:
		return "bigint", ""
	case 2:
		return "text", "DEFAULT ''"
	case 3:
		return fmt.Sprintf("varchar(%d)", 10+g.r.Intn(200)), ""
	case 4:
		return fmt.Sprintf("numeric(%d,%d)", 8+g.r.Intn(10), g.r.Intn(4)), ""
	case 5:
		return "timestamptz", "DEFAULT now()"
	case 6:
		return "boolean", "DEFAULT false"
	case 7:
		return "jsonb", ""
	case 8:
		return "uuid", ""
	case 9:
		return "text[]", "DEFAULT '{}'"
	case 10:
		if len(g.enums) > 0 {
			return g.pick(g.enums), "DEFAULT 'new'"
		}
		return "date", ""
	case 11:
		if len(g.domains) > 0 {
			return g.pick(g.domains), ""
		}
		return "smallint", ""
	case 12:
		return "double precision", ""
	default:
		return "inet", ""
	}
}

func (g *gen) table(schema string) {
	t := table{schema: schema, name: g.ident("t")}
	name := qq(schema, t.name)
	var defs []string
	switch g.r.Intn(4) {
	case 0:
		defs = append(defs, "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
		t.pk = "id"
		t.cols = append(t.cols, column{"id", "bigint"})
	case 1:
		defs = append(defs, "id serial PRIMARY KEY")
		t.pk = "id"
		t.cols = append(t.cols, column{"id", "integer"})
	case 2:
		defs = append(defs, "id uuid NOT NULL")
		t.cols = append(t.cols, column{"id", "uuid"})
	default:
		defs = append(defs, "id integer NOT NULL")
		t.cols = append(t.cols, column{"id", "integer"})
	}
	nc := 3 + g.r.Intn(8)
	for i := 0; i < nc; i++ {
		c := g.ident("c")
		typ, def := g.colType()
		d := q(c) + " " + typ
		if def != "" && g.r.Intn(2) == 0 {
			d += " " + def
		}
		if g.r.Intn(3) == 0 {
			d += " NOT NULL"
		}
		defs = append(defs, d)
		t.cols = append(t.cols, column{c, typ})
	}
	if g.r.Intn(5) == 0 {
		defs = append(defs, "doubled integer GENERATED ALWAYS AS (length(id::text) * 2) STORED")
		t.cols = append(t.cols, column{"doubled", "integer"})
	}
	if g.r.Intn(3) == 0 {
		defs = append(defs, fmt.Sprintf("CONSTRAINT %s CHECK (%s IS NOT NULL OR id IS NOT NULL)", q(t.name+"_chk"), q(t.cols[1].name)))
	}
	// Foreign keys to earlier tables with a primary key.
	for k := 0; k < 2 && len(g.tables) > 0; k++ {
		ref := g.tables[g.r.Intn(len(g.tables))]
		if ref.pk == "" || g.r.Intn(2) == 0 {
			continue
		}
		fk := g.ident("ref")
		defs = append(defs, fmt.Sprintf("%s %s", q(fk), ref.cols[0].typ))
		act := g.pick([]string{"", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON UPDATE CASCADE DEFERRABLE"})
		defs = append(defs, fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (id)%s", q(fk), qq(ref.schema, ref.name), act))
		t.cols = append(t.cols, column{fk, ref.cols[0].typ})
	}
	opts := ""
	if g.r.Intn(10) == 0 {
		opts = " WITH (fillfactor = 90)"
	}
	g.emit("CREATE TABLE %s (\n    %s\n)%s", name, strings.Join(defs, ",\n    "), opts)
	if t.pk == "" && g.r.Intn(2) == 0 {
		g.emit("ALTER TABLE %s ADD PRIMARY KEY (id)", name)
		t.pk = "id"
	}
	if g.r.Intn(2) == 0 {
		g.emit("COMMENT ON TABLE %s IS 'table %s'", name, strings.ReplaceAll(t.name, "'", "''"))
		g.emit("COMMENT ON COLUMN %s.%s IS 'a column'", name, q(t.cols[1].name))
	}
	// Indexes.
	for k := 0; k < g.r.Intn(4); k++ {
		c := t.cols[1+g.r.Intn(len(t.cols)-1)]
		switch {
		case c.typ == "jsonb":
			g.emit("CREATE INDEX ON %s USING gin (%s)", name, q(c.name))
		case c.typ == "text" && g.r.Intn(2) == 0:
			g.emit("CREATE INDEX ON %s (lower(%s)) WHERE %s <> ''", name, q(c.name), q(c.name))
		case strings.HasSuffix(c.typ, "[]"):
			g.emit("CREATE INDEX ON %s USING gin (%s)", name, q(c.name))
		case c.typ == "inet":
			g.emit("CREATE INDEX ON %s USING gist (%s inet_ops)", name, q(c.name))
		default:
			other := t.cols[g.r.Intn(len(t.cols))]
			if other.name != c.name && g.r.Intn(2) == 0 {
				g.emit("CREATE INDEX ON %s (%s DESC, %s) INCLUDE (id)", name, q(c.name), q(other.name))
			} else {
				g.emit("CREATE INDEX ON %s (%s)", name, q(c.name))
			}
		}
	}
	if g.r.Intn(6) == 0 {
		u := t.cols[1+g.r.Intn(len(t.cols)-1)]
		if u.typ != "jsonb" && u.typ != "text[]" && u.typ != "inet" {
			g.emit("ALTER TABLE %s ADD CONSTRAINT %s UNIQUE NULLS NOT DISTINCT (%s)", name, q(t.name+"_uq"), q(u.name))
		}
	}
	if len(g.funcs) > 0 && g.r.Intn(4) == 0 {
		g.emit("CREATE TRIGGER %s BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s()", q(t.name+"_trg"), name, g.pick(g.funcs))
	}
	if g.r.Intn(15) == 0 {
		g.emit("ALTER TABLE %s ENABLE ROW LEVEL SECURITY", name)
		g.emit("CREATE POLICY %s ON %s FOR SELECT USING (id IS NOT NULL)", q(t.name+"_pol"), name)
	}
	g.tables = append(g.tables, t)
}

func (g *gen) partitioned(schema string) {
	n := g.ident("p")
	name := qq(schema, n)
	g.emit("CREATE TABLE %s (id bigint NOT NULL, at date NOT NULL, v text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)", name)
	g.emit("CREATE INDEX ON %s (v)", name)
	for y := 2023; y < 2023+1+g.r.Intn(3); y++ {
		g.emit("CREATE TABLE %s PARTITION OF %s FOR VALUES FROM ('%d-01-01') TO ('%d-01-01')", qq(schema, fmt.Sprintf("%s_%d", n, y)), name, y, y+1)
	}
	g.emit("CREATE TABLE %s PARTITION OF %s DEFAULT", qq(schema, n+"_default"), name)
}

func (g *gen) child() {
	parent := g.tables[g.r.Intn(len(g.tables))]
	c := qq(parent.schema, g.ident("child"))
	g.emit("CREATE TABLE %s (extra text) INHERITS (%s)", c, qq(parent.schema, parent.name))
}

func (g *gen) view() {
	if len(g.tables) == 0 {
		return
	}
	t := g.tables[g.r.Intn(len(g.tables))]
	v := qq(t.schema, g.ident("v"))
	cols := []string{"t." + q(t.cols[0].name)}
	for _, c := range t.cols[1:] {
		if g.r.Intn(2) == 0 {
			cols = append(cols, "t."+q(c.name))
		}
	}
	where := ""
	if g.r.Intn(2) == 0 {
		where = " WHERE t.id IS NOT NULL"
	}
	g.emit("CREATE VIEW %s AS SELECT %s FROM %s t%s", v, strings.Join(cols, ", "), qq(t.schema, t.name), where)
	if g.r.Intn(3) == 0 {
		g.emit("COMMENT ON VIEW %s IS 'a view'", v)
	}
}
