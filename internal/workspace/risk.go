package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidemark-dev/tidemark/internal/risk"
)

// settingPolicySeeded marks a workspace whose preset risk rules, approval
// templates and approval rules were written (once: deleting them later
// does not bring them back).
const settingPolicySeeded = "policy.seeded"

// seedPolicies writes the presets the first time policies are read.
func (s *Store) seedPolicies(ctx context.Context) error {
	if _, ok, err := s.Setting(ctx, settingPolicySeeded); err != nil || ok {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed policies: %w", err)
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM settings WHERE key = ?`, settingPolicySeeded).Scan(&done); err != nil || done > 0 {
		return err
	}
	if err := writeRiskRules(ctx, tx, risk.Presets()); err != nil {
		return err
	}
	if err := writeTemplates(ctx, tx, risk.PresetTemplates()); err != nil {
		return err
	}
	if err := writeApprovalRules(ctx, tx, risk.PresetApprovalRules()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, settingPolicySeeded, now()); err != nil {
		return fmt.Errorf("seed policies: %w", err)
	}
	return tx.Commit()
}

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func writeRiskRules(ctx context.Context, tx execer, rules []risk.Rule) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM risk_rules`); err != nil {
		return fmt.Errorf("write risk rules: %w", err)
	}
	for i, r := range rules {
		if _, err := tx.ExecContext(ctx, `INSERT INTO risk_rules (position, id, title, source, level, condition, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			i, r.ID, r.Title, r.Source, r.Level, r.Condition, r.Enabled); err != nil {
			if isUnique(err) {
				return fmt.Errorf("risk rule id %q appears twice: %w", r.ID, ErrInvalid)
			}
			return fmt.Errorf("write risk rules: %w", err)
		}
	}
	return nil
}

func writeTemplates(ctx context.Context, tx execer, ts []risk.Template) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM approval_templates`); err != nil {
		return fmt.Errorf("write approval templates: %w", err)
	}
	for i, t := range ts {
		steps, _ := json.Marshal(t.Steps)
		if _, err := tx.ExecContext(ctx, `INSERT INTO approval_templates (position, id, title, description, steps) VALUES (?, ?, ?, ?, ?)`,
			i, t.ID, t.Title, t.Description, string(steps)); err != nil {
			if isUnique(err) {
				return fmt.Errorf("approval template id %q appears twice: %w", t.ID, ErrInvalid)
			}
			return fmt.Errorf("write approval templates: %w", err)
		}
	}
	return nil
}

func writeApprovalRules(ctx context.Context, tx execer, rules []risk.ApprovalRule) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM approval_rules`); err != nil {
		return fmt.Errorf("write approval rules: %w", err)
	}
	for i, r := range rules {
		if _, err := tx.ExecContext(ctx, `INSERT INTO approval_rules (position, id, source, level, condition, template_id) VALUES (?, ?, ?, ?, ?, ?)`,
			i, r.ID, r.Source, r.Level, r.Condition, r.TemplateID); err != nil {
			if isUnique(err) {
				return fmt.Errorf("approval rule id %q appears twice: %w", r.ID, ErrInvalid)
			}
			return fmt.Errorf("write approval rules: %w", err)
		}
	}
	return nil
}

// ListRiskRules returns the risk rules in their order.
func (s *Store) ListRiskRules(ctx context.Context) ([]risk.Rule, error) {
	if err := s.seedPolicies(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, source, level, condition, enabled FROM risk_rules ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("list risk rules: %w", err)
	}
	defer rows.Close()
	out := []risk.Rule{}
	for rows.Next() {
		var r risk.Rule
		if err := rows.Scan(&r.ID, &r.Title, &r.Source, &r.Level, &r.Condition, &r.Enabled); err != nil {
			return nil, fmt.Errorf("list risk rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// checkRules compiles every rule: a condition that does not compile is
// refused with its position (risk.CompileError in the chain).
func checkRules(rules []risk.Rule) error {
	e, err := risk.NewEngine()
	if err != nil {
		return err
	}
	for i, r := range rules {
		if strings.TrimSpace(r.ID) == "" {
			return fmt.Errorf("risk rule %d (%q): empty id: %w", i+1, r.Title, ErrInvalid)
		}
		if _, err := e.Check(r); err != nil {
			return fmt.Errorf("%w: %w", err, ErrInvalid)
		}
	}
	return nil
}

// SaveRiskRule adds a rule, or replaces the one with its id, after
// compiling its condition.
func (s *Store) SaveRiskRule(ctx context.Context, r risk.Rule) (risk.Rule, error) {
	rules, err := s.ListRiskRules(ctx)
	if err != nil {
		return risk.Rule{}, err
	}
	r.ID, r.Title, r.Condition = strings.TrimSpace(r.ID), strings.TrimSpace(r.Title), strings.TrimSpace(r.Condition)
	if r.ID == "" {
		r.ID = Slug(string(r.Source) + "." + r.Title)
	}
	replaced := false
	for i := range rules {
		if rules[i].ID == r.ID {
			rules[i], replaced = r, true
		}
	}
	if !replaced {
		rules = append(rules, r)
	}
	return r, s.ReplaceRiskRules(ctx, rules)
}

// DeleteRiskRule removes a rule.
func (s *Store) DeleteRiskRule(ctx context.Context, id string) error {
	rules, err := s.ListRiskRules(ctx)
	if err != nil {
		return err
	}
	for i, r := range rules {
		if r.ID == id {
			return s.ReplaceRiskRules(ctx, append(rules[:i:i], rules[i+1:]...))
		}
	}
	return notFound("risk rule", id)
}

// ReplaceRiskRules stores rules as the whole list, in order; nothing
// changes when one is refused.
func (s *Store) ReplaceRiskRules(ctx context.Context, rules []risk.Rule) error {
	if err := checkRules(rules); err != nil {
		return err
	}
	if err := s.seedPolicies(ctx); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save risk rules: %w", err)
	}
	defer tx.Rollback()
	if err := writeRiskRules(ctx, tx, rules); err != nil {
		return err
	}
	return tx.Commit()
}

// ListApprovalTemplates returns the approval templates in their order.
func (s *Store) ListApprovalTemplates(ctx context.Context) ([]risk.Template, error) {
	if err := s.seedPolicies(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, description, steps FROM approval_templates ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("list approval templates: %w", err)
	}
	defer rows.Close()
	out := []risk.Template{}
	for rows.Next() {
		var t risk.Template
		var steps string
		if err := rows.Scan(&t.ID, &t.Title, &t.Description, &steps); err != nil {
			return nil, fmt.Errorf("list approval templates: %w", err)
		}
		if err := json.Unmarshal([]byte(steps), &t.Steps); err != nil {
			return nil, fmt.Errorf("approval template %s: %w", t.ID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ListApprovalRules returns the approval rules in their order (first match
// wins).
func (s *Store) ListApprovalRules(ctx context.Context) ([]risk.ApprovalRule, error) {
	if err := s.seedPolicies(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, source, level, condition, template_id FROM approval_rules ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("list approval rules: %w", err)
	}
	defer rows.Close()
	out := []risk.ApprovalRule{}
	for rows.Next() {
		var r risk.ApprovalRule
		if err := rows.Scan(&r.ID, &r.Source, &r.Level, &r.Condition, &r.TemplateID); err != nil {
			return nil, fmt.Errorf("list approval rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReplaceApprovals stores the approval templates and rules as a whole,
// after checking them (templates' roles, rules' conditions and templates);
// nothing changes when one is refused.
func (s *Store) ReplaceApprovals(ctx context.Context, ts []risk.Template, rules []risk.ApprovalRule) error {
	known := map[string]bool{}
	for _, t := range ts {
		if err := risk.CheckTemplate(t); err != nil {
			return fmt.Errorf("%w: %w", err, ErrInvalid)
		}
		known[t.ID] = true
	}
	e, err := risk.NewEngine()
	if err != nil {
		return err
	}
	for i, r := range rules {
		if strings.TrimSpace(r.ID) == "" {
			return fmt.Errorf("approval rule %d: empty id: %w", i+1, ErrInvalid)
		}
		if _, err := e.CheckApprovalRule(r, known); err != nil {
			return fmt.Errorf("%w: %w", err, ErrInvalid)
		}
	}
	if err := s.seedPolicies(ctx); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save approvals: %w", err)
	}
	defer tx.Rollback()
	if err := writeTemplates(ctx, tx, ts); err != nil {
		return err
	}
	if err := writeApprovalRules(ctx, tx, rules); err != nil {
		return err
	}
	return tx.Commit()
}

// Window is a time window: the days (mon … sun) and the hours [Start, End)
// ("09:00", "17:00"; End before Start spans midnight) in a time zone
// (default UTC).
type Window struct {
	Days     []string `json:"days" yaml:"days"`
	Start    string   `json:"start" yaml:"start"`
	End      string   `json:"end" yaml:"end"`
	Timezone string   `json:"timezone,omitempty" yaml:"timezone,omitempty"`
}

var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func clock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("time %q: use HH:MM: %w", s, ErrInvalid)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Check validates the window.
func (w Window) Check() error {
	if len(w.Days) == 0 {
		return fmt.Errorf("the rollout window has no days: %w", ErrInvalid)
	}
	for _, d := range w.Days {
		ok := false
		for _, x := range weekdays {
			ok = ok || strings.EqualFold(d, x)
		}
		if !ok {
			return fmt.Errorf("day %q: use mon, tue, wed, thu, fri, sat or sun: %w", d, ErrInvalid)
		}
	}
	a, err := clock(w.Start)
	if err != nil {
		return err
	}
	b, err := clock(w.End)
	if err != nil {
		return err
	}
	if a == b {
		return fmt.Errorf("the rollout window %s–%s is empty: %w", w.Start, w.End, ErrInvalid)
	}
	if w.Timezone != "" {
		if _, err := time.LoadLocation(w.Timezone); err != nil {
			return fmt.Errorf("time zone %q: %v: %w", w.Timezone, err, ErrInvalid)
		}
	}
	return nil
}

// Contains reports whether t falls in the window (a window that does not
// check is never open).
func (w Window) Contains(t time.Time) bool {
	if w.Check() != nil {
		return false
	}
	loc := time.UTC
	if w.Timezone != "" {
		loc, _ = time.LoadLocation(w.Timezone)
	}
	t = t.In(loc)
	a, _ := clock(w.Start)
	b, _ := clock(w.End)
	m := t.Hour()*60 + t.Minute()
	day := t.Weekday()
	if a > b && m < b { // after midnight: the window opened the day before
		day = (day + 6) % 7
	}
	onDay := false
	for _, d := range w.Days {
		onDay = onDay || strings.EqualFold(d, weekdays[day])
	}
	if !onDay {
		return false
	}
	if a < b {
		return m >= a && m < b
	}
	return m >= a || m < b
}

func (w Window) String() string {
	s := strings.Join(w.Days, ",") + " " + w.Start + "–" + w.End
	if w.Timezone != "" {
		s += " " + w.Timezone
	}
	return s
}

// DefaultRolloutRoles may roll out in a manual environment unless its
// policy names others.
var DefaultRolloutRoles = []string{risk.RoleWorkspaceAdmin, risk.RoleDBA, risk.RoleProjectOwner, risk.RoleReleaser}

// RolloutPolicy is an environment's rollout policy: automatic or manual
// (Environment.Rollout), the roles that may roll out by hand, and an
// optional time window.
type RolloutPolicy struct {
	EnvironmentID string   `json:"environmentId" yaml:"environment"`
	Mode          string   `json:"mode" yaml:"mode"` // automatic or manual
	Roles         []string `json:"roles" yaml:"roles"`
	Window        *Window  `json:"window,omitempty" yaml:"window,omitempty"`
}

// GetRolloutPolicy returns an environment's rollout policy (the default
// roles and no window when none was set).
func (s *Store) GetRolloutPolicy(ctx context.Context, envID string) (RolloutPolicy, error) {
	e, err := s.GetEnvironment(ctx, envID)
	if err != nil {
		return RolloutPolicy{}, err
	}
	p := RolloutPolicy{EnvironmentID: e.ID, Mode: e.RolloutPolicy(), Roles: append([]string(nil), DefaultRolloutRoles...)}
	var roles, window string
	err = s.db.QueryRowContext(ctx, `SELECT roles, time_window FROM rollout_policies WHERE environment_id = ?`, e.ID).Scan(&roles, &window)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return RolloutPolicy{}, fmt.Errorf("read rollout policy of %s: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(roles), &p.Roles); err != nil {
		return RolloutPolicy{}, fmt.Errorf("rollout policy of %s: %w", e.ID, err)
	}
	if window != "" {
		p.Window = &Window{}
		if err := json.Unmarshal([]byte(window), p.Window); err != nil {
			return RolloutPolicy{}, fmt.Errorf("rollout policy of %s: %w", e.ID, err)
		}
	}
	return p, nil
}

// SetRolloutPolicy stores an environment's rollout policy (the mode on the
// environment, roles and window beside it).
func (s *Store) SetRolloutPolicy(ctx context.Context, p RolloutPolicy) (RolloutPolicy, error) {
	if len(p.Roles) == 0 {
		return RolloutPolicy{}, fmt.Errorf("rollout policy of %s: name at least one role that may roll out: %w", p.EnvironmentID, ErrInvalid)
	}
	for i, r := range p.Roles {
		role, err := risk.ParseRole(r)
		if err != nil {
			return RolloutPolicy{}, fmt.Errorf("rollout policy of %s: %v: %w", p.EnvironmentID, err, ErrInvalid)
		}
		p.Roles[i] = role
	}
	window := ""
	if p.Window != nil {
		if err := p.Window.Check(); err != nil {
			return RolloutPolicy{}, fmt.Errorf("rollout policy of %s: %w", p.EnvironmentID, err)
		}
		b, _ := json.Marshal(p.Window)
		window = string(b)
	}
	if _, err := s.SetEnvironmentRollout(ctx, p.EnvironmentID, p.Mode); err != nil {
		return RolloutPolicy{}, err
	}
	roles, _ := json.Marshal(p.Roles)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO rollout_policies (environment_id, roles, time_window) VALUES (?, ?, ?)
		ON CONFLICT (environment_id) DO UPDATE SET roles = excluded.roles, time_window = excluded.time_window`, p.EnvironmentID, string(roles), window); err != nil {
		return RolloutPolicy{}, fmt.Errorf("write rollout policy of %s: %w", p.EnvironmentID, err)
	}
	return s.GetRolloutPolicy(ctx, p.EnvironmentID)
}

