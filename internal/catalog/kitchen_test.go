package catalog_test

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// kitchenRoles creates the roles testdata/kitchen_sink.sql grants to.
func kitchenRoles(t *testing.T) {
	t.Helper()
	err := pg.Exec(context.Background(), `DO $$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_reader') THEN CREATE ROLE tidemark_reader; END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_writer') THEN CREATE ROLE tidemark_writer; END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_owner') THEN CREATE ROLE tidemark_owner; END IF;
		END $$`)
	if err != nil {
		t.Fatalf("create roles: %v", err)
	}
}

func TestRoundTripKitchenSink(t *testing.T) {
	pg.NewDB(t)
	kitchenRoles(t)
	sql, err := os.ReadFile("testdata/kitchen_sink.sql")
	if err != nil {
		t.Fatal(err)
	}
	res, err := roundTrip(t, func(t *testing.T, url string) error { return psql(t, url, "", sql) })
	if err != nil {
		t.Fatal(err)
	}
	// The structure beside the rendered definitions (Dump does not use it, a diff does).
	s := res.Schema
	booking := s.Table(catalog.QualifiedName{Schema: "app", Name: "booking"})
	account := s.Table(catalog.QualifiedName{Schema: "app", Name: "account"})
	if booking == nil || account == nil {
		t.Fatal("tables missing")
	}
	fk := booking.Constraint("booking_account_fk")
	if fk == nil || !reflect.DeepEqual(fk.Columns, []string{"account_id"}) || !reflect.DeepEqual(fk.RefColumns, []string{"id"}) ||
		*fk.RefTable != (catalog.QualifiedName{Schema: "app", Name: "account"}) || fk.MatchType != "full" ||
		fk.OnUpdate != "cascade" || fk.OnDelete != "set_null" || !fk.Deferrable {
		t.Errorf("foreign key = %+v", fk)
	}
	if c := booking.Constraint("booking_room_check"); c == nil || !c.NotValid || c.Type != catalog.ConstraintCheck {
		t.Errorf("NOT VALID check = %+v", c)
	}
	if c := account.Constraint("account_email_key"); c == nil || !c.NullsNotDistinct || !reflect.DeepEqual(c.Columns, []string{"email"}) {
		t.Errorf("unique = %+v", c)
	}
	ix := account.Index("account_lower_name")
	if ix == nil || len(ix.Keys) != 1 || ix.Keys[0].Expression == "" || !ix.Keys[0].Descending || !ix.Keys[0].NullsLast ||
		ix.Keys[0].OpClass != "pg_catalog.text_pattern_ops" || !reflect.DeepEqual(ix.Include, []string{"mood"}) ||
		ix.Predicate == "" || ix.Keys[0].StatsTarget == nil || *ix.Keys[0].StatsTarget != 200 {
		t.Errorf("expression index = %+v", ix)
	}
	col := account.Column("id")
	if col == nil || col.Identity != "always" || col.IdentitySequence == nil || col.IdentitySequence.Start != 1000 || col.IdentitySequence.Increment != 2 {
		t.Errorf("identity column = %+v", col)
	}
	if c := account.Column("name"); c == nil || c.Collation != "app.ci" || !reflect.DeepEqual(c.Options, []string{"n_distinct=-0.5"}) {
		t.Errorf("name column = %+v", c)
	}
	if c := account.Column("doc"); c == nil || c.StatsTarget == nil || *c.StatsTarget != 500 || c.Storage != "external" || c.Compression != "pglz" {
		t.Errorf("doc column = %+v", c)
	}
	ev := s.Table(catalog.QualifiedName{Schema: "app", Name: "event_2024_click"})
	if ev == nil || ev.PartitionOf == nil || ev.PartitionOf.Name != "event_2024" || !strings.Contains(ev.PartitionBound, "'click'") {
		t.Errorf("partition = %+v", ev)
	}
	if tr := account.Triggers; len(tr) != 2 || tr[1].Name != "account_touch" || tr[1].When == "" || !reflect.DeepEqual(tr[1].UpdateOf, []string{"name", "email"}) {
		t.Errorf("triggers = %+v", tr)
	}
	if !account.RLSEnabled || !account.RLSForced || len(account.Policies) != 2 {
		t.Errorf("row-level security = %v %v %+v", account.RLSEnabled, account.RLSForced, account.Policies)
	}
	if st := account.Statistics; len(st) != 2 || st[0].Name != "account_expr" || st[0].StatsTarget == nil || *st[0].StatsTarget != 300 ||
		!reflect.DeepEqual(st[1].Kinds, []string{"ndistinct", "dependencies"}) || !reflect.DeepEqual(st[1].Columns, []string{"mood", "score"}) ||
		st[1].Comment == nil {
		t.Errorf("statistics = %+v", st)
	}
	if ft := res.Schema.ForeignTables; len(ft) != 1 || ft[0].Server != "warehouse" || len(ft[0].Columns) != 4 ||
		!reflect.DeepEqual(ft[0].Columns[0].Options, []string{"column_name 'order_id'"}) || !ft[0].Columns[0].NotNull ||
		ft[0].Columns[1].Collation == "" || ft[0].Columns[2].Default == nil || len(ft[0].Options) != 2 || ft[0].Comment == nil {
		t.Errorf("foreign tables = %+v", ft)
	}
	if s := res.Schema.ForeignServers; len(s) != 1 || s[0].Type == nil || *s[0].Type != "pg" || len(s[0].Options) != 2 || s[0].Comment == nil {
		t.Errorf("foreign servers = %+v", s)
	}
	if w := res.Schema.ForeignWrappers; len(w) != 1 || w[0].Name != "app_fdw" || len(w[0].Options) != 1 {
		t.Errorf("foreign-data wrappers = %+v", w)
	}
	if c := res.Schema.TextSearchConfigs; len(c) != 2 || c[1].Name != "plain" || len(c[1].Mappings) != 3 ||
		!reflect.DeepEqual(c[1].Mappings[0].Dicts, []catalog.QualifiedName{{Schema: "app", Name: "simple_stop"}, {Schema: "pg_catalog", Name: "simple"}}) {
		t.Errorf("text search configurations = %+v", c)
	}
	if d := res.Schema.TextSearchDicts; len(d) != 1 || d[0].Options != "stopwords = 'english'" || d[0].Template != "pg_catalog.simple" || d[0].Comment == nil {
		t.Errorf("text search dictionaries = %+v", d)
	}
	if v := res.Schema.View(catalog.QualifiedName{Schema: "app", Name: "mood_stats"}); v == nil || len(v.Statistics) != 1 || v.Statistics[0].Name != "mood_stats_dep" {
		t.Errorf("materialized view statistics = %+v", v)
	}
	if v := res.Schema.View(catalog.QualifiedName{Schema: "app", Name: "account_count"}); v == nil || len(v.Rules) != 1 ||
		v.Rules[0].Name != "account_count_no_delete" || v.Rules[0].Comment == nil || v.Rules[0].Event != "DELETE" {
		t.Errorf("view rules = %+v", v)
	}
	if f := res.Schema.ForeignTables; len(f) != 1 || f[0].Name != "remote_orders" || len(f[0].Statistics) != 1 || f[0].Statistics[0].Name != "remote_orders_mood" ||
		len(f[0].Checks) != 2 || f[0].Checks[0].Comment == nil || f[0].Checks[0].Definition != "CHECK ((id > 0))" || !f[0].Checks[1].NotValid {
		t.Errorf("foreign tables = %+v", f)
	}
	if c := res.Schema.OperatorClasses; len(c) != 1 || c[0].Name != "text_rev_ops" || c[0].Family != c[0].QualifiedName ||
		len(c[0].Members) != 2 || c[0].Members[0].Object != "app.=~=(text,text)" || c[0].Members[1].Object != "app.text_rev_cmp(text,text)" ||
		c[0].Comment == nil || len(c[0].DependsOn) < 3 {
		t.Errorf("operator classes = %+v", c)
	}
	if f := res.Schema.OperatorFamilies; len(f) != 2 || f[0].Name != "rev_hash_ops" || f[0].Method != "hash" || len(f[0].Members) != 2 ||
		f[0].Owner != "tidemark_owner" || f[0].Comment == nil || f[1].Name != "text_rev_ops" || len(f[1].Members) != 0 {
		t.Errorf("operator families = %+v", f)
	}
	if w := res.Schema.Table(catalog.QualifiedName{Schema: "app", Name: "word"}); w == nil || len(w.Indexes) != 1 ||
		!slices.ContainsFunc(w.Indexes[0].DependsOn, func(r catalog.ObjectRef) bool { return r.Kind == catalog.KindOperatorClass }) {
		t.Errorf("the index using an operator class does not depend on it: %+v", w)
	}
	if c := res.Schema.Casts; len(c) != 2 || c[0].Name() != "app.mood AS integer" || c[0].Context != "assignment" || c[0].Comment == nil ||
		c[1].Method != "inout" || c[1].Name() != "app.pair AS text" {
		t.Errorf("casts = %+v", c)
	}
	if p := res.Schema.Publications; len(p) != 2 || p[0].Name != "account_changes" || len(p[0].Tables) != 1 ||
		!reflect.DeepEqual(p[0].Tables[0].Columns, []string{"id", "name", "score"}) || p[0].Tables[0].Where == "" ||
		!reflect.DeepEqual(p[0].Publish, []string{"insert", "update"}) || p[0].Comment == nil ||
		!reflect.DeepEqual(p[1].Schemas, []string{"app"}) || !p[1].ViaRoot || len(p[1].Publish) != 4 {
		t.Errorf("publications = %+v", p)
	}
	if r := account.Rules; len(r) != 1 || r[0].Name != "account_keep" || r[0].Event != "DELETE" || r[0].Enabled != "disabled" || r[0].Comment == nil {
		t.Errorf("rules = %+v", r)
	}
	if len(res.Unsupported) != 0 {
		t.Errorf("kitchen sink has only modelled kinds, got unsupported %+v", res.Unsupported)
	}
}

