package query

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

const fenceSetup = `
CREATE ROLE fence_role_%[1]s;
CREATE TABLE t (id int PRIMARY KEY, v text);
INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL);
CREATE SEQUENCE s;
CREATE FUNCTION writer() RETURNS int VOLATILE LANGUAGE sql AS $$ INSERT INTO t VALUES (100, 'w') RETURNING 1 $$;
CREATE PROCEDURE p() LANGUAGE sql AS $$ INSERT INTO t VALUES (101, 'p') $$;
`

// env is one database with an observer, a victim session (that attempts
// try to terminate) and a listener (that attempts try to notify).
type env struct {
	url, role, file   string
	obs, victim, lstn *pgx.Conn
	victimPID         uint32
}

func newEnv(t *testing.T) *env {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	e := &env{url: srv.NewDB(t), role: "fence_role_" + hex.EncodeToString(b)}
	// The server may run as another user: the directory is world-writable.
	dir, err := os.MkdirTemp("", "tidemark-fence-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	e.file = filepath.Join(dir, "escaped")
	pgtest.MustExec(t, e.url, fmt.Sprintf(fenceSetup, hex.EncodeToString(b)))
	t.Cleanup(func() { _ = srv.Exec(context.Background(), "DROP ROLE IF EXISTS "+e.role) })
	e.obs, e.victim, e.lstn = pgtest.Conn(t, e.url), pgtest.Conn(t, e.url), pgtest.Conn(t, e.url)
	e.victimPID = e.victim.PgConn().PID()
	if _, err := e.lstn.Exec(context.Background(), "LISTEN tidemark_ch"); err != nil {
		t.Fatal(err)
	}
	return e
}

// state is everything an escape could change, observed from outside the
// session (and the session's own leftovers, asked on its connection).
type state struct {
	rows, data, seq, catalog, roles, settings string
	advisory, cursors, prepared, listening    int
	readOnly, user                            string
	victimAlive, notified, fileExists         bool
}

func observe(t *testing.T, e *env, s *Session) state {
	t.Helper()
	ctx := context.Background()
	var st state
	q := func(c *pgx.Conn, sql string, dst ...any) {
		// The simple protocol leaves no prepared statement or portal behind.
		if err := c.QueryRow(ctx, sql, pgx.QueryExecModeSimpleProtocol).Scan(dst...); err != nil {
			t.Fatalf("observe %q: %v", sql, err)
		}
	}
	q(e.obs, `SELECT count(*)::text, coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '') FROM t`, &st.rows, &st.data)
	q(e.obs, `SELECT last_value::text || is_called::text FROM s`, &st.seq)
	q(e.obs, `SELECT md5(string_agg(c.oid::text || c.relname || c.relkind::text || coalesce(c.relacl::text, ''), ',' ORDER BY c.oid))
	          || (SELECT count(*) FROM pg_proc)::text || (SELECT count(*) FROM pg_largeobject_metadata)::text
	          || (SELECT count(*) FROM pg_database)::text FROM pg_class c`, &st.catalog)
	q(e.obs, `SELECT count(*)::text || coalesce(string_agg(setconfig::text, ','), '') FROM pg_db_role_setting`, &st.roles)
	q(e.obs, `SELECT coalesce(md5(string_agg(name || '=' || coalesce(setting, ''), ',' ORDER BY seqno)), '') FROM pg_file_settings`, &st.settings)
	q(e.obs, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`, &st.advisory)
	q(e.obs, fmt.Sprintf(`SELECT count(*) = 1 FROM pg_stat_activity WHERE pid = %d`, e.victimPID), &st.victimAlive)
	st.victimAlive = st.victimAlive && e.victim.Ping(ctx) == nil
	c := s.conn
	q(c, `SELECT count(*) FROM pg_cursors`, &st.cursors)
	q(c, `SELECT count(*) FROM pg_prepared_statements`, &st.prepared)
	q(c, `SELECT count(*) FROM pg_listening_channels()`, &st.listening)
	q(c, `SELECT current_setting('default_transaction_read_only') || current_setting('transaction_read_only')`, &st.readOnly)
	q(c, `SELECT current_user || '/' || session_user`, &st.user)
	// The checks above ran on the session's connection outside a
	// transaction block; its pending notifications (if any) are delivered
	// to the listener by now or never.
	wctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	_, err := e.lstn.WaitForNotification(wctx)
	cancel()
	st.notified = err == nil
	_, ferr := os.Stat(e.file)
	st.fileExists = ferr == nil
	return st
}

// attempt is one write or escape and the fences each of which alone must stop it.
type attempt struct {
	name string
	sql  func(e *env) string
	by   string // fences that stop it alone: A allow-list, S server, P nothing persists
	// changes: with every fence off the attempt changes what observe sees
	// (proves the observation would notice the escape).
	changes bool
}

func lit(s string) func(*env) string { return func(*env) string { return s } }

var attempts = []attempt{
	{"insert", lit(`INSERT INTO t VALUES (10, 'x')`), "ASP", true},
	{"update", lit(`UPDATE t SET v = 'z'`), "ASP", true},
	{"delete", lit(`DELETE FROM t`), "ASP", true},
	{"truncate", lit(`TRUNCATE t`), "ASP", true},
	{"merge", lit(`MERGE INTO t USING (VALUES (50)) v(id) ON t.id = v.id WHEN NOT MATCHED THEN INSERT VALUES (v.id, 'm')`), "ASP", true},
	{"writable CTE", lit(`WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d`), "ASP", false},
	{"writable CTE nested", lit(`SELECT * FROM (WITH d AS (INSERT INTO t VALUES (11,'c') RETURNING *) SELECT * FROM d) x`), "ASP", false},
	{"select into", lit(`SELECT * INTO t2 FROM t`), "ASP", true},
	{"select into temp", lit(`SELECT 1 AS a INTO TEMP tt`), "ASP", true},
	{"create table", lit(`CREATE TABLE t3 (a int)`), "ASP", true},
	{"create temp table", lit(`CREATE TEMP TABLE tt (a int)`), "ASP", true},
	{"nextval", lit(`SELECT nextval('s')`), "AS", true},
	{"NEXTVAL qualified", lit(`SELECT PG_CATALOG.NEXTVAL('s')`), "AS", true},
	{"nextval in subquery", lit(`SELECT (SELECT nextval('s')) FROM t`), "AS", true},
	{"setval", lit(`SELECT setval('s', 100)`), "AS", true},
	{"copy to program", func(e *env) string { return fmt.Sprintf(`COPY t TO PROGRAM 'touch %s'`, e.file) }, "A", true},
	{"copy to file", func(e *env) string { return fmt.Sprintf(`COPY t TO '%s'`, e.file) }, "A", true},
	{"copy from program", lit(`COPY t FROM PROGRAM 'echo 20,y' CSV`), "ASP", true},
	{"call", lit(`CALL p()`), "ASP", true},
	{"do block", lit(`DO $$BEGIN INSERT INTO t VALUES (102, 'd'); END$$`), "ASP", true},
	{"do nextval", lit(`DO $$BEGIN PERFORM nextval('s'); END$$`), "AS", true},
	{"volatile function that writes", lit(`SELECT writer()`), "SP", true},
	{"writer in where", lit(`SELECT * FROM t WHERE id = (SELECT writer())`), "SP", true},
	{"query_to_xml dynamic SQL", lit(`SELECT query_to_xml('INSERT INTO t VALUES (103, ''q'') RETURNING 1', true, true, '')`), "ASP", false},
	{"set role", func(e *env) string { return "SET ROLE " + e.role }, "AP", true},
	{"set session authorization", func(e *env) string { return "SET SESSION AUTHORIZATION " + e.role }, "AP", true},
	{"set_config off then write", lit(`SELECT set_config('default_transaction_read_only', 'off', false); INSERT INTO t VALUES (12, 's')`), "AP", true},
	{"set off then write", lit(`SET default_transaction_read_only = off; INSERT INTO t VALUES (13, 's')`), "AP", true},
	{"session characteristics then write", lit(`SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; INSERT INTO t VALUES (14, 's')`), "AP", true},
	{"reset all then write", lit(`RESET ALL; INSERT INTO t VALUES (15, 'r')`), "ASP", true},
	{"commit then insert", lit(`COMMIT; INSERT INTO t VALUES (16, 'c')`), "ASP", true},
	{"begin then insert", lit(`BEGIN; INSERT INTO t VALUES (17, 'b')`), "ASP", true},
	{"terminate another session", func(e *env) string { return fmt.Sprintf(`SELECT pg_terminate_backend(%d)`, e.victimPID) }, "A", true},
	{"cancel another session", func(e *env) string { return fmt.Sprintf(`SELECT pg_cancel_backend(%d)`, e.victimPID) }, "A", false},
	{"reload conf", lit(`SELECT pg_reload_conf()`), "A", false},
	{"advisory lock", lit(`SELECT pg_advisory_lock(1)`), "AP", true},
	{"advisory xact lock", lit(`SELECT pg_try_advisory_xact_lock(2)`), "ASP", false},
	{"listen", lit(`LISTEN tidemark_other`), "AP", true},
	{"notify", lit(`NOTIFY tidemark_ch, 'x'`), "AP", true},
	{"pg_notify", lit(`SELECT pg_notify('tidemark_ch', 'x')`), "AP", true},
	{"prepare", lit(`PREPARE x AS SELECT 1`), "AP", true},
	{"prepare and execute a write", lit(`PREPARE w AS INSERT INTO t VALUES (200, 'w'); EXECUTE w`), "AP", true},
	{"cursor with hold", lit(`DECLARE c CURSOR WITH HOLD FOR SELECT 1`), "AP", true},
	{"lock table", lit(`LOCK TABLE t IN ACCESS EXCLUSIVE MODE`), "ASP", false},
	{"vacuum", lit(`VACUUM t`), "ASP", false},
	{"select for update", lit(`SELECT * FROM t FOR UPDATE`), "ASP", false},
	{"for share in subquery", lit(`SELECT * FROM (SELECT * FROM t FOR SHARE) x`), "ASP", false},
	{"comment hides a semicolon", lit("SELECT 1 /* ; */ ; DELETE FROM t"), "ASP", true},
	{"line comment then write", lit("SELECT 1; -- ;\nINSERT INTO t VALUES (18, 'l')"), "ASP", true},
	{"dollar quote around a semicolon", lit(`SELECT $$;$$; DELETE FROM t`), "ASP", true},
	{"table then truncate", lit(`TABLE t; TRUNCATE t`), "ASP", true},
	{"alter system", lit(`ALTER SYSTEM SET work_mem = '1MB'`), "ASP", false},
	{"lo_import", lit(`SELECT lo_import('/etc/hostname')`), "AP", true},
	{"lo_create", lit(`SELECT lo_create(0)`), "AP", true},
	{"read server file", lit(`SELECT pg_read_file('/etc/hostname')`), "A", false},
	{"grant", func(e *env) string { return "GRANT SELECT ON t TO " + e.role }, "ASP", true},
	{"alter role set", func(e *env) string { return "ALTER ROLE " + e.role + " SET work_mem = '1MB'" }, "ASP", true},
	{"create database", lit(`CREATE DATABASE fence_escape_db`), "ASP", false},
	{"explain analyze delete", lit(`EXPLAIN ANALYZE DELETE FROM t`), "ASP", true},
	{"explain analyze writer", lit(`EXPLAIN (ANALYZE) SELECT writer()`), "ASP", true},
}

// fenceRuns are the configurations: every fence, each fence alone, none.
var fenceRuns = []struct {
	name  string
	fence byte // 0: all fences; '-': none
	off   fenceSet
}{
	{"all fences", 0, fenceSet{}},
	{"allow-list alone", 'A', fenceSet{server: true, persist: true}},
	{"server alone", 'S', fenceSet{allowList: true, persist: true}},
	{"nothing-persists alone", 'P', fenceSet{allowList: true, server: true}},
	{"no fence (control)", '-', fenceSet{allowList: true, server: true, persist: true}},
}

func TestFences(t *testing.T) {
	if len(attempts) < 40 {
		t.Fatalf("only %d attempts", len(attempts))
	}
	for _, run := range fenceRuns {
		t.Run(run.name, func(t *testing.T) {
			ctx := context.Background()
			var e *env
			var s *Session
			fresh := func() {
				if e != nil {
					for _, c := range []*pgx.Conn{e.obs, e.victim, e.lstn} {
						_ = c.Close(ctx)
					}
				}
				e = newEnv(t)
				cfg, _, err := pg.ParseConnString(e.url)
				if err != nil {
					t.Fatal(err)
				}
				if s != nil {
					_ = s.Close(ctx)
				}
				s, err = Open(ctx, cfg, Options{off: run.off})
				if err != nil {
					t.Fatal(err)
				}
			}
			fresh()
			defer func() { _ = s.Close(ctx) }()
			for _, a := range attempts {
				before := observe(t, e, s)
				_, err := s.Run(ctx, a.sql(e), RunOptions{Limit: 10})
				after := observe(t, e, s)
				changed := before != after
				switch {
				case run.fence == 0:
					if changed {
						t.Errorf("%s: escaped every fence: %s", a.name, diff(before, after))
					}
					if err == nil {
						t.Errorf("%s: ran without an error", a.name)
					}
				case run.fence == '-':
					if a.changes && !changed {
						t.Errorf("%s: with no fence the observation saw no change (err %v)", a.name, err)
					}
				case strings.IndexByte(a.by, run.fence) >= 0:
					if changed {
						t.Errorf("%s: escaped the %s fence (err %v): %s", a.name, run.name, err, diff(before, after))
					}
				}
				if changed {
					fresh()
				}
			}
		})
	}
}

// TestRefusalsNameTheFence checks the allow-list's messages and that a
// refused script sends nothing.
func TestRefusalsNameTheFence(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	cfg, _, _ := pg.ParseConnString(e.url)
	s, err := Open(ctx, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	for _, c := range []struct{ sql, want string }{
		{"SELECT 1;\nDELETE FROM t", "DELETE is not a read-only statement"},
		{"SELECT pg_terminate_backend(1)", "function pg_terminate_backend signals another server process"},
		{"EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE executes the statement"},
		{"SELECT * FROM t FOR UPDATE", "FOR UPDATE/SHARE"},
		{"SELECT dblink_exec('x', 'y')", "function dblink_exec runs SQL on another connection"},
		{"SELECT lo_unlink(1)", "function lo_unlink"},
	} {
		_, err := s.Run(ctx, c.sql, RunOptions{})
		var se *StatementError
		if !errors.As(err, &se) || se.Fence != FenceAllowList || !strings.Contains(se.Err.Message, c.want) || se.Err.Hint == "" {
			t.Errorf("%q: got %v, want allow-list refusal %q with a hint", c.sql, err, c.want)
		}
	}
	// The DELETE refusal points at line 2, and the SELECT before it never ran.
	_, err = s.Run(ctx, "SELECT 1;\nDELETE FROM t", RunOptions{})
	var se *StatementError
	if errors.As(err, &se) && (se.Line != 2 || se.Column != 1 || se.Index != 1) {
		t.Errorf("position: %+v", se)
	}
	// A write reaching the server is refused by the server fence, SQLSTATE 25006.
	s.opts.off.allowList = true
	_, err = s.Run(ctx, "INSERT INTO t VALUES (9, 'x')", RunOptions{})
	if !errors.As(err, &se) || se.Fence != FenceServer || se.Err.SQLState != "25006" {
		t.Errorf("server fence: %v", err)
	}
}

// diff names the fields of the observation that changed.
func diff(a, b state) string {
	as, bs := strings.Fields(strings.Trim(fmt.Sprintf("%+v", a), "{}")), strings.Fields(strings.Trim(fmt.Sprintf("%+v", b), "{}"))
	var out []string
	for i := range as {
		if i < len(bs) && as[i] != bs[i] {
			out = append(out, as[i]+" -> "+bs[i])
		}
	}
	return strings.Join(out, ", ")
}
