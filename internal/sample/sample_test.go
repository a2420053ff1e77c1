package sample

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/pgcluster"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// reachableTemp makes a temporary directory the postgres user can traverse
// (t.TempDir is 0700), removed at the end (root removes the server's files).
func reachableTemp(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "tidemark-sample-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(d, 0o755)
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// needBinaries stops a test that runs the sample cluster when PostgreSQL's
// server binaries are missing: it fails under TIDEMARK_TEST_REQUIRE_PG=1
// (make test) and is skipped otherwise.
func needBinaries(t *testing.T) {
	t.Helper()
	if _, err := pgcluster.FindBinDir(context.Background()); err != nil {
		if os.Getenv("TIDEMARK_TEST_REQUIRE_PG") == "1" {
			t.Fatalf("PostgreSQL server binaries are required (TIDEMARK_TEST_REQUIRE_PG=1): %v", err)
		}
		t.Skipf("no PostgreSQL server binaries: %v", err)
	}
}

func newManager(t *testing.T, wsDir, fallback string) (*Manager, *workspace.Store, secret.Store) {
	t.Helper()
	ws, err := workspace.Open(context.Background(), wsDir, workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	sec := secret.NewSession()
	m := New(Options{Workspace: ws, Secrets: sec, PasswordMode: workspace.PasswordSession, FallbackBase: fallback})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		m.Stop(ctx)
	})
	return m, ws, sec
}

