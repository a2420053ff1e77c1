package anomaly

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/monitor"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// ErrorDetails are the details of a connection, sync or history table
// anomaly: the error as PostgreSQL (or the connection) reported it.
type ErrorDetails struct {
	Error    string `json:"error"`
	SQLState string `json:"sqlstate,omitempty"`
	// Missing (history table only): the table is gone although the
	// workspace knows of changes recorded in it.
	Missing bool `json:"missing,omitempty"`
}

// MigrationDetails are the details of a non-transactional migration left
// started or an applied migration whose file changed.
type MigrationDetails struct {
	Version     string `json:"version"`
	Description string `json:"description,omitempty"`
	Path        string `json:"path,omitempty"`
	Status      string `json:"status,omitempty"`
	// StatementsApplied of StatementsTotal ran before it stopped.
	StatementsApplied int    `json:"statements_applied,omitempty"`
	StatementsTotal   int    `json:"statements_total,omitempty"`
	Error             string `json:"error,omitempty"`
	// AppliedChecksum is the checksum recorded in the target's history;
	// FileChecksum the file's now (modified migrations).
	AppliedChecksum string `json:"applied_checksum,omitempty"`
	FileChecksum    string `json:"file_checksum,omitempty"`
}

// DriftDetails are the details of a schema drift anomaly.
type DriftDetails struct {
	// ExpectedSource is drift.FromChange, FromBaseline or FromImplicitBaseline.
	ExpectedSource     string    `json:"expected_source"`
	ExpectedSnapshotID string    `json:"expected_snapshot_id"`
	ExpectedTakenAt    time.Time `json:"expected_taken_at"`
	// ChangeID and Version name the change whose after-snapshot is expected.
	ChangeID       string    `json:"change_id,omitempty"`
	Version        string    `json:"version,omitempty"`
	LiveSnapshotID string    `json:"live_snapshot_id"`
	LiveTakenAt    time.Time `json:"live_taken_at"`
	// The report's fields (status, privileges, objects, not_compared), as
	// tidemark drift --format json prints them.
	drift.Report
	// Revert (live → expected) and Codify (expected → live) are the
	// migration scripts, hazards as comments; the errors say why one
	// could not be planned.
	Revert      string `json:"revert"`
	Codify      string `json:"codify"`
	RevertError string `json:"revert_error,omitempty"`
	CodifyError string `json:"codify_error,omitempty"`
}

// Center evaluates anomalies after syncs and keeps them in the workspace.
type Center struct {
	WS    *workspace.Store
	Conns *instances.Connector
	Sync  *schemasync.Syncer
	// Changes reconciles the database's change history from the target
	// before the expected schema is read (*change.Service); nil: not.
	Changes drift.Reconciler
	// Now is the clock (nil: time.Now); tests inject their own.
	Now func() time.Time
	// Opened, when set, is told about each anomaly that appears.
	Opened func(Anomaly)
}

// Store returns the center's store.
func (c *Center) Store() *Store { return NewStore(c.WS) }

