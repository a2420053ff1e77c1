package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidemark-dev/tidemark/internal/risk"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// TaskRisk is a task's graded risk: the level and the rules that matched.
type TaskRisk = risk.Assessment

// policy is what decides an issue's approval: the compiled risk and
// approval rules, the templates, and the members (for who can approve).
type policy struct {
	rules     *risk.RuleSet
	approvals *risk.ApprovalSet
	templates map[string]risk.Template
	members   []workspace.Member
	// broken are stored rules that no longer compile (reported on the
	// issue, never blocking silently).
	broken []risk.EvalError
}

// loadPolicy reads and compiles the workspace's rules.
func (s *Service) loadPolicy(ctx context.Context) (*policy, error) {
	rules, err := s.d.WS.ListRiskRules(ctx)
	if err != nil {
		return nil, err
	}
	ars, err := s.d.WS.ListApprovalRules(ctx)
	if err != nil {
		return nil, err
	}
	tpls, err := s.d.WS.ListApprovalTemplates(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := s.d.WS.ListMembers(ctx)
	if err != nil {
		return nil, err
	}
	return compilePolicy(rules, ars, tpls, ms)
}

func compilePolicy(rules []risk.Rule, ars []risk.ApprovalRule, tpls []risk.Template, ms []workspace.Member) (*policy, error) {
	e, err := risk.NewEngine()
	if err != nil {
		return nil, err
	}
	p := &policy{templates: map[string]risk.Template{}, members: ms}
	var bad, badA []risk.EvalError
	p.rules, bad = e.Prepare(rules)
	p.approvals, badA = e.PrepareApprovals(ars)
	p.broken = append(bad, badA...)
	for _, t := range tpls {
		p.templates[t.ID] = t
	}
	return p, nil
}

// taskFacts reads the affected-rows check's numbers of a task.
func taskFacts(t *Task) risk.Facts {
	f := risk.Facts{AffectedRows: map[int]int64{}, TableRows: map[string]int64{}}
	for _, c := range t.Checks {
		if c.Kind != CheckAffectedRows {
			continue
		}
		for _, r := range c.Rows {
			switch {
			case r.Source == "explain" && r.Rows > 0:
				f.AffectedRows[r.Line] += r.Rows
			case r.Table != "" && r.Rows > 0:
				f.TableRows[strings.ReplaceAll(r.Table, `"`, "")] = r.Rows
			}
		}
	}
	return f
}

// taskInputs are the facts the rules see for a task.
func taskInputs(is *Issue, t *Task, e workspace.Environment) []risk.Input {
	tg := risk.Target{EnvironmentID: t.EnvironmentID, Production: e.Production(), ProjectID: is.ProjectID, InstanceID: t.InstanceID,
		DatabaseName: t.DatabaseName, IssueType: string(is.Type)}
	if t.CreateDatabase != nil {
		return []risk.Input{risk.CreateDatabaseInput(tg)}
	}
	return risk.Inputs(tg, t.Statement, taskFacts(t))
}

// assess grades every task (setting its Risk), matches the approval rules
// and returns the approval the issue needs, every step pending.
func assess(is *Issue, envs []workspace.Environment, p *policy) Approval {
	byID := map[string]workspace.Environment{}
	for _, e := range envs {
		byID[e.ID] = e
	}
	src := risk.SourceOf(string(is.Type))
	var all []risk.Assessment
	var inputs []risk.Input
	for _, t := range is.Tasks {
		e, ok := byID[t.EnvironmentID]
		if !ok {
			e = workspace.Environment{ID: t.EnvironmentID}
		}
		in := taskInputs(is, t, e)
		a := p.rules.Assess(src, in)
		t.Risk = &a
		all = append(all, a)
		inputs = append(inputs, in...)
	}
	issueRisk := risk.Merge(all...)
	issueRisk.Errors = append(issueRisk.Errors, p.broken...)
	d := p.approvals.Match(src, issueRisk.Level, inputs)
	issueRisk.Errors = append(issueRisk.Errors, d.Errors...)
	ap := Approval{Risk: issueRisk.Level, Matched: issueRisk.Matched, Errors: issueRisk.Errors, Steps: []ApprovalStep{}}
	why := fmt.Sprintf("%s risk", issueRisk.Level)
	if len(issueRisk.Matched) > 0 {
		why += " (" + issueRisk.Matched[0].Title + ")"
	}
	if d.Rule == nil {
		ap.Status, ap.Reason = ApprovalSkipped, why+": no approval rule matches, no approval needed"
		return ap
	}
	ap.Rule = d.Rule.ID
	tpl, ok := p.templates[d.Rule.TemplateID]
	if d.Rule.TemplateID == "" {
		ap.Status, ap.Reason = ApprovalSkipped, why+": the approval rule needs no approval"
		return ap
	}
	if !ok {
		// A rule naming a template that is gone must not skip approval:
		// the Workspace Admin approves.
		tpl = risk.Template{ID: d.Rule.TemplateID, Title: "Workspace Admin (template " + d.Rule.TemplateID + " is missing)",
			Steps: []risk.Step{{Role: risk.RoleWorkspaceAdmin}}}
	}
	ap.Template, ap.TemplateTitle = tpl.ID, tpl.Title
	ap.Status, ap.Reason = ApprovalPending, why+": "+tpl.Title
	for _, st := range tpl.Steps {
		ids, names := approvers(p.members, st.Role, is.ProjectID)
		ap.Steps = append(ap.Steps, ApprovalStep{Title: st.StepTitle(), Role: st.Role, Status: ApprovalPending,
			Approvers: ids, ApproverNames: names})
	}
	return ap
}

// approvers are the ids and the names of the members holding role in
// project.
func approvers(ms []workspace.Member, role, project string) (ids, names []string) {
	ids, names = []string{}, []string{}
	for _, m := range ms {
		if m.Holds(role, project) {
			ids, names = append(ids, m.ID), append(names, m.Name)
		}
	}
	return ids, names
}

// requiredApproval is the approval a new or edited issue needs under the
// workspace's rules: every step pending.
func (s *Service) requiredApproval(ctx context.Context, is *Issue, envs []workspace.Environment) (Approval, error) {
	p, err := s.loadPolicy(ctx)
	if err != nil {
		return Approval{}, err
	}
	return assess(is, envs, p), nil
}

// sameFlow reports whether two approvals ask the same steps (roles in
// order) of the same template.
func sameFlow(a, b Approval) bool {
	if a.Template != b.Template || len(a.Steps) != len(b.Steps) {
		return false
	}
	for i := range a.Steps {
		if a.Steps[i].Role != b.Steps[i].Role {
			return false
		}
	}
	return true
}

// reassess grades the issue again (after its checks, or a rule change).
// The same flow keeps its decisions; a different flow starts with every
// step pending — decisions made under another flow never carry over, so
// nothing is approved retroactively. A change of flow is logged.
func reassess(is *Issue, envs []workspace.Environment, p *policy, actor User, why string) bool {
	old := is.Approval
	next := assess(is, envs, p)
	if sameFlow(old, next) {
		for i := range next.Steps {
			o := old.Steps[i]
			next.Steps[i].Status, next.Steps[i].By, next.Steps[i].At, next.Steps[i].Comment, next.Steps[i].ByRole = o.Status, o.By, o.At, o.Comment, o.ByRole
		}
		next.Status = old.Status
		if old.Status == ApprovalPending && len(next.Steps) == 0 {
			next.Status = ApprovalSkipped
		}
		is.Approval = next
		return false
	}
	from := old.TemplateTitle
	if from == "" {
		from = "no approval"
		if len(old.Steps) > 0 {
			from = fmt.Sprintf("%d approval step(s)", len(old.Steps))
		}
	}
	to := next.TemplateTitle
	if to == "" {
		to = "no approval"
	}
	is.Approval = next
	is.log(actor, "approval_reevaluated", "", fmt.Sprintf("%s: %s risk, the approval flow %q is now %q (decisions made under the old flow do not carry over)", why, next.Risk, from, to))
	return true
}

// Reevaluate grades every open issue again under the current rules (after
// a rule, template or policy change), logging it in the timeline of each
// issue whose flow changed. It returns the numbers of those issues.
func (s *Service) Reevaluate(ctx context.Context, why string) ([]int, error) {
	recs, err := s.d.WS.ListIssues(ctx, workspace.IssueFilter{Status: string(StatusOpen), Limit: 100000})
	if err != nil {
		return nil, err
	}
	p, err := s.loadPolicy(ctx)
	if err != nil {
		return nil, err
	}
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	var changed []int
	for _, r := range recs {
		moved := false
		_, err := s.mutate(ctx, r.Number, 0, func(is *Issue, envs []workspace.Environment) ([]workspace.ClaimOp, error) {
			moved = false
			if is.Status == StatusOpen {
				moved = reassess(is, envs, p, me, why)
			}
			return nil, nil
		})
		if err != nil {
			return changed, fmt.Errorf("re-evaluate issue #%d: %w", r.Number, err)
		}
		if moved {
			changed = append(changed, r.Number)
		}
	}
	return changed, nil
}

// ---- rules: saved through the workflow so open issues follow ----

// SaveRiskRule stores a risk rule (compiled first) and re-evaluates the
// open issues.
func (s *Service) SaveRiskRule(ctx context.Context, r risk.Rule) (risk.Rule, []int, error) {
	if err := s.requireRole(ctx, "changing a risk rule", ruleEditors...); err != nil {
		return risk.Rule{}, nil, err
	}
	saved, err := s.d.WS.SaveRiskRule(ctx, r)
	if err != nil {
		return risk.Rule{}, nil, usererr.Wrap("risk rule: ", err)
	}
	ns, err := s.Reevaluate(ctx, fmt.Sprintf("risk rule %q changed", saved.Title))
	return saved, ns, err
}

// DeleteRiskRule removes a risk rule and re-evaluates the open issues.
func (s *Service) DeleteRiskRule(ctx context.Context, id string) ([]int, error) {
	if err := s.requireRole(ctx, "removing a risk rule", ruleEditors...); err != nil {
		return nil, err
	}
	if err := s.d.WS.DeleteRiskRule(ctx, id); err != nil {
		return nil, usererr.Wrap("risk rule: ", err)
	}
	return s.Reevaluate(ctx, fmt.Sprintf("risk rule %q removed", id))
}

// ReplaceApprovals stores the approval templates and rules and
// re-evaluates the open issues.
func (s *Service) ReplaceApprovals(ctx context.Context, ts []risk.Template, rules []risk.ApprovalRule) ([]int, error) {
	if err := s.requireRole(ctx, "changing the approval rules", ruleEditors...); err != nil {
		return nil, err
	}
	if err := s.d.WS.ReplaceApprovals(ctx, ts, rules); err != nil {
		return nil, usererr.Wrap("approval rules: ", err)
	}
	return s.Reevaluate(ctx, "approval rules changed")
}

// ImportPolicies replaces the workspace's policies from a file's contents
// and re-evaluates the open issues.
func (s *Service) ImportPolicies(ctx context.Context, p workspace.Policies) ([]int, error) {
	if err := s.requireRole(ctx, "importing policies", ruleEditors...); err != nil {
		return nil, err
	}
	if err := s.d.WS.ImportPolicies(ctx, p); err != nil {
		return nil, usererr.Wrap("policies: ", err)
	}
	return s.Reevaluate(ctx, "policies imported")
}

// TestSQL grades SQL as a change of the given source to a database in an
// environment (Risk Center's Try it, `tidemark risk test`): the level, the
// rules that matched, and the approval flow it would need.
func (s *Service) TestSQL(ctx context.Context, src risk.Source, envID, sql string) (Approval, error) {
	e, err := s.d.WS.GetEnvironment(ctx, envID)
	if err != nil {
		return Approval{}, usererr.Wrap("environment: ", err)
	}
	is := &Issue{Type: Type(src), Tasks: []*Task{{ID: "t1", EnvironmentID: e.ID, Statement: sql}}}
	if src == risk.SourceCreateDatabase {
		is.Tasks[0].CreateDatabase = &NewDatabase{Name: strings.TrimSpace(sql), EnvironmentID: e.ID}
		is.Tasks[0].DatabaseName = strings.TrimSpace(sql)
	}
	return s.requiredApproval(ctx, is, []workspace.Environment{e})
}

// ---- members ----

// Member is the workspace member the current user is: the first user of a
// workspace with no members becomes its Workspace Admin.
func (s *Service) Member(ctx context.Context) (workspace.Member, error) {
	me, err := s.User(ctx)
	if err != nil {
		return workspace.Member{}, err
	}
	m, err := s.d.WS.EnsureMember(ctx, me.Name, me.Email)
	if errors.Is(err, workspace.ErrNotFound) {
		return workspace.Member{}, refuse("member", "%s is not a member of this workspace: a Workspace Admin adds them (tidemark member add)", me)
	}
	return m, err
}

// mayDecide checks that the current member may decide step i of the
// issue's flow: the project's self-approval setting (for approvals), the
// step's role, and the project's distinct-approvers setting. It returns
// the member.
func (s *Service) mayDecide(ctx context.Context, is *Issue, me User, i int, decision ApprovalStatus) (workspace.Member, error) {
	if decision == ApprovalApproved {
		if err := s.mayApprove(ctx, is, me); err != nil {
			return workspace.Member{}, err
		}
	}
	m, err := s.Member(ctx)
	if err != nil {
		return workspace.Member{}, err
	}
	st := is.Approval.Steps[i]
	if st.Role != "" && !m.Holds(st.Role, is.ProjectID) {
		held := []string{}
		for _, r := range m.Roles {
			held = append(held, r.String())
		}
		if len(held) == 0 {
			held = append(held, "no role")
		}
		return m, refuse("approval", "step %d of issue #%d (%s) needs the role %s: %s holds %s", i+1, is.Number, st.Title,
			risk.RoleTitle(st.Role), m.ID, strings.Join(held, ", "))
	}
	if decision == ApprovalApproved && is.ProjectID != "" && i > 0 {
		distinct, err := s.d.WS.DistinctApprovers(ctx, is.ProjectID)
		if err != nil {
			return m, err
		}
		if distinct {
			for _, prev := range is.Approval.Steps[:i] {
				if prev.By != nil && workspace.MemberID(prev.By.Name, prev.By.Email) == m.ID {
					return m, refuse("approval", "this project needs a different approver for each step: %s approved step %q already", m.ID, prev.Title)
				}
			}
		}
	}
	return m, nil
}

// ---- rollout policy ----

func (s *Service) now() time.Time {
	if s.d.Clock != nil {
		return s.d.Clock()
	}
	return time.Now()
}

// mayRollout checks the rollout policy of each environment of tasks ts
// for a rollout the current member asked for: in a manual environment
// the member holds one of the roles allowed to roll out; an environment
// with a time window is only rolled out inside it. It returns the role the
// member acts in ("" when none was needed).
func (s *Service) mayRollout(ctx context.Context, is *Issue, ts []*Task) (workspace.Member, string, error) {
	var m workspace.Member
	acted := ""
	seen := map[string]bool{}
	for _, t := range ts {
		if seen[t.EnvironmentID] || (t.Status != TaskPending && t.Status != TaskNotStarted) {
			continue
		}
		seen[t.EnvironmentID] = true
		p, err := s.d.WS.GetRolloutPolicy(ctx, t.EnvironmentID)
		if err != nil {
			return m, "", err
		}
		if p.Window != nil && !p.Window.Contains(s.now()) {
			return m, "", refuse("window", "%s rolls out only in its window (%s): it is %s", t.EnvironmentID, p.Window, s.now().UTC().Format("Mon 15:04 UTC"))
		}
		if p.Mode != workspace.RolloutManual {
			continue
		}
		if m.ID == "" {
			if m, err = s.Member(ctx); err != nil {
				return m, "", err
			}
		}
		role := ""
		for _, r := range p.Roles {
			if m.Holds(r, is.ProjectID) {
				role = r
				break
			}
		}
		if role == "" {
			names := []string{}
			for _, r := range p.Roles {
				names = append(names, risk.RoleTitle(r))
			}
			return m, "", refuse("rollout", "rolling out to %s needs one of the roles %s: %s holds none of them", t.EnvironmentID, strings.Join(names, ", "), m.ID)
		}
		if acted == "" {
			acted = role
		}
	}
	return m, acted, nil
}

// inWindow reports whether environment e may roll out now (no window, or
// inside it); automatic rollouts wait outside it.
func (s *Service) inWindow(ctx context.Context, e workspace.Environment) bool {
	p, err := s.d.WS.GetRolloutPolicy(ctx, e.ID)
	if err != nil {
		return false
	}
	return p.Window == nil || p.Window.Contains(s.now())
}

// ---- acting as a member ----

type actorKey struct{}

// WithActor returns a context in which the workflow acts as u instead of
// the workspace user (`tidemark --as MEMBER`).
func WithActor(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, actorKey{}, u)
}

