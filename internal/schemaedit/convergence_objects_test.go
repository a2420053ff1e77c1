package schemaedit_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// objectBase is editBase with what the view, sequence and comment edits
// act on: a materialized view, a sequence used by nothing, a domain.
const objectBase = editBase + `
CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE SEQUENCE counter START 10;
CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0);
COMMENT ON SEQUENCE counter IS 'old comment';
`

func seqv(n int64) *schemaedit.SeqValue { v := schemaedit.SeqValue(n); return &v }

var objectCases = []editCase{
	{name: "view options: check option and security barrier, then changed in place", ops: []schemaedit.Op{
		{Op: schemaedit.CreateView, Schema: "public", Name: "big", View: &schemaedit.ViewSpec{Definition: "SELECT id, total FROM orders WHERE total > 100",
			CheckOption: str("local"), SecurityBarrier: boolp(true)}},
		{Op: schemaedit.AlterView, Schema: "public", Name: "big_orders", View: &schemaedit.ViewSpec{CheckOption: str("cascaded"), SecurityInvoker: boolp(true)}}},
		want: []string{"CREATE OR REPLACE VIEW public.big_orders WITH (check_option=cascaded, security_invoker=true) AS",
			"CREATE VIEW public.big WITH (check_option=local, security_barrier=true) AS"}, noDrop: true},
	{name: "a materialized view created WITH NO DATA", ops: []schemaedit.Op{
		{Op: schemaedit.CreateView, Schema: "public", Name: "totals_later", View: &schemaedit.ViewSpec{Materialized: true,
			Definition: "SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id", WithNoData: boolp(true)}}},
		want: []string{"CREATE MATERIALIZED VIEW public.totals_later AS", "WITH NO DATA"}, noDrop: true},
	{name: "create a view with a comment", ops: []schemaedit.Op{
		{Op: schemaedit.CreateView, Schema: "public", Name: "active_customers", View: &schemaedit.ViewSpec{Definition: "SELECT id, name\nFROM customers\nWHERE email IS NOT NULL;"}},
		{Op: schemaedit.CommentOn, Kind: "view", Schema: "public", Name: "active_customers", Comment: str("customers we can write to")}},
		want: []string{"CREATE VIEW public.active_customers AS", "FROM public.customers", "COMMENT ON VIEW public.active_customers IS 'customers we can write to'"}, noDrop: true},
	{name: "create a materialized view over a new table", ops: []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "app", Table: "events", Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint", NotNull: true}, {Name: "kind", Type: "text"}}, PrimaryKey: []string{"id"}},
		{Op: schemaedit.CreateView, Schema: "app", Name: "event_counts", View: &schemaedit.ViewSpec{Materialized: true,
			Definition: "select e.kind, count(*) as n from app.events e group by e.kind"}}},
		want: []string{"CREATE TABLE app.events", "CREATE MATERIALIZED VIEW app.event_counts AS"}, noDrop: true},
	{name: "change a view's definition in place", ops: []schemaedit.Op{
		{Op: schemaedit.AlterView, Schema: "public", Name: "big_orders", View: &schemaedit.ViewSpec{Definition: "SELECT id, customer_id, total, note FROM orders WHERE total > 500"}}},
		want: []string{"CREATE OR REPLACE VIEW public.big_orders AS"}, noDrop: true},
	{name: "a view losing a column is dropped and created, with the view over it", ops: []schemaedit.Op{
		{Op: schemaedit.CreateView, Schema: "public", Name: "top_orders", View: &schemaedit.ViewSpec{Definition: "SELECT b.id, b.total FROM big_orders b ORDER BY b.total DESC LIMIT 10"}},
		{Op: schemaedit.AlterView, Schema: "public", Name: "big_orders", View: &schemaedit.ViewSpec{Definition: "SELECT o.id, o.total FROM public.orders o WHERE o.total > 100"}}},
		want: []string{"DROP VIEW public.big_orders", "CREATE VIEW public.big_orders AS", "CREATE VIEW public.top_orders AS"}},
	{name: "change a materialized view's query: drop and create", ops: []schemaedit.Op{
		{Op: schemaedit.AlterView, Schema: "public", Name: "order_totals", View: &schemaedit.ViewSpec{Definition: "SELECT customer_id, sum(total) AS total, count(*) AS orders FROM orders GROUP BY customer_id"}}},
		want: []string{"DROP MATERIALIZED VIEW public.order_totals", "CREATE MATERIALIZED VIEW public.order_totals AS"}},
	{name: "rename views: no drop", ops: []schemaedit.Op{
		{Op: schemaedit.RenameView, Schema: "public", Name: "big_orders", To: "large_orders"},
		{Op: schemaedit.RenameView, Schema: "public", Name: "order_totals", To: "totals"},
		{Op: schemaedit.CommentOn, Kind: "materialized_view", Schema: "public", Name: "totals", Comment: str("per customer")}},
		want: []string{"ALTER VIEW public.big_orders RENAME TO large_orders", "ALTER MATERIALIZED VIEW public.order_totals RENAME TO totals", "COMMENT ON MATERIALIZED VIEW public.totals IS 'per customer'"}, noDrop: true},
	{name: "a new view follows a rename of the table it reads", ops: []schemaedit.Op{
		{Op: schemaedit.CreateView, Schema: "public", Name: "order_notes", View: &schemaedit.ViewSpec{Definition: "SELECT o.id, o.note FROM orders o"}},
		{Op: schemaedit.RenameTable, Schema: "public", Table: "orders", To: "purchases"},
		{Op: schemaedit.RenameView, Schema: "public", Name: "order_notes", To: "purchase_notes"}},
		want: []string{"ALTER TABLE public.orders RENAME TO purchases", "CREATE VIEW public.purchase_notes AS", "FROM public.purchases o"}, noDrop: true},
	{name: "a view whose columns the model cannot tell", ops: []schemaedit.Op{
		{Op: schemaedit.CreateView, Schema: "public", Name: "pairs", View: &schemaedit.ViewSpec{Definition: "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS p(n, label)"}}},
		want: []string{"CREATE VIEW public.pairs AS"}, noDrop: true},
	{name: "drop a materialized view", ops: []schemaedit.Op{{Op: schemaedit.DropView, Schema: "public", Name: "order_totals"}},
		want: []string{"DROP MATERIALIZED VIEW public.order_totals"}},
	{name: "sequences: create, alter, rename", ops: []schemaedit.Op{
		{Op: schemaedit.CreateSequence, Schema: "app", Name: "ticket_no", Sequence: &schemaedit.SequenceSpec{DataType: str("integer"), Start: seqv(100), Increment: seqv(10), Max: seqv(100000), Cache: seqv(5), Cycle: yes()}},
		{Op: schemaedit.CreateSequence, Schema: "public", Name: "countdown", Sequence: &schemaedit.SequenceSpec{Increment: seqv(-1)}},
		{Op: schemaedit.AlterSequence, Schema: "public", Name: "counter", Sequence: &schemaedit.SequenceSpec{DataType: str("int"), Increment: seqv(5), Cycle: yes()}},
		{Op: schemaedit.RenameSequence, Schema: "public", Name: "counter", To: "ticket"},
		{Op: schemaedit.CommentOn, Kind: "sequence", Schema: "public", Name: "ticket", Comment: str("")}},
		want: []string{"ALTER SEQUENCE public.counter RENAME TO ticket", "ALTER SEQUENCE public.ticket AS integer INCREMENT BY 5 MAXVALUE 2147483647 CYCLE",
			"COMMENT ON SEQUENCE public.ticket IS NULL", "CREATE SEQUENCE app.ticket_no\n    AS integer\n    START WITH 100"}, noDrop: true},
	{name: "drop a sequence", ops: []schemaedit.Op{{Op: schemaedit.DropSequence, Schema: "public", Name: "counter"}},
		want: []string{"DROP SEQUENCE public.counter"}},
	{name: "comments on every kind", ops: []schemaedit.Op{
		{Op: schemaedit.CommentOn, Kind: "schema", Name: "app", Comment: str("settings and config")},
		{Op: schemaedit.CommentOn, Kind: "index", Schema: "public", Name: "customers_email", Comment: str("lookup by email")},
		{Op: schemaedit.CommentOn, Kind: "constraint", Schema: "public", Table: "orders", Name: "orders_total_check", Comment: str("no refunds here")},
		{Op: schemaedit.CommentOn, Kind: "type", Schema: "public", Name: "mood", Comment: str("how it went")},
		{Op: schemaedit.CommentOn, Kind: "type", Schema: "app", Name: "positive", Comment: str("above zero")},
		{Op: schemaedit.CommentOn, Kind: "table", Schema: "public", Table: "orders", Comment: str("orders placed")},
		{Op: schemaedit.CommentOn, Kind: "column", Schema: "public", Table: "orders", Name: "note", Comment: str("free text")},
		{Op: schemaedit.CommentOn, Kind: "view", Schema: "public", Name: "big_orders", Comment: str("over 100")},
		{Op: schemaedit.CommentOn, Kind: "function", Schema: "app", Name: "get", Comment: str("a setting by key")},
		{Op: schemaedit.CommentOn, Kind: "function", Schema: "app", Name: "get", Args: "k  text", Comment: str("a setting, by key")},
		{Op: schemaedit.CommentTable, Schema: "public", Table: "customers", Comment: str("still works")}},
		want: []string{"COMMENT ON SCHEMA app IS 'settings and config'", "COMMENT ON FUNCTION app.get(k text) IS 'a setting, by key'"}, noDrop: true},
}

