package diff_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// renameCase: old is loaded into A and into B; B then gets the renames
// (as DDL) and extra. The plan A → B with the renames must start with the
// renames, never drop the renamed objects, hold none of the absent
// fragments (dependants touched), and converge.
type renameCase struct {
	name    string
	old     string
	renames []diff.Rename
	extra   string
	// absent are fragments no statement may hold (a dependant dropped or
	// re-created because the renamed copy did not read as PostgreSQL's).
	absent []string
	// rest is how many statements the plan holds after the renames.
	rest int
	// unseen: the plain diff does not tell the two apart (an identity
	// sequence's name is not compared), so it drops nothing either.
	unseen bool
}

const renameBase = `
CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE CHECK (a > 0), note text, g int GENERATED ALWAYS AS (a * 2) STORED);
CREATE INDEX t_a_note ON t (a, note) WHERE a > 1;
CREATE INDEX t_lower ON t (lower(note), a);
CREATE TABLE u (id serial PRIMARY KEY, t_a int REFERENCES t (a) ON DELETE CASCADE, t_id int REFERENCES t);
CREATE INDEX u_t_a ON u (t_a);
CREATE VIEW v AS SELECT id, a FROM t WHERE a > 2 ORDER BY a;
CREATE VIEW v_alias AS SELECT x.a AS renamed_a, x.note FROM t x;
CREATE VIEW v_join AS SELECT t.a, u.id AS uid FROM t JOIN u ON u.t_a = t.a;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t_touch BEFORE UPDATE OF a ON t FOR EACH ROW WHEN (NEW.a IS DISTINCT FROM OLD.a) EXECUTE FUNCTION touch();
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_pos ON t USING (a > 0);
COMMENT ON COLUMN t.a IS 'the a';
`

const renameSchemaBase = `
CREATE SCHEMA s;
CREATE TYPE s.mood AS ENUM ('ok', 'bad');
CREATE DOMAIN s.pos AS int CHECK (VALUE > 0);
CREATE TABLE s.t (id serial PRIMARY KEY, m s.mood DEFAULT 'ok', p s.pos);
CREATE TABLE s.u (id int PRIMARY KEY, t_id int REFERENCES s.t);
CREATE SEQUENCE s.counter;
CREATE TABLE public.w (id int DEFAULT nextval('s.counter'), t_id int REFERENCES s.t, m s.mood);
CREATE FUNCTION s.f(x s.mood) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION public.g(r s.t) RETURNS int LANGUAGE sql RETURN r.id;
CREATE VIEW s.v AS SELECT t.id, s.f(t.m) AS fm FROM s.t;
CREATE VIEW public.pv AS SELECT v.id FROM s.v;
COMMENT ON SCHEMA s IS 'the schema';
`

