package workspace

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func open(t *testing.T, dir string, o OpenOptions) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, o)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrationsFromEmpty(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ws")
	s := open(t, dir, OpenOptions{})
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != LatestVersion() || v < 1 {
		t.Fatalf("version = %d, %v; want %d", v, err, LatestVersion())
	}
	var mode string
	if err := s.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	var fk int
	if err := s.DB().QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
	envs, err := s.ListEnvironments(ctx)
	if err != nil || len(envs) != 2 || envs[0].ID != "test" || envs[1].ID != "prod" || !envs[1].Protected {
		t.Fatalf("seeded environments = %+v, %v", envs, err)
	}
	// Reopening applies nothing twice.
	s.Close()
	s2 := open(t, dir, OpenOptions{})
	envs, _ = s2.ListEnvironments(ctx)
	if len(envs) != 2 {
		t.Fatalf("after reopen: %d environments", len(envs))
	}
	// No column anywhere may hold a password.
	rows, err := s2.DB().QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var tbl, col string
		rows.Scan(&tbl, &col)
		if strings.Contains(col, "pass") && col != "password_mode" {
			t.Errorf("column %s.%s looks like it stores a password", tbl, col)
		}
	}
}

func TestNewerVersionRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, OpenOptions{})
	future := LatestVersion() + 5
	if _, err := s.DB().ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(future)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	path := filepath.Join(dir, DBFile)
	// Fold the WAL into the file so the byte compare below sees the whole state.
	checkpoint(t, path)
	before := readAll(t, path)

	_, err := Open(ctx, dir, OpenOptions{Exclusive: true})
	var nv *NewerVersionError
	if !errors.As(err, &nv) {
		t.Fatalf("open newer workspace: err = %v, want NewerVersionError", err)
	}
	msg := err.Error()
	for _, want := range []string{path, strconv.Itoa(future), strconv.Itoa(LatestVersion())} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not name %q", msg, want)
		}
	}
	if !bytes.Equal(before, readAll(t, path)) {
		t.Error("refused workspace file was modified")
	}
	// The lock taken for the refused attempt was released.
	probe := &Store{dir: dir}
	if err := probe.takeLock(); err != nil {
		t.Fatalf("lock still held after refused open: %v", err)
	}
	probe.releaseLock()
}

func checkpoint(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCorruptFileRefused(t *testing.T) {
	cases := map[string][]byte{
		"text":             []byte("this is not a database\n"),
		"truncated-sqlite": append(append([]byte{}, sqliteMagic...), bytes.Repeat([]byte{0xff}, 200)...),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, DBFile)
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(context.Background(), dir, OpenOptions{Exclusive: true})
			var ue *UnreadableError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %v, want UnreadableError naming %s", err, path)
			}
			if got := readAll(t, path); !bytes.Equal(got, content) {
				t.Fatal("corrupt file was modified")
			}
			if _, err := os.Stat(path + "-wal"); err == nil {
				t.Error("a WAL file was created next to the corrupt file")
			}
		})
	}
}

func TestUnreadableFileRefused(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files regardless of permissions")
	}
	dir := t.TempDir()
	s := open(t, dir, OpenOptions{})
	s.Close()
	path := filepath.Join(dir, DBFile)
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(path, 0o600)
	_, err := Open(context.Background(), dir, OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v", err)
	}
}

func TestDirectoryInPlaceOfFileRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, DBFile), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dir, OpenOptions{})
	var ue *UnreadableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v", err)
	}
}

