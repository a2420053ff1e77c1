package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// State is what the history says about a migration file.
type State string

// File states reported by Status.
const (
	StateApplied    State = "applied"      // done (or at or below a baseline)
	StatePending    State = "pending"      // will be applied by the next run
	StateModified   State = "modified"     // applied, but the file's checksum changed
	StateOutOfOrder State = "out-of-order" // pending, but lower than the highest applied version
	StateFailed     State = "failed"       // a non-transactional unit stopped partway; needs resolve
	StateRunning    State = "running"      // a non-transactional unit is in progress (its runner holds the lock)
	StateNoFile     State = "no-file"      // in the history, but no file has this version
)

// FileStatus is one line of Status.
type FileStatus struct {
	Version     string     `json:"version"`
	Path        string     `json:"path,omitempty"`
	Description string     `json:"description"`
	Type        ChangeType `json:"type"`
	State       State      `json:"state"`
	Checksum    string     `json:"checksum,omitempty"`
	// AppliedChecksum is the checksum recorded when it was applied (differs when modified).
	AppliedChecksum string `json:"appliedChecksum,omitempty"`
	// Last is the latest history row for this version, if any.
	Last *HistoryRow `json:"last,omitempty"`
	Note string      `json:"note,omitempty"`

	mig    *Migration
	resume int  // statements to skip when resuming a resolved-for-retry unit
	retry  bool // resuming a unit resolved for retry
}

// StatusReport is the state of every file (in version order) and of history
// rows that match no file.
type StatusReport struct {
	Files []FileStatus `json:"files"`
	// HighestApplied is the highest applied version ("" when none).
	HighestApplied string `json:"highestApplied"`
	// Baseline is the baseline version, if the database was baselined.
	Baseline string `json:"baseline,omitempty"`
	// HistoryLayout is the history table's layout version (0: no table yet).
	HistoryLayout int `json:"historyLayout"`
	// LockedBy names the session holding the migration lock ("" when free):
	// a run is in progress.
	LockedBy string `json:"lockedBy,omitempty"`
}

// Count returns how many files are in state s.
func (r *StatusReport) Count(s State) int {
	n := 0
	for _, f := range r.Files {
		if f.State == s {
			n++
		}
	}
	return n
}

// Status reads the history (read-only, no lock) and reports each migration's
// state. A database without a history table has every file pending.
func (r *Runner) Status(ctx context.Context, migs []Migration) (*StatusReport, error) {
	s, err := r.connect(ctx, "tidemark migrate status")
	if err != nil {
		return nil, err
	}
	defer s.close(ctx)
	hist, layout, err := readHistory(ctx, s.conn)
	if err != nil {
		return nil, err
	}
	rep := computeStatus(migs, hist, true)
	rep.HistoryLayout = layout
	if holder, ok := lockHeldBy(ctx, s.conn); ok {
		rep.LockedBy = holder
		// A started unit whose runner still holds the lock is running, not dead.
		for i := range rep.Files {
			if f := &rep.Files[i]; f.State == StateFailed && f.Last != nil && f.Last.Status == StatusStarted {
				f.State = StateRunning
				f.Note = fmt.Sprintf("running: %d of %d statements done; the migration lock is held by %s", f.Last.StatementsApplied, f.Last.StatementsTotal, holder)
			}
		}
	}
	return rep, nil
}

// History returns every history row in the order written (empty when the
// database has no history table).
func (r *Runner) History(ctx context.Context) ([]HistoryRow, error) {
	s, err := r.connect(ctx, "tidemark migrate history")
	if err != nil {
		return nil, err
	}
	defer s.close(ctx)
	hist, _, err := readHistory(ctx, s.conn)
	return hist, err
}

