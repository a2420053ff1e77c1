package catalog

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// CatalogState summarises the catalog rows that make up a database's
// schema, per schema: how many rows belong to each schema (a column to its
// table's schema, a comment or a dependency to its object's schema, ...)
// and how many of them were written by the current transaction. Read before
// and after statements run in one transaction, two states tell which
// schemas those statements changed (ChangedSchemas) without inspecting the
// others.
type CatalogState struct {
	rows  map[uint32]int64 // namespace oid (0: no schema) -> rows
	fresh map[uint32]int64 // namespace oid -> rows written by this transaction
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
	// privileges, a dependency or comment of an object not attributed to a
	// schema): only a whole inspection can tell its effect.
	Global bool `json:"global"`
	// Schemas are the schemas to inspect again, sorted (system schemas left
	// out): those whose rows
	// changed, those holding objects that depend on a changed object (a view
	// or a foreign key elsewhere renders the changed object's name), and the
	// schemas of the inheritance parents of their tables, transitively.
	Schemas []string `json:"schemas"`
}

// freshXmin is true for a row version written by the current transaction or
// one of its subtransactions: age() counts from the transaction's own xid (or
// from the next xid when it had none yet, fixed for the transaction), so
// every row committed before is older and every row written since is not.
const freshXmin = "pg_catalog.age(x) <= 0"

// objectNamespaces maps (catalog, oid) of the objects the model is made of to
// their schema, for rows that point at an object (comments, dependencies).
const objectNamespaces = `obj(classid, oid, nsp) AS (
  SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, oid, relnamespace FROM pg_catalog.pg_class
  UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, oid, typnamespace FROM pg_catalog.pg_type
  UNION ALL SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, oid, pronamespace FROM pg_catalog.pg_proc
  UNION ALL SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, oid, connamespace FROM pg_catalog.pg_constraint
  UNION ALL SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass, oid, oprnamespace FROM pg_catalog.pg_operator
  UNION ALL SELECT 'pg_catalog.pg_opclass'::pg_catalog.regclass, oid, opcnamespace FROM pg_catalog.pg_opclass
  UNION ALL SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass, oid, opfnamespace FROM pg_catalog.pg_opfamily
  UNION ALL SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass, oid, collnamespace FROM pg_catalog.pg_collation
  UNION ALL SELECT 'pg_catalog.pg_conversion'::pg_catalog.regclass, oid, connamespace FROM pg_catalog.pg_conversion
  UNION ALL SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass, oid, stxnamespace FROM pg_catalog.pg_statistic_ext
  UNION ALL SELECT 'pg_catalog.pg_ts_config'::pg_catalog.regclass, oid, cfgnamespace FROM pg_catalog.pg_ts_config
  UNION ALL SELECT 'pg_catalog.pg_ts_dict'::pg_catalog.regclass, oid, dictnamespace FROM pg_catalog.pg_ts_dict
  UNION ALL SELECT 'pg_catalog.pg_ts_parser'::pg_catalog.regclass, oid, prsnamespace FROM pg_catalog.pg_ts_parser
  UNION ALL SELECT 'pg_catalog.pg_ts_template'::pg_catalog.regclass, oid, tmplnamespace FROM pg_catalog.pg_ts_template
  UNION ALL SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass, a.oid, c.relnamespace
            FROM pg_catalog.pg_attrdef a JOIN pg_catalog.pg_class c ON c.oid = a.adrelid
  UNION ALL SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass, r.oid, c.relnamespace
            FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
  UNION ALL SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, t.oid, c.relnamespace
            FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  UNION ALL SELECT 'pg_catalog.pg_policy'::pg_catalog.regclass, p.oid, c.relnamespace
            FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
  UNION ALL SELECT 'pg_catalog.pg_default_acl'::pg_catalog.regclass, oid, defaclnamespace FROM pg_catalog.pg_default_acl
  UNION ALL SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass, oid, oid FROM pg_catalog.pg_namespace
)`

