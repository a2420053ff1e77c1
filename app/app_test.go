package app

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/secret"
)

var pgsrv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pgsrv)) }

type harness struct {
	app    *App
	dir    string
	env    map[string]string
	mu     sync.Mutex
	events []Progress
	// other are the names of the other events (gitops, issue), in order
	other []string
}

func (h *harness) progress() []Progress {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Progress(nil), h.events...)
}

// newApp opens an app on a fresh workspace. keychain=false simulates headless
// Linux (no D-Bus session); keychain=true uses go-keyring's in-memory mock.
func newApp(t *testing.T, dir string, keychain bool) *harness {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	h := &harness{dir: dir, env: map[string]string{"HOME": t.TempDir()}}
	getenv := func(k string) string { return h.env[k] }
	kc := &secret.Keychain{Service: "tidemark-test", Getenv: func(string) string { return "" }}
	if keychain {
		keyring.MockInit()
		kc.Getenv = func(k string) string {
			if k == "DBUS_SESSION_BUS_ADDRESS" {
				return "unix:path=/mock"
			}
			return ""
		}
	}
	a, err := New(Options{WorkspaceDir: dir, Keychain: kc, Getenv: getenv, SampleFallbackBase: filepath.Join(t.TempDir(), "fallback"),
		Emit: func(name string, p any) {
			if name == "anomaly:changed" {
				return // a schema sync's anomaly evaluation (TestAnomalyBinding checks these)
			}
			if name == "gitops" || name == "issue" {
				h.mu.Lock()
				h.other = append(h.other, name)
				h.mu.Unlock()
				return
			}
			if name != "progress" {
				t.Errorf("event %q", name)
			}
			h.mu.Lock()
			h.events = append(h.events, p.(Progress))
			h.mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	h.app = a
	t.Cleanup(func() { a.Shutdown(context.Background()) })
	return h
}

// pgInput is a form pointing at the pgtest server (trust auth).
func pgInput(t *testing.T, name string) InstanceInput {
	t.Helper()
	pgsrv.NewDB(t)
	u, _ := url.Parse(pgsrv.AdminURL)
	port, _ := strconv.Atoi(u.Port())
	return InstanceInput{Name: name, EnvironmentID: "test", Host: u.Hostname(), Port: port, User: u.User.Username(), Database: "postgres", SSLMode: "disable"}
}

// registerDB creates a database on the test server holding setup, registers
// the server as an instance in env, lists its databases and returns the
// database's record id and its URL.
func registerDB(t *testing.T, h *harness, env, setup string) (string, string) {
	t.Helper()
	dbURL := pgsrv.NewDB(t)
	if setup != "" {
		pgtest.MustExec(t, dbURL, setup)
	}
	name := strings.TrimPrefix(mustParse(t, dbURL).Path, "/")
	in := pgInput(t, "pg-"+env+"-"+name)
	in.EnvironmentID = env
	inst, err := h.app.Instances().Create(in)
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := h.app.Instances().Sync(inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbs {
		if d.Name == name {
			return d.ID, dbURL
		}
	}
	t.Fatalf("database %s not listed by the instance sync", name)
	return "", ""
}

// wire is the JSON the frontend receives.
type wire struct {
	Message  string `json:"message"`
	SQLState string `json:"sqlstate"`
	Detail   string `json:"detail"`
	Hint     string `json:"hint"`
	Field    string `json:"field"`
}

// userErr checks that err reaches the frontend as JSON and returns it.
func userErr(t *testing.T, err error) wire {
	t.Helper()
	var w *wireError
	if !errors.As(err, &w) {
		t.Fatalf("error %v (%T) is not a *wireError", err, err)
	}
	var back wire
	if json.Unmarshal([]byte(err.Error()), &back) != nil {
		t.Fatalf("Error() %q is not JSON", err.Error())
	}
	ue := w.e
	if back != (wire{ue.Message, ue.SQLState, ue.Detail, ue.Hint, ue.Field}) {
		t.Fatalf("Error() %q is not the JSON of %+v", err.Error(), *ue)
	}
	return back
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return p
}

func TestInfoAndFirstRun(t *testing.T) {
	h := newApp(t, "", false)
	info, err := h.app.System().Info()
	if err != nil {
		t.Fatal(err)
	}
	if !info.FirstRun || info.WorkspacePath != h.app.ws.Dir() || info.Version == "" {
		t.Fatalf("info = %+v", info)
	}
	if info.Keychain.Available || !strings.HasPrefix(info.Keychain.Message, "no OS keychain available: ") {
		t.Fatalf("keychain = %+v", info.Keychain)
	}
	envs, err := h.app.Environments().List()
	if err != nil || len(envs) != 2 || envs[0].Name != "Test" || envs[1].Name != "Prod" || !envs[1].Protected {
		t.Fatalf("environments = %+v, %v", envs, err)
	}
	st, err := h.app.Environments().Create("Staging")
	if err != nil || st.ID != "staging" {
		t.Fatalf("create env: %+v %v", st, err)
	}
	envs, err = h.app.Environments().Reorder([]string{"test", "staging", "prod"})
	if err != nil || envs[1].ID != "staging" {
		t.Fatalf("reorder: %+v %v", envs, err)
	}
	_, err = h.app.Environments().Create("staging")
	if ue := userErr(t, err); ue.Field != "name" {
		t.Fatalf("duplicate env: %+v", ue)
	}
	if len(h.app.Services()) < 6 { // the foundation six; each area adds its own
		t.Fatal("services")
	}
}

func TestSecondWindowRefused(t *testing.T) {
	h := newApp(t, "", false)
	_, err := New(Options{WorkspaceDir: h.dir, Keychain: &secret.Keychain{Getenv: func(string) string { return "" }}})
	var se *StartupError
	if !errors.As(err, &se) || !strings.Contains(se.Message, "another Tidemark window is already using workspace "+h.app.ws.Dir()+" (pid "+strconv.Itoa(os.Getpid())+")") {
		t.Fatalf("err = %v", err)
	}
}

func TestInstanceLifecycle(t *testing.T) {
	h := newApp(t, "", false)
	is := h.app.Instances()
	in := pgInput(t, "Local")
	inst, err := is.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if inst.PasswordMode != "none" || inst.HasPassword || inst.ID == "" {
		t.Fatalf("created %+v", inst)
	}
	res, err := is.TestSaved(inst.ID)
	if err != nil || res.ServerVersionNum < 100000 || res.ServerVersion == "" {
		t.Fatalf("test saved: %+v %v", res, err)
	}
	res, err = is.TestConnection(in)
	if err != nil || res.ServerVersionNum < 100000 {
		t.Fatalf("test form: %+v %v", res, err)
	}

	// Duplicate names are refused, whatever the case.
	dup := in
	dup.Name = "LOCAL"
	_, err = is.Create(dup)
	if ue := userErr(t, err); ue.Field != "name" || !strings.Contains(ue.Message, "already exists") {
		t.Fatalf("duplicate: %+v", ue)
	}

	// Sync lists the server's databases with progress events.
	dbURL := pgsrv.NewDB(t)
	dbName := strings.TrimPrefix(mustParse(t, dbURL).Path, "/")
	dbs, err := is.Sync(inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	var mine Database
	for _, d := range dbs {
		if d.Name == dbName {
			mine = d
		}
	}
	if mine.ID == "" || mine.Owner != "postgres" || mine.Encoding != "UTF8" || mine.SizeBytes <= 0 || mine.EnvironmentID != "test" || mine.SyncedAt == "" {
		t.Fatalf("synced %s: %+v in %+v", dbName, mine, dbs)
	}
	ev := h.progress()
	if len(ev) < 2 || !ev[len(ev)-1].Finished || ev[len(ev)-1].Error != "" || ev[0].ID != "sync-"+inst.ID {
		t.Fatalf("progress: %+v", ev)
	}
	list, _ := is.List()
	if len(list) != 1 || list[0].LastSyncAt == "" || list[0].LastError != "" {
		t.Fatalf("list: %+v", list)
	}

	// Projects (their rules are the workspace's, tested there).
	ps := h.app.Projects()
	p, err := ps.Create("Shop")
	if err != nil {
		t.Fatal(err)
	}
	d, err := h.app.Databases().AssignProject(mine.ID, p.ID)
	if err != nil || d.ProjectID != p.ID {
		t.Fatalf("assign: %+v %v", d, err)
	}
	pdbs, err := ps.Databases(p.ID)
	if err != nil || len(pdbs) != 1 || pdbs[0].Name != dbName {
		t.Fatalf("project databases: %+v %v", pdbs, err)
	}
	if p, err = ps.Archive(p.ID); err != nil || !p.Archived || p.DatabaseCount != 1 {
		t.Fatalf("archive: %+v %v", p, err)
	}

	// Update: rename and move to Prod, keeping the (absent) password.
	in.Name, in.EnvironmentID, in.KeepPassword = "Local main", "prod", true
	up, err := is.Update(inst.ID, in)
	if err != nil || up.Name != "Local main" || up.EnvironmentID != "prod" {
		t.Fatalf("update: %+v %v", up, err)
	}

	// Remove never touches the server: the database is still there afterwards.
	if err := is.Remove(inst.ID); err != nil {
		t.Fatal(err)
	}
	c := pgtest.Conn(t, pgsrv.AdminURL)
	var n int
	c.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", dbName).Scan(&n)
	if n != 1 {
		t.Fatal("the database disappeared from the server")
	}
	if all, _ := h.app.Databases().List(""); len(all) != 0 {
		t.Fatalf("databases left after remove: %+v", all)
	}
	if p, _ := h.app.ws.GetProject(context.Background(), p.ID); p.DatabaseCount != 0 {
		t.Fatal("project still counts the removed instance's database")
	}
	err = is.Remove(inst.ID)
	if ue := userErr(t, err); !strings.Contains(ue.Message, "not found") {
		t.Fatalf("second remove: %+v", ue)
	}
}

func TestRemoveUnreachableInstance(t *testing.T) {
	h := newApp(t, "", true)
	port := closedPort(t)
	inst, err := h.app.Instances().Create(InstanceInput{Name: "Gone", Host: "127.0.0.1", Port: port, User: "u", Password: "pw-gone"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := h.app.Instances().Remove(inst.ID); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > time.Second {
		t.Fatalf("remove took %v: did it try to connect?", time.Since(start))
	}
	if _, err := h.app.keychain.Get(context.Background(), inst.ID); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("password left in the keychain: %v", err)
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUnreachableHost(t *testing.T) {
	h := newApp(t, "", false)
	port := closedPort(t)
	start := time.Now()
	_, err := h.app.Instances().TestConnection(InstanceInput{Name: "x", Host: "127.0.0.1", Port: port, User: "postgres", Password: "pw-x"})
	took := time.Since(start)
	ue := userErr(t, err)
	if !strings.Contains(ue.Message, "cannot reach 127.0.0.1:"+strconv.Itoa(port)) {
		t.Fatalf("message = %q", ue.Message)
	}
	if took >= 5*time.Second {
		t.Fatalf("took %v; the limit is 5s", took)
	}
	t.Logf("unreachable reported after %v", took)

	// The same through a saved instance records lastError, and Sync reports it in progress.
	inst, err := h.app.Instances().Create(InstanceInput{Name: "Down", Host: "127.0.0.1", Port: port, User: "postgres"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Instances().Sync(inst.ID); err == nil {
		t.Fatal("sync of a closed port succeeded")
	}
	ev := h.progress()
	last := ev[len(ev)-1]
	if !last.Finished || !strings.Contains(last.Error, "cannot reach") {
		t.Fatalf("progress: %+v", last)
	}
	list, _ := h.app.Instances().List()
	if !strings.Contains(list[0].LastError, "cannot reach 127.0.0.1:"+strconv.Itoa(port)) {
		t.Fatalf("lastError = %q", list[0].LastError)
	}
}

func TestMalformedURL(t *testing.T) {
	h := newApp(t, "", false)
	is := h.app.Instances()
	// The field rules are instances.Validate's (its shared cases); here, that
	// the field and a password-free message reach the frontend.
	cases := map[string]string{
		"postgres://u:pw@db:abc/x": "port",
		"mysql://u:pw@db/x":        "url",
	}
	for in, field := range cases {
		_, err := is.ParseURL(in)
		ue := userErr(t, err)
		if ue.Field != field || strings.Contains(err.Error(), "pw@") {
			t.Errorf("ParseURL(%q): %+v, want field %s", in, ue, field)
		}
		_, err = is.Create(InstanceInput{Name: "n", URL: in})
		if ue := userErr(t, err); ue.Field != field {
			t.Errorf("Create(url %q): %+v", in, ue)
		}
	}
	got, err := is.ParseURL("postgresql://alice:s%3Acret@db.example.com:6543/shop?sslmode=require")
	if err != nil || got.Host != "db.example.com" || got.Port != 6543 || got.User != "alice" || got.Password != "s:cret" || got.Database != "shop" || got.SSLMode != "require" {
		t.Fatalf("parse: %+v %v", got, err)
	}
	if _, err := is.Create(InstanceInput{Name: "a", Host: "h", User: "u", SSLMode: "sure"}); userErr(t, err).Field != "sslmode" {
		t.Errorf("Create with a bad sslmode: %v", err)
	}
}

func TestPasswordsGoToKeychainNeverToWorkspace(t *testing.T) {
	const pw = "K3ychain-Only-Pw"
	h := newApp(t, "", true)
	is := h.app.Instances()
	inst, err := is.Create(InstanceInput{Name: "Remote", Host: "db.invalid", Port: 5432, User: "app", Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	if inst.PasswordMode != "keychain" || !inst.HasPassword {
		t.Fatalf("created %+v", inst)
	}
	if got, _ := h.app.keychain.Get(context.Background(), inst.ID); got != pw {
		t.Fatalf("keychain has %q", got)
	}
	// Keep it on update; change it; clear it.
	up, err := is.Update(inst.ID, InstanceInput{Name: "Remote", Host: "db.invalid", Port: 5432, User: "app", KeepPassword: true})
	if err != nil || up.PasswordMode != "keychain" || !up.HasPassword {
		t.Fatalf("keep: %+v %v", up, err)
	}
	if _, err := is.Update(inst.ID, InstanceInput{Name: "Remote", Host: "db.invalid", Port: 5432, User: "app", Password: pw + "2"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.app.keychain.Get(context.Background(), inst.ID); got != pw+"2" {
		t.Fatalf("keychain has %q", got)
	}
	h.app.ws.DB().Exec("PRAGMA wal_checkpoint(FULL)")
	for _, f := range []string{h.app.ws.Path(), h.app.ws.Path() + "-wal"} {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), pw) {
			t.Fatalf("password found in %s", f)
		}
	}
	cleared, err := is.Update(inst.ID, InstanceInput{Name: "Remote", Host: "db.invalid", Port: 5432, User: "app"})
	if err != nil || cleared.PasswordMode != "none" || cleared.HasPassword {
		t.Fatalf("clear: %+v %v", cleared, err)
	}
	if _, err := h.app.keychain.Get(context.Background(), inst.ID); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("password left: %v", err)
	}
}

func TestNoKeychainFallbacks(t *testing.T) {
	h := newApp(t, "", false)
	is := h.app.Instances()
	// A typed password is kept for this session only.
	inst, err := is.Create(InstanceInput{Name: "S", Host: "h.invalid", Port: 5432, User: "app", Password: "sess"})
	if err != nil || inst.PasswordMode != "session" || !inst.HasPassword {
		t.Fatalf("session: %+v %v", inst, err)
	}
	// No password: ~/.pgpass when it has a line for the server...
	pgpass := filepath.Join(h.env["HOME"], ".pgpass")
	os.WriteFile(pgpass, []byte("h.invalid:5432:*:app:frompgpass\n"), 0o600)
	inst, err = is.Create(InstanceInput{Name: "P", Host: "h.invalid", Port: 5432, User: "app"})
	if err != nil || inst.PasswordMode != "pgpass" || !inst.HasPassword {
		t.Fatalf("pgpass: %+v %v", inst, err)
	}
	// ...else PGPASSWORD when set, else none.
	h.env["PGPASSWORD"] = "fromenv"
	inst, err = is.Create(InstanceInput{Name: "E", Host: "other.invalid", Port: 5432, User: "app"})
	if err != nil || inst.PasswordMode != "env" || !inst.HasPassword {
		t.Fatalf("env: %+v %v", inst, err)
	}
	delete(h.env, "PGPASSWORD")
	list, _ := is.List()
	for _, i := range list {
		if i.Name == "E" && i.HasPassword {
			t.Fatal("env instance still has a password after PGPASSWORD was unset")
		}
	}
	// A new session forgets the session password and says so when used.
	h.app.Shutdown(context.Background())
	h2 := newApp(t, h.dir, false)
	var sID string
	list, _ = h2.app.Instances().List()
	for _, i := range list {
		if i.Name == "S" {
			sID = i.ID
			if i.HasPassword {
				t.Fatal("session password survived the session")
			}
		}
	}
	_, err = h2.app.Instances().TestSaved(sID)
	if ue := userErr(t, err); ue.Field != "password" || !strings.Contains(ue.Message, "memory for this session") {
		t.Fatalf("missing session password: %+v", ue)
	}
}

// TestSampleAndWrongPassword starts the sample instance through the service
// (its TCP connections need a scram password, unlike pgtest's cluster), checks
// what it registered, uses it for the wrong-password case, and checks that
// Shutdown stops it.
func TestSampleAndWrongPassword(t *testing.T) {
	pgsrv.NewDB(t) // skip without PostgreSQL
	base, err := os.MkdirTemp("", "tidemark-app-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755)
	t.Cleanup(func() { os.RemoveAll(base) })
	dir := filepath.Join(base, "ws")
	os.Mkdir(dir, 0o755)
	h := newApp(t, dir, true)
	ss := h.app.Sample()
	st, err := ss.Status()
	if err != nil || !st.Available || st.Running {
		t.Fatalf("status: %+v %v", st, err)
	}
	st, err = ss.Start()
	if err != nil || !st.Running || st.Port == 0 {
		t.Fatalf("start: %+v %v", st, err)
	}
	ev := h.progress()
	if len(ev) < 5 || ev[0].ID != "sample-start" || !ev[len(ev)-1].Finished || ev[len(ev)-1].Error != "" {
		t.Fatalf("progress: %+v", ev)
	}
	info, _ := h.app.System().Info()
	if info.FirstRun {
		t.Fatal("still first run after the sample started")
	}
	list, _ := h.app.Instances().List()
	if len(list) != 1 || !list[0].IsSample || list[0].Name != "Sample" || list[0].PasswordMode != "keychain" || !list[0].HasPassword {
		t.Fatalf("instances: %+v", list)
	}
	if res, err := h.app.Instances().TestSaved(list[0].ID); err != nil || res.ServerVersionNum == 0 {
		t.Fatalf("sample test: %+v %v", res, err)
	}
	dbs, _ := h.app.Databases().List("")
	envOf := map[string]string{}
	for _, d := range dbs {
		envOf[d.Name] = d.EnvironmentID
	}
	if envOf["hr_test"] != "test" || envOf["hr_prod"] != "prod" {
		t.Fatalf("databases: %+v", dbs)
	}
	projects, _ := h.app.Projects().List(false)
	if len(projects) != 1 || projects[0].Name != "HR" || projects[0].DatabaseCount != 2 {
		t.Fatalf("projects: %+v", projects)
	}

	// Wrong password: PostgreSQL's message and SQLSTATE 28P01.
	_, err = h.app.Instances().TestConnection(InstanceInput{Name: "w", Host: "127.0.0.1", Port: st.Port, User: "postgres", Password: "wrong-pw", Database: "hr_test", SSLMode: "disable"})
	ue := userErr(t, err)
	if ue.SQLState != "28P01" || ue.Message != `password authentication failed for user "postgres"` || ue.Field != "password" {
		t.Fatalf("wrong password: %+v", ue)
	}
	if strings.Contains(err.Error(), "wrong-pw") {
		t.Fatal("password in the error")
	}

	// Shutdown stops the sample server.
	h.app.Shutdown(context.Background())
	h2 := newApp(t, dir, true)
	if st, _ := h2.app.Sample().Status(); st.Running || !st.Initialized {
		t.Fatalf("after shutdown: %+v", st)
	}
}
