package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

func writeSQL(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReviewText(t *testing.T) {
	f := writeSQL(t, "001.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\nDELETE FROM t;\n")
	out, errs, code := runCLI(t, "review", "--policy", "basic", f)
	want := f + ":2:1: error statement.where.require.update-delete: \"DELETE FROM t\" requires WHERE clause\n"
	if code != 1 || out != want {
		t.Fatalf("code %d\nout %q\nwant %q\nerr %s", code, out, want, errs)
	}
	if !strings.Contains(errs, "1 error(s), 0 warning(s), 0 note(s) in 1 file(s) (policy basic, runner tidemark)") {
		t.Errorf("summary: %s", errs)
	}
}

func TestReviewExitCodes(t *testing.T) {
	clean := writeSQL(t, "clean.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n")
	warn := writeSQL(t, "warn.sql", "ALTER TABLE t ALTER COLUMN id TYPE int;\n")
	bad := writeSQL(t, "bad.sql", "SELECT 1;\nCREATE TABEL x (a int);\n")
	pol := writeSQL(t, "p.yaml", "name: mine\nrules:\n- id: tabel.require-pk\n  level: error\n")
	cases := []struct {
		args []string
		code int
		out  string // substring of stdout
		err  string // substring of stderr
	}{
		{[]string{"review", "--policy", "basic", clean}, 0, "", "0 error(s), 0 warning(s)"},
		{[]string{"review", "--policy", "basic", warn}, 0, "warning column.disallow-change-type", ""},
		{[]string{"review", bad}, 2, bad + ":2:8: error syntax-error: syntax error at or near \"TABEL\"", ""},
		{[]string{"review"}, 2, "", "no files to review"},
		{[]string{"review", "--format", "xml", clean}, 2, "", "--format must be text, json, sarif or github"},
		{[]string{"review", "--policy", pol, clean}, 2, "", `unknown rule "tabel.require-pk" (did you mean "table.require-pk"?)`},
		{[]string{"review", filepath.Join(t.TempDir(), "missing.sql")}, 2, "", "read "},
		{[]string{"review", "--url", "postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=1", clean}, 1, "", "connect to"},
	}
	for _, tc := range cases {
		out, errs, code := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.err) {
			t.Errorf("%v: code %d (want %d)\nout %s\nerr %s", tc.args, code, tc.code, out, errs)
		}
		if strings.Contains(out+errs, "s3cret") {
			t.Errorf("%v: password leaked", tc.args)
		}
	}
}

func TestReviewFilesChain(t *testing.T) {
	// The second file sees the table the first creates: no CREATE INDEX CONCURRENTLY advice for it.
	a := writeSQL(t, "001.sql", "CREATE TABLE items (id bigint PRIMARY KEY, sku text NOT NULL);\n")
	b := writeSQL(t, "002.sql", "CREATE INDEX items_sku_idx ON items (sku);\nCREATE INDEX other_idx ON other (x);\n")
	out, _, code := runCLI(t, "review", "--policy", "basic", "--format", "json", a, b)
	var entries []map[string]any
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var conc []float64
	for _, e := range entries {
		if e["rule"] == "index.create-concurrently" {
			conc = append(conc, e["line"].(float64))
			if e["file"] != b {
				t.Errorf("wrong file: %v", e)
			}
		}
	}
	if len(conc) != 1 || conc[0] != 2 || code != 1 {
		t.Errorf("concurrently advice lines %v, code %d\n%s", conc, code, out)
	}
}

func TestReviewJSONShape(t *testing.T) {
	f := writeSQL(t, "m.sql", "SELECT 1;\nDELETE FROM t;\n")
	out, _, code := runCLI(t, "review", "--format", "json", "--policy", "basic", f)
	var entries []struct {
		File, Level, Rule, Title, Message string
		Line, Column                      int
		Statement                         struct{ Start, End, Line, Column, EndLine int }
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil || code != 1 || len(entries) != 1 {
		t.Fatalf("code %d err %v\n%s", code, err, out)
	}
	e := entries[0]
	if e.File != f || e.Line != 2 || e.Column != 1 || e.Level != "error" || e.Rule != "statement.where.require.update-delete" ||
		e.Title == "" || e.Statement.Start != 10 || e.Statement.End != 23 || e.Statement.EndLine != 2 {
		t.Errorf("entry %+v", e)
	}
	clean := writeSQL(t, "c.sql", "SELECT 1;")
	out, _, _ = runCLI(t, "review", "--format", "json", "--policy", "basic", clean)
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("clean JSON must be an empty array, got %s", out)
	}
}

