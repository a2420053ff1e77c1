// Package workflow is the change workflow: every change to a database is an
// issue that is checked, approved and rolled out stage by stage. An issue
// has a plan (one task per target database, in one stage per environment),
// checks per task (syntax, SQL review, a dry run on a scratch server,
// affected rows, a statement summary), an approval (the flow of the
// approval rule its risk matches, see approvalflow.go) and a rollout (tasks
// start when their gates open, automatically or by a click, per the
// environment's policy). Tasks run through the shared apply use-case
// (internal/change), so the target's history and the workspace's change
// history record them with the issue's number.
//
// The workflow's state lives in the workspace (workspace.IssueRecord, with
// the issue document as JSON); every transition is committed, with the
// version the caller read, before the action it announces, so a crash never
// runs a task twice and two writers never both win.
package workflow

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tidemark-dev/tidemark/internal/risk"
	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Type is an issue's kind.
type Type string

// Issue types.
const (
	TypeCreateDatabase Type = "create_database"
	TypeSchemaChange   Type = "schema_change"
	TypeDataChange     Type = "data_change"
	TypeBaseline       Type = "baseline"
)

// ParseType checks an issue type.
func ParseType(s string) (Type, error) {
	switch t := Type(s); t {
	case TypeCreateDatabase, TypeSchemaChange, TypeDataChange, TypeBaseline:
		return t, nil
	}
	return "", fmt.Errorf("issue type %q: use schema_change, data_change, create_database or baseline", s)
}

// Status is an issue's status.
type Status string

// Issue statuses.
const (
	StatusOpen     Status = "open"
	StatusDone     Status = "done"
	StatusCanceled Status = "canceled"
)

// TaskStatus is a task's status.
type TaskStatus string

// Task statuses: not_started (a gate is closed) → pending (gates open,
// waiting to be rolled out) → running → done | failed | skipped | canceled.
const (
	TaskNotStarted TaskStatus = "not_started"
	TaskPending    TaskStatus = "pending"
	TaskRunning    TaskStatus = "running"
	TaskDone       TaskStatus = "done"
	TaskFailed     TaskStatus = "failed"
	TaskSkipped    TaskStatus = "skipped"
	TaskCanceled   TaskStatus = "canceled"
)

// finished reports whether the task counts as through its stage.
func (s TaskStatus) finished() bool { return s == TaskDone || s == TaskSkipped }

// CheckKind names a check.
type CheckKind string

// The checks, in the order they run and are shown.
const (
	CheckSyntax       CheckKind = "syntax"
	CheckReview       CheckKind = "review"
	CheckDryRun       CheckKind = "dry_run"
	CheckAffectedRows CheckKind = "affected_rows"
	CheckSummary      CheckKind = "summary"
)

// CheckStatus is a check's outcome.
type CheckStatus string

// Check statuses.
const (
	CheckRunning CheckStatus = "running"
	CheckSuccess CheckStatus = "success"
	CheckWarning CheckStatus = "warning"
	CheckError   CheckStatus = "error"
)

// ApprovalStatus is the state of an issue's approval.
type ApprovalStatus string

// Approval statuses.
const (
	ApprovalPending  ApprovalStatus = "pending"
	ApprovalApproved ApprovalStatus = "approved"
	ApprovalRejected ApprovalStatus = "rejected"
	ApprovalSkipped  ApprovalStatus = "skipped"
)

// User is a workspace user: who created, approved, rolled out.
type User struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// Key identifies the user in lists ("my issues"): the email, else the name.
func (u User) Key() string {
	if u.Email != "" {
		return u.Email
	}
	return u.Name
}

func (u User) String() string {
	if u.Email != "" && u.Name != "" {
		return u.Name + " <" + u.Email + ">"
	}
	return u.Key()
}

// NewDatabase is the plan of a create_database task.
type NewDatabase struct {
	InstanceID    string `json:"instanceId"`
	Name          string `json:"name"`
	Owner         string `json:"owner,omitempty"`
	Encoding      string `json:"encoding,omitempty"`
	EnvironmentID string `json:"environmentId"`
	ProjectID     string `json:"projectId,omitempty"`
}

// Result is one finding of a check.
type Result struct {
	Status  CheckStatus `json:"status"` // error, warning, success (information)
	Title   string      `json:"title"`
	Message string      `json:"message,omitempty"`
	Code    string      `json:"code,omitempty"` // review rule id
	Line    int         `json:"line,omitempty"`
	Column  int         `json:"column,omitempty"`
	EndLine int         `json:"endLine,omitempty"`
	// SQLState and Statement are set for dry-run failures.
	SQLState  string `json:"sqlstate,omitempty"`
	Statement string `json:"statement,omitempty"`
}

