package review

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// rewriteBase is the schema every rewrite case starts from: tables with
// rows, so validation and index builds have work to do.
const rewriteBase = `
CREATE TABLE users (id bigint PRIMARY KEY, email text, tenant int);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, amount numeric, code text, note text);
INSERT INTO users SELECT g, 'u' || g || '@example.com', g % 7 FROM generate_series(1, 200) g;
INSERT INTO orders SELECT g, 1 + g % 200, g, 'c' || g, 'n' FROM generate_series(1, 500) g;
CREATE TABLE events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ANALYZE;
`

// rewriteCases are the dangerous statements with a standard safe form. want
// is the fixed file Fix prints with Tidemark's runner (units under
// tidemark:unit lines).
var rewriteCases = []struct {
	name, src, want string
	kept            []string // rules of statements kept as written
	wantPlan        bool     // an expand/contract plan in the advice
}{
	{name: "create index", src: "CREATE INDEX orders_user_idx ON orders (user_id);\n",
		want: "CREATE INDEX CONCURRENTLY orders_user_idx ON orders USING btree (user_id);\n"},
	{name: "create index among statements", src: "-- before\nALTER TABLE orders ADD COLUMN seen boolean;\n-- the index\nCREATE UNIQUE INDEX IF NOT EXISTS orders_code_idx ON orders (lower(code)) WHERE amount > 0;\nALTER TABLE orders DROP COLUMN note;\n",
		want: "-- tidemark:unit 1/3 (transactional): save as its own migration file, after the one before\n-- before\nALTER TABLE orders ADD COLUMN seen boolean;\n\n" +
			"-- tidemark:unit 2/3 (non-transactional): save as its own migration file, after the one before\n-- the index\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_code_idx ON orders USING btree (lower(code)) WHERE amount > 0;\n\n" +
			"-- tidemark:unit 3/3 (transactional): save as its own migration file, after the one before\nALTER TABLE orders DROP COLUMN note;\n"},
	{name: "foreign key", src: "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;\n",
		want: "-- tidemark:unit 1/2 (transactional): save as its own migration file, after the one before\nALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;\n\n" +
			"-- tidemark:unit 2/2 (transactional): save as its own migration file, after the one before\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;\n"},
	{name: "named check with another command", src: "ALTER TABLE orders ADD COLUMN fee numeric, ADD CONSTRAINT positive CHECK (amount > 0);\n",
		want: "-- tidemark:unit 1/2 (transactional): save as its own migration file, after the one before\nALTER TABLE orders ADD COLUMN fee numeric;\nALTER TABLE orders ADD CONSTRAINT positive CHECK (amount > 0) NOT VALID;\n\n" +
			"-- tidemark:unit 2/2 (transactional): save as its own migration file, after the one before\nALTER TABLE orders VALIDATE CONSTRAINT positive;\n"},
	{name: "unnamed check over two columns", src: "ALTER TABLE orders ADD CHECK (amount > 0 AND user_id > 0);\n",
		want: "-- tidemark:unit 1/2 (transactional): save as its own migration file, after the one before\nALTER TABLE orders ADD CONSTRAINT orders_check CHECK (amount > 0 AND user_id > 0) NOT VALID;\n\n" +
			"-- tidemark:unit 2/2 (transactional): save as its own migration file, after the one before\nALTER TABLE orders VALIDATE CONSTRAINT orders_check;\n"},
	{name: "set not null", src: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n",
		want: "-- tidemark:unit 1/2 (transactional): save as its own migration file, after the one before\nALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n\n" +
			"-- tidemark:unit 2/2 (transactional): save as its own migration file, after the one before\nALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_not_null;\n"},
	{name: "add unique", src: "ALTER TABLE orders ADD UNIQUE (code);\n",
		want: "-- tidemark:unit 1/2 (non-transactional): save as its own migration file, after the one before\nCREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON orders USING btree (code);\n\n" +
			"-- tidemark:unit 2/2 (transactional): save as its own migration file, after the one before\nALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_key;\n"},
	{name: "add column then unique on it", src: "ALTER TABLE users ADD COLUMN handle text, ADD CONSTRAINT users_handle_uq UNIQUE (handle);\n",
		want: "-- tidemark:unit 1/3 (transactional): save as its own migration file, after the one before\nALTER TABLE users ADD COLUMN handle text;\n\n" +
			"-- tidemark:unit 2/3 (non-transactional): save as its own migration file, after the one before\nCREATE UNIQUE INDEX CONCURRENTLY users_handle_uq ON users USING btree (handle);\n\n" +
			"-- tidemark:unit 3/3 (transactional): save as its own migration file, after the one before\nALTER TABLE users ADD CONSTRAINT users_handle_uq UNIQUE USING INDEX users_handle_uq;\n"},
	{name: "two foreign keys in order", src: "ALTER TABLE orders ADD CONSTRAINT a_fk FOREIGN KEY (user_id) REFERENCES users;\nALTER TABLE orders ADD CONSTRAINT b_fk FOREIGN KEY (user_id) REFERENCES users (id);\n",
		want: "-- tidemark:unit 1/3 (transactional): save as its own migration file, after the one before\nALTER TABLE orders ADD CONSTRAINT a_fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;\n\n" +
			"-- tidemark:unit 2/3 (transactional): save as its own migration file, after the one before\nALTER TABLE orders VALIDATE CONSTRAINT a_fk;\nALTER TABLE orders ADD CONSTRAINT b_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n\n" +
			"-- tidemark:unit 3/3 (transactional): save as its own migration file, after the one before\nALTER TABLE orders VALIDATE CONSTRAINT b_fk;\n"},
	{name: "type change keeps the statement and plans", src: "ALTER TABLE orders ALTER COLUMN user_id TYPE int;\n",
		want: "ALTER TABLE orders ALTER COLUMN user_id TYPE int;\n", kept: []string{"column.disallow-change-type"}, wantPlan: true},
	{name: "partitioned table index has no concurrent form", src: "CREATE INDEX events_at_idx ON events (at);\n",
		want: "CREATE INDEX events_at_idx ON events (at);\n"},
	{name: "table created in the file is not rewritten", src: "CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);\nALTER TABLE t ADD CHECK (a > 0);\n",
		want: "CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);\nALTER TABLE t ADD CHECK (a > 0);\n", kept: nil},
}

