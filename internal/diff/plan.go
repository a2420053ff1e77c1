// Package diff plans the migration that turns one schema into another: an
// ordered list of DDL statements, each with the hazards a reader must know
// about (data loss, table rewrites, locks, index builds, scans, breaking
// clients, statements that cannot run in a transaction) and the timeouts to
// run it under.
//
// Diff works on catalog models only (no I/O). Compute adds plan validation:
// it loads the source schema into a scratch database, applies the plan,
// inspects the result and refuses the plan, naming the objects that still
// differ, unless it reproduces the target exactly.
//
// Renames are never guessed: an object present on one side only is dropped
// or created, and a dropped table or column is flagged as deleting data. A
// caller that knows of renames (the schema editor) passes them in
// Options.Renames: the plan starts with the ALTER ... RENAME statements and
// the rest is planned from a copy of the source with the renames applied the
// way PostgreSQL applies them (ApplyRenames).
package diff

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// HazardType classifies what running a statement can do to a live database.
type HazardType string

// Hazard types. The values are stable (JSON output, UI badges).
const (
	HazardDeletesData        HazardType = "deletes_data"
	HazardRewritesTable      HazardType = "rewrites_table"
	HazardAccessExclusive    HazardType = "access_exclusive_lock"
	HazardBuildsIndex        HazardType = "builds_index"
	HazardValidatesScan      HazardType = "validates_constraint"
	HazardBreaksClients      HazardType = "breaks_clients"
	HazardNonTransactional   HazardType = "non_transactional"
	HazardRecreatesDependent HazardType = "recreates_dependent"
)

// Hazard is one risk of a statement, with a message written for the person
// reviewing the migration.
type Hazard struct {
	Type    HazardType `json:"type"`
	Message string     `json:"message"`
}

// Statement is one step of a plan.
type Statement struct {
	SQL     string   `json:"sql"`
	Hazards []Hazard `json:"hazards,omitempty"`
	// Transactional is false for statements PostgreSQL refuses inside a
	// transaction block (CREATE INDEX CONCURRENTLY, ...) or whose effect must
	// be committed before later statements can use it (ALTER TYPE ... ADD VALUE).
	Transactional bool `json:"transactional"`
	// LockTimeout and StatementTimeout are the settings to run the statement
	// under (zero: leave the session's). Online plans set both on every statement.
	LockTimeout      time.Duration `json:"-"`
	StatementTimeout time.Duration `json:"-"`
	// Object is the key of the object the statement creates, alters or drops.
	Object string `json:"object"`
}

// statementJSON is the JSON form of a Statement (timeouts in milliseconds).
type statementJSON struct {
	SQL              string   `json:"sql"`
	Hazards          []Hazard `json:"hazards"`
	Transactional    bool     `json:"transactional"`
	LockTimeoutMS    int64    `json:"lock_timeout_ms,omitempty"`
	StatementTimeout int64    `json:"statement_timeout_ms,omitempty"`
	Object           string   `json:"object"`
}

// MarshalJSON renders timeouts as milliseconds and hazards as a list (never null).
func (s Statement) MarshalJSON() ([]byte, error) {
	h := s.Hazards
	if h == nil {
		h = []Hazard{}
	}
	return json.Marshal(statementJSON{SQL: s.SQL, Hazards: h, Transactional: s.Transactional,
		LockTimeoutMS: s.LockTimeout.Milliseconds(), StatementTimeout: s.StatementTimeout.Milliseconds(), Object: s.Object})
}

// UnmarshalJSON is the inverse of MarshalJSON.
func (s *Statement) UnmarshalJSON(b []byte) error {
	var j statementJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Statement{SQL: j.SQL, Hazards: j.Hazards, Transactional: j.Transactional,
		LockTimeout:      time.Duration(j.LockTimeoutMS) * time.Millisecond,
		StatementTimeout: time.Duration(j.StatementTimeout) * time.Millisecond, Object: j.Object}
	return nil
}