// TestObjectEditConvergence: views, materialized views, sequences and
// comments converge like the other edits (the preview applied equals the
// edited model, the edited model's DDL loaded equals the result, a second
// diff is empty), and renames rename: those cases drop nothing.
func TestObjectEditConvergence(t *testing.T) {
	for _, c := range objectCases {
		t.Run(c.name, func(t *testing.T) {
			checkConvergence(t, convergeCase{base: objectBase, ops: c.ops, want: c.want, noDrop: c.noDrop, extra: objectShape})
		})
	}
}

// objectShape renders what these edits change beyond shape: views (kind,
// output columns with types, comment), sequences (every property, comment)
// and the comments of schemas, types, indexes and constraints. A view
// column whose type the edited model cannot tell (an expression such as
// sum(x)) is compared by name: known is the edited model, whose blanks
// leave the database's types out too.
func objectShape(s *catalog.Schema, known *catalog.Schema) string {
	var out []string
	for _, n := range s.Namespaces {
		out = append(out, "schema comment "+n.Name+" "+deref(n.Comment))
	}
	for _, v := range s.Views {
		var cols []string
		kv := known.View(v.QualifiedName)
		if kv != nil && len(kv.Columns) == 0 {
			out = append(out, fmt.Sprintf("view %s materialized=%v (columns left to the database) comment=%s", v.QualifiedName.String(), v.Materialized, deref(v.Comment)))
			continue
		}
		for i, c := range v.Columns {
			if kv != nil && i < len(kv.Columns) && kv.Columns[i].Type == "" {
				c.Type = "?"
			}
			cols = append(cols, c.Name+" "+c.Type)
		}
		out = append(out, fmt.Sprintf("view %s materialized=%v (%s) comment=%s", v.QualifiedName.String(), v.Materialized, strings.Join(cols, ", "), deref(v.Comment)))
	}
	for _, q := range s.Sequences {
		out = append(out, fmt.Sprintf("sequence %s %s start=%d inc=%d min=%d max=%d cache=%d cycle=%v comment=%s",
			q.QualifiedName.String(), q.DataType, q.Start, q.Increment, q.Min, q.Max, q.Cache, q.Cycle, deref(q.Comment)))
	}
	for _, ty := range s.Types {
		out = append(out, "type comment "+ty.QualifiedName.String()+" "+deref(ty.Comment))
	}
	for _, f := range s.Functions {
		out = append(out, "function comment "+f.QualifiedName.String()+"("+f.Args+") "+deref(f.Comment))
	}
	for _, t := range s.Tables {
		for _, x := range t.Indexes {
			out = append(out, "index comment "+x.Name+" "+deref(x.Comment))
		}
		for _, c := range t.Constraints {
			out = append(out, "constraint comment "+c.Name+" "+deref(c.Comment))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestObjectRenamesAreRenames: renaming an original view, materialized
// view or sequence is a rename intent (ALTER ... RENAME, never a DROP of
// the renamed object); renaming one created in the session is not.
func TestObjectRenamesAreRenames(t *testing.T) {
	a := pg.NewDB(t)
	load(t, a, objectBase)
	base := inspect(t, a)
	e := schemaedit.New(&base)
	for _, op := range []schemaedit.Op{
		{Op: schemaedit.RenameView, Schema: "public", Name: "big_orders", To: "v1"},
		{Op: schemaedit.RenameView, Schema: "public", Name: "v1", To: "v2"},
		{Op: schemaedit.RenameView, Schema: "public", Name: "order_totals", To: "mv"},
		{Op: schemaedit.RenameSequence, Schema: "public", Name: "counter", To: "c2"},
		{Op: schemaedit.CreateSequence, Schema: "public", Name: "fresh"},
		{Op: schemaedit.RenameSequence, Schema: "public", Name: "fresh", To: "fresher"},
		{Op: schemaedit.RenameSchema, Name: "public", To: "main"},
	} {
		if err := e.Apply(op); err != nil {
			t.Fatalf("%s: %v", op.Op, err)
		}
	}
	want := []diff.Rename{
		{Kind: diff.RenameView, Schema: "public", From: "big_orders", To: "v1"},
		{Kind: diff.RenameView, Schema: "public", From: "v1", To: "v2"},
		{Kind: diff.RenameView, Schema: "public", From: "order_totals", To: "mv"},
		{Kind: diff.RenameSequence, Schema: "public", From: "counter", To: "c2"},
		{Kind: diff.RenameSchema, From: "public", To: "main"},
	}
	if got := e.Renames(); !reflect.DeepEqual(got, want) {
		t.Fatalf("renames %+v, want %+v", got, want)
	}
	plan, err := e.Preview(diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range plan.Statements {
		if regexp.MustCompile(`(^|\s)DROP\s`).MatchString(s.SQL) {
			t.Errorf("the plan drops something: %s", s.SQL)
		}
	}
	for _, f := range []string{"ALTER VIEW public.big_orders RENAME TO v1", "ALTER VIEW public.v1 RENAME TO v2", "ALTER SEQUENCE public.counter RENAME TO c2", "CREATE SEQUENCE main.fresher"} {
		if !strings.Contains(plan.SQL(), f) {
			t.Errorf("plan lacks %q:\n%s", f, plan.SQL())
		}
	}
	if err := diff.Apply(context.Background(), pgtest.Conn(t, a), plan); err != nil {
		t.Fatalf("apply: %v\n%s", err, plan.SQL())
	}
	got, edited := inspect(t, a), e.Schema()
	if g, w := objectShape(&got, &edited), objectShape(&edited, &edited); g != w {
		t.Errorf("the database differs from the edited model:\n%s", lineDiff(g, w))
	}
	marks := e.Marks()
	for _, k := range []string{`view:main.v2`, `view:main.mv`, `sequence:main.c2`} {
		if marks[k] != schemaedit.Changed {
			t.Errorf("mark %s = %q, want changed (marks %v)", k, marks[k], marks)
		}
	}
	if marks[`sequence:main.fresher`] != schemaedit.Created {
		t.Errorf("a new sequence renamed stays created: %v", marks)
	}
}

// objectModel is baseModel with a view over t, a sequence and a
// materialized view.
func objectModel() *catalog.Schema {
	s := baseModel()
	s.Views = []catalog.View{
		{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "tv"}, Definition: " SELECT t.id,\n    t.a\n   FROM public.t\n  WHERE t.a > 0",
			Columns:   []catalog.ViewColumn{{Name: "id", Type: "integer"}, {Name: "a", Type: "integer"}},
			DependsOn: []catalog.ObjectRef{{Kind: catalog.KindTable, Schema: "public", Name: "t"}}},
		{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "mv"}, Materialized: true, Definition: " SELECT u.t_id\n   FROM public.u",
			Columns: []catalog.ViewColumn{{Name: "t_id", Type: "integer"}}, DependsOn: []catalog.ObjectRef{{Kind: catalog.KindTable, Schema: "public", Name: "u"}}},
	}
	for _, args := range []string{"a integer", "a text"} {
		s.Functions = append(s.Functions, catalog.Function{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "f"}, Kind: catalog.FunctionPlain, Args: args, Result: "integer", Language: "sql"})
	}
	s.Sequences = []catalog.Sequence{{QualifiedName: catalog.QualifiedName{Schema: "public", Name: "s"}, DataType: "bigint", Start: 1, Increment: 1, Min: 1, Max: 9223372036854775807, Cache: 1}}
	return s
}

func TestObjectOpsRefused(t *testing.T) {
	view := func(def string) *schemaedit.ViewSpec { return &schemaedit.ViewSpec{Definition: def} }
	cases := []struct {
		name string
		op   schemaedit.Op
		want string
	}{
		{"view: syntax error", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("SELECT id FORM t")},
			`the view's definition is not valid SQL: syntax error at or near "t" (line 1, column 16)`},
		{"view: syntax error on line 2", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("SELECT id\nFROM t WHERE")},
			`not valid SQL: syntax error at end of input (line 2, column 13)`},
		{"view: not a query", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("DELETE FROM t")}, "must be a query"},
		{"view: two statements", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("SELECT 1; SELECT 2")}, "holds 2 statements"},
		{"view: empty", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("  ;")}, "the view's definition is empty"},
		{"view: missing definition", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v"}, "needs the view's definition"},
		{"view: unknown table", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("SELECT * FROM public.nope")}, "the view reads public.nope, which does not exist"},
		{"view: unknown bare table", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("SELECT * FROM nope")}, "the view reads nope (no table or view of that name in schema public"},
		{"view: unknown column", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("SELECT x.nope FROM t x")}, "the view uses column nope of public.t, which does not exist"},
		{"view: unknown bare column", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("SELECT id, zz FROM t JOIN u ON u.t_id = t.id")}, "column zz (not a column of public.t, public.u)"},
		{"view: duplicate output column", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "v", View: view("SELECT t.id, u.id FROM t JOIN u ON u.t_id = t.id")}, "the view returns two columns named id"},
		{"view: name taken", schemaedit.Op{Op: schemaedit.CreateView, Schema: "public", Name: "t", View: view("SELECT 1")}, "public.t is already the name of a table"},
		{"view: missing schema", schemaedit.Op{Op: schemaedit.CreateView, Schema: "nope", Name: "v", View: view("SELECT 1")}, "there is no schema nope"},
		{"alter a missing view", schemaedit.Op{Op: schemaedit.AlterView, Schema: "public", Name: "nope", View: view("SELECT 1")}, "there is no view public.nope"},
		{"rename a view to a taken name", schemaedit.Op{Op: schemaedit.RenameView, Schema: "public", Name: "tv", To: "s"}, "public.s is already the name of a sequence"},
		{"rename a missing view", schemaedit.Op{Op: schemaedit.RenameView, Schema: "public", Name: "nope", To: "x"}, "there is no view public.nope"},
		{"sequence: name taken", schemaedit.Op{Op: schemaedit.CreateSequence, Schema: "public", Name: "tv"}, "public.tv is already the name of a view"},
		{"sequence: bad type", schemaedit.Op{Op: schemaedit.CreateSequence, Schema: "public", Name: "q", Sequence: &schemaedit.SequenceSpec{DataType: str("text")}}, `a sequence is smallint, integer or bigint, not "text"`},
		{"sequence: zero increment", schemaedit.Op{Op: schemaedit.CreateSequence, Schema: "public", Name: "q", Sequence: &schemaedit.SequenceSpec{Increment: seqv(0)}}, "the increment cannot be 0"},
		{"sequence: min over max", schemaedit.Op{Op: schemaedit.CreateSequence, Schema: "public", Name: "q", Sequence: &schemaedit.SequenceSpec{Min: seqv(10), Max: seqv(5)}}, "the minimum (10) must be less than the maximum (5)"},
		{"sequence: start outside", schemaedit.Op{Op: schemaedit.CreateSequence, Schema: "public", Name: "q", Sequence: &schemaedit.SequenceSpec{Start: seqv(0)}}, "the start (0) must lie between the minimum (1) and the maximum"},
		{"sequence: range over the type", schemaedit.Op{Op: schemaedit.CreateSequence, Schema: "public", Name: "q", Sequence: &schemaedit.SequenceSpec{DataType: str("smallint"), Max: seqv(40000)}}, "does not fit in smallint"},
		{"sequence: cache", schemaedit.Op{Op: schemaedit.AlterSequence, Schema: "public", Name: "s", Sequence: &schemaedit.SequenceSpec{Cache: seqv(0)}}, "the cache must be at least 1"},
		{"alter a missing sequence", schemaedit.Op{Op: schemaedit.AlterSequence, Schema: "public", Name: "nope", Sequence: &schemaedit.SequenceSpec{Cycle: yes()}}, "there is no sequence public.nope"},
		{"rename a sequence to a taken name", schemaedit.Op{Op: schemaedit.RenameSequence, Schema: "public", Name: "s", To: "t_a"}, "public.t_a is already the name of an index"},
		{"drop a missing sequence", schemaedit.Op{Op: schemaedit.DropSequence, Schema: "public", Name: "nope"}, "there is no sequence public.nope"},
		{"comment: no kind", schemaedit.Op{Op: schemaedit.CommentOn, Schema: "public", Name: "t"}, "comment needs the kind of object"},
		{"comment: unknown kind", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "trigger", Schema: "public", Name: "t"}, `cannot comment on a "trigger"`},
		{"comment: missing view", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "view", Schema: "public", Name: "nope"}, "there is no view public.nope"},
		{"comment: a view is not materialized", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "materialized_view", Schema: "public", Name: "tv"}, "there is no materialized view public.tv"},
		{"comment: missing index", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "index", Schema: "public", Name: "nope"}, "there is no index public.nope"},
		{"comment: missing constraint", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "constraint", Schema: "public", Table: "t", Name: "nope"}, "table public.t has no constraint nope"},
		{"comment: missing type", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "type", Schema: "public", Name: "nope"}, "there is no enum, domain or composite type public.nope"},
		{"view: unknown check option", schemaedit.Op{Op: schemaedit.AlterView, Schema: "public", Name: "tv", View: &schemaedit.ViewSpec{CheckOption: str("strict")}},
			`the check option is local, cascaded or none, not "strict"`},
		{"view: WITH NO DATA on a view", schemaedit.Op{Op: schemaedit.AlterView, Schema: "public", Name: "tv", View: &schemaedit.ViewSpec{WithNoData: boolp(true)}},
			"WITH NO DATA is for materialized views"},
		{"materialized view: a check option", schemaedit.Op{Op: schemaedit.AlterView, Schema: "public", Name: "mv", View: &schemaedit.ViewSpec{CheckOption: str("local")}},
			"a materialized view has no WITH CHECK OPTION"},
		{"view: neither definition nor option", schemaedit.Op{Op: schemaedit.AlterView, Schema: "public", Name: "tv", View: &schemaedit.ViewSpec{}},
			"the view's definition"},
		{"comment: missing schema", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "schema", Name: "nope"}, "there is no schema nope"},
		{"comment: missing function", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "function", Schema: "public", Name: "nope"}, "there is no function public.nope"},
		{"comment: overloaded function without args", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "function", Schema: "public", Name: "f"}, "there are 2 functions public.f: name the arguments (public.f(a integer), public.f(a text))"},
		{"comment: function with other args", schemaedit.Op{Op: schemaedit.CommentOn, Kind: "function", Schema: "public", Name: "f", Args: "a bigint"}, "there is no function public.f(a bigint): there is public.f(a integer), public.f(a text)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := schemaedit.New(objectModel())
			before := e.Schema()
			err := e.Apply(c.op)
			var ue *usererr.Error
			if !errors.As(err, &ue) || !strings.Contains(ue.Message, c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if after := e.Schema(); !reflect.DeepEqual(before, after) || len(e.Ops()) != 0 {
				t.Errorf("a refused operation changed the model")
			}
		})
	}
}

