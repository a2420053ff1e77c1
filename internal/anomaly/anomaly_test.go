package anomaly_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/monitor"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

// clock is an injected clock the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fixture wires a monitor to a Center the way the desktop app does.
type fixture struct {
	*wstest.Fixture
	clk     *clock
	center  *anomaly.Center
	mon     *monitor.Monitor
	opened  []anomaly.Anomaly
	hookErr []error
	mu      sync.Mutex
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{Fixture: wstest.New(t, srv), clk: &clock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}}
	sy := schemasync.New(f.WS, f.Conns)
	f.center = &anomaly.Center{WS: f.WS, Conns: f.Conns, Sync: sy, Changes: change.New(f.WS, f.Conns, sy), Now: f.clk.Now,
		Opened: func(a anomaly.Anomaly) { f.mu.Lock(); f.opened = append(f.opened, a); f.mu.Unlock() }}
	f.mon = monitor.New(monitor.Deps{WS: f.WS, Conns: f.Conns, Sync: sy, Now: f.clk.Now, AfterSync: f.center.AfterSync,
		Notify: func(e monitor.Event) {
			if e.AfterErr != nil {
				f.mu.Lock()
				f.hookErr = append(f.hookErr, e.AfterErr)
				f.mu.Unlock()
			}
		}})
	t.Cleanup(func() {
		for _, err := range f.hookErr {
			t.Errorf("anomaly evaluation failed: %v", err)
		}
	})
	return f
}

func (f *fixture) sync(t *testing.T, dbID string) {
	t.Helper()
	if r := f.mon.SyncDatabase(context.Background(), dbID); r.Err != nil {
		t.Fatalf("sync: %v", r.Err)
	}
}

