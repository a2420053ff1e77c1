package migrate

import (
	"context"
	"fmt"
	"time"
)

// dryRun runs every pending transactional unit in one transaction that is
// rolled back. It takes no lock and writes nothing (not even the history table).
func (r *Runner) dryRun(ctx context.Context, migs []Migration, opts ApplyOptions) (*Result, error) {
	res := &Result{Applied: []Applied{}, DryRun: true}
	ws, err := r.connect(ctx, "tidemark migrate (dry run)")
	if err != nil {
		return nil, err
	}
	defer ws.close(ctx)
	hist, _, err := readHistory(ctx, ws.conn)
	if err != nil {
		return nil, err
	}
	rep := computeStatus(migs, hist, true)
	if err := checkPlan(rep, opts.AllowOutOfOrder); err != nil {
		return nil, err
	}
	if _, err := ws.conn.Exec(ctx, "BEGIN"); err != nil {
		return nil, fmt.Errorf("dry run: %w", err)
	}
	defer r.rollback(ctx, ws)
	for _, f := range rep.Files {
		if f.State != StatePending && f.State != StateOutOfOrder {
			continue
		}
		m := f.mig
		if why := m.NonTransactionalReason(ws.serverVersion); why != "" {
			res.NotDryRun = append(res.NotDryRun, DryRunSkip{Version: m.Version.String(), Path: m.Path, Reason: why})
			emit(opts.Progress, Progress{Event: EventDryRunSkip, Version: m.Version.String(), Path: m.Path,
				Message: "cannot be dry-run: " + why + " (later units that depend on it may fail in the dry run)"})
			continue
		}
		emit(opts.Progress, Progress{Event: EventUnitStart, Version: m.Version.String(), Path: m.Path, Description: m.Description,
			Statements: len(m.Statements), Attempt: 1, Message: "(dry run)"})
		start := time.Now()
		ps := txPieces(m, opts, "")
		if _, failed, line, err := execPieces(ctx, ws.conn.PgConn(), ps, nil); err != nil {
			fail := &Failure{Version: m.Version.String(), Path: m.Path, Transactional: true, Statements: len(m.Statements)}
			if failed >= 0 && failed < len(ps) && ps[failed].st != nil {
				fail.Statement, fail.Line, fail.SQL = ps[failed].stmt+1, line, ps[failed].st.SQL
			}
			fail.SQLState = sqlState(err)
			emit(opts.Progress, Progress{Event: EventUnitFailed, Version: fail.Version, Path: m.Path, Line: fail.Line, Message: err.Error()})
			return res, &RunError{Applied: res.Applied, Failed: fail, Err: fmt.Errorf("dry run: %w", err)}
		}
		a := Applied{Version: m.Version.String(), Path: m.Path, Description: m.Description, Type: m.Type, Statements: len(m.Statements), Duration: time.Since(start)}
		res.Applied = append(res.Applied, a)
		emit(opts.Progress, Progress{Event: EventUnitDone, Version: a.Version, Path: a.Path, Statements: a.Statements, Elapsed: a.Duration})
	}
	return res, nil
}

// BaselineOptions control Baseline.
type BaselineOptions struct {
	Version     string // required: the version the database is already at
	Description string // default "baseline"
	Issue       int    // the issue rolling the baseline out (0: none)
	// New establishes a new baseline over an existing history (the live
	// schema, out-of-band changes included, becomes what is expected): its
	// version must be above every applied version, and no migration may be
	// waiting to be resolved.
	New bool
}

// Validate checks the options and fills defaults.
func (o *BaselineOptions) Validate() error {
	if _, err := ParseVersion(o.Version); err != nil {
		return fmt.Errorf("baseline version: %w", err)
	}
	if o.Description == "" {
		o.Description = "baseline"
	}
	return nil
}

