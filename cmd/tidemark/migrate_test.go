package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// runCLI runs the tidemark command tree in-process and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := newRootCmd()
	var out, errb bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	err := cmd.ExecuteContext(context.Background())
	code := exitCode(err, &errb)
	return out.String(), errb.String(), code
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMigrateUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "status", "--dir", dir}, "missing --url"},
		{[]string{"migrate", "apply", "--url", "postgres://x@127.0.0.1:1/db"}, "missing --dir"},
		{[]string{"migrate", "status", "--url", "postgres://x@127.0.0.1:1/db", "--dir", dir, "--format", "xml"}, "--format"},
		{[]string{"migrate", "resolve", "--url", "postgres://x@127.0.0.1:1/db", "--version", "1", "--as", "maybe"}, "want retry, done or rolled-back"},
		{[]string{"migrate", "baseline", "--url", "postgres://x@127.0.0.1:1/db", "--version", "v1"}, "baseline version"},
		{[]string{"migrate", "apply", "--url", "postgres://x@127.0.0.1:1/db", "--dir", filepath.Join(dir, "nope")}, "not a readable directory"},
		{[]string{"migrate", "apply", "--bogus"}, "unknown flag"},
	} {
		out, errs, code := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and %q", tc.args, code, errs, out, tc.want)
		}
	}
	// A file that cannot be parsed is a parse failure (exit 2), named with its line.
	writeFiles(t, dir, map[string]string{"V1__bad.sql": "CREATE TABLE a (id int);\nCREATE TABLEX b ();\n"})
	_, errs, code := runCLI(t, "migrate", "apply", "--url", "postgres://x@127.0.0.1:1/db", "--dir", dir)
	if code != 2 || !strings.Contains(errs, "V1__bad.sql:2:") {
		t.Errorf("parse failure: exit %d, stderr %q", code, errs)
	}
}

func TestMigratePasswordNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"V1__a.sql": "SELECT 1;"})
	out, errs, code := runCLI(t, "migrate", "status", "--url", "postgres://u:s3cr3tpw@127.0.0.1:1/db?connect_timeout=2", "--dir", dir)
	if code != 1 || strings.Contains(out+errs, "s3cr3tpw") {
		t.Errorf("exit %d; output mentions the password or is wrong: %q %q", code, out, errs)
	}
}