// TestDropSequenceInUse: a sequence a column default uses cannot be
// dropped; one owned by a column neither.
func TestDropSequenceInUse(t *testing.T) {
	s := objectModel()
	d := "nextval('public.s'::regclass)"
	s.Tables[0].Columns[1].Default = &d
	e := schemaedit.New(s)
	err := e.Apply(schemaedit.Op{Op: schemaedit.DropSequence, Schema: "public", Name: "s"})
	if err == nil || !strings.Contains(err.Error(), "column a of public.t takes its default from sequence public.s: change that default first") {
		t.Fatalf("got %v", err)
	}
	s = objectModel()
	s.Sequences[0].OwnedBy = &catalog.ColumnRef{Table: catalog.QualifiedName{Schema: "public", Name: "t"}, Column: "a"}
	err = schemaedit.New(s).Apply(schemaedit.Op{Op: schemaedit.DropSequence, Schema: "public", Name: "s"})
	if err == nil || !strings.Contains(err.Error(), "sequence public.s belongs to column a of public.t: drop the column (or its default) instead") {
		t.Fatalf("owned: got %v", err)
	}
}

// TestViewValidation: a view the edits broke is reported in words, at the
// view, naming the edit; what the edits did not touch is not.
func TestViewValidation(t *testing.T) {
	cases := []struct {
		name string
		ops  []schemaedit.Op
		want []string
	}{
		{"a column a view uses is dropped", []schemaedit.Op{
			{Op: schemaedit.DropIndex, Schema: "public", Name: "t_a"},
			{Op: schemaedit.DropColumn, Schema: "public", Table: "t", Name: "a"}},
			[]string{"view public.tv no longer compiles: it uses column a of public.t, which no longer exists (dropped or renamed); change the view's definition or keep the column"}},
		{"a new view's bare column renamed", []schemaedit.Op{
			{Op: schemaedit.CreateView, Schema: "public", Name: "notes", View: &schemaedit.ViewSpec{Definition: "SELECT note FROM t"}},
			{Op: schemaedit.RenameColumn, Schema: "public", Table: "t", Name: "note", To: "remark"}},
			[]string{"view public.notes no longer compiles: it uses column note (not a column of public.t), which no longer exists (dropped or renamed); change the view's definition or keep the column"}},
		{"an original view follows a column rename", []schemaedit.Op{
			{Op: schemaedit.RenameColumn, Schema: "public", Table: "t", Name: "a", To: "b"}}, nil},
		{"the table a view reads is dropped", []schemaedit.Op{{Op: schemaedit.DropTable, Schema: "public", Table: "u"}},
			[]string{"materialized view public.mv reads table public.u, which is dropped: drop the materialized view too, or keep the table"}},
		{"fixed by changing the view", []schemaedit.Op{
			{Op: schemaedit.DropIndex, Schema: "public", Name: "t_a"},
			{Op: schemaedit.AlterView, Schema: "public", Name: "tv", View: &schemaedit.ViewSpec{Definition: "SELECT t.id FROM public.t"}},
			{Op: schemaedit.DropColumn, Schema: "public", Table: "t", Name: "a"}}, nil},
		{"a view over a view whose column is gone", []schemaedit.Op{
			{Op: schemaedit.CreateView, Schema: "public", Name: "top", View: &schemaedit.ViewSpec{Definition: "SELECT v.a FROM tv v"}},
			{Op: schemaedit.AlterView, Schema: "public", Name: "tv", View: &schemaedit.ViewSpec{Definition: "SELECT t.id FROM public.t"}}},
			[]string{"view public.top no longer compiles: it uses column a of public.tv, which no longer exists (dropped or renamed); change the view's definition or keep the column"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := schemaedit.New(objectModel())
			for _, op := range c.ops {
				if err := e.Apply(op); err != nil {
					t.Fatalf("%s: %v", op.Op, err)
				}
			}
			var got []string
			for _, p := range e.Validate() {
				if p.Op < 0 || p.Op >= len(c.ops) {
					t.Errorf("problem %q names op %d", p.Message, p.Op)
				}
				got = append(got, p.Message)
			}
			if len(got) != len(c.want) {
				t.Fatalf("problems %q, want %q", got, c.want)
			}
			for i := range got {
				if !strings.Contains(got[i], c.want[i]) {
					t.Errorf("problem %q, want %q", got[i], c.want[i])
				}
			}
		})
	}
}

