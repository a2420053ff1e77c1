package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// pgsrv is the test binary's PostgreSQL cluster.
var pgsrv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pgsrv)) }

// TestDatabaseCommands walks a headless session: register the server, list
// its databases, sync a schema, apply changes (a destructive one needs
// --yes) and read the history, all over the workspace the desktop app uses.
func TestDatabaseCommands(t *testing.T) {
	dbURL := pgsrv.NewDB(t)
	pgtest.MustExec(t, dbURL, "CREATE TABLE accounts (id int PRIMARY KEY)")
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	ws := filepath.Join(t.TempDir(), "ws")
	run := func(args ...string) (string, string, int) {
		t.Helper()
		return runCLI(t, append([]string{"--workspace", ws}, args...)...)
	}
	t.Setenv("HOME", t.TempDir()) // no ~/.pgpass; the test server trusts local connections
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if _, errs, code := run("instance", "add", "Local", "--url", pgsrv.AdminURL); code != 0 {
		t.Fatalf("instance add: exit %d\n%s", code, errs)
	}
	out, errs, code := run("instance", "sync", "Local", "--format", "json")
	if code != 0 {
		t.Fatalf("instance sync: exit %d\n%s", code, errs)
	}
	var dbs []databaseJSON
	if err := json.Unmarshal([]byte(out), &dbs); err != nil {
		t.Fatalf("instance sync JSON: %v\n%s", err, out)
	}
	found := false
	for _, d := range dbs {
		found = found || (d.Name == name && d.Instance == "Local" && d.Environment == "test")
	}
	if !found {
		t.Fatalf("instance sync did not list %s: %s", name, out)
	}
	ref := "Local/" + name
	out, errs, code = run("database", "sync", ref, "--format", "json")
	var snap snapshotJSON
	if code != 0 || json.Unmarshal([]byte(out), &snap) != nil || snap.ID == "" || snap.Fingerprint == "" || snap.Database != ref {
		t.Fatalf("database sync: exit %d, %q\n%s", code, out, errs)
	}

	out, errs, code = run("database", "apply", ref, "--version", "1", "--description", "invoices", "-c", "CREATE TABLE invoices (id int);", "--format", "json")
	var ch changeJSON
	if code != 0 || json.Unmarshal([]byte(out), &ch) != nil || ch.Status != "done" || ch.Source != "cli" || ch.BeforeSnapshotID == "" || ch.AfterSnapshotID == "" {
		t.Fatalf("database apply: exit %d, %q\n%s", code, out, errs)
	}
	// Destructive: refused without --yes (nothing runs), applied with it.
	_, errs, code = run("database", "apply", ref, "--version", "2", "-c", "DROP TABLE invoices;")
	if code != 1 || !strings.Contains(errs, "line 1: DROP TABLE") || !strings.Contains(errs, "--yes") {
		t.Fatalf("destructive without --yes: exit %d\n%s", code, errs)
	}
	// A version already applied is a usage error naming it.
	_, errs, code = run("database", "apply", ref, "--version", "1", "-c", "SELECT 1;")
	if code != 2 || !strings.Contains(errs, "already applied") {
		t.Fatalf("applied version: exit %d\n%s", code, errs)
	}
	// A failing statement: the PostgreSQL message, SQLSTATE and the statement.
	_, errs, code = run("database", "apply", ref, "--version", "3", "-c", "SELECT 1;\nINSERT INTO nowhere VALUES (1);")
	if code != 1 || !strings.Contains(errs, "42P01") || !strings.Contains(errs, "detail: Statement 2 of 2, line 2") {
		t.Fatalf("failing change: exit %d\n%s", code, errs)
	}
	if _, errs, code = run("database", "apply", ref, "--version", "4", "-c", "DROP TABLE invoices;", "--yes"); code != 0 {
		t.Fatalf("destructive with --yes: exit %d\n%s", code, errs)
	}
	out, errs, code = run("database", "history", ref, "--format", "json")
	var hist []changeJSON
	if code != 0 || json.Unmarshal([]byte(out), &hist) != nil {
		t.Fatalf("history: exit %d, %q\n%s", code, out, errs)
	}
	status := map[string]string{}
	for _, h := range hist {
		status[h.Version] = h.Status + "/" + h.Source
	}
	if status["1"] != "done/cli" || status["3"] != "failed/cli" || status["4"] != "done/cli" || status["2"] != "" {
		t.Fatalf("history = %v", status)
	}
	// Tidemark's own schema stays out of the dump unless asked for.
	out, _, code = run("dump", "--url", dbURL)
	if code != 0 || strings.Contains(out, "tidemark") {
		t.Fatalf("dump shows the tidemark schema (exit %d):\n%s", code, out)
	}
	out, _, code = run("dump", "--url", dbURL, "--include-tidemark")
	if code != 0 || !strings.Contains(out, "CREATE TABLE tidemark.migration_history") {
		t.Fatalf("dump --include-tidemark (exit %d):\n%s", code, out)
	}
	// Usage errors.
	for _, args := range [][]string{
		{"database", "sync", "nope"},
		{"database", "sync", "Nope/db"},
		{"database", "apply", ref, "--version", "9"},
		{"database", "list", "--format", "xml"},
	} {
		if _, errs, code := run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errs)
		}
	}
}
