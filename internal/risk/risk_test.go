package risk

import (
	"errors"
	"strings"
	"testing"
)

func engine(t testing.TB) *Engine {
	t.Helper()
	e, err := NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestVariables evaluates a condition on each variable, true on one input
// and false on another, so every variable is declared and bound.
func TestVariables(t *testing.T) {
	e := engine(t)
	base := Input{EnvironmentID: "test", ProjectID: "shop", InstanceID: "i1", DatabaseName: "demo", SchemaName: "public",
		TableName: "t", SQLType: "CREATE_TABLE", StatementText: "CREATE TABLE t ()", IssueType: "schema_change"}
	set := func(f func(in *Input)) Input { in := base; f(&in); return in }
	for _, tc := range []struct {
		cond string
		yes  Input
	}{
		{`environment_id == "prod"`, set(func(in *Input) { in.EnvironmentID = "prod" })},
		{`production`, set(func(in *Input) { in.Production = true })},
		{`project_id == "billing"`, set(func(in *Input) { in.ProjectID = "billing" })},
		{`instance_id == "i2"`, set(func(in *Input) { in.InstanceID = "i2" })},
		{`database_name.startsWith("pay")`, set(func(in *Input) { in.DatabaseName = "payments" })},
		{`schema_name == "billing"`, set(func(in *Input) { in.SchemaName = "billing" })},
		{`table_name.startsWith("billing_")`, set(func(in *Input) { in.TableName = "billing_items" })},
		{`sql_type == "DROP_TABLE"`, set(func(in *Input) { in.SQLType = "DROP_TABLE" })},
		{`affected_rows > 10000`, set(func(in *Input) { in.AffectedRows = 10001 })},
		{`table_rows >= 1000000`, set(func(in *Input) { in.TableRows = 1000000 })},
		{`statement_text.contains("CASCADE")`, set(func(in *Input) { in.StatementText = "DROP TABLE t CASCADE" })},
		{`has_destructive`, set(func(in *Input) { in.HasDestructive = true })},
		{`non_transactional`, set(func(in *Input) { in.NonTransactional = true })},
		{`issue_type == "data_change"`, set(func(in *Input) { in.IssueType = "data_change" })},
	} {
		t.Run(tc.cond, func(t *testing.T) {
			p, err := e.Compile(tc.cond)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := p.Eval(&tc.yes); err != nil || !ok {
				t.Errorf("on the matching input: %v %v", ok, err)
			}
			if ok, err := p.Eval(&base); err != nil || ok {
				t.Errorf("on the base input: %v %v", ok, err)
			}
		})
	}
	if len(Variables) != 14 {
		t.Errorf("variables: %d, the table above covers 14", len(Variables))
	}
}

func TestCompileErrors(t *testing.T) {
	e := engine(t)
	for _, tc := range []struct {
		cond      string
		line, col int
		msg       string
	}{
		{`tabel_name == "x"`, 1, 1, "undeclared reference"},
		{`sql_type == "DROP_TABLE" &&` + "\n" + `  affected_rows == "many"`, 2, 17, "no matching overload"},
		{`affected_rows + 1`, 1, 1, "not a bool"},
		{`sql_type == `, 1, 13, "Syntax error"},
		{`  `, 1, 1, "empty"},
	} {
		_, err := e.Compile(tc.cond)
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Fatalf("%q: %v is not a CompileError", tc.cond, err)
		}
		if ce.Line != tc.line || ce.Column != tc.col || !strings.Contains(ce.Message, tc.msg) {
			t.Errorf("%q: got line %d column %d %q, want %d:%d %q", tc.cond, ce.Line, ce.Column, ce.Message, tc.line, tc.col, tc.msg)
		}
	}
}

