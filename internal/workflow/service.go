package workflow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// SettingParallel is the workspace setting bounding how many tasks of one
// stage run at once (default 1).
const SettingParallel = "workflow.parallel"

// Event tells a face that an issue changed (Kind "changed") or that a
// running task logged a line (Kind "log").
type Event struct {
	Issue   int    `json:"issue"`
	TaskID  string `json:"taskId,omitempty"`
	Kind    string `json:"kind"`
	Message string `json:"message,omitempty"`
}

// Deps are the use-cases the workflow runs on.
type Deps struct {
	WS       *workspace.Store
	Conns    *instances.Connector
	Sync     *schemasync.Syncer
	Changes  *change.Service
	Reviewer *livereview.Reviewer
	// Scratch finds the scratch server for dry runs (compare.WorkspaceScratch).
	Scratch compare.ScratchFunc
	// Compare plans rollbacks (the diff from a change's after-snapshot to
	// its before-snapshot).
	Compare *compare.Comparer
	// Source is the change source recorded for rollouts
	// (workspace.SourceUI or workspace.SourceCLI).
	Source string
	// Clock, when set, is the time rollout windows are checked against
	// (tests inject one); time.Now otherwise.
	Clock func() time.Time
}

// Service runs the change workflow of one workspace. Safe for concurrent
// use; several processes may share the workspace (the store arbitrates).
type Service struct {
	d    Deps
	host string
	pid  int
	// Notify, when set, hears of every change (from any goroutine).
	Notify func(Event)
	// AfterTask, when set, is called once a task has finished done (after
	// its outcome is recorded), on the goroutine that ran it: GitOps writes
	// the database's LATEST schema back there. It must not fail the task.
	AfterTask func(ctx context.Context, is *Issue, t *Task)
	// Hook, when set, is called at the named points of a task run
	// ("running", "applied"): fault-injection tests kill the process there.
	Hook func(point string)

	mu        sync.Mutex
	templates map[string]*templateModel // dry-run templates' models by fingerprint
	loading   map[string]*sync.Mutex    // one template load per fingerprint at a time
}

// New returns a Service.
func New(d Deps) *Service {
	h, _ := os.Hostname()
	if d.Source == "" {
		d.Source = workspace.SourceUI
	}
	return &Service{d: d, host: h, pid: os.Getpid(), templates: map[string]*templateModel{}, loading: map[string]*sync.Mutex{}}
}

func (s *Service) notify(n int, kind, task, msg string) {
	if s.Notify != nil {
		s.Notify(Event{Issue: n, Kind: kind, TaskID: task, Message: msg})
	}
}

func (s *Service) hook(point string) {
	if s.Hook != nil {
		s.Hook(point)
	}
}

// ErrChanged is returned when an issue changed since the caller read it.
var ErrChanged = errors.New("the issue changed since it was read")

// changedError names the issue.
func changedError(n int) error {
	return &usererr.Error{Message: fmt.Sprintf("issue #%d changed since you read it: reload it and try again", n), Err: ErrChanged}
}

// Refused is an action the workflow refuses: a closed gate, a frozen plan,
// a state that does not allow it.
type Refused struct {
	Gate    string // the gate that is closed ("" when not a gate)
	Message string
}

func (e *Refused) Error() string { return e.Message }

func refuse(gate, format string, args ...any) error {
	return &usererr.Error{Message: fmt.Sprintf(format, args...), Err: &Refused{Gate: gate, Message: fmt.Sprintf(format, args...)}}
}

// Get returns an issue.
func (s *Service) Get(ctx context.Context, n int) (*Issue, error) {
	r, err := s.d.WS.GetIssue(ctx, n)
	if err != nil {
		if errors.Is(err, workspace.ErrNotFound) {
			return nil, &usererr.Error{Message: fmt.Sprintf("there is no issue #%d", n), Err: err}
		}
		return nil, err
	}
	return decode(r)
}

// List returns issue headers newest first (workspace.IssueFilter).
func (s *Service) List(ctx context.Context, f workspace.IssueFilter) ([]workspace.IssueRecord, error) {
	return s.d.WS.ListIssues(ctx, f)
}

