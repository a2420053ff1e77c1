package compare_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
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

func setup(t *testing.T, withScratch bool) fixture {
	t.Helper()
	f := wstest.New(t, srv)
	c := &compare.Comparer{WS: f.WS, Conns: f.Conns, Sync: schemasync.New(f.WS, f.Conns)}
	if withScratch {
		c.Scratch = func(context.Context, bool) (scratch.Server, error) {
			return scratch.Server{URL: srv.AdminURL, Name: "the test server"}, nil
		}
	}
	return fixture{f, c}
}

func (f fixture) db(t *testing.T, sql string) compare.Source {
	d, _ := f.Database(t, sql)
	return compare.Source{Kind: compare.Database, DatabaseID: d.ID}
}

func sqlOf(r *compare.Result) string {
	var b strings.Builder
	for _, s := range r.Plan.Statements {
		b.WriteString(s.SQL + ";\n")
	}
	return b.String()
}

func TestCompareSources(t *testing.T) {
	f := setup(t, true)
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "items.sql")
	if err := os.WriteFile(file, []byte(toSQL), 0o644); err != nil {
		t.Fatal(err)
	}
	// A JSON model of the target, as `tidemark dump --format json` writes it.
	_, toURL := f.Database(t, toSQL)
	conn := pgtest.Conn(t, toURL)
	res, err := catalog.Inspect(ctx, conn, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	model := filepath.Join(dir, "items.json")
	if err := os.WriteFile(model, b, 0o644); err != nil {
		t.Fatal(err)
	}
	from := f.db(t, fromSQL)
	cases := []struct {
		name  string
		to    compare.Source
		label string
		notes int
	}{
		{"database", f.db(t, toSQL), "Local / ", 0},
		{"SQL file", compare.Source{Kind: compare.File, Path: file}, "items.sql", 1},
		{"pasted SQL", compare.Source{Kind: compare.File, SQL: toSQL, Path: file}, "pasted SQL", 1},
		{"JSON model", compare.SourceOf(model), "items.json", 0},
		{"URL", compare.SourceOf(toURL), "postgres://", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := f.cmp.Compare(ctx, compare.Request{From: from, To: c.to, Privileges: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := sqlOf(r)
			if !strings.Contains(got, "ADD COLUMN price numeric") || !strings.Contains(got, "CREATE INDEX items_name_idx") {
				t.Fatalf("plan:\n%s", got)
			}
			if r.Validation.Status != compare.Validated || !r.Plan.Validated {
				t.Fatalf("validation = %+v", r.Validation)
			}
			if !strings.Contains(r.To.Label, c.label) || len(r.Notes) != c.notes || r.Privileges != (c.notes == 0) {
				t.Fatalf("label %q, notes %q, privileges %v", r.To.Label, r.Notes, r.Privileges)
			}
		})
	}
	// The same schema both ways: nothing to do.
	r, err := f.cmp.Compare(ctx, compare.Request{From: from, To: from}, nil)
	if err != nil || !r.Identical() {
		t.Fatalf("identical: %+v, %v", r, err)
	}
}

func TestCompareSnapshotSide(t *testing.T) {
	f := setup(t, false)
	ctx := context.Background()
	d, _ := f.Database(t, toSQL)
	snap, err := f.cmp.Sync.Sync(ctx, d.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.cmp.Compare(ctx, compare.Request{From: f.db(t, fromSQL), To: compare.Source{Kind: compare.Snapshot, SnapshotID: snap.Info.ID}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sqlOf(r), "ADD COLUMN price") || !strings.Contains(r.To.Label, "snapshot") {
		t.Fatalf("%s: %s", r.To.Label, sqlOf(r))
	}
	// No scratch server: the plan is offered unvalidated, saying why.
	if r.Validation.Status != compare.Skipped || r.Validation.Reason == "" {
		t.Fatalf("validation = %+v", r.Validation)
	}
}

func TestCompareErrors(t *testing.T) {
	f := setup(t, true)
	ctx := context.Background()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.sql")
	if err := os.WriteFile(bad, []byte("CREATE TABLE ok (id int);\n\nCREATE TABLEX oops (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	from := f.db(t, fromSQL)
	noScratch := setup(t, false)
	noScratch.cmp.Scratch = func(context.Context, bool) (scratch.Server, error) {
		return scratch.Server{}, errors.New("no scratch server here")
	}
	cases := []struct {
		name     string
		cmp      *compare.Comparer
		req      compare.Request
		field    string
		sqlstate string
		msg      string
	}{
		{"no source", f.cmp, compare.Request{To: from}, "source", "", "choose the source"},
		{"unknown kind", f.cmp, compare.Request{From: from, To: compare.Source{Kind: "ftp"}}, "target", "", "unknown target kind"},
		{"missing file", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.File, Path: filepath.Join(dir, "none.sql")}}, "target", "", "none.sql"},
		{"rejected file", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.File, Path: bad}}, "", "42601", "bad.sql:3:"},
		{"SQL without a scratch server", noScratch.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.File, SQL: toSQL}}, "target", "", "no scratch server here"},
		{"bad model", f.cmp, compare.Request{From: from, To: compare.Source{Kind: compare.Model, Path: bad}}, "target", "", "read the schema model"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.cmp.Compare(ctx, c.req, nil)
			ue := usererr.From(err)
			if err == nil || ue.Field != c.field || ue.SQLState != c.sqlstate || !strings.Contains(ue.Message, c.msg) {
				t.Fatalf("error = %+v (%v), want field %q sqlstate %q and %q", ue, err, c.field, c.sqlstate, c.msg)
			}
		})
	}
	// No scratch database is left behind.
	if n := count(t, "SELECT count(*) FROM pg_database WHERE datname LIKE 'tidemark_scratch_%'"); n != 0 {
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
	if r.Validation.Status != compare.Refused || r.Identical() || len(r.Validation.Refusals) == 0 {
		t.Fatalf("validation = %+v", r.Validation)
	}
	named := false
	for _, x := range r.Validation.Refusals {
		named = named || (strings.Contains(x.Object, "orders") && strings.Contains(x.Reason, "amount"))
	}
	if !named {
		t.Fatalf("refusals %+v do not name the table and its cause", r.Validation.Refusals)
	}
}

func TestWorkspaceScratch(t *testing.T) {
	f := setup(t, false)
	ctx := context.Background()
	find := compare.WorkspaceScratch(f.WS, f.Conns, func(context.Context) bool { return false })
	if _, err := find(ctx, true); err == nil || !strings.Contains(err.Error(), "no scratch server") {
		t.Fatalf("no scratch instance chosen: %v", err)
	}
	if err := f.WS.SetSetting(ctx, compare.SettingScratchInstance, f.Instance.ID); err != nil {
		t.Fatal(err)
	}
	s, err := find(ctx, true)
	if err != nil || s.Name != "Local" || s.URL == "" {
		t.Fatalf("chosen scratch instance: %+v, %v", s, err)
	}
}

func TestSourceOf(t *testing.T) {
	for in, want := range map[string]compare.Kind{
		"postgres://u@h/db": compare.URL, "postgresql://h/db": compare.URL, "host=h dbname=d": compare.URL,
		"schema.sql": compare.File, "dump.JSON": compare.Model, "dir/x.json": compare.Model,
	} {
		if got := compare.SourceOf(in); got.Kind != want {
			t.Errorf("SourceOf(%q) = %s, want %s", in, got.Kind, want)
		}
	}
}

func count(t *testing.T, sql string) int {
	t.Helper()
	var n int
	if err := pgtest.Conn(t, srv.AdminURL).QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
