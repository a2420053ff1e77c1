package catalog

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

// CatalogState summarises the catalog rows that make up a database's
// schema, per catalog and per schema: how many rows of each catalog belong
// to each schema (a column to its table's schema, a comment to its object's
// schema, ...). Read before statements run and compared, in the same
// transaction, with the catalogs after them (ChangedSchemas), it tells
// which schemas those statements changed without inspecting the others.
// The state of a database nothing commits to (a dry-run template) can be
// read once and kept.
type CatalogState struct {
	// counts maps a catalog entry (see catalogEntries) to the rows per
	// namespace oid (0: outside any schema).
	counts map[string]map[uint32]int64
	// roles digests the roles' oids and names (owners and grantees are
	// rendered by name).
	roles string
	// parents maps a schema to the schemas of its tables' inheritance
	// parents (an inheritance child is rendered against its parents).
	parents map[uint32]map[uint32]bool
	names   map[uint32]string
}

// Changes says what a transaction changed between two catalog states.
type Changes struct {
	// Global is set when something outside any schema changed (a schema
	// itself, a role, an extension, a cast, an event trigger, global default
	// privileges, extension membership, a comment or dependency of an object
	// no schema holds): only a whole inspection can tell its effect.
	Global bool `json:"global"`
	// Schemas are the schemas to inspect again, sorted (system schemas left
	// out): those whose rows changed, those holding objects that depend on a
	// changed object (a view or a foreign key elsewhere renders the changed
	// object's name), and the schemas of the inheritance parents of their
	// tables, transitively.
	Schemas []string `json:"schemas"`
}

// freshXmin is true for a row version written by the current transaction or
// one of its subtransactions: age() counts from the transaction's own xid (or
// from the next xid when it had none yet, fixed for the transaction), so
// every row committed before is older and every row written since is not.
func freshXmin(col string) string { return "pg_catalog.age(" + col + ") <= 0" }

// catalogEntry is one catalog's share of the state: rows is a SELECT of
// (nsp, x) — each row's schema (0 for none) and its xmin — over the rows
// that count; base selects x alone over the same rows without the joins
// that find the schema (empty: rows itself). An entry whose rows holds
// the placeholder {FRESH} counts only rows this transaction wrote.
type catalogEntry struct {
	name, rows, base string
}

// relEntry is a catalog whose rows belong to a relation (rel, a pg_class
// oid column of t), with an optional filter on t.
func relEntry(name, rel, filter string) catalogEntry {
	where := ""
	if filter != "" {
		where = " WHERE " + filter
	}
	return catalogEntry{name: name,
		rows: "SELECT c.relnamespace AS nsp, t.xmin AS x FROM pg_catalog." + name + " t JOIN pg_catalog.pg_class c ON c.oid = t." + rel + where,
		base: "SELECT t.xmin AS x FROM pg_catalog." + name + " t" + where}
}

// nspEntry is a catalog with its own namespace column.
func nspEntry(name, col string) catalogEntry {
	return catalogEntry{name: name, rows: "SELECT " + col + " AS nsp, xmin AS x FROM pg_catalog." + name,
		base: "SELECT xmin AS x FROM pg_catalog." + name}
}

// globalEntry is a catalog outside any schema.
func globalEntry(name string) catalogEntry {
	return catalogEntry{name: name, rows: "SELECT 0::pg_catalog.oid AS nsp, xmin AS x FROM pg_catalog." + name,
		base: "SELECT xmin AS x FROM pg_catalog." + name}
}

