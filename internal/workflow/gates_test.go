package workflow

import (
	"testing"

	"github.com/tidemark-dev/tidemark/internal/workspace"
)

var envs = []workspace.Environment{{ID: "test", Name: "Test", Position: 0}, {ID: "prod", Name: "Prod", Position: 1, Protected: true}}

func ok(kind CheckKind) Check   { return Check{Kind: kind, Status: CheckSuccess} }
func warn(kind CheckKind) Check { return Check{Kind: kind, Status: CheckWarning} }

// issue2 is an issue with a test task t1 and a prod task t2.
func issue2(mod func(is *Issue)) *Issue {
	is := &Issue{Number: 1, Status: StatusOpen, Tasks: []*Task{
		{ID: "t1", EnvironmentID: "test", DatabaseName: "a", Statement: "CREATE TABLE a (id int)", Status: TaskNotStarted, Checks: []Check{ok(CheckSyntax)}},
		{ID: "t2", EnvironmentID: "prod", DatabaseName: "b", Statement: "CREATE TABLE b (id int)", Status: TaskNotStarted, Checks: []Check{ok(CheckSyntax)}},
	}}
	is.Approval = assess(is, envs, presetPolicy())
	if mod != nil {
		mod(is)
	}
	return is
}

func TestGatesAndSettle(t *testing.T) {
	for _, c := range []struct {
		name   string
		mod    func(is *Issue)
		t1, t2 TaskStatus
		gate   string // the first closed gate of t2 ("" open)
		status Status
	}{
		{"approval pending closes every stage", nil, TaskNotStarted, TaskNotStarted, "approval", StatusOpen},
		{"approved: test ready, prod waits for test", func(is *Issue) { is.Approval.Status = ApprovalApproved }, TaskPending, TaskNotStarted, "stage", StatusOpen},
		{"test done: prod ready", func(is *Issue) { is.Approval.Status = ApprovalApproved; is.Tasks[0].Status = TaskDone }, TaskDone, TaskPending, "", StatusOpen},
		{"test skipped counts as through", func(is *Issue) { is.Approval.Status = ApprovalApproved; is.Tasks[0].Status = TaskSkipped }, TaskSkipped, TaskPending, "", StatusOpen},
		{"test failed holds prod", func(is *Issue) { is.Approval.Status = ApprovalApproved; is.Tasks[0].Status = TaskFailed }, TaskFailed, TaskNotStarted, "stage", StatusOpen},
		{"rejected", func(is *Issue) { is.Approval.Status = ApprovalRejected; is.Tasks[0].Status = TaskDone }, TaskDone, TaskNotStarted, "approval", StatusOpen},
		{"checks running", func(is *Issue) {
			is.Approval.Status = ApprovalApproved
			is.Tasks[1].Checks = []Check{{Kind: CheckSyntax, Status: CheckRunning}}
			is.Tasks[0].Status = TaskDone
		}, TaskDone, TaskNotStarted, "checks", StatusOpen},
		{"checks error", func(is *Issue) {
			is.Approval.Status = ApprovalApproved
			is.Tasks[1].Checks = []Check{{Kind: CheckDryRun, Status: CheckError}}
			is.Tasks[0].Status = TaskDone
		}, TaskDone, TaskNotStarted, "checks", StatusOpen},
		{"warnings need roll out anyway", func(is *Issue) {
			is.Approval.Status = ApprovalApproved
			is.Tasks[1].Checks = []Check{warn(CheckReview)}
			is.Tasks[0].Status = TaskDone
		}, TaskDone, TaskNotStarted, "checks", StatusOpen},
		{"warnings with roll out anyway", func(is *Issue) {
			is.Approval.Status = ApprovalApproved
			is.Tasks[1].Checks, is.Tasks[1].Forced = []Check{warn(CheckReview)}, &Ack{Comment: "ok"}
			is.Tasks[0].Status = TaskDone
		}, TaskDone, TaskPending, "", StatusOpen},
		{"no checks yet", func(is *Issue) {
			is.Approval.Status = ApprovalApproved
			is.Tasks[1].Checks = nil
			is.Tasks[0].Status = TaskDone
		}, TaskDone, TaskNotStarted, "checks", StatusOpen},
		{"all done: issue done", func(is *Issue) { is.Tasks[0].Status, is.Tasks[1].Status = TaskDone, TaskSkipped }, TaskDone, TaskSkipped, "issue", StatusDone},
		{"canceled issue opens nothing", func(is *Issue) { is.Approval.Status = ApprovalApproved; is.Status = StatusCanceled }, TaskNotStarted, TaskNotStarted, "issue", StatusCanceled},
		{"running stays running", func(is *Issue) { is.Approval.Status = ApprovalApproved; is.Tasks[0].Status = TaskRunning }, TaskRunning, TaskNotStarted, "stage", StatusOpen},
	} {
		t.Run(c.name, func(t *testing.T) {
			is := issue2(c.mod)
			settle(is, envs)
			if is.Tasks[0].Status != c.t1 || is.Tasks[1].Status != c.t2 || is.Status != c.status {
				t.Fatalf("after settle: t1 %s, t2 %s, issue %s; want %s, %s, %s", is.Tasks[0].Status, is.Tasks[1].Status, is.Status, c.t1, c.t2, c.status)
			}
			g, closedOne := closed(Gates(is, is.Tasks[1], envs))
			if got := map[bool]string{true: g.Name, false: ""}[closedOne]; got != c.gate {
				t.Fatalf("t2's first closed gate = %q (%s), want %q", got, g.Reason, c.gate)
			}
			if closedOne && is.Tasks[1].Status == TaskNotStarted && is.Tasks[1].Reason != g.Reason {
				t.Fatalf("t2's reason %q is not its gate's %q", is.Tasks[1].Reason, g.Reason)
			}
		})
	}
}

func TestRequiredApproval(t *testing.T) {
	testOnly := &Issue{Tasks: []*Task{{EnvironmentID: "test", Statement: "CREATE TABLE a (id int)"}}}
	if a := assess(testOnly, envs, presetPolicy()); a.Status != ApprovalSkipped || len(a.Steps) != 0 || a.Risk != "low" {
		t.Fatalf("test only = %+v", a)
	}
	if a := assess(issue2(nil), envs, presetPolicy()); a.Status != ApprovalPending || len(a.Steps) != 1 || a.Steps[0].Role != "project_owner" {
		t.Fatalf("with prod = %+v", a)
	}
}

func TestRolloutPolicyFollowsProduction(t *testing.T) {
	for _, c := range []struct {
		e    workspace.Environment
		want string
	}{
		{workspace.Environment{}, workspace.RolloutAutomatic},
		{workspace.Environment{Protected: true}, workspace.RolloutManual},
		{workspace.Environment{Protected: true, Rollout: workspace.RolloutAutomatic}, workspace.RolloutAutomatic},
		{workspace.Environment{Rollout: workspace.RolloutManual}, workspace.RolloutManual},
	} {
		if got := c.e.RolloutPolicy(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.e, got, c.want)
		}
	}
}
