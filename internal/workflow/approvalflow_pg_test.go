package workflow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/risk"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// team adds the tutorial's members: Ann (the first, Workspace Admin), Bob
// (Project Owner of the shop), Dee (DBA) and Rae (Releaser).
func (f fixture) team(t *testing.T) map[string]context.Context {
	t.Helper()
	ctx := context.Background()
	if _, err := f.wf.Member(ctx); err != nil { // Ann, the workspace user, is the first member
		t.Fatal(err)
	}
	out := map[string]context.Context{"ann": ctx}
	for _, m := range []struct {
		name string
		role workspace.MemberRole
	}{
		{"Bob", workspace.MemberRole{Role: risk.RoleProjectOwner, ProjectID: f.project.ID}},
		{"Dee", workspace.MemberRole{Role: risk.RoleDBA}},
		{"Rae", workspace.MemberRole{Role: risk.RoleReleaser, ProjectID: f.project.ID}},
	} {
		email := strings.ToLower(m.name) + "@example.com"
		if _, err := f.WS.AddMember(ctx, m.name, email, []workspace.MemberRole{m.role}); err != nil {
			t.Fatal(err)
		}
		out[strings.ToLower(m.name)] = workflow.WithActor(ctx, workflow.User{Name: m.name, Email: email})
	}
	return out
}

// The Bitbucket tutorial's setup: DDL in prod is high risk, high risk
// needs "Project Owner → DBA"; an issue matching it needs two approvals in
// order, each by a member holding the step's role; then a Releaser rolls
// it out (manual prod, rollout limited to Releasers).
func TestTutorialApprovalFlow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	as := f.team(t)
	if _, _, err := f.wf.SaveRiskRule(ctx, risk.Rule{Title: "DDL in prod", Source: risk.SourceSchemaChange, Level: risk.High,
		Condition: `environment_id == "prod"`, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WS.SetRolloutPolicy(ctx, workspace.RolloutPolicy{EnvironmentID: "prod", Mode: workspace.RolloutManual, Roles: []string{risk.RoleReleaser}}); err != nil {
		t.Fatal(err)
	}
	d := f.database(t, `CREATE TABLE employee (id int PRIMARY KEY)`, true)
	is := f.ready(t, d, `ALTER TABLE "public"."employee" ADD COLUMN "nick_name" text NOT NULL DEFAULT '';`, "")
	a := is.Approval
	if a.Status != workflow.ApprovalPending || a.Risk != risk.High || a.TemplateTitle != "Project Owner → DBA" || len(a.Steps) != 2 ||
		a.Steps[0].Role != risk.RoleProjectOwner || a.Steps[1].Role != risk.RoleDBA || strings.Join(a.Steps[0].Approvers, ",") != "bob@example.com" {
		t.Fatalf("flow = %+v", a)
	}
	if len(a.Matched) == 0 || a.Matched[0].Title != "DDL in prod" || is.Task("t1").Risk.Level != risk.High {
		t.Fatalf("matched = %+v", a.Matched)
	}
	// Out of order, or without the role: refused, naming the role.
	for who, want := range map[string]string{"dee": "needs the role Project Owner", "rae": "needs the role Project Owner", "ann": "needs the role Project Owner"} {
		if _, err := f.wf.Approve(as[who], is.Number, 0, ""); refusedGate(t, err) != "approval" || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s approving step 1: %v", who, err)
		}
	}
	is, err := f.wf.Approve(as["bob"], is.Number, 0, "owner ok")
	if err != nil || is.Approval.Status != workflow.ApprovalPending || is.Approval.Steps[0].ByRole != risk.RoleProjectOwner {
		t.Fatalf("bob approves step 1: %+v %v", is.Approval, err)
	}
	if _, err := f.wf.Approve(as["bob"], is.Number, 0, ""); err == nil || !strings.Contains(err.Error(), "needs the role DBA") {
		t.Fatalf("bob approving step 2: %v", err)
	}
	if err := f.wf.CanRollout(ctx, workflow.RolloutRequest{Issue: is.Number}); refusedGate(t, err) != "approval" {
		t.Fatalf("rollout after one of two approvals: %v", err)
	}
	if is, err = f.wf.Approve(as["dee"], is.Number, 0, "dba ok"); err != nil || is.Approval.Status != workflow.ApprovalApproved {
		t.Fatalf("dee approves step 2: %+v %v", is.Approval, err)
	}
	last := is.Activity[len(is.Activity)-1]
	if last.Kind != "approved" || last.Role != risk.RoleDBA || last.Actor.Name != "Dee" {
		t.Fatalf("timeline records the role: %+v", last)
	}
	// Only a Releaser may roll out to prod.
	if _, err := f.wf.Rollout(as["dee"], workflow.RolloutRequest{Issue: is.Number}); refusedGate(t, err) != "rollout" || !strings.Contains(err.Error(), "Releaser") {
		t.Fatalf("dee rolls out: %v", err)
	}
	if is, err = f.wf.Rollout(as["rae"], workflow.RolloutRequest{Issue: is.Number}); err != nil || is.Status != workflow.StatusDone {
		t.Fatalf("rae rolls out: %v %+v", err, is)
	}
	found := false
	for _, ac := range is.Activity {
		found = found || (ac.Kind == "rollout" && ac.Actor.Name == "Rae" && ac.Role == risk.RoleReleaser)
	}
	if !found {
		t.Error("the rollout is not recorded with the member and role")
	}
}

