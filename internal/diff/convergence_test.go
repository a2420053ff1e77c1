package diff_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
)

// convergenceCase is a pair of schemas whose plan once failed to apply or to
// converge. Every case runs offline and online: load old into A and new into
// B, plan A → B, apply the plan to A; then A and B are equal both as
// Tidemark models them and as PostgreSQL stores them (storedCatalog), and a
// second diff is empty.
type convergenceCase struct {
	name     string
	old, new string
	// order lists fragments the plan's statements must contain, in this
	// order (onlineOrder for the online plan; order applies to both when
	// onlineOrder is nil).
	order, onlineOrder []string
	// absent lists fragments no statement of the plan may contain.
	absent []string
	// refused is the object the plan must be refused for (nothing is
	// applied then).
	refused string
}

const (
	addOne     = "CREATE FUNCTION add_one(%s integer) RETURNS integer LANGUAGE sql AS $$ SELECT %[1]s + 1 $$;\n"
	orders     = "CREATE TABLE o (id int PRIMARY KEY, status varchar(10));\n"
	testRole   = "schemainspect_test_role"
	oneFunc    = "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
	noPublicFn = "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n"
)

var convergenceGroups = []struct {
	group string
	cases []convergenceCase
}{
	{"routine parameters renamed", []convergenceCase{
		{name: "one parameter", old: fmt.Sprintf(addOne, "x"), new: fmt.Sprintf(addOne, "n"),
			order: []string{"DROP FUNCTION public.add_one(x integer)", "CREATE FUNCTION public.add_one(n integer)"}},
		{name: "procedure",
			old:   "CREATE PROCEDURE p(x int) LANGUAGE sql AS 'SELECT x';",
			new:   "CREATE PROCEDURE p(y int) LANGUAGE sql AS 'SELECT y';",
			order: []string{"DROP PROCEDURE public.p(IN x integer)", "CREATE PROCEDURE public.p(IN y integer)"}},
		{name: "only the renamed overload",
			old:    "CREATE FUNCTION f(x int, z text) RETURNS int LANGUAGE sql AS 'SELECT x';\nCREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';",
			new:    "CREATE FUNCTION f(y int, z text) RETURNS int LANGUAGE sql AS 'SELECT y';\nCREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';",
			order:  []string{"DROP FUNCTION public.f(x integer, z text)", "CREATE FUNCTION public.f(y integer, z text)"},
			absent: []string{"DROP FUNCTION public.f(x integer)\n", "CREATE FUNCTION public.f(x integer)\n"}},
		{name: "quoted names and types of several words",
			old:   `CREATE FUNCTION f("my x" int, double int, ts timestamp with time zone, character varying) RETURNS int LANGUAGE sql AS 'SELECT 1';`,
			new:   `CREATE FUNCTION f("My Y" int, "double" int, at timestamptz, v varchar) RETURNS int LANGUAGE sql AS 'SELECT 1';`,
			order: []string{`DROP FUNCTION public.f("my x" integer`, `CREATE FUNCTION public.f("My Y" integer`}},
		{name: "body and comment change too",
			old:   fmt.Sprintf(addOne, "x") + "COMMENT ON FUNCTION add_one(int) IS 'old';",
			new:   "CREATE FUNCTION add_one(n integer) RETURNS integer LANGUAGE sql AS $$ SELECT n + 2 $$;\nCOMMENT ON FUNCTION add_one(int) IS 'new';",
			order: []string{"DROP FUNCTION public.add_one(x integer)", "CREATE FUNCTION public.add_one(n integer)", "COMMENT ON FUNCTION public.add_one(n integer) IS 'new'"}},
		{name: "privileges follow the new routine",
			old:   fmt.Sprintf(addOne, "x") + "REVOKE ALL ON FUNCTION add_one(int) FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION add_one(int) TO " + testRole + ";",
			new:   fmt.Sprintf(addOne, "n") + "REVOKE ALL ON FUNCTION add_one(int) FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION add_one(int) TO " + testRole + ";",
			order: []string{"DROP FUNCTION public.add_one(x integer)", "CREATE FUNCTION public.add_one(n integer)", "REVOKE ALL ON FUNCTION public.add_one(n integer) FROM PUBLIC"}},
		{name: "a view uses it",
			old:   fmt.Sprintf(addOne, "x") + "CREATE VIEW v AS SELECT add_one(1) AS a;",
			new:   fmt.Sprintf(addOne, "n") + "CREATE VIEW v AS SELECT add_one(1) AS a;",
			order: []string{"DROP VIEW public.v", "DROP FUNCTION public.add_one(x integer)", "CREATE FUNCTION public.add_one(n integer)", "CREATE VIEW public.v"}},
		{name: "a routine with an SQL-standard body uses it",
			old:   "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN x;\nCREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT f(1); END;",
			new:   "CREATE FUNCTION f(y int) RETURNS int LANGUAGE sql RETURN y;\nCREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT f(1); END;",
			order: []string{"DROP FUNCTION public.g()", "DROP FUNCTION public.f(x integer)", "CREATE FUNCTION public.f(y integer)", "CREATE FUNCTION public.g()"}},
		{name: "a check constraint uses it",
			old:   "CREATE FUNCTION pos(x int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';\nCREATE TABLE t (a int CHECK (pos(a)));",
			new:   "CREATE FUNCTION pos(y int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT y > 0';\nCREATE TABLE t (a int CHECK (pos(a)));",
			order: []string{"DROP CONSTRAINT t_a_check", "DROP FUNCTION public.pos(x integer)", "CREATE FUNCTION public.pos(y integer)", "ADD CONSTRAINT t_a_check"}},
		{name: "an index uses it",
			old: "CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 2 * x';\nCREATE TABLE t (a int);\nCREATE INDEX t_twice ON t (twice(a));",
			new: "CREATE FUNCTION twice(y int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 2 * y';\nCREATE TABLE t (a int);\nCREATE INDEX t_twice ON t (twice(a));",
			order: []string{"DROP INDEX", "public.t_twice", "DROP FUNCTION public.twice(x integer)", "CREATE FUNCTION public.twice(y integer)",
				"CREATE INDEX", "t_twice"}},
		{name: "a domain check uses it",
			old:   "CREATE FUNCTION pos(x int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';\nCREATE DOMAIN d AS int CHECK (pos(VALUE));",
			new:   "CREATE FUNCTION pos(y int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT y > 0';\nCREATE DOMAIN d AS int CHECK (pos(VALUE));",
			order: []string{"DROP DOMAIN public.d", "DROP FUNCTION public.pos(x integer)", "CREATE FUNCTION public.pos(y integer)", "CREATE DOMAIN public.d"}},
		{name: "aggregate",
			old:   "CREATE AGGREGATE total(x int) (SFUNC = int4pl, STYPE = int);",
			new:   "CREATE AGGREGATE total(y int) (SFUNC = int4pl, STYPE = int);",
			order: []string{"DROP AGGREGATE public.total(x integer)", "CREATE AGGREGATE public.total(y integer)"}},
		{name: "a column default uses it: refused as for any routine re-created",
			old:     fmt.Sprintf(addOne, "x") + "CREATE TABLE t (a int DEFAULT add_one(1));",
			new:     fmt.Sprintf(addOne, "n") + "CREATE TABLE t (a int DEFAULT add_one(1));",
			refused: "table:public.t"},
	}},
	{"serial and identity", []convergenceCase{
		{name: "serial becomes identity",
			old:   "CREATE TABLE s (id serial PRIMARY KEY, v text);",
			new:   "CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);",
			order: []string{"ALTER COLUMN id DROP DEFAULT", "DROP SEQUENCE public.s_id_seq", "ADD GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public.s_id_seq"}},
		{name: "serial becomes identity always, with options",
			old: "CREATE TABLE s (id serial PRIMARY KEY, v text);",
			new: "CREATE TABLE s (id integer GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY, v text);"},
		{name: "serial becomes a bigint identity",
			old: "CREATE TABLE s (id serial PRIMARY KEY, v text);",
			new: "CREATE TABLE s (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);"},
		{name: "identity becomes serial",
			old:   "CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);",
			new:   "CREATE TABLE s (id serial PRIMARY KEY, v text);",
			order: []string{"ALTER COLUMN id DROP IDENTITY", "CREATE SEQUENCE public.s_id_seq", "ALTER COLUMN id SET DEFAULT nextval('public.s_id_seq'::regclass)", "OWNED BY public.s.id"}},
		{name: "identity always becomes bigserial",
			old: "CREATE TABLE s (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);",
			new: "CREATE TABLE s (id bigserial PRIMARY KEY, v text);"},
		{name: "identity with its own sequence name becomes serial",
			old:   "CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME id_seq) PRIMARY KEY, v text);",
			new:   "CREATE TABLE s (id serial PRIMARY KEY, v text);",
			order: []string{"ALTER COLUMN id DROP IDENTITY", "ALTER COLUMN id SET DEFAULT nextval('public.s_id_seq'::regclass)"}},
		{name: "two serial columns become identity",
			old: "CREATE TABLE s (id serial PRIMARY KEY, n bigserial, v text);",
			new: "CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n bigint GENERATED ALWAYS AS IDENTITY, v text);"},
		{name: "another table's default uses the serial's sequence",
			old:   "CREATE TABLE s (id serial PRIMARY KEY, v text);\nCREATE TABLE z (x int DEFAULT nextval('s_id_seq'));",
			new:   "CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);\nCREATE TABLE z (x int);",
			order: []string{"ALTER TABLE ONLY public.z ALTER COLUMN x DROP DEFAULT", "DROP SEQUENCE public.s_id_seq", "ADD GENERATED BY DEFAULT AS IDENTITY"}},
		{name: "a view uses the serial's sequence",
			old: "CREATE TABLE s (id serial PRIMARY KEY);\nCREATE VIEW nv AS SELECT nextval('s_id_seq') AS n;",
			new: "CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);\nCREATE VIEW nv AS SELECT 1::bigint AS n;"},
		{name: "partitioned table",
			old:   "CREATE TABLE pt (id serial, a int) PARTITION BY RANGE (a);\nCREATE TABLE p1 PARTITION OF pt FOR VALUES FROM (0) TO (10);",
			new:   "CREATE TABLE pt (id integer GENERATED BY DEFAULT AS IDENTITY, a int) PARTITION BY RANGE (a);\nCREATE TABLE p1 PARTITION OF pt FOR VALUES FROM (0) TO (10);",
			order: []string{"DROP SEQUENCE public.pt_id_seq", "ADD GENERATED BY DEFAULT AS IDENTITY"}},
		{name: "the serial's sequence had privileges and a comment",
			old: "CREATE TABLE s (id serial PRIMARY KEY, v text);\nGRANT USAGE ON SEQUENCE s_id_seq TO " + testRole + ";\nCOMMENT ON SEQUENCE s_id_seq IS 'ids';",
			new: "CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);"},
		{name: "the new serial's sequence has privileges",
			old: "CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);",
			new: "CREATE TABLE s (id serial PRIMARY KEY, v text);\nGRANT USAGE ON SEQUENCE s_id_seq TO " + testRole + ";"},
		{name: "a new identity column takes the name, with an index on it",
			old:   "CREATE TABLE s (id serial PRIMARY KEY);",
			new:   "CREATE TABLE s (id integer, id2 integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);\nALTER SEQUENCE s_id2_seq RENAME TO s_id_seq;\nCREATE INDEX s_both ON s (id2, id);",
			order: []string{"DROP SEQUENCE public.s_id_seq", "ADD COLUMN id2", "s_both"}},
	}},
	{"checks over varchar lists", []convergenceCase{
		{name: "check added to a table",
			old: orders, new: "CREATE TABLE o (id int PRIMARY KEY, status varchar(10) CHECK (status IN ('new', 'paid', 'shipped')));",
			order:       []string{"ADD CONSTRAINT o_status_check CHECK (((status)::text = ANY ((ARRAY['new'::character varying, 'paid'::character varying, 'shipped'::character varying])::character varying[]::text[])))"},
			onlineOrder: []string{"ADD CONSTRAINT o_status_check CHECK", "::character varying[]::text[]))) NOT VALID", "VALIDATE CONSTRAINT o_status_check"}},
		{name: "NOT IN",
			old: orders, new: orders + "ALTER TABLE o ADD CONSTRAINT o_not_void CHECK (status NOT IN ('void', 'test'));"},
		{name: "NULL in the list",
			old: orders, new: orders + "ALTER TABLE o ADD CONSTRAINT o_status CHECK (status IN (NULL, 'new'));"},
		{name: "the list changes",
			old:   "CREATE TABLE o (id int PRIMARY KEY, status varchar(10) CHECK (status IN ('new', 'paid')));",
			new:   "CREATE TABLE o (id int PRIMARY KEY, status varchar(10) CHECK (status IN ('new', 'paid', 'shipped')));",
			order: []string{"DROP CONSTRAINT o_status_check", "ADD CONSTRAINT o_status_check"}},
		// The same condition stored as another expression (the casts pushed
		// into the elements) is a real difference: re-created both ways.
		{name: "stored with the casts on the elements",
			old:   "CREATE TABLE o (id int PRIMARY KEY, status varchar(10) CHECK (status IN ('new', 'paid')));",
			new:   orders + "ALTER TABLE o ADD CONSTRAINT o_status_check CHECK (status::text = ANY (ARRAY['new'::varchar, 'paid'::varchar]::text[]));",
			order: []string{"DROP CONSTRAINT o_status_check", "ADD CONSTRAINT o_status_check CHECK (((status)::text = ANY (ARRAY[('new'::character varying)::text, ('paid'::character varying)::text])))"}},
		{name: "back from the casts on the elements",
			old:   orders + "ALTER TABLE o ADD CONSTRAINT o_status_check CHECK (status::text = ANY (ARRAY['new'::varchar, 'paid'::varchar]::text[]));",
			new:   "CREATE TABLE o (id int PRIMARY KEY, status varchar(10) CHECK (status IN ('new', 'paid')));",
			order: []string{"DROP CONSTRAINT o_status_check", "ADD CONSTRAINT o_status_check"}},
		{name: "target check NOT VALID",
			old: orders, new: orders + "ALTER TABLE o ADD CONSTRAINT o_status CHECK (status IN ('new', 'paid')) NOT VALID;"},
		{name: "new table",
			old: "SELECT 1;", new: "CREATE TABLE o (id int PRIMARY KEY, status varchar(10) CHECK (status IN ('new', 'paid')));"},
		{name: "literal that looks like the list",
			old: orders, new: orders + "ALTER TABLE o ADD CONSTRAINT o_odd CHECK (status <> '(ARRAY[''a''::character varying])::text[]');"},
		{name: "domain",
			old: "CREATE DOMAIN st AS varchar(10);", new: "CREATE DOMAIN st AS varchar(10) CHECK (VALUE IN ('new', 'paid'));"},
		{name: "partial index",
			old: orders, new: orders + "CREATE INDEX o_open ON o (id) WHERE status IN ('new', 'paid');",
			onlineOrder: []string{"CREATE INDEX CONCURRENTLY o_open"}},
		{name: "exclusion constraint",
			old: "CREATE EXTENSION btree_gist;\n" + orders,
			new: "CREATE EXTENSION btree_gist;\n" + orders + "ALTER TABLE o ADD CONSTRAINT o_one_open EXCLUDE USING gist (id WITH =) WHERE (status IN ('new', 'paid'));"},
		{name: "view",
			old: orders, new: orders + "CREATE VIEW open_orders AS SELECT id FROM o WHERE status IN ('new', 'paid');"},
		{name: "policy",
			old: orders, new: orders + "CREATE POLICY open ON o USING (status IN ('new', 'paid')) WITH CHECK (status NOT IN ('void'));"},
		{name: "trigger condition",
			old: orders + "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;",
			new: orders + "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\n" +
				"CREATE TRIGGER open_only BEFORE UPDATE ON o FOR EACH ROW WHEN (NEW.status IN ('new', 'paid')) EXECUTE FUNCTION tf();"},
		{name: "generated column",
			old: orders, new: "CREATE TABLE o (id int PRIMARY KEY, status varchar(10), open boolean GENERATED ALWAYS AS (status IN ('new', 'paid')) STORED);"},
	}},
	{"owner and default privileges", []convergenceCase{
		{name: "everything revoked from the owner",
			old: "CREATE TABLE g (id int);", new: "CREATE TABLE g (id int);\nREVOKE ALL ON g FROM CURRENT_USER;"},
		{name: "owner changes and loses a privilege",
			old: "CREATE TABLE g (id int);",
			new: "CREATE TABLE g (id int);\nALTER TABLE g OWNER TO " + testRole + ";\nREVOKE DELETE ON g FROM " + testRole + ";"},
		{name: "function revoked from its owner and PUBLIC",
			old: oneFunc, new: oneFunc + "REVOKE ALL ON FUNCTION f() FROM PUBLIC, CURRENT_USER;"},
		// Objects the plan creates while default privileges are in effect
		// get them; the target's objects were created before them.
		{name: "function created while EXECUTE is revoked from PUBLIC by default",
			old:   noPublicFn,
			new:   oneFunc + noPublicFn,
			order: []string{"CREATE FUNCTION public.f()", "REVOKE ALL ON FUNCTION public.f() FROM", "GRANT EXECUTE ON FUNCTION public.f() TO PUBLIC"}},
		{name: "function created under default privileges gets grants of its own",
			old: noPublicFn,
			new: oneFunc + noPublicFn + "GRANT EXECUTE ON FUNCTION f() TO " + testRole + ";"},
		{name: "function created under default privileges, target the same",
			old: noPublicFn, new: noPublicFn + oneFunc},
		{name: "owner changes under default privileges",
			old: noPublicFn, new: oneFunc + noPublicFn + "ALTER FUNCTION f() OWNER TO " + testRole + ";"},
		{name: "default privileges of another role",
			old: "ALTER DEFAULT PRIVILEGES FOR ROLE " + testRole + " REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;",
			new: oneFunc + "ALTER DEFAULT PRIVILEGES FOR ROLE " + testRole + " REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"},
		{name: "procedure and aggregate",
			old: noPublicFn,
			new: "CREATE PROCEDURE pr() LANGUAGE sql AS 'SELECT 1';\nCREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);\n" + noPublicFn},
		{name: "table created while SELECT is granted by default",
			old: "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO " + testRole + ";",
			new: "CREATE TABLE t (a int);\nALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO " + testRole + ";"},
		{name: "table created while PUBLIC is granted SELECT by default",
			old: "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;",
			new: "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;\nCREATE TABLE t (a int);\nREVOKE SELECT ON t FROM PUBLIC;\nGRANT INSERT ON t TO " + testRole + ";"},
		{name: "default privileges in one schema",
			old: "CREATE SCHEMA s;\nALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO " + testRole + ";",
			new: "CREATE SCHEMA s;\nALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO " + testRole + ";\nCREATE TABLE s.t (a int);\nREVOKE ALL ON s.t FROM " + testRole + ";"},
		{name: "view replaced under default privileges",
			old: "CREATE VIEW v AS SELECT 1 AS a;\nALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO " + testRole + ";",
			new: "CREATE VIEW v AS SELECT 2 AS b;\nALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO " + testRole + ";"},
		{name: "sequence of a serial column",
			old: "ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO " + testRole + ";",
			new: "CREATE TABLE t (id serial, v text);\nALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO " + testRole + ";"},
		{name: "types and domains",
			old: "ALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC;",
			new: "CREATE TYPE e AS ENUM ('a');\nCREATE DOMAIN d AS int;\nALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC;"},
		{name: "schema",
			old: "ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO " + testRole + ";",
			new: "CREATE SCHEMA s;\nALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO " + testRole + ";"},
		{name: "routine with renamed parameters",
			old: noPublicFn + "CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql AS 'SELECT x';\nGRANT EXECUTE ON FUNCTION g(int) TO PUBLIC;",
			new: noPublicFn + "CREATE FUNCTION g(y int) RETURNS int LANGUAGE sql AS 'SELECT y';\nGRANT EXECUTE ON FUNCTION g(int) TO PUBLIC;"},
		{name: "enum swapped with its privileges",
			old: "CREATE TYPE e AS ENUM ('a', 'b', 'c');\nREVOKE USAGE ON TYPE e FROM PUBLIC;\nCREATE TABLE t (x e);",
			new: "CREATE TYPE e AS ENUM ('a', 'b');\nREVOKE USAGE ON TYPE e FROM PUBLIC;\nCREATE TABLE t (x e);"},
	}},
	{"extended statistics", []convergenceCase{
		{name: "added", old: statsTable, new: statsTable + "CREATE STATISTICS st (dependencies) ON a, b FROM t;",
			order: []string{"CREATE STATISTICS public.st (dependencies) ON a, b FROM public.t"}},
		{name: "dropped", old: statsTable + "CREATE STATISTICS st ON a, b FROM t;", new: statsTable,
			order: []string{"DROP STATISTICS public.st"}},
		{name: "kinds changed", old: statsTable + "CREATE STATISTICS st (ndistinct) ON a, b FROM t;",
			new:   statsTable + "CREATE STATISTICS st (mcv) ON a, b FROM t;",
			order: []string{"DROP STATISTICS public.st", "CREATE STATISTICS public.st (mcv)"}},
		{name: "expressions", old: statsTable, new: statsTable + "CREATE STATISTICS st ON lower(c), a FROM t;"},
		{name: "target, comment and owner",
			old: statsTable + "CREATE STATISTICS st ON a, b FROM t;",
			new: statsTable + "CREATE STATISTICS st ON a, b FROM t;\nALTER STATISTICS st SET STATISTICS 42;\n" +
				"COMMENT ON STATISTICS st IS 'a and b';\nALTER STATISTICS st OWNER TO " + testRole + ";"},
		{name: "comment removed", old: statsTable + "CREATE STATISTICS st ON a, b FROM t;\nCOMMENT ON STATISTICS st IS 'x';",
			new: statsTable + "CREATE STATISTICS st ON a, b FROM t;", order: []string{"COMMENT ON STATISTICS public.st IS NULL"}},
		{name: "in another schema", old: statsTable + "CREATE SCHEMA s;",
			new: statsTable + "CREATE SCHEMA s;\nCREATE STATISTICS s.st ON a, b FROM t;"},
		{name: "its column dropped", old: statsTable + "CREATE STATISTICS st ON a, b FROM t;",
			new: "CREATE TABLE t (a int, c text);\nCREATE STATISTICS st ON a, c FROM t;"},
		{name: "its column changes type", old: statsTable + "CREATE STATISTICS st ON a, b FROM t;",
			new: "CREATE TABLE t (a int, b bigint, c text);\nCREATE STATISTICS st ON a, b FROM t;"},
		{name: "with its table", old: statsTable + "CREATE STATISTICS st ON a, b FROM t;", new: "",
			absent: []string{"DROP STATISTICS"}},
	}},
	{"foreign data", []convergenceCase{
		{name: "wrapper, server and table added", old: "", new: fdwBase + "CREATE FOREIGN TABLE ft (a int OPTIONS (column_name 'x'), b text NOT NULL) SERVER srv OPTIONS (table_name 'remote');",
			order: []string{"CREATE FOREIGN DATA WRAPPER w", "CREATE SERVER srv", "CREATE FOREIGN TABLE public.ft"}},
		{name: "table dropped", old: fdwBase + "CREATE FOREIGN TABLE ft (a int) SERVER srv;", new: fdwBase, order: []string{"DROP FOREIGN TABLE public.ft"}},
		{name: "table changed", old: fdwBase + "CREATE FOREIGN TABLE ft (a int) SERVER srv;",
			new: fdwBase + "CREATE FOREIGN TABLE ft (a bigint, c date DEFAULT CURRENT_DATE) SERVER srv OPTIONS (table_name 'r');"},
		{name: "server options, table re-created with it", old: fdwBase + "CREATE FOREIGN TABLE ft (a int) SERVER srv;",
			new: "CREATE FOREIGN DATA WRAPPER w;\nCREATE SERVER srv FOREIGN DATA WRAPPER w OPTIONS (host 'other');\nCREATE FOREIGN TABLE ft (a int) SERVER srv;"},
		{name: "a view over it", old: fdwBase + "CREATE FOREIGN TABLE ft (a int) SERVER srv;",
			new: fdwBase + "CREATE FOREIGN TABLE ft (a int, b text) SERVER srv;\nCREATE VIEW v AS SELECT a, b FROM ft;"},
		{name: "comments, owner and grants", old: fdwBase + "CREATE FOREIGN TABLE ft (a int) SERVER srv;",
			new: fdwBase + "CREATE FOREIGN TABLE ft (a int) SERVER srv;\nCOMMENT ON FOREIGN TABLE ft IS 'remote';\nCOMMENT ON SERVER srv IS 'db';\n" +
				"ALTER FOREIGN TABLE ft OWNER TO " + testRole + ";\nGRANT SELECT ON ft TO " + testRole + ";"},
	}},
	{"text search", []convergenceCase{
		{name: "configuration added", old: "", new: "CREATE TEXT SEARCH CONFIGURATION c (COPY = pg_catalog.english);",
			order: []string{"CREATE TEXT SEARCH CONFIGURATION public.c (PARSER = pg_catalog.\"default\")", "ADD MAPPING FOR asciiword WITH pg_catalog.english_stem"}},
		{name: "configuration dropped", old: "CREATE TEXT SEARCH CONFIGURATION c (COPY = pg_catalog.english);", new: "",
			order: []string{"DROP TEXT SEARCH CONFIGURATION public.c"}},
		{name: "mappings changed in place", old: tsBase + "CREATE TEXT SEARCH CONFIGURATION c (COPY = pg_catalog.english);",
			new: tsBase + "CREATE TEXT SEARCH CONFIGURATION c (COPY = pg_catalog.english);\nALTER TEXT SEARCH CONFIGURATION c ALTER MAPPING FOR asciiword WITH d, pg_catalog.english_stem;\n" +
				"ALTER TEXT SEARCH CONFIGURATION c DROP MAPPING FOR url;\nALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR blank WITH pg_catalog.simple;",
			order:  []string{"ALTER MAPPING FOR asciiword WITH public.d, pg_catalog.english_stem", "DROP MAPPING FOR url"},
			absent: []string{"DROP TEXT SEARCH CONFIGURATION"}},
		{name: "used by an index, mappings changed", old: "CREATE TEXT SEARCH CONFIGURATION c (COPY = pg_catalog.simple);\nCREATE TABLE t (b text);\nCREATE INDEX t_fts ON t USING gin (to_tsvector('public.c'::regconfig, b));",
			new:    "CREATE TEXT SEARCH CONFIGURATION c (COPY = pg_catalog.english);\nCREATE TABLE t (b text);\nCREATE INDEX t_fts ON t USING gin (to_tsvector('public.c'::regconfig, b));",
			absent: []string{"DROP INDEX"}},
		{name: "dictionary added, options changed, comment", old: tsBase,
			new: "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = pg_catalog.simple, stopwords = 'english', accept = false);\nCOMMENT ON TEXT SEARCH DICTIONARY d IS 'stop';"},
		{name: "dictionary used by a configuration replaced", old: tsBase + "CREATE TEXT SEARCH CONFIGURATION c (PARSER = pg_catalog.\"default\");\nALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH d;",
			new: "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = pg_catalog.simple, stopwords = 'english');\nCREATE TEXT SEARCH CONFIGURATION c (PARSER = pg_catalog.\"default\");\nALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH d;"},
	}},
	{"operator classes", []convergenceCase{
		{name: "class added, used by an index", old: opBase, new: opBase + opClass + "CREATE INDEX w_rev ON w (t rev_ops);",
			order: []string{"CREATE OPERATOR FAMILY public.rev_ops USING btree",
				"CREATE OPERATOR CLASS public.rev_ops FOR TYPE text USING btree FAMILY public.rev_ops AS", "CREATE INDEX"}},
		{name: "class dropped with its index", old: opBase + opClass + "CREATE INDEX w_rev ON w (t rev_ops);", new: opBase,
			order: []string{"DROP INDEX", "DROP OPERATOR CLASS public.rev_ops USING btree", "DROP OPERATOR FAMILY public.rev_ops USING btree"}},
		{name: "class changed: its index is built again", old: opBase + opClass + "CREATE INDEX w_rev ON w (t rev_ops);",
			new:   opBase + opClass2 + "CREATE INDEX w_rev ON w (t rev_ops);",
			order: []string{"DROP INDEX", "DROP OPERATOR CLASS public.rev_ops USING btree", "CREATE OPERATOR CLASS public.rev_ops", "CREATE INDEX"}},
		{name: "comment, default class", old: opBase + opClass,
			new: opBase + "CREATE TYPE pr AS (a int);\nCREATE FUNCTION pr_cmp(pr, pr) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($1.a, $2.a)';\n" +
				"CREATE OPERATOR CLASS pr_ops DEFAULT FOR TYPE pr USING btree AS FUNCTION 1 pr_cmp(pr, pr);\n" + opClass + "COMMENT ON OPERATOR CLASS rev_ops USING btree IS 'reversed';",
			absent: []string{"DROP OPERATOR CLASS public.rev_ops USING btree"}},
		{name: "family with loose members added", old: opBase,
			new:   opBase + "CREATE OPERATOR FAMILY fam USING hash;\nALTER OPERATOR FAMILY fam USING hash ADD OPERATOR 1 =~= (text, text), FUNCTION 1 rev_hash(text);",
			order: []string{"CREATE OPERATOR FAMILY public.fam USING hash", "ALTER OPERATOR FAMILY public.fam USING hash ADD"}},
		{name: "loose member dropped in place", old: opBase + "CREATE OPERATOR FAMILY fam USING hash;\nALTER OPERATOR FAMILY fam USING hash ADD OPERATOR 1 =~= (text, text), FUNCTION 1 rev_hash(text);",
			new:    opBase + "CREATE OPERATOR FAMILY fam USING hash;\nALTER OPERATOR FAMILY fam USING hash ADD FUNCTION 1 rev_hash(text);\nCOMMENT ON OPERATOR FAMILY fam USING hash IS 'f';",
			order:  []string{"ALTER OPERATOR FAMILY public.fam USING hash DROP\n    OPERATOR 1 (text, text)"},
			absent: []string{"DROP OPERATOR FAMILY"}},
		{name: "loose member added to a class's family", old: opBase + opClass,
			new:   opBase + opClass + "CREATE FUNCTION rev_cmp2(text, varchar) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT bttextcmp(reverse($1), reverse($2::text))';\nALTER OPERATOR FAMILY rev_ops USING btree ADD FUNCTION 1 (text, varchar) rev_cmp2(text, varchar);",
			order: []string{"ALTER OPERATOR FAMILY public.rev_ops USING btree ADD\n    FUNCTION 1 (text, character varying) public.rev_cmp2(text,character varying)"}, absent: []string{"DROP OPERATOR CLASS"}},
	}},
	{"casts", []convergenceCase{
		{name: "added", old: castBase, new: castBase + "CREATE CAST (integer AS pair) WITH FUNCTION int_to_pair(integer);",
			order: []string{"CREATE CAST (integer AS public.pair) WITH FUNCTION public.int_to_pair(integer)"}},
		{name: "dropped", old: castBase + "CREATE CAST (integer AS pair) WITH FUNCTION int_to_pair(integer);", new: castBase,
			order: []string{"DROP CAST (integer AS public.pair)"}},
		{name: "context changed", old: castBase + "CREATE CAST (integer AS pair) WITH FUNCTION int_to_pair(integer);",
			new:   castBase + "CREATE CAST (integer AS pair) WITH FUNCTION int_to_pair(integer) AS ASSIGNMENT;",
			order: []string{"DROP CAST (integer AS public.pair)", "CREATE CAST (integer AS public.pair) WITH FUNCTION public.int_to_pair(integer) AS ASSIGNMENT"}},
		{name: "with inout, comment", old: castBase,
			new: castBase + "CREATE CAST (pair AS text) WITH INOUT AS IMPLICIT;\nCOMMENT ON CAST (pair AS text) IS 'printable';"},
		{name: "its function goes with it", old: castBase + "CREATE CAST (integer AS pair) WITH FUNCTION int_to_pair(integer);",
			new: "CREATE TYPE pair AS (a int, b text);", order: []string{"DROP CAST (integer AS public.pair)", "DROP FUNCTION public.int_to_pair(integer)"}},
		{name: "used by a view", old: castBase + "CREATE CAST (integer AS pair) WITH FUNCTION int_to_pair(integer) AS ASSIGNMENT;",
			new: castBase + "CREATE CAST (integer AS pair) WITH FUNCTION int_to_pair(integer) AS ASSIGNMENT;\nCREATE VIEW v AS SELECT 1::pair AS p;"},
	}},
	{"publications", []convergenceCase{
		{name: "added", old: pubTables, new: pubTables + "CREATE PUBLICATION p FOR TABLE t;",
			order: []string{"CREATE PUBLICATION p FOR TABLE public.t WITH (publish = 'insert, update, delete, truncate', publish_via_partition_root = false)"}},
		{name: "dropped", old: pubTables + "CREATE PUBLICATION p FOR TABLE t;", new: pubTables, order: []string{"DROP PUBLICATION p"}},
		{name: "a table added and one removed, in place", old: pubTables + "CREATE PUBLICATION p FOR TABLE t;",
			new: pubTables + "CREATE PUBLICATION p FOR TABLE u;", order: []string{"ALTER PUBLICATION p SET TABLE public.u"}, absent: []string{"DROP PUBLICATION"}},
		{name: "column list and row filter", old: pubTables + "CREATE PUBLICATION p FOR TABLE t;",
			new: pubTables + "CREATE PUBLICATION p FOR TABLE t (a, b) WHERE (a > 10);", absent: []string{"DROP PUBLICATION"}},
		{name: "tables in schema", old: pubTables + "CREATE SCHEMA s;\nCREATE PUBLICATION p FOR TABLE t;",
			new: pubTables + "CREATE SCHEMA s;\nCREATE PUBLICATION p FOR TABLE t, TABLES IN SCHEMA s;"},
		{name: "every table removed", old: pubTables + "CREATE PUBLICATION p FOR TABLE t, u;", new: pubTables + "CREATE PUBLICATION p;",
			order: []string{"ALTER PUBLICATION p DROP TABLE public.t", "ALTER PUBLICATION p DROP TABLE public.u"}},
		{name: "options", old: pubTables + "CREATE PUBLICATION p FOR TABLE t;",
			new:   pubTables + "CREATE PUBLICATION p FOR TABLE t WITH (publish = 'insert', publish_via_partition_root = true);",
			order: []string{"ALTER PUBLICATION p SET (publish = 'insert', publish_via_partition_root = true)"}},
		{name: "to all tables", old: pubTables + "CREATE PUBLICATION p FOR TABLE t;", new: pubTables + "CREATE PUBLICATION p FOR ALL TABLES;",
			order: []string{"DROP PUBLICATION p", "CREATE PUBLICATION p FOR ALL TABLES"}},
		{name: "comment and owner", old: pubTables + "CREATE PUBLICATION p FOR TABLE t;",
			new: pubTables + "CREATE PUBLICATION p FOR TABLE t;\nCOMMENT ON PUBLICATION p IS 'to the warehouse';\nALTER PUBLICATION p OWNER TO " + testRole + ";"},
		{name: "its table dropped", old: pubTables + "CREATE PUBLICATION p FOR TABLE t, u;", new: "CREATE TABLE u (a int PRIMARY KEY);\nCREATE PUBLICATION p FOR TABLE u;"},
	}},
	{"foreign partitions", []convergenceCase{
		{name: "added to a tree with an index", old: ledger + "CREATE INDEX lr ON ledger (region);",
			new:   ledger + "CREATE INDEX lr ON ledger (region);\n" + ledgerRemote,
			order: []string{"CREATE FOREIGN TABLE public.ledger_remote", "ATTACH PARTITION public.ledger_remote FOR VALUES IN (2)"}, absent: []string{"DROP INDEX"}},
		{name: "dropped", old: ledger + ledgerRemote, new: ledger, order: []string{"DROP FOREIGN TABLE public.ledger_remote"}},
		{name: "bound changed", old: ledger + ledgerRemote, new: ledger + strings.Replace(ledgerRemote, "IN (2)", "IN (2, 3)", 1),
			order: []string{"DROP FOREIGN TABLE public.ledger_remote", "FOR VALUES IN (2, 3)"}},
		{name: "index added to the tree", old: ledger + ledgerRemote, new: ledger + ledgerRemote + "CREATE INDEX lr ON ledger (region);",
			order: []string{"ledger_local_region_idx ON public.ledger_local", "CREATE INDEX lr ON public.ledger USING btree (region)"}},
		{name: "check on a foreign table", old: fdwBase + "CREATE FOREIGN TABLE ft (a int) SERVER srv;",
			new:   fdwBase + "CREATE FOREIGN TABLE ft (a int, CONSTRAINT a_pos CHECK (a > 0)) SERVER srv;\nALTER FOREIGN TABLE ft ADD CONSTRAINT a_small CHECK (a < 10) NOT VALID;",
			order: []string{"CONSTRAINT a_pos CHECK ((a > 0))", "ADD CONSTRAINT a_small CHECK ((a < 10)) NOT VALID"}},
	}},
	{"view rules and statistics", []convergenceCase{
		{name: "rule on a view added", old: ruleTables + "CREATE VIEW v AS SELECT a, b FROM t;",
			new:   ruleTables + "CREATE VIEW v AS SELECT a, b FROM t;\nCREATE RULE v_ins AS ON INSERT TO v DO INSTEAD INSERT INTO t VALUES (new.a, new.b);",
			order: []string{"CREATE RULE v_ins AS"}},
		{name: "rule on a view dropped", old: ruleTables + "CREATE VIEW v AS SELECT a, b FROM t;\nCREATE RULE v_del AS ON DELETE TO v DO INSTEAD NOTHING;",
			new: ruleTables + "CREATE VIEW v AS SELECT a, b FROM t;", order: []string{"DROP RULE v_del ON public.v"}},
		{name: "view re-created keeps its rule", old: ruleTables + "CREATE VIEW v AS SELECT a, b FROM t;\nCREATE RULE v_del AS ON DELETE TO v DO INSTEAD NOTHING;",
			new: ruleTables + "CREATE VIEW v AS SELECT b, a FROM t;\nCREATE RULE v_del AS ON DELETE TO v DO INSTEAD NOTHING;"},
		{name: "statistics on a materialized view", old: statsTable + "CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t;",
			new:   statsTable + "CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t;\nCREATE STATISTICS mv_st ON a, b FROM mv;",
			order: []string{"CREATE STATISTICS public.mv_st"}},
		{name: "statistics on a foreign table", old: fdwBase + "CREATE FOREIGN TABLE ft (a int, b int) SERVER srv;",
			new:   fdwBase + "CREATE FOREIGN TABLE ft (a int, b int) SERVER srv;\nCREATE STATISTICS ft_st ON a, b FROM ft;\nCOMMENT ON STATISTICS ft_st IS 'x';",
			order: []string{"CREATE STATISTICS public.ft_st"}},
		{name: "foreign table replaced with its statistics", old: fdwBase + "CREATE FOREIGN TABLE ft (a int, b int) SERVER srv;\nCREATE STATISTICS ft_st ON a, b FROM ft;",
			new: fdwBase + "CREATE FOREIGN TABLE ft (a int, b int) SERVER srv OPTIONS (table_name 'x');\nCREATE STATISTICS ft_st ON a, b FROM ft;"},
	}},
	{"rules", []convergenceCase{
		{name: "added", old: ruleTables, new: ruleTables + "CREATE RULE t_keep AS ON DELETE TO t DO INSTEAD NOTHING;",
			order: []string{"CREATE RULE t_keep AS", "ON DELETE TO public.t DO INSTEAD NOTHING"}},
		{name: "dropped", old: ruleTables + "CREATE RULE t_keep AS ON DELETE TO t DO INSTEAD NOTHING;", new: ruleTables,
			order: []string{"DROP RULE t_keep ON public.t"}},
		{name: "action changed", old: ruleTables + "CREATE RULE t_log AS ON INSERT TO t DO ALSO INSERT INTO log (a) VALUES (new.a);",
			new:   ruleTables + "CREATE RULE t_log AS ON INSERT TO t DO ALSO INSERT INTO log (a) VALUES (new.a * 2);",
			order: []string{"DROP RULE t_log ON public.t", "CREATE RULE t_log"}},
		{name: "conditional, on update", old: ruleTables,
			new: ruleTables + "CREATE RULE t_upd AS ON UPDATE TO t WHERE old.b IS DISTINCT FROM new.b DO ALSO INSERT INTO log (a) VALUES (old.a);"},
		{name: "disabled, replica, always", old: ruleTables + "CREATE RULE r1 AS ON DELETE TO t DO INSTEAD NOTHING;\nCREATE RULE r2 AS ON UPDATE TO t DO INSTEAD NOTHING;\nCREATE RULE r3 AS ON INSERT TO t DO INSTEAD NOTHING;",
			new: ruleTables + "CREATE RULE r1 AS ON DELETE TO t DO INSTEAD NOTHING;\nCREATE RULE r2 AS ON UPDATE TO t DO INSTEAD NOTHING;\nCREATE RULE r3 AS ON INSERT TO t DO INSTEAD NOTHING;\n" +
				"ALTER TABLE t DISABLE RULE r1;\nALTER TABLE t ENABLE REPLICA RULE r2;\nALTER TABLE t ENABLE ALWAYS RULE r3;"},
		{name: "comment", old: ruleTables + "CREATE RULE t_keep AS ON DELETE TO t DO INSTEAD NOTHING;",
			new: ruleTables + "CREATE RULE t_keep AS ON DELETE TO t DO INSTEAD NOTHING;\nCOMMENT ON RULE t_keep ON t IS 'never delete';"},
		{name: "the table it writes to changes", old: ruleTables + "CREATE RULE t_log AS ON INSERT TO t DO ALSO INSERT INTO log (a) VALUES (new.a);",
			new: "CREATE TABLE t (a int, b text);\nCREATE TABLE log (a bigint, at timestamptz DEFAULT now());\nCREATE RULE t_log AS ON INSERT TO t DO ALSO INSERT INTO log (a) VALUES (new.a);"},
		{name: "with its table", old: ruleTables + "CREATE RULE t_keep AS ON DELETE TO t DO INSTEAD NOTHING;", new: "CREATE TABLE log (a int, at timestamptz DEFAULT now());",
			absent: []string{"DROP RULE"}},
	}},
}

