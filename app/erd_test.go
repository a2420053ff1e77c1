package app

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

// TestDiagramBinding: the database page's diagram comes from the latest
// snapshot (a clear error before the first sync), the editor's from the
// session's edited model with its marks; both are built by internal/erd,
// tested there.
func TestDiagramBinding(t *testing.T) {
	h := newApp(t, "", false)
	dbID, _ := schemaDB(t, h, `CREATE SCHEMA sales;
CREATE TABLE public.customers (id bigint PRIMARY KEY, name text);
CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES public.customers (id));`)
	svc := h.app.Schema()

	_, err := svc.Diagram(dbID, nil)
	if ue := userErr(t, err); !strings.Contains(ue.Message, "has not been synced yet") {
		t.Fatalf("diagram before a sync: %q", ue.Message)
	}
	if _, err := svc.Sync(dbID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		schemas []string
		tables  int
		edges   int
	}{
		{"all schemas", nil, 2, 1},
		{"one schema", []string{"sales"}, 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := svc.Diagram(dbID, c.schemas)
			if err != nil {
				t.Fatal(err)
			}
			if d.SnapshotID == "" || d.DatabaseID != dbID || len(d.Diagram.Tables) != c.tables || len(d.Diagram.Edges) != c.edges {
				t.Fatalf("diagram = %+v", d)
			}
		})
	}

	h.app.emitHook = func(string, any) {}
	ed := h.app.SchemaEdit()
	st, err := ed.Open(dbID)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []schemaedit.Op{
		{Op: schemaedit.AddColumn, Schema: "public", Table: "customers", Column: &schemaedit.ColumnSpec{Name: "referrer_id", Type: "bigint"}},
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "customers", Constraint: &schemaedit.ConstraintSpec{Type: "foreign_key", Columns: []string{"referrer_id"}, RefTable: "customers"}},
	} {
		if _, err := ed.Apply(st.SessionID, op); err != nil {
			t.Fatalf("%s: %v", op.Op, err)
		}
	}
	d, err := ed.Diagram(st.SessionID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range d.Diagram.Edges {
		if e.Name == "customers_referrer_id_fkey" {
			found = e.Mark == "created" && e.From == "public.customers" && e.To == "public.customers"
		}
	}
	if !found || d.SnapshotID != st.SnapshotID {
		t.Fatalf("editor diagram lacks the new foreign key, marked created: %+v", d)
	}
	ed.Close(st.SessionID)
	_, err = ed.Diagram(st.SessionID, nil)
	if ue := userErr(t, err); !strings.Contains(ue.Message, "is closed") {
		t.Fatalf("diagram of a closed session: %q", ue.Message)
	}
}

func TestSaveDiagram(t *testing.T) {
	svc := newApp(t, "", false).app.Schema()
	dir := t.TempDir()
	png := append(append([]byte{}, pngSignature...), "rest of the image"...)
	cases := []struct {
		name, file, format, data string
		want                     []byte // nil: refused
		field                    string
	}{
		{"svg", "d.svg", "svg", `<svg xmlns="http://www.w3.org/2000/svg"></svg>`, []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), ""},
		{"png as base64", "a.png", "png", base64.StdEncoding.EncodeToString(png), png, ""},
		{"png as a data URL", "b.png", "png", "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), png, ""},
		{"not an svg", "x.svg", "svg", "hello", nil, "data"},
		{"not a png", "x.png", "png", base64.StdEncoding.EncodeToString([]byte("GIF89a")), nil, "data"},
		{"not base64", "y.png", "png", "%%%", nil, "data"},
		{"unknown format", "z.gif", "gif", "GIF89a", nil, "format"},
		{"no path", "", "svg", "<svg/>", nil, "path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := ""
			if c.file != "" {
				path = filepath.Join(dir, c.file)
			}
			err := svc.SaveDiagram(path, c.format, c.data)
			if c.want == nil {
				if ue := userErr(t, err); ue.Field != c.field {
					t.Fatalf("field = %q, want %q (%s)", ue.Field, c.field, ue.Message)
				}
				if _, err := os.Stat(path); path != "" && err == nil {
					t.Fatalf("%s written although refused", path)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, c.want) {
				t.Fatalf("file = %q, want %q", got, c.want)
			}
		})
	}
	err := svc.SaveDiagram(filepath.Join(dir, "missing", "d.svg"), "svg", "<svg/>")
	if ue := userErr(t, err); !strings.Contains(ue.Message, "cannot export the diagram to") {
		t.Fatalf("write into a missing directory: %q", ue.Message)
	}
	if _, err := svc.ChooseDiagramPath("any", "gif"); userErr(t, err).Field != "format" {
		t.Fatalf("unknown format accepted by the dialog")
	}
}
