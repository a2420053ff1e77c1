package livereview_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

func setup(t *testing.T) (*wstest.Fixture, *livereview.Reviewer, *schemasync.Syncer) {
	t.Helper()
	f := wstest.New(t, srv)
	s := schemasync.New(f.WS, f.Conns)
	return f, livereview.New(review.NewRegistry(), f.WS, f.Conns, s), s
}

func rules(o *livereview.Outcome) map[string]bool {
	out := map[string]bool{}
	for _, a := range o.Advice {
		out[a.Rule] = true
	}
	return out
}

func TestPolicyDefaultsFollowProduction(t *testing.T) {
	f, r, _ := setup(t)
	ctx := context.Background()
	for env, want := range map[string]string{"test": review.TemplateBasic, "prod": review.TemplateAdvanced} {
		_, rec, stored, err := r.Policy(ctx, env)
		if err != nil || stored || rec.Template != want {
			t.Errorf("%s: template %q stored %v (%v), want %q", env, rec.Template, stored, err, want)
		}
	}
	// Marking an environment production changes its default.
	e, err := f.WS.CreateEnvironment(ctx, "Staging")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WS.SetEnvironmentProtected(ctx, e.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, rec, _, err := r.Policy(ctx, e.ID); err != nil || rec.Template != review.TemplateAdvanced {
		t.Errorf("protected staging: %q (%v)", rec.Template, err)
	}
	// A stored policy that no longer loads says so.
	if _, err := f.WS.SaveReviewPolicy(ctx, workspace.ReviewPolicy{EnvironmentID: "test", Template: review.TemplateBasic, YAML: "rules: [{id: NO_SUCH_RULE, level: error}]"}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := r.Policy(ctx, "test"); err == nil || !strings.Contains(err.Error(), "no longer loads") {
		t.Errorf("broken stored policy: %v", err)
	}
	if _, _, _, err := r.Policy(ctx, ""); err == nil {
		t.Error("an empty environment id is accepted")
	}
}

func TestReviewLiveThenSnapshotFallback(t *testing.T) {
	f, r, s := setup(t)
	ctx := context.Background()
	d, _ := f.Database(t, `CREATE TABLE accounts (id bigint PRIMARY KEY, name text);
		INSERT INTO accounts SELECT g, 'a' FROM generate_series(1, 50) g; ANALYZE accounts;`)
	d = f.Production(t, d)
	sql := "ALTER TABLE accounts ADD COLUMN tenant bigint NOT NULL;\nALTER TABLE nope ADD COLUMN x int;"

	live, err := r.Review(ctx, livereview.Request{SQL: sql, DatabaseID: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(live.Target, d.Name) || !strings.Contains(live.Target, "1 tables") || strings.Contains(live.Target, "snapshot") {
		t.Fatalf("live target = %q", live.Target)
	}
	if live.Policy.Name == "" || len(live.Advice) == 0 {
		t.Fatalf("live review: policy %q, advice %+v", live.Policy.Name, live.Advice)
	}
	// A syntax error is the parser's, with its position.
	_, err = r.Review(ctx, livereview.Request{SQL: "SELECT (;", DatabaseID: d.ID})
	var se *sqlparse.SyntaxError
	if !errors.As(err, &se) || se.Line != 1 {
		t.Fatalf("syntax error: %v", err)
	}

	// Unreachable, never synced: the connection error, with its SQLSTATE.
	if _, err := f.WS.UpdateInstance(ctx, withPort(f.Instance, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Review(ctx, livereview.Request{SQL: sql, DatabaseID: d.ID}); err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Fatalf("unreachable and never synced: %v", err)
	}
	// Synced before: the snapshot stands in, and the result says why.
	if _, err := f.WS.UpdateInstance(ctx, f.Instance); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, d.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WS.UpdateInstance(ctx, withPort(f.Instance, 1)); err != nil {
		t.Fatal(err)
	}
	snap, err := r.Review(ctx, livereview.Request{SQL: sql, DatabaseID: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(snap.Target, "snapshot of") || !strings.Contains(snap.Target, "unreachable") {
		t.Fatalf("fallback target = %q", snap.Target)
	}
	if got := rules(snap); len(got) == 0 {
		t.Fatalf("fallback review found nothing: %+v", snap.Advice)
	}
}

func withPort(in workspace.Instance, port int) workspace.Instance {
	in.Port = port
	return in
}