// AffectedRows is one estimate of the affected-rows check.
type AffectedRows struct {
	Line      int    `json:"line"`
	Statement string `json:"statement"`
	Table     string `json:"table,omitempty"`
	// Rows is the planner's estimate (EXPLAIN) or the table's row estimate
	// (reltuples) for DDL; -1 when unknown.
	Rows   int64  `json:"rows"`
	Source string `json:"source"` // "explain" or "table estimate"
}

// Check is one check of one task.
type Check struct {
	Kind    CheckKind   `json:"kind"`
	Status  CheckStatus `json:"status"`
	Summary string      `json:"summary"`
	Results []Result    `json:"results"`
	// Objects is the dry run's list of objects the change adds, drops and
	// alters.
	Objects []schematree.Change `json:"objects,omitempty"`
	// Rows are the affected-rows estimates.
	Rows []AffectedRows `json:"rows,omitempty"`
	// Basis says what the check ran against ("a fresh sync of …", "the
	// snapshot of … (the database is unreachable: …)").
	Basis      string    `json:"basis,omitempty"`
	FinishedAt time.Time `json:"finishedAt,omitempty"`
}

// Ack is an explicit decision with a comment: "roll out anyway" past
// warnings, a skip's reason.
type Ack struct {
	By      User      `json:"by"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment"`
}

// Failure is the error of a task's last run.
type Failure struct {
	Message  string `json:"message"`
	SQLState string `json:"sqlstate,omitempty"`
	Detail   string `json:"detail,omitempty"`
	Hint     string `json:"hint,omitempty"`
}

// Task is the plan and state of one target database.
type Task struct {
	ID            string `json:"id"`
	EnvironmentID string `json:"environmentId"`
	DatabaseID    string `json:"databaseId,omitempty"` // empty for create_database until it ran
	DatabaseName  string `json:"databaseName"`
	InstanceID    string `json:"instanceId"`
	InstanceName  string `json:"instanceName"`
	// Statement is the SQL to run; Version the version it is recorded
	// under in the target's history.
	Statement      string       `json:"statement"`
	Version        string       `json:"version"`
	CreateDatabase *NewDatabase `json:"createDatabase,omitempty"`
	Status         TaskStatus   `json:"status"`
	// Reason says why a task waits (the first closed gate), or why it was
	// skipped or canceled.
	Reason string  `json:"reason,omitempty"`
	Checks []Check `json:"checks"`
	// Forced is the "roll out anyway" decision past the checks' warnings.
	Forced   *Ack     `json:"forced,omitempty"`
	Attempts int      `json:"attempts"`
	Error    *Failure `json:"error,omitempty"`
	// ChangeID is the change-history record of the applied change.
	ChangeID string `json:"changeId,omitempty"`
	// Runner says which process runs the task (host and pid), so a restart
	// can tell a task it must reconcile from one another process runs.
	RunnerHost string `json:"runnerHost,omitempty"`
	RunnerPID  int    `json:"runnerPid,omitempty"`
	// Risk is the task's graded risk (the rules that matched).
	Risk *TaskRisk `json:"risk,omitempty"`
}

// frozen reports whether the task's plan can no longer change: it has run.
func (t *Task) frozen() bool {
	return t.Attempts > 0 || t.Status == TaskRunning || t.Status == TaskDone
}

// target is the key of the task's claim (one task at a time per database).
func (t *Task) target() string {
	if t.CreateDatabase != nil {
		return "instance:" + t.InstanceID + "/" + t.DatabaseName
	}
	return t.DatabaseID
}

// ApprovalStep is one step of an approval flow.
type ApprovalStep struct {
	Title string `json:"title"`
	// Role is the role a member needs to decide the step ("" for issues
	// filed before approval rules: anyone).
	Role string `json:"role,omitempty"`
	// Approvers are the ids of the members holding Role when the flow
	// was matched; ApproverNames are their names, in the same order.
	Approvers     []string       `json:"approvers,omitempty"`
	ApproverNames []string       `json:"approverNames,omitempty"`
	Status        ApprovalStatus `json:"status"`
	// ByRole is the role the member decided in.
	ByRole  string    `json:"byRole,omitempty"`
	By      *User     `json:"by,omitempty"`
	At      time.Time `json:"at,omitempty"`
	Comment string    `json:"comment,omitempty"`
}

// Approval is an issue's approval.
type Approval struct {
	Status ApprovalStatus `json:"status"`
	// Reason says why approval is (not) required.
	Reason string         `json:"reason"`
	Steps  []ApprovalStep `json:"steps"`
	// Risk is the issue's risk level; Matched the risk rules that matched
	// (highest first); Errors the rules that failed at run time (counted
	// as not matched).
	Risk    risk.Level       `json:"risk,omitempty"`
	Matched []risk.Match     `json:"matched,omitempty"`
	Errors  []risk.EvalError `json:"errors,omitempty"`
	// Rule is the approval rule that matched; Template and TemplateTitle
	// its flow.
	Rule          string `json:"rule,omitempty"`
	Template      string `json:"template,omitempty"`
	TemplateTitle string `json:"templateTitle,omitempty"`
}

