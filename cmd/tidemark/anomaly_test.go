package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

const anomalyKeys = "action,database,databaseId,environment,firstSeen,id,instance,instanceId,kind,lastSeen,projectId,resolvedAt,severity,status,subject,summary"

// TestAnomalyCLI walks the Anomaly Center headless: a check with no drift,
// an out-of-band column (check exits 1, list and show describe it), the
// column dropped again (the anomaly resolves and is listed only with --all).
func TestAnomalyCLI(t *testing.T) {
	dbURL := pgsrv.NewDB(t)
	pgtest.MustExec(t, dbURL, "CREATE TABLE t1 (id int PRIMARY KEY)")
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	s := issueCLI{t: t, ws: filepath.Join(t.TempDir(), "ws")}
	s.ok("instance", "add", "Local", "--url", pgsrv.AdminURL)
	s.ok("instance", "sync", "Local")
	s.ok("project", "create", "HR")
	s.ok("database", "assign", name, "--project", "HR", "--instance", "Local")

	if out := s.ok("anomaly", "check", "--instance", "Local", "--project", "HR"); !strings.Contains(out, "No anomalies.") {
		t.Fatalf("first check: %s", out)
	}
	pgtest.MustExec(t, dbURL, "ALTER TABLE t1 ADD COLUMN age integer")
	out, errs, code := s.run("anomaly", "check", "--instance", "Local", "--project", "HR", "--format", "json")
	if code != 1 {
		t.Fatalf("check with drift: exit %d\n%s\n%s", code, out, errs)
	}
	var list struct {
		Anomalies []map[string]any `json:"anomalies"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Anomalies) != 1 {
		t.Fatalf("check JSON: %v\n%s", err, out)
	}
	a := list.Anomalies[0]
	if got := keysOf(t, a); got != anomalyKeys {
		t.Fatalf("anomaly keys = %s, want %s", got, anomalyKeys)
	}
	if a["kind"] != "schema_drift" || a["status"] != "open" || a["database"] != name || a["instance"] != "Local" || a["environment"] != "test" ||
		!strings.HasPrefix(a["summary"].(string), "Schema drift: 1 object changed since the first sync on ") || a["resolvedAt"] != "" {
		t.Fatalf("anomaly: %v", a)
	}
	id := jsonNumber(a["id"])

	// list (text and JSON, filters) and show.
	if out := s.ok("anomaly", "list", "--kind", "schema_drift", "--environment", "test", "--project", "HR"); !strings.Contains(out, "schema_drift") ||
		!strings.Contains(out, name+" on Local") {
		t.Fatalf("list text: %s", out)
	}
	if out := s.ok("anomaly", "list", "--kind", "instance_connection", "--project", "HR", "--format", "json"); strings.TrimSpace(out) != "{\n  \"anomalies\": []\n}" {
		t.Fatalf("filtered list: %q", out)
	}
	var shown map[string]any
	if err := json.Unmarshal([]byte(s.ok("anomaly", "show", id, "--format", "json")), &shown); err != nil {
		t.Fatal(err)
	}
	if got := keysOf(t, shown); got != "action,database,databaseId,details,environment,firstSeen,id,instance,instanceId,kind,lastSeen,projectId,resolvedAt,severity,status,subject,summary" {
		t.Fatalf("show keys: %s", got)
	}
	det := shown["details"].(map[string]any)
	hasKeys(t, "details", det, "expected_source", "expected_snapshot_id", "expected_taken_at", "live_snapshot_id", "live_taken_at", "status",
		"privileges", "objects", "not_compared", "revert", "codify")
	objs := det["objects"].([]any)
	ch := objs[0].(map[string]any)["changes"].([]any)[0].(map[string]any)
	if len(objs) != 1 || ch["property"] != "column age" || ch["action"] != "added" || !strings.Contains(det["revert"].(string), "DROP COLUMN age") {
		t.Fatalf("details: %v", det)
	}
	text := s.ok("anomaly", "show", "#"+id)
	for _, want := range []string{"kind:        schema_drift", "altered table public.t1", "column age added: age integer", "-- Revert", "ALTER TABLE public.t1 ADD COLUMN age integer;"} {
		if !strings.Contains(text, want) {
			t.Errorf("show text lacks %q:\n%s", want, text)
		}
	}

	// Resolves itself once the column is gone.
	pgtest.MustExec(t, dbURL, "ALTER TABLE t1 DROP COLUMN age")
	if out := s.ok("anomaly", "check", "--instance", "Local", "--project", "HR"); !strings.Contains(out, "No anomalies.") {
		t.Fatalf("check after revert: %s", out)
	}
	if out := s.ok("anomaly", "list", "--project", "HR"); !strings.Contains(out, "No anomalies.") {
		t.Fatalf("open after revert: %s", out)
	}
	if err := json.Unmarshal([]byte(s.ok("anomaly", "list", "--all", "--project", "HR", "--format", "json")), &list); err != nil || len(list.Anomalies) != 1 ||
		list.Anomalies[0]["status"] != "resolved" || list.Anomalies[0]["resolvedAt"] == "" {
		t.Fatalf("archived: %v %v", list, err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"anomaly", "list", "--kind", "nope"}, "want one of schema_drift"},
		{[]string{"anomaly", "list", "--project", "nope"}, "--project"},
		{[]string{"anomaly", "list", "--environment", "nope"}, "--environment"},
		{[]string{"anomaly", "list", "--format", "xml"}, "--format"},
		{[]string{"anomaly", "show", "abc"}, "want a number"},
		{[]string{"anomaly", "show", "999"}, "no anomaly 999"},
		{[]string{"anomaly", "check", "--instance", "nope"}, "--instance"},
	} {
		out, errs, code := s.run(tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and %q", tc.args, code, errs, out, tc.want)
		}
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