// HasHazard reports whether the statement carries a hazard of type t.
func (s Statement) HasHazard(t HazardType) bool {
	for _, h := range s.Hazards {
		if h.Type == t {
			return true
		}
	}
	return false
}

// Plan is an ordered migration.
type Plan struct {
	Statements []Statement `json:"statements"`
	// ColumnOrder lists tables whose columns will end up in a different
	// physical order than in the target (ADD COLUMN appends); the schemas are
	// otherwise equal.
	ColumnOrder []string `json:"column_order,omitempty"`
	// Unsupported lists objects of either side the model does not cover:
	// they are not compared and the plan does not touch them.
	Unsupported []UnsupportedObject `json:"unsupported,omitempty"`
	// Validated is true when the plan was applied to a scratch copy of the
	// source and reproduced the target.
	Validated bool `json:"validated"`
	// Online is true when the plan was made in online mode.
	Online bool `json:"online"`
	// Warnings are things the reader should know that are not hazards of
	// one statement (e.g. statements whose relative order a dependency
	// cycle left to the tie-break; validation tells whether it worked).
	Warnings []string `json:"warnings,omitempty"`
}

// UnsupportedObject is an object the model does not cover, with the side it is on.
type UnsupportedObject struct {
	Side string `json:"side"` // "from" or "to"
	catalog.Object
}

// Empty reports whether the plan has no statements.
func (p Plan) Empty() bool { return len(p.Statements) == 0 }

// Hazards returns the distinct hazard types of the plan, in first-seen order.
func (p Plan) Hazards() []HazardType {
	var out []HazardType
	seen := map[HazardType]bool{}
	for _, s := range p.Statements {
		for _, h := range s.Hazards {
			if !seen[h.Type] {
				seen[h.Type] = true
				out = append(out, h.Type)
			}
		}
	}
	return out
}

// SQL renders the plan as a script: each statement preceded by its hazards
// as comments and, when it has timeouts, by SET lock_timeout /
// statement_timeout. Non-transactional statements are marked.
func (p Plan) SQL() string {
	var b strings.Builder
	for _, w := range p.Warnings {
		fmt.Fprintf(&b, "-- warning: %s\n", oneLine(w))
	}
	if len(p.Statements) == 0 {
		b.WriteString("-- No changes: the schemas are equal.\n")
		return b.String()
	}
	for i, s := range p.Statements {
		if i > 0 {
			b.WriteByte('\n')
		}
		for _, h := range s.Hazards {
			fmt.Fprintf(&b, "-- hazard %s: %s\n", h.Type, oneLine(h.Message))
		}
		if !s.Transactional {
			b.WriteString("-- runs outside a transaction block\n")
		}
		if s.LockTimeout > 0 {
			fmt.Fprintf(&b, "SET lock_timeout = '%dms';\n", s.LockTimeout.Milliseconds())
		}
		if s.StatementTimeout > 0 {
			fmt.Fprintf(&b, "SET statement_timeout = '%dms';\n", s.StatementTimeout.Milliseconds())
		}
		b.WriteString(s.SQL)
		b.WriteString(";\n")
	}
	for _, t := range p.ColumnOrder {
		fmt.Fprintf(&b, "\n-- note: columns of %s end up in a different order than in the target (ADD COLUMN appends)", oneLine(t))
	}
	if len(p.ColumnOrder) > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// Refusal is one reason a plan cannot be made or was rejected.
type Refusal struct {
	Object string `json:"object"`
	Reason string `json:"reason"`
}

// RefusalError is returned when no correct plan can be produced: a change
// Diff cannot plan, or a plan whose validation left differences.
type RefusalError struct {
	Refusals []Refusal
}

func (e *RefusalError) Error() string {
	var b strings.Builder
	b.WriteString("diff: cannot plan this change:")
	for _, r := range e.Refusals {
		b.WriteString("\n  " + r.Object + ": " + r.Reason)
	}
	return b.String()
}
