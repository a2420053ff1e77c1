package drift_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

// inspect reads the model of the database at url on a new connection.
func inspect(t testing.TB, url string) *catalog.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn := pgtest.Conn(t, url)
	res, err := catalog.Inspect(ctx, conn, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// base is the schema every case starts from.
const base = `
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'drift_alice') THEN CREATE ROLE drift_alice; END IF;
END$$;
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok');
CREATE DOMAIN app.posint AS integer CHECK (VALUE > 0);
CREATE SEQUENCE app.seq;
CREATE TABLE app.t (
  id integer PRIMARY KEY,
  name text NOT NULL,
  price numeric DEFAULT 0,
  qty integer,
  g integer GENERATED ALWAYS AS (qty * 2) STORED,
  mood app.mood,
  email text
);
CREATE INDEX t_name_idx ON app.t (name);
ALTER TABLE app.t CLUSTER ON t_pkey;
CREATE TABLE app.child (id integer PRIMARY KEY, t_id integer REFERENCES app.t (id));
CREATE VIEW app.v AS SELECT id, name FROM app.t;
CREATE MATERIALIZED VIEW app.mv AS SELECT id, id * 2 AS id2 FROM app.t;
CREATE FUNCTION app.f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1';
CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER trg_base BEFORE UPDATE ON app.t FOR EACH ROW EXECUTE FUNCTION app.trg();
CREATE TABLE app.p (id integer, d date) PARTITION BY RANGE (d);
CREATE TABLE app.p2024 PARTITION OF app.p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE app.p2025 (id integer, d date);
CREATE TABLE app.ident (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
CREATE STATISTICS app.t_stats (dependencies) ON name, qty FROM app.t;
CREATE TABLE app.audit (id integer, note text);
CREATE RULE audit_no_delete AS ON DELETE TO app.audit DO INSTEAD NOTHING;
CREATE PUBLICATION app_pub FOR TABLE app.t;
CREATE TYPE app.pair AS (a integer, b text);
CREATE FUNCTION app.int_to_pair(integer) RETURNS app.pair LANGUAGE sql IMMUTABLE AS 'SELECT ROW($1, NULL)::app.pair';
CREATE CAST (integer AS app.pair) WITH FUNCTION app.int_to_pair(integer);
CREATE TEXT SEARCH DICTIONARY app.stop (TEMPLATE = pg_catalog.simple, stopwords = 'english');
CREATE TEXT SEARCH CONFIGURATION app.fts (COPY = pg_catalog.english);
CREATE FOREIGN DATA WRAPPER drift_fdw;
CREATE SERVER drift_srv FOREIGN DATA WRAPPER drift_fdw OPTIONS (host 'db1');
CREATE FOREIGN TABLE app.remote (id integer, note text) SERVER drift_srv OPTIONS (table_name 'remote');
CREATE FUNCTION app.cmp_rev(text, text) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT bttextcmp(reverse($1), reverse($2))';
CREATE OPERATOR CLASS app.rev_ops FOR TYPE text USING btree AS FUNCTION 1 app.cmp_rev(text, text);
CREATE OPERATOR FAMILY app.hfam USING hash;
CREATE RULE v_no_delete AS ON DELETE TO app.v DO INSTEAD NOTHING;
CREATE STATISTICS app.mv_stats ON id, id2 FROM app.mv;
CREATE STATISTICS app.remote_stats ON id, note FROM app.remote;
INSERT INTO app.t (id, name, qty) SELECT i, 'n' || i, i FROM generate_series(1, 200) i;
`
