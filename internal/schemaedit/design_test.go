package schemaedit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

// A design (a model that is not the database's) is edited and previewed
// against the database it is for: the migration turns the database into
// the edited design (applied to a copy, inspected, a second diff is empty),
// and a rename is a rename only where the database holds the object under
// its old name.
func TestDesignAgainstTarget(t *testing.T) {
	const target = "CREATE TABLE t (a int PRIMARY KEY, b text);\nINSERT INTO t VALUES (1, 'x');\n"
	const design = "CREATE TABLE t (a int PRIMARY KEY, b text, c int);\nCREATE TABLE u (id int PRIMARY KEY);\n"
	tu, du := pg.NewDB(t), pg.NewDB(t)
	load(t, tu, target)
	load(t, du, design)
	tm, dm := inspect(t, tu), inspect(t, du)
	e := schemaedit.NewDesign(&dm, &tm)
	if !e.Design() {
		t.Fatal("not a design session")
	}
	for _, op := range []schemaedit.Op{
		{Op: schemaedit.RenameColumn, Schema: "public", Table: "t", Name: "b", To: "note"},
		{Op: schemaedit.RenameTable, Schema: "public", Table: "u", To: "users"},
		{Op: schemaedit.AddColumn, Schema: "public", Table: "users", Column: &schemaedit.ColumnSpec{Name: "name", Type: "text"}},
	} {
		if err := e.Apply(op); err != nil {
			t.Fatalf("apply %+v: %v", op, err)
		}
	}
	// The marks are the design's: users is renamed (changed), not created.
	if m := e.Marks()[`table:public.users`]; m != schemaedit.Changed {
		t.Errorf("mark of the renamed design table = %q (marks %v)", m, e.Marks())
	}
	r, err := e.PreviewReport(diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sql := r.Plan.SQL()
	if len(r.Renames) != 1 || r.Renames[0].Kind != diff.RenameColumn || r.Renames[0].To != "note" {
		t.Errorf("renames planned = %+v, want only the column the database has", r.Renames)
	}
	for _, want := range []string{"ALTER TABLE public.t RENAME COLUMN b TO note", "ADD COLUMN c integer", "CREATE TABLE public.users"} {
		if !strings.Contains(sql, want) {
			t.Errorf("plan lacks %q:\n%s", want, sql)
		}
	}
	if strings.Contains(sql, "DROP") {
		t.Errorf("the plan drops something:\n%s", sql)
	}
	// Convergence: the migration applied to the database gives the design.
	load(t, tu, sql)
	got, want := inspect(t, tu), e.Schema()
	again, err := diff.Diff(&got, &want, diff.Options{NoPrivileges: true})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Errorf("after the migration the database still differs from the design:\n%s", again.SQL())
	}
	if tb := got.Table(catalog.QualifiedName{Schema: "public", Name: "t"}); tb == nil || tb.Column("note") == nil || tb.Column("b") != nil {
		t.Errorf("t after the migration = %+v", tb)
	}
	// The target is never changed by the session.
	if tg := e.Target(); tg.Table(catalog.QualifiedName{Schema: "public", Name: "t"}).Column("b") == nil {
		t.Errorf("the session changed its target")
	}
}

// A design planned on several databases gives each its own migration to
// the same edited design; a rename is passed only where that database
// holds the object; a database already equal to the design has an error
// saying so.
func TestPlanDesignTargets(t *testing.T) {
	const design = "CREATE TABLE t (a int PRIMARY KEY, b text);\n"
	a, b, du := pg.NewDB(t), pg.NewDB(t), pg.NewDB(t)
	load(t, a, "CREATE TABLE t (a int PRIMARY KEY, b text);\n")
	load(t, du, design)
	am, bm, dm := inspect(t, a), inspect(t, b), inspect(t, du)
	ops := []schemaedit.Op{{Op: schemaedit.RenameColumn, Schema: "public", Table: "t", Name: "b", To: "note"}}
	r, err := schemaedit.PlanDesignTargets(context.Background(), []schemaedit.Target{{Database: "a", Schema: &am}, {Database: "b", Schema: &bm}}, &dm, ops, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK || len(r.Targets) != 2 {
		t.Fatalf("report = %+v", r)
	}
	if sql := r.Targets[0].SQL; !strings.Contains(sql, "RENAME COLUMN b TO note") || strings.Contains(sql, "DROP") {
		t.Errorf("a's plan:\n%s", sql)
	}
	if sql := r.Targets[1].SQL; !strings.Contains(sql, "CREATE TABLE public.t") || !strings.Contains(sql, "note text") || strings.Contains(sql, "RENAME") {
		t.Errorf("b's plan:\n%s", sql)
	}
	for i, u := range []string{a, b} {
		load(t, u, r.Targets[i].SQL)
	}
	if got := inspect(t, a); got.Table(catalog.QualifiedName{Schema: "public", Name: "t"}).Column("note") == nil {
		t.Errorf("a after its plan lacks the renamed column")
	}
	// Now both equal the edited design: nothing to do is said per database.
	am, bm = inspect(t, a), inspect(t, b)
	r, err = schemaedit.PlanDesignTargets(context.Background(), []schemaedit.Target{{Database: "a", Schema: &am}, {Database: "b", Schema: &bm}}, &dm, ops, diff.Options{})
	if err != nil || r.OK || r.Targets[0].Error == nil || !strings.Contains(r.Targets[0].Error.Message, "change nothing") {
		t.Fatalf("again: %+v %v", r, err)
	}
}
