// Package pgtest runs tests against real PostgreSQL: one ephemeral cluster per
// test binary (initdb + pg_ctl on a free loopback port in a temporary directory,
// fsync off) and a fresh database per test.
//
// Usage in a package's tests:
//
//	var pg *pgtest.Server
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pg)) }
//
//	func TestSomething(t *testing.T) {
//		url := pg.NewDB(t) // dropped when the test ends
//		...
//	}
//
// TIDEMARK_TEST_PG_URL points the tests at an existing server instead (a
// superuser URL; databases are created and dropped on it). When no server
// binaries exist, tests calling NewDB are skipped with a message, unless
// TIDEMARK_TEST_REQUIRE_PG=1 (set by `make test`), in which case they fail.
package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/pgcluster"
)

// Server is a PostgreSQL server tests can create databases on.
type Server struct {
	// AdminURL connects as a superuser to the maintenance database `postgres`.
	AdminURL string
	// Cluster is the ephemeral cluster, nil when TIDEMARK_TEST_PG_URL is used.
	Cluster *pgcluster.Cluster
	// BinDir holds the server binaries (pg_dump, psql, ...) when known.
	BinDir string

	startErr error
	tmp      string
	release  func() // ends the cluster watchdog after a normal Close
}

// Run starts a server (or connects to TIDEMARK_TEST_PG_URL), stores it in *dst,
// runs the tests and stops the server. Use as os.Exit(pgtest.Run(m, &srv)).
func Run(m *testing.M, dst **Server) int {
	srv := Start(context.Background())
	*dst = srv
	code := m.Run()
	if err := srv.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
	}
	return code
}

// Start starts a server. It never returns nil; a failure is kept and reported
// by NewDB, so tests that do not need PostgreSQL still run.
func Start(ctx context.Context) *Server {
	if u := os.Getenv("TIDEMARK_TEST_PG_URL"); u != "" {
		s := &Server{AdminURL: u}
		s.BinDir, _ = pgcluster.FindBinDir(ctx)
		return s
	}
	s := &Server{}
	bin, err := pgcluster.FindBinDir(ctx)
	if err != nil {
		s.startErr = err
		return s
	}
	s.BinDir = bin
	tmp, err := os.MkdirTemp("", "tidemark-pgtest-")
	if err != nil {
		s.startErr = err
		return s
	}
	s.tmp = tmp
	if os.Geteuid() == 0 {
		// The server user must traverse the temp dir to reach its data directory.
		_ = os.Chmod(tmp, 0o755)
	}
	c, err := pgcluster.New(bin, filepath.Join(tmp, "data"), 0)
	if err != nil {
		s.startErr = err
		return s
	}
	c.Settings = map[string]string{
		"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
		"max_connections": "200", "shared_buffers": "64MB",
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := c.Init(ctx, pgcluster.InitOptions{}); err != nil {
		s.startErr = err
		return s
	}
	// A test binary that panics or hits -timeout never reaches Close: the
	// watchdog then stops the server and removes its files.
	release, err := c.StopOnExit(tmp)
	if err != nil {
		s.startErr = err
		return s
	}
	s.release = release
	if err := c.Start(ctx); err != nil {
		s.startErr = err
		// pg_ctl may have given up waiting on a server that did start.
		_ = c.Stop(context.WithoutCancel(ctx))
		return s
	}
	s.Cluster = c
	s.AdminURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port)
	return s
}

// Close stops the ephemeral cluster and removes its files.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	var err error
	if s.Cluster != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err = s.Cluster.Stop(ctx)
	}
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
	// After a failed stop the watchdog stays armed and tries again at exit.
	if s.release != nil && err == nil {
		s.release()
	}
	return err
}

// Available reports whether a server is usable, and why not.
func (s *Server) Available() error {
	if s == nil {
		return fmt.Errorf("pgtest: no server (did TestMain call pgtest.Run?)")
	}
	return s.startErr
}

func (s *Server) need(t testing.TB) {
	t.Helper()
	if err := s.Available(); err != nil {
		if os.Getenv("TIDEMARK_TEST_REQUIRE_PG") == "1" {
			t.Fatalf("PostgreSQL is required (TIDEMARK_TEST_REQUIRE_PG=1) but could not start: %v", err)
		}
		t.Skipf("skipping: no PostgreSQL for tests: %v", err)
	}
}

// NewDB creates a fresh, uniquely named database and returns its URL. The
// database is dropped (with FORCE) when the test ends.
func (s *Server) NewDB(t testing.TB) string {
	t.Helper()
	s.need(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("pgtest: drop database %s: %v", name, err)
		}
	})
	return s.DBURL(name)
}

// DBURL returns the URL of database name on this server (same credentials as AdminURL).
func (s *Server) DBURL(name string) string {
	u, err := url.Parse(s.AdminURL)
	if err != nil {
		return s.AdminURL
	}
	u.Path = "/" + name
	return u.String()
}

// Exec runs sql on the maintenance database as superuser.
func (s *Server) Exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, s.AdminURL)
	if err != nil {
		return fmt.Errorf("connect to the test server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("on the test server: %w", err)
	}
	return nil
}

// Conn opens a connection to url that is closed when the test ends.
func Conn(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// MustExec runs sql (may hold several statements) on url and fails the test on error.
func MustExec(t testing.TB, url, sql string) {
	t.Helper()
	c := Conn(t, url)
	if _, err := c.Exec(context.Background(), sql); err != nil {
		t.Fatalf("pgtest: exec: %v", err)
	}
}

// Psql runs a psql-format script — file, or stdin when file is empty — against
// url with ON_ERROR_STOP, the way psql-format corpora must be loaded (they use
// meta-commands). Notices are silenced; a relative \i resolves beside file.
func (s *Server) Psql(url, file string, stdin []byte) error {
	if s.BinDir == "" {
		return fmt.Errorf("pgtest: psql: no PostgreSQL client binaries found")
	}
	src := "-"
	if file != "" {
		src = file
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(s.BinDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", src)
	cmd.Stdin = bytes.NewReader(stdin)
	if file != "" {
		cmd.Dir = filepath.Dir(file)
	}
	cmd.Env = append(os.Environ(), "PGOPTIONS=-c client_min_messages=warning")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("psql: %v\n%s", err, out)
	}
	return nil
}
