package diff_test

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// mutations returns candidate DDL changes for s, drawn with r: columns
// added, dropped, re-typed and made (not) null, checks and indexes added and
// dropped, views created over tables and dropped, partitions added and
// detached, enum values added, comments. Some may fail on the database
// (dependencies); callers skip those.
func mutations(r *rand.Rand, s *catalog.Schema, n int) []string {
	var out []string
	var tables []*catalog.Table
	for i := range s.Tables {
		if s.Tables[i].PartitionOf == nil && len(s.Tables[i].Inherits) == 0 {
			tables = append(tables, &s.Tables[i])
		}
	}
	if len(tables) == 0 {
		return nil
	}
	for i := 0; i < n; i++ {
		t := tables[r.Intn(len(tables))]
		name := t.QualifiedName.String()
		col := t.Columns[r.Intn(len(t.Columns))]
		c := catalog.QuoteIdent(col.Name)
		switch r.Intn(14) {
		case 0:
			out = append(out, fmt.Sprintf("ALTER TABLE %s ADD COLUMN mut_%d integer DEFAULT %d", name, i, i))
		case 1:
			out = append(out, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s CASCADE", name, c))
		case 2:
			switch col.Type {
			case "integer":
				out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE bigint", name, c))
			case "text":
				out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE character varying(300)", name, c))
			default:
				out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE text USING %s::text", name, c, c))
			}
		case 3:
			if col.NotNull {
				out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", name, c))
			} else {
				out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", name, c))
			}
		case 4:
			out = append(out, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT mut_chk_%d CHECK (%s IS NOT NULL OR %s IS NULL)", name, i, c, c))
		case 5:
			if len(t.Constraints) > 0 {
				k := t.Constraints[r.Intn(len(t.Constraints))]
				out = append(out, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s CASCADE", name, catalog.QuoteIdent(k.Name)))
			}
		case 6:
			out = append(out, fmt.Sprintf("CREATE INDEX mut_idx_%d ON %s (%s)", i, name, c))
		case 7:
			for _, x := range t.Indexes {
				if x.Constraint == "" {
					out = append(out, "DROP INDEX "+catalog.QuoteQualified(t.Schema, x.Name))
					break
				}
			}
		case 8:
			out = append(out, fmt.Sprintf("CREATE VIEW %s AS SELECT %s FROM %s", catalog.QuoteQualified(t.Schema, fmt.Sprintf("mut_v_%d", i)), c, name))
		case 9:
			if len(s.Views) > 0 {
				v := s.Views[r.Intn(len(s.Views))]
				word := "VIEW"
				if v.Materialized {
					word = "MATERIALIZED VIEW"
				}
				out = append(out, fmt.Sprintf("DROP %s %s CASCADE", word, v.QualifiedName.String()))
			}
		case 10:
			p := catalog.QuoteQualified(t.Schema, fmt.Sprintf("mut_part_%d", i))
			out = append(out, fmt.Sprintf("CREATE TABLE %s (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at); "+
				"CREATE TABLE %s PARTITION OF %s FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'); CREATE INDEX ON %s (at)",
				p, catalog.QuoteQualified(t.Schema, fmt.Sprintf("mut_part_%d_2020", i)), p, p))
		case 11:
			for _, pt := range s.Tables {
				if pt.PartitionOf != nil {
					out = append(out, fmt.Sprintf("ALTER TABLE %s DETACH PARTITION %s", pt.PartitionOf.String(), pt.QualifiedName.String()))
					break
				}
			}
		case 12:
			for _, ty := range s.Types {
				if ty.Kind == catalog.TypeEnum {
					out = append(out, fmt.Sprintf("ALTER TYPE %s ADD VALUE 'mut_%d'", ty.QualifiedName.String(), i))
					break
				}
			}
		case 13:
			out = append(out, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS 'mutated %d'", name, c, i))
		}
	}
	return out
}

// TestRandomMutations: generated schemas, randomly mutated; the plan in each
// direction (and in online mode) converges and the second diff is empty.
func TestRandomMutations(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			base := schemagen.Generate(seed, schemagen.Options{Tables: 12, Schemas: 2})
			a, b := pg.NewDB(t), pg.NewDB(t)
			psqlExec(t, a, base)
			psqlExec(t, b, base)
			ra := inspect(t, a, catalog.Options{})
			r := rand.New(rand.NewSource(seed))
			conn := pgtest.Conn(t, b)
			applied := 0
			for _, m := range mutations(r, &ra.Schema, 25) {
				if _, err := conn.Exec(context.Background(), m); err == nil {
					applied++
				}
			}
			if applied < 10 {
				t.Fatalf("only %d mutations applied", applied)
			}
			rb := inspect(t, b, catalog.Options{})
			for i, dir := range [][2]string{{a, b}, {b, a}} {
				from, to := dir[0], dir[1]
				if i == 1 {
					// b -> original: a fresh copy of the base is the target.
					to = pg.NewDB(t)
					psqlExec(t, to, base)
				}
				rf, rt := inspect(t, from, catalog.Options{}), inspect(t, to, catalog.Options{})
				plan, err := diff.Diff(&rf.Schema, &rt.Schema, diff.Options{Online: i == 1})
				if err != nil {
					t.Fatalf("direction %d: %v", i, err)
				}
				if err := apply(t, from, plan); err != nil {
					t.Fatalf("direction %d: apply: %v\n%s", i, err, plan.SQL())
				}
				got := inspect(t, from, catalog.Options{})
				if d := diff.Differences(&got.Schema, &rt.Schema, false); len(d) > 0 {
					t.Fatalf("direction %d: still differ: %s\n%s", i, strings.Join(d, ", "), plan.SQL())
				}
				again, err := diff.Diff(&got.Schema, &rt.Schema, diff.Options{})
				if err != nil || !again.Empty() {
					t.Fatalf("direction %d: second diff: %v\n%s", i, err, again.SQL())
				}
				t.Logf("direction %d: %d mutations, %d statements", i, applied, len(plan.Statements))
			}
			_ = rb
		})
	}
}