// TestObjectView: the editor's View lists views, sequences (values as
// strings), types and comments, with marks, and the views and sequences
// dropped in the session.
func TestObjectView(t *testing.T) {
	e := schemaedit.New(objectModel())
	for _, op := range []schemaedit.Op{
		{Op: schemaedit.CreateView, Schema: "public", Name: "new_v", View: &schemaedit.ViewSpec{Definition: "SELECT * FROM t"}},
		{Op: schemaedit.DropView, Schema: "public", Name: "mv"},
		{Op: schemaedit.DropSequence, Schema: "public", Name: "s"},
		{Op: schemaedit.CreateSequence, Schema: "public", Name: "s2", Sequence: &schemaedit.SequenceSpec{Max: seqv(9223372036854775807)}},
		{Op: schemaedit.CommentOn, Kind: "schema", Name: "public", Comment: str("main")},
		{Op: schemaedit.CommentOn, Kind: "index", Schema: "public", Name: "t_a", Comment: str("by a")},
		{Op: schemaedit.CommentOn, Kind: "constraint", Schema: "public", Table: "t", Name: "t_pkey", Comment: str("key")},
		{Op: schemaedit.CommentOn, Kind: "type", Schema: "public", Name: "mood", Comment: str("moods")},
		{Op: schemaedit.CommentOn, Kind: "function", Schema: "public", Name: "f", Args: "a text", Comment: str("the text one")},
	} {
		if err := e.Apply(op); err != nil {
			t.Fatalf("%s: %v", op.Op, err)
		}
	}
	v := e.View()
	sc := v.Schemas[0]
	if deref(sc.Comment) != "main" {
		t.Errorf("schema comment %q", deref(sc.Comment))
	}
	if len(sc.Views) != 2 || sc.Views[0].Name != "new_v" || sc.Views[0].Mark != schemaedit.Created || strings.Join(sc.Views[0].Columns, ",") != "id,a,note" ||
		sc.Views[0].Definition != "SELECT * FROM public.t" || sc.Views[1].Name != "tv" || sc.Views[1].Mark != "" {
		t.Errorf("views %+v", sc.Views)
	}
	if !reflect.DeepEqual(sc.DroppedViews, []string{"mv"}) || !reflect.DeepEqual(sc.DroppedSequences, []string{"s"}) {
		t.Errorf("dropped views %v, sequences %v", sc.DroppedViews, sc.DroppedSequences)
	}
	if len(sc.Sequences) != 1 || sc.Sequences[0].Max != "9223372036854775807" || sc.Sequences[0].Start != "1" || sc.Sequences[0].Mark != schemaedit.Created {
		t.Errorf("sequences %+v", sc.Sequences)
	}
	if len(sc.Types) != 1 || deref(sc.Types[0].Comment) != "moods" || sc.Types[0].Mark != schemaedit.Changed {
		t.Errorf("types %+v", sc.Types)
	}
	if len(sc.Functions) != 2 || sc.Functions[1].Args != "a text" || deref(sc.Functions[1].Comment) != "the text one" ||
		sc.Functions[1].Mark != schemaedit.Changed || sc.Functions[0].Mark != "" || sc.Functions[1].Key != "function:public.f(a text)" {
		t.Errorf("functions %+v", sc.Functions)
	}
	tt := sc.Tables[0]
	for _, x := range tt.Indexes {
		if x.Name == "t_a" && deref(x.Comment) != "by a" {
			t.Errorf("index comment %q", deref(x.Comment))
		}
	}
	for _, c := range tt.Constraints {
		if c.Name == "t_pkey" && deref(c.Comment) != "key" {
			t.Errorf("constraint comment %q", deref(c.Comment))
		}
	}
	// Undone, the drop of mv leaves no dropped mark and mv is back.
	for range 8 {
		e.Undo()
	}
	if v := e.View(); len(v.Schemas[0].DroppedViews) != 0 || len(v.Schemas[0].Views) != 3 {
		t.Errorf("after undo: views %+v dropped %v", v.Schemas[0].Views, v.Schemas[0].DroppedViews)
	}
}

