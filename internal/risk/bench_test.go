package risk

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// TestBenchRiskApproval grades an issue of 1,000 statements across 50
// databases (20 each, a mix of DDL and DML) with the preset risk rules and
// matches the preset approval rules, printed beside the time of splitting
// and parsing the same SQL (what the syntax check does first).
func TestBenchRiskApproval(t *testing.T) {
	if os.Getenv("TIDEMARK_BENCH") != "1" {
		t.Skip("set TIDEMARK_BENCH=1 to run benchmarks")
	}
	e := engine(t)
	rs, _ := e.Prepare(Presets())
	as, _ := e.PrepareApprovals(PresetApprovalRules())
	kinds := []string{
		"CREATE TABLE t%[1]d (id bigint PRIMARY KEY, name text NOT NULL DEFAULT '')",
		"ALTER TABLE public.t%[1]d ADD COLUMN c%[1]d text",
		"CREATE INDEX i%[1]d ON t%[1]d (name)",
		"UPDATE t%[1]d SET name = 'x' WHERE id > %[1]d",
		"DELETE FROM t%[1]d WHERE id = %[1]d",
		"ALTER TABLE t%[1]d ALTER COLUMN name TYPE varchar(200)",
		"INSERT INTO t%[1]d (id, name) VALUES (%[1]d, 'n')",
		"COMMENT ON TABLE t%[1]d IS 'x'",
		"ALTER TABLE t%[1]d DROP COLUMN c%[1]d",
		"DROP TABLE IF EXISTS old%[1]d",
	}
	const dbs, per = 50, 20
	sqls := make([]string, dbs)
	for d := range dbs {
		var b strings.Builder
		for i := range per {
			fmt.Fprintf(&b, kinds[(d+i)%len(kinds)]+";\n", d*per+i)
		}
		sqls[d] = b.String()
	}
	facts := Facts{AffectedRows: map[int]int64{4: 20000}, TableRows: map[string]int64{}}
	best := func(f func()) time.Duration {
		var min time.Duration
		for r := range 5 {
			start := time.Now()
			f()
			if d := time.Since(start); r == 0 || d < min {
				min = d
			}
		}
		return min
	}
	split := make([][]sqlparse.Statement, dbs)
	parse := best(func() {
		for d := range dbs {
			sts, err := sqlparse.Split(sqls[d])
			if err != nil {
				t.Fatal(err)
			}
			split[d] = sts
		}
	})
	var level Level
	eval := best(func() {
		var all []Assessment
		var ins []Input
		for d := range dbs {
			in := StatementInputs(Target{EnvironmentID: "prod", Production: d%2 == 0, DatabaseName: fmt.Sprintf("db%d", d), IssueType: "schema_change"}, split[d], facts)
			all = append(all, rs.Assess(SourceSchemaChange, in))
			ins = append(ins, in...)
		}
		m := Merge(all...)
		as.Match(SourceSchemaChange, m.Level, ins)
		level = m.Level
	})
	if level != High {
		t.Fatalf("the bench issue grades %s", level)
	}
	fmt.Printf("BENCH risk+approval evaluation, 1000 statements on 50 databases: %.2f ms (parsing the same SQL: %.2f ms, ratio %.2f; budget 50 ms)\n",
		float64(eval.Microseconds())/1000, float64(parse.Microseconds())/1000, float64(eval)/float64(parse))
}