var renameCases = []renameCase{
	{name: "column with dependants", old: renameBase,
		renames: []diff.Rename{{Kind: diff.RenameColumn, Schema: "public", Table: "t", From: "a", To: "amount"}},
		extra:   "ALTER TABLE t ADD COLUMN extra text;",
		absent:  []string{"DROP", "CREATE OR REPLACE VIEW", "CREATE INDEX", "ADD CONSTRAINT", "CREATE TRIGGER", "CREATE POLICY", "COMMENT"},
		rest:    1},
	{name: "foreign key column", old: renameBase,
		renames: []diff.Rename{{Kind: diff.RenameColumn, Schema: "public", Table: "u", From: "t_a", To: "ref_a"}},
		extra:   "CREATE INDEX u_extra ON u (id);",
		absent:  []string{"DROP", "CREATE OR REPLACE VIEW", "ADD CONSTRAINT"},
		rest:    1},
	{name: "quoted names", old: `CREATE TABLE "T t" ("Col A" int PRIMARY KEY, "select" int); CREATE VIEW "V" AS SELECT "Col A", "select" FROM "T t";
CREATE INDEX "I" ON "T t" ("select");`,
		renames: []diff.Rename{{Kind: diff.RenameColumn, Schema: "public", Table: "T t", From: "select", To: "Chosen"},
			{Kind: diff.RenameTable, Schema: "public", From: "T t", To: "table"}},
		absent: []string{"DROP", "CREATE OR REPLACE VIEW", "CREATE INDEX"}},
	{name: "table referenced by foreign keys and views", old: renameBase,
		renames: []diff.Rename{{Kind: diff.RenameTable, Schema: "public", From: "t", To: "things"}},
		extra:   "CREATE INDEX things_note ON things (note);",
		absent:  []string{"DROP", "CREATE OR REPLACE VIEW", "ADD CONSTRAINT", "CREATE TRIGGER", "CREATE POLICY"},
		rest:    1},
	{name: "table with a serial and a partitioned table", old: `CREATE TABLE p (id serial, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE p2020 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE INDEX p_at ON p (at);`,
		renames: []diff.Rename{{Kind: diff.RenameTable, Schema: "public", From: "p", To: "events"},
			{Kind: diff.RenameColumn, Schema: "public", Table: "events", From: "at", To: "happened"}},
		absent: []string{"DROP", "CREATE INDEX", "ADD CONSTRAINT", "ATTACH"}},
	{name: "schema holding tables, types and functions", old: renameSchemaBase,
		renames: []diff.Rename{{Kind: diff.RenameSchema, From: "s", To: "app"}},
		extra:   "ALTER TABLE app.t ADD COLUMN extra int;",
		absent:  []string{"DROP", "CREATE OR REPLACE VIEW", "CREATE FUNCTION", "ADD CONSTRAINT", "CREATE TYPE", "CREATE DOMAIN", "COMMENT"},
		rest:    1},
	{name: "indexes, the primary key's too", old: renameBase,
		renames: []diff.Rename{{Kind: diff.RenameIndex, Schema: "public", From: "t_a_note", To: "t_by_a"},
			{Kind: diff.RenameIndex, Schema: "public", From: "t_pkey", To: "t_primary"},
			{Kind: diff.RenameIndex, Schema: "public", From: "t_a_key", To: "t_a_unique"}},
		extra:  "CREATE INDEX t_note ON t (note);",
		absent: []string{"DROP", "ADD CONSTRAINT"},
		rest:   1},
	{name: "constraints of each kind", old: renameBase,
		renames: []diff.Rename{{Kind: diff.RenameConstraint, Schema: "public", Table: "t", From: "t_pkey", To: "t_pk"},
			{Kind: diff.RenameConstraint, Schema: "public", Table: "t", From: "t_a_check", To: "a_positive"},
			{Kind: diff.RenameConstraint, Schema: "public", Table: "u", From: "u_t_a_fkey", To: "u_to_t"}},
		extra:  "ALTER TABLE t ADD CONSTRAINT note_short CHECK (length(note) < 100);",
		absent: []string{"DROP", "CREATE INDEX"},
		rest:   1},
	{name: "inherited check constraint", old: `CREATE TABLE p (a int CONSTRAINT p_pos CHECK (a > 0)) PARTITION BY LIST (a);
CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);`,
		renames: []diff.Rename{{Kind: diff.RenameConstraint, Schema: "public", Table: "p", From: "p_pos", To: "positive"}},
		absent:  []string{"DROP", "ADD CONSTRAINT"}},
	{name: "enum value used by defaults, checks and views", old: `CREATE TYPE mood AS ENUM ('ok', 'bad');
CREATE TABLE m (id int, x mood DEFAULT 'ok' CHECK (x <> 'bad'), y mood[]);
CREATE VIEW happy AS SELECT id FROM m WHERE x = 'ok';
CREATE INDEX m_ok ON m (id) WHERE x = 'ok';`,
		renames: []diff.Rename{{Kind: diff.RenameEnumValue, Schema: "public", Type: "mood", From: "ok", To: "fine"}},
		extra:   "ALTER TYPE mood ADD VALUE 'meh';",
		absent:  []string{"DROP", "CREATE TYPE", "CREATE OR REPLACE VIEW", "CREATE INDEX", "ADD CONSTRAINT", "SET DEFAULT"},
		rest:    1},
	{name: "views and a materialized view", old: renameBase + "CREATE VIEW vv AS SELECT v.id FROM v;\nCREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t;\nCREATE INDEX mv_id ON mv (id);",
		renames: []diff.Rename{{Kind: diff.RenameView, Schema: "public", From: "v", To: "big_a"},
			{Kind: diff.RenameView, Schema: "public", From: "mv", To: "snapshot"},
			{Kind: diff.RenameIndex, Schema: "public", From: "mv_id", To: "snapshot_id"}},
		extra:  "COMMENT ON VIEW big_a IS 'renamed';",
		absent: []string{"DROP", "CREATE OR REPLACE VIEW", "CREATE INDEX", "CREATE MATERIALIZED VIEW"},
		rest:   1},
	{name: "sequences: standalone and a serial's", old: renameBase + "CREATE SEQUENCE counter;\nCREATE TABLE c (n bigint DEFAULT nextval('counter'));",
		renames: []diff.Rename{{Kind: diff.RenameSequence, Schema: "public", From: "counter", To: "ticket"},
			{Kind: diff.RenameSequence, Schema: "public", From: "u_id_seq", To: "u_ids"}},
		extra:  "ALTER SEQUENCE ticket INCREMENT BY 5;",
		absent: []string{"DROP", "SET DEFAULT", "CREATE SEQUENCE"},
		rest:   1},
	{name: "identity sequence", old: "CREATE TABLE i (id int GENERATED ALWAYS AS IDENTITY, v text);",
		renames: []diff.Rename{{Kind: diff.RenameSequence, Schema: "public", From: "i_id_seq", To: "i_ids"}},
		absent:  []string{"DROP", "IDENTITY"}, unseen: true},
}