func TestExclusiveLock(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	app := open(t, dir, OpenOptions{Exclusive: true})

	_, err := Open(ctx, dir, OpenOptions{Exclusive: true})
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("second exclusive open: err = %v, want LockedError", err)
	}
	want := "another Tidemark window is already using workspace " + app.Dir() + " (pid " + strconv.Itoa(os.Getpid()) + ")"
	if err.Error() != want {
		t.Fatalf("message = %q, want %q", err.Error(), want)
	}

	// The CLI opens without the lock and reads and writes while the app runs.
	cli := open(t, dir, OpenOptions{})
	p, err := cli.CreateProject(ctx, "From CLI")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := app.GetProject(ctx, p.ID); err != nil || got.Name != "From CLI" {
		t.Fatalf("app sees %+v, %v", got, err)
	}
	if _, err := app.CreateProject(ctx, "From app"); err != nil {
		t.Fatal(err)
	}
	if ps, _ := cli.ListProjects(ctx, false); len(ps) != 2 {
		t.Fatalf("cli sees %d projects", len(ps))
	}

	// Released on Close.
	app.Close()
	again := open(t, dir, OpenOptions{Exclusive: true})
	again.Close()
}

func TestInstances(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	in, err := s.CreateInstance(ctx, Instance{Name: "Orders", EnvironmentID: "prod", Host: "db.example.com", Port: 5432, User: "app", PasswordMode: PasswordKeychain})
	if err != nil {
		t.Fatal(err)
	}
	if in.ID == "" || in.SSLMode != "prefer" || in.EnvironmentID != "prod" {
		t.Fatalf("created %+v", in)
	}
	_, err = s.CreateInstance(ctx, Instance{Name: " orders ", Host: "other", Port: 5432, User: "x"})
	if !errors.Is(err, ErrDuplicate) || !strings.Contains(err.Error(), `"orders"`) {
		t.Fatalf("duplicate name: err = %v", err)
	}
	for name, bad := range map[string]Instance{
		"no host":  {Name: "a", Port: 1, User: "u"},
		"port":     {Name: "a", Host: "h", Port: 70000, User: "u"},
		"user":     {Name: "a", Host: "h", Port: 5432},
		"env":      {Name: "a", Host: "h", Port: 5432, User: "u", EnvironmentID: "nope"},
		"mode":     {Name: "a", Host: "h", Port: 5432, User: "u", PasswordMode: "plaintext"},
		"nameless": {Name: "  ", Host: "h", Port: 5432, User: "u"},
	} {
		if _, err := s.CreateInstance(ctx, bad); err == nil {
			t.Errorf("%s: accepted %+v", name, bad)
		}
	}
	in.Port = 6432
	in.Name = "Orders main"
	up, err := s.UpdateInstance(ctx, in)
	if err != nil || up.Port != 6432 || up.Name != "Orders main" {
		t.Fatalf("update: %+v, %v", up, err)
	}
	got, err := s.GetInstanceByName(ctx, "orders MAIN")
	if err != nil || got.ID != in.ID {
		t.Fatalf("by name: %+v, %v", got, err)
	}
	if err := s.DeleteInstance(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetInstance(ctx, in.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.DeleteInstance(ctx, in.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestEnvironments(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	st, err := s.CreateEnvironment(ctx, "Staging EU")
	if err != nil || st.ID != "staging-eu" || st.Position != 2 {
		t.Fatalf("create: %+v, %v", st, err)
	}
	if _, err := s.CreateEnvironment(ctx, "staging eu"); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	st2, err := s.CreateEnvironment(ctx, "Staging-EU!")
	if err != nil || st2.ID != "staging-eu-2" {
		t.Fatalf("slug collision: %+v, %v", st2, err)
	}
	if r, err := s.RenameEnvironment(ctx, "staging-eu", "Staging"); err != nil || r.Name != "Staging" || r.ID != "staging-eu" {
		t.Fatalf("rename: %+v, %v", r, err)
	}
	envs, err := s.ReorderEnvironments(ctx, []string{"test", "staging-eu", "staging-eu-2", "prod"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range envs {
		ids = append(ids, e.ID)
	}
	if strings.Join(ids, ",") != "test,staging-eu,staging-eu-2,prod" {
		t.Fatalf("order = %v", ids)
	}
	if _, err := s.ReorderEnvironments(ctx, []string{"test", "prod"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("partial reorder: %v", err)
	}
	if _, err := s.ReorderEnvironments(ctx, []string{"test", "test", "prod", "x"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("duplicate reorder: %v", err)
	}
}

func TestSyncKeepsProjectAssignments(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	in, err := s.CreateInstance(ctx, Instance{Name: "pg", Host: "h", Port: 5432, User: "u"})
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := s.ReplaceDatabases(ctx, in.ID, []DatabaseInfo{{Name: "a", Owner: "o", Encoding: "UTF8", SizeBytes: 10}, {Name: "b"}, {Name: "c"}})
	if err != nil || len(dbs) != 3 {
		t.Fatalf("sync: %v, %v", dbs, err)
	}
	p, _ := s.CreateProject(ctx, "Shop")
	if _, err := s.AssignProject(ctx, dbs[0].ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AssignProject(ctx, dbs[1].ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDatabaseEnvironment(ctx, dbs[0].ID, "prod"); err != nil {
		t.Fatal(err)
	}
	// b disappears from the server, d appears, a grows.
	dbs2, err := s.ReplaceDatabases(ctx, in.ID, []DatabaseInfo{{Name: "a", Owner: "o", Encoding: "UTF8", SizeBytes: 99}, {Name: "c"}, {Name: "d"}})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Database{}
	for _, d := range dbs2 {
		byName[d.Name] = d
	}
	if len(dbs2) != 3 || byName["a"].ID != dbs[0].ID || byName["a"].ProjectID != p.ID || byName["a"].SizeBytes != 99 || byName["a"].EnvironmentID != "prod" {
		t.Fatalf("after resync: %+v", dbs2)
	}
	if byName["c"].EnvironmentID != "test" || byName["d"].ProjectID != "" {
		t.Fatalf("after resync: %+v", dbs2)
	}
	pr, _ := s.GetProject(ctx, p.ID)
	if pr.DatabaseCount != 1 {
		t.Fatalf("project count = %d, want 1 (b vanished)", pr.DatabaseCount)
	}
	inst, _ := s.GetInstance(ctx, in.ID)
	if inst.LastSyncAt.IsZero() {
		t.Fatal("instance not marked synced")
	}
	// Deleting the instance removes its databases, not the project.
	if err := s.DeleteInstance(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.ListDatabases(ctx, DatabaseFilter{}); len(all) != 0 {
		t.Fatalf("databases left: %v", all)
	}
	if pr, _ := s.GetProject(ctx, p.ID); pr.DatabaseCount != 0 {
		t.Fatalf("count after delete = %d", pr.DatabaseCount)
	}
}

func TestProjects(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	p, err := s.CreateProject(ctx, "HR")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateProject(ctx, "hr"); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.RenameProject(ctx, p.ID, "People"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetProjectArchived(ctx, p.ID, true); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.ListProjects(ctx, false); len(ps) != 0 {
		t.Fatalf("archived listed: %v", ps)
	}
	ps, _ := s.ListProjects(ctx, true)
	if len(ps) != 1 || !ps[0].Archived || ps[0].Name != "People" {
		t.Fatalf("with archived: %+v", ps)
	}
	in, _ := s.CreateInstance(ctx, Instance{Name: "pg", Host: "h", Port: 5432, User: "u"})
	dbs, _ := s.ReplaceDatabases(ctx, in.ID, []DatabaseInfo{{Name: "a"}})
	if _, err := s.AssignProject(ctx, dbs[0].ID, p.ID); !errors.Is(err, ErrInvalid) {
		t.Fatalf("assign to archived: %v", err)
	}
	s.SetProjectArchived(ctx, p.ID, false)
	if d, err := s.AssignProject(ctx, dbs[0].ID, p.ID); err != nil || d.ProjectID != p.ID {
		t.Fatalf("assign: %+v %v", d, err)
	}
	if d, err := s.AssignProject(ctx, dbs[0].ID, ""); err != nil || d.ProjectID != "" {
		t.Fatalf("unassign: %+v %v", d, err)
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	if _, ok, err := s.Setting(ctx, "k"); ok || err != nil {
		t.Fatal(ok, err)
	}
	s.SetSetting(ctx, "k", "1")
	s.SetSetting(ctx, "k", "2")
	if v, ok, _ := s.Setting(ctx, "k"); !ok || v != "2" {
		t.Fatal(v, ok)
	}
	s.DeleteSetting(ctx, "k")
	if _, ok, _ := s.Setting(ctx, "k"); ok {
		t.Fatal("still set")
	}
}

func TestMigrationMechanism(t *testing.T) {
	ctx := context.Background()
	// The real migrations, then two test ones numbered after them.
	fsys := fstest.MapFS{"migrations/README.txt": {Data: []byte("ignored")}}
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(migrationFS, "migrations/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		fsys["migrations/"+e.Name()] = &fstest.MapFile{Data: b}
	}
	k := LatestVersion()
	notesFile := fmt.Sprintf("migrations/%04d_notes.sql", k+1)
	brokenFile := fmt.Sprintf("migrations/%04d_broken.sql", k+2)
	fsys[notesFile] = &fstest.MapFile{Data: []byte("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\nINSERT INTO notes (body) VALUES ('one');")}
	fsys[brokenFile] = &fstest.MapFile{Data: []byte("CREATE TABLE half (id INTEGER);\nTHIS IS NOT SQL;")}
	ms, err := readMigrations(fsys)
	if err != nil || len(ms) != k+2 || ms[k].name != "notes" {
		t.Fatalf("read: %+v %v", ms, err)
	}
	s := open(t, t.TempDir(), OpenOptions{})
	err = s.applyAll(ctx, ms)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%04d_broken", k+2)) {
		t.Fatalf("broken migration: %v", err)
	}
	// notes is in, broken left nothing behind (its transaction rolled back).
	if v, _ := s.SchemaVersion(ctx); v != k+1 {
		t.Fatalf("version = %d, want %d", v, k+1)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&n); err != nil || n != 1 {
		t.Fatalf("notes: %d %v", n, err)
	}
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'half'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("half-applied migration left table 'half' (%d, %v)", n, err)
	}
	// Fixed, it applies; applying again is a no-op (the seed row is not duplicated).
	fsys[brokenFile] = &fstest.MapFile{Data: []byte("CREATE TABLE half (id INTEGER);")}
	ms, _ = readMigrations(fsys)
	for i := 0; i < 2; i++ {
		if err := s.applyAll(ctx, ms); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := s.SchemaVersion(ctx); v != k+2 {
		t.Fatalf("version = %d, want %d", v, k+2)
	}
	s.DB().QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&n)
	if n != 1 {
		t.Fatalf("notes seeded %d times", n)
	}

	for name, bad := range map[string]fstest.MapFS{
		"gap":     {"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}},
		"name":    {"migrations/1_a.sql": {}},
		"no-name": {"migrations/0001.sql": {}},
		"zero":    {"migrations/0000_a.sql": {}},
	} {
		if _, err := readMigrations(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestConcurrentWriters: the app (exclusive) and the CLI write at the same time;
// busy_timeout and immediate transactions make them queue, never fail.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	app := open(t, dir, OpenOptions{Exclusive: true})
	cli := open(t, dir, OpenOptions{})
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w, s := range []*Store{app, cli, app, cli} {
		wg.Add(1)
		go func(w int, s *Store) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if _, err := s.CreateProject(ctx, fmt.Sprintf("p-%d-%d", w, i)); err != nil {
					errs <- err
				}
				if _, err := s.ReorderEnvironments(ctx, []string{"prod", "test"}); err != nil {
					errs <- err
				}
			}
		}(w, s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if ps, _ := cli.ListProjects(ctx, false); len(ps) != 100 {
		t.Fatalf("%d projects, want 100", len(ps))
	}
}
