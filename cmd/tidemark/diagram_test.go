package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// TestSchemaDiagramCLI: the ER diagram of a live database as Mermaid and
// JSON, of a workspace database's snapshot, and usage errors exit 2.
func TestSchemaDiagramCLI(t *testing.T) {
	url := pgsrv.NewDB(t)
	pgtest.MustExec(t, url, `CREATE TABLE customers (id int PRIMARY KEY, name text);
		CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, note varchar(20));
		CREATE SCHEMA other; CREATE TABLE other.x (id int);`)
	out, errs, code := runCLI(t, "schema", "diagram", "--url", url, "--schema", "public")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{"erDiagram\n", "    public__customers {\n        integer id PK \"not null\"\n        text name\n    }",
		"character_varying_20_ note", `public__customers ||--o{ public__orders : "orders_customer_id_fkey"`} {
		if !strings.Contains(out, want) {
			t.Errorf("mermaid lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "other__x") {
		t.Errorf("--schema public draws other.x:\n%s", out)
	}
	out, errs, code = runCLI(t, "schema", "diagram", "--url", url, "--format", "json")
	if code != 0 {
		t.Fatalf("json: exit %d\n%s", code, errs)
	}
	var d struct {
		Tables []struct {
			ID string `json:"id"`
		} `json:"tables"`
		Edges []struct {
			From, To string
		} `json:"edges"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || len(d.Tables) != 3 || len(d.Edges) != 1 || d.Edges[0].To != "public.customers" {
		t.Fatalf("json diagram %+v (%v):\n%s", d, err, out)
	}

	t.Setenv("HOME", t.TempDir())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	s := issueCLI{t: t, ws: filepath.Join(t.TempDir(), "ws")}
	s.ok("instance", "add", "Local", "--url", pgsrv.AdminURL)
	s.ok("instance", "sync", "Local")
	out, errs, code = s.run("schema", "diagram", "--database", "Local/"+dbName(url))
	if code != 0 || !strings.Contains(out, "public__orders {") {
		t.Fatalf("--database: exit %d\n%s\n%s", code, errs, out)
	}
	for _, args := range [][]string{
		{"schema", "diagram"},
		{"schema", "diagram", "--url", url, "--database", "x"},
		{"schema", "diagram", "--url", url, "--format", "svg"},
	} {
		if _, errs, code := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d\n%s", args, code, errs)
		}
	}
	if _, errs, code := s.run("schema", "diagram", "--database", "Local/nosuch"); code != 2 {
		t.Errorf("unknown database: exit %d\n%s", code, errs)
	}
}
