package review

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

func reviewWith(t *testing.T, src string, rules ...string) *Result {
	t.Helper()
	pol := &Policy{}
	for _, id := range rules {
		pol.Rules = append(pol.Rules, RuleConfig{ID: id, Level: Warning})
	}
	res, err := NewRegistry().Review(context.Background(), src, Options{Policy: pol, File: "m.sql"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rulesAndLines(res *Result) []string {
	var out []string
	for _, a := range res.Advice {
		out = append(out, a.Rule+"@"+itoa(a.Line))
	}
	return out
}

func TestSuppression(t *testing.T) {
	const upd = "statement.where.require.update-delete"
	cases := []struct {
		name, src string
		want      []string
	}{
		{"statement level", "-- tidemark:ignore " + upd + "\nDELETE FROM t;\nDELETE FROM u;", []string{upd + "@3"}},
		{"file level at top", "-- tidemark:ignore " + upd + "\n\nDELETE FROM t;\nDELETE FROM u;", nil},
		{"ignore-file anywhere", "DELETE FROM t;\n-- tidemark:ignore-file " + upd + "\nDELETE FROM u;", nil},
		{"trailing on the same line", "DELETE FROM t; -- tidemark:ignore " + upd + "\nDELETE FROM u;", []string{upd + "@2"}},
		{"inside the statement", "DELETE /* tidemark:ignore " + upd + " */ FROM t;", nil},
		{"several ids", "-- tidemark:ignore " + upd + ", table.require-pk\nCREATE TABLE x (a int);\nDELETE FROM x;", []string{ruleUnusedIgnore + "@1", upd + "@3"}},
		{"unused", "-- tidemark:ignore " + upd + "\nDELETE FROM t WHERE id = 1;", []string{ruleUnusedIgnore + "@1"}},
		{"rule off in this policy is not unused", "-- tidemark:ignore naming.table\nDELETE FROM t WHERE id = 1;", nil},
		{"unknown rule", "-- tidemark:ignore no.such.rule\nSELECT 1;", []string{ruleUnusedIgnore + "@1"}},
		{"no ids", "SELECT 1; -- tidemark:ignore", []string{ruleUnusedIgnore + "@1"}},
		{"directive in a string is not a directive", "SELECT '-- tidemark:ignore " + upd + "';\nDELETE FROM t;", []string{upd + "@2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := rulesAndLines(reviewWith(t, tc.src, upd, "table.require-pk", ruleUnusedIgnore))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAdviceShape(t *testing.T) {
	src := "SELECT 1;\n\n  DELETE FROM t;\nCREATE TABLE x (\n  a int\n);"
	res := reviewWith(t, src, "statement.where.require.update-delete", "table.require-pk")
	if len(res.Advice) != 2 {
		t.Fatalf("advice: %+v", res.Advice)
	}
	a := res.Advice[0]
	if a.Rule != "statement.where.require.update-delete" || a.File != "m.sql" || a.Line != 3 || a.Column != 3 ||
		a.Statement.Line != 3 || src[a.Statement.Start:a.Statement.End] != "DELETE FROM t" || a.Title == "" {
		t.Errorf("advice %+v", a)
	}
	b := res.Advice[1]
	if b.Rule != "table.require-pk" || b.Statement.Line != 4 || b.Statement.EndLine != 6 {
		t.Errorf("advice %+v", b)
	}
	if res.Counts[Warning] != 2 || res.HasErrors() {
		t.Errorf("counts %v", res.Counts)
	}
}

func TestReviewSyntaxError(t *testing.T) {
	_, err := NewRegistry().Review(context.Background(), "SELECT 1;\nALTER TABEL t ADD x int;", Options{})
	var se *sqlparse.SyntaxError
	if !errors.As(err, &se) || se.Line != 2 || se.Column != 7 {
		t.Fatalf("got %v", err)
	}
}

func TestCatalogIsNotModified(t *testing.T) {
	cat := testCatalog()
	before := len(cat.Table("public", "users").Columns)
	reviewWith(t, "ALTER TABLE users ADD COLUMN x int;", "table.require-pk")
	res, err := NewRegistry().Review(context.Background(), "ALTER TABLE users ADD COLUMN x int; DROP TABLE tech_book;", Options{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Table("public", "users").Columns) != before || cat.Table("public", "tech_book") == nil {
		t.Error("review modified the caller's catalog")
	}
	if res.Catalog.Table("public", "tech_book") != nil || res.Catalog.Table("public", "users").Column("x") == nil {
		t.Error("the result catalog should hold the simulated final state")
	}
}

func TestSimulation(t *testing.T) {
	src := `CREATE TABLE a (id int PRIMARY KEY, b int, c int UNIQUE);
CREATE INDEX ON a (b);
ALTER TABLE a RENAME COLUMN b TO bb;
ALTER INDEX a_b_idx RENAME TO a_bb_idx;
ALTER TABLE a DROP COLUMN c;
COMMENT ON TABLE a IS 'x';
ALTER TABLE a RENAME TO a2;`
	res, err := NewRegistry().Review(context.Background(), src, Options{Policy: &Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	tbl := res.Catalog.Table("public", "a2")
	if tbl == nil || res.Catalog.Table("public", "a") != nil {
		t.Fatal("rename not simulated")
	}
	var names []string
	for _, ix := range tbl.Indexes {
		names = append(names, ix.Name+"("+strings.Join(ix.Columns, ",")+")")
	}
	if !reflect.DeepEqual(names, []string{"a_pkey(id)", "a_bb_idx(bb)"}) {
		t.Errorf("indexes %v", names)
	}
	if tbl.Column("c") != nil || tbl.Column("bb") == nil || tbl.Comment == nil || *tbl.Comment != "x" {
		t.Errorf("columns/comment wrong: %+v", tbl)
	}
	if tbl.Constraint("a_c_key") != nil {
		t.Error("dropping a column must drop its unique constraint")
	}
}

func TestRegistryMetadata(t *testing.T) {
	reg := NewRegistry()
	rules := reg.Rules()
	if len(rules) < 70 {
		t.Fatalf("only %d rules", len(rules))
	}
	for _, r := range rules {
		if r.ID == "" || r.Title == "" || len(r.Rationale) < 40 || r.Example == "" || r.Family == "" {
			t.Errorf("rule %s lacks documentation: %+v", r.ID, r)
		}
		if !r.Level.valid() || !r.Basic.valid() || (r.Level == Off && r.Basic != Off) {
			t.Errorf("rule %s: bad levels %q/%q", r.ID, r.Level, r.Basic)
		}
		x := reg.byID[r.ID]
		if err := x.validatePayload(r.Default); err != nil {
			t.Errorf("rule %s: default payload invalid: %v", r.ID, err)
		}
	}
}

// TestChainedReviews reviews two files in sequence, the second on the
// first's final catalog, as the CLI does for a migration directory.
func TestChainedReviews(t *testing.T) {
	reg := NewRegistry()
	pol, _ := reg.Template(TemplateAdvanced)
	first, err := reg.Review(context.Background(), "CREATE TABLE items (id bigint PRIMARY KEY);", Options{Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	second, err := reg.Review(context.Background(), "CREATE INDEX items_id_idx ON items (id);\nSELECT 1;", Options{Policy: pol, Catalog: first.Catalog})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range second.Advice {
		switch a.Rule {
		case "table.comment", "column.comment", "column.required", "index.create-concurrently":
			t.Errorf("the second file must not re-report the first file's table or treat it as existing: %+v", a)
		}
		if a.Line < 1 {
			t.Errorf("advice without a position: %+v", a)
		}
	}
	found := false
	for _, a := range second.Advice {
		if a.Rule == "index.no-redundant" {
			found = true // items_pkey from the first file covers (id)
		}
	}
	if !found {
		t.Errorf("the second file should see the first file's primary key index: %+v", second.Advice)
	}
}

func TestLiteralTemplate(t *testing.T) {
	for _, tc := range []struct {
		format, body string
		empty, ok    bool
	}{
		{"^$|^idx_{{table}}_{{column_list}}$", "idx_{{table}}_{{column_list}}", true, true},
		{"^pk_{{table}}$", "pk_{{table}}", false, true},
		{"^idx_{{table}}_.*$", "", false, false},
		{"idx_{{table}}", "", false, false},
	} {
		body, empty, ok := literalTemplate(tc.format)
		if body != tc.body || empty != tc.empty || ok != tc.ok {
			t.Errorf("%q: %q %v %v", tc.format, body, empty, ok)
		}
	}
	// A regex template still goes through the regexp engine.
	pol := &Policy{Rules: []RuleConfig{{ID: "naming.index.idx", Level: Warning, Payload: &Payload{Format: "^idx_{{table}}_.+$"}}}}
	res, err := NewRegistry().Review(context.Background(), "CREATE INDEX idx_t_a ON t (a); CREATE INDEX t_a ON t (a);", Options{Policy: pol})
	if err != nil || len(res.Advice) != 1 || !strings.Contains(res.Advice[0].Message, `"t_a"`) {
		t.Errorf("%v %+v", err, res.Advice)
	}
}
