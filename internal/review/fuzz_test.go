package review

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

// checkReview reviews src with every rule enabled (opt-in ones too) on the
// test catalog and checks the advice is well-formed.
func checkReview(t *testing.T, reg *Registry, src string) {
	t.Helper()
	pol := &Policy{}
	for _, r := range reg.Rules() {
		pol.Rules = append(pol.Rules, RuleConfig{ID: r.ID, Level: Warning})
	}
	res, err := reg.Review(context.Background(), src, Options{Policy: pol, Catalog: testCatalog(), Live: &fakeLive{Rows: 10}})
	if err != nil {
		var se *sqlparse.SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("review error that is not a syntax error: %v", err)
		}
		return
	}
	lines := 1
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			lines++
		}
	}
	for _, a := range res.Advice {
		if a.Line < 1 || a.Line > lines || a.Column < 1 || a.Message == "" || a.Title == "" {
			t.Fatalf("malformed advice %+v", a)
		}
		if sp := a.Statement; sp.End != 0 && (sp.Start < 0 || sp.End > len(src) || sp.Start > sp.End || sp.Line > lines) {
			t.Fatalf("statement span out of range: %+v", a)
		}
	}
}

func FuzzReview(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t (id int PRIMARY KEY, name text);\nCREATE INDEX ON t (name);",
		"\\connect x\nALTER TABLE users ADD COLUMN x int NOT NULL;",
		"BEGIN; CREATE INDEX CONCURRENTLY i ON users (email); COMMIT;",
		"WITH a AS (SELECT * FROM orders WHERE upper(customer_name) = 'x') DELETE FROM tech_book USING a WHERE tech_book.id = a.order_id;",
		"ALTER TABLE tech_book RENAME CONSTRAINT old_pk TO pk; ALTER INDEX old_index RENAME TO i; DROP TABLE tech_book;",
		"COPY t FROM stdin;\n1\n\\.\nCOMMENT ON COLUMN users.email IS 'x'; -- tidemark:ignore column.comment",
		"MERGE INTO orders o USING products p ON o.order_id = p.product_id WHEN MATCHED AND o.amount * 2 > 1 THEN DELETE;",
		"ALTER TYPE mood ADD VALUE 'x' BEFORE 'y'; ALTER SCHEMA s RENAME TO s2; ALTER FUNCTION f() RENAME TO g;",
	} {
		f.Add(s)
	}
	reg := NewRegistry()
	f.Fuzz(func(t *testing.T, src string) {
		checkReview(t, reg, src)
	})
}

// TestReviewCorpusFiles reviews every SQL file of the shared corpus with
// every rule enabled: real schemas must review without failing.
func TestReviewCorpusFiles(t *testing.T) {
	dir := testcorpus.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "schemas", "*.sql"))
	more, _ := filepath.Glob(filepath.Join(dir, "migra-fixtures", "*", "*.sql"))
	reg := NewRegistry()
	for _, fn := range append(files, more...) {
		b, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(filepath.Dir(fn))+"/"+filepath.Base(fn), func(t *testing.T) {
			checkReview(t, reg, string(b))
		})
	}
}

