package migrate

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

const helperEnv = "TIDEMARK_MIGRATE_HELPER"

// runHelper is the runner as a separate process, so a test can SIGKILL it
// mid-run: it applies the files in $TIDEMARK_MIGRATE_DIR to $TIDEMARK_MIGRATE_URL
// and prints each progress event as a JSON line. $TIDEMARK_MIGRATE_FAULT makes
// it print {"event":"fault"} and hang at one boundary of the second unit (or
// right after taking the lock), for the parent to kill it there.
func runHelper() int {
	ms, err := LoadDir(os.DirFS(os.Getenv("TIDEMARK_MIGRATE_DIR")), LoadOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	r, err := NewRunner(os.Getenv("TIDEMARK_MIGRATE_URL"), Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	enc := json.NewEncoder(os.Stdout)
	fault := os.Getenv("TIDEMARK_MIGRATE_FAULT")
	hang := func() { _ = enc.Encode(Progress{Event: "fault"}); select {} }
	commits := 0
	r.commit = func(ctx context.Context, conn *pgx.Conn) error {
		commits++
		if fault == "before-commit" && commits == 2 {
			hang()
		}
		_, err := conn.Exec(ctx, "COMMIT")
		if fault == "after-commit" && commits == 2 {
			hang()
		}
		return err
	}
	_, err = r.Apply(context.Background(), ms, ApplyOptions{LockTimeout: time.Minute, Progress: func(p Progress) {
		_ = enc.Encode(p)
		if fault == "after-lock" && p.Event == EventLocked {
			hang()
		}
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func workPID(t *testing.T, c *pgx.Conn) int {
	t.Helper()
	return queryInt(t, c, `SELECT pid FROM pg_stat_activity WHERE application_name = 'tidemark migrate' AND datname = current_database()`)
}

// A non-transactional unit whose session is killed between statements: the
// row says exactly where it stopped, the runner refuses to go on until
// resolved, and a retry resumes at the statement that did not run.
func TestNonTransactionalUnitKilledThenResolvedRetry(t *testing.T) {
	url := pg.NewDB(t)
	mon := pgtest.Conn(t, url)
	files := map[string]string{
		"V1__base.sql": "CREATE TABLE t (id int, x int);",
		"V2__steps.sql": "CREATE TABLE first (id int);\n" + // re-running this would fail: it must run once
			"CREATE INDEX CONCURRENTLY t_x ON t (x);\n" +
			"CREATE TABLE third (id int);\n",
		"V3__after.sql": "CREATE TABLE after (id int);",
	}
	ms := load(t, files)
	_, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{Progress: func(p Progress) {
		if p.Event == EventStatement && p.Path == "V2__steps.sql" && p.Statement == 1 {
			if _, err := mon.Exec(context.Background(), `SELECT pg_terminate_backend($1)`, workPID(t, mon)); err != nil {
				t.Errorf("terminate: %v", err)
			}
		}
	}})
	var re *RunError
	if !errors.As(err, &re) || re.Failed.Transactional || re.Failed.StatementsApplied != 1 || re.Failed.Statement != 2 || re.Failed.Line != 2 {
		t.Fatalf("err = %v (%+v)", err, re)
	}
	if !strings.Contains(err.Error(), "tidemark migrate resolve --version 2") {
		t.Errorf("message does not say how to resolve: %q", err)
	}
	hs := history(t, url)
	last := hs[len(hs)-1]
	if last.Status != StatusFailed || last.Transactional || last.StatementsApplied != 1 || last.StatementsTotal != 3 || last.FailedLine != 2 || last.NextStatementLine != 2 {
		t.Fatalf("row: %+v", last)
	}
	rep, _ := newRunner(t, url).Status(context.Background(), ms)
	if rep.Files[1].State != StateFailed || rep.Files[2].State != StatePending || !strings.Contains(rep.Files[1].Note, "after statement 1 of 3") {
		t.Errorf("status: %+v", rep.Files)
	}
	// Refused until resolved.
	_, err = newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
	if !errors.Is(err, ErrNeedsResolve) || !strings.Contains(err.Error(), "V2__steps.sql") {
		t.Fatalf("second apply: %v, want ErrNeedsResolve naming the file", err)
	}
	if n := queryInt(t, mon, `SELECT count(*) FROM pg_tables WHERE tablename = 'after'`); n != 0 {
		t.Fatal("a later unit ran while an earlier one was unresolved")
	}
	row, err := newRunner(t, url).Resolve(context.Background(), ResolveOptions{Version: "2", As: ResolveRetry, Note: "checked by hand"})
	if err != nil || row.ResolvedAs != ResolveRetry || row.ResolvedBy != "tester" || row.ResolvedAt == nil || row.ResolveNote != "checked by hand" {
		t.Fatalf("resolve: %+v %v", row, err)
	}
	if _, err := newRunner(t, url).Resolve(context.Background(), ResolveOptions{Version: "2", As: ResolveDone}); !errors.Is(err, ErrNothingToResolve) {
		t.Errorf("resolving twice: %v", err)
	}
	var resumed string
	res, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{Progress: func(p Progress) {
		if p.Event == EventUnitStart && p.Path == "V2__steps.sql" {
			resumed = p.Message
		}
	}})
	if err != nil || len(res.Applied) != 2 {
		t.Fatalf("apply after resolve: %+v %v", res, err)
	}
	if !strings.Contains(resumed, "resuming at statement 2 of 3") {
		t.Errorf("unit start message %q", resumed)
	}
	if n := queryInt(t, mon, `SELECT count(*) FROM pg_index WHERE indexrelid = 't_x'::regclass AND indisvalid`); n != 1 {
		t.Error("t_x is not a valid index")
	}
	hs = history(t, url)
	if got := hs[len(hs)-2]; got.Status != StatusDone || got.StatementsApplied != 3 || got.Version != "2" {
		t.Errorf("retry row: %+v", got)
	}
}

// A failed CREATE UNIQUE INDEX CONCURRENTLY leaves an INVALID index, which
// IF NOT EXISTS would then hide. Before the retry, the runner drops it
// concurrently, so the retry builds a valid index.
func TestRetryDropsInvalidIndexFirst(t *testing.T) {
	url := pg.NewDB(t)
	c := pgtest.Conn(t, url)
	pgtest.MustExec(t, url, "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (1), (2);")
	ms := load(t, map[string]string{"V1__uniq.sql": "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_x_key ON t (x);\nCREATE TABLE done_marker (id int);\n"})
	_, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != pgerrcode.UniqueViolation {
		t.Fatalf("err = %v, want a unique violation", err)
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_index WHERE indexrelid = 't_x_key'::regclass AND NOT indisvalid`); n != 1 {
		t.Fatal("expected the failed build to leave an INVALID index")
	}
	pgtest.MustExec(t, url, "DELETE FROM t WHERE ctid = (SELECT min(ctid) FROM t WHERE x = 1)")
	if _, err := newRunner(t, url).Resolve(context.Background(), ResolveOptions{Version: "1", As: ResolveRetry}); err != nil {
		t.Fatal(err)
	}
	var dropped bool
	if _, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{Progress: func(p Progress) {
		dropped = dropped || p.Event == EventIndexDrop && strings.Contains(p.Message, `"public"."t_x_key"`)
	}}); err != nil {
		t.Fatal(err)
	}
	if !dropped {
		t.Error("no index-drop event")
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_index WHERE indexrelid = 't_x_key'::regclass AND indisvalid AND indisunique`); n != 1 {
		t.Error("t_x_key is not a valid unique index after the retry")
	}
}

func TestResolveDoneAndRolledBack(t *testing.T) {
	for _, as := range []string{ResolveDone, ResolveRolledBack} {
		t.Run(as, func(t *testing.T) {
			url := pg.NewDB(t)
			c := pgtest.Conn(t, url)
			ms := load(t, map[string]string{"V1__two.sql": "CREATE TABLE one (id int);\nVACUUM nosuchtable;\n", "V2__next.sql": "CREATE TABLE two (id int);"})
			if _, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{}); err == nil {
				t.Fatal("expected a failure")
			}
			if as == ResolveRolledBack {
				pgtest.MustExec(t, url, "DROP TABLE one")
			}
			if _, err := newRunner(t, url).Resolve(context.Background(), ResolveOptions{Version: "1", As: as}); err != nil {
				t.Fatal(err)
			}
			rep, _ := newRunner(t, url).Status(context.Background(), ms)
			wantFirst := map[string]State{ResolveDone: StateApplied, ResolveRolledBack: StatePending}[as]
			if rep.Files[0].State != wantFirst {
				t.Errorf("state after resolve %s: %s", as, rep.Files[0].State)
			}
			if as == ResolveRolledBack {
				// Fix the file: rolled-back units run from the start (a changed file is fine).
				ms = load(t, map[string]string{"V1__two.sql": "CREATE TABLE one (id int);\nVACUUM one;\n", "V2__next.sql": "CREATE TABLE two (id int);"})
			}
			if _, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			if n := queryInt(t, c, `SELECT count(*) FROM pg_tables WHERE tablename IN ('one', 'two')`); n != 2 {
				t.Errorf("%d of the tables exist", n)
			}
		})
	}
}

// The runner process is SIGKILLed in the middle of a non-transactional unit:
// the row stays "started" with the count of statements that finished, the
// server aborts the orphaned statement, and the next run refuses until resolved.
func TestRunnerKilledMidNonTransactionalUnit(t *testing.T) {
	url := pg.NewDB(t)
	dir := t.TempDir()
	os.WriteFile(dir+"/V1__slow.sql", []byte("CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nSELECT pg_sleep(60);\nVACUUM a;\n"), 0o644)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1", "TIDEMARK_MIGRATE_DIR="+dir, "TIDEMARK_MIGRATE_URL="+url)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var p Progress
		_ = json.Unmarshal(sc.Bytes(), &p)
		if p.Event == EventStatement && p.Statement == 2 {
			time.Sleep(200 * time.Millisecond) // statement 3 (pg_sleep) is running
			_ = cmd.Process.Kill()
			break
		}
	}
	_ = cmd.Wait()
	c := pgtest.Conn(t, url)
	// client_connection_check_interval ends the orphaned statement within seconds.
	deadline := time.Now().Add(20 * time.Second)
	for queryInt(t, c, `SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'tidemark migrate%' AND datname = current_database()`) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the killed runner's sessions are still there after 20s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	hs := history(t, url)
	if len(hs) != 1 || hs[0].Status != StatusStarted || hs[0].StatementsApplied != 2 || hs[0].NextStatementLine != 3 {
		t.Fatalf("history after the kill: %+v", hs)
	}
	ms, err := LoadDir(os.DirFS(dir), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep, _ := newRunner(t, url).Status(context.Background(), ms)
	if rep.Files[0].State != StateFailed || !strings.Contains(rep.Files[0].Note, "runner died") {
		t.Errorf("status: %+v", rep.Files[0])
	}
	if _, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{}); !errors.Is(err, ErrNeedsResolve) {
		t.Fatalf("apply after the kill: %v", err)
	}
}

// The connection drops while COMMIT is in flight. The runner reconnects,
// waits for the old session to end, looks the run id up, and decides: a
// committed unit is not applied again; an uncommitted one is reported.
func TestLostCommitAcknowledgement(t *testing.T) {
	t.Run("committed", func(t *testing.T) {
		url := pg.NewDB(t)
		ms := load(t, map[string]string{"V1__t.sql": "CREATE TABLE t (id int);", "V2__ins.sql": "INSERT INTO t VALUES (1);", "V3__more.sql": "INSERT INTO t VALUES (2);"})
		r := newRunner(t, url)
		calls := 0
		r.commit = func(ctx context.Context, conn *pgx.Conn) error {
			calls++
			if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
				return err
			}
			if calls == 2 { // V2 committed, but the acknowledgement is "lost"
				conn.PgConn().Conn().Close()
				return errors.New("read tcp: connection reset by peer")
			}
			return nil
		}
		res, err := r.Apply(context.Background(), ms, ApplyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Applied) != 3 || !res.Applied[1].Recovered || res.Applied[0].Recovered {
			t.Errorf("applied %+v", res.Applied)
		}
		c := pgtest.Conn(t, url)
		if n := queryInt(t, c, `SELECT count(*) FROM t WHERE id = 1`); n != 1 {
			t.Errorf("V2 applied %d times", n)
		}
		if n := queryInt(t, c, `SELECT count(*) FROM tidemark.migration_history WHERE status = 'done'`); n != 3 {
			t.Errorf("%d done rows", n)
		}
	})
	t.Run("not committed", func(t *testing.T) {
		url := pg.NewDB(t)
		ms := load(t, map[string]string{"V1__t.sql": "CREATE TABLE t (id int);", "V2__ins.sql": "INSERT INTO t VALUES (1);"})
		r := newRunner(t, url)
		calls := 0
		r.commit = func(ctx context.Context, conn *pgx.Conn) error {
			calls++
			if calls == 2 { // V2: drop the connection before COMMIT is sent
				conn.PgConn().Conn().Close()
				return errors.New("write tcp: broken pipe")
			}
			_, err := conn.Exec(ctx, "COMMIT")
			return err
		}
		_, err := r.Apply(context.Background(), ms, ApplyOptions{})
		if err == nil || !strings.Contains(err.Error(), "did not commit, so nothing was applied") {
			t.Fatalf("err = %v", err)
		}
		c := pgtest.Conn(t, url)
		if n := queryInt(t, c, `SELECT count(*) FROM t`); n != 0 {
			t.Errorf("t has %d rows", n)
		}
		// Nothing blocks: the next run applies V2 exactly once.
		if _, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
		if n := queryInt(t, c, `SELECT count(*) FROM t`); n != 1 {
			t.Errorf("t has %d rows after the re-run", n)
		}
	})
}

func TestOrderingChecksumsAndDuplicates(t *testing.T) {
	url := pg.NewDB(t)
	c := pgtest.Conn(t, url)
	v1, v2, v3 := "CREATE TABLE one (id int);\n", "CREATE TABLE two (id int);\n", "CREATE TABLE three (id int);\n"
	if _, err := newRunner(t, url).Apply(context.Background(), load(t, map[string]string{"V1__one.sql": v1, "V3__three.sql": v3}), ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	withTwo := load(t, map[string]string{"V1__one.sql": v1, "V2__two.sql": v2, "V3__three.sql": v3, "V4__four.sql": "CREATE TABLE four (id int);"})
	_, err := newRunner(t, url).Apply(context.Background(), withTwo, ApplyOptions{})
	if !errors.Is(err, ErrOutOfOrder) || !strings.Contains(err.Error(), "V2__two.sql") || !strings.Contains(err.Error(), "--allow-out-of-order") {
		t.Fatalf("err = %v, want ErrOutOfOrder naming V2__two.sql", err)
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_tables WHERE tablename IN ('two', 'four')`); n != 0 {
		t.Fatal("something was applied despite the refusal")
	}
	rep, _ := newRunner(t, url).Status(context.Background(), withTwo)
	if rep.Files[1].State != StateOutOfOrder || rep.Files[3].State != StatePending {
		t.Errorf("status %+v", rep.Files)
	}
	res, err := newRunner(t, url).Apply(context.Background(), withTwo, ApplyOptions{AllowOutOfOrder: true})
	if err != nil || len(res.Applied) != 2 || res.Applied[0].Path != "V2__two.sql" {
		t.Fatalf("out of order allowed: %+v %v", res, err)
	}
	// A modified applied file is refused, naming the file, whatever else is pending.
	modified := load(t, map[string]string{"V1__one.sql": v1 + "\n-- edited", "V2__two.sql": v2, "V3__three.sql": v3,
		"V4__four.sql": "CREATE TABLE four (id int);", "V5__five.sql": "CREATE TABLE five (id int);"})
	_, err = newRunner(t, url).Apply(context.Background(), modified, ApplyOptions{})
	if !errors.Is(err, ErrChecksumMismatch) || !strings.Contains(err.Error(), "V1__one.sql") || !strings.Contains(err.Error(), "modified applied migration") {
		t.Fatalf("err = %v, want ErrChecksumMismatch naming V1__one.sql", err)
	}
	// Line endings and a BOM are not modifications.
	same := load(t, map[string]string{"V1__one.sql": "\uFEFF" + v1, "V2__two.sql": strings.ReplaceAll(v2, "\n", "\r\n"), "V3__three.sql": v3,
		"V4__four.sql": "CREATE TABLE four (id int);", "V5__five.sql": "CREATE TABLE five (id int);"})
	if _, err := newRunner(t, url).Apply(context.Background(), same, ApplyOptions{}); err != nil {
		t.Fatalf("BOM/CRLF counted as a modification: %v", err)
	}
	// A history version without a file is reported, not an error.
	rep, _ = newRunner(t, url).Status(context.Background(), same[1:])
	if rep.Files[len(rep.Files)-1].State != StateNoFile || rep.Files[len(rep.Files)-1].Version != "1" {
		t.Errorf("status without V1's file: %+v", rep.Files)
	}
}

func TestBaseline(t *testing.T) {
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, "CREATE TABLE existing (id int)")
	ms := load(t, map[string]string{"V1__a.sql": "CREATE TABLE existing (id int);", "V2__b.sql": "ALTER TABLE existing ADD COLUMN b int;", "V3__c.sql": "CREATE TABLE c (id int);"})
	if err := newRunner(t, url).Baseline(context.Background(), BaselineOptions{Version: "2"}); err != nil {
		t.Fatal(err)
	}
	rep, _ := newRunner(t, url).Status(context.Background(), ms)
	if rep.Files[0].State != StateApplied || rep.Files[1].State != StateApplied || rep.Files[2].State != StatePending || rep.Baseline != "2" {
		t.Errorf("status after baseline: %+v", rep)
	}
	res, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
	if err != nil || len(res.Applied) != 1 || res.Applied[0].Version != "3" {
		t.Fatalf("apply after baseline: %+v %v", res, err)
	}
	hs := history(t, url)
	if hs[0].Type != TypeBaseline || hs[0].Source != SourceBaseline || hs[0].Status != StatusDone || hs[0].StatementsTotal != 0 {
		t.Errorf("baseline row %+v", hs[0])
	}
	if err := newRunner(t, url).Baseline(context.Background(), BaselineOptions{Version: "5"}); !errors.Is(err, ErrHasHistory) {
		t.Errorf("second baseline: %v", err)
	}
	if err := newRunner(t, url).Baseline(context.Background(), BaselineOptions{Version: "x"}); err == nil {
		t.Error("bad version accepted")
	}
}

// A database carrying the first history layout is upgraded in place: old rows
// are kept and understood, and nothing already applied runs again.
func TestHistoryUpgradeFromLayout1(t *testing.T) {
	url := pg.NewDB(t)
	ms := load(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id int);", "V2__b.sql": "CREATE TABLE b (id int);"})
	pgtest.MustExec(t, url, historyLayouts[0])
	pgtest.MustExec(t, url, "CREATE TABLE a (id int)")
	c := pgtest.Conn(t, url)
	if _, err := c.Exec(context.Background(), `INSERT INTO tidemark.migration_history (version, description, type, checksum, status, finished_at)
		VALUES ('1', 'a', 'ddl', $1, 'done', now())`, ms[0].Checksum); err != nil {
		t.Fatal(err)
	}
	rep, err := newRunner(t, url).Status(context.Background(), ms)
	if err != nil || rep.HistoryLayout != 1 || rep.Files[0].State != StateApplied || rep.Files[1].State != StatePending {
		t.Fatalf("status on layout 1: %+v %v", rep, err)
	}
	res, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{})
	if err != nil || len(res.Applied) != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if n := queryInt(t, c, `SELECT value::int FROM tidemark.meta WHERE key = 'history_layout'`); n != HistoryLayout {
		t.Errorf("layout %d after upgrade", n)
	}
	hs := history(t, url)
	if len(hs) != 2 || hs[0].RunID != fmt.Sprintf("layout1-%d", hs[0].ID) || hs[0].Status != StatusDone || hs[1].Version != "2" {
		t.Errorf("history after upgrade: %+v", hs)
	}
	// A layout from the future is refused rather than misread.
	pgtest.MustExec(t, url, "UPDATE tidemark.meta SET value = '99' WHERE key = 'history_layout'")
	if _, err := newRunner(t, url).Status(context.Background(), ms); err == nil || !strings.Contains(err.Error(), "newer than this Tidemark") {
		t.Errorf("future layout: %v", err)
	}
}

func TestDryRun(t *testing.T) {
	url := pg.NewDB(t)
	ms := load(t, map[string]string{
		"V1__a.sql":   "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);",
		"V2__idx.sql": "CREATE INDEX CONCURRENTLY a_id ON a (id);",
		"V3__b.sql":   "CREATE TABLE b (id int);",
	})
	res, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DryRun || len(res.Applied) != 2 || len(res.NotDryRun) != 1 || res.NotDryRun[0].Path != "V2__idx.sql" || !strings.Contains(res.NotDryRun[0].Reason, "CREATE INDEX") {
		t.Errorf("result %+v", res)
	}
	c := pgtest.Conn(t, url)
	if n := queryInt(t, c, `SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b') OR relnamespace = to_regnamespace('tidemark')`); n != 0 {
		t.Errorf("dry run left %d relations behind", n)
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_namespace WHERE nspname = 'tidemark'`); n != 0 {
		t.Error("dry run created the history schema")
	}
	bad := load(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id int);", "V2__bad.sql": "SELECT 1;\nINSERT INTO nope VALUES (1);"})
	_, err = newRunner(t, url).Apply(context.Background(), bad, ApplyOptions{DryRun: true})
	var re *RunError
	if !errors.As(err, &re) || re.Failed.Path != "V2__bad.sql" || re.Failed.Line != 2 || len(re.Applied) != 1 {
		t.Errorf("dry run failure: %v", err)
	}
}

func TestApplyChange(t *testing.T) {
	url := pg.NewDB(t)
	r := newRunner(t, url)
	res, err := r.ApplyChange(context.Background(), Change{Version: "1", Type: TypeDDL, Description: "from the editor", SQL: "CREATE TABLE ui (id int);\nCREATE INDEX CONCURRENTLY ui_id ON ui (id);"}, ApplyOptions{})
	if err != nil || len(res.Applied) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	hs := history(t, url)
	if len(hs) != 1 || hs[0].Source != SourceUI || hs[0].Transactional || hs[0].Statement == "" || hs[0].Description != "from the editor" {
		t.Errorf("history %+v", hs)
	}
	if _, err := r.ApplyChange(context.Background(), Change{Version: "1", Type: TypeDDL, SQL: "SELECT 1"}, ApplyOptions{}); !errors.Is(err, ErrAlreadyApplied) {
		t.Errorf("same version again: %v", err)
	}
	if _, err := r.ApplyChange(context.Background(), Change{Version: "0.5", Type: TypeDML, SQL: "SELECT 1"}, ApplyOptions{}); !errors.Is(err, ErrOutOfOrder) {
		t.Errorf("lower version: %v", err)
	}
	if _, err := r.ApplyChange(context.Background(), Change{Version: "2", Type: TypeDDL, SQL: "-- nothing"}, ApplyOptions{}); !errors.Is(err, ErrEmptyMigration) {
		t.Errorf("empty change: %v", err)
	}
	if _, err := r.ApplyChange(context.Background(), Change{Version: "2", Type: "weird", SQL: "SELECT 1"}, ApplyOptions{}); err == nil {
		t.Error("bad type accepted")
	}
	// A change rolled out by an issue records the issue's number; a
	// transactional unit reports each statement's time as it runs.
	var ran []Progress
	_, err = r.ApplyChange(context.Background(), Change{Version: "3", Type: TypeDDL, Issue: 42, SQL: "CREATE TABLE a (id int);\nSELECT pg_sleep(0.05);\nCREATE TABLE b (id int);"},
		ApplyOptions{StatementTimes: true, Progress: func(p Progress) {
			if p.Event == EventStatementRan {
				ran = append(ran, p)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ran) != 3 || ran[0].Statement != 1 || ran[1].Line != 2 || ran[1].Elapsed < 50*time.Millisecond || ran[2].Statements != 3 {
		t.Errorf("statement-ran events = %+v", ran)
	}
	if hs := history(t, url); hs[len(hs)-1].Issue != 42 || hs[0].Issue != 0 {
		t.Errorf("issue numbers in the history: %+v", hs)
	}
}

// Cancelling stops mid-statement: the server cancels the running statement,
// a transactional unit rolls back, a non-transactional one is recorded as
// failed at that statement.
func TestCancelMidStatement(t *testing.T) {
	url := pg.NewDB(t)
	ms := load(t, map[string]string{"V1__tx.sql": "CREATE TABLE a (id int);\nSELECT pg_sleep(30);\n"})
	// Cancel 300ms into the unit (pg_sleep is running by then).
	cancelDuring := func(cancel context.CancelFunc) ApplyOptions {
		return ApplyOptions{Progress: func(p Progress) {
			if p.Event == EventUnitStart {
				time.AfterFunc(300*time.Millisecond, cancel)
			}
		}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	_, err := newRunner(t, url).Apply(ctx, ms, cancelDuring(cancel))
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("cancel took %s", el)
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != pgerrcode.QueryCanceled {
		t.Fatalf("err = %v, want 57014", err)
	}
	c := pgtest.Conn(t, url)
	if n := queryInt(t, c, `SELECT count(*) FROM pg_tables WHERE tablename = 'a'`); n != 0 {
		t.Error("the cancelled transactional unit left table a")
	}
	if n := queryInt(t, c, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`); n != 0 {
		t.Error("lock not released after cancel")
	}
	ms = load(t, map[string]string{"V1__nontx.sql": "CREATE TABLE a (id int);\nSELECT pg_sleep(30);\nVACUUM a;\n"})
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	_, err = newRunner(t, url).Apply(ctx2, ms, cancelDuring(cancel2))
	if !errors.As(err, &pe) || pe.Code != pgerrcode.QueryCanceled {
		t.Fatalf("err = %v, want 57014", err)
	}
	hs := history(t, url)
	last := hs[len(hs)-1]
	if last.Status != StatusFailed || last.StatementsApplied != 1 || last.FailedLine != 2 || last.SQLState != pgerrcode.QueryCanceled {
		t.Errorf("row after cancel: %+v", last)
	}
}

func TestSessionSettings(t *testing.T) {
	url := pg.NewDB(t)
	r := newRunner(t, url)
	s, err := r.connect(context.Background(), "tidemark migrate")
	if err != nil {
		t.Fatal(err)
	}
	defer s.close(context.Background())
	for name, want := range map[string]string{"client_connection_check_interval": "2s", "tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5",
		"tcp_keepalives_count": "3", "idle_session_timeout": "0", "application_name": "tidemark migrate"} {
		var got string
		if err := s.conn.QueryRow(context.Background(), "SELECT current_setting($1)", name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// A failed REINDEX ... CONCURRENTLY leaves an INVALID "<index>_ccnew" copy;
// the retry drops it first. The index's function fails while a control row
// exists, so the failure happens in the build phase, deterministically.
func TestRetryDropsReindexLeftovers(t *testing.T) {
	url := pg.NewDB(t)
	c := pgtest.Conn(t, url)
	pgtest.MustExec(t, url, `CREATE TABLE ctl (fail bool);
		CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
		BEGIN
			IF EXISTS (SELECT 1 FROM public.ctl) THEN RAISE EXCEPTION 'index build fails on purpose'; END IF;
			RETURN x;
		END $$;
		CREATE TABLE t (x int); INSERT INTO t SELECT generate_series(1, 100);
		CREATE INDEX t_f ON t (f(x));
		INSERT INTO ctl VALUES (true);`)
	for _, stmt := range []string{"REINDEX INDEX CONCURRENTLY t_f;", "REINDEX TABLE CONCURRENTLY t;"} {
		ms := load(t, map[string]string{"V1__reindex.sql": stmt + "\n"})
		if _, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{}); err == nil || !strings.Contains(err.Error(), "fails on purpose") {
			t.Fatalf("%s: err = %v", stmt, err)
		}
		if n := queryInt(t, c, `SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid AND c.relname LIKE 't_f_ccnew%'`); n != 1 {
			t.Fatalf("%s: %d invalid _ccnew indexes, want 1", stmt, n)
		}
		pgtest.MustExec(t, url, "DELETE FROM ctl")
		if _, err := newRunner(t, url).Resolve(context.Background(), ResolveOptions{Version: "1", As: ResolveRetry}); err != nil {
			t.Fatal(err)
		}
		var dropped []string
		if _, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{Progress: func(p Progress) {
			if p.Event == EventIndexDrop {
				dropped = append(dropped, p.Message)
			}
		}}); err != nil {
			t.Fatal(err)
		}
		if len(dropped) != 1 || !strings.Contains(dropped[0], `"t_f_ccnew"`) {
			t.Errorf("%s: dropped %v", stmt, dropped)
		}
		if n := queryInt(t, c, `SELECT count(*) FROM pg_index WHERE NOT indisvalid`); n != 0 {
			t.Errorf("%s: %d invalid indexes left", stmt, n)
		}
		// Next round on a fresh history.
		pgtest.MustExec(t, url, "DROP SCHEMA tidemark CASCADE; INSERT INTO ctl VALUES (true);")
	}
}

// While a statement-by-statement unit runs, status says "running", not
// "failed": its runner still holds the lock.
func TestStatusWhileRunning(t *testing.T) {
	url := pg.NewDB(t)
	ms := load(t, map[string]string{"V1__slow.sql": "CREATE TABLE a (id int);\nSELECT pg_sleep(0.5);\nVACUUM a;\n"})
	var during *StatusReport
	_, err := newRunner(t, url).Apply(context.Background(), ms, ApplyOptions{Progress: func(p Progress) {
		if p.Event == EventStatement && p.Statement == 1 {
			rep, err := newRunner(t, url).Status(context.Background(), ms)
			if err != nil {
				t.Error(err)
			}
			during = rep
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if during == nil || during.Files[0].State != StateRunning || during.LockedBy == "" || !strings.Contains(during.Files[0].Note, "1 of 3") {
		t.Fatalf("status during the run: %+v", during)
	}
	rep, _ := newRunner(t, url).Status(context.Background(), ms)
	if rep.LockedBy != "" || rep.Files[0].State != StateApplied {
		t.Errorf("status after the run: %+v", rep)
	}
}
