package schemaedit

import (
	"context"
	"fmt"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// Target is one database the same edits are applied to, with its own model
// (its latest snapshot, or what was inspected from it).
type Target struct {
	// DatabaseID is the workspace's id of the database ("" for a database
	// given by URL); Database is its name, used in every message.
	DatabaseID string
	Database   string
	Schema     *catalog.Schema
}

// TargetPlan is the preview of the edits on one target: its migration, or
// why there is none (an operation refused on its model, validation
// problems, a plan the diff refused, a model that could not be read).
type TargetPlan struct {
	DatabaseID string `json:"database_id"`
	Database   string `json:"database"`
	// Report is the target's own plan, renames and marks; nil with Error.
	Report *Report `json:"report"`
	// SQL is the plan's script ("" with Error).
	SQL string `json:"sql"`
	// Problems are the validation problems of the edits on this target
	// (Error then says how many).
	Problems []Problem `json:"problems"`
	// Error says why the target has no migration; nil when it has one.
	Error *TargetError `json:"error"`
}

// TargetError is why one target has no migration. Message names the
// database and, when an operation was refused, the operation.
type TargetError struct {
	Message string `json:"message"`
	// Op is the position (from 1) of the operation refused on this target's
	// model, or of the first operation a validation problem blames; 0 when
	// no operation is at fault (the model could not be read, the plan was
	// refused, the edits change nothing here).
	Op int `json:"op"`
	// Kind is that operation's op ("" with Op 0).
	Kind   OpKind `json:"kind,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// MultiReport is the preview of one set of edits on several databases, one
// plan per target in the order given. Its JSON form is the output of
// tidemark schema edit --format json with several targets.
type MultiReport struct {
	Targets []TargetPlan `json:"targets"`
	// OK is true when every target has a migration with statements: an
	// issue with one task per target can be created from it.
	OK bool `json:"ok"`
}

// ModelFunc returns the model of a workspace database to edit (for the
// desktop and the CLI: its latest snapshot, synced first when it was never
// synced), with its name.
type ModelFunc func(ctx context.Context, databaseID string) (Target, error)

// PlanDatabases reads each database's model with model and previews ops on
// it (see PlanTargets). A database whose model cannot be read gets that as
// its error; the others are still planned. The error is for a cancelled
// context or an empty or repeated list only.
func PlanDatabases(ctx context.Context, databaseIDs []string, model ModelFunc, ops []Op, opts diff.Options) (MultiReport, error) {
	return planDatabases(ctx, databaseIDs, model, nil, ops, opts)
}

// PlanDesign previews a design on several databases: ops are applied to
// the design (see NewDesign), and each database gets the migration from its
// own model (read with model) to the edited design, with the session's
// renames where that model holds the renamed object. The errors are as
// PlanDatabases's.
func PlanDesign(ctx context.Context, databaseIDs []string, model ModelFunc, design *catalog.Schema, ops []Op, opts diff.Options) (MultiReport, error) {
	if design == nil {
		return MultiReport{}, fmt.Errorf("plan a design on databases: no design")
	}
	return planDatabases(ctx, databaseIDs, model, design, ops, opts)
}

// planDatabases reads each database's model and plans ops there: in a
// session over that model, or with design set in a design session against
// it.
func planDatabases(ctx context.Context, databaseIDs []string, model ModelFunc, design *catalog.Schema, ops []Op, opts diff.Options) (MultiReport, error) {
	if err := checkIDs(databaseIDs); err != nil {
		return MultiReport{}, err
	}
	targets := make([]Target, len(databaseIDs))
	failed := map[int]*TargetError{}
	for i, id := range databaseIDs {
		if err := ctx.Err(); err != nil {
			return MultiReport{}, fmt.Errorf("read the models of the target databases: %w", err)
		}
		t, err := model(ctx, id)
		if err != nil {
			name := t.Database
			if name == "" {
				name = id
			}
			ue := usererr.From(err)
			targets[i] = Target{DatabaseID: id, Database: name}
			failed[i] = &TargetError{Message: fmt.Sprintf("%s: cannot read its schema: %s", name, ue.Message), Detail: ue.Detail}
			continue
		}
		if t.DatabaseID == "" {
			t.DatabaseID = id
		}
		if t.Schema == nil {
			return MultiReport{}, fmt.Errorf("read the model of %s: no model returned", t.Database)
		}
		targets[i] = t
	}
	r := MultiReport{Targets: make([]TargetPlan, len(targets)), OK: true}
	for i, t := range targets {
		if err := ctx.Err(); err != nil {
			return MultiReport{}, fmt.Errorf("plan the edits on %s: %w", t.Database, err)
		}
		if e, ok := failed[i]; ok {
			r.Targets[i] = TargetPlan{DatabaseID: t.DatabaseID, Database: t.Database, Problems: []Problem{}, Error: e}
		} else {
			e := New(t.Schema)
			if design != nil {
				e = NewDesign(design, t.Schema)
			}
			r.Targets[i] = planEditor(e, t, ops, opts)
		}
		if r.Targets[i].Error != nil {
			r.OK = false
		}
	}
	return r, nil
}

// PlanTargets applies the same operations to each target's own model and
// previews each: one plan per target, from internal/diff, with the renames
// the operations imply on that model. A target where an operation does not
// apply (a table it lacks, a name it already has) or whose edited model has
// validation problems gets an error naming the database and the operation;
// the other targets are planned all the same. Nothing is applied. The error
// is for a cancelled context or an empty list only.
func PlanTargets(ctx context.Context, targets []Target, ops []Op, opts diff.Options) (MultiReport, error) {
	return planTargets(ctx, targets, nil, ops, opts)
}

// PlanDesignTargets is PlanDesign over targets given with their models
// (databases given by URL).
func PlanDesignTargets(ctx context.Context, targets []Target, design *catalog.Schema, ops []Op, opts diff.Options) (MultiReport, error) {
	if design == nil {
		return MultiReport{}, fmt.Errorf("plan a design on databases: no design")
	}
	return planTargets(ctx, targets, design, ops, opts)
}

// planTargets keys targets by id (by position when they have none) and
// plans them with planDatabases.
func planTargets(ctx context.Context, targets []Target, design *catalog.Schema, ops []Op, opts diff.Options) (MultiReport, error) {
	ids := make([]string, len(targets))
	byID := map[string]Target{}
	for i, t := range targets {
		if t.Schema == nil {
			return MultiReport{}, fmt.Errorf("target %s has no model", t.Database)
		}
		// Targets given without ids (by URL) are keyed by position.
		ids[i] = t.DatabaseID
		if ids[i] == "" {
			ids[i] = fmt.Sprintf("#%d", i+1)
		}
		byID[ids[i]] = t
	}
	r, err := planDatabases(ctx, ids, func(_ context.Context, id string) (Target, error) { return byID[id], nil }, design, ops, opts)
	for i := range r.Targets {
		r.Targets[i].DatabaseID = targets[i].DatabaseID
	}
	return r, err
}

func checkIDs(ids []string) error {
	if len(ids) == 0 {
		return usererr.Invalid("databases", "choose at least one database to apply the edits to")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return usererr.Invalid("databases", "database %s is chosen twice", id)
		}
		seen[id] = true
	}
	return nil
}

// planEditor replays ops in e, the editor of target t (over its model, or a
// design planned against it), and previews the result as t's plan.
func planEditor(e *Editor, t Target, ops []Op, opts diff.Options) TargetPlan {
	tp := TargetPlan{DatabaseID: t.DatabaseID, Database: t.Database, Problems: []Problem{}}
	for i, op := range ops {
		if err := e.Apply(op); err != nil {
			ue := usererr.From(err)
			tp.Error = &TargetError{Message: fmt.Sprintf("%s: operation %d (%s): %s", t.Database, i+1, op.Op, ue.Message),
				Op: i + 1, Kind: op.Op, Detail: ue.Detail}
			return tp
		}
	}
	// PreviewReport validates first; the problems are listed when it refuses.
	rep, err := e.PreviewReport(opts)
	if err == nil {
		tp.Report = &rep
		tp.SQL = rep.Plan.SQL()
		if len(rep.Plan.Statements) == 0 {
			tp.Error = &TargetError{Message: fmt.Sprintf("%s: the edits change nothing on this database", t.Database)}
		}
		return tp
	}
	if ps := e.Validate(); len(ps) > 0 {
		tp.Problems = ps
		first := ps[0]
		msg := fmt.Sprintf("%s: %s", t.Database, first.Message)
		if len(ps) > 1 {
			msg = fmt.Sprintf("%s (and %d more problems)", msg, len(ps)-1)
		}
		te := &TargetError{Message: msg}
		if first.Op >= 0 && first.Op < len(ops) {
			te.Op, te.Kind = first.Op+1, ops[first.Op].Op
			te.Message = fmt.Sprintf("%s: operation %d (%s): %s", t.Database, te.Op, te.Kind, first.Message)
			if len(ps) > 1 {
				te.Message = fmt.Sprintf("%s (and %d more problems)", te.Message, len(ps)-1)
			}
		}
		var lines []string
		for _, p := range ps {
			lines = append(lines, p.Object+": "+p.Message)
		}
		te.Detail = strings.Join(lines, "\n")
		tp.Error = te
		return tp
	}
	ue := usererr.From(err)
	tp.Error = &TargetError{Message: fmt.Sprintf("%s: the migration cannot be planned: %s", t.Database, ue.Message), Detail: ue.Detail}
	return tp
}

// PerDatabase returns each target's migration by database id, for an issue
// with one task per database. When a target has none, the error names
// every such target and why (nothing should be created from a partial
// plan).
func (m MultiReport) PerDatabase() (map[string]string, error) {
	out := map[string]string{}
	var bad []string
	for _, t := range m.Targets {
		if t.Error != nil {
			bad = append(bad, t.Error.Message)
			continue
		}
		out[t.DatabaseID] = t.SQL
	}
	if len(bad) > 0 {
		msg := bad[0]
		if len(bad) > 1 {
			msg = fmt.Sprintf("%s (and %d more databases without a migration)", msg, len(bad)-1)
		}
		return nil, &usererr.Error{Message: msg, Field: "databases", Detail: strings.Join(bad, "\n")}
	}
	return out, nil
}