// Count counts the issues a filter selects.
func (s *Service) Count(ctx context.Context, f workspace.IssueFilter) (int, error) {
	return s.d.WS.CountIssues(ctx, f)
}

// Runs returns an issue's task runs.
func (s *Service) Runs(ctx context.Context, n int) ([]Run, error) {
	rs, err := s.d.WS.ListIssueRuns(ctx, n)
	if err != nil {
		return nil, err
	}
	out := make([]Run, 0, len(rs))
	for _, r := range rs {
		out = append(out, decodeRun(r))
	}
	return out, nil
}

// mutate applies fn to issue n and stores the result. expect > 0 is the
// version the caller read (a different stored version is ErrChanged);
// expect == 0 is an internal transition, retried on a concurrent write.
// The state is settled (gates, done) before it is stored.
func (s *Service) mutate(ctx context.Context, n, expect int, fn func(is *Issue, envs []workspace.Environment) ([]workspace.ClaimOp, error)) (*Issue, error) {
	for attempt := 0; ; attempt++ {
		is, err := s.Get(ctx, n)
		if err != nil {
			return nil, err
		}
		if expect > 0 && is.Version != expect {
			return nil, changedError(n)
		}
		envs, err := s.d.WS.ListEnvironments(ctx)
		if err != nil {
			return nil, err
		}
		claims, err := fn(is, envs)
		if err != nil {
			return nil, err
		}
		settle(is, envs)
		rec, err := is.record()
		if err != nil {
			return nil, err
		}
		stored, err := s.d.WS.UpdateIssue(ctx, rec, claims...)
		if errors.Is(err, workspace.ErrConflict) {
			if expect > 0 {
				return nil, changedError(n)
			}
			if attempt < 20 {
				continue
			}
		}
		if err != nil {
			var ce *workspace.ClaimedError
			if errors.As(err, &ce) {
				return nil, refuse("database", "%s is busy: %v", claimTarget(is, claims), ce)
			}
			return nil, err
		}
		is.Version, is.UpdatedAt = stored.Version, stored.UpdatedAt
		s.notify(n, "changed", "", "")
		return is, nil
	}
}

func claimTarget(is *Issue, claims []workspace.ClaimOp) string {
	for _, c := range claims {
		for _, t := range is.Tasks {
			if t.ID == c.TaskID {
				return t.DatabaseName
			}
		}
	}
	return "the database"
}

func (is *Issue) log(actor User, kind, task, comment string) {
	is.Activity = append(is.Activity, Activity{At: time.Now().UTC(), Actor: actor, Kind: kind, TaskID: task, Comment: comment})
}

// ---- approval ----

// decide records the current user's decision on the issue's pending
// approval step: ApprovalApproved (the issue is approved when no step is
// left pending) or ApprovalRejected.
func (s *Service) decide(ctx context.Context, n, expect int, decision ApprovalStatus, comment string) (*Issue, error) {
	comment = strings.TrimSpace(comment)
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, n, expect, func(is *Issue, _ []workspace.Environment) ([]workspace.ClaimOp, error) {
		if is.Status != StatusOpen {
			return nil, refuse("issue", "issue #%d is %s", n, is.Status)
		}
		if is.Approval.Status != ApprovalPending {
			return nil, refuse("approval", "issue #%d does not wait for approval (approval %s)", n, is.Approval.Status)
		}
		role := ""
		for i := range is.Approval.Steps {
			if st := &is.Approval.Steps[i]; st.Status == ApprovalPending {
				if _, err := s.mayDecide(ctx, is, me, i, decision); err != nil {
					return nil, err
				}
				u := me
				role = st.Role
				st.Status, st.By, st.At, st.Comment, st.ByRole = decision, &u, time.Now().UTC(), comment, st.Role
				break
			}
		}
		is.Approval.Status = decision
		for _, st := range is.Approval.Steps {
			if decision == ApprovalApproved && st.Status == ApprovalPending {
				is.Approval.Status = ApprovalPending
			}
		}
		is.log(me, string(decision), "", comment)
		is.Activity[len(is.Activity)-1].Role = role
		return nil, nil
	})
}

