package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/risk"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// TestRiskBinding: RiskService maps the Risk Center's calls onto the
// workspace and the workflow (what they decide is tested there).
func TestRiskBinding(t *testing.T) {
	h := &harness{dir: t.TempDir(), env: map[string]string{"HOME": t.TempDir()}}
	a, err := New(Options{WorkspaceDir: h.dir, Keychain: &secret.Keychain{Service: "tidemark-test", Getenv: func(string) string { return "" }},
		Getenv: func(k string) string { return h.env[k] }, SampleFallbackBase: filepath.Join(t.TempDir(), "fallback")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Shutdown(t.Context()) })
	if _, err := a.Issues().SetUser("Ann", "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	rs := a.Risk()
	if vs := rs.Variables(); len(vs) != len(risk.Variables) || vs[0].Name != "environment_id" {
		t.Fatalf("variables %+v", vs)
	}
	for cond, want := range map[string]ConditionCheck{
		`table_rows > 10`:     {OK: true},
		`tabel_rows > 10`:     {Line: 1, Column: 1, Message: "undeclared reference to 'tabel_rows' (did you mean 'table_rows'?)"},
		"true &&\n  sql_type": {Line: 2, Column: 3, Message: "expected type 'bool' but found 'string'"},
	} {
		got, err := rs.CheckCondition(cond)
		if err != nil || got.OK != want.OK || got.Line != want.Line || got.Column != want.Column || !strings.Contains(got.Message, want.Message) {
			t.Errorf("%q: %+v %v, want %+v", cond, got, err, want)
		}
	}
	rules, err := rs.Rules()
	if err != nil || len(rules) != len(risk.Presets()) || len(rs.Templates()) != len(rules) {
		t.Fatalf("rules %d %v", len(rules), err)
	}
	if _, err := rs.SaveRule(risk.Rule{Title: "Bad", Source: "schema_change", Level: "high", Condition: "nope", Enabled: true}); err == nil ||
		!strings.Contains(userErr(t, err).Message, "line 1, column 1") {
		t.Fatalf("bad rule: %v", err)
	}
	saved, err := rs.SaveRule(risk.Rule{Title: "Billing tables", Source: "schema_change", Level: "high", Condition: `table_name.startsWith("billing_")`, Enabled: true})
	if err != nil || saved.Rule.ID == "" || saved.Reevaluated == nil {
		t.Fatalf("save: %+v %v", saved, err)
	}
	try, err := rs.TrySQL("schema_change", "test", "ALTER TABLE billing_items ADD COLUMN x int;")
	if err != nil || try.Approval.Risk != risk.High || try.Approval.Matched[0].Title != "Billing tables" || try.Approval.TemplateTitle != "Project Owner → DBA" {
		t.Fatalf("try: %+v %v", try, err)
	}
	if _, err := rs.TrySQL("nope", "test", "SELECT 1"); err == nil {
		t.Error("unknown source accepted")
	}
	if _, err := rs.DeleteRule(saved.Rule.ID); err != nil {
		t.Fatal(err)
	}
	ms, err := rs.Members()
	if err != nil || len(ms) != 1 || ms[0].ID != "ann@example.com" || !ms[0].Sole {
		t.Fatalf("members %+v %v", ms, err)
	}
	if _, err := rs.AddMember("Dee", "dee@example.com", []workspace.MemberRole{{Role: "dba"}}); err != nil {
		t.Fatal(err)
	}
	if err := rs.RemoveMember("dee@example.com"); err == nil || !strings.Contains(userErr(t, err).Message, "needs a DBA") {
		t.Fatalf("remove the only DBA: %v", err)
	}
	cfg, err := rs.Approvals()
	if err != nil || len(cfg.Templates) != 4 {
		t.Fatalf("approvals %+v %v", cfg, err)
	}
	if _, err := rs.SaveApprovals(cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Rules = append([]risk.ApprovalRule{{ID: "billing-test", Condition: `environment_id in ["test"] && table_name.startsWith("billing_")`, TemplateID: "dba"}}, cfg.Rules...)
	if _, err := rs.SaveApprovals(cfg); err != nil {
		t.Fatal(err)
	}
	er, err := rs.EnvironmentRules("test")
	if err != nil || er.Production || len(er.Risk) != 0 || len(er.Approval) != 1 || er.Approval[0].Rule.ID != "billing-test" ||
		er.Approval[0].TemplateTitle != "DBA" || er.Approval[0].How[0] != `environment_id in ["test"]` {
		t.Fatalf("rules mentioning test: %+v %v", er, err)
	}
	er, err = rs.EnvironmentRules("prod")
	if err != nil || !er.Production || len(er.Risk) != 5 || er.Risk[0].How[0] != "production" || len(er.Approval) != 1 || er.Approval[0].Rule.ID != "create-database-prod" {
		t.Fatalf("rules mentioning prod: %+v %v", er, err)
	}
	if _, err := rs.EnvironmentRules("nowhere"); err == nil {
		t.Error("an unknown environment has rules")
	}
	p, err := rs.SetRolloutPolicy(workspace.RolloutPolicy{EnvironmentID: "prod", Mode: "manual", Roles: []string{"releaser"},
		Window: &workspace.Window{Days: []string{"mon"}, Start: "09:00", End: "10:00"}})
	if err != nil || p.Roles[0] != "releaser" || p.Window == nil {
		t.Fatalf("rollout policy %+v %v", p, err)
	}
	if _, err := rs.SetRolloutPolicy(workspace.RolloutPolicy{EnvironmentID: "prod", Mode: "manual", Roles: []string{"cto"}}); err == nil {
		t.Error("unknown role accepted")
	}
}