// renameSQL is the DDL PostgreSQL is given for r (to build the target).
func renameSQL(r diff.Rename) string {
	q := catalog.QuoteQualified
	switch r.Kind {
	case diff.RenameSchema:
		return fmt.Sprintf("ALTER SCHEMA %s RENAME TO %s;", catalog.QuoteIdent(r.From), catalog.QuoteIdent(r.To))
	case diff.RenameTable:
		return fmt.Sprintf("ALTER TABLE %s RENAME TO %s;", q(r.Schema, r.From), catalog.QuoteIdent(r.To))
	case diff.RenameView:
		return fmt.Sprintf("ALTER TABLE %s RENAME TO %s;", q(r.Schema, r.From), catalog.QuoteIdent(r.To))
	case diff.RenameSequence:
		return fmt.Sprintf("ALTER SEQUENCE %s RENAME TO %s;", q(r.Schema, r.From), catalog.QuoteIdent(r.To))
	case diff.RenameIndex:
		return fmt.Sprintf("ALTER INDEX %s RENAME TO %s;", q(r.Schema, r.From), catalog.QuoteIdent(r.To))
	case diff.RenameColumn:
		return fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;", q(r.Schema, r.Table), catalog.QuoteIdent(r.From), catalog.QuoteIdent(r.To))
	case diff.RenameConstraint:
		return fmt.Sprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s;", q(r.Schema, r.Table), catalog.QuoteIdent(r.From), catalog.QuoteIdent(r.To))
	case diff.RenameEnumValue:
		return fmt.Sprintf("ALTER TYPE %s RENAME VALUE %s TO %s;", q(r.Schema, r.Type), catalog.QuoteLiteral(r.From), catalog.QuoteLiteral(r.To))
	}
	panic("unknown rename kind " + string(r.Kind))
}

