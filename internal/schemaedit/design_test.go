package schemaedit_test

import (
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
