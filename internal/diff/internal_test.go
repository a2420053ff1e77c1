package diff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestCommentTarget(t *testing.T) {
	for in, want := range map[string]string{
		"COMMENT ON TABLE public.t IS 'x'":                   "TABLE public.t",
		`COMMENT ON COLUMN public."a IS 'b".c IS E'q\\'`:     `COLUMN public."a IS 'b".c`,
		"COMMENT ON CONSTRAINT c ON DOMAIN public.d IS NULL": "CONSTRAINT c ON DOMAIN public.d",
	} {
		got, ok := commentTarget(in)
		if !ok || got != want {
			t.Errorf("commentTarget(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := commentTarget("ALTER TABLE t OWNER TO x"); ok {
		t.Error("not a comment")
	}
}

func TestIsDecoration(t *testing.T) {
	for in, want := range map[string]bool{
		"COMMENT ON TABLE t IS 'x'":                                        true,
		"ALTER TABLE public.t OWNER TO app":                                true,
		`ALTER FUNCTION public.f(integer) OWNER TO "App Role"`:             true,
		"ALTER TABLE public.t ADD CONSTRAINT c CHECK (x <> ' OWNER TO a')": false,
		"ALTER TABLE ONLY public.t ALTER COLUMN a SET DEFAULT 1":           false,
		"CREATE TABLE t (\n    a int\n)":                                   false,
	} {
		if got := isDecoration(in); got != want {
			t.Errorf("isDecoration(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestUndoACL(t *testing.T) {
	revokes, grants := undoACL([]string{
		"REVOKE ALL ON FUNCTION public.f() FROM PUBLIC",
		"REVOKE ALL ON FUNCTION public.f() FROM owner",
		"GRANT EXECUTE ON FUNCTION public.f() TO owner",
		"GRANT EXECUTE ON FUNCTION public.f() TO app WITH GRANT OPTION",
	}, "newowner")
	wantR := []string{"REVOKE EXECUTE ON FUNCTION public.f() FROM owner CASCADE", "REVOKE EXECUTE ON FUNCTION public.f() FROM app CASCADE"}
	wantG := []string{"GRANT EXECUTE ON FUNCTION public.f() TO PUBLIC", "GRANT ALL ON FUNCTION public.f() TO newowner"}
	if !reflect.DeepEqual(revokes, wantR) || !reflect.DeepEqual(grants, wantG) {
		t.Errorf("undoACL:\n%q\n%q", revokes, grants)
	}
	r, g := undoACL([]string{"ALTER DEFAULT PRIVILEGES FOR ROLE r REVOKE ALL ON TABLES FROM r",
		"ALTER DEFAULT PRIVILEGES FOR ROLE r GRANT SELECT ON TABLES TO app"}, "")
	if strings.Join(r, ";") != "ALTER DEFAULT PRIVILEGES FOR ROLE r REVOKE SELECT ON TABLES FROM app CASCADE" ||
		strings.Join(g, ";") != "ALTER DEFAULT PRIVILEGES FOR ROLE r GRANT ALL ON TABLES TO r" {
		t.Errorf("default privileges: %q %q", r, g)
	}
}

func TestSortActions(t *testing.T) {
	mk := func(k actKind, key string, order int) *action { return &action{kind: k, key: key, order: order} }
	dropView := mk(actDrop, "view:v", 5)
	dropIdx := mk(actDrop, "index:i", 3)
	alterT := mk(actAlter, "table:t", 2)
	createType := mk(actCreate, "type:e", 1)
	createView := mk(actCreate, "view:v", 6)
	lateDrop := mk(actLateDrop, "type:old", 0)
	alterT.after = []*action{createType, dropView}
	createView.after = []*action{alterT}
	lateDrop.after = []*action{alterT}
	got, cycle := sortActions([]*action{createView, lateDrop, alterT, dropIdx, createType, dropView})
	var keys []string
	for _, a := range got {
		keys = append(keys, a.key)
	}
	want := "view:v index:i type:e table:t view:v type:old"
	if strings.Join(keys, " ") != want || len(cycle) != 0 {
		t.Errorf("order %q (cycle %v), want %q", strings.Join(keys, " "), cycle, want)
	}
	// A cycle is broken, reported, and every action still comes out once.
	a, b := mk(actCreate, "a", 1), mk(actCreate, "b", 2)
	a.after, b.after = []*action{b}, []*action{a}
	got, cycle = sortActions([]*action{a, b})
	if len(got) != 2 || len(cycle) == 0 {
		t.Errorf("cycle: %d actions, cycle %v", len(got), cycle)
	}
}

func TestIsSubsequence(t *testing.T) {
	for _, tc := range []struct {
		a, b []string
		want bool
	}{
		{[]string{"a", "c"}, []string{"a", "b", "c"}, true},
		{[]string{"c", "a"}, []string{"a", "b", "c"}, false},
		{[]string{"a", "x"}, []string{"a", "b"}, false},
		{nil, []string{"a"}, true},
	} {
		if got := isSubsequence(tc.a, tc.b); got != tc.want {
			t.Errorf("isSubsequence(%v, %v) = %v", tc.a, tc.b, got)
		}
	}
}

func TestBaseType(t *testing.T) {
	for in, want := range map[string]string{
		"character varying(20)":   "character varying",
		"character varying(20)[]": "character varying[]",
		"numeric(10,2)":           "numeric",
		"public.mood[]":           "public.mood[]",
	} {
		if got := baseType(in); got != want {
			t.Errorf("baseType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlanJSONRoundTrip(t *testing.T) {
	p := Plan{Statements: []Statement{{SQL: "CREATE INDEX CONCURRENTLY i ON t (x)", Transactional: false,
		Hazards:     []Hazard{{HazardBuildsIndex, "builds"}, {HazardNonTransactional, "outside"}},
		LockTimeout: 3e9, StatementTimeout: 6e10, Object: "index:public.i"}}, Validated: true, Online: true, ColumnOrder: []string{"public.t"}}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Plan
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("round trip:\n%+v\n%+v\n%s", p, q, b)
	}
	if !strings.Contains(string(b), `"lock_timeout_ms":3000`) || !strings.Contains(string(b), `"type":"builds_index"`) {
		t.Fatalf("JSON shape: %s", b)
	}
	empty, _ := json.Marshal(Statement{SQL: "x", Transactional: true})
	if !strings.Contains(string(empty), `"hazards":[]`) {
		t.Fatalf("hazards must be a list: %s", empty)
	}
}

func TestArgTypes(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"x integer":                      "integer",
		"integer":                        "integer",
		"a integer, b text":              "integer, text",
		"VARIADIC ys text[]":             "VARIADIC text[]",
		"n numeric(10,2), t public.mood": "numeric(10,2), public.mood",
		"character varying":              "character varying",
		"c character varying":            "character varying",
		"ts timestamp with time zone":    "timestamp with time zone",
		"double precision":               "double precision",
		"OUT r integer":                  "OUT integer",
		"IN x integer, OUT y text":       "integer, OUT text",
		`"my x" integer, "a, b" text`:    "integer, text",
		"double integer":                 "integer",
		"double precision[]":             "double precision[]",
		"at time with time zone":         "time with time zone",
		"v bit varying, character":       "bit varying, character",
		`x public."my type"`:             `public."my type"`,
		`public."my type"`:               `public."my type"`,
	} {
		if got := argTypes(in); got != want {
			t.Errorf("argTypes(%q) = %q, want %q", in, got, want)
		}
	}
}