func reviewFor(t *testing.T, ctx context.Context, src string, runner string, cat *Catalog, version int) *Result {
	t.Helper()
	res, err := NewRegistry().Review(ctx, src, Options{Catalog: cat, ServerVersion: version, Runner: runner})
	if err != nil {
		t.Fatalf("review %q: %v", src, err)
	}
	return res
}

// TestFixRewrites checks each rewrite three ways on PostgreSQL: the fixed
// file is the expected text; applied unit by unit (transactional units in
// one transaction, non-transactional ones alone) to a copy of the base
// schema it leaves the same schema as the original statement (the catalog
// dumps are equal); and reviewed again, unit after unit, it draws no advice
// from the rules that asked for the rewrite.
func TestFixRewrites(t *testing.T) {
	ctx := context.Background()
	for _, tc := range rewriteCases {
		t.Run(tc.name, func(t *testing.T) {
			orig, fixed := pg.NewDB(t), pg.NewDB(t)
			pgtest.MustExec(t, orig, rewriteBase)
			pgtest.MustExec(t, fixed, rewriteBase)
			conn := pgtest.Conn(t, fixed)
			cat, version, err := LoadCatalog(ctx, conn)
			if err != nil {
				t.Fatal(err)
			}
			res := reviewFor(t, ctx, tc.src, RunnerTidemark, cat, version)
			hasPlan := false
			for _, a := range res.Advice {
				if a.Rewrite != nil && a.Rewrite.Plan != "" {
					hasPlan = true
				}
			}
			if hasPlan != tc.wantPlan {
				t.Errorf("plan in advice: %v, want %v (%+v)", hasPlan, tc.wantPlan, res.Advice)
			}
			f := Fix(tc.src, res, RunnerTidemark)
			if got := f.Text(); got != tc.want {
				t.Fatalf("fixed file:\n%s\nwant:\n%s", got, tc.want)
			}
			var kept []string
			for _, k := range f.Kept {
				kept = append(kept, k.Rule)
			}
			if strings.Join(kept, ",") != strings.Join(tc.kept, ",") {
				t.Errorf("kept %v, want %v", f.Kept, tc.kept)
			}

			// The oracle: the same schema either way.
			pgtest.MustExec(t, orig, tc.src)
			oc := pgtest.Conn(t, orig)
			for _, u := range f.Units {
				if _, err := conn.Exec(ctx, u.SQL); err != nil {
					t.Fatalf("apply unit %q: %v", u.SQL, err)
				}
			}
			if a, b := dumpOf(t, ctx, oc), dumpOf(t, ctx, conn); a != b {
				t.Fatalf("schemas differ\noriginal:\n%s\nfixed:\n%s", a, b)
			}

			// Convergence: the fixed units draw none of the advice that asked.
			asked := map[string]bool{}
			for _, a := range res.Advice {
				if a.Rewrite != nil && len(a.Rewrite.Steps) > 0 {
					asked[a.Rule] = true
				}
			}
			rep, err := NewRegistry().FixScript(ctx, tc.src, Options{Catalog: cat, ServerVersion: version}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Text() != f.Text() {
				t.Errorf("FixScript fixed differently:\n%s", rep.Text())
			}
			for _, a := range rep.Remaining {
				if asked[a.Rule] {
					t.Errorf("the fixed file still draws %s: %s\n%s", a.Rule, a.Message, rep.Text())
				}
			}
		})
	}
}

// TestFixOneStatement: an editor's "apply this fix" rewrites only the
// statement starting on the chosen line.
func TestFixOneStatement(t *testing.T) {
	src := "CREATE INDEX a_idx ON orders (user_id);\nCREATE INDEX b_idx ON orders (code);\n"
	rep, err := NewRegistry().FixScript(context.Background(), src, Options{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := "-- tidemark:unit 1/2 (transactional): save as its own migration file, after the one before\nCREATE INDEX a_idx ON orders (user_id);\n\n" +
		"-- tidemark:unit 2/2 (non-transactional): save as its own migration file, after the one before\nCREATE INDEX CONCURRENTLY b_idx ON orders USING btree (code);\n"
	if got := rep.Text(); got != want || rep.Applied != 1 || rep.Counts[Error] != 1 {
		t.Fatalf("applied %d, %v remaining:\n%s\nwant:\n%s", rep.Applied, rep.Counts, got, want)
	}
}

// dumpOf is the deterministic DDL of the database conn is connected to.
func dumpOf(t *testing.T, ctx context.Context, conn *pgx.Conn) string {
	t.Helper()
	res, err := catalog.Inspect(ctx, conn, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return string(catalog.Dump(res.Schema, catalog.DumpOptions{}))
}

// TestFixRunnerOther: for psql and other tools each statement outside a
// block is its own transaction already, so the fixed file is one unit, and
// statements inside the file's own BEGIN ... COMMIT block are kept; Tidemark's
// runner runs a file with blocks of its own the same way.
func TestFixRunnerOther(t *testing.T) {
	ctx := context.Background()
	src := "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);\nBEGIN;\nCREATE INDEX orders_code_idx ON orders (code);\nCOMMIT;\nCREATE INDEX orders_amount_idx ON orders (amount);\n"
	res := reviewFor(t, ctx, src, RunnerOther, nil, 0)
	f := Fix(src, res, RunnerOther)
	want := "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;\n" +
		"BEGIN;\nCREATE INDEX orders_code_idx ON orders (code);\nCOMMIT;\nCREATE INDEX CONCURRENTLY orders_amount_idx ON orders USING btree (amount);\n"
	if got := f.Text(); got != want || len(f.Units) != 1 || f.Applied != 2 {
		t.Fatalf("fixed (%d units, %d applied):\n%s\nwant:\n%s", len(f.Units), f.Applied, got, want)
	}
	if len(f.Kept) != 1 || f.Kept[0].Line != 3 || !strings.Contains(f.Kept[0].Reason, "line 2") {
		t.Fatalf("kept: %+v", f.Kept)
	}
	// Tidemark's runner runs a file with blocks of its own the same way.
	res = reviewFor(t, ctx, src, RunnerTidemark, nil, 0)
	if f = Fix(src, res, RunnerTidemark); f.Text() != want || len(f.Units) != 1 || f.Applied != 2 || len(f.Kept) != 1 {
		t.Fatalf("Tidemark's runner, a file with its own block (%d units, %d applied, kept %+v):\n%s", len(f.Units), f.Applied, f.Kept, f.Text())
	}
}

// blocksWrites are the table lock modes that conflict with ROW EXCLUSIVE,
// the lock INSERT, UPDATE and DELETE take.
var blocksWrites = map[string]bool{"ShareLock": true, "ShareRowExclusiveLock": true, "ExclusiveLock": true, "AccessExclusiveLock": true}

// lockModes lists the locks conn's backend holds on table rel.
func lockModes(t *testing.T, ctx context.Context, tx pgx.Tx, rel string) []string {
	t.Helper()
	rows, err := tx.Query(ctx, `SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation = $1::regclass ORDER BY mode`, rel)
	if err != nil {
		t.Fatal(err)
	}
	modes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return modes
}

// TestRewriteLocks asks PostgreSQL what each step of the rewrites locks:
// the steps that scan the table (VALIDATE CONSTRAINT) hold only SHARE
// UPDATE EXCLUSIVE, which lets reads and writes go on, where the original
// statement holds ACCESS EXCLUSIVE (CHECK, SET NOT NULL) or SHARE ROW
// EXCLUSIVE (FOREIGN KEY) for its whole scan; and the SET NOT NULL after the
// validated check skips its scan (PostgreSQL says so at DEBUG1).
func TestRewriteLocks(t *testing.T) {
	ctx := context.Background()
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, rewriteBase)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	var notices []string
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices = append(notices, n.Message) }
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	step := func(sql, rel string) []string {
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		m := lockModes(t, ctx, tx, rel)
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, tc := range []struct {
		original, table string
		originalLock    string
	}{
		{"ALTER TABLE orders ADD CONSTRAINT positive CHECK (amount > 0)", "orders", "AccessExclusiveLock"},
		{"ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)", "orders", "ShareRowExclusiveLock"},
		{"ALTER TABLE users ALTER COLUMN email SET NOT NULL", "users", "AccessExclusiveLock"},
	} {
		res := reviewFor(t, ctx, tc.original+";", RunnerTidemark, nil, 0)
		var rw *Rewrite
		for _, a := range res.Advice {
			if a.Rewrite != nil {
				rw = a.Rewrite
			}
		}
		if rw == nil {
			t.Fatalf("%s: no rewrite in %+v", tc.original, res.Advice)
		}
		// The original's lock, for contrast (rolled back).
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, tc.original); err != nil {
			t.Fatal(err)
		}
		if m := lockModes(t, ctx, tx, tc.table); !containsString(m, tc.originalLock) {
			t.Errorf("%s holds %v, expected %s", tc.original, m, tc.originalLock)
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		for _, s := range rw.Steps {
			notices = nil
			if _, err := conn.Exec(ctx, "SET client_min_messages = debug1"); err != nil {
				t.Fatal(err)
			}
			m := step(s.SQL, tc.table)
			if _, err := conn.Exec(ctx, "RESET client_min_messages"); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(s.SQL, "VALIDATE CONSTRAINT") {
				if !containsString(m, "ShareUpdateExclusiveLock") {
					t.Errorf("%s holds %v on %s, expected ShareUpdateExclusiveLock", s.SQL, m, tc.table)
				}
				for _, mode := range m {
					if blocksWrites[mode] {
						t.Errorf("%s holds %s on %s, which blocks writes", s.SQL, mode, tc.table)
					}
				}
			}
			if strings.Contains(s.SQL, "SET NOT NULL") {
				proved := false
				for _, n := range notices {
					if strings.Contains(n, "sufficient to prove") {
						proved = true
					}
				}
				if !proved {
					t.Errorf("%s after the validated check should skip its scan; notices: %q", s.SQL, notices)
				}
			}
		}
	}
}

// TestFixPairs runs Fix over the dangerous examples of the pair suite: every
// example that has a rewrite converges (the fixed file draws none of the
// advice that asked for it) and, applied on PostgreSQL after the suite's
// setup, leaves the same schema as the example as written.
func TestFixPairs(t *testing.T) {
	ctx := context.Background()
	reg := NewRegistry()
	suite := loadPairs(t)
	cat := pairCatalog(t, reg, suite.Setup)
	fixed := 0
	for _, p := range suite.Pairs {
		rep, err := reg.FixScript(ctx, p.Dangerous, Options{Catalog: cat, Runner: p.Runner}, 0)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if rep.Applied == 0 {
			continue
		}
		fixed++
		t.Run(p.Name, func(t *testing.T) {
			res, err := reg.Review(ctx, p.Dangerous, Options{Catalog: cat, Runner: p.Runner})
			if err != nil {
				t.Fatal(err)
			}
			asked := map[string]bool{}
			for _, a := range res.Advice {
				if a.Rewrite != nil && len(a.Rewrite.Steps) > 0 {
					asked[a.Rule] = true
				}
			}
			for _, a := range rep.Remaining {
				if asked[a.Rule] && a.Level != Info {
					t.Errorf("the fixed file still draws %s: %s\n%s", a.Rule, a.Message, rep.Text())
				}
			}
			orig, fix := pg.NewDB(t), pg.NewDB(t)
			pgtest.MustExec(t, orig, suite.Setup)
			pgtest.MustExec(t, fix, suite.Setup)
			oc, fc := pgtest.Conn(t, orig), pgtest.Conn(t, fix)
			if _, err := oc.Exec(ctx, p.Dangerous); err != nil {
				t.Fatalf("the example as written: %v", err)
			}
			for _, u := range rep.Units {
				if _, err := fc.Exec(ctx, u.SQL); err != nil {
					t.Fatalf("apply unit %q: %v", u.SQL, err)
				}
			}
			if a, b := dumpOf(t, ctx, oc), dumpOf(t, ctx, fc); a != b {
				t.Fatalf("schemas differ\noriginal:\n%s\nfixed:\n%s", a, b)
			}
		})
	}
	if fixed < 5 {
		t.Errorf("only %d dangerous examples have a rewrite; the suite has one per rewrite family", fixed)
	}
}
