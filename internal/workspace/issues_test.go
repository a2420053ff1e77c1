package workspace

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func newIssue(title, creator string, envs, dbs []string) IssueRecord {
	return IssueRecord{Type: "schema_change", Status: "open", Title: title, Creator: creator, Approval: "pending",
		Rollout: "waiting", Environments: envs, Databases: dbs, Body: []byte(`{}`)}
}

func TestIssuesNumberedVersionedAndFiltered(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	p, err := s.CreateProject(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateIssue(ctx, IssueRecord{Type: "schema_change", Status: "open", Creator: "ann", Approval: "pending", Body: []byte("{}")}, nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("issue without title: %v", err)
	}
	var got []IssueRecord
	for i := 1; i <= 3; i++ {
		r := newIssue(fmt.Sprintf("Alter schema %d", i), "ann@example.com", []string{"test", "prod"}, []string{"db1"})
		if i == 2 {
			r.ProjectID, r.Creator, r.Environments = p.ID, "bob@example.com", []string{"test"}
		}
		r, err := s.CreateIssue(ctx, r, func(n int) ([]byte, error) { return []byte(fmt.Sprintf(`{"number":%d}`, n)), nil })
		if err != nil {
			t.Fatal(err)
		}
		if r.Number != i || r.Version != 1 || string(r.Body) != fmt.Sprintf(`{"number":%d}`, i) {
			t.Fatalf("issue %d = %+v", i, r)
		}
		got = append(got, r)
	}
	// Optimistic concurrency: two writers read version 1; one wins.
	a, b := got[0], got[0]
	a.Status = "done"
	a2, err := s.UpdateIssue(ctx, a)
	if err != nil || a2.Version != 2 {
		t.Fatalf("first update = %+v, %v", a2, err)
	}
	b.Title = "stale"
	if _, err := s.UpdateIssue(ctx, b); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale update: %v, want ErrConflict", err)
	}
	if r, _ := s.GetIssue(ctx, 1); r.Title != "Alter schema 1" || r.Status != "done" || r.Version != 2 {
		t.Fatalf("after the race: %+v", r)
	}
	if _, err := s.GetIssue(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown issue: %v", err)
	}
	for _, c := range []struct {
		f    IssueFilter
		want []int
	}{
		{IssueFilter{}, []int{3, 2, 1}},
		{IssueFilter{Status: "open"}, []int{3, 2}},
		{IssueFilter{ProjectID: p.ID}, []int{2}},
		{IssueFilter{Creator: "ann@example.com"}, []int{3, 1}},
		{IssueFilter{Environment: "prod"}, []int{3, 1}},
		{IssueFilter{Environment: "pro"}, nil},
		{IssueFilter{Database: "db1"}, []int{3, 2, 1}},
		{IssueFilter{Search: "SCHEMA 2"}, []int{2}},
		{IssueFilter{Search: "%"}, nil},
		{IssueFilter{Before: 3, Limit: 1}, []int{2}},
	} {
		rs, err := s.ListIssues(ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		var ns []int
		for _, r := range rs {
			ns = append(ns, r.Number)
			if r.Body != nil {
				t.Errorf("list without WithBody read the body")
			}
		}
		if fmt.Sprint(ns) != fmt.Sprint(c.want) {
			t.Errorf("ListIssues(%+v) = %v, want %v", c.f, ns, c.want)
		}
		if c.f.Before == 0 {
			if n, err := s.CountIssues(ctx, c.f); err != nil || n != len(c.want) {
				t.Errorf("CountIssues(%+v) = %d, %v", c.f, n, err)
			}
		}
	}
}

func TestTaskClaimsOneTaskPerDatabase(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	one, _ := s.CreateIssue(ctx, newIssue("one", "ann", nil, nil), nil)
	two, _ := s.CreateIssue(ctx, newIssue("two", "ann", nil, nil), nil)
	one.Rollout = "running"
	one, err := s.UpdateIssue(ctx, one, ClaimOp{Target: "db1", TaskID: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	// The second issue cannot take db1, and its update is not written.
	two.Rollout = "running"
	var ce *ClaimedError
	if _, err := s.UpdateIssue(ctx, two, ClaimOp{Target: "db1", TaskID: "t1"}); !errors.As(err, &ce) || ce.Claim.Issue != 1 {
		t.Fatalf("second claim: %v", err)
	}
	if r, _ := s.GetIssue(ctx, 2); r.Rollout != "waiting" || r.Version != 1 {
		t.Fatalf("refused update was written: %+v", r)
	}
	if c, ok, err := s.ClaimOn(ctx, "db1"); err != nil || !ok || c.Issue != 1 || c.TaskID != "t1" || c.Since.IsZero() {
		t.Fatalf("claim = %+v %v %v", c, ok, err)
	}
	// Re-claiming one's own target is fine; releasing frees it.
	if one, err = s.UpdateIssue(ctx, one, ClaimOp{Target: "db1", TaskID: "t1"}); err != nil {
		t.Fatal(err)
	}
	if _, err = s.UpdateIssue(ctx, one, ClaimOp{Target: "db1", TaskID: "t1", Release: true}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.ClaimOn(ctx, "db1"); ok {
		t.Fatal("claim not released")
	}
	if _, err := s.UpdateIssue(ctx, two, ClaimOp{Target: "db1", TaskID: "t1"}); err != nil {
		t.Fatalf("claim after release: %v", err)
	}
}

func TestIssueRuns(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	is, _ := s.CreateIssue(ctx, newIssue("one", "ann", nil, nil), nil)
	r, err := s.AddIssueRun(ctx, IssueRun{Issue: is.Number, TaskID: "t1", Attempt: 1, Status: "running", Body: []byte(`{"log":[]}`)})
	if err != nil || r.ID == "" || r.StartedAt.IsZero() {
		t.Fatalf("add run = %+v, %v", r, err)
	}
	if _, err := s.AddIssueRun(ctx, IssueRun{Issue: is.Number, TaskID: "t1", Attempt: 1, Status: "running", Body: []byte(`{}`)}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("same attempt twice: %v", err)
	}
	r.Status, r.FinishedAt, r.Body = "done", r.StartedAt, []byte(`{"log":["ok"]}`)
	if err := s.UpdateIssueRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	rs, err := s.ListIssueRuns(ctx, is.Number)
	if err != nil || len(rs) != 1 || rs[0].Status != "done" || string(rs[0].Body) != `{"log":["ok"]}` || rs[0].FinishedAt.IsZero() {
		t.Fatalf("runs = %+v, %v", rs, err)
	}
}