// stateQuery counts, per schema (0: none), the catalog rows and those this
// transaction wrote. System columns (created and dropped with their
// relation's row) and the comments and dependencies of built-in objects
// (below FirstNormalObjectId, never in the model) are not counted. Rows outside any schema count under 0: schemas
// themselves, extensions, casts, languages, event triggers, foreign-data
// wrappers and servers, publications, transforms, access methods, role
// memberships, global default privileges, and comments, dependencies and
// security labels of objects no schema holds.
const stateQuery = `WITH ` + objectNamespaces + `,
r(nsp, x) AS (
  SELECT relnamespace, xmin FROM pg_catalog.pg_class
  UNION ALL SELECT c.relnamespace, a.xmin FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE a.attnum > 0
  UNION ALL SELECT c.relnamespace, a.xmin FROM pg_catalog.pg_attrdef a JOIN pg_catalog.pg_class c ON c.oid = a.adrelid
  UNION ALL SELECT c.relnamespace, i.xmin FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  UNION ALL SELECT c.relnamespace, t.xmin FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  UNION ALL SELECT c.relnamespace, p.xmin FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
  UNION ALL SELECT c.relnamespace, w.xmin FROM pg_catalog.pg_rewrite w JOIN pg_catalog.pg_class c ON c.oid = w.ev_class
  UNION ALL SELECT c.relnamespace, s.xmin FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  UNION ALL SELECT c.relnamespace, h.xmin FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class c ON c.oid = h.inhrelid
  UNION ALL SELECT c.relnamespace, p.xmin FROM pg_catalog.pg_partitioned_table p JOIN pg_catalog.pg_class c ON c.oid = p.partrelid
  UNION ALL SELECT c.relnamespace, f.xmin FROM pg_catalog.pg_foreign_table f JOIN pg_catalog.pg_class c ON c.oid = f.ftrelid
  UNION ALL SELECT connamespace, xmin FROM pg_catalog.pg_constraint
  UNION ALL SELECT typnamespace, xmin FROM pg_catalog.pg_type
  UNION ALL SELECT t.typnamespace, e.xmin FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
  UNION ALL SELECT t.typnamespace, g.xmin FROM pg_catalog.pg_range g JOIN pg_catalog.pg_type t ON t.oid = g.rngtypid
  UNION ALL SELECT pronamespace, xmin FROM pg_catalog.pg_proc
  UNION ALL SELECT oprnamespace, xmin FROM pg_catalog.pg_operator
  UNION ALL SELECT opcnamespace, xmin FROM pg_catalog.pg_opclass
  UNION ALL SELECT opfnamespace, xmin FROM pg_catalog.pg_opfamily
  UNION ALL SELECT collnamespace, xmin FROM pg_catalog.pg_collation
  UNION ALL SELECT connamespace, xmin FROM pg_catalog.pg_conversion
  UNION ALL SELECT stxnamespace, xmin FROM pg_catalog.pg_statistic_ext
  UNION ALL SELECT cfgnamespace, xmin FROM pg_catalog.pg_ts_config
  UNION ALL SELECT dictnamespace, xmin FROM pg_catalog.pg_ts_dict
  UNION ALL SELECT prsnamespace, xmin FROM pg_catalog.pg_ts_parser
  UNION ALL SELECT tmplnamespace, xmin FROM pg_catalog.pg_ts_template
  UNION ALL SELECT defaclnamespace, xmin FROM pg_catalog.pg_default_acl
  UNION ALL SELECT o.nsp, d.xmin FROM pg_catalog.pg_description d LEFT JOIN obj o ON o.classid = d.classoid AND o.oid = d.objoid
            WHERE d.objoid >= 16384
  UNION ALL SELECT o.nsp, d.xmin FROM pg_catalog.pg_depend d LEFT JOIN obj o ON o.classid = d.classid AND o.oid = d.objid
            WHERE d.objid >= 16384
  UNION ALL SELECT o.nsp, l.xmin FROM pg_catalog.pg_seclabel l LEFT JOIN obj o ON o.classid = l.classoid AND o.oid = l.objoid
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_namespace
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_extension
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_cast
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_language
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_event_trigger
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_foreign_data_wrapper
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_foreign_server
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_publication
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_publication_rel
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_transform
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_am
  UNION ALL SELECT 0, xmin FROM pg_catalog.pg_auth_members
)
SELECT COALESCE(nsp, 0), pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE ` + freshXmin + `)
FROM r GROUP BY 1`

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
const dependentsQuery = `WITH ` + objectNamespaces + `,
w(oid) AS (
  SELECT oid FROM pg_catalog.pg_class WHERE ` + `pg_catalog.age(xmin) <= 0` + `
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
SELECT DISTINCT COALESCE(o.nsp, 0)
FROM pg_catalog.pg_depend d
JOIN w ON w.oid = d.refobjid
LEFT JOIN obj o ON o.classid = d.classid AND o.oid = d.objid`

