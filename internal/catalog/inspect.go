package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// Querier is what Inspect needs from a connection. *pgx.Conn, *pgxpool.Pool
// and pgx.Tx all satisfy it.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, arguments ...any) (pgconn.CommandTag, error)
}

// txBeginner is implemented by *pgx.Conn and *pgxpool.Pool (not by pgx.Tx).
type txBeginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// Options select what Inspect reads. The zero value reads every non-system
// schema, with owners and privileges.
type Options struct {
	// Schemas, when not empty, limits inspection to these schemas.
	Schemas []string
	// ExcludeSchemas are left out (applied after Schemas).
	ExcludeSchemas []string
	// IncludeTidemark keeps Tidemark's own bookkeeping schema
	// (TidemarkSchema, holding migration_history) in the model. Without it
	// that schema is left out — it is not part of the user's schema — unless
	// Schemas names it.
	IncludeTidemark bool
	// NoPrivileges leaves owners, ACLs and default privileges out of the model
	// (and so out of dumps and comparisons).
	NoPrivileges bool
	// NoFingerprint leaves Result.Fingerprint empty, sparing the hashing of
	// the whole model when only its DDL is wanted.
	NoFingerprint bool
	// Parallel is the number of connections to read with, all sharing one
	// snapshot (pg_export_snapshot). 0 chooses: one for small schemas, a few
	// above about 3,000 relations. Extra connections come from the pool
	// when q is a *pgxpool.Pool, or are opened with the same configuration
	// when q is a *pgx.Conn; with a pgx.Tx only q is used.
	Parallel int
}

// readAhead decides whether to read the remaining queries in parallel
// (Options.Parallel, or automatically for large schemas) and, if so, starts
// reading them on q and extra connections sharing its snapshot; otherwise
// each step reads its query itself, in order, on q. The returned function
// waits for the readers (stopping them first when aborting).
func (in *inspector) readAhead(origin Querier) (stop func(abort bool)) {
	n := in.opts.Parallel
	if origin == nil || n == 1 {
		in.sequential()
		return func(bool) {}
	}
	if n <= 0 {
		var rels int
		if err := in.q.QueryRow(in.ctx, "SELECT pg_catalog.count(*) FROM pg_catalog.pg_class WHERE relnamespace = ANY($1::pg_catalog.oid[])", in.nsp).Scan(&rels); err != nil || rels < parallelThreshold {
			in.sequential()
			return func(bool) {}
		}
		n = autoParallel
	}
	var snapshot string
	if err := in.q.QueryRow(in.ctx, "SELECT pg_catalog.pg_export_snapshot()").Scan(&snapshot); err != nil {
		in.sequential()
		return func(bool) {}
	}
	return in.prefetch(origin, n-1, snapshot)
}

// closeBatch ends the pipelined batch, if any (idempotent).
func (in *inspector) closeBatch() error {
	if in.batch == nil {
		return nil
	}
	err := in.batch.Close()
	in.batch = nil
	return err
}

// sequential reads the remaining queries on q alone, pipelined in one batch
// when q supports batches (each step otherwise runs its own query).
func (in *inspector) sequential() {
	if b, ok := in.q.(batcher); ok {
		in.startBatch(b)
	}
}

// MinServerVersion is the oldest PostgreSQL release Inspect supports (13).
const MinServerVersion = 130000

