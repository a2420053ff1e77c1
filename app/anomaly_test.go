package app

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/secret"
)

// TestAnomalyBinding: Sync now evaluates anomalies; AnomalyService lists
// and details a drift, Revert drift and Establish new baseline create their
// issues, and the rolled-out baseline resolves the anomaly with an
// "anomaly:changed" event. What the anomalies are is tested in
// internal/anomaly, the baseline in internal/workflow.
func TestAnomalyBinding(t *testing.T) {
	h := &harness{dir: t.TempDir(), env: map[string]string{"HOME": t.TempDir()}}
	var mu sync.Mutex
	var changed []AnomalyChangedEvent
	a, err := New(Options{WorkspaceDir: h.dir, Keychain: &secret.Keychain{Service: "tidemark-test", Getenv: func(string) string { return "" }},
		Getenv: func(k string) string { return h.env[k] }, SampleFallbackBase: filepath.Join(t.TempDir(), "fallback"),
		Emit: func(name string, p any) {
			if e, ok := p.(AnomalyChangedEvent); ok && name == "anomaly:changed" {
				mu.Lock()
				changed = append(changed, e)
				mu.Unlock()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	h.app = a
	t.Cleanup(func() { a.Shutdown(t.Context()) })
	if _, err := a.Issues().SetUser("Ann", "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	dbID, dbURL := registerDB(t, h, "test", `CREATE TABLE t1 (id int PRIMARY KEY)`)
	insts, err := a.Instances().List()
	if err != nil || len(insts) != 1 {
		t.Fatalf("instances %v %v", insts, err)
	}
	syncNow := func() {
		t.Helper()
		if r, err := a.Monitor().SyncNow(insts[0].ID); err != nil || r.Error != "" {
			t.Fatalf("sync now: %+v %v", r, err)
		}
	}
	syncNow()
	svc := a.Anomalies()
	if l, err := svc.List(AnomalyFilter{DatabaseID: dbID}); err != nil || l == nil || len(l) != 0 {
		t.Fatalf("before drift: %+v %v", l, err)
	}
	pgtest.MustExec(t, dbURL, `ALTER TABLE t1 ADD COLUMN age integer`)
	syncNow()
	l, err := svc.List(AnomalyFilter{DatabaseID: dbID})
	if err != nil || len(l) != 1 || l[0].Kind != "schema_drift" || l[0].Status != "open" || l[0].DatabaseID != dbID || l[0].ResolvedAt != "" {
		t.Fatalf("drift list: %+v %v", l, err)
	}
	if n, err := svc.OpenCount(); err != nil || n != 1 {
		t.Fatalf("open count %d %v", n, err)
	}
	d, err := svc.Get(l[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Drift.Objects) != 1 || d.Drift.Objects[0].QualifiedName != "public.t1" || d.Drift.Objects[0].Changes[0].Property != "column age" ||
		!strings.Contains(d.Drift.Objects[0].LiveDDL, "age integer") || strings.Contains(d.Drift.Objects[0].ExpectedDDL, "age") ||
		!strings.Contains(d.Drift.Revert, "DROP COLUMN age") || !strings.Contains(d.Drift.Codify, "ADD COLUMN age integer") ||
		d.Drift.ExpectedSource != "implicit_baseline" {
		t.Fatalf("drift detail: %+v", d.Drift)
	}
	if _, err := svc.Get(999); err == nil {
		t.Fatal("get of a missing anomaly succeeded")
	}
	if _, err := svc.List(AnomalyFilter{Kind: "nope"}); err == nil {
		t.Fatal("unknown kind accepted")
	}

	rev, err := svc.RevertDrift(l[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a, rev)
	rr, err := a.Issues().Get(rev)
	if err != nil || rr.Type != "schema_change" || !strings.Contains(rr.Stages[0].Tasks[0].Statement, "DROP COLUMN age") {
		t.Fatalf("revert issue: %+v %v", rr, err)
	}
	if err := a.Issues().Cancel(rev, rr.Version, "", "accept it instead"); err != nil {
		t.Fatal(err)
	}

	n, err := svc.EstablishBaseline(dbID)
	if err != nil {
		t.Fatal(err)
	}
	// The test environment rolls out automatically once the checks pass.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		open, err := svc.List(AnomalyFilter{DatabaseID: dbID})
		if err != nil {
			t.Fatal(err)
		}
		if len(open) == 0 {
			break
		}
		if time.Now().After(deadline) {
			r, _ := a.Issues().Get(n)
			t.Fatalf("the baseline did not resolve the drift: %+v", r)
		}
		time.Sleep(100 * time.Millisecond)
	}
	all, err := svc.List(AnomalyFilter{DatabaseID: dbID, All: true})
	if err != nil || len(all) != 1 || all[0].Status != "resolved" || all[0].ResolvedAt == "" {
		t.Fatalf("archived: %+v %v", all, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(changed) == 0 || changed[len(changed)-1].OpenCount != 0 {
		t.Fatalf("anomaly:changed events: %+v", changed)
	}
}

// waitIdle waits until issue n's checks have finished.
func waitIdle(t *testing.T, a *App, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		r, err := a.Issues().Get(n)
		if err != nil {
			t.Fatal(err)
		}
		running := false
		for _, c := range r.Checks {
			if c.Status == "running" {
				running = true
			}
		}
		if !running {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("issue %d checks still running", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
