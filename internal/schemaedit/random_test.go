package schemaedit_test

import (
	"context"
	"fmt"
	"math/rand"
	"regexp"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

// randomOp draws an edit of the current model that keeps the original
// objects (renames, additions, comments): the plan must hold no DROP.
func randomOp(r *rand.Rand, s *catalog.Schema, i int) ([]schemaedit.Op, bool) {
	op, extra, ok := drawOp(r, s, i)
	return append([]schemaedit.Op{op}, extra...), ok
}

// drawOp draws one edit (and, for a new table, its foreign key to the table
// it was drawn from).
func drawOp(r *rand.Rand, s *catalog.Schema, i int) (schemaedit.Op, []schemaedit.Op, bool) {
	var tables []*catalog.Table
	for j := range s.Tables {
		if t := &s.Tables[j]; t.PartitionOf == nil && len(t.Inherits) == 0 && t.Kind == catalog.TableRegular {
			tables = append(tables, t)
		}
	}
	if len(tables) == 0 {
		return schemaedit.Op{}, nil, false
	}
	t := tables[r.Intn(len(tables))]
	col := t.Columns[r.Intn(len(t.Columns))]
	types := []string{"bigint", "int", "text", "varchar(40)", "boolean", "numeric(12,2)", "timestamptz", "date", "uuid", "jsonb", "text[]"}
	switch r.Intn(9) {
	case 0:
		return schemaedit.Op{Op: schemaedit.RenameTable, Schema: t.Schema, Table: t.Name, To: fmt.Sprintf("%s_e%d", t.Name, i)}, nil, true
	case 1:
		return schemaedit.Op{Op: schemaedit.RenameColumn, Schema: t.Schema, Table: t.Name, Name: col.Name, To: fmt.Sprintf("%s_e%d", col.Name, i)}, nil, !col.Inherited
	case 2:
		return schemaedit.Op{Op: schemaedit.AddColumn, Schema: t.Schema, Table: t.Name,
			Column: &schemaedit.ColumnSpec{Name: fmt.Sprintf("added_%d", i), Type: types[r.Intn(len(types))], Comment: str("added")}}, nil, true
	case 3:
		return schemaedit.Op{Op: schemaedit.AddIndex, Schema: t.Schema, Table: t.Name,
			Index: &schemaedit.IndexSpec{Name: fmt.Sprintf("edit_idx_%d", i), Columns: []string{col.Name}}}, nil, col.Type != "tsvector" && col.Type != "bytea"
	case 4:
		if len(t.Indexes) == 0 {
			return schemaedit.Op{}, nil, false
		}
		x := t.Indexes[r.Intn(len(t.Indexes))]
		return schemaedit.Op{Op: schemaedit.RenameIndex, Schema: t.Schema, Name: x.Name, To: fmt.Sprintf("idx_e%d", i)}, nil, x.ParentIndex == nil
	case 5:
		if len(t.Constraints) == 0 {
			return schemaedit.Op{}, nil, false
		}
		c := t.Constraints[r.Intn(len(t.Constraints))]
		return schemaedit.Op{Op: schemaedit.RenameConstraint, Schema: t.Schema, Table: t.Name, Name: c.Name, To: fmt.Sprintf("con_e%d", i)}, nil, !c.Inherited
	case 6:
		return schemaedit.Op{Op: schemaedit.AlterColumn, Schema: t.Schema, Table: t.Name, Name: col.Name, Set: &schemaedit.ColumnChange{Comment: str(fmt.Sprintf("edited %d", i))}}, nil, true
	case 7:
		pk := t.PrimaryKey()
		if pk == nil || len(pk.Columns) != 1 {
			return schemaedit.Op{}, nil, false
		}
		ref := t.Column(pk.Columns[0])
		child := fmt.Sprintf("child_%d", i)
		return schemaedit.Op{Op: schemaedit.CreateTable, Schema: t.Schema, Table: child,
				Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint", Identity: "always"}, {Name: "parent", Type: ref.Type, NotNull: true}}, PrimaryKey: []string{"id"}},
			[]schemaedit.Op{{Op: schemaedit.AddConstraint, Schema: t.Schema, Table: child, Constraint: &schemaedit.ConstraintSpec{
				Type: "foreign_key", Columns: []string{"parent"}, RefTable: t.Name, RefColumns: pk.Columns, OnDelete: "cascade"}}}, true
	default:
		for _, ty := range s.Types {
			if ty.Kind == catalog.TypeEnum && len(ty.Labels) > 0 {
				if r.Intn(2) == 0 {
					return schemaedit.Op{Op: schemaedit.AddEnumValue, Schema: ty.Schema, Type: ty.Name, Name: fmt.Sprintf("v%d", i)}, nil, true
				}
				return schemaedit.Op{Op: schemaedit.RenameEnumValue, Schema: ty.Schema, Type: ty.Name, Name: ty.Labels[r.Intn(len(ty.Labels))], To: fmt.Sprintf("v_e%d", i)}, nil, true
			}
		}
	}
	return schemaedit.Op{}, nil, false
}

// TestRandomEdits: random edit sequences (renames included) on the corpus
// schemas; each preview holds no DROP, converges to the edited model and
// leaves nothing for a second diff.
func TestRandomEdits(t *testing.T) {
	drop := regexp.MustCompile(`(^|\s)DROP\s`)
	for _, corpus := range []string{"pagila.sql", "danbooru.sql"} {
		file := testcorpus.Path(t, "schemas", corpus)
		for seed := int64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", corpus, seed), func(t *testing.T) {
				a := pg.NewDB(t)
				if err := pg.Psql(a, file, nil); err != nil {
					t.Fatalf("load: %v", err)
				}
				base := inspect(t, a)
				e := schemaedit.New(&base)
				r := rand.New(rand.NewSource(seed))
				applied := 0
				for i := 0; applied < 12 && i < 100; i++ {
					cur := e.Schema()
					ops, ok := randomOp(r, &cur, i)
					if !ok {
						continue
					}
					if err := e.Apply(ops[0]); err != nil {
						continue // e.g. a generated name already taken
					}
					applied++
					for _, op := range ops[1:] {
						if err := e.Apply(op); err != nil {
							t.Fatalf("%s: %v", op.Op, err)
						}
					}
				}
				if applied < 8 {
					t.Fatalf("only %d edits applied", applied)
				}
				plan, err := e.Preview(diff.Options{})
				if err != nil {
					t.Fatalf("preview: %v\nops: %+v", err, e.Ops())
				}
				for _, s := range plan.Statements {
					if drop.MatchString(s.SQL) {
						t.Errorf("the plan drops something: %s\n%s", s.SQL, plan.SQL())
					}
				}
				if err := diff.Apply(context.Background(), pgtest.Conn(t, a), plan); err != nil {
					t.Fatalf("apply: %v\n%s", err, plan.SQL())
				}
				got, edited := inspect(t, a), e.Schema()
				if g, w := shape(&got), shape(&edited); g != w {
					t.Errorf("the database differs from the edited model (- database, + edited):\n%s\n%s", lineDiff(g, w), plan.SQL())
				}
				b := pg.NewDB(t)
				load(t, b, string(catalog.Dump(edited, catalog.DumpOptions{NoPrivileges: true})))
				want := inspect(t, b)
				if d := diff.Differences(&got, &want, true); len(d) > 0 {
					t.Errorf("the database differs from the edited model's DDL loaded: %v\n%s", d, plan.SQL())
				}
				again, err := diff.Diff(&got, &want, diff.Options{NoPrivileges: true})
				if err != nil || !again.Empty() {
					t.Errorf("second diff: %v\n%s", err, again.SQL())
				}
				t.Logf("%d edits, %d renames, %d statements", applied, len(e.Renames()), len(plan.Statements))
			})
		}
	}
}
