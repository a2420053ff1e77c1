package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// runCLIIn runs the CLI in-process with stdin.
func runCLIIn(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := newRootCmd()
	var out, errb bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), exitCode(err, &errb)
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(t *testing.T, v any) string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not a JSON object: %v", v)
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func hasKeys(t *testing.T, what string, v any, want ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: not a JSON object: %v", what, v)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("%s: no key %q (has %s)", what, k, keysOf(t, v))
		}
	}
}

const reportKeys = "activity,approval,checks,createdAt,creator,description,labels,number,projectId,rollout,stages,status,title,type,updatedAt,version"

// issueCLI is a headless session on one workspace.
type issueCLI struct {
	t  *testing.T
	ws string
}

func (s issueCLI) run(args ...string) (string, string, int) {
	s.t.Helper()
	return runCLI(s.t, append([]string{"--workspace", s.ws}, args...)...)
}

func (s issueCLI) ok(args ...string) string {
	s.t.Helper()
	out, errs, code := s.run(args...)
	if code != 0 {
		s.t.Fatalf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, out, errs)
	}
	return out
}

// report runs a command printing an issue as JSON and checks its keys.
func (s issueCLI) report(args ...string) map[string]any {
	s.t.Helper()
	out := s.ok(append(args, "--format", "json")...)
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		s.t.Fatalf("%v: JSON: %v\n%s", args, err, out)
	}
	if got := keysOf(s.t, r); got != reportKeys {
		s.t.Fatalf("report keys = %s, want %s", got, reportKeys)
	}
	hasKeys(s.t, "approval", r["approval"], "status", "reason", "steps")
	for _, c := range r["checks"].([]any) {
		hasKeys(s.t, "check", c, "database", "taskId", "kind", "status", "summary", "results")
	}
	for _, st := range r["stages"].([]any) {
		hasKeys(s.t, "stage", st, "environment", "environmentName", "production", "policy", "tasks")
		for _, tk := range st.(map[string]any)["tasks"].([]any) {
			hasKeys(s.t, "task", tk, "id", "database", "databaseId", "instance", "status", "statement", "version", "gates", "runs")
		}
	}
	return r
}

func checksOf(r map[string]any, kind string) []map[string]any {
	var out []map[string]any
	for _, c := range r["checks"].([]any) {
		if m := c.(map[string]any); m["kind"] == kind {
			out = append(out, m)
		}
	}
	return out
}

func taskStatus(r map[string]any) []string {
	var out []string
	for _, st := range r["stages"].([]any) {
		for _, tk := range st.(map[string]any)["tasks"].([]any) {
			out = append(out, tk.(map[string]any)["status"].(string))
		}
	}
	return out
}

