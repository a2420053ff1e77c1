package workflow

import (
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/risk"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// presetPolicy is a new workspace's rules, with no members.
func presetPolicy() *policy {
	p, err := compilePolicy(risk.Presets(), risk.PresetApprovalRules(), risk.PresetTemplates(), nil)
	if err != nil {
		panic(err)
	}
	return p
}

// TestAssess matches flows to issues under the preset rules.
func TestAssess(t *testing.T) {
	ms := []workspace.Member{
		{ID: "ann", Roles: []workspace.MemberRole{{Role: risk.RoleWorkspaceAdmin}}},
		{ID: "bob", Roles: []workspace.MemberRole{{Role: risk.RoleProjectOwner, ProjectID: "shop"}}},
		{ID: "dee", Roles: []workspace.MemberRole{{Role: risk.RoleDBA}}},
	}
	p, err := compilePolicy(risk.Presets(), risk.PresetApprovalRules(), risk.PresetTemplates(), ms)
	if err != nil {
		t.Fatal(err)
	}
	task := func(env, sql string) *Task { return &Task{EnvironmentID: env, DatabaseName: "demo", Statement: sql} }
	for _, tc := range []struct {
		name      string
		typ       Type
		tasks     []*Task
		status    ApprovalStatus
		level     risk.Level
		roles     string
		approvers string
	}{
		{"tutorial column in prod", TypeSchemaChange, []*Task{task("prod", `ALTER TABLE "public"."employee" ADD COLUMN "nick_name" text NOT NULL DEFAULT '';`)}, ApprovalPending, risk.Moderate, "project_owner", "bob"},
		{"drop table in test", TypeSchemaChange, []*Task{task("test", "DROP TABLE t;")}, ApprovalPending, risk.High, "project_owner,dba", "bob|dee"},
		{"create table in test", TypeSchemaChange, []*Task{task("test", "CREATE TABLE t (id int);")}, ApprovalSkipped, risk.Low, "", ""},
		{"highest task decides", TypeSchemaChange, []*Task{task("test", "DROP TABLE t;"), task("prod", "CREATE TABLE t (id int);")}, ApprovalPending, risk.High, "project_owner,dba", "bob|dee"},
		{"create database in prod", TypeCreateDatabase, []*Task{{EnvironmentID: "prod", DatabaseName: "demo", CreateDatabase: &NewDatabase{Name: "demo"}}}, ApprovalPending, risk.Moderate, "dba", "dee"},
		{"create database in test", TypeCreateDatabase, []*Task{{EnvironmentID: "test", DatabaseName: "demo", CreateDatabase: &NewDatabase{Name: "demo"}}}, ApprovalSkipped, risk.Low, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is := &Issue{Type: tc.typ, ProjectID: "shop", Tasks: tc.tasks}
			a := assess(is, envs, p)
			var roles, who []string
			for _, st := range a.Steps {
				roles = append(roles, st.Role)
				who = append(who, strings.Join(st.Approvers, ","))
			}
			if a.Status != tc.status || a.Risk != tc.level || strings.Join(roles, ",") != tc.roles || strings.Join(who, "|") != tc.approvers {
				t.Errorf("got %s %s %v %v (%s)", a.Status, a.Risk, roles, who, a.Reason)
			}
			for _, tk := range is.Tasks {
				if tk.Risk == nil {
					t.Error("a task was not graded")
				}
			}
		})
	}
}

// TestReassess: the same flow keeps its decisions; another flow starts
// over and says so; nothing becomes approved by a rule change.
func TestReassess(t *testing.T) {
	p := presetPolicy()
	is := &Issue{Type: TypeSchemaChange, Status: StatusOpen, Tasks: []*Task{{EnvironmentID: "prod", Statement: "CREATE TABLE t (id int);"}}}
	is.Approval = assess(is, envs, p)
	by := User{Name: "Bob"}
	is.Approval.Steps[0].Status, is.Approval.Steps[0].By = ApprovalApproved, &by
	is.Approval.Status = ApprovalApproved
	if reassess(is, envs, p, by, "checks") || is.Approval.Status != ApprovalApproved || is.Approval.Steps[0].By == nil {
		t.Fatalf("same flow lost its decision: %+v", is.Approval)
	}
	// The plan now drops a table: a new two-step flow, nothing approved.
	is.Tasks[0].Statement = "DROP TABLE t;"
	if !reassess(is, envs, p, by, `risk rule "x" changed`) || is.Approval.Status != ApprovalPending || is.Approval.Steps[0].Status != ApprovalPending || len(is.Approval.Steps) != 2 {
		t.Fatalf("new flow: %+v", is.Approval)
	}
	last := is.Activity[len(is.Activity)-1]
	if last.Kind != "approval_reevaluated" || !strings.Contains(last.Comment, `the approval flow "Project Owner" is now "Project Owner → DBA"`) {
		t.Errorf("timeline: %+v", last)
	}
}

// TestCompiledPolicyReportsBrokenRules: a stored rule that does not
// compile is reported on the issue, not silently ignored.
func TestCompiledPolicyReportsBrokenRules(t *testing.T) {
	p, err := compilePolicy([]risk.Rule{{ID: "bad", Title: "Bad", Source: "schema_change", Level: "high", Condition: "nope", Enabled: true}}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := assess(&Issue{Type: TypeSchemaChange, Tasks: []*Task{{EnvironmentID: "test", Statement: "SELECT 1"}}}, envs, p)
	if a.Status != ApprovalSkipped || len(a.Errors) != 1 || a.Errors[0].RuleID != "bad" {
		t.Errorf("%+v", a)
	}
}

func TestApproverLabels(t *testing.T) {
	for _, tc := range []struct {
		name  string
		step  ApprovalStep
		wants string
	}{
		{"name and email", ApprovalStep{Approvers: []string{"pat@example.com"}, ApproverNames: []string{"Pat Owner"}}, "Pat Owner <pat@example.com>"},
		{"the id is the name", ApprovalStep{Approvers: []string{"ops"}, ApproverNames: []string{"ops"}}, "ops"},
		{"filed before names were kept", ApprovalStep{Approvers: []string{"a@x", "b@x"}}, "a@x|b@x"},
		{"nobody", ApprovalStep{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(tc.step.ApproverLabels(), "|"); got != tc.wants {
				t.Errorf("got %q, want %q", got, tc.wants)
			}
		})
	}
}
