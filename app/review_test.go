package app

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func ruleOf(t *testing.T, p Policy, id string) PolicyRule {
	t.Helper()
	for _, r := range p.Rules {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("policy %s has no rule %s", p.Name, id)
	return PolicyRule{}
}

func setRule(p *Policy, id, level string, payload *RulePayload) {
	for i := range p.Rules {
		if p.Rules[i].ID == id {
			p.Rules[i].Level = level
			if payload != nil {
				p.Rules[i].Payload = payload
			}
		}
	}
}

// found lists "rule@line" of every advice.
func found(res ReviewResult) []string {
	var out []string
	for _, a := range res.Advice {
		out = append(out, a.Rule+"@"+strconv.Itoa(a.Line))
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestReviewDefaultPolicies(t *testing.T) {
	h := newApp(t, "", false)
	rs := h.app.Review()
	bound := false
	for _, svc := range h.app.Services() {
		bound = bound || svc == any(rs)
	}
	if !bound {
		t.Fatal("ReviewService is not among the bound services")
	}
	rules, err := rs.Rules()
	if err != nil || len(rules) < 70 {
		t.Fatalf("rules: %d, %v", len(rules), err)
	}
	var pk RuleInfo
	for _, r := range rules {
		if r.ID == "table.require-pk" {
			pk = r
		}
		if r.Title == "" || r.Rationale == "" || r.Level == "" || r.PayloadType == "" {
			t.Errorf("rule %s is missing its description: %+v", r.ID, r)
		}
	}
	if pk.Level != "error" || pk.PayloadType != "none" {
		t.Fatalf("table.require-pk: %+v", pk)
	}

	prod, err := rs.Policy("prod")
	if err != nil {
		t.Fatal(err)
	}
	if prod.Template != "default" || prod.Customized || len(prod.Rules) != len(rules) {
		t.Fatalf("prod policy: template %q customized %v, %d rules", prod.Template, prod.Customized, len(prod.Rules))
	}
	test, err := rs.Policy("test")
	if err != nil || test.Template != "test" {
		t.Fatalf("test policy: %+v %v", test.Template, err)
	}
	// prod starts from default, test from test: each rule at its level in that template.
	offInTest := 0
	for i, r := range rules {
		if prod.Rules[i].ID != r.ID || prod.Rules[i].Level != r.Templates["default"] {
			t.Errorf("prod %s = %s, want the default template's %s", r.ID, prod.Rules[i].Level, r.Templates["default"])
		}
		if test.Rules[i].Level != r.Templates["test"] {
			t.Errorf("test %s = %s, want the test template's %s", r.ID, test.Rules[i].Level, r.Templates["test"])
		}
		if r.Why == "" || r.SafeForm == "" || len(r.Templates) != 5 {
			t.Errorf("rule %s: templates %v, why %q, safe form %q", r.ID, r.Templates, r.Why, r.SafeForm)
		}
		if test.Rules[i].Level == "off" {
			offInTest++
		}
		if (r.PayloadType == "none") != (prod.Rules[i].Payload == nil) {
			t.Errorf("prod %s (payload type %s) payload %+v", r.ID, r.PayloadType, prod.Rules[i].Payload)
		}
	}
	if offInTest == 0 {
		t.Fatal("test template turns no rule off")
	}
	if infos := rs.TemplateInfos(); len(infos) != 5 || infos[0].Name != "default" || infos[0].Purpose == "" {
		t.Fatalf("template infos: %+v", infos)
	}
	if ruleOf(t, prod, "naming.table").Payload.Format == "" {
		t.Fatal("naming.table carries no default format")
	}

	// A new, unprotected environment starts from test.
	if _, err := newAppEnv(t, rs, "Staging"); err != nil {
		t.Fatal(err)
	}
	st, err := rs.Policy("staging")
	if err != nil || st.Template != "test" {
		t.Fatalf("staging: %+v %v", st.Template, err)
	}
	if _, err := rs.Policy("nope"); !strings.Contains(userErr(t, err).Message, "not found") {
		t.Fatalf("unknown environment: %v", err)
	}
	if _, err := rs.Policy(""); userErr(t, err).Field != "environmentId" {
		t.Fatalf("no environment: %v", err)
	}
}

func newAppEnv(t *testing.T, rs *ReviewService, name string) (Environment, error) {
	t.Helper()
	return rs.a.Environments().Create(name)
}

func TestReviewSavePolicyValidates(t *testing.T) {
	rs := newApp(t, "", false).app.Review()
	p, _ := rs.Policy("prod")

	bad := p
	bad.Rules = append([]PolicyRule(nil), p.Rules...)
	setRule(&bad, "naming.table", "error", &RulePayload{Format: "^[a-z(+$"})
	setRule(&bad, "index.key-number-limit", "warning", &RulePayload{Number: 0})
	setRule(&bad, "table.require-pk", "fatal", nil)
	_, err := rs.SavePolicy("prod", bad)
	ue := userErr(t, err)
	for _, want := range []string{"naming.table", "regular expression", "index.key-number-limit", "positive number", "table.require-pk", `"fatal"`} {
		if !strings.Contains(ue.Message, want) {
			t.Errorf("error %q does not mention %q", ue.Message, want)
		}
	}
	if ue.Field != "index.key-number-limit" && ue.Field != "naming.table" && ue.Field != "table.require-pk" {
		t.Errorf("field = %q, want the first bad rule", ue.Field)
	}
	// Nothing was stored.
	if again, _ := rs.Policy("prod"); again.Customized || ruleOf(t, again, "table.require-pk").Level != "off" {
		t.Fatalf("a refused save changed the policy: %+v", ruleOf(t, again, "table.require-pk"))
	}

	unknown := Policy{Name: "x", Rules: []PolicyRule{{ID: "table.require-pkey", Level: "error"}}}
	if _, err := rs.SavePolicy("prod", unknown); !strings.Contains(userErr(t, err).Message, `did you mean "table.require-pk"`) {
		t.Fatalf("unknown rule: %v", err)
	}

	good := p
	good.Rules = append([]PolicyRule(nil), p.Rules...)
	setRule(&good, "statement.disallow-truncate", "off", nil)
	setRule(&good, "naming.table", "warning", &RulePayload{Format: "^tbl_[a-z]+$", MaxLength: 40})
	saved, err := rs.SavePolicy("prod", good)
	if err != nil {
		t.Fatal(err)
	}
	if !saved.Customized || saved.Template != "default" || saved.UpdatedAt == "" {
		t.Fatalf("saved: %+v", saved)
	}
	got, _ := rs.Policy("prod")
	if r := ruleOf(t, got, "naming.table"); r.Level != "warning" || r.Payload.Format != "^tbl_[a-z]+$" || r.Payload.MaxLength != 40 {
		t.Fatalf("naming.table after save: %+v", r)
	}
	if ruleOf(t, got, "statement.disallow-truncate").Level != "off" {
		t.Fatal("statement.disallow-truncate still on")
	}

	// Reset goes back to a template.
	reset, err := rs.ResetPolicy("prod", "basic")
	if err != nil || reset.Template != "basic" || ruleOf(t, reset, "table.require-pk").Level != "error" {
		t.Fatalf("reset: %+v %v", reset.Template, err)
	}
	if _, err := rs.ResetPolicy("prod", "strict"); userErr(t, err).Field != "template" {
		t.Fatalf("unknown template: %v", err)
	}
}

const badScript = "CREATE TABLE t(a int);\nUPDATE t SET a = 1;\n\nDELETE FROM t;\n"

// TestReviewBinding: ReviewService maps a request into livereview (the
// environment, or the database's), the outcome into advice with its
// highlight, counts, the policy and catalog used, a syntax error into data
// and other failures into wire errors. What is found, and against which
// catalog, is tested in internal/livereview.
func TestReviewBinding(t *testing.T) {
	h := newApp(t, "", false)
	rs := h.app.Review()
	res, err := rs.Review(ReviewRequest{SQL: badScript, EnvironmentID: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	got := found(res)
	for _, want := range []string{"statement.where.require.update-delete@2", "statement.where.require.update-delete@4"} {
		if !has(got, want) {
			t.Errorf("advice %v lacks %s", got, want)
		}
	}
	if res.Statements != 3 || res.Errors != 2 || res.Errors+res.Warnings+res.Infos != len(res.Advice) || res.SyntaxError != nil || res.PolicyName != "default" || res.Catalog != "" {
		t.Fatalf("result: %d statements, %d errors, %d warnings, %+v, policy %q", res.Statements, res.Errors, res.Warnings, res.SyntaxError, res.PolicyName)
	}
	for _, a := range res.Advice {
		// the advice spans its statement: "DELETE FROM t" ends before column 14
		if a.Line == 4 && (a.Column != 1 || a.EndLine != 4 || a.EndColumn != 14 || a.StatementLine != 4 || a.Title == "" || a.Message == "" || a.Level != "error") {
			t.Fatalf("DELETE advice: %+v", a)
		}
	}

	// Syntax errors come back as data with their position; empty input is clean, never null.
	res, err = rs.Review(ReviewRequest{SQL: "SELECT 1;\nCREATE TABLEX t();", EnvironmentID: "prod"})
	if err != nil || res.SyntaxError == nil || res.SyntaxError.Line != 2 || res.SyntaxError.Column != 8 || !strings.Contains(res.SyntaxError.Message, "TABLEX") ||
		res.Errors != 1 || res.Advice == nil || res.PolicyName != "default" {
		t.Fatalf("syntax error: %+v %v", res, err)
	}
	if res, err = rs.Review(ReviewRequest{SQL: "", EnvironmentID: "prod"}); err != nil || res.Advice == nil || len(res.Advice) != 0 {
		t.Fatalf("empty: %+v %v", res, err)
	}
	if _, err := rs.Review(ReviewRequest{SQL: "SELECT 1"}); userErr(t, err).Field != "environmentId" {
		t.Fatalf("no environment: %v", err)
	}

	// Against a database: its catalog, and its environment's policy.
	dbID, dbURL := registerDB(t, h, "test", "CREATE TABLE orders (id bigint PRIMARY KEY, note text)")
	live, err := rs.Review(ReviewRequest{SQL: "ALTER TABLE nosuch ADD COLUMN x int;\n", DatabaseID: dbID})
	if err != nil {
		t.Fatal(err)
	}
	if !has(found(live), "table.must-exist@1") || !strings.Contains(live.Catalog, strings.TrimPrefix(mustParse(t, dbURL).Path, "/")) || live.PolicyName != "test" {
		t.Fatalf("against the database: %v (catalog %q, policy %q)", found(live), live.Catalog, live.PolicyName)
	}
	if _, err := rs.Review(ReviewRequest{SQL: "SELECT 1;", DatabaseID: "missing"}); !strings.Contains(userErr(t, err).Message, "not found") {
		t.Fatalf("unknown database: %v", err)
	}
}

func TestReviewPolicyYAMLRoundTrip(t *testing.T) {
	rs := newApp(t, "", false).app.Review()
	p, _ := rs.Policy("prod")
	setRule(&p, "table.require-pk", "warning", nil)
	setRule(&p, "naming.table", "error", &RulePayload{Format: "^[a-z_]+$", MaxLength: 30})
	setRule(&p, "column.required", "error", &RulePayload{List: []string{"id", "created_at"}})
	setRule(&p, "index.key-number-limit", "warning", &RulePayload{Number: 3})
	setRule(&p, "statement.require-lock-timeout", "off", nil)
	prod, err := rs.SavePolicy("prod", p)
	if err != nil {
		t.Fatal(err)
	}

	text, err := rs.ExportPolicyYAML("prod")
	if err != nil || !strings.Contains(text, "table.require-pk") || !strings.Contains(text, "^[a-z_]+$") {
		t.Fatalf("export: %v\n%s", err, text)
	}
	imported, err := rs.ImportPolicyYAML("test", text)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(imported.Rules, prod.Rules) {
		t.Fatal("imported rules differ from the exported policy's")
	}
	again, _ := rs.ExportPolicyYAML("test")
	if again != text {
		t.Fatalf("export → import → export changed the YAML:\n%s\n---\n%s", text, again)
	}
	// Both environments now review the same way.
	a, _ := rs.Review(ReviewRequest{SQL: badScript, EnvironmentID: "prod"})
	b, _ := rs.Review(ReviewRequest{SQL: badScript, EnvironmentID: "test"})
	if !reflect.DeepEqual(found(a), found(b)) {
		t.Fatalf("same policy, different advice: %v vs %v", found(a), found(b))
	}

	// Through files, as the dialogs do.
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if w, err := rs.ExportPolicy("prod", path); err != nil || w != path {
		t.Fatalf("export file: %q %v", w, err)
	}
	if data, _ := os.ReadFile(path); string(data) != text {
		t.Fatal("file differs from ExportPolicyYAML")
	}
	if _, err := rs.ResetPolicy("test", ""); err != nil {
		t.Fatal(err)
	}
	fromFile, err := rs.ImportPolicy("test", path)
	if err != nil || !reflect.DeepEqual(fromFile.Rules, prod.Rules) {
		t.Fatalf("import file: %v", err)
	}
	// Without a window there is no dialog to ask for a path.
	if _, err := rs.ExportPolicy("prod", ""); userErr(t, err).Field != "path" {
		t.Fatalf("export without path: %v", err)
	}
	if _, err := rs.ImportPolicy("prod", ""); userErr(t, err).Field != "path" {
		t.Fatalf("import without path: %v", err)
	}

	// Bad files are refused with the reason (review.ParsePolicy's, tested
	// there) and the file's name, and nothing changes.
	if _, err := rs.ImportPolicyYAML("prod", "  "); !strings.Contains(userErr(t, err).Message, "empty") {
		t.Fatalf("empty import: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("rules: [{id: nope, level: error}]"), 0o644)
	if _, err := rs.ImportPolicy("prod", bad); !strings.Contains(userErr(t, err).Message, bad) {
		t.Fatalf("bad file error does not name the file: %v", err)
	}
	if still, _ := rs.ExportPolicyYAML("prod"); still != text {
		t.Fatal("a refused import changed the policy")
	}
}

// TestReviewFixBinding: advice with a safe form carries it, and Fix returns
// the fixed SQL (all statements, or the chosen one) with what it still draws.
func TestReviewFixBinding(t *testing.T) {
	h := newApp(t, "", false)
	rs := h.app.Review()
	sql := "CREATE INDEX a_idx ON orders (note);\nALTER TABLE orders ALTER COLUMN note TYPE varchar(10);\n"
	res, err := rs.Review(ReviewRequest{SQL: sql, EnvironmentID: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	var steps, plans int
	for _, a := range res.Advice {
		if a.Rewrite != nil {
			steps += len(a.Rewrite.Steps)
			if a.Rewrite.Plan != "" {
				plans++
			}
		}
	}
	if steps != 1 || plans != 1 {
		t.Fatalf("rewrites in advice: %d steps, %d plans: %+v", steps, plans, res.Advice)
	}
	fixed, err := rs.Fix(FixRequest{ReviewRequest: ReviewRequest{SQL: sql, EnvironmentID: "prod"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fixed.SQL, "CREATE INDEX CONCURRENTLY a_idx ON orders USING btree (note);") || fixed.Units != 2 || fixed.Applied != 1 ||
		len(fixed.Kept) != 1 || fixed.Kept[0].Line != 2 || fixed.Errors != 0 || fixed.Warnings != 1 {
		t.Fatalf("fix: %+v", fixed)
	}
	if one, err := rs.Fix(FixRequest{ReviewRequest: ReviewRequest{SQL: sql, EnvironmentID: "prod"}, StatementLine: 2}); err != nil || one.Applied != 0 || one.SQL != sql {
		t.Fatalf("fix of the type change alone changes nothing: %+v %v", one, err)
	}
	bad, err := rs.Fix(FixRequest{ReviewRequest: ReviewRequest{SQL: "CREATE TABEL x ();", EnvironmentID: "prod"}})
	if err != nil || bad.SyntaxError == nil || bad.SQL != "CREATE TABEL x ();" || bad.Kept == nil {
		t.Fatalf("syntax error: %+v %v", bad, err)
	}
}