func tcpConn(t *testing.T, ws *workspace.Store, sec secret.Store, db string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	in, err := ws.GetInstanceByName(ctx, InstanceName)
	if err != nil {
		t.Fatal(err)
	}
	pw, err := sec.Get(ctx, in.ID)
	if err != nil {
		t.Fatalf("password not in the secret store: %v", err)
	}
	ci := instances.ConnInfo(in, pw)
	ci.Database = db
	cfg, err := pg.Config(ci)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func TestStartStopRestart(t *testing.T) {
	needBinaries(t)
	ctx := context.Background()
	base := reachableTemp(t)
	wsDir := filepath.Join(base, "ws")
	os.Mkdir(wsDir, 0o755)
	m, ws, sec := newManager(t, wsDir, filepath.Join(base, "fallback"))

	st, err := m.Status(ctx)
	if err != nil || !st.Available || st.Initialized || st.Running {
		t.Fatalf("before start: %+v, %v", st, err)
	}
	var steps []Progress
	st, err = m.Start(ctx, func(p Progress) { steps = append(steps, p) })
	if err != nil {
		t.Fatal(err)
	}
	if !st.Running || !st.Initialized || st.Port == 0 || st.DataDir != filepath.Join(wsDir, "sample", "data") {
		t.Fatalf("after start: %+v", st)
	}
	if len(steps) < 5 || steps[len(steps)-1].Done != steps[len(steps)-1].Total {
		t.Fatalf("progress: %+v", steps)
	}
	if os.Geteuid() == 0 && st.RunAs != "postgres" {
		t.Fatalf("as root the server must run as postgres: %+v", st)
	}

	// Registered: one sample instance in Test, hr_prod overridden to Prod, both in HR.
	in, err := ws.GetInstanceByName(ctx, InstanceName)
	if err != nil || !in.IsSample || in.Port != st.Port || in.EnvironmentID != "test" || in.PasswordMode != workspace.PasswordSession {
		t.Fatalf("instance: %+v, %v", in, err)
	}
	proj, err := ws.GetProjectByName(ctx, ProjectName)
	if err != nil || proj.DatabaseCount != 2 {
		t.Fatalf("project: %+v, %v", proj, err)
	}
	for db, env := range map[string]string{TestDB: "test", ProdDB: "prod"} {
		d, err := ws.FindDatabase(ctx, in.ID, db)
		if err != nil || d.EnvironmentID != env || d.ProjectID != proj.ID || d.Owner != Superuser || d.SizeBytes == 0 {
			t.Fatalf("%s: %+v, %v", db, d, err)
		}
	}
	// Prod carries the tutorial's review policy; Test keeps its default.
	pol, found, err := ws.GetReviewPolicy(ctx, "prod")
	if err != nil || !found || !strings.Contains(pol.YAML, "column.require-default") || !strings.Contains(pol.YAML, "table.require-pk") || !strings.Contains(pol.YAML, "column.no-null") {
		t.Fatalf("prod review policy: %+v %v %v", pol, found, err)
	}
	if _, found, err := ws.GetReviewPolicy(ctx, "test"); err != nil || found {
		t.Fatalf("test review policy stored: %v %v", found, err)
	}

	// The data is there, and the schema objects work, through TCP with the stored password.
	c := tcpConn(t, ws, sec, ProdDB)
	// The server only ever saw a SCRAM verifier: the password is not in its log.
	logPW, _ := sec.Get(ctx, in.ID)
	var stored string
	if err := c.QueryRow(ctx, `SELECT rolpassword FROM pg_authid WHERE rolname = $1`, Superuser).Scan(&stored); err != nil || !strings.HasPrefix(stored, "SCRAM-SHA-256$4096:") {
		t.Fatalf("stored password %q, %v", stored, err)
	}
	if logText, err := os.ReadFile(filepath.Join(wsDir, "sample", "data.log")); err != nil {
		t.Fatalf("server log: %v", err)
	} else if logPW == "" || strings.Contains(string(logText), logPW) {
		t.Fatal("the server log holds the password (or none is stored)")
	}
	var emps, salaries, depts, views int
	if err := c.QueryRow(ctx, `SELECT (SELECT count(*) FROM hr.employees), (SELECT count(*) FROM hr.salaries),
		(SELECT count(*) FROM hr.current_dept_salaries), (SELECT count(*) FROM pg_indexes WHERE schemaname = 'hr')`).Scan(&emps, &salaries, &depts, &views); err != nil {
		t.Fatal(err)
	}
	if emps != employees[ProdDB] || salaries < emps*3 || depts != 9 || views < 8 {
		t.Fatalf("hr_prod: %d employees, %d salaries, %d departments in the view, %d indexes", emps, salaries, depts, views)
	}
	var tenure time.Duration
	var raised float64
	if err := c.QueryRow(ctx, `SELECT extract(epoch FROM hr.employee_tenure(10001, date '2025-01-01'))::bigint * 1000000000`).Scan(&tenure); err != nil || tenure <= 0 {
		t.Fatalf("tenure: %v %v", tenure, err)
	}
	if err := c.QueryRow(ctx, `SELECT hr.give_raise(e.emp_no, 5, date '2025-06-01')::float8 FROM hr.employees e WHERE e.leave_date IS NULL ORDER BY emp_no LIMIT 1`).Scan(&raised); err != nil || raised <= 0 {
		t.Fatalf("give_raise: %v %v", raised, err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO hr.employees (first_name, last_name, email, birth_date, hire_date) VALUES ('Test', 'Before Stop', 'before.stop@example.com', '1990-01-01', '2020-01-01')`); err != nil {
		t.Fatal(err)
	}
	// Constraints hold: the same address in another case is refused.
	if _, err := c.Exec(ctx, `INSERT INTO hr.employees (first_name, last_name, email, birth_date, hire_date) VALUES ('x', 'y', 'BEFORE.STOP@example.com', '1990-01-01', '2020-01-01')`); err == nil {
		t.Fatal("duplicate email (other case) accepted")
	}
	c.Close(ctx)

	// The password is nowhere in the workspace file.
	in2, _ := ws.GetInstanceByName(ctx, InstanceName)
	pw, _ := sec.Get(ctx, in2.ID)
	raw, _ := os.ReadFile(ws.Path())
	wal, _ := os.ReadFile(ws.Path() + "-wal")
	if strings.Contains(string(raw)+string(wal), pw) {
		t.Fatal("sample password found in the workspace file")
	}

	st, err = m.Stop(ctx)
	if err != nil || st.Running || !st.Initialized {
		t.Fatalf("stop: %+v, %v", st, err)
	}
	port := st.Port

	// Restart reuses the cluster (and the port when free): the row is still there.
	st, err = m.Start(ctx, nil)
	if err != nil || !st.Running {
		t.Fatalf("restart: %+v, %v", st, err)
	}
	if st.Port != port {
		t.Logf("port changed from %d to %d (the old one was taken)", port, st.Port)
	}
	c = tcpConn(t, ws, sec, ProdDB)
	var n int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM hr.employees WHERE email = 'before.stop@example.com'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("row inserted before stop: %d, %v", n, err)
	}
	if err := c.QueryRow(ctx, `SELECT count(*) FROM hr.employees`).Scan(&n); err != nil || n != employees[ProdDB]+1 {
		t.Fatalf("restart reloaded the data: %d employees", n)
	}

	// A new session (the in-memory password is gone) gets a fresh password
	// through the trusted socket, and the instance works again.
	ws2, err := workspace.Open(ctx, wsDir, workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws2.Close()
	sec2 := secret.NewSession()
	m2 := New(Options{Workspace: ws2, Secrets: sec2, PasswordMode: workspace.PasswordSession})
	if st, err := m2.Start(ctx, nil); err != nil || !st.Running {
		t.Fatalf("start in a new session: %+v, %v", st, err)
	}
	tcpConn(t, ws2, sec2, TestDB)
	if list, _ := ws2.ListInstances(ctx); len(list) != 1 {
		t.Fatalf("instances after restarts: %+v", list)
	}

	// TCP without the password is refused.
	ci := instances.ConnInfo(in2, "wrong")
	cfg, _ := pg.Config(ci)
	if _, err := pg.TestConnection(ctx, cfg); err == nil || !strings.Contains(err.Error(), "28P01") {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestRootFallbackDataDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs the server as another user")
	}
	needBinaries(t)
	ctx := context.Background()
	private := t.TempDir() // 0700 root: the postgres user cannot traverse it
	fallback := filepath.Join(reachableTemp(t), "var-lib-tidemark")
	m, ws, _ := newManager(t, filepath.Join(private, "ws"), fallback)
	want := FallbackDataDir(fallback, ws.Dir())
	st, err := m.Status(ctx)
	if err != nil || !st.Available || st.DataDir != want {
		t.Fatalf("status: %+v, %v; want data dir %s", st, err, want)
	}
	st, err = m.Start(ctx, nil)
	if err != nil || !st.Running || st.DataDir != want || st.RunAs != "postgres" {
		t.Fatalf("start: %+v, %v", st, err)
	}
	// The choice is remembered, so a later change of permissions does not move it.
	os.Chmod(private, 0o755)
	if st, _ := m.Status(ctx); st.DataDir != want {
		t.Fatalf("data dir moved to %s", st.DataDir)
	}
	if !strings.HasPrefix(want, fallback+"/sample-") {
		t.Fatalf("fallback dir %s", want)
	}
}

func TestNoBinaries(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir(), workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	m := New(Options{Workspace: ws, Secrets: secret.NewSession(), BinDir: t.TempDir()})
	st, err := m.Status(ctx)
	if err != nil || st.Available || !strings.Contains(st.Reason, "apt-get install postgresql") {
		t.Fatalf("status: %+v, %v", st, err)
	}
	if _, err := m.Start(ctx, nil); err == nil || !strings.Contains(err.Error(), "install") {
		t.Fatalf("start: %v", err)
	}
	if st := unavailable(pgcluster.ErrNoBinaries); st.Available || !strings.Contains(st.Reason, "not installed") {
		t.Fatalf("unavailable: %+v", st)
	}
}

func TestReachable(t *testing.T) {
	if _, err := reachable("no-such-user-tidemark", "/"); err == nil {
		t.Fatal("unknown user accepted")
	}
	self := os.Getenv("USER")
	if self == "" {
		self = "root"
	}
	if ok, err := reachable(self, t.TempDir()); err != nil || !ok {
		t.Fatalf("own temp dir: %v %v", ok, err)
	}
	private := t.TempDir() // 0700, owned by the current user
	if os.Geteuid() == 0 {
		if ok, err := reachable("nobody", private); err != nil || ok {
			t.Fatalf("nobody reaches a 0700 root directory: %v %v", ok, err)
		}
	}
}

func TestSocketPathTooLong(t *testing.T) {
	needBinaries(t) // without them Start fails for that reason first
	ctx := context.Background()
	deep := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	ws, err := workspace.Open(ctx, deep, workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if os.Geteuid() == 0 {
		// Keep the data directory inside the (deep) workspace rather than the fallback.
		ws.SetSetting(ctx, settingDataDir, filepath.Join(deep, "sample", "data"))
	}
	m := New(Options{Workspace: ws, Secrets: secret.NewSession()})
	_, err = m.Start(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), "too deep for the server's Unix socket") {
		t.Fatalf("err = %v", err)
	}
}
