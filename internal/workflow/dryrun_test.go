package workflow_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/workflow"
)

// dryRunBase is a schema with objects in several schemas that depend on
// each other: a view, a foreign key, a column type and a trigger function
// across schemas, inheritance and partitions across schemas.
const dryRunBase = `
CREATE SCHEMA a; CREATE SCHEMA b; CREATE SCHEMA c; CREATE SCHEMA d;
CREATE TYPE a.mood AS ENUM ('sad', 'ok');
CREATE DOMAIN a.positive AS int CHECK (VALUE > 0);
CREATE TABLE a.t (id int PRIMARY KEY, note text, m a.mood);
CREATE SEQUENCE a.counter;
CREATE VIEW b.v AS SELECT id, note FROM a.t;
CREATE TABLE b.ref (id int PRIMARY KEY, t_id int REFERENCES a.t (id), qty a.positive);
CREATE FUNCTION c.stamp() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TABLE c.log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz DEFAULT now(), body text);
CREATE TRIGGER log_stamp BEFORE INSERT ON c.log FOR EACH ROW EXECUTE FUNCTION c.stamp();
CREATE TRIGGER ref_stamp BEFORE INSERT ON b.ref FOR EACH ROW EXECUTE FUNCTION c.stamp();
CREATE TABLE d.parent (id int, x int DEFAULT 1);
CREATE TABLE c.child (extra text) INHERITS (d.parent);
CREATE TABLE d.events (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE c.events_2024 PARTITION OF d.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE c.log ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON c.log USING (body IS NOT NULL);
CREATE MATERIALIZED VIEW d.counts AS SELECT count(*) AS n FROM a.t;
COMMENT ON TABLE a.t IS 'the t';
COMMENT ON COLUMN a.t.note IS 'a note';
`

// The dry run's comparison inspects only the schemas a plan changed; for
// every plan it lists exactly what comparing whole inspections lists, and it
// falls back to a whole inspection for changes outside any schema.
func TestDryRunChangedObjectsExact(t *testing.T) {
	u := srv.NewDB(t)
	pgtest.MustExec(t, u, dryRunBase)
	plans := []struct {
		name, sql string
		global    bool
		none      bool // the plan changes no object
	}{
		{"create table", "CREATE TABLE a.new (id int PRIMARY KEY)", false, false},
		{"create table elsewhere", "CREATE TABLE d.new (id int, t_id int REFERENCES a.t (id))", false, false},
		{"alter table add column", "ALTER TABLE a.t ADD COLUMN extra int", false, false},
		{"alter column type inherited elsewhere", "ALTER TABLE d.parent ALTER COLUMN x TYPE bigint", false, false},
		{"rename column under a view elsewhere", "ALTER TABLE a.t RENAME COLUMN note TO memo", false, false},
		{"rename table under a view and a foreign key elsewhere", "ALTER TABLE a.t RENAME TO t2", false, false},
		{"drop column", "ALTER TABLE c.log DROP COLUMN at", false, false},
		{"drop table cascading to other schemas", "DROP TABLE a.t CASCADE", false, false},
		{"create index", "CREATE INDEX t_note ON a.t (note)", false, false},
		{"drop constraint", "ALTER TABLE b.ref DROP CONSTRAINT ref_t_id_fkey", false, false},
		{"cross-schema foreign key", "ALTER TABLE c.log ADD COLUMN t_id int REFERENCES a.t (id)", false, false},
		{"view elsewhere", "CREATE VIEW d.v2 AS SELECT id FROM a.t", false, false},
		{"replace view", "CREATE OR REPLACE VIEW b.v AS SELECT id, note, 1 AS one FROM a.t", false, false},
		{"drop view", "DROP VIEW b.v", false, false},
		{"function", "CREATE FUNCTION b.f(x a.mood) RETURNS int LANGUAGE sql AS 'SELECT 1'", false, false},
		{"rename trigger function used elsewhere", "ALTER FUNCTION c.stamp() RENAME TO stamp2", false, false},
		{"type", "CREATE TYPE c.pair AS (x int, y text)", false, false},
		{"rename enum used elsewhere", "ALTER TYPE a.mood RENAME TO feeling", false, false},
		{"enum value", "ALTER TYPE a.mood ADD VALUE 'glad'", false, false},
		{"domain constraint", "ALTER DOMAIN a.positive ADD CONSTRAINT small CHECK (VALUE < 1000)", false, false},
		{"comment", "COMMENT ON TABLE c.log IS 'the log'", false, false},
		{"comment removed", "COMMENT ON COLUMN a.t.note IS NULL", false, false},
		{"comment on a function", "COMMENT ON FUNCTION c.stamp() IS 'stamps'", false, false},
		{"grant", "GRANT SELECT ON a.t TO PUBLIC", false, false},
		{"grant on a column", "GRANT UPDATE (note) ON a.t TO PUBLIC", false, false},
		{"sequence", "ALTER SEQUENCE a.counter INCREMENT 10", false, false},
		{"new sequence", "CREATE SEQUENCE b.s2 START 5", false, false},
		{"partition", "CREATE TABLE b.events_2025 PARTITION OF d.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", false, false},
		{"detach partition", "ALTER TABLE d.events DETACH PARTITION c.events_2024", false, false},
		{"parent default seen by a child elsewhere", "ALTER TABLE d.parent ALTER COLUMN x SET DEFAULT 2", false, false},
		{"parent column", "ALTER TABLE d.parent ADD COLUMN y int", false, false},
		{"trigger", "CREATE TRIGGER t_stamp BEFORE UPDATE ON a.t FOR EACH ROW EXECUTE FUNCTION c.stamp()", false, false},
		{"drop trigger", "DROP TRIGGER log_stamp ON c.log", false, false},
		{"policy", "CREATE POLICY p2 ON c.log FOR SELECT USING (true)", false, false},
		{"drop policy", "DROP POLICY own ON c.log", false, false},
		{"move a table to another schema", "ALTER TABLE c.log SET SCHEMA b", false, false},
		{"schema default privileges", "ALTER DEFAULT PRIVILEGES IN SCHEMA a GRANT SELECT ON TABLES TO PUBLIC", false, false},
		{"refresh", "REFRESH MATERIALIZED VIEW d.counts", false, true},
		{"data only", "INSERT INTO a.t VALUES (1, 'x', 'ok')", false, true},
		{"savepoints", "SAVEPOINT s; CREATE TABLE b.kept (id int); RELEASE SAVEPOINT s; SAVEPOINT s2; CREATE TABLE b.gone (id int); ROLLBACK TO SAVEPOINT s2", false, false},
		{"rename schema", "ALTER SCHEMA c RENAME TO cc", true, false},
		{"create schema", "CREATE SCHEMA e; CREATE TABLE e.t (id int)", true, false},
		{"drop schema", "DROP SCHEMA d CASCADE", true, false},
		{"extension", "CREATE EXTENSION citext SCHEMA a", true, false},
		{"role", "CREATE ROLE tidemark_dry_run_role; GRANT SELECT ON a.t TO tidemark_dry_run_role", true, false},
		{"global default privileges", "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC", true, false},
	}
	for _, p := range plans {
		t.Run(p.name, func(t *testing.T) {
			want, scoped := compareBothWays(t, u, p.sql)
			if (len(want) == 0) != p.none {
				t.Fatalf("%s: the whole comparison lists %d changes, want some: %v", p.sql, len(want), !p.none)
			}
			if scoped == p.global {
				t.Errorf("%s: scoped inspection = %v, want %v", p.sql, scoped, !p.global)
			}
		})
	}
}