// TestViewColumnsUnknown: a * the model cannot expand (over a subquery or
// a function) is accepted with the columns left to the database, and a view
// over that view is not checked column by column.
func TestViewColumnsUnknown(t *testing.T) {
	e := schemaedit.New(objectModel())
	for _, op := range []schemaedit.Op{
		{Op: schemaedit.CreateView, Schema: "public", Name: "pairs", View: &schemaedit.ViewSpec{Definition: "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS p(n, label)"}},
		{Op: schemaedit.CreateView, Schema: "public", Name: "labels", View: &schemaedit.ViewSpec{Definition: "SELECT p.label, p.whatever FROM pairs p"}},
		{Op: schemaedit.CreateView, Schema: "public", Name: "series", View: &schemaedit.ViewSpec{Definition: "SELECT * FROM generate_series(1, 3) g"}},
	} {
		if err := e.Apply(op); err != nil {
			t.Fatalf("%s: %v", op.Name, err)
		}
	}
	v := e.View()
	for _, x := range v.Schemas[0].Views {
		if x.Name == "pairs" && len(x.Columns) != 0 {
			t.Errorf("pairs has columns %v the model cannot know", x.Columns)
		}
		if x.Name == "labels" && strings.Join(x.Columns, ",") != "label,whatever" {
			t.Errorf("labels columns %v", x.Columns)
		}
	}
	if ps := e.Validate(); len(ps) != 0 {
		t.Errorf("problems %+v", ps)
	}
}

