package risk

import (
	"fmt"
	"strconv"
	"strings"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// EnvironmentRef is what a condition can say about an environment: its id
// and whether it is production (the environment's flag).
type EnvironmentRef struct {
	ID         string
	Production bool
}

// Mentions reports how a condition refers to an environment, read from its
// syntax tree (nothing is evaluated): a comparison of environment_id with
// the environment's id (`environment_id == "prod"`, `"prod" !=
// environment_id`), a membership test whose list names the id
// (`environment_id in ["prod", "staging"]`), and, for a production
// environment, any use of the production variable. Each way is spelled once,
// in the order first met; none is an empty slice. A negation still mentions
// the environment: the rule is about it, and the page shows the condition.
// An empty condition mentions nothing; one that does not parse is an error.
func (e *Engine) Mentions(condition string, env EnvironmentRef) ([]string, error) {
	out := []string{}
	if strings.TrimSpace(condition) == "" {
		return out, nil
	}
	ast, iss := e.env.Parse(condition)
	if iss != nil && iss.Err() != nil {
		return nil, fmt.Errorf("condition %q: %w", condition, iss.Err())
	}
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	celast.PreOrderVisit(ast.NativeRep().Expr(), celast.NewExprVisitor(func(x celast.Expr) {
		switch x.Kind() {
		case celast.IdentKind:
			if env.Production && x.AsIdent() == "production" {
				add("production")
			}
		case celast.CallKind:
			if how, ok := mentionCall(x.AsCall(), env.ID); ok {
				add(how)
			}
		}
	}))
	return out, nil
}

// mentionCall spells a comparison or membership test of environment_id
// with id, if the call is one.
func mentionCall(c celast.CallExpr, id string) (string, bool) {
	args := c.Args()
	if c.IsMemberFunction() || len(args) != 2 {
		return "", false
	}
	switch c.FunctionName() {
	case operators.Equals, operators.NotEquals:
		op := "=="
		if c.FunctionName() == operators.NotEquals {
			op = "!="
		}
		for i := range args {
			if isIdent(args[i], "environment_id") {
				if s, ok := stringLit(args[1-i]); ok && s == id {
					return "environment_id " + op + " " + strconv.Quote(s), true
				}
			}
		}
	case operators.In:
		if !isIdent(args[0], "environment_id") || args[1].Kind() != celast.ListKind {
			return "", false
		}
		var names []string
		found := false
		for _, el := range args[1].AsList().Elements() {
			s, ok := stringLit(el)
			if !ok {
				continue
			}
			names = append(names, strconv.Quote(s))
			found = found || s == id
		}
		if found {
			return "environment_id in [" + strings.Join(names, ", ") + "]", true
		}
	}
	return "", false
}

func isIdent(x celast.Expr, name string) bool {
	return x.Kind() == celast.IdentKind && x.AsIdent() == name
}

func stringLit(x celast.Expr) (string, bool) {
	if x.Kind() != celast.LiteralKind {
		return "", false
	}
	s, ok := x.AsLiteral().(types.String)
	return string(s), ok
}

// RuleMention is a risk rule whose condition mentions an environment, with
// how (see Engine.Mentions).
type RuleMention struct {
	Rule Rule     `json:"rule"`
	How  []string `json:"how"`
}

// ApprovalMention is an approval rule whose condition mentions an
// environment, the title of its template ("" when it skips approval), and
// how.
type ApprovalMention struct {
	Rule          ApprovalRule `json:"rule"`
	TemplateTitle string       `json:"templateTitle"`
	How           []string     `json:"how"`
}

// RulesMentioning lists, in their order, the risk rules whose condition
// mentions env. A rule whose condition does not parse (stored before a
// check, or imported) mentions nothing.
func (e *Engine) RulesMentioning(rules []Rule, env EnvironmentRef) []RuleMention {
	out := []RuleMention{}
	for _, r := range rules {
		if how, err := e.Mentions(r.Condition, env); err == nil && len(how) > 0 {
			out = append(out, RuleMention{Rule: r, How: how})
		}
	}
	return out
}

// ApprovalsMentioning lists, in their order (first match wins), the
// approval rules whose condition mentions env, each with the title of its
// template among templates.
func (e *Engine) ApprovalsMentioning(rules []ApprovalRule, templates []Template, env EnvironmentRef) []ApprovalMention {
	titles := make(map[string]string, len(templates))
	for _, t := range templates {
		titles[t.ID] = t.Title
	}
	out := []ApprovalMention{}
	for _, r := range rules {
		if how, err := e.Mentions(r.Condition, env); err == nil && len(how) > 0 {
			title := titles[r.TemplateID]
			if title == "" {
				title = r.TemplateID
			}
			out = append(out, ApprovalMention{Rule: r, TemplateTitle: title, How: how})
		}
	}
	return out
}