// The same on a generated schema whose tables reference each other across
// schemas (foreign keys, views, inheritance): renaming, altering and dropping
// a table of each schema.
func TestDryRunChangedObjectsGenerated(t *testing.T) {
	u := srv.NewDB(t)
	pgtest.MustExec(t, u, schemagen.Generate(5, schemagen.Options{Tables: 80, Schemas: 3}))
	full := inspect(t, u, nil)
	seen := map[string]bool{}
	for _, tb := range full.Tables {
		if seen[tb.Schema] || tb.PartitionOf != nil || len(tb.Inherits) > 0 {
			continue
		}
		seen[tb.Schema] = true
		name := tb.QualifiedName.String()
		for _, sql := range []string{
			"ALTER TABLE " + name + " RENAME TO renamed_for_test",
			"ALTER TABLE " + name + " ADD COLUMN added_for_test int",
			"DROP TABLE " + name + " CASCADE",
			"COMMENT ON TABLE " + name + " IS 'changed'",
		} {
			want, scoped := compareBothWays(t, u, sql)
			if len(want) == 0 || !scoped {
				t.Errorf("%s: %d changes, scoped %v", sql, len(want), scoped)
			}
		}
	}
	if len(seen) < 2 {
		t.Fatalf("changed tables in %d schemas, want several", len(seen))
	}
}

func inspect(t *testing.T, u string, schemas []string) catalog.Schema {
	t.Helper()
	res, err := catalog.Inspect(context.Background(), pgtest.Conn(t, u), catalog.Options{Schemas: schemas, NoFingerprint: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Schema
}

// compareBothWays runs sql in a rolled-back transaction on u and checks
// that the dry run's comparison equals the comparison of whole inspections
// before and after; it returns the latter and whether the former was
// scoped to some schemas.
func compareBothWays(t *testing.T, u, sql string) ([]schematree.Change, bool) {
	t.Helper()
	ctx := context.Background()
	conn := pgtest.Conn(t, u)
	// The model and the state are read before the transaction, as the dry
	// run keeps them for a template.
	before, err := catalog.Inspect(ctx, conn, catalog.Options{NoFingerprint: true})
	if err != nil {
		t.Fatal(err)
	}
	state, err := catalog.ReadCatalogState(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // nothing persists
	if _, err := tx.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	got, scoped, err := workflow.ChangedObjects(ctx, tx, before.Schema, state)
	if err != nil {
		t.Fatal(err)
	}
	after, err := catalog.Inspect(ctx, tx, catalog.Options{NoFingerprint: true})
	if err != nil {
		t.Fatal(err)
	}
	want := schematree.Compare(schematree.New(&before.Schema), schematree.New(&after.Schema))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: dry run lists\n%s\nwhole inspections list\n%s", sql, changesText(got), changesText(want))
	}
	return want, scoped
}

func changesText(cs []schematree.Change) string {
	var s string
	for _, c := range cs {
		s += fmt.Sprintf("  %s %s %s.%s\n", c.Action, c.Kind, c.Schema, c.Name)
	}
	return s
}
