package app

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// ---- types ----

// RulePayload is a rule's settings; which fields apply depends on the rule's
// payload type (regex/template: format + maxLength; number: number; list:
// list; comment: required + maxLength).
type RulePayload struct {
	Format    string   `json:"format"`
	MaxLength int      `json:"maxLength"`
	Number    int      `json:"number"`
	List      []string `json:"list"`
	Required  bool     `json:"required"`
}

// RuleInfo describes one review rule for the policy editor.
type RuleInfo struct {
	ID        string `json:"id"`
	Family    string `json:"family"`
	Title     string `json:"title"`
	Rationale string `json:"rationale"`
	// Level is the default level (the advanced template); BasicLevel the level in the basic template.
	Level      string `json:"level"`
	BasicLevel string `json:"basicLevel"`
	// PayloadType is none, regex, template, number, list or comment.
	PayloadType    string      `json:"payloadType"`
	DefaultPayload RulePayload `json:"defaultPayload"`
	Placeholders   []string    `json:"placeholders"`
	Example        string      `json:"example"`
	NeedsDatabase  bool        `json:"needsDatabase"`
	// Templates is the rule's level in each built-in template (off when not in it).
	Templates map[string]string `json:"templates"`
	// Why says why the rule sits in its templates; SafeForm what to write instead.
	Why      string `json:"why"`
	SafeForm string `json:"safeForm"`
}

// TemplateInfo is a built-in policy template and what it is for.
type TemplateInfo struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Purpose string `json:"purpose"`
}

// PolicyRule is one rule's setting in a policy: level error, warning or off.
// Payload is nil for rules without settings.
type PolicyRule struct {
	ID      string       `json:"id"`
	Level   string       `json:"level"`
	Payload *RulePayload `json:"payload"`
}

// Policy is an environment's SQL review policy. Rules lists every known rule
// (rules the stored policy does not mention are off).
type Policy struct {
	EnvironmentID string `json:"environmentId"`
	Name          string `json:"name"`
	// Template is the built-in template the policy started from.
	Template string `json:"template"`
	// Customized is false while the environment uses its default template untouched.
	Customized bool         `json:"customized"`
	UpdatedAt  string       `json:"updatedAt"`
	Rules      []PolicyRule `json:"rules"`
}

// ReviewRequest asks for a review of SQL under an environment's policy,
// optionally against a database's catalog.
type ReviewRequest struct {
	SQL string `json:"sql"`
	// EnvironmentID selects the policy; empty: the database's environment.
	EnvironmentID string `json:"environmentId"`
	// DatabaseID, optional: review against this database's live catalog.
	DatabaseID string `json:"databaseId"`
}

// Advice is one finding. Line/Column (1-based, characters) point at the
// offending element; EndLine/EndColumn at the end of its statement (or of the
// line for advice about the whole script).
type Advice struct {
	Rule      string `json:"rule"`
	Level     string `json:"level"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	// StatementLine is the first line of the statement (0 for script-level advice).
	StatementLine int `json:"statementLine"`
	// Rewrite is the statement's safe form, for advice that has one (nil otherwise).
	Rewrite *Rewrite `json:"rewrite"`
}

// Rewrite is the safe form of a flagged statement: Steps replace it (Apply
// fix), Plan is advice text for changes with no automatic safe form.
type Rewrite struct {
	Steps []RewriteStep `json:"steps"`
	Plan  string        `json:"plan"`
}

// RewriteStep is one statement of a rewrite; NonTransactional steps run
// alone, NewUnit ones in a later migration file.
type RewriteStep struct {
	SQL              string `json:"sql"`
	NonTransactional bool   `json:"nonTransactional"`
	NewUnit          bool   `json:"newUnit"`
}

// FixRequest asks for the SQL of a review with its safe rewrites applied.
type FixRequest struct {
	ReviewRequest
	// StatementLine > 0 fixes only the statement starting on that line; 0 all.
	StatementLine int `json:"statementLine"`
}

// KeptStatement is a flagged statement Apply fix left as written, and why.
type KeptStatement struct {
	Line   int    `json:"line"`
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

// FixResult is the fixed SQL: units after the first begin with a
// "-- tidemark:unit" line (each is a migration file of its own).
type FixResult struct {
	SQL     string          `json:"sql"`
	Units   int             `json:"units"`
	Applied int             `json:"applied"`
	Kept    []KeptStatement `json:"kept"`
	// Errors, Warnings and Infos count what the fixed SQL still draws.
	Errors      int          `json:"errors"`
	Warnings    int          `json:"warnings"`
	Infos       int          `json:"infos"`
	SyntaxError *SyntaxError `json:"syntaxError"`
}

// SyntaxError is where the parser gave up.
type SyntaxError struct {
	Message string `json:"message"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
}

