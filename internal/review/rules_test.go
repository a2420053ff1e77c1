package review

import (
	"cmp"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// fakeLive answers Live calls from a rule test file.
type fakeLive struct {
	Rows         int64  `yaml:"rows"`
	ExplainError string `yaml:"explainError"`
	Member       bool   `yaml:"member"`
}

func (f *fakeLive) EstimateRows(context.Context, string) (int64, error) { return f.Rows, nil }
func (f *fakeLive) Explain(context.Context, string) error {
	if f.ExplainError != "" {
		return errors.New(f.ExplainError)
	}
	return nil
}
func (f *fakeLive) IsMemberOf(context.Context, string) (bool, error) { return f.Member, nil }

// testCatalog is the Bytebase corpus catalog plus tables with known row
// counts and owners.
func testCatalog() *Catalog {
	c := bytebaseCatalog()
	c.AddTable(&Table{Name: "users", Owner: "someone_else", Rows: 1000,
		Columns:     []*Column{{Name: "id", Type: "bigint", NotNull: true}, {Name: "email", Type: "text", NotNull: true}, {Name: "created_ts", Type: "timestamp with time zone"}},
		Constraints: []*Constraint{{Name: "users_pkey", Type: "p", Columns: []string{"id"}, Index: "users_pkey"}},
		Indexes: []*Index{{Name: "users_pkey", Columns: []string{"id"}, Unique: true, Primary: true, Constraint: "users_pkey"},
			{Name: "users_email_idx", Columns: []string{"email"}}}})
	c.AddTable(&Table{Name: "empty_table", Rows: 0, Columns: []*Column{{Name: "id", Type: "bigint"}}})
	c.AddTable(&Table{Name: "events", Rows: 10, Columns: []*Column{{Name: "id", Type: "bigint"}, {Name: "at", Type: "timestamp with time zone"}},
		Indexes: []*Index{{Name: "events_id_idx", Columns: []string{"id"}, Unique: true}}})
	return c
}

type ruleFile struct {
	Payload *Payload  `yaml:"payload"`
	Live    *fakeLive `yaml:"live"`
	// Runner and Version apply to every case unless the case sets its own.
	Runner  string `yaml:"runner"`
	Version int    `yaml:"version"`
	Cases   []struct {
		SQL  string `yaml:"sql"`
		Want []int  `yaml:"want"`
		// Level is the level the advice must carry (default error, the
		// level the test policy gives the rule; info for notes).
		Level Level `yaml:"level"`
		// Infos lists the lines of info notes the rule adds beside
		// advice of another level (a nested BEGIN is an error; the
		// block it sits in, a note).
		Infos   []int  `yaml:"infos"`
		Runner  string `yaml:"runner"`
		Version int    `yaml:"version"`
	} `yaml:"cases"`
}

// TestRules runs testdata/rules/<rule-id>.yaml for every rule: each rule
// must have a case it flags and a case it leaves alone.
func TestRules(t *testing.T) {
	reg := NewRegistry()
	files, err := filepath.Glob(filepath.Join("testdata", "rules", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, fn := range files {
		id := strings.TrimSuffix(filepath.Base(fn), ".yaml")
		have[id] = true
		t.Run(id, func(t *testing.T) {
			if _, ok := reg.Rule(id); !ok {
				t.Fatalf("test file for unknown rule %s", id)
			}
			data, err := os.ReadFile(fn)
			if err != nil {
				t.Fatal(err)
			}
			var rf ruleFile
			if err := yaml.Unmarshal(data, &rf); err != nil {
				t.Fatal(err)
			}
			pos, neg := 0, 0
			for _, tc := range rf.Cases {
				pol := &Policy{Rules: []RuleConfig{{ID: id, Level: Error, Payload: rf.Payload}}}
				opts := Options{Policy: pol, Catalog: testCatalog(), Runner: cmp.Or(tc.Runner, rf.Runner), ServerVersion: cmp.Or(tc.Version, rf.Version)}
				wantLevel := cmp.Or(tc.Level, Error)
				if rf.Live != nil {
					opts.Live = rf.Live
				}
				res, err := reg.Review(context.Background(), tc.SQL, opts)
				if err != nil {
					t.Fatalf("%q: %v", tc.SQL, err)
				}
				var got, infos []int
				for _, a := range res.Advice {
					if a.Rule != id {
						t.Errorf("%q: advice from another rule: %+v", tc.SQL, a)
						continue
					}
					if a.Level == Info && wantLevel != Info && tc.Infos != nil {
						infos = append(infos, a.Line)
						continue
					}
					if a.Level != wantLevel || a.Title == "" || a.Message == "" || a.Line < 1 || a.Column < 1 {
						t.Errorf("%q: incomplete advice %+v", tc.SQL, a)
					}
					got = append(got, a.Line)
				}
				sort.Ints(got)
				want := append([]int(nil), tc.Want...)
				sort.Ints(want)
				if !equalInts(got, want) {
					t.Errorf("%q: lines %v, want %v (advice: %+v)", tc.SQL, got, want, res.Advice)
				}
				if !equalInts(infos, tc.Infos) {
					t.Errorf("%q: info lines %v, want %v", tc.SQL, infos, tc.Infos)
				}
				if len(want) > 0 {
					pos++
				} else {
					neg++
				}
			}
			if pos == 0 || neg == 0 {
				t.Errorf("rule %s needs both a flagged and a clean case (have %d, %d)", id, pos, neg)
			}
		})
	}
	for _, info := range reg.Rules() {
		if !have[info.ID] {
			t.Errorf("rule %s has no testdata/rules/%s.yaml", info.ID, info.ID)
		}
	}
	t.Logf("%d rules, %d rule test files", len(reg.Rules()), len(files))
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
