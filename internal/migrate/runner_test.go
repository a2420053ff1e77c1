package migrate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// Every protocol test here runs against a real PostgreSQL (one ephemeral
// cluster per test binary, a fresh database per test) and checks the
// database's own view: pg_locks, pg_stat_activity, pg_index and the history.

var pg *pgtest.Server

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(runHelper())
	}
	os.Exit(pgtest.Run(m, &pg))
}

func load(t testing.TB, files map[string]string) []Migration {
	t.Helper()
	ms, err := LoadDir(mapFS(files), LoadOptions{})
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	return ms
}

func newRunner(t testing.TB, url string) *Runner {
	t.Helper()
	r, err := NewRunner(url, Options{AppliedBy: "tester", Host: "testhost", LockWait: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r.poll = lockPoll{Initial: 5 * time.Millisecond, Max: 50 * time.Millisecond}
	return r
}

func history(t testing.TB, url string) []HistoryRow {
	t.Helper()
	c := pgtest.Conn(t, url)
	hs, _, err := readHistory(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func queryInt(t testing.TB, c *pgx.Conn, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := c.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestApplyRecordsEachUnit(t *testing.T) {
	url := pg.NewDB(t)
	ms := load(t, map[string]string{
		"V1__users.sql":   "CREATE TABLE users (id int PRIMARY KEY, email text);\nINSERT INTO users VALUES (1, 'a@x');\n",
		"V2__index.sql":   "CREATE TABLE audit (id int);\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n",
		"V3__copy.sql":    "COPY users (id, email) FROM stdin;\n2\tb@x\n3\tc@x\n\\.\nUPDATE users SET email = upper(email) WHERE id = 3;\n",
		"V4__select.sql":  "SELECT * FROM users;\nCREATE VIEW v AS SELECT id FROM users;\n",
		"V5__func.sql":    "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n",
		"V6__quotes.sql":  "COMMENT ON TABLE users IS 'it''s $$ tricky';\n",
		"V7__vacuum.sql":  "VACUUM users;\n",
		"V8__no_semi.sql": "CREATE TABLE last_one (id int) -- no semicolon, comment at the end",
	})
	var events []Progress
	res, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{Progress: func(p Progress) { events = append(events, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 8 {
		t.Fatalf("applied %d, want 8", len(res.Applied))
	}
	c := pgtest.Conn(t, url)
	if n := queryInt(t, c, `SELECT count(*) FROM users WHERE email IN ('a@x', 'b@x', 'C@X')`); n != 3 {
		t.Errorf("users rows = %d, want 3", n)
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_index WHERE indexrelid = 'users_email'::regclass AND indisvalid`); n != 1 {
		t.Error("users_email is not a valid index")
	}
	hs := history(t, url)
	if len(hs) != 8 {
		t.Fatalf("history has %d rows, want 8", len(hs))
	}
	for i, h := range hs {
		if h.Status != StatusDone || h.Checksum != ms[i].Checksum || h.Version != ms[i].Version.String() || h.RunID == "" ||
			h.AppliedBy != "tester" || h.Host != "testhost" || h.Path != ms[i].Path || h.FinishedAt == nil || h.StatementsTotal != len(ms[i].Statements) {
			t.Errorf("history row %d: %+v", i, h)
		}
		wantTx := i != 1 && i != 6 // CREATE INDEX CONCURRENTLY and VACUUM run outside a transaction
		if h.Transactional != wantTx || h.StatementsApplied != h.StatementsTotal {
			t.Errorf("row %d (%s): transactional=%v applied %d/%d", i, h.Path, h.Transactional, h.StatementsApplied, h.StatementsTotal)
		}
	}
	var sawStatement, sawLocked, sawUnlocked bool
	for _, e := range events {
		sawStatement = sawStatement || e.Event == EventStatement && e.Path == "V2__index.sql" && e.Statement == 2 && e.Line == 2
		sawLocked = sawLocked || e.Event == EventLocked
		sawUnlocked = sawUnlocked || e.Event == EventUnlocked
	}
	if !sawStatement || !sawLocked || !sawUnlocked {
		t.Errorf("progress events missing (statement %v, locked %v, unlocked %v): %+v", sawStatement, sawLocked, sawUnlocked, events)
	}
	// A second run applies nothing and reports everything applied.
	res, err = newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
	if err != nil || len(res.Applied) != 0 {
		t.Fatalf("second run: %+v, %v", res, err)
	}
	rep, err := newRunner(t, url).Status(context.Background(), ms)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(StateApplied) != 8 || rep.HighestApplied != "8" || rep.HistoryLayout != HistoryLayout {
		t.Errorf("status: %+v", rep)
	}
	// No advisory lock is left behind.
	if n := queryInt(t, c, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`); n != 0 {
		t.Errorf("%d advisory locks left", n)
	}
}

// The lock is a session-level advisory lock on a connection that sits idle,
// outside any transaction, while the work runs on another session.
func TestLockSessionIsIdleDuringRun(t *testing.T) {
	url := pg.NewDB(t)
	mon := pgtest.Conn(t, url)
	ms := load(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id int);", "V2__b.sql": "CREATE INDEX CONCURRENTLY a_id ON a (id);"})
	checked := 0
	_, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{Progress: func(p Progress) {
		if p.Event != EventUnitStart {
			return
		}
		checked++
		var app, state string
		var inTx bool
		err := mon.QueryRow(context.Background(), `SELECT a.application_name, a.state, a.xact_start IS NOT NULL
			FROM pg_locks l JOIN pg_stat_activity a USING (pid)
			WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1`, lockClassID, lockObjID).Scan(&app, &state, &inTx)
		if err != nil {
			t.Errorf("lock not visible in pg_locks during %s: %v", p.Path, err)
			return
		}
		if app != "tidemark migrate (lock)" || state != "idle" || inTx {
			t.Errorf("lock session during %s: application %q, state %q, in transaction %v", p.Path, app, state, inTx)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if checked != 2 {
		t.Fatalf("checked %d units", checked)
	}
}

func TestLockWaitDeadline(t *testing.T) {
	url := pg.NewDB(t)
	holder := pgtest.Conn(t, url)
	if _, err := holder.Exec(context.Background(), `SELECT pg_advisory_lock($1)`, LockKey); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, url)
	r.opts.LockWait = 400 * time.Millisecond
	var waited bool
	start := time.Now()
	_, err := r.Apply(context.Background(), load(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id int);"}),
		ApplyOptions{Progress: func(p Progress) { waited = waited || p.Event == EventLockWait && strings.Contains(p.Message, "pid") }})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "held by pid") || !waited {
		t.Errorf("error %q / lock-wait event %v: want the holder named", err, waited)
	}
	if el := time.Since(start); el < 400*time.Millisecond {
		t.Errorf("gave up after %s, before the deadline", el)
	}
	if n := queryInt(t, holder, `SELECT count(*) FROM pg_tables WHERE tablename = 'a'`); n != 0 {
		t.Error("applied without the lock")
	}
	// Once released, the same runner gets through.
	if _, err := holder.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, LockKey); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Apply(context.Background(), load(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id int);"}), ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestReleaseChecksUnlockResult(t *testing.T) {
	url := pg.NewDB(t)
	c := pgtest.Conn(t, url)
	l := &sessionLock{conn: c}
	if err := l.release(context.Background()); err == nil || !strings.Contains(err.Error(), "returned false") {
		t.Fatalf("release of a lock not held: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l2, err := acquireLock(ctx, c, time.Second, defaultLockPoll, nil)
	if err != nil {
		t.Fatal(err)
	}
	cancel() // release must still work with a cancelled context
	if err := l2.release(ctx); err != nil {
		t.Fatalf("release with a cancelled context: %v", err)
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`); n != 0 {
		t.Errorf("%d advisory locks left", n)
	}
}

// Two to eight runners race on one database with the same plan (including
// concurrent index builds): every version is applied exactly once, nobody
// deadlocks, and every runner returns without error.
func TestConcurrentRunners(t *testing.T) {
	for _, n := range []int{2, 5, 8} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			url := pg.NewDB(t)
			files := map[string]string{"V1__t.sql": "CREATE TABLE t (id int, v text);\nCREATE TABLE applied (version text);\nINSERT INTO applied VALUES ('1');\n"}
			for v := 2; v <= 12; v++ {
				if v%3 == 0 {
					files[fmt.Sprintf("V%d__idx.sql", v)] = fmt.Sprintf("INSERT INTO applied VALUES ('%d');\nCREATE INDEX CONCURRENTLY t_idx_%d ON t (id, v);\n", v, v)
				} else {
					files[fmt.Sprintf("V%d__data.sql", v)] = fmt.Sprintf("INSERT INTO applied VALUES ('%d');\nINSERT INTO t SELECT g, 'x' FROM generate_series(1, 500) g;\n", v)
				}
			}
			ms := load(t, files)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			// A monitor samples pg_locks and pg_stat_activity while they run: at
			// most one session ever holds the lock, and no lock session (holder
			// or waiter) ever sits in an open transaction.
			mon := pgtest.Conn(t, url)
			stop := make(chan struct{})
			monDone := make(chan string, 1)
			go func() {
				var problem string
				samples := 0
				for {
					select {
					case <-stop:
						if problem == "" && samples == 0 {
							problem = "the monitor took no sample"
						}
						monDone <- problem
						return
					default:
					}
					var holders, idleInTx int
					err := mon.QueryRow(context.Background(), `SELECT
						(SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND objsubid = 1),
						(SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tidemark migrate (lock)' AND state = 'idle in transaction')`,
						lockClassID, lockObjID).Scan(&holders, &idleInTx)
					if err == nil {
						samples++
						if holders > 1 && problem == "" {
							problem = fmt.Sprintf("%d sessions hold the migration lock at once", holders)
						}
						if idleInTx > 0 && problem == "" {
							problem = fmt.Sprintf("%d lock sessions idle in transaction", idleInTx)
						}
					}
					time.Sleep(2 * time.Millisecond)
				}
			}()
			var wg sync.WaitGroup
			errs := make([]error, n)
			applied := make([]int, n)
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					res, err := newRunner(t, url).Apply(ctx, ms, ApplyOptions{})
					errs[i] = err
					if res != nil {
						applied[i] = len(res.Applied)
					}
				}(i)
			}
			wg.Wait()
			close(stop)
			if p := <-monDone; p != "" {
				t.Error(p)
			}
			total := 0
			for i := range errs {
				if errs[i] != nil {
					t.Errorf("runner %d: %v", i, errs[i])
				}
				total += applied[i]
			}
			if total != len(ms) {
				t.Errorf("runners applied %d units in total, want %d (%v)", total, len(ms), applied)
			}
			c := pgtest.Conn(t, url)
			if d := queryInt(t, c, `SELECT count(*) - count(DISTINCT version) FROM applied`); d != 0 {
				t.Errorf("%d versions applied more than once", d)
			}
			if k := queryInt(t, c, `SELECT count(*) FROM applied`); k != len(ms) {
				t.Errorf("%d versions applied, want %d", k, len(ms))
			}
			if k := queryInt(t, c, `SELECT count(*) FROM tidemark.migration_history WHERE status = 'done'`); k != len(ms) {
				t.Errorf("%d done rows, want %d", k, len(ms))
			}
			if k := queryInt(t, c, `SELECT count(*) FROM tidemark.migration_history WHERE status <> 'done'`); k != 0 {
				t.Errorf("%d rows not done", k)
			}
			if k := queryInt(t, c, `SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 't_idx_%' AND i.indisvalid`); k != 4 {
				t.Errorf("%d valid concurrent indexes, want 4", k)
			}
			if k := queryInt(t, c, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`); k != 0 {
				t.Errorf("%d advisory locks left", k)
			}
		})
	}
}

func TestTransactionalFailureRollsBackEverything(t *testing.T) {
	url := pg.NewDB(t)
	ms := load(t, map[string]string{
		"V1__ok.sql":    "CREATE TABLE ok (id int);",
		"V2__bad.sql":   "CREATE TABLE partial (id int);\nINSERT INTO partial VALUES (1);\n\nINSERT INTO missing VALUES (1);\nCREATE TABLE never (id int);\n",
		"V3__later.sql": "CREATE TABLE later (id int);",
	})
	var retried bool
	_, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{Progress: func(p Progress) { retried = retried || p.Event == EventRetry }})
	var re *RunError
	if !errors.As(err, &re) || re.Failed == nil {
		t.Fatalf("err = %v, want *RunError", err)
	}
	f := re.Failed
	if f.Path != "V2__bad.sql" || f.Statement != 3 || f.Line != 4 || f.SQLState != pgerrcode.UndefinedTable || !f.Transactional || len(re.Applied) != 1 {
		t.Errorf("failure %+v, applied %v", f, re.Applied)
	}
	if !strings.Contains(err.Error(), "V2__bad.sql:4") || !strings.Contains(err.Error(), "rolled back") {
		t.Errorf("message %q", err)
	}
	if retried {
		t.Error("an undefined table was retried; only 55P03, 40P01 and 40001 retry")
	}
	c := pgtest.Conn(t, url)
	if n := queryInt(t, c, `SELECT count(*) FROM pg_tables WHERE tablename IN ('partial', 'never', 'later')`); n != 0 {
		t.Errorf("%d tables of the failed or later units exist", n)
	}
	hs := history(t, url)
	if len(hs) != 2 || hs[1].Status != StatusFailed || hs[1].StatementsApplied != 0 || hs[1].SQLState != pgerrcode.UndefinedTable || hs[1].FailedLine != 4 {
		t.Fatalf("history %+v", hs)
	}
	rep, _ := newRunner(t, url).Status(context.Background(), ms)
	if rep.Files[1].State != StatePending || !strings.Contains(rep.Files[1].Note, "rolled back") {
		t.Errorf("status of the failed unit: %+v", rep.Files[1])
	}
	// Fixed file: the next run applies it (no resolve needed) and continues.
	ms[1] = load(t, map[string]string{"V2__bad.sql": "CREATE TABLE partial (id int);"})[0]
	res, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
	if err != nil || len(res.Applied) != 2 {
		t.Fatalf("after fixing: %+v %v", res, err)
	}
}

func TestRetryOnlyLockTimeoutsDeadlocksSerialization(t *testing.T) {
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, "CREATE TABLE busy (id int)")
	blocker := pgtest.Conn(t, url)
	tx, err := blocker.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(context.Background(), "LOCK TABLE busy IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	ms := load(t, map[string]string{"V1__alter.sql": "CREATE TABLE side (id int);\nALTER TABLE busy ADD COLUMN x int;\n"})
	var retries []Progress
	_, err = newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{
		LockTimeout: 100 * time.Millisecond, RetryBackoff: 10 * time.Millisecond, RetryBackoffMax: 40 * time.Millisecond,
		Progress: func(p Progress) {
			if p.Event == EventRetry {
				retries = append(retries, p)
				if len(retries) == 2 {
					_ = tx.Rollback(context.Background()) // the blocker goes away
				}
			}
		}})
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if len(retries) != 2 || !strings.Contains(retries[0].Message, pgerrcode.LockNotAvailable) || retries[1].Attempt != 3 {
		t.Errorf("retries: %+v", retries)
	}
	hs := history(t, url)
	if len(hs) != 1 || hs[0].Status != StatusDone {
		t.Errorf("history %+v", hs)
	}
	// Attempts are bounded: a blocker that never leaves fails the unit after MaxAttempts.
	tx2, _ := blocker.Begin(context.Background())
	defer tx2.Rollback(context.Background())
	if _, err := tx2.Exec(context.Background(), "LOCK TABLE busy IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	ms2 := append(ms, load(t, map[string]string{"V2__again.sql": "ALTER TABLE busy ADD COLUMN y int;"})...)
	n := 0
	_, err = newRunner(t, url).Apply(context.Background(), ms2, ApplyOptions{LockTimeout: 50 * time.Millisecond, MaxAttempts: 3,
		RetryBackoff: 5 * time.Millisecond, Progress: func(p Progress) {
			if p.Event == EventRetry {
				n++
			}
		}})
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != pgerrcode.LockNotAvailable || n != 2 {
		t.Fatalf("err %v after %d retries, want 55P03 after 2", err, n)
	}
}

func TestRetryDeadlock(t *testing.T) {
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, "CREATE TABLE a (id int); CREATE TABLE b (id int); INSERT INTO a VALUES (1); INSERT INTO b VALUES (1);")
	other := pgtest.Conn(t, url)
	ms := load(t, map[string]string{"V1__dl.sql": "UPDATE a SET id = id + 1;\nSELECT pg_sleep(0.3);\nUPDATE b SET id = id + 1;\n"})
	tx, err := other.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(context.Background(), "UPDATE b SET id = id + 10"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		time.Sleep(700 * time.Millisecond) // the runner holds a's row lock and waits for b's by now
		_, err := tx.Exec(context.Background(), "UPDATE a SET id = id + 10")
		if err != nil {
			_ = tx.Rollback(context.Background())
		} else {
			err = tx.Commit(context.Background())
		}
		done <- err
	}()
	var retried []string
	_, err = newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{RetryBackoff: 10 * time.Millisecond,
		Progress: func(p Progress) {
			if p.Event == EventRetry {
				retried = append(retried, p.Message)
			}
		}})
	otherErr := <-done
	// The runner started waiting first, so its deadlock check (deadlock_timeout
	// after it began waiting) fires first and it is the victim: its unit is
	// rolled back and retried (SQLSTATE 40P01), and applied once.
	if err != nil {
		t.Fatalf("apply: %v (other: %v)", err, otherErr)
	}
	if otherErr == nil && (len(retried) != 1 || !strings.Contains(retried[0], pgerrcode.DeadlockDetected)) {
		t.Errorf("runner was the deadlock victim but retries were %v", retried)
	}
	c := pgtest.Conn(t, url)
	want := 2 // the runner's +1 on each table, once
	if otherErr == nil {
		want = 12
	}
	if got := queryInt(t, c, "SELECT id FROM a"); got != want {
		t.Errorf("a.id = %d, want %d (other: %v, retries %v)", got, want, otherErr, retried)
	}
}

// The failing line is where PostgreSQL points inside a multi-line statement,
// even with multi-byte characters before it in the same message.
func TestErrorNamesTheExactLine(t *testing.T) {
	url := pg.NewDB(t)
	ms := load(t, map[string]string{"V1__lines.sql": "COMMENT ON SCHEMA public IS 'été';\nCREATE TABLE b (\n  id int,\n  x nosuchtype\n);\n"})
	for _, dry := range []bool{true, false} {
		_, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{DryRun: dry})
		var re *RunError
		if !errors.As(err, &re) || re.Failed.Line != 4 || re.Failed.Statement != 2 || !strings.Contains(err.Error(), "V1__lines.sql:4") {
			t.Errorf("dry run %v: %v (%+v)", dry, err, re)
		}
	}
}

// A serializable unit loses a write-skew race to a concurrent transaction
// (SQLSTATE 40001, here at COMMIT): the server answered, so it is a plain
// rollback, not a lost COMMIT, and the unit is retried and applied once.
func TestRetrySerializationFailure(t *testing.T) {
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, "CREATE TABLE doctors (id int PRIMARY KEY, on_call bool); INSERT INTO doctors VALUES (1, true), (2, true); CREATE TABLE log (n int);")
	other := pgtest.Conn(t, url)
	ms := load(t, map[string]string{"V1__skew.sql": "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\n" +
		"INSERT INTO log SELECT count(*) FROM doctors WHERE on_call;\n" +
		"UPDATE doctors SET on_call = false WHERE id = 1;\n" +
		"SELECT pg_sleep(0.6);\n"})
	otherDone := make(chan error, 1)
	started := false
	var retries []string
	_, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{RetryBackoff: 10 * time.Millisecond, Progress: func(p Progress) {
		switch {
		case p.Event == EventUnitStart && !started:
			started = true
			go func() {
				time.Sleep(200 * time.Millisecond) // the runner has read and written by now
				ctx := context.Background()
				tx, err := other.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
				if err == nil {
					_, err = tx.Exec(ctx, "SELECT count(*) FROM doctors WHERE on_call")
				}
				if err == nil {
					_, err = tx.Exec(ctx, "UPDATE doctors SET on_call = false WHERE id = 2")
				}
				if err == nil {
					err = tx.Commit(ctx)
				} else if tx != nil {
					_ = tx.Rollback(ctx)
				}
				otherDone <- err
			}()
		case p.Event == EventRetry:
			retries = append(retries, p.Message)
		}
	}})
	if oerr := <-otherDone; oerr != nil {
		t.Fatalf("the concurrent transaction failed instead: %v", oerr)
	}
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if len(retries) != 1 || !strings.Contains(retries[0], pgerrcode.SerializationFailure) {
		t.Errorf("retries %v, want one after SQLSTATE 40001", retries)
	}
	c := pgtest.Conn(t, url)
	if n := queryInt(t, c, "SELECT count(*) FROM log"); n != 1 {
		t.Errorf("the unit's insert is there %d times", n)
	}
	if n := queryInt(t, c, "SELECT count(*) FROM tidemark.migration_history WHERE status = 'done'"); n != 1 {
		t.Errorf("%d done rows", n)
	}
}

// TestOwnTransactions: a file that manages its own transactions runs each
// BEGIN ... COMMIT block as written, as a unit, and each statement outside a
// block alone (a concurrent index build among them). A block that fails is
// rolled back whole — its first statements too — with the history's count at
// the block's start; after the fix, a retry resumes at the block and does not
// repeat what committed before it.
func TestOwnTransactions(t *testing.T) {
	url := pg.NewDB(t)
	ctx := context.Background()
	const file = "BEGIN;\nCREATE TABLE a (id int PRIMARY KEY);\nSAVEPOINT s;\nINSERT INTO a VALUES (1);\nRELEASE SAVEPOINT s;\nCOMMIT;\n" +
		"CREATE INDEX CONCURRENTLY a_id_idx ON a (id);\n" +
		"START TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE b (id int REFERENCES a);\nINSERT INTO b VALUES (%d);\nEND;\n" +
		"CREATE TABLE c (id int);\n"
	ms := load(t, map[string]string{"V1__own.sql": fmt.Sprintf(file, 2)})
	if ms[0].OwnTransactions() != 1 || !strings.Contains(ms[0].NonTransactionalReason(150000), "manages its own transactions from line 1") {
		t.Fatalf("own transactions: %d %q", ms[0].OwnTransactions(), ms[0].NonTransactionalReason(150000))
	}
	_, err := newRunner(t, url).Apply(ctx, ms, ApplyOptions{})
	var re *RunError
	if !errors.As(err, &re) || re.Failed == nil || re.Failed.Line != 10 || re.Failed.SQLState != pgerrcode.ForeignKeyViolation || re.Failed.StatementsApplied != 7 {
		t.Fatalf("the second block should fail at line 10 (foreign key): %v %+v", err, re)
	}
	c := pgtest.Conn(t, url)
	if n := queryInt(t, c, `SELECT count(*) FROM a`); n != 1 {
		t.Errorf("the first block committed %d rows, want 1", n)
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_index WHERE indexrelid = 'a_id_idx'::regclass AND indisvalid`); n != 1 {
		t.Error("the concurrent build outside the blocks did not run")
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_class WHERE relname IN ('b', 'c')`); n != 0 {
		t.Errorf("the failed block's CREATE TABLE b (or the statement after it) is there: %d", n)
	}
	hs := history(t, url)
	if len(hs) != 1 || hs[0].Status != StatusFailed || hs[0].StatementsApplied != 7 || hs[0].Transactional || hs[0].StatementsTotal != 12 {
		t.Fatalf("history: %+v", hs)
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`); n != 0 {
		t.Errorf("%d sessions left in a transaction", n)
	}

	// The missing row is added by hand and the unit resolved for retry: it
	// resumes at the failed block, and the first block does not run again
	// (it would fail: a already exists).
	if _, err := c.Exec(ctx, "INSERT INTO a VALUES (2)"); err != nil {
		t.Fatal(err)
	}
	if _, err := newRunner(t, url).Resolve(ctx, ResolveOptions{Version: "1", As: ResolveRetry}); err != nil {
		t.Fatal(err)
	}
	res, err := newRunner(t, url).Apply(ctx, ms, ApplyOptions{})
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if len(res.Applied) != 1 || queryInt(t, c, `SELECT count(*) FROM b`) != 1 || queryInt(t, c, `SELECT count(*) FROM a`) != 2 || queryInt(t, c, `SELECT count(*) FROM c`) != 0 {
		t.Fatalf("retry: %+v", res)
	}
	if hs := history(t, url); hs[len(hs)-1].Status != StatusDone || hs[len(hs)-1].StatementsApplied != 12 {
		t.Fatalf("history after the retry: %+v", hs)
	}
}
