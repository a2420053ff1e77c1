package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// LogLine is one line of a task run's log.
type LogLine struct {
	At      time.Time `json:"at"`
	Message string    `json:"message"`
}

// StatementRun is one statement of a run with its duration.
type StatementRun struct {
	N          int     `json:"n"`
	Line       int     `json:"line"`
	DurationMS float64 `json:"durationMs"`
}

// Run is one attempt to run a task.
type Run struct {
	ID         string         `json:"id"`
	TaskID     string         `json:"taskId"`
	Attempt    int            `json:"attempt"`
	Status     string         `json:"status"` // running, done, failed
	StartedAt  time.Time      `json:"startedAt"`
	FinishedAt time.Time      `json:"finishedAt,omitempty"`
	Log        []LogLine      `json:"log"`
	Statements []StatementRun `json:"statements"`
	Error      *Failure       `json:"error,omitempty"`
}

type runBody struct {
	Log        []LogLine      `json:"log"`
	Statements []StatementRun `json:"statements"`
	Error      *Failure       `json:"error,omitempty"`
}

func decodeRun(r workspace.IssueRun) Run {
	var b runBody
	_ = json.Unmarshal(r.Body, &b)
	if b.Log == nil {
		b.Log = []LogLine{}
	}
	if b.Statements == nil {
		b.Statements = []StatementRun{}
	}
	return Run{ID: r.ID, TaskID: r.TaskID, Attempt: r.Attempt, Status: r.Status, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		Log: b.Log, Statements: b.Statements, Error: b.Error}
}

// RolloutRequest names what to roll out: the tasks of one stage
// (environment id or name), one task, or (both empty) every task whose
// gates are open.
type RolloutRequest struct {
	Issue   int
	Version int // the version the caller read (0: the latest)
	Stage   string
	Task    string
}

// scope returns the tasks a request names.
func scope(is *Issue, envs []workspace.Environment, req RolloutRequest) ([]*Task, error) {
	if req.Task != "" {
		t := is.Task(req.Task)
		if t == nil {
			return nil, usererr.Invalid("task", "issue #%d has no task for %q", is.Number, req.Task)
		}
		return []*Task{t}, nil
	}
	if req.Stage == "" {
		return is.Tasks, nil
	}
	for _, st := range Stages(is, envs) {
		if st.Environment.ID == req.Stage || strings.EqualFold(st.Environment.Name, req.Stage) {
			return st.Tasks, nil
		}
	}
	return nil, usererr.Invalid("stage", "issue #%d has no stage %q", is.Number, req.Stage)
}

// CanRollout says whether a rollout request would start a task now: nil,
// or the refusal naming the closed gate.
func (s *Service) CanRollout(ctx context.Context, req RolloutRequest) error {
	is, err := s.Get(ctx, req.Issue)
	if err != nil {
		return err
	}
	if req.Version > 0 && is.Version != req.Version {
		return changedError(req.Issue)
	}
	envs, err := s.d.WS.ListEnvironments(ctx)
	if err != nil {
		return err
	}
	ts, err := scope(is, envs, req)
	if err != nil {
		return err
	}
	return startable(is, envs, ts)
}

// startable is nil when a task of ts can start, else the refusal naming
// the first closed gate.
func startable(is *Issue, envs []workspace.Environment, ts []*Task) error {
	if is.Status != StatusOpen {
		return refuse("issue", "issue #%d is %s: nothing to roll out", is.Number, is.Status)
	}
	var first error
	for _, t := range ts {
		switch t.Status {
		case TaskPending:
			return nil
		case TaskNotStarted:
			if g, ok := closed(Gates(is, t, envs)); ok && first == nil {
				first = refuse(g.Name, "cannot roll out %s: gate %q is closed — %s", t.DatabaseName, g.Name, g.Reason)
			}
		case TaskRunning:
			if first == nil {
				first = refuse("", "the task on %s is already running", t.DatabaseName)
			}
		case TaskFailed:
			if first == nil {
				first = refuse("", "the task on %s failed: retry it first", t.DatabaseName)
			}
		}
	}
	if first == nil {
		first = refuse("", "issue #%d has no task waiting to roll out", is.Number)
	}
	return first
}

