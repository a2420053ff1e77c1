package schemaedit

import (
	"context"
	"fmt"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// PlanDesign previews a design on several databases: ops are applied to
// the design (see NewDesign), and each database gets the migration from its
// own model (read with model) to the edited design, with the session's
// renames where that model holds the renamed object. A database whose model
// cannot be read, or that the design does not change, gets that as its
// error; the others are still planned. The error is for a cancelled
// context or an empty or repeated list only.
func PlanDesign(ctx context.Context, databaseIDs []string, model ModelFunc, design *catalog.Schema, ops []Op, opts diff.Options) (MultiReport, error) {
	if err := checkIDs(databaseIDs); err != nil {
		return MultiReport{}, err
	}
	if design == nil {
		return MultiReport{}, fmt.Errorf("plan a design on databases: no design")
	}
	r := MultiReport{Targets: make([]TargetPlan, len(databaseIDs)), OK: true}
	for i, id := range databaseIDs {
		if err := ctx.Err(); err != nil {
			return MultiReport{}, fmt.Errorf("plan the design on the target databases: %w", err)
		}
		t, err := model(ctx, id)
		switch {
		case err != nil:
			name := t.Database
			if name == "" {
				name = id
			}
			ue := usererr.From(err)
			r.Targets[i] = TargetPlan{DatabaseID: id, Database: name, Problems: []Problem{},
				Error: &TargetError{Message: fmt.Sprintf("%s: cannot read its schema: %s", name, ue.Message), Detail: ue.Detail}}
		case t.Schema == nil:
			return MultiReport{}, fmt.Errorf("read the model of %s: no model returned", t.Database)
		default:
			if t.DatabaseID == "" {
				t.DatabaseID = id
			}
			r.Targets[i] = planEditor(NewDesign(design, t.Schema), t, ops, opts)
		}
		if r.Targets[i].Error != nil {
			r.OK = false
		}
	}
	return r, nil
}

// PlanDesignTargets is PlanDesign over targets given with their models
// (databases given by URL, keyed by position when they have no id).
func PlanDesignTargets(ctx context.Context, targets []Target, design *catalog.Schema, ops []Op, opts diff.Options) (MultiReport, error) {
	ids := make([]string, len(targets))
	byID := map[string]Target{}
	for i, t := range targets {
		if t.Schema == nil {
			return MultiReport{}, fmt.Errorf("target %s has no model", t.Database)
		}
		ids[i] = t.DatabaseID
		if ids[i] == "" {
			ids[i] = fmt.Sprintf("#%d", i+1)
		}
		byID[ids[i]] = t
	}
	r, err := PlanDesign(ctx, ids, func(_ context.Context, id string) (Target, error) { return byID[id], nil }, design, ops, opts)
	for i := range r.Targets {
		r.Targets[i].DatabaseID = targets[i].DatabaseID
	}
	return r, err
}
