package workflow

import (
	"context"
	"fmt"

	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Reconcile settles the tasks left running by a process that died (on this
// host: its pid is gone): the target's history says what happened — done,
// failed, a non-transactional unit waiting to be resolved, or nothing
// committed — and the task is marked so. A task is never run again by
// reconciling. It returns the numbers of the issues it changed.
func (s *Service) Reconcile(ctx context.Context) ([]int, error) {
	recs, err := s.d.WS.ListIssues(ctx, workspace.IssueFilter{Status: string(StatusOpen), Rollout: "running", Limit: 1000})
	if err != nil {
		return nil, err
	}
	var changed []int
	for _, r := range recs {
		is, err := s.Get(ctx, r.Number)
		if err != nil {
			return changed, err
		}
		for _, t := range is.Tasks {
			if t.Status != TaskRunning || t.RunnerHost != s.host || t.RunnerPID == s.pid || alive(t.RunnerPID) {
				continue
			}
			out := s.recover(ctx, is, t)
			s.finish(ctx, is.Number, t.ID, out)
			s.closeRun(ctx, is.Number, t, out)
			changed = append(changed, is.Number)
		}
	}
	return changed, nil
}

// recover reads the outcome of an interrupted task from the target.
func (s *Service) recover(ctx context.Context, is *Issue, t *Task) outcome {
	if t.CreateDatabase != nil {
		in, err := s.d.WS.GetInstance(ctx, t.InstanceID)
		if err != nil {
			return outcome{err: err}
		}
		if _, err := s.d.Conns.SyncDatabases(ctx, in, nil); err != nil {
			return outcome{err: usererr.Wrap("the task was interrupted and its outcome could not be read: ", err)}
		}
		if _, err := s.d.WS.FindDatabase(ctx, in.ID, t.DatabaseName); err != nil {
			return outcome{err: &usererr.Error{Message: "the task was interrupted before the database was created; retry it"}}
		}
		id, err := s.placeDatabase(ctx, in, t.CreateDatabase)
		return outcome{err: err, databaseID: id}
	}
	cs, err := s.d.Changes.Reconcile(ctx, t.DatabaseID)
	if err != nil {
		return outcome{err: usererr.Wrap("the task was interrupted and its outcome could not be read from the target: ", err)}
	}
	for _, c := range cs { // newest first
		if c.Issue != is.Number || c.Version != t.Version {
			continue
		}
		switch c.Status {
		case migrate.StatusDone:
			return outcome{changeID: c.ID}
		case migrate.StatusStarted:
			return outcome{err: &usererr.Error{Message: fmt.Sprintf("the task was interrupted inside a non-transactional change (version %s): resolve it with tidemark migrate resolve, then retry", t.Version)}}
		default:
			return outcome{err: &usererr.Error{Message: "the task failed: " + c.Error, SQLState: c.SQLState}}
		}
	}
	return outcome{err: &usererr.Error{Message: "the task was interrupted before anything was committed; retry it"}}
}

// closeRun ends the run record of an interrupted task.
func (s *Service) closeRun(ctx context.Context, n int, t *Task, out outcome) {
	rs, err := s.d.WS.ListIssueRuns(ctx, n)
	if err != nil {
		return
	}
	for _, r := range rs {
		if r.TaskID != t.ID || r.Attempt != t.Attempts || r.Status != "running" {
			continue
		}
		run := decodeRun(r)
		status := "done"
		msg := "reconciled after an interruption: done"
		if out.err != nil {
			status, msg = "failed", "reconciled after an interruption: "+usererr.From(out.err).Error()
		}
		body := runBody{Log: append(run.Log, LogLine{Message: msg}), Statements: run.Statements}
		if out.err != nil {
			body.Error = failureOf(out.err)
		}
		r.Status = status
		r.Body = mustJSON(body)
		_ = s.d.WS.UpdateIssueRun(ctx, r)
	}
}