// Self-approval off, distinct approvers on, re-request after a plan
// change, a rule change re-evaluating an open issue, a non-member refused.
func TestApprovalSettings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	as := f.team(t)
	// Bob also becomes a DBA: one member could approve both steps.
	if _, err := f.WS.GrantRole(ctx, "bob", workspace.MemberRole{Role: risk.RoleDBA}); err != nil {
		t.Fatal(err)
	}
	if err := f.WS.SetDistinctApprovers(ctx, f.project.ID, true); err != nil {
		t.Fatal(err)
	}
	d := f.database(t, `CREATE TABLE employee (id int PRIMARY KEY)`, false)
	is, err := f.wf.Create(as["bob"], workflow.CreateRequest{DatabaseIDs: []string{d.ID}, SQL: "DROP TABLE employee;"})
	if err != nil {
		t.Fatal(err)
	}
	if is.Approval.Risk != risk.High || len(is.Approval.Steps) != 2 {
		t.Fatalf("drop table = %+v", is.Approval)
	}
	// Self-approval is allowed by default: Bob approves step 1 of his own issue.
	if is, err = f.wf.Approve(as["bob"], is.Number, 0, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.wf.Approve(as["bob"], is.Number, 0, ""); refusedGate(t, err) != "approval" || !strings.Contains(err.Error(), "different approver") {
		t.Fatalf("bob approving both steps: %v", err)
	}
	// The plan changes: approval is requested again, every step pending.
	if is, err = f.wf.UpdatePlan(as["bob"], is.Number, 0, "", "DROP TABLE IF EXISTS employee;", ""); err != nil {
		t.Fatal(err)
	}
	if is.Approval.Status != workflow.ApprovalPending || is.Approval.Steps[0].Status != workflow.ApprovalPending || is.Approval.Steps[0].By != nil {
		t.Fatalf("after the plan changed: %+v", is.Approval)
	}
	// Self-approval off: Bob may not approve his own issue.
	if _, err := f.WS.SetProjectSelfApproval(ctx, f.project.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.wf.Approve(as["bob"], is.Number, 0, ""); err == nil || !strings.Contains(err.Error(), "your own issue") {
		t.Fatalf("self-approval off: %v", err)
	}
	// A rule change re-evaluates the open issue: dropping tables becomes
	// moderate (one step), logged, and nothing is approved by it.
	rules, _ := f.WS.ListRiskRules(ctx)
	for _, r := range rules {
		if r.ID == "schema_change.drop-table" {
			r.Level = risk.Moderate
			changed, err := func() ([]int, error) { _, ns, err := f.wf.SaveRiskRule(ctx, r); return ns, err }()
			if err != nil || len(changed) != 1 || changed[0] != is.Number {
				t.Fatalf("re-evaluated %v %v", changed, err)
			}
		}
	}
	is, _ = f.wf.Get(ctx, is.Number)
	last := is.Activity[len(is.Activity)-1]
	if is.Approval.Status != workflow.ApprovalPending || len(is.Approval.Steps) != 1 || last.Kind != "approval_reevaluated" || !strings.Contains(last.Comment, "drop-table") && !strings.Contains(last.Comment, "Drop table") {
		t.Fatalf("after the rule change: %+v, %+v", is.Approval, last)
	}
	// A user who is not a member cannot approve.
	stranger := workflow.WithActor(ctx, workflow.User{Name: "Zed", Email: "zed@example.com"})
	if _, err := f.wf.Approve(stranger, is.Number, 0, ""); refusedGate(t, err) != "member" {
		t.Fatalf("stranger: %v", err)
	}
}

// Rollout windows with an injected clock: outside the window a manual
// rollout is refused naming the window and an automatic one waits.
func TestRolloutWindow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC) // a Saturday
	d := deps(f.WS, f.Fixture, srv.AdminURL)
	d.Clock = func() time.Time { return clock }
	f.wf = workflow.New(d)
	if _, err := f.WS.SetRolloutPolicy(ctx, workspace.RolloutPolicy{EnvironmentID: "test", Mode: workspace.RolloutAutomatic, Roles: workspace.DefaultRolloutRoles,
		Window: &workspace.Window{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Start: "09:00", End: "17:00"}}); err != nil {
		t.Fatal(err)
	}
	db := f.database(t, "", false)
	is := f.ready(t, db, "CREATE TABLE a (id int PRIMARY KEY);", "")
	if is, _ = f.wf.Advance(ctx, is.Number); is.Task("t1").Status != workflow.TaskPending {
		t.Fatalf("automatic rollout outside the window: %s", is.Task("t1").Status)
	}
	if _, err := f.wf.Rollout(ctx, workflow.RolloutRequest{Issue: is.Number}); refusedGate(t, err) != "window" || !strings.Contains(err.Error(), "mon,tue,wed,thu,fri 09:00–17:00") {
		t.Fatalf("rollout outside the window: %v", err)
	}
	clock = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC) // Monday 10:00
	if is, _ = f.wf.Advance(ctx, is.Number); is.Status != workflow.StatusDone {
		t.Fatalf("inside the window: %s %s", is.Status, is.Task("t1").Status)
	}
}

