package app

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
)

// TestBenchSchemaSync measures a desktop schema sync (connect, inspect, dump,
// encode, compress and store the snapshot) against pg_dump --schema-only of
// the same database in the same run, and the first Tree call after it (decode
// the snapshot, build the tree). TIDEMARK_BENCH_TABLES sets the size (default
// 2000). Only BENCH lines are printed; nothing about time is asserted.
func TestBenchSchemaSync(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("benchmark: set TIDEMARK_BENCH=1 (make bench)")
	}
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("TIDEMARK_BENCH_TABLES")); err == nil && v > 0 {
		n = v
	}
	h := newApp(t, "", false)
	dbID, dbURL := schemaDB(t, h, "")
	cmd := exec.Command(filepath.Join(pgsrv.BinDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dbURL, "-f", "-")
	cmd.Stdin = strings.NewReader(schemagen.Generate(42, schemagen.Options{Tables: n}))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	// a live database has statistics on its catalogs; a freshly loaded one does not
	pgtest.MustExec(t, dbURL, "VACUUM ANALYZE")
	svc := h.app.Schema()
	const rounds = 3
	var ours, base, tree time.Duration
	var sum SchemaSummary
	var treeBytes int
	for r := 0; r < rounds; r++ {
		start := time.Now()
		s, err := svc.Sync(dbID)
		if err != nil {
			t.Fatal(err)
		}
		ours, sum = minD(ours, time.Since(start)), s
		// measure decoding the stored snapshot, as after a restart
		h.app.syncer = schemasync.New(h.app.ws, h.app.conns)
		svc.mu.Lock()
		svc.trees = nil
		svc.mu.Unlock()
		start = time.Now()
		tr, err := svc.Tree(dbID)
		if err != nil {
			t.Fatal(err)
		}
		tree = minD(tree, time.Since(start))
		b, _ := json.Marshal(tr)
		treeBytes = len(b)
		start = time.Now()
		if out, err := exec.Command(filepath.Join(pgsrv.BinDir, "pg_dump"), "--schema-only", "-f", os.DevNull, "-d", dbURL).CombinedOutput(); err != nil {
			t.Fatalf("pg_dump: %v\n%s", err, out)
		}
		base = minD(base, time.Since(start))
	}
	fmt.Printf("BENCH schema sync (%d tables, snapshot stored): tidemark %v, pg_dump --schema-only %v, ratio %.2f\n",
		sum.Counts.Tables, ours.Round(time.Millisecond), base.Round(time.Millisecond), float64(ours)/float64(base))
	fmt.Printf("BENCH schema tree (%d tables): first Tree from the stored snapshot %v (decode + build), %d bytes of JSON to the UI; DDL %d bytes, model %d bytes\n",
		sum.Counts.Tables, tree.Round(time.Millisecond), treeBytes, sum.Snapshot.DDLSize, sum.Snapshot.ModelSize)
}

func minD(a, b time.Duration) time.Duration {
	if a == 0 || b < a {
		return b
	}
	return a
}
