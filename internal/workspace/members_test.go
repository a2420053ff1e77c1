package workspace

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/risk"
)

func TestMembers(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	if ms, err := s.ListMembers(ctx); err != nil || len(ms) != 0 {
		t.Fatalf("no members: %v %v", ms, err)
	}
	// The first user becomes a member, the Workspace Admin, holding every
	// role while alone.
	ann, err := s.EnsureMember(ctx, "Ann", "Ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if ann.ID != "ann@example.com" || !ann.Sole || !reflect.DeepEqual(ann.Roles, []MemberRole{{Role: risk.RoleWorkspaceAdmin}}) {
		t.Fatalf("first member %+v", ann)
	}
	for _, r := range risk.Roles {
		if !ann.Holds(r, "shop") {
			t.Errorf("the sole member does not hold %s", r)
		}
	}
	if _, err := s.EnsureMember(ctx, "Bob", ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a stranger is not made a member once there are members: %v", err)
	}
	p, err := s.CreateProject(ctx, "Shop")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.AddMember(ctx, "Bob", "bob@example.com", []MemberRole{{Role: "DBA"}, {Role: "Project Owner", ProjectID: p.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if bob.Sole || !bob.Holds(risk.RoleDBA, "") || !bob.Holds(risk.RoleProjectOwner, p.ID) || bob.Holds(risk.RoleProjectOwner, "other") || bob.Holds(risk.RoleReleaser, p.ID) {
		t.Errorf("bob %+v", bob)
	}
	ann, _ = s.GetMember(ctx, "ann")
	if ann.Sole || ann.Holds(risk.RoleDBA, "") || !ann.Holds(risk.RoleWorkspaceAdmin, "") {
		t.Errorf("with two members ann holds only her roles: %+v", ann)
	}
	// Bad input.
	for _, tc := range []struct {
		name string
		err  error
		do   func() error
	}{
		{"duplicate", ErrDuplicate, func() error { _, err := s.AddMember(ctx, "Bob", "BOB@example.com", nil); return err }},
		{"no name", ErrInvalid, func() error { _, err := s.AddMember(ctx, " ", "", nil); return err }},
		{"bad email", ErrInvalid, func() error { _, err := s.AddMember(ctx, "C", "c", nil); return err }},
		{"unknown role", ErrInvalid, func() error { _, err := s.GrantRole(ctx, "bob", MemberRole{Role: "cto"}); return err }},
		{"workspace role per project", ErrInvalid, func() error {
			_, err := s.GrantRole(ctx, "bob", MemberRole{Role: risk.RoleDBA, ProjectID: p.ID})
			return err
		}},
		{"unknown project", ErrNotFound, func() error {
			_, err := s.GrantRole(ctx, "bob", MemberRole{Role: risk.RoleReleaser, ProjectID: "nope"})
			return err
		}},
		{"unknown member", ErrNotFound, func() error { return s.RemoveMember(ctx, "zed") }},
		{"revoke what is not held", ErrNotFound, func() error { _, err := s.RevokeRole(ctx, "ann", MemberRole{Role: risk.RoleDBA}); return err }},
	} {
		if err := tc.do(); !errors.Is(err, tc.err) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.err)
		}
	}
	// Bob is the only DBA and the only Project Owner, which the preset flows
	// need: removing him or revoking DBA is refused with the flows named.
	err = s.RemoveMember(ctx, "bob@example.com")
	if !errors.Is(err, ErrLastHolder) || !strings.Contains(err.Error(), `"Project Owner → DBA" needs a`) || !strings.Contains(err.Error(), `"DBA" needs a DBA`) {
		t.Fatalf("remove the last DBA: %v", err)
	}
	if _, err := s.RevokeRole(ctx, "bob", MemberRole{Role: risk.RoleDBA}); !errors.Is(err, ErrLastHolder) {
		t.Fatalf("revoke the last DBA: %v", err)
	}
	if _, err := s.GrantRole(ctx, "ann", MemberRole{Role: risk.RoleDBA}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeRole(ctx, "bob", MemberRole{Role: risk.RoleDBA}); err != nil {
		t.Fatalf("revoke once another DBA exists: %v", err)
	}
	if err := s.RemoveMember(ctx, "bob"); !errors.Is(err, ErrLastHolder) || !strings.Contains(err.Error(), "Project Owner") {
		t.Fatalf("bob is still the only project owner: %v", err)
	}
	if _, err := s.GrantRole(ctx, "ann", MemberRole{Role: risk.RoleProjectOwner}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveMember(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if ms, _ := s.ListMembers(ctx); len(ms) != 1 || !ms[0].Sole {
		t.Errorf("ann alone again holds every role: %+v", ms)
	}
}

func TestPoliciesStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, OpenOptions{})
	rules, err := s.ListRiskRules(ctx)
	if err != nil || !reflect.DeepEqual(rules, risk.Presets()) {
		t.Fatalf("presets seeded: %v %v", len(rules), err)
	}
	if tpls, _ := s.ListApprovalTemplates(ctx); !reflect.DeepEqual(tpls, risk.PresetTemplates()) {
		t.Errorf("templates %+v", tpls)
	}
	ars, _ := s.ListApprovalRules(ctx)
	if !reflect.DeepEqual(ars, risk.PresetApprovalRules()) {
		t.Errorf("approval rules %+v", ars)
	}
	// A condition that does not compile is refused with its position.
	_, err = s.SaveRiskRule(ctx, risk.Rule{Title: "Billing", Source: risk.SourceSchemaChange, Level: risk.High, Condition: `table_name.startsWith("billing_") && tabel_rows > 1`, Enabled: true})
	var ce *risk.CompileError
	if !errors.As(err, &ce) || !errors.Is(err, ErrInvalid) || ce.Line != 1 || ce.Column != 38 {
		t.Fatalf("compile error: %v (%+v)", err, ce)
	}
	r, err := s.SaveRiskRule(ctx, risk.Rule{Title: "Billing", Source: risk.SourceSchemaChange, Level: risk.High, Condition: `table_name.startsWith("billing_")`, Enabled: true})
	if err != nil || r.ID != "schema-change-billing" {
		t.Fatalf("save: %+v %v", r, err)
	}
	r.Enabled = false
	if _, err := s.SaveRiskRule(ctx, r); err != nil {
		t.Fatal(err)
	}
	rules, _ = s.ListRiskRules(ctx)
	if last := rules[len(rules)-1]; len(rules) != len(risk.Presets())+1 || last.ID != r.ID || last.Enabled {
		t.Errorf("after save and update: %+v", last)
	}
	// Deleted presets stay deleted (seeding happens once).
	if err := s.DeleteRiskRule(ctx, "schema_change.drop-table"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir, OpenOptions{})
	rules, _ = s.ListRiskRules(ctx)
	for _, x := range rules {
		if x.ID == "schema_change.drop-table" {
			t.Error("a deleted preset came back")
		}
	}
	// Approval rule naming a missing template, or a template with an
	// unknown role, is refused and changes nothing.
	tpls, _ := s.ListApprovalTemplates(ctx)
	if err := s.ReplaceApprovals(ctx, tpls, append(ars, risk.ApprovalRule{ID: "x", TemplateID: "nope"})); !errors.Is(err, ErrInvalid) {
		t.Errorf("missing template: %v", err)
	}
	if err := s.ReplaceApprovals(ctx, append(tpls, risk.Template{ID: "x", Title: "X", Steps: []risk.Step{{Role: "cto"}}}), ars); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown role: %v", err)
	}
	if got, _ := s.ListApprovalRules(ctx); !reflect.DeepEqual(got, ars) {
		t.Error("a refused save changed the rules")
	}

	// Export, change, import the export back: the round trip restores it.
	envs, _ := s.ListEnvironments(ctx)
	if _, err := s.SetRolloutPolicy(ctx, RolloutPolicy{EnvironmentID: envs[len(envs)-1].ID, Mode: RolloutManual, Roles: []string{"Releaser"},
		Window: &Window{Days: []string{"mon", "tue"}, Start: "09:00", End: "17:00", Timezone: "Europe/Berlin"}}); err != nil {
		t.Fatal(err)
	}
	exp, err := s.ExportPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceRiskRules(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRolloutPolicy(ctx, RolloutPolicy{EnvironmentID: envs[len(envs)-1].ID, Mode: RolloutAutomatic, Roles: []string{"dba"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.ImportPolicies(ctx, exp); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.ExportPolicies(ctx); !reflect.DeepEqual(again, exp) {
		t.Errorf("round trip:\n got %+v\nwant %+v", again, exp)
	}
	bad := exp
	bad.RiskRules = append(append([]risk.Rule(nil), exp.RiskRules...), risk.Rule{ID: "b", Title: "B", Source: "schema_change", Level: "high", Condition: "1 +", Enabled: true})
	bad.ApprovalRules = nil
	if err := s.ImportPolicies(ctx, bad); !errors.As(err, &ce) {
		t.Errorf("bad import: %v", err)
	}
	if again, _ := s.ExportPolicies(ctx); !reflect.DeepEqual(again, exp) {
		t.Error("a refused import changed something")
	}
	// Distinct approvers per project.
	p, _ := s.CreateProject(ctx, "Shop")
	if on, err := s.DistinctApprovers(ctx, p.ID); err != nil || on {
		t.Errorf("default off: %v %v", on, err)
	}
	if err := s.SetDistinctApprovers(ctx, p.ID, true); err != nil {
		t.Fatal(err)
	}
	if on, _ := s.DistinctApprovers(ctx, p.ID); !on {
		t.Error("distinct approvers not kept")
	}
}

func TestWindow(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04 MST", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	office := Window{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Start: "09:00", End: "17:00"}
	night := Window{Days: []string{"sat"}, Start: "22:00", End: "02:00"}
	berlin := Window{Days: []string{"mon"}, Start: "09:00", End: "10:00", Timezone: "Europe/Berlin"}
	for _, tc := range []struct {
		w    Window
		t    string
		want bool
	}{
		{office, "2026-12-07 09:00 UTC", true}, // Monday
		{office, "2026-12-07 16:59 UTC", true},
		{office, "2026-12-07 17:00 UTC", false},
		{office, "2026-12-07 08:59 UTC", false},
		{office, "2026-12-05 12:00 UTC", false}, // Saturday
		{night, "2026-12-05 23:00 UTC", true},   // Saturday night
		{night, "2026-12-06 01:30 UTC", true},   // Sunday 01:30, the Saturday window
		{night, "2026-12-06 02:00 UTC", false},
		{night, "2026-12-06 23:00 UTC", false}, // Sunday night
		{berlin, "2026-12-07 08:30 UTC", true}, // 09:30 in Berlin
		{berlin, "2026-12-07 09:30 UTC", false},
	} {
		if got := tc.w.Contains(at(tc.t)); got != tc.want {
			t.Errorf("%s at %s: %v, want %v", tc.w, tc.t, got, tc.want)
		}
	}
	for _, w := range []Window{{}, {Days: []string{"moon"}, Start: "09:00", End: "10:00"}, {Days: []string{"mon"}, Start: "9", End: "10:00"},
		{Days: []string{"mon"}, Start: "10:00", End: "10:00"}, {Days: []string{"mon"}, Start: "09:00", End: "10:00", Timezone: "Mars/Base"}} {
		if err := w.Check(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", w, err)
		}
	}
}
