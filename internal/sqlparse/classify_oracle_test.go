package sqlparse_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"gopkg.in/yaml.v3"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

// oracleCase is one script whose statements are compared: prelude runs
// first without being compared (the objects body needs), then body.
type oracleCase struct {
	name            string // for messages: corpus path, plus the case number
	prelude, body   string
	preludeOptional bool // prelude statements may fail (a migra a.sql under its additions)
}

// oracleGroup is one corpus file: its cases share a scratch database and
// the setup, and each starts from the state setup left (the one before it
// is rolled back).
type oracleGroup struct {
	name   string // corpus-relative path
	source string // "schemas", "migra-fixtures", "bytebase-sql-review"
	setup  string
	cases  []oracleCase
}

// bytebaseSetup is the catalog Bytebase's review cases assume (their README):
// so that their statements run rather than fail on missing tables.
const bytebaseSetup = `
CREATE SCHEMA bbdataarchive;
CREATE TABLE tech_book (id integer, name text, creator text,
	CONSTRAINT old_pk PRIMARY KEY (id, name), CONSTRAINT old_uk UNIQUE (id, name));
CREATE INDEX old_index ON tech_book (id, name);
CREATE TABLE orders (order_id integer PRIMARY KEY, customer_name text, amount numeric, note text, name text);
CREATE INDEX idx_orders_customer ON orders (customer_name);
CREATE INDEX idx_orders_amount ON orders (amount);
CREATE TABLE products (product_id integer PRIMARY KEY, title text, price numeric);
CREATE INDEX idx_products_price ON products (price);
CREATE TABLE no_index_table (col_a integer, col_b integer);
CREATE TABLE insert_target (id integer, name text);
`

// corpusGroups reads the corpora: each schema file, each migra fixture
// (a.sql and b.sql from an empty database, additions.sql on top of a.sql)
// and each Bytebase review file (every case on the catalog above).
func corpusGroups(t *testing.T) []oracleGroup {
	t.Helper()
	dir := testcorpus.Dir(t)
	read := func(parts ...string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(append([]string{dir}, parts...)...))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var groups []oracleGroup
	for _, name := range []string{"pagila.sql", "danbooru.sql"} {
		rel := "schemas/" + name
		groups = append(groups, oracleGroup{name: rel, source: "schemas",
			cases: []oracleCase{{name: rel, body: read("schemas", name)}}})
	}
	fixtures, err := os.ReadDir(filepath.Join(dir, "migra-fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range fixtures {
		if !e.IsDir() {
			continue
		}
		rel := "migra-fixtures/" + e.Name()
		a := read("migra-fixtures", e.Name(), "a.sql")
		g := oracleGroup{name: rel, source: "migra-fixtures", cases: []oracleCase{
			{name: rel + "/a.sql", body: a},
			{name: rel + "/b.sql", body: read("migra-fixtures", e.Name(), "b.sql")},
		}}
		if add, err := os.ReadFile(filepath.Join(dir, "migra-fixtures", e.Name(), "additions.sql")); err == nil {
			g.cases = append(g.cases, oracleCase{name: rel + "/additions.sql", prelude: a, preludeOptional: true, body: string(add)})
		}
		groups = append(groups, g)
	}
	files, err := filepath.Glob(filepath.Join(dir, "bytebase-sql-review", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		rel := "bytebase-sql-review/" + filepath.Base(f)
		var list []struct {
			Statement string `yaml:"statement"`
		}
		if err := yaml.Unmarshal([]byte(read("bytebase-sql-review", filepath.Base(f))), &list); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		g := oracleGroup{name: rel, source: "bytebase-sql-review", setup: bytebaseSetup}
		for i, c := range list {
			g.cases = append(g.cases, oracleCase{name: fmt.Sprintf("%s case %d", rel, i+1), body: c.Statement})
		}
		groups = append(groups, g)
	}
	if len(groups) < 80 {
		t.Fatalf("only %d corpus files found in %s", len(groups), dir)
	}
	return groups
}

// oraclePrelude runs in each scratch database before the corpus: an event
// trigger reports the command tag of every DDL command as a notice, so that
// commands whose completion PostgreSQL spells "SELECT n" (CREATE TABLE AS)
// are checked against their real tag too.
const oraclePrelude = `
CREATE SCHEMA IF NOT EXISTS tidemark_oracle;
CREATE OR REPLACE FUNCTION tidemark_oracle.tag() RETURNS event_trigger LANGUAGE plpgsql
	SET client_min_messages = notice
	AS $$ BEGIN RAISE NOTICE 'tidemark-oracle-tag:%', tg_tag; END $$;
DO $$ BEGIN
	IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'tidemark_oracle_tag') THEN
		CREATE EVENT TRIGGER tidemark_oracle_tag ON ddl_command_end EXECUTE FUNCTION tidemark_oracle.tag();
	END IF;
END $$;
`

const tagNotice = "tidemark-oracle-tag:"

// oracleConn is a connection to a scratch database that collects the event
// trigger's tags.
type oracleConn struct {
	pc     *pgconn.PgConn
	events []string
}

func dialOracle(ctx context.Context, t *testing.T, url string) *oracleConn {
	t.Helper()
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	oc := &oracleConn{}
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		if tag, ok := strings.CutPrefix(n.Message, tagNotice); ok {
			oc.events = append(oc.events, tag)
		}
	}
	pc, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { pc.Close(context.Background()) })
	oc.pc = pc
	if err := oc.exec(ctx, oraclePrelude); err != nil {
		t.Fatalf("oracle prelude: %v", err)
	}
	return oc
}

