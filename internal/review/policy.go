package review

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Policy is a set of enabled rules, each with a level and payload. Rules a
// policy does not list are off.
type Policy struct {
	Name  string       `json:"name" yaml:"name"`
	Rules []RuleConfig `json:"rules" yaml:"rules"`
}

// RuleConfig is one rule's setting in a policy.
type RuleConfig struct {
	ID      string   `json:"id" yaml:"id"`
	Level   Level    `json:"level" yaml:"level"`
	Payload *Payload `json:"payload,omitempty" yaml:"payload,omitempty"`
}

// Rule returns the configuration of rule id in the policy.
func (p *Policy) Rule(id string) (RuleConfig, bool) {
	for _, rc := range p.Rules {
		if rc.ID == id {
			return rc, true
		}
	}
	return RuleConfig{}, false
}

// Set changes (or adds) one rule's level and, when payload is non-nil, payload.
func (p *Policy) Set(id string, level Level, payload *Payload) {
	for i := range p.Rules {
		if p.Rules[i].ID == id {
			p.Rules[i].Level = level
			if payload != nil {
				pl := payload.clone()
				p.Rules[i].Payload = &pl
			}
			return
		}
	}
	rc := RuleConfig{ID: id, Level: level}
	if payload != nil {
		pl := payload.clone()
		rc.Payload = &pl
	}
	p.Rules = append(p.Rules, rc)
}

// Validate checks every rule id, level and payload; the error lists every
// problem, one per line.
func (r *Registry) Validate(p *Policy) error {
	var errs []string
	seen := map[string]bool{}
	for _, rc := range p.Rules {
		x, ok := r.byID[rc.ID]
		if !ok {
			msg := fmt.Sprintf("unknown rule %q", rc.ID)
			if s := r.suggest(rc.ID); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			errs = append(errs, msg)
			continue
		}
		if seen[rc.ID] {
			errs = append(errs, fmt.Sprintf("rule %s is listed twice", rc.ID))
		}
		seen[rc.ID] = true
		if !rc.Level.valid() {
			errs = append(errs, fmt.Sprintf("rule %s: level %q is not one of error, warning, info, off", rc.ID, rc.Level))
		}
		if rc.Payload != nil {
			if err := x.validatePayload(*rc.Payload); err != nil {
				errs = append(errs, err.Error())
			}
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// suggest returns the known rule id closest to id (shared prefix / suffix).
func (r *Registry) suggest(id string) string {
	best, score := "", 0
	for _, x := range r.rules {
		s := commonPrefix(x.ID, id) + commonSuffix(x.ID, id)
		if s > score {
			best, score = x.ID, s
		}
	}
	if score < 4 {
		return ""
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func commonSuffix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

// MarshalPolicy renders a policy as YAML (rules sorted by id).
func MarshalPolicy(p *Policy) ([]byte, error) {
	cp := Policy{Name: p.Name, Rules: append([]RuleConfig(nil), p.Rules...)}
	sort.SliceStable(cp.Rules, func(i, j int) bool { return cp.Rules[i].ID < cp.Rules[j].ID })
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&cp); err != nil {
		return nil, fmt.Errorf("encode policy: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode policy: %w", err)
	}
	return buf.Bytes(), nil
}

// ParsePolicy reads a YAML policy and validates it against the registry.
// Unknown fields are errors (a misspelt key must not silently do nothing).
func (r *Registry) ParsePolicy(data []byte) (*Policy, error) {
	var p Policy
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("parse policy: %w", err)
	}
	if err := r.Validate(&p); err != nil {
		return nil, fmt.Errorf("invalid policy:\n%w", err)
	}
	return &p, nil
}

// LoadPolicy resolves a policy argument: a template name or a YAML file
// ("" = the default template).
func (r *Registry) LoadPolicy(nameOrFile string) (*Policy, error) {
	if nameOrFile == "" {
		nameOrFile = TemplateDefault
	}
	if isTemplate(nameOrFile) {
		return r.Template(nameOrFile)
	}
	data, err := os.ReadFile(nameOrFile)
	if err != nil {
		return nil, fmt.Errorf("read policy %s (or use a template: %s): %w", nameOrFile, strings.Join(Templates(), ", "), err)
	}
	p, err := r.ParsePolicy(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nameOrFile, err)
	}
	return p, nil
}

// SavePolicy writes a policy as YAML to path.
func SavePolicy(path string, p *Policy) error {
	data, err := MarshalPolicy(p)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write policy %s: %w", path, err)
	}
	return nil
}
