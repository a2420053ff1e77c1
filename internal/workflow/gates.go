package workflow

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Stage is the tasks of one environment, in environment order.
type Stage struct {
	Environment workspace.Environment
	Tasks       []*Task
}

// Stages groups an issue's tasks by environment, in the environments'
// order (unknown environments last, by id).
func Stages(is *Issue, envs []workspace.Environment) []Stage {
	pos := map[string]int{}
	byID := map[string]workspace.Environment{}
	for _, e := range envs {
		pos[e.ID], byID[e.ID] = e.Position, e
	}
	var out []Stage
	idx := map[string]int{}
	for _, t := range is.Tasks {
		i, ok := idx[t.EnvironmentID]
		if !ok {
			e, known := byID[t.EnvironmentID]
			if !known {
				e = workspace.Environment{ID: t.EnvironmentID, Name: t.EnvironmentID, Position: 1 << 30}
			}
			out = append(out, Stage{Environment: e})
			i = len(out) - 1
			idx[t.EnvironmentID] = i
		}
		out[i].Tasks = append(out[i].Tasks, t)
	}
	sort.SliceStable(out, func(a, b int) bool {
		pa, pb := out[a].Environment.Position, out[b].Environment.Position
		if pa != pb {
			return pa < pb
		}
		return out[a].Environment.ID < out[b].Environment.ID
	})
	return out
}

// Gate is one condition for a task to start.
type Gate struct {
	Name   string `json:"name"` // issue, checks, approval, stage
	Open   bool   `json:"open"`
	Reason string `json:"reason,omitempty"`
}

// Gates evaluates the gates of task t: the issue is open; its checks
// finished without error (warnings need "roll out anyway"); the approval
// is done or skipped; every task of the previous stages is done or
// skipped.
func Gates(is *Issue, t *Task, envs []workspace.Environment) []Gate {
	gs := []Gate{{Name: "issue", Open: is.Status == StatusOpen}}
	if !gs[0].Open {
		gs[0].Reason = fmt.Sprintf("the issue is %s", is.Status)
	}
	gs = append(gs, checksGate(t))
	ap := Gate{Name: "approval", Open: is.Approval.Status == ApprovalApproved || is.Approval.Status == ApprovalSkipped}
	switch is.Approval.Status {
	case ApprovalPending:
		ap.Reason = "waiting for approval (" + is.Approval.Reason + ")"
	case ApprovalRejected:
		ap.Reason = "the approval was rejected; edit the plan to request it again"
	}
	gs = append(gs, ap)
	st := Gate{Name: "stage", Open: true}
	for _, s := range Stages(is, envs) {
		if s.Environment.ID == t.EnvironmentID {
			break
		}
		var open []string
		for _, o := range s.Tasks {
			if !o.Status.finished() {
				open = append(open, o.DatabaseName+" ("+strings.ReplaceAll(string(o.Status), "_", " ")+")")
			}
		}
		if len(open) > 0 {
			st.Open = false
			st.Reason = fmt.Sprintf("stage %s is not done: %s", s.Environment.Name, strings.Join(open, ", "))
			break
		}
	}
	return append(gs, st)
}

func checksGate(t *Task) Gate {
	g := Gate{Name: "checks", Open: true}
	var errs, warns []string
	for _, c := range t.Checks {
		switch c.Status {
		case CheckRunning:
			return Gate{Name: "checks", Reason: "checks are running"}
		case CheckError:
			errs = append(errs, string(c.Kind))
		case CheckWarning:
			warns = append(warns, string(c.Kind))
		}
	}
	if len(t.Checks) == 0 {
		return Gate{Name: "checks", Reason: "checks have not run"}
	}
	switch {
	case len(errs) > 0:
		g.Open, g.Reason = false, "checks failed: "+strings.Join(errs, ", ")
	case len(warns) > 0 && t.Forced == nil:
		g.Open, g.Reason = false, "checks have warnings ("+strings.Join(warns, ", ")+"): roll out anyway with a comment"
	}
	return g
}

// closed returns the first closed gate, if any.
func closed(gs []Gate) (Gate, bool) {
	for _, g := range gs {
		if !g.Open {
			return g, true
		}
	}
	return Gate{}, false
}

// settle recomputes what follows from the state: tasks between
// not_started and pending by their gates, and the issue done when every
// task is done or skipped. It reports whether anything changed.
func settle(is *Issue, envs []workspace.Environment) bool {
	changed := false
	for _, t := range is.Tasks {
		if t.Status != TaskNotStarted && t.Status != TaskPending {
			continue
		}
		st, reason := TaskPending, ""
		if g, ok := closed(Gates(is, t, envs)); ok {
			st, reason = TaskNotStarted, g.Reason
		}
		if t.Status != st || t.Reason != reason {
			t.Status, t.Reason, changed = st, reason, true
		}
	}
	if is.Status == StatusOpen && len(is.Tasks) > 0 {
		all := true
		for _, t := range is.Tasks {
			all = all && t.Status.finished()
		}
		if all {
			is.Status, changed = StatusDone, true
		}
	}
	return changed
}
