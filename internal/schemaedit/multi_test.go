package schemaedit_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// multiOps are the edits applied to every target of TestPlanTargets.
var multiOps = []schemaedit.Op{
	{Op: schemaedit.RenameColumn, Schema: "public", Table: "orders", Name: "note", To: "remark"},
	{Op: schemaedit.AddColumn, Schema: "public", Table: "orders", Column: &schemaedit.ColumnSpec{Name: "placed_at", Type: "timestamptz", Default: str("now()"), NotNull: true}},
	{Op: schemaedit.CommentTable, Schema: "public", Table: "orders", Comment: str("what customers bought")},
	{Op: schemaedit.AddIndex, Schema: "public", Table: "orders", Index: &schemaedit.IndexSpec{Name: "orders_placed", Columns: []string{"placed_at"}}},
}

// TestPlanTargets: the same edits on two databases whose models differ (the
// second has an extra column and already carries the table comment) give
// each its own migration, and each converges on its database to its own
// edited model (extra column kept); a third database lacking the renamed
// column gets an error naming it and the operation, and no issue plan.
func TestPlanTargets(t *testing.T) {
	ctx := context.Background()
	a, b, c := pg.NewDB(t), pg.NewDB(t), pg.NewDB(t)
	load(t, a, editBase)
	load(t, b, editBase+`
ALTER TABLE orders ADD COLUMN discount numeric(5,2);
COMMENT ON TABLE orders IS 'what customers bought';
`)
	load(t, c, editBase+`ALTER TABLE orders DROP COLUMN note;`)
	urls := map[string]string{"shop_test": a, "shop_prod": b, "shop_old": c}
	models := map[string]catalog.Schema{}
	for name, url := range urls {
		models[name] = inspect(t, url)
	}
	targets := []schemaedit.Target{
		{DatabaseID: "db-a", Database: "shop_test", Schema: ptr(models["shop_test"])},
		{DatabaseID: "db-b", Database: "shop_prod", Schema: ptr(models["shop_prod"])},
		{DatabaseID: "db-c", Database: "shop_old", Schema: ptr(models["shop_old"])},
	}
	r, err := schemaedit.PlanTargets(ctx, targets, multiOps, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Targets) != 3 || r.OK {
		t.Fatalf("want 3 targets, not all OK; got %d, ok=%v", len(r.Targets), r.OK)
	}
	for i, want := range []string{"shop_test", "shop_prod", "shop_old"} {
		if r.Targets[i].Database != want || r.Targets[i].DatabaseID != targets[i].DatabaseID {
			t.Errorf("target %d is %s (%s), want %s in the order given", i, r.Targets[i].Database, r.Targets[i].DatabaseID, want)
		}
	}

	// Each database gets its own plan.
	ta, tb := r.Targets[0], r.Targets[1]
	for _, tp := range []schemaedit.TargetPlan{ta, tb} {
		if tp.Error != nil {
			t.Fatalf("%s: %s", tp.Database, tp.Error.Message)
		}
		for _, f := range []string{"ALTER TABLE public.orders RENAME COLUMN note TO remark", "ADD COLUMN placed_at timestamp with time zone DEFAULT now() NOT NULL", "CREATE INDEX orders_placed ON public.orders"} {
			if !strings.Contains(tp.SQL, f) {
				t.Errorf("%s: the plan lacks %q:\n%s", tp.Database, f, tp.SQL)
			}
		}
		if strings.Contains(tp.SQL, "DROP") {
			t.Errorf("%s: the plan drops something:\n%s", tp.Database, tp.SQL)
		}
	}
	if !strings.Contains(ta.SQL, "COMMENT ON TABLE public.orders IS 'what customers bought'") {
		t.Errorf("shop_test has no table comment: its plan must set it:\n%s", ta.SQL)
	}
	if strings.Contains(tb.SQL, "COMMENT ON TABLE") {
		t.Errorf("shop_prod already has the comment: its plan must not set it again:\n%s", tb.SQL)
	}
	if len(tb.Report.Marks) == 0 || len(tb.Report.Renames) != 1 {
		t.Errorf("shop_prod: want marks and one rename, got %v and %v", tb.Report.Marks, tb.Report.Renames)
	}

	// The database lacking the column: an error naming it and the operation.
	tc := r.Targets[2]
	if tc.Error == nil || tc.Report != nil || tc.SQL != "" {
		t.Fatalf("shop_old: want an error and no plan, got %+v", tc)
	}
	if tc.Error.Op != 1 || tc.Error.Kind != schemaedit.RenameColumn {
		t.Errorf("shop_old: the error blames operation %d (%s), want 1 (rename_column)", tc.Error.Op, tc.Error.Kind)
	}
	if !strings.HasPrefix(tc.Error.Message, "shop_old: operation 1 (rename_column): ") || !strings.Contains(tc.Error.Message, "note") {
		t.Errorf("shop_old: error %q should name the database, the operation and the column", tc.Error.Message)
	}

	// No issue plan while one target has no migration; the error names it.
	if _, err := r.PerDatabase(); err == nil || !strings.Contains(err.Error(), "shop_old: operation 1 (rename_column)") {
		t.Errorf("PerDatabase with a failed target: %v", err)
	}

	// Without the failing target: one SQL per database, and each converges.
	r2, err := schemaedit.PlanTargets(ctx, targets[:2], multiOps, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r2.OK {
		t.Fatalf("two good targets: not OK: %+v", r2.Targets)
	}
	per, err := r2.PerDatabase()
	if err != nil {
		t.Fatal(err)
	}
	if len(per) != 2 || per["db-a"] != ta.SQL || per["db-b"] != tb.SQL || per["db-a"] == per["db-b"] {
		t.Fatalf("PerDatabase: %v", per)
	}
	for _, tp := range r2.Targets {
		name := tp.Database
		base := models[name]
		e, err := schemaedit.Replay(&base, multiOps)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := diff.Apply(ctx, pgtest.Conn(t, urls[name]), tp.Report.Plan); err != nil {
			t.Fatalf("%s: apply: %v\n%s", name, err, tp.SQL)
		}
		got, edited := inspect(t, urls[name]), e.Schema()
		if g, w := shape(&got), shape(&edited); g != w {
			t.Errorf("%s: the database differs from its edited model (- database, + edited):\n%s", name, lineDiff(g, w))
		}
		if name == "shop_prod" && got.Table(catalog.QualifiedName{Schema: "public", Name: "orders"}).Column("discount") == nil {
			t.Errorf("shop_prod lost its own column discount")
		}
		again, err := diff.Diff(&got, &edited, diff.Options{NoPrivileges: true, Renames: nil})
		if err != nil || !again.Empty() {
			t.Errorf("%s: second diff: %v\n%s", name, err, again.SQL())
		}
	}
}

// TestPlanTargetsProblems: an edit that applies on every model but leaves
// one of them invalid (a primary key over a column that allows NULL there)
// is that database's error, naming the operation; the edits changing
// nothing on a database is an error too.
func TestPlanTargetsProblems(t *testing.T) {
	strict := catalog.Schema{Namespaces: []catalog.Namespace{{Name: "public"}}, Tables: []catalog.Table{{
		QualifiedName: catalog.QualifiedName{Schema: "public", Name: "t"}, Kind: catalog.TableRegular,
		Columns: []catalog.Column{{Name: "a", Type: "integer", NotNull: true, TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "int4"}}}}}}
	loose := strict.Clone()
	loose.Tables[0].Columns[0].NotNull = false
	ops := []schemaedit.Op{
		{Op: schemaedit.CommentTable, Schema: "public", Table: "t", Comment: str("keyed")},
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "t", Constraint: &schemaedit.ConstraintSpec{Name: "t_pkey", Type: "primary_key", Columns: []string{"a"}}},
	}
	r, err := schemaedit.PlanTargets(context.Background(), []schemaedit.Target{
		{DatabaseID: "1", Database: "strict", Schema: &strict}, {DatabaseID: "2", Database: "loose", Schema: &loose},
	}, ops, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Targets[0].Error != nil {
		t.Fatalf("strict: %s", r.Targets[0].Error.Message)
	}
	if !strings.Contains(r.Targets[0].SQL, "PRIMARY KEY (a)") {
		t.Errorf("strict: the plan lacks the primary key:\n%s", r.Targets[0].SQL)
	}
	l := r.Targets[1]
	if l.Error == nil || len(l.Problems) == 0 {
		t.Fatalf("loose: want a validation problem, got %+v", l)
	}
	if !strings.HasPrefix(l.Error.Message, "loose: operation 2 (add_constraint): ") || l.Error.Op != 2 {
		t.Errorf("loose: error %q (op %d) should name the database and operation 2", l.Error.Message, l.Error.Op)
	}

	same, err := schemaedit.PlanTargets(context.Background(), []schemaedit.Target{{DatabaseID: "1", Database: "strict", Schema: &strict}},
		[]schemaedit.Op{{Op: schemaedit.CommentTable, Schema: "public", Table: "t", Comment: str("x")}, {Op: schemaedit.CommentTable, Schema: "public", Table: "t"}}, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if same.OK || same.Targets[0].Error == nil || !strings.Contains(same.Targets[0].Error.Message, "strict: the edits change nothing") {
		t.Errorf("edits that cancel out: want an error saying so, got %+v", same.Targets[0])
	}
}

// TestPlanDatabases: a database whose model cannot be read gets that error,
// named, and the others are still planned; an empty or repeated list is
// refused.
func TestPlanDatabases(t *testing.T) {
	s := catalog.Schema{Namespaces: []catalog.Namespace{{Name: "public"}}}
	model := func(_ context.Context, id string) (schemaedit.Target, error) {
		if id == "gone" {
			return schemaedit.Target{Database: "archive"}, &usererr.Error{Message: "connection refused"}
		}
		c := s.Clone()
		return schemaedit.Target{Database: "db_" + id, Schema: &c}, nil
	}
	ops := []schemaedit.Op{{Op: schemaedit.CreateSchema, Name: "reporting"}}
	r, err := schemaedit.PlanDatabases(context.Background(), []string{"x", "gone"}, model, ops, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.OK || r.Targets[0].Error != nil || !strings.Contains(r.Targets[0].SQL, "CREATE SCHEMA reporting") || r.Targets[0].DatabaseID != "x" {
		t.Errorf("db_x: %+v", r.Targets[0])
	}
	if e := r.Targets[1].Error; e == nil || e.Message != "archive: cannot read its schema: connection refused" || r.Targets[1].DatabaseID != "gone" {
		t.Errorf("archive: %+v", r.Targets[1])
	}
	for _, ids := range [][]string{nil, {"x", "x"}} {
		_, err := schemaedit.PlanDatabases(context.Background(), ids, model, ops, diff.Options{})
		var ue *usererr.Error
		if !errors.As(err, &ue) || ue.Field != "databases" {
			t.Errorf("%v: want a databases error, got %v", ids, err)
		}
	}
}

func ptr(s catalog.Schema) *catalog.Schema { return &s }

// TestRandomEditsOnTwoDatabases: a random edit sequence (renames included)
// drawn on pagila is planned on pagila and on a pagila that has drifted (an
// extra column, a table comment, an index fewer); each database gets its
// own plan (the comment the drifted copy has is not set again), which
// converges there to that database's own edited model (its extra column
// kept) and leaves nothing for a second diff; an edit of the index the copy
// lacks is that database's error, naming the operation.
func TestRandomEditsOnTwoDatabases(t *testing.T) {
	for _, seed := range []int64{1, 2, 7} {
		t.Run(fmt.Sprintf("pagila/seed%d", seed), func(t *testing.T) { randomEditsOnTwo(t, seed) })
	}
}

func randomEditsOnTwo(t *testing.T, seed int64) {
	ctx := context.Background()
	file := testcorpus.Path(t, "schemas", "pagila.sql")
	a, b := pg.NewDB(t), pg.NewDB(t)
	for _, u := range []string{a, b} {
		if err := pg.Psql(u, file, nil); err != nil {
			t.Fatalf("load: %v", err)
		}
	}
	ma := inspect(t, a)
	e := schemaedit.New(&ma)
	r := rand.New(rand.NewSource(seed))
	applied := 0
	for i := 0; applied < 10 && i < 100; i++ {
		cur := e.Schema()
		ops, ok := randomOp(r, &cur, i)
		if !ok || e.Apply(ops[0]) != nil {
			continue
		}
		applied++
		for _, op := range ops[1:] {
			if err := e.Apply(op); err != nil {
				t.Fatalf("%s: %v", op.Op, err)
			}
		}
	}
	// and one edit the drifted copy already has (a comment on a table the
	// edits did not rename): its plan must not repeat it
	cur := e.Schema()
	commented := ""
	for _, name := range []string{"film", "language", "category", "store", "staff", "customer", "address"} {
		if cur.Table(catalog.QualifiedName{Schema: "public", Name: name}) != nil {
			commented = name
			break
		}
	}
	if commented == "" {
		t.Fatal("every candidate table was renamed")
	}
	ops := append(e.Ops(), schemaedit.Op{Op: schemaedit.CommentTable, Schema: "public", Table: commented, Comment: str("kept")})
	load(t, b, `ALTER TABLE public.actor ADD COLUMN nickname text;
DROP INDEX public.idx_actor_last_name;
COMMENT ON TABLE public.`+commented+` IS 'kept';`)
	mb := inspect(t, b)
	rep, err := schemaedit.PlanTargets(ctx, []schemaedit.Target{
		{DatabaseID: "a", Database: "pagila", Schema: &ma}, {DatabaseID: "b", Database: "pagila_drifted", Schema: &mb},
	}, ops, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, tp := range rep.Targets {
		url, model := []string{a, b}[i], []catalog.Schema{ma, mb}[i]
		if tp.Error != nil {
			// an op touching the dropped index cannot apply on the drifted copy: named
			if i == 1 && tp.Error.Op > 0 && strings.HasPrefix(tp.Error.Message, "pagila_drifted: operation ") {
				t.Logf("pagila_drifted: %s", tp.Error.Message)
				continue
			}
			t.Fatalf("%s: %s\nops: %+v", tp.Database, tp.Error.Message, ops)
		}
		ed, err := schemaedit.Replay(&model, ops)
		if err != nil {
			t.Fatal(err)
		}
		if err := diff.Apply(ctx, pgtest.Conn(t, url), tp.Report.Plan); err != nil {
			t.Fatalf("%s: apply: %v\n%s", tp.Database, err, tp.SQL)
		}
		got, edited := inspect(t, url), ed.Schema()
		if g, w := shape(&got), shape(&edited); g != w {
			t.Errorf("%s: the database differs from its edited model (- database, + edited):\n%s\n%s", tp.Database, lineDiff(g, w), tp.SQL)
		}
		again, err := diff.Diff(&got, &edited, diff.Options{NoPrivileges: true})
		if err != nil || !again.Empty() {
			t.Errorf("%s: second diff: %v\n%s", tp.Database, err, again.SQL())
		}
		t.Logf("%s: %d edits, %d statements", tp.Database, applied, len(tp.Report.Plan.Statements))
	}
	comment := "COMMENT ON TABLE public." + commented + " IS 'kept'"
	if !strings.Contains(rep.Targets[0].SQL, comment) {
		t.Errorf("pagila: the plan lacks %s:\n%s", comment, rep.Targets[0].SQL)
	}
	if rep.Targets[1].Error == nil && strings.Contains(rep.Targets[1].SQL, comment) {
		t.Errorf("pagila_drifted already has the comment: its plan repeats it:\n%s", rep.Targets[1].SQL)
	}
}