// TestIssueTutorial walks the change workflow headless: a project, a
// database assigned to it, a create_database issue in prod (approval,
// rollout), a schema change on the new database (checks with the dry
// run's objects, roll out anyway past review warnings), and the refusals.
func TestIssueTutorial(t *testing.T) {
	dbURL := pgsrv.NewDB(t)
	pgtest.MustExec(t, dbURL, "CREATE TABLE t0 (id int PRIMARY KEY)")
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	newDB := fmt.Sprintf("tm_issue_%d", time.Now().UnixNano()%1_000_000_000)
	t.Cleanup(func() { _ = pgsrv.Exec(context.Background(), "DROP DATABASE IF EXISTS "+newDB) })
	t.Setenv("HOME", t.TempDir())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	s := issueCLI{t: t, ws: filepath.Join(t.TempDir(), "ws")}

	s.ok("instance", "add", "Local", "--url", pgsrv.AdminURL)
	s.ok("instance", "sync", "Local")
	// The dry runs' scratch server: the instance chosen in the settings.
	func() {
		ctx := context.Background()
		ws, err := workspace.Open(ctx, s.ws, workspace.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		in, err := ws.GetInstanceByName(ctx, "Local")
		if err != nil {
			t.Fatal(err)
		}
		if err := ws.SetSetting(ctx, compare.SettingScratchInstance, in.ID); err != nil {
			t.Fatal(err)
		}
	}()

	// Projects.
	var p map[string]any
	if err := json.Unmarshal([]byte(s.ok("project", "create", "shop", "--format", "json")), &p); err != nil {
		t.Fatal(err)
	}
	if got := keysOf(t, p); got != "allowSelfApproval,archived,createdAt,databaseCount,id,name" || p["name"] != "shop" {
		t.Fatalf("project JSON = %v", p)
	}
	if _, errs, code := s.run("project", "create", "Shop"); code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("duplicate project: exit %d\n%s", code, errs)
	}
	if out := s.ok("project", "list"); !strings.Contains(out, "shop") {
		t.Fatalf("project list:\n%s", out)
	}

	// database assign, by bare name.
	var assigned databaseJSON
	if err := json.Unmarshal([]byte(s.ok("database", "assign", name, "--project", "shop", "--instance", "Local", "--format", "json")), &assigned); err != nil {
		t.Fatal(err)
	}
	if assigned.ProjectID != p["id"] || assigned.Name != name || assigned.Environment != "test" {
		t.Fatalf("assigned = %+v", assigned)
	}
	listed := func() map[string]databaseJSON {
		t.Helper()
		var ds []databaseJSON
		if err := json.Unmarshal([]byte(s.ok("database", "list", "--project", "shop", "--format", "json")), &ds); err != nil {
			t.Fatal(err)
		}
		m := map[string]databaseJSON{}
		for _, d := range ds {
			m[d.Name] = d
		}
		return m
	}
	if ds := listed(); len(ds) != 1 || ds[name].ProjectID != p["id"] {
		t.Fatalf("database list --project = %+v", ds)
	}

	// 1: create a database in prod: approval pending; rollout refused until approved.
	r := s.report("issue", "create", "--project", "shop", "--create-database", newDB, "--instance", "Local", "--environment", "prod")
	ap := r["approval"].(map[string]any)
	if _, err := time.Parse(time.RFC3339, fmt.Sprint(r["createdAt"])); err != nil {
		t.Errorf("createdAt = %v", r["createdAt"])
	}
	if r["number"] != 1.0 || r["type"] != "create_database" || ap["status"] != "pending" || len(ap["steps"].([]any)) != 1 {
		t.Fatalf("create_database issue = %v", r)
	}
	if _, errs, code := s.run("issue", "rollout", "1"); code != 1 || !strings.Contains(errs, `gate "approval" is closed`) {
		t.Fatalf("rollout before approval: exit %d\n%s", code, errs)
	}
	if _, errs, code := s.run("issue", "reject", "1"); code != 2 || !strings.Contains(errs, "--comment") {
		t.Fatalf("reject without a comment: exit %d\n%s", code, errs)
	}
	if out := s.ok("issue", "approve", "1", "--comment", "ok"); !strings.Contains(out, "approval approved") {
		t.Fatalf("approve:\n%s", out)
	}
	if _, errs, code := s.run("issue", "approve", "1"); code != 1 || !strings.Contains(errs, "does not wait for approval") {
		t.Fatalf("second approval: exit %d\n%s", code, errs)
	}
	out := s.ok("issue", "rollout", "1")
	if !strings.Contains(out, "#1 Create database "+newDB+" [done]") {
		t.Fatalf("rollout 1:\n%s", out)
	}
	if d, ok := listed()[newDB]; !ok || d.Environment != "prod" {
		t.Fatalf("the new database is not in the project's list in prod: %+v", listed())
	}

	// 2: a schema change on the new database.
	sqlFile := filepath.Join(t.TempDir(), "t1.sql")
	if err := os.WriteFile(sqlFile, []byte("CREATE TABLE t1 (id int PRIMARY KEY, name text);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = s.report("issue", "create", "--project", "shop", "--database", "Local/"+newDB, "--sql", sqlFile, "--version", "1", "--title", "add t1")
	if r["number"] != 2.0 || r["title"] != "add t1" || r["type"] != "schema_change" || r["approval"].(map[string]any)["status"] != "pending" {
		t.Fatalf("schema change issue = %v", r)
	}
	dry := checksOf(r, "dry_run")
	if len(dry) != 1 || dry[0]["database"] != newDB || dry[0]["status"] != "success" {
		t.Fatalf("dry run = %v", dry)
	}
	objs, _ := dry[0]["objects"].([]any)
	if len(objs) != 1 || !strings.Contains(fmt.Sprint(objs[0]), "t1") {
		t.Fatalf("dry run objects = %v", dry[0]["objects"])
	}
	review := checksOf(r, "review")
	if len(review) != 1 {
		t.Fatalf("review checks = %v", review)
	}
	s.ok("issue", "approve", "2")
	if review[0]["status"] == "warning" {
		if _, errs, code := s.run("issue", "rollout", "2", "--stage", "prod"); code != 1 || !strings.Contains(errs, `gate "checks" is closed`) {
			t.Fatalf("rollout past warnings without a comment: exit %d\n%s", code, errs)
		}
	}
	r = s.report("issue", "rollout", "2", "--stage", "Prod", "--force-comment", "reviewed")
	if r["status"] != "done" || fmt.Sprint(taskStatus(r)) != "[done]" {
		t.Fatalf("rollout 2 = %v %v", r["status"], taskStatus(r))
	}
	runs := r["stages"].([]any)[0].(map[string]any)["tasks"].([]any)[0].(map[string]any)["runs"].([]any)
	if len(runs) != 1 || runs[0].(map[string]any)["status"] != "done" {
		t.Fatalf("runs = %v", runs)
	}
	pgtest.MustExec(t, pgsrv.DBURL(newDB), "SELECT id, name FROM t1")
	out = s.ok("issue", "show", "2")
	if !strings.Contains(out, "#2 add t1 [done]") || !strings.Contains(out, "dry_run") || !strings.Contains(out, "Prod (manual, production)") {
		t.Fatalf("issue show text:\n%s", out)
	}

	// 3: a change with a syntax error (read from stdin) is created; its
	// checks say so; rollout names the gate.
	out, errs, code := runCLIIn(t, "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLEX b (id int);\n",
		"--workspace", s.ws, "issue", "create", "--database", name, "--sql", "-", "--project", "shop", "--format", "json")
	if code != 0 || !strings.Contains(errs, "running checks") {
		t.Fatalf("create with a syntax error: exit %d\n%s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	syn := checksOf(r, "syntax")
	if r["number"] != 3.0 || len(syn) != 1 || syn[0]["status"] != "error" || r["approval"].(map[string]any)["status"] != "skipped" {
		t.Fatalf("syntax check = %v (issue %v)", syn, r["number"])
	}
	res := syn[0]["results"].([]any)
	if len(res) == 0 || res[0].(map[string]any)["line"] != 2.0 {
		t.Fatalf("syntax results = %v", res)
	}
	if _, errs, code := s.run("issue", "rollout", "3"); code != 1 || !strings.Contains(errs, `gate "checks" is closed`) {
		t.Fatalf("rollout with a syntax error: exit %d\n%s", code, errs)
	}
	if _, errs, code := s.run("issue", "skip", "3"); code != 2 || !strings.Contains(errs, "--reason") {
		t.Fatalf("skip without a reason: exit %d\n%s", code, errs)
	}
	if out := s.ok("issue", "cancel", "3", "--reason", "typo"); !strings.Contains(out, "canceled") {
		t.Fatalf("cancel:\n%s", out)
	}

	// 4: a change to the test database rolls out at once (automatic).
	out, errs, code = runCLIIn(t, "CREATE TABLE t3 (id int PRIMARY KEY);\n",
		"--workspace", s.ws, "issue", "create", "--database", "Local/"+name, "--sql", "-", "--format", "json")
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("create on test: exit %d\n%s\n%s", code, out, errs)
	}
	if rv := checksOf(r, "review"); rv[0]["status"] != "warning" {
		if r["status"] != "done" || !strings.Contains(errs, "rolled out "+name) {
			t.Fatalf("automatic rollout: %v %v\n%s", r["status"], taskStatus(r), errs)
		}
	} else {
		s.report("issue", "rollout", "4", "--force-comment", "fine")
	}

	// 5: a change that passes its checks (the dry run has no data) but fails
	// on the target: exit 1 with PostgreSQL's error; retry fails again; skip.
	pgtest.MustExec(t, dbURL, "INSERT INTO t0 VALUES (1)")
	bad := filepath.Join(t.TempDir(), "check.sql")
	if err := os.WriteFile(bad, []byte("ALTER TABLE t0 ADD CONSTRAINT neg CHECK (id < 0);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code = s.run("issue", "create", "--database", "Local/"+name, "--sql", bad, "--type", "data_change")
	if code == 0 {
		_, errs, code = s.run("issue", "rollout", "5", "--force-comment", "try")
	}
	if code != 1 || !strings.Contains(errs, "the task on "+name+" failed") || !strings.Contains(errs, "23514") {
		t.Fatalf("failing task: exit %d\n%s", code, errs)
	}
	if _, errs, code := s.run("issue", "retry", "5", "--task", "t1"); code != 1 || !strings.Contains(errs, "23514") {
		t.Fatalf("retry: exit %d\n%s", code, errs)
	}
	if out := s.ok("issue", "skip", "5", "--reason", "not needed"); !strings.Contains(out, "issue done") {
		t.Fatalf("skip:\n%s", out)
	}

	// Lists.
	var list []map[string]any
	if err := json.Unmarshal([]byte(s.ok("issue", "list", "--format", "json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 5 || list[0]["number"] != 5.0 || list[4]["number"] != 1.0 {
		t.Fatalf("issue list = %v", list)
	}
	for _, it := range list {
		if got := keysOf(t, it); got != "approval,createdAt,creator,number,project,projectId,rollout,status,title,type,updatedAt" {
			t.Fatalf("issue list keys = %s", got)
		}
	}
	if list[3]["project"] != "shop" || list[3]["status"] != "done" || list[3]["title"] != "add t1" || list[3]["type"] != "schema_change" {
		t.Fatalf("issue list #2 = %v", list[3])
	}
	if err := json.Unmarshal([]byte(s.ok("issue", "list", "--status", "canceled", "--project", "shop", "--format", "json")), &list); err != nil || len(list) != 1 || list[0]["number"] != 3.0 {
		t.Fatalf("issue list --status canceled = %v (%v)", list, err)
	}
	if out := s.ok("issue", "list"); !strings.Contains(out, "add t1") {
		t.Fatalf("issue list text:\n%s", out)
	}

	// Errors.
	if _, errs, code := s.run("issue", "show", "99"); code != 1 || !strings.Contains(errs, "there is no issue #99") {
		t.Fatalf("unknown issue: exit %d\n%s", code, errs)
	}
	for _, args := range [][]string{
		{"issue", "show", "abc"},
		{"issue", "list", "--status", "nope"},
		{"issue", "list", "--project", "nope"},
		{"issue", "create", "--project", "nope", "--database", name, "--sql", sqlFile},
		{"issue", "create", "--database", "Local/nope", "--sql", sqlFile},
		{"issue", "create", "--database", name},
		{"issue", "create", "--database", name, "--sql", sqlFile, "--type", "baseline"},
		{"issue", "create", "--create-database", "x"},
		{"issue", "rollout", "2", "--stage", "nope"},
		{"database", "assign", name},
		{"database", "assign", name, "--project", "nope"},
		{"database", "assign", "nope", "--project", "shop"},
		{"database", "assign", name, "--project", "shop", "--environment", "nope"},
		{"project", "create", " "},
	} {
		if _, errs, code := s.run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errs)
		}
	}
}