func actorFrom(ctx context.Context) (User, bool) {
	u, ok := ctx.Value(actorKey{}).(User)
	return u, ok
}

// AssessIssue grades an existing issue under the current rules without
// storing anything (Risk Center's Try it on an issue): the approval it
// would need now, and each task's risk.
func (s *Service) AssessIssue(ctx context.Context, n int) (Approval, []*Task, error) {
	is, err := s.Get(ctx, n)
	if err != nil {
		return Approval{}, nil, err
	}
	envs, err := s.d.WS.ListEnvironments(ctx)
	if err != nil {
		return Approval{}, nil, err
	}
	ap, err := s.requiredApproval(ctx, is, envs)
	return ap, is.Tasks, err
}

// ---- who may change the rules and the members ----

// requireRole refuses unless the current member holds one of roles (a sole
// member holds every role), naming them.
func (s *Service) requireRole(ctx context.Context, what string, roles ...string) error {
	m, err := s.Member(ctx)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if m.Holds(r, "") {
			return nil
		}
	}
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		names = append(names, risk.RoleTitle(r))
	}
	return refuse("role", "%s needs the role %s: %s does not hold it", what, strings.Join(names, " or "), m.ID)
}

// ruleEditors may change risk rules, approval flows and rollout policies.
var ruleEditors = []string{risk.RoleWorkspaceAdmin, risk.RoleDBA}

