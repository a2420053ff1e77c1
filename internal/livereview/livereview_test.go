package livereview_test

import (
	"context"
	"errors"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

type fixture struct {
	*wstest.Fixture
	reg  *review.Registry
	rev  *livereview.Reviewer
	sync *schemasync.Syncer
}

func setup(t *testing.T) fixture {
	t.Helper()
	f := wstest.New(t, srv)
	s := schemasync.New(f.WS, f.Conns)
	reg := review.NewRegistry()
	return fixture{f, reg, livereview.New(reg, f.WS, f.Conns, s), s}
}

// found lists "rule@line" of every advice.
func found(o *livereview.Outcome) []string {
	out := []string{}
	for _, a := range o.Advice {
		out = append(out, a.Rule+"@"+strconv.Itoa(a.Line))
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s || strings.HasPrefix(x, s+"@") {
			return true
		}
	}
	return false
}

func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// unreachable points the fixture's instance at a port nothing listens on.
func (f fixture) unreachable(t *testing.T) {
	t.Helper()
	in := f.Instance
	in.Port = closedPort(t)
	if _, err := f.WS.UpdateInstance(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.WS.UpdateInstance(context.Background(), f.Instance) }) //nolint:errcheck // the next subtest sets it again
}

func (f fixture) template(t *testing.T, name string) *review.Policy {
	t.Helper()
	p, err := f.reg.Template(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPolicyDefaultsFollowProduction(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	staging, err := f.WS.CreateEnvironment(ctx, "Staging")
	if err != nil {
		t.Fatal(err)
	}
	protect := func(on bool) func() {
		return func() {
			if _, err := f.WS.SetEnvironmentProtected(ctx, staging.ID, on); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name   string
		before func()
		env    string
		want   string
	}{
		{"test", nil, "test", review.TemplateTest},
		{"prod", nil, "prod", review.TemplateDefault},
		{"a new stage", nil, staging.ID, review.TemplateTest},
		{"a stage marked production", protect(true), staging.ID, review.TemplateDefault},
		{"a stage no longer production", protect(false), staging.ID, review.TemplateTest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.before != nil {
				c.before()
			}
			env, err := f.WS.GetEnvironment(ctx, c.env)
			if err != nil {
				t.Fatal(err)
			}
			p, rec, stored, err := f.rev.Policy(ctx, c.env)
			if err != nil || stored || rec.Template != c.want || rec.EnvironmentID != c.env || livereview.DefaultTemplate(env) != c.want {
				t.Fatalf("template %q stored %v (%v), want %q", rec.Template, stored, err, c.want)
			}
			if !reflect.DeepEqual(p, f.template(t, c.want)) {
				t.Fatalf("policy %q is not the %s template", p.Name, c.want)
			}
		})
	}
	if _, _, _, err := f.rev.Policy(ctx, "nope"); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("unknown environment: %v", err)
	}
	if _, _, _, err := f.rev.Policy(ctx, " "); usererr.From(err).Field != "environmentId" {
		t.Fatalf("no environment: %v", err)
	}
}

const badScript = "CREATE TABLE t(a int);\nUPDATE t SET a = 1;\n\nDELETE FROM t;\n"

// TestPolicyStoredAndReset: a stored policy is what reviews run under;
// resetting goes back to a template, or to the environment's default.
func TestPolicyStoredAndReset(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	store := func(template string, p *review.Policy) {
		t.Helper()
		b, err := review.MarshalPolicy(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WS.SaveReviewPolicy(ctx, workspace.ReviewPolicy{EnvironmentID: "prod", Template: template, YAML: string(b)}); err != nil {
			t.Fatal(err)
		}
	}
	custom := f.template(t, review.TemplateAdvanced)
	for i := range custom.Rules {
		if custom.Rules[i].ID == "table.require-pk" {
			custom.Rules[i].Level = review.Off
		}
	}
	cases := []struct {
		name      string
		change    func()
		template  string
		stored    bool
		policy    *review.Policy
		requirePK bool // the script's table without a key is reported
	}{
		{"default", func() {}, review.TemplateDefault, false, f.template(t, review.TemplateDefault), false},
		{"customized", func() { store(review.TemplateAdvanced, custom) }, review.TemplateAdvanced, true, custom, false},
		{"reset to basic", func() { store(review.TemplateBasic, f.template(t, review.TemplateBasic)) }, review.TemplateBasic, true, f.template(t, review.TemplateBasic), true},
		{"reset to the default", func() {
			if err := f.WS.DeleteReviewPolicy(ctx, "prod"); err != nil {
				t.Fatal(err)
			}
		}, review.TemplateDefault, false, f.template(t, review.TemplateDefault), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.change()
			p, rec, stored, err := f.rev.Policy(ctx, "prod")
			if err != nil || stored != c.stored || rec.Template != c.template {
				t.Fatalf("template %q stored %v (%v)", rec.Template, stored, err)
			}
			if !reflect.DeepEqual(p.Rules, c.policy.Rules) {
				t.Fatal("the policy differs from the one stored")
			}
			out, err := f.rev.Review(ctx, livereview.Request{SQL: badScript, EnvironmentID: "prod"})
			if err != nil {
				t.Fatal(err)
			}
			if has(found(out), "table.require-pk@1") != c.requirePK || out.Policy.Name != c.policy.Name {
				t.Fatalf("advice %v under %q", found(out), out.Policy.Name)
			}
		})
	}
	// A stored policy that no longer loads says so and what to do, and
	// reviews in its environment fail rather than run other rules.
	if _, err := f.WS.SaveReviewPolicy(ctx, workspace.ReviewPolicy{EnvironmentID: "prod", Template: review.TemplateBasic, YAML: "rules: [{id: NO_SUCH_RULE, level: error}]"}); err != nil {
		t.Fatal(err)
	}
	_, _, stored, err := f.rev.Policy(ctx, "prod")
	if msg := usererr.From(err).Message; err == nil || !stored || !strings.Contains(msg, "environment Prod no longer loads") || !strings.Contains(msg, "reset it to a template") {
		t.Fatalf("broken stored policy: %v", err)
	}
	if _, err := f.rev.Review(ctx, livereview.Request{SQL: badScript, EnvironmentID: "prod"}); err == nil {
		t.Fatal("a review ran under a policy that does not load")
	}
	// The other environments are not affected.
	if _, err := f.rev.Review(ctx, livereview.Request{SQL: badScript, EnvironmentID: "test"}); err != nil {
		t.Fatal(err)
	}
}

func TestReviewScript(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	prod, err := f.rev.Review(ctx, livereview.Request{SQL: badScript, EnvironmentID: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"statement.where.require.update-delete@2", "statement.where.require.update-delete@4"} {
		if !has(found(prod), want) {
			t.Errorf("advice %v lacks %s", found(prod), want)
		}
	}
	if has(found(prod), "table.require-pk@1") {
		t.Errorf("the default policy reports a convention: %v", found(prod))
	}
	if prod.Target != "" || prod.Policy.Name != review.TemplateDefault || !prod.HasErrors() || prod.Syntax != nil {
		t.Fatalf("target %q policy %q", prod.Target, prod.Policy.Name)
	}
	// Each finding's highlight ends where its statement does:
	// "CREATE TABLE t(a int)" ends before column 22.
	fs := prod.Findings()
	if len(fs) != len(prod.Advice) {
		t.Fatalf("%d findings for %d advice", len(fs), len(prod.Advice))
	}
	for _, f := range fs {
		if f.Rule == "table.require-pk" && (f.Line != 1 || f.Column != 1 || f.EndLine != 1 || f.EndColumn != 22 || f.Statement.Line != 1) {
			t.Fatalf("table.require-pk finding: %+v", f)
		}
		if f.Rule == "statement.where.require.update-delete" && f.Line == 4 && (f.EndLine != 4 || f.EndColumn != 14) {
			t.Fatalf("DELETE finding ends at %d:%d", f.EndLine, f.EndColumn)
		}
	}
	// Test uses the same rules at warning level: the same findings, none blocking.
	test, err := f.rev.Review(ctx, livereview.Request{SQL: badScript, EnvironmentID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(found(test), found(prod)) || test.HasErrors() || test.Counts[review.Warning] != len(test.Advice) || test.Policy.Name != review.TemplateTest {
		t.Fatalf("test advice %v (%v) vs default %v", found(test), test.Counts, found(prod))
	}
	// A syntax error is the parser's, with its position.
	bad, err := f.rev.Review(ctx, livereview.Request{SQL: "SELECT 1;\nCREATE TABLEX t();", EnvironmentID: "prod"})
	var se *sqlparse.SyntaxError
	if !errors.As(err, &se) || se.Line != 2 || se.Column != 8 || !strings.Contains(se.Message, "TABLEX") {
		t.Fatalf("syntax error: %v", err)
	}
	if bad == nil || bad.Syntax != se || bad.Policy.Name != review.TemplateDefault || bad.Findings() != nil {
		t.Fatalf("outcome of a script that does not parse: %+v", bad)
	}
	empty, err := f.rev.Review(ctx, livereview.Request{SQL: "", EnvironmentID: "prod"})
	if err != nil || len(empty.Advice) != 0 {
		t.Fatalf("empty script: %v %v", found(empty), err)
	}
	if _, err := f.rev.Review(ctx, livereview.Request{SQL: "SELECT 1"}); usererr.From(err).Field != "environmentId" {
		t.Fatalf("no environment: %v", err)
	}
}

const ordersSQL = `CREATE TABLE orders (id bigint PRIMARY KEY, note text);
INSERT INTO orders SELECT g, 'x' FROM generate_series(1, 50) g; ANALYZE orders;`

// TestReviewAgainstDatabase: what only the database knows (its tables, rows
// and what EXPLAIN says) changes the advice.
func TestReviewAgainstDatabase(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	d, _ := f.Database(t, ordersSQL+"\nCREATE TABLE drafts (id bigint PRIMARY KEY); ANALYZE drafts;")
	cases := []struct {
		name, sql, rule string
		alone, live     bool   // whether the rule reports without and with the database
		msg             string // in the live advice
	}{
		// Only the catalog knows which tables exist.
		{"catalog", "ALTER TABLE nosuch ADD COLUMN x int;", "table.must-exist", false, true, "nosuch"},
		// A NOT NULL column without a default fails on a table with rows...
		{"rows", "ALTER TABLE orders ADD COLUMN customer bigint NOT NULL;", "column.add-not-null-require-default", true, true, "about 50 rows"},
		// ... and not on an empty one, which only the database can tell.
		{"no rows", "ALTER TABLE drafts ADD COLUMN customer bigint NOT NULL;", "column.add-not-null-require-default", true, false, ""},
		// EXPLAIN on the database finds the misspelt column.
		{"dry run", "UPDATE orders SET nte = 'y' WHERE id = 1;", "statement.dml-dry-run", false, true, "nte"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			alone, err := f.rev.Review(ctx, livereview.Request{SQL: c.sql, EnvironmentID: "test"})
			if err != nil {
				t.Fatal(err)
			}
			live, err := f.rev.Review(ctx, livereview.Request{SQL: c.sql, DatabaseID: d.ID})
			if err != nil {
				t.Fatal(err)
			}
			if has(found(alone), c.rule) != c.alone || has(found(live), c.rule) != c.live {
				t.Fatalf("%s: without the database %v, against it %v", c.rule, found(alone), found(live))
			}
			for _, a := range live.Advice {
				if a.Rule == c.rule && !strings.Contains(a.Message, c.msg) {
					t.Fatalf("message %q lacks %q", a.Message, c.msg)
				}
			}
			if live.Target != d.Name+" on Local, 2 tables" {
				t.Fatalf("target %q", live.Target)
			}
		})
	}
	// The policy is the database's environment's.
	out, err := f.rev.Review(ctx, livereview.Request{SQL: badScript, DatabaseID: d.ID})
	if err != nil || out.Policy.Name != review.TemplateTest || out.HasErrors() {
		t.Fatalf("policy in test: %v", err)
	}
	d = f.Production(t, d)
	if out, err = f.rev.Review(ctx, livereview.Request{SQL: badScript, DatabaseID: d.ID}); err != nil || out.Policy.Name != review.TemplateDefault || !out.HasErrors() {
		t.Fatalf("policy in prod: %v", err)
	}
	// An environment given explicitly wins.
	if out, err = f.rev.Review(ctx, livereview.Request{SQL: badScript, DatabaseID: d.ID, EnvironmentID: "test"}); err != nil || out.Policy.Name != review.TemplateTest {
		t.Fatalf("explicit environment: %v", err)
	}
	if _, err := f.rev.Review(ctx, livereview.Request{SQL: badScript, DatabaseID: "missing"}); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("unknown database: %v", err)
	}
	if _, err := f.rev.Database(ctx, "missing"); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("unknown database: %v", err)
	}
}

// TestDatabaseCatalogIsCached: while the user types, the catalog is read
// once per CatalogTTL; every review still gets a connection of its own.
func TestDatabaseCatalogIsCached(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	d, u := f.Database(t, ordersSQL)
	first, err := f.rev.Database(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	first.Close(ctx)
	pgtest.MustExec(t, u, "CREATE TABLE customers (id bigint PRIMARY KEY)")
	again, err := f.rev.Database(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close(ctx)
	if len(again.Catalog.Tables()) != 1 || !strings.HasSuffix(again.Description, ", 1 tables") || again.ServerVersion != first.ServerVersion {
		t.Fatalf("within the TTL: %q", again.Description)
	}
	// The connection is live and new: it sees the table the cache does not.
	if again.Live == nil {
		t.Fatal("a cached target has no connection")
	}
	if err := again.Live.Explain(ctx, "SELECT * FROM customers"); err != nil {
		t.Fatalf("explain on the cached target: %v", err)
	}
	// Another reviewer reads the catalog afresh.
	fresh, err := livereview.New(f.reg, f.WS, f.Conns, f.sync).Database(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close(ctx)
	if len(fresh.Catalog.Tables()) != 2 || !strings.HasSuffix(fresh.Description, ", 2 tables") {
		t.Fatalf("fresh: %q", fresh.Description)
	}
}

// TestDatabaseFallsBackToSnapshot: a database that cannot be reached is
// reviewed against its latest snapshot, saying so; never synced, the
// connection error is the answer.
func TestDatabaseFallsBackToSnapshot(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	d, _ := f.Database(t, ordersSQL)
	never, _ := f.Database(t, ordersSQL)
	if _, err := f.sync.Sync(ctx, d.ID, nil); err != nil {
		t.Fatal(err)
	}
	const script = "ALTER TABLE orders DROP CONSTRAINT orders_pkey;\nUPDATE orders SET nte = 'y' WHERE id = 1;\n"
	locked := func(t *testing.T) {
		in := f.Instance
		in.PasswordMode = workspace.PasswordKeychain // and there is no keychain
		if _, err := f.WS.UpdateInstance(ctx, in); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.WS.UpdateInstance(ctx, f.Instance) }) //nolint:errcheck // the next subtest sets it again
	}
	cases := []struct {
		name  string
		why   func(*testing.T)
		cause string
	}{
		{"server down", f.unreachable, "cannot reach 127.0.0.1"},
		{"password not found", locked, "no OS keychain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.why(t)
			tg, err := f.rev.Database(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close(ctx)
			for _, want := range []string{d.Name + " on Local, snapshot of ", " UTC, 1 tables", "the database is unreachable: ", c.cause} {
				if !strings.Contains(tg.Description, want) {
					t.Fatalf("description %q lacks %q", tg.Description, want)
				}
			}
			if tg.Live != nil || tg.ServerVersion < 100000 || len(tg.Catalog.Tables()) != 1 {
				t.Fatalf("fallback target: live %v, version %d, %d tables", tg.Live, tg.ServerVersion, len(tg.Catalog.Tables()))
			}
			// The catalog still knows the table; the rules needing the database stay silent.
			out, err := f.rev.Review(ctx, livereview.Request{SQL: script, DatabaseID: d.ID})
			if err != nil {
				t.Fatal(err)
			}
			if !has(found(out), "column.must-exist@2") || has(found(out), "statement.dml-dry-run") || out.Target != tg.Description {
				t.Fatalf("advice %v against %q", found(out), out.Target)
			}
			// Never synced: nothing to fall back on.
			_, err = f.rev.Database(ctx, never.ID)
			if err == nil || !strings.Contains(usererr.From(err).Message, c.cause) {
				t.Fatalf("never synced: %v", err)
			}
		})
	}
	// Reachable again: live, with the dry run.
	out, err := f.rev.Review(ctx, livereview.Request{SQL: script, DatabaseID: d.ID})
	if err != nil || !has(found(out), "statement.dml-dry-run@2") || strings.Contains(out.Target, "snapshot") {
		t.Fatalf("reachable again: %v against %q (%v)", found(out), out.Target, err)
	}
}

func TestLive(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	_, u := f.Database(t, ordersSQL+"\nCREATE TABLE customers (id bigint PRIMARY KEY);")
	cfg, ci, err := pg.ParseConnString(u)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pg.Connect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := livereview.Live(ctx, conn, ci, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Description != "shop, 2 tables" || tg.Live == nil || tg.ServerVersion < 100000 {
		t.Fatalf("target %q, version %d", tg.Description, tg.ServerVersion)
	}
	o := tg.Options(f.template(t, review.TemplateBasic))
	if o.Catalog != tg.Catalog || o.Live == nil || o.Policy.Name != review.TemplateBasic || o.ServerVersion != tg.ServerVersion {
		t.Fatalf("options %+v", o)
	}
	res, err := f.reg.Review(ctx, "UPDATE orders SET nte = 1 WHERE id = 1;", o)
	if err != nil || len(res.Advice) == 0 || res.Advice[0].Rule != "statement.dml-dry-run" {
		t.Fatalf("review through the target: %+v %v", res, err)
	}
	tg.Close(ctx)
	if !conn.IsClosed() {
		t.Fatal("Close left the connection open")
	}
	// A connection that is gone: the error names the target.
	if _, err := livereview.Live(ctx, conn, ci, "shop"); err == nil || !strings.Contains(err.Error(), "read the catalog of shop") {
		t.Fatalf("closed connection: %v", err)
	}
	// No target: the policy alone.
	var none *livereview.Target
	if o := none.Options(nil); o.Catalog != nil || o.Live != nil {
		t.Fatalf("options without a target: %+v", o)
	}
	none.Close(ctx)
}

// TestFix: the desktop's Apply fix runs under the same policy and target as
// the review: against the database, a CREATE INDEX on its table with rows
// becomes CONCURRENTLY, and one on a table the script creates is left; a
// chosen statement is fixed alone; a script that does not parse is a syntax
// error in the outcome.
func TestFix(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	d, _ := f.Database(t, ordersSQL)
	d = f.Production(t, d)
	sql := "CREATE INDEX orders_a_idx ON orders (id, note);\nALTER TABLE orders ADD CONSTRAINT orders_note_check CHECK (note <> '');\n"
	out, err := f.rev.Fix(ctx, livereview.Request{SQL: sql, DatabaseID: d.ID}, 0)
	if err != nil {
		t.Fatal(err)
	}
	text := out.Text()
	for _, s := range []string{"CREATE INDEX CONCURRENTLY orders_a_idx", "CHECK (note <> '') NOT VALID", "VALIDATE CONSTRAINT orders_note_check"} {
		if !strings.Contains(text, s) {
			t.Errorf("fixed SQL lacks %q:\n%s", s, text)
		}
	}
	if out.Applied != 2 || len(out.Units) != 3 || out.Counts[review.Error] != 0 || out.Policy.Name != review.TemplateDefault || !strings.HasPrefix(out.Target, d.Name) {
		t.Fatalf("applied %d, %d units, counts %v, policy %s, target %q", out.Applied, len(out.Units), out.Counts, out.Policy.Name, out.Target)
	}
	one, err := f.rev.Fix(ctx, livereview.Request{SQL: sql, DatabaseID: d.ID}, 2)
	if err != nil || one.Applied != 1 || strings.Contains(one.Text(), "CONCURRENTLY") || one.Counts[review.Error] != 1 {
		t.Fatalf("fix of line 2 only: %v %+v", err, one)
	}
	bad, err := f.rev.Fix(ctx, livereview.Request{SQL: "CREATE TABEL x ();", EnvironmentID: "test"}, 0)
	if err == nil || bad == nil || bad.Syntax == nil || bad.Syntax.Line != 1 {
		t.Fatalf("syntax error: %v %+v", err, bad)
	}
}
