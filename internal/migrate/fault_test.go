package migrate

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// Fault injection. Three files, each creating one table. V2 also takes a
// lock on "gate" and V3 builds an index on it concurrently (so V3 runs
// statement by statement): holding a lock on gate, the test catches either
// one mid-statement. The runner is
// stopped at each boundary — its process SIGKILLed, or its session ended with
// pg_terminate_backend. After each: status matches the catalog exactly (a
// version is applied if and only if its table exists), and a re-run finishes
// with every version applied exactly once, or refuses with instructions.
var faultFiles = map[string]string{
	"V1__one.sql":   "CREATE TABLE t1 (id int);\n",
	"V2__two.sql":   "CREATE TABLE t2 (id int);\nLOCK TABLE gate IN ACCESS SHARE MODE;\nINSERT INTO t2 VALUES (2);\n",
	"V3__three.sql": "CREATE TABLE t3 (id int);\nCREATE INDEX CONCURRENTLY t3_gate ON gate (id);\n",
}

// checkMatchesCatalog compares Status with the tables that exist.
func checkMatchesCatalog(t *testing.T, url string, ms []Migration) {
	t.Helper()
	rep, err := newRunner(t, url).Status(context.Background(), ms)
	if err != nil {
		t.Fatal(err)
	}
	c := pgtest.Conn(t, url)
	for i, f := range rep.Files {
		exists := queryInt(t, c, `SELECT count(*) FROM pg_tables WHERE tablename = $1`, fmt.Sprintf("t%d", i+1)) == 1
		switch {
		case f.State == StateApplied && !exists:
			t.Errorf("%s is applied in the history but t%d does not exist", f.Path, i+1)
		case f.State == StatePending && exists:
			t.Errorf("%s is pending in the history but t%d exists", f.Path, i+1)
		case f.State == StateFailed && i != 2:
			t.Errorf("%s failed, but only V3 runs statement by statement", f.Path)
		}
	}
}

// rerun applies again (the gate released) and checks the outcome: everything
// applied once, or a refusal that names the unit to resolve.
func rerun(t *testing.T, url string, ms []Migration) {
	t.Helper()
	_, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
	c := pgtest.Conn(t, url)
	if errors.Is(err, ErrNeedsResolve) {
		if _, rerr := newRunner(t, url).Resolve(context.Background(), ResolveOptions{Version: "3", As: ResolveRetry}); rerr != nil {
			t.Fatalf("refused (%v), then resolve: %v", err, rerr)
		}
		_, err = newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
	}
	if err != nil {
		t.Fatalf("re-run: %v", err)
	}
	for v := 1; v <= 3; v++ {
		if n := queryInt(t, c, `SELECT count(*) FROM tidemark.migration_history WHERE version = $1 AND status = 'done'`, fmt.Sprint(v)); n != 1 {
			t.Errorf("version %d has %d done rows", v, n)
		}
	}
	if n := queryInt(t, c, `SELECT count(*) FROM t2`); n != 1 {
		t.Errorf("V2's insert ran %d times", n)
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_index WHERE indexrelid = 't3_gate'::regclass AND indisvalid`); n != 1 {
		t.Error("t3_gate is not valid")
	}
}

// testContext is the test's context, ended a little before the test
// binary's deadline (go test -timeout) so that a wait which never ends fails
// with its reason rather than as a timeout.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx := t.Context()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-15*time.Second))
		t.Cleanup(cancel)
	}
	return ctx
}

// pollCount runs a count(*) query on c until it satisfies done; ctx bounds
// the wait.
func pollCount(ctx context.Context, c *pgx.Conn, done func(int) bool, sql string, args ...any) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		var n int
		if err := c.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			return err
		}
		if done(n) {
			return nil
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-tick.C:
		}
	}
}

// waitNoRunnerSessions waits until the stopped runner's sessions are gone.
func waitNoRunnerSessions(t *testing.T, ctx context.Context, c *pgx.Conn) {
	t.Helper()
	if err := pollCount(ctx, c, func(n int) bool { return n == 0 },
		`SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'tidemark migrate%' AND datname = current_database()`); err != nil {
		t.Fatalf("the stopped runner's sessions are still there: %v", err)
	}
}

// runnerBlocked waits until the runner's backend in this database (its work
// session, application_name "tidemark migrate") waits on a lock
// (pg_stat_activity.wait_event_type = 'Lock'): its statement has really
// reached the gate. ctx bounds the wait.
func runnerBlocked(ctx context.Context, c *pgx.Conn) error {
	err := pollCount(ctx, c, func(n int) bool { return n > 0 },
		`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tidemark migrate' AND datname = current_database() AND wait_event_type = 'Lock'`)
	if err != nil {
		return fmt.Errorf("the runner's backend never waited on a lock: %w", err)
	}
	return nil
}

// terminateApp ends the sessions of application app in c's database.
func terminateApp(ctx context.Context, c *pgx.Conn, app string) error {
	if _, err := c.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, app); err != nil {
		return fmt.Errorf("terminate %s: %w", app, err)
	}
	return nil
}