// ReviewResult is the outcome of a review.
type ReviewResult struct {
	Advice      []Advice     `json:"advice"`
	SyntaxError *SyntaxError `json:"syntaxError"`
	Errors      int          `json:"errors"`
	Warnings    int          `json:"warnings"`
	// Infos counts info notes (shown, never blocking).
	Infos      int `json:"infos"`
	Statements int `json:"statements"`
	// Catalog says what the script was simulated against: "" (nothing known)
	// or a description of the database ("hr_prod on Sample, 12 tables").
	Catalog string `json:"catalog"`
	// PolicyName is the policy the review used.
	PolicyName string `json:"policyName"`
}

// ---- service ----

// ReviewService reviews SQL (livereview) and keeps each environment's
// review policy.
type ReviewService struct {
	a   *App
	reg *review.Registry
}

// Rules lists every review rule, sorted by id.
func (s *ReviewService) Rules() ([]RuleInfo, error) {
	infos := s.reg.Rules()
	out := make([]RuleInfo, 0, len(infos))
	for _, r := range infos {
		basic := r.Basic
		if basic == "" {
			basic = review.Off
		}
		levels, why, safe := s.reg.RuleTemplates(r.ID)
		tl := make(map[string]string, len(levels))
		for k, v := range levels {
			tl[k] = string(v)
		}
		out = append(out, RuleInfo{
			ID: r.ID, Family: r.Family, Title: r.Title, Rationale: r.Rationale,
			Level: string(r.Level), BasicLevel: string(basic), PayloadType: string(r.Payload),
			DefaultPayload: payloadOut(r.Default), Placeholders: nonNil(r.Placeholders), Example: r.Example,
			NeedsDatabase: r.NeedsDatabase, Templates: tl, Why: why, SafeForm: safe,
		})
	}
	return out, nil
}

// Templates lists the built-in policy templates.
func (s *ReviewService) Templates() []string { return review.Templates() }

// TemplateInfos lists the built-in templates with what each is for.
func (s *ReviewService) TemplateInfos() []TemplateInfo {
	var out []TemplateInfo
	for _, t := range review.TemplateInfos() {
		out = append(out, TemplateInfo{Name: t.Name, Title: t.Title, Purpose: t.Purpose})
	}
	return out
}

// load returns the engine policy of an environment, its stored record and
// whether one is stored (livereview.Reviewer.Policy).
func (s *ReviewService) load(ctx context.Context, envID string) (*review.Policy, workspace.ReviewPolicy, bool, error) {
	return s.a.reviewer.Policy(ctx, envID)
}

// policyOut lists every known rule with its setting in p.
func (s *ReviewService) policyOut(p *review.Policy, rec workspace.ReviewPolicy, found bool) Policy {
	out := Policy{EnvironmentID: rec.EnvironmentID, Name: p.Name, Template: rec.Template, Customized: found, UpdatedAt: rfc3339(rec.UpdatedAt)}
	for _, info := range s.reg.Rules() {
		pr := PolicyRule{ID: info.ID, Level: string(review.Off)}
		var pl *review.Payload
		if rc, ok := p.Rule(info.ID); ok {
			pr.Level = string(rc.Level)
			pl = rc.Payload
		}
		if info.Payload != review.PayloadNone {
			if pl == nil {
				d := info.Default
				pl = &d
			}
			po := payloadOut(*pl)
			pr.Payload = &po
		}
		out.Rules = append(out.Rules, pr)
	}
	return out
}

// Policy returns an environment's review policy (its default template until
// it is saved, reset or imported).
func (s *ReviewService) Policy(environmentID string) (Policy, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	p, rec, found, err := s.load(ctx, environmentID)
	if err != nil {
		return Policy{}, fail(err)
	}
	return s.policyOut(p, rec, found), nil
}

// policyIn converts the editor's policy to the engine's, checking every rule
// separately so the error names each bad rule; Field is the first one.
func (s *ReviewService) policyIn(in Policy) (*review.Policy, error) {
	p := &review.Policy{Name: strings.TrimSpace(in.Name)}
	var msgs []string
	first := ""
	for _, r := range in.Rules {
		rc := review.RuleConfig{ID: r.ID, Level: review.Level(r.Level)}
		if r.Payload != nil {
			pl := payloadIn(*r.Payload)
			rc.Payload = &pl
		}
		if err := s.reg.Validate(&review.Policy{Rules: []review.RuleConfig{rc}}); err != nil {
			msgs = append(msgs, err.Error())
			if first == "" {
				first = r.ID
			}
			continue
		}
		p.Rules = append(p.Rules, rc)
	}
	if err := s.reg.Validate(p); err != nil && len(msgs) == 0 {
		msgs = append(msgs, err.Error()) // e.g. a rule listed twice
	}
	if len(msgs) > 0 {
		return nil, &usererr.Error{Message: "invalid policy: " + strings.Join(msgs, "; "), Field: first}
	}
	if p.Name == "" {
		p.Name = "custom"
	}
	return p, nil
}

