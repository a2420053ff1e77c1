package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRiskTestCLI grades SQL with the preset rules, as text and JSON.
func TestRiskTestCLI(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	s := issueCLI{t: t, ws: filepath.Join(t.TempDir(), "ws")}
	tutorial := writeFile(t, "a.sql", `ALTER TABLE "public"."employee" ADD COLUMN "nick_name" text NOT NULL DEFAULT '';`+"\n")
	drop := writeFile(t, "b.sql", "CREATE TABLE x (id int);\nDROP TABLE employee;\n")
	for _, tc := range []struct {
		file, env, level string
		titles           []string
		steps            []string
	}{
		{tutorial, "prod", "moderate", []string{"DDL or DML in production"}, []string{"project_owner"}},
		{tutorial, "Test", "low", nil, nil},
		{drop, "test", "high", []string{"Drop table"}, []string{"project_owner", "dba"}},
	} {
		var r riskTestJSON
		if err := json.Unmarshal([]byte(s.ok("risk", "test", "--sql", tc.file, "--environment", tc.env, "--format", "json")), &r); err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, m := range r.Rules {
			titles = append(titles, m.Title)
			if m.Condition == "" || m.Level == "" {
				t.Errorf("rule without condition or level: %+v", m)
			}
		}
		if string(r.Level) != tc.level || strings.Join(titles, ",") != strings.Join(tc.titles, ",") || strings.Join(r.Approval.Steps, ",") != strings.Join(tc.steps, ",") {
			t.Errorf("%s in %s: %+v", tc.file, tc.env, r)
		}
	}
	if out := s.ok("risk", "test", "--sql", drop, "--environment", "test"); !strings.HasPrefix(out, "high\n") || !strings.Contains(out, "Drop table (line 2)") {
		t.Errorf("text:\n%s", out)
	}
	for _, args := range [][]string{
		{"risk", "test", "--sql", drop},
		{"risk", "test", "--sql", drop, "--environment", "mars"},
		{"risk", "test", "--sql", drop, "--environment", "test", "--source", "nope"},
		{"risk", "test", "--sql", "/nonexistent.sql", "--environment", "test"},
	} {
		if _, errs, code := s.run(args...); code != 2 {
			t.Errorf("%v: exit %d\n%s", args, code, errs)
		}
	}
	if out := s.ok("risk", "list"); !strings.Contains(out, "schema_change.drop-table") {
		t.Errorf("risk list:\n%s", out)
	}
	var al approvalListJSON
	if err := json.Unmarshal([]byte(s.ok("approval", "list", "--format", "json")), &al); err != nil || len(al.Templates) != 4 || len(al.Rules) == 0 {
		t.Fatalf("approval list: %+v %v", al, err)
	}
	if out := s.ok("approval", "list"); !strings.Contains(out, "Project Owner → DBA") {
		t.Errorf("approval list:\n%s", out)
	}
}

// TestMembersAndPolicyCLI: members and roles, --as, and the policy file's
// round trip and refusals.
func TestMembersAndPolicyCLI(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	s := issueCLI{t: t, ws: filepath.Join(t.TempDir(), "ws")}
	s.ok("project", "create", "shop")
	var ms []memberJSON
	if err := json.Unmarshal([]byte(s.ok("member", "list", "--format", "json")), &ms); err != nil || len(ms) != 1 || !ms[0].Sole {
		t.Fatalf("the workspace user is the first member: %+v %v", ms, err)
	}
	s.ok("member", "add", "Bob", "--email", "bob@example.com", "--role", "Project Owner", "--project", "shop", "--role", "dba")
	s.ok("member", "add", "Rae", "--email", "rae@example.com")
	s.ok("member", "grant", "rae", "releaser")
	if out := s.ok("--as", "bob@example.com", "whoami"); !strings.Contains(out, "Bob (bob@example.com): DBA, Project Owner of") {
		t.Errorf("whoami --as: %s", out)
	}
	if _, errs, code := s.run("--as", "zed", "whoami"); code != 2 || !strings.Contains(errs, `no member "zed"`) {
		t.Errorf("--as a stranger: exit %d %s", code, errs)
	}
	if _, errs, code := s.run("--as", "bob", "member", "add", "Zed"); code != 1 || !strings.Contains(errs, "needs the role Workspace Admin") {
		t.Errorf("a non-admin adds a member: exit %d %s", code, errs)
	}
	if _, errs, code := s.run("--as", "rae", "policy", "import", "/dev/null"); code == 0 {
		t.Errorf("a releaser imports policies: exit %d %s", code, errs)
	}
	if _, errs, code := s.run("member", "remove", "bob"); code != 1 || !strings.Contains(errs, `"DBA" needs a DBA`) {
		t.Errorf("remove the only DBA: exit %d %s", code, errs)
	}
	if _, errs, code := s.run("member", "grant", "bob", "cto"); code != 2 {
		t.Errorf("unknown role: exit %d %s", code, errs)
	}
	if _, errs, code := s.run("member", "add", "Bob", "--email", "bob@example.com"); code != 1 {
		t.Errorf("duplicate member: exit %d %s", code, errs)
	}
	s.ok("member", "revoke", "rae", "releaser")
	s.ok("member", "remove", "rae")

	// Policy file: export, import it back unchanged, refusals change nothing.
	file := filepath.Join(t.TempDir(), "policies.yaml")
	s.ok("policy", "export", file)
	before, _ := os.ReadFile(file)
	s.ok("policy", "import", file)
	again := filepath.Join(t.TempDir(), "again.yaml")
	s.ok("policy", "export", again)
	after, _ := os.ReadFile(again)
	if string(before) != string(after) {
		t.Fatalf("round trip changed the file:\n%s\n----\n%s", before, after)
	}
	bad := strings.Replace(string(before), `condition: sql_type == "DROP_TABLE"`, `condition: sql_typ == "DROP_TABLE"`, 1)
	if _, errs, code := s.run("policy", "import", writeFile(t, "bad.yaml", bad)); code != 1 || !strings.Contains(errs, "line 1, column 1: undeclared reference to 'sql_typ'") {
		t.Errorf("bad condition: exit %d %s", code, errs)
	}
	unknown := strings.Replace(string(before), "risk_rules:", "risk_rulez:", 1)
	if _, errs, code := s.run("policy", "import", writeFile(t, "unknown.yaml", unknown)); code != 2 || !strings.Contains(errs, "risk_rulez") {
		t.Errorf("unknown key: exit %d %s", code, errs)
	}
	s.ok("policy", "export", again)
	if after, _ := os.ReadFile(again); string(after) != string(before) {
		t.Error("a refused import changed the policies")
	}
}
