package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

// TestSchemaEditBinding: SchemaEditService opens a session over the
// latest snapshot (syncing a database never synced), maps edits, undo,
// redo and discard to internal/schemaedit with a changed event each, brings
// refused edits as wire errors naming the field, returns validation
// problems instead of a plan, and previews the migration through
// internal/diff; the previewed SQL applied to the database gives, after a
// sync, the edited model. The editor itself is tested in internal/schemaedit.
func TestSchemaEditBinding(t *testing.T) {
	h := newApp(t, "", false)
	dbID, dbURL := schemaDB(t, h, `CREATE TABLE public.orders (id int PRIMARY KEY, total numeric(12,2), note text)`)
	var mu sync.Mutex
	var changed []SchemaEditChanged
	h.app.emitHook = func(name string, p any) {
		if name == "schemaedit:changed" {
			mu.Lock()
			changed = append(changed, p.(SchemaEditChanged))
			mu.Unlock()
		}
	}
	svc := h.app.SchemaEdit()

	st, err := svc.Open(dbID)
	if err != nil {
		t.Fatal(err)
	}
	if st.SessionID == "" || st.DatabaseID != dbID || st.SnapshotID == "" || st.Production || st.Model.CanUndo || len(st.Problems) != 0 {
		t.Fatalf("opened state = %+v", st)
	}
	orders := viewTable(st, "public", "orders")
	if orders == nil || len(orders.Columns) != 3 || !orders.Columns[0].PrimaryKey || orders.Columns[1].Type != "numeric(12,2)" {
		t.Fatalf("orders in the opened model: %+v", orders)
	}

	ops := []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "public", Table: "t1", Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint"}}, PrimaryKey: []string{"id"}},
		{Op: schemaedit.AddColumn, Schema: "public", Table: "t1", Column: &schemaedit.ColumnSpec{Name: "name", Type: "text"}},
		{Op: schemaedit.RenameColumn, Schema: "public", Table: "orders", Name: "note", To: "remark"},
	}
	for _, op := range ops {
		if st, err = svc.Apply(st.SessionID, op); err != nil {
			t.Fatalf("%s: %v", op.Op, err)
		}
	}
	if t1 := viewTable(st, "public", "t1"); t1 == nil || t1.Mark != schemaedit.Created || len(t1.Columns) != 2 {
		t.Fatalf("t1 after the edits: %+v", t1)
	}
	mu.Lock()
	if len(changed) != 3 || changed[2].Ops != 3 || changed[2].SessionID != st.SessionID || changed[2].DatabaseID != dbID {
		t.Fatalf("changed events = %+v", changed)
	}
	mu.Unlock()

	// a refused edit changes nothing and names the field
	_, err = svc.Apply(st.SessionID, schemaedit.Op{Op: schemaedit.AddColumn, Schema: "public", Table: "t1", Column: &schemaedit.ColumnSpec{Name: "x", Type: "integr"}})
	if w := userErr(t, err); !strings.Contains(w.Message, `unknown type "integr"`) {
		t.Fatalf("unknown type: %+v", w)
	}

	// a foreign key from text to integer is a problem, not a plan; undo takes it back
	st, err = svc.Apply(st.SessionID, schemaedit.Op{Op: schemaedit.AddConstraint, Schema: "public", Table: "t1",
		Constraint: &schemaedit.ConstraintSpec{Type: "foreign_key", Columns: []string{"name"}, RefTable: "orders"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Problems) != 1 || st.Problems[0].Field == "" {
		t.Fatalf("problems = %+v", st.Problems)
	}
	pv, err := svc.Preview(st.SessionID, false)
	if err != nil || len(pv.Problems) != 1 || pv.SQL != "" || pv.Statements == nil {
		t.Fatalf("preview with a problem = %+v, %v", pv, err)
	}
	if st, err = svc.Undo(st.SessionID); err != nil || len(st.Problems) != 0 || !st.Model.CanRedo {
		t.Fatalf("undo = %+v, %v", st, err)
	}

	pv, err = svc.Preview(st.SessionID, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pv.SQL, "CREATE TABLE public.t1") || !strings.Contains(pv.SQL, "RENAME COLUMN note TO remark") || strings.Contains(pv.SQL, "DROP") ||
		len(pv.Renames) != 1 || len(pv.Statements) < 2 || len(pv.Problems) != 0 {
		t.Fatalf("preview = %+v", pv)
	}
	// the edited model saved as desired-state DDL is catalog.Dump of it
	file := filepath.Join(t.TempDir(), "design.sql")
	if err := svc.SaveSQL(st.SessionID, file); err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(saved), "CREATE TABLE public.t1") || !strings.Contains(string(saved), "remark text") || strings.Contains(string(saved), "note text") {
		t.Fatalf("saved DDL:\n%s", saved)
	}
	if err := svc.SaveSQL(st.SessionID, " "); userErr(t, err).Field != "path" {
		t.Fatalf("empty path: %v", err)
	}
	if err := svc.SaveSQL(st.SessionID, filepath.Join(t.TempDir(), "no", "such", "dir.sql")); !strings.Contains(userErr(t, err).Message, "cannot save the schema") {
		t.Fatalf("bad path: %v", err)
	}
	got, err := svc.Ops(st.SessionID)
	if err != nil || len(got) != 3 {
		t.Fatalf("ops = %+v, %v", got, err)
	}

	// the preview converges: applied and synced, the database is the edited model
	pgtest.MustExec(t, dbURL, pv.SQL)
	if _, err := h.app.Schema().Sync(dbID); err != nil {
		t.Fatal(err)
	}
	again, err := svc.Open(dbID)
	if err != nil {
		t.Fatal(err)
	}
	if viewTable(again, "public", "t1") == nil || viewTable(again, "public", "orders").Columns[2].Name != "remark" {
		t.Fatalf("after applying the preview: %+v", again.Model)
	}
	if pv, err := svc.Preview(again.SessionID, false); err != nil || len(pv.Statements) != 0 {
		t.Fatalf("a fresh session previews nothing: %+v, %v", pv, err)
	}

	// discard and close
	if st, err = svc.Discard(st.SessionID); err != nil || st.Model.CanUndo || viewTable(st, "public", "t1") != nil {
		t.Fatalf("discard = %+v, %v", st, err)
	}
	svc.Close(st.SessionID)
	if _, err := svc.State(st.SessionID); !strings.Contains(userErr(t, err).Message, "is closed") {
		t.Fatalf("closed session: %v", err)
	}
	if _, err := svc.Open("no-such-id"); !strings.Contains(userErr(t, err).Message, "not found") {
		t.Fatalf("unknown database: %v", err)
	}
}

