package app

import (
	"errors"

	"github.com/tidemark-dev/tidemark/internal/risk"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// RiskService binds the Risk Center and the approval settings: risk rules,
// approval templates and rules, members and roles, rollout policies. Saving
// rules goes through the workflow, which re-evaluates the open issues (the
// numbers it changed are returned, and an "issue" changed event is emitted
// for each).
type RiskService struct{ a *App }

// RiskVariable documents one variable a condition may use.
type RiskVariable struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Doc  string `json:"doc"`
}

// Variables lists the condition variables (for the editor's help and
// completion).
func (s *RiskService) Variables() []RiskVariable {
	out := make([]RiskVariable, 0, len(risk.Variables))
	for _, v := range risk.Variables {
		out = append(out, RiskVariable{Name: v.Name, Type: v.Type, Doc: v.Doc})
	}
	return out
}

// ConditionCheck is the result of type-checking a condition: OK, or the
// position (1-based) and message of the first problem.
type ConditionCheck struct {
	OK      bool   `json:"ok"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// CheckCondition type-checks a condition as the editor types it.
func (s *RiskService) CheckCondition(condition string) (ConditionCheck, error) {
	e, err := risk.NewEngine()
	if err != nil {
		return ConditionCheck{}, fail(err)
	}
	_, err = e.Compile(condition)
	var ce *risk.CompileError
	if errors.As(err, &ce) {
		return ConditionCheck{Line: ce.Line, Column: ce.Column, Message: ce.Message}, nil
	}
	if err != nil {
		return ConditionCheck{}, fail(err)
	}
	return ConditionCheck{OK: true}, nil
}

// Rules lists the risk rules in their order.
func (s *RiskService) Rules() ([]risk.Rule, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	rs, err := s.a.ws.ListRiskRules(ctx)
	return rs, fail(err)
}

// Templates are the rule templates the Risk Center adds from: the presets.
func (s *RiskService) Templates() []risk.Rule { return risk.Presets() }

// Saved is a saved rule and the open issues whose flow it changed.
type Saved struct {
	Rule        risk.Rule `json:"rule"`
	Reevaluated []int     `json:"reevaluated"`
}

func (s *RiskService) changed(ns []int) []int {
	if ns == nil {
		ns = []int{}
	}
	for _, n := range ns {
		s.a.issueEvent(workflow.Event{Issue: n, Kind: "changed"})
	}
	return ns
}

// SaveRule adds or replaces a risk rule (its condition compiled first: a
// refusal names the line and column).
func (s *RiskService) SaveRule(r risk.Rule) (Saved, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	saved, ns, err := s.a.workflow.SaveRiskRule(ctx, r)
	if err != nil {
		return Saved{}, fail(err)
	}
	return Saved{Rule: saved, Reevaluated: s.changed(ns)}, nil
}

// DeleteRule removes a risk rule.
func (s *RiskService) DeleteRule(id string) ([]int, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	ns, err := s.a.workflow.DeleteRiskRule(ctx, id)
	if err != nil {
		return nil, fail(err)
	}
	return s.changed(ns), nil
}

// Assessment is what Try it shows: the level, the rules that matched, the
// rules that failed, and the approval flow.
type Assessment struct {
	Approval workflow.Approval `json:"approval"`
	Tasks    []TaskAssessment  `json:"tasks"`
}

// TaskAssessment is one task's risk.
type TaskAssessment struct {
	TaskID   string          `json:"taskId"`
	Database string          `json:"database"`
	Risk     risk.Assessment `json:"risk"`
}

// TrySQL grades SQL as a change of source to a database in environmentID.
func (s *RiskService) TrySQL(source, environmentID, sql string) (Assessment, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	src, err := risk.ParseSource(source)
	if err != nil {
		return Assessment{}, fail(err)
	}
	ap, err := s.a.workflow.TestSQL(ctx, src, environmentID, sql)
	if err != nil {
		return Assessment{}, fail(err)
	}
	return Assessment{Approval: ap, Tasks: []TaskAssessment{}}, nil
}

// TryIssue grades an existing issue under the current rules (nothing is
// stored).
func (s *RiskService) TryIssue(n int) (Assessment, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	ap, ts, err := s.a.workflow.AssessIssue(ctx, n)
	if err != nil {
		return Assessment{}, fail(err)
	}
	out := Assessment{Approval: ap, Tasks: []TaskAssessment{}}
	for _, t := range ts {
		ta := TaskAssessment{TaskID: t.ID, Database: t.DatabaseName}
		if t.Risk != nil {
			ta.Risk = *t.Risk
		}
		out.Tasks = append(out.Tasks, ta)
	}
	return out, nil
}

// ApprovalConfig is the approval templates and rules (first match wins).
type ApprovalConfig struct {
	Templates []risk.Template     `json:"templates"`
	Rules     []risk.ApprovalRule `json:"rules"`
}

// Approvals returns the approval templates and rules.
func (s *RiskService) Approvals() (ApprovalConfig, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	ts, err := s.a.ws.ListApprovalTemplates(ctx)
	if err != nil {
		return ApprovalConfig{}, fail(err)
	}
	rs, err := s.a.ws.ListApprovalRules(ctx)
	return ApprovalConfig{Templates: ts, Rules: rs}, fail(err)
}

// SaveApprovals replaces the approval templates and rules.
func (s *RiskService) SaveApprovals(c ApprovalConfig) ([]int, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	ns, err := s.a.workflow.ReplaceApprovals(ctx, c.Templates, c.Rules)
	if err != nil {
		return nil, fail(err)
	}
	return s.changed(ns), nil
}

// Members lists the members (the workspace user becomes the first when
// there are none).
func (s *RiskService) Members() ([]workspace.Member, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if ms, err := s.a.ws.ListMembers(ctx); err != nil {
		return nil, fail(err)
	} else if len(ms) == 0 {
		if _, err := s.a.workflow.Member(ctx); err != nil {
			return nil, fail(err)
		}
	}
	ms, err := s.a.ws.ListMembers(ctx)
	return ms, fail(err)
}

// Me is the member the workspace user is.
func (s *RiskService) Me() (workspace.Member, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	m, err := s.a.workflow.Member(ctx)
	return m, fail(err)
}

// AddMember adds a member with roles.
func (s *RiskService) AddMember(name, email string, roles []workspace.MemberRole) (workspace.Member, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	m, err := s.a.workflow.AddMember(ctx, name, email, roles)
	return m, fail(err)
}

// RemoveMember removes a member (refused, naming the flows, when they are
// the last holder of a role a flow needs).
func (s *RiskService) RemoveMember(id string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	return fail(s.a.workflow.RemoveMember(ctx, id))
}

// Grant gives a member a role; Revoke takes it.
func (s *RiskService) Grant(id string, r workspace.MemberRole) (workspace.Member, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	m, err := s.a.workflow.GrantRole(ctx, id, r)
	return m, fail(err)
}

// Revoke takes a role from a member.
func (s *RiskService) Revoke(id string, r workspace.MemberRole) (workspace.Member, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	m, err := s.a.workflow.RevokeRole(ctx, id, r)
	return m, fail(err)
}

// RolloutPolicy returns an environment's rollout policy.
func (s *RiskService) RolloutPolicy(environmentID string) (workspace.RolloutPolicy, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	p, err := s.a.ws.GetRolloutPolicy(ctx, environmentID)
	return p, fail(err)
}

// SetRolloutPolicy stores an environment's rollout policy.
func (s *RiskService) SetRolloutPolicy(p workspace.RolloutPolicy) (workspace.RolloutPolicy, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	out, err := s.a.workflow.SetRolloutPolicy(ctx, p)
	return out, fail(err)
}

// EnvironmentRules are the risk and approval rules whose condition mentions
// an environment (risk.Engine.Mentions: a comparison of environment_id with
// its id, or the production flag when it is production), for the
// Environments page.
type EnvironmentRules struct {
	EnvironmentID string                 `json:"environmentId"`
	Production    bool                   `json:"production"`
	Risk          []risk.RuleMention     `json:"risk"`
	Approval      []risk.ApprovalMention `json:"approval"`
}

// EnvironmentRules lists the rules that mention an environment.
func (s *RiskService) EnvironmentRules(environmentID string) (EnvironmentRules, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	env, err := s.a.ws.GetEnvironment(ctx, environmentID)
	if err != nil {
		return EnvironmentRules{}, fail(err)
	}
	rules, err := s.a.ws.ListRiskRules(ctx)
	if err != nil {
		return EnvironmentRules{}, fail(err)
	}
	ars, err := s.a.ws.ListApprovalRules(ctx)
	if err != nil {
		return EnvironmentRules{}, fail(err)
	}
	ts, err := s.a.ws.ListApprovalTemplates(ctx)
	if err != nil {
		return EnvironmentRules{}, fail(err)
	}
	e, err := risk.NewEngine()
	if err != nil {
		return EnvironmentRules{}, fail(err)
	}
	ref := risk.EnvironmentRef{ID: env.ID, Production: env.Production()}
	return EnvironmentRules{EnvironmentID: env.ID, Production: ref.Production,
		Risk: e.RulesMentioning(rules, ref), Approval: e.ApprovalsMentioning(ars, ts, ref)}, nil
}
