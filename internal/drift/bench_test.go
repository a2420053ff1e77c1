package drift_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// TestBenchDrift measures a drift check of a generated schema of
// TIDEMARK_BENCH_TABLES tables (default 5000): the check (inspect the live
// database + Compare with the expected model) beside what `tidemark dump`
// does (inspect + Dump) on the same database in the same run, and the CPU
// time of Compare alone. It only prints BENCH lines; nothing is asserted
// about time.
func TestBenchDrift(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("benchmark: set TIDEMARK_BENCH=1 (make bench)")
	}
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("TIDEMARK_BENCH_TABLES")); err == nil && v > 0 {
		n = v
	}
	url := srv.NewDB(t)
	if err := srv.Psql(url, "", []byte(schemagen.Generate(42, schemagen.Options{Tables: n}))); err != nil {
		t.Fatal(err)
	}
	pgtest.MustExec(t, url, "VACUUM ANALYZE")
	ctx := context.Background()
	load := func() *catalog.Result {
		conn := pgtest.Conn(t, url)
		res, err := catalog.Inspect(ctx, conn, catalog.Options{})
		if err != nil {
			t.Fatal(err)
		}
		conn.Close(ctx)
		return res
	}
	// The expected side comes from a stored model, as in a real check.
	b, err := json.Marshal(load().Schema)
	if err != nil {
		t.Fatal(err)
	}
	expected, err := catalog.DecodeModel(b)
	if err != nil {
		t.Fatal(err)
	}
	const rounds = 5
	var dump, check, cmpWall, cmpCPU time.Duration
	for r := 0; r < rounds; r++ {
		start := time.Now()
		res := load()
		_ = catalog.Dump(res.Schema, catalog.DumpOptions{})
		dump = best(dump, time.Since(start))

		start = time.Now()
		live := load()
		c0 := cpu()
		c := time.Now()
		rep := drift.Compare(expected, live)
		cmpWall, cmpCPU = best(cmpWall, time.Since(c)), best(cmpCPU, cpu()-c0)
		check = best(check, time.Since(start))
		if rep.Drifted() {
			t.Fatalf("drift on an unchanged database: %+v", rep.Objects[0])
		}
	}
	fmt.Printf("BENCH drift generated-%d-tables: check (inspect+compare) %v, tidemark dump (inspect+dump) %v, ratio %.2f\n",
		n, check.Round(time.Millisecond), dump.Round(time.Millisecond), float64(check)/float64(dump))
	fmt.Printf("BENCH drift generated-%d-tables: compare alone %v wall, %v CPU (process, best of %d)\n",
		n, cmpWall.Round(time.Millisecond), cmpCPU.Round(time.Millisecond), rounds)
}

func best(b, d time.Duration) time.Duration {
	if b == 0 || d < b {
		return d
	}
	return b
}

// cpu is the process's user + system CPU time so far.
func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