func viewTable(st EditorState, schema, name string) *schemaedit.TableView {
	for _, s := range st.Model.Schemas {
		if s.Name != schema {
			continue
		}
		for i := range s.Tables {
			if s.Tables[i].Name == name {
				return &s.Tables[i]
			}
		}
	}
	return nil
}

// TestSchemaEditTargets: PreviewTargets applies the session's edits to each
// chosen database's own model (the session's own, the others' latest
// snapshot, synced first when never synced): two databases whose models
// differ get each their own migration, a database lacking the edited table
// gets an error naming it and the operation; each says whether it is in
// production; the per-database SQL creates
// one issue with one task per database, each with its own statement. A
// design session is planned on each database from its own model.
func TestSchemaEditTargets(t *testing.T) {
	h := newApp(t, "", false)
	const orders = `CREATE TABLE public.orders (id int PRIMARY KEY, total numeric(12,2), note text);`
	aID, _ := schemaDB(t, h, orders)
	bID, _ := registerDB(t, h, "prod", orders+`COMMENT ON TABLE public.orders IS 'sales'; ALTER TABLE public.orders ADD COLUMN discount numeric;`)
	cID, _ := schemaDB(t, h, `CREATE TABLE public.other (id int);`)
	h.app.emitHook = func(string, any) {}
	svc := h.app.SchemaEdit()
	st, err := svc.Open(aID)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []schemaedit.Op{
		{Op: schemaedit.RenameColumn, Schema: "public", Table: "orders", Name: "note", To: "remark"},
		{Op: schemaedit.CommentTable, Schema: "public", Table: "orders", Comment: strp("sales")},
	} {
		if st, err = svc.Apply(st.SessionID, op); err != nil {
			t.Fatalf("%s: %v", op.Op, err)
		}
	}
	pv, err := svc.PreviewTargets(st.SessionID, []string{aID, bID, cID}, false)
	if err != nil {
		t.Fatal(err)
	}
	if pv.OK || len(pv.Targets) != 3 {
		t.Fatalf("preview of three targets = %+v", pv)
	}
	a, b, c := pv.Targets[0], pv.Targets[1], pv.Targets[2]
	if a.Production || !b.Production || c.Production {
		t.Fatalf("only the database in Prod is production: %+v", pv.Targets)
	}
	if a.DatabaseID != aID || a.Error != "" || !strings.Contains(a.SQL, "RENAME COLUMN note TO remark") || !strings.Contains(a.SQL, "COMMENT ON TABLE public.orders IS 'sales'") || len(a.Renames) != 1 {
		t.Fatalf("first database: %+v", a)
	}
	if b.DatabaseID != bID || b.Error != "" || !strings.Contains(b.SQL, "RENAME COLUMN note TO remark") || strings.Contains(b.SQL, "COMMENT ON") || len(b.Statements) != 1 {
		t.Fatalf("second database (already commented): %+v", b)
	}
	if c.DatabaseID != cID || c.SQL != "" || c.ErrorOp != 1 || !strings.HasPrefix(c.Error, c.DatabaseName+": operation 1 (rename_column): ") || c.Statements == nil {
		t.Fatalf("third database (no orders table): %+v", c)
	}

	// one issue, one task per database, each with its own SQL
	ok, err := svc.PreviewTargets(st.SessionID, []string{aID, bID}, false)
	if err != nil || !ok.OK {
		t.Fatalf("two targets: %+v, %v", ok, err)
	}
	per := map[string]string{}
	for _, tp := range ok.Targets {
		per[tp.DatabaseID] = tp.SQL
	}
	n, err := h.app.Issues().CreateSchemaChange(SchemaChangeRequest{DatabaseIDs: []string{aID, bID}, PerDatabase: per, Title: "Rename note"})
	if err != nil {
		t.Fatal(err)
	}
	is, err := h.app.workflow.Get(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if len(is.Tasks) != 2 {
		t.Fatalf("issue #%d has %d tasks, want 2", n, len(is.Tasks))
	}
	for _, task := range is.Tasks {
		if task.Statement != per[task.DatabaseID] {
			t.Errorf("task on %s runs %q, want its own %q", task.DatabaseName, task.Statement, per[task.DatabaseID])
		}
	}
	if _, err := svc.PreviewTargets(st.SessionID, nil, false); userErr(t, err).Field != "databases" {
		t.Fatalf("no targets: %v", err)
	}

	// a design is the desired state of every target: each is planned from
	// its own model to the edited design
	snap, err := h.app.syncer.Latest(context.Background(), aID)
	if err != nil {
		t.Fatal(err)
	}
	model, err := json.Marshal(snap.Schema)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "design.json")
	if err := os.WriteFile(file, model, 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := svc.OpenDesign(aID, CompareSide{Kind: SideFile, Path: file})
	if err != nil {
		t.Fatal(err)
	}
	if ds, err = svc.Apply(ds.SessionID, schemaedit.Op{Op: schemaedit.AddColumn, Schema: "public", Table: "orders",
		Column: &schemaedit.ColumnSpec{Name: "placed_at", Type: "timestamptz"}}); err != nil {
		t.Fatal(err)
	}
	dp, err := svc.PreviewTargets(ds.SessionID, []string{aID, bID}, false)
	if err != nil || !dp.OK {
		t.Fatalf("design on two targets: %+v, %v", dp, err)
	}
	da, db := dp.Targets[0], dp.Targets[1]
	if !strings.Contains(da.SQL, "ADD COLUMN placed_at") || strings.Contains(da.SQL, "DROP") || len(da.Statements) != 1 {
		t.Errorf("design on the database it came from: only the new column:\n%s", da.SQL)
	}
	if !strings.Contains(db.SQL, "ADD COLUMN placed_at") || !strings.Contains(db.SQL, "DROP COLUMN discount") || !strings.Contains(db.SQL, "COMMENT ON TABLE public.orders IS NULL") {
		t.Errorf("design on the other database: its own differences go too:\n%s", db.SQL)
	}
}

func strp(s string) *string { return &s }
