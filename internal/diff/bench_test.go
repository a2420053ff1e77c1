package diff_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/diff"
)

func strp(s string) *string { return &s }

// benchSchema builds an n-table model in memory: a primary key, a foreign
// key to the previous table, an index and a comment per table, a view per
// 10 tables.
func benchSchema(n int) catalog.Schema {
	s := catalog.Schema{Namespaces: []catalog.Namespace{{Name: "public"}}}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("t%05d", i)
		q := catalog.QualifiedName{Schema: "public", Name: name}
		t := catalog.Table{QualifiedName: q, Kind: catalog.TableRegular,
			Columns: []catalog.Column{
				{Name: "id", Type: "bigint", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "int8"}, NotNull: true},
				{Name: "name", Type: "text", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "text"}},
				{Name: "created", Type: "timestamp with time zone", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "timestamptz"}, Default: strp("now()"), NotNull: true},
				{Name: "parent_id", Type: "bigint", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "int8"}},
			},
			Constraints: []catalog.Constraint{{Name: name + "_pkey", Type: catalog.ConstraintPrimaryKey, Definition: "PRIMARY KEY (id)", Columns: []string{"id"}, Index: name + "_pkey"}},
			Indexes: []catalog.Index{
				{Name: name + "_pkey", Definition: "CREATE UNIQUE INDEX " + name + "_pkey ON public." + name + " USING btree (id)", Method: "btree", Unique: true, Primary: true, Constraint: name + "_pkey", Keys: []catalog.IndexKey{{Column: "id"}}, Valid: true},
				{Name: name + "_name_idx", Definition: "CREATE INDEX " + name + "_name_idx ON public." + name + " USING btree (name)", Method: "btree", Keys: []catalog.IndexKey{{Column: "name"}}, Valid: true},
			},
			Comment: strp("table " + name),
		}
		if i > 0 {
			prev := fmt.Sprintf("t%05d", i-1)
			t.Constraints = append(t.Constraints, catalog.Constraint{Name: name + "_parent_fk", Type: catalog.ConstraintForeignKey,
				Definition: "FOREIGN KEY (parent_id) REFERENCES public." + prev + "(id)", Columns: []string{"parent_id"},
				RefTable: &catalog.QualifiedName{Schema: "public", Name: prev}, RefColumns: []string{"id"}, MatchType: "simple", OnUpdate: "no_action", OnDelete: "no_action",
				DependsOn: []catalog.ObjectRef{{Kind: catalog.KindIndex, Schema: "public", Name: prev + "_pkey"}}})
		}
		s.Tables = append(s.Tables, t)
		if i%10 == 0 {
			s.Views = append(s.Views, catalog.View{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "v_" + name},
				Definition: " SELECT id, name FROM public." + name, Columns: []catalog.ViewColumn{{Name: "id", Type: "bigint"}, {Name: "name", Type: "text"}},
				DependsOn: []catalog.ObjectRef{t.Ref()}})
		}
	}
	return s
}

