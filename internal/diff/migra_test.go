package diff_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

// migraScope is the inspection scope of the cases migra scopes.
func migraScope(name string) catalog.Options {
	switch name {
	case "singleschema":
		return catalog.Options{Schemas: []string{"goodschema"}}
	case "excludeschema":
		return catalog.Options{ExcludeSchemas: []string{"excludedschema"}}
	}
	return catalog.Options{}
}

func createTestRole(t testing.TB) {
	t.Helper()
	err := pg.Exec(context.Background(), `DO $$ BEGIN CREATE ROLE schemainspect_test_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$`)
	if err != nil {
		t.Fatalf("create role: %v", err)
	}
}

// migraCase runs the oracle on one fixture: load a.sql -> A and b.sql -> B,
// plan Diff(A, B) (online or not), apply it to A, and require A == B
// (objects compared as the catalog dumps them, column order aside; ACLs
// separately), an empty second diff, and equal normalised pg_dump output.
// It returns a description of the failure, or "".
func migraCase(t *testing.T, dir, name string, online bool) (failure string, notes []string) {
	a, b := pg.NewDB(t), pg.NewDB(t)
	if err := psql(t, a, filepath.Join(dir, "a.sql"), nil); err != nil {
		t.Fatalf("load a.sql: %v", err)
	}
	if err := psql(t, b, filepath.Join(dir, "b.sql"), nil); err != nil {
		t.Fatalf("load b.sql: %v", err)
	}
	scope := migraScope(name)
	ra, rb := inspect(t, a, scope), inspect(t, b, scope)
	plan, err := diff.Diff(&ra.Schema, &rb.Schema, diff.Options{Online: online})
	if err != nil {
		return "plan: " + err.Error(), nil
	}
	if testing.Verbose() {
		t.Logf("plan:\n%s", plan.SQL())
	}
	if len(plan.Warnings) > 0 {
		return "warnings: " + strings.Join(plan.Warnings, "; "), nil
	}
	if online {
		for _, s := range plan.Statements {
			if s.LockTimeout <= 0 || s.StatementTimeout <= 0 {
				return "online statement without timeouts: " + s.SQL, nil
			}
		}
	}
	if err := apply(t, a, plan); err != nil {
		return "apply: " + err.Error(), nil
	}
	ra2 := inspect(t, a, scope)
	if d := diff.Differences(&ra2.Schema, &rb.Schema, true); len(d) > 0 {
		return "objects still differ: " + strings.Join(d, ", "), nil
	}
	if d := diff.Differences(&ra2.Schema, &rb.Schema, false); len(d) > 0 {
		return "privileges still differ: " + strings.Join(d, ", "), nil
	}
	again, err := diff.Diff(&ra2.Schema, &rb.Schema, diff.Options{})
	if err != nil {
		return "second diff: " + err.Error(), nil
	}
	if !again.Empty() {
		return "second diff not empty:\n" + again.SQL(), nil
	}
	if scope.Schemas == nil && scope.ExcludeSchemas == nil {
		da, db := normPgDump(pgDump(t, a, "-x")), normPgDump(pgDump(t, b, "-x"))
		if da != db {
			return "pg_dump -s -x differs:\n" + lineDiff(da, db), nil
		}
	}
	if co := diff.ColumnOrderDifferences(&ra2.Schema, &rb.Schema); len(co) > 0 {
		notes = append(notes, "column order differs in "+strings.Join(co, ", "))
	}
	// Second round, as migra's own test does: the source with the manual
	// changes of additions.sql applied (a rename, grants) migrates to B too.
	add := filepath.Join(dir, "additions.sql")
	if st, err := os.Stat(add); err == nil && st.Size() > 0 {
		a2 := pg.NewDB(t)
		if err := psql(t, a2, filepath.Join(dir, "a.sql"), nil); err != nil {
			t.Fatalf("load a.sql: %v", err)
		}
		if err := psql(t, a2, add, nil); err != nil {
			t.Fatalf("load additions.sql: %v", err)
		}
		r2 := inspect(t, a2, scope)
		plan2, err := diff.Diff(&r2.Schema, &rb.Schema, diff.Options{Online: online})
		if err != nil {
			return "with additions: plan: " + err.Error(), notes
		}
		if err := apply(t, a2, plan2); err != nil {
			return "with additions: apply: " + err.Error(), notes
		}
		r3 := inspect(t, a2, scope)
		if d := diff.Differences(&r3.Schema, &rb.Schema, false); len(d) > 0 {
			return "with additions: objects still differ: " + strings.Join(d, ", "), notes
		}
		notes = append(notes, fmt.Sprintf("with additions.sql applied to A first: %d statements, converged", len(plan2.Statements)))
	}
	return "", notes
}

// TestMigraFixtures is the diff oracle over the 26 migra fixture pairs.
func TestMigraFixtures(t *testing.T) {
	root := testcorpus.Path(t, "migra-fixtures")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	createTestRole(t)
	for _, online := range []bool{false, true} {
		mode := "offline"
		if online {
			mode = "online"
		}
		var pass, total int
		var failed []string
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			name := e.Name()
			// The score counts what the subtest really did: a t.Fatalf inside
			// the case fails it as surely as a reported difference, and a
			// case that skipped did not pass.
			var sub *testing.T
			ok := t.Run(mode+"/"+name, func(t *testing.T) {
				sub = t
				fail, notes := migraCase(t, filepath.Join(root, name), name, online)
				for _, n := range notes {
					t.Logf("note: %s", n)
				}
				if fail != "" {
					t.Error(fail)
				}
			})
			if sub == nil {
				continue // not selected by -run
			}
			total++
			if ok && !sub.Skipped() {
				pass++
			} else {
				failed = append(failed, name)
			}
		}
		sort.Strings(failed)
		t.Logf("MIGRA %s score: %d/%d%s", mode, pass, total, func() string {
			if len(failed) == 0 {
				return ""
			}
			return fmt.Sprintf(" (failing: %s)", strings.Join(failed, ", "))
		}())
		fmt.Printf("MIGRA %s score: %d/%d\n", mode, pass, total)
	}
}