const opBase = "CREATE TABLE w (t text);\n" +
	"CREATE FUNCTION eq_rev(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = reverse($2)';\n" +
	"CREATE OPERATOR =~= (FUNCTION = eq_rev, LEFTARG = text, RIGHTARG = text);\n" +
	"CREATE FUNCTION rev_cmp(text, text) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT bttextcmp(reverse($1), reverse($2))';\n" +
	"CREATE FUNCTION rev_hash(text) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT hashtext(reverse($1))';\n"

const opClass = "CREATE OPERATOR CLASS rev_ops FOR TYPE text USING btree AS OPERATOR 3 =~=, FUNCTION 1 rev_cmp(text, text);\n"

const opClass2 = "CREATE OPERATOR CLASS rev_ops FOR TYPE text USING btree AS OPERATOR 3 =~=, OPERATOR 1 <, FUNCTION 1 rev_cmp(text, text);\n"

const statsTable = "CREATE TABLE t (a int, b int, c text);\n"

const fdwBase = "CREATE FOREIGN DATA WRAPPER w;\nCREATE SERVER srv FOREIGN DATA WRAPPER w OPTIONS (host 'db1');\n"

const tsBase = "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = pg_catalog.simple);\n"

const castBase = "CREATE TYPE pair AS (a int, b text);\nCREATE FUNCTION int_to_pair(integer) RETURNS pair LANGUAGE sql IMMUTABLE AS 'SELECT ROW($1, NULL)::pair';\n"