// dropOfRenamed returns the first statement that drops a renamed object
// (under its old or its new name), or "".
func dropOfRenamed(plan diff.Plan, renames []diff.Rename) string {
	var res []*regexp.Regexp
	word := func(names ...string) string {
		var alts []string
		for _, n := range names {
			alts = append(alts, regexp.QuoteMeta(n))
		}
		return "(" + strings.Join(alts, "|") + `)([^A-Za-z0-9_"]|$)`
	}
	for _, r := range renames {
		q := catalog.QuoteQualified
		switch r.Kind {
		case diff.RenameSchema:
			res = append(res, regexp.MustCompile(`DROP SCHEMA (IF EXISTS )?`+word(catalog.QuoteIdent(r.From), catalog.QuoteIdent(r.To))))
		case diff.RenameTable:
			res = append(res, regexp.MustCompile(`DROP TABLE (IF EXISTS )?`+word(q(r.Schema, r.From), q(r.Schema, r.To))))
		case diff.RenameView:
			res = append(res, regexp.MustCompile(`DROP (MATERIALIZED )?VIEW (IF EXISTS )?`+word(q(r.Schema, r.From), q(r.Schema, r.To))))
		case diff.RenameSequence:
			res = append(res, regexp.MustCompile(`DROP SEQUENCE (IF EXISTS )?`+word(q(r.Schema, r.From), q(r.Schema, r.To))),
				regexp.MustCompile(`DROP IDENTITY`))
		case diff.RenameIndex:
			res = append(res, regexp.MustCompile(`DROP INDEX (CONCURRENTLY )?(IF EXISTS )?`+word(q(r.Schema, r.From), q(r.Schema, r.To))),
				regexp.MustCompile(`DROP CONSTRAINT (IF EXISTS )?`+word(catalog.QuoteIdent(r.From), catalog.QuoteIdent(r.To))))
		case diff.RenameColumn:
			res = append(res, regexp.MustCompile(`DROP COLUMN (IF EXISTS )?`+word(catalog.QuoteIdent(r.From), catalog.QuoteIdent(r.To))))
		case diff.RenameConstraint:
			res = append(res, regexp.MustCompile(`DROP CONSTRAINT (IF EXISTS )?`+word(catalog.QuoteIdent(r.From), catalog.QuoteIdent(r.To))),
				regexp.MustCompile(`DROP INDEX (CONCURRENTLY )?(IF EXISTS )?`+word(q(r.Schema, r.From), q(r.Schema, r.To))))
		case diff.RenameEnumValue:
			res = append(res, regexp.MustCompile(`DROP TYPE (IF EXISTS )?`+word(q(r.Schema, r.Type))),
				regexp.MustCompile(`ALTER TYPE `+regexp.QuoteMeta(q(r.Schema, r.Type))+` RENAME TO `),
				regexp.MustCompile(`ADD VALUE `+regexp.QuoteMeta(catalog.QuoteLiteral(r.To))))
		}
	}
	for _, s := range plan.Statements {
		for _, re := range res {
			if re.MatchString(s.SQL) {
				return s.SQL
			}
		}
	}
	return ""
}

// TestRenames runs the rename cases offline and online.
func TestRenames(t *testing.T) {
	for _, c := range renameCases {
		t.Run(c.name, func(t *testing.T) {
			for _, online := range []bool{false, true} {
				checkRename(t, c, online)
			}
		})
	}
}

