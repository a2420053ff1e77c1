package instances_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestValidateFillsDefaults(t *testing.T) {
	cases := []struct {
		name string
		in   instances.Fields
		want pg.ConnInfo
	}{
		{"defaults", instances.Fields{Host: "db.example.com", User: "app"},
			pg.ConnInfo{Host: "db.example.com", Port: 5432, User: "app", SSLMode: "prefer"}},
		{"trimmed", instances.Fields{Host: "  db.example.com\t", Port: 6432, User: " app ", Password: " pw ", Database: "orders", SSLMode: " require "},
			pg.ConnInfo{Host: "db.example.com", Port: 6432, User: "app", Password: " pw ", Database: "orders", SSLMode: "require"}},
		{"URL", instances.Fields{URL: "postgres://app:s3cret@db.example.com:6432/orders?sslmode=verify-full", Host: "ignored", Port: 1},
			pg.ConnInfo{Host: "db.example.com", Port: 6432, User: "app", Password: "s3cret", Database: "orders", SSLMode: "verify-full"}},
		{"URL defaults", instances.Fields{URL: "postgresql://app@db.example.com/orders"},
			pg.ConnInfo{Host: "db.example.com", Port: 5432, User: "app", Database: "orders", SSLMode: "prefer"}},
		{"key=value", instances.Fields{URL: "host=db.example.com port=6543 user=app dbname=orders sslmode=disable"},
			pg.ConnInfo{Host: "db.example.com", Port: 6543, User: "app", Database: "orders", SSLMode: "disable"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := instances.Validate(c.in)
			if err != nil || got != c.want {
				t.Fatalf("Validate = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestValidateNamesTheField(t *testing.T) {
	cases := []struct {
		name  string
		in    instances.Fields
		field string
	}{
		{"no host", instances.Fields{User: "app"}, "host"},
		{"port out of range", instances.Fields{Host: "h", Port: 70000, User: "app"}, "port"},
		{"no user", instances.Fields{Host: "h", User: "  "}, "user"},
		{"bad sslmode", instances.Fields{Host: "h", User: "app", SSLMode: "on"}, "sslmode"},
		{"URL without a host", instances.Fields{URL: "postgres:///orders"}, "host"},
		{"URL with a bad port", instances.Fields{URL: "postgres://app@h:0/orders"}, "port"},
		// A URL is held to the same rules as the fields it supplies.
		{"URL without a user", instances.Fields{URL: "postgres://db.example.com/orders"}, "user"},
		{"key=value without a user", instances.Fields{URL: "host=db.example.com dbname=orders"}, "user"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := instances.Validate(c.in)
			var ue *usererr.Error
			if !errors.As(err, &ue) || ue.Field != c.field || ue.Message == "" {
				t.Fatalf("Validate(%+v) = %v, want an error on field %s", c.in, err, c.field)
			}
			if strings.Contains(ue.Message, "s3cret") {
				t.Fatalf("the message shows the password: %q", ue.Message)
			}
		})
	}
}

func TestInfoFindsThePassword(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".pgpass"), []byte("db.example.com:5432:*:app:from-pgpass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "PGPASSWORD": "from-env"}
	getenv := func(k string) string { return env[k] }
	base := workspace.Instance{ID: "i1", Name: "Orders", Host: "db.example.com", Port: 5432, User: "app", Database: "orders", SSLMode: "require"}
	with := func(m workspace.PasswordMode) workspace.Instance { in := base; in.PasswordMode = m; return in }
	stored := secret.NewSession()
	if err := stored.Set(ctx, "i1", "from-store"); err != nil {
		t.Fatal(err)
	}
	empty := secret.NewSession()

	cases := []struct {
		name     string
		resolver *secret.Resolver
		in       workspace.Instance
		password string
		msg      string // non-empty: an error on field password saying this
	}{
		{"none", &secret.Resolver{Getenv: getenv}, with(workspace.PasswordNone), "", ""},
		{"PGPASSWORD", &secret.Resolver{Getenv: getenv}, with(workspace.PasswordEnv), "from-env", ""},
		{"pgpass", &secret.Resolver{Getenv: getenv}, with(workspace.PasswordPgpass), "from-pgpass", ""},
		{"session", &secret.Resolver{Session: stored, Getenv: getenv}, with(workspace.PasswordSession), "from-store", ""},
		{"keychain", &secret.Resolver{Keychain: stored, Getenv: getenv}, with(workspace.PasswordKeychain), "from-store", ""},
		// pgpass and PGPASSWORD without a match: the server decides (trust, peer).
		{"no PGPASSWORD", &secret.Resolver{Getenv: func(string) string { return "" }}, with(workspace.PasswordEnv), "", ""},
		{"session, forgotten", &secret.Resolver{Session: empty, Getenv: getenv}, with(workspace.PasswordSession), "", "memory for this session"},
		{"keychain, no entry", &secret.Resolver{Keychain: empty, Getenv: getenv}, with(workspace.PasswordKeychain), "", "edit the instance and enter it"},
		{"keychain, none on this system", &secret.Resolver{Getenv: getenv}, with(workspace.PasswordKeychain), "", "no OS keychain"},
		// The CLI has no session store: a session password is simply not there.
		{"session, no session store", &secret.Resolver{Getenv: getenv}, with(workspace.PasswordSession), "", "memory for this session"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conns := &instances.Connector{Secrets: c.resolver}
			ci, err := conns.Info(ctx, c.in)
			if c.msg == "" {
				want := instances.ConnInfo(c.in, c.password)
				if err != nil || ci != want {
					t.Fatalf("Info = %+v, %v; want %+v", ci, err, want)
				}
				if conns.HasPassword(ctx, c.in) != (c.password != "") {
					t.Fatalf("HasPassword disagrees with the password %q", c.password)
				}
				return
			}
			ue := usererr.From(err)
			if err == nil || ue.Field != "password" || !strings.Contains(ue.Message, c.msg) || !strings.Contains(ue.Message, "Orders") {
				t.Fatalf("Info error = %+v (%v), want field password saying %q", ue, err, c.msg)
			}
			if _, _, err := conns.Config(ctx, c.in); usererr.From(err).Field != "password" {
				t.Fatalf("Config error = %v", err)
			}
		})
	}
}

func TestDatabaseConnects(t *testing.T) {
	f := wstest.New(t, srv)
	ctx := context.Background()
	d, _ := f.Database(t, "CREATE TABLE t (id int)")
	got, err := f.Conns.Database(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Info.Database != d.Name || got.Instance.ID != f.Instance.ID || got.Label() != d.Name+" on Local" {
		t.Fatalf("database %+v", got)
	}
	conn, err := got.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var name string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil || name != d.Name {
		t.Fatalf("connected to %q (%v), want %q", name, err, d.Name)
	}
	if _, err := f.Conns.Database(ctx, "missing"); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("unknown database: %v", err)
	}
	// An unreachable server: the error names the database and keeps the cause.
	in := f.Instance
	in.Port = closedPort(t)
	if _, err := f.WS.UpdateInstance(ctx, in); err != nil {
		t.Fatal(err)
	}
	gone, err := f.Conns.Database(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gone.Connect(ctx); err == nil || !strings.Contains(err.Error(), "connect to "+d.Name+" on Local") {
		t.Fatalf("unreachable: %v", err)
	}
}

func TestSyncDatabasesRecordsTheOutcome(t *testing.T) {
	f := wstest.New(t, srv)
	ctx := context.Background()
	d, _ := f.Database(t, "")
	p, err := f.WS.CreateProject(ctx, "Shop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WS.AssignProject(ctx, d.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	pool := func(ctx context.Context, cfg *pgx.ConnConfig) (pg.Querier, error) {
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c, nil
	}
	gonePort := closedPort(t)
	cases := []struct {
		name  string
		port  int
		open  instances.Opener
		fails bool
	}{
		{"own connection", f.Instance.Port, nil, false},
		{"unreachable", gonePort, nil, true},
		{"through an opener", f.Instance.Port, pool, false},
		{"unreachable through an opener", gonePort, pool, true},
		{"reachable again", f.Instance.Port, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := f.Instance
			in.Port = c.port
			in, err := f.WS.UpdateInstance(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			dbs, err := f.Conns.SyncDatabases(ctx, in, c.open)
			after, gerr := f.WS.GetInstance(ctx, in.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			if c.fails {
				if err == nil || dbs != nil || after.LastError == "" || after.LastError != usererr.From(err).Error() {
					t.Fatalf("sync = %v, %v; last error %q", dbs, err, after.LastError)
				}
				if !strings.Contains(after.LastError, strconv.Itoa(c.port)) {
					t.Fatalf("last error %q does not name the address", after.LastError)
				}
				return
			}
			if err != nil || after.LastError != "" || after.LastSyncAt.IsZero() {
				t.Fatalf("sync: %v; last error %q, synced at %v", err, after.LastError, after.LastSyncAt)
			}
			var found *workspace.Database
			for i := range dbs {
				if dbs[i].Name == d.Name {
					found = &dbs[i]
				}
			}
			// The database is still there with the same id and its project.
			if found == nil || found.ID != d.ID || found.ProjectID != p.ID || found.Owner == "" {
				t.Fatalf("synced %+v, want %s with project %s", found, d.Name, p.ID)
			}
		})
	}
	// A database dropped on the server leaves the workspace at the next sync.
	extra, extraURL := f.Database(t, "")
	u, err := url.Parse(extraURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Exec(ctx, "DROP DATABASE "+strings.TrimPrefix(u.Path, "/")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Conns.SyncDatabases(ctx, f.Instance, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WS.GetDatabase(ctx, extra.ID); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("dropped database still listed: %v", err)
	}
}

func TestTestRecordsTheOutcome(t *testing.T) {
	f := wstest.New(t, srv)
	ctx := context.Background()
	if err := f.WS.SetInstanceSyncError(ctx, f.Instance.ID, "an old failure"); err != nil {
		t.Fatal(err)
	}
	lastError := func() string {
		in, err := f.WS.GetInstance(ctx, f.Instance.ID)
		if err != nil {
			t.Fatal(err)
		}
		return in.LastError
	}
	info, err := f.Conns.Test(ctx, f.Instance)
	if err != nil || info.VersionNum < 100000 || info.Version == "" || info.Latency <= 0 {
		t.Fatalf("test: %+v, %v", info, err)
	}
	if got := lastError(); got != "" {
		t.Fatalf("a passing test left the last error %q", got)
	}

	in := f.Instance
	in.Port = closedPort(t)
	if _, err := f.Conns.Test(ctx, in); err == nil || lastError() != usererr.From(err).Error() {
		t.Fatalf("unreachable: %v; last error %q", err, lastError())
	}
	// A missing password fails before connecting, on the password field.
	in = f.Instance
	in.PasswordMode = workspace.PasswordSession
	_, err = (&instances.Connector{WS: f.WS, Secrets: &secret.Resolver{Session: secret.NewSession()}}).Test(ctx, in)
	if ue := usererr.From(err); ue == nil || ue.Field != "password" || lastError() != ue.Error() {
		t.Fatalf("no password: %+v; last error %q", ue, lastError())
	}
	if _, err := f.Conns.Test(ctx, f.Instance); err != nil || lastError() != "" {
		t.Fatalf("reachable again: %v; last error %q", err, lastError())
	}
}
