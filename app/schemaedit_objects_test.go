package app

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// TestSchemaEditObjectsBinding: views, sequences and comments go through
// SchemaEditService.Apply as the UI sends them (JSON, sequence values as
// strings), come back in the model with their marks, a bad view definition
// is a wire error naming the definition field, and Preview plans CREATE
// VIEW, CREATE SEQUENCE and COMMENT ON.
func TestSchemaEditObjectsBinding(t *testing.T) {
	h := newApp(t, "", false)
	dbID, _ := schemaDB(t, h, `CREATE TABLE public.orders (id int PRIMARY KEY, total numeric(12,2));`)
	h.app.emitHook = func(string, any) {} // schemaedit:changed (TestSchemaEditBinding checks those)
	svc := h.app.SchemaEdit()
	st, err := svc.Open(dbID)
	if err != nil {
		t.Fatal(err)
	}
	// As Wails hands the UI's JSON to Go.
	var ops []schemaedit.Op
	if err := json.Unmarshal([]byte(`[
		{"op": "create_view", "schema": "public", "name": "big", "view": {"definition": "SELECT id, total FROM orders WHERE total > 100"}},
		{"op": "comment", "kind": "view", "schema": "public", "name": "big", "comment": "over 100"},
		{"op": "create_sequence", "schema": "public", "name": "ticket", "sequence": {"data_type": "bigint", "max": "9223372036854775807", "increment": "2"}}
	]`), &ops); err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if st, err = svc.Apply(st.SessionID, op); err != nil {
			t.Fatalf("%s: %v", op.Op, err)
		}
	}
	var pub *schemaedit.SchemaView
	for i := range st.Model.Schemas {
		if st.Model.Schemas[i].Name == "public" {
			pub = &st.Model.Schemas[i]
		}
	}
	if pub == nil || len(pub.Views) != 1 || pub.Views[0].Mark != schemaedit.Created || pub.Views[0].Comment == nil || *pub.Views[0].Comment != "over 100" ||
		strings.Join(pub.Views[0].Columns, ",") != "id,total" || len(pub.Sequences) != 1 || pub.Sequences[0].Max != "9223372036854775807" || pub.Sequences[0].Increment != "2" {
		t.Fatalf("public after the edits: %+v", pub)
	}

	_, err = svc.Apply(st.SessionID, schemaedit.Op{Op: schemaedit.AlterView, Schema: "public", Name: "big", View: &schemaedit.ViewSpec{Definition: "SELECT id FROM orders WHERE"}})
	ue := usererr.From(err)
	if err == nil || ue.Field != "definition" || !strings.Contains(ue.Message, "not valid SQL: syntax error at end of input") {
		t.Fatalf("a bad definition: %v (field %q)", err, ue.Field)
	}

	p, err := svc.Preview(st.SessionID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CREATE VIEW public.big AS", "FROM public.orders", "COMMENT ON VIEW public.big IS 'over 100'", "CREATE SEQUENCE public.ticket", "INCREMENT BY 2"} {
		if !strings.Contains(p.SQL, want) {
			t.Errorf("preview lacks %q:\n%s", want, p.SQL)
		}
	}
}
