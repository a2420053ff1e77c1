package compare_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

const (
	fromSQL = "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);"
	toSQL   = "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric);\nCREATE INDEX items_name_idx ON items (name);"
)

type fixture struct {
	*wstest.Fixture
	cmp *compare.Comparer
}

// testServer is the pgtest server as a scratch server.
func testServer() scratch.Server { return scratch.Server{URL: srv.AdminURL, Name: "the test server"} }

func setup(t *testing.T, withScratch bool) fixture {
	t.Helper()
	f := wstest.New(t, srv)
	c := &compare.Comparer{WS: f.WS, Conns: f.Conns, Sync: schemasync.New(f.WS, f.Conns)}
	if withScratch {
		c.Scratch = func(context.Context, bool) (scratch.Server, error) { return testServer(), nil }
	}
	return fixture{f, c}
}

func (f fixture) db(t *testing.T, sql string) compare.Source {
	t.Helper()
	d, _ := f.Database(t, sql)
	return compare.Source{Kind: compare.Database, DatabaseID: d.ID}
}

// snapshot syncs a new database holding sql and returns its snapshot as a side.
func (f fixture) snapshot(t *testing.T, sql string) compare.Source {
	t.Helper()
	d, _ := f.Database(t, sql)
	snap, err := f.cmp.Sync.Sync(context.Background(), d.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return compare.Source{Kind: compare.Snapshot, SnapshotID: snap.Info.ID}
}

// model writes the inspection of a new database holding sql as
// `tidemark dump --format json` does and returns the file's path.
func (f fixture) model(t *testing.T, sql string, opts catalog.Options) string {
	t.Helper()
	_, u := f.Database(t, sql)
	res, err := catalog.Inspect(context.Background(), pgtest.Conn(t, u), opts)
	if err != nil {
		t.Fatal(err)
	}
	return writeJSON(t, res)
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sqlOf(r *compare.Result) string {
	var b strings.Builder
	for _, s := range r.Plan.Statements {
		b.WriteString(s.SQL + ";\n")
	}
	return b.String()
}

func statement(r *compare.Result, sub string) (diff.Statement, bool) {
	for _, s := range r.Plan.Statements {
		if strings.Contains(s.SQL, sub) {
			return s, true
		}
	}
	return diff.Statement{}, false
}

// apply runs the plan on the workspace database of side s.
func (f fixture) apply(t *testing.T, s compare.Source, plan diff.Plan) {
	t.Helper()
	ctx := context.Background()
	d, err := f.Conns.Database(ctx, s.DatabaseID)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := d.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := diff.Apply(ctx, conn, plan); err != nil {
		t.Fatal(err)
	}
}

func scratchLeft(t *testing.T) int {
	t.Helper()
	var n int
	err := pgtest.Conn(t, srv.AdminURL).QueryRow(context.Background(),
		"SELECT count(*) FROM pg_database WHERE datname LIKE 'tidemark_scratch_%'").Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCompareSources compares a database with each kind of target, then
// applies the plan: the database then equals the target (a second
// comparison is empty).
func TestCompareSources(t *testing.T) {
	f := setup(t, true)
	file := writeFile(t, "items.sql", toSQL)
	cases := []struct {
		name  string
		to    func() compare.Source
		label string
		notes int
	}{
		{"database", func() compare.Source { return f.db(t, toSQL) }, "Local / ", 0},
		{"snapshot", func() compare.Source { return f.snapshot(t, toSQL) }, "snapshot ", 0},
		{"SQL file", func() compare.Source { return compare.Source{Kind: compare.File, Path: file} }, "items.sql", 1},
		{"pasted SQL", func() compare.Source { return compare.Source{Kind: compare.File, SQL: toSQL, Path: file} }, "pasted SQL", 1},
		{"JSON model", func() compare.Source { return compare.SourceOf(f.model(t, toSQL, catalog.Options{})) }, "model.json", 0},
		{"URL", func() compare.Source { _, u := f.Database(t, toSQL); return compare.SourceOf(u) }, "postgres://", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			from, to := f.db(t, fromSQL), c.to()
			var steps []string
			r, err := f.cmp.Compare(ctx, compare.Request{From: from, To: to, Privileges: true}, func(i int, s string) {
				steps = append(steps, s)
			})
			if err != nil {
				t.Fatal(err)
			}
			add, ok := statement(r, "ADD COLUMN price numeric")
			idx, ok2 := statement(r, "CREATE INDEX items_name_idx")
			if !ok || !ok2 || !add.Transactional || !idx.HasHazard(diff.HazardBuildsIndex) {
				t.Fatalf("plan:\n%s", sqlOf(r))
			}
			if r.Validation.Status != compare.Validated || !r.Plan.Validated || r.Identical() {
				t.Fatalf("validation = %+v", r.Validation)
			}
			if !strings.HasPrefix(r.From.Label, "Local / ") || !strings.Contains(r.To.Label, c.label) {
				t.Fatalf("labels %q, %q", r.From.Label, r.To.Label)
			}
			if len(r.Notes) != c.notes || r.Privileges != (c.notes == 0) {
				t.Fatalf("notes %q, privileges %v", r.Notes, r.Privileges)
			}
			if strings.Join(steps, "|") != "Inspecting the source|Inspecting the target|Planning the migration|Validating the plan on a scratch database" {
				t.Fatalf("steps %q", steps)
			}
			f.apply(t, from, r.Plan)
			again, err := f.cmp.Compare(ctx, compare.Request{From: from, To: to, Privileges: true}, nil)
			if err != nil || !again.Identical() || again.Validation.Status != compare.Validated {
				t.Fatalf("after applying the plan: %v\n%s", err, sqlOf(again))
			}
		})
	}
}

// TestCompareSourceSides puts each kind on the source side: the plan takes
// the column and the index away, flagging the data loss.
func TestCompareSourceSides(t *testing.T) {
	f := setup(t, true)
	cases := []struct {
		name string
		from func() compare.Source
	}{
		{"snapshot", func() compare.Source { return f.snapshot(t, toSQL) }},
		{"SQL file", func() compare.Source { return compare.SourceOf(writeFile(t, "items.sql", toSQL)) }},
		{"pasted SQL", func() compare.Source { return compare.Source{Kind: compare.File, SQL: toSQL} }},
		{"JSON model", func() compare.Source { return compare.SourceOf(f.model(t, toSQL, catalog.Options{})) }},
		{"URL", func() compare.Source { _, u := f.Database(t, toSQL); return compare.SourceOf(u) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := f.cmp.Compare(context.Background(), compare.Request{From: c.from(), To: f.db(t, fromSQL)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			drop, ok := statement(r, "DROP COLUMN price")
			if !ok || !drop.HasHazard(diff.HazardDeletesData) || !strings.Contains(sqlOf(r), "DROP INDEX") {
				t.Fatalf("plan:\n%s", sqlOf(r))
			}
			if r.Validation.Status != compare.Validated {
				t.Fatalf("validation = %+v", r.Validation)
			}
		})
	}
}

// A rich schema, with privileges and an object the model does not cover.
const richSQL = `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tm_reader') THEN CREATE ROLE tm_reader; END IF; END $$;
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('new', 'paid');
CREATE DOMAIN shop.amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE SEQUENCE shop.order_no START 100;
CREATE TABLE shop.customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE shop.orders (
  id bigint PRIMARY KEY DEFAULT nextval('shop.order_no'),
  customer_id bigint REFERENCES shop.customers ON DELETE CASCADE,
  status shop.status NOT NULL DEFAULT 'new',
  total shop.amount,
  created timestamptz NOT NULL DEFAULT now());
CREATE INDEX orders_open_idx ON shop.orders (customer_id) WHERE status = 'new';
CREATE VIEW shop.open_orders AS SELECT id, total FROM shop.orders WHERE status = 'new';
CREATE FUNCTION shop.total_of(c bigint) RETURNS numeric LANGUAGE sql STABLE AS $f$ SELECT sum(total) FROM shop.orders WHERE customer_id = c $f$;
COMMENT ON TABLE shop.orders IS 'one row per order';
GRANT USAGE ON SCHEMA shop TO tm_reader;
GRANT SELECT ON shop.open_orders TO tm_reader;
CREATE CONVERSION shop.orders_keep FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;`

// TestCompareModelRoundTrip writes a database's model as
// `tidemark dump --format json` does; read back, it is the same schema as
// the database, privileges included, whichever side it is on.
func TestCompareModelRoundTrip(t *testing.T) {
	f := setup(t, true)
	ctx := context.Background()
	d, u := f.Database(t, richSQL)
	db := compare.Source{Kind: compare.Database, DatabaseID: d.ID}
	res, err := catalog.Inspect(ctx, pgtest.Conn(t, u), catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unsupported) == 0 || len(res.Schema.Tables) != 2 || !res.Schema.Privileges {
		t.Fatalf("inspection: %d tables, unsupported %+v", len(res.Schema.Tables), res.Unsupported)
	}
	full := compare.SourceOf(writeJSON(t, res))
	// A bare model (an older snapshot's form) decodes too.
	bare := compare.SourceOf(writeJSON(t, res.Schema))
	cases := []struct {
		name     string
		from, to compare.Source
		sides    string // sides listing the rule as not modelled
	}{
		{"model to database", full, db, "from,to"},
		{"database to model", db, full, "from,to"},
		{"model to model", full, full, "from,to"},
		{"bare model to database", bare, db, "to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := f.cmp.Compare(ctx, compare.Request{From: c.from, To: c.to, Privileges: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Identical() || !r.Privileges || len(r.Notes) != 0 || r.Validation.Status != compare.Validated {
				t.Fatalf("identical %v, privileges %v, notes %q, validation %+v:\n%s", r.Identical(), r.Privileges, r.Notes, r.Validation, sqlOf(r))
			}
			var sides []string
			for _, o := range r.Plan.Unsupported {
				if o.Kind == catalog.KindConversion && strings.Contains(o.Name+o.Detail, "orders_keep") {
					sides = append(sides, o.Side)
				}
			}
			if strings.Join(sides, ",") != c.sides {
				t.Fatalf("the rule is listed on sides %q, want %q (%+v)", sides, c.sides, r.Plan.Unsupported)
			}
		})
	}
	// The model of one database against another that differs: the plan
	// turns the other into it.
	other := f.db(t, "CREATE SCHEMA shop; CREATE TABLE shop.customers (id bigint PRIMARY KEY);")
	r, err := f.cmp.Compare(ctx, compare.Request{From: other, To: full}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Validation.Status != compare.Validated || !strings.Contains(sqlOf(r), "CREATE TABLE shop.orders") {
		t.Fatalf("validation %+v:\n%s", r.Validation, sqlOf(r))
	}
	f.apply(t, other, r.Plan)
	if again, err := f.cmp.Compare(ctx, compare.Request{From: other, To: full}, nil); err != nil || !again.Identical() {
		t.Fatalf("after applying the plan: %v\n%s", err, sqlOf(again))
	}
}

func TestCompareURLSide(t *testing.T) {
	f := setup(t, true)
	ctx := context.Background()
	_, fromURL := f.Database(t, fromSQL)
	_, toURL := f.Database(t, toSQL)
	u, err := url.Parse(toURL)
	if err != nil {
		t.Fatal(err)
	}
	dsn := "host=" + u.Hostname() + " port=" + u.Port() + " user=" + u.User.Username() + " dbname=" + strings.TrimPrefix(u.Path, "/") + " sslmode=disable"
	withPassword := *u
	withPassword.User = url.UserPassword(u.User.Username(), "s3cret-pw") // the test server trusts loopback
	cases := []struct{ name, arg string }{
		{"URL", toURL},
		{"key=value", dsn},
		{"URL with a password", withPassword.String()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			to := compare.SourceOf(c.arg)
			if to.Kind != compare.URL {
				t.Fatalf("SourceOf(%q) = %s", c.arg, to.Kind)
			}
			r, err := f.cmp.Compare(ctx, compare.Request{From: compare.SourceOf(fromURL), To: to}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := statement(r, "ADD COLUMN price"); !ok || r.Validation.Status != compare.Validated {
				t.Fatalf("validation %+v:\n%s", r.Validation, sqlOf(r))
			}
			if !strings.Contains(r.To.Label, u.Path) || strings.Contains(r.To.Label, "s3cret") {
				t.Fatalf("label %q", r.To.Label)
			}
		})
	}
}

// TestComparePrivileges: owners and grants are compared when asked, and
// never when a side is SQL (its objects belong to the scratch role).
func TestComparePrivileges(t *testing.T) {
	f := setup(t, true)
	ctx := context.Background()
	const roles = "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tm_reader') THEN CREATE ROLE tm_reader; END IF; END $$;\n"
	const granted = fromSQL + "\nGRANT SELECT ON items TO tm_reader;"
	plain := f.db(t, roles+fromSQL)
	cases := []struct {
		name       string
		to         compare.Source
		privileges bool
		grant      bool // the plan grants SELECT
		notes      int
	}{
		{"database, privileges compared", f.db(t, roles+granted), true, true, 0},
		{"database, privileges left out", f.db(t, roles+granted), false, false, 0},
		{"model, privileges compared", compare.SourceOf(f.model(t, roles+granted, catalog.Options{})), true, true, 0},
		{"snapshot, privileges compared", f.snapshot(t, roles+granted), true, true, 0},
		{"SQL, privileges asked for", compare.Source{Kind: compare.File, SQL: roles + granted}, true, false, 1},
		{"SQL, privileges left out", compare.Source{Kind: compare.File, SQL: roles + granted}, false, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := f.cmp.Compare(ctx, compare.Request{From: plain, To: c.to, Privileges: c.privileges}, nil)
			if err != nil {
				t.Fatal(err)
			}
			grant, _ := statement(r, "GRANT SELECT ON")
			if (grant.SQL != "") != c.grant || r.Identical() == c.grant || r.Validation.Status != compare.Validated {
				t.Fatalf("validation %+v, plan:\n%s", r.Validation, sqlOf(r))
			}
			if c.grant && !strings.Contains(grant.SQL, "tm_reader") {
				t.Fatalf("grant %q", grant.SQL)
			}
			if len(r.Notes) != c.notes || r.Privileges != (c.privileges && c.notes == 0) {
				t.Fatalf("notes %q, privileges %v", r.Notes, r.Privileges)
			}
			if c.notes > 0 && !strings.Contains(r.Notes[0], "without owners and privileges") {
				t.Fatalf("note %q", r.Notes[0])
			}
		})
	}
}

// TestCompareUnsupportedObjects: objects the model does not cover are listed
// with their side, whatever the kind of the side.
func TestCompareUnsupportedObjects(t *testing.T) {
	f := setup(t, true)
	const withRule = fromSQL + "\nCREATE CONVERSION items_keep FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;"
	cases := []struct {
		name string
		to   compare.Source
	}{
		{"database", f.db(t, withRule)},
		{"snapshot", f.snapshot(t, withRule)},
		{"SQL", compare.Source{Kind: compare.File, SQL: withRule}},
		{"JSON model", compare.SourceOf(f.model(t, withRule, catalog.Options{}))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := f.cmp.Compare(context.Background(), compare.Request{From: f.db(t, fromSQL), To: c.to}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Plan.Unsupported) != 1 {
				t.Fatalf("unsupported %+v", r.Plan.Unsupported)
			}
			o := r.Plan.Unsupported[0]
			if o.Side != "to" || o.Kind != catalog.KindConversion || !strings.Contains(o.Name+o.Detail, "items_keep") {
				t.Fatalf("unsupported %+v", o)
			}
			// Not compared: nothing to do, and the plan does not touch it.
			if !r.Identical() || r.Validation.Status != compare.Validated {
				t.Fatalf("plan:\n%s", sqlOf(r))
			}
		})
	}
}

// weakServer is the test server as a role that may not create databases.
func weakServer(t *testing.T) scratch.Server {
	t.Helper()
	pgtest.MustExec(t, srv.AdminURL, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tm_nocreate') THEN CREATE ROLE tm_nocreate LOGIN; END IF; END $$")
	u, err := url.Parse(srv.AdminURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User("tm_nocreate")
	return scratch.Server{URL: u.String(), Name: "Weak"}
}

func TestCompareValidation(t *testing.T) {
	f := setup(t, false)
	ctx := context.Background()
	weak := weakServer(t)
	from, to := f.db(t, fromSQL), f.db(t, toSQL)
	type call struct{ needed bool }
	cases := []struct {
		name   string
		server func() (scratch.Server, error) // nil: no ScratchFunc
		req    compare.Request
		status string
		reason string
		calls  []call
	}{
		{"validated", func() (scratch.Server, error) { return testServer(), nil },
			compare.Request{From: from, To: to}, compare.Validated, "", []call{{false}}},
		{"no scratch server", nil,
			compare.Request{From: from, To: to}, compare.Skipped, "no scratch server", nil},
		{"scratch server unavailable", func() (scratch.Server, error) { return scratch.Server{}, errors.New("the sample instance is stopped") },
			compare.Request{From: from, To: to}, compare.Skipped, "the sample instance is stopped", []call{{false}}},
		{"turned off", func() (scratch.Server, error) { return testServer(), nil },
			compare.Request{From: from, To: to, NoValidate: true}, compare.Skipped, "turned off", nil},
		{"SQL side, turned off", func() (scratch.Server, error) { return testServer(), nil },
			compare.Request{From: from, To: compare.Source{Kind: compare.File, SQL: toSQL}, NoValidate: true}, compare.Skipped, "turned off", []call{{true}}},
		{"no CREATEDB on the scratch server", func() (scratch.Server, error) { return weak, nil },
			compare.Request{From: from, To: to}, compare.Skipped, "could not be validated on Weak", []call{{false}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var calls []call
			cmp := *f.cmp
			cmp.Scratch = nil
			if c.server != nil {
				cmp.Scratch = func(_ context.Context, needed bool) (scratch.Server, error) {
					calls = append(calls, call{needed})
					return c.server()
				}
			}
			r, err := cmp.Compare(ctx, c.req, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Validation.Status != c.status || !strings.Contains(r.Validation.Reason, c.reason) || r.Plan.Validated != (c.status == compare.Validated) {
				t.Fatalf("validation %+v, want %s %q", r.Validation, c.status, c.reason)
			}
			// An unvalidated plan is still offered.
			if _, ok := statement(r, "ADD COLUMN price"); !ok {
				t.Fatalf("plan:\n%s", sqlOf(r))
			}
			if len(calls) != len(c.calls) || (len(calls) > 0 && calls[0] != c.calls[0]) {
				t.Fatalf("scratch asked %+v, want %+v", calls, c.calls)
			}
		})
	}
}

func TestCompareErrors(t *testing.T) {
	f := setup(t, true)
	ctx := context.Background()
	bad := writeFile(t, "bad.sql", "CREATE TABLE ok (id int);\n\nCREATE TABLEX oops (id int);\n")
	unknownType := writeFile(t, "types.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (\n  x no_such_type\n);\n")
	notJSON := writeFile(t, "broken.json", "{\"schema\": [")
	from := f.db(t, fromSQL)
	noScratch := *f.cmp
	noScratch.Scratch = func(context.Context, bool) (scratch.Server, error) {
		return scratch.Server{}, errors.New("no scratch server here")
	}
	weakCmp := *f.cmp
	weak := weakServer(t)
	weakCmp.Scratch = func(context.Context, bool) (scratch.Server, error) { return weak, nil }
	unknownDB := compare.Source{Kind: compare.Database, DatabaseID: "missing"}
	cases := []struct {
		name     string
		cmp      *compare.Comparer
		req      compare.Request
		field    string
		sqlstate string
		msg      string
	}{
		{"no source", f.cmp, compare.Request{To: from}, "source", "", "choose the source"},
		{"no target", f.cmp, compare.Request{From: from}, "target", "", "choose the target"},
		{"unknown kind", f.cmp, compare.Request{From: from, To: compare.Source{Kind: "ftp"}}, "target", "", `unknown target kind "ftp"`},
		{"blank SQL", f.cmp, compare.Request{From: compare.Source{Kind: compare.File, SQL: "  \n"}, To: from}, "source", "", "paste SQL"},
		{"no snapshot chosen", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.Snapshot}}, "target", "", "choose the target snapshot"},
		{"no database chosen", f.cmp, compare.Request{From: compare.Source{Kind: compare.Database}, To: from}, "source", "", "choose the source database"},
		{"no model file", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.Model}}, "target", "", ".json model"},
		{"no URL", f.cmp, compare.Request{From: compare.Source{Kind: compare.URL}, To: from}, "source", "", "URL"},
		{"unknown database", f.cmp, compare.Request{From: unknownDB, To: from}, "", "", "source database"},
		{"unknown snapshot", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.Snapshot, SnapshotID: "missing"}}, "", "", "target snapshot"},
		{"missing file", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.File, Path: filepath.Join(t.TempDir(), "none.sql")}}, "target", "", "no such file"},
		{"rejected file", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.File, Path: bad}}, "", "42601", bad + ":3: syntax error"},
		{"rejected file, unknown type", f.cmp, compare.Request{From: compare.SourceOf(unknownType), To: from}, "", "42704", unknownType + ":3: type \"no_such_type\" does not exist"},
		{"rejected pasted SQL", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.File, SQL: "SELECT 1;\nCREATE TABEL t ();"}}, "", "42601", "pasted SQL:2: syntax error"},
		{"SQL target without a scratch server", &noScratch, compare.Request{From: from, To: compare.Source{Kind: compare.File, SQL: toSQL}}, "target", "", "no scratch server here"},
		// Said before anything is connected to: the unknown database is not reached.
		{"SQL source without a scratch server", &noScratch, compare.Request{From: compare.Source{Kind: compare.File, SQL: toSQL}, To: unknownDB}, "source", "", "cannot load the SQL source: no scratch server here"},
		{"SQL without a ScratchFunc", &compare.Comparer{}, compare.Request{From: compare.SourceOf(bad), To: compare.Source{Kind: compare.File, SQL: toSQL}}, "source", "", "no scratch server"},
		{"SQL on a server without CREATEDB", &weakCmp, compare.Request{From: compare.Source{Kind: compare.File, SQL: toSQL}, To: from}, "", "42501", "load pasted SQL into a scratch database on Weak"},
		{"model that is not JSON", f.cmp, compare.Request{From: from, To: compare.SourceOf(notJSON)}, "target", "", notJSON + ": read the schema model"},
		{"model that is SQL", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.Model, Path: bad}}, "target", "", "read the schema model"},
		{"missing model", f.cmp, compare.Request{From: compare.SourceOf(filepath.Join(t.TempDir(), "none.json")), To: from}, "source", "", "read the source model"},
		{"malformed URL", f.cmp, compare.Request{From: compare.SourceOf("postgres://u@h:notaport/db"), To: from}, "url", "", "parse URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := c.cmp.Compare(ctx, c.req, nil)
			ue := usererr.From(err)
			if err == nil || r != nil || ue.Field != c.field || ue.SQLState != c.sqlstate || !strings.Contains(ue.Message, c.msg) {
				t.Fatalf("error = %+v (%v), want field %q sqlstate %q and %q", ue, err, c.field, c.sqlstate, c.msg)
			}
		})
	}
	// A SQL side PostgreSQL rejects keeps the load error in its chain.
	_, err := f.cmp.Compare(ctx, compare.Request{From: from, To: compare.SourceOf(bad)}, nil)
	var le *scratch.LoadError
	if !errors.As(err, &le) || le.Line != 3 || le.File != bad {
		t.Fatalf("load error %+v (%v)", le, err)
	}
	if errors.Is(err, workspace.ErrNotFound) {
		t.Fatal("a rejected file reads as not found")
	}
	if _, err := f.cmp.Compare(ctx, compare.Request{From: unknownDB, To: from}, nil); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("unknown database: %v", err)
	}
	// An unreachable URL names the address.
	_, err = f.cmp.Compare(ctx, compare.Request{From: compare.SourceOf("postgres://postgres@127.0.0.1:1/db?sslmode=disable"), To: from}, nil)
	if err == nil || !strings.Contains(err.Error(), "connect to postgres://postgres@127.0.0.1:1/db") {
		t.Fatalf("unreachable URL: %v", err)
	}
	if n := scratchLeft(t); n != 0 {
		t.Fatalf("%d scratch databases left", n)
	}
}