// gateTx opens the transaction that holds the gate table's lock.
func gateTx(t *testing.T, gate *pgx.Conn, mode string) pgx.Tx {
	t.Helper()
	tx, err := gate.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if mode != "" {
		if _, err := tx.Exec(context.Background(), "LOCK TABLE gate IN "+mode+" MODE"); err != nil {
			t.Fatal(err)
		}
	}
	return tx
}

func rollback(t *testing.T, tx pgx.Tx) {
	t.Helper()
	if err := tx.Rollback(context.Background()); err != nil {
		t.Errorf("open the gate: %v", err)
	}
}

func TestFaultInjectionSIGKILL(t *testing.T) {
	dir := t.TempDir()
	for name, body := range faultFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ms := load(t, faultFiles)
	for _, point := range []string{"after-lock", "mid-statement", "before-commit", "after-commit", "mid-non-transactional"} {
		t.Run(point, func(t *testing.T) {
			ctx := testContext(t)
			url := pg.NewDB(t)
			pgtest.MustExec(t, url, "CREATE TABLE gate (id int)")
			gate, mon := pgtest.Conn(t, url), pgtest.Conn(t, url)
			mode := ""
			switch point {
			case "mid-statement": // V2's LOCK TABLE waits
				mode = "ACCESS EXCLUSIVE"
			case "mid-non-transactional": // V3's concurrent build waits for this transaction
				mode = "ROW EXCLUSIVE"
			}
			tx := gateTx(t, gate, mode)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			fault := point
			if point == "mid-statement" || point == "mid-non-transactional" {
				fault = ""
			}
			cmd.Env = append(os.Environ(), helperEnv+"=1", "TIDEMARK_MIGRATE_DIR="+dir, "TIDEMARK_MIGRATE_URL="+url, "TIDEMARK_MIGRATE_FAULT="+fault)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waited := false
			t.Cleanup(func() { // a test that stops early leaves no runner behind
				if !waited {
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
				}
			})
			sc := bufio.NewScanner(out)
			killed := false
			for !killed && sc.Scan() {
				var p Progress
				if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
					t.Fatalf("runner output %q: %v", sc.Text(), err)
				}
				switch {
				case p.Event == "fault",
					point == "mid-statement" && p.Event == EventUnitStart && p.Path == "V2__two.sql",
					point == "mid-non-transactional" && p.Event == EventStatement && p.Path == "V3__three.sql" && p.Statement == 1:
					if p.Event != "fault" {
						if err := runnerBlocked(ctx, mon); err != nil { // its statement waits on the gate
							t.Fatal(err)
						}
					}
					if err := cmd.Process.Kill(); err != nil {
						t.Fatalf("kill the runner: %v", err)
					}
					killed = true
				}
			}
			if !killed {
				if err := sc.Err(); err != nil {
					t.Errorf("read the runner's output: %v", err)
				}
			}
			werr := cmd.Wait()
			waited = true
			if !killed {
				t.Fatalf("the runner finished before the fault point (%v)", werr)
			}
			var ee *exec.ExitError
			if !errors.As(werr, &ee) || ee.ExitCode() != -1 {
				t.Fatalf("the runner was not killed: %v", werr)
			}
			// The dead runner's statement is still waiting on the gate: the
			// server must end it (client_connection_check_interval) before
			// the gate opens, or it would go on to finish on its own.
			waitNoRunnerSessions(t, ctx, mon)
			rollback(t, tx)
			if point == "mid-non-transactional" {
				// The aborted concurrent build left its INVALID index; the retry must drop it.
				if n := queryInt(t, gate, `SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('t3_gate') AND NOT indisvalid`); n != 1 {
					t.Errorf("expected the aborted build to leave an INVALID t3_gate, found %d", n)
				}
			}
			checkMatchesCatalog(t, url, ms)
			rerun(t, url, ms)
		})
	}
}