func TestReviewSARIF(t *testing.T) {
	f := writeSQL(t, "m.sql", "DELETE FROM t;\nSELECT (;\n")
	g := writeSQL(t, "n.sql", "CREATE TABLE t (\n  id int\n);\n")
	out, _, code := runCLI(t, "review", "--format", "sarif", "--policy", "basic", f, g)
	if code != 2 {
		t.Errorf("a syntax error must exit 2, got %d", code)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID                   string `json:"id"`
						ShortDescription     struct{ Text string }
						DefaultConfiguration struct{ Level string }
					}
				}
			}
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "tidemark" {
		t.Fatalf("envelope: %+v", log)
	}
	run := log.Runs[0]
	if len(run.Results) != 2 {
		t.Fatalf("results: %+v", run.Results)
	}
	for _, r := range run.Results {
		if r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("ruleIndex does not point at its rule: %+v", r)
		}
		if r.Level != "error" && r.Level != "warning" || r.Message.Text == "" || len(r.Locations) != 1 ||
			r.Locations[0].PhysicalLocation.Region.StartLine < 1 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
			t.Errorf("result shape: %+v", r)
		}
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.ShortDescription.Text == "" || rule.DefaultConfiguration.Level == "" {
			t.Errorf("rule metadata: %+v", rule)
		}
	}
	if run.Results[0].RuleID != "syntax-error" || run.Results[0].Locations[0].PhysicalLocation.Region.StartLine != 2 ||
		run.Results[1].RuleID != "table.require-pk" || run.Results[1].Locations[0].PhysicalLocation.Region.EndLine != 3 {
		t.Errorf("results: %+v", run.Results)
	}
}

func TestReviewGitHub(t *testing.T) {
	f := writeSQL(t, "a,b.sql", "DELETE FROM t;\n")
	out, _, code := runCLI(t, "review", "--format", "github", "--policy", "basic", f)
	esc := strings.NewReplacer(",", "%2C", ":", "%3A").Replace(f)
	want := "::error file=" + esc + ",line=1,col=1,title=statement.where.require.update-delete%3A UPDATE and DELETE have a WHERE clause::\"DELETE FROM t\" requires WHERE clause\n"
	if code != 1 || out != want {
		t.Errorf("code %d\n got %q\nwant %q", code, out, want)
	}
}

func TestReviewStdinAndIgnore(t *testing.T) {
	cmd := newRootCmd()
	var out, errb strings.Builder
	cmd.SetArgs([]string{"review", "--policy", "basic", "-"})
	cmd.SetIn(strings.NewReader("-- tidemark:ignore statement.where.require.update-delete\nDELETE FROM t;\n"))
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	code := exitCode(cmd.ExecuteContext(context.Background()), &errb)
	if code != 0 || out.String() != "" {
		t.Errorf("code %d out %q err %q", code, out.String(), errb.String())
	}
}

