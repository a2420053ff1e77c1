package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgcluster"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/sample"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

func TestDiffUsageErrors(t *testing.T) {
	t.Setenv("TIDEMARK_PG_BINDIR", t.TempDir()) // the sample instance cannot be created
	dir := t.TempDir()
	file := filepath.Join(dir, "b.sql")
	if err := os.WriteFile(file, []byte("CREATE TABLE t (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diff"}, "--from and --to are required"},
		{[]string{"diff", "--from", "postgres://x@127.0.0.1:1/a", "--to", "postgres://x@127.0.0.1:1/b", "--format", "xml"}, "--format must be sql or json"},
		// No --scratch and no sample instance possible (no server binaries).
		{[]string{"--workspace", filepath.Join(dir, "ws"), "diff", "--from", "postgres://x@127.0.0.1:1/a", "--to", file}, "pass --scratch URL"},
		{[]string{"diff", "--from", "postgres://x@127.0.0.1:1/a", "--to", filepath.Join(dir, "missing.sql"), "--scratch", "postgres://x@127.0.0.1:1/p"}, "missing.sql"},
	} {
		out, errs, code := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and %q", tc.args, code, errs, out, tc.want)
		}
	}
}

func TestDiffCLI(t *testing.T) {
	srv := pgsrv
	a, b := srv.NewDB(t), srv.NewDB(t)
	pgtest.MustExec(t, a, `CREATE TABLE t (id int PRIMARY KEY, gone text); CREATE INDEX t_gone ON t (gone);`)
	pgtest.MustExec(t, b, `CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL DEFAULT 0); CREATE INDEX t_n ON t (n);
		CREATE CONVERSION my_ts FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;`)

	// SQL between two databases, validated on the scratch server.
	out, errs, code := runCLI(t, "diff", "--from", a, "--to", b, "--scratch", srv.AdminURL)
	if code != 0 {
		t.Fatalf("diff: exit %d\n%s", code, errs)
	}
	for _, want := range []string{"-- Validated:", "-- hazard deletes_data:", "ALTER TABLE public.t DROP COLUMN gone;",
		"ALTER TABLE public.t ADD COLUMN n integer DEFAULT 0 NOT NULL;", "-- hazard builds_index:", "CREATE INDEX t_n ON public.t USING btree (n);"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "conversion") || !strings.Contains(errs, "my_ts") {
		t.Errorf("unsupported object not warned about: %q", errs)
	}

	// JSON, online: statements with hazards, transactional flags and timeouts.
	out, errs, code = runCLI(t, "diff", "--from", a, "--to", b, "--scratch", srv.AdminURL, "--online", "--format", "json")
	if code != 0 {
		t.Fatalf("diff json: exit %d\n%s", code, errs)
	}
	var doc struct {
		From       string `json:"from"`
		Validated  bool   `json:"validated"`
		Online     bool   `json:"online"`
		Statements []struct {
			SQL     string `json:"sql"`
			Hazards []struct {
				Type    string `json:"type"`
				Message string `json:"message"`
			} `json:"hazards"`
			Transactional bool  `json:"transactional"`
			LockTimeoutMS int64 `json:"lock_timeout_ms"`
			StmtTimeoutMS int64 `json:"statement_timeout_ms"`
		} `json:"statements"`
		Unsupported []struct {
			Side string `json:"side"`
			Kind string `json:"kind"`
		} `json:"unsupported"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if !doc.Validated || !doc.Online || len(doc.Statements) == 0 || len(doc.Unsupported) != 1 || doc.Unsupported[0].Side != "to" {
		t.Fatalf("unexpected plan: %+v", doc)
	}
	concurrently := false
	for _, s := range doc.Statements {
		if s.LockTimeoutMS <= 0 || s.StmtTimeoutMS <= 0 {
			t.Errorf("online statement without timeouts: %s", s.SQL)
		}
		if strings.Contains(s.SQL, "CONCURRENTLY") {
			concurrently = true
			if s.Transactional {
				t.Errorf("CONCURRENTLY marked transactional: %s", s.SQL)
			}
		}
	}
	if !concurrently {
		t.Errorf("online plan builds no index concurrently: %s", out)
	}

	// A FILE side is loaded into a scratch database.
	dir := t.TempDir()
	good := filepath.Join(dir, "target.sql")
	if err := os.WriteFile(good, []byte("CREATE TABLE t (id int PRIMARY KEY, gone text, extra date);\nCREATE INDEX t_gone ON t (gone);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runCLI(t, "diff", "--from", a, "--to", good, "--scratch", srv.AdminURL)
	if code != 0 || !strings.Contains(out, "ADD COLUMN extra date") || strings.Contains(out, "DROP COLUMN") {
		t.Fatalf("file target: exit %d\n%s\n%s", code, out, errs)
	}
	// Same schema: an empty plan.
	out, _, code = runCLI(t, "diff", "--from", good, "--to", good, "--scratch", srv.AdminURL)
	if code != 0 || !strings.Contains(out, "No changes") {
		t.Fatalf("same file: exit %d\n%s", code, out)
	}

	// An unparseable FILE: the PostgreSQL error with file:line.
	bad := filepath.Join(dir, "bad.sql")
	if err := os.WriteFile(bad, []byte("CREATE TABLE ok (id int);\n\nCREATE TABLEX oops (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code = runCLI(t, "diff", "--from", a, "--to", bad, "--scratch", srv.AdminURL)
	if code != 2 || !strings.Contains(errs, bad+":3:") || !strings.Contains(errs, "syntax error") || !strings.Contains(errs, "42601") {
		t.Fatalf("bad file: exit %d, stderr %q", code, errs)
	}
	// No scratch database left behind.
	c := pgtest.Conn(t, srv.AdminURL)
	var n int
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname LIKE 'tidemark_scratch_%'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("scratch databases left: %d (%v)", n, err)
	}
}

// Without --scratch, a FILE side is loaded into the workspace's sample
// instance, created and started for it, and the plan is validated there;
// the sample's password is never printed.
func TestDiffSampleScratch(t *testing.T) {
	if _, err := pgcluster.FindBinDir(context.Background()); err != nil {
		if os.Getenv("TIDEMARK_TEST_REQUIRE_PG") == "1" {
			t.Fatalf("PostgreSQL server binaries are required: %v", err)
		}
		t.Skipf("no PostgreSQL server binaries: %v", err)
	}
	// A workspace the server's OS user can reach (t.TempDir is 0700), so the
	// sample cluster lives inside it and goes away with it.
	ws, err := os.MkdirTemp("", "tidemark-cli-sample-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		store, err := workspace.Open(context.Background(), ws, workspace.OpenOptions{})
		if err == nil {
			_, _ = sample.New(sample.Options{Workspace: store, Secrets: secret.NewSession()}).Stop(context.Background())
			store.Close()
		}
		os.RemoveAll(ws)
	})
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.sql"), filepath.Join(dir, "b.sql")
	writeFiles(t, dir, map[string]string{
		"a.sql": "CREATE TABLE public.t (id int PRIMARY KEY);\n",
		"b.sql": "CREATE TABLE public.t (id int PRIMARY KEY, v text);\nCREATE INDEX t_v ON public.t (v);\n",
	})
	out, errs, code := runCLI(t, "--workspace", ws, "diff", "--from", a, "--to", b)
	if code != 0 {
		t.Fatalf("diff: exit %d\n%s", code, errs)
	}
	for _, want := range []string{"-- Validated:", "ALTER TABLE public.t ADD COLUMN v text;", "CREATE INDEX t_v ON public.t USING btree (v);"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "sample instance: ") || !strings.Contains(errs, "using the sample instance as the scratch server") {
		t.Errorf("stderr does not say the sample instance was started and used: %q", errs)
	}
	// Now running: used again without being started, and a plan that loses
	// nothing validates; the password appears nowhere.
	out, errs, code = runCLI(t, "--workspace", ws, "diff", "--from", b, "--to", a)
	if code != 0 || !strings.Contains(out, "DROP COLUMN v") || strings.Contains(errs, "sample instance: ") {
		t.Fatalf("second diff: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	store, err := workspace.Open(context.Background(), ws, workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	list, err := store.ListInstances(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range list {
		if in.IsSample && (strings.Contains(out, in.User+":") || strings.Contains(errs, in.User+":")) {
			t.Errorf("a URL with the sample's credentials was printed:\n%s\n%s", out, errs)
		}
	}
	// A database that does not load is named with the file and line, not the server's password.
	bad := filepath.Join(dir, "bad.sql")
	writeFiles(t, dir, map[string]string{"bad.sql": "CREATE TABLE public.t (id int PRIMARY KEY;\n"})
	_, errs, code = runCLI(t, "--workspace", ws, "diff", "--from", a, "--to", bad)
	if code != 2 || !strings.Contains(errs, "bad.sql") {
		t.Errorf("bad file: exit %d, stderr %q", code, errs)
	}
}