func TestFaultInjectionTerminateBackend(t *testing.T) {
	ms := load(t, faultFiles)
	for _, point := range []string{"after-lock", "mid-statement", "before-commit", "after-commit", "mid-non-transactional"} {
		t.Run(point, func(t *testing.T) {
			ctx := testContext(t)
			url := pg.NewDB(t)
			pgtest.MustExec(t, url, "CREATE TABLE gate (id int)")
			mon := pgtest.Conn(t, url)
			gate := pgtest.Conn(t, url)
			terminate := func(app string) {
				t.Helper()
				if err := terminateApp(ctx, mon, app); err != nil {
					t.Error(err)
				}
			}
			mode := ""
			if point == "mid-statement" {
				mode = "ACCESS EXCLUSIVE"
			}
			tx := gateTx(t, gate, mode)
			r := newRunner(t, url)
			commits := 0
			r.commit = func(ctx context.Context, conn *pgx.Conn) error {
				commits++
				if point == "before-commit" && commits == 2 {
					terminate("tidemark migrate")
				}
				_, err := conn.Exec(ctx, "COMMIT")
				if point == "after-commit" && commits == 2 {
					terminate("tidemark migrate")
				}
				return err
			}
			// mid-statement: another goroutine, with a connection of its own,
			// ends the runner's session once its statement waits on the gate.
			var watched chan error
			watchCtx, stopWatch := context.WithCancel(ctx)
			defer stopWatch()
			_, err := r.Apply(context.Background(), ms, ApplyOptions{LockTimeout: time.Minute, Progress: func(p Progress) {
				switch {
				case point == "after-lock" && p.Event == EventLocked:
					terminate("tidemark migrate (lock)")
				case point == "mid-statement" && p.Event == EventUnitStart && p.Path == "V2__two.sql":
					watch := pgtest.Conn(t, url)
					watched = make(chan error, 1)
					go func() {
						werr := runnerBlocked(watchCtx, watch)
						// End the session even when the wait failed, so that Apply returns.
						watched <- errors.Join(werr, terminateApp(context.WithoutCancel(watchCtx), watch, "tidemark migrate"))
					}()
				case point == "mid-non-transactional" && p.Event == EventStatement && p.Path == "V3__three.sql" && p.Statement == 1:
					terminate("tidemark migrate")
				}
			}})
			if watched != nil {
				stopWatch() // Apply has returned: a wait still running has failed
				if werr := <-watched; werr != nil {
					t.Errorf("mid-statement: %v", werr)
				}
			} else if point == "mid-statement" {
				t.Fatal("the runner never started V2")
			}
			rollback(t, tx)
			if err == nil && point != "after-commit" {
				t.Fatalf("the run survived its session being terminated %s", point)
			}
			t.Logf("%s: %v", point, err)
			waitNoRunnerSessions(t, ctx, mon)
			checkMatchesCatalog(t, url, ms)
			rerun(t, url, ms)
		})
	}
}