// A foreign partition (sharding through a wrapper) round-trips: created
// standalone with its parent's CHECK and attached, and the partitioned index
// over the tree stays valid (the foreign partition has no index). Kept out
// of the kitchen sink: a database-wide ANALYZE reaches a foreign partition
// through its parent, which needs a wrapper that can read it.
func TestRoundTripForeignPartition(t *testing.T) {
	const sql = `CREATE FOREIGN DATA WRAPPER shard_fdw;
CREATE SERVER shard FOREIGN DATA WRAPPER shard_fdw OPTIONS (host 'db2');
CREATE TABLE public.ledger (region int NOT NULL, amount numeric CHECK (amount <> 0), note text) PARTITION BY LIST (region);
CREATE TABLE public.ledger_local PARTITION OF public.ledger FOR VALUES IN (1);
CREATE FOREIGN TABLE public.ledger_remote PARTITION OF public.ledger FOR VALUES IN (2, 3) SERVER shard OPTIONS (table_name 'ledger');
ALTER FOREIGN TABLE public.ledger_remote ALTER COLUMN note OPTIONS (ADD column_name 'memo');
ALTER FOREIGN TABLE public.ledger_remote ALTER COLUMN note SET DEFAULT 'remote';
COMMENT ON FOREIGN TABLE public.ledger_remote IS 'regions 2 and 3';
CREATE INDEX ledger_region ON public.ledger (region);
`
	res, err := roundTrip(t, func(t *testing.T, url string) error { return psql(t, url, "", []byte(sql)) })
	if err != nil {
		t.Fatal(err)
	}
	f := res.Schema.ForeignTables
	if len(f) != 1 || f[0].Name != "ledger_remote" || f[0].PartitionOf == nil || f[0].PartitionOf.Name != "ledger" ||
		f[0].PartitionBound != "FOR VALUES IN (2, 3)" || len(f[0].Checks) != 1 || !f[0].Checks[0].Inherited || len(f[0].Columns) != 3 ||
		f[0].Columns[2].Default == nil || len(f[0].Columns[2].Options) != 1 {
		t.Errorf("foreign partition = %+v", f)
	}
	if l := res.Schema.Table(catalog.QualifiedName{Schema: "public", Name: "ledger"}); l == nil || len(l.Indexes) != 1 || !l.Indexes[0].Valid {
		t.Errorf("the index over the tree = %+v", l)
	}
	for _, o := range res.Unsupported {
		if o.Kind == catalog.KindForeignTable {
			t.Errorf("a foreign partition is reported unsupported: %+v", o)
		}
	}
}