// TestSeqValueJSON: the operations file takes sequence values as numbers
// or strings (the desktop sends strings for bigints).
func TestSeqValueJSON(t *testing.T) {
	ops, err := schemaedit.DecodeOps([]byte(`[{"op":"create_sequence","schema":"public","name":"q","sequence":{"data_type":"bigint","start":"5","max":"9223372036854775807","increment":2}}]`))
	if err != nil {
		t.Fatal(err)
	}
	sp := ops[0].Sequence
	if *sp.Start != 5 || *sp.Max != 9223372036854775807 || *sp.Increment != 2 {
		t.Fatalf("decoded %+v", sp)
	}
	if _, err := schemaedit.DecodeOps([]byte(`[{"op":"create_sequence","sequence":{"start":"five"}}]`)); err == nil || !strings.Contains(err.Error(), "a sequence value is a whole number") {
		t.Fatalf("bad value: %v", err)
	}
}

// TestRandomObjectEdits: random renames of views, materialized views and
// sequences, comments on every kind and new views and sequences on the
// pagila corpus (which has all of them); each preview holds no DROP and
// converges to the edited model.
func TestRandomObjectEdits(t *testing.T) {
	file := testcorpus.Path(t, "schemas", "pagila.sql")
	for seed := int64(1); seed <= 2; seed++ {
		t.Run(fmt.Sprintf("pagila/seed%d", seed), func(t *testing.T) {
			a := pg.NewDB(t)
			if err := pg.Psql(a, file, nil); err != nil {
				t.Fatalf("load: %v", err)
			}
			base := inspect(t, a)
			e := schemaedit.New(&base)
			r := rand.New(rand.NewSource(seed))
			applied := 0
			for i := 0; applied < 12 && i < 200; i++ {
				cur := e.Schema()
				op, ok := drawObjectOp(r, &cur, i)
				if !ok {
					continue
				}
				if err := e.Apply(op); err != nil {
					t.Fatalf("%s %+v: %v", op.Op, op, err)
				}
				applied++
			}
			plan, err := e.Preview(diff.Options{})
			if err != nil {
				t.Fatalf("preview: %v\nops: %+v", err, e.Ops())
			}
			for _, s := range plan.Statements {
				if regexp.MustCompile(`(^|\s)DROP\s`).MatchString(s.SQL) {
					t.Errorf("the plan drops something: %s\n%s", s.SQL, plan.SQL())
				}
			}
			if err := diff.Apply(context.Background(), pgtest.Conn(t, a), plan); err != nil {
				t.Fatalf("apply: %v\n%s", err, plan.SQL())
			}
			got, edited := inspect(t, a), e.Schema()
			if g, w := shape(&got)+"\n"+objectShape(&got, &edited), shape(&edited)+"\n"+objectShape(&edited, &edited); g != w {
				t.Errorf("the database differs from the edited model (- database, + edited):\n%s\n%s", lineDiff(g, w), plan.SQL())
			}
			again, err := diff.Diff(&got, &edited, diff.Options{NoPrivileges: true})
			if err != nil {
				t.Fatalf("second diff: %v", err)
			}
			for _, s := range again.Statements {
				// The edited model keeps a new view's text as written; the
				// server renders it its own way: only that may differ.
				if !strings.HasPrefix(s.SQL, "CREATE OR REPLACE VIEW ") {
					t.Errorf("second diff: %s", s.SQL)
				}
			}
			t.Logf("%d edits, %d renames, %d statements", applied, len(e.Renames()), len(plan.Statements))
		})
	}
}

