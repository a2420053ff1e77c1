package gitops

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/pgtest"

	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// TestBenchFetch: a fetch bringing 500 new migration files across 20
// databases (parse, group, create the issues; checks are not part of it),
// beside `git log --name-status` of the same range.
func TestBenchFetch(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("benchmark: set TIDEMARK_BENCH=1 (make bench)")
	}
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	dbs := []workspace.Database{fx.hr, fx.shop}
	for len(dbs) < 20 {
		d, _ := fx.Database(t, "")
		d, err := fx.WS.AssignProject(ctx, d.ID, fx.project.ID)
		if err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, d)
	}
	fx.fetch(t) // start at the head
	from := fx.mate.git("rev-parse", "HEAD")
	for c := 0; c < 10; c++ { // 10 commits of 50 files
		files := map[string]string{}
		for i := 0; i < 50; i++ {
			n := c*50 + i
			d := dbs[n%20]
			files[file(d, fmt.Sprint(1000+n), "ddl", fmt.Sprintf("step_%d", n))] = fmt.Sprintf("CREATE TABLE t_%d (id int PRIMARY KEY, v text);\n", n)
		}
		fx.mate.commit(fmt.Sprintf("batch %d", c), files)
	}
	fx.mate.git("push", "-q", "origin", "main")
	to := fx.mate.git("rev-parse", "HEAD")

	start := time.Now()
	res := fx.fetch(t)
	fetch := time.Since(start)
	files := 0
	for _, ev := range res.Issues {
		files += len(ev.Files)
	}
	if len(res.Issues) != 20 || files != 500 || len(res.Unmatched) != 0 {
		t.Fatalf("fetch made %d issues of %d files, %d unmatched", len(res.Issues), files, len(res.Unmatched))
	}
	start = time.Now()
	cmd := exec.Command("git", "log", "--name-status", from+".."+to)
	cmd.Dir, cmd.Env = fx.mate.dir, gitEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git log: %v\n%s", err, out)
	}
	gitLog := time.Since(start)
	fmt.Printf("BENCH gitops fetch: 500 files, 20 databases, 10 commits: %v (parse, group, 20 issues created; goal ≤ 2s) vs git log --name-status %v (%.1fx)\n",
		fetch.Round(time.Millisecond), gitLog.Round(time.Millisecond), float64(fetch)/float64(gitLog))
}

// TestBenchLatest: a LATEST write-back of a 200-table database beside the
// dump of the same database plus one commit and push made with git.
func TestBenchLatest(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("benchmark: set TIDEMARK_BENCH=1 (make bench)")
	}
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	var ddl strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&ddl, "CREATE TABLE t_%d (id bigint PRIMARY KEY, name text NOT NULL, at timestamptz DEFAULT now());\nCREATE INDEX t_%d_name ON t_%d (name);\n", i, i, i)
	}
	d, url := fx.Database(t, ddl.String())
	d, err := fx.WS.AssignProject(ctx, d.ID, fx.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	lw := &LatestWriter{WS: fx.WS, Conns: fx.Conns}
	start := time.Now()
	if _, err := lw.Write(ctx, LatestRequest{ProjectID: fx.project.ID, DatabaseID: d.ID, Version: "1"}); err != nil {
		t.Fatal(err)
	}
	write := time.Since(start)

	// Baseline: the dump, then one commit and push with git in a clone.
	pgtest.MustExec(t, url, "ALTER TABLE t_0 ADD COLUMN extra int")
	fx.mate.git("pull", "-q", "origin", "main")
	start = time.Now()
	dump, err := lw.dump(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	fx.mate.write("bytebase/test/.baseline##LATEST.sql", dump)
	fx.mate.git("add", "bytebase/test/.baseline##LATEST.sql")
	fx.mate.git("commit", "-q", "-m", "baseline")
	fx.mate.git("push", "-q", "origin", "main")
	base := time.Since(start)
	fmt.Printf("BENCH gitops LATEST write-back (200 tables): %v (fresh clone, commit, push) vs dump + git commit + push %v (ratio %.2f, goal ≤ 1.2)\n",
		write.Round(time.Millisecond), base.Round(time.Millisecond), float64(write)/float64(base))
}
