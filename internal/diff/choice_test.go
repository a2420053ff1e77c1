package diff_test

import (
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
)

// choiceModels returns a table public.t (a, b) and the same table with a
// new index t_a_idx, a new check t_b_check and a foreign key t_b_fkey to
// public.r.
func choiceModels() (from, to catalog.Schema) {
	tq := catalog.QualifiedName{Schema: "public", Name: "t"}
	rq := catalog.QualifiedName{Schema: "public", Name: "r"}
	cols := []catalog.Column{{Name: "a", Type: "integer", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "int4"}},
		{Name: "b", Type: "integer", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "int4"}}}
	r := catalog.Table{QualifiedName: rq, Kind: catalog.TableRegular, Columns: []catalog.Column{{Name: "id", Type: "integer", NotNull: true, TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "int4"}}},
		Constraints: []catalog.Constraint{{Name: "r_pkey", Type: catalog.ConstraintPrimaryKey, Definition: "PRIMARY KEY (id)", Columns: []string{"id"}, Index: "r_pkey"}},
		Indexes:     []catalog.Index{{Name: "r_pkey", Method: "btree", Unique: true, Primary: true, Constraint: "r_pkey", Valid: true, Keys: []catalog.IndexKey{{Column: "id"}}, Definition: "CREATE UNIQUE INDEX r_pkey ON public.r USING btree (id)"}}}
	from = catalog.Schema{Namespaces: []catalog.Namespace{{Name: "public"}}, Tables: []catalog.Table{r, {QualifiedName: tq, Kind: catalog.TableRegular, Columns: cols}}}
	to = from.Clone()
	t := to.Table(tq)
	t.Indexes = append(t.Indexes, catalog.Index{Name: "t_a_idx", Method: "btree", Valid: true, Keys: []catalog.IndexKey{{Column: "a"}}, Definition: "CREATE INDEX t_a_idx ON public.t USING btree (a)"})
	t.Constraints = append(t.Constraints,
		catalog.Constraint{Name: "t_b_check", Type: catalog.ConstraintCheck, Definition: "CHECK ((b > 0))", Columns: []string{"b"}},
		catalog.Constraint{Name: "t_b_fkey", Type: catalog.ConstraintForeignKey, Definition: "FOREIGN KEY (b) REFERENCES public.r(id)", Columns: []string{"b"},
			RefTable: &rq, RefColumns: []string{"id"}, MatchType: "simple", OnUpdate: "no_action", OnDelete: "no_action"})
	return from, to
}

// TestPerObjectOnlineChoices: Options.Concurrently and NotValidFirst
// override Online for the objects they name, both ways, and leave the
// others following Online.
func TestPerObjectOnlineChoices(t *testing.T) {
	idx := catalog.QualifiedName{Schema: "public", Name: "t_a_idx"}
	chk := diff.ConstraintRef{Table: catalog.QualifiedName{Schema: "public", Name: "t"}, Name: "t_b_check"}
	cases := []struct {
		name       string
		opts       diff.Options
		concurrent bool // the index is built CONCURRENTLY
		checkLater bool // the check is added NOT VALID then validated
		fkLater    bool // the foreign key is added NOT VALID then validated
	}{
		{name: "offline, no choices", opts: diff.Options{}},
		{name: "online, no choices", opts: diff.Options{Online: true}, concurrent: true, checkLater: true, fkLater: true},
		{name: "offline, chosen on", opts: diff.Options{Concurrently: map[catalog.QualifiedName]bool{idx: true}, NotValidFirst: map[diff.ConstraintRef]bool{chk: true}},
			concurrent: true, checkLater: true},
		{name: "online, chosen off", opts: diff.Options{Online: true, Concurrently: map[catalog.QualifiedName]bool{idx: false}, NotValidFirst: map[diff.ConstraintRef]bool{chk: false}},
			fkLater: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from, to := choiceModels()
			plan, err := diff.Diff(&from, &to, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			sql := plan.SQL()
			check := func(what string, want bool, frag string) {
				t.Helper()
				if got := strings.Contains(sql, frag); got != want {
					t.Errorf("%s: %q in the plan is %v, want %v:\n%s", what, frag, got, want, sql)
				}
			}
			check("index", c.concurrent, "CREATE INDEX CONCURRENTLY t_a_idx")
			check("index", !c.concurrent, "CREATE INDEX t_a_idx")
			check("check", c.checkLater, "VALIDATE CONSTRAINT t_b_check")
			check("foreign key", c.fkLater, "VALIDATE CONSTRAINT t_b_fkey")
			for _, s := range plan.Statements {
				if strings.Contains(s.SQL, "CONCURRENTLY") && s.Transactional {
					t.Errorf("a concurrent build is marked transactional: %s", s.SQL)
				}
			}
		})
	}
}
