package review

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pg)) }

// TestLiveReview reviews a migration against a real database: the catalog
// comes from catalog.Inspect plus row estimates, and EXPLAIN answers the
// database-backed rules.
func TestLiveReview(t *testing.T) {
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, `
		CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);
		CREATE INDEX accounts_email_idx ON accounts (email);
		INSERT INTO accounts SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 5000) g;
		ANALYZE accounts;
		CREATE TABLE audit (id bigint PRIMARY KEY);
		CREATE TABLE fresh (id bigint PRIMARY KEY);
		INSERT INTO fresh VALUES (1);
		CREATE ROLE other_owner;
		ALTER TABLE audit OWNER TO other_owner;
		CREATE ROLE reviewer LOGIN;
	`)
	ctx := context.Background()
	conn := pgtest.Conn(t, url)
	cat, version, err := LoadCatalog(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if version < 130000 || cat.Database == "" || !cat.Known {
		t.Fatalf("catalog metadata: version %d db %q known %v", version, cat.Database, cat.Known)
	}
	if a := cat.Table("public", "accounts"); a == nil || a.Rows < 4000 || len(a.Indexes) != 2 {
		t.Fatalf("accounts in catalog: %+v", a)
	}
	if f := cat.Table("public", "fresh"); f == nil || f.Rows != 1 {
		t.Fatalf("fresh (never analyzed, one row) should be probed to have rows: %+v", f)
	}
	if a := cat.Table("public", "audit"); a == nil || a.Rows != 0 || a.Owner != "other_owner" {
		t.Fatalf("audit should be empty and owned by other_owner: %+v", a)
	}
	src := strings.Join([]string{
		"ALTER TABLE accounts ADD COLUMN tenant bigint NOT NULL;", // 1: table has rows
		"ALTER TABLE audit ADD COLUMN tenant bigint NOT NULL;",    // 2: empty table: fine
		"UPDATE accounts SET email = lower(email) WHERE id > 10;", // 3: ~5000 rows
		"UPDATE accounts SET emial = 'x' WHERE id = 1;",           // 4: dry run fails
		"ALTER TABLE accounts ALTER COLUMN nope SET NOT NULL;",    // 5: no such column
		"CREATE INDEX accounts_email_idx2 ON accounts (email);",   // 6: redundant
		"ALTER TABLE audit ADD COLUMN note text;",                 // 7: owned by other_owner
	}, "\n")
	reg := NewRegistry()
	pol := &Policy{Rules: []RuleConfig{
		{ID: "column.add-not-null-require-default", Level: Error},
		{ID: "statement.affected-row-limit", Level: Warning, Payload: &Payload{Number: 1000}},
		{ID: "statement.dml-dry-run", Level: Error},
		{ID: "column.must-exist", Level: Error},
		{ID: "index.no-redundant", Level: Warning},
		{ID: "statement.object-owner-check", Level: Warning},
	}}
	// Review as a role that owns nothing, so ownership matters.
	pgtest.MustExec(t, url, "GRANT SELECT, UPDATE ON accounts TO reviewer")
	if _, err := conn.Exec(ctx, "SET ROLE reviewer"); err != nil {
		t.Fatal(err)
	}
	res, err := reg.Review(ctx, src, Options{Policy: pol, Catalog: cat, Live: &PGLive{Conn: conn}, ServerVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int{}
	for _, a := range res.Advice {
		got[a.Rule] = append(got[a.Rule], a.Line)
	}
	want := map[string][]int{
		"column.add-not-null-require-default": {1},
		"statement.affected-row-limit":        {3},
		"statement.dml-dry-run":               {4},
		"column.must-exist":                   {4, 5},
		"index.no-redundant":                  {6},
		"statement.object-owner-check":        {1, 2, 5, 6, 7},
	}
	for rule, lines := range want {
		if !equalInts(got[rule], lines) {
			t.Errorf("%s: lines %v, want %v (all: %v)", rule, got[rule], lines, res.Advice)
		}
	}
	for _, a := range res.Advice {
		if a.Rule == "statement.dml-dry-run" && !strings.Contains(a.Message, "emial") {
			t.Errorf("dry run message should carry the server error: %s", a.Message)
		}
	}
}

// TestNonTransactionalOracle asks PostgreSQL itself: each statement runs
// inside BEGIN ... ROLLBACK, and SQLSTATE 25001 (active_sql_transaction)
// must come back exactly for the statements we flag as non-transactional.
func TestNonTransactionalOracle(t *testing.T) {
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, `
		CREATE TABLE plain (id int PRIMARY KEY, a int);
		CREATE INDEX plain_a_idx ON plain (a);
		CREATE TABLE parted (id int, at date) PARTITION BY RANGE (at);
		CREATE TABLE parted_2024 PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
		CREATE INDEX parted_at_idx ON parted (at);
		CREATE TYPE mood AS ENUM ('sad', 'happy');
	`)
	ctx := context.Background()
	conn := pgtest.Conn(t, url)
	cat, version, err := LoadCatalog(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	var dbname string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&dbname); err != nil {
		t.Fatal(err)
	}
	stmts := []string{
		"CREATE INDEX CONCURRENTLY c1 ON plain (a)",
		"CREATE INDEX c2 ON plain (a)",
		"DROP INDEX CONCURRENTLY plain_a_idx",
		"DROP INDEX plain_a_idx",
		"REINDEX INDEX CONCURRENTLY plain_a_idx",
		"REINDEX INDEX plain_a_idx",
		"REINDEX TABLE plain",
		"REINDEX TABLE parted",
		"REINDEX SCHEMA public",
		"REINDEX DATABASE " + dbname,
		"REINDEX SYSTEM " + dbname,
		"VACUUM plain",
		"VACUUM (ANALYZE) plain",
		"ANALYZE plain",
		"CLUSTER",
		"CLUSTER plain USING plain_pkey",
		"CLUSTER parted USING parted_at_idx",
		"CREATE DATABASE oracle_never_created",
		"DROP DATABASE IF EXISTS oracle_never_created",
		"CREATE TABLESPACE oracle_ts LOCATION '/nonexistent'",
		"DROP TABLESPACE IF EXISTS oracle_ts",
		"ALTER SYSTEM SET work_mem = '4MB'",
		"ALTER TYPE mood ADD VALUE 'meh'",
		"ALTER TABLE parted DETACH PARTITION parted_2024 CONCURRENTLY",
		"ALTER TABLE parted DETACH PARTITION parted_2024",
		"DISCARD ALL",
		"DISCARD PLANS",
		"ALTER DATABASE " + dbname + " SET TABLESPACE pg_default",
		"ALTER DATABASE " + dbname + " SET work_mem = '4MB'",
		"CREATE TABLE t_in_tx (id int)",
		"TRUNCATE plain",
	}
	reg := NewRegistry()
	pol := &Policy{Rules: []RuleConfig{{ID: "statement.non-transactional", Level: Warning}}}
	for _, s := range stmts {
		res, err := reg.Review(ctx, s, Options{Policy: pol, Catalog: cat, ServerVersion: version})
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		flagged := len(res.Advice) > 0
		if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		_, execErr := conn.Exec(ctx, s)
		if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		refused := execErr != nil && strings.Contains(execErr.Error(), "SQLSTATE 25001")
		if flagged != refused {
			t.Errorf("%s: flagged non-transactional %v, but PostgreSQL %d in a transaction block says: %v", s, flagged, version, execErr)
		}
	}
}

// TestFailsAtRolloutOracle asks PostgreSQL which statements fail: each runs
// inside BEGIN ... ROLLBACK on a real database, and the rules that predict
// a failure must fire exactly when the server returns their SQLSTATE.
func TestFailsAtRolloutOracle(t *testing.T) {
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, `
		CREATE TABLE filled (id int PRIMARY KEY, name text);
		INSERT INTO filled VALUES (1, 'a'), (2, 'b');
		CREATE TABLE vacant (id int PRIMARY KEY, name text);
	`)
	ctx := context.Background()
	conn := pgtest.Conn(t, url)
	cat, version, err := LoadCatalog(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	predicts := map[string]string{ // SQLSTATE -> rule that predicts it
		"42703": "column.must-exist",
		"42P01": "table.must-exist",
		"42P07": "table.must-exist",
		"23502": "column.add-not-null-require-default",
		"42701": "statement.no-duplicate-column-assignment",
		"42601": "statement.no-duplicate-column-assignment", // multiple assignments to same column
	}
	stmts := []string{
		"ALTER TABLE filled ADD COLUMN tenant int NOT NULL",
		"ALTER TABLE vacant ADD COLUMN tenant int NOT NULL",
		"ALTER TABLE filled ADD COLUMN tenant int NOT NULL DEFAULT 0",
		"ALTER TABLE filled ALTER COLUMN nmae SET NOT NULL",
		"ALTER TABLE filled ALTER COLUMN name SET NOT NULL",
		"ALTER TABLE filled DROP COLUMN nope",
		"ALTER TABLE filled DROP COLUMN IF EXISTS nope",
		"ALTER TABLE filled RENAME COLUMN nope TO x",
		"CREATE INDEX ON filled (nope)",
		"COMMENT ON COLUMN filled.nope IS 'x'",
		"UPDATE filled SET nope = 1 WHERE id = 1",
		"UPDATE filled SET name = 'x', name = 'y' WHERE id = 1",
		"INSERT INTO filled (id, id) VALUES (1, 2)",
		"INSERT INTO filled (id, nope) VALUES (3, 1)",
		"ALTER TABLE missing ADD COLUMN x int",
		"ALTER TABLE IF EXISTS missing ADD COLUMN x int",
		"CREATE INDEX ON missing (x)",
		"DROP TABLE missing",
		"DROP TABLE IF EXISTS missing",
		"TRUNCATE missing",
		"DELETE FROM missing WHERE true",
		"CREATE TABLE filled (id int)",
		"CREATE TABLE IF NOT EXISTS filled (id int)",
	}
	reg := NewRegistry()
	pol := &Policy{}
	for _, id := range []string{"column.must-exist", "table.must-exist", "column.add-not-null-require-default", "statement.no-duplicate-column-assignment"} {
		pol.Rules = append(pol.Rules, RuleConfig{ID: id, Level: Error})
	}
	for _, s := range stmts {
		res, err := reg.Review(ctx, s, Options{Policy: pol, Catalog: cat, ServerVersion: version})
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		fired := map[string]bool{}
		for _, a := range res.Advice {
			fired[a.Rule] = true
		}
		if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		_, execErr := conn.Exec(ctx, s)
		if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		want := ""
		if execErr != nil {
			for code, rule := range predicts {
				if strings.Contains(execErr.Error(), "SQLSTATE "+code) {
					want = rule
				}
			}
			if want == "" {
				t.Fatalf("%s: unexpected server error %v", s, execErr)
			}
		}
		for rule := range fired {
			if rule != want {
				t.Errorf("%s: %s fired but the server says %v", s, rule, execErr)
			}
		}
		if want != "" && !fired[want] {
			t.Errorf("%s: the server fails with %v but %s did not fire", s, execErr, want)
		}
	}
}