func TestMigrateCLI(t *testing.T) {
	srv := pgsrv
	url := srv.NewDB(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"shop##1##ddl##create_items.sql": "CREATE TABLE items (id int PRIMARY KEY, name text);\n",
		"shop##1.1##dml##seed_items.sql": "INSERT INTO items VALUES (1, 'one');\n",
		"shop##2##ddl##index_items.sql":  "CREATE INDEX CONCURRENTLY items_name ON items (name);\n",
		".shop##LATEST.sql":              "-- written back after rollout; not a migration\n",
		"README.md":                      "not a migration",
	})

	// status before anything: all pending, exit 0.
	out, errs, code := runCLI(t, "migrate", "status", "--url", url, "--dir", dir)
	if code != 0 || strings.Count(out, " pending ") != 3 || !strings.Contains(out, "0 applied, 3 pending") {
		t.Fatalf("status: exit %d\n%s\n%s", code, out, errs)
	}

	// dry run: the concurrent index cannot be dry-run, the rest can; nothing changes.
	out, errs, code = runCLI(t, "migrate", "apply", "--url", url, "--dir", dir, "--dry-run", "--format", "json")
	var dry applyOutput
	if err := json.Unmarshal([]byte(out), &dry); err != nil || code != 0 {
		t.Fatalf("dry run: exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	if !dry.DryRun || len(dry.Applied) != 2 || len(dry.NotDryRun) != 1 || dry.NotDryRun[0].Path != "shop##2##ddl##index_items.sql" {
		t.Errorf("dry run output %+v", dry)
	}
	c := pgtest.Conn(t, url)
	var n int
	_ = c.QueryRow(context.Background(), "SELECT count(*) FROM pg_tables WHERE tablename = 'items'").Scan(&n)
	if n != 0 {
		t.Fatal("dry run created items")
	}

	// apply: progress on stderr, summary on stdout.
	out, errs, code = runCLI(t, "migrate", "apply", "--url", url, "--dir", dir)
	if code != 0 || !strings.Contains(out, "applied 3 migration(s)") {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"applying shop##1##ddl##create_items.sql", "statement 1/1 done", "applied  shop##2##ddl##index_items.sql"} {
		if !strings.Contains(errs, want) {
			t.Errorf("progress on stderr lacks %q:\n%s", want, errs)
		}
	}

	// status --format json: the documented shape.
	out, _, code = runCLI(t, "migrate", "status", "--url", url, "--dir", dir, "--format", "json")
	var rep struct {
		Files []struct {
			Version, Path, State, Type, Checksum string
			Last                                 *struct {
				Status, RunID string
				Statement     string
			}
		}
		HighestApplied string
		HistoryLayout  int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("status json: exit %d, %v\n%s", code, err, out)
	}
	if len(rep.Files) != 3 || rep.HighestApplied != "2" || rep.Files[1].Version != "1.1" || rep.Files[1].State != "applied" || rep.Files[1].Type != "dml" ||
		rep.Files[0].Last == nil || rep.Files[0].Last.RunID == "" || rep.Files[0].Last.Statement != "" {
		t.Errorf("status json: %s", out)
	}

	// A modified applied file: status exits 1 and says so; apply refuses naming the file.
	writeFiles(t, dir, map[string]string{"shop##1.1##dml##seed_items.sql": "INSERT INTO items VALUES (1, 'uno');\n"})
	out, _, code = runCLI(t, "migrate", "status", "--url", url, "--dir", dir)
	if code != 1 || !strings.Contains(out, "modified") {
		t.Errorf("status with a modified file: exit %d\n%s", code, out)
	}
	_, errs, code = runCLI(t, "migrate", "apply", "--url", url, "--dir", dir)
	if code != 1 || !strings.Contains(errs, "modified applied migration: shop##1.1##dml##seed_items.sql") {
		t.Errorf("apply with a modified file: exit %d\n%s", code, errs)
	}
	writeFiles(t, dir, map[string]string{"shop##1.1##dml##seed_items.sql": "INSERT INTO items VALUES (1, 'one');\r\n"}) // CRLF only: same checksum

	// A statement-by-statement unit that fails: exit 1, status failed, resolve, re-run.
	writeFiles(t, dir, map[string]string{"shop##3##ddl##more.sql": "CREATE TABLE more (id int);\nVACUUM missing_table;\n"})
	out, errs, code = runCLI(t, "migrate", "apply", "--url", url, "--dir", dir, "--format", "json")
	var failed applyOutput
	if err := json.Unmarshal([]byte(out), &failed); err != nil || code != 1 {
		t.Fatalf("failing apply: exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	if failed.Error == nil || failed.Error.SQLState != "42P01" || failed.Error.Failed == nil || failed.Error.Failed.Line != 2 || failed.Error.Failed.StatementsApplied != 1 {
		t.Errorf("failure json: %s", out)
	}
	if !strings.Contains(errs, "tidemark migrate resolve --version 3") {
		t.Errorf("stderr does not say how to resolve:\n%s", errs)
	}
	out, _, code = runCLI(t, "migrate", "status", "--url", url, "--dir", dir)
	if code != 1 || !strings.Contains(out, "failed") {
		t.Errorf("status after the failure: exit %d\n%s", code, out)
	}
	writeFiles(t, dir, map[string]string{"shop##3##ddl##more.sql": "CREATE TABLE more (id int);\nVACUUM more;\n"})
	out, errs, code = runCLI(t, "migrate", "resolve", "--url", url, "--version", "3", "--as", "rolled-back", "--note", "dropped table more by hand")
	if code != 0 || !strings.Contains(out, "resolved as rolled-back") {
		t.Fatalf("resolve: exit %d\n%s\n%s", code, out, errs)
	}
	_, _ = c.Exec(context.Background(), "DROP TABLE more")
	out, errs, code = runCLI(t, "migrate", "apply", "--url", url, "--dir", dir)
	if code != 0 || !strings.Contains(out, "applied 1 migration(s)") {
		t.Fatalf("apply after resolve: exit %d\n%s\n%s", code, out, errs)
	}

	// history lists every attempt, including the failed one and its resolution.
	out, _, code = runCLI(t, "migrate", "history", "--url", url)
	if code != 0 || !strings.Contains(out, "failed (resolved rolled-back)") || strings.Count(out, "\n") != 6 {
		t.Errorf("history: exit %d\n%s", code, out)
	}

	// Baseline on a fresh database: files at or below it count as applied.
	url2 := srv.NewDB(t)
	out, errs, code = runCLI(t, "migrate", "baseline", "--url", url2, "--version", "2")
	if code != 0 {
		t.Fatalf("baseline: exit %d\n%s\n%s", code, out, errs)
	}
	out, _, code = runCLI(t, "migrate", "status", "--url", url2, "--dir", dir)
	if code != 0 || !strings.Contains(out, "3 applied, 1 pending") {
		t.Errorf("status after baseline: exit %d\n%s", code, out)
	}
	_, errs, code = runCLI(t, "migrate", "baseline", "--url", url, "--version", "9")
	if code != 1 || !strings.Contains(errs, "already has migration history") {
		t.Errorf("baseline on a managed database: exit %d\n%s", code, errs)
	}
}
