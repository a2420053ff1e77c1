package app

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workflow"
)

// TestIssueBinding: IssueService maps requests into the workflow, its
// results into the wire types and the report, its notifications into
// "issue" events and its refusals into wire errors. What the workflow does
// is tested in internal/workflow.
func TestIssueBinding(t *testing.T) {
	h := &harness{dir: t.TempDir(), env: map[string]string{"HOME": t.TempDir()}}
	var mu sync.Mutex
	var events []IssueEvent
	a, err := New(Options{WorkspaceDir: h.dir, Keychain: &secret.Keychain{Service: "tidemark-test", Getenv: func(string) string { return "" }},
		Getenv: func(k string) string { return h.env[k] }, SampleFallbackBase: filepath.Join(t.TempDir(), "fallback"),
		Emit: func(name string, p any) {
			if e, ok := p.(IssueEvent); ok && name == "issue" {
				mu.Lock()
				events = append(events, e)
				mu.Unlock()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	h.app = a
	t.Cleanup(func() { a.Shutdown(t.Context()) })
	is := a.Issues()
	if u, err := is.SetUser("Ann", "ann@example.com"); err != nil || u != (WorkspaceUser{"Ann", "ann@example.com"}) {
		t.Fatalf("set user = %+v, %v", u, err)
	}
	if _, err := is.SetUser("Ann", "not-an-email"); userErr(t, err).Field != "email" {
		t.Fatalf("bad email: %v", err)
	}
	dbID, _ := registerDB(t, h, "prod", `CREATE TABLE accounts (id int PRIMARY KEY);`)

	if l, err := is.List(IssueFilter{}); err != nil || l.Items == nil || len(l.Items) != 0 || l.Total != 0 {
		t.Fatalf("empty list = %+v, %v", l, err)
	}
	n, err := is.CreateSchemaChange(SchemaChangeRequest{DatabaseIDs: []string{dbID}, SQL: "CREATE TABLE t1 (id int PRIMARY KEY, name text);"})
	if err != nil || n != 1 {
		t.Fatalf("create = %d, %v", n, err)
	}
	// The checks run in the background; wait for them.
	var r *workflow.Report
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if r, err = is.Get(n); err != nil {
			t.Fatal(err)
		}
		running := false
		for _, c := range r.Checks {
			running = running || c.Status == workflow.CheckRunning
		}
		if !running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("checks still running: %+v", r.Checks)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r.Number != 1 || r.Type != workflow.TypeSchemaChange || r.Status != workflow.StatusOpen || r.Creator.Email != "ann@example.com" ||
		len(r.Stages) != 1 || len(r.Stages[0].Tasks) != 1 || r.Stages[0].Tasks[0].DatabaseID != dbID || len(r.Checks) == 0 ||
		r.Approval.Status != workflow.ApprovalPending || r.Version == 0 {
		t.Fatalf("report = %+v", r)
	}
	l, err := is.List(IssueFilter{Status: "open"})
	if err != nil || l.Total != 1 || len(l.Items) != 1 || l.Items[0].Number != 1 || l.Items[0].Approval != "pending" || l.Items[0].Creator != "ann@example.com" ||
		strings.Join(l.Items[0].Environments, ",") != "prod" || l.Items[0].CreatedAt == "" {
		t.Fatalf("list = %+v, %v", l, err)
	}
	home, err := is.Home()
	if err != nil || len(home.WaitingApproval) != 1 || len(home.Mine) != 1 || home.RecentlyDone == nil || len(home.RecentlyDone) != 0 {
		t.Fatalf("home = %+v, %v", home, err)
	}
	if err := is.Rollout(n, r.Version, "", ""); !strings.Contains(userErr(t, err).Message, "cannot roll out") {
		t.Fatalf("rollout before approval: %v", err)
	}

	stale := r.Version
	if err := is.Comment(n, "looks fine"); err != nil {
		t.Fatal(err)
	}
	if err := is.Approve(n, stale, "ok"); !strings.Contains(userErr(t, err).Message, "changed since you read it") {
		t.Fatalf("approve with a stale version: %v", err)
	}
	r, _ = is.Get(n)
	if err := is.Approve(n, r.Version, "ok"); err != nil {
		t.Fatal(err)
	}
	if r, _ = is.Get(n); r.Approval.Status != workflow.ApprovalApproved {
		t.Fatalf("approval = %+v", r.Approval)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) == 0 || events[0].Issue != 1 || events[0].Kind != "changed" {
		t.Fatalf("events = %+v", events)
	}
	b, _ := json.Marshal(events[0])
	if !strings.Contains(string(b), `"taskId"`) {
		t.Fatalf("event JSON %s", b)
	}
}
