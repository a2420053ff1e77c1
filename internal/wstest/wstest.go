// Package wstest gives use-case tests a real workspace whose instance is a
// real PostgreSQL server (internal/pgtest), so that the packages that work
// on workspace databases (schemasync, change, compare, livereview) test
// what the desktop app and the CLI run.
package wstest

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Fixture is a fresh workspace with one instance ("Local", environment
// test) on the pgtest server.
type Fixture struct {
	WS       *workspace.Store
	Conns    *instances.Connector
	Instance workspace.Instance
	Srv      *pgtest.Server
}

// New opens a fresh workspace on srv (which must be running: pgtest.Run).
func New(t testing.TB, srv *pgtest.Server) *Fixture {
	t.Helper()
	srv.NewDB(t) // fails (or skips without TIDEMARK_TEST_REQUIRE_PG) when there is no server
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir(), workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	u, err := url.Parse(srv.AdminURL)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	in, err := ws.CreateInstance(ctx, workspace.Instance{Name: "Local", EnvironmentID: "test", Host: u.Hostname(), Port: port,
		User: u.User.Username(), Database: "postgres", SSLMode: "disable", PasswordMode: workspace.PasswordNone})
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	conns := &instances.Connector{WS: ws, Secrets: &secret.Resolver{Getenv: func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}}}
	return &Fixture{WS: ws, Conns: conns, Instance: in, Srv: srv}
}

// Database creates a database on the server, runs sql in it, syncs the
// instance and returns the workspace database and its URL.
func (f *Fixture) Database(t testing.TB, sql string) (workspace.Database, string) {
	t.Helper()
	dbURL := f.Srv.NewDB(t)
	if sql != "" {
		pgtest.MustExec(t, dbURL, sql)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := f.Conns.SyncDatabases(ctx, f.Instance, nil); err != nil {
		t.Fatal(err)
	}
	d, err := f.WS.FindDatabase(ctx, f.Instance.ID, u.Path[1:])
	if err != nil {
		t.Fatal(err)
	}
	return d, dbURL
}

// Production moves the database to the production environment (prod).
func (f *Fixture) Production(t testing.TB, d workspace.Database) workspace.Database {
	t.Helper()
	ctx := context.Background()
	d, err := f.WS.SetDatabaseEnvironment(ctx, d.ID, "prod")
	if err != nil {
		t.Fatal(err)
	}
	return d
}
