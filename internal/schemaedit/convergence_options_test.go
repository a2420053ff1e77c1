package schemaedit_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

type optionCase struct {
	name string
	ops  []schemaedit.Op
	opts diff.Options
	// want are fragments the plan holds in order; absent fragments it must not hold.
	want, absent []string
}

var optionCases = []optionCase{
	{name: "expression index with DESC NULLS LAST, an operator class and INCLUDE, built concurrently", ops: []schemaedit.Op{
		{Op: schemaedit.AddIndex, Schema: "public", Table: "customers", Index: &schemaedit.IndexSpec{
			Keys: []schemaedit.IndexKeySpec{{Expression: "lower(name)", Order: "desc", Nulls: "last", OpClass: "text_pattern_ops"},
				{Column: "email", OpClass: "varchar_pattern_ops"}},
			Include: []string{"id"}, Concurrently: yes()}}},
		want: []string{"-- runs outside a transaction block", "CREATE INDEX CONCURRENTLY customers_lower_email_idx ON public.customers USING btree ((lower(name)) text_pattern_ops DESC NULLS LAST, email varchar_pattern_ops) INCLUDE (id)"}},
	{name: "an index built in the transaction although the plan is online; another follows online", opts: diff.Options{Online: true}, ops: []schemaedit.Op{
		{Op: schemaedit.AddIndex, Schema: "public", Table: "orders", Index: &schemaedit.IndexSpec{Name: "orders_note", Columns: []string{"note"}, Concurrently: no()}},
		{Op: schemaedit.AddIndex, Schema: "public", Table: "orders", Index: &schemaedit.IndexSpec{Name: "orders_total_desc", Keys: []schemaedit.IndexKeySpec{{Column: "total", Order: "desc"}}, Where: "total > 0"}},
		{Op: schemaedit.RenameIndex, Schema: "public", Name: "orders_note", To: "orders_by_note"}},
		want:   []string{"CREATE INDEX CONCURRENTLY orders_total_desc ON public.orders USING btree (total DESC) WHERE (total > 0)"},
		absent: []string{"CONCURRENTLY orders_by_note"}},
	{name: "gin index with jsonb_path_ops and an ASC NULLS FIRST key", ops: []schemaedit.Op{
		{Op: schemaedit.AddIndex, Schema: "app", Table: "settings", Index: &schemaedit.IndexSpec{Name: "settings_value", Method: "gin", Keys: []schemaedit.IndexKeySpec{{Column: "value", OpClass: "jsonb_path_ops"}}}},
		{Op: schemaedit.AddIndex, Schema: "public", Table: "customers", Index: &schemaedit.IndexSpec{Name: "customers_m", Keys: []schemaedit.IndexKeySpec{{Column: "m", Nulls: "first"}}, Concurrently: no()}}},
		want: []string{"CREATE INDEX settings_value ON app.settings USING gin (value jsonb_path_ops)", "CREATE INDEX customers_m ON public.customers USING btree (m NULLS FIRST)"}},
	{name: "deferrable foreign key and a check, NOT VALID then VALIDATE", ops: []schemaedit.Op{
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "orders", Constraint: &schemaedit.ConstraintSpec{Name: "orders_customer_fk", Type: "foreign_key",
			Columns: []string{"customer_id"}, RefTable: "customers", OnDelete: "cascade", Deferrable: true, InitiallyDeferred: true, NotValidFirst: yes()}},
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "orders", Constraint: &schemaedit.ConstraintSpec{Name: "orders_total_max", Type: "check", Check: "total < 1000000", NotValidFirst: yes()}},
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "customers", Constraint: &schemaedit.ConstraintSpec{Name: "customers_email_key", Type: "unique", Columns: []string{"email"}, Deferrable: true}}},
		want: []string{"DEFERRABLE INITIALLY DEFERRED NOT VALID", "VALIDATE CONSTRAINT orders_customer_fk"}},
	{name: "a check added at once although the plan is online", opts: diff.Options{Online: true}, ops: []schemaedit.Op{
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "orders", Constraint: &schemaedit.ConstraintSpec{Name: "orders_note_len", Type: "check", Check: "length(note) < 1000", NotValidFirst: no()}},
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "orders", Constraint: &schemaedit.ConstraintSpec{Name: "orders_id_pos", Type: "check", Check: "id > 0"}}},
		want:   []string{"VALIDATE CONSTRAINT orders_id_pos"},
		absent: []string{"VALIDATE CONSTRAINT orders_note_len", "orders_note_len CHECK ((length(note) < 1000)) NOT VALID"}},
	{name: "deferrable unique constraint of a new table; a deferrable foreign key to its primary key", ops: []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "public", Table: "batches", Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint", NotNull: true}, {Name: "code", Type: "text"}}, PrimaryKey: []string{"id"}},
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "batches", Constraint: &schemaedit.ConstraintSpec{Type: "unique", Columns: []string{"code"}, Deferrable: true, InitiallyDeferred: true}},
		{Op: schemaedit.AddColumn, Schema: "public", Table: "orders", Column: &schemaedit.ColumnSpec{Name: "batch_id", Type: "bigint"}},
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "orders", Constraint: &schemaedit.ConstraintSpec{Type: "foreign_key", Columns: []string{"batch_id"}, RefTable: "batches", Deferrable: true}}},
		want: []string{"UNIQUE (code) DEFERRABLE INITIALLY DEFERRED", "REFERENCES public.batches(id) DEFERRABLE"}},
	{name: "generated stored columns on an existing and a new table", ops: []schemaedit.Op{
		{Op: schemaedit.AddColumn, Schema: "public", Table: "orders", Column: &schemaedit.ColumnSpec{Name: "total_cents", Type: "bigint", Generated: "(total * 100)::bigint"}},
		{Op: schemaedit.CreateTable, Schema: "public", Table: "boxes", Columns: []schemaedit.ColumnSpec{{Name: "w", Type: "int", NotNull: true}, {Name: "h", Type: "int", NotNull: true},
			{Name: "area", Type: "int", Generated: "w * h"}}},
		{Op: schemaedit.AddColumn, Schema: "public", Table: "boxes", Column: &schemaedit.ColumnSpec{Name: "label", Type: "text"}},
		{Op: schemaedit.AlterColumn, Schema: "public", Table: "boxes", Name: "label", Set: &schemaedit.ColumnChange{Generated: str("'box ' || w::text")}}},
		want: []string{"ADD COLUMN total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED", "area integer GENERATED ALWAYS AS (w * h) STORED"}},
	{name: "collation C on a new column and on an existing one", ops: []schemaedit.Op{
		{Op: schemaedit.AddColumn, Schema: "public", Table: "customers", Column: &schemaedit.ColumnSpec{Name: "code", Type: "varchar(20)", Collation: "C"}},
		{Op: schemaedit.AlterColumn, Schema: "public", Table: "orders", Name: "note", Set: &schemaedit.ColumnChange{Collation: str("C")}},
		{Op: schemaedit.CreateTable, Schema: "public", Table: "words", Columns: []schemaedit.ColumnSpec{{Name: "w", Type: "text", Collation: "POSIX"}}}},
		want: []string{`ADD COLUMN code character varying(20) COLLATE pg_catalog."C"`, `ALTER COLUMN note TYPE text COLLATE pg_catalog."C"`}},
	{name: "range partitioned table with a primary key over the partition key and an index", ops: []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "public", Table: "events", Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint", NotNull: true}, {Name: "at", Type: "date", NotNull: true}, {Name: "kind", Type: "text"}},
			PrimaryKey: []string{"id", "at"}, PartitionBy: &schemaedit.PartitionSpec{Method: "range", Columns: []string{"at"}}},
		{Op: schemaedit.AddIndex, Schema: "public", Table: "events", Index: &schemaedit.IndexSpec{Name: "events_kind", Keys: []schemaedit.IndexKeySpec{{Expression: "lower(kind)"}}}}},
		want: []string{"PARTITION BY RANGE (at)", "CREATE INDEX events_kind ON ONLY public.events USING btree ((lower(kind)))"}},
	{name: "list and hash partitioned tables", ops: []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "public", Table: "by_region", Columns: []schemaedit.ColumnSpec{{Name: "region", Type: "text", NotNull: true}, {Name: "n", Type: "int"}},
			PartitionBy: &schemaedit.PartitionSpec{Method: "list", Columns: []string{"region"}}},
		{Op: schemaedit.CreateTable, Schema: "public", Table: "by_hash", Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint", NotNull: true}, {Name: "b", Type: "int", NotNull: true}},
			PartitionBy: &schemaedit.PartitionSpec{Method: "hash", Columns: []string{"id", "b"}}},
		{Op: schemaedit.AddConstraint, Schema: "public", Table: "by_hash", Constraint: &schemaedit.ConstraintSpec{Type: "unique", Columns: []string{"b", "id"}}}},
		want: []string{"PARTITION BY HASH (id, b)", "PARTITION BY LIST (region)"}},
	{name: "a table created in the session, then partitioned by hash (its index follows)", ops: []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "public", Table: "readings", Columns: []schemaedit.ColumnSpec{{Name: "sensor", Type: "int", NotNull: true}, {Name: "v", Type: "numeric"}}, PrimaryKey: []string{"sensor"}},
		{Op: schemaedit.AddIndex, Schema: "public", Table: "readings", Index: &schemaedit.IndexSpec{Name: "readings_v", Columns: []string{"v"}}},
		{Op: schemaedit.PartitionTable, Schema: "public", Table: "readings", PartitionBy: &schemaedit.PartitionSpec{Method: "hash", Columns: []string{"sensor"}}}},
		want: []string{"PARTITION BY HASH (sensor)", "CREATE INDEX readings_v ON ONLY public.readings USING btree (v)"}},
	{name: "UNLOGGED new table and an existing table set UNLOGGED", ops: []schemaedit.Op{
		{Op: schemaedit.CreateTable, Schema: "public", Table: "scratch", Unlogged: true, Columns: []schemaedit.ColumnSpec{{Name: "id", Type: "bigint", Identity: "always"}, {Name: "v", Type: "text"}}, PrimaryKey: []string{"id"}},
		{Op: schemaedit.SetUnlogged, Schema: "app", Table: "settings", Unlogged: true}},
		want: []string{"ALTER TABLE app.settings SET UNLOGGED", "CREATE UNLOGGED TABLE public.scratch"}},
}