// drawObjectOp draws one edit of views, sequences or comments.
func drawObjectOp(r *rand.Rand, s *catalog.Schema, i int) (schemaedit.Op, bool) {
	note := str(fmt.Sprintf("note %d", i))
	switch r.Intn(7) {
	case 0:
		if len(s.Views) == 0 {
			return schemaedit.Op{}, false
		}
		v := s.Views[r.Intn(len(s.Views))]
		return schemaedit.Op{Op: schemaedit.RenameView, Schema: v.Schema, Name: v.Name, To: fmt.Sprintf("%s_r%d", v.Name, i)}, len(v.Name) < 50
	case 1:
		if len(s.Sequences) == 0 {
			return schemaedit.Op{}, false
		}
		q := s.Sequences[r.Intn(len(s.Sequences))]
		return schemaedit.Op{Op: schemaedit.RenameSequence, Schema: q.Schema, Name: q.Name, To: fmt.Sprintf("%s_r%d", q.Name, i)}, len(q.Name) < 50
	case 2:
		if len(s.Views) == 0 {
			return schemaedit.Op{}, false
		}
		v := s.Views[r.Intn(len(s.Views))]
		kind := "view"
		if v.Materialized {
			kind = "materialized_view"
		}
		return schemaedit.Op{Op: schemaedit.CommentOn, Kind: kind, Schema: v.Schema, Name: v.Name, Comment: note}, true
	case 3:
		t := s.Tables[r.Intn(len(s.Tables))]
		if len(t.Constraints) == 0 || t.PartitionOf != nil || t.Constraints[0].Inherited {
			return schemaedit.Op{}, false
		}
		if r.Intn(2) == 0 && len(t.Indexes) > 0 {
			return schemaedit.Op{Op: schemaedit.CommentOn, Kind: "index", Schema: t.Schema, Name: t.Indexes[0].Name, Comment: note}, t.Indexes[0].ParentIndex == nil
		}
		return schemaedit.Op{Op: schemaedit.CommentOn, Kind: "constraint", Schema: t.Schema, Table: t.Name, Name: t.Constraints[0].Name, Comment: note}, true
	case 4:
		for _, ty := range s.Types {
			if ty.Kind == catalog.TypeEnum || ty.Kind == catalog.TypeDomain {
				return schemaedit.Op{Op: schemaedit.CommentOn, Kind: "type", Schema: ty.Schema, Name: ty.Name, Comment: note}, true
			}
		}
		return schemaedit.Op{Op: schemaedit.CommentOn, Kind: "schema", Name: s.Namespaces[0].Name, Comment: note}, true
	case 5:
		t := s.Tables[r.Intn(len(s.Tables))]
		if t.PartitionOf != nil || len(t.Columns) == 0 {
			return schemaedit.Op{}, false
		}
		return schemaedit.Op{Op: schemaedit.CreateView, Schema: t.Schema, Name: fmt.Sprintf("edit_view_%d", i), Comment: note,
			View: &schemaedit.ViewSpec{Materialized: r.Intn(3) == 0, Definition: fmt.Sprintf("SELECT x.%s FROM %s x", catalog.QuoteIdent(t.Columns[0].Name), t.QualifiedName.String())}}, true
	default:
		return schemaedit.Op{Op: schemaedit.CreateSequence, Schema: s.Namespaces[0].Name, Name: fmt.Sprintf("edit_seq_%d", i),
			Sequence: &schemaedit.SequenceSpec{Start: seqv(int64(i + 1)), Increment: seqv(int64(r.Intn(5) + 1))}}, true
	}
}

func boolp(b bool) *bool { return &b }
