package review

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// pairSuite is testdata/pairs/pairs.yaml: the dangerous and the safe way of
// each rule family.
type pairSuite struct {
	Setup string `yaml:"setup"`
	Pairs []struct {
		Name      string   `yaml:"name"`
		Source    string   `yaml:"source"`
		Runner    string   `yaml:"runner"`
		Dangerous string   `yaml:"dangerous"`
		Safe      []string `yaml:"safe"`
	} `yaml:"pairs"`
}

func loadPairs(t testing.TB) pairSuite {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pairs", "pairs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var s pairSuite
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// pairCatalog is the suite's setup as a complete catalog of existing,
// busy tables (100,000 rows each).
func pairCatalog(t testing.TB, reg *Registry, setup string) *Catalog {
	t.Helper()
	base := NewCatalog()
	base.Known = true
	res, err := reg.Review(context.Background(), setup, Options{Catalog: base, Policy: &Policy{}})
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	for _, tb := range res.Catalog.Tables() {
		tb.created, tb.createdAt, tb.Rows = false, -1, 100000
		for _, col := range tb.Columns {
			col.addedAt = -1
		}
	}
	return res.Catalog
}

// blocking returns the warning and error advice of reviewing files in turn
// (each on the catalog the previous one leaves).
func blocking(t testing.TB, reg *Registry, cat *Catalog, pol *Policy, runner string, files ...string) []Advice {
	t.Helper()
	var out []Advice
	for _, f := range files {
		res, err := reg.Review(context.Background(), f, Options{Catalog: cat, Policy: pol, Runner: runner})
		if err != nil {
			t.Fatalf("review %q: %v", f, err)
		}
		for _, a := range res.Advice {
			if a.Level == Warning || a.Level == Error {
				out = append(out, a)
			}
		}
		cat = res.Catalog
	}
	return out
}

// pairCounts reviews the suite under pol: dangerous examples flagged and
// safe examples clean, with the failures.
func pairCounts(t testing.TB, reg *Registry, pol *Policy) (flagged, dangerous, clean, safe int, failures []string) {
	s := loadPairs(t)
	cat := pairCatalog(t, reg, s.Setup)
	for _, p := range s.Pairs {
		dangerous++
		if adv := blocking(t, reg, cat, pol, p.Runner, p.Dangerous); len(adv) > 0 {
			flagged++
		} else {
			failures = append(failures, fmt.Sprintf("%s (%s): dangerous way not flagged:\n  %s", p.Name, p.Source, p.Dangerous))
		}
		if len(p.Safe) == 0 {
			continue
		}
		safe++
		if adv := blocking(t, reg, cat, pol, p.Runner, p.Safe...); len(adv) == 0 {
			clean++
		} else {
			var msgs []string
			for _, a := range adv {
				msgs = append(msgs, fmt.Sprintf("%s %s: %s", a.Level, a.Rule, a.Message))
			}
			failures = append(failures, fmt.Sprintf("%s (%s): safe way flagged:\n  %s", p.Name, p.Source, strings.Join(msgs, "\n  ")))
		}
	}
	return
}

// TestPairs: under the default policy every dangerous example gets a
// warning or error and every safe one none; the test template flags the
// same examples with nothing above warning.
func TestPairs(t *testing.T) {
	reg := NewRegistry()
	pol, err := reg.Template(TemplateDefault)
	if err != nil {
		t.Fatal(err)
	}
	flagged, dangerous, clean, safe, failures := pairCounts(t, reg, pol)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("PAIRS default: %d/%d dangerous flagged, %d/%d safe clean", flagged, dangerous, clean, safe)
	if dangerous < 30 || safe < 30 {
		t.Errorf("the suite shrank: %d dangerous, %d safe examples", dangerous, safe)
	}
	test, _ := reg.Template(TemplateTest)
	if f2, _, c2, _, _ := pairCounts(t, reg, test); f2 != flagged || c2 != clean {
		t.Errorf("test template: %d flagged, %d clean; want the default's %d, %d", f2, c2, flagged, clean)
	}
}

// TestTutorial: the tutorial's two commits under the sample Prod policy
// (the first flagged, the fix clean) and the fix under the default policy.
func TestTutorial(t *testing.T) {
	reg := NewRegistry()
	first := `ALTER TABLE "public"."employee" ADD COLUMN "nick_name" text;`
	fix := `ALTER TABLE "public"."employee" ADD COLUMN "nick_name" text NOT NULL DEFAULT '';`
	prod := TutorialPolicy()
	if err := reg.Validate(prod); err != nil {
		t.Fatal(err)
	}
	def, _ := reg.Template(TemplateDefault)
	for _, version := range []int{0, 150004} {
		run := func(pol *Policy, sql string) []Advice {
			res, err := reg.Review(context.Background(), sql, Options{Policy: pol, ServerVersion: version})
			if err != nil {
				t.Fatal(err)
			}
			return res.Advice
		}
		adv := run(prod, first)
		rules := map[string]bool{}
		for _, a := range adv {
			rules[a.Rule] = true
		}
		if !rules["column.no-null"] || !rules["column.require-default"] {
			t.Errorf("version %d: the tutorial's first commit under Prod: %+v, want column.no-null and column.require-default", version, adv)
		}
		if adv := run(prod, fix); len(adv) != 0 {
			t.Errorf("version %d: the tutorial's fix under Prod: %+v, want none", version, adv)
		}
		if adv := run(def, fix); len(adv) != 0 {
			t.Errorf("version %d: the tutorial's fix under default: %+v, want none", version, adv)
		}
	}
	// The new user's first table: nothing under default, the convention
	// rules under conventions.
	if adv := blockingAll(t, reg, def, "CREATE TABLE t (a int);"); len(adv) != 0 {
		t.Errorf("CREATE TABLE t (a int) under default: %+v", adv)
	}
	conv, _ := reg.Template(TemplateConventions)
	if adv := blockingAll(t, reg, conv, "CREATE TABLE t (a int);"); len(adv) == 0 {
		t.Error("CREATE TABLE t (a int) under conventions: no advice")
	}
}

func blockingAll(t *testing.T, reg *Registry, pol *Policy, sql string) []Advice {
	t.Helper()
	res, err := reg.Review(context.Background(), sql, Options{Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	return res.Advice
}