// objectNamespace is the schema of the object (class, oid) point at (NULL
// when the object is of a kind no schema holds), looked up by index.
func objectNamespace(class, oid string) string {
	var b strings.Builder
	b.WriteString("CASE " + class)
	for _, c := range [][2]string{
		{"pg_class", "relnamespace"}, {"pg_type", "typnamespace"}, {"pg_proc", "pronamespace"},
		{"pg_constraint", "connamespace"}, {"pg_operator", "oprnamespace"}, {"pg_opclass", "opcnamespace"},
		{"pg_opfamily", "opfnamespace"}, {"pg_collation", "collnamespace"}, {"pg_conversion", "connamespace"},
		{"pg_statistic_ext", "stxnamespace"}, {"pg_ts_config", "cfgnamespace"}, {"pg_ts_dict", "dictnamespace"},
		{"pg_ts_parser", "prsnamespace"}, {"pg_ts_template", "tmplnamespace"}, {"pg_default_acl", "defaclnamespace"},
	} {
		fmt.Fprintf(&b, "\n    WHEN 'pg_catalog.%s'::pg_catalog.regclass THEN (SELECT o.%s FROM pg_catalog.%s o WHERE o.oid = %s)", c[0], c[1], c[0], oid)
	}
	for _, c := range [][2]string{{"pg_attrdef", "adrelid"}, {"pg_rewrite", "ev_class"}, {"pg_trigger", "tgrelid"}, {"pg_policy", "polrelid"}} {
		fmt.Fprintf(&b, "\n    WHEN 'pg_catalog.%s'::pg_catalog.regclass THEN (SELECT oc.relnamespace FROM pg_catalog.%s o JOIN pg_catalog.pg_class oc ON oc.oid = o.%s WHERE o.oid = %s)", c[0], c[0], c[1], oid)
	}
	b.WriteString("\n    WHEN 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN " + oid + " END")
	return b.String()
}

// pointerEntry is a catalog whose rows point at an object by (class, oid):
// comments, security labels, dependencies.
func pointerEntry(name, table, class, oid, filter string) catalogEntry {
	where := ""
	if filter != "" {
		where = " WHERE " + filter
	}
	return catalogEntry{name: name,
		rows: "SELECT " + objectNamespace("t."+class, "t."+oid) + " AS nsp, t.xmin AS x FROM pg_catalog." + table + " t" + where,
		base: "SELECT t.xmin AS x FROM pg_catalog." + table + " t" + where}
}

