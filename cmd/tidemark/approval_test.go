package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// TestApprovalFlowCLI: the Bitbucket tutorial's "Project Owner → DBA for
// DDL high risk" headless — a high-risk issue in prod needs two approvals
// in order, each by a member with the step's role (--as), then a Releaser
// rolls it out.
func TestApprovalFlowCLI(t *testing.T) {
	dbURL := pgsrv.NewDB(t)
	pgtest.MustExec(t, dbURL, "CREATE TABLE employee (id int PRIMARY KEY)")
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	s := issueCLI{t: t, ws: filepath.Join(t.TempDir(), "ws")}
	s.ok("instance", "add", "Local", "--url", pgsrv.AdminURL)
	s.ok("instance", "sync", "Local")
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
	s.ok("project", "create", "shop")
	s.ok("database", "assign", name, "--project", "shop", "--instance", "Local", "--environment", "prod")
	s.ok("member", "list") // the workspace user becomes the Workspace Admin
	s.ok("member", "add", "Bob", "--email", "bob@example.com", "--role", "project_owner", "--project", "shop")
	s.ok("member", "add", "Dee", "--email", "dee@example.com", "--role", "dba")
	s.ok("member", "add", "Rae", "--email", "rae@example.com", "--role", "releaser", "--project", "shop")
	// The tutorial's rules: DDL in prod is high risk; high → Project Owner →
	// DBA (a preset); only Releasers roll out to prod.
	policy := filepath.Join(t.TempDir(), "p.yaml")
	s.ok("policy", "export", policy)
	exported := readFile(t, policy)
	edited := strings.Replace(exported, "risk_rules:\n", `risk_rules:
  - id: ddl-prod
    title: DDL in prod
    source: schema_change
    level: high
    condition: environment_id == "prod"
    enabled: true
`, 1)
	edited = strings.Replace(edited, "  - environment: prod\n    mode: manual\n    roles:\n      - workspace_admin\n      - dba\n      - project_owner\n      - releaser\n",
		"  - environment: prod\n    mode: manual\n    roles:\n      - releaser\n", 1)
	if !strings.Contains(edited, "ddl-prod") || strings.Count(edited, "      - releaser\n") != 2 {
		t.Fatalf("the exported policies are not as expected:\n%s", exported)
	}
	s.ok("policy", "import", writeFile(t, "p2.yaml", edited))

	sql := writeFile(t, "c.sql", `ALTER TABLE "public"."employee" ADD COLUMN "nick_name" text NOT NULL DEFAULT '';`+"\n")
	r := s.report("issue", "create", "--project", "shop", "--database", "Local/"+name, "--sql", sql)
	ap := r["approval"].(map[string]any)
	if ap["risk"] != "high" || ap["templateTitle"] != "Project Owner → DBA" || len(ap["steps"].([]any)) != 2 {
		t.Fatalf("approval = %v", ap)
	}
	n := "1"
	if _, errs, code := s.run("--as", "dee", "issue", "approve", n); code != 1 || !strings.Contains(errs, "needs the role Project Owner") {
		t.Fatalf("DBA first: exit %d %s", code, errs)
	}
	if out := s.ok("--as", "bob", "issue", "approve", n, "--comment", "owner ok"); !strings.Contains(out, "approval pending") {
		t.Fatalf("bob: %s", out)
	}
	if out := s.ok("issue", "show", n); !strings.Contains(out, "DBA: pending (can approve: Dee <dee@example.com>)") || !strings.Contains(out, "risk: high") {
		t.Fatalf("show:\n%s", out)
	}
	if out := s.ok("--as", "dee@example.com", "issue", "approve", n); !strings.Contains(out, "approval approved") {
		t.Fatalf("dee: %s", out)
	}
	if _, errs, code := s.run("--as", "dee", "issue", "rollout", n); code != 1 || !strings.Contains(errs, "Releaser") {
		t.Fatalf("dee rolls out after the policy change: exit %d %s", code, errs)
	}
	if out := s.ok("--as", "rae", "issue", "rollout", n); !strings.Contains(out, "[done]") {
		t.Fatalf("rae rolls out:\n%s", out)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