func TestCompareRefusal(t *testing.T) {
	f := setup(t, true)
	// A domain whose base type changes must be dropped and re-created, and a
	// table column uses it: the planner refuses rather than lose the table.
	r, err := f.cmp.Compare(context.Background(), compare.Request{
		From: f.db(t, "CREATE DOMAIN amount AS integer; CREATE TABLE orders (id integer PRIMARY KEY, total amount);"),
		To:   f.db(t, "CREATE DOMAIN amount AS bigint; CREATE TABLE orders (id integer PRIMARY KEY, total amount);"),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Validation.Status != compare.Refused || r.Identical() || len(r.Validation.Refusals) == 0 || !strings.Contains(r.Validation.Reason, "refuses") {
		t.Fatalf("validation = %+v", r.Validation)
	}
	// A refused plan offers no statements, but both sides are still there to show.
	if len(r.Plan.Statements) != 0 || r.To.Result == nil || len(r.To.Result.Schema.Types) == 0 {
		t.Fatalf("refused plan:\n%s", sqlOf(r))
	}
	named := false
	for _, x := range r.Validation.Refusals {
		named = named || (strings.Contains(x.Object, "orders") && strings.Contains(x.Reason, "amount"))
	}
	if !named {
		t.Fatalf("refusals %+v do not name the table and its cause", r.Validation.Refusals)
	}
}

func TestCompareOnline(t *testing.T) {
	f := setup(t, true)
	r, err := f.cmp.Compare(context.Background(), compare.Request{From: f.db(t, fromSQL), To: f.db(t, toSQL), Online: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	idx, ok := statement(r, "CREATE INDEX CONCURRENTLY items_name_idx")
	if !ok || idx.Transactional || idx.LockTimeout <= 0 || !r.Plan.Online || r.Validation.Status != compare.Validated {
		t.Fatalf("online plan (validation %+v):\n%s", r.Validation, sqlOf(r))
	}
}

// TestCompareSchemaScope: --schema and --exclude-schema narrow every side,
// including the ones read from a stored model.
func TestCompareSchemaScope(t *testing.T) {
	f := setup(t, true)
	const base = "CREATE SCHEMA app; CREATE SCHEMA audit; CREATE TABLE app.t (id int); CREATE TABLE audit.log (id int);"
	const changed = base + " ALTER TABLE app.t ADD COLUMN a int; ALTER TABLE audit.log ADD COLUMN b int; CREATE TABLE public.extra (id int);"
	from := f.db(t, base)
	cases := []struct {
		name string
		to   compare.Source
	}{
		{"database", f.db(t, changed)},
		{"snapshot", f.snapshot(t, changed)},
		{"JSON model", compare.SourceOf(f.model(t, changed, catalog.Options{}))},
		{"SQL", compare.Source{Kind: compare.File, SQL: changed}},
	}
	scopes := []struct {
		name             string
		schemas, exclude []string
		want, not        []string
	}{
		{"only app", []string{"app"}, nil, []string{"app.t ADD COLUMN a"}, []string{"audit", "extra"}},
		{"all but audit", nil, []string{"audit"}, []string{"app.t ADD COLUMN a", "public.extra"}, []string{"audit"}},
	}
	for _, c := range cases {
		for _, s := range scopes {
			t.Run(c.name+", "+s.name, func(t *testing.T) {
				r, err := f.cmp.Compare(context.Background(), compare.Request{From: from, To: c.to, Schemas: s.schemas, ExcludeSchemas: s.exclude}, nil)
				if err != nil {
					t.Fatal(err)
				}
				got := sqlOf(r)
				for _, w := range s.want {
					if !strings.Contains(got, w) {
						t.Fatalf("plan lacks %q:\n%s", w, got)
					}
				}
				for _, n := range s.not {
					if strings.Contains(got, n) {
						t.Fatalf("plan touches %q:\n%s", n, got)
					}
				}
				if r.Validation.Status != compare.Validated {
					t.Fatalf("validation %+v", r.Validation)
				}
			})
		}
	}
}

func TestWorkspaceScratch(t *testing.T) {
	f := setup(t, false)
	ctx := context.Background()
	running := false
	find := compare.WorkspaceScratch(f.WS, f.Conns, func(context.Context) bool { return running })
	sample := f.Instance
	sample.Name, sample.IsSample = "Sample", true
	sample, err := f.WS.CreateInstance(ctx, sample)
	if err != nil {
		t.Fatal(err)
	}
	locked := f.Instance
	locked.Name, locked.PasswordMode = "Locked", workspace.PasswordKeychain
	locked, err = f.WS.CreateInstance(ctx, locked)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		running bool
		chosen  string
		server  string // the instance used; "" for an error
		field   string
		msg     string
	}{
		{"nothing chosen, sample stopped", false, "", "", "", "start the sample instance"},
		{"sample running", true, "", "Sample", "", ""},
		{"sample running wins over the choice", true, f.Instance.ID, "Sample", "", ""},
		{"chosen instance", false, f.Instance.ID, "Local", "", ""},
		{"chosen instance removed", false, "gone", "", "", "no scratch server"},
		{"chosen instance without its password", false, locked.ID, "", "password", "scratch instance Locked"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			running = c.running
			if err := f.WS.SetSetting(ctx, compare.SettingScratchInstance, c.chosen); err != nil {
				t.Fatal(err)
			}
			s, err := find(ctx, true)
			if c.server == "" {
				ue := usererr.From(err)
				if err == nil || ue.Field != c.field || !strings.Contains(ue.Message, c.msg) {
					t.Fatalf("scratch = %+v, %v; want an error saying %q", s, err, c.msg)
				}
				return
			}
			if err != nil || s.Name != c.server || s.URL == "" {
				t.Fatalf("scratch = %+v, %v; want %s", s, err, c.server)
			}
			// It is a working scratch server: SQL loads there.
			cmp := *f.cmp
			cmp.Scratch = find
			r, err := cmp.Compare(ctx, compare.Request{From: compare.Source{Kind: compare.File, SQL: fromSQL}, To: f.db(t, toSQL)}, nil)
			if err != nil || r.Validation.Status != compare.Validated {
				t.Fatalf("compare on %s: %v", c.server, err)
			}
		})
	}
	// With no scratch server a SQL side cannot load, and the error says what to do.
	running = false
	if err := f.WS.SetSetting(ctx, compare.SettingScratchInstance, ""); err != nil {
		t.Fatal(err)
	}
	cmp := *f.cmp
	cmp.Scratch = find
	_, err = cmp.Compare(ctx, compare.Request{From: compare.Source{Kind: compare.File, SQL: fromSQL}, To: f.db(t, toSQL)}, nil)
	if ue := usererr.From(err); ue == nil || ue.Field != "source" || !strings.Contains(ue.Message, "start the sample instance") {
		t.Fatalf("no scratch server: %+v", ue)
	}
}

func TestSourceOf(t *testing.T) {
	for in, want := range map[string]compare.Source{
		"postgres://u@h/db":  {Kind: compare.URL, URL: "postgres://u@h/db"},
		"postgresql://h/db":  {Kind: compare.URL, URL: "postgresql://h/db"},
		"host=h dbname=d":    {Kind: compare.URL, URL: "host=h dbname=d"},
		"schema.sql":         {Kind: compare.File, Path: "schema.sql"},
		"dump.JSON":          {Kind: compare.Model, Path: "dump.JSON"},
		"dir/x.json":         {Kind: compare.Model, Path: "dir/x.json"},
		"migrations/001.SQL": {Kind: compare.File, Path: "migrations/001.SQL"},
	} {
		if got := compare.SourceOf(in); got != want {
			t.Errorf("SourceOf(%q) = %+v, want %+v", in, got, want)
		}
	}
}
