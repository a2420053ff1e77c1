// Package risk grades changes: risk rules are CEL expressions over the
// facts of each statement of a task (its environment, database, table,
// statement type from the parser, affected and table rows from the checks,
// ...), each with a source (the kind of issue it applies to) and a level.
// A task's risk is the highest level a rule matches on any of its
// statements, an issue's the highest of its tasks; no match is low.
//
// The same engine matches approval rules (source, level and an optional CEL
// condition, first match wins) to an approval template: an ordered list of
// the roles that must approve.
package risk

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
)

// Source is the kind of change a rule applies to.
type Source string

// Rule sources.
const (
	SourceSchemaChange   Source = "schema_change"
	SourceDataChange     Source = "data_change"
	SourceCreateDatabase Source = "create_database"
)

// Sources lists the sources in display order.
var Sources = []Source{SourceSchemaChange, SourceDataChange, SourceCreateDatabase}

// ParseSource checks a source name.
func ParseSource(s string) (Source, error) {
	for _, x := range Sources {
		if string(x) == s {
			return x, nil
		}
	}
	return "", fmt.Errorf("source %q: use schema_change, data_change or create_database", s)
}

// SourceOf is the rule source of an issue type: baselines count as schema
// changes.
func SourceOf(issueType string) Source {
	switch issueType {
	case string(SourceDataChange):
		return SourceDataChange
	case string(SourceCreateDatabase):
		return SourceCreateDatabase
	}
	return SourceSchemaChange
}

// Level is a risk level.
type Level string

// Risk levels, lowest first.
const (
	Low      Level = "low"
	Moderate Level = "moderate"
	High     Level = "high"
)

// Levels lists the levels lowest first.
var Levels = []Level{Low, Moderate, High}

// ParseLevel checks a level name.
func ParseLevel(s string) (Level, error) {
	for _, l := range Levels {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("risk level %q: use low, moderate or high", s)
}

// Rank orders levels: low 1, moderate 2, high 3 (0 for anything else).
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i + 1
		}
	}
	return 0
}

// Max returns the higher of two levels (an unknown level counts as none).
func Max(a, b Level) Level {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

// Rule is one risk rule.
type Rule struct {
	ID        string `json:"id" yaml:"id"`
	Title     string `json:"title" yaml:"title"`
	Source    Source `json:"source" yaml:"source"`
	Level     Level  `json:"level" yaml:"level"`
	Condition string `json:"condition" yaml:"condition"`
	Enabled   bool   `json:"enabled" yaml:"enabled"`
}

// Variables are the names a condition may use, with their CEL types, in
// documentation order.
var Variables = []struct {
	Name, Type, Doc string
}{
	{"environment_id", "string", "the target environment's id (e.g. prod)"},
	{"production", "bool", "the target environment is marked production"},
	{"project_id", "string", "the issue's project id"},
	{"instance_id", "string", "the target instance's id"},
	{"database_name", "string", "the target database"},
	{"schema_name", "string", "the schema of the table the statement touches (public when not written)"},
	{"table_name", "string", "the table the statement touches (\"\" when none)"},
	{"sql_type", "string", "the statement's kind from the parser: CREATE_TABLE, ALTER_TABLE, DROP_TABLE, CREATE_INDEX, UPDATE, DELETE, TRUNCATE, …"},
	{"affected_rows", "int", "the affected-rows check's estimate for the statement (0 when unknown)"},
	{"table_rows", "int", "the row estimate of the table (0 when unknown)"},
	{"statement_text", "string", "the statement's text"},
	{"has_destructive", "bool", "the statement drops, truncates or rewrites data wholesale"},
	{"non_transactional", "bool", "the statement cannot run in a transaction"},
	{"issue_type", "string", "schema_change, data_change, create_database or baseline"},
}

// Engine compiles conditions. Build one with NewEngine and share it.
type Engine struct {
	env *cel.Env
}

// NewEngine returns an engine declaring the rule variables.
func NewEngine() (*Engine, error) {
	var opts []cel.EnvOption
	for _, v := range Variables {
		var t *cel.Type
		switch v.Type {
		case "string":
			t = cel.StringType
		case "int":
			t = cel.IntType
		case "bool":
			t = cel.BoolType
		}
		opts = append(opts, cel.Variable(v.Name, t))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, fmt.Errorf("risk: CEL environment: %w", err)
	}
	return &Engine{env: env}, nil
}

// CompileError is a condition that does not compile, with the position of
// the first problem (1-based line and column).
type CompileError struct {
	Line, Column int
	Message      string
}

func (e *CompileError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
}

// Program is a compiled condition.
type Program struct {
	prg cel.Program
}

// Compile type-checks a condition: it must be a boolean expression over the
// rule variables. A refusal is a *CompileError.
func (e *Engine) Compile(condition string) (*Program, error) {
	if strings.TrimSpace(condition) == "" {
		return nil, &CompileError{Line: 1, Column: 1, Message: "the condition is empty"}
	}
	ast, iss := e.env.Compile(condition)
	if iss != nil && iss.Err() != nil {
		errs := iss.Errors()
		ce := &CompileError{Line: 1, Column: 1, Message: iss.Err().Error()}
		if len(errs) > 0 {
			ce.Message = errs[0].Message
			if loc := errs[0].Location; loc != nil && loc.Line() > 0 {
				ce.Line, ce.Column = loc.Line(), loc.Column()+1
			}
		}
		return nil, ce
	}
	if !ast.OutputType().IsExactType(cel.BoolType) {
		return nil, &CompileError{Line: 1, Column: 1, Message: fmt.Sprintf("the condition is a %s, not a bool", ast.OutputType())}
	}
	prg, err := e.env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, &CompileError{Line: 1, Column: 1, Message: err.Error()}
	}
	return &Program{prg: prg}, nil
}

// Eval runs the condition on one statement's facts. A run-time error (a
// division by zero, an overflow, …) is returned as an error: callers count
// it as not matched and report it.
func (p *Program) Eval(in *Input) (bool, error) {
	out, _, err := p.prg.Eval(in)
	if err != nil {
		return false, err
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("the condition gave %v, not a bool", out.Value())
	}
	return b, nil
}

// Check validates a rule and compiles its condition.
func (e *Engine) Check(r Rule) (*Program, error) {
	if strings.TrimSpace(r.Title) == "" {
		return nil, fmt.Errorf("risk rule %q: the title is empty", r.ID)
	}
	if _, err := ParseSource(string(r.Source)); err != nil {
		return nil, fmt.Errorf("risk rule %q: %w", r.Title, err)
	}
	if _, err := ParseLevel(string(r.Level)); err != nil {
		return nil, fmt.Errorf("risk rule %q: %w", r.Title, err)
	}
	p, err := e.Compile(r.Condition)
	if err != nil {
		return nil, fmt.Errorf("risk rule %q: %w", r.Title, err)
	}
	return p, nil
}