// computeStatus is the pure core of Status and of Apply's plan. withOrphans
// adds history versions that match no migration.
func computeStatus(migs []Migration, hist []HistoryRow, withOrphans bool) *StatusReport {
	rep := &StatusReport{}
	latest := map[string]*HistoryRow{} // canonical version -> latest row
	var order []string
	var highest, baseline Version
	for i := range hist {
		h := &hist[i]
		v, err := ParseVersion(h.Version)
		if err != nil {
			continue
		}
		key := canonical(v)
		if _, ok := latest[key]; !ok {
			order = append(order, key)
		}
		latest[key] = h
		if h.Status == StatusDone && (highest.IsZero() || v.Compare(highest) > 0) {
			highest = v
		}
		if h.Type == TypeBaseline && h.Status == StatusDone && (baseline.IsZero() || v.Compare(baseline) > 0) {
			baseline = v
		}
	}
	rep.HighestApplied, rep.Baseline = highest.String(), baseline.String()
	seen := map[string]bool{}
	for i := range migs {
		m := &migs[i]
		key := canonical(m.Version)
		seen[key] = true
		fs := FileStatus{Version: m.Version.String(), Path: m.Path, Description: m.Description, Type: m.Type, Checksum: m.Checksum, mig: m}
		last := latest[key]
		fs.Last = last
		switch {
		case last == nil && !baseline.IsZero() && m.Version.Compare(baseline) <= 0:
			fs.State, fs.Note = StateApplied, "at or below baseline "+baseline.String()
		case last == nil:
			fs.State = pendingState(m.Version, highest)
		case last.Status == StatusDone:
			fs.State, fs.AppliedChecksum = StateApplied, last.Checksum
			if last.Type == TypeBaseline {
				fs.Note = "baseline"
			} else if last.Checksum != m.Checksum {
				fs.State = StateModified
				fs.Note = "the file changed after it was applied (recorded " + last.Checksum + ")"
			}
			if last.ResolvedAs == ResolveDone {
				fs.Note = strings.TrimSpace(fs.Note + " resolved as done by " + last.ResolvedBy)
			}
		case last.blocking():
			fs.State = StateFailed
			fs.Note = describeStop(last)
		default:
			fs.State = pendingState(m.Version, highest)
			switch {
			case last.ResolvedAs == ResolveRetry:
				fs.resume, fs.retry = last.StatementsApplied, true
				fs.Note = fmt.Sprintf("resolved for retry: resumes at statement %d of %d", last.StatementsApplied+1, last.StatementsTotal)
			case last.ResolvedAs == ResolveRolledBack:
				fs.Note = "resolved as rolled back: runs again from the start"
			case last.Status == StatusFailed:
				fs.Note = "last attempt failed and was rolled back: " + last.Error
			}
		}
		rep.Files = append(rep.Files, fs)
	}
	if withOrphans {
		for _, key := range order {
			if seen[key] {
				continue
			}
			h := latest[key]
			if h.Type == TypeBaseline {
				continue
			}
			rep.Files = append(rep.Files, FileStatus{Version: h.Version, Path: h.Path, Description: h.Description, Type: h.Type,
				State: StateNoFile, AppliedChecksum: h.Checksum, Last: h, Note: "recorded in the history (status " + h.Status + ") but no file has this version"})
		}
	}
	return rep
}

func pendingState(v, highest Version) State {
	if !highest.IsZero() && v.Compare(highest) < 0 {
		return StateOutOfOrder
	}
	return StatePending
}

// canonical is a map key under which equal versions meet (1.0 = 1 = 01).
func canonical(v Version) string {
	parts := append([]string(nil), v.parts...)
	for len(parts) > 1 && parts[len(parts)-1] == "0" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, ".")
}

// describeStop says where an unfinished non-transactional unit stopped.
func describeStop(h *HistoryRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "stopped after statement %d of %d", h.StatementsApplied, h.StatementsTotal)
	if h.Status == StatusStarted {
		b.WriteString(" (the runner died or lost its connection")
	} else {
		b.WriteString(" (failed")
	}
	if h.FailedLine > 0 {
		fmt.Fprintf(&b, " at line %d", h.FailedLine)
	} else if h.NextStatementLine > 0 {
		fmt.Fprintf(&b, "; next statement at line %d", h.NextStatementLine)
	}
	b.WriteString(")")
	if h.Error != "" {
		b.WriteString(": " + h.Error)
	}
	return b.String()
}

// checkPlan refuses what must never be applied silently, naming the files.
func checkPlan(rep *StatusReport, allowOutOfOrder bool) error {
	var errs []error
	for _, f := range rep.Files {
		switch f.State {
		case StateFailed:
			errs = append(errs, fmt.Errorf("%w: %s (version %s) %s; inspect the database, then run: tidemark migrate resolve --version %s --as retry|done|rolled-back",
				ErrNeedsResolve, nameOf(f), f.Version, f.Note, f.Version))
		case StateModified:
			errs = append(errs, fmt.Errorf("%w: %s (version %s): checksum %s, applied as %s", ErrChecksumMismatch, f.Path, f.Version, f.Checksum, f.AppliedChecksum))
		case StateOutOfOrder:
			if !allowOutOfOrder {
				errs = append(errs, fmt.Errorf("%w: %s (version %s) is lower than the highest applied version %s; rename it to a higher version or pass --allow-out-of-order",
					ErrOutOfOrder, f.Path, f.Version, rep.HighestApplied))
			}
		case StateNoFile:
			if f.Last != nil && f.Last.blocking() {
				errs = append(errs, fmt.Errorf("%w: version %s (%s, no file found) %s; run: tidemark migrate resolve --version %s --as retry|done|rolled-back",
					ErrNeedsResolve, f.Version, f.Last.Path, describeStop(f.Last), f.Version))
			}
		}
		if f.resume > 0 && f.Last != nil && f.Last.Checksum != f.Checksum {
			errs = append(errs, fmt.Errorf("%w: %s (version %s) changed after it stopped partway; resolve it as rolled-back (and undo by hand) or restore the file",
				ErrChecksumMismatch, f.Path, f.Version))
		}
	}
	return errors.Join(errs...)
}

func nameOf(f FileStatus) string {
	if f.Path != "" {
		return f.Path
	}
	return "version " + f.Version
}
