package catalog_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// Restrict of a whole inspection is exactly what an inspection of those
// schemas reads, on the kitchen sink and a generated multi-schema database,
// for every schema alone and for pairs.
func TestRestrictEqualsScopedInspection(t *testing.T) {
	kitchenRoles(t)
	kitchen, err := os.ReadFile("testdata/kitchen_sink.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		sql  []byte
	}{
		{"kitchen sink", kitchen},
		{"generated", []byte(schemagen.Generate(11, schemagen.Options{Tables: 120, Schemas: 4}))},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := pg.NewDB(t)
			if err := psql(t, u, "", c.sql); err != nil {
				t.Fatal(err)
			}
			full := inspectURL(t, u, catalog.Options{NoFingerprint: true}).Schema
			var names []string
			for _, n := range full.Namespaces {
				names = append(names, n.Name)
			}
			if len(names) < 2 {
				t.Fatalf("corpus has %d schemas, want several", len(names))
			}
			sets := [][]string{}
			for i, n := range names {
				sets = append(sets, []string{n})
				if i > 0 {
					sets = append(sets, []string{names[i-1], n})
				}
			}
			for _, set := range sets {
				want, _ := json.Marshal(inspectURL(t, u, catalog.Options{Schemas: set, NoFingerprint: true}).Schema)
				got, _ := json.Marshal(catalog.Restrict(&full, set))
				if string(got) != string(want) {
					t.Errorf("Restrict(%v) differs from Inspect(Schemas: %v):\n got %s\nwant %s", set, set, got, want)
				}
			}
			// the whole model is left as it was
			again, _ := json.Marshal(full)
			orig, _ := json.Marshal(inspectURL(t, u, catalog.Options{NoFingerprint: true}).Schema)
			if string(again) != string(orig) {
				t.Error("Restrict changed its input")
			}
		})
	}
}

// ChangedSchemas names the schemas a transaction changed, the schemas of
// objects depending on what changed and of inheritance parents, and reports
// changes outside any schema as global.
func TestChangedSchemas(t *testing.T) {
	u := pg.NewDB(t)
	pgtest.MustExec(t, u, `
		CREATE SCHEMA a; CREATE SCHEMA b; CREATE SCHEMA c; CREATE SCHEMA d;
		CREATE TABLE a.t (id int PRIMARY KEY, note text);
		CREATE VIEW b.v AS SELECT id, note FROM a.t;
		CREATE TABLE c.u (id int);
		CREATE TABLE d.parent (id int, x int DEFAULT 1);
		CREATE TABLE c.child () INHERITS (d.parent);
		CREATE TYPE a.mood AS ENUM ('sad', 'ok');
		CREATE TABLE b.uses_mood (m a.mood);
		CREATE FUNCTION c.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
		CREATE SEQUENCE c.s;
		CREATE TEXT SEARCH CONFIGURATION c.fts (COPY = pg_catalog.simple);
	`)
	cases := []struct {
		name    string
		sql     string
		schemas []string
		global  bool
	}{
		{"nothing", "SELECT 1", []string{}, false},
		{"data only", "INSERT INTO a.t VALUES (1, 'x')", []string{}, false},
		{"new table", "CREATE TABLE c.new (id int)", []string{"c", "d"}, false},
		{"new column seen by no view", "ALTER TABLE c.u ADD COLUMN y int", []string{"c", "d"}, false},
		{"renamed column under a view elsewhere", "ALTER TABLE a.t RENAME COLUMN note TO memo", []string{"a", "b"}, false},
		{"renamed table under a view elsewhere", "ALTER TABLE a.t RENAME TO t2", []string{"a", "b"}, false},
		{"dropped view", "DROP VIEW b.v", []string{"b"}, false},
		{"index", "CREATE INDEX ON a.t (note)", []string{"a", "b"}, false},
		{"comment", "COMMENT ON TABLE c.u IS 'u'", []string{"c", "d"}, false},
		{"comment on a function", "COMMENT ON FUNCTION c.f() IS 'f'", []string{"c", "d"}, false},
		{"grant", "GRANT SELECT ON c.u TO PUBLIC", []string{"c", "d"}, false},
		{"enum value", "ALTER TYPE a.mood ADD VALUE 'glad'", []string{"a", "b"}, false},
		{"renamed enum used elsewhere", "ALTER TYPE a.mood RENAME TO feeling", []string{"a", "b"}, false},
		{"parent default", "ALTER TABLE d.parent ALTER COLUMN x SET DEFAULT 2", []string{"c", "d"}, false},
		{"sequence", "ALTER SEQUENCE c.s INCREMENT 5", []string{"c", "d"}, false},
		{"text search mapping", "ALTER TEXT SEARCH CONFIGURATION c.fts ALTER MAPPING FOR asciiword WITH pg_catalog.english_stem", []string{"c", "d"}, false},
		{"schema default privileges", "ALTER DEFAULT PRIVILEGES IN SCHEMA a GRANT SELECT ON TABLES TO PUBLIC", []string{"a"}, false},
		{"subtransaction", "SAVEPOINT s1; CREATE TABLE c.in_sub (id int); RELEASE SAVEPOINT s1", []string{"c", "d"}, false},
		{"rolled back subtransaction", "SAVEPOINT s1; CREATE TABLE c.gone (id int); ROLLBACK TO SAVEPOINT s1", []string{}, false},
		{"exception block", "DO $$ BEGIN CREATE TABLE c.in_block (id int); PERFORM 1/0; EXCEPTION WHEN division_by_zero THEN CREATE TABLE a.after (id int); END $$", []string{"a"}, false},
		{"new schema", "CREATE SCHEMA e", nil, true},
		{"renamed schema", "ALTER SCHEMA c RENAME TO cc", nil, true},
		{"role", "CREATE ROLE tidemark_changed_test_role", nil, true},
		{"extension", "CREATE EXTENSION IF NOT EXISTS citext", nil, true},
		{"global default privileges", "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC", nil, true},
	}
	ctx := context.Background()
	conn := pgtest.Conn(t, u)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx, err := conn.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx) //nolint:errcheck // test
			before, err := catalog.ReadCatalogState(ctx, tx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, c.sql); err != nil {
				t.Fatal(err)
			}
			got, err := catalog.ChangedSchemas(ctx, tx, before)
			if err != nil {
				t.Fatal(err)
			}
			if got.Global != c.global || (!c.global && !slices.Equal(got.Schemas, c.schemas)) {
				t.Errorf("%s: got %+v, want global %v schemas %v", c.sql, got, c.global, c.schemas)
			}
		})
	}
}