// store validates and saves p as the environment's policy.
func (s *ReviewService) store(ctx context.Context, envID, template string, p *review.Policy) (Policy, error) {
	data, err := review.MarshalPolicy(p)
	if err != nil {
		return Policy{}, err
	}
	rec, err := s.a.ws.SaveReviewPolicy(ctx, workspace.ReviewPolicy{EnvironmentID: envID, Template: template, YAML: string(data)})
	if err != nil {
		return Policy{}, err
	}
	return s.policyOut(p, rec, true), nil
}

// SavePolicy validates and stores an environment's policy. The error names
// every rule whose level or payload is wrong (Field: the first such rule id).
func (s *ReviewService) SavePolicy(environmentID string, in Policy) (Policy, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	_, rec, _, err := s.load(ctx, environmentID)
	if err != nil && rec.Template == "" {
		return Policy{}, fail(err)
	}
	p, err := s.policyIn(in)
	if err != nil {
		return Policy{}, fail(err)
	}
	out, err := s.store(ctx, environmentID, rec.Template, p)
	return out, fail(err)
}

// ResetPolicy replaces an environment's policy with a built-in template
// (default, test, conventions, advanced or basic; empty: the environment's
// default).
func (s *ReviewService) ResetPolicy(environmentID, template string) (Policy, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	env, err := s.a.ws.GetEnvironment(ctx, environmentID)
	if err != nil {
		return Policy{}, fail(err)
	}
	if template == "" {
		template = livereview.DefaultTemplate(env)
	}
	p, err := s.reg.Template(template)
	if err != nil {
		return Policy{}, fail(&usererr.Error{Message: err.Error(), Field: "template"})
	}
	out, err := s.store(ctx, environmentID, template, p)
	return out, fail(err)
}

// ExportPolicyYAML renders an environment's policy as YAML, the format
// `tidemark review --policy FILE` reads.
func (s *ReviewService) ExportPolicyYAML(environmentID string) (string, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	p, _, _, err := s.load(ctx, environmentID)
	if err != nil {
		return "", fail(err)
	}
	data, err := review.MarshalPolicy(p)
	if err != nil {
		return "", fail(err)
	}
	return string(data), nil
}

// ImportPolicyYAML replaces an environment's policy with a YAML policy; it is
// validated first (unknown rules, levels, payload fields are refused).
func (s *ReviewService) ImportPolicyYAML(environmentID, text string) (Policy, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	_, rec, _, err := s.load(ctx, environmentID)
	if err != nil && rec.Template == "" {
		return Policy{}, fail(err)
	}
	if strings.TrimSpace(text) == "" {
		return Policy{}, fail(usererr.Invalid("yaml", "the policy file is empty"))
	}
	p, err := s.reg.ParsePolicy([]byte(text))
	if err != nil {
		return Policy{}, fail(err)
	}
	out, err := s.store(ctx, environmentID, rec.Template, p)
	return out, fail(err)
}

// dialogContext is the Wails context when the app runs in a window; nil in
// tests and headless runs, where file dialogs cannot open.
func (s *ReviewService) dialogContext() context.Context {
	ctx := s.a.base()
	if ctx.Value("frontend") == nil {
		return nil
	}
	return ctx
}

var yamlFilters = []runtime.FileFilter{{DisplayName: "YAML policy (*.yaml, *.yml)", Pattern: "*.yaml;*.yml"}}

// ExportPolicy writes an environment's policy to a YAML file. With an empty
// path it asks for one with a save dialog. It returns the path written, or ""
// when the dialog was cancelled.
func (s *ReviewService) ExportPolicy(environmentID, path string) (string, error) {
	text, err := s.ExportPolicyYAML(environmentID)
	if err != nil {
		return "", err
	}
	if path == "" {
		dctx := s.dialogContext()
		if dctx == nil {
			return "", fail(usererr.Invalid("path", "no file given and no window to ask for one"))
		}
		path, err = runtime.SaveFileDialog(dctx, runtime.SaveDialogOptions{
			Title: "Export review policy", DefaultFilename: "review-policy-" + environmentID + ".yaml", Filters: yamlFilters,
		})
		if err != nil {
			return "", fail(fmt.Errorf("save dialog: %w", err))
		}
		if path == "" {
			return "", nil
		}
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return "", fail(fmt.Errorf("write policy file %s: %w", path, err))
	}
	return path, nil
}