const pubTables = "CREATE TABLE t (a int PRIMARY KEY, b text, c text);\nCREATE TABLE u (a int PRIMARY KEY);\n"

const ledger = fdwBase + "CREATE TABLE ledger (region int NOT NULL, amount numeric CHECK (amount <> 0)) PARTITION BY LIST (region);\n" +
	"CREATE TABLE ledger_local PARTITION OF ledger FOR VALUES IN (1);\n"

const ledgerRemote = "CREATE FOREIGN TABLE ledger_remote PARTITION OF ledger FOR VALUES IN (2) SERVER srv;\n"

const ruleTables = "CREATE TABLE t (a int, b text);\nCREATE TABLE log (a int, at timestamptz DEFAULT now());\n"

// TestConvergence runs the convergence cases (see convergenceCase).
func TestConvergence(t *testing.T) {
	createTestRole(t)
	for _, g := range convergenceGroups {
		for _, c := range g.cases {
			t.Run(g.group+"/"+c.name, func(t *testing.T) {
				for _, online := range []bool{false, true} {
					checkConvergence(t, c, online)
				}
			})
		}
	}
}

func checkConvergence(t *testing.T, c convergenceCase, online bool) {
	t.Helper()
	a, b := pg.NewDB(t), pg.NewDB(t)
	psqlExec(t, a, c.old)
	psqlExec(t, b, c.new)
	ra, rb := inspect(t, a, catalog.Options{}), inspect(t, b, catalog.Options{})
	opts := diff.Options{Online: online}
	plan, err := diff.Diff(&ra.Schema, &rb.Schema, opts)
	if c.refused != "" {
		var re *diff.RefusalError
		if !errors.As(err, &re) || len(re.Refusals) != 1 || re.Refusals[0].Object != c.refused {
			t.Fatalf("online=%v: want a refusal naming %s, got %v:\n%s", online, c.refused, err, plan.SQL())
		}
		return
	}
	if err != nil {
		t.Fatalf("online=%v: %v", online, err)
	}
	if testing.Verbose() {
		t.Logf("online=%v plan:\n%s", online, plan.SQL())
	}
	if len(plan.Warnings) > 0 {
		t.Errorf("online=%v: warnings %v", online, plan.Warnings)
	}
	text := statementsText(plan)
	order := c.order
	if online && c.onlineOrder != nil {
		order = c.onlineOrder
	}
	if at := inOrder(text, order); at != "" {
		t.Errorf("online=%v: %q missing or out of order:\n%s", online, at, plan.SQL())
	}
	for _, f := range c.absent {
		if strings.Contains(text, f) {
			t.Errorf("online=%v: plan holds %q:\n%s", online, f, plan.SQL())
		}
	}
	if err := apply(t, a, plan); err != nil {
		t.Fatalf("online=%v: apply: %v\n%s", online, err, plan.SQL())
	}
	ra2 := inspect(t, a, catalog.Options{})
	if d := diff.Differences(&ra2.Schema, &rb.Schema, false); len(d) > 0 {
		t.Errorf("online=%v: still differ: %v\n%s", online, d, plan.SQL())
	}
	if sa, sb := storedCatalog(t, a), storedCatalog(t, b); sa != sb {
		t.Errorf("online=%v: PostgreSQL stores the two differently (- applied, + target):\n%s\nplan:\n%s", online, lineDiff(sa, sb), plan.SQL())
	}
	again, err := diff.Diff(&ra2.Schema, &rb.Schema, opts)
	if err != nil || !again.Empty() {
		t.Errorf("online=%v: second diff: %v\n%s\nfirst plan:\n%s", online, err, again.SQL(), plan.SQL())
	}
}

