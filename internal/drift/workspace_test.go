package drift_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

// TestCheckWorkspaceDatabase: with no history the first snapshot is the
// implicit baseline; after a recorded change its after-snapshot is the
// expectation; a change without one has no expectation.
func TestCheckWorkspaceDatabase(t *testing.T) {
	f := wstest.New(t, srv)
	d, url := f.Database(t, base)
	ctx := context.Background()
	sy := schemasync.New(f.WS, f.Conns)

	if exp, err := drift.Expected(ctx, f.WS, sy, d.ID); err != nil || exp != nil {
		t.Fatalf("never synced: %+v, %v", exp, err)
	}
	first, err := drift.Check(ctx, f.WS, sy, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.Expected.Source != drift.FromImplicitBaseline || first.Report.Drifted() || first.Expected.SnapshotID != first.LiveSnapshotID {
		t.Fatalf("first check: %+v", first)
	}

	pgtest.MustExec(t, url, "ALTER TABLE app.t ADD COLUMN extra int")
	second, err := drift.Check(ctx, f.WS, sy, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if second.Expected.Source != drift.FromImplicitBaseline || second.Expected.SnapshotID != first.LiveSnapshotID || !second.Report.Drifted() {
		t.Fatalf("second check against the implicit baseline: %+v", second)
	}
	if o := second.Report.Objects[0]; o.Name != "t" || o.Changes[0].Property != "column extra" {
		t.Fatalf("drift: %+v", o)
	}

	// The column is codified by a recorded change whose after-snapshot holds it.
	if _, err := f.WS.RecordChange(ctx, workspace.Change{DatabaseID: d.ID, RunID: "run-1", Version: "1", Type: "ddl", Status: "done",
		Source: workspace.SourceCLI, AfterSnapshotID: second.LiveSnapshotID, AppliedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	third, err := drift.Check(ctx, f.WS, sy, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if third.Expected.Source != drift.FromChange || third.Expected.Version != "1" || third.Report.Drifted() {
		t.Fatalf("third check against the change: %+v", third)
	}

	// A later baseline row counts too.
	if _, err := f.WS.RecordChange(ctx, workspace.Change{DatabaseID: d.ID, RunID: "run-2", Version: "2", Type: "baseline", Status: "done",
		Source: workspace.SourceCLI, AfterSnapshotID: first.LiveSnapshotID, AppliedAt: time.Now().Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	exp, err := drift.Expected(ctx, f.WS, sy, d.ID)
	if err != nil || exp.Source != drift.FromBaseline || exp.SnapshotID != first.LiveSnapshotID {
		t.Fatalf("baseline: %+v, %v", exp, err)
	}

	// A change applied elsewhere (no after-snapshot here) leaves no expectation.
	if _, err := f.WS.RecordChange(ctx, workspace.Change{DatabaseID: d.ID, RunID: "run-3", Version: "3", Type: "ddl", Status: "done",
		Source: workspace.SourceOtherMachine, SeenOnSync: true, AppliedAt: time.Now().Add(2 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, err := drift.Check(ctx, f.WS, sy, d.ID); !errors.Is(err, drift.ErrNoExpectation) {
		t.Fatalf("want ErrNoExpectation, got %v", err)
	}
}