// Baseline marks a database Tidemark has not managed yet as being at a
// version, without running anything: files at or below it count as applied.
// It refuses a database that already has applied migrations (ErrHasHistory).
func (r *Runner) Baseline(ctx context.Context, opts BaselineOptions) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	return r.locked(ctx, nil, func(ws *session, _ *sessionLock) error {
		hist, _, err := readHistory(ctx, ws.conn)
		if err != nil {
			return err
		}
		if err := checkBaseline(hist, opts.Version, opts.New); err != nil {
			return err
		}
		m := &Migration{FileName: FileName{Version: MustParseVersion(opts.Version), Type: TypeBaseline, Description: opts.Description}, Source: SourceBaseline, Checksum: "", Issue: opts.Issue}
		if _, err := ws.conn.Exec(ctx, r.insertSQL(m, newRunID(), StatusDone, true, 0, "clock_timestamp()")); err != nil {
			return fmt.Errorf("record the baseline: %w", err)
		}
		return nil
	})
}

// checkBaseline refuses a baseline on a database with applied (or stopped)
// changes; a new baseline (newBaseline) only one that is not above every
// applied version or that has a migration waiting to be resolved.
func checkBaseline(hist []HistoryRow, version string, newBaseline bool) error {
	if newBaseline {
		v, err := ParseVersion(version)
		if err != nil {
			return fmt.Errorf("baseline version: %w", err)
		}
		for _, h := range hist {
			if h.blocking() {
				return fmt.Errorf("%w: version %s (%s); resolve it before a new baseline", ErrNeedsResolve, h.Version, h.Status)
			}
			if hv, err := ParseVersion(h.Version); err == nil && h.Status == StatusDone && hv.Compare(v) >= 0 {
				return fmt.Errorf("%w: a new baseline's version must be above every applied version (%s is applied)", ErrOutOfOrder, h.Version)
			}
		}
		return nil
	}
	for _, h := range hist {
		if h.Status == StatusDone || h.blocking() {
			return fmt.Errorf("%w (version %s, %s): baseline only marks a database Tidemark has not changed yet", ErrHasHistory, h.Version, h.Status)
		}
	}
	return nil
}

// ResolveOptions control Resolve.
type ResolveOptions struct {
	Version string // required
	// As is ResolveRetry (run again from the statement that did not finish),
	// ResolveDone (the rest was done by hand) or ResolveRolledBack (what ran
	// was undone by hand; run again from the start).
	As   string
	Note string // optional, recorded
}

// Validate checks the options.
func (o *ResolveOptions) Validate() error {
	if _, err := ParseVersion(o.Version); err != nil {
		return fmt.Errorf("resolve version: %w", err)
	}
	switch o.As {
	case ResolveRetry, ResolveDone, ResolveRolledBack:
		return nil
	}
	return fmt.Errorf("resolve as %q: want retry, done or rolled-back", o.As)
}

// Resolve records a decision about a non-transactional unit that stopped
// partway, which unblocks the runner. The decision, who made it and when are
// kept on the unit's history row.
func (r *Runner) Resolve(ctx context.Context, opts ResolveOptions) (*HistoryRow, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	var out *HistoryRow
	err := r.locked(ctx, nil, func(ws *session, _ *sessionLock) error {
		hist, _, err := readHistory(ctx, ws.conn)
		if err != nil {
			return err
		}
		want := MustParseVersion(opts.Version)
		var last *HistoryRow
		for i := range hist {
			if v, err := ParseVersion(hist[i].Version); err == nil && v.Equal(want) {
				last = &hist[i]
			}
		}
		if last == nil {
			return fmt.Errorf("%w: version %s has no history", ErrNothingToResolve, opts.Version)
		}
		if !last.blocking() {
			return fmt.Errorf("%w: the latest attempt of version %s has status %s%s; only a unit that stopped partway needs resolving",
				ErrNothingToResolve, opts.Version, last.Status, map[bool]string{true: " (resolved as " + last.ResolvedAs + ")", false: ""}[last.ResolvedAs != ""])
		}
		status := last.Status
		if opts.As == ResolveDone {
			status = StatusDone
		}
		_, err = ws.conn.Exec(ctx, `UPDATE `+historyTable+` SET resolved_as = $2, resolved_by = coalesce(nullif($3, ''), current_user),
			resolved_at = clock_timestamp(), resolve_note = nullif($4, ''), status = $5 WHERE id = $1`,
			last.ID, opts.As, r.opts.AppliedBy, opts.Note, status)
		if err != nil {
			return fmt.Errorf("record the resolution: %w", err)
		}
		row, err := historyByRunID(ctx, ws.conn, last.RunID)
		out = row
		return err
	})
	return out, err
}

