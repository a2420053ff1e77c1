package pgtest_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pg)) }

func TestNewDBIsolated(t *testing.T) {
	a, b := pg.NewDB(t), pg.NewDB(t)
	if a == b {
		t.Fatalf("two tests got the same database %s", a)
	}
	pgtest.MustExec(t, a, "CREATE TABLE only_in_a(id int)")
	var n int
	err := pgtest.Conn(t, b).QueryRow(context.Background(),
		"SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'").Scan(&n)
	if err != nil || n != 0 {
		t.Fatalf("database b sees a's table: n=%d err=%v", n, err)
	}
	var v string
	if err := pgtest.Conn(t, a).QueryRow(context.Background(), "SHOW server_version").Scan(&v); err != nil || !strings.Contains(v, ".") {
		t.Fatalf("server_version %q %v", v, err)
	}
}

func TestFsyncOffOnEphemeralCluster(t *testing.T) {
	if pg.Cluster == nil {
		t.Skip("using TIDEMARK_TEST_PG_URL")
	}
	url := pg.NewDB(t)
	var f string
	if err := pgtest.Conn(t, url).QueryRow(context.Background(), "SHOW fsync").Scan(&f); err != nil || f != "off" {
		t.Fatalf("fsync=%q err=%v", f, err)
	}
}
