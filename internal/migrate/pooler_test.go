package migrate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/pgcluster"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// startPgBouncer runs a real PgBouncer in front of the test server with the
// given pool mode and returns the URL of dbURL's database through it. It
// skips when pgbouncer is not installed.
func startPgBouncer(t *testing.T, dbURL, mode string) string {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		for _, p := range []string{"/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"} {
			if _, serr := os.Stat(p); serr == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		if os.Getenv("TIDEMARK_TEST_REQUIRE_PG") == "1" {
			t.Fatal("pgbouncer is required under make test (scripts/deps.sh installs it)")
		}
		t.Skip("pgbouncer is not installed (apt-get install pgbouncer); skipping the transaction-pooler test")
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "tidemark-pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	user := u.User.Username()
	os.WriteFile(filepath.Join(dir, "users.txt"), []byte(fmt.Sprintf("%q \"\"\n", user)), 0o644)
	ini := fmt.Sprintf(`[databases]
* = host=%s port=%s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = %s
default_pool_size = 4
max_client_conn = 100
logfile = %s
`, u.Hostname(), u.Port(), port, filepath.Join(dir, "users.txt"), mode, filepath.Join(dir, "pgbouncer.log"))
	cfg := filepath.Join(dir, "pgbouncer.ini")
	if err := os.WriteFile(cfg, []byte(ini), 0o644); err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", "-u", "postgres", "--", bin, cfg) // pgbouncer refuses to run as root
	} else {
		cmd = exec.Command(bin, cfg)
	}
	// Its own process group: killing runuser alone would orphan pgbouncer.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); _ = cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "pgbouncer.log"))
			t.Fatalf("pgbouncer did not start: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	u.Host = fmt.Sprintf("127.0.0.1:%d", port)
	return u.String()
}

// Through PgBouncer in transaction mode a session lock protects nothing: the
// runner must notice and refuse before touching the database. In session
// mode it works.
func TestTransactionPoolerIsRefused(t *testing.T) {
	dbURL := pg.NewDB(t)
	ms := load(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id int);", "V2__b.sql": "CREATE INDEX CONCURRENTLY a_id ON a (id);"})

	txURL := startPgBouncer(t, dbURL, "transaction")
	_, err := newRunner(t, txURL).Apply(context.Background(), ms, ApplyOptions{})
	if !errors.Is(err, ErrTransactionPooler) {
		t.Fatalf("through a transaction pooler: err = %v, want ErrTransactionPooler", err)
	}
	t.Logf("refused: %v", err)
	c := pgtest.Conn(t, dbURL)
	if n := queryInt(t, c, `SELECT count(*) FROM pg_class WHERE relname = 'a' OR relname = 'migration_history'`); n != 0 {
		t.Errorf("the runner changed the database through a transaction pooler (%d relations)", n)
	}

	sessURL := startPgBouncer(t, dbURL, "session")
	res, err := newRunner(t, sessURL).Apply(context.Background(), ms, ApplyOptions{})
	if err != nil || len(res.Applied) != 2 {
		t.Fatalf("through a session pooler: %+v, %v", res, err)
	}
}
