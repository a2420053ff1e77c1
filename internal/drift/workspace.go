package drift

import (
	"context"
	"errors"
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
	Result   *catalog.Result
}

// ErrNoExpectation is returned (wrapped) when the latest change of a
// database has no snapshot after it (a change applied from another machine):
// its expected schema is unknown until a change is applied from here or a
// baseline is taken.
var ErrNoExpectation = errors.New("no expected schema")

// Expected returns the expected schema of a workspace database: the
// after-snapshot of the latest done change of its change history (baselines
// included; callers reconcile the history from the target first, since
// tidemark.migration_history is the truth), or, with no history, its first
// snapshot as the implicit baseline. It returns nil, nil for a database
// with neither (its next sync becomes the implicit baseline).
func Expected(ctx context.Context, ws *workspace.Store, sy *schemasync.Syncer, databaseID string) (*Expectation, error) {
	changes, err := ws.ListChanges(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	for _, c := range changes { // newest first
		if c.Status != "done" {
			continue
		}
		if c.AfterSnapshotID == "" {
			return nil, fmt.Errorf("%w: change %s was applied without a snapshot after it (from another machine); apply a change or take a baseline from this workspace", ErrNoExpectation, c.Version)
		}
		snap, err := sy.Get(ctx, c.AfterSnapshotID)
		if err != nil {
			return nil, fmt.Errorf("snapshot after change %s: %w", c.Version, err)
		}
		src := FromChange
		if c.Type == "baseline" {
			src = FromBaseline
		}
		return &Expectation{Source: src, SnapshotID: snap.Info.ID, TakenAt: snap.Info.TakenAt, ChangeID: c.ID, Version: c.Version, Result: resultOf(snap)}, nil
	}
	snaps, err := ws.ListSnapshots(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	if len(snaps) == 0 {
		return nil, nil
	}
	snap, err := sy.Get(ctx, snaps[len(snaps)-1].ID) // oldest
	if err != nil {
		return nil, err
	}
	return &Expectation{Source: FromImplicitBaseline, SnapshotID: snap.Info.ID, TakenAt: snap.Info.TakenAt, Result: resultOf(snap)}, nil
}

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

// Check syncs a workspace database (storing a snapshot) and compares it
// with its expected schema. A database with no expectation yet gets none:
// the snapshot just taken becomes its implicit baseline (no drift).
func Check(ctx context.Context, ws *workspace.Store, sy *schemasync.Syncer, databaseID string) (*CheckResult, error) {
	exp, err := Expected(ctx, ws, sy, databaseID)
	if err != nil {
		return nil, err
	}
	snap, err := sy.Sync(ctx, databaseID, nil)
	if err != nil {
		return nil, err
	}
	live := resultOf(snap)
	if exp == nil {
		exp = &Expectation{Source: FromImplicitBaseline, SnapshotID: snap.Info.ID, TakenAt: snap.Info.TakenAt, Result: live}
	}
	return &CheckResult{Expected: exp, LiveSnapshotID: snap.Info.ID, Report: Compare(exp.Result, live)}, nil
}
