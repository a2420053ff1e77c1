package migrate

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Progress events, in the order a run produces them.
const (
	EventLockWait  = "lock-wait"  // waiting for another runner's migration lock
	EventLocked    = "locked"     // the migration lock is held
	EventUnitStart = "unit-start" // a migration starts (Attempt > 1 on a retry)
	EventStatement = "statement"  // a statement of a non-transactional unit finished (progress committed)
	// EventStatementRan: a statement of a transactional unit ran, not yet
	// committed; Elapsed is the statement's own time.
	EventStatementRan = "statement-ran"
	EventRetry        = "retry"       // a rolled-back unit will be retried after Delay
	EventIndexDrop    = "index-drop"  // an INVALID index left by a failed concurrent build was dropped before a retry
	EventReconnect    = "reconnect"   // the connection was lost during COMMIT; the outcome was looked up by run id
	EventUnitDone     = "unit-done"   // a migration was applied and recorded
	EventUnitFailed   = "unit-failed" // a migration failed
	EventDryRunSkip   = "dry-run-skip"
	EventUnlocked     = "unlocked" // the migration lock was released
)

// Progress is reported to ApplyOptions.Progress while a run goes on (the CLI
// prints it to stderr, the desktop app forwards it to the UI as events).
type Progress struct {
	Event       string        `json:"event"`
	Version     string        `json:"version,omitempty"`
	Path        string        `json:"path,omitempty"`
	Description string        `json:"description,omitempty"`
	Statement   int           `json:"statement,omitempty"`  // 1-based statement just finished (EventStatement)
	Statements  int           `json:"statements,omitempty"` // statements in the unit
	Line        int           `json:"line,omitempty"`
	Attempt     int           `json:"attempt,omitempty"`
	Delay       time.Duration `json:"delayNs,omitempty"`
	Elapsed     time.Duration `json:"elapsedNs,omitempty"`
	Message     string        `json:"message,omitempty"`
}

// String renders a progress line for terminals.
func (p Progress) String() string {
	name := p.Version
	if p.Path != "" {
		name = p.Path
	}
	switch p.Event {
	case EventUnitStart:
		if p.Attempt > 1 {
			return fmt.Sprintf("applying %s (attempt %d)", name, p.Attempt)
		}
		return "applying " + name + " " + p.Message
	case EventStatementRan:
		return fmt.Sprintf("  %s: statement %d/%d ran in %s (line %d)", name, p.Statement, p.Statements, p.Elapsed.Round(time.Millisecond), p.Line)
	case EventStatement:
		return fmt.Sprintf("  %s: statement %d/%d done (line %d)", name, p.Statement, p.Statements, p.Line)
	case EventUnitDone:
		return fmt.Sprintf("applied  %s (%s)", name, p.Elapsed.Round(time.Millisecond))
	case EventUnitFailed:
		return fmt.Sprintf("failed   %s: %s", name, p.Message)
	case EventRetry:
		return fmt.Sprintf("retrying %s in %s: %s", name, p.Delay.Round(time.Millisecond), p.Message)
	case EventDryRunSkip, EventIndexDrop, EventReconnect:
		return name + ": " + p.Message
	}
	return p.Message
}

// Applied describes a migration a run applied.
type Applied struct {
	Version     string        `json:"version"`
	Path        string        `json:"path"`
	Description string        `json:"description"`
	Type        ChangeType    `json:"type"`
	Statements  int           `json:"statements"`
	Duration    time.Duration `json:"durationNs"`
	RunID       string        `json:"runId"`
	// Recovered is set when the connection was lost during COMMIT and the
	// history, looked up by run id, showed the commit had happened.
	Recovered bool `json:"recovered,omitempty"`
}

// Failure says exactly where a run stopped.
type Failure struct {
	Version string `json:"version"`
	Path    string `json:"path"`
	// Statement is the 1-based statement that failed (0 when the failure was
	// not in a statement, e.g. a lost connection during COMMIT).
	Statement int    `json:"statement,omitempty"`
	Line      int    `json:"line,omitempty"`
	SQL       string `json:"sql,omitempty"`
	SQLState  string `json:"sqlState,omitempty"`
	// Transactional units roll back completely. For a non-transactional unit,
	// StatementsApplied statements stay applied and the unit must be resolved.
	Transactional     bool   `json:"transactional"`
	StatementsApplied int    `json:"statementsApplied"`
	Statements        int    `json:"statements"`
	RunID             string `json:"runId,omitempty"`
	// OutcomeUnknown is set when the connection was lost during COMMIT and
	// the history could not be read afterwards: check `migrate status`.
	OutcomeUnknown bool `json:"outcomeUnknown,omitempty"`
}

// Result is what a run did.
type Result struct {
	Applied []Applied `json:"applied"`
	// DryRun is set for a dry run: everything ran in one transaction that was
	// rolled back; NotDryRun lists the units that could not run in it.
	DryRun    bool         `json:"dryRun,omitempty"`
	NotDryRun []DryRunSkip `json:"notDryRun,omitempty"`
}

// DryRunSkip names a unit a dry run could not execute, and why.
type DryRunSkip struct {
	Version string `json:"version"`
	Path    string `json:"path"`
	Reason  string `json:"reason"`
}

// RunError is returned by Apply when a migration fails: what was applied
// before it, where it failed, and the cause (a *pgconn.PgError keeps the
// SQLSTATE).
type RunError struct {
	Applied []Applied
	Failed  *Failure
	Err     error
}

// Error describes the failed unit and statement.
func (e *RunError) Error() string {
	var b strings.Builder
	if f := e.Failed; f != nil {
		name := f.Path
		if name == "" {
			name = "version " + f.Version
		}
		b.WriteString(name)
		if f.Line > 0 {
			fmt.Fprintf(&b, ":%d", f.Line)
		}
		if f.Statement > 0 {
			fmt.Fprintf(&b, " (statement %d of %d)", f.Statement, f.Statements)
		}
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	if f := e.Failed; f != nil {
		switch {
		case f.OutcomeUnknown:
			b.WriteString("; whether it committed is unknown — run `tidemark migrate status` (its run id is " + f.RunID + ") before anything else")
		case f.Transactional:
			b.WriteString("; rolled back, nothing of it was applied")
		case f.Statement == 0 && f.StatementsApplied == 0:
			b.WriteString("; none of its statements ran")
		default:
			fmt.Fprintf(&b, "; %d of %d statements stay applied — inspect the database, then run: tidemark migrate resolve --version %s --as retry|done|rolled-back", f.StatementsApplied, f.Statements, f.Version)
		}
	}
	if len(e.Applied) > 0 {
		fmt.Fprintf(&b, " (%d migrations applied before it)", len(e.Applied))
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *RunError) Unwrap() error { return e.Err }

// Conditions that refuse a run before anything is applied.
var (
	// ErrChecksumMismatch: a file applied earlier has changed (modified applied migration).
	ErrChecksumMismatch = errors.New("modified applied migration")
	// ErrOutOfOrder: a pending version is lower than the highest applied one.
	ErrOutOfOrder = errors.New("out-of-order migration")
	// ErrNeedsResolve: a non-transactional unit stopped partway and must be resolved.
	ErrNeedsResolve = errors.New("an earlier migration stopped partway")
	// ErrAlreadyApplied: an authored change's version is already applied.
	ErrAlreadyApplied = errors.New("version already applied")
	// ErrNothingToResolve: Resolve found no unfinished unit for the version.
	ErrNothingToResolve = errors.New("nothing to resolve")
	// ErrHasHistory: Baseline on a database that already has history.
	ErrHasHistory = errors.New("database already has migration history")
)