// Approve approves the issue's pending step as the current user (the
// project's self-approval setting decides whether its creator may).
func (s *Service) Approve(ctx context.Context, n, expect int, comment string) (*Issue, error) {
	return s.decide(ctx, n, expect, ApprovalApproved, comment)
}

func (s *Service) mayApprove(ctx context.Context, is *Issue, me User) error {
	if is.Creator.Key() != me.Key() || is.ProjectID == "" {
		return nil
	}
	p, err := s.d.WS.GetProject(ctx, is.ProjectID)
	if err != nil {
		return err
	}
	if !p.AllowSelfApproval {
		return refuse("approval", "project %s does not allow approving your own issue: another member must approve #%d", p.Name, is.Number)
	}
	return nil
}

// Reject rejects the issue with a comment (required): it goes back to its
// creator; editing the plan requests approval again.
func (s *Service) Reject(ctx context.Context, n, expect int, comment string) (*Issue, error) {
	if strings.TrimSpace(comment) == "" {
		return nil, usererr.Invalid("comment", "say why the issue is rejected: a comment is required")
	}
	return s.decide(ctx, n, expect, ApprovalRejected, comment)
}

// SystemName is the actor of the entries Tidemark itself adds to a
// timeline.
const SystemName = "Tidemark"

// Note adds an entry by Tidemark itself to the timeline (kind names it, as
// "latest_written"; task is the task it is about, or "").
func (s *Service) Note(ctx context.Context, n int, kind, task, text string) (*Issue, error) {
	return s.mutate(ctx, n, 0, func(is *Issue, _ []workspace.Environment) ([]workspace.ClaimOp, error) {
		is.log(User{Name: SystemName}, kind, task, text)
		return nil, nil
	})
}

// Comment adds a comment to the timeline.
func (s *Service) Comment(ctx context.Context, n int, comment string) (*Issue, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return nil, usererr.Invalid("comment", "the comment is empty")
	}
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, n, 0, func(is *Issue, _ []workspace.Environment) ([]workspace.ClaimOp, error) {
		is.log(me, "comment", "", comment)
		return nil, nil
	})
}

// ---- task actions ----

// ForceRollout records "roll out anyway" past the checks' warnings of the
// tasks named (all tasks when taskRef is empty), with a required comment.
func (s *Service) ForceRollout(ctx context.Context, n, expect int, taskRef, comment string) (*Issue, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return nil, usererr.Invalid("comment", "rolling out past warnings needs a comment saying why")
	}
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, n, expect, func(is *Issue, _ []workspace.Environment) ([]workspace.ClaimOp, error) {
		ts, err := pick(is, taskRef)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if !t.frozen() {
				t.Forced = &Ack{By: me, At: time.Now().UTC(), Comment: comment}
				is.log(me, "forced", t.ID, comment)
			}
		}
		return nil, nil
	})
}

func pick(is *Issue, ref string) ([]*Task, error) {
	if ref == "" {
		return is.Tasks, nil
	}
	t := is.Task(ref)
	if t == nil {
		return nil, usererr.Invalid("task", "issue #%d has no task for %q", is.Number, ref)
	}
	return []*Task{t}, nil
}

// onTasks runs fn, as the current user, on the tasks taskRef names (all
// when empty) of an open issue.
func (s *Service) onTasks(ctx context.Context, n, expect int, taskRef string, fn func(is *Issue, ts []*Task, me User) error) (*Issue, error) {
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, n, expect, func(is *Issue, _ []workspace.Environment) ([]workspace.ClaimOp, error) {
		if is.Status != StatusOpen {
			return nil, refuse("issue", "issue #%d is %s", n, is.Status)
		}
		ts, err := pick(is, taskRef)
		if err != nil {
			return nil, err
		}
		return nil, fn(is, ts, me)
	})
}

// move sets the tasks whose status from allows to status to, logging kind,
// and returns how many moved.
func move(is *Issue, ts []*Task, me User, to TaskStatus, reason, kind string, from ...TaskStatus) int {
	k := 0
	for _, t := range ts {
		for _, f := range from {
			if t.Status == f {
				t.Status, t.Reason = to, reason
				is.log(me, kind, t.ID, reason)
				k++
				break
			}
		}
	}
	return k
}