// statementsText is the plan's statements alone (no hazard comments or
// timeouts), one per line.
func statementsText(p diff.Plan) string {
	var b strings.Builder
	for _, s := range p.Statements {
		b.WriteString(s.SQL)
		b.WriteByte('\n')
	}
	return b.String()
}

// inOrder returns the first of frags that text does not contain after the
// previous one, or "".
func inOrder(text string, frags []string) string {
	at := 0
	for _, f := range frags {
		i := strings.Index(text[at:], f)
		if i < 0 {
			return f
		}
		at += i + len(f)
	}
	return ""
}

// aclSQL renders the effective ACL of a catalog column (NULL: the built-in
// default of kind for owner) as sorted grantee:privilege[*]:grantor items.
func aclSQL(col, kind, owner string) string {
	return fmt.Sprintf(`(SELECT COALESCE(string_agg(i, ',' ORDER BY i), '') FROM (
  SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END || ':' || x.privilege_type ||
         CASE WHEN x.is_grantable THEN '*' ELSE '' END || ':' || pg_get_userbyid(x.grantor) AS i
  FROM aclexplode(COALESCE(%s, acldefault('%s', %s))) x) y)`, col, kind, owner)
}

// storedCatalog describes, straight from PostgreSQL's catalogs and without
// Tidemark's model, what the database stores for the objects of its user
// schemas: definitions as PostgreSQL deparses them, owners and effective
// privileges. One sorted line per object.
func storedCatalog(t testing.TB, url string) string {
	t.Helper()
	q := `WITH ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%')
SELECT line FROM (
  SELECT 'schema ' || n.nspname || ' owner=' || pg_get_userbyid(s.nspowner) || ' acl=' || ` + aclSQL("s.nspacl", "n", "s.nspowner") + ` AS line
  FROM ns n JOIN pg_namespace s ON s.oid = n.oid
UNION ALL
  SELECT 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text || ' owner=' || pg_get_userbyid(c.relowner) ||
         ' acl=' || ` + aclSQL("c.relacl", "r", "c.relowner") + ` ||
         CASE WHEN c.relkind IN ('v', 'm') THEN ' query=' || pg_get_viewdef(c.oid) ELSE '' END
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm')
UNION ALL
  SELECT 'sequence ' || n.nspname || '.' || c.relname || ' ' || format_type(s.seqtypid, NULL) || ' ' || s.seqstart || ' ' ||
         s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax || ' ' || s.seqcache || ' ' || s.seqcycle ||
         ' owner=' || pg_get_userbyid(c.relowner) || ' acl=' || ` + aclSQL("c.relacl", "s", "c.relowner") + ` ||
         COALESCE((SELECT ' owned by ' || d.refobjid::regclass::text || '.' || a.attname || ' (' || d.deptype::text || ')'
                   FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                     AND d.deptype IN ('a', 'i')), '')
  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN ns n ON n.oid = c.relnamespace
UNION ALL
  SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
         CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || ' identity=' || a.attidentity::text || ' generated=' || a.attgenerated::text ||
         COALESCE(' default=' || pg_get_expr(ad.adbin, ad.adrelid), '') || COALESCE(' acl=' || (SELECT string_agg(i::text, ',' ORDER BY i::text) FROM unnest(a.attacl) i), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
  SELECT 'constraint ' || COALESCE(c.conrelid::regclass::text, c.contypid::regtype::text) || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid)
  FROM pg_constraint c JOIN ns n ON n.oid = c.connamespace
UNION ALL
  SELECT 'index ' || pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN ns n ON n.oid = c.relnamespace
UNION ALL
  SELECT 'routine ' || n.nspname || '.' || p.proname || '(' || pg_get_function_arguments(p.oid) || ') kind=' || p.prokind::text ||
         ' result=' || COALESCE(pg_get_function_result(p.oid), '') || ' owner=' || pg_get_userbyid(p.proowner) ||
         ' acl=' || ` + aclSQL("p.proacl", "f", "p.proowner") + ` ||
         ' source=' || md5(CASE WHEN p.prokind = 'a' THEN p.prosrc ELSE pg_get_functiondef(p.oid) END)
  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
UNION ALL
  SELECT 'type ' || n.nspname || '.' || t.typname || ' kind=' || t.typtype::text || ' owner=' || pg_get_userbyid(t.typowner) ||
         ' acl=' || ` + aclSQL("t.typacl", "T", "t.typowner") + ` ||
         COALESCE(' labels=' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'r', 'c') AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(tg.oid) FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN ns n ON n.oid = c.relnamespace
  WHERE NOT tg.tgisinternal
UNION ALL
  SELECT 'policy ' || schemaname || '.' || tablename || '.' || policyname || ' ' || permissive || ' ' || cmd || ' ' || roles::text ||
         ' using=' || COALESCE(qual, '') || ' check=' || COALESCE(with_check, '')
  FROM pg_policies
UNION ALL
  SELECT 'default privileges ' || pg_get_userbyid(d.defaclrole) || ' ' || COALESCE(n.nspname, '') || ' ' || d.defaclobjtype::text || ' ' ||
         (SELECT string_agg(i::text, ',' ORDER BY i::text) FROM unnest(d.defaclacl) i)
  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
) lines ORDER BY line`
	rows, err := pgtestConn(t, url).Query(context.Background(), q)
	if err != nil {
		t.Fatalf("stored catalog: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatalf("stored catalog: %v", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("stored catalog: %v", err)
	}
	return strings.Join(out, "\n")
}