// catalogEntries are the catalogs the model is read from. Dependencies
// count in three ways: extension membership (outside any schema), sequence
// ownership (the sequence's schema), and those this transaction wrote (their
// object's schema); the others feed only the model's dependency edges, which
// order a dump and render nothing, and PostgreSQL removes them only with
// their object's own rows.
var catalogEntries = []catalogEntry{
	nspEntry("pg_class", "relnamespace"),
	relEntry("pg_attribute", "attrelid", "t.attnum > 0"), // system columns come and go with their relation
	relEntry("pg_attrdef", "adrelid", ""),
	relEntry("pg_index", "indexrelid", ""),
	relEntry("pg_trigger", "tgrelid", ""),
	relEntry("pg_policy", "polrelid", ""),
	relEntry("pg_rewrite", "ev_class", ""),
	relEntry("pg_sequence", "seqrelid", ""),
	relEntry("pg_inherits", "inhrelid", ""),
	relEntry("pg_partitioned_table", "partrelid", ""),
	relEntry("pg_foreign_table", "ftrelid", ""),
	nspEntry("pg_constraint", "connamespace"),
	nspEntry("pg_type", "typnamespace"),
	{name: "pg_enum", rows: "SELECT y.typnamespace AS nsp, t.xmin AS x FROM pg_catalog.pg_enum t JOIN pg_catalog.pg_type y ON y.oid = t.enumtypid",
		base: "SELECT xmin AS x FROM pg_catalog.pg_enum"},
	{name: "pg_range", rows: "SELECT y.typnamespace AS nsp, t.xmin AS x FROM pg_catalog.pg_range t JOIN pg_catalog.pg_type y ON y.oid = t.rngtypid",
		base: "SELECT xmin AS x FROM pg_catalog.pg_range"},
	nspEntry("pg_proc", "pronamespace"),
	nspEntry("pg_operator", "oprnamespace"),
	nspEntry("pg_opclass", "opcnamespace"),
	nspEntry("pg_opfamily", "opfnamespace"),
	{name: "pg_amop", rows: "SELECT f.opfnamespace AS nsp, t.xmin AS x FROM pg_catalog.pg_amop t JOIN pg_catalog.pg_opfamily f ON f.oid = t.amopfamily",
		base: "SELECT xmin AS x FROM pg_catalog.pg_amop"},
	{name: "pg_amproc", rows: "SELECT f.opfnamespace AS nsp, t.xmin AS x FROM pg_catalog.pg_amproc t JOIN pg_catalog.pg_opfamily f ON f.oid = t.amprocfamily",
		base: "SELECT xmin AS x FROM pg_catalog.pg_amproc"},
	nspEntry("pg_collation", "collnamespace"),
	nspEntry("pg_conversion", "connamespace"),
	nspEntry("pg_statistic_ext", "stxnamespace"),
	nspEntry("pg_ts_config", "cfgnamespace"),
	{name: "pg_ts_config_map", rows: "SELECT c.cfgnamespace AS nsp, t.xmin AS x FROM pg_catalog.pg_ts_config_map t JOIN pg_catalog.pg_ts_config c ON c.oid = t.mapcfg",
		base: "SELECT xmin AS x FROM pg_catalog.pg_ts_config_map"},
	nspEntry("pg_ts_dict", "dictnamespace"),
	nspEntry("pg_ts_parser", "prsnamespace"),
	nspEntry("pg_ts_template", "tmplnamespace"),
	nspEntry("pg_default_acl", "defaclnamespace"), // 0: global default privileges
	pointerEntry("pg_description", "pg_description", "classoid", "objoid", "t.objoid >= 16384"),
	pointerEntry("pg_seclabel", "pg_seclabel", "classoid", "objoid", ""),
	pointerEntry("pg_depend written", "pg_depend", "classid", "objid", "t.objid >= 16384 AND t.deptype NOT IN ('e', 'x') AND {FRESH}"),
	{name: "pg_depend ownership",
		rows: "SELECT c.relnamespace AS nsp, t.xmin AS x FROM pg_catalog.pg_depend t JOIN pg_catalog.pg_class c ON c.oid = t.objid " +
			"WHERE t.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND t.deptype IN ('a', 'i') AND c.relkind = 'S'"},
	{name: "pg_depend extension", rows: "SELECT 0::pg_catalog.oid AS nsp, xmin AS x FROM pg_catalog.pg_depend WHERE deptype IN ('e', 'x')"},
	globalEntry("pg_namespace"),
	globalEntry("pg_extension"),
	globalEntry("pg_cast"),
	globalEntry("pg_language"),
	globalEntry("pg_event_trigger"),
	globalEntry("pg_foreign_data_wrapper"),
	globalEntry("pg_foreign_server"),
	globalEntry("pg_publication"),
	globalEntry("pg_publication_rel"),
	globalEntry("pg_transform"),
	globalEntry("pg_am"),
	globalEntry("pg_auth_members"),
}

// entrySQL renders an entry's SELECT with fresh standing for the test of
// "written by this transaction" on column x.
func entrySQL(sql, x string) string { return strings.ReplaceAll(sql, "{FRESH}", freshXmin(x)) }

// countsQuery counts the rows of entries per schema.
func countsQuery(entries []catalogEntry) string {
	parts := make([]string, 0, len(entries))
	for _, e := range entries {
		parts = append(parts, "SELECT '"+e.name+"'::text, COALESCE(r.nsp, 0::pg_catalog.oid), pg_catalog.count(*) FROM ("+entrySQL(e.rows, "t.xmin")+") r GROUP BY 2")
	}
	return strings.Join(parts, "\nUNION ALL ")
}

// totalsQuery counts the rows of every entry and those written by this
// transaction, without finding their schemas.
func totalsQuery() string {
	parts := make([]string, 0, len(catalogEntries))
	for _, e := range catalogEntries {
		base := e.base
		if base == "" {
			base = e.rows
		}
		parts = append(parts, "SELECT '"+e.name+"'::text, pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE "+freshXmin("r.x")+") FROM ("+entrySQL(base, "t.xmin")+") r")
	}
	return strings.Join(parts, "\nUNION ALL ")
}

