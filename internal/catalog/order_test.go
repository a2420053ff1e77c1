package catalog_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

func TestDumpIndependentOfCreationOrder(t *testing.T) {
	// orderChunks are independent pieces of DDL (no chunk depends on another),
	// so they can be run in any order and must give the same model and dump.
	orderChunks := []string{
		`CREATE TYPE public.color AS ENUM ('red', 'green')`,
		`CREATE TABLE public.a (id int PRIMARY KEY, c text); CREATE INDEX a_c ON public.a (c); COMMENT ON TABLE public.a IS 'a'`,
		`CREATE TABLE public.b (id int PRIMARY KEY, x int CHECK (x > 0)); CREATE VIEW public.bv AS SELECT id FROM public.b`,
		`CREATE SCHEMA other; CREATE TABLE other.z (id bigint GENERATED ALWAYS AS IDENTITY, v jsonb)`,
		`CREATE FUNCTION public.f(i int) RETURNS int LANGUAGE sql AS 'SELECT i'; CREATE SEQUENCE public.s`,
		`CREATE DOMAIN public.pos AS int CHECK (VALUE > 0); CREATE TABLE public.d (p public.pos)`,
	}
	forward := strings.Join(orderChunks, ";\n") + ";"
	var rev []string
	for i := len(orderChunks) - 1; i >= 0; i-- {
		rev = append(rev, orderChunks[i])
	}
	// Burn some OIDs first so the second database's OIDs differ in order too.
	backward := "CREATE TABLE burn (x int); DROP TABLE burn;\n" + strings.Join(rev, ";\n") + ";"
	u1, u2 := pg.NewDB(t), pg.NewDB(t)
	if err := psql(t, u1, "", []byte(forward)); err != nil {
		t.Fatal(err)
	}
	if err := psql(t, u2, "", []byte(backward)); err != nil {
		t.Fatal(err)
	}
	r1, r2 := inspectURL(t, u1, catalog.Options{}), inspectURL(t, u2, catalog.Options{})
	if r1.Fingerprint != r2.Fingerprint {
		t.Errorf("fingerprints differ with creation order: %s vs %s", r1.Fingerprint, r2.Fingerprint)
	}
	d1, d2 := catalog.Dump(r1.Schema, catalog.DumpOptions{}), catalog.Dump(r2.Schema, catalog.DumpOptions{})
	if !bytes.Equal(d1, d2) {
		t.Errorf("dumps differ with creation order:\n%s", lineDiff(string(d1), string(d2)))
	}
	if len(r1.Schema.Tables) != 4 || len(r1.Schema.Views) != 1 || len(r1.Schema.Types) != 2 {
		t.Errorf("unexpected model: %d tables, %d views, %d types", len(r1.Schema.Tables), len(r1.Schema.Views), len(r1.Schema.Types))
	}
}
