package review

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTemplates(t *testing.T) {
	reg := NewRegistry()
	adv, err := reg.Template(TemplateAdvanced)
	if err != nil {
		t.Fatal(err)
	}
	basic, err := reg.Template(TemplateBasic)
	if err != nil {
		t.Fatal(err)
	}
	if len(adv.Rules) != len(reg.Rules()) || len(basic.Rules) != len(reg.Rules()) {
		t.Fatal("templates must list every rule")
	}
	on := func(p *Policy) int {
		n := 0
		for _, r := range p.Rules {
			if r.Level != Off {
				n++
			}
		}
		return n
	}
	optIn := 0
	for _, r := range reg.Rules() {
		if r.Level == Off {
			optIn++
		}
	}
	if on(adv) != len(adv.Rules)-optIn || optIn == 0 || on(basic) == 0 || on(basic) >= on(adv) {
		t.Errorf("advanced enables %d, basic %d of %d", on(adv), on(basic), len(adv.Rules))
	}
	for _, p := range []*Policy{adv, basic} {
		if err := reg.Validate(p); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	if _, err := reg.Template("strict"); err == nil || !strings.Contains(err.Error(), "default, test, conventions, advanced, basic") {
		t.Errorf("unknown template error: %v", err)
	}
}

func TestPolicyRoundTrip(t *testing.T) {
	reg := NewRegistry()
	p, _ := reg.Template(TemplateBasic)
	p.Name = "prod"
	p.Set("naming.table", Error, &Payload{Format: "^[a-z_]+$", MaxLength: 40})
	p.Set("column.required", Warning, &Payload{List: []string{"id", "created_at"}})
	p.Set("table.comment", Warning, &Payload{Required: true, MaxLength: 100})
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := SavePolicy(path, p); err != nil {
		t.Fatal(err)
	}
	q, err := reg.LoadPolicy(path)
	if err != nil {
		t.Fatal(err)
	}
	if q.Name != "prod" || len(q.Rules) != len(p.Rules) {
		t.Fatalf("round trip lost data: %+v", q)
	}
	for _, rc := range p.Rules {
		got, ok := q.Rule(rc.ID)
		if !ok || !reflect.DeepEqual(got, rc) {
			t.Errorf("%s: %+v after round trip, was %+v", rc.ID, got, rc)
		}
	}
	a, _ := MarshalPolicy(p)
	b, _ := MarshalPolicy(q)
	if string(a) != string(b) {
		t.Error("YAML differs after a round trip")
	}
}

func TestPolicyValidation(t *testing.T) {
	reg := NewRegistry()
	cases := []struct{ yaml, want string }{
		{"rules:\n- id: table.require-pkey\n  level: error\n", `unknown rule "table.require-pkey" (did you mean "table.require-pk"?)`},
		{"rules:\n- id: table.require-pk\n  level: fatal\n", `level "fatal" is not one of error, warning, info, off`},
		{"rules:\n- id: naming.table\n  level: error\n  payload:\n    format: '^[a-z'\n", "not a valid regular expression"},
		{"rules:\n- id: naming.index.idx\n  level: error\n  payload:\n    format: '^idx_{{tabel}}$'\n", "unknown placeholder {{tabel}}"},
		{"rules:\n- id: table.require-pk\n  level: error\n  payload:\n    number: 3\n", `payload field "number" does not apply to a none payload`},
		{"rules:\n- id: index.key-number-limit\n  level: error\n  payload:\n    number: 0\n", "needs a positive number"},
		{"rules:\n- id: table.require-pk\n  levle: error\n", "field levle not found"},
		{"rules:\n- id: table.require-pk\n  level: error\n- id: table.require-pk\n  level: off\n", "listed twice"},
	}
	for _, tc := range cases {
		_, err := reg.ParsePolicy([]byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want it to contain %q", tc.yaml, err, tc.want)
		}
	}
	if _, err := reg.LoadPolicy(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "or use a template") {
		t.Errorf("missing file error: %v", err)
	}
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("rules:\n- id: nope\n  level: error\n"), 0o644)
	if _, err := reg.LoadPolicy(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error should name the file: %v", err)
	}
}
