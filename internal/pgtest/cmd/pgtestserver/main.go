// Command pgtestserver runs a throwaway PostgreSQL cluster for the end-to-end tests of the
// desktop app. Unlike the in-process harness (trust authentication) it requires passwords
// (scram-sha-256), so a wrong password fails with SQLSTATE 28P01 as on a real server.
//
// It creates a login role and a few databases, writes the connection facts as JSON to the
// -info file (mode 0600; the password travels there, never on a command line), and runs
// until SIGINT/SIGTERM, when it stops the cluster and deletes its files.
//
//	go run ./internal/pgtest/cmd/pgtestserver -info /tmp/pg.json
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/pgcluster"
)

// Info is what the -info file holds.
type Info struct {
	Host      string   `json:"host"`
	Port      int      `json:"port"`
	User      string   `json:"user"`
	Password  string   `json:"password"`
	Databases []string `json:"databases"`
	// ServerVersion is SHOW server_version, for assertions on "Test connection".
	ServerVersion string `json:"serverVersion"`
}

func main() {
	infoPath := flag.String("info", "", "write the connection facts as JSON to this file (required)")
	user := flag.String("user", "tidemark_e2e", "login role to create")
	flag.Parse()
	if *infoPath == "" {
		fmt.Fprintln(os.Stderr, "pgtestserver: -info FILE is required")
		os.Exit(2)
	}
	if err := run(*infoPath, *user); err != nil {
		fmt.Fprintln(os.Stderr, "pgtestserver:", err)
		os.Exit(1)
	}
}

func secret() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random password: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func run(infoPath, role string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	bin, err := pgcluster.FindBinDir(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "tidemark-e2e-pg-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	if os.Geteuid() == 0 {
		// the server user must traverse the temp dir to reach its data directory
		if err := os.Chmod(tmp, 0o755); err != nil {
			return fmt.Errorf("chmod %s: %w", tmp, err)
		}
	}
	c, err := pgcluster.New(bin, filepath.Join(tmp, "data"), 0)
	if err != nil {
		return err
	}
	c.Settings = map[string]string{"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}

	superPW, err := secret()
	if err != nil {
		return err
	}
	rolePW, err := secret()
	if err != nil {
		return err
	}
	pwfile := filepath.Join(tmp, "pwfile")
	if err := os.WriteFile(pwfile, []byte(superPW+"\n"), 0o600); err != nil {
		return fmt.Errorf("write pwfile: %w", err)
	}
	setup, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := c.Init(setup, pgcluster.InitOptions{PasswordFile: pwfile}); err != nil {
		return err
	}
	_ = os.Remove(pwfile)
	// Killed outright (SIGKILL, a crashed test runner), this process never runs
	// its deferred stop: the watchdog then stops the server and removes tmp.
	release, err := c.StopOnExit(tmp)
	if err != nil {
		return err
	}
	if err := c.Start(setup); err != nil {
		_ = c.Stop(context.WithoutCancel(setup))
		return err
	}
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), time.Minute)
		defer scancel()
		if err := c.Stop(sctx); err != nil {
			fmt.Fprintln(os.Stderr, "pgtestserver:", err)
			return
		}
		release()
	}()

	admin := url.URL{
		Scheme: "postgres", User: url.UserPassword("postgres", superPW),
		Host: "127.0.0.1:" + strconv.Itoa(c.Port), Path: "/postgres", RawQuery: "sslmode=disable",
	}
	conn, err := pgx.Connect(setup, admin.String())
	if err != nil {
		return fmt.Errorf("connect as superuser: %w", err)
	}
	defer conn.Close(context.Background())
	info := Info{Host: "127.0.0.1", Port: c.Port, User: role, Password: rolePW, Databases: []string{"orders", "inventory"}}
	stmts := []string{
		fmt.Sprintf("CREATE ROLE %s LOGIN CREATEDB PASSWORD %s",
			pgx.Identifier{role}.Sanitize(), quoteLiteral(rolePW)),
	}
	for _, db := range info.Databases {
		stmts = append(stmts, fmt.Sprintf("CREATE DATABASE %s OWNER %s", pgx.Identifier{db}.Sanitize(), pgx.Identifier{role}.Sanitize()))
	}
	for _, s := range stmts {
		if _, err := conn.Exec(setup, s); err != nil {
			return fmt.Errorf("set up the test cluster: %w", err)
		}
	}
	if err := conn.QueryRow(setup, "SHOW server_version").Scan(&info.ServerVersion); err != nil {
		return fmt.Errorf("server version: %w", err)
	}
	b, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if err := os.WriteFile(infoPath, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", infoPath, err)
	}
	fmt.Fprintf(os.Stderr, "pgtestserver: PostgreSQL %s on 127.0.0.1:%d (role %s); stop with SIGTERM\n", info.ServerVersion, c.Port, role)
	<-ctx.Done()
	return nil
}

// quoteLiteral quotes s as an SQL string literal (the password is hex, but quote anyway).
func quoteLiteral(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}