// Skip skips tasks that have not run to completion, with a reason.
func (s *Service) Skip(ctx context.Context, n, expect int, taskRef, reason string) (*Issue, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, usererr.Invalid("reason", "say why the task is skipped: a reason is required")
	}
	return s.onTasks(ctx, n, expect, taskRef, func(is *Issue, ts []*Task, me User) error {
		if move(is, ts, me, TaskSkipped, reason, "task_skipped", TaskNotStarted, TaskPending, TaskFailed, TaskCanceled) == 0 {
			return refuse("", "no task of issue #%d can be skipped (running and done tasks cannot)", is.Number)
		}
		return nil
	})
}

// Cancel cancels tasks that have not started (taskRef names one; empty:
// the whole issue, which becomes canceled).
func (s *Service) Cancel(ctx context.Context, n, expect int, taskRef, reason string) (*Issue, error) {
	reason = strings.TrimSpace(reason)
	return s.onTasks(ctx, n, expect, taskRef, func(is *Issue, ts []*Task, me User) error {
		for _, t := range ts {
			if t.Status == TaskRunning {
				return refuse("", "the task on %s is running and cannot be canceled", t.DatabaseName)
			}
		}
		k := move(is, ts, me, TaskCanceled, reason, "task_canceled", TaskNotStarted, TaskPending, TaskFailed)
		if taskRef == "" {
			is.Status = StatusCanceled
			is.log(me, "canceled", "", reason)
			return nil
		}
		if k == 0 {
			return refuse("", "the task on %s is %s and cannot be canceled", ts[0].DatabaseName, ts[0].Status)
		}
		return nil
	})
}

// Retry puts failed or canceled tasks back in line (they start when their
// gates open, or at once with Rollout).
func (s *Service) Retry(ctx context.Context, n, expect int, taskRef string) (*Issue, error) {
	return s.onTasks(ctx, n, expect, taskRef, func(is *Issue, ts []*Task, me User) error {
		if move(is, ts, me, TaskNotStarted, "", "task_retry", TaskFailed, TaskCanceled) == 0 {
			return refuse("", "no failed or canceled task to retry in issue #%d", is.Number)
		}
		return nil
	})
}

// parallel is the number of tasks of a stage run at once.
func (s *Service) parallel(ctx context.Context) int {
	v, ok, err := s.d.WS.Setting(ctx, SettingParallel)
	if err != nil || !ok {
		return 1
	}
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n < 1 {
		return 1
	}
	return min(n, 16)
}

const versionLayout = "20060102150405"

// suggestVersion is the default version of a new issue's tasks: the current
// UTC time to the second, moved past every timestamp version already
// recorded for, or planned by an open issue on, one of the databases, so two
// issues created in the same second (a CI job filing several files) never
// collide.
func (s *Service) suggestVersion(ctx context.Context, databaseIDs []string) (string, error) {
	v := time.Now().UTC().Truncate(time.Second)
	bump := func(used string) {
		if t, err := time.Parse(versionLayout, used); err == nil && !t.Before(v) {
			v = t.Add(time.Second)
		}
	}
	for _, id := range databaseIDs {
		changes, err := s.d.WS.ListChanges(ctx, id)
		if err != nil {
			return "", fmt.Errorf("suggest a version: %w", err)
		}
		for _, c := range changes {
			bump(c.Version)
		}
		recs, err := s.d.WS.ListIssues(ctx, workspace.IssueFilter{Database: id, Status: string(StatusOpen), WithBody: true, Limit: 1000})
		if err != nil {
			return "", fmt.Errorf("suggest a version: %w", err)
		}
		for _, r := range recs {
			is, err := decode(r)
			if err != nil {
				return "", err
			}
			for _, t := range is.Tasks {
				if t.DatabaseID == id {
					bump(t.Version)
				}
			}
		}
	}
	return v.Format(versionLayout), nil
}

func checkVersion(v string) error {
	if _, err := migrate.ParseVersion(v); err != nil {
		return usererr.Invalid("version", "version %q: %v", v, err)
	}
	return nil
}
