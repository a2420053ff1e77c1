package drift_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// TestNeverDrift runs each operation that changes no schema on a database
// and requires Compare to report nothing.
func TestNeverDrift(t *testing.T) {
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, base)
	expected := inspect(t, url)
	cases := []struct {
		name string
		run  func(t *testing.T)
		// live, when set, gives the live model instead of a fresh Inspect.
		live func(t *testing.T) *catalog.Result
	}{
		{name: "server restart (sessions terminated, new connection)", run: func(t *testing.T) {
			pgtest.MustExec(t, url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid()`)
		}},
		{name: "VACUUM", run: exec(url, "VACUUM")},
		{name: "VACUUM FULL", run: exec(url, "VACUUM FULL")},
		{name: "ANALYZE", run: exec(url, "ANALYZE")},
		{name: "CLUSTER (on the index it is marked clustered on)", run: exec(url, "CLUSTER app.t", "CLUSTER")},
		{name: "REINDEX", run: exec(url, "REINDEX TABLE app.t", "REINDEX INDEX app.t_name_idx", "REINDEX SCHEMA app")},
		{name: "CHECKPOINT", run: exec(url, "CHECKPOINT")},
		{name: "inserts, updates, deletes", run: exec(url,
			"INSERT INTO app.t (id, name) VALUES (1000, 'x')", "UPDATE app.t SET price = 3 WHERE id < 50",
			"DELETE FROM app.t WHERE id > 150", "REFRESH MATERIALIZED VIEW app.mv")},
		{name: "sequence advanced and setval (identity sequences too)", run: exec(url,
			"SELECT nextval('app.seq') FROM generate_series(1, 10)", "SELECT setval('app.seq', 4242, false)",
			"INSERT INTO app.ident (v) SELECT 'x' FROM generate_series(1, 5)", "SELECT setval(pg_get_serial_sequence('app.ident', 'id'), 900)")},
		{name: "statistics reset", run: exec(url, "SELECT pg_stat_reset()", "SELECT pg_stat_reset_shared('bgwriter')")},
		{name: "view dropped and re-created identically", run: exec(url,
			"DROP VIEW app.v", "CREATE VIEW app.v AS SELECT id, name FROM app.t",
			"CREATE RULE v_no_delete AS ON DELETE TO app.v DO INSTEAD NOTHING")},
		{name: "function dropped and re-created identically", run: exec(url,
			"DROP FUNCTION app.f(integer)", "CREATE FUNCTION app.f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1'")},
		{name: "column added then dropped (dropped attribute left behind)", run: exec(url,
			"ALTER TABLE app.t ADD COLUMN tmp text", "ALTER TABLE app.t DROP COLUMN tmp")},
		{name: "a role's password changed", run: exec(url, "ALTER ROLE drift_alice PASSWORD 'changed'")},
		{name: "temporary table in another session", run: func(t *testing.T) {
			other := pgtest.Conn(t, url) // stays open while the live side is inspected
			if _, err := other.Exec(context.Background(), "CREATE TEMPORARY TABLE scratchpad (x int); CREATE TEMP VIEW tv AS SELECT 1"); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "statistics dropped and re-created identically", run: exec(url,
			"DROP STATISTICS app.t_stats", "CREATE STATISTICS app.t_stats (dependencies) ON name, qty FROM app.t")},
		{name: "operator class dropped and re-created identically", run: exec(url,
			"DROP OPERATOR CLASS app.rev_ops USING btree", "CREATE OPERATOR CLASS app.rev_ops FOR TYPE text USING btree FAMILY app.rev_ops AS FUNCTION 1 app.cmp_rev(text, text)")},
		{name: "foreign table dropped and re-created identically", run: exec(url,
			"DROP FOREIGN TABLE app.remote", "CREATE FOREIGN TABLE app.remote (id integer, note text) SERVER drift_srv OPTIONS (table_name 'remote')",
			"CREATE STATISTICS app.remote_stats ON id, note FROM app.remote")},
		{name: "text search configuration dropped and re-created identically", run: exec(url,
			"DROP TEXT SEARCH CONFIGURATION app.fts", "CREATE TEXT SEARCH CONFIGURATION app.fts (COPY = pg_catalog.english)")},
		{name: "cast dropped and re-created identically", run: exec(url,
			"DROP CAST (integer AS app.pair)", "CREATE CAST (integer AS app.pair) WITH FUNCTION app.int_to_pair(integer)")},
		{name: "publication dropped and re-created identically", run: exec(url,
			"DROP PUBLICATION app_pub", "CREATE PUBLICATION app_pub FOR TABLE app.t")},
		{name: "rule dropped and re-created identically", run: exec(url,
			"DROP RULE audit_no_delete ON app.audit", "CREATE RULE audit_no_delete AS ON DELETE TO app.audit DO INSTEAD NOTHING")},
		{name: "the expected snapshot written by an older Tidemark version", live: func(t *testing.T) *catalog.Result {
			return inspect(t, url)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			exp := expected
			var live *catalog.Result
			if c.live != nil {
				// The stored form of a snapshot: model JSON decoded through
				// the one decoder, with fields an older version did not write
				// (omitted) and ones it wrote that no longer exist (ignored).
				exp = oldSnapshot(t, expected)
				live = c.live(t)
			} else {
				c.run(t)
				live = inspect(t, url)
			}
			rep := drift.Compare(exp, live)
			if rep.Drifted() || rep.Status != drift.StatusNone {
				b, _ := json.MarshalIndent(rep, "", "  ")
				t.Fatalf("reported drift:\n%s", b)
			}
		})
	}
}

func exec(url string, stmts ...string) func(t *testing.T) {
	return func(t *testing.T) {
		for _, s := range stmts {
			pgtest.MustExec(t, url, s)
		}
	}
}

// oldSnapshot encodes res's model as a snapshot stores it, drops the
// fields an older Tidemark did not write when empty and adds one it no
// longer writes, and decodes it back through catalog.DecodeModel.
func oldSnapshot(t *testing.T, res *catalog.Result) *catalog.Result {
	t.Helper()
	b, err := json.Marshal(res.Schema)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	m["obsolete_field"] = "written by an older version"
	for k, v := range m {
		if v == nil {
			delete(m, k) // older versions omitted empty lists
		}
	}
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	out, err := catalog.DecodeModel(b)
	if err != nil {
		t.Fatal(err)
	}
	out.Unsupported = res.Unsupported
	return out
}

// TestAlwaysDrift makes one out-of-band change per case and requires the
// report to name the object, its action and (when given) the property;
// then applies the revert migration and requires no drift (convergence).
func TestAlwaysDrift(t *testing.T) {
	cases := []struct {
		name, sql         string
		kind, obj, action string
		property, pAction string // property prefix and its action ("" = any)
		noRevert          bool   // diff cannot plan the revert (said why)
	}{
		{"table added", "CREATE TABLE app.extra (x int)", "table", "extra", drift.Added, "", "", false},
		{"table dropped", "DROP TABLE app.child", "table", "child", drift.Dropped, "", "", false},
		{"column added", "ALTER TABLE app.t ADD COLUMN note varchar(20)", "table", "t", drift.Altered, "column note", drift.Added, false},
		{"column dropped", "ALTER TABLE app.t DROP COLUMN email", "table", "t", drift.Altered, "column email", drift.Dropped, false},
		{"column type", "ALTER TABLE app.t ALTER COLUMN price TYPE numeric(12,2)", "table", "t", drift.Altered, "column price type", drift.Altered, false},
		{"column default changed", "ALTER TABLE app.t ALTER COLUMN price SET DEFAULT 1", "table", "t", drift.Altered, "column price default", drift.Altered, false},
		{"column default added", "ALTER TABLE app.t ALTER COLUMN email SET DEFAULT 'x'", "table", "t", drift.Altered, "column email default", drift.Added, false},
		{"column nullability", "ALTER TABLE app.t ALTER COLUMN name DROP NOT NULL", "table", "t", drift.Altered, "column name not null", drift.Altered, false},
		{"column identity", "ALTER TABLE app.t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY", "table", "t", drift.Altered, "column id identity", drift.Added, false},
		{"column generated expression dropped", "ALTER TABLE app.t ALTER COLUMN g DROP EXPRESSION", "table", "t", drift.Altered, "column g generated", drift.Dropped, false},
		{"index added", "CREATE INDEX t_qty_idx ON app.t (qty)", "table", "t", drift.Altered, "index t_qty_idx", drift.Added, false},
		{"index dropped", "DROP INDEX app.t_name_idx", "table", "t", drift.Altered, "index t_name_idx", drift.Dropped, false},
		{"index altered", "DROP INDEX app.t_name_idx; CREATE INDEX t_name_idx ON app.t (name, qty)", "table", "t", drift.Altered, "index t_name_idx", drift.Altered, false},
		{"check constraint added", "ALTER TABLE app.t ADD CONSTRAINT qty_pos CHECK (qty > 0)", "table", "t", drift.Altered, "constraint qty_pos", drift.Added, false},
		{"unique constraint added", "ALTER TABLE app.t ADD CONSTRAINT t_email_key UNIQUE (email)", "table", "t", drift.Altered, "constraint t_email_key", drift.Added, false},
		{"foreign key dropped", "ALTER TABLE app.child DROP CONSTRAINT child_t_id_fkey", "table", "child", drift.Altered, "constraint child_t_id_fkey", drift.Dropped, false},
		{"view altered", "CREATE OR REPLACE VIEW app.v AS SELECT id, name, 1 AS one FROM app.t", "view", "v", drift.Altered, "definition", drift.Altered, false},
		{"view added", "CREATE VIEW app.v2 AS SELECT 1 AS one", "view", "v2", drift.Added, "", "", false},
		{"materialized view altered", "DROP MATERIALIZED VIEW app.mv; CREATE MATERIALIZED VIEW app.mv AS SELECT id, name FROM app.t", "materialized_view", "mv", drift.Altered, "definition", drift.Altered, false},
		{"materialized view index", "CREATE INDEX mv_id_idx ON app.mv (id)", "materialized_view", "mv", drift.Altered, "index mv_id_idx", drift.Added, false},
		{"function body changed", "CREATE OR REPLACE FUNCTION app.f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 2'", "function", "f(x integer)", drift.Altered, "body", drift.Altered, false},
		{"function volatility", "ALTER FUNCTION app.f(integer) IMMUTABLE", "function", "f(x integer)", drift.Altered, "volatility", "", false},
		{"function added", "CREATE FUNCTION app.g() RETURNS int LANGUAGE sql AS 'SELECT 1'", "function", "g()", drift.Added, "", "", false},
		{"trigger added", "CREATE TRIGGER t_ins BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.trg()", "table", "t", drift.Altered, "trigger t_ins", drift.Added, false},
		{"trigger disabled", "ALTER TABLE app.t DISABLE TRIGGER trg_base", "table", "t", drift.Altered, "trigger trg_base enabled", drift.Altered, false},
		{"sequence increment", "ALTER SEQUENCE app.seq INCREMENT BY 5", "sequence", "seq", drift.Altered, "increment", drift.Altered, false},
		{"sequence max", "ALTER SEQUENCE app.seq MAXVALUE 1000", "sequence", "seq", drift.Altered, "max", drift.Altered, false},
		{"enum value added", "ALTER TYPE app.mood ADD VALUE 'happy'", "type", "mood", drift.Altered, "value", drift.Added, false},
		{"domain constraint added", "ALTER DOMAIN app.posint ADD CONSTRAINT small CHECK (VALUE < 100)", "type", "posint", drift.Altered, "constraint small", drift.Added, false},
		{"domain default", "ALTER DOMAIN app.posint SET DEFAULT 1", "type", "posint", drift.Altered, "default", drift.Added, false},
		{"extension created", "CREATE EXTENSION citext SCHEMA app", "extension", "citext", drift.Added, "", "", false},
		{"schema added", "CREATE SCHEMA extra", "schema", "extra", drift.Added, "", "", false},
		{"schema comment", "COMMENT ON SCHEMA app IS 'the app'", "schema", "app", drift.Altered, "comment", drift.Added, false},
		{"RLS enabled", "ALTER TABLE app.t ENABLE ROW LEVEL SECURITY", "table", "t", drift.Altered, "rls enabled", drift.Altered, false},
		{"policy added", "CREATE POLICY p_all ON app.t USING (true)", "table", "t", drift.Altered, "policy p_all", drift.Added, false},
		{"privilege granted", "GRANT SELECT ON app.t TO drift_alice", "table", "t", drift.Altered, "privilege", drift.Added, false},
		{"column privilege granted", "GRANT UPDATE (name) ON app.t TO drift_alice", "table", "t", drift.Altered, "column name privilege", drift.Added, false},
		{"privilege revoked on a function", "REVOKE EXECUTE ON FUNCTION app.f(integer) FROM PUBLIC", "function", "f(x integer)", drift.Altered, "privilege", drift.Dropped, false},
		{"table comment", "COMMENT ON TABLE app.t IS 'things'", "table", "t", drift.Altered, "comment", drift.Added, false},
		{"column comment", "COMMENT ON COLUMN app.t.name IS 'the name'", "table", "t", drift.Altered, "column name comment", drift.Added, false},
		{"ownership", "ALTER TABLE app.t OWNER TO drift_alice", "table", "t", drift.Altered, "owner", drift.Altered, false},
		{"identity sequence option", "ALTER TABLE app.ident ALTER COLUMN id SET INCREMENT BY 10", "table", "ident", drift.Altered, "column id identity sequence", drift.Altered, false},
		{"identity kind", "ALTER TABLE app.ident ALTER COLUMN id SET GENERATED BY DEFAULT", "table", "ident", drift.Altered, "column id identity", drift.Altered, false},
		{"partition attached", "ALTER TABLE app.p ATTACH PARTITION app.p2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", "table", "p2025", drift.Altered, "partition of", drift.Added, false},
		{"partition detached", "ALTER TABLE app.p DETACH PARTITION app.p2024", "table", "p2024", drift.Altered, "partition of", drift.Dropped, false},
		{"default privileges", "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO drift_alice", "default_privileges", "postgres.app.tables", drift.Added, "", "", false},
		{"statistics added", "CREATE STATISTICS app.t_price ON price, qty FROM app.t", "table", "t", drift.Altered, "statistics t_price", drift.Added, false},
		{"statistics dropped", "DROP STATISTICS app.t_stats", "table", "t", drift.Altered, "statistics t_stats", drift.Dropped, false},
		{"statistics altered", "DROP STATISTICS app.t_stats; CREATE STATISTICS app.t_stats (mcv) ON name, qty FROM app.t", "table", "t", drift.Altered, "statistics t_stats", drift.Altered, false},
		{"statistics target", "ALTER STATISTICS app.t_stats SET STATISTICS 50", "table", "t", drift.Altered, "statistics t_stats stats target", "", false},
		{"statistics comment", "COMMENT ON STATISTICS app.t_stats IS 'name and qty'", "table", "t", drift.Altered, "statistics t_stats comment", drift.Added, false},
		{"statistics owner", "ALTER STATISTICS app.t_stats OWNER TO drift_alice", "table", "t", drift.Altered, "statistics t_stats owner", drift.Altered, false},
		{"foreign table column added", "ALTER FOREIGN TABLE app.remote ADD COLUMN at date", "foreign_table", "remote", drift.Altered, "", "", false},
		{"foreign table options", "ALTER FOREIGN TABLE app.remote OPTIONS (SET table_name 'other')", "foreign_table", "remote", drift.Altered, "", "", false},
		{"foreign table dropped", "DROP FOREIGN TABLE app.remote", "foreign_table", "remote", drift.Dropped, "", "", false},
		{"foreign server options", "ALTER SERVER drift_srv OPTIONS (SET host 'db2')", "foreign_server", "drift_srv", drift.Altered, "", "", false},
		{"foreign server added", "CREATE SERVER drift_srv2 FOREIGN DATA WRAPPER drift_fdw", "foreign_server", "drift_srv2", drift.Added, "", "", false},
		{"text search mapping", "ALTER TEXT SEARCH CONFIGURATION app.fts ALTER MAPPING FOR asciiword WITH app.stop", "text_search_configuration", "fts", drift.Altered, "", "", false},
		{"text search configuration added", "CREATE TEXT SEARCH CONFIGURATION app.fts2 (COPY = app.fts)", "text_search_configuration", "fts2", drift.Added, "", "", false},
		{"text search dictionary options", "ALTER TEXT SEARCH DICTIONARY app.stop (accept = false)", "text_search_dictionary", "stop", drift.Altered, "options", drift.Altered, false},
		{"text search dictionary dropped", "DROP TEXT SEARCH DICTIONARY app.stop", "text_search_dictionary", "stop", drift.Dropped, "", "", false},
		{"foreign partition attached", "CREATE FOREIGN TABLE app.p_remote PARTITION OF app.p FOR VALUES FROM ('2030-01-01') TO ('2031-01-01') SERVER drift_srv", "foreign_table", "p_remote", drift.Added, "", "", false},
		{"foreign table check added", "ALTER FOREIGN TABLE app.remote ADD CONSTRAINT remote_id CHECK (id > 0)", "foreign_table", "remote", drift.Altered, "", "", false},
		{"view rule added", "CREATE RULE v_no_update AS ON UPDATE TO app.v DO INSTEAD NOTHING", "view", "v", drift.Altered, "", "", false},
		{"view rule dropped", "DROP RULE v_no_delete ON app.v", "view", "v", drift.Altered, "", "", false},
		{"materialized view statistics dropped", "DROP STATISTICS app.mv_stats", "materialized_view", "mv", drift.Altered, "", "", false},
		{"foreign table statistics added", "CREATE STATISTICS app.remote_more ON id, note FROM app.remote", "foreign_table", "remote", drift.Altered, "", "", false},
		{"operator class added", "CREATE OPERATOR CLASS app.h_ops FOR TYPE text USING hash FAMILY app.hfam AS FUNCTION 1 hashtext(text)", "operator_class", "h_ops USING hash", drift.Added, "", "", false},
		{"operator class dropped", "DROP OPERATOR CLASS app.rev_ops USING btree", "operator_class", "rev_ops USING btree", drift.Dropped, "", "", false},
		{"operator class comment", "COMMENT ON OPERATOR CLASS app.rev_ops USING btree IS 'reversed'", "operator_class", "rev_ops USING btree", drift.Altered, "comment", drift.Added, false},
		{"operator family member added", "ALTER OPERATOR FAMILY app.hfam USING hash ADD FUNCTION 1 hashtext(text)", "operator_family", "hfam USING hash", drift.Altered, "", "", false},
		{"operator family added", "CREATE OPERATOR FAMILY app.fam2 USING btree", "operator_family", "fam2 USING btree", drift.Added, "", "", false},
		{"cast added", "CREATE CAST (app.pair AS text) WITH INOUT", "cast", "app.pair AS text", drift.Added, "", "", false},
		{"cast dropped", "DROP CAST (integer AS app.pair)", "cast", "integer AS app.pair", drift.Dropped, "", "", false},
		{"cast context", "DROP CAST (integer AS app.pair); CREATE CAST (integer AS app.pair) WITH FUNCTION app.int_to_pair(integer) AS IMPLICIT", "cast", "integer AS app.pair", drift.Altered, "context", drift.Altered, false},
		{"cast comment", "COMMENT ON CAST (integer AS app.pair) IS 'pairs'", "cast", "integer AS app.pair", drift.Altered, "comment", drift.Added, false},
		{"publication added", "CREATE PUBLICATION more FOR TABLE app.audit", "publication", "more", drift.Added, "", "", false},
		{"publication dropped", "DROP PUBLICATION app_pub", "publication", "app_pub", drift.Dropped, "", "", false},
		{"publication table added", "ALTER PUBLICATION app_pub ADD TABLE app.audit", "publication", "app_pub", drift.Altered, "", "", false},
		{"publication options", "ALTER PUBLICATION app_pub SET (publish = 'insert')", "publication", "app_pub", drift.Altered, "", "", false},
		{"publication comment", "COMMENT ON PUBLICATION app_pub IS 'out'", "publication", "app_pub", drift.Altered, "comment", drift.Added, false},
		{"rule added", "CREATE RULE audit_no_update AS ON UPDATE TO app.audit DO INSTEAD NOTHING", "table", "audit", drift.Altered, "rule audit_no_update", drift.Added, false},
		{"rule dropped", "DROP RULE audit_no_delete ON app.audit", "table", "audit", drift.Altered, "rule audit_no_delete", drift.Dropped, false},
		{"rule altered", "CREATE OR REPLACE RULE audit_no_delete AS ON DELETE TO app.audit DO INSTEAD UPDATE app.audit SET note = 'deleted' WHERE id = old.id", "table", "audit", drift.Altered, "rule audit_no_delete", drift.Altered, false},
		{"rule disabled", "ALTER TABLE app.audit DISABLE RULE audit_no_delete", "table", "audit", drift.Altered, "rule audit_no_delete enabled", "", false},
		{"rule comment", "COMMENT ON RULE audit_no_delete ON app.audit IS 'keep the audit'", "table", "audit", drift.Altered, "rule audit_no_delete comment", drift.Added, false},
		{"clustered on another index", "CLUSTER app.t USING t_name_idx", "table", "t", drift.Altered, "index t_name_idx clustered", drift.Altered, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := srv.NewDB(t)
			pgtest.MustExec(t, url, base)
			expected := inspect(t, url)
			pgtest.MustExec(t, url, c.sql)
			live := inspect(t, url)
			rep := drift.Compare(expected, live)
			dump := func() string { b, _ := json.MarshalIndent(rep.Objects, "", "  "); return string(b) }
			if rep.Status != drift.StatusDrift {
				t.Fatalf("status %q, want drift:\n%s", rep.Status, dump())
			}
			var found *drift.Object
			for i, o := range rep.Objects {
				if o.Kind == c.kind && o.Name == c.obj {
					found = &rep.Objects[i]
				}
			}
			if found == nil {
				t.Fatalf("no %s %s in the report:\n%s", c.kind, c.obj, dump())
			}
			if found.Action != c.action {
				t.Fatalf("%s %s: action %s, want %s", c.kind, c.obj, found.Action, c.action)
			}
			if c.action != drift.Altered && (found.ExpectedDDL == "") == (c.action == drift.Dropped) {
				t.Errorf("DDL sides do not match the action: %+v", found)
			}
			if c.action == drift.Altered && (found.ExpectedDDL == "" || found.LiveDDL == "" || found.ExpectedDDL == found.LiveDDL) {
				t.Errorf("altered object without two different DDL sides: %+v", found)
			}
			t.Logf("%s %s %s: %+v", found.Action, found.Kind, found.QualifiedName(), found.Changes)
			if c.property != "" {
				ok := false
				for _, ch := range found.Changes {
					if strings.HasPrefix(ch.Property, c.property) && (c.pAction == "" || ch.Action == c.pAction) {
						ok = true
					}
				}
				if !ok {
					t.Fatalf("no change %q (%s) of %s %s:\n%s", c.property, c.pAction, c.kind, c.obj, dump())
				}
			}
			// Convergence: the revert migration makes the drift go away;
			// the codify migration turns the expected schema into the live one.
			plans := drift.Migrations(expected, live)
			if plans.CodifyError != "" || plans.Codify.Empty() {
				t.Errorf("codify: %q, %d statements", plans.CodifyError, len(plans.Codify.Statements))
			}
			if c.noRevert {
				t.Logf("revert: %s", plans.RevertError)
				return
			}
			if plans.RevertError != "" {
				t.Fatalf("revert refused: %s", plans.RevertError)
			}
			conn := pgtest.Conn(t, url)
			if err := diff.Apply(context.Background(), conn, plans.Revert); err != nil {
				t.Fatalf("apply revert: %v\n%s", err, plans.Revert.SQL())
			}
			after := drift.Compare(expected, inspect(t, url))
			if after.Drifted() {
				b, _ := json.MarshalIndent(after.Objects, "", "  ")
				t.Fatalf("drift left after the revert:\n%s\nrevert:\n%s", b, plans.Revert.SQL())
			}
		})
	}
}

// TestNotCompared: objects the model does not cover are listed, and the
// status is not "none" even when nothing modelled drifted.
func TestNotCompared(t *testing.T) {
	e := &catalog.Result{Schema: catalog.Schema{Privileges: true}}
	l := &catalog.Result{Schema: catalog.Schema{Privileges: true}, Unsupported: []catalog.Object{
		{Kind: catalog.KindPublication, Name: "pub"}, {Kind: catalog.KindRule, Schema: catalog.TidemarkSchema, Name: "r"},
	}}
	rep := drift.Compare(e, l)
	if rep.Status != drift.StatusNotCompared || len(rep.NotCompared) != 1 || rep.NotCompared[0].Name != "pub" || rep.NotCompared[0].Side != "live" {
		t.Fatalf("got %+v", rep)
	}
	rep = drift.Compare(l, l)
	if rep.Status != drift.StatusNotCompared || rep.NotCompared[0].Side != "both" {
		t.Fatalf("got %+v", rep)
	}
}

// TestTidemarkSchemaIgnored: Tidemark's own bookkeeping never drifts.
func TestTidemarkSchemaIgnored(t *testing.T) {
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, base)
	ctx := context.Background()
	res, err := catalog.Inspect(ctx, pgtest.Conn(t, url), catalog.Options{IncludeTidemark: true})
	if err != nil {
		t.Fatal(err)
	}
	pgtest.MustExec(t, url, "CREATE SCHEMA tidemark; CREATE TABLE tidemark.migration_history (id int)")
	live, err := catalog.Inspect(ctx, pgtest.Conn(t, url), catalog.Options{IncludeTidemark: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep := drift.Compare(res, live); rep.Status != drift.StatusNone {
		t.Fatalf("got %+v", rep)
	}
}

// TestOlderModelOfLaterKinds: a snapshot written before a kind was modelled
// names that kind's objects among its unsupported ones and holds none of
// them; compared with a live model that holds them, nothing is reported
// added and no migration drops them: they are listed as not compared.
func TestOlderModelOfLaterKinds(t *testing.T) {
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, base)
	live := inspect(t, url)
	for _, k := range catalog.LaterKinds() {
		t.Run(string(k), func(t *testing.T) {
			old := *live
			old.Schema = live.Schema.Clone()
			legacy := old.Schema.StripKind(k)
			if len(legacy) == 0 {
				t.Fatalf("the base schema has no %s", k)
			}
			old.Unsupported = append(append([]catalog.Object(nil), live.Unsupported...), legacy...)
			for _, o := range legacy {
				if !catalog.Legacy(o) {
					t.Fatalf("%+v is not recognised as an older version's entry", o)
				}
			}
			rep := drift.Compare(&old, live)
			if rep.Drifted() || rep.Status != drift.StatusNotCompared {
				b, _ := json.MarshalIndent(rep, "", "  ")
				t.Fatalf("older snapshot against live:\n%s", b)
			}
			both := 0
			for _, n := range rep.NotCompared {
				if n.Kind == string(k) && n.Side == "both" {
					both++
				}
			}
			if both != len(legacy) {
				t.Errorf("%d of %d %s objects listed as not compared on both sides: %+v", both, len(legacy), k, rep.NotCompared)
			}
			plans := drift.Migrations(&old, live)
			if !plans.Revert.Empty() || !plans.Codify.Empty() {
				t.Errorf("migrations against an older snapshot:\nrevert:\n%s\ncodify:\n%s", plans.Revert.SQL(), plans.Codify.SQL())
			}
			if rep := drift.Compare(live, &old); rep.Drifted() {
				t.Errorf("live against an older model drifted: %+v", rep.Objects)
			}
		})
	}
}