// writtenQuery lists the schemas of the rows of entries this transaction
// wrote.
func writtenQuery(entries []catalogEntry) string {
	parts := make([]string, 0, len(entries))
	for _, e := range entries {
		parts = append(parts, "SELECT DISTINCT r.nsp FROM ("+entrySQL(e.rows, "t.xmin")+") r WHERE "+freshXmin("r.x"))
	}
	return strings.Join(parts, "\nUNION ")
}

// rolesQuery digests the roles: creating, dropping or renaming one changes it.
const rolesQuery = `SELECT pg_catalog.md5(COALESCE(pg_catalog.string_agg(oid::text || ':' || rolname, ',' ORDER BY oid), ''))
FROM pg_catalog.pg_roles`

// contextQuery lists the schemas (with their names) and, for inheritance
// across schemas, the child's schema and the parent's.
const contextQuery = `SELECT n.oid, n.nspname::text, 0::pg_catalog.oid FROM pg_catalog.pg_namespace n
UNION ALL
SELECT DISTINCT c.relnamespace, '', p.relnamespace
FROM pg_catalog.pg_inherits h
JOIN pg_catalog.pg_class c ON c.oid = h.inhrelid
JOIN pg_catalog.pg_class p ON p.oid = h.inhparent
WHERE c.relnamespace <> p.relnamespace`

// dependentsQuery lists the schemas (0: an object no schema holds) of the
// objects that depend on an object this transaction wrote a row of: their
// rows are unchanged, but what PostgreSQL renders for them (a view's query,
// a foreign key's referenced table, a column's type) names the changed
// object.
var dependentsQuery = `WITH w(oid) AS (
  SELECT oid FROM pg_catalog.pg_class WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT attrelid FROM pg_catalog.pg_attribute WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT adrelid FROM pg_catalog.pg_attrdef WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT indrelid FROM pg_catalog.pg_index WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT indexrelid FROM pg_catalog.pg_index WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT tgrelid FROM pg_catalog.pg_trigger WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT polrelid FROM pg_catalog.pg_policy WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT ev_class FROM pg_catalog.pg_rewrite WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT seqrelid FROM pg_catalog.pg_sequence WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT inhrelid FROM pg_catalog.pg_inherits WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT inhparent FROM pg_catalog.pg_inherits WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT partrelid FROM pg_catalog.pg_partitioned_table WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT oid FROM pg_catalog.pg_constraint WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT conrelid FROM pg_catalog.pg_constraint WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT contypid FROM pg_catalog.pg_constraint WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT oid FROM pg_catalog.pg_type WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT enumtypid FROM pg_catalog.pg_enum WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT rngtypid FROM pg_catalog.pg_range WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT oid FROM pg_catalog.pg_proc WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT oid FROM pg_catalog.pg_operator WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT oid FROM pg_catalog.pg_opclass WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT oid FROM pg_catalog.pg_opfamily WHERE pg_catalog.age(xmin) <= 0
  UNION SELECT oid FROM pg_catalog.pg_collation WHERE pg_catalog.age(xmin) <= 0
)
SELECT DISTINCT COALESCE(` + objectNamespace("d.classid", "d.objid") + `, 0)
FROM pg_catalog.pg_depend d
WHERE d.refobjid IN (SELECT oid FROM w)`

// stateSettings turn off, for the rest of the transaction, what costs the
// state's queries more than it saves (as for an inspection): JIT
// compilation of their large plans took most of a dry run's time on a
// 2,000-table schema, and parallel workers. Neither changes what any
// statement does.
const stateSettings = "SELECT pg_catalog.set_config('jit', 'off', true), pg_catalog.set_config('max_parallel_workers_per_gather', '0', true)"

