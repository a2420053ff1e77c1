package drift

import (
	"context"
	"fmt"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Sources of an Expectation.
const (
	FromChange           = "change"            // the snapshot after the latest done change
	FromBaseline         = "baseline"          // the snapshot after the latest done change, a baseline
	FromImplicitBaseline = "implicit_baseline" // no history: the database's first snapshot
)

// Expectation is the schema a workspace database is expected to have.
type Expectation struct {
	Source     string `json:"source"` // FromChange, FromBaseline or FromImplicitBaseline
	SnapshotID string `json:"snapshot_id"`
	TakenAt    time.Time
	// ChangeID and Version name the change whose after-snapshot it is.
	ChangeID string `json:"change_id,omitempty"`
	Version  string `json:"version,omitempty"`
	// Result is the expected model. Nil when no snapshot exists yet after
	// the change (or at all): the next sync becomes the expectation.
	Result *catalog.Result
}

// Expected returns the expected schema of a workspace database: the
// snapshot after the latest done change of its change history (baselines
// included; any source). That is the change's after-snapshot, or, for a
// change applied elsewhere (a row found in the target's
// tidemark.migration_history on reconcile, with no snapshot here), the
// first snapshot taken after the workspace learnt of it. With no history it
// is the database's first snapshot, the implicit baseline. When no such
// snapshot exists yet, Result is nil: the next sync becomes it.
func Expected(ctx context.Context, ws *workspace.Store, sy *schemasync.Syncer, databaseID string) (*Expectation, error) {
	changes, err := ws.ListChanges(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	snaps, err := ws.ListSnapshots(ctx, databaseID) // newest first
	if err != nil {
		return nil, err
	}
	exp := &Expectation{Source: FromImplicitBaseline}
	id := ""
	if len(snaps) > 0 {
		id = snaps[len(snaps)-1].ID
	}
	for _, c := range changes { // newest first
		if c.Status != "done" {
			continue
		}
		exp = &Expectation{Source: FromChange, ChangeID: c.ID, Version: c.Version}
		if c.Type == "baseline" {
			exp.Source = FromBaseline
		}
		id = c.AfterSnapshotID
		if id == "" {
			// Both times are this machine's clock: a snapshot taken after
			// the row was recorded certainly holds the change.
			for i := len(snaps) - 1; i >= 0; i-- {
				if !snaps[i].TakenAt.Before(c.RecordedAt) {
					id = snaps[i].ID
					break
				}
			}
		}
		break
	}
	if id == "" {
		return exp, nil
	}
	snap, err := sy.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("expected schema of the database: %w", err)
	}
	exp.SnapshotID, exp.TakenAt, exp.Result = snap.Info.ID, snap.Info.TakenAt, resultOf(snap)
	return exp, nil
}

// SnapshotResult is a stored snapshot as the catalog result Compare and
// Migrations take.
func SnapshotResult(s *schemasync.Snapshot) *catalog.Result { return resultOf(s) }

func resultOf(s *schemasync.Snapshot) *catalog.Result {
	return &catalog.Result{Schema: s.Schema, Unsupported: s.Unsupported(), ServerVersion: s.Info.ServerVersion, Fingerprint: s.Info.Fingerprint}
}

// CheckResult is a drift check of a workspace database.
type CheckResult struct {
	Expected *Expectation
	// LiveSnapshotID is the snapshot the check's sync stored.
	LiveSnapshotID string
	Report         Report
}

// Reconciler brings a database's workspace change history up to date from
// the target's tidemark.migration_history (*change.Service does).
type Reconciler interface {
	Reconcile(ctx context.Context, databaseID string) ([]workspace.Change, error)
}

// Check reconciles the database's change history (when rec is not nil),
// syncs it (storing a snapshot) and compares it with its expected schema.
// When no snapshot holds the expectation yet (see Expected), the snapshot
// just taken becomes it: no drift, and Expected says where it came from.
func Check(ctx context.Context, ws *workspace.Store, sy *schemasync.Syncer, rec Reconciler, databaseID string) (*CheckResult, error) {
	if rec != nil {
		if _, err := rec.Reconcile(ctx, databaseID); err != nil {
			return nil, err
		}
	}
	exp, err := Expected(ctx, ws, sy, databaseID)
	if err != nil {
		return nil, err
	}
	snap, err := sy.Sync(ctx, databaseID, nil)
	if err != nil {
		return nil, err
	}
	live := resultOf(snap)
	if exp.Result == nil {
		exp.SnapshotID, exp.TakenAt, exp.Result = snap.Info.ID, snap.Info.TakenAt, live
	}
	return &CheckResult{Expected: exp, LiveSnapshotID: snap.Info.ID, Report: Compare(exp.Result, live)}, nil
}
