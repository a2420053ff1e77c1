package drift_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

// TestCheckWorkspaceDatabase: with no history the first snapshot is the
// implicit baseline; after a recorded change its after-snapshot is the
// expectation, a baseline row counts, and a change applied elsewhere is
// reconciled from the target and the first snapshot after it expected.
func TestCheckWorkspaceDatabase(t *testing.T) {
	f := wstest.New(t, srv)
	d, url := f.Database(t, base)
	ctx := context.Background()
	sy := schemasync.New(f.WS, f.Conns)

	rec := change.New(f.WS, f.Conns, sy)
	if exp, err := drift.Expected(ctx, f.WS, sy, d.ID); err != nil || exp.Result != nil || exp.Source != drift.FromImplicitBaseline {
		t.Fatalf("never synced: %+v, %v", exp, err)
	}
	first, err := drift.Check(ctx, f.WS, sy, rec, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.Expected.Source != drift.FromImplicitBaseline || first.Report.Drifted() || first.Expected.SnapshotID != first.LiveSnapshotID {
		t.Fatalf("first check: %+v", first)
	}

	pgtest.MustExec(t, url, "ALTER TABLE app.t ADD COLUMN extra int")
	second, err := drift.Check(ctx, f.WS, sy, rec, d.ID)
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
		Source: workspace.SourceCLI, AfterSnapshotID: second.LiveSnapshotID, AppliedAt: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	third, err := drift.Check(ctx, f.WS, sy, rec, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if third.Expected.Source != drift.FromChange || third.Expected.Version != "1" || third.Report.Drifted() {
		t.Fatalf("third check against the change: %+v", third)
	}

	// A later baseline row counts too.
	if _, err := f.WS.RecordChange(ctx, workspace.Change{DatabaseID: d.ID, RunID: "run-2", Version: "2", Type: "baseline", Status: "done",
		Source: workspace.SourceCLI, AfterSnapshotID: first.LiveSnapshotID, AppliedAt: time.Now().Add(-30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	exp, err := drift.Expected(ctx, f.WS, sy, d.ID)
	if err != nil || exp.Source != drift.FromBaseline || exp.SnapshotID != first.LiveSnapshotID {
		t.Fatalf("baseline: %+v, %v", exp, err)
	}

	// A change applied outside this workspace (CI running tidemark migrate)
	// is found in the target's history on reconcile; the first snapshot
	// after it is the expectation.
	migs := t.TempDir()
	if err := os.WriteFile(filepath.Join(migs, "V5__ci.sql"), []byte("CREATE TABLE app.from_ci (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ms, err := migrate.LoadDir(os.DirFS(migs), migrate.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := migrate.NewRunner(url, migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Apply(ctx, ms, migrate.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	fourth, err := drift.Check(ctx, f.WS, sy, rec, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fourth.Expected.Source != drift.FromChange || fourth.Expected.Version != "5" || fourth.Report.Drifted() || fourth.Expected.SnapshotID != fourth.LiveSnapshotID {
		t.Fatalf("after the CI change: %+v", fourth.Expected)
	}
	pgtest.MustExec(t, url, "DROP TABLE app.child")
	fifth, err := drift.Check(ctx, f.WS, sy, rec, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fifth.Expected.SnapshotID != fourth.LiveSnapshotID || len(fifth.Report.Objects) != 1 || fifth.Report.Objects[0].Name != "child" || fifth.Report.Objects[0].Action != drift.Dropped {
		t.Fatalf("drift after the CI change: %+v", fifth.Report.Objects)
	}
}
