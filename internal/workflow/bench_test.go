package workflow_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

func minD(a, b time.Duration) time.Duration {
	if a == 0 || b < a {
		return b
	}
	return a
}

// TestBenchWorkflow measures, on a 2,000-table database (TIDEMARK_BENCH=1,
// make bench): the dry run the first time (template loaded) and again
// (template cloned) against `psql -f` of the same DDL into an empty
// database; all five checks of a 20-statement change against a review of
// the same SQL plus one schema sync; and the first page of the issues list
// with 10,000 issues against a count(*) of the table. Only BENCH lines are
// printed; nothing about time is asserted.
func TestBenchWorkflow(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("benchmark: set TIDEMARK_BENCH=1 (make bench)")
	}
	f := newFixture(t)
	ctx := context.Background()
	ddl := schemagen.Generate(42, schemagen.Options{Tables: 2000})
	d := f.database(t, "", false)
	psql := func(url string) time.Duration {
		cmd := exec.Command(filepath.Join(srv.BinDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-")
		cmd.Stdin = strings.NewReader(ddl)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("psql: %v\n%s", err, out)
		}
		return time.Since(start)
	}
	psql(srv.DBURL(d.Name))
	pgtest.MustExec(t, srv.DBURL(d.Name), "VACUUM ANALYZE")
	var sqlb strings.Builder
	for i := 0; i < 20; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&sqlb, "CREATE TABLE bench_new_%d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text);\n", i)
		case 1:
			fmt.Fprintf(&sqlb, "ALTER TABLE bench_new_%d ADD COLUMN created_at timestamptz;\n", i-1)
		case 2:
			fmt.Fprintf(&sqlb, "CREATE INDEX bench_new_%d_note ON bench_new_%d (note);\n", i-2, i-2)
		default:
			fmt.Fprintf(&sqlb, "COMMENT ON TABLE bench_new_%d IS 'bench';\n", i-3)
		}
	}
	is, err := f.wf.Create(ctx, workflow.CreateRequest{DatabaseIDs: []string{d.ID}, SQL: sqlb.String()})
	if err != nil {
		t.Fatal(err)
	}
	const rounds = 3
	var first, again, base time.Duration
	snap, err := schemasync.New(f.WS, f.Conns).Sync(ctx, d.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for r := 0; r < rounds; r++ {
		if _, err := scratch.DropTemplates(ctx, srv.AdminURL, nil); err != nil {
			t.Fatal(err)
		}
		wf := workflow.New(deps(f.WS, f.Fixture, srv.AdminURL)) // a fresh process: no template model cached
		start := time.Now()
		c := wf.DryRunOn(ctx, snap, workflow.TypeSchemaChange, sqlb.String(), "1")
		if c.Status != workflow.CheckSuccess || len(c.Objects) != 5 {
			t.Fatalf("dry run = %+v", c)
		}
		first = minD(first, time.Since(start))
		start = time.Now()
		if c = wf.DryRunOn(ctx, snap, workflow.TypeSchemaChange, sqlb.String(), "1"); c.Status != workflow.CheckSuccess {
			t.Fatalf("dry run again = %+v", c)
		}
		again = minD(again, time.Since(start))
		empty := f.database(t, "", false)
		base = minD(base, psql(srv.DBURL(empty.Name)))
	}
	fmt.Printf("BENCH dry run on a 2000-table snapshot: first %v (ratio %.2f, goal ≤ 1.2), with the template %v (ratio %.3f, goal ≤ 0.1), psql -f of the DDL %v\n",
		first.Round(time.Millisecond), float64(first)/float64(base), again.Round(time.Millisecond), float64(again)/float64(base), base.Round(time.Millisecond))

	// All five checks (the desktop's long-lived service: the template's
	// model is known) vs a review against the live database plus one
	// schema sync, each from scratch as `tidemark review` runs it.
	var checks, rev time.Duration
	for r := 0; r < rounds; r++ {
		syncer := schemasync.New(f.WS, f.Conns)
		reviewer := livereview.New(review.NewRegistry(), f.WS, f.Conns, syncer)
		if is, err = f.wf.UpdatePlan(ctx, is.Number, 0, "", sqlb.String()+fmt.Sprintf("-- round %d\n", r), ""); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if is, err = f.wf.Check(ctx, is.Number); err != nil {
			t.Fatal(err)
		}
		checks = minD(checks, time.Since(start))
		start = time.Now()
		if _, err := syncer.Sync(ctx, d.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := reviewer.Review(ctx, livereview.Request{SQL: sqlb.String(), DatabaseID: d.ID}); err != nil {
			t.Fatal(err)
		}
		rev = minD(rev, time.Since(start))
	}
	fmt.Printf("BENCH issue checks (20 statements, 2000 tables): all five %v, live review + one schema sync %v, ratio %.2f (goal ≤ 2)\n",
		checks.Round(time.Millisecond), rev.Round(time.Millisecond), float64(checks)/float64(rev))

	// The issues list with 10,000 issues.
	body := []byte(`{"title":"bench","tasks":[]}`)
	for i := 0; i < 10000; i++ {
		rec := workspace.IssueRecord{Type: "schema_change", Status: []string{"open", "done", "canceled"}[i%3], Title: fmt.Sprintf("Alter schema %d", i),
			Creator: "ann@example.com", Approval: "pending", Rollout: "waiting", Environments: []string{"test"}, Body: body}
		if _, err := f.WS.CreateIssue(ctx, rec, nil); err != nil {
			t.Fatal(err)
		}
	}
	var page, count time.Duration
	for r := 0; r < rounds*3; r++ {
		start := time.Now()
		rs, err := f.WS.ListIssues(ctx, workspace.IssueFilter{Status: "open", Limit: 50})
		if err != nil || len(rs) != 50 {
			t.Fatalf("page = %d, %v", len(rs), err)
		}
		page = minD(page, time.Since(start))
		start = time.Now()
		var n int
		if err := f.WS.DB().QueryRowContext(ctx, `SELECT count(*) FROM issues`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		count = minD(count, time.Since(start))
	}
	var plan []string
	rows, err := f.WS.DB().QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT number FROM issues WHERE status = 'open' ORDER BY number DESC LIMIT 50`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	rows.Close()
	fmt.Printf("BENCH issues list (10000 issues): first page of open issues %v, SELECT count(*) FROM issues %v, ratio %.2f; plan: %s\n",
		page.Round(time.Microsecond), count.Round(time.Microsecond), float64(page)/float64(count), strings.Join(plan, "; "))
}