// Activity is one entry of an issue's timeline.
type Activity struct {
	At    time.Time `json:"at"`
	Actor User      `json:"actor"`
	Kind  string    `json:"kind"` // created, checks, approved, rejected, plan, task_started, task_done, task_failed, task_skipped, task_canceled, comment, canceled, done, forced, approval_reevaluated, rollout
	// Role is the role the actor acted in (approvals, rollouts).
	Role    string `json:"role,omitempty"`
	TaskID  string `json:"taskId,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// Issue is one change going through the workflow.
type Issue struct {
	Number      int        `json:"number"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Type        Type       `json:"type"`
	Status      Status     `json:"status"`
	ProjectID   string     `json:"projectId,omitempty"`
	Creator     User       `json:"creator"`
	Labels      []string   `json:"labels"`
	CreatedAt   time.Time  `json:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
	Approval    Approval   `json:"approval"`
	Tasks       []*Task    `json:"tasks"`
	Activity    []Activity `json:"activity"`
	// RollbackOf names the change a rollback issue undoes.
	RollbackOf *ChangeRef `json:"rollbackOf,omitempty"`
	// Version is the stored version this copy was read at: every action
	// names it, and an issue changed since is refused (ErrChanged).
	Version int `json:"-"`
}

// ChangeRef names a change-history record.
type ChangeRef struct {
	DatabaseID string `json:"databaseId"`
	ChangeID   string `json:"changeId"`
	Issue      int    `json:"issue,omitempty"`
}

// Task returns the task with id, or the task of a database (by id or
// name), or nil.
func (is *Issue) Task(ref string) *Task {
	for _, t := range is.Tasks {
		if t.ID == ref || (t.DatabaseID != "" && t.DatabaseID == ref) || t.DatabaseName == ref {
			return t
		}
	}
	return nil
}

// rolloutSummary is the header column lists filter on: waiting (a gate is
// closed), ready (a task can be rolled out), running, failed, done.
func (is *Issue) rolloutSummary() string {
	if is.Status == StatusDone {
		return "done"
	}
	if is.Status == StatusCanceled {
		return "canceled"
	}
	sum := "waiting"
	for _, t := range is.Tasks {
		switch t.Status {
		case TaskRunning:
			return "running"
		case TaskFailed:
			sum = "failed"
		case TaskPending:
			if sum == "waiting" {
				sum = "ready"
			}
		}
	}
	return sum
}

// record turns the issue into the workspace's record.
func (is *Issue) record() (workspace.IssueRecord, error) {
	body, err := json.Marshal(is)
	if err != nil {
		return workspace.IssueRecord{}, fmt.Errorf("encode issue #%d: %w", is.Number, err)
	}
	var envs, dbs []string
	seenEnv, seenDB := map[string]bool{}, map[string]bool{}
	for _, t := range is.Tasks {
		if !seenEnv[t.EnvironmentID] {
			seenEnv[t.EnvironmentID] = true
			envs = append(envs, t.EnvironmentID)
		}
		if t.DatabaseID != "" && !seenDB[t.DatabaseID] {
			seenDB[t.DatabaseID] = true
			dbs = append(dbs, t.DatabaseID)
		}
	}
	return workspace.IssueRecord{
		Number: is.Number, ProjectID: is.ProjectID, Type: string(is.Type), Status: string(is.Status), Title: is.Title,
		Creator: is.Creator.Key(), Approval: string(is.Approval.Status), Rollout: is.rolloutSummary(),
		Environments: envs, Databases: dbs, Version: is.Version, Body: body, CreatedAt: is.CreatedAt,
	}, nil
}

// decode reads an issue from its record.
func decode(r workspace.IssueRecord) (*Issue, error) {
	var is Issue
	if err := json.Unmarshal(r.Body, &is); err != nil {
		return nil, fmt.Errorf("issue #%d: unreadable document: %w", r.Number, err)
	}
	is.Number, is.Version, is.CreatedAt, is.UpdatedAt = r.Number, r.Version, r.CreatedAt, r.UpdatedAt
	if is.Labels == nil {
		is.Labels = []string{}
	}
	return &is, nil
}

// ApproverLabels names the step's approvers for people: "Name <email>",
// or the id alone when the name is not known or is the id.
func (s ApprovalStep) ApproverLabels() []string {
	out := make([]string, 0, len(s.Approvers))
	for i, id := range s.Approvers {
		if i < len(s.ApproverNames) && s.ApproverNames[i] != "" && s.ApproverNames[i] != id {
			out = append(out, s.ApproverNames[i]+" <"+id+">")
			continue
		}
		out = append(out, id)
	}
	return out
}