// mutateBench changes about 200 objects of s.
func mutateBench(s catalog.Schema) catalog.Schema {
	s = s.Clone()
	n := len(s.Tables)
	for i := 0; i < 50; i++ { // added columns
		t := &s.Tables[(i*97)%n]
		t.Columns = append(t.Columns, catalog.Column{Name: "extra", Type: "integer", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "int4"}})
	}
	for i := 0; i < 40; i++ { // column type changes (views on them are re-created)
		t := &s.Tables[(i*89+5)%n]
		t.Columns[1].Type = "character varying(200)"
	}
	for i := 0; i < 40; i++ { // new indexes
		t := &s.Tables[(i*83+7)%n]
		nm := t.Name + "_created_idx"
		t.Indexes = append(t.Indexes, catalog.Index{Name: nm, Definition: "CREATE INDEX " + nm + " ON public." + t.Name + " USING btree (created)", Method: "btree", Keys: []catalog.IndexKey{{Column: "created"}}, Valid: true})
	}
	for i := 0; i < 30; i++ { // dropped indexes
		t := &s.Tables[(i*79+11)%n]
		t.Indexes = t.Indexes[:1]
	}
	for i := 0; i < 20; i++ { // comments
		s.Tables[(i*73+13)%n].Comment = strp("changed")
	}
	for i := 0; i < 20; i++ { // new tables
		s.Tables = append(s.Tables, catalog.Table{QualifiedName: catalog.QualifiedName{Schema: "public", Name: fmt.Sprintf("new_%d", i)}, Kind: catalog.TableRegular,
			Columns: []catalog.Column{{Name: "id", Type: "integer", TypeRef: catalog.QualifiedName{Schema: "pg_catalog", Name: "int4"}}}})
	}
	return s
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestBenchDiff prints the CPU time of Diff over two 5,000-table models
// differing in ~200 objects, beside the time to inspect a real database
// (1,000+ tables) and pg_dump's time on the same database.
func TestBenchDiff(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("set TIDEMARK_BENCH=1 to run benchmarks")
	}
	from := benchSchema(5000)
	to := mutateBench(from)
	// Warm up once, then measure the best of 3.
	if _, err := diff.Diff(&from, &to, diff.Options{}); err != nil {
		t.Fatal(err)
	}
	var best, bestWall time.Duration
	var plan diff.Plan
	for i := 0; i < 3; i++ {
		c0, w0 := cpuTime(), time.Now()
		p, err := diff.Diff(&from, &to, diff.Options{Online: true})
		c, w := cpuTime()-c0, time.Since(w0)
		if err != nil {
			t.Fatal(err)
		}
		plan = p
		if best == 0 || c < best {
			best, bestWall = c, w
		}
	}
	fmt.Printf("BENCH diff 5000 tables (~200 changed objects, %d statements): cpu %.1f ms, wall %.1f ms (goal < 200 ms cpu)\n",
		len(plan.Statements), ms(best), ms(bestWall))

	// Inspect of a real database next to pg_dump -s of it.
	const tables = 1200
	url := pg.NewDB(t)
	if err := psql(t, url, "", []byte(schemagen.Generate(7, schemagen.Options{Tables: tables}))); err != nil {
		t.Fatal(err)
	}
	c := pgtestConnAdmin(t)
	_ = c
	conn := pgtestConn(t, url)
	var inspectBest time.Duration
	var res *catalog.Result
	for i := 0; i < 3; i++ {
		w0 := time.Now()
		r, err := catalog.Inspect(context.Background(), conn, catalog.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(w0); inspectBest == 0 || d < inspectBest {
			inspectBest = d
		}
		res = r
	}
	var dumpBest time.Duration
	for i := 0; i < 3; i++ {
		w0 := time.Now()
		if out, err := exec.Command(filepath.Join(pg.BinDir, "pg_dump"), "--schema-only", "-d", url).CombinedOutput(); err != nil {
			t.Fatalf("pg_dump: %v\n%s", err, out)
		}
		if d := time.Since(w0); dumpBest == 0 || d < dumpBest {
			dumpBest = d
		}
	}
	self := res.Schema
	c0 := cpuTime()
	p, err := diff.Diff(&self, &self, diff.Options{})
	selfCPU := cpuTime() - c0
	if err != nil || !p.Empty() {
		t.Fatalf("self diff: %v, %d statements", err, len(p.Statements))
	}
	fmt.Printf("BENCH inspect %d-table database (%d tables with partitions/children): %.1f ms wall; pg_dump -s %.1f ms; ratio inspect/pg_dump %.2f\n",
		tables, len(res.Schema.Tables), ms(inspectBest), ms(dumpBest), float64(inspectBest)/float64(dumpBest))
	fmt.Printf("BENCH diff cpu vs inspect: diff(5000 tables) %.1f ms cpu, self-diff of the inspected %d tables %.1f ms cpu, inspect %.1f ms wall; ratio diff/inspect %.2f\n",
		ms(best), len(res.Schema.Tables), ms(selfCPU), ms(inspectBest), float64(best)/float64(inspectBest))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
