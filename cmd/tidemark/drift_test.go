package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

func TestDriftUsageErrors(t *testing.T) {
	t.Setenv("TIDEMARK_PG_BINDIR", t.TempDir()) // the sample instance cannot be created
	dir := t.TempDir()
	sqlFile := filepath.Join(dir, "a.sql")
	if err := os.WriteFile(sqlFile, []byte("CREATE TABLE t (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	u := "postgres://x@127.0.0.1:1/a"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"drift", "--expected", sqlFile}, "--url is required"},
		{[]string{"drift", "--url", u}, "give one of --expected FILE or --dir DIR"},
		{[]string{"drift", "--url", u, "--expected", sqlFile, "--dir", dir}, "give one of --expected FILE or --dir DIR"},
		{[]string{"drift", "--url", u, "--expected", sqlFile, "--format", "xml"}, "--format must be text or json"},
		{[]string{"drift", "--url", u, "--expected", filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{"drift", "--url", u, "--expected", bad}, "bad.json"},
		{[]string{"drift", "--url", u, "--dir", filepath.Join(dir, "nope")}, "not a readable directory"},
		{[]string{"--workspace", filepath.Join(dir, "ws"), "drift", "--url", u, "--expected", sqlFile}, "pass --scratch URL"},
		{[]string{"drift", "--url", u, "--expected", sqlFile, "--scratch", "postgres://x@127.0.0.1:1/p"}, "a.sql"},
		{[]string{"drift", "--bogus"}, "unknown flag"},
	} {
		out, errs, code := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and %q", tc.args, code, errs, out, tc.want)
		}
	}
	// A JSON model needs no scratch server; an unreachable database is exit 2.
	model := filepath.Join(dir, "m.json")
	if err := os.WriteFile(model, []byte(`{"privileges":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runCLI(t, "drift", "--url", u, "--expected", model); code != 2 || !strings.Contains(errs, "connect") {
		t.Errorf("unreachable: exit %d, %s", code, errs)
	}
}

const driftSchema = `CREATE SCHEMA other;
CREATE TABLE public.t (id int PRIMARY KEY, price numeric DEFAULT 0);
CREATE VIEW public.v AS SELECT id FROM public.t;
CREATE TABLE other.o (id int);`

func TestDriftCLIExpectedJSON(t *testing.T) {
	db := pgsrv.NewDB(t)
	pgtest.MustExec(t, db, driftSchema)
	dir := t.TempDir()
	model := filepath.Join(dir, "expected.json")
	out, errs, code := runCLI(t, "dump", "--url", db, "--format", "json")
	if code != 0 {
		t.Fatalf("dump: %d %s", code, errs)
	}
	if err := os.WriteFile(model, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runCLI(t, "drift", "--url", db, "--expected", model)
	if code != 0 || !strings.Contains(out, "No drift") {
		t.Fatalf("no drift: exit %d\n%s\n%s", code, out, errs)
	}

	pgtest.MustExec(t, db, `ALTER TABLE public.t ADD COLUMN extra integer; ALTER TABLE public.t ALTER price SET DEFAULT 1;
		CREATE INDEX t_extra ON public.t (extra); CREATE TABLE other.o2 (id int); SELECT pg_stat_reset()`)
	pgtest.MustExec(t, db, "VACUUM ANALYZE")
	out, errs, code = runCLI(t, "drift", "--url", db, "--expected", model)
	if code != 1 {
		t.Fatalf("drift: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"Drift: 2 object(s)", "altered table public.t", "column extra added: extra integer",
		"column price default changed: 0 → 1", "index t_extra added: CREATE INDEX t_extra ON public.t USING btree (extra)",
		"added table other.o2", "-- Revert:", "ALTER TABLE public.t DROP COLUMN extra;", "-- Codify:", "CREATE TABLE other.o2"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}

	// --schema leaves the other schema out; JSON shape.
	out, errs, code = runCLI(t, "drift", "--url", db, "--expected", model, "--schema", "public", "--format", "json")
	if code != 1 {
		t.Fatalf("drift json: exit %d\n%s", code, errs)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := keysOf(t, rep); got != "codify,drift,expected,live,not_compared,objects,privileges,revert,status" {
		t.Errorf("JSON keys: %s", got)
	}
	objs := rep["objects"].([]any)
	if len(objs) != 1 || rep["status"] != "drift" || rep["drift"] != true {
		t.Fatalf("objects: %s", out)
	}
	o := objs[0].(map[string]any)
	if got := keysOf(t, o); got != "action,changes,expected_ddl,kind,live_ddl,name,schema" {
		t.Errorf("object keys: %s", got)
	}
	if o["kind"] != "table" || o["schema"] != "public" || o["name"] != "t" || o["action"] != "altered" {
		t.Errorf("object: %v", o)
	}
	found := false
	for _, c := range o["changes"].([]any) {
		ch := c.(map[string]any)
		if ch["property"] == "column extra" && ch["action"] == "added" && ch["to"] == "extra integer" {
			found = true
		}
	}
	if !found {
		t.Errorf("no column extra added in %v", o["changes"])
	}
}

func TestDriftCLIExpectedSQLAndDir(t *testing.T) {
	db := pgsrv.NewDB(t)
	dir := t.TempDir()
	migs := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(migs, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"V1__init.sql":  "CREATE TABLE public.t (id int PRIMARY KEY, price numeric DEFAULT 0);\n",
		"V2__index.sql": "CREATE INDEX CONCURRENTLY t_price ON public.t (price);\n",
	}
	for name, sql := range files {
		if err := os.WriteFile(filepath.Join(migs, name), []byte(sql), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, errs, code := runCLI(t, "migrate", "apply", "--url", db, "--dir", migs); code != 0 {
		t.Fatalf("migrate apply: %d %s", code, errs)
	}
	dump, errs, code := runCLI(t, "dump", "--url", db)
	if code != 0 {
		t.Fatalf("dump: %s", errs)
	}
	sqlFile := filepath.Join(dir, "expected.sql")
	if err := os.WriteFile(sqlFile, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, src := range [][]string{{"--dir", migs}, {"--expected", sqlFile}} {
		args := append([]string{"drift", "--url", db, "--scratch", pgsrv.AdminURL}, src...)
		out, errs, code := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "No drift") || !strings.Contains(errs, "owners and privileges are not compared") {
			t.Fatalf("%v: exit %d\n%s\n%s", src, code, out, errs)
		}
	}
	pgtest.MustExec(t, db, "DROP INDEX public.t_price; ALTER TABLE public.t ALTER COLUMN price SET NOT NULL")
	for _, src := range [][]string{{"--dir", migs}, {"--expected", sqlFile}} {
		args := append([]string{"drift", "--url", db, "--scratch", pgsrv.AdminURL}, src...)
		out, errs, code := runCLI(t, args...)
		if code != 1 || !strings.Contains(out, "index t_price dropped") || !strings.Contains(out, "column price not null changed: false → true") {
			t.Fatalf("%v: exit %d\n%s\n%s", src, code, out, errs)
		}
	}
}

// TestDriftCLINotCompared: an object the model does not cover is named,
// and the run is not "no drift".
func TestDriftCLINotCompared(t *testing.T) {
	db := pgsrv.NewDB(t)
	pgtest.MustExec(t, db, `CREATE TABLE t (id int); CREATE CONVERSION my_ts FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;`)
	out, errs, code := runCLI(t, "dump", "--url", db, "--format", "json")
	if code != 0 {
		t.Fatalf("dump: %s", errs)
	}
	model := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(model, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runCLI(t, "drift", "--url", db, "--expected", model)
	if code != 1 || !strings.Contains(out, "drift cannot be ruled out") || !strings.Contains(out, "not compared (not modelled yet): conversion public.my_ts, on both sides") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out, "No drift:") {
		t.Fatalf("reported as no drift:\n%s", out)
	}
}
