package app

import (
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Change is one attempt to apply a change to a database, as the Change
// history tab lists it.
type Change struct {
	ID          string `json:"id"`
	DatabaseID  string `json:"databaseId"`
	RunID       string `json:"runId"`
	Version     string `json:"version"`
	Type        string `json:"type"`   // ddl, dml, baseline
	Status      string `json:"status"` // done, started, failed
	Description string `json:"description"`
	Checksum    string `json:"checksum"`
	// Source is ui (applied from this app), git, cli (`tidemark migrate` on
	// this machine) or "other machine".
	Source     string `json:"source"`
	AppliedBy  string `json:"appliedBy"`
	Host       string `json:"host"`
	DurationMs int64  `json:"durationMs"`
	Error      string `json:"error"`
	SQLState   string `json:"sqlstate"`
	// FailedStatement and FailedLine say where a failed change stopped.
	FailedStatement  string `json:"failedStatement"`
	FailedLine       int    `json:"failedLine"`
	BeforeSnapshotID string `json:"beforeSnapshotId"`
	AfterSnapshotID  string `json:"afterSnapshotId"`
	// SeenOnSync marks rows found in the target's history that this workspace
	// did not write (another machine, the CLI, CI).
	SeenOnSync bool   `json:"seenOnSync"`
	AppliedAt  string `json:"appliedAt"`  // RFC3339
	RecordedAt string `json:"recordedAt"` // RFC3339
	// Issue is the number of the issue whose rollout applied the change (0: none).
	Issue int `json:"issue"`
}

// ObjectChange is a schema object a change added, dropped or altered.
type ObjectChange struct {
	Action string `json:"action"` // added | dropped | altered
	Kind   string `json:"kind"`   // table, view, index, function, ...
	Schema string `json:"schema"`
	Name   string `json:"name"`
}

// ChangeDetail is one change with its statement and the DDL of the schema
// snapshots taken before and after it (for the merge view), rendered object
// by object in one order so unchanged objects line up. HasBefore and
// HasAfter are false when there is no such snapshot (changes from other
// machines, a failed change's after). Objects lists what changed, from the
// structured models (HasObjects false: a snapshot is missing).
type ChangeDetail struct {
	Change     Change         `json:"change"`
	Statement  string         `json:"statement"`
	BeforeDDL  string         `json:"beforeDdl"`
	AfterDDL   string         `json:"afterDdl"`
	HasBefore  bool           `json:"hasBefore"`
	HasAfter   bool           `json:"hasAfter"`
	Objects    []ObjectChange `json:"objects"`
	HasObjects bool           `json:"hasObjects"`
}

// HistoryService shows each database's change history (internal/change);
// changes are written through issues (WorkflowService): the target's
// tidemark.migration_history is the source of truth, cached in the
// workspace with schema snapshots before and after.
type HistoryService struct {
	a *App
}

func changeOut(c workspace.Change) Change {
	return Change{
		ID: c.ID, DatabaseID: c.DatabaseID, RunID: c.RunID, Version: c.Version, Type: c.Type, Status: c.Status,
		Description: c.Description, Checksum: c.Checksum, Source: c.Source, AppliedBy: c.AppliedBy, Host: c.Host,
		DurationMs: c.Duration.Milliseconds(), Error: c.Error, SQLState: c.SQLState, FailedStatement: c.FailedStatement,
		FailedLine: c.FailedLine, BeforeSnapshotID: c.BeforeSnapshotID, AfterSnapshotID: c.AfterSnapshotID,
		SeenOnSync: c.SeenOnSync, AppliedAt: rfc3339(c.AppliedAt), RecordedAt: rfc3339(c.RecordedAt), Issue: c.Issue,
	}
}

func changesOut(cs []workspace.Change) []Change {
	out := make([]Change, 0, len(cs))
	for _, c := range cs {
		out = append(out, changeOut(c))
	}
	return out
}

// List returns the database's change history as the workspace knows it,
// newest first (Reconcile brings in rows written elsewhere).
func (s *HistoryService) List(databaseID string) ([]Change, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	cs, err := s.a.ws.ListChanges(ctx, databaseID)
	if err != nil {
		return nil, fail(err)
	}
	return changesOut(cs), nil
}

// Get returns one change with its statement, the before/after DDL and the
// objects it changed.
func (s *HistoryService) Get(databaseID, changeID string) (ChangeDetail, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	d, err := s.a.changes.Detail(ctx, databaseID, changeID)
	if err != nil {
		return ChangeDetail{}, fail(err)
	}
	out := ChangeDetail{Change: changeOut(d.Change), Statement: d.Change.Statement, BeforeDDL: d.BeforeDDL, AfterDDL: d.AfterDDL,
		HasBefore: d.HasBefore, HasAfter: d.HasAfter, HasObjects: d.HasObjects, Objects: make([]ObjectChange, 0, len(d.Objects))}
	for _, o := range d.Objects {
		out.Objects = append(out.Objects, ObjectChange{Action: o.Action, Kind: o.Kind, Schema: o.Schema, Name: o.Name})
	}
	return out, nil
}

// Reconcile reads the target's tidemark.migration_history and adds the rows
// this workspace has not seen — changes applied from another machine, the
// CLI or CI — marked with their origin; it returns the whole history,
// newest first.
func (s *HistoryService) Reconcile(databaseID string) ([]Change, error) {
	ctx, cancel := s.a.call(syncLimit)
	defer cancel()
	list, err := s.a.changes.Reconcile(ctx, databaseID)
	if err != nil {
		return nil, fail(err)
	}
	return changesOut(list), nil
}