// TestRuntimeError: a rule failing at run time does not match and is
// reported; the other rules still grade the task.
func TestRuntimeError(t *testing.T) {
	e := engine(t)
	rs, bad := e.Prepare([]Rule{
		{ID: "div", Title: "Divides by zero", Source: SourceSchemaChange, Level: High, Condition: `table_rows / affected_rows > 1`, Enabled: true},
		{ID: "drop", Title: "Drop", Source: SourceSchemaChange, Level: Moderate, Condition: `sql_type == "DROP_TABLE"`, Enabled: true},
		{ID: "off", Title: "Disabled", Source: SourceSchemaChange, Level: High, Condition: `true`, Enabled: false},
		{ID: "broken", Title: "Broken", Source: SourceSchemaChange, Level: High, Condition: `nope`, Enabled: true},
	})
	if len(bad) != 1 || bad[0].RuleID != "broken" {
		t.Fatalf("prepare reports the rule that does not compile: %+v", bad)
	}
	a := rs.Assess(SourceSchemaChange, Inputs(Target{}, "DROP TABLE t;", Facts{}))
	if a.Level != Moderate || len(a.Matched) != 1 || a.Matched[0].RuleID != "drop" {
		t.Errorf("assessment %+v", a)
	}
	if len(a.Errors) != 1 || a.Errors[0].RuleID != "div" || !strings.Contains(a.Errors[0].Message, "division by zero") {
		t.Errorf("errors %+v", a.Errors)
	}
}

// TestPresets grades a corpus of statements with the preset rules.
func TestPresets(t *testing.T) {
	e := engine(t)
	rs, bad := e.Prepare(Presets())
	if len(bad) != 0 {
		t.Fatalf("presets do not compile: %+v", bad)
	}
	prod := Target{EnvironmentID: "prod", Production: true, DatabaseName: "demo", IssueType: "schema_change"}
	test := Target{EnvironmentID: "test", DatabaseName: "demo", IssueType: "schema_change"}
	big := Facts{TableRows: map[string]int64{"public.employee": 2_000_000}}
	for _, tc := range []struct {
		name  string
		src   Source
		tgt   Target
		sql   string
		facts Facts
		level Level
		rules []string // ids without the source prefix, highest first
	}{
		{"tutorial add column in prod", SourceSchemaChange, prod, `ALTER TABLE "public"."employee" ADD COLUMN "nick_name" text NOT NULL DEFAULT '';`, big, Moderate, []string{"ddl-dml-prod"}},
		{"tutorial add column in test", SourceSchemaChange, test, `ALTER TABLE "public"."employee" ADD COLUMN "nick_name" text NOT NULL DEFAULT '';`, big, Low, nil},
		{"drop table in test", SourceSchemaChange, test, `DROP TABLE employee;`, Facts{}, High, []string{"drop-table"}},
		{"drop table in prod", SourceSchemaChange, prod, `DROP TABLE IF EXISTS public.employee CASCADE;`, Facts{}, High, []string{"drop-table", "ddl-dml-prod"}},
		{"drop schema", SourceSchemaChange, test, `DROP SCHEMA billing CASCADE;`, Facts{}, High, []string{"drop-schema"}},
		{"drop database", SourceSchemaChange, test, `DROP DATABASE old;`, Facts{}, High, []string{"drop-database"}},
		{"truncate as data change", SourceDataChange, test, `TRUNCATE employee;`, Facts{}, High, []string{"truncate"}},
		{"drop column", SourceSchemaChange, test, `ALTER TABLE employee DROP COLUMN nick_name;`, Facts{}, High, []string{"drop-column"}},
		{"drop column without the keyword", SourceSchemaChange, test, `ALTER TABLE employee DROP nick_name;`, Facts{}, High, []string{"drop-column"}},
		{"drop constraint is not a dropped column", SourceSchemaChange, test, `ALTER TABLE employee DROP CONSTRAINT employee_pkey;`, Facts{}, Low, nil},
		{"drop default is not a dropped column", SourceSchemaChange, test, `ALTER TABLE employee ALTER COLUMN nick_name DROP DEFAULT;`, Facts{}, Low, nil},
		{"column type on a big table", SourceSchemaChange, test, `ALTER TABLE public.employee ALTER COLUMN nick_name TYPE varchar(64);`, big, High, []string{"alter-column-type-large"}},
		{"column type on a small table", SourceSchemaChange, test, `ALTER TABLE public.employee ALTER COLUMN nick_name TYPE varchar(64);`, Facts{TableRows: map[string]int64{"public.employee": 10}}, Low, nil},
		{"set data type on a big table", SourceSchemaChange, test, `ALTER TABLE employee ALTER nick_name SET DATA TYPE text;`, big, High, []string{"alter-column-type-large"}},
		{"big update in prod", SourceDataChange, prod, `UPDATE employee SET nick_name = '' WHERE id > 0;`, Facts{AffectedRows: map[int]int64{1: 50_000}}, High, []string{"update-delete-large-prod", "ddl-dml-prod"}},
		{"big delete in test", SourceDataChange, test, `DELETE FROM employee WHERE id > 0;`, Facts{AffectedRows: map[int]int64{1: 50_000}}, Low, nil},
		{"small delete in prod", SourceDataChange, prod, `DELETE FROM employee WHERE id = 1;`, Facts{AffectedRows: map[int]int64{1: 1}}, Moderate, []string{"ddl-dml-prod"}},
		{"select in prod", SourceDataChange, prod, `SELECT 1;`, Facts{}, Low, nil},
		{"create table in test", SourceSchemaChange, test, `CREATE TABLE t1 (id int, name text);`, Facts{}, Low, nil},
		{"second statement decides", SourceSchemaChange, test, "CREATE TABLE t1 (id int);\nDROP TABLE t0;", Facts{}, High, []string{"drop-table"}},
		{"SQL that does not parse, in prod", SourceSchemaChange, prod, "ALTER TABLE t1 ADD COLUMN note text,;", Facts{}, Moderate, []string{"ddl-dml-prod"}},
		{"SQL that does not parse, in test", SourceSchemaChange, test, "ALTER TABLE t1 ADD COLUMN note text,;", Facts{}, Low, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := rs.Assess(tc.src, Inputs(tc.tgt, tc.sql, tc.facts))
			var got []string
			for _, m := range a.Matched {
				got = append(got, strings.TrimPrefix(m.RuleID, string(tc.src)+"."))
			}
			if a.Level != tc.level || strings.Join(got, ",") != strings.Join(tc.rules, ",") || len(a.Errors) != 0 {
				t.Errorf("got %s %v %v, want %s %v", a.Level, got, a.Errors, tc.level, tc.rules)
			}
		})
	}
	// Creating a database: moderate in production, low elsewhere.
	for tgt, want := range map[Target]Level{{EnvironmentID: "prod", Production: true, DatabaseName: "demo"}: Moderate, {EnvironmentID: "test", DatabaseName: "demo"}: Low} {
		if a := rs.Assess(SourceCreateDatabase, []Input{CreateDatabaseInput(tgt)}); a.Level != want {
			t.Errorf("create database in %s: %s, want %s", tgt.EnvironmentID, a.Level, want)
		}
	}
}

