package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// runLimit bounds one background rollout (the runner's statement_timeout
// is 30 min per statement; an issue may run several tasks).
const runLimit = 2 * time.Hour

// IssueService binds the change workflow (internal/workflow): issues,
// checks, approval, rollout. It maps arguments and results and emits the
// "issue" event ({issue, kind, taskId, message}); the workflow decides.
type IssueService struct{ a *App }

// IssueEvent is the payload of the "issue" event: kind "changed" (reload
// the issue), "log" (a running task logged a line) or "error" (background
// work failed: message is the one-line error).
type IssueEvent struct {
	Issue   int    `json:"issue"`
	Kind    string `json:"kind"`
	TaskID  string `json:"taskId"`
	Message string `json:"message"`
}

func (a *App) issueEvent(e workflow.Event) {
	a.emit("issue", IssueEvent{Issue: e.Issue, Kind: e.Kind, TaskID: e.TaskID, Message: e.Message})
}

// reconcileIssues settles the tasks a dead process left running.
func (a *App) reconcileIssues(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if _, err := a.workflow.Reconcile(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "tidemark: reconcile issues:", oneLine(err))
	}
}

// background runs fn detached from the call (the UI follows events), as
// work Shutdown cancels and waits for; a failure is reported as an "error"
// event of the issue.
func (s *IssueService) background(n int, fn func(ctx context.Context) error) {
	s.a.goWork(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, runLimit)
		defer cancel()
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			s.a.emit("issue", IssueEvent{Issue: n, Kind: "error", Message: oneLine(err)})
		}
		s.a.recheckIssueDatabases(ctx, n)
	})
}

// checkAndAdvance runs the checks, then the automatic rollouts, in the background.
func (s *IssueService) checkAndAdvance(n int) {
	s.background(n, func(ctx context.Context) error {
		if _, err := s.a.workflow.Check(ctx, n); err != nil {
			return err
		}
		_, err := s.a.workflow.Advance(ctx, n)
		return err
	})
}

// advance runs the automatic rollouts in the background.
func (s *IssueService) advance(n int) {
	s.background(n, func(ctx context.Context) error {
		_, err := s.a.workflow.Advance(ctx, n)
		return err
	})
}

func issueHeader(r workspace.IssueRecord) IssueHeader {
	envs := r.Environments
	if envs == nil {
		envs = []string{}
	}
	return IssueHeader{Number: r.Number, Title: r.Title, Type: r.Type, Status: r.Status, Approval: r.Approval, Rollout: r.Rollout,
		ProjectID: r.ProjectID, Creator: r.Creator, Environments: envs, CreatedAt: rfc3339(r.CreatedAt), UpdatedAt: rfc3339(r.UpdatedAt)}
}

func filterIn(f IssueFilter) workspace.IssueFilter {
	return workspace.IssueFilter{Status: f.Status, ProjectID: f.ProjectID, Type: f.Type, Environment: f.Environment, Database: f.Database,
		Creator: f.Creator, Approval: f.Approval, Rollout: f.Rollout, Search: f.Search, Before: f.Before, Limit: f.Limit}
}

func (s *IssueService) list(ctx context.Context, f workspace.IssueFilter) ([]IssueHeader, error) {
	recs, err := s.a.workflow.List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]IssueHeader, 0, len(recs))
	for _, r := range recs {
		out = append(out, issueHeader(r))
	}
	return out, nil
}

// List returns issue headers newest first and the number the filter selects.
func (s *IssueService) List(f IssueFilter) (IssueList, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	wf := filterIn(f)
	items, err := s.list(ctx, wf)
	if err != nil {
		return IssueList{}, fail(err)
	}
	total, err := s.a.workflow.Count(ctx, wf)
	if err != nil {
		return IssueList{}, fail(err)
	}
	return IssueList{Items: items, Total: total}, nil
}

// Home returns the home page's lists.
func (s *IssueService) Home() (HomeIssues, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	me, err := s.a.workflow.User(ctx)
	if err != nil {
		return HomeIssues{}, fail(err)
	}
	open := string(workflow.StatusOpen)
	var h HomeIssues
	for _, q := range []struct {
		dst *[]IssueHeader
		f   workspace.IssueFilter
	}{
		{&h.WaitingApproval, workspace.IssueFilter{Status: open, Approval: string(workflow.ApprovalPending), Limit: 20}},
		{&h.WaitingRollout, workspace.IssueFilter{Status: open, Rollout: "ready", Limit: 20}},
		{&h.Mine, workspace.IssueFilter{Status: open, Creator: me.Key(), Limit: 20}},
		{&h.RecentlyDone, workspace.IssueFilter{Status: string(workflow.StatusDone), Limit: 10}},
	} {
		if *q.dst, err = s.list(ctx, q.f); err != nil {
			return HomeIssues{}, fail(err)
		}
	}
	return h, nil
}

// Get returns the issue's report: checks per database, stages with tasks,
// gates and runs, the activity.
func (s *IssueService) Get(n int) (*workflow.Report, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	r, err := s.a.workflow.Report(ctx, n)
	return r, fail(err)
}

// CreateSchemaChange creates a schema (or data) change issue and runs its
// checks in the background. It returns the issue number.
func (s *IssueService) CreateSchemaChange(req SchemaChangeRequest) (int, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	typ := workflow.Type(req.Type)
	if typ == "" {
		typ = workflow.TypeSchemaChange
	}
	is, err := s.a.workflow.Create(ctx, workflow.CreateRequest{Type: typ, Title: req.Title, Description: req.Description, ProjectID: req.ProjectID,
		DatabaseIDs: req.DatabaseIDs, SQL: req.SQL, PerDatabase: req.PerDatabase, Version: req.Version})
	if err != nil {
		return 0, fail(err)
	}
	s.checkAndAdvance(is.Number)
	return is.Number, nil
}

