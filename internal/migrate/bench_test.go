package migrate

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBenchMigrate applies 500 small migration files to an empty database
// with the runner (lock, history table, one transaction and one history row
// per file) and, in the same run, the same files concatenated with psql -f
// into another empty database; it prints both and the ratio.
func TestBenchMigrate(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("benchmark: set TIDEMARK_BENCH=1")
	}
	const n = 500
	dir := t.TempDir()
	var all strings.Builder
	for i := 1; i <= n; i++ {
		body := fmt.Sprintf("CREATE TABLE t_%d (id bigint PRIMARY KEY, name text NOT NULL);\nINSERT INTO t_%d VALUES (1, 'row');\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("V%d__table_%d.sql", i, i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		all.WriteString(body)
	}
	psqlFile := filepath.Join(t.TempDir(), "all.sql")
	if err := os.WriteFile(psqlFile, []byte(all.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	psql := filepath.Join(pg.BinDir, "psql")
	if _, err := os.Stat(psql); err != nil {
		t.Skipf("no psql in %q", pg.BinDir)
	}
	best := func(f func() time.Duration) time.Duration {
		var b time.Duration
		for i := 0; i < 3; i++ {
			if d := f(); b == 0 || d < b {
				b = d
			}
		}
		return b
	}
	var loadDur time.Duration
	ours := best(func() time.Duration {
		url := pg.NewDB(t)
		start := time.Now()
		ms, err := LoadDir(os.DirFS(dir), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		loadDur = time.Since(start)
		res, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
		if err != nil || len(res.Applied) != n {
			t.Fatalf("apply: %v", err)
		}
		return time.Since(start)
	})
	base := best(func() time.Duration {
		url := pg.NewDB(t)
		start := time.Now()
		out, err := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", psqlFile).CombinedOutput()
		if err != nil {
			t.Fatalf("psql: %v\n%s", err, out)
		}
		return time.Since(start)
	})
	fmt.Printf("BENCH migrate-apply-%d-files ours=%s (load+parse %s) psql-f=%s ratio=%.2f (goal <= 1.5)\n",
		n, ours.Round(time.Millisecond), loadDur.Round(time.Millisecond), base.Round(time.Millisecond), float64(ours)/float64(base))
}