// Who may change what: members are managed by a Workspace Admin; risk
// rules, approval rules and rollout policies by a Workspace Admin or a DBA.
func TestWhoMayChangeRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	as := f.team(t)
	rule := risk.Rule{Title: "Billing", Source: risk.SourceSchemaChange, Level: risk.High, Condition: `table_name.startsWith("billing_")`, Enabled: true}
	if _, _, err := f.wf.SaveRiskRule(as["bob"], rule); refusedGate(t, err) != "role" || !strings.Contains(err.Error(), "needs the role Workspace Admin or DBA") {
		t.Fatalf("a project owner changes a risk rule: %v", err)
	}
	if _, _, err := f.wf.SaveRiskRule(as["dee"], rule); err != nil {
		t.Fatalf("a DBA changes a risk rule: %v", err)
	}
	if _, err := f.wf.AddMember(as["dee"], "Zed", "zed@example.com", nil); refusedGate(t, err) != "role" || !strings.Contains(err.Error(), "Workspace Admin") {
		t.Fatalf("a DBA adds a member: %v", err)
	}
	if _, err := f.wf.GrantRole(as["rae"], "rae", workspace.MemberRole{Role: risk.RoleDBA}); refusedGate(t, err) != "role" {
		t.Fatalf("a releaser grants themself DBA: %v", err)
	}
	if _, err := f.wf.SetRolloutPolicy(as["rae"], workspace.RolloutPolicy{EnvironmentID: "prod", Mode: "manual", Roles: []string{risk.RoleReleaser}}); refusedGate(t, err) != "role" {
		t.Fatalf("a releaser changes the rollout policy: %v", err)
	}
	if _, err := f.wf.AddMember(ctx, "Zed", "zed@example.com", nil); err != nil {
		t.Fatalf("the Workspace Admin adds a member: %v", err)
	}
}
