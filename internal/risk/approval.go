package risk

import (
	"fmt"
	"strings"
)

// Roles members hold (Bytebase's). Workspace Admin and DBA are workspace
// wide; the others are held per project (or, granted without a project, in
// every project).
const (
	RoleWorkspaceAdmin = "workspace_admin"
	RoleDBA            = "dba"
	RoleProjectOwner   = "project_owner"
	RoleDeveloper      = "developer"
	RoleReleaser       = "releaser"
)

// Roles lists the roles in display order.
var Roles = []string{RoleWorkspaceAdmin, RoleDBA, RoleProjectOwner, RoleDeveloper, RoleReleaser}

// RoleTitle spells a role for people: "Project Owner".
func RoleTitle(role string) string {
	switch role {
	case RoleWorkspaceAdmin:
		return "Workspace Admin"
	case RoleDBA:
		return "DBA"
	case RoleProjectOwner:
		return "Project Owner"
	case RoleDeveloper:
		return "Developer"
	case RoleReleaser:
		return "Releaser"
	}
	return role
}

// ParseRole accepts a role id or its title ("Project Owner", "project-owner").
func ParseRole(s string) (string, error) {
	k := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(strings.TrimSpace(s)))
	for _, r := range Roles {
		if r == k {
			return r, nil
		}
	}
	return "", fmt.Errorf("role %q: use workspace_admin, dba, project_owner, developer or releaser", s)
}

// Step is one step of an approval template: a member holding Role approves.
type Step struct {
	Role  string `json:"role" yaml:"role"`
	Title string `json:"title,omitempty" yaml:"title,omitempty"`
}

// Template is an approval flow: steps approved in order.
type Template struct {
	ID          string `json:"id" yaml:"id"`
	Title       string `json:"title" yaml:"title"`
	Description string `json:"description" yaml:"description"`
	Steps       []Step `json:"steps" yaml:"steps"`
}

// StepTitle is the step's title, else its role's.
func (s Step) StepTitle() string {
	if s.Title != "" {
		return s.Title
	}
	return RoleTitle(s.Role)
}

// CheckTemplate validates a template.
func CheckTemplate(t Template) error {
	if strings.TrimSpace(t.ID) == "" || strings.TrimSpace(t.Title) == "" {
		return fmt.Errorf("approval template %q: id and title are required", t.Title)
	}
	if len(t.Steps) == 0 {
		return fmt.Errorf("approval template %q: it has no steps", t.Title)
	}
	for i, s := range t.Steps {
		if _, err := ParseRole(s.Role); err != nil {
			return fmt.Errorf("approval template %q, step %d: %w", t.Title, i+1, err)
		}
	}
	return nil
}

// ApprovalRule picks the template of the changes it matches: its source and
// level (empty: any) and, for special cases, a condition true on at least
// one statement. An empty TemplateID means no approval (skipped).
type ApprovalRule struct {
	ID         string `json:"id" yaml:"id"`
	Source     Source `json:"source,omitempty" yaml:"source,omitempty"`
	Level      Level  `json:"level,omitempty" yaml:"level,omitempty"`
	Condition  string `json:"condition,omitempty" yaml:"condition,omitempty"`
	TemplateID string `json:"template" yaml:"template"`
}

// PresetTemplates are the approval templates of a new workspace.
func PresetTemplates() []Template {
	return []Template{
		{ID: "project-owner", Title: "Project Owner", Description: "The project's owner approves.", Steps: []Step{{Role: RoleProjectOwner}}},
		{ID: "dba", Title: "DBA", Description: "A DBA approves.", Steps: []Step{{Role: RoleDBA}}},
		{ID: "project-owner-dba", Title: "Project Owner → DBA", Description: "The project's owner approves, then a DBA.",
			Steps: []Step{{Role: RoleProjectOwner}, {Role: RoleDBA}}},
		{ID: "workspace-admin", Title: "Workspace Admin", Description: "A workspace admin approves.", Steps: []Step{{Role: RoleWorkspaceAdmin}}},
	}
}