// ReadCatalogState reads the catalog state of the database q is connected
// to, in q's transaction (a pgx.Tx, so that states read before and after
// some statements compare).
func ReadCatalogState(ctx context.Context, q Querier) (*CatalogState, error) {
	st := &CatalogState{rows: map[uint32]int64{}, fresh: map[uint32]int64{}, parents: map[uint32]map[uint32]bool{}, names: map[uint32]string{}}
	rows, err := q.Query(ctx, stateQuery)
	if err != nil {
		return nil, fmt.Errorf("catalog state: %w", err)
	}
	for rows.Next() {
		var nsp uint32
		var n, fresh int64
		if err := rows.Scan(&nsp, &n, &fresh); err != nil {
			rows.Close()
			return nil, fmt.Errorf("catalog state: %w", err)
		}
		st.rows[nsp], st.fresh[nsp] = n, fresh
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog state: %w", err)
	}
	if err := q.QueryRow(ctx, rolesQuery).Scan(&st.roles); err != nil {
		return nil, fmt.Errorf("catalog state: roles: %w", err)
	}
	rows, err = q.Query(ctx, contextQuery)
	if err != nil {
		return nil, fmt.Errorf("catalog state: schemas: %w", err)
	}
	for rows.Next() {
		var nsp, parent uint32
		var name string
		if err := rows.Scan(&nsp, &name, &parent); err != nil {
			rows.Close()
			return nil, fmt.Errorf("catalog state: schemas: %w", err)
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
		return nil, fmt.Errorf("catalog state: schemas: %w", err)
	}
	return st, nil
}

// ChangedSchemas reads the catalog state again in q's transaction and
// compares it with before, read earlier in the same transaction. A schema
// changed when it gained a row this transaction wrote (an insert or an
// update) or when its row count differs (a delete, or a row attributed
// through its parent that moved away); every write is one or the other.
func ChangedSchemas(ctx context.Context, q Querier, before *CatalogState) (Changes, error) {
	after, err := ReadCatalogState(ctx, q)
	if err != nil {
		return Changes{}, err
	}
	if after.roles != before.roles || after.fresh[0] > 0 || after.rows[0] != before.rows[0] {
		return Changes{Global: true}, nil
	}
	set := map[uint32]bool{}
	for nsp, n := range after.rows {
		if nsp != 0 && (after.fresh[nsp] > 0 || n != before.rows[nsp]) {
			set[nsp] = true
		}
	}
	for nsp := range before.rows {
		if _, ok := after.rows[nsp]; !ok && nsp != 0 {
			set[nsp] = true
		}
	}
	if len(set) == 0 {
		return Changes{Schemas: []string{}}, nil
	}
	rows, err := q.Query(ctx, dependentsQuery)
	if err != nil {
		return Changes{}, fmt.Errorf("catalog dependents: %w", err)
	}
	for rows.Next() {
		var nsp uint32
		if err := rows.Scan(&nsp); err != nil {
			rows.Close()
			return Changes{}, fmt.Errorf("catalog dependents: %w", err)
		}
		if nsp == 0 {
			rows.Close()
			return Changes{Global: true}, nil
		}
		set[nsp] = true
	}
	if err := rows.Err(); err != nil {
		return Changes{}, fmt.Errorf("catalog dependents: %w", err)
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
			// a schema came or went: not attributed to 0 only when the
			// namespace rows did not change, which cannot be; be safe
			return Changes{Global: true}, nil
		}
		if !systemSchema(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return Changes{Schemas: out}, nil
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
	out.Namespaces = filter(s.Namespaces, func(n Namespace) bool { return in[n.Name] }, nil)
	out.Collations = filter(s.Collations, func(c Collation) bool { return in[c.Schema] }, nil)
	out.Types = filter(s.Types, func(t Type) bool { return in[t.Schema] }, func(t *Type) { t.DependsOn = refs(t.DependsOn) })
	out.Sequences = filter(s.Sequences, func(q Sequence) bool { return in[q.Schema] }, nil)
	out.Tables = filter(s.Tables, func(t Table) bool { return in[t.Schema] }, func(t *Table) {
		t.DependsOn = refs(t.DependsOn)
		t.Constraints = filter(t.Constraints, func(Constraint) bool { return true }, func(c *Constraint) { c.DependsOn = refs(c.DependsOn) })
		t.Indexes = filter(t.Indexes, func(Index) bool { return true }, func(x *Index) { x.DependsOn = refs(x.DependsOn) })
	})
	out.Views = filter(s.Views, func(v View) bool { return in[v.Schema] }, func(v *View) {
		v.DependsOn = refs(v.DependsOn)
		v.Indexes = filter(v.Indexes, func(Index) bool { return true }, func(x *Index) { x.DependsOn = refs(x.DependsOn) })
	})
	out.Functions = filter(s.Functions, func(f Function) bool { return in[f.Schema] }, func(f *Function) { f.DependsOn = refs(f.DependsOn) })
	out.Operators = filter(s.Operators, func(o Operator) bool { return in[o.Schema] }, func(o *Operator) { o.DependsOn = refs(o.DependsOn) })
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