// statementZoo covers many statement shapes (and optional parts left out),
// so no rule trips over a field the parser leaves empty.
var statementZoo = []string{
	"ALTER TABLE ALL IN TABLESPACE a SET TABLESPACE b",
	"ALTER TABLE IF EXISTS nope RENAME TO x",
	"ALTER TABLE users ALTER COLUMN email SET STATISTICS 100",
	"ALTER TABLE users ALTER email TYPE text USING email::text",
	"ALTER TABLE users ADD COLUMN IF NOT EXISTS x int GENERATED ALWAYS AS (1) STORED",
	"ALTER TABLE users ADD CONSTRAINT x EXCLUDE USING gist (id WITH =)",
	"ALTER TABLE users DROP CONSTRAINT IF EXISTS nope",
	"ALTER TABLE users ENABLE ROW LEVEL SECURITY",
	"ALTER TABLE users OWNER TO bob",
	"ALTER TABLE users SET SCHEMA other",
	"ALTER TABLE users ATTACH PARTITION p FOR VALUES IN (1)",
	"ALTER INDEX users_email_idx SET TABLESPACE t",
	"ALTER INDEX IF EXISTS nope RENAME TO x",
	"ALTER SEQUENCE s RESTART",
	"ALTER VIEW v RENAME COLUMN a TO b",
	"ALTER MATERIALIZED VIEW mv RENAME TO mv2",
	"ALTER SCHEMA s RENAME TO s2",
	"ALTER FUNCTION f(int) RENAME TO g",
	"ALTER TYPE t RENAME ATTRIBUTE a TO b",
	"ALTER TYPE t ADD ATTRIBUTE c int",
	"ALTER DOMAIN d DROP CONSTRAINT c",
	"ALTER DATABASE db SET work_mem = '1MB'",
	"ALTER ROLE r SET search_path = a, b",
	"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO r",
	"CREATE TABLE p (a int) PARTITION BY LIST (a)",
	"CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)",
	"CREATE TABLE l (LIKE users INCLUDING ALL)",
	"CREATE TABLE c () INHERITS (users)",
	"CREATE TEMP TABLE tt ON COMMIT DROP AS SELECT 1",
	"CREATE UNLOGGED TABLE u (a int)",
	"CREATE TABLE IF NOT EXISTS users (id int)",
	"CREATE TABLE t (a int CHECK (a > 0), b int REFERENCES users, UNIQUE (a, b), EXCLUDE (a WITH =))",
	"CREATE TABLE t (a int COLLATE \"C\", b text[] DEFAULT '{}', c numeric(10,2), d timestamptz(3), e bit(3))",
	"CREATE MATERIALIZED VIEW mv AS SELECT * FROM users WITH NO DATA",
	"CREATE OR REPLACE VIEW v (a) AS SELECT 1",
	"CREATE INDEX ON users ((lower(email))) WHERE id > 0",
	"CREATE UNIQUE INDEX IF NOT EXISTS u ON users USING btree (email) INCLUDE (id)",
	"CREATE SEQUENCE IF NOT EXISTS s",
	"CREATE SCHEMA IF NOT EXISTS s AUTHORIZATION bob",
	"CREATE SCHEMA AUTHORIZATION bob",
	"CREATE TYPE t AS (a int)",
	"CREATE TYPE r AS RANGE (subtype = int4)",
	"CREATE DOMAIN d AS text NOT NULL",
	"CREATE EXTENSION IF NOT EXISTS pg_trgm",
	"CREATE TRIGGER tr BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f()",
	"CREATE POLICY p ON users USING (true)",
	"CREATE RULE r AS ON INSERT TO users DO INSTEAD NOTHING",
	"CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
	"CREATE DATABASE d TEMPLATE template0 LOCALE 'C'",
	"CREATE STATISTICS s ON id, email FROM users",
	"CREATE PUBLICATION p FOR ALL TABLES",
	"COMMENT ON SCHEMA public IS 'x'",
	"COMMENT ON INDEX users_email_idx IS 'x'",
	"COMMENT ON CONSTRAINT users_pkey ON users IS 'x'",
	"COMMENT ON FUNCTION f(int) IS NULL",
	"DROP INDEX IF EXISTS a, b",
	"DROP FUNCTION IF EXISTS f(int), g",
	"DROP TYPE IF EXISTS t CASCADE",
	"DROP SCHEMA s CASCADE",
	"DROP OWNED BY bob",
	"DROP TRIGGER tr ON users",
	"DROP VIEW IF EXISTS v",
	"DROP TABLESPACE IF EXISTS t",
	"GRANT SELECT ON ALL TABLES IN SCHEMA public TO r",
	"REVOKE ALL ON users FROM PUBLIC",
	"GRANT r TO bob",
	"SET search_path TO app, public",
	"SET LOCAL lock_timeout = '1s'",
	"RESET ALL",
	"SET ROLE NONE",
	"SET SESSION AUTHORIZATION DEFAULT",
	"SHOW work_mem",
	"EXPLAIN ANALYZE DELETE FROM users WHERE id = 1",
	"LOCK TABLE users IN ACCESS EXCLUSIVE MODE",
	"VACUUM (FULL, ANALYZE)",
	"ANALYZE",
	"CLUSTER",
	"REINDEX DATABASE d",
	"REINDEX (CONCURRENTLY) TABLE users",
	"REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
	"DO $$ BEGIN PERFORM 1; END $$",
	"CALL p()",
	"DISCARD ALL",
	"CHECKPOINT",
	"NOTIFY ch, 'x'",
	"PREPARE q AS SELECT $1",
	"EXECUTE q(1)",
	"DEALLOCATE ALL",
	"SAVEPOINT a",
	"ROLLBACK TO SAVEPOINT a",
	"RELEASE a",
	"END",
	"ABORT",
	"PREPARE TRANSACTION 'x'",
	"COMMIT PREPARED 'x'",
	"INSERT INTO users DEFAULT VALUES",
	"INSERT INTO users (id) VALUES (1) ON CONFLICT DO NOTHING RETURNING *",
	"INSERT INTO users (id) OVERRIDING SYSTEM VALUE VALUES (1)",
	"UPDATE users SET (id, email) = (SELECT 1, 'x') WHERE true",
	"UPDATE users SET a[1] = 1, a[2] = 2 WHERE id = 1",
	"UPDATE ONLY users SET id = 1 WHERE CURRENT OF c",
	"DELETE FROM ONLY users WHERE id IN (SELECT id FROM users)",
	"MERGE INTO users u USING (VALUES (1)) v(id) ON u.id = v.id WHEN NOT MATCHED THEN INSERT VALUES (v.id)",
	"SELECT * FROM users, LATERAL (SELECT * FROM orders WHERE abs(amount) > users.id) o WHERE true",
	"SELECT 1 FROM ROWS FROM (generate_series(1, 2)) g",
	"SELECT * FROM xmltable('/a' PASSING '<a/>' COLUMNS x int PATH 'x')",
	"SELECT count(*) FILTER (WHERE id > 1) OVER w FROM users WINDOW w AS (PARTITION BY email)",
	"TABLE users",
	"VALUES (1), (2)",
	"SELECT INTO newt FROM users",
	"COPY users TO STDOUT",
	"COPY (SELECT 1) TO STDOUT WITH (FORMAT csv)",
	"IMPORT FOREIGN SCHEMA s FROM SERVER x INTO public",
	"SECURITY LABEL ON TABLE users IS 'x'",
	"CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()",
	"CREATE CAST (int AS text) WITH INOUT",
	"CREATE AGGREGATE a (int) (SFUNC = f, STYPE = int)",
	"CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = f)",
	"CREATE COLLATION c (provider = icu, locale = 'und')",
	"CREATE FOREIGN TABLE ft (a int) SERVER s",
	"ALTER SUBSCRIPTION s REFRESH PUBLICATION",
}