// Inspect reads the schema of the database q is connected to.
//
// When q can begin transactions (*pgx.Conn, *pgxpool.Pool), all catalog
// queries run in one READ ONLY REPEATABLE READ transaction, so they see one
// consistent snapshot; when q is a pgx.Tx, they run in it as they are, and
// its search_path is set to empty for the rest of that transaction (so every
// name PostgreSQL renders is schema-qualified). Only catalogs are read: no
// lock is taken on user tables. ctx governs every query.
func Inspect(ctx context.Context, q Querier, opts Options) (*Result, error) {
	if b, ok := q.(txBeginner); ok {
		tx, err := b.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return nil, fmt.Errorf("inspect: begin: %w", err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
		return inspect(ctx, tx, q, opts)
	}
	return inspect(ctx, q, nil, opts)
}

// sessionSettings run at the start of every inspection transaction: an empty
// search_path makes PostgreSQL qualify every name it renders; JIT
// compilation costs far more than it saves on these catalog queries, and so
// do parallel workers (each builds the same hash tables again; a large
// schema is already read on several connections). All are local to the
// transaction.
const sessionSettings = "SELECT pg_catalog.set_config('search_path', '', true), pg_catalog.set_config('jit', 'off', true), " +
	"pg_catalog.set_config('max_parallel_workers_per_gather', '0', true)"

type inspector struct {
	ctx  context.Context
	q    Querier
	sql  map[string]string
	nsp  []uint32
	opts Options
	res  *Result

	// oid -> position, to attach sub-objects and resolve dependencies.
	tables    map[uint32]int
	views     map[uint32]int
	types     map[uint32]int
	compRel   map[uint32]int // composite relation oid -> type index
	funcs     map[uint32]int
	operators map[uint32]int
	exts      map[uint32]int
	colls     map[uint32]ObjectRef
	casts     map[uint32]int
	tsDicts   map[uint32]int
	foreign   map[uint32]int
	tsConfigs map[uint32]int
	opfams    map[uint32]int
	opclasses map[uint32]int
	// laterStats are statistics on relations read after them (foreign tables).
	laterStats map[uint32][]Statistics
	seqs       map[uint32]ObjectRef
	domCon     map[uint32]int // domain constraint oid -> type index
	indexOf    map[uint32]indexPos
	conOf      map[uint32]conPos
	// ruleOf maps a rule (pg_rewrite oid, other than a view's _RETURN) to
	// its table and name.
	ruleOf map[uint32]conPos

	// attName maps a column (relation, number) to its name and collation,
	// from the columns query.
	attName map[attKey]attInfo

	// For the index keys: operator classes and collations by oid (names
	// schema-qualified), and index attributes with options or statistics.
	opclassNames   map[uint32]opclassName
	collationNames map[uint32]string
	indexAttrs     map[attKey]indexAttr

	// renderIndexes and renderKeys are the indexes and the primary key and
	// unique constraints whose definitions are rendered here (see render)
	// once their keys are read.
	renderIndexes []indexPos
	renderKeys    []keyConstraint

	// pending holds the results being read ahead by parallel readers.
	pending map[string]chan *fetched
	typeMap *pgtype.Map
	// batch streams the results of the remaining queries, queued in
	// batchNames order, when they were sent as one pipelined batch.
	batch      pgx.BatchResults
	batchNames []string
}

type indexPos struct {
	rel  uint32
	name string
	view bool
	pos  int // position in the owner's Indexes
}

type attKey struct {
	rel    uint32
	attnum int32
}

type attInfo struct {
	name string
	coll uint32
}

type opclassName struct {
	name      string
	isDefault bool
}

type indexAttr struct {
	stats   *int32
	options []string
}

// attNames maps column numbers of rel to their names (nil for none).
func (in *inspector) attNames(rel uint32, nums []int32) []string {
	if len(nums) == 0 {
		return nil
	}
	out := make([]string, len(nums))
	for i, n := range nums {
		out[i] = in.attName[attKey{rel, n}].name
	}
	return out
}

type conPos struct {
	rel  uint32
	name string
}

// keyConstraint is a primary key or unique constraint waiting for its
// index's INCLUDE columns: the table position and the constraint's.
type keyConstraint struct {
	table, pos int
}

func inspect(ctx context.Context, q, origin Querier, opts Options) (*Result, error) {
	var ver int
	if err := q.QueryRow(ctx, "SELECT pg_catalog.current_setting('server_version_num')::int").Scan(&ver); err != nil {
		return nil, fmt.Errorf("inspect: server version: %w", err)
	}
	if ver < MinServerVersion {
		return nil, fmt.Errorf("inspect: PostgreSQL %d.%d is not supported (13 or later is needed)", ver/10000, ver%10000)
	}
	if _, err := q.Exec(ctx, sessionSettings); err != nil {
		return nil, fmt.Errorf("inspect: session settings: %w", err)
	}
	sqls, err := loadQueries(queryData{V: ver, Priv: !opts.NoPrivileges, Scoped: len(opts.Schemas) > 0})
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	in := &inspector{
		ctx: ctx, q: q, sql: sqls, opts: opts,
		res:        &Result{ServerVersion: ver, Unsupported: []Object{}, Connections: 1},
		tables:     map[uint32]int{},
		views:      map[uint32]int{},
		types:      map[uint32]int{},
		compRel:    map[uint32]int{},
		funcs:      map[uint32]int{},
		operators:  map[uint32]int{},
		exts:       map[uint32]int{},
		colls:      map[uint32]ObjectRef{},
		casts:      map[uint32]int{},
		tsDicts:    map[uint32]int{},
		foreign:    map[uint32]int{},
		tsConfigs:  map[uint32]int{},
		opfams:     map[uint32]int{},
		opclasses:  map[uint32]int{},
		laterStats: map[uint32][]Statistics{},
		seqs:       map[uint32]ObjectRef{},
		domCon:     map[uint32]int{},
		indexOf:    map[uint32]indexPos{},
		conOf:      map[uint32]conPos{},
		ruleOf:     map[uint32]conPos{},
		pending:    map[string]chan *fetched{},
		attName:    map[attKey]attInfo{},
		typeMap:    pgtype.NewMap(),
	}
	in.res.Schema.Privileges = !opts.NoPrivileges
	steps := []struct {
		name string
		fn   func() error
	}{
		{"schemas", in.namespaces},
		{"extensions", in.extensions},
		{"collations", in.collations},
		{"types", in.typesQ},
		{"domain constraints", in.domainConstraints},
		{"relations", in.relations},
		{"columns", in.columns},
		{"sequences", in.sequences},
		{"constraints", in.constraints},
		{"index names", in.indexNames},
		{"index attributes", in.indexAttributes},
		{"indexes", in.indexes},
		{"index definitions", in.render},
		{"triggers", in.triggers},
		{"policies", in.policies},
		{"statistics", in.statistics},
		{"rules", in.rules},
		{"functions", in.functions},
		{"operators", in.operatorsQ},
		{"event triggers", in.eventTriggers},
		{"casts", in.castsQ},
		{"foreign-data wrappers", in.foreignWrappers},
		{"foreign servers", in.foreignServers},
		{"foreign tables", in.foreignTables},
		{"foreign table columns", in.foreignColumns},
		{"foreign table constraints", in.foreignChecks},
		{"text search dictionaries", in.tsDictsQ},
		{"text search configurations", in.tsConfigsQ},
		{"text search mappings", in.tsConfigMaps},
		{"operator families", in.opFamiliesQ},
		{"operator classes", in.opClassesQ},
		{"operator class members", in.opMembersQ},
		{"publications", in.publications},
		{"publication tables", in.publicationTables},
		{"default privileges", in.defaultPrivileges},
		{"dependencies", in.depend},
		{"unsupported objects", in.unsupported},
	}
	defer in.closeBatch()
	stop := func(bool) {}
	defer func() { stop(true) }()
	for i, s := range steps {
		if err := s.fn(); err != nil {
			return nil, fmt.Errorf("inspect %s: %w", s.name, err)
		}
		if i == 0 {
			stop = in.readAhead(origin)
		}
	}
	stop(false)
	stop = func(bool) {}
	if err := in.closeBatch(); err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	in.res.Schema.Normalize()
	sortObjects(in.res.Unsupported)
	sortObjects(in.res.Skipped)
	if !opts.NoFingerprint {
		in.res.Fingerprint = in.res.Schema.hash()
	}
	return in.res, nil
}

// rowScanner is one row of a query result (pgx.Rows, or a buffered row).
type rowScanner interface {
	Scan(dest ...any) error
}

// each calls scan for every row of the named query: from the prefetched
// result when there is one, otherwise by running it now.
func (in *inspector) each(name string, scan func(rowScanner) error, args ...any) error {
	if ch, ok := in.pending[name]; ok {
		delete(in.pending, name)
		var res *fetched
		select {
		case res = <-ch:
		case <-in.ctx.Done():
			return in.ctx.Err()
		}
		if res.err != nil {
			return res.err
		}
		b := &bufferedRow{m: in.typeMap, fds: res.fds}
		for _, v := range res.rows {
			b.load(v)
			if err := scan(b); err != nil {
				return err
			}
		}
		return nil
	}
	var rows pgx.Rows
	var err error
	if in.batch != nil && len(in.batchNames) > 0 && in.batchNames[0] == name {
		in.batchNames = in.batchNames[1:]
		rows, err = in.batch.Query()
	} else {
		sql, ok := in.sql[name]
		if !ok {
			return fmt.Errorf("no query named %q", name)
		}
		rows, err = in.q.Query(in.ctx, sql, args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TidemarkSchema is the schema where internal/migrate keeps Tidemark's
// bookkeeping (migration_history) in every database it changes.
const TidemarkSchema = "tidemark"

func (in *inspector) included(name string) bool {
	if len(in.opts.Schemas) > 0 && !slices.Contains(in.opts.Schemas, name) {
		return false
	}
	if name == TidemarkSchema && !in.opts.IncludeTidemark && !slices.Contains(in.opts.Schemas, name) {
		return false
	}
	return !slices.Contains(in.opts.ExcludeSchemas, name)
}

func (in *inspector) owner(o string) string {
	if in.opts.NoPrivileges {
		return ""
	}
	return o
}

func (in *inspector) namespaces() error {
	sch := &in.res.Schema
	err := in.each("namespaces", func(r rowScanner) error {
		var (
			oid         uint32
			name, owner string
			acl         []string
			comment     *string
			usable      bool
		)
		if err := r.Scan(&oid, &name, &owner, &acl, &comment, &usable); err != nil {
			return err
		}
		if !in.included(name) {
			return nil
		}
		if !usable {
			in.res.Skipped = append(in.res.Skipped, Object{Kind: KindSchema, Name: name,
				Detail: "no USAGE privilege on the schema for the connecting role"})
			return nil
		}
		g, err := parseACL(acl)
		if err != nil {
			return err
		}
		in.nsp = append(in.nsp, oid)
		sch.Namespaces = append(sch.Namespaces, Namespace{Name: name, Owner: in.owner(owner), ACL: g, Comment: comment})
		return nil
	})
	if err != nil {
		return err
	}
	for _, s := range in.opts.Schemas {
		if sch.Namespace(s) == nil && !slices.ContainsFunc(in.res.Skipped, func(o Object) bool { return o.Name == s }) {
			in.res.Skipped = append(in.res.Skipped, Object{Kind: KindSchema, Name: s, Detail: "schema does not exist (or is a system or extension schema)"})
		}
	}
	if in.nsp == nil {
		in.nsp = []uint32{}
	}
	return nil
}

func (in *inspector) extensions() error {
	return in.each("extensions", func(r rowScanner) error {
		var e Extension
		var oid uint32
		if err := r.Scan(&oid, &e.Name, &e.Schema, &e.Version, &e.Comment); err != nil {
			return err
		}
		in.exts[oid] = len(in.res.Schema.Extensions)
		in.res.Schema.Extensions = append(in.res.Schema.Extensions, e)
		return nil
	})
}

func (in *inspector) collations() error {
	return in.each("collations", func(r rowScanner) error {
		var c Collation
		var owner string
		var oid uint32
		if err := r.Scan(&oid, &c.Schema, &c.Name, &c.Provider, &c.Deterministic, &c.LcCollate, &c.LcCtype, &c.Locale, &owner, &c.Comment); err != nil {
			return err
		}
		c.Owner = in.owner(owner)
		in.colls[oid] = ObjectRef{Kind: KindCollation, Schema: c.Schema, Name: c.Name}
		in.res.Schema.Collations = append(in.res.Schema.Collations, c)
		return nil
	}, in.nsp)
}

func (in *inspector) typesQ() error {
	return in.each("types", func(r rowScanner) error {
		var (
			oid, relid                     uint32
			t                              Type
			typtype                        string
			labels                         []string
			base, coll, subtype, subopc    *string
			rngcoll, canon, subdiff, multi *string
			owner                          string
			acl                            []string
		)
		if err := r.Scan(&oid, &t.Schema, &t.Name, &typtype, &relid, &labels, &base, &coll, &t.Default, &t.NotNull,
			&subtype, &subopc, &rngcoll, &canon, &subdiff, &multi, &owner, &acl, &t.Comment); err != nil {
			return err
		}
		switch typtype {
		case "e":
			t.Kind = TypeEnum
			t.Labels = labels
			if t.Labels == nil {
				t.Labels = []string{}
			}
		case "d":
			t.Kind = TypeDomain
			t.BaseType = deref(base)
			t.Collation = deref(coll)
		case "c":
			t.Kind = TypeComposite
			t.Attributes = []Attribute{}
		case "r":
			t.Kind = TypeRange
			t.Subtype = deref(subtype)
			t.SubtypeOpClass = deref(subopc)
			t.RangeCollation = deref(rngcoll)
			t.Canonical = deref(canon)
			t.SubtypeDiff = deref(subdiff)
			if m := deref(multi); m != "" && m != defaultMultirangeName(t.Name) {
				t.MultirangeName = m
			}
		}
		if typtype != "d" {
			t.Default = nil
			t.NotNull = false
		}
		t.Owner = in.owner(owner)
		g, err := parseACL(acl)
		if err != nil {
			return err
		}
		t.ACL = g
		in.types[oid] = len(in.res.Schema.Types)
		if relid != 0 {
			in.compRel[relid] = len(in.res.Schema.Types)
		}
		in.res.Schema.Types = append(in.res.Schema.Types, t)
		return nil
	}, in.nsp)
}

// defaultMultirangeName mirrors makeMultirangeTypeName: "range" in the name
// becomes "multirange", otherwise "_multirange" is appended.
func defaultMultirangeName(rng string) string {
	if i := strings.Index(rng, "range"); i >= 0 {
		return rng[:i] + "multirange" + rng[i+len("range"):]
	}
	return rng + "_multirange"
}

func (in *inspector) domainConstraints() error {
	return in.each("domain_constraints", func(r rowScanner) error {
		var coid, oid uint32
		var c DomainConstraint
		if err := r.Scan(&coid, &oid, &c.Name, &c.Definition, &c.NotValid, &c.Comment); err != nil {
			return err
		}
		i, ok := in.types[oid]
		if !ok {
			return nil // a domain we do not model (extension member)
		}
		c.Definition = strings.TrimSuffix(c.Definition, " NOT VALID")
		in.domCon[coid] = i
		in.res.Schema.Types[i].Constraints = append(in.res.Schema.Types[i].Constraints, c)
		return nil
	}, in.nsp)
}

func (in *inspector) relations() error {
	sch := &in.res.Schema
	return in.each("relations", func(r rowScanner) error {
		var (
			oid                uint32
			schema, name, kind string
			unlogged           bool
			am                 string
			partkey            *string
			ispart             bool
			bound              *string
			parents            []byte
			rls, force         bool
			replident          string
			options            []string
			viewdef            *string
			populated          bool
			owner              string
			acl                []string
			comment            *string
			natts              int
		)
		if err := r.Scan(&oid, &schema, &name, &kind, &unlogged, &am, &partkey, &ispart, &bound, &parents,
			&rls, &force, &replident, &options, &viewdef, &populated, &owner, &acl, &comment, &natts); err != nil {
			return err
		}
		g, err := parseACL(acl)
		if err != nil {
			return err
		}
		qn := QualifiedName{Schema: schema, Name: name}
		switch kind {
		case "r", "p":
			t := Table{QualifiedName: qn, Kind: TableRegular, Unlogged: unlogged, AccessMethod: am,
				RLSEnabled: rls, RLSForced: force, Options: options, Owner: in.owner(owner), ACL: g, Comment: comment,
				Columns: make([]Column, 0, natts)}
			if kind == "p" {
				t.Kind = TablePartitioned
				t.PartitionKey = deref(partkey)
				t.AccessMethod = ""
			}
			t.ReplicaIdentity = map[string]string{"d": "", "n": "nothing", "f": "full", "i": "index"}[replident]
			var ps []QualifiedName
			if len(parents) > 0 {
				if err := json.Unmarshal(parents, &ps); err != nil {
					return fmt.Errorf("decode parents of %s: %w", qn, err)
				}
			}
			if ispart && len(ps) == 1 {
				t.PartitionOf = &ps[0]
				t.PartitionBound = deref(bound)
			} else {
				t.Inherits = ps
			}
			in.tables[oid] = len(sch.Tables)
			sch.Tables = append(sch.Tables, t)
		case "v", "m":
			v := View{QualifiedName: qn, Materialized: kind == "m", Definition: trimViewDef(deref(viewdef)),
				Owner: in.owner(owner), ACL: g, Comment: comment, Columns: []ViewColumn{}}
			for _, o := range options {
				k, val, _ := strings.Cut(o, "=")
				switch k {
				case "check_option":
					v.CheckOption = val
				case "security_barrier":
					v.SecurityBarrier = val == "true" || val == "on"
				case "security_invoker":
					v.SecurityInvoker = val == "true" || val == "on"
				}
			}
			v.Options = options
			if v.Materialized {
				v.WithNoData = !populated
				v.AccessMethod = am
			}
			in.views[oid] = len(sch.Views)
			sch.Views = append(sch.Views, v)
		case "c":
			if i, ok := in.compRel[oid]; ok && comment != nil && sch.Types[i].Comment == nil {
				sch.Types[i].Comment = comment
			}
		}
		return nil
	}, in.nsp)
}

// trimViewDef drops the trailing semicolon pg_get_viewdef adds.
func trimViewDef(s string) string {
	return strings.TrimSuffix(strings.TrimRight(s, " \n"), ";")
}

func (in *inspector) columns() error {
	sch := &in.res.Schema
	return in.each("columns", func(r rowScanner) error {
		var (
			rel                 uint32
			c                   Column
			coll, def           *string
			identity, generated string
			stat                *int32
			storage             *string
			local               bool
			acl                 []string
		)
		var opts []string
		var attnum int32
		var attcoll uint32
		if err := r.Scan(&rel, &c.Name, &c.Type, &c.TypeRef.Schema, &c.TypeRef.Name, &coll, &def, &c.NotNull,
			&identity, &generated, &stat, &storage, &c.Compression, &local, &opts, &attnum, &attcoll, &acl, &c.Comment); err != nil {
			return err
		}
		for _, o := range opts {
			if strings.HasPrefix(o, "n_distinct=") || strings.HasPrefix(o, "n_distinct_inherited=") {
				c.Options = append(c.Options, o)
			}
		}
		in.attName[attKey{rel, attnum}] = attInfo{c.Name, attcoll}
		g, err := parseACL(acl)
		if err != nil {
			return err
		}
		c.ACL = g
		c.Collation = deref(coll)
		if generated == "s" {
			c.Generated = deref(def)
		} else {
			c.Default = def
		}
		switch identity {
		case "a":
			c.Identity = "always"
		case "d":
			c.Identity = "by_default"
		}
		if stat != nil {
			v := int(*stat)
			c.StatsTarget = &v
		}
		c.Storage = deref(storage)
		c.Inherited = !local
		if i, ok := in.tables[rel]; ok {
			sch.Tables[i].Columns = append(sch.Tables[i].Columns, c)
		} else if i, ok := in.views[rel]; ok {
			sch.Views[i].Columns = append(sch.Views[i].Columns, ViewColumn{Name: c.Name, Type: c.Type, Default: c.Default, ACL: c.ACL, Comment: c.Comment})
		} else if i, ok := in.compRel[rel]; ok {
			sch.Types[i].Attributes = append(sch.Types[i].Attributes, Attribute{Name: c.Name, Type: c.Type, Collation: c.Collation, Comment: c.Comment})
		}
		return nil
	}, in.nsp)
}

func (in *inspector) sequences() error {
	sch := &in.res.Schema
	// Identity sequences are attached to their column: find tables by name
	// without a scan per sequence.
	tableAt := make(map[QualifiedName]int, len(sch.Tables))
	for i := range sch.Tables {
		tableAt[sch.Tables[i].QualifiedName] = i
	}
	return in.each("sequences", func(r rowScanner) error {
		var (
			oid                 uint32
			s                   Sequence
			deptype             string
			oschema, otab, ocol *string
			owner               string
			acl                 []string
		)
		if err := r.Scan(&oid, &s.Schema, &s.Name, &s.DataType, &s.Start, &s.Increment, &s.Min, &s.Max, &s.Cache, &s.Cycle,
			&s.Unlogged, &deptype, &oschema, &otab, &ocol, &owner, &acl, &s.Comment); err != nil {
			return err
		}
		g, err := parseACL(acl)
		if err != nil {
			return err
		}
		s.Owner = in.owner(owner)
		s.ACL = g
		if otab != nil && ocol != nil {
			s.OwnedBy = &ColumnRef{Table: QualifiedName{Schema: deref(oschema), Name: *otab}, Column: *ocol}
		}
		if deptype != "i" {
			in.seqs[oid] = s.Ref()
		}
		if deptype == "i" && s.OwnedBy != nil {
			if ti, ok := tableAt[s.OwnedBy.Table]; ok {
				if c := sch.Tables[ti].Column(s.OwnedBy.Column); c != nil {
					id := s
					id.OwnedBy = nil
					c.IdentitySequence = &id
					return nil
				}
			}
		}
		sch.Sequences = append(sch.Sequences, s)
		return nil
	}, in.nsp)
}

func fkAction(c string) string {
	switch c {
	case "r":
		return "restrict"
	case "c":
		return "cascade"
	case "n":
		return "set_null"
	case "d":
		return "set_default"
	}
	return "no_action"
}

func (in *inspector) constraints() error {
	sch := &in.res.Schema
	return in.each("constraints", func(r rowScanner) error {
		var (
			oid, rel, confrel           uint32
			c                           Constraint
			contype                     string
			conkey, confkey             []int32
			refcols                     []string
			validated, local, hasParent bool
			refSchema, refTable         *string
			match, upd, del             string
			def                         *string
			delset                      []int32
		)
		if err := r.Scan(&oid, &rel, &c.Name, &contype, &def, &conkey, &c.Index, &c.NullsNotDistinct,
			&c.Deferrable, &c.InitiallyDeferred, &validated, &c.NoInherit, &local, &hasParent,
			&refSchema, &refTable, &confrel, &confkey, &refcols, &match, &upd, &del, &delset, &c.Comment); err != nil {
			return err
		}
		c.Definition = deref(def)
		cols := in.attNames(rel, conkey)
		if refcols == nil {
			refcols = in.attNames(confrel, confkey)
		}
		ti, ok := in.tables[rel]
		if !ok {
			return nil
		}
		c.Columns = cols
		c.NotValid = !validated
		switch contype {
		case "p":
			c.Type = ConstraintPrimaryKey
		case "u":
			c.Type = ConstraintUnique
		case "f":
			c.Type = ConstraintForeignKey
			c.RefTable = &QualifiedName{Schema: deref(refSchema), Name: deref(refTable)}
			c.RefColumns = refcols
			c.MatchType = map[string]string{"s": "simple", "f": "full", "p": "partial"}[match]
			c.OnUpdate = fkAction(upd)
			c.OnDelete = fkAction(del)
			c.Inherited = hasParent
			if def == nil {
				c.Definition = foreignKeyDef(&c, match, upd, del, in.attNames(rel, delset))
			}
		case "c":
			c.Type = ConstraintCheck
			c.Inherited = !local
		case "x":
			c.Type = ConstraintExclusion
		}
		if c.Type != ConstraintForeignKey {
			c.RefColumns = nil
		}
		if c.Type != ConstraintCheck {
			c.NoInherit = false // only meaningful for CHECK
		}
		in.conOf[oid] = conPos{rel: rel, name: c.Name}
		if def == nil && (c.Type == ConstraintPrimaryKey || c.Type == ConstraintUnique) {
			in.renderKeys = append(in.renderKeys, keyConstraint{ti, len(sch.Tables[ti].Constraints)})
		}
		sch.Tables[ti].Constraints = append(sch.Tables[ti].Constraints, c)
		return nil
	}, in.nsp)
}

func (in *inspector) indexes() error {
	sch := &in.res.Schema
	return in.each("indexes", func(r rowScanner) error {
		var (
			oid, rel       uint32
			x              Index
			pschema, pname *string
			nkey           int16
			pred, def      *string
			indkey, indopt []int16
			indclass, coll []uint32
			exprs          []string
		)
		if err := r.Scan(&oid, &rel, &x.Name, &def, &x.Method, &x.Unique, &x.Primary, &x.NullsNotDistinct,
			&x.Valid, &x.ReplicaIdentity, &x.Clustered, &x.Options, &x.Partitioned, &pschema, &pname, &x.Constraint,
			&nkey, &pred, &indkey, &indclass, &coll, &indopt, &exprs, &x.Comment); err != nil {
			return err
		}
		in.indexKeys(&x, oid, rel, int(nkey), indkey, indclass, coll, indopt, exprs)
		x.Definition = deref(def)
		x.Predicate = deref(pred)
		if pname != nil {
			x.ParentIndex = &QualifiedName{Schema: deref(pschema), Name: *pname}
		}
		var p indexPos
		if ti, ok := in.tables[rel]; ok {
			p = indexPos{rel: rel, name: x.Name, pos: len(sch.Tables[ti].Indexes)}
			sch.Tables[ti].Indexes = append(sch.Tables[ti].Indexes, x)
		} else if vi, ok := in.views[rel]; ok {
			p = indexPos{rel: rel, name: x.Name, view: true, pos: len(sch.Views[vi].Indexes)}
			sch.Views[vi].Indexes = append(sch.Views[vi].Indexes, x)
		} else {
			return nil
		}
		in.indexOf[oid] = p
		if def == nil {
			in.renderIndexes = append(in.renderIndexes, p)
		}
		return nil
	}, in.nsp)
}

func (in *inspector) indexNames() error {
	in.opclassNames, in.collationNames = map[uint32]opclassName{}, map[uint32]string{}
	return in.each("index_names", func(r rowScanner) error {
		var (
			kind, name string
			oid        uint32
			isDefault  bool
		)
		if err := r.Scan(&kind, &oid, &name, &isDefault); err != nil {
			return err
		}
		if kind == "o" {
			in.opclassNames[oid] = opclassName{name, isDefault}
		} else {
			in.collationNames[oid] = name
		}
		return nil
	})
}

func (in *inspector) indexAttributes() error {
	in.indexAttrs = map[attKey]indexAttr{}
	return in.each("index_attributes", func(r rowScanner) error {
		var (
			k attKey
			a indexAttr
		)
		if err := r.Scan(&k.rel, &k.attnum, &a.stats, &a.options); err != nil {
			return err
		}
		in.indexAttrs[k] = a
		return nil
	}, in.nsp)
}

// Index option bits (pg_index.indoption).
const (
	indOptionDesc       = 1 << 0
	indOptionNullsFirst = 1 << 1
)

// indexKeys fills the keys and INCLUDE columns of index x (oid, on relation
// rel, with nkey key columns) from its catalog arrays: column numbers (0 for
// an expression, rendered in exprs), operator classes, collations and option
// bits. A key shows what pg_get_indexdef shows: a collation other than the
// column's (or, for an expression, than the default), an operator class
// other than the default (always, when it has options), DESC and a NULLS
// order other than the direction's default.
func (in *inspector) indexKeys(x *Index, oid, rel uint32, nkey int, indkey []int16, indclass, coll []uint32, opts []int16, exprs []string) {
	x.Keys = make([]IndexKey, 0, nkey)
	for pos, attnum := range indkey {
		col := in.attName[attKey{rel, int32(attnum)}]
		if pos >= nkey {
			x.Include = append(x.Include, col.name)
			continue
		}
		var k IndexKey
		if attnum != 0 {
			k.Column = col.name
		} else if pos < len(exprs) {
			k.Expression = exprs[pos]
		}
		if pos < len(coll) {
			if c := coll[pos]; c != 0 && ((attnum != 0 && c != col.coll) || (attnum == 0 && c != defaultCollationOID)) {
				k.Collation = in.collationNames[c]
			}
		}
		a, hasAttr := in.indexAttrs[attKey{oid, int32(pos + 1)}]
		if hasAttr {
			k.OpClassOptions = a.options
			if a.stats != nil {
				v := int(*a.stats)
				k.StatsTarget = &v
			}
		}
		if pos < len(indclass) {
			if oc := in.opclassNames[indclass[pos]]; !oc.isDefault || len(k.OpClassOptions) > 0 {
				k.OpClass = oc.name
			}
		}
		if pos < len(opts) {
			o := opts[pos]
			k.Descending = o&indOptionDesc != 0
			k.NullsFirst = o&(indOptionDesc|indOptionNullsFirst) == indOptionNullsFirst
			k.NullsLast = o&(indOptionDesc|indOptionNullsFirst) == indOptionDesc
		}
		x.Keys = append(x.Keys, k)
	}
}

// defaultCollationOID is the oid of the database default collation ("default").
const defaultCollationOID = 100

func (in *inspector) triggers() error {
	sch := &in.res.Schema
	return in.each("triggers", func(r rowScanner) error {
		var (
			rel    uint32
			t      Trigger
			tgtype int
		)
		if err := r.Scan(&rel, &t.Name, &t.Definition, &t.Function.Schema, &t.Function.Name, &tgtype, &t.Enabled,
			&t.Constraint, &t.Deferrable, &t.InitiallyDeferred, &t.UpdateOf, &t.Comment); err != nil {
			return err
		}
		const (
			tgRow      = 1 << 0
			tgBefore   = 1 << 1
			tgInsert   = 1 << 2
			tgDelete   = 1 << 3
			tgUpdate   = 1 << 4
			tgTruncate = 1 << 5
			tgInstead  = 1 << 6
		)
		t.ForEachRow = tgtype&tgRow != 0
		switch {
		case tgtype&tgInstead != 0:
			t.Timing = "INSTEAD OF"
		case tgtype&tgBefore != 0:
			t.Timing = "BEFORE"
		default:
			t.Timing = "AFTER"
		}
		for _, e := range []struct {
			bit  int
			name string
		}{{tgInsert, "INSERT"}, {tgDelete, "DELETE"}, {tgUpdate, "UPDATE"}, {tgTruncate, "TRUNCATE"}} {
			if tgtype&e.bit != 0 {
				t.Events = append(t.Events, e.name)
			}
		}
		if len(t.UpdateOf) == 0 {
			t.UpdateOf = nil
		}
		t.When = triggerWhen(t.Definition)
		if ti, ok := in.tables[rel]; ok {
			sch.Tables[ti].Triggers = append(sch.Tables[ti].Triggers, t)
		} else if vi, ok := in.views[rel]; ok {
			sch.Views[vi].Triggers = append(sch.Views[vi].Triggers, t)
		}
		return nil
	}, in.nsp)
}

// triggerWhen extracts the WHEN condition from pg_get_triggerdef output.
func triggerWhen(def string) string {
	i := strings.Index(def, " WHEN (")
	j := strings.LastIndex(def, " EXECUTE ")
	if i < 0 || j < i {
		return ""
	}
	w := def[i+len(" WHEN ") : j]
	if strings.HasPrefix(w, "(") && strings.HasSuffix(w, ")") {
		w = w[1 : len(w)-1]
	}
	return w
}

func (in *inspector) policies() error {
	sch := &in.res.Schema
	return in.each("policies", func(r rowScanner) error {
		var (
			rel         uint32
			p           Policy
			qual, check *string
		)
		if err := r.Scan(&rel, &p.Name, &p.Permissive, &p.Command, &p.Roles, &qual, &check, &p.Comment); err != nil {
			return err
		}
		p.Using, p.WithCheck = deref(qual), deref(check)
		if ti, ok := in.tables[rel]; ok {
			sch.Tables[ti].Policies = append(sch.Tables[ti].Policies, p)
		}
		return nil
	}, in.nsp)
}

func (in *inspector) rules() error {
	sch := &in.res.Schema
	return in.each("rules", func(r rowScanner) error {
		var (
			oid, rel uint32
			x        Rule
		)
		if err := r.Scan(&oid, &rel, &x.Name, &x.Event, &x.Definition, &x.Enabled, &x.Comment); err != nil {
			return err
		}
		in.ruleOf[oid] = conPos{rel: rel, name: x.Name}
		if x.Enabled == "origin" {
			x.Enabled = ""
		}
		if ti, ok := in.tables[rel]; ok {
			sch.Tables[ti].Rules = append(sch.Tables[ti].Rules, x)
		} else if vi, ok := in.views[rel]; ok {
			sch.Views[vi].Rules = append(sch.Views[vi].Rules, x)
		}
		return nil
	}, in.nsp)
}

func (in *inspector) statistics() error {
	sch := &in.res.Schema
	return in.each("statistics", func(r rowScanner) error {
		var (
			rel    uint32
			x      Statistics
			target *int32
			owner  string
		)
		if err := r.Scan(&rel, &x.Schema, &x.Name, &x.Definition, &x.Columns, &x.Kinds, &target, &owner, &x.Comment); err != nil {
			return err
		}
		if len(x.Columns) == 0 {
			x.Columns = nil
		}
		if len(x.Kinds) == 0 {
			x.Kinds = nil
		}
		if target != nil {
			v := int(*target)
			x.StatsTarget = &v
		}
		x.Owner = in.owner(owner)
		if ti, ok := in.tables[rel]; ok {
			sch.Tables[ti].Statistics = append(sch.Tables[ti].Statistics, x)
		} else if vi, ok := in.views[rel]; ok {
			sch.Views[vi].Statistics = append(sch.Views[vi].Statistics, x)
		} else {
			// a foreign table's (read later) or one the model does not hold
			in.laterStats[rel] = append(in.laterStats[rel], x)
		}
		return nil
	}, in.nsp)
}

func (in *inspector) functions() error {
	sch := &in.res.Schema
	return in.each("functions", func(r rowScanner) error {
		var (
			oid                                       uint32
			f                                         Function
			prokind, vol, par                         string
			strict, secdef, leak                      bool
			owner                                     string
			acl                                       []string
			aggkind, sfunc, stype                     *string
			sspace                                    *int32
			finalfn                                   *string
			finalextra                                *bool
			finalmod, combine, serial, deserial, init *string
			msfunc, minvfunc, mstype                  *string
			msspace                                   *int32
			mfinal                                    *string
			mfinalextra                               *bool
			mfinalmod, minit, sortop                  *string
		)
		if err := r.Scan(&oid, &f.Schema, &f.Name, &prokind, &f.Args, &f.ArgsFull, &f.Result, &f.Language, &f.Definition,
			&f.Body, &vol, &strict, &secdef, &leak, &par, &f.Cost, &f.Rows, &f.Config, &owner, &acl, &f.Comment,
			&aggkind, &sfunc, &stype, &sspace, &finalfn, &finalextra, &finalmod, &combine, &serial, &deserial, &init,
			&msfunc, &minvfunc, &mstype, &msspace, &mfinal, &mfinalextra, &mfinalmod, &minit, &sortop); err != nil {
			return err
		}
		f.Kind = map[string]FunctionKind{"f": FunctionPlain, "p": FunctionProcedure, "a": FunctionAggregate, "w": FunctionWindow}[prokind]
		f.Volatility = map[string]string{"i": "immutable", "s": "stable", "v": "volatile"}[vol]
		f.Parallel = map[string]string{"s": "safe", "r": "restricted", "u": "unsafe"}[par]
		f.Strict, f.Leakproof = strict, leak
		if secdef {
			f.Security = "definer"
		}
		if len(f.Config) == 0 {
			f.Config = nil
		}
		if f.Kind == FunctionProcedure {
			f.Volatility, f.Parallel, f.Cost, f.Rows = "", "", 0, 0
		}
		f.Definition = strings.TrimRight(f.Definition, "\n")
		f.Owner = in.owner(owner)
		g, err := parseACL(acl)
		if err != nil {
			return err
		}
		f.ACL = g
		if f.Kind == FunctionAggregate {
			f.Body = ""
			f.Aggregate = aggregateBody(aggregateParts{
				kind: deref(aggkind), sfunc: deref(sfunc), stype: deref(stype), sspace: sspace,
				finalfn: deref(finalfn), finalextra: finalextra != nil && *finalextra, finalmod: deref(finalmod),
				combine: deref(combine), serial: deref(serial), deserial: deref(deserial), init: init,
				msfunc: deref(msfunc), minvfunc: deref(minvfunc), mstype: deref(mstype), msspace: msspace,
				mfinal: deref(mfinal), mfinalextra: mfinalextra != nil && *mfinalextra, mfinalmod: deref(mfinalmod),
				minit: minit, sortop: deref(sortop), parallel: par,
			})
		}
		in.funcs[oid] = len(sch.Functions)
		sch.Functions = append(sch.Functions, f)
		return nil
	}, in.nsp)
}

type aggregateParts struct {
	kind, sfunc, stype        string
	sspace                    *int32
	finalfn                   string
	finalextra                bool
	finalmod                  string
	combine, serial, deserial string
	init                      *string
	msfunc, minvfunc, mstype  string
	msspace                   *int32
	mfinal                    string
	mfinalextra               bool
	mfinalmod                 string
	minit                     *string
	sortop, parallel          string
}

// aggregateBody renders the option list of CREATE AGGREGATE, one option a
// line, omitting defaults (the way pg_dump does).
func aggregateBody(a aggregateParts) string {
	var opts []string
	add := func(k, v string) { opts = append(opts, k+" = "+v) }
	add("SFUNC", a.sfunc)
	add("STYPE", a.stype)
	if a.sspace != nil && *a.sspace != 0 {
		add("SSPACE", fmt.Sprint(*a.sspace))
	}
	if a.finalfn != "" {
		add("FINALFUNC", a.finalfn)
		if a.finalextra {
			opts = append(opts, "FINALFUNC_EXTRA")
		}
	}
	defMod := "r"
	if a.kind == "o" || a.kind == "h" {
		defMod = "w"
	}
	modName := map[string]string{"r": "READ_ONLY", "s": "SHAREABLE", "w": "READ_WRITE"}
	if a.finalmod != "" && a.finalmod != defMod {
		add("FINALFUNC_MODIFY", modName[a.finalmod])
	}
	if a.combine != "" {
		add("COMBINEFUNC", a.combine)
	}
	if a.serial != "" {
		add("SERIALFUNC", a.serial)
	}
	if a.deserial != "" {
		add("DESERIALFUNC", a.deserial)
	}
	if a.init != nil {
		add("INITCOND", QuoteLiteral(*a.init))
	}
	if a.msfunc != "" {
		add("MSFUNC", a.msfunc)
		add("MINVFUNC", a.minvfunc)
		add("MSTYPE", a.mstype)
		if a.msspace != nil && *a.msspace != 0 {
			add("MSSPACE", fmt.Sprint(*a.msspace))
		}
		if a.mfinal != "" {
			add("MFINALFUNC", a.mfinal)
			if a.mfinalextra {
				opts = append(opts, "MFINALFUNC_EXTRA")
			}
		}
		if a.mfinalmod != "" && a.mfinalmod != defMod {
			add("MFINALFUNC_MODIFY", modName[a.mfinalmod])
		}
		if a.minit != nil {
			add("MINITCOND", QuoteLiteral(*a.minit))
		}
	}
	if a.sortop != "" {
		add("SORTOP", operatorRef(a.sortop))
	}
	switch a.parallel {
	case "s":
		add("PARALLEL", "SAFE")
	case "r":
		add("PARALLEL", "RESTRICTED")
	}
	if a.kind == "h" {
		opts = append(opts, "HYPOTHETICAL")
	}
	return strings.Join(opts, ",\n")
}

// operatorRef renders an operator name (regoper output) for use in an option:
// a schema-qualified name needs the OPERATOR() syntax.
func operatorRef(op string) string {
	if strings.Contains(op, ".") {
		return "OPERATOR(" + op + ")"
	}
	return op
}

func (in *inspector) operatorsQ() error {
	sch := &in.res.Schema
	return in.each("operators", func(r rowScanner) error {
		var (
			oid   uint32
			o     Operator
			owner string
		)
		if err := r.Scan(&oid, &o.Schema, &o.Name, &o.Left, &o.Right, &o.Function, &o.Commutator, &o.Negator,
			&o.Restrict, &o.Join, &o.Hashes, &o.Merges, &owner, &o.Comment); err != nil {
			return err
		}
		o.Owner = in.owner(owner)
		in.operators[oid] = len(sch.Operators)
		sch.Operators = append(sch.Operators, o)
		return nil
	}, in.nsp)
}

func (in *inspector) eventTriggers() error {
	return in.each("event_triggers", func(r rowScanner) error {
		var e EventTrigger
		var owner string
		if err := r.Scan(&e.Name, &e.Event, &e.Tags, &e.Function.Schema, &e.Function.Name, &e.Enabled, &owner, &e.Comment); err != nil {
			return err
		}
		if len(e.Tags) == 0 {
			e.Tags = nil
		}
		e.Owner = in.owner(owner)
		in.res.Schema.EventTriggers = append(in.res.Schema.EventTriggers, e)
		return nil
	})
}

func (in *inspector) tsDictsQ() error {
	sch := &in.res.Schema
	return in.each("ts_dicts", func(r rowScanner) error {
		var oid uint32
		var d TextSearchDict
		var opts *string
		var owner string
		if err := r.Scan(&oid, &d.Schema, &d.Name, &d.Template, &opts, &owner, &d.Comment); err != nil {
			return err
		}
		d.Options, d.Owner = deref(opts), in.owner(owner)
		in.tsDicts[oid] = len(sch.TextSearchDicts)
		sch.TextSearchDicts = append(sch.TextSearchDicts, d)
		return nil
	}, in.nsp)
}

func (in *inspector) tsConfigsQ() error {
	sch := &in.res.Schema
	return in.each("ts_configs", func(r rowScanner) error {
		var oid uint32
		var c TextSearchConfig
		var owner string
		if err := r.Scan(&oid, &c.Schema, &c.Name, &c.Parser, &owner, &c.Comment); err != nil {
			return err
		}
		c.Owner = in.owner(owner)
		in.tsConfigs[oid] = len(sch.TextSearchConfigs)
		sch.TextSearchConfigs = append(sch.TextSearchConfigs, c)
		return nil
	}, in.nsp)
}

func (in *inspector) tsConfigMaps() error {
	sch := &in.res.Schema
	return in.each("ts_config_maps", func(r rowScanner) error {
		var cfg uint32
		var tok string
		var dict QualifiedName
		if err := r.Scan(&cfg, &tok, &dict.Schema, &dict.Name); err != nil {
			return err
		}
		i, ok := in.tsConfigs[cfg]
		if !ok {
			return nil
		}
		c := &sch.TextSearchConfigs[i]
		if n := len(c.Mappings); n > 0 && c.Mappings[n-1].Token == tok {
			c.Mappings[n-1].Dicts = append(c.Mappings[n-1].Dicts, dict)
		} else {
			c.Mappings = append(c.Mappings, TSMapping{Token: tok, Dicts: []QualifiedName{dict}})
		}
		return nil
	}, in.nsp)
}

func (in *inspector) foreignWrappers() error {
	sch := &in.res.Schema
	return in.each("foreign_wrappers", func(r rowScanner) error {
		var w ForeignDataWrapper
		var handler, validator *string
		var owner string
		if err := r.Scan(&w.Name, &handler, &validator, &w.Options, &owner, &w.Comment); err != nil {
			return err
		}
		w.Handler, w.Validator, w.Owner = deref(handler), deref(validator), in.owner(owner)
		if len(w.Options) == 0 {
			w.Options = nil
		}
		sch.ForeignWrappers = append(sch.ForeignWrappers, w)
		return nil
	})
}

func (in *inspector) foreignServers() error {
	sch := &in.res.Schema
	return in.each("foreign_servers", func(r rowScanner) error {
		var s ForeignServer
		var owner string
		if err := r.Scan(&s.Name, &s.Wrapper, &s.Type, &s.Version, &s.Options, &owner, &s.Comment); err != nil {
			return err
		}
		s.Owner = in.owner(owner)
		if len(s.Options) == 0 {
			s.Options = nil
		}
		sch.ForeignServers = append(sch.ForeignServers, s)
		return nil
	})
}

func (in *inspector) foreignTables() error {
	sch := &in.res.Schema
	return in.each("foreign_tables", func(r rowScanner) error {
		var oid uint32
		var t ForeignTable
		var owner string
		var acl []string
		var ps, pn, bound *string
		if err := r.Scan(&oid, &t.Schema, &t.Name, &t.Server, &ps, &pn, &bound, &t.Options, &owner, &acl, &t.Comment); err != nil {
			return err
		}
		if ps != nil && pn != nil {
			t.PartitionOf = &QualifiedName{Schema: *ps, Name: *pn}
			t.PartitionBound = deref(bound)
		}
		if len(t.Options) == 0 {
			t.Options = nil
		}
		t.Owner = in.owner(owner)
		g, err := parseACL(acl)
		if err != nil {
			return err
		}
		t.ACL = g
		t.Columns = []ForeignColumn{}
		in.foreign[oid] = len(sch.ForeignTables)
		sch.ForeignTables = append(sch.ForeignTables, t)
		return nil
	}, in.nsp)
}

func (in *inspector) foreignColumns() error {
	sch := &in.res.Schema
	return in.each("foreign_columns", func(r rowScanner) error {
		var rel uint32
		var c ForeignColumn
		var coll *string
		if err := r.Scan(&rel, &c.Name, &c.Type, &c.TypeRef.Schema, &c.TypeRef.Name, &c.NotNull, &c.Default, &coll, &c.Options, &c.Comment); err != nil {
			return err
		}
		c.Collation = deref(coll)
		if len(c.Options) == 0 {
			c.Options = nil
		}
		if i, ok := in.foreign[rel]; ok {
			sch.ForeignTables[i].Columns = append(sch.ForeignTables[i].Columns, c)
		}
		return nil
	}, in.nsp)
}

func (in *inspector) foreignChecks() error {
	sch := &in.res.Schema
	return in.each("foreign_checks", func(r rowScanner) error {
		var rel uint32
		var c ForeignCheck
		if err := r.Scan(&rel, &c.Name, &c.Definition, &c.NotValid, &c.Inherited, &c.Comment); err != nil {
			return err
		}
		c.Definition = strings.TrimSuffix(c.Definition, " NOT VALID")
		if i, ok := in.foreign[rel]; ok {
			sch.ForeignTables[i].Checks = append(sch.ForeignTables[i].Checks, c)
		}
		return nil
	}, in.nsp)
}

func (in *inspector) opFamiliesQ() error {
	sch := &in.res.Schema
	return in.each("opfamilies", func(r rowScanner) error {
		var oid uint32
		var f OperatorFamily
		var owner string
		if err := r.Scan(&oid, &f.Schema, &f.Name, &f.Method, &owner, &f.Comment); err != nil {
			return err
		}
		f.Owner = in.owner(owner)
		in.opfams[oid] = len(sch.OperatorFamilies)
		sch.OperatorFamilies = append(sch.OperatorFamilies, f)
		return nil
	}, in.nsp)
}

func (in *inspector) opClassesQ() error {
	sch := &in.res.Schema
	return in.each("opclasses", func(r rowScanner) error {
		var oid, fam, typ, key uint32
		var c OperatorClass
		var owner string
		if err := r.Scan(&oid, &c.Schema, &c.Name, &c.Method, &c.Type, &c.Default, &fam, &c.Family.Schema, &c.Family.Name,
			&c.Storage, &typ, &key, &owner, &c.Comment); err != nil {
			return err
		}
		c.Owner = in.owner(owner)
		for _, d := range [][2]any{{"pg_opfamily", fam}, {"pg_type", typ}, {"pg_type", key}} {
			if ref, ok := in.refOf(d[0].(string), d[1].(uint32)); ok {
				c.DependsOn = append(c.DependsOn, ref)
			}
		}
		in.opclasses[oid] = len(sch.OperatorClasses)
		sch.OperatorClasses = append(sch.OperatorClasses, c)
		return nil
	}, in.nsp)
}

// opMembersQ files each operator and support function under the class it
// is bound to or, a loose member, under its family.
func (in *inspector) opMembersQ() error {
	sch := &in.res.Schema
	return in.each("opmembers", func(r rowScanner) error {
		var ownerClass, objClass string
		var ownerOID, objOID uint32
		var m OpMember
		if err := r.Scan(&ownerClass, &ownerOID, &m.Function, &m.Number, &m.Left, &m.Right, &m.Object, &m.SortFamily,
			&objClass, &objOID); err != nil {
			return err
		}
		var members *[]OpMember
		var deps *[]ObjectRef
		switch ownerClass {
		case "pg_opclass":
			i, ok := in.opclasses[ownerOID]
			if !ok {
				return nil
			}
			members, deps = &sch.OperatorClasses[i].Members, &sch.OperatorClasses[i].DependsOn
		case "pg_opfamily":
			i, ok := in.opfams[ownerOID]
			if !ok {
				return nil
			}
			members, deps = &sch.OperatorFamilies[i].Members, &sch.OperatorFamilies[i].DependsOn
		default:
			return nil
		}
		*members = append(*members, m)
		if ref, ok := in.refOf(objClass, objOID); ok {
			*deps = append(*deps, ref)
		}
		return nil
	}, in.nsp)
}

func (in *inspector) castsQ() error {
	sch := &in.res.Schema
	return in.each("casts", func(r rowScanner) error {
		var oid uint32
		var c Cast
		var fn *string
		if err := r.Scan(&oid, &c.Source, &c.Target, &c.Method, &fn, &c.Context, &c.Comment); err != nil {
			return err
		}
		c.Function = deref(fn)
		in.casts[oid] = len(sch.Casts)
		sch.Casts = append(sch.Casts, c)
		return nil
	})
}

func (in *inspector) publications() error {
	sch := &in.res.Schema
	return in.each("publications", func(r rowScanner) error {
		var p Publication
		var owner string
		if err := r.Scan(&p.Name, &p.AllTables, &p.Publish, &p.ViaRoot, &p.Schemas, &owner, &p.Comment); err != nil {
			return err
		}
		if len(p.Schemas) == 0 {
			p.Schemas = nil
		}
		if p.Publish == nil {
			p.Publish = []string{}
		}
		p.Owner = in.owner(owner)
		sch.Publications = append(sch.Publications, p)
		return nil
	}, in.nsp)
}

func (in *inspector) publicationTables() error {
	sch := &in.res.Schema
	return in.each("publication_tables", func(r rowScanner) error {
		var pub string
		var t PublicationTable
		var qual *string
		if err := r.Scan(&pub, &t.Table.Schema, &t.Table.Name, &t.Columns, &qual); err != nil {
			return err
		}
		if len(t.Columns) == 0 {
			t.Columns = nil
		}
		t.Where = deref(qual)
		for i := range sch.Publications {
			if sch.Publications[i].Name == pub {
				sch.Publications[i].Tables = append(sch.Publications[i].Tables, t)
			}
		}
		return nil
	}, in.nsp)
}

func (in *inspector) defaultPrivileges() error {
	if in.opts.NoPrivileges {
		return nil
	}
	return in.each("default_privileges", func(r rowScanner) error {
		var d DefaultPrivilege
		var acl []string
		if err := r.Scan(&d.Role, &d.Schema, &d.ObjectType, &acl); err != nil {
			return err
		}
		g, err := parseACL(acl)
		if err != nil {
			return err
		}
		d.Grants = g
		if d.Grants == nil {
			d.Grants = []Grant{}
		}
		in.res.Schema.DefaultPrivileges = append(in.res.Schema.DefaultPrivileges, d)
		return nil
	}, in.nsp)
}

func (in *inspector) unsupported() error {
	for rel, xs := range in.laterStats {
		if fi, ok := in.foreign[rel]; ok {
			ft := &in.res.Schema.ForeignTables[fi]
			ft.Statistics = append(ft.Statistics, xs...)
			continue
		}
		for _, x := range xs { // on a foreign partition
			in.res.Unsupported = append(in.res.Unsupported, Object{Kind: KindStatistics, Schema: x.Schema, Name: x.Name,
				Detail: "extended statistics on a relation not modelled"})
		}
	}
	return in.each("unsupported", func(r rowScanner) error {
		var o Object
		var kind string
		if err := r.Scan(&kind, &o.Schema, &o.Name, &o.Detail); err != nil {
			return err
		}
		o.Kind = ObjectKind(kind)
		in.res.Unsupported = append(in.res.Unsupported, o)
		return nil
	}, in.nsp)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func sortObjects(o []Object) {
	slices.SortFunc(o, func(a, b Object) int {
		return strings.Compare(string(a.Kind)+"\x00"+a.Schema+"\x00"+a.Name+"\x00"+a.Detail,
			string(b.Kind)+"\x00"+b.Schema+"\x00"+b.Name+"\x00"+b.Detail)
	})
}

// refOf resolves a (catalog, oid) pair from the depend query to the model
// object it names.
func (in *inspector) refOf(class string, oid uint32) (ObjectRef, bool) {
	sch := &in.res.Schema
	switch class {
	case "pg_class":
		if i, ok := in.tables[oid]; ok {
			return sch.Tables[i].Ref(), true
		}
		if i, ok := in.views[oid]; ok {
			return sch.Views[i].Ref(), true
		}
		if p, ok := in.indexOf[oid]; ok {
			var s string
			if p.view {
				s = sch.Views[in.views[p.rel]].Schema
			} else {
				s = sch.Tables[in.tables[p.rel]].Schema
			}
			return ObjectRef{Kind: KindIndex, Schema: s, Name: p.name}, true
		}
		if r, ok := in.seqs[oid]; ok {
			return r, true
		}
		if i, ok := in.foreign[oid]; ok {
			return sch.ForeignTables[i].Ref(), true
		}
	case "pg_type":
		if i, ok := in.types[oid]; ok {
			return sch.Types[i].Ref(), true
		}
	case "pg_proc":
		if i, ok := in.funcs[oid]; ok {
			return sch.Functions[i].Ref(), true
		}
	case "pg_operator":
		if i, ok := in.operators[oid]; ok {
			return sch.Operators[i].Ref(), true
		}
	case "pg_extension":
		if i, ok := in.exts[oid]; ok {
			return ObjectRef{Kind: KindExtension, Name: sch.Extensions[i].Name}, true
		}
	case "pg_collation":
		if r, ok := in.colls[oid]; ok {
			return r, true
		}
	case "pg_cast":
		if i, ok := in.casts[oid]; ok {
			return sch.Casts[i].Ref(), true
		}
	case "pg_ts_config":
		if i, ok := in.tsConfigs[oid]; ok {
			return sch.TextSearchConfigs[i].Ref(), true
		}
	case "pg_ts_dict":
		if i, ok := in.tsDicts[oid]; ok {
			return sch.TextSearchDicts[i].Ref(), true
		}
	case "pg_opclass":
		if i, ok := in.opclasses[oid]; ok {
			return sch.OperatorClasses[i].Ref(), true
		}
	case "pg_opfamily":
		if i, ok := in.opfams[oid]; ok {
			return sch.OperatorFamilies[i].Ref(), true
		}
	case "pg_constraint":
		if p, ok := in.conOf[oid]; ok {
			t := sch.Tables[in.tables[p.rel]]
			return ObjectRef{Kind: KindConstraint, Schema: t.Schema, Name: p.name, Table: t.Name}, true
		}
	}
	return ObjectRef{}, false
}

// depend reads dependency edges and records them on the dependent objects.
func (in *inspector) depend() error {
	sch := &in.res.Schema
	return in.each("depend", func(r rowScanner) error {
		var dc, rc string
		var do, ro uint32
		if err := r.Scan(&dc, &do, &rc, &ro); err != nil {
			return err
		}
		ref, ok := in.refOf(rc, ro)
		if !ok {
			return nil
		}
		switch dc {
		case "pg_class":
			if i, ok := in.tables[do]; ok {
				if ref != sch.Tables[i].Ref() {
					sch.Tables[i].DependsOn = append(sch.Tables[i].DependsOn, ref)
				}
			} else if i, ok := in.views[do]; ok {
				if ref != sch.Views[i].Ref() {
					sch.Views[i].DependsOn = append(sch.Views[i].DependsOn, ref)
				}
			} else if p, ok := in.indexOf[do]; ok {
				var ix []Index
				var own ObjectRef
				if p.view {
					ix, own = sch.Views[in.views[p.rel]].Indexes, sch.Views[in.views[p.rel]].Ref()
				} else {
					ix, own = sch.Tables[in.tables[p.rel]].Indexes, sch.Tables[in.tables[p.rel]].Ref()
				}
				if ref == own || ref.Kind == KindConstraint {
					return nil
				}
				for k := range ix {
					if ix[k].Name == p.name {
						ix[k].DependsOn = append(ix[k].DependsOn, ref)
					}
				}
			}
		case "pg_type":
			if i, ok := in.types[do]; ok && ref != sch.Types[i].Ref() {
				sch.Types[i].DependsOn = append(sch.Types[i].DependsOn, ref)
			}
		case "pg_proc":
			if i, ok := in.funcs[do]; ok && ref != sch.Functions[i].Ref() {
				sch.Functions[i].DependsOn = append(sch.Functions[i].DependsOn, ref)
			}
		case "pg_operator":
			if i, ok := in.operators[do]; ok && ref != sch.Operators[i].Ref() {
				sch.Operators[i].DependsOn = append(sch.Operators[i].DependsOn, ref)
			}
		case "pg_extension":
			if i, ok := in.exts[do]; ok && ref.Kind == KindExtension && ref.Name != sch.Extensions[i].Name {
				sch.Extensions[i].DependsOn = append(sch.Extensions[i].DependsOn, ref)
			}
		case "pg_cast":
			if i, ok := in.casts[do]; ok && ref != sch.Casts[i].Ref() {
				sch.Casts[i].DependsOn = append(sch.Casts[i].DependsOn, ref)
			}
		case "pg_rewrite":
			if p, ok := in.ruleOf[do]; ok {
				var rules []Rule
				var own ObjectRef
				if ti, ok := in.tables[p.rel]; ok {
					rules, own = sch.Tables[ti].Rules, sch.Tables[ti].Ref()
				} else if vi, ok := in.views[p.rel]; ok {
					rules, own = sch.Views[vi].Rules, sch.Views[vi].Ref()
				}
				if ref == own {
					return nil
				}
				for k := range rules {
					if rules[k].Name == p.name {
						rules[k].DependsOn = append(rules[k].DependsOn, ref)
					}
				}
			}
		case "pg_constraint":
			if p, ok := in.conOf[do]; ok {
				t := &sch.Tables[in.tables[p.rel]]
				if ref == t.Ref() || (ref.Kind == KindIndex && ref.Schema == t.Schema && t.Index(ref.Name) != nil) {
					return nil
				}
				if c := t.Constraint(p.name); c != nil {
					c.DependsOn = append(c.DependsOn, ref)
				}
			} else if i, ok := in.domCon[do]; ok && ref != sch.Types[i].Ref() {
				sch.Types[i].DependsOn = append(sch.Types[i].DependsOn, ref)
			}
		}
		return nil
	}, in.queryArgs("depend", false)...)
}
