package app

import (
	"testing"

	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

// TestSchemaEditPreviewReview: Preview DDL carries the review of its
// migration under the database's environment's policy (against the model it
// starts from), in one database's preview and in each target's.
func TestSchemaEditPreviewReview(t *testing.T) {
	h := newApp(t, "", false)
	h.app.emitHook = func(string, any) {}
	dbID, _ := schemaDB(t, h, `CREATE TABLE public.orders (id int PRIMARY KEY, note text)`)
	svc := h.app.SchemaEdit()
	st, err := svc.Open(dbID)
	if err != nil {
		t.Fatal(err)
	}
	empty, err := svc.Preview(st.SessionID, false)
	if err != nil || empty.Review.Advice == nil || len(empty.Review.Advice) != 0 || empty.Review.Note != "" {
		t.Fatalf("preview of no edit: %+v %v", empty.Review, err)
	}
	if st, err = svc.Apply(st.SessionID, schemaedit.Op{Op: schemaedit.AddColumn, Schema: "public", Table: "orders",
		Column: &schemaedit.ColumnSpec{Name: "customer", Type: "bigint", NotNull: true}}); err != nil {
		t.Fatal(err)
	}
	p, err := svc.Preview(st.SessionID, false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Review.Policy == "" || p.Review.Note != "" || !hasAdvice(p.Review.Advice, "column.add-not-null-require-default") {
		t.Fatalf("review of the preview = %+v", p.Review)
	}
	tp, err := svc.PreviewTargets(st.SessionID, []string{dbID}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(tp.Targets) != 1 || !hasAdvice(tp.Targets[0].Review.Advice, "column.add-not-null-require-default") {
		t.Fatalf("review of the target = %+v", tp.Targets)
	}
}

func hasAdvice(as []Advice, rule string) bool {
	for _, a := range as {
		if a.Rule == rule {
			return true
		}
	}
	return false
}
