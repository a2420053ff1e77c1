package workflow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/monitor"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/workflow"
)

func hasCheck(is *workflow.Issue, task string, kind workflow.CheckKind) bool {
	for _, c := range is.Task(task).Checks {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

// The baseline path end to end: a column added out of band is an anomaly;
// a schema change on the drifted database gets a drift warning (rolling out
// needs "anyway"); a baseline issue lists the drift it accepts and, rolled
// out, records a baseline row in the target's history over the existing
// history, makes the live schema the expected one, and the anomaly
// resolves on the next sync.
func TestBaselineAcceptsDrift(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "CREATE TABLE t1 (id int PRIMARY KEY)", false)
	_, url := d, ""
	{
		in, err := f.Conns.Database(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		url = in.Info.URL()
	}
	sy := schemasync.New(f.WS, f.Conns)
	center := &anomaly.Center{WS: f.WS, Conns: f.Conns, Sync: sy, Changes: change.New(f.WS, f.Conns, sy)}
	mon := monitor.New(monitor.Deps{WS: f.WS, Conns: f.Conns, Sync: sy, AfterSync: center.AfterSync})
	syncDB := func() {
		t.Helper()
		if r := mon.SyncDatabase(ctx, d.ID); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	openDrift := func() int {
		t.Helper()
		as, err := center.Store().List(ctx, anomaly.Filter{DatabaseID: d.ID, Kind: anomaly.KindSchemaDrift})
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	syncDB() // the implicit baseline

	// A clean database: no drift check on a change.
	is := f.ready(t, d, "CREATE TABLE t2 (id int);", "20261203000001")
	if hasCheck(is, "t1", workflow.CheckDrift) {
		t.Fatalf("drift check without drift: %+v", check(t, is, "t1", workflow.CheckDrift))
	}
	if _, err := f.wf.Rollout(ctx, workflow.RolloutRequest{Issue: is.Number}); err != nil {
		t.Fatal(err)
	}
	syncDB()
	if n := openDrift(); n != 0 {
		t.Fatalf("a change rolled out through an issue is drift: %d", n)
	}

	pgtest.MustExec(t, url, "ALTER TABLE t1 ADD COLUMN age integer")
	syncDB()
	if n := openDrift(); n != 1 {
		t.Fatalf("drift anomalies = %d", n)
	}

	// A change on the drifted database: a warning naming the drift.
	ch, err := f.wf.Create(ctx, workflow.CreateRequest{DatabaseIDs: []string{d.ID}, SQL: "CREATE TABLE t3 (id int);", Version: "20261203000002"})
	if err != nil {
		t.Fatal(err)
	}
	if ch, err = f.wf.Check(ctx, ch.Number); err != nil {
		t.Fatal(err)
	}
	dc := check(t, ch, "t1", workflow.CheckDrift)
	if dc.Status != workflow.CheckWarning || !strings.Contains(dc.Summary, "changed outside Tidemark since version 20261203000001") ||
		len(dc.Results) != 1 || dc.Results[0].Title != "altered table public.t1" || dc.Results[0].Message != "column age added: age integer" {
		t.Fatalf("drift check = %+v", dc)
	}
	if g, ok := closedGate(ch, "t1"); !ok || g != "checks" {
		t.Fatalf("gate with a drift warning = %q %v", g, ok)
	}
	if _, err := f.wf.Cancel(ctx, ch.Number, 0, "", "baseline first"); err != nil {
		t.Fatal(err)
	}

	// The baseline lists what it accepts.
	bl, err := f.wf.Create(ctx, workflow.CreateRequest{Type: workflow.TypeBaseline, DatabaseIDs: []string{d.ID}, Version: "20261203000003"})
	if err != nil {
		t.Fatal(err)
	}
	if bl, err = f.wf.Check(ctx, bl.Number); err != nil {
		t.Fatal(err)
	}
	bc := check(t, bl, "t1", workflow.CheckDrift)
	if bc.Status != workflow.CheckSuccess || !strings.Contains(bc.Summary, "accepts the drift since version 20261203000001: 1 object(s)") ||
		len(bc.Results) != 1 || bc.Results[0].Message != "column age added: age integer" {
		t.Fatalf("baseline drift check = %+v", bc)
	}
	if bl, err = f.wf.Rollout(ctx, workflow.RolloutRequest{Issue: bl.Number}); err != nil {
		t.Fatal(err)
	}
	if tk := bl.Task("t1"); tk.Status != workflow.TaskDone {
		t.Fatalf("baseline task = %s %+v", tk.Status, tk.Error)
	}
	r, err := migrate.NewRunner(url, migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := r.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if last.Type != migrate.TypeBaseline || last.Version != "20261203000003" || last.Issue != bl.Number || last.Status != migrate.StatusDone {
		t.Fatalf("last history row = %+v", last)
	}
	exp, err := drift.Expected(ctx, f.WS, sy, d.ID)
	if err != nil || exp.Source != drift.FromBaseline || exp.Version != "20261203000003" {
		t.Fatalf("expected after the baseline = %+v, %v", exp, err)
	}
	syncDB()
	if n := openDrift(); n != 0 {
		t.Fatalf("drift after the baseline: %d open", n)
	}
	// And the next change has no drift warning.
	is = f.ready(t, d, "CREATE TABLE t4 (id int);", "20261203000004")
	if hasCheck(is, "t1", workflow.CheckDrift) {
		t.Fatalf("drift check after the baseline: %+v", check(t, is, "t1", workflow.CheckDrift))
	}
}

// A new baseline must be above every applied version and needs nothing
// left to resolve; a plain baseline still refuses a database with history.
func TestNewBaselineRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "CREATE TABLE t1 (id int PRIMARY KEY)", false)
	in, err := f.Conns.Database(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := migrate.NewRunner(in.Info.URL(), migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ApplyChange(ctx, migrate.Change{Version: "5", Type: migrate.TypeDDL, SQL: "CREATE TABLE t2 (id int)"}, migrate.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opts migrate.BaselineOptions
		want error
	}{
		{migrate.BaselineOptions{Version: "6"}, migrate.ErrHasHistory},
		{migrate.BaselineOptions{Version: "5", New: true}, migrate.ErrOutOfOrder},
		{migrate.BaselineOptions{Version: "4", New: true}, migrate.ErrOutOfOrder},
	} {
		if err := r.Baseline(ctx, c.opts); err == nil || !strings.Contains(err.Error(), c.want.Error()) {
			t.Errorf("%+v: %v, want %v", c.opts, err, c.want)
		}
		if err := r.CheckChange(ctx, migrate.Change{Version: c.opts.Version, Type: migrate.TypeBaseline, NewBaseline: c.opts.New}, false); err == nil {
			t.Errorf("CheckChange %+v accepted", c.opts)
		}
	}
	if err := r.Baseline(ctx, migrate.BaselineOptions{Version: "6", New: true}); err != nil {
		t.Fatal(err)
	}
	// A non-transactional unit left partway blocks a new baseline.
	if _, err := r.ApplyChange(ctx, migrate.Change{Version: "7", Type: migrate.TypeDDL,
		SQL: "CREATE INDEX CONCURRENTLY t1_a ON t1 (id);\nCREATE INDEX CONCURRENTLY nope_a ON nope (id);"}, migrate.ApplyOptions{}); err == nil {
		t.Fatal("the failing unit succeeded")
	}
	if err := r.Baseline(ctx, migrate.BaselineOptions{Version: "8", New: true}); err == nil || !strings.Contains(err.Error(), migrate.ErrNeedsResolve.Error()) {
		t.Fatalf("new baseline past a stopped unit: %v", err)
	}
}