// Rollout starts the requested tasks whose gates are open and runs them
// (at most the parallel setting at once), then goes on with the stages
// whose gates open and whose environment rolls out automatically. It
// returns when nothing more can start, with the issue as it is then. A
// request that can start nothing is refused naming the closed gate; a task
// that fails is reported in the issue (its status and error), not as the
// call's error.
func (s *Service) Rollout(ctx context.Context, req RolloutRequest) (*Issue, error) {
	if err := s.CanRollout(ctx, req); err != nil {
		return nil, err
	}
	is, err := s.Get(ctx, req.Issue)
	if err != nil {
		return nil, err
	}
	envs, err := s.d.WS.ListEnvironments(ctx)
	if err != nil {
		return nil, err
	}
	ts, err := scope(is, envs, req)
	if err != nil {
		return nil, err
	}
	m, role, err := s.mayRollout(ctx, is, ts)
	if err != nil {
		return nil, err
	}
	if role != "" {
		if _, err := s.mutate(ctx, req.Issue, req.Version, func(cur *Issue, _ []workspace.Environment) ([]workspace.ClaimOp, error) {
			cur.Activity = append(cur.Activity, Activity{At: time.Now().UTC(), Actor: User{Name: m.Name, Email: m.Email}, Kind: "rollout", Role: role})
			return nil, nil
		}); err != nil {
			return nil, err
		}
		req.Version = 0
	}
	want := map[string]bool{}
	for _, t := range ts {
		want[t.ID] = true
	}
	if err := s.runWhile(ctx, req.Issue, req.Version, func(t *Task, _ workspace.Environment) bool { return want[t.ID] }); err != nil {
		return nil, err
	}
	return s.Advance(ctx, req.Issue)
}

// Advance runs the pending tasks whose environment rolls out automatically,
// stage after stage, until nothing more can start.
func (s *Service) Advance(ctx context.Context, n int) (*Issue, error) {
	if err := s.runWhile(ctx, n, 0, func(_ *Task, e workspace.Environment) bool {
		return e.RolloutPolicy() == workspace.RolloutAutomatic && s.inWindow(ctx, e)
	}); err != nil {
		return nil, err
	}
	return s.Get(ctx, n)
}

