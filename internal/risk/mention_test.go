package risk

import (
	"reflect"
	"strings"
	"testing"
)

func TestMentions(t *testing.T) {
	e := engine(t)
	prod := EnvironmentRef{ID: "prod", Production: true}
	staging := EnvironmentRef{ID: "staging"}
	for _, tc := range []struct {
		cond string
		env  EnvironmentRef
		want []string
	}{
		{`environment_id == "prod"`, prod, []string{`environment_id == "prod"`}},
		{`"prod" == environment_id`, prod, []string{`environment_id == "prod"`}},
		{`environment_id != "prod"`, prod, []string{`environment_id != "prod"`}},
		{`environment_id == "prod" && table_name.startsWith("billing_")`, prod, []string{`environment_id == "prod"`}},
		{`environment_id == "prod"`, staging, []string{}},
		{`environment_id == "staging" || environment_id == "prod"`, staging, []string{`environment_id == "staging"`}},
		{`environment_id in ["staging", "prod"]`, staging, []string{`environment_id in ["staging", "prod"]`}},
		{`environment_id in ["test"]`, staging, []string{}},
		{`!(environment_id in ["prod"])`, prod, []string{`environment_id in ["prod"]`}},
		// the production flag: any use mentions a production environment, never another
		{`production`, prod, []string{"production"}},
		{`!production && sql_type == "UPDATE"`, prod, []string{"production"}},
		{`production && sql_type in ["UPDATE", "DELETE"] && affected_rows > 10000`, prod, []string{"production"}},
		{`production`, staging, []string{}},
		{`production && environment_id == "prod" || production`, prod, []string{"production", `environment_id == "prod"`}},
		// the id elsewhere is not a comparison of environment_id with it
		{`project_id == "prod"`, prod, []string{}},
		{`database_name == "staging"`, staging, []string{}},
		{`statement_text.contains("prod")`, prod, []string{}},
		{`environment_id.startsWith("prod")`, EnvironmentRef{ID: "prod"}, []string{}},
		{`sql_type == "DROP_TABLE"`, prod, []string{}},
		{`  `, prod, []string{}},
		{``, staging, []string{}},
		// inside a macro
		{`["prod", "test"].exists(e, e == environment_id)`, prod, []string{}},
		{`[1].exists(x, environment_id == "staging")`, staging, []string{`environment_id == "staging"`}},
	} {
		got, err := e.Mentions(tc.cond, tc.env)
		if err != nil {
			t.Errorf("%q: %v", tc.cond, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q on %+v: got %q, want %q", tc.cond, tc.env, got, tc.want)
		}
	}
	if _, err := e.Mentions(`environment_id ==`, prod); err == nil || !strings.Contains(err.Error(), "environment_id ==") {
		t.Errorf("a condition that does not parse: got %v", err)
	}
}

// TestUnmentionedIDChangesNothing is the oracle of the comparisons: for a
// condition that neither compares environment_id with an id nor uses the
// production flag, evaluating it with environment_id set to that id or to
// an id nobody names gives the same result.
func TestUnmentionedIDChangesNothing(t *testing.T) {
	e := engine(t)
	conds := []string{
		`environment_id == "prod" && sql_type == "DROP_TABLE"`,
		`environment_id != "test"`,
		`environment_id in ["staging", "test"]`,
		`sql_type == "DROP_TABLE" || environment_id == "staging"`,
	}
	for _, r := range Presets() {
		conds = append(conds, r.Condition)
	}
	for _, cond := range conds {
		prg, err := e.Compile(cond)
		if err != nil {
			t.Fatalf("%q: %v", cond, err)
		}
		for _, id := range []string{"prod", "staging", "test"} {
			how, err := e.Mentions(cond, EnvironmentRef{ID: id})
			if err != nil {
				t.Fatal(err)
			}
			for _, sqlType := range []string{"DROP_TABLE", "UPDATE"} {
				in := Input{EnvironmentID: id, SQLType: sqlType, StatementText: "x"}
				other := in
				other.EnvironmentID = "nobody-names-this"
				a, errA := prg.Eval(&in)
				b, errB := prg.Eval(&other)
				if errA != nil || errB != nil {
					t.Fatalf("%q: %v %v", cond, errA, errB)
				}
				if len(how) == 0 && a != b {
					t.Errorf("%q does not mention %s, yet %s gives %v and another id %v", cond, id, id, a, b)
				}
			}
		}
	}
}

func TestRulesMentioning(t *testing.T) {
	e := engine(t)
	prod := EnvironmentRef{ID: "prod", Production: true}
	rules := append(Presets(), Rule{ID: "billing", Title: "Billing in staging", Source: SourceSchemaChange, Level: High,
		Condition: `environment_id == "staging" && table_name.startsWith("billing_")`, Enabled: true},
		Rule{ID: "broken", Title: "Broken", Condition: `environment_id ==`})
	var got []string
	for _, m := range e.RulesMentioning(rules, prod) {
		got = append(got, m.Rule.ID)
	}
	want := []string{"schema_change.update-delete-large-prod", "schema_change.ddl-dml-prod",
		"data_change.update-delete-large-prod", "data_change.ddl-dml-prod", "create_database.prod"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("preset rules mentioning prod: got %q, want %q", got, want)
	}
	st := e.RulesMentioning(rules, EnvironmentRef{ID: "staging"})
	if len(st) != 1 || st[0].Rule.ID != "billing" || !reflect.DeepEqual(st[0].How, []string{`environment_id == "staging"`}) {
		t.Errorf("rules mentioning staging: %+v", st)
	}
	if got := e.RulesMentioning(rules, EnvironmentRef{ID: "test"}); len(got) != 0 {
		t.Errorf("rules mentioning test: %+v", got)
	}

	approvals := append(PresetApprovalRules(), ApprovalRule{ID: "billing-prod", Condition: `environment_id == "prod" && table_name.startsWith("billing_")`, TemplateID: "project-owner-dba"},
		ApprovalRule{ID: "skip-test", Condition: `environment_id == "test"`, TemplateID: ""})
	am := e.ApprovalsMentioning(approvals, PresetTemplates(), prod)
	if len(am) != 2 || am[0].Rule.ID != "create-database-prod" || am[0].TemplateTitle != "DBA" ||
		am[1].Rule.ID != "billing-prod" || am[1].TemplateTitle != "Project Owner → DBA" || am[1].How[0] != `environment_id == "prod"` {
		t.Errorf("approval rules mentioning prod: %+v", am)
	}
	tm := e.ApprovalsMentioning(approvals, PresetTemplates(), EnvironmentRef{ID: "test"})
	if len(tm) != 1 || tm[0].Rule.ID != "skip-test" || tm[0].TemplateTitle != "" {
		t.Errorf("approval rules mentioning test: %+v", tm)
	}
}
