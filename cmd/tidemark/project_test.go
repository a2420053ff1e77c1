package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestProjectAndAssign: projects are created and listed; database assign
// takes INSTANCE/DATABASE, ids and bare names (--instance disambiguates)
// and overrides the environment; database list --project filters.
func TestProjectAndAssign(t *testing.T) {
	dbURL := pgsrv.NewDB(t)
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	s := issueCLI{t: t, ws: filepath.Join(t.TempDir(), "ws")}

	if out := s.ok("project", "list", "--format", "json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("empty project list = %q", out)
	}
	if out := s.ok("project", "list"); !strings.Contains(out, "tidemark project create") {
		t.Fatalf("empty project list text = %q", out)
	}
	s.ok("project", "create", "billing")
	s.ok("project", "create", "shop")
	var ps []projectJSON
	if err := json.Unmarshal([]byte(s.ok("project", "list", "--format", "json")), &ps); err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Name != "billing" || ps[1].Name != "shop" || !ps[1].AllowSelfApproval || ps[1].CreatedAt == "" {
		t.Fatalf("projects = %+v", ps)
	}

	// The same server twice: every database name is on two instances.
	s.ok("instance", "add", "A", "--url", pgsrv.AdminURL)
	s.ok("instance", "add", "B", "--url", pgsrv.AdminURL)
	s.ok("instance", "sync", "A")
	s.ok("instance", "sync", "B")
	if _, errs, code := s.run("database", "assign", name, "--project", "shop"); code != 2 || !strings.Contains(errs, "several instances") {
		t.Fatalf("ambiguous bare name: exit %d\n%s", code, errs)
	}
	if _, errs, code := s.run("database", "assign", "A/"+name, "--project", "shop", "--instance", "B"); code != 2 {
		t.Fatalf("INSTANCE/DATABASE on another --instance: exit %d\n%s", code, errs)
	}
	out := s.ok("database", "assign", name, "--instance", "B", "--project", "shop", "--environment", "Prod")
	if !strings.Contains(out, "assigned B/"+name+" to project shop (environment prod)") {
		t.Fatalf("assign: %s", out)
	}
	var d databaseJSON
	if err := json.Unmarshal([]byte(s.ok("database", "assign", "A/"+name, "--project", "billing", "--format", "json")), &d); err != nil {
		t.Fatal(err)
	}
	if d.Instance != "A" || d.ProjectID != ps[0].ID || d.Environment != "test" {
		t.Fatalf("assign A = %+v", d)
	}
	// By id: move it to shop.
	s.ok("database", "assign", d.ID, "--project", ps[1].ID)
	var ds []databaseJSON
	if err := json.Unmarshal([]byte(s.ok("database", "list", "--project", "shop", "--format", "json")), &ds); err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Name != name || ds[1].Name != name {
		t.Fatalf("shop's databases = %+v", ds)
	}
	if out := s.ok("database", "list", "--project", "billing"); !strings.Contains(out, "no databases") {
		t.Fatalf("billing's databases: %s", out)
	}
	var pj []projectJSON
	if err := json.Unmarshal([]byte(s.ok("project", "list", "--format", "json")), &pj); err != nil || pj[1].DatabaseCount != 2 {
		t.Fatalf("project counts = %+v (%v)", pj, err)
	}
}
