package workflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// RollbackPlan is the plan that undoes a schema change.
type RollbackPlan struct {
	Change workspace.Change
	SQL    string
	// Hazards say in words what running the rollback loses (dropped
	// columns lose their data, …), before anything runs.
	Hazards []string
	// Rebased is set when the plan goes from the current schema (the
	// database moved on since the change) rather than from the change's
	// after-snapshot.
	Rebased bool
}

// PlanRollback plans undoing a done schema change: the diff from its
// after-snapshot to its before-snapshot. It is refused when the change
// is not a done schema change with both snapshots, and — unless rebase —
// when the database moved on since (a later change, or drift: the current
// schema is not the after-snapshot); with rebase the diff starts from the
// current schema.
func (s *Service) PlanRollback(ctx context.Context, databaseID, changeID string, rebase bool) (*RollbackPlan, error) {
	c, err := s.d.WS.GetChange(ctx, databaseID, changeID)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Type == "dml":
		return nil, refuse("", "version %s is a data change: data changes cannot be undone by a schema diff (restore the data from a backup, or write the reverse change)", c.Version)
	case c.Type != "ddl":
		return nil, refuse("", "version %s is a %s: there is nothing to roll back", c.Version, c.Type)
	case c.Status != "done":
		return nil, refuse("", "version %s did not finish (%s): nothing to roll back", c.Version, c.Status)
	case c.BeforeSnapshotID == "" || c.AfterSnapshotID == "":
		return nil, refuse("", "version %s has no schema snapshots before and after (it was applied elsewhere): Tidemark cannot tell what it changed", c.Version)
	}
	var moved []string
	hist, err := s.d.WS.ListChanges(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	for _, h := range hist {
		if h.ID != c.ID && h.Status == "done" && h.AppliedAt.After(c.AppliedAt) {
			moved = append(moved, fmt.Sprintf("version %s was applied after it", h.Version))
			break
		}
	}
	after, err := s.d.WS.GetSnapshot(ctx, c.AfterSnapshotID)
	if err != nil {
		return nil, err
	}
	from := compare.Source{Kind: compare.Snapshot, SnapshotID: c.AfterSnapshotID}
	if cur, err := s.d.Sync.Sync(ctx, databaseID, nil); err == nil {
		if cur.Info.Fingerprint != after.Fingerprint {
			moved = append(moved, "the schema changed outside Tidemark since (drift)")
		}
		if rebase {
			from = compare.Source{Kind: compare.Snapshot, SnapshotID: cur.Info.ID}
		}
	} else if rebase {
		return nil, usererr.Wrap("rebase on the current schema: ", err)
	}
	if len(moved) > 0 && !rebase {
		return nil, refuse("", "the database moved on since version %s: %s; roll back on the current schema instead (rebase)", c.Version, strings.Join(moved, "; "))
	}
	res, err := s.d.Compare.Compare(ctx, compare.Request{From: from, To: compare.Source{Kind: compare.Snapshot, SnapshotID: c.BeforeSnapshotID}, Privileges: true, NoValidate: true}, nil)
	if err != nil {
		return nil, err
	}
	if res.Plan.Empty() {
		return nil, refuse("", "version %s changed nothing the schema model sees: there is nothing to roll back", c.Version)
	}
	p := &RollbackPlan{Change: c, SQL: res.Plan.SQL(), Rebased: rebase && len(moved) > 0, Hazards: []string{}}
	for _, st := range res.Plan.Statements {
		for _, h := range st.Hazards {
			p.Hazards = append(p.Hazards, h.Message)
		}
	}
	return p, nil
}

// Rollback creates the issue that undoes a schema change (see
// PlanRollback); it is checked, approved and rolled out like any change.
func (s *Service) Rollback(ctx context.Context, databaseID, changeID string, rebase bool) (*Issue, error) {
	p, err := s.PlanRollback(ctx, databaseID, changeID, rebase)
	if err != nil {
		return nil, err
	}
	db, err := s.d.WS.GetDatabase(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	desc := fmt.Sprintf("Rolls back version %s of %s (%s).", p.Change.Version, db.Name, p.Change.Description)
	if p.Rebased {
		desc += " Planned from the current schema: the database moved on since the change."
	}
	if len(p.Hazards) > 0 {
		desc += "\n\nWhat this loses:\n- " + strings.Join(p.Hazards, "\n- ")
	}
	return s.Create(ctx, CreateRequest{Type: TypeSchemaChange, Title: fmt.Sprintf("Roll back %s of %s", p.Change.Version, db.Name),
		Description: desc, ProjectID: db.ProjectID, DatabaseIDs: []string{databaseID}, SQL: p.SQL,
		RollbackOf: &ChangeRef{DatabaseID: databaseID, ChangeID: changeID, Issue: p.Change.Issue}})
}