// exec runs harness SQL (savepoints and the like), which must not fail.
func (oc *oracleConn) exec(ctx context.Context, sql string) error {
	_, err := oc.pc.Exec(ctx, sql).ReadAll()
	return err
}

// run executes one corpus statement and returns PostgreSQL's completion
// tag and the tag the event trigger saw last ("" when it did not fire).
func (oc *oracleConn) run(ctx context.Context, st *sqlparse.Statement) (completion, event string, err error) {
	oc.events = oc.events[:0]
	var tag pgconn.CommandTag
	switch cp := st.Node.GetCopyStmt(); {
	case cp != nil && cp.IsFrom && cp.Filename == "" && !cp.IsProgram:
		tag, err = oc.pc.CopyFrom(ctx, strings.NewReader(st.Data), st.Text)
	case cp != nil && !cp.IsFrom && cp.Filename == "" && !cp.IsProgram:
		tag, err = oc.pc.CopyTo(ctx, io.Discard, st.Text)
	default:
		var res []*pgconn.Result
		res, err = oc.pc.Exec(ctx, st.Text).ReadAll()
		if err == nil && len(res) > 0 {
			tag = res[len(res)-1].CommandTag
		}
	}
	if len(oc.events) > 0 {
		event = oc.events[len(oc.events)-1]
	}
	return serverTag(tag.String()), event, err
}

// serverTag reduces a completion tag to its command: "INSERT 0 3" -> "INSERT".
func serverTag(tag string) string {
	f := strings.Fields(tag)
	for len(f) > 0 && strings.Trim(f[len(f)-1], "0123456789") == "" {
		f = f[:len(f)-1]
	}
	return strings.Join(f, " ")
}

// rowsCompletion are the commands whose completion PostgreSQL reports as
// "SELECT n" (the rows they stored) although their command tag, the one
// event triggers and pg_stat_statements see, is their own.
var rowsCompletion = map[string]bool{"CREATE TABLE AS": true, "CREATE MATERIALIZED VIEW": true, "SELECT INTO": true}

// excluded says why a statement is not run at all, or "".
func excluded(st *sqlparse.Statement) string {
	if st.Node == nil {
		return "psql meta-command"
	}
	switch s := st.Node.Node.(type) {
	case *pg_query.Node_CreatedbStmt, *pg_query.Node_DropdbStmt, *pg_query.Node_AlterSystemStmt,
		*pg_query.Node_CreateTableSpaceStmt, *pg_query.Node_DropTableSpaceStmt,
		*pg_query.Node_CreateSubscriptionStmt, *pg_query.Node_AlterSubscriptionStmt, *pg_query.Node_DropSubscriptionStmt:
		return "acts on the whole cluster"
	case *pg_query.Node_AlterDatabaseStmt:
		if st.NonTransactional {
			return "acts on the whole cluster"
		}
	case *pg_query.Node_CopyStmt:
		if s.CopyStmt.Filename != "" || s.CopyStmt.IsProgram {
			return "COPY with a server file or program"
		}
	case *pg_query.Node_TransactionStmt:
		switch s.TransactionStmt.Kind {
		case pg_query.TransactionStmtKind_TRANS_STMT_PREPARE, pg_query.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED,
			pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
			return "two-phase commit"
		}
	}
	return ""
}