// DistinctApprovers reports whether a project requires a different member
// for each step of an approval flow (default off).
func (s *Store) DistinctApprovers(ctx context.Context, projectID string) (bool, error) {
	var on bool
	err := s.db.QueryRowContext(ctx, `SELECT distinct_approvers FROM project_approval WHERE project_id = ?`, projectID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read project approval settings: %w", err)
	}
	return on, nil
}

// SetDistinctApprovers sets the project's distinct-approvers setting.
func (s *Store) SetDistinctApprovers(ctx context.Context, projectID string, on bool) error {
	if _, err := s.GetProject(ctx, projectID); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO project_approval (project_id, distinct_approvers) VALUES (?, ?)
		ON CONFLICT (project_id) DO UPDATE SET distinct_approvers = excluded.distinct_approvers`, projectID, on)
	if err != nil {
		return fmt.Errorf("write project approval settings: %w", err)
	}
	return nil
}

// Policies is the file form of the workspace's rules: risk rules, approval
// templates and rules, and the rollout policy of each environment.
type Policies struct {
	RiskRules         []risk.Rule         `json:"riskRules" yaml:"risk_rules"`
	ApprovalTemplates []risk.Template     `json:"approvalTemplates" yaml:"approval_templates"`
	ApprovalRules     []risk.ApprovalRule `json:"approvalRules" yaml:"approval_rules"`
	Rollout           []RolloutPolicy     `json:"rollout" yaml:"rollout"`
}

// ExportPolicies reads the workspace's policies.
func (s *Store) ExportPolicies(ctx context.Context) (Policies, error) {
	var p Policies
	var err error
	if p.RiskRules, err = s.ListRiskRules(ctx); err != nil {
		return p, err
	}
	if p.ApprovalTemplates, err = s.ListApprovalTemplates(ctx); err != nil {
		return p, err
	}
	if p.ApprovalRules, err = s.ListApprovalRules(ctx); err != nil {
		return p, err
	}
	envs, err := s.ListEnvironments(ctx)
	if err != nil {
		return p, err
	}
	p.Rollout = []RolloutPolicy{}
	for _, e := range envs {
		rp, err := s.GetRolloutPolicy(ctx, e.ID)
		if err != nil {
			return p, err
		}
		p.Rollout = append(p.Rollout, rp)
	}
	return p, nil
}

// ImportPolicies replaces the workspace's policies with p. Everything is
// checked first (conditions compile, templates exist, environments exist,
// roles and windows are valid): a refusal changes nothing.
func (s *Store) ImportPolicies(ctx context.Context, p Policies) error {
	if err := checkRules(p.RiskRules); err != nil {
		return err
	}
	for i := range p.Rollout {
		rp := &p.Rollout[i]
		if _, err := s.GetEnvironment(ctx, rp.EnvironmentID); err != nil {
			return fmt.Errorf("rollout policy: %w", err)
		}
		if rp.Mode != RolloutAutomatic && rp.Mode != RolloutManual {
			return fmt.Errorf("rollout policy of %s: mode %q: use automatic or manual: %w", rp.EnvironmentID, rp.Mode, ErrInvalid)
		}
		if rp.Window != nil {
			if err := rp.Window.Check(); err != nil {
				return fmt.Errorf("rollout policy of %s: %w", rp.EnvironmentID, err)
			}
		}
		for _, r := range rp.Roles {
			if _, err := risk.ParseRole(r); err != nil {
				return fmt.Errorf("rollout policy of %s: %v: %w", rp.EnvironmentID, err, ErrInvalid)
			}
		}
	}
	if err := s.ReplaceApprovals(ctx, p.ApprovalTemplates, p.ApprovalRules); err != nil {
		return err
	}
	if err := s.ReplaceRiskRules(ctx, p.RiskRules); err != nil {
		return err
	}
	for _, rp := range p.Rollout {
		if _, err := s.SetRolloutPolicy(ctx, rp); err != nil {
			return err
		}
	}
	return nil
}