// PresetApprovalRules are the approval rules of a new workspace: creating a
// database in production → DBA; high risk → Project Owner → DBA; moderate
// → Project Owner; low → no approval.
func PresetApprovalRules() []ApprovalRule {
	out := []ApprovalRule{{ID: "create-database-prod", Source: SourceCreateDatabase, Condition: `production`, TemplateID: "dba"}}
	for _, src := range []Source{SourceSchemaChange, SourceDataChange, SourceCreateDatabase} {
		out = append(out,
			ApprovalRule{ID: string(src) + ".high", Source: src, Level: High, TemplateID: "project-owner-dba"},
			ApprovalRule{ID: string(src) + ".moderate", Source: src, Level: Moderate, TemplateID: "project-owner"},
			ApprovalRule{ID: string(src) + ".low", Source: src, Level: Low, TemplateID: ""})
	}
	return out
}

// compiledApproval is an approval rule with its program (nil: no
// condition).
type compiledApproval struct {
	ApprovalRule
	prg *Program
}

// ApprovalSet is the approval rules compiled, in order.
type ApprovalSet struct {
	rules []compiledApproval
}

// CheckApprovalRule validates an approval rule (templates: the known ids).
func (e *Engine) CheckApprovalRule(r ApprovalRule, templates map[string]bool) (*Program, error) {
	if r.Source != "" {
		if _, err := ParseSource(string(r.Source)); err != nil {
			return nil, fmt.Errorf("approval rule %q: %w", r.ID, err)
		}
	}
	if r.Level != "" {
		if _, err := ParseLevel(string(r.Level)); err != nil {
			return nil, fmt.Errorf("approval rule %q: %w", r.ID, err)
		}
	}
	if r.TemplateID != "" && templates != nil && !templates[r.TemplateID] {
		return nil, fmt.Errorf("approval rule %q: there is no approval template %q", r.ID, r.TemplateID)
	}
	if strings.TrimSpace(r.Condition) == "" {
		return nil, nil
	}
	p, err := e.Compile(r.Condition)
	if err != nil {
		return nil, fmt.Errorf("approval rule %q: %w", r.ID, err)
	}
	return p, nil
}

// PrepareApprovals compiles approval rules; one that does not compile is
// left out and reported.
func (e *Engine) PrepareApprovals(rules []ApprovalRule) (*ApprovalSet, []EvalError) {
	as := &ApprovalSet{}
	var bad []EvalError
	for _, r := range rules {
		p, err := e.CheckApprovalRule(r, nil)
		if err != nil {
			bad = append(bad, EvalError{RuleID: r.ID, Title: "approval rule " + r.ID, Message: err.Error()})
			continue
		}
		as.rules = append(as.rules, compiledApproval{ApprovalRule: r, prg: p})
	}
	return as, bad
}

// Decision is the approval rule an issue matched.
type Decision struct {
	// Rule is the rule that matched; nil when none did (approval skipped).
	Rule   *ApprovalRule `json:"rule,omitempty"`
	Errors []EvalError   `json:"errors"`
}

// Match returns the first rule that matches an issue of source src at
// level, with inputs the facts of all its statements: its source and level
// agree (or are empty) and its condition, if any, holds on at least one
// input. A condition failing at run time does not match and is reported.
func (as *ApprovalSet) Match(src Source, level Level, inputs []Input) Decision {
	d := Decision{Errors: []EvalError{}}
	for i := range as.rules {
		r := &as.rules[i]
		if (r.Source != "" && r.Source != src) || (r.Level != "" && r.Level != level) {
			continue
		}
		if r.prg == nil {
			d.Rule = &r.ApprovalRule
			return d
		}
		for j := range inputs {
			ok, err := r.prg.Eval(&inputs[j])
			if err != nil {
				d.Errors = append(d.Errors, EvalError{RuleID: r.ID, Title: "approval rule " + r.ID, Line: inputs[j].Line, Message: err.Error()})
				continue
			}
			if ok {
				d.Rule = &r.ApprovalRule
				return d
			}
		}
	}
	return d
}
