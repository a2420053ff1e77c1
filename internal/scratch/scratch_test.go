package scratch_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/scratch"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pg)) }

func TestLineAt(t *testing.T) {
	src := "SELECT 1;\nSELECT é;\n\nBAD"
	for _, tc := range []struct{ pos, line int }{{1, 1}, {9, 1}, {11, 2}, {18, 2}, {21, 3}, {22, 4}, {100, 4}} {
		if got := scratch.LineAt(src, tc.pos); got != tc.line {
			t.Errorf("LineAt(%d) = %d, want %d", tc.pos, got, tc.line)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h/db":      "postgres://u:xxxxx@h/db",
		"postgres://u@h/db":             "postgres://u@h/db",
		"host=h password=secret user=u": "host=h password=xxxxx user=u",
	} {
		if got := scratch.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCreateLoadDrop(t *testing.T) {
	pg.NewDB(t) // skips when no server
	ctx := context.Background()
	db, err := scratch.Create(ctx, pg.AdminURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Load(ctx, "ok.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"); err != nil {
		t.Fatalf("load: %v", err)
	}
	err = db.Load(ctx, "bad.sql", "CREATE TABLE u (id int);\n-- comment\nCREATE TABLE v (id int REFERENCES nope);\n")
	var le *scratch.LoadError
	if !errors.As(err, &le) || le.Line != 3 || !strings.HasPrefix(err.Error(), "bad.sql:3: ERROR: relation \"nope\" does not exist (SQLSTATE 42P01)") {
		t.Fatalf("want bad.sql:3 with the PostgreSQL error, got %v", err)
	}
	// A syntax error: the line of the offending token.
	err = db.Load(ctx, "syntax.sql", "CREATE TABLE w (id int);\n\nCREATE TABLE x (id int,\n  bad bad bad);\n")
	if !errors.As(err, &le) || le.Line != 4 || !strings.Contains(err.Error(), "syntax.sql:4: ERROR: syntax error") || !strings.Contains(err.Error(), "42601") {
		t.Fatalf("want syntax.sql:4 syntax error, got %v", err)
	}
	// psql meta-commands are refused with their line.
	err = db.Load(ctx, "meta.sql", "SELECT 1;\n\\connect other\n")
	if !errors.As(err, &le) || le.Line != 2 {
		t.Fatalf("want meta.sql:2, got %v", err)
	}
	if err := db.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	c := pgtest.Conn(t, pg.AdminURL)
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", db.Name).Scan(&n); err != nil || n != 0 {
		t.Fatalf("database still there: %d %v", n, err)
	}
}
