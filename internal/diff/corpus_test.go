package diff_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

// corpusSchemas lists the schema files the identity and rebuild oracles run over.
func corpusSchemas(t *testing.T) []string {
	files := []string{
		testcorpus.Path(t, "schemas", "pagila.sql"),
		testcorpus.Path(t, "schemas", "danbooru.sql"),
	}
	root := testcorpus.Path(t, "migra-fixtures")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			files = append(files, filepath.Join(root, e.Name(), "a.sql"), filepath.Join(root, e.Name(), "b.sql"))
		}
	}
	return files
}

func caseName(path string) string {
	return filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
}

// TestDiffSelfEmptyAndRebuild: for each corpus schema X, Diff(X, X) is empty
// and Diff(empty, X) applied to an empty database rebuilds X.
func TestDiffSelfEmptyAndRebuild(t *testing.T) {
	createTestRole(t)
	for _, f := range corpusSchemas(t) {
		t.Run(caseName(f), func(t *testing.T) {
			x := pg.NewDB(t)
			if err := psql(t, x, f, nil); err != nil {
				t.Fatalf("load: %v", err)
			}
			rx := inspect(t, x, catalog.Options{})
			self, err := diff.Diff(&rx.Schema, &rx.Schema, diff.Options{Online: true})
			if err != nil {
				t.Fatalf("Diff(X, X): %v", err)
			}
			if !self.Empty() {
				t.Fatalf("Diff(X, X) not empty:\n%s", self.SQL())
			}
			empty := pg.NewDB(t)
			re := inspect(t, empty, catalog.Options{})
			plan, err := diff.Diff(&re.Schema, &rx.Schema, diff.Options{})
			if err != nil {
				t.Fatalf("Diff(empty, X): %v", err)
			}
			if err := apply(t, empty, plan); err != nil {
				t.Fatalf("apply Diff(empty, X): %v", err)
			}
			rr := inspect(t, empty, catalog.Options{})
			if d := diff.Differences(&rr.Schema, &rx.Schema, false); len(d) > 0 {
				t.Fatalf("rebuilt schema differs in: %s", strings.Join(d, ", "))
			}
			if co := diff.ColumnOrderDifferences(&rr.Schema, &rx.Schema); len(co) > 0 {
				t.Fatalf("rebuilt tables have a different column order: %v", co)
			}
		})
	}
}

// TestComputeValidates: Compute with a scratch server validates the plan.
func TestComputeValidates(t *testing.T) {
	root := testcorpus.Path(t, "migra-fixtures")
	a, b := pg.NewDB(t), pg.NewDB(t)
	if err := psql(t, a, filepath.Join(root, "dependencies", "a.sql"), nil); err != nil {
		t.Fatal(err)
	}
	if err := psql(t, b, filepath.Join(root, "dependencies", "b.sql"), nil); err != nil {
		t.Fatal(err)
	}
	ra, rb := inspect(t, a, catalog.Options{}), inspect(t, b, catalog.Options{})
	ctx := context.Background()
	plan, err := diff.Compute(ctx, &ra.Schema, &rb.Schema, diff.Options{Scratch: pg.AdminURL})
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	if !plan.Validated || plan.Empty() {
		t.Fatalf("want a validated, non-empty plan; got validated=%v, %d statements", plan.Validated, len(plan.Statements))
	}
	// Opting out returns the same statements, unvalidated.
	plain, err := diff.Compute(ctx, &ra.Schema, &rb.Schema, diff.Options{Scratch: pg.AdminURL}.WithoutValidation())
	if err != nil || plain.Validated || len(plain.Statements) != len(plan.Statements) {
		t.Fatalf("WithoutValidation: err=%v validated=%v statements=%d/%d", err, plain.Validated, len(plain.Statements), len(plan.Statements))
	}
	// No scratch database databases are left behind.
	c := pgtestConnAdmin(t)
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname LIKE 'tidemark_scratch_%'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("scratch databases left: %d (%v)", n, err)
	}
}

// TestValidateRefusesWrongPlan: a plan missing a statement is refused, naming
// the object that still differs; a plan that fails to apply is refused too.
func TestValidateRefusesWrongPlan(t *testing.T) {
	a := pg.NewDB(t)
	psqlExec(t, a, "CREATE TABLE t (id int PRIMARY KEY, name text); CREATE VIEW v AS SELECT id FROM t;")
	b := pg.NewDB(t)
	psqlExec(t, b, "CREATE TABLE t (id int PRIMARY KEY, name text, extra int); CREATE VIEW v AS SELECT id, name FROM t; CREATE INDEX t_name ON t (name);")
	ra, rb := inspect(t, a, catalog.Options{}), inspect(t, b, catalog.Options{})
	opts := diff.Options{Scratch: pg.AdminURL}
	plan, err := diff.Diff(&ra.Schema, &rb.Schema, opts)
	if err != nil {
		t.Fatal(err)
	}
	var kept []diff.Statement
	for _, s := range plan.Statements {
		if !strings.Contains(s.SQL, "CREATE INDEX") {
			kept = append(kept, s)
		}
	}
	if len(kept) == len(plan.Statements) {
		t.Fatalf("plan has no CREATE INDEX:\n%s", plan.SQL())
	}
	bad := diff.Plan{Statements: kept}
	err = diff.Validate(context.Background(), &bad, &ra.Schema, &rb.Schema, opts)
	var re *diff.RefusalError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "index:public.t_name") || bad.Validated {
		t.Fatalf("want a refusal naming index:public.t_name, got %v", err)
	}
	broken := diff.Plan{Statements: append([]diff.Statement{{SQL: "ALTER TABLE public.nope ADD COLUMN x int", Transactional: true}}, plan.Statements...)}
	err = diff.Validate(context.Background(), &broken, &ra.Schema, &rb.Schema, opts)
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("want a refusal for a failing statement, got %v", err)
	}
	if err := diff.Validate(context.Background(), &plan, &ra.Schema, &rb.Schema, opts); err != nil || !plan.Validated {
		t.Fatalf("the real plan must validate: %v", err)
	}
}

func psqlExec(t *testing.T, url, sql string) {
	t.Helper()
	if err := psql(t, url, "", []byte(sql)); err != nil {
		t.Fatal(err)
	}
}

// TestRefusals: a change Diff cannot plan is refused, naming the object and why.
func TestRefusals(t *testing.T) {
	a, b := pg.NewDB(t), pg.NewDB(t)
	psqlExec(t, a, "CREATE DOMAIN d AS int; CREATE TABLE t (x d);")
	psqlExec(t, b, "CREATE DOMAIN d AS bigint; CREATE TABLE t (x d);")
	ra, rb := inspect(t, a, catalog.Options{}), inspect(t, b, catalog.Options{})
	_, err := diff.Diff(&ra.Schema, &rb.Schema, diff.Options{})
	var re *diff.RefusalError
	if !errors.As(err, &re) || len(re.Refusals) != 1 || re.Refusals[0].Object != "table:public.t" ||
		!strings.Contains(re.Refusals[0].Reason, "type:public.d") || !strings.Contains(re.Refusals[0].Reason, "base type") {
		t.Fatalf("want a refusal naming table:public.t and the domain, got %v", err)
	}
}