// oracleStats counts what the oracle did.
type oracleStats struct {
	compared   map[string]int // by source
	confirmed  int            // compared also with the event trigger's tag
	outside    int            // compared outside a transaction block
	txControl  int            // transaction control compared on a connection of its own
	rejected   map[string]int // by SQLSTATE: PostgreSQL refused the statement, not compared
	unparsed   int            // cases PostgreSQL's parser rejects
	excluded   map[string]int // by reason
	mismatches map[string]int
}

// TestClassifyMatchesServerTags is an oracle for Classify: every statement of
// the corpora runs on a scratch database inside a transaction that is rolled
// back — each behind a savepoint, in script order so later statements see
// earlier objects — and the tag PostgreSQL gives it (its completion, and for
// DDL the tag an event trigger sees) must equal Classify's.
//
// Statements PostgreSQL rejects are counted, not compared. Statements that
// cannot run in a transaction block must be refused inside one (an oracle for
// IsNonTransactional), and are then compared by replaying what precedes them
// on another scratch database without a transaction. Transaction control is
// compared on a connection of its own. Statements acting on the whole cluster
// and two-phase commit are left out, with the reason counted.
func TestClassifyMatchesServerTags(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	pgtest.MustExec(t, srv.AdminURL, `DO $$ BEGIN CREATE ROLE schemainspect_test_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$`)
	var version int
	if err := pgtest.Conn(t, srv.AdminURL).QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		t.Fatal(err)
	}
	st := oracleStats{compared: map[string]int{}, rejected: map[string]int{}, excluded: map[string]int{}, mismatches: map[string]int{}}
	for _, g := range corpusGroups(t) {
		runGroup(ctx, t, g, version, &st)
	}
	total := 0
	for _, n := range st.compared {
		total += n
	}
	t.Logf("Classify oracle: %d statements compared with PostgreSQL's tag (%s), %d of them also with an event trigger's, %d outside a transaction block, %d transaction control",
		total, counts(st.compared), st.confirmed, st.outside, st.txControl)
	t.Logf("not compared: rejected by PostgreSQL %d (%s); left out %d (%s); cases PostgreSQL's parser rejects %d",
		sum(st.rejected), counts(st.rejected), sum(st.excluded), counts(st.excluded), st.unparsed)
	if len(st.mismatches) > 0 {
		t.Errorf("%d kinds of disagreement: %s", len(st.mismatches), counts(st.mismatches))
	}
	// A floor, so that a corpus which stops running cannot pass quietly.
	for src, min := range map[string]int{"schemas": 1100, "migra-fixtures": 240, "bytebase-sql-review": 340} {
		if st.compared[src] < min {
			t.Errorf("only %d statements of %s compared (want at least %d): the corpus did not run", st.compared[src], src, min)
		}
	}
}

