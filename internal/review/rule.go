package review

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Level is how serious an advice is. A policy sets one per rule.
type Level string

// Levels. Off disables a rule. Info is a note below warning: it is shown
// but never blocks (exit status, workflow checks and "roll out anyway"
// ignore it).
const (
	Error   Level = "error"
	Warning Level = "warning"
	Info    Level = "info"
	Off     Level = "off"
)

func (l Level) valid() bool { return l == Error || l == Warning || l == Info || l == Off }

// PayloadType is the shape of a rule's settings.
type PayloadType string

// Payload types. The UI renders one editor per type.
const (
	PayloadNone     PayloadType = "none"
	PayloadRegex    PayloadType = "regex"    // Format is a regular expression; MaxLength optional (0 = no limit)
	PayloadTemplate PayloadType = "template" // Format is a regular expression with {{placeholders}}; MaxLength optional
	PayloadNumber   PayloadType = "number"   // Number
	PayloadList     PayloadType = "list"     // List of strings
	PayloadComment  PayloadType = "comment"  // Required + MaxLength (0 = no limit)
)

// Payload holds a rule's settings; which fields apply depends on the rule's PayloadType.
type Payload struct {
	Format    string   `json:"format,omitempty" yaml:"format,omitempty"`
	MaxLength int      `json:"maxLength,omitempty" yaml:"maxLength,omitempty"`
	Number    int      `json:"number,omitempty" yaml:"number,omitempty"`
	List      []string `json:"list,omitempty" yaml:"list,omitempty"`
	Required  bool     `json:"required,omitempty" yaml:"required,omitempty"`
}

func (p Payload) clone() Payload {
	p.List = append([]string(nil), p.List...)
	return p
}

// RuleInfo describes a rule for documentation and the policy editor.
type RuleInfo struct {
	ID        string      `json:"id"`
	Family    string      `json:"family"`
	Title     string      `json:"title"`
	Rationale string      `json:"rationale"`
	Level     Level       `json:"level"`      // default level (the advanced template)
	Basic     Level       `json:"basicLevel"` // level in the basic template (off when not in it)
	Payload   PayloadType `json:"payloadType"`
	Default   Payload     `json:"defaultPayload"`
	// Placeholders are the {{names}} a template payload may use.
	Placeholders []string `json:"placeholders,omitempty"`
	// Example is SQL the rule flags.
	Example string `json:"example"`
	// NeedsDatabase marks rules that only report against a live database.
	NeedsDatabase bool `json:"needsDatabase,omitempty"`
}

// rule is a RuleInfo plus its checks.
type rule struct {
	RuleInfo
	// stmt runs for every statement before the catalog applies it (for
	// meta-commands, which have no parse tree, only when meta is set).
	stmt func(c *ctx)
	meta bool
	// finish runs once after the whole script (final catalog state).
	finish func(c *ctx)
}

// Registry is the set of rules review knows. It is immutable after
// NewRegistry; share it freely.
type Registry struct {
	rules []*rule
	byID  map[string]*rule
}

// NewRegistry builds the registry of all built-in rules.
func NewRegistry() *Registry {
	var all []*rule
	for _, fam := range [][]*rule{
		namingRules(), tableRules(), statementRules(), columnRules(), indexRules(),
		systemRules(), compatRules(), migrationRules(), transactionRules(), reviewRules(),
	} {
		all = append(all, fam...)
	}
	r := &Registry{rules: all, byID: make(map[string]*rule, len(all))}
	for _, x := range all {
		if _, dup := r.byID[x.ID]; dup {
			panic("review: duplicate rule id " + x.ID)
		}
		if x.Payload == "" {
			x.Payload = PayloadNone
		}
		r.byID[x.ID] = x
	}
	return r
}

// Rules returns every rule's description, sorted by id.
func (r *Registry) Rules() []RuleInfo {
	out := make([]RuleInfo, len(r.rules))
	for i, x := range r.rules {
		out[i] = x.RuleInfo
		out[i].Default = x.Default.clone()
		if out[i].Basic == "" {
			out[i].Basic = Off
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Rule returns one rule's description.
func (r *Registry) Rule(id string) (RuleInfo, bool) {
	x, ok := r.byID[id]
	if !ok {
		return RuleInfo{}, false
	}
	info := x.RuleInfo
	info.Default = x.Default.clone()
	if info.Basic == "" {
		info.Basic = Off
	}
	return info, true
}

// validatePayload checks p against the rule's payload type.
func (x *rule) validatePayload(p Payload) error {
	bad := func(field string) error {
		return fmt.Errorf("rule %s: payload field %q does not apply to a %s payload", x.ID, field, x.Payload)
	}
	if p.MaxLength < 0 || p.Number < 0 {
		return fmt.Errorf("rule %s: numbers in the payload must not be negative", x.ID)
	}
	switch x.Payload {
	case PayloadNone:
		if p.Format != "" {
			return bad("format")
		}
		if p.MaxLength != 0 {
			return bad("maxLength")
		}
		if p.Number != 0 {
			return bad("number")
		}
		if len(p.List) > 0 {
			return bad("list")
		}
		if p.Required {
			return bad("required")
		}
	case PayloadRegex, PayloadTemplate:
		if p.Number != 0 {
			return bad("number")
		}
		if len(p.List) > 0 {
			return bad("list")
		}
		if p.Required {
			return bad("required")
		}
		if p.Format == "" {
			return fmt.Errorf("rule %s: payload needs a format", x.ID)
		}
		f := p.Format
		if x.Payload == PayloadTemplate {
			for _, m := range placeholderRE.FindAllStringSubmatch(f, -1) {
				if !containsString(x.Placeholders, m[1]) {
					return fmt.Errorf("rule %s: unknown placeholder {{%s}} in format (known: %s)", x.ID, m[1], placeholderList(x.Placeholders))
				}
			}
			f = placeholderRE.ReplaceAllString(f, "x")
		}
		if _, err := regexp.Compile(f); err != nil {
			return fmt.Errorf("rule %s: format is not a valid regular expression: %w", x.ID, err)
		}
	case PayloadNumber:
		if p.Format != "" {
			return bad("format")
		}
		if len(p.List) > 0 {
			return bad("list")
		}
		if p.Required {
			return bad("required")
		}
		if p.MaxLength != 0 {
			return bad("maxLength")
		}
		if p.Number <= 0 {
			return fmt.Errorf("rule %s: payload needs a positive number", x.ID)
		}
	case PayloadList:
		if p.Format != "" {
			return bad("format")
		}
		if p.Number != 0 {
			return bad("number")
		}
		if p.MaxLength != 0 {
			return bad("maxLength")
		}
		if p.Required {
			return bad("required")
		}
		for _, s := range p.List {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("rule %s: list entries must not be empty", x.ID)
			}
		}
	case PayloadComment:
		if p.Format != "" {
			return bad("format")
		}
		if p.Number != 0 {
			return bad("number")
		}
		if len(p.List) > 0 {
			return bad("list")
		}
	}
	return nil
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)

func placeholderList(p []string) string {
	q := make([]string, len(p))
	for i, s := range p {
		q[i] = "{{" + s + "}}"
	}
	return strings.Join(q, ", ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}
