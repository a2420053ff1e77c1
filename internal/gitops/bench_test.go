package gitops

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

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