// CreateDatabase creates a create_database issue and runs its checks in
// the background. It returns the issue number.
func (s *IssueService) CreateDatabase(req CreateDatabaseRequest) (int, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	is, err := s.a.workflow.Create(ctx, workflow.CreateRequest{Type: workflow.TypeCreateDatabase, ProjectID: req.ProjectID,
		CreateDatabase: &workflow.NewDatabase{InstanceID: req.InstanceID, Name: req.Name, Owner: req.Owner, Encoding: req.Encoding,
			EnvironmentID: req.EnvironmentID, ProjectID: req.ProjectID}})
	if err != nil {
		return 0, fail(err)
	}
	s.checkAndAdvance(is.Number)
	return is.Number, nil
}

// Approve approves the pending step (version: the one the caller read).
func (s *IssueService) Approve(n, version int, comment string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if _, err := s.a.workflow.Approve(ctx, n, version, comment); err != nil {
		return fail(err)
	}
	s.advance(n)
	return nil
}

// Reject rejects the issue with a comment.
func (s *IssueService) Reject(n, version int, comment string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	_, err := s.a.workflow.Reject(ctx, n, version, comment)
	return fail(err)
}

// Comment adds a comment to the timeline.
func (s *IssueService) Comment(n int, comment string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	_, err := s.a.workflow.Comment(ctx, n, comment)
	return fail(err)
}

// UpdatePlan replaces the SQL of a task (all tasks when taskID is empty);
// the checks run again in the background.
func (s *IssueService) UpdatePlan(n, version int, taskID, sql, newVersion string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if _, err := s.a.workflow.UpdatePlan(ctx, n, version, taskID, sql, newVersion); err != nil {
		return fail(err)
	}
	s.checkAndAdvance(n)
	return nil
}

// Rollout starts the tasks of a stage, one task, or (both empty) every
// task whose gates are open. A request that cannot start anything is
// refused at once; the run goes on in the background ("issue" events).
func (s *IssueService) Rollout(n, version int, stage, taskID string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	req := workflow.RolloutRequest{Issue: n, Version: version, Stage: stage, Task: taskID}
	if err := s.a.workflow.CanRollout(ctx, req); err != nil {
		return fail(err)
	}
	s.background(n, func(ctx context.Context) error {
		_, err := s.a.workflow.Rollout(ctx, req)
		return err
	})
	return nil
}

// ForceRollout records "roll out anyway" past the checks' warnings.
func (s *IssueService) ForceRollout(n, version int, taskID, comment string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if _, err := s.a.workflow.ForceRollout(ctx, n, version, taskID, comment); err != nil {
		return fail(err)
	}
	s.advance(n)
	return nil
}

// Retry puts a failed or canceled task back in line.
func (s *IssueService) Retry(n, version int, taskID, reason string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if _, err := s.a.workflow.Retry(ctx, n, version, taskID); err != nil {
		return fail(err)
	}
	s.checkAndAdvance(n)
	return nil
}

// Skip skips a task with a reason.
func (s *IssueService) Skip(n, version int, taskID, reason string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if _, err := s.a.workflow.Skip(ctx, n, version, taskID, reason); err != nil {
		return fail(err)
	}
	s.advance(n)
	return nil
}

// Cancel cancels a task (taskID empty: the whole issue).
func (s *IssueService) Cancel(n, version int, taskID, reason string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	_, err := s.a.workflow.Cancel(ctx, n, version, taskID, reason)
	return fail(err)
}

// PlanRollback shows the SQL that undoes a done schema change and what it loses.
func (s *IssueService) PlanRollback(databaseID, changeID string, rebase bool) (RollbackPlan, error) {
	ctx, cancel := s.a.call(syncLimit)
	defer cancel()
	p, err := s.a.workflow.PlanRollback(ctx, databaseID, changeID, rebase)
	if err != nil {
		return RollbackPlan{}, fail(err)
	}
	hz := p.Hazards
	if hz == nil {
		hz = []string{}
	}
	return RollbackPlan{Change: changeOut(p.Change), SQL: p.SQL, Hazards: hz, Rebased: p.Rebased}, nil
}

// Rollback creates the issue that undoes a done schema change; it returns
// the issue number.
func (s *IssueService) Rollback(databaseID, changeID string, rebase bool) (int, error) {
	ctx, cancel := s.a.call(syncLimit)
	defer cancel()
	is, err := s.a.workflow.Rollback(ctx, databaseID, changeID, rebase)
	if err != nil {
		return 0, fail(err)
	}
	s.checkAndAdvance(is.Number)
	return is.Number, nil
}

// ProjectChanges lists the change history of a project's databases, newest first.
func (s *IssueService) ProjectChanges(projectID string) ([]Change, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	cs, err := s.a.ws.ListProjectChanges(ctx, projectID, 200)
	if err != nil {
		return nil, fail(err)
	}
	return changesOut(cs), nil
}

// User returns the workspace user (Settings; default: the OS user and git config).
func (s *IssueService) User() (WorkspaceUser, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	u, err := s.a.workflow.User(ctx)
	if err != nil {
		return WorkspaceUser{}, fail(err)
	}
	return WorkspaceUser{Name: u.Name, Email: u.Email}, nil
}

// SetUser stores the workspace user (an empty name goes back to the default).
func (s *IssueService) SetUser(name, email string) (WorkspaceUser, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	u, err := s.a.workflow.SetUser(ctx, workflow.User{Name: name, Email: email})
	if err != nil {
		return WorkspaceUser{}, fail(err)
	}
	return WorkspaceUser{Name: u.Name, Email: u.Email}, nil
}
