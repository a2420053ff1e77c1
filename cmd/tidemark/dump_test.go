package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

func TestDumpUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"dump"}, "--url is required"},
		{[]string{"dump", "--url", "postgres://x@127.0.0.1:1/db", "--format", "xml"}, "--format must be sql or json"},
		{[]string{"dump", "--bogus"}, "unknown flag"},
		{[]string{"dump", "--url", "postgres://x@127.0.0.1:1/db", "extra"}, "unknown command"},
	} {
		out, errs, code := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and %q", tc.args, code, errs, out, tc.want)
		}
	}
}

func TestDumpPasswordNeverPrinted(t *testing.T) {
	out, errs, code := runCLI(t, "dump", "--url", "postgres://u:s3cr3tpw@127.0.0.1:1/db?connect_timeout=2")
	if code != 1 || strings.Contains(out+errs, "s3cr3tpw") || !strings.Contains(errs, "127.0.0.1") {
		t.Errorf("exit %d; output mentions the password or is wrong: %q %q", code, out, errs)
	}
}

func TestDumpCLI(t *testing.T) {
	srv := pgsrv
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, `
		CREATE SCHEMA app;
		CREATE TYPE app.status AS ENUM ('new', 'done');
		CREATE TABLE app.task (id int PRIMARY KEY, status app.status NOT NULL DEFAULT 'new', title text);
		CREATE TABLE public.other (id int);
		COMMENT ON TABLE app.task IS 'work to do';
		CREATE CONVERSION app.my_ts FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;
		GRANT SELECT ON app.task TO PUBLIC;
	`)

	// SQL: deterministic DDL on stdout, unsupported objects as a warning on stderr.
	out, errs, code := runCLI(t, "dump", "--url", url, "--schema", "app")
	if code != 0 {
		t.Fatalf("dump: exit %d\n%s", code, errs)
	}
	for _, want := range []string{"CREATE SCHEMA app;", "CREATE TYPE app.status AS ENUM", "CREATE TABLE app.task (",
		"COMMENT ON TABLE app.task IS 'work to do';", "GRANT SELECT ON TABLE app.task TO PUBLIC;", "ALTER TABLE app.task OWNER TO"} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "other") {
		t.Errorf("--schema app dumped public.other:\n%s", out)
	}
	if !strings.Contains(errs, "warning:") || !strings.Contains(errs, "conversion app.my_ts") {
		t.Errorf("stderr should warn about the conversion: %q", errs)
	}
	again, _, _ := runCLI(t, "dump", "--url", url, "--schema", "app")
	if again != out {
		t.Errorf("two dumps of the same database differ")
	}

	// The dump loads into an empty database with psql and dumps the same again.
	empty := srv.NewDB(t)
	f := filepath.Join(t.TempDir(), "dump.sql")
	if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(filepath.Join(srv.BinDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", empty, "-f", f).CombinedOutput(); err != nil {
		t.Fatalf("load dump: %v\n%s", err, b)
	}
	reload, _, code := runCLI(t, "dump", "--url", empty, "--schema", "app")
	if code != 0 || reload != out {
		t.Errorf("reloaded dump differs (exit %d):\n%s", code, reload)
	}

	// --no-privileges leaves owners and grants out.
	out, _, code = runCLI(t, "dump", "--url", url, "--no-privileges")
	if code != 0 || strings.Contains(out, "OWNER TO") || strings.Contains(out, "GRANT") || !strings.Contains(out, "CREATE TABLE public.other") {
		t.Errorf("--no-privileges: exit %d\n%s", code, out)
	}

	// JSON: the inspection result, with the model, version, fingerprint and unsupported list.
	out, _, code = runCLI(t, "dump", "--url", url, "--format", "json", "--exclude-schema", "public")
	var res catalog.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	if res.ServerVersion < 130000 || len(res.Fingerprint) != 64 || res.Schema.Table(catalog.QualifiedName{Schema: "app", Name: "task"}) == nil ||
		res.Schema.Table(catalog.QualifiedName{Schema: "public", Name: "other"}) != nil || len(res.Unsupported) != 1 {
		t.Errorf("json result: version %d, fingerprint %q, tables %+v, unsupported %+v", res.ServerVersion, res.Fingerprint, res.Schema.Tables, res.Unsupported)
	}
	if res.Fingerprint != res.Schema.Fingerprint() {
		t.Errorf("fingerprint does not match the model")
	}
}