func checkRename(t *testing.T, c renameCase, online bool) {
	t.Helper()
	a, b := pg.NewDB(t), pg.NewDB(t)
	psqlExec(t, a, c.old)
	var ddl strings.Builder
	ddl.WriteString(c.old + "\n")
	for _, r := range c.renames {
		ddl.WriteString(renameSQL(r) + "\n")
	}
	ddl.WriteString(c.extra)
	psqlExec(t, b, ddl.String())
	ra, rb := inspect(t, a, catalog.Options{}), inspect(t, b, catalog.Options{})
	before := ra.Schema.Fingerprint()
	plan, err := diff.Diff(&ra.Schema, &rb.Schema, diff.Options{Online: online, Renames: c.renames})
	if err != nil {
		t.Fatalf("online=%v: %v", online, err)
	}
	if ra.Schema.Fingerprint() != before {
		t.Fatalf("online=%v: Diff changed the caller's model", online)
	}
	if testing.Verbose() {
		t.Logf("online=%v plan:\n%s", online, plan.SQL())
	}
	if len(plan.Statements) < len(c.renames) {
		t.Fatalf("online=%v: plan shorter than the renames:\n%s", online, plan.SQL())
	}
	for i, r := range c.renames {
		want := strings.TrimSuffix(renameSQL(r), ";")
		if r.Kind == diff.RenameView {
			want = strings.Replace(want, "ALTER TABLE", "ALTER VIEW", 1)
			if strings.Contains(c.old, "MATERIALIZED VIEW "+r.From+" ") {
				want = strings.Replace(want, "ALTER VIEW", "ALTER MATERIALIZED VIEW", 1)
			}
		}
		if plan.Statements[i].SQL != want {
			t.Errorf("online=%v: statement %d is %q, want %q", online, i, plan.Statements[i].SQL, want)
		}
	}
	if s := dropOfRenamed(plan, c.renames); s != "" {
		t.Errorf("online=%v: the plan drops a renamed object: %s\n%s", online, s, plan.SQL())
	}
	if plain, err := diff.Diff(&ra.Schema, &rb.Schema, diff.Options{Online: online}); err == nil && !c.unseen && dropOfRenamed(plain, c.renames) == "" {
		// The check must be able to fail: without the intents the
		// renamed objects are dropped and created again.
		t.Errorf("online=%v: without the renames no drop is found:\n%s", online, plain.SQL())
	}
	rest := plan.Statements[len(c.renames):]
	for _, s := range rest {
		for _, f := range c.absent {
			if strings.Contains(s.SQL, f) {
				t.Errorf("online=%v: plan holds %q (a dependant is touched):\n%s", online, f, plan.SQL())
			}
		}
	}
	if c.rest >= 0 && len(rest) != c.rest && !online {
		t.Errorf("online=%v: %d statements after the renames, want %d:\n%s", online, len(rest), c.rest, plan.SQL())
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
	again, err := diff.Diff(&ra2.Schema, &rb.Schema, diff.Options{Online: online})
	if err != nil || !again.Empty() {
		t.Errorf("online=%v: second diff: %v\n%s", online, err, again.SQL())
	}
}

// TestRenameRefused: a rename whose source is missing or whose target is
// taken is refused with a message naming it (no database needed).
func TestRenameRefused(t *testing.T) {
	s := &catalog.Schema{
		Namespaces: []catalog.Namespace{{Name: "public"}, {Name: "s"}},
		Tables: []catalog.Table{
			{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "t"}, Kind: catalog.TableRegular,
				Columns:     []catalog.Column{{Name: "a", Type: "integer"}, {Name: "b", Type: "integer"}},
				Constraints: []catalog.Constraint{{Name: "t_pkey", Type: catalog.ConstraintPrimaryKey, Definition: "PRIMARY KEY (a)", Columns: []string{"a"}, Index: "t_pkey"}, {Name: "t_b_check", Type: catalog.ConstraintCheck, Definition: "CHECK ((b > 0))"}},
				Indexes:     []catalog.Index{{Name: "t_pkey", Definition: "CREATE UNIQUE INDEX t_pkey ON public.t USING btree (a)", Primary: true, Unique: true, Constraint: "t_pkey", Keys: []catalog.IndexKey{{Column: "a"}}}}},
			{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "u"}, Kind: catalog.TableRegular, Columns: []catalog.Column{{Name: "x", Type: "integer"}}},
		},
		Types: []catalog.Type{{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "mood"}, Kind: catalog.TypeEnum, Labels: []string{"ok", "bad"}}},
	}
	cases := []struct {
		r    diff.Rename
		want string
	}{
		{diff.Rename{Kind: diff.RenameSchema, From: "nope", To: "x"}, `cannot rename schema nope to x: there is no schema nope`},
		{diff.Rename{Kind: diff.RenameSchema, From: "s", To: "public"}, `a schema named public already exists`},
		{diff.Rename{Kind: diff.RenameTable, Schema: "public", From: "nope", To: "x"}, `there is no table public.nope`},
		{diff.Rename{Kind: diff.RenameTable, Schema: "public", From: "t", To: "u"}, `public.u is already the name of a table`},
		{diff.Rename{Kind: diff.RenameTable, Schema: "public", From: "t", To: "mood"}, `public.mood is already the name of a type`},
		{diff.Rename{Kind: diff.RenameTable, Schema: "public", From: "t", To: "t_pkey"}, `public.t_pkey is already the name of an index`},
		{diff.Rename{Kind: diff.RenameColumn, Schema: "public", Table: "t", From: "nope", To: "c"}, `table public.t has no column nope`},
		{diff.Rename{Kind: diff.RenameColumn, Schema: "public", Table: "t", From: "a", To: "b"}, `table public.t already has a column b`},
		{diff.Rename{Kind: diff.RenameColumn, Schema: "public", Table: "zz", From: "a", To: "c"}, `there is no table public.zz`},
		{diff.Rename{Kind: diff.RenameIndex, Schema: "public", From: "nope", To: "i"}, `there is no index public.nope`},
		{diff.Rename{Kind: diff.RenameIndex, Schema: "public", From: "t_pkey", To: "u"}, `public.u is already the name of a table`},
		{diff.Rename{Kind: diff.RenameIndex, Schema: "public", From: "t_pkey", To: "t_b_check"}, `already has a constraint t_b_check`},
		{diff.Rename{Kind: diff.RenameConstraint, Schema: "public", Table: "t", From: "nope", To: "c"}, `table public.t has no constraint nope`},
		{diff.Rename{Kind: diff.RenameConstraint, Schema: "public", Table: "t", From: "t_b_check", To: "t_pkey"}, `already has a constraint t_pkey`},
		{diff.Rename{Kind: diff.RenameConstraint, Schema: "public", Table: "t", From: "t_pkey", To: "u"}, `its index takes the new name`},
		{diff.Rename{Kind: diff.RenameEnumValue, Schema: "public", Type: "mood", From: "meh", To: "x"}, `public.mood has no value 'meh'`},
		{diff.Rename{Kind: diff.RenameEnumValue, Schema: "public", Type: "mood", From: "ok", To: "bad"}, `public.mood already has the value 'bad'`},
		{diff.Rename{Kind: diff.RenameEnumValue, Schema: "public", Type: "nope", From: "ok", To: "x"}, `there is no enum public.nope`},
		{diff.Rename{Kind: diff.RenameView, Schema: "public", From: "t", To: "x"}, `there is no view public.t`},
		{diff.Rename{Kind: diff.RenameSequence, Schema: "public", From: "t", To: "x"}, `there is no sequence public.t`},
		{diff.Rename{Kind: diff.RenameTable, Schema: "public", From: "t", To: "t"}, `the new name is the old name`},
		{diff.Rename{Kind: "trigger", Schema: "public", From: "t", To: "x"}, `unknown kind "trigger"`},
	}
	for _, c := range cases {
		t.Run(c.r.String(), func(t *testing.T) {
			before := s.Fingerprint()
			_, err := diff.Diff(s, s, diff.Options{Renames: []diff.Rename{c.r}})
			var ue *usererr.Error
			if !errors.As(err, &ue) || ue.Field != "renames" || !strings.Contains(ue.Message, c.want) {
				t.Fatalf("got %v, want a usererr naming the renames with %q", err, c.want)
			}
			if !strings.Contains(ue.Message, c.r.String()) {
				t.Errorf("message %q does not name the rename %q", ue.Message, c.r.String())
			}
			if s.Fingerprint() != before {
				t.Errorf("the model was changed")
			}
		})
	}
	// A later rename sees the names the earlier ones left.
	_, err := diff.Diff(s, s, diff.Options{Renames: []diff.Rename{
		{Kind: diff.RenameTable, Schema: "public", From: "t", To: "t2"},
		{Kind: diff.RenameColumn, Schema: "public", Table: "t", From: "a", To: "c"}}})
	if err == nil || !strings.Contains(err.Error(), "there is no table public.t") {
		t.Errorf("rename after rename: %v", err)
	}
}