func (c *Center) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// AfterSync evaluates the anomalies a finished monitor sync tells about: an
// instance sync's connection failure (or its clearing), a database sync's
// failure, and after a successful database sync its history table, its
// non-transactional migrations and its schema drift. It is the monitor's
// AfterSync hook.
func (c *Center) AfterSync(ctx context.Context, e monitor.Event) error {
	now := c.now()
	st := c.Store()
	if e.DatabaseID == "" {
		in, err := c.WS.GetInstance(ctx, e.InstanceID)
		if errors.Is(err, workspace.ErrNotFound) {
			return nil // removed meanwhile
		}
		if err != nil {
			return err
		}
		if e.Err == nil {
			_, err := st.Clear(ctx, KindConnection, in.ID, "", nil, now)
			return err
		}
		ue := usererr.From(e.Err)
		return c.observe(ctx, Condition{Kind: KindConnection, Severity: SeverityError, InstanceID: in.ID, EnvironmentID: in.EnvironmentID,
			Summary: "Cannot connect to instance " + in.Name + ": " + ue.Message,
			Details: ErrorDetails{Error: ue.Message, SQLState: ue.SQLState},
			Action:  "Check the instance's host, port, user and password and that the server is running; the next sync resolves this"}, now)
	}
	d, err := c.WS.GetDatabase(ctx, e.DatabaseID)
	if errors.Is(err, workspace.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if e.Err != nil {
		ue := usererr.From(e.Err)
		return c.observe(ctx, Condition{Kind: KindSyncFailure, Severity: SeverityError, InstanceID: d.InstanceID, DatabaseID: d.ID,
			EnvironmentID: d.EnvironmentID, Summary: "Sync of " + d.Name + " fails: " + ue.Message,
			Details: ErrorDetails{Error: ue.Message, SQLState: ue.SQLState},
			Action:  "Fix what the error names (permissions, server state, connection); the next sync resolves this"}, now)
	}
	if _, err := st.Clear(ctx, KindSyncFailure, d.InstanceID, d.ID, nil, now); err != nil {
		return err
	}
	return c.CheckDatabase(ctx, d.ID)
}

func (c *Center) observe(ctx context.Context, cond Condition, now time.Time) error {
	a, created, err := c.Store().Observe(ctx, cond, now)
	if err == nil && created && c.Opened != nil {
		c.Opened(a)
	}
	return err
}

// CheckDatabase evaluates a synced database's history table anomalies and
// its schema drift (the latest snapshot against the expected schema).
func (c *Center) CheckDatabase(ctx context.Context, databaseID string) error {
	now := c.now()
	d, err := c.Conns.Database(ctx, databaseID)
	if err != nil {
		return err
	}
	db := d.DB
	base := Condition{InstanceID: db.InstanceID, DatabaseID: db.ID, EnvironmentID: db.EnvironmentID}
	historyOK, err := c.checkHistory(ctx, d, base, now)
	if err != nil {
		return err
	}
	if historyOK && c.Changes != nil {
		if _, err := c.Changes.Reconcile(ctx, db.ID); err != nil {
			return fmt.Errorf("reconcile the change history of %s: %w", db.Name, err)
		}
	}
	return c.checkDrift(ctx, db, base, now)
}

// checkHistory reads the target's history table: unreadable is damaged,
// absent while the workspace knows of done changes in it is missing, and
// each unresolved non-transactional row that stopped partway is its own
// anomaly. It reports whether the history could be read.
func (c *Center) checkHistory(ctx context.Context, d instances.Database, base Condition, now time.Time) (bool, error) {
	st := c.Store()
	db := d.DB
	cfg, err := d.Config()
	if err != nil {
		return false, err
	}
	r, err := migrate.NewRunnerConfig(cfg, migrate.Options{})
	if err != nil {
		return false, err
	}
	rows, herr := r.History(ctx)
	hist := base
	hist.Kind, hist.Severity = KindHistoryTable, SeverityError
	if herr != nil {
		ue := usererr.From(herr)
		hist.Summary = "The history table of " + db.Name + " cannot be read: " + ue.Message
		hist.Details = ErrorDetails{Error: ue.Message, SQLState: ue.SQLState}
		hist.Action = "Restore tidemark.migration_history and tidemark.meta from a backup (Tidemark never writes a history it cannot read)"
		return false, c.observe(ctx, hist, now)
	}
	if len(rows) == 0 {
		changes, err := c.WS.ListChanges(ctx, db.ID)
		if err != nil {
			return false, err
		}
		done := 0
		for _, ch := range changes {
			if ch.Status == migrate.StatusDone {
				done++
			}
		}
		if done > 0 {
			hist.Summary = fmt.Sprintf("The history table of %s is missing: %d recorded change(s) are no longer in tidemark.migration_history", db.Name, done)
			hist.Details = ErrorDetails{Error: "tidemark.migration_history does not exist", Missing: true}
			hist.Action = "Restore the history table from a backup, or establish a new baseline to start a new history"
			return true, c.observe(ctx, hist, now)
		}
	}
	if _, err := st.Clear(ctx, KindHistoryTable, db.InstanceID, db.ID, nil, now); err != nil {
		return false, err
	}
	// The latest row of each version decides (a retry writes a new row).
	last := map[string]migrate.HistoryRow{}
	var order []string
	for _, h := range rows {
		if _, ok := last[h.Version]; !ok {
			order = append(order, h.Version)
		}
		last[h.Version] = h
	}
	var keep []string
	for _, v := range order {
		h := last[v]
		if h.Transactional || h.ResolvedAs != "" || (h.Status != migrate.StatusStarted && h.Status != migrate.StatusFailed) {
			continue
		}
		keep = append(keep, v)
		cond := base
		cond.Kind, cond.Severity, cond.Subject = KindNonTxStarted, SeverityError, v
		cond.Summary = fmt.Sprintf("Non-transactional migration %s on %s stopped partway (%s, %d of %d statements): every migration is blocked until it is resolved",
			v, db.Name, h.Status, h.StatementsApplied, h.StatementsTotal)
		cond.Details = MigrationDetails{Version: v, Description: h.Description, Path: h.Path, Status: h.Status,
			StatementsApplied: h.StatementsApplied, StatementsTotal: h.StatementsTotal, Error: h.Error}
		cond.Action = "Finish or undo what ran, then run tidemark migrate resolve --version " + v + " --as retry|done|rolled-back"
		if err := c.observe(ctx, cond, now); err != nil {
			return true, err
		}
	}
	if _, err := st.Clear(ctx, KindNonTxStarted, db.InstanceID, db.ID, keep, now); err != nil {
		return true, err
	}
	return true, nil
}

// checkDrift compares the latest snapshot with the expected schema.
func (c *Center) checkDrift(ctx context.Context, db workspace.Database, base Condition, now time.Time) error {
	st := c.Store()
	live, err := c.Sync.Latest(ctx, db.ID)
	if errors.Is(err, workspace.ErrNotFound) {
		return nil // never synced: nothing to compare yet
	}
	if err != nil {
		return err
	}
	exp, err := drift.Expected(ctx, c.WS, c.Sync, db.ID)
	if err != nil {
		return err
	}
	if exp.Result == nil {
		// No snapshot holds the expectation yet: a change the reconcile
		// just learnt of, after the sync's snapshot was taken. A snapshot
		// taken now holds it (drift.Expected's rule, as drift.Check does).
		if live, err = c.Sync.Sync(ctx, db.ID, nil); err != nil {
			return err
		}
		if exp, err = drift.Expected(ctx, c.WS, c.Sync, db.ID); err != nil {
			return err
		}
		if exp.Result == nil {
			return fmt.Errorf("expected schema of %s: no snapshot after the latest change", db.Name)
		}
	}
	liveRes := drift.SnapshotResult(live)
	rep := drift.Compare(exp.Result, liveRes)
	if !rep.Drifted() {
		_, err := st.Clear(ctx, KindSchemaDrift, db.InstanceID, db.ID, nil, now)
		return err
	}
	sev := SeverityWarning
	if env, err := c.WS.GetEnvironment(ctx, db.EnvironmentID); err == nil && env.Production() {
		sev = SeverityError
	}
	cond := base
	cond.Kind, cond.Severity = KindSchemaDrift, sev
	cond.Summary = DriftSummary(len(rep.Objects), exp)
	plans := drift.Migrations(exp.Result, liveRes)
	cond.Details = DriftDetails{ExpectedSource: exp.Source, ExpectedSnapshotID: exp.SnapshotID, ExpectedTakenAt: exp.TakenAt.UTC(),
		ChangeID: exp.ChangeID, Version: exp.Version, LiveSnapshotID: live.Info.ID, LiveTakenAt: live.Info.TakenAt.UTC(),
		Report: rep, Revert: plans.Revert.SQL(), Codify: plans.Codify.SQL(), RevertError: plans.RevertError, CodifyError: plans.CodifyError}
	cond.Action = "Establish a new baseline to accept the change, or revert the drift with the revert migration"
	return c.observe(ctx, cond, now)
}

// DriftSummary is the banner line: "Schema drift: 1 object changed since
// version 20261203…" (or since the baseline, or since the first sync).
func DriftSummary(n int, exp *drift.Expectation) string {
	objs := "1 object"
	if n != 1 {
		objs = fmt.Sprintf("%d objects", n)
	}
	switch exp.Source {
	case drift.FromBaseline:
		return fmt.Sprintf("Schema drift: %s changed since baseline %s", objs, exp.Version)
	case drift.FromChange:
		return fmt.Sprintf("Schema drift: %s changed since version %s", objs, exp.Version)
	}
	return fmt.Sprintf("Schema drift: %s changed since the first sync on %s", objs, exp.TakenAt.UTC().Format("2006-01-02 15:04 UTC"))
}