// AddMember adds a member (Workspace Admin only).
func (s *Service) AddMember(ctx context.Context, name, email string, roles []workspace.MemberRole) (workspace.Member, error) {
	if err := s.requireRole(ctx, "adding a member", risk.RoleWorkspaceAdmin); err != nil {
		return workspace.Member{}, err
	}
	return s.d.WS.AddMember(ctx, name, email, roles)
}

// RemoveMember removes a member (Workspace Admin only).
func (s *Service) RemoveMember(ctx context.Context, ref string) error {
	if err := s.requireRole(ctx, "removing a member", risk.RoleWorkspaceAdmin); err != nil {
		return err
	}
	return s.d.WS.RemoveMember(ctx, ref)
}

// GrantRole gives a member a role (Workspace Admin only).
func (s *Service) GrantRole(ctx context.Context, ref string, r workspace.MemberRole) (workspace.Member, error) {
	if err := s.requireRole(ctx, "granting a role", risk.RoleWorkspaceAdmin); err != nil {
		return workspace.Member{}, err
	}
	return s.d.WS.GrantRole(ctx, ref, r)
}

// RevokeRole takes a role from a member (Workspace Admin only).
func (s *Service) RevokeRole(ctx context.Context, ref string, r workspace.MemberRole) (workspace.Member, error) {
	if err := s.requireRole(ctx, "revoking a role", risk.RoleWorkspaceAdmin); err != nil {
		return workspace.Member{}, err
	}
	return s.d.WS.RevokeRole(ctx, ref, r)
}

// SetRolloutPolicy stores an environment's rollout policy (Workspace Admin
// or DBA).
func (s *Service) SetRolloutPolicy(ctx context.Context, p workspace.RolloutPolicy) (workspace.RolloutPolicy, error) {
	if err := s.requireRole(ctx, "changing a rollout policy", ruleEditors...); err != nil {
		return workspace.RolloutPolicy{}, err
	}
	return s.d.WS.SetRolloutPolicy(ctx, p)
}
