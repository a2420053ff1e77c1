package diff_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
)

// acceptanceCase is one case of testdata/acceptance/*.yaml.
type acceptanceCase struct {
	Name          string   `yaml:"name"`
	Old           string   `yaml:"old"`
	New           string   `yaml:"new"`
	Hazards       []string `yaml:"hazards"`
	OnlineHazards []string `yaml:"online_hazards"`
	Empty         bool     `yaml:"empty"`
	// Contains lists fragments the offline plan's SQL must contain.
	Contains []string `yaml:"contains"`
}

func hazardSet(p diff.Plan) []string {
	var out []string
	for _, h := range p.Hazards() {
		out = append(out, string(h))
	}
	sort.Strings(out)
	return out
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// TestAcceptance runs the cases-as-data: for each case and mode, the plan
// has exactly the expected hazard types, applying it to old reproduces new
// (column order aside), and the second diff is empty.
func TestAcceptance(t *testing.T) {
	files, err := filepath.Glob("testdata/acceptance/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no acceptance files: %v", err)
	}
	createTestRole(t)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []acceptanceCase
		if err := yaml.Unmarshal(b, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		family := strings.TrimSuffix(filepath.Base(f), ".yaml")
		for _, c := range cases {
			c := c
			t.Run(family+"/"+c.Name, func(t *testing.T) {
				for _, online := range []bool{false, true} {
					runAcceptance(t, c, online)
				}
			})
		}
	}
}

func runAcceptance(t *testing.T, c acceptanceCase, online bool) {
	t.Helper()
	a, b := pg.NewDB(t), pg.NewDB(t)
	psqlExec(t, a, c.Old)
	psqlExec(t, b, c.New)
	ra, rb := inspect(t, a, catalog.Options{}), inspect(t, b, catalog.Options{})
	plan, err := diff.Diff(&ra.Schema, &rb.Schema, diff.Options{Online: online})
	if err != nil {
		t.Fatalf("online=%v: %v", online, err)
	}
	if testing.Verbose() {
		t.Logf("online=%v plan:\n%s", online, plan.SQL())
	}
	if len(plan.Warnings) > 0 {
		t.Errorf("online=%v: warnings: %v", online, plan.Warnings)
	}
	if c.Empty != plan.Empty() {
		t.Fatalf("online=%v: empty=%v, want %v:\n%s", online, plan.Empty(), c.Empty, plan.SQL())
	}
	want := c.Hazards
	if online && c.OnlineHazards != nil {
		want = c.OnlineHazards
	}
	if online && c.OnlineHazards == nil {
		want = nil // only checked when given
	}
	if want != nil || !online {
		if got := hazardSet(plan); strings.Join(got, ",") != strings.Join(sortedCopy(want), ",") {
			t.Errorf("online=%v: hazards %v, want %v:\n%s", online, got, sortedCopy(want), plan.SQL())
		}
	}
	if !online {
		for _, frag := range c.Contains {
			if !strings.Contains(plan.SQL(), frag) {
				t.Errorf("plan lacks %q:\n%s", frag, plan.SQL())
			}
		}
	}
	for _, s := range plan.Statements {
		if online && (s.LockTimeout <= 0 || s.StatementTimeout <= 0) {
			t.Errorf("online statement without timeouts: %s", s.SQL)
		}
	}
	if err := apply(t, a, plan); err != nil {
		t.Fatalf("online=%v: apply: %v\n%s", online, err, plan.SQL())
	}
	ra2 := inspect(t, a, catalog.Options{})
	if d := diff.Differences(&ra2.Schema, &rb.Schema, false); len(d) > 0 {
		t.Fatalf("online=%v: still differ: %v\n%s", online, d, plan.SQL())
	}
	again, err := diff.Diff(&ra2.Schema, &rb.Schema, diff.Options{})
	if err != nil || !again.Empty() {
		t.Fatalf("online=%v: second diff: %v\n%s", online, err, again.SQL())
	}
}