// ImportPolicy reads a YAML policy file into an environment. With an empty
// path it asks for one with an open dialog; a cancelled dialog returns the
// current policy unchanged.
func (s *ReviewService) ImportPolicy(environmentID, path string) (Policy, error) {
	if path == "" {
		dctx := s.dialogContext()
		if dctx == nil {
			return Policy{}, fail(usererr.Invalid("path", "no file given and no window to ask for one"))
		}
		var err error
		path, err = runtime.OpenFileDialog(dctx, runtime.OpenDialogOptions{Title: "Import review policy", Filters: yamlFilters})
		if err != nil {
			return Policy{}, fail(fmt.Errorf("open dialog: %w", err))
		}
		if path == "" {
			return s.Policy(environmentID)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, fail(fmt.Errorf("read policy file %s: %w", path, err))
	}
	p, err := s.ImportPolicyYAML(environmentID, string(data))
	if err != nil {
		return Policy{}, fail(usererr.Wrap(path+": ", userError(err)))
	}
	return p, nil
}

// Review checks SQL against an environment's policy. With a database it is
// simulated against that database's catalog, read live (tables, indexes,
// row estimates), and rules that need the database (EXPLAIN) run too; when
// the database cannot be reached, its latest synced schema snapshot is used.
// A script that does not parse returns a result with SyntaxError set.
func (s *ReviewService) Review(req ReviewRequest) (ReviewResult, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	res, err := s.a.reviewer.Review(ctx, livereview.Request{SQL: req.SQL, EnvironmentID: req.EnvironmentID, DatabaseID: req.DatabaseID})
	out := ReviewResult{Advice: []Advice{}}
	if res != nil {
		out.PolicyName, out.Catalog = res.Policy.Name, res.Target
	}
	if res != nil && res.Syntax != nil {
		se := res.Syntax
		out.SyntaxError = &SyntaxError{Message: se.Message, Line: se.Line, Column: se.Column}
		out.Errors = 1
		return out, nil
	}
	if err != nil {
		return ReviewResult{}, fail(err)
	}
	for _, f := range res.Findings() {
		out.Advice = append(out.Advice, adviceOut(f))
	}
	out.Errors, out.Warnings, out.Infos, out.Statements = res.Counts[review.Error], res.Counts[review.Warning], res.Counts[review.Info], len(res.Statements)
	return out, nil
}

// Fix returns the SQL with the safe rewrites of its advice applied (only
// those of the statement starting on StatementLine when it is set), under
// the same policy and target as Review, and what the fixed SQL still draws.
// A script that does not parse returns a result with SyntaxError set.
func (s *ReviewService) Fix(req FixRequest) (FixResult, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	res, err := s.a.reviewer.Fix(ctx, livereview.Request{SQL: req.SQL, EnvironmentID: req.EnvironmentID, DatabaseID: req.DatabaseID}, req.StatementLine)
	if res != nil && res.Syntax != nil {
		se := res.Syntax
		return FixResult{SQL: req.SQL, Kept: []KeptStatement{}, SyntaxError: &SyntaxError{Message: se.Message, Line: se.Line, Column: se.Column}}, nil
	}
	if err != nil {
		return FixResult{}, fail(err)
	}
	out := FixResult{SQL: res.Text(), Units: len(res.Units), Applied: res.Applied, Kept: []KeptStatement{},
		Errors: res.Counts[review.Error], Warnings: res.Counts[review.Warning], Infos: res.Counts[review.Info]}
	for _, k := range res.Kept {
		out.Kept = append(out.Kept, KeptStatement{Line: k.Line, Rule: k.Rule, Reason: k.Reason})
	}
	return out, nil
}

// adviceOut converts a finding, with the end of its highlight.
func adviceOut(f livereview.Finding) Advice {
	a := Advice{Rule: f.Rule, Level: string(f.Level), Title: f.Title, Message: f.Message, Line: f.Line, Column: f.Column,
		EndLine: f.EndLine, EndColumn: f.EndColumn, StatementLine: f.Statement.Line}
	if rw := f.Rewrite; rw != nil {
		a.Rewrite = &Rewrite{Steps: []RewriteStep{}, Plan: rw.Plan}
		for _, st := range rw.Steps {
			a.Rewrite.Steps = append(a.Rewrite.Steps, RewriteStep{SQL: st.SQL, NonTransactional: st.NonTransactional, NewUnit: st.NewUnit})
		}
	}
	return a
}

func payloadOut(p review.Payload) RulePayload {
	return RulePayload{Format: p.Format, MaxLength: p.MaxLength, Number: p.Number, List: nonNil(p.List), Required: p.Required}
}

func payloadIn(p RulePayload) review.Payload {
	var list []string
	for _, s := range p.List {
		if t := strings.TrimSpace(s); t != "" {
			list = append(list, t)
		}
	}
	return review.Payload{Format: p.Format, MaxLength: p.MaxLength, Number: p.Number, List: list, Required: p.Required}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
