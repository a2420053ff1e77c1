package risk

import (
	"fmt"
	"sort"
)

// Match is a rule that matched a task, at the first statement it matched.
type Match struct {
	RuleID    string `json:"ruleId"`
	Title     string `json:"title"`
	Level     Level  `json:"level"`
	Condition string `json:"condition"`
	Line      int    `json:"line,omitempty"`
	Table     string `json:"table,omitempty"`
}

// EvalError is a rule that failed at run time: it counts as not matched and
// is reported on the issue.
type EvalError struct {
	RuleID  string `json:"ruleId"`
	Title   string `json:"title"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Assessment is the risk of a task (or, merged, of an issue).
type Assessment struct {
	Level   Level       `json:"level"`
	Matched []Match     `json:"matched"`
	Errors  []EvalError `json:"errors"`
}

// compiledRule is an enabled rule with its program.
type compiledRule struct {
	Rule
	prg *Program
}

// RuleSet is the enabled rules compiled, grouped by source. Build one per
// evaluation round with Engine.Prepare; it is read-only after.
type RuleSet struct {
	bySource map[Source][]compiledRule
}

// Prepare compiles the enabled rules. A rule that no longer compiles (it
// was stored by an older version) is left out and reported.
func (e *Engine) Prepare(rules []Rule) (*RuleSet, []EvalError) {
	rs := &RuleSet{bySource: map[Source][]compiledRule{}}
	var bad []EvalError
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		p, err := e.Check(r)
		if err != nil {
			bad = append(bad, EvalError{RuleID: r.ID, Title: r.Title, Message: err.Error()})
			continue
		}
		rs.bySource[r.Source] = append(rs.bySource[r.Source], compiledRule{Rule: r, prg: p})
	}
	return rs, bad
}

// Assess grades one task of the given source: the highest level a rule
// matches on any input (low when none does), the rules that matched (each
// once, at its first match) and those that failed at run time.
func (rs *RuleSet) Assess(src Source, inputs []Input) Assessment {
	a := Assessment{Level: Low, Matched: []Match{}, Errors: []EvalError{}}
	for _, r := range rs.bySource[src] {
		for i := range inputs {
			in := &inputs[i]
			ok, err := r.prg.Eval(in)
			if err != nil {
				a.Errors = append(a.Errors, EvalError{RuleID: r.ID, Title: r.Title, Line: in.Line, Message: err.Error()})
				continue
			}
			if ok {
				a.Matched = append(a.Matched, Match{RuleID: r.ID, Title: r.Title, Level: r.Level, Condition: r.Condition, Line: in.Line, Table: qualified(in)})
				a.Level = Max(a.Level, r.Level)
				break
			}
		}
	}
	sortMatches(a.Matched)
	return a
}

func qualified(in *Input) string {
	if in.TableName == "" {
		return ""
	}
	return in.SchemaName + "." + in.TableName
}

// sortMatches orders matches highest level first, then by line.
func sortMatches(ms []Match) {
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].Level.Rank() != ms[j].Level.Rank() {
			return ms[i].Level.Rank() > ms[j].Level.Rank()
		}
		return ms[i].Line < ms[j].Line
	})
}

// Merge is the risk from its tasks': the highest level, every
// matched rule once (at its highest-level occurrence) and every error.
func Merge(as ...Assessment) Assessment {
	out := Assessment{Level: Low, Matched: []Match{}, Errors: []EvalError{}}
	seen := map[string]bool{}
	for _, a := range as {
		out.Level = Max(out.Level, a.Level)
		for _, m := range a.Matched {
			if !seen[m.RuleID] {
				seen[m.RuleID] = true
				out.Matched = append(out.Matched, m)
			}
		}
		out.Errors = append(out.Errors, a.Errors...)
	}
	sortMatches(out.Matched)
	return out
}

// String renders an assessment for logs: "high: Drop table (line 3)".
func (a Assessment) String() string {
	s := string(a.Level)
	for i, m := range a.Matched {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		s += sep + m.Title
		if m.Line > 0 {
			s += fmt.Sprintf(" (line %d)", m.Line)
		}
	}
	return s
}