// Change is a change authored in the app: statements with a version and a type.
type Change struct {
	Version     string
	Type        ChangeType // ddl or dml
	Description string
	SQL         string
	// Source records where the change was authored: SourceUI (the default)
	// or SourceCLI.
	Source Source
	// Issue is the number of the workspace issue rolling the change out
	// (0: none); the history row records it.
	Issue int
	// NewBaseline (TypeBaseline only) checks a new baseline over an
	// existing history (BaselineOptions.New).
	NewBaseline bool
}

// NewChangeMigration turns an authored change into a Migration (checksum,
// statements split by the PostgreSQL parser), named "version V" in messages.
func NewChangeMigration(ch Change) (Migration, error) {
	v, err := ParseVersion(ch.Version)
	if err != nil {
		return Migration{}, err
	}
	if ch.Type != TypeDDL && ch.Type != TypeDML {
		return Migration{}, fmt.Errorf("change type %q: want ddl or dml", ch.Type)
	}
	m, err := NewMigration(FileName{Path: "", Version: v, Type: ch.Type, Description: ch.Description}, []byte(ch.SQL))
	if err != nil {
		return Migration{}, err
	}
	m.Source = SourceUI
	m.Issue = ch.Issue
	if ch.Source != "" {
		m.Source = ch.Source
	}
	return m, nil
}

// ApplyChange applies one authored change through the same protocol as files:
// the lock, the history, ordering (its version must be above the highest
// applied one unless AllowOutOfOrder) and the transactional or statement-by-
// statement unit. A version already applied is refused (ErrAlreadyApplied).
func (r *Runner) ApplyChange(ctx context.Context, ch Change, opts ApplyOptions) (*Result, error) {
	m, err := NewChangeMigration(ch)
	if err != nil {
		return nil, fmt.Errorf("change: %w", err)
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	migs := []Migration{m}
	if opts.DryRun {
		return r.dryRun(ctx, migs, opts)
	}
	res := &Result{Applied: []Applied{}}
	err = r.locked(ctx, opts.Progress, func(ws *session, lock *sessionLock) error {
		hist, _, err := readHistory(ctx, ws.conn)
		if err != nil {
			return err
		}
		rep, err := checkChange(migs, hist, opts.AllowOutOfOrder)
		if err != nil {
			return err
		}
		return r.applyPlan(ctx, ws, lock, rep, opts, res)
	})
	return res, err
}

// checkChange is ApplyChange's refusal of an authored change: an applied
// version (ErrAlreadyApplied), a version below the highest applied one
// (ErrOutOfOrder, unless allowOutOfOrder), a unit waiting to be resolved.
func checkChange(migs []Migration, hist []HistoryRow, allowOutOfOrder bool) (*StatusReport, error) {
	rep := computeStatus(migs, hist, true)
	if st := rep.Files[0].State; st == StateApplied || st == StateModified {
		return nil, fmt.Errorf("%w: version %s", ErrAlreadyApplied, migs[0].Version)
	}
	if err := checkPlan(rep, allowOutOfOrder); err != nil {
		return nil, err
	}
	return rep, nil
}

// CheckChange makes, read-only and without the lock, the checks that
// ApplyChange (or Baseline, for a change of type TypeBaseline) makes under
// its lock, so that a caller can refuse a change before doing any work. The
// errors are those of ApplyChange and Baseline (ErrAlreadyApplied,
// ErrOutOfOrder, ErrNeedsResolve, ErrHasHistory).
func (r *Runner) CheckChange(ctx context.Context, ch Change, allowOutOfOrder bool) error {
	var m Migration
	if ch.Type != TypeBaseline {
		var err error
		if m, err = NewChangeMigration(ch); err != nil {
			return fmt.Errorf("change: %w", err)
		}
	} else if _, err := ParseVersion(ch.Version); err != nil {
		return fmt.Errorf("baseline version: %w", err)
	}
	s, err := r.connect(ctx, "tidemark check")
	if err != nil {
		return err
	}
	defer s.close(ctx)
	hist, _, err := readHistory(ctx, s.conn)
	if err != nil {
		return err
	}
	if ch.Type == TypeBaseline {
		return checkBaseline(hist, ch.Version, ch.NewBaseline)
	}
	_, err = checkChange([]Migration{m}, hist, allowOutOfOrder)
	return err
}
