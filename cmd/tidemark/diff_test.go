package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

func TestDiffUsageErrors(t *testing.T) {
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
		{[]string{"diff", "--from", "postgres://x@127.0.0.1:1/a", "--to", file}, "pass --scratch URL"},
		{[]string{"diff", "--from", "postgres://x@127.0.0.1:1/a", "--to", filepath.Join(dir, "missing.sql"), "--scratch", "postgres://x@127.0.0.1:1/p"}, "missing.sql"},
	} {
		out, errs, code := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and %q", tc.args, code, errs, out, tc.want)
		}
	}
}

func TestDiffCLI(t *testing.T) {
	srv := pgtest.Start(context.Background())
	t.Cleanup(func() { srv.Close() })
	a, b := srv.NewDB(t), srv.NewDB(t)
	pgtest.MustExec(t, a, `CREATE TABLE t (id int PRIMARY KEY, gone text); CREATE INDEX t_gone ON t (gone);`)
	pgtest.MustExec(t, b, `CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL DEFAULT 0); CREATE INDEX t_n ON t (n);
		CREATE TEXT SEARCH CONFIGURATION my_ts (COPY = pg_catalog.english);`)

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
	if !strings.Contains(errs, "text_search") || !strings.Contains(errs, "my_ts") {
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
