package workflow_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

// crashEnv makes the test binary a child that rolls out an issue and is
// killed (SIGKILL) at the point the variable names ("running": the task
// is committed as running, nothing ran; "applied": the change is
// committed in the target, the workspace does not know yet; "mid": no
// hook, the parent kills it while a statement runs).
const crashEnv = "TIDEMARK_WORKFLOW_CRASH_AT"

func crashChild() int {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, os.Getenv("CRASH_WORKSPACE"), workspace.OpenOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	n, _ := strconv.Atoi(os.Getenv("CRASH_ISSUE"))
	f := &wstest.Fixture{WS: ws, Conns: &instances.Connector{WS: ws, Secrets: &secret.Resolver{Getenv: func(string) string { return "" }}}}
	wf := workflow.New(deps(ws, f, os.Getenv("CRASH_SCRATCH")))
	point := os.Getenv(crashEnv)
	wf.Hook = func(p string) {
		if p == point {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	if _, err := wf.Rollout(ctx, workflow.RolloutRequest{Issue: n}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	return 0
}

// Killing the process running a task at each boundary: the next start
// reconciles the task from the target's history, never runs it twice, and
// a retry finishes it.
func TestCrashMidTaskReconciles(t *testing.T) {
	for _, c := range []struct {
		point, sql string
		done       bool // the change was committed before the kill
	}{
		{"running", "CREATE TABLE a (id int PRIMARY KEY);", false},
		{"mid", "CREATE TABLE a (id int PRIMARY KEY);\nSELECT pg_sleep(3);", false},
		{"applied", "CREATE TABLE a (id int PRIMARY KEY);", true},
	} {
		t.Run(c.point, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			d := f.database(t, "", false)
			if _, err := f.WS.SetEnvironmentRollout(ctx, "test", workspace.RolloutManual); err != nil {
				t.Fatal(err)
			}
			is := f.ready(t, d, c.sql, "7")
			var err error
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), crashEnv+"="+c.point, "CRASH_WORKSPACE="+f.WS.Dir(), "CRASH_ISSUE="+strconv.Itoa(is.Number), "CRASH_SCRATCH="+srv.AdminURL)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if c.point == "mid" {
				waitForQuery(t, d.Name, "pg_sleep")
				// The runner is alive: reconciling leaves its task alone.
				if changed, err := f.wf.Reconcile(ctx); err != nil || len(changed) != 0 {
					t.Fatalf("reconcile while the runner lives = %v, %v", changed, err)
				}
				_ = cmd.Process.Signal(syscall.SIGKILL)
			}
			err = cmd.Wait()
			if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child did not die by SIGKILL: %v\n%s", err, stderr.String())
			}
			if c.point == "mid" {
				// The server notices the client is gone (here: at once).
				pgtest.MustExec(t, srv.AdminURL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '`+d.Name+`' AND pid <> pg_backend_pid()`)
			}
			if is, err = f.wf.Get(ctx, is.Number); err != nil || is.Task("t1").Status != workflow.TaskRunning {
				t.Fatalf("after the kill the task is %s, %v", is.Task("t1").Status, err)
			}
			changed, err := f.wf.Reconcile(ctx)
			if err != nil || len(changed) != 1 {
				t.Fatalf("reconcile = %v, %v", changed, err)
			}
			is, _ = f.wf.Get(ctx, is.Number)
			t1 := is.Task("t1")
			if c.done {
				if t1.Status != workflow.TaskDone || t1.ChangeID == "" || is.Status != workflow.StatusDone {
					t.Fatalf("reconciled task = %s %+v", t1.Status, t1.Error)
				}
			} else {
				if t1.Status != workflow.TaskFailed || !strings.Contains(t1.Error.Message, "interrupted before anything was committed") {
					t.Fatalf("reconciled task = %s %+v", t1.Status, t1.Error)
				}
				if _, err := f.wf.UpdatePlan(ctx, is.Number, 0, "", "CREATE TABLE a (id int PRIMARY KEY);", ""); err != nil && !strings.Contains(err.Error(), "frozen") {
					t.Fatalf("plan edit after a run: %v", err)
				}
				if _, err := f.wf.Retry(ctx, is.Number, 0, "t1"); err != nil {
					t.Fatal(err)
				}
				is, err = f.wf.Rollout(ctx, workflow.RolloutRequest{Issue: is.Number, Task: "t1"})
				if err != nil {
					t.Fatal(err)
				}
				if is.Task("t1").Status != workflow.TaskDone {
					t.Fatalf("retried task = %s %+v", is.Task("t1").Status, is.Task("t1").Error)
				}
			}
			// The target ran the change exactly once.
			var done int
			if err := pgtest.Conn(t, srv.DBURL(d.Name)).QueryRow(ctx, `SELECT count(*) FROM tidemark.migration_history WHERE version = '7' AND status = 'done' AND issue = $1`, is.Number).Scan(&done); err != nil || done != 1 {
				t.Fatalf("done rows = %d, %v", done, err)
			}
		})
	}
}

// waitForQuery waits until a backend of database db runs a query containing
// text and is not idle.
func waitForQuery(t *testing.T, db, text string) {
	t.Helper()
	conn := pgtest.Conn(t, srv.AdminURL)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%' || $2 || '%'`, db, text).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no backend of %s ran %q within 30s", db, text)
}