// TestEditOptionsConvergence runs the convergence oracle over the options
// of indexes, constraints, columns and tables: the preview (with the
// fragments each case names, in order, and without the absent ones)
// applied to a copy of the database gives a schema equal to the edited
// model, in the editor's shape and in the options' own details, and equal
// to the edited model's DDL loaded elsewhere; a second diff is empty.
func TestEditOptionsConvergence(t *testing.T) {
	for _, c := range optionCases {
		t.Run(c.name, func(t *testing.T) {
			checkConvergence(t, convergeCase{base: editBase, ops: c.ops, opts: c.opts, want: c.want, absent: c.absent,
				extra: func(s, _ *catalog.Schema) string { return optionShape(s) }})
		})
	}
}

// optionShape renders the options shape leaves out: table persistence and
// partitioning, generated columns and collations, index keys in detail
// (column or expression, operator class, order), INCLUDE columns and
// whether partitioned, and constraints' deferrability and validity. One
// sorted line per item; expressions are compared by the loaded DDL.
func optionShape(s *catalog.Schema) string {
	var out []string
	for _, t := range s.Tables {
		name := t.QualifiedName.String()
		out = append(out, fmt.Sprintf("table %s kind=%s unlogged=%v partition=%s", name, t.Kind, t.Unlogged, t.PartitionKey))
		for _, c := range t.Columns {
			unlogged := false
			if c.IdentitySequence != nil {
				unlogged = c.IdentitySequence.Unlogged
			}
			out = append(out, fmt.Sprintf("column %s %s generated=%v collation=%s identity-unlogged=%v", name, c.Name, c.Generated != "", c.Collation, unlogged))
		}
		for _, x := range t.Indexes {
			var keys []string
			for _, k := range x.Keys {
				what := k.Column
				if what == "" {
					what = "expr"
				}
				keys = append(keys, fmt.Sprintf("%s opclass=%s desc=%v nullsfirst=%v nullslast=%v", what, k.OpClass, k.Descending, k.NullsFirst, k.NullsLast))
			}
			out = append(out, fmt.Sprintf("index %s %s [%s] include=%s partitioned=%v", name, x.Name, strings.Join(keys, "; "), strings.Join(x.Include, ","), x.Partitioned))
		}
		for _, c := range t.Constraints {
			out = append(out, fmt.Sprintf("constraint %s %s deferrable=%v deferred=%v notvalid=%v", name, c.Name, c.Deferrable, c.InitiallyDeferred, c.NotValid))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}
