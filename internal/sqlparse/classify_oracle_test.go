package sqlparse_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

// corpusScripts returns the corpus's SQL scripts: the schema files, the migra
// fixtures, and the statements of Bytebase's review cases.
func corpusScripts(t *testing.T) map[string]string {
	t.Helper()
	dir := testcorpus.Dir(t)
	out := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "schemas", "*.sql"))
	more, _ := filepath.Glob(filepath.Join(dir, "migra-fixtures", "*", "*.sql"))
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		out[rel] = string(b)
	}
	cases, _ := filepath.Glob(filepath.Join(dir, "bytebase-sql-review", "*.yaml"))
	for _, f := range cases {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var list []struct {
			Statement string `yaml:"statement"`
		}
		if err := yaml.Unmarshal(b, &list); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var all []string
		for _, c := range list {
			all = append(all, strings.TrimSpace(c.Statement))
		}
		rel, _ := filepath.Rel(dir, f)
		// each case separately terminated; they run one after the other
		out[rel] = strings.Join(all, ";\n") + ";\n"
	}
	if len(out) == 0 {
		t.Fatal("no corpus scripts")
	}
	return out
}

// serverTag reduces a command tag to its command: "INSERT 0 3" -> "INSERT".
func serverTag(tag string) string {
	f := strings.Fields(tag)
	for len(f) > 0 && strings.Trim(f[len(f)-1], "0123456789") == "" {
		f = f[:len(f)-1]
	}
	return strings.Join(f, " ")
}

// TestClassifyMatchesServerTags is an oracle for Classify: every statement
// of the corpora runs on a scratch database inside a transaction that is
// rolled back (each behind a savepoint, in script order so later statements
// see earlier objects), and the command tag PostgreSQL returns must equal
// the tag Classify gives. Statements PostgreSQL rejects are counted, not
// compared; statements that cannot run in a transaction block, transaction
// control and COPY FROM STDIN are left out with their reason.
func TestClassifyMatchesServerTags(t *testing.T) {
	ctx := context.Background()
	pgtest.MustExec(t, srv.AdminURL, `DO $$ BEGIN CREATE ROLE schemainspect_test_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$`)
	scripts := corpusScripts(t)
	names := make([]string, 0, len(scripts))
	for n := range scripts {
		names = append(names, n)
	}
	sort.Strings(names)
	var compared, rejected, skipped int
	mismatch := map[string]int{}
	for _, name := range names {
		sts, err := sqlparse.Split(scripts[name])
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		conn := pgtest.Conn(t, srv.NewDB(t))
		pc := conn.PgConn()
		if _, err := pc.Exec(ctx, "BEGIN").ReadAll(); err != nil {
			t.Fatal(err)
		}
		for _, st := range sts {
			if st.Node == nil || st.NonTransactional || st.Kind == sqlparse.TransactionControl || st.HasData ||
				st.Node.GetCopyStmt() != nil {
				skipped++
				continue
			}
			if _, err := pc.Exec(ctx, "SAVEPOINT oracle").ReadAll(); err != nil {
				t.Fatalf("%s: savepoint: %v", name, err)
			}
			res, err := pc.Exec(ctx, st.Text).ReadAll()
			if err != nil {
				rejected++
				if _, err := pc.Exec(ctx, "ROLLBACK TO SAVEPOINT oracle").ReadAll(); err != nil {
					t.Fatalf("%s: rollback to savepoint: %v", name, err)
				}
				continue
			}
			theirs := serverTag(res[len(res)-1].CommandTag.String())
			_, ours := sqlparse.Classify(st.Node)
			if theirs == "SELECT" && rowsCompletion[ours] {
				// PostgreSQL completes these with the rows they stored
				// ("SELECT 3"); their command tag, as event triggers and
				// pg_stat_statements see it, is the statement's own.
				theirs = ours
			}
			if ours != theirs {
				mismatch[ours+" != "+theirs]++
				if mismatch[ours+" != "+theirs] == 1 {
					t.Errorf("%s:%d: Classify says %q, PostgreSQL %q: %s", name, st.Line, ours, theirs, firstLine(st.Text))
				}
			}
			compared++
		}
		if _, err := pc.Exec(ctx, "ROLLBACK").ReadAll(); err != nil {
			t.Fatal(err)
		}
		conn.Close(ctx)
	}
	t.Logf("Classify oracle: %d statements compared with PostgreSQL's command tag, %d rejected by PostgreSQL (not compared), %d left out (non-transactional, transaction control, COPY data); %d kinds of disagreement",
		compared, rejected, skipped, len(mismatch))
	if compared < 1000 {
		t.Errorf("only %d statements compared: the corpus did not run", compared)
	}
}

// rowsCompletion are the commands whose completion PostgreSQL reports as
// "SELECT n" (ExecCreateTableAs) although their command tag is their own.
var rowsCompletion = map[string]bool{"CREATE TABLE AS": true, "CREATE MATERIALIZED VIEW": true, "SELECT INTO": true}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