// TestRandomRenames: random sequences of table, column and index renames
// (with a column added) on the pagila corpus schema; each plan renames,
// drops nothing renamed, touches nothing else and converges.
func TestRandomRenames(t *testing.T) {
	pagila := testcorpus.Path(t, "schemas", "pagila.sql")
	a0 := pg.NewDB(t)
	if err := psql(t, a0, pagila, nil); err != nil {
		t.Fatalf("load pagila: %v", err)
	}
	base := inspect(t, a0, catalog.Options{})
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewSource(seed))
			renames := randomRenames(r, base.Schema, 15)
			a, b := pg.NewDB(t), pg.NewDB(t)
			for _, db := range []string{a, b} {
				if err := psql(t, db, pagila, nil); err != nil {
					t.Fatalf("load pagila: %v", err)
				}
			}
			conn := pgtest.Conn(t, b)
			for _, rn := range renames {
				if _, err := conn.Exec(context.Background(), renameSQL(rn)); err != nil {
					t.Fatalf("%s: %v", renameSQL(rn), err)
				}
			}
			ra, rb := inspect(t, a, catalog.Options{}), inspect(t, b, catalog.Options{})
			plan, err := diff.Diff(&ra.Schema, &rb.Schema, diff.Options{Renames: renames})
			if err != nil {
				t.Fatalf("%v\nrenames: %v", err, renames)
			}
			if s := dropOfRenamed(plan, renames); s != "" {
				t.Errorf("the plan drops a renamed object: %s\n%s", s, plan.SQL())
			}
			if len(plan.Statements) != len(renames) {
				t.Errorf("%d statements for %d renames (dependants touched):\n%s", len(plan.Statements), len(renames), plan.SQL())
			}
			if err := apply(t, a, plan); err != nil {
				t.Fatalf("apply: %v\n%s", err, plan.SQL())
			}
			got := inspect(t, a, catalog.Options{})
			if d := diff.Differences(&got.Schema, &rb.Schema, false); len(d) > 0 {
				t.Fatalf("still differ: %v\n%s", d, plan.SQL())
			}
			if sa, sb := storedCatalog(t, a), storedCatalog(t, b); sa != sb {
				t.Errorf("PostgreSQL stores the two differently (- applied, + target):\n%s", lineDiff(sa, sb))
			}
			again, err := diff.Diff(&got.Schema, &rb.Schema, diff.Options{})
			if err != nil || !again.Empty() {
				t.Fatalf("second diff: %v\n%s", err, again.SQL())
			}
			t.Logf("%d renames", len(renames))
		})
	}
}