func TestReviewStatementZoo(t *testing.T) {
	reg := NewRegistry()
	for _, s := range statementZoo {
		t.Run(s, func(t *testing.T) {
			checkReview(t, reg, s+";")
			if _, err := sqlparse.Split(s); err != nil {
				t.Errorf("zoo statement does not parse: %v", err)
			}
		})
	}
	// All at once, so the catalog simulation sees them in sequence.
	var all string
	for _, s := range statementZoo {
		all += s + ";\n"
	}
	checkReview(t, reg, all)
}

// FuzzReviewSequences reviews sequences of valid statements picked by the
// fuzzer from the statement zoo and the rule test cases, so catalog
// simulation meets renames, drops and re-creations in every order.
func FuzzReviewSequences(f *testing.F) {
	pool := append([]string(nil), statementZoo...)
	files, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.yaml"))
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			f.Fatal(err)
		}
		var rf ruleFile
		if err := yaml.Unmarshal(b, &rf); err == nil {
			for _, c := range rf.Cases {
				pool = append(pool, c.SQL)
			}
		}
	}
	f.Add([]byte{0, 1, 2, 3})
	f.Add([]byte{200, 17, 99, 5, 5, 140})
	reg := NewRegistry()
	f.Fuzz(func(t *testing.T, picks []byte) {
		if len(picks) > 64 {
			picks = picks[:64]
		}
		var src string
		for k := 0; k+1 < len(picks); k += 2 {
			src += pool[(int(picks[k])<<8|int(picks[k+1]))%len(pool)] + ";\n"
		}
		checkReview(t, reg, src)
	})
}
