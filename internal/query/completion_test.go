package query

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

// liveCatalog reads the relations, columns and functions of a database
// straight from pg_catalog: the oracle a completion catalog built from the
// database's snapshot is compared with.
func liveCatalog(t *testing.T, url string) (rels map[string]CompletionTable, funcs map[string][]CompletionFunction, schemas []string) {
	t.Helper()
	ctx := context.Background()
	c := pgtest.Conn(t, url)
	if _, err := c.Exec(ctx, "SET search_path = ''"); err != nil {
		t.Fatal(err)
	}
	notExt := func(class, oid string) string {
		return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '" + class + "'::pg_catalog.regclass AND d.objid = " + oid + " AND d.deptype = 'e')"
	}
	rows, err := c.Query(ctx, `SELECT n.nspname FROM pg_catalog.pg_namespace n
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)' AND `+notExt("pg_namespace", "n.oid")+` ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		schemas = append(schemas, s)
	}
	rows.Close()
	rels = map[string]CompletionTable{}
	rows, err = c.Query(ctx, `SELECT n.nspname, c.relname, c.relkind::text, c.reloftype <> 0,
			COALESCE((SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '{}'),
			COALESCE((SELECT pg_catalog.array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '{}')
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
		  AND `+notExt("pg_class", "c.oid"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{"r": KindTable, "p": KindPartitionedTable, "v": KindView, "m": KindMaterializedView, "f": KindForeignTable}
	for rows.Next() {
		var schema, name, kind string
		var typed bool
		var cols, types []string
		if err := rows.Scan(&schema, &name, &kind, &typed, &cols, &types); err != nil {
			t.Fatal(err)
		}
		ct := CompletionTable{Name: name, Kind: kinds[kind], Columns: []CompletionColumn{}}
		if !typed { // the model keeps no columns of typed tables
			for i := range cols {
				ct.Columns = append(ct.Columns, CompletionColumn{Name: cols[i], Type: types[i]})
			}
		}
		rels[schema+"."+name] = ct
	}
	rows.Close()
	funcs = map[string][]CompletionFunction{}
	rows, err = c.Query(ctx, `SELECT n.nspname, p.proname, pg_catalog.pg_get_function_arguments(p.oid), COALESCE(pg_catalog.pg_get_function_result(p.oid), '')
		FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND `+notExt("pg_proc", "p.oid"))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var schema string
		var f CompletionFunction
		if err := rows.Scan(&schema, &f.Name, &f.Args, &f.Returns); err != nil {
			t.Fatal(err)
		}
		funcs[schema] = append(funcs[schema], f)
	}
	rows.Close()
	return rels, funcs, schemas
}

// TestCompletionMatchesTheLiveCatalog builds the completion catalog of each
// corpus schema (and of a database with every relation kind) from its stored
// snapshot and checks it against pg_catalog: every schema, every relation
// with its kind and its columns in order with their types, every function
// with its arguments and result.
func TestCompletionMatchesTheLiveCatalog(t *testing.T) {
	ctx := context.Background()
	f := wstest.New(t, srv)
	files, _ := filepath.Glob(filepath.Join(testcorpus.Dir(t), "schemas", "*.sql"))
	if len(files) == 0 {
		t.Fatal("no corpus schemas (testdata/corpus/schemas is part of the repository)")
	}
	kinds := filepath.Join(t.TempDir(), "kinds.sql")
	writeFile(t, kinds, `CREATE SCHEMA app;
		CREATE TABLE app.orders (id bigint GENERATED ALWAYS AS IDENTITY, placed date NOT NULL, total numeric(10,2), tags text[]) PARTITION BY RANGE (placed);
		CREATE TABLE app.orders_2026 PARTITION OF app.orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
		CREATE VIEW app.big AS SELECT id, total FROM app.orders WHERE total > 100;
		CREATE MATERIALIZED VIEW app.totals AS SELECT placed, sum(total) AS total FROM app.orders GROUP BY placed;
		CREATE TYPE app.pair AS (a int, b text);
		CREATE TABLE app.pairs OF app.pair;
		CREATE EXTENSION postgres_fdw;
		CREATE SERVER far FOREIGN DATA WRAPPER postgres_fdw;
		CREATE FOREIGN TABLE app.remote (id int, v varchar(20)) SERVER far;
		CREATE FUNCTION app.add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
		CREATE PROCEDURE app.touch() LANGUAGE sql AS 'SELECT 1';
		CREATE SCHEMA empty;`)
	files = append(files, kinds)
	sync := schemasync.New(f.WS, f.Conns)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			d, url := f.Database(t, "")
			if err := srv.Psql(url, file, nil); err != nil {
				t.Fatalf("load %s: %v", file, err)
			}
			snap, err := sync.Sync(ctx, d.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := NewCompletion(snap.Schema, snap.Unsupported())
			rels, funcs, schemas := liveCatalog(t, url)
			var names []string
			seen := 0
			for _, s := range got.Schemas {
				names = append(names, s.Name)
				for _, tb := range s.Tables {
					key := s.Name + "." + tb.Name
					want, ok := rels[key]
					if !ok {
						t.Errorf("%s (%s) is not in the database", key, tb.Kind)
						continue
					}
					seen++
					if !reflect.DeepEqual(tb, want) {
						t.Errorf("%s:\n got %+v\nwant %+v", key, tb, want)
					}
				}
				if w := len(funcs[s.Name]); len(s.Functions) != w {
					t.Errorf("schema %s: %d functions, want %d", s.Name, len(s.Functions), w)
				}
				for _, fn := range s.Functions {
					if !containsFunc(funcs[s.Name], fn) {
						t.Errorf("function %s.%s(%s) %s is not in the database", s.Name, fn.Name, fn.Args, fn.Returns)
					}
				}
			}
			if seen != len(rels) {
				t.Errorf("%d relations completed, the database has %d", seen, len(rels))
			}
			if !reflect.DeepEqual(names, schemas) {
				t.Errorf("schemas %v, want %v", names, schemas)
			}
			t.Logf("%d schemas, %d relations, %d function schemas", len(names), seen, len(funcs))
			if len(rels) < 5 {
				t.Errorf("only %d relations: the fixture did not load", len(rels))
			}
		})
	}
}

func containsFunc(fs []CompletionFunction, f CompletionFunction) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