func TestInputs(t *testing.T) {
	ins := Inputs(Target{DatabaseName: "demo"}, "CREATE INDEX CONCURRENTLY i ON billing.items (id);\nINSERT INTO a SELECT * FROM b;\nDELETE FROM c;\nSET x = 1;",
		Facts{AffectedRows: map[int]int64{2: 7}, TableRows: map[string]int64{"billing.items": 5, "c": 9}})
	type row struct {
		line             int
		typ, schema, tbl string
		aff, rows        int64
		destr, nontx     bool
	}
	var got []row
	for _, in := range ins {
		got = append(got, row{in.Line, in.SQLType, in.SchemaName, in.TableName, in.AffectedRows, in.TableRows, in.HasDestructive, in.NonTransactional})
	}
	want := []row{
		{1, "CREATE_INDEX", "billing", "items", 0, 5, false, true},
		{2, "INSERT", "public", "a", 7, 0, false, false},
		{2, "INSERT", "public", "b", 7, 0, false, false},
		{3, "DELETE", "public", "c", 0, 9, true, false},
		{4, "SET", "", "", 0, 0, false, false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("input %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestMerge(t *testing.T) {
	a := Assessment{Level: Moderate, Matched: []Match{{RuleID: "m", Level: Moderate}}}
	b := Assessment{Level: High, Matched: []Match{{RuleID: "h", Level: High}, {RuleID: "m", Level: Moderate}}, Errors: []EvalError{{RuleID: "x"}}}
	m := Merge(a, b)
	if m.Level != High || len(m.Matched) != 2 || m.Matched[0].RuleID != "h" || len(m.Errors) != 1 {
		t.Errorf("merge %+v", m)
	}
	if Merge().Level != Low {
		t.Error("no task is low")
	}
}
