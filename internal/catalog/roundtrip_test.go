package catalog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

// psql runs a psql script (file or stdin) against url with ON_ERROR_STOP, the
// way the corpus (psql-format files) must be loaded.
func psql(t testing.TB, url string, file string, stdin []byte) error {
	t.Helper()
	return pg.Psql(url, file, stdin)
}

func inspectURL(t testing.TB, url string, opts catalog.Options) *catalog.Result {
	t.Helper()
	c := pgtest.Conn(t, url)
	res, err := catalog.Inspect(context.Background(), c, opts)
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return res
}

// pgDump runs pg_dump --schema-only with extra args; the \restrict key is
// fixed so two dumps of equal schemas are equal.
func pgDump(t testing.TB, url string, extra ...string) string {
	t.Helper()
	args := append([]string{"--schema-only", "--restrict-key=tidemark", "-d", url}, extra...)
	out, err := exec.Command(filepath.Join(pg.BinDir, "pg_dump"), args...).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return string(out)
}

var aclLine = regexp.MustCompile(`^(GRANT|REVOKE|ALTER DEFAULT PRIVILEGES) `)

// normPgDump drops comments and blank lines of a pg_dump script.
func normPgDump(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l == "" || strings.HasPrefix(l, "--") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// aclLines extracts the privilege statements of a pg_dump script, sorted
// (PostgreSQL keeps ACL items in grant order, which a load may not preserve).
func aclLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if aclLine.MatchString(l) {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// roundTrip is the oracle: A (loaded by setup) -> D1 = Dump(Inspect(A)) ->
// load into empty B -> Dump(Inspect(B)) == D1 byte for byte, and pg_dump of
// A and B equal (privileges compared separately, as sorted sets).
func roundTrip(t *testing.T, setup func(t *testing.T, url string) error) (*catalog.Result, error) {
	t.Helper()
	a := pg.NewDB(t)
	if err := setup(t, a); err != nil {
		return nil, fmt.Errorf("load into A: %w", err)
	}
	ra := inspectURL(t, a, catalog.Options{})
	if err := serverDefinitions(t, a, ra); err != nil {
		return nil, err
	}
	d1 := catalog.Dump(ra.Schema, catalog.DumpOptions{})
	// Tables rendered on several goroutines give the same script, byte for byte.
	if p := catalog.DumpParallelFrom(ra.Schema, catalog.DumpOptions{}, 2); !bytes.Equal(p, d1) {
		return nil, fmt.Errorf("dump with tables rendered in parallel differs:\n%s", lineDiff(string(d1), string(p)))
	}
	if p, s := catalog.DumpParallelFrom(ra.Schema, catalog.DumpOptions{}, 1<<30), catalog.Dump(ra.Schema, catalog.DumpOptions{}); !bytes.Equal(p, s) {
		return nil, fmt.Errorf("serial dump differs from Dump:\n%s", lineDiff(string(s), string(p)))
	}
	// The nodes the diff planner works from are Dump's, in Dump's order.
	var nb strings.Builder
	for _, n := range catalog.DumpNodes(ra.Schema, catalog.DumpOptions{NoHeader: true}) {
		for _, st := range n.Statements {
			nb.WriteString(st + ";\n\n")
		}
	}
	if n, d := strings.TrimRight(nb.String(), "\n"), string(catalog.Dump(ra.Schema, catalog.DumpOptions{NoHeader: true})); n != d {
		return nil, fmt.Errorf("DumpNodes differ from Dump:\n%s", lineDiff(d, n))
	}
	if d := os.Getenv("TIDEMARK_DEBUG_DIR"); d != "" {
		os.WriteFile(filepath.Join(d, "d1.sql"), d1, 0o644)
	}
	b := pg.NewDB(t)
	if err := psql(t, b, "", d1); err != nil {
		os.WriteFile(filepath.Join(t.TempDir(), "d1.sql"), d1, 0o644)
		return nil, fmt.Errorf("load our dump into B: %w", err)
	}
	// B is read with two connections sharing a snapshot, A with one: the
	// models must not depend on how they were read.
	rb := inspectURL(t, b, catalog.Options{Parallel: 2})
	d2 := catalog.Dump(rb.Schema, catalog.DumpOptions{})
	if !bytes.Equal(d1, d2) {
		return nil, fmt.Errorf("second dump differs from the first:\n%s", lineDiff(string(d1), string(d2)))
	}
	if ra.Fingerprint != rb.Fingerprint {
		if d := os.Getenv("TIDEMARK_DEBUG_DIR"); d != "" {
			ja, _ := json.MarshalIndent(ra.Schema, "", " ")
			jb, _ := json.MarshalIndent(rb.Schema, "", " ")
			os.WriteFile(filepath.Join(d, "a.json"), ja, 0o644)
			os.WriteFile(filepath.Join(d, "b.json"), jb, 0o644)
		}
		return nil, fmt.Errorf("fingerprints differ: %s vs %s", ra.Fingerprint, rb.Fingerprint)
	}
	pa, pb := pgDump(t, a, "-x"), pgDump(t, b, "-x")
	if na, nb := normPgDump(pa), normPgDump(pb); na != nb {
		return nil, fmt.Errorf("pg_dump -s -x of A and B differ:\n%s", lineDiff(na, nb))
	}
	fa, fb := aclLines(pgDump(t, a)), aclLines(pgDump(t, b))
	if fa != fb {
		return nil, fmt.Errorf("privileges differ:\n%s", lineDiff(fa, fb))
	}
	return ra, nil
}

// lineDiff shows the lines only in one side (enough to locate a mismatch).
func lineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	ca, cb := map[string]int{}, map[string]int{}
	for _, l := range la {
		ca[l]++
	}
	for _, l := range lb {
		cb[l]++
	}
	var out []string
	for _, l := range la {
		if cb[l] > 0 {
			cb[l]--
			continue
		}
		out = append(out, "- "+l)
	}
	for k := range ca {
		ca[k] = 0
	}
	for _, l := range la {
		ca[l]++
	}
	for _, l := range lb {
		if ca[l] > 0 {
			ca[l]--
			continue
		}
		out = append(out, "+ "+l)
	}
	if len(out) == 0 {
		// Same lines, different order: show where they first diverge.
		for i := range la {
			if i >= len(lb) || la[i] != lb[i] {
				lo := max(0, i-3)
				return fmt.Sprintf("order differs at line %d:\n  A: %s\n  B: %s", i+1,
					strings.Join(la[lo:min(len(la), i+4)], "\n     "), strings.Join(lb[lo:min(len(lb), i+4)], "\n     "))
			}
		}
	}
	if len(out) > 60 {
		out = append(out[:60], fmt.Sprintf("... %d more", len(out)-60))
	}
	return strings.Join(out, "\n")
}

// corpusFiles lists the corpus schemas: schemas/*.sql and every a.sql/b.sql
// of the migra fixtures.
func corpusFiles(t *testing.T) []string {
	dir := testcorpus.Dir(t)
	var files []string
	s, _ := filepath.Glob(filepath.Join(dir, "schemas", "*.sql"))
	files = append(files, s...)
	for _, ab := range []string{"a.sql", "b.sql"} {
		m, _ := filepath.Glob(filepath.Join(dir, "migra-fixtures", "*", ab))
		files = append(files, m...)
	}
	sort.Strings(files)
	return files
}

// corpusRoles creates the roles the corpus refers to (cluster-wide).
func corpusRoles(t *testing.T) {
	if err := pg.Exec(context.Background(), `DO $$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'schemainspect_test_role') THEN
			CREATE ROLE schemainspect_test_role;
		END IF; END $$`); err != nil {
		t.Fatalf("create corpus role: %v", err)
	}
}

func TestRoundTripCorpus(t *testing.T) {
	files := corpusFiles(t)
	if len(files) == 0 {
		t.Fatal("no corpus schema files: the corpus is part of the repository (testdata/corpus)")
	}
	pg.NewDB(t) // skip early without PostgreSQL
	corpusRoles(t)
	dir := testcorpus.Dir(t)
	var failed []string
	for _, f := range files {
		name, _ := filepath.Rel(dir, f)
		ok := t.Run(name, func(t *testing.T) {
			_, err := roundTrip(t, func(t *testing.T, url string) error { return psql(t, url, f, nil) })
			if err != nil {
				t.Error(err)
			}
		})
		if !ok {
			failed = append(failed, name)
		}
	}
	t.Logf("ROUNDTRIP corpus score: %d/%d round-trip exactly", len(files)-len(failed), len(files))
	if len(failed) > 0 {
		t.Logf("ROUNDTRIP failures: %s", strings.Join(failed, ", "))
	}
}
