package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// serverDefinitions is the oracle for the definitions Inspect renders on
// the client: every index, primary key, unique constraint and foreign key
// of the model must read exactly as pg_get_indexdef / pg_get_constraintdef
// render it with an empty search_path.
func serverDefinitions(t *testing.T, url string, res *catalog.Result) error {
	t.Helper()
	ctx := context.Background()
	c := pgtest.Conn(t, url)
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	if _, err := tx.Exec(ctx, "SELECT pg_catalog.set_config('search_path', '', true)"); err != nil {
		return err
	}
	want := map[string]string{}
	rows, err := tx.Query(ctx, `
SELECT 'index ' || n.nspname || '.' || ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid)
FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
UNION ALL
SELECT 'constraint ' || n.nspname || '.' || c.relname || '.' || co.conname, pg_catalog.pg_get_constraintdef(co.oid)
FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE co.contype IN ('p', 'u', 'f', 'c', 'x')`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		want[k] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var bad []string
	check := func(key, got string) {
		if w, ok := want[key]; !ok {
			bad = append(bad, key+": not on the server")
		} else if w != got {
			bad = append(bad, fmt.Sprintf("%s:\n  server: %s\n  model:  %s", key, w, got))
		}
	}
	n := 0
	for _, tb := range res.Schema.Tables {
		for _, x := range tb.Indexes {
			check("index "+tb.Schema+"."+x.Name, x.Definition)
			n++
		}
		for _, co := range tb.Constraints {
			check("constraint "+tb.Schema+"."+tb.Name+"."+co.Name, co.Definition)
			n++
		}
	}
	for _, v := range res.Schema.Views {
		for _, x := range v.Indexes {
			check("index "+v.Schema+"."+x.Name, x.Definition)
			n++
		}
	}
	if len(bad) > 0 {
		if len(bad) > 10 {
			bad = append(bad[:10], fmt.Sprintf("... and %d more", len(bad)-10))
		}
		return fmt.Errorf("%d of %d definitions differ from the server's:\n%s", len(bad), n, strings.Join(bad, "\n"))
	}
	return nil
}

// TestClientDefinitions checks the client-rendered definitions on a schema
// made to exercise every clause they have.
func TestClientDefinitions(t *testing.T) {
	url := pg.NewDB(t)
	pgtest.MustExec(t, url, `
CREATE SCHEMA "Sch";
CREATE TABLE "Sch"."T" (id int, "Name" text COLLATE "C", b text, c int, "select" int) PARTITION BY RANGE (id);
CREATE TABLE "Sch".t1 PARTITION OF "Sch"."T" FOR VALUES FROM (0) TO (10);
CREATE INDEX ON "Sch"."T" (id DESC, "Name" COLLATE "default" text_pattern_ops, c NULLS FIRST) INCLUDE (b)
  WITH (fillfactor = 70, deduplicate_items = off) WHERE (c > 0);
CREATE UNIQUE INDEX ux ON "Sch"."T" (id, "select") NULLS NOT DISTINCT;
CREATE TABLE public.g (id int PRIMARY KEY, d tsvector, p point, t text COLLATE "C", u text,
  CONSTRAINT g_u UNIQUE NULLS NOT DISTINCT (u, t) INCLUDE (d) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX ON public.g USING gist (p);
CREATE INDEX ON public.g USING gin (d) WITH (fastupdate = off);
CREATE INDEX ON public.g USING gist (d tsvector_ops (siglen = 100));
CREATE INDEX ON public.g (t DESC NULLS LAST, t NULLS LAST, t ASC, t DESC NULLS FIRST, t COLLATE "POSIX");
CREATE INDEX ON public.g USING hash (t);
CREATE INDEX ON public.g USING brin (t) WITH (pages_per_range = '16');
CREATE INDEX ON public.g (lower(t), (t || u));
CREATE TABLE "Sch".r (a int, b int, c int, PRIMARY KEY (a, b) INCLUDE (c));
CREATE TABLE public.f (x int, y int, z int,
  FOREIGN KEY (x, y) REFERENCES "Sch".r (a, b) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL (y) DEFERRABLE,
  CONSTRAINT "F2" FOREIGN KEY (z) REFERENCES public.g ON DELETE RESTRICT ON UPDATE SET DEFAULT,
  CHECK (x > 0) NO INHERIT);
ALTER TABLE public.f ADD FOREIGN KEY (x) REFERENCES public.g NOT VALID;
CREATE MATERIALIZED VIEW public.mv AS SELECT id, t FROM public.g;
CREATE UNIQUE INDEX ON public.mv (id) WITH (fillfactor = 50);
`)
	res := inspectURL(t, url, catalog.Options{})
	if err := serverDefinitions(t, url, res); err != nil {
		t.Fatal(err)
	}
}