// runWhile starts pending tasks that ok selects, at most the parallel
// setting at a time, and runs them, until none is left. expect is checked
// on the first start only (the caller's click).
func (s *Service) runWhile(ctx context.Context, n, expect int, ok func(*Task, workspace.Environment) bool) error {
	limit := s.parallel(ctx)
	for {
		started, err := s.begin(ctx, n, expect, limit, ok)
		if err != nil {
			return err
		}
		if len(started) == 0 {
			return nil
		}
		expect = 0
		var wg sync.WaitGroup
		for _, id := range started {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.execute(ctx, n, id)
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// begin moves up to limit pending tasks that ok selects to running, with
// their claims, in one committed transition, and returns their ids. A task
// whose database another issue is running on stays pending, with the
// reason.
func (s *Service) begin(ctx context.Context, n, expect, limit int, ok func(*Task, workspace.Environment) bool) ([]string, error) {
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	var started []string
	_, err = s.mutate(ctx, n, expect, func(is *Issue, envs []workspace.Environment) ([]workspace.ClaimOp, error) {
		started = started[:0]
		byID := map[string]workspace.Environment{}
		for _, e := range envs {
			byID[e.ID] = e
		}
		settle(is, envs)
		var claims []workspace.ClaimOp
		for _, t := range is.Tasks {
			if len(started) >= limit {
				break
			}
			if t.Status != TaskPending || !ok(t, byID[t.EnvironmentID]) {
				continue
			}
			if c, held, err := s.d.WS.ClaimOn(ctx, t.target()); err != nil {
				return nil, err
			} else if held && (c.Issue != is.Number || c.TaskID != t.ID) {
				t.Reason = fmt.Sprintf("waiting: issue #%d is running a task on %s", c.Issue, t.DatabaseName)
				continue
			}
			t.Status, t.Reason, t.Error = TaskRunning, "", nil
			t.Attempts++
			t.RunnerHost, t.RunnerPID = s.host, s.pid
			is.log(me, "task_started", t.ID, "")
			claims = append(claims, workspace.ClaimOp{Target: t.target(), TaskID: t.ID})
			started = append(started, t.ID)
		}
		return claims, nil
	})
	if err != nil {
		return nil, err
	}
	return started, nil
}

// runLog collects a run's log and statement timings and writes them to
// the run's record as they come (at most every 300 ms, and at the end).
type runLog struct {
	s       *Service
	mu      sync.Mutex
	run     workspace.IssueRun
	body    runBody
	last    time.Time
	nonTxAt time.Duration // the last non-transactional statement's time since the unit began
}

func (l *runLog) add(ctx context.Context, msg string) {
	l.mu.Lock()
	l.body.Log = append(l.body.Log, LogLine{At: time.Now().UTC(), Message: msg})
	flush := time.Since(l.last) > 300*time.Millisecond
	l.mu.Unlock()
	l.s.notify(l.run.Issue, "log", l.run.TaskID, msg)
	if flush {
		l.flush(ctx)
	}
}

func (l *runLog) progress(ctx context.Context, p migrate.Progress) {
	switch p.Event {
	case migrate.EventStatementRan:
		l.mu.Lock()
		l.body.Statements = append(l.body.Statements, StatementRun{N: p.Statement, Line: p.Line, DurationMS: float64(p.Elapsed.Microseconds()) / 1000})
		l.mu.Unlock()
	case migrate.EventStatement:
		l.mu.Lock()
		d := p.Elapsed - l.nonTxAt
		l.nonTxAt = p.Elapsed
		l.body.Statements = append(l.body.Statements, StatementRun{N: p.Statement, Line: p.Line, DurationMS: float64(d.Microseconds()) / 1000})
		l.mu.Unlock()
	case migrate.EventUnitStart:
		l.mu.Lock()
		l.nonTxAt = 0
		l.mu.Unlock()
	}
	if msg := p.String(); msg != "" {
		l.add(ctx, strings.TrimSpace(msg))
	}
}

func (l *runLog) flush(ctx context.Context) {
	l.mu.Lock()
	l.last = time.Now()
	body, _ := json.Marshal(l.body)
	r := l.run
	r.Body = body
	l.mu.Unlock()
	_ = l.s.d.WS.UpdateIssueRun(context.WithoutCancel(ctx), r)
}

// execute runs one task that begin moved to running, and records the
// outcome. Every outcome is stored even if ctx ends meanwhile.
func (s *Service) execute(ctx context.Context, n int, taskID string) {
	is, err := s.Get(ctx, n)
	if err != nil {
		return
	}
	t := is.Task(taskID)
	if t == nil || t.Status != TaskRunning {
		return
	}
	run, err := s.d.WS.AddIssueRun(ctx, workspace.IssueRun{Issue: n, TaskID: t.ID, Attempt: t.Attempts, Status: "running", Body: []byte(`{"log":[],"statements":[]}`)})
	if err != nil {
		s.finish(ctx, n, t.ID, outcome{err: err})
		return
	}
	lg := &runLog{s: s, run: run, body: runBody{Log: []LogLine{}, Statements: []StatementRun{}}}
	s.hook("running")
	var out outcome
	if t.CreateDatabase != nil {
		lg.add(ctx, t.Statement)
		out = s.createDatabase(ctx, is, t)
	} else {
		typ := "ddl"
		switch is.Type {
		case TypeDataChange:
			typ = "dml"
		case TypeBaseline:
			typ = "baseline"
		}
		lg.add(ctx, fmt.Sprintf("applying version %s to %s on %s", t.Version, t.DatabaseName, t.InstanceName))
		c, err := s.d.Changes.Apply(ctx, change.Request{DatabaseID: t.DatabaseID, Version: t.Version, Type: typ,
			Description: fmt.Sprintf("#%d %s", n, is.Title), Statement: t.Statement, Confirm: true, Source: s.d.Source, Issue: n,
			NewBaseline: is.Type == TypeBaseline,
			Runner:      func(p migrate.Progress) { lg.progress(ctx, p) }}, nil)
		out = outcome{err: err, changeID: c.ID}
	}
	s.hook("applied")
	rctx := context.WithoutCancel(ctx)
	lg.mu.Lock()
	run.Status, run.FinishedAt = "done", time.Now()
	if out.err != nil {
		run.Status = "failed"
		lg.body.Error = failureOf(out.err)
		lg.body.Log = append(lg.body.Log, LogLine{At: time.Now().UTC(), Message: "failed: " + usererr.From(out.err).Error()})
	} else {
		lg.body.Log = append(lg.body.Log, LogLine{At: time.Now().UTC(), Message: "done"})
	}
	lg.run = run
	lg.mu.Unlock()
	lg.flush(rctx)
	s.finish(rctx, n, t.ID, out)
}

type outcome struct {
	err        error
	changeID   string
	databaseID string
}

func failureOf(err error) *Failure {
	ue := usererr.From(err)
	return &Failure{Message: ue.Message, SQLState: ue.SQLState, Detail: ue.Detail, Hint: ue.Hint}
}

// finish records a task's outcome and releases its claim.
func (s *Service) finish(ctx context.Context, n int, taskID string, out outcome) {
	me, err := s.User(ctx)
	if err != nil {
		me = DefaultUser(ctx)
	}
	done := false
	is, err := s.mutate(ctx, n, 0, func(is *Issue, _ []workspace.Environment) ([]workspace.ClaimOp, error) {
		done = false
		t := is.Task(taskID)
		if t == nil || t.Status != TaskRunning {
			return nil, nil
		}
		target := t.target()
		t.RunnerHost, t.RunnerPID = "", 0
		if out.databaseID != "" {
			t.DatabaseID = out.databaseID
		}
		if out.err != nil {
			t.Status, t.Error = TaskFailed, failureOf(out.err)
			t.Reason = "failed: " + t.Error.Message
			is.log(me, "task_failed", t.ID, usererr.From(out.err).Error())
		} else {
			t.Status, t.ChangeID, t.Reason = TaskDone, out.changeID, ""
			is.log(me, "task_done", t.ID, "")
			done = true
		}
		return []workspace.ClaimOp{{Target: target, TaskID: taskID, Release: true}}, nil
	})
	if err == nil && done && s.AfterTask != nil {
		if t := is.Task(taskID); t != nil {
			s.AfterTask(ctx, is, t)
		}
	}
}

// createDatabase runs CREATE DATABASE on the instance (outside a
// transaction), lists the instance's databases into the workspace and puts
// the new one in its project and environment, then syncs its schema.
func (s *Service) createDatabase(ctx context.Context, is *Issue, t *Task) outcome {
	nd := t.CreateDatabase
	in, err := s.d.WS.GetInstance(ctx, t.InstanceID)
	if err != nil {
		return outcome{err: err}
	}
	cfg, ci, err := s.d.Conns.Config(ctx, in)
	if err != nil {
		return outcome{err: err}
	}
	conn, err := pg.Connect(ctx, cfg)
	if err != nil {
		return outcome{err: err}
	}
	_, err = conn.Exec(ctx, createDatabaseSQL(*nd))
	conn.Close(context.WithoutCancel(ctx))
	if err != nil {
		return outcome{err: pg.Convert(err, ci)}
	}
	id, err := s.placeDatabase(context.WithoutCancel(ctx), in, nd)
	if err != nil {
		return outcome{err: usererr.Wrap("the database was created but could not be added to the workspace: ", err)}
	}
	return outcome{databaseID: id}
}

// placeDatabase lists the instance's databases into the workspace, assigns
// the new one to its project and environment, and syncs its schema so it
// is never shown as "not synced yet".
func (s *Service) placeDatabase(ctx context.Context, in workspace.Instance, nd *NewDatabase) (string, error) {
	if _, err := s.d.Conns.SyncDatabases(ctx, in, nil); err != nil {
		return "", err
	}
	db, err := s.d.WS.FindDatabase(ctx, in.ID, nd.Name)
	if err != nil {
		return "", err
	}
	if nd.ProjectID != "" && db.ProjectID != nd.ProjectID {
		if db, err = s.d.WS.AssignProject(ctx, db.ID, nd.ProjectID); err != nil {
			return "", err
		}
	}
	if nd.EnvironmentID != "" && db.EnvironmentID != nd.EnvironmentID {
		if db, err = s.d.WS.SetDatabaseEnvironment(ctx, db.ID, nd.EnvironmentID); err != nil {
			return "", err
		}
	}
	_, _ = s.d.Sync.Sync(ctx, db.ID, nil) // a failure is recorded on the database's sync status
	return db.ID, nil
}

// alive reports whether a process with pid runs on this host.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{}`)
	}
	return b
}
