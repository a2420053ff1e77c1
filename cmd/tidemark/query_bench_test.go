package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/query"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

// TestQueryHelperProcess is `tidemark query` in a child process (for the
// benchmark's peak RSS). Unless the benchmark started it, it returns at once
// (a pass, not a skip: there is nothing to test here).
func TestQueryHelperProcess(t *testing.T) {
	args := os.Getenv("TIDEMARK_QUERY_HELPER_ARGS")
	if args == "" {
		return
	}
	cmd := newRootCmd()
	cmd.SetArgs(strings.Split(args, "\x1f"))
	cmd.SetOut(os.Stdout)
	cmd.SetErr(os.Stderr)
	os.Exit(exitCode(cmd.ExecuteContext(context.Background()), os.Stderr))
}

// TestBenchQueryCSV measures `tidemark query --format csv --limit 0` of
// 1,000,000 rows × 6 columns against psql's \copy of the same query to
// stdout (the baseline, same run), and the peak RSS of the query process
// (goal: ≤ 1.5× psql, ≤ 100 MB). It also prints the time to the first
// 1,000 rows of a grid beside the query's server time. Only BENCH lines
// are printed; nothing is asserted on time.
func TestBenchQueryCSV(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("benchmark: set TIDEMARK_BENCH=1 (make bench)")
	}
	f := wstest.New(t, pgsrv)
	d, url := f.Database(t, `CREATE TABLE big AS SELECT g AS id, 'name ' || g AS name, g * 1.25 AS price,
		now() - g * interval '1 second' AS at, g % 2 = 0 AS even, md5(g::text) AS hash FROM generate_series(1, 1000000) g; ANALYZE big;`)
	const q = "SELECT * FROM big"
	psql := filepath.Join(pgsrv.BinDir, "psql")
	if _, err := os.Stat(psql); err != nil {
		t.Fatalf("psql not found in %s: %v", pgsrv.BinDir, err)
	}
	run := func(name string, args []string, env ...string) (time.Duration, int64) {
		c := exec.Command(name, args...)
		c.Env = append(os.Environ(), env...)
		var lines lineCounter
		c.Stdout = &lines
		var errb strings.Builder
		c.Stderr = &errb
		start := time.Now()
		if err := c.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, errb.String())
		}
		el := time.Since(start)
		if lines != 1000001 {
			t.Fatalf("%s printed %d lines, want a header and 1000000 rows", name, lines)
		}
		return el, c.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	}
	best := func(f func() (time.Duration, int64)) (time.Duration, int64) {
		var bt time.Duration
		var rss int64
		for i := 0; i < 3; i++ {
			el, r := f()
			if i == 0 || el < bt {
				bt = el
			}
			rss = max(rss, r)
		}
		return bt, rss
	}
	base, _ := best(func() (time.Duration, int64) {
		return run(psql, []string{"-X", "-q", "-d", url, "-c", `\copy (` + q + `) TO STDOUT CSV HEADER`})
	})
	args := strings.Join([]string{"query", "--url", url, "--format", "csv", "--limit", "0", "-c", q}, "\x1f")
	el, rss := best(func() (time.Duration, int64) {
		return run(os.Args[0], []string{"-test.run=^TestQueryHelperProcess$"},
			"TIDEMARK_QUERY_HELPER_ARGS="+args, "TIDEMARK_TEST_PG_URL="+pgsrv.AdminURL, "TIDEMARK_BENCH=")
	})
	fmt.Printf("BENCH query csv 1000000x6: tidemark query %.2fs, psql \\copy %.2fs, ratio %.2f (goal <= 1.5), peak RSS %.1f MB (goal <= 100)\n",
		el.Seconds(), base.Seconds(), el.Seconds()/base.Seconds(), float64(rss)/(1<<20))

	// XLSX of the same rows through `tidemark query -o`: time and peak RSS
	// (the sheet's rows go to excelize's temporary file as they arrive).
	xf := filepath.Join(t.TempDir(), "big.xlsx")
	xargs := strings.Join([]string{"query", "--url", url, "--format", "xlsx", "-o", xf, "--limit", "0", "-c", q}, "\x1f")
	xc := exec.Command(os.Args[0], "-test.run=^TestQueryHelperProcess$")
	xc.Env = append(os.Environ(), "TIDEMARK_QUERY_HELPER_ARGS="+xargs, "TIDEMARK_BENCH=")
	var xerr strings.Builder
	xc.Stderr = &xerr
	xstart := time.Now()
	if err := xc.Run(); err != nil {
		t.Fatalf("xlsx: %v\n%s", err, xerr.String())
	}
	xel := time.Since(xstart)
	xst, err := os.Stat(xf)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("BENCH query xlsx 1000000x6: tidemark query -o %.2fs (psql \\copy csv %.2fs), peak RSS %.1f MB, file %.1f MB\n",
		xel.Seconds(), base.Seconds(), float64(xc.ProcessState.SysUsage().(*syscall.Rusage).Maxrss*1024)/(1<<20), float64(xst.Size())/(1<<20))

	// Time to the first 1,000 rows of the grid (what the editor's Run
	// returns to the desktop: fences, cursor, grid, history) vs the server's
	// time for the whole query.
	ctx := context.Background()
	e := query.NewEditor(f.WS, f.Conns)
	defer e.Close(ctx)
	var first time.Duration
	for i := 0; i < 3; i++ {
		start := time.Now()
		out, err := e.Run(ctx, query.Request{Tab: "bench", DatabaseID: d.ID, Script: q})
		el := time.Since(start)
		if err != nil || len(out.Grids) != 1 || len(out.Grids[0].Rows) != query.DefaultLimit || !out.Results[0].LimitReached {
			t.Fatalf("editor run: %v", err)
		}
		if i == 0 || el < first {
			first = el
		}
	}
	// The desktop's export of the full query to a CSV file (a background
	// job: fences, cursor, progress, temporary file renamed) vs psql's \copy.
	out := filepath.Join(t.TempDir(), "big.csv")
	var export time.Duration
	for i := 0; i < 3; i++ {
		done := make(chan query.ExportProgress, 1)
		start := time.Now()
		if _, err := e.Export(ctx, query.ExportRequest{DatabaseID: d.ID, SQL: q, Format: query.CSV, Path: out}, func(p query.ExportProgress) {
			if p.Done {
				done <- p
			}
		}); err != nil {
			t.Fatal(err)
		}
		p := <-done
		el := time.Since(start)
		if p.Err != nil || p.Rows != 1000000 {
			t.Fatalf("export: %+v", p)
		}
		if i == 0 || el < export {
			export = el
		}
	}
	fmt.Printf("BENCH query export csv file 1000000x6: %.2fs, psql \\copy to stdout %.2fs, ratio %.2f\n", export.Seconds(), base.Seconds(), export.Seconds()/base.Seconds())

	cfg, _, err := pg.ParseConnString(url)
	if err != nil {
		t.Fatal(err)
	}
	a, err := query.Open(ctx, cfg, query.Options{Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	plan, err := a.Explain(ctx, q, true)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("BENCH query grid first 1000 rows of 1000000x6: %.1f ms; the full query's server time (EXPLAIN ANALYZE) %.1f ms\n",
		first.Seconds()*1000, *plan.ActualTime)
}

// lineCounter counts the lines written to it.
type lineCounter int

func (l *lineCounter) Write(p []byte) (int, error) {
	*l += lineCounter(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}
