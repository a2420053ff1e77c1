package risk

import "testing"

// TestApprovalMatrix matches the preset approval rules plus a special case
// ahead of them (first match wins).
func TestApprovalMatrix(t *testing.T) {
	e := engine(t)
	rules := append([]ApprovalRule{{ID: "billing", Condition: `environment_id == "prod" && table_name.startsWith("billing_")`, TemplateID: "project-owner-dba"}},
		PresetApprovalRules()...)
	as, bad := e.PrepareApprovals(rules)
	if len(bad) != 0 {
		t.Fatal(bad)
	}
	prod := Target{EnvironmentID: "prod", Production: true}
	test := Target{EnvironmentID: "test"}
	for _, tc := range []struct {
		name  string
		src   Source
		level Level
		in    []Input
		want  string // rule id, "" when none
	}{
		{"high schema change", SourceSchemaChange, High, Inputs(test, "DROP TABLE t;", Facts{}), "schema_change.high"},
		{"moderate data change", SourceDataChange, Moderate, Inputs(prod, "DELETE FROM t WHERE id = 1;", Facts{}), "data_change.moderate"},
		{"low is skipped", SourceSchemaChange, Low, Inputs(test, "CREATE TABLE t ();", Facts{}), "schema_change.low"},
		{"special case first", SourceSchemaChange, Moderate, Inputs(prod, "ALTER TABLE billing_items ADD COLUMN x int;", Facts{}), "billing"},
		{"special case needs its table", SourceSchemaChange, Moderate, Inputs(prod, "ALTER TABLE items ADD COLUMN x int;", Facts{}), "schema_change.moderate"},
		{"create database in prod", SourceCreateDatabase, Moderate, []Input{CreateDatabaseInput(prod)}, "create-database-prod"},
		{"create database in test", SourceCreateDatabase, Low, []Input{CreateDatabaseInput(test)}, "create_database.low"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := as.Match(tc.src, tc.level, tc.in)
			got := ""
			if d.Rule != nil {
				got = d.Rule.ID
			}
			if got != tc.want {
				t.Errorf("matched %q, want %q", got, tc.want)
			}
		})
	}
	// The preset low rules have no template: approval skipped.
	if d := as.Match(SourceSchemaChange, Low, nil); d.Rule == nil || d.Rule.TemplateID != "" {
		t.Errorf("low: %+v", d.Rule)
	}
	// No rule at all: nothing matches.
	empty, _ := e.PrepareApprovals(nil)
	if d := empty.Match(SourceSchemaChange, High, nil); d.Rule != nil {
		t.Errorf("no rules matched %+v", d.Rule)
	}
	// A condition failing at run time is not a match, and is reported.
	fail, _ := e.PrepareApprovals([]ApprovalRule{{ID: "div", Condition: `1 / affected_rows == 1`, TemplateID: "dba"}})
	if d := fail.Match(SourceSchemaChange, High, []Input{{}}); d.Rule != nil || len(d.Errors) != 1 {
		t.Errorf("runtime error: %+v", d)
	}
}

func TestTemplates(t *testing.T) {
	for _, tpl := range PresetTemplates() {
		if err := CheckTemplate(tpl); err != nil {
			t.Error(err)
		}
	}
	if err := CheckTemplate(Template{ID: "x", Title: "X", Steps: []Step{{Role: "cto"}}}); err == nil {
		t.Error("unknown role accepted")
	}
	for in, want := range map[string]string{"Project Owner": RoleProjectOwner, "dba": RoleDBA, "workspace-admin": RoleWorkspaceAdmin} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q %v", in, got, err)
		}
	}
}