// TestClassifyTagsOnServer covers tags the corpora do not use, each checked
// against both the tag written here and PostgreSQL's (completion or event
// trigger). Statements run in order in one transaction, each behind a
// savepoint, so a statement sees what the ones before it created.
func TestClassifyTagsOnServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	oc := dialOracle(ctx, t, srv.NewDB(t))
	for _, sql := range []string{"BEGIN", `CREATE TABLE t (a int CONSTRAINT a_pos CHECK (a > 0), x int);
		CREATE VIEW v AS SELECT a FROM t;
		CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
		CREATE DOMAIN d AS int CONSTRAINT d_pos CHECK (VALUE > 0);
		CREATE TYPE ty AS (a int);
		CREATE SEQUENCE s;
		CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
		CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';
		CREATE STATISTICS st ON a, x FROM t;`} {
		if err := oc.exec(ctx, sql); err != nil {
			t.Fatalf("setup: %v", err)
		}
	}
	// EXECUTE completes with the tag of the statement it executes.
	completions := map[string]string{"EXECUTE q": "SELECT"}
	for _, c := range []struct{ sql, want string }{
		{"ALTER TABLE t RENAME COLUMN a TO b", "ALTER TABLE"},
		{"ALTER VIEW v RENAME COLUMN a TO b", "ALTER VIEW"},
		{"ALTER MATERIALIZED VIEW mv RENAME COLUMN a TO b", "ALTER MATERIALIZED VIEW"},
		{"ALTER TABLE t RENAME CONSTRAINT a_pos TO a_positive", "ALTER TABLE"},
		{"ALTER DOMAIN d RENAME CONSTRAINT d_pos TO d_positive", "ALTER DOMAIN"},
		{"ALTER TYPE ty RENAME ATTRIBUTE a TO b", "ALTER TYPE"},
		{"ALTER TYPE ty ADD ATTRIBUTE c int", "ALTER TYPE"},
		{"ALTER TABLE t ALTER COLUMN b SET STATISTICS 100", "ALTER TABLE"},
		{"ALTER SEQUENCE s OWNED BY t.b", "ALTER SEQUENCE"},
		{"ALTER SEQUENCE s RENAME TO s2", "ALTER SEQUENCE"},
		{"ALTER TABLE s2 RENAME TO s3", "ALTER TABLE"},
		{"ALTER VIEW v SET SCHEMA public", "ALTER VIEW"},
		{"ALTER PROCEDURE p() RENAME TO p2", "ALTER PROCEDURE"},
		{"ALTER ROUTINE f() OWNER TO CURRENT_USER", "ALTER ROUTINE"},
		{"ALTER FUNCTION f() DEPENDS ON EXTENSION plpgsql", "ALTER FUNCTION"},
		{"ALTER STATISTICS st RENAME TO st2", "ALTER STATISTICS"},
		{"ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE pg_default", "ALTER INDEX"},
		{"ALTER MATERIALIZED VIEW ALL IN TABLESPACE pg_default SET TABLESPACE pg_default", "ALTER MATERIALIZED VIEW"},
		{"ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE pg_default", "ALTER TABLE"},
		{"CREATE TABLE ctas AS SELECT 1 AS a", "CREATE TABLE AS"},
		{"SELECT 1 AS a INTO selinto", "SELECT INTO"},
		{"CREATE MATERIALIZED VIEW mv2 AS SELECT 1 AS a", "CREATE MATERIALIZED VIEW"},
		{"DISCARD PLANS", "DISCARD PLANS"},
		{"DISCARD SEQUENCES", "DISCARD SEQUENCES"},
		{"DISCARD TEMP", "DISCARD TEMP"},
		{"PREPARE q AS SELECT 1", "PREPARE"},
		{"EXECUTE q", "EXECUTE"},
		{"DEALLOCATE q", "DEALLOCATE"},
		{"DEALLOCATE ALL", "DEALLOCATE ALL"},
		{"DECLARE c CURSOR FOR SELECT 1", "DECLARE CURSOR"},
		{"FETCH c", "FETCH"},
		{"MOVE c", "MOVE"},
		{"CLOSE c", "CLOSE CURSOR"},
		{"CLOSE ALL", "CLOSE CURSOR ALL"},
		{"SET CONSTRAINTS ALL DEFERRED", "SET CONSTRAINTS"},
		{"RESET ALL", "RESET"},
		{"TRUNCATE t", "TRUNCATE TABLE"},
	} {
		sts, err := sqlparse.Split(c.sql)
		if err != nil || len(sts) != 1 {
			t.Fatalf("%s: %d statements, %v", c.sql, len(sts), err)
		}
		s := &sts[0]
		if _, ours := sqlparse.Classify(s.Node); ours != c.want {
			t.Errorf("Classify(%s) = %q, want %q", c.sql, ours, c.want)
		}
		if err := oc.exec(ctx, "SAVEPOINT oracle_stmt"); err != nil {
			t.Fatal(err)
		}
		completion, event, err := oc.run(ctx, s)
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		if err := oc.exec(ctx, "RELEASE SAVEPOINT oracle_stmt"); err != nil {
			t.Fatal(err)
		}
		wantCompletion := c.want
		switch {
		case completions[c.sql] != "":
			wantCompletion = completions[c.sql]
		case rowsCompletion[c.want]:
			wantCompletion = "SELECT"
			if event != c.want {
				t.Errorf("%s: the event trigger saw %q, want %q", c.sql, event, c.want)
			}
		}
		if completion != wantCompletion || (event != "" && event != c.want) {
			t.Errorf("%s: PostgreSQL's completion %q, event trigger %q; want %q", c.sql, completion, event, c.want)
		}
	}
}

