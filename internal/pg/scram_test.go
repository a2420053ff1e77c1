package pg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/pgcluster"
)

// startScramCluster starts a small cluster of its own whose TCP connections need
// a scram-sha-256 password (pgtest's shared cluster trusts loopback). It returns
// the port; role "app" has password appPassword.
func startScramCluster(t *testing.T, appPassword string) int {
	t.Helper()
	pg.NewDB(t) // skips (or fails under TIDEMARK_TEST_REQUIRE_PG=1) without PostgreSQL
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin, err := pgcluster.FindBinDir(ctx)
	if err != nil {
		t.Fatal(err) // NewDB above found a server, so its binaries exist
	}
	tmp, err := os.MkdirTemp("", "tidemark-scram-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(tmp, 0o755) // the server user (postgres, when root) must traverse it
	t.Cleanup(func() { os.RemoveAll(tmp) })
	c, err := pgcluster.New(bin, filepath.Join(tmp, "data"), 0)
	if err != nil {
		t.Fatal(err)
	}
	c.Settings = map[string]string{"fsync": "off"}
	if err := c.Init(ctx, pgcluster.InitOptions{}); err != nil {
		t.Fatal(err)
	}
	// Stops the server should the test binary die before its cleanups run.
	release, err := c.StopOnExit(tmp)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err == nil {
			release()
		}
	})
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE ROLE app LOGIN PASSWORD "+quoteLiteral(appPassword)); err != nil {
		t.Fatal(err)
	}
	// From now on TCP needs a password; the socket (in the 0700 data dir) stays trusted.
	hba := "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n"
	if err := os.WriteFile(filepath.Join(c.DataDir, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the postmaster rereads pg_hba.conf on SIGHUP
	return c.Port
}

func quoteLiteral(s string) string {
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += "''"
		} else {
			out += string(r)
		}
	}
	return out + "'"
}
