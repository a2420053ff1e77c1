package review

import "testing"

// TestTemplateTable: every rule is classified (no unknown ids), the safety
// rules and the conventions are disjoint, test lowers errors to warnings,
// conventions keeps the default's levels and adds its own rules.
func TestTemplateTable(t *testing.T) {
	reg := NewRegistry()
	table := templateTable()
	for id := range table {
		if _, ok := reg.Rule(id); !ok {
			t.Errorf("template table names unknown rule %s", id)
		}
	}
	get := func(name string) *Policy {
		p, err := reg.Template(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Validate(p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return p
	}
	def, test, conv, adv := get(TemplateDefault), get(TemplateTest), get(TemplateConventions), get(TemplateAdvanced)
	on := 0
	for _, info := range reg.Rules() {
		m, ok := table[info.ID]
		if !ok {
			t.Errorf("rule %s is in no template row: classify it in templateTable", info.ID)
			continue
		}
		if m.Why == "" || m.SafeForm == "" {
			t.Errorf("rule %s: template row lacks why or safe form", info.ID)
		}
		if m.Default != Off && m.Convention {
			t.Errorf("rule %s is both a safety rule and a convention", info.ID)
		}
		d, _ := def.Rule(info.ID)
		ts, _ := test.Rule(info.ID)
		cv, _ := conv.Rule(info.ID)
		a, _ := adv.Rule(info.ID)
		if d.Level != Off {
			on++
		}
		if ts.Level == Error || (d.Level == Off) != (ts.Level == Off) {
			t.Errorf("rule %s: default %s, test %s", info.ID, d.Level, ts.Level)
		}
		if d.Level != Off && cv.Level != d.Level {
			t.Errorf("rule %s: default %s, conventions %s", info.ID, d.Level, cv.Level)
		}
		if m.Convention && cv.Level == Off {
			t.Errorf("convention %s is off in conventions", info.ID)
		}
		if a.Level != info.Level {
			t.Errorf("rule %s: advanced %s, rule level %s", info.ID, a.Level, info.Level)
		}
	}
	if on < 25 || on >= len(reg.Rules())/2 {
		t.Errorf("default enables %d of %d rules", on, len(reg.Rules()))
	}
	if p, err := reg.LoadPolicy(""); err != nil || p.Name != TemplateDefault {
		t.Errorf("LoadPolicy(\"\") = %v, %v; want the default template", p, err)
	}
}

func TestParseServerVersion(t *testing.T) {
	for in, want := range map[string]int{"15": 150000, "15.4": 150004, "150004": 150004, "9.6": 90600, "9.6.24": 90624, "17": 170000, " 11 ": 110000} {
		if got, err := ParseServerVersion(in); err != nil || got != want {
			t.Errorf("ParseServerVersion(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "15.4.1", "9", "8.4", "-1", "15.x"} {
		if _, err := ParseServerVersion(in); err == nil {
			t.Errorf("ParseServerVersion(%q) accepted", in)
		}
	}
}