func runGroup(ctx context.Context, t *testing.T, g oracleGroup, version int, st *oracleStats) {
	t.Helper()
	url := srv.NewDB(t)
	oc := dialOracle(ctx, t, url)
	must := func(sql string) {
		t.Helper()
		if err := oc.exec(ctx, sql); err != nil {
			t.Fatalf("%s: %s: %v", g.name, sql, err)
		}
	}
	must("BEGIN")
	if g.setup != "" {
		must(g.setup)
	}
	for _, c := range g.cases {
		sts, err := sqlparse.Split(c.body)
		if err != nil {
			if g.source != "bytebase-sql-review" {
				t.Errorf("%s: %v", c.name, err)
			}
			st.unparsed++
			continue
		}
		must("SAVEPOINT oracle_case")
		if c.prelude != "" {
			pre, err := sqlparse.Split(c.prelude)
			if err != nil {
				t.Fatalf("%s: prelude: %v", c.name, err)
			}
			for i := range pre {
				if excluded(&pre[i]) != "" || pre[i].NonTransactional || pre[i].Kind == sqlparse.TransactionControl {
					continue
				}
				must("SAVEPOINT oracle_stmt")
				if _, _, err := oc.run(ctx, &pre[i]); err != nil {
					if !c.preludeOptional {
						t.Fatalf("%s: prelude line %d: %v", c.name, pre[i].Line, err)
					}
					must("ROLLBACK TO SAVEPOINT oracle_stmt")
				}
				must("RELEASE SAVEPOINT oracle_stmt")
			}
		}
		for i := range sts {
			s := &sts[i]
			if why := excluded(s); why != "" {
				st.excluded[why]++
				continue
			}
			if s.Kind == sqlparse.TransactionControl {
				compareTxControl(ctx, t, url, g.source, c.name, s, st)
				continue
			}
			must("SAVEPOINT oracle_stmt")
			completion, event, err := oc.run(ctx, s)
			if err != nil {
				must("ROLLBACK TO SAVEPOINT oracle_stmt")
			}
			must("RELEASE SAVEPOINT oracle_stmt")
			nonTx := sqlparse.IsNonTransactional(s.Node, version)
			code := sqlState(err)
			switch {
			case nonTx && err == nil:
				t.Errorf("%s:%d: IsNonTransactional says %s cannot run in a transaction block, but PostgreSQL ran it in one: %s", c.name, s.Line, s.Tag, firstLine(s.Text))
				st.mismatches["non-transactional ran in a transaction"]++
			case nonTx:
				if code != "25001" {
					t.Logf("%s:%d: %s inside a transaction block failed with %v (not 25001)", c.name, s.Line, s.Tag, err)
				}
				compareOutside(ctx, t, g, c, sts[:i], s, st)
			case code == "25001":
				// REINDEX or CLUSTER of a partitioned table need the catalog to tell.
				if s.Node.GetReindexStmt() == nil && s.Node.GetClusterStmt() == nil {
					t.Errorf("%s:%d: PostgreSQL refuses %s in a transaction block but IsNonTransactional does not say so: %s", c.name, s.Line, s.Tag, firstLine(s.Text))
					st.mismatches["non-transactional not flagged"]++
				}
				compareOutside(ctx, t, g, c, sts[:i], s, st)
			case err != nil:
				st.rejected[code]++
			default:
				if compare(t, c.name, s, completion, event, st) {
					st.compared[g.source]++
				}
			}
		}
		must("ROLLBACK TO SAVEPOINT oracle_case")
		must("RELEASE SAVEPOINT oracle_case")
	}
	must("ROLLBACK")
}

