package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

// TestSchemaEditDesign: a design saved as .sql (Save .sql) is opened again
// for a database, loaded on the scratch server; edits are made to the
// design and Preview plans from the database's snapshot to the edited
// design. A broken file names its line; a design needs a file or a
// snapshot.
func TestSchemaEditDesign(t *testing.T) {
	f := newCompareFixture(t, true, map[string]string{"db": baseDDL})
	f.h.app.emitHook = func(string, any) {} // schemaedit:changed after each edit
	svc := f.h.app.SchemaEdit()
	dir := t.TempDir()
	design := filepath.Join(dir, "design.sql")
	if err := os.WriteFile(design, []byte(changeDDL+"\nCREATE TABLE public.tags (id int PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := svc.OpenDesign(f.ids["db"], CompareSide{Kind: SideFile, Path: design})
	if err != nil {
		t.Fatal(err)
	}
	if st.Design != "design.sql" || st.DatabaseID != f.ids["db"] || viewTable(st, "public", "tags") == nil || st.Model.CanUndo {
		t.Fatalf("opened design = %+v", st)
	}
	st, err = svc.Apply(st.SessionID, schemaedit.Op{Op: schemaedit.RenameColumn, Schema: "public", Table: "items", Name: "name", To: "title"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Preview(st.SessionID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"RENAME COLUMN name TO title", "ADD COLUMN price numeric", "CREATE TABLE public.tags", "items_name_idx"} {
		if !strings.Contains(p.SQL, want) {
			t.Errorf("design preview lacks %q:\n%s", want, p.SQL)
		}
	}
	if strings.Contains(p.SQL, "DROP") {
		t.Errorf("design preview drops something:\n%s", p.SQL)
	}

	// Saved again, the edited design re-opens with the edit in it.
	if err := svc.SaveSQL(st.SessionID, design); err != nil {
		t.Fatal(err)
	}
	again, err := svc.OpenDesign(f.ids["db"], CompareSide{Kind: SideFile, Path: design})
	if err != nil {
		t.Fatal(err)
	}
	if it := viewTable(again, "public", "items"); it == nil || !hasViewColumn(it, "title") {
		t.Fatalf("re-opened design lacks the renamed column: %+v", it)
	}

	broken := filepath.Join(dir, "broken.sql")
	if err := os.WriteFile(broken, []byte("CREATE TABLE a (id int);\nCREATE TABEL b (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = svc.OpenDesign(f.ids["db"], CompareSide{Kind: SideFile, Path: broken})
	if err == nil || !strings.Contains(err.Error(), "broken.sql:2") || !strings.Contains(err.Error(), "42601") {
		t.Errorf("broken design: %v", err)
	}
	_, err = svc.OpenDesign(f.ids["db"], CompareSide{Kind: SideDatabase, DatabaseID: f.ids["db"]})
	if err == nil || !strings.Contains(err.Error(), `"field":"design"`) {
		t.Errorf("a database as the design: %v", err)
	}
}

func hasViewColumn(t *schemaedit.TableView, name string) bool {
	for _, c := range t.Columns {
		if c.Name == name {
			return true
		}
	}
	return false
}