// randomRenames draws n renames of tables, columns and indexes of s, each
// on the names the previous ones left (diff.ApplyRenames keeps the model
// current).
func randomRenames(r *rand.Rand, s catalog.Schema, n int) []diff.Rename {
	var out []diff.Rename
	cur := s
	for i := 0; len(out) < n && i < 10*n; i++ {
		var tables []*catalog.Table
		for j := range cur.Tables {
			if cur.Tables[j].PartitionOf == nil && len(cur.Tables[j].Inherits) == 0 {
				tables = append(tables, &cur.Tables[j])
			}
		}
		t := tables[r.Intn(len(tables))]
		var rn diff.Rename
		switch r.Intn(3) {
		case 0:
			rn = diff.Rename{Kind: diff.RenameTable, Schema: t.Schema, From: t.Name, To: fmt.Sprintf("%s_r%d", t.Name, i)}
		case 1:
			c := t.Columns[r.Intn(len(t.Columns))]
			if c.Inherited {
				continue
			}
			rn = diff.Rename{Kind: diff.RenameColumn, Schema: t.Schema, Table: t.Name, From: c.Name, To: fmt.Sprintf("%s_r%d", c.Name, i)}
		default:
			if len(t.Indexes) == 0 {
				continue
			}
			x := t.Indexes[r.Intn(len(t.Indexes))]
			if x.ParentIndex != nil {
				continue
			}
			rn = diff.Rename{Kind: diff.RenameIndex, Schema: t.Schema, From: x.Name, To: fmt.Sprintf("idx_r%d", i)}
		}
		next, _, err := diff.ApplyRenames(&cur, []diff.Rename{rn})
		if err != nil {
			continue
		}
		cur = next
		out = append(out, rn)
	}
	return out
}