// compare checks Classify against PostgreSQL's completion tag and, when the
// event trigger fired for a DDL or DCL statement, against its tag.
func compare(t *testing.T, name string, s *sqlparse.Statement, completion, event string, st *oracleStats) bool {
	t.Helper()
	kind, ours := sqlparse.Classify(s.Node)
	if kind != s.Kind || ours != s.Tag {
		t.Errorf("%s:%d: Split says %v %q, Classify %v %q", name, s.Line, s.Kind, s.Tag, kind, ours)
	}
	want := completion
	if ours == "EXECUTE" {
		// EXECUTE completes with the prepared statement's tag; its own
		// tag appears nowhere to compare with.
		st.excluded["EXECUTE (completes with the prepared statement's tag)"]++
		return false
	}
	if rowsCompletion[ours] && completion == "SELECT" {
		want = event // the completion says SELECT n; the command's tag is the event trigger's
		if event == "" {
			t.Errorf("%s:%d: no event trigger tag for %q: %s", name, s.Line, ours, firstLine(s.Text))
		}
	}
	if ours != want {
		key := ours + " != " + want
		if st.mismatches[key]++; st.mismatches[key] == 1 {
			t.Errorf("%s:%d: Classify says %q, PostgreSQL %q: %s", name, s.Line, ours, want, firstLine(s.Text))
		}
		return true
	}
	if event == "" || (kind != sqlparse.DDL && kind != sqlparse.DCL) {
		return true
	}
	st.confirmed++
	if ours != event {
		key := ours + " != event " + event
		if st.mismatches[key]++; st.mismatches[key] == 1 {
			t.Errorf("%s:%d: Classify says %q, the event trigger %q: %s", name, s.Line, ours, event, firstLine(s.Text))
		}
	}
	return true
}

// compareOutside runs a statement that cannot run in a transaction block on
// a scratch database of its own, after replaying (without a transaction,
// errors ignored) the setup, the case's prelude and the statements before it.
func compareOutside(ctx context.Context, t *testing.T, g oracleGroup, c oracleCase, before []sqlparse.Statement, s *sqlparse.Statement, st *oracleStats) {
	t.Helper()
	oc := dialOracle(ctx, t, srv.NewDB(t))
	var replay []sqlparse.Statement
	for _, src := range []string{g.setup, c.prelude} {
		if src == "" {
			continue
		}
		sts, err := sqlparse.Split(src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		replay = append(replay, sts...)
	}
	for _, p := range append(replay, before...) {
		if excluded(&p) == "" && p.Kind != sqlparse.TransactionControl {
			_, _, _ = oc.run(ctx, &p) // what fails here failed, or was compared, in the transaction too
		}
	}
	completion, event, err := oc.run(ctx, s)
	if err != nil {
		st.rejected[sqlState(err)]++
		return
	}
	if compare(t, c.name, s, completion, event, st) {
		st.compared[g.source]++
		st.outside++
	}
}

// compareTxControl runs a transaction-control statement on a connection of
// its own, in the state it needs: savepoint commands inside a transaction
// that has the savepoint, the others outside any.
func compareTxControl(ctx context.Context, t *testing.T, url, source, name string, s *sqlparse.Statement, st *oracleStats) {
	t.Helper()
	oc := dialOracle(ctx, t, url)
	ts := s.Node.GetTransactionStmt()
	switch ts.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		if err := oc.exec(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE, pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		if err := oc.exec(ctx, "BEGIN; SAVEPOINT "+pgQuoteIdent(ts.SavepointName)); err != nil {
			t.Fatal(err)
		}
	}
	completion, event, err := oc.run(ctx, s)
	if err != nil {
		st.rejected[sqlState(err)]++
		return
	}
	if compare(t, name, s, completion, event, st) {
		st.txControl++
		st.compared[source]++
	}
}

func pgQuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	if err == nil {
		return ""
	}
	return "no SQLSTATE"
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + strconv.Itoa(m[k])
	}
	return strings.Join(parts, ", ")
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