func (f *fixture) list(t *testing.T, flt anomaly.Filter) []anomaly.Anomaly {
	t.Helper()
	as, err := f.center.Store().List(context.Background(), flt)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// Schema drift appears on the sync after an out-of-band change, persists
// (one open anomaly whose last seen moves, first seen kept) while the change
// stays, and resolves itself — archived with the time — once the schema is
// back to what is expected.
func TestDriftLifecycle(t *testing.T) {
	f := newFixture(t)
	d, url := f.Database(t, `CREATE TABLE t1 (id int PRIMARY KEY, name text)`)
	f.sync(t, d.ID) // the implicit baseline
	if as := f.list(t, anomaly.Filter{All: true}); len(as) != 0 {
		t.Fatalf("first sync: %+v", as)
	}

	pgtest.MustExec(t, url, `ALTER TABLE t1 ADD COLUMN age integer`)
	f.clk.Add(10 * time.Minute)
	t1 := f.clk.Now()
	f.sync(t, d.ID)
	as := f.list(t, anomaly.Filter{DatabaseID: d.ID})
	if len(as) != 1 {
		t.Fatalf("after the change: %+v", as)
	}
	a := as[0]
	if a.Kind != anomaly.KindSchemaDrift || a.Severity != anomaly.SeverityWarning || !a.FirstSeen.Equal(t1) || !a.LastSeen.Equal(t1) ||
		!a.Open() || a.DatabaseName != d.Name || a.EnvironmentID != "test" || a.Action == "" {
		t.Fatalf("drift anomaly: %+v", a)
	}
	var det anomaly.DriftDetails
	if err := json.Unmarshal(a.Details, &det); err != nil {
		t.Fatal(err)
	}
	if det.ExpectedSource != drift.FromImplicitBaseline || len(det.Report.Objects) != 1 {
		t.Fatalf("details: %+v", det)
	}
	o := det.Report.Objects[0]
	if o.Name != "t1" || o.Action != drift.Altered || len(o.Changes) != 1 || o.Changes[0].Property != "column age" || o.Changes[0].Action != drift.Added {
		t.Fatalf("drifted object: %+v", o)
	}
	if !strings.Contains(det.Revert, "ALTER TABLE public.t1 DROP COLUMN age;") || !strings.Contains(det.Codify, "ALTER TABLE public.t1 ADD COLUMN age integer;") ||
		det.RevertError != "" || det.CodifyError != "" {
		t.Fatalf("migrations:\n%s\n%s", det.Revert, det.Codify)
	}
	// The first sync's snapshot time is the real clock's (schemasync), so only the prefix is fixed.
	if !strings.HasPrefix(a.Summary, "Schema drift: 1 object changed since the first sync on ") || !strings.HasSuffix(a.Summary, " UTC") {
		t.Fatalf("summary: %q", a.Summary)
	}
	if len(f.opened) != 1 || f.opened[0].ID != a.ID {
		t.Fatalf("opened notifications: %+v", f.opened)
	}

	// Persists: the same anomaly, last seen moves, nothing new opens.
	f.clk.Add(10 * time.Minute)
	t2 := f.clk.Now()
	f.sync(t, d.ID)
	as = f.list(t, anomaly.Filter{DatabaseID: d.ID, All: true})
	if len(as) != 1 || as[0].ID != a.ID || !as[0].FirstSeen.Equal(t1) || !as[0].LastSeen.Equal(t2) || len(f.opened) != 1 {
		t.Fatalf("persisting: %+v (opened %d)", as, len(f.opened))
	}
	// A second object drifting refreshes the details of the same anomaly.
	pgtest.MustExec(t, url, `CREATE INDEX t1_name_idx ON t1 (name); CREATE TABLE extra (id int)`)
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	as = f.list(t, anomaly.Filter{DatabaseID: d.ID})
	if len(as) != 1 || as[0].ID != a.ID || as[0].Summary[:len("Schema drift: 2 objects changed")] != "Schema drift: 2 objects changed" {
		t.Fatalf("two objects: %+v", as)
	}

	// Resolves: back to the expected schema.
	pgtest.MustExec(t, url, `DROP TABLE extra; DROP INDEX t1_name_idx; ALTER TABLE t1 DROP COLUMN age`)
	f.clk.Add(10 * time.Minute)
	t3 := f.clk.Now()
	f.sync(t, d.ID)
	if open := f.list(t, anomaly.Filter{DatabaseID: d.ID}); len(open) != 0 {
		t.Fatalf("still open: %+v", open)
	}
	all := f.list(t, anomaly.Filter{DatabaseID: d.ID, All: true})
	if len(all) != 1 || all[0].ID != a.ID || all[0].Open() || !all[0].ResolvedAt.Equal(t3) || !all[0].FirstSeen.Equal(t1) {
		t.Fatalf("archived: %+v", all)
	}
	got, err := f.center.Store().Get(context.Background(), a.ID)
	if err != nil || got.ResolvedAt.IsZero() {
		t.Fatalf("get: %+v, %v", got, err)
	}

	// Drifting again opens a new anomaly; the archived one stays archived.
	pgtest.MustExec(t, url, `ALTER TABLE t1 ADD COLUMN age integer`)
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	all = f.list(t, anomaly.Filter{DatabaseID: d.ID, All: true})
	if len(all) != 2 || !all[0].Open() || all[0].ID == a.ID || all[1].ID != a.ID || all[1].Open() {
		t.Fatalf("drift again: %+v", all)
	}
	if n, err := f.center.Store().CountOpen(context.Background()); err != nil || n != 1 {
		t.Fatalf("count open = %d, %v", n, err)
	}
}

// A production database's drift is an error; a change recorded in the
// target's history (codifying the drift) makes its after-snapshot expected
// and resolves the anomaly.
func TestDriftAgainstRecordedChange(t *testing.T) {
	f := newFixture(t)
	d, url := f.Database(t, `CREATE TABLE t1 (id int PRIMARY KEY)`)
	f.Production(t, d)
	f.sync(t, d.ID)
	pgtest.MustExec(t, url, `ALTER TABLE t1 ADD COLUMN age integer`)
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	as := f.list(t, anomaly.Filter{Kind: anomaly.KindSchemaDrift, EnvironmentID: "prod"})
	if len(as) != 1 || as[0].Severity != anomaly.SeverityError {
		t.Fatalf("production drift: %+v", as)
	}
	// Baseline the database with the migrate runner (as CI would): the
	// reconciled baseline row, with the first snapshot after it, is expected.
	r, err := migrate.NewRunner(url, migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Baseline(context.Background(), migrate.BaselineOptions{Version: "20261203090000", Description: "accept age"}); err != nil {
		t.Fatal(err)
	}
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	if open := f.list(t, anomaly.Filter{DatabaseID: d.ID}); len(open) != 0 {
		t.Fatalf("after the baseline: %+v", open)
	}
	pgtest.MustExec(t, url, `ALTER TABLE t1 ADD COLUMN more text`)
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	as = f.list(t, anomaly.Filter{DatabaseID: d.ID})
	if len(as) != 1 || as[0].Summary != "Schema drift: 1 object changed since baseline 20261203090000" {
		t.Fatalf("drift after the baseline: %+v", as)
	}
}

// An instance that cannot be reached is an anomaly of the instance until a
// sync reaches it.
func TestConnectionFailureLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	good := f.Instance
	bad := good
	bad.Port = port
	if _, err := f.WS.UpdateInstance(ctx, bad); err != nil {
		t.Fatal(err)
	}
	if r := f.mon.SyncInstance(ctx, good.ID); r.Err == nil {
		t.Fatal("sync of an unreachable instance succeeded")
	}
	as := f.list(t, anomaly.Filter{Kind: anomaly.KindConnection})
	if len(as) != 1 || as[0].InstanceID != good.ID || as[0].DatabaseID != "" || as[0].Severity != anomaly.SeverityError || as[0].InstanceName != "Local" {
		t.Fatalf("connection anomaly: %+v", as)
	}
	var det anomaly.ErrorDetails
	if err := json.Unmarshal(as[0].Details, &det); err != nil || det.Error == "" {
		t.Fatalf("details %s: %v", as[0].Details, err)
	}
	first := as[0]
	f.clk.Add(time.Minute)
	f.mon.SyncInstance(ctx, good.ID)
	as = f.list(t, anomaly.Filter{Kind: anomaly.KindConnection})
	if len(as) != 1 || as[0].ID != first.ID || !as[0].LastSeen.After(first.LastSeen) {
		t.Fatalf("persisting: %+v", as)
	}
	if _, err := f.WS.UpdateInstance(ctx, good); err != nil {
		t.Fatal(err)
	}
	f.clk.Add(time.Minute)
	resolvedAt := f.clk.Now()
	if r := f.mon.SyncInstance(ctx, good.ID); r.Err != nil {
		t.Fatal(r.Err)
	}
	if as := f.list(t, anomaly.Filter{Kind: anomaly.KindConnection}); len(as) != 0 {
		t.Fatalf("still open: %+v", as)
	}
	got, err := f.center.Store().Get(ctx, first.ID)
	if err != nil || !got.ResolvedAt.Equal(resolvedAt) {
		t.Fatalf("resolved: %+v, %v", got, err)
	}
}

// A non-transactional migration that stopped partway is an anomaly until
// migrate resolve; a damaged history table, and a missing one that the
// workspace knew rows of, are anomalies until it is whole again.
func TestHistoryTableLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d, url := f.Database(t, `CREATE TABLE t1 (id int PRIMARY KEY, v int)`)
	f.sync(t, d.ID)

	dir := t.TempDir()
	write := func(name, sql string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(sql), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("V1__table.sql", "CREATE TABLE t2 (id int);\n")
	write("V2__index.sql", "CREATE INDEX CONCURRENTLY t1_v_idx ON t1 (v);\nCREATE INDEX CONCURRENTLY nope_idx ON nope (v);\n")
	ms, err := migrate.LoadDir(os.DirFS(dir), migrate.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := migrate.NewRunner(url, migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Apply(ctx, ms, migrate.ApplyOptions{}); err == nil {
		t.Fatal("the second migration should fail")
	}
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	as := f.list(t, anomaly.Filter{Kind: anomaly.KindNonTxStarted})
	if len(as) != 1 || as[0].Subject != "2" || as[0].Severity != anomaly.SeverityError {
		t.Fatalf("non-transactional anomaly: %+v", as)
	}
	var md anomaly.MigrationDetails
	if err := json.Unmarshal(as[0].Details, &md); err != nil || md.Version != "2" || md.StatementsApplied != 1 || md.StatementsTotal != 2 {
		t.Fatalf("details %s: %v", as[0].Details, err)
	}
	if _, err := r.Resolve(ctx, migrate.ResolveOptions{Version: "2", As: migrate.ResolveDone}); err != nil {
		t.Fatal(err)
	}
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	if as := f.list(t, anomaly.Filter{Kind: anomaly.KindNonTxStarted}); len(as) != 0 {
		t.Fatalf("after resolve: %+v", as)
	}

	// Damaged: the history table without its meta table.
	pgtest.MustExec(t, url, `ALTER TABLE tidemark.meta RENAME TO meta_moved`)
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	as = f.list(t, anomaly.Filter{Kind: anomaly.KindHistoryTable})
	var ed anomaly.ErrorDetails
	if len(as) != 1 || json.Unmarshal(as[0].Details, &ed) != nil || ed.Missing || ed.Error == "" {
		t.Fatalf("damaged history: %+v", as)
	}
	pgtest.MustExec(t, url, `ALTER TABLE tidemark.meta_moved RENAME TO meta`)
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	if as := f.list(t, anomaly.Filter{Kind: anomaly.KindHistoryTable}); len(as) != 0 {
		t.Fatalf("repaired: %+v", as)
	}

	// Missing: the workspace knows done changes the target no longer has.
	changes, err := f.WS.ListChanges(ctx, d.ID)
	if err != nil || len(changes) == 0 {
		t.Fatalf("reconciled changes: %+v, %v", changes, err)
	}
	pgtest.MustExec(t, url, `DROP SCHEMA tidemark CASCADE`)
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	as = f.list(t, anomaly.Filter{Kind: anomaly.KindHistoryTable})
	if len(as) != 1 || json.Unmarshal(as[0].Details, &ed) != nil || !ed.Missing {
		t.Fatalf("missing history: %+v", as)
	}
}

// Observe and Clear keep one open anomaly per condition, refuse an unknown
// kind, and List filters by kind, environment and project.
func TestStoreFilters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d, _ := f.Database(t, "")
	st := f.center.Store()
	now := f.clk.Now()
	if _, _, err := st.Observe(ctx, anomaly.Condition{Kind: "nope", InstanceID: f.Instance.ID, Summary: "x"}, now); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if _, err := st.List(ctx, anomaly.Filter{Kind: "nope"}); err == nil {
		t.Fatal("unknown kind filter accepted")
	}
	p, err := f.WS.CreateProject(ctx, "HR")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WS.AssignProject(ctx, d.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"1", "2"} {
		if _, created, err := st.Observe(ctx, anomaly.Condition{Kind: anomaly.KindNonTxStarted, Severity: anomaly.SeverityError, InstanceID: f.Instance.ID,
			DatabaseID: d.ID, EnvironmentID: "test", Subject: v, Summary: "stopped " + v, Action: "resolve"}, now); err != nil || !created {
			t.Fatalf("observe %s: %v %v", v, created, err)
		}
	}
	if _, created, err := st.Observe(ctx, anomaly.Condition{Kind: anomaly.KindNonTxStarted, Severity: anomaly.SeverityError, InstanceID: f.Instance.ID,
		DatabaseID: d.ID, EnvironmentID: "test", Subject: "1", Summary: "stopped 1", Action: "resolve"}, now.Add(time.Second)); err != nil || created {
		t.Fatalf("observe again: %v %v", created, err)
	}
	if n, err := st.Clear(ctx, anomaly.KindNonTxStarted, f.Instance.ID, d.ID, []string{"1"}, now.Add(2*time.Second)); err != nil || n != 1 {
		t.Fatalf("clear = %d, %v", n, err)
	}
	for _, c := range []struct {
		flt  anomaly.Filter
		want int
	}{
		{anomaly.Filter{}, 1},
		{anomaly.Filter{All: true}, 2},
		{anomaly.Filter{ProjectID: p.ID, All: true}, 2},
		{anomaly.Filter{ProjectID: "other"}, 0},
		{anomaly.Filter{EnvironmentID: "prod"}, 0},
		{anomaly.Filter{Kind: anomaly.KindSchemaDrift}, 0},
		{anomaly.Filter{Kind: anomaly.KindNonTxStarted, EnvironmentID: "test"}, 1},
	} {
		if got := f.list(t, c.flt); len(got) != c.want {
			t.Errorf("%+v: %d anomalies, want %d", c.flt, len(got), c.want)
		}
	}
	if _, err := st.Get(ctx, 999); err == nil {
		t.Fatal("get of a missing anomaly succeeded")
	}
	_ = workspace.ErrNotFound
}

// The revert request carries the revert migration of an open drift
// anomaly; other anomalies, and resolved ones, are refused.
func TestRevertAndBaselineRequests(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d, url := f.Database(t, `CREATE TABLE t1 (id int PRIMARY KEY)`)
	f.sync(t, d.ID)
	pgtest.MustExec(t, url, `ALTER TABLE t1 ADD COLUMN age integer`)
	f.sync(t, d.ID)
	as := f.list(t, anomaly.Filter{DatabaseID: d.ID})
	if len(as) != 1 {
		t.Fatalf("anomalies: %+v", as)
	}
	req, err := anomaly.RevertRequest(as[0])
	if err != nil {
		t.Fatal(err)
	}
	if req.Type != workflow.TypeSchemaChange || len(req.DatabaseIDs) != 1 || req.DatabaseIDs[0] != d.ID ||
		!strings.Contains(req.SQL, "ALTER TABLE public.t1 DROP COLUMN age;") || !strings.Contains(req.Description, "1 object changed") {
		t.Fatalf("revert request: %+v", req)
	}
	// Applying the revert SQL resolves the anomaly on the next sync.
	pgtest.MustExec(t, url, req.SQL)
	f.clk.Add(time.Minute)
	f.sync(t, d.ID)
	got, err := f.center.Store().Get(ctx, as[0].ID)
	if err != nil || got.Open() {
		t.Fatalf("after the revert: %+v, %v", got, err)
	}
	if _, err := anomaly.RevertRequest(got); err == nil {
		t.Fatal("revert of a resolved anomaly accepted")
	}
	if _, err := anomaly.RevertRequest(anomaly.Anomaly{ID: 9, Kind: anomaly.KindConnection, Details: []byte("{}")}); err == nil {
		t.Fatal("revert of a connection anomaly accepted")
	}
	b := anomaly.BaselineRequest(d)
	if b.Type != workflow.TypeBaseline || b.DatabaseIDs[0] != d.ID || b.SQL != "" {
		t.Fatalf("baseline request: %+v", b)
	}
}
