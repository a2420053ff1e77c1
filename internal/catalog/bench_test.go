package catalog_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

// TestBenchDump compares Tidemark's Inspect+Dump with pg_dump --schema-only
// on the same databases, in the same run: danbooru and pagila from the
// corpus, and a generated schema of TIDEMARK_BENCH_TABLES tables (default
// 5000). Figures: best wall time of 5 alternating runs in-process, and as processes
// (`tidemark dump` vs `pg_dump`) with their peak resident memory. It only
// prints BENCH lines; nothing is asserted about time.
func TestBenchDump(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("benchmark: set TIDEMARK_BENCH=1 (make bench)")
	}
	pg.NewDB(t)
	corpusRoles(t)
	bin := buildCLI(t)
	type target struct {
		name string
		load func(t *testing.T, url string) error
	}
	var targets []target
	dir := testcorpus.Dir(t)
	for _, f := range []string{"danbooru.sql", "pagila.sql"} {
		p := filepath.Join(dir, "schemas", f)
		targets = append(targets, target{f, func(t *testing.T, url string) error { return psql(t, url, p, nil) }})
	}
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("TIDEMARK_BENCH_TABLES")); err == nil && v > 0 {
		n = v
	}
	targets = append(targets, target{fmt.Sprintf("generated-%d-tables", n), func(t *testing.T, url string) error {
		return psql(t, url, "", []byte(schemagen.Generate(42, schemagen.Options{Tables: n})))
	}})
	for _, tg := range targets {
		url := pg.NewDB(t)
		start := time.Now()
		if err := tg.load(t, url); err != nil {
			t.Fatalf("%s: %v", tg.name, err)
		}
		t.Logf("%s loaded in %v", tg.name, time.Since(start).Round(time.Millisecond))
		// A live database has statistics on its catalogs (autovacuum sees to
		// it); a freshly loaded one does not. Both tools read the same analysed database.
		pgtest.MustExec(t, url, "VACUUM ANALYZE")

		// Rounds alternate ours and the baseline so both see the same load;
		// the best of each is reported.
		const rounds = 5
		var ours, base, procOurs, procBase time.Duration
		var peakHeap uint64
		var size int
		var ourRSS, baseRSS int64
		var ourCPU, baseCPU cpuUse
		pgDumpArgs := []string{"--schema-only", "-f", os.DevNull, "-d", url}
		for r := 0; r < rounds; r++ {
			d, heap, sz := measure(func() (time.Duration, int) { return inspectDump(t, url) })
			ours, peakHeap, size = minDur(ours, d), max(peakHeap, heap), sz
			d, _, _ = runProc(t, filepath.Join(pg.BinDir, "pg_dump"), pgDumpArgs...)
			base = minDur(base, d)
			if bin != "" {
				s0 := serverCPU()
				d, rss, cpu := runProc(t, bin, "dump", "--url", url)
				procOurs, ourRSS = minDur(procOurs, d), max(ourRSS, rss)
				ourCPU = ourCPU.min(cpuUse{client: cpu, server: serverCPU() - s0})
				s0 = serverCPU()
				d, rss, cpu = runProc(t, filepath.Join(pg.BinDir, "pg_dump"), pgDumpArgs...)
				procBase, baseRSS = minDur(procBase, d), max(baseRSS, rss)
				baseCPU = baseCPU.min(cpuUse{client: cpu, server: serverCPU() - s0})
			}
		}
		fmt.Printf("BENCH dump %s in-process: tidemark inspect+dump %v (peak Go heap %.1f MB, %d bytes DDL), pg_dump --schema-only %v, ratio %.2f\n",
			tg.name, ours.Round(time.Millisecond), float64(peakHeap)/1e6, size, base.Round(time.Millisecond), float64(ours)/float64(base))
		if bin != "" {
			fmt.Printf("BENCH dump %s process: tidemark dump %v (peak RSS %.1f MB), pg_dump --schema-only %v (peak RSS %.1f MB), time ratio %.2f, memory ratio %.2f\n",
				tg.name, procOurs.Round(time.Millisecond), float64(ourRSS)/1024, procBase.Round(time.Millisecond), float64(baseRSS)/1024,
				float64(procOurs)/float64(procBase), float64(ourRSS)/float64(baseRSS))
			if ourCPU.server > 0 {
				// CPU time does not depend on what else the machine is doing.
				fmt.Printf("BENCH dump %s CPU: tidemark dump client %v + server %v, pg_dump client %v + server %v, ratio %.2f\n",
					tg.name, ourCPU.client.Round(time.Millisecond), ourCPU.server.Round(time.Millisecond),
					baseCPU.client.Round(time.Millisecond), baseCPU.server.Round(time.Millisecond),
					float64(ourCPU.client+ourCPU.server)/float64(baseCPU.client+baseCPU.server))
			}
		}
	}
}

func minDur(best, d time.Duration) time.Duration {
	if best == 0 || d < best {
		return d
	}
	return best
}

// measure runs f once and returns its time, the peak Go heap seen while it
// ran and the size it reports.
func measure(f func() (time.Duration, int)) (time.Duration, uint64, int) {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	runtime.GC()
	d, s := f()
	close(stop)
	wg.Wait()
	return d, peak.Load(), s
}

func inspectDump(t *testing.T, url string) (time.Duration, int) {
	t.Helper()
	start := time.Now()
	c := pgtest.Conn(t, url)
	res, err := catalog.Inspect(context.Background(), c, catalog.Options{})
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	b := catalog.Dump(res.Schema, catalog.DumpOptions{})
	return time.Since(start), len(b)
}

// cpuUse is the CPU time of one run: the client process and the server
// backends it used.
type cpuUse struct{ client, server time.Duration }

func (c cpuUse) min(o cpuUse) cpuUse {
	if c.client == 0 || o.client+o.server < c.client+c.server {
		return o
	}
	return c
}

// serverCPU is the CPU time of the test cluster's exited backends
// (the postmaster's cutime+cstime), 0 when unknown. Backends of finished
// runs are reaped within a moment, so it waits briefly first.
func serverCPU() time.Duration {
	if pg.Cluster == nil {
		return 0
	}
	time.Sleep(150 * time.Millisecond)
	b, err := os.ReadFile(filepath.Join(pg.Cluster.DataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid := strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	st, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(st)[strings.LastIndexByte(string(st), ')')+2:])
	if len(f) < 15 {
		return 0
	}
	var ticks int64
	for _, i := range []int{13, 14} { // cutime, cstime
		v, _ := strconv.ParseInt(f[i], 10, 64)
		ticks += v
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ = 100
}

// runProc runs a command to completion, returning its wall time, peak RSS (KB)
// and CPU time (user + system).
func runProc(t *testing.T, name string, args ...string) (time.Duration, int64, time.Duration) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = nil, nil
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	d := time.Since(start)
	var rss int64
	var cpu time.Duration
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
		cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return d, rss, cpu
}

// buildCLI builds cmd/tidemark for the process comparison ("" when go is unavailable).
func buildCLI(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "tidemark")
	cmd := exec.Command("go", "build", "-o", out, "../../cmd/tidemark")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Logf("cannot build the CLI, process figures skipped: %v\n%s", err, b)
		return ""
	}
	return out
}