func TestReviewLive(t *testing.T) {
	url := pgsrv.NewDB(t) // fails under TIDEMARK_TEST_REQUIRE_PG=1 without a server
	pgtest.MustExec(t, url, `CREATE TABLE accounts (id bigint PRIMARY KEY);
		INSERT INTO accounts SELECT generate_series(1, 10);
		CREATE TABLE empty_accounts (id bigint PRIMARY KEY);`)
	f := writeSQL(t, "m.sql", "ALTER TABLE accounts ADD COLUMN tenant bigint NOT NULL;\nALTER TABLE empty_accounts ADD COLUMN tenant bigint NOT NULL;\nALTER TABLE nope ADD COLUMN x int;\n")
	out, errs, code := runCLI(t, "review", "--policy", "basic", "--url", url, f)
	if code != 1 {
		t.Fatalf("code %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		f + ":1:33: error column.add-not-null-require-default: Adding NOT NULL column \"tenant\" without a DEFAULT fails: table \"public\".\"accounts\" has rows",
		f + ":3:13: error table.must-exist: relation \"nope\" does not exist",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, ":2:") {
		t.Errorf("the empty table must not be flagged:\n%s", out)
	}
}

// TestReviewTarget: --pg-version and --runner change what the rules know;
// bad values are usage errors.
func TestReviewTarget(t *testing.T) {
	f := writeSQL(t, "004.sql", "ALTER TABLE t ADD COLUMN c int DEFAULT 0;\n")
	if out, errs, code := runCLI(t, "review", f); code != 0 || out != "" || !strings.Contains(errs, "(policy default, runner tidemark)") {
		t.Fatalf("newest version: code %d out %q err %q", code, out, errs)
	}
	out, _, code := runCLI(t, "review", "--pg-version", "10", f)
	if code != 0 || !strings.Contains(out, "warning statement.disallow-add-column-with-default") {
		t.Fatalf("PostgreSQL 10: code %d out %q", code, out)
	}
	out, _, code = runCLI(t, "review", "--runner", "other", f)
	if code != 0 || !strings.Contains(out, "statement.require-lock-timeout") || !strings.Contains(out, "statement.require-statement-timeout") {
		t.Fatalf("runner other: code %d out %q", code, out)
	}
	tx := writeSQL(t, "005.sql", "BEGIN;\nALTER TABLE t ADD COLUMN d int;\nCOMMIT;\n")
	out, _, code = runCLI(t, "review", "--format", "json", "--runner", "other", tx)
	if code != 0 || strings.Count(out, `"level": "info"`) != 2 || strings.Contains(out, `"level": "error"`) {
		t.Fatalf("own transaction, runner other: code %d out %s", code, out)
	}
	// Tidemark's runner runs the file's own blocks as written: noted, not refused.
	if out, _, code = runCLI(t, "review", "--format", "json", tx); code != 0 || strings.Count(out, `"level": "info"`) != 2 || strings.Contains(out, `"level": "error"`) {
		t.Fatalf("own transaction, Tidemark's runner: code %d out %s", code, out)
	}
	// A COMMIT with no BEGIN before it would end the runner's transaction mid-file.
	stray := writeSQL(t, "006.sql", "ALTER TABLE t ADD COLUMN d int;\nCOMMIT;\nALTER TABLE t ADD COLUMN e int;\n")
	if out, _, code = runCLI(t, "review", stray); code != 1 || !strings.Contains(out, "006.sql:2:1: error statement.disallow-commit") {
		t.Fatalf("stray COMMIT, Tidemark's runner: code %d out %s", code, out)
	}
	for _, args := range [][]string{{"--runner", "psql"}, {"--pg-version", "fifteen"}, {"--pg-version", "8.4"}} {
		if _, errs, code := runCLI(t, append(append([]string{"review"}, args...), f)...); code != 2 || errs == "" {
			t.Errorf("%v: code %d err %q", args, code, errs)
		}
	}
}

// TestReviewFix: --fix prints the file with its rewrites in units, says on
// stderr what it kept and what the fixed file still draws, and exits with
// the fixed file's status.
func TestReviewFix(t *testing.T) {
	f := writeSQL(t, "003.sql", "-- add the index\nCREATE INDEX orders_user_idx ON orders (user_id);\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\nALTER TABLE orders ALTER COLUMN amount TYPE bigint;\n")
	before, _, code := runCLI(t, "review", f)
	if code != 1 || !strings.Contains(before, "error index.create-concurrently") {
		t.Fatalf("the file should fail review before the fix: %d\n%s", code, before)
	}
	out, errs, code := runCLI(t, "review", "--fix", f)
	want := "-- tidemark:unit 1/3 (non-transactional): save as its own migration file, after the one before\n" +
		"-- add the index\nCREATE INDEX CONCURRENTLY orders_user_idx ON orders USING btree (user_id);\n\n" +
		"-- tidemark:unit 2/3 (transactional): save as its own migration file, after the one before\n" +
		"ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n\n" +
		"-- tidemark:unit 3/3 (transactional): save as its own migration file, after the one before\n" +
		"ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\nALTER TABLE orders ALTER COLUMN amount TYPE bigint;\n"
	if code != 0 || out != want {
		t.Fatalf("code %d\n%s\nwant\n%s\nerr %s", code, out, want, errs)
	}
	for _, s := range []string{f + ":4: kept as written (column.disallow-change-type)", "2 statement(s) rewritten, 1 kept as written in 1 file(s); the fixed files draw 0 error(s), 1 warning(s)"} {
		if !strings.Contains(errs, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errs)
		}
	}
	out, _, code = runCLI(t, "review", "--fix", "--format", "json", f)
	var entries []struct {
		File  string
		Units []struct {
			SQL              string
			NonTransactional bool
		}
		Applied int
		Kept    []struct {
			Line         int
			Rule, Reason string
		}
		Remaining map[string]int
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil || code != 0 || len(entries) != 1 {
		t.Fatalf("code %d err %v\n%s", code, err, out)
	}
	e := entries[0]
	if e.File != f || len(e.Units) != 3 || !e.Units[0].NonTransactional || e.Units[1].NonTransactional || e.Applied != 2 ||
		len(e.Kept) != 1 || e.Kept[0].Line != 4 || e.Remaining["warning"] != 1 || e.Remaining["error"] != 0 {
		t.Errorf("json %+v", e)
	}
	// The advice itself carries the rewrite in JSON.
	out, _, _ = runCLI(t, "review", "--format", "json", f)
	if !strings.Contains(out, `"rewrite": {`) || !strings.Contains(out, `"nonTransactional": true`) || !strings.Contains(out, `"plan": "Changing the type`) {
		t.Errorf("advice JSON without rewrites:\n%s", out)
	}
	// A clean file prints as it is; usage errors exit 2.
	clean := writeSQL(t, "clean.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n")
	if out, _, code := runCLI(t, "review", "--fix", clean); code != 0 || out != "CREATE TABLE t (id bigint PRIMARY KEY);\n" {
		t.Errorf("clean: %d %q", code, out)
	}
	if _, errs, code := runCLI(t, "review", "--fix", "--format", "sarif", clean); code != 2 || !strings.Contains(errs, "--fix prints text or json") {
		t.Errorf("sarif: %d %s", code, errs)
	}
	bad := writeSQL(t, "bad.sql", "CREATE TABEL x (a int);\n")
	if _, errs, code := runCLI(t, "review", "--fix", bad); code != 2 || !strings.Contains(errs, "nothing was fixed") {
		t.Errorf("bad: %d %s", code, errs)
	}
	// An error the rewrites cannot fix keeps exit 1.
	del := writeSQL(t, "del.sql", "DELETE FROM orders;\n")
	if _, _, code := runCLI(t, "review", "--fix", "--policy", "basic", del); code != 1 {
		t.Errorf("unfixable error: exit %d", code)
	}
}
