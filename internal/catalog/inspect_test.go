package catalog_test

import (
	"context"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

func hasObject(list []catalog.Object, kind catalog.ObjectKind, name string) bool {
	return slices.ContainsFunc(list, func(o catalog.Object) bool { return o.Kind == kind && o.Name == name })
}

// Objects of kinds the model does not cover are listed by name; extension
// members and system objects are not modelled at all.
func TestInspectReportsUnsupported(t *testing.T) {
	u := pg.NewDB(t)
	pgtest.MustExec(t, u, `
		CREATE EXTENSION citext;
		CREATE TYPE public.pair AS (a int, b text);
		CREATE TEXT SEARCH CONFIGURATION public.my_ts (COPY = pg_catalog.english);
		CREATE FUNCTION public.int_to_pair(int) RETURNS public.pair LANGUAGE sql AS 'SELECT ROW($1, NULL)::public.pair';
		CREATE CAST (int AS public.pair) WITH FUNCTION public.int_to_pair(int);
		CREATE TABLE public.t (a int, b int);
		CREATE RULE t_ignore AS ON DELETE TO public.t DO INSTEAD NOTHING;
		CREATE VIEW public.tv AS SELECT a, b FROM public.t;
		CREATE RULE tv_ignore AS ON DELETE TO public.tv DO INSTEAD NOTHING;
		CREATE STATISTICS public.t_stats ON a, b FROM public.t;
		CREATE MATERIALIZED VIEW public.mv AS SELECT a, b FROM public.t;
		CREATE STATISTICS public.mv_stats ON a, b FROM public.mv;
		CREATE FOREIGN DATA WRAPPER dummy_fdw;
		CREATE SERVER dummy_srv FOREIGN DATA WRAPPER dummy_fdw;
		CREATE FOREIGN TABLE public.ft (a int, b int) SERVER dummy_srv;
		CREATE TABLE public.parted (a int) PARTITION BY LIST (a);
		CREATE FOREIGN TABLE public.ft_part PARTITION OF public.parted FOR VALUES IN (1) SERVER dummy_srv;
		CREATE STATISTICS public.ft_stats ON a, b FROM public.ft;
		CREATE PUBLICATION pub_all FOR TABLE public.t;
		CREATE OPERATOR CLASS public.my_int_ops FOR TYPE int4 USING btree AS
			OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 btint4cmp(int4, int4);
		CREATE TABLE public.typed OF public.pair;
		CREATE CONVERSION public.my_conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
	`)
	res := inspectURL(t, u, catalog.Options{})
	for _, w := range []struct {
		kind catalog.ObjectKind
		name string
	}{
		{catalog.KindTable, "typed"}, {catalog.KindConversion, "my_conv"},
	} {
		if !hasObject(res.Unsupported, w.kind, w.name) {
			t.Errorf("unsupported %s %q not reported; got %+v", w.kind, w.name, res.Unsupported)
		}
	}
	if hasObject(res.Unsupported, catalog.KindForeignTable, "ft_part") {
		t.Errorf("foreign partitions are modelled, yet reported unsupported: %+v", res.Unsupported)
	}
	for _, k := range []catalog.ObjectKind{catalog.KindForeignWrapper, catalog.KindForeignServer} {
		for _, o := range res.Unsupported {
			if o.Kind == k {
				t.Errorf("%s is modelled, yet reported unsupported: %+v", k, o)
			}
		}
	}
	if hasObject(res.Unsupported, catalog.KindForeignTable, "ft") {
		t.Errorf("foreign tables are modelled, yet reported unsupported")
	}
	if len(res.Schema.ForeignTables) != 2 || res.Schema.ForeignTables[1].Name != "ft_part" || res.Schema.ForeignTables[1].PartitionOf == nil ||
		res.Schema.ForeignTables[1].PartitionOf.Name != "parted" || res.Schema.ForeignTables[1].PartitionBound != "FOR VALUES IN (1)" {
		t.Errorf("foreign partition = %+v", res.Schema.ForeignTables)
	}
	if len(res.Schema.ForeignWrappers) != 1 || len(res.Schema.ForeignServers) != 1 ||
		res.Schema.ForeignTables[0].Name != "ft" || res.Schema.ForeignTables[0].Server != "dummy_srv" || len(res.Schema.ForeignTables[0].Columns) != 2 {
		t.Errorf("foreign objects = %+v %+v %+v", res.Schema.ForeignWrappers, res.Schema.ForeignServers, res.Schema.ForeignTables)
	}
	if hasObject(res.Unsupported, catalog.KindTextSearch, "my_ts") {
		t.Errorf("text search configurations are modelled, yet reported unsupported")
	}
	if c := res.Schema.TextSearchConfigs; len(c) != 1 || c[0].Name != "my_ts" || c[0].Parser != `pg_catalog."default"` || len(c[0].Mappings) == 0 {
		t.Errorf("text search configurations = %+v", c)
	}
	if hasObject(res.Unsupported, catalog.KindCast, "integer AS public.pair") {
		t.Errorf("casts are modelled, yet reported unsupported")
	}
	if c := res.Schema.Casts; len(c) != 1 || c[0].Name() != "integer AS public.pair" || c[0].Function != "public.int_to_pair(integer)" || c[0].Context != "explicit" || len(c[0].DependsOn) == 0 {
		t.Errorf("casts = %+v", c)
	}
	if hasObject(res.Unsupported, catalog.KindPublication, "pub_all") {
		t.Errorf("publications are modelled, yet reported unsupported")
	}
	if len(res.Schema.Publications) != 1 || res.Schema.Publications[0].Name != "pub_all" || len(res.Schema.Publications[0].Tables) != 1 {
		t.Errorf("publications = %+v", res.Schema.Publications)
	}
	if hasObject(res.Unsupported, catalog.KindRule, "t_ignore") {
		t.Errorf("rules on a table are modelled, yet reported unsupported")
	}
	if tb := res.Schema.Table(catalog.QualifiedName{Schema: "public", Name: "t"}); tb == nil || len(tb.Rules) != 1 || tb.Rules[0].Name != "t_ignore" ||
		tb.Rules[0].Event != "DELETE" || !strings.Contains(tb.Rules[0].Definition, "DO INSTEAD NOTHING") {
		t.Errorf("rules of public.t not modelled: %+v", tb)
	}
	for _, n := range []string{"tv_ignore", "mv_stats", "ft_stats"} {
		for _, o := range res.Unsupported {
			if o.Name == n {
				t.Errorf("%s is modelled, yet reported unsupported: %+v", n, o)
			}
		}
	}
	if v := res.Schema.View(catalog.QualifiedName{Schema: "public", Name: "tv"}); v == nil || len(v.Rules) != 1 || v.Rules[0].Name != "tv_ignore" {
		t.Errorf("rules of view public.tv not modelled: %+v", v)
	}
	if v := res.Schema.View(catalog.QualifiedName{Schema: "public", Name: "mv"}); v == nil || len(v.Statistics) != 1 || v.Statistics[0].Name != "mv_stats" {
		t.Errorf("statistics of materialized view public.mv not modelled: %+v", v)
	}
	if f := res.Schema.ForeignTables; len(f) != 2 || len(f[0].Statistics) != 1 || f[0].Statistics[0].Name != "ft_stats" {
		t.Errorf("statistics of foreign table public.ft not modelled: %+v", f)
	}
	if hasObject(res.Unsupported, catalog.KindStatistics, "t_stats") {
		t.Errorf("statistics on a table are modelled, yet reported unsupported")
	}
	for _, o := range res.Unsupported {
		if catalog.Legacy(o) {
			t.Errorf("%+v is reported the way a version that did not model %s did", o, o.Kind)
		}
	}
	if tb := res.Schema.Table(catalog.QualifiedName{Schema: "public", Name: "t"}); tb == nil || len(tb.Statistics) != 1 ||
		tb.Statistics[0].Name != "t_stats" || !reflect.DeepEqual(tb.Statistics[0].Columns, []string{"a", "b"}) {
		t.Errorf("statistics of public.t not modelled: %+v", tb)
	}
	if hasObject(res.Unsupported, catalog.KindOperatorFamily, "my_int_ops") || hasObject(res.Unsupported, catalog.KindOperatorClass, "my_int_ops") {
		t.Errorf("operator classes and families are modelled, yet reported unsupported: %+v", res.Unsupported)
	}
	if c := res.Schema.OperatorClasses; len(c) != 1 || c[0].Name != "my_int_ops" || c[0].Method != "btree" || c[0].Type != "integer" ||
		c[0].Default || c[0].Family != c[0].QualifiedName || len(c[0].Members) != 6 || !c[0].Members[5].Function ||
		c[0].Members[0].Object != "<(integer,integer)" || c[0].Members[5].Object != "btint4cmp(integer,integer)" {
		t.Errorf("operator classes = %+v", c)
	}
	if f := res.Schema.OperatorFamilies; len(f) != 1 || f[0].Name != "my_int_ops" || f[0].Method != "btree" || len(f[0].Members) != 0 {
		t.Errorf("operator families = %+v", f)
	}
	s := res.Schema
	if len(s.Extensions) != 1 || s.Extensions[0].Name != "citext" || s.Extensions[0].Version == "" {
		t.Errorf("extensions = %+v", s.Extensions)
	}
	for _, f := range s.Functions {
		if f.Name != "int_to_pair" {
			t.Errorf("function %s.%s(%s) is an extension member or system function and must not be modelled", f.Schema, f.Name, f.Args)
		}
	}
	for _, n := range s.Namespaces {
		if n.Name != "public" {
			t.Errorf("unexpected schema %q (system schemas must be excluded)", n.Name)
		}
	}
	if s.Table(catalog.QualifiedName{Schema: "public", Name: "typed"}) != nil || s.Table(catalog.QualifiedName{Schema: "public", Name: "ft"}) != nil {
		t.Errorf("typed and foreign tables must not be modelled as tables")
	}
}

func TestInspectSchemaFiltersAndPrivileges(t *testing.T) {
	u := pg.NewDB(t)
	pgtest.MustExec(t, u, `
		CREATE SCHEMA keep; CREATE SCHEMA drop_me; CREATE SCHEMA secret;
		CREATE TABLE keep.a (id int); CREATE TABLE drop_me.b (id int); CREATE TABLE secret.c (id int);
		DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_limited') THEN
			CREATE ROLE tidemark_limited LOGIN; END IF; END $$;
		GRANT USAGE ON SCHEMA keep, drop_me TO tidemark_limited;
	`)
	res := inspectURL(t, u, catalog.Options{Schemas: []string{"keep", "drop_me", "nope"}, ExcludeSchemas: []string{"drop_me"}})
	if len(res.Schema.Tables) != 1 || res.Schema.Tables[0].Name != "a" {
		t.Errorf("tables = %+v, want only keep.a", res.Schema.Tables)
	}
	if !hasObject(res.Skipped, catalog.KindSchema, "nope") {
		t.Errorf("a requested schema that does not exist must be reported as skipped: %+v", res.Skipped)
	}
	// Without privileges: no owners or ACLs anywhere, and Dump prints none.
	res = inspectURL(t, u, catalog.Options{NoPrivileges: true})
	if res.Schema.Privileges || res.Schema.Tables[0].Owner != "" || res.Schema.Tables[0].ACL != nil || res.Schema.Namespaces[0].ACL != nil {
		t.Errorf("NoPrivileges still captured owners or ACLs: %+v", res.Schema.Tables[0])
	}
	if d := string(catalog.Dump(res.Schema, catalog.DumpOptions{})); strings.Contains(d, "OWNER TO") || strings.Contains(d, "GRANT") {
		t.Errorf("dump without privileges holds OWNER/GRANT:\n%s", d)
	}
	// A role without USAGE on a schema: the schema is skipped with the reason.
	lu, _ := url.Parse(u)
	lu.User = url.User("tidemark_limited")
	res = inspectURL(t, lu.String(), catalog.Options{})
	if !hasObject(res.Skipped, catalog.KindSchema, "secret") {
		t.Errorf("schema without USAGE not reported as skipped: %+v", res.Skipped)
	}
	if res.Schema.Table(catalog.QualifiedName{Schema: "keep", Name: "a"}) == nil {
		t.Errorf("readable schema missing for the limited role")
	}
}

// Inspect runs the same on a connection, a pool and inside a caller's transaction.
func TestInspectQueriers(t *testing.T) {
	u := pg.NewDB(t)
	pgtest.MustExec(t, u, `CREATE TABLE public.t (id int PRIMARY KEY, v text DEFAULT 'x')`)
	ctx := context.Background()
	conn := pgtest.Conn(t, u)
	r1, err := catalog.Inspect(ctx, conn, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	r2, err := catalog.Inspect(ctx, pool, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	r3, err := catalog.Inspect(ctx, tx, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Parallel reading (extra connections sharing the snapshot) gives the same model.
	r4, err := catalog.Inspect(ctx, conn, catalog.Options{Parallel: 3})
	if err != nil {
		t.Fatal(err)
	}
	r5, err := catalog.Inspect(ctx, pool, catalog.Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	// A pool without spare connections: Inspect reads on the one it has
	// instead of waiting for another.
	cfg, err := pgxpool.ParseConfig(u)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 1
	small, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	r6, err := catalog.Inspect(ctx, small, catalog.Options{Parallel: 4})
	if err != nil || r6.Connections != 1 || r6.Fingerprint != r1.Fingerprint {
		t.Errorf("one-connection pool: %v, %d connections", err, r6.Connections)
	}
	if r1.Connections != 1 || r4.Connections != 3 || r5.Connections != 2 {
		t.Errorf("connections used: %d, %d, %d; want 1, 3, 2", r1.Connections, r4.Connections, r5.Connections)
	}
	if r1.Fingerprint != r4.Fingerprint || r1.Fingerprint != r5.Fingerprint {
		t.Errorf("parallel inspection differs: %s %s %s", r1.Fingerprint, r4.Fingerprint, r5.Fingerprint)
	}
	if r1.Fingerprint != r2.Fingerprint || r1.Fingerprint != r3.Fingerprint {
		t.Errorf("fingerprints differ by querier: %s %s %s", r1.Fingerprint, r2.Fingerprint, r3.Fingerprint)
	}
	if r1.ServerVersion < 130000 || len(r1.Fingerprint) != 64 {
		t.Errorf("version %d fingerprint %q", r1.ServerVersion, r1.Fingerprint)
	}
	col := r1.Schema.Tables[0].Column("v")
	if col == nil || col.Default == nil || *col.Default != "'x'::text" {
		t.Errorf("column v = %+v", col)
	}
	// A cancelled context is an error, not a partial model.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := catalog.Inspect(cctx, pool, catalog.Options{}); err == nil {
		t.Errorf("Inspect with a cancelled context succeeded")
	}
}
