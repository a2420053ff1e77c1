package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// dbName is the database name of a pgtest URL.
func dbName(url string) string {
	name := url[strings.LastIndex(url, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	return name
}

// multiTarget is one target of tidemark schema edit's JSON with several.
type multiTarget struct {
	DatabaseID string `json:"database_id"`
	Database   string `json:"database"`
	SQL        string `json:"sql"`
	Report     *struct {
		Renames []map[string]any `json:"renames"`
	} `json:"report"`
	Problems []map[string]any `json:"problems"`
	Error    *struct {
		Message string `json:"message"`
		Op      int    `json:"op"`
		Kind    string `json:"kind"`
	} `json:"error"`
}

// TestSchemaEditSeveralTargets: repeated --url plans the same edits on each
// database's own model (two models that differ get different migrations, a
// database lacking the column an error naming it and the operation, exit 1);
// --database uses the workspace's snapshots and --create-issue creates one
// issue with one task per database, each with its own SQL, only when every
// database has a migration.
func TestSchemaEditSeveralTargets(t *testing.T) {
	a, b, c := pgsrv.NewDB(t), pgsrv.NewDB(t), pgsrv.NewDB(t)
	const orders = `CREATE TABLE orders (id int PRIMARY KEY, total numeric(12,2), note text);`
	pgtest.MustExec(t, a, orders)
	pgtest.MustExec(t, b, orders+`ALTER TABLE orders ADD COLUMN discount numeric; COMMENT ON TABLE orders IS 'sales';`)
	pgtest.MustExec(t, c, `CREATE TABLE orders (id int PRIMARY KEY);`)
	ops := writeOps(t, `[
		{"op": "rename_column", "schema": "public", "table": "orders", "name": "note", "to": "remark"},
		{"op": "comment_table", "schema": "public", "table": "orders", "comment": "sales"}
	]`)

	out, errs, code := runCLI(t, "schema", "edit", "--url", a, "--url", b, "--ops", ops)
	if code != 0 || errs != "" {
		t.Fatalf("two URLs: exit %d\n%s\n%s", code, errs, out)
	}
	parts := strings.Split(out, "-- database: ")
	if len(parts) != 3 || !strings.Contains(parts[1], "RENAME COLUMN note TO remark") || !strings.Contains(parts[1], "COMMENT ON TABLE public.orders IS 'sales'") ||
		!strings.Contains(parts[2], "RENAME COLUMN note TO remark") || strings.Contains(parts[2], "COMMENT ON") {
		t.Fatalf("two URLs: each database's own plan expected:\n%s", out)
	}

	out, errs, code = runCLI(t, "schema", "edit", "--url", a, "--url", c, "--ops", ops, "--format", "json")
	if code != 1 || !strings.Contains(errs, "operation 1 (rename_column)") {
		t.Fatalf("a target lacking the column: exit %d\n%s", code, errs)
	}
	var rep struct {
		Targets []multiTarget `json:"targets"`
		OK      bool          `json:"ok"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if rep.OK || len(rep.Targets) != 2 || rep.Targets[0].DatabaseID != "" || rep.Targets[0].Error != nil || rep.Targets[0].SQL == "" || len(rep.Targets[0].Report.Renames) != 1 {
		t.Fatalf("JSON of two targets: %s", out)
	}
	if e := rep.Targets[1].Error; e == nil || e.Op != 1 || e.Kind != "rename_column" || !strings.Contains(e.Message, dbName(c)) || rep.Targets[1].Report != nil {
		t.Fatalf("the failing target: %+v", rep.Targets[1])
	}

	// The workspace: --database and --create-issue.
	t.Setenv("HOME", t.TempDir())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	s := issueCLI{t: t, ws: filepath.Join(t.TempDir(), "ws")}
	s.ok("instance", "add", "Local", "--url", pgsrv.AdminURL)
	s.ok("instance", "sync", "Local")
	s.ok("project", "create", "shop")
	for _, u := range []string{a, b, c} {
		s.ok("database", "assign", dbName(u), "--project", "shop", "--instance", "Local")
	}
	// one database lacks the column: no issue is created
	out, errs, code = s.run("schema", "edit", "--database", "Local/"+dbName(a)+","+dbName(c), "--ops", ops, "--create-issue")
	if code != 1 || !strings.Contains(errs, dbName(c)+": operation 1 (rename_column)") || !strings.Contains(errs, "no issue was created") {
		t.Fatalf("create-issue with a failing target: exit %d\n%s\n%s", code, errs, out)
	}
	if list := s.ok("issue", "list", "--format", "json"); strings.Contains(list, `"number"`) {
		t.Fatalf("an issue was created anyway: %s", list)
	}
	out, errs, code = s.run("schema", "edit", "--database", dbName(a), "--database", dbName(b), "--ops", ops, "--create-issue", "--title", "Rename note", "--format", "json")
	if !strings.Contains(errs, "created issue #1: Rename note (2 tasks)") {
		t.Fatalf("create-issue: exit %d\n%s\n%s", code, errs, out)
	}
	var made struct {
		Targets []multiTarget `json:"targets"`
		OK      bool          `json:"ok"`
		Issue   int           `json:"issue"`
	}
	if err := json.Unmarshal([]byte(out), &made); err != nil || !made.OK || made.Issue != 1 || len(made.Targets) != 2 {
		t.Fatalf("create-issue JSON (%v): %s", err, out)
	}
	r := s.report("issue", "show", "1")
	per := map[string]string{}
	for _, tg := range made.Targets {
		per[tg.Database] = tg.SQL
	}
	tasks := 0
	for _, st := range r["stages"].([]any) {
		for _, tk := range st.(map[string]any)["tasks"].([]any) {
			m := tk.(map[string]any)
			tasks++
			if want := per[m["database"].(string)]; want == "" || m["statement"] != want {
				t.Errorf("task on %v runs %q, want its own %q", m["database"], m["statement"], want)
			}
		}
	}
	if tasks != 2 || per[dbName(a)] == per[dbName(b)] {
		t.Fatalf("issue #1 has %d tasks; per-database SQL %v", tasks, per)
	}

	// usage errors
	for _, args := range [][]string{
		{"schema", "edit", "--url", a, "--database", dbName(b), "--ops", ops},
		{"schema", "edit", "--url", a, "--ops", ops, "--create-issue"},
		{"schema", "edit", "--url", a, "--ops", ops, "--title", "x"},
		{"schema", "edit", "--database", dbName(a), "--database", dbName(a), "--ops", ops},
	} {
		if _, errs, code := s.run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errs)
		}
	}
}