// ReadCatalogState reads the catalog state of the database q is connected
// to. Read in a transaction (a pgx.Tx) before statements run in it, or on
// a database nothing commits to, it is what ChangedSchemas compares with.
func ReadCatalogState(ctx context.Context, q Querier) (*CatalogState, error) {
	if b, ok := q.(txBeginner); ok {
		tx, err := b.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return nil, fmt.Errorf("catalog state: begin: %w", err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
		q = tx
	}
	if _, err := q.Exec(ctx, stateSettings); err != nil {
		return nil, fmt.Errorf("catalog state: %w", err)
	}
	st := &CatalogState{counts: map[string]map[uint32]int64{}, parents: map[uint32]map[uint32]bool{}, names: map[uint32]string{}}
	counts, err := readCounts(ctx, q, catalogEntries)
	if err != nil {
		return nil, err
	}
	st.counts = counts
	if err := st.readContext(ctx, q); err != nil {
		return nil, err
	}
	return st, nil
}

func readCounts(ctx context.Context, q Querier, entries []catalogEntry) (map[string]map[uint32]int64, error) {
	out := map[string]map[uint32]int64{}
	for _, e := range entries {
		out[e.name] = map[uint32]int64{}
	}
	rows, err := q.Query(ctx, countsQuery(entries))
	if err != nil {
		return nil, fmt.Errorf("catalog state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var nsp uint32
		var n int64
		if err := rows.Scan(&name, &nsp, &n); err != nil {
			return nil, fmt.Errorf("catalog state: %w", err)
		}
		out[name][nsp] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog state: %w", err)
	}
	return out, nil
}

// readContext reads the roles' digest, the schemas' names and the
// inheritance edges across schemas.
func (st *CatalogState) readContext(ctx context.Context, q Querier) error {
	if err := q.QueryRow(ctx, rolesQuery).Scan(&st.roles); err != nil {
		return fmt.Errorf("catalog state: roles: %w", err)
	}
	rows, err := q.Query(ctx, contextQuery)
	if err != nil {
		return fmt.Errorf("catalog state: schemas: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var nsp, parent uint32
		var name string
		if err := rows.Scan(&nsp, &name, &parent); err != nil {
			return fmt.Errorf("catalog state: schemas: %w", err)
		}
		if parent == 0 {
			st.names[nsp] = name
			continue
		}
		if st.parents[nsp] == nil {
			st.parents[nsp] = map[uint32]bool{}
		}
		st.parents[nsp][parent] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("catalog state: schemas: %w", err)
	}
	return nil
}

// ChangedSchemas compares the catalogs, in q's transaction, with before,
// the state of the database when the transaction started (read in it, or
// of a database nothing commits to). For each catalog it counts the rows
// and those the transaction wrote (an insert or an update): when the count
// grew by exactly the rows written, every change is a row inserted, and the
// schemas are those of the rows written; otherwise (an update or a delete)
// the rows are counted per schema, and a schema changed when a row of it
// was written or its count differs.
func ChangedSchemas(ctx context.Context, q Querier, before *CatalogState) (Changes, error) {
	if _, err := q.Exec(ctx, stateSettings); err != nil {
		return Changes{}, fmt.Errorf("catalog state: %w", err)
	}
	after := &CatalogState{parents: map[uint32]map[uint32]bool{}, names: map[uint32]string{}}
	if err := after.readContext(ctx, q); err != nil {
		return Changes{}, err
	}
	if after.roles != before.roles {
		return Changes{Global: true}, nil
	}
	var written, recount []catalogEntry
	rows, err := q.Query(ctx, totalsQuery())
	if err != nil {
		return Changes{}, fmt.Errorf("catalog totals: %w", err)
	}
	byName := map[string]catalogEntry{}
	for _, e := range catalogEntries {
		byName[e.name] = e
	}
	for rows.Next() {
		var name string
		var n, fresh int64
		if err := rows.Scan(&name, &n, &fresh); err != nil {
			rows.Close()
			return Changes{}, fmt.Errorf("catalog totals: %w", err)
		}
		var was int64
		for _, c := range before.counts[name] {
			was += c
		}
		switch {
		case n == was && fresh == 0:
		case n-was == fresh:
			written = append(written, byName[name])
		default:
			recount = append(recount, byName[name])
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Changes{}, fmt.Errorf("catalog totals: %w", err)
	}
	set := map[uint32]bool{}
	if len(written)+len(recount) > 0 {
		if len(written) > 0 {
			if err := collectNamespaces(ctx, q, writtenQuery(written), set); err != nil {
				return Changes{}, fmt.Errorf("catalog rows written: %w", err)
			}
		}
		if len(recount) > 0 {
			// the rows written, and the schemas whose counts differ
			if err := collectNamespaces(ctx, q, writtenQuery(recount), set); err != nil {
				return Changes{}, fmt.Errorf("catalog rows written: %w", err)
			}
			counts, err := readCounts(ctx, q, recount)
			if err != nil {
				return Changes{}, err
			}
			for _, e := range recount {
				for nsp, n := range counts[e.name] {
					if n != before.counts[e.name][nsp] {
						set[nsp] = true
					}
				}
				for nsp := range before.counts[e.name] {
					if _, ok := counts[e.name][nsp]; !ok {
						set[nsp] = true
					}
				}
			}
		}
		if err := collectNamespaces(ctx, q, dependentsQuery, set); err != nil {
			return Changes{}, fmt.Errorf("catalog dependents: %w", err)
		}
	}
	if set[0] {
		return Changes{Global: true}, nil
	}
	// Inheritance children render against their parents: add the parents'
	// schemas (before and after the change), transitively.
	for grew := true; grew; {
		grew = false
		for nsp := range set {
			for _, st := range []*CatalogState{before, after} {
				for p := range st.parents[nsp] {
					if !set[p] {
						set[p], grew = true, true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for nsp := range set {
		name, ok := after.names[nsp]
		if !ok || before.names[nsp] != name {
			// a schema came or went (its own row is global): only a whole
			// inspection tells
			return Changes{Global: true}, nil
		}
		if !systemSchema(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return Changes{Schemas: out}, nil
}

// collectNamespaces adds the namespace oids sql returns (NULL as 0) to set.
func collectNamespaces(ctx context.Context, q Querier, sql string, set map[uint32]bool) error {
	rows, err := q.Query(ctx, sql)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var nsp *uint32
		if err := rows.Scan(&nsp); err != nil {
			return err
		}
		if nsp == nil {
			set[0] = true
		} else {
			set[*nsp] = true
		}
	}
	return rows.Err()
}

// systemSchema reports the schemas Inspect never reads (see the namespaces
// query): the system catalogs, TOAST storage and temporary schemas.
func systemSchema(name string) bool {
	return name == "pg_catalog" || name == "information_schema" || strings.HasPrefix(name, "pg_toast") || strings.HasPrefix(name, "pg_temp_")
}

// Restrict returns the part of s that Inspect with Options.Schemas set to
// schemas reads: the objects of those schemas, every extension and event
// trigger, global default privileges and those of the schemas, with
// dependencies on objects of other schemas left out. s is not changed.
func Restrict(s *Schema, schemas []string) Schema {
	in := map[string]bool{}
	for _, n := range schemas {
		in[n] = true
	}
	refs := func(rs []ObjectRef) []ObjectRef {
		if rs == nil {
			return nil
		}
		out := make([]ObjectRef, 0, len(rs))
		for _, r := range rs {
			if r.Kind == KindExtension || in[r.Schema] {
				out = append(out, r)
			}
		}
		return out
	}
	out := Schema{Privileges: s.Privileges, Extensions: s.Extensions, EventTriggers: s.EventTriggers}
	out.ForeignWrappers, out.ForeignServers = s.ForeignWrappers, s.ForeignServers
	out.ForeignTables = filter(s.ForeignTables, func(x ForeignTable) bool { return in[x.Schema] }, nil)
	out.TextSearchDicts = filter(s.TextSearchDicts, func(x TextSearchDict) bool { return in[x.Schema] }, nil)
	out.TextSearchConfigs = filter(s.TextSearchConfigs, func(x TextSearchConfig) bool { return in[x.Schema] }, nil)
	out.Casts = filter(s.Casts, func(Cast) bool { return true }, func(c *Cast) { c.DependsOn = refs(c.DependsOn) })
	out.Publications = filter(s.Publications, func(Publication) bool { return true }, func(p *Publication) {
		p.Tables = filter(p.Tables, func(t PublicationTable) bool { return in[t.Table.Schema] }, nil)
		p.Schemas = filter(p.Schemas, func(n string) bool { return in[n] }, nil)
		if len(p.Tables) == 0 {
			p.Tables = nil
		}
		if len(p.Schemas) == 0 {
			p.Schemas = nil
		}
	})
	out.Namespaces = filter(s.Namespaces, func(n Namespace) bool { return in[n.Name] }, nil)
	out.Collations = filter(s.Collations, func(c Collation) bool { return in[c.Schema] }, nil)
	out.Types = filter(s.Types, func(t Type) bool { return in[t.Schema] }, func(t *Type) { t.DependsOn = refs(t.DependsOn) })
	out.Sequences = filter(s.Sequences, func(q Sequence) bool { return in[q.Schema] }, nil)
	out.Tables = filter(s.Tables, func(t Table) bool { return in[t.Schema] }, func(t *Table) {
		t.DependsOn = refs(t.DependsOn)
		t.Constraints = filter(t.Constraints, func(Constraint) bool { return true }, func(c *Constraint) { c.DependsOn = refs(c.DependsOn) })
		t.Indexes = filter(t.Indexes, func(Index) bool { return true }, func(x *Index) { x.DependsOn = refs(x.DependsOn) })
		t.Rules = filter(t.Rules, func(Rule) bool { return true }, func(r *Rule) { r.DependsOn = refs(r.DependsOn) })
	})
	out.Views = filter(s.Views, func(v View) bool { return in[v.Schema] }, func(v *View) {
		v.DependsOn = refs(v.DependsOn)
		v.Indexes = filter(v.Indexes, func(Index) bool { return true }, func(x *Index) { x.DependsOn = refs(x.DependsOn) })
		v.Rules = filter(v.Rules, func(Rule) bool { return true }, func(r *Rule) { r.DependsOn = refs(r.DependsOn) })
	})
	out.Functions = filter(s.Functions, func(f Function) bool { return in[f.Schema] }, func(f *Function) { f.DependsOn = refs(f.DependsOn) })
	out.Operators = filter(s.Operators, func(o Operator) bool { return in[o.Schema] }, func(o *Operator) { o.DependsOn = refs(o.DependsOn) })
	out.OperatorFamilies = filter(s.OperatorFamilies, func(f OperatorFamily) bool { return in[f.Schema] }, func(f *OperatorFamily) { f.DependsOn = refs(f.DependsOn) })
	out.OperatorClasses = filter(s.OperatorClasses, func(c OperatorClass) bool { return in[c.Schema] }, func(c *OperatorClass) { c.DependsOn = refs(c.DependsOn) })
	out.DefaultPrivileges = filter(s.DefaultPrivileges, func(p DefaultPrivilege) bool { return p.Schema == "" || in[p.Schema] }, nil)
	return out
}

// filter copies the elements of list that keep accepts, each passed through
// fix (when not nil) after copying, so list is not changed. A nil list stays
// nil and an empty one empty, as Inspect leaves them.
func filter[T any](list []T, keep func(T) bool, fix func(*T)) []T {
	if list == nil {
		return nil
	}
	out := make([]T, 0, len(list))
	for _, v := range list {
		if !keep(v) {
			continue
		}
		if fix != nil {
			fix(&v)
		}
		out = append(out, v)
	}
	return out
}
