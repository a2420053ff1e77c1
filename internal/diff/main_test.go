package diff_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pg)) }

// psql runs a psql-format script (file, or stdin when file is empty) with ON_ERROR_STOP.
func psql(t testing.TB, url, file string, stdin []byte) error {
	t.Helper()
	return pg.Psql(url, file, stdin)
}

func inspect(t testing.TB, url string, opts catalog.Options) *catalog.Result {
	t.Helper()
	c := pgtest.Conn(t, url)
	res, err := catalog.Inspect(context.Background(), c, opts)
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return res
}

func apply(t testing.TB, url string, plan diff.Plan) error {
	t.Helper()
	c := pgtest.Conn(t, url)
	return diff.Apply(context.Background(), c, plan)
}

func pgDump(t testing.TB, url string, extra ...string) string {
	t.Helper()
	args := append([]string{"--schema-only", "--restrict-key=tidemark", "-d", url}, extra...)
	out, err := exec.Command(filepath.Join(pg.BinDir, "pg_dump"), args...).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return string(out)
}

var createTableRe = regexp.MustCompile(`^CREATE (UNLOGGED )?TABLE `)

// normPgDump drops comments, blank lines and SET lines, and sorts the
// column lines of each CREATE TABLE (column order is compared separately).
func normPgDump(s string) string {
	var out []string
	var block []string
	in := false
	for _, l := range strings.Split(s, "\n") {
		if l == "" || strings.HasPrefix(l, "--") || strings.HasPrefix(l, "SET ") || strings.HasPrefix(l, "SELECT pg_catalog.set_config") {
			continue
		}
		if in {
			if strings.HasPrefix(l, ")") {
				sort.Strings(block)
				out = append(out, block...)
				out = append(out, l)
				block, in = nil, false
				continue
			}
			block = append(block, strings.TrimSuffix(l, ","))
			continue
		}
		out = append(out, l)
		if createTableRe.MatchString(l) && strings.HasSuffix(l, "(") {
			in = true
		}
	}
	return strings.Join(out, "\n")
}

// lineDiff shows the lines only in a (-) and only in b (+).
func lineDiff(a, b string) string {
	am, bm := map[string]int{}, map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		am[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		bm[l]++
	}
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if bm[l] > 0 {
			bm[l]--
			continue
		}
		out = append(out, "- "+l)
	}
	for _, l := range strings.Split(b, "\n") {
		if am[l] > 0 {
			am[l]--
			continue
		}
		out = append(out, "+ "+l)
	}
	if len(out) > 40 {
		out = append(out[:40], "...")
	}
	return strings.Join(out, "\n")
}

func pgtestConnAdmin(t testing.TB) *pgx.Conn { return pgtest.Conn(t, pg.AdminURL) }

func pgtestConn(t testing.TB, url string) *pgx.Conn { return pgtest.Conn(t, url) }
