package app

import (
	"context"
	"encoding/json"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/monitor"
)

// AnomalyService binds the Anomaly Center (internal/anomaly): the list, one
// anomaly's details, and the issues that accept (baseline) or revert drift.
// Anomalies are evaluated after each sync; the "anomaly:changed" event
// ({openCount}) tells the window to reload.
type AnomalyService struct{ a *App }

// AnomalyChangedEvent is the payload of "anomaly:changed".
type AnomalyChangedEvent struct {
	OpenCount int `json:"openCount"`
}

// AnomalyFilter selects anomalies (empty fields: all; All adds resolved ones).
type AnomalyFilter struct {
	Kind          string `json:"kind"`
	EnvironmentID string `json:"environmentId"`
	ProjectID     string `json:"projectId"`
	DatabaseID    string `json:"databaseId"`
	All           bool   `json:"all"`
}

// Anomaly is one row of the Anomaly Center.
type Anomaly struct {
	ID            int    `json:"id"`
	Kind          string `json:"kind"`
	Severity      string `json:"severity"`
	Status        string `json:"status"` // open, resolved
	InstanceID    string `json:"instanceId"`
	InstanceName  string `json:"instanceName"`
	DatabaseID    string `json:"databaseId"`
	DatabaseName  string `json:"databaseName"`
	EnvironmentID string `json:"environmentId"`
	ProjectID     string `json:"projectId"`
	Subject       string `json:"subject"`
	Summary       string `json:"summary"`
	Action        string `json:"action"`
	FirstSeen     string `json:"firstSeen"`
	LastSeen      string `json:"lastSeen"`
	ResolvedAt    string `json:"resolvedAt"`
}

// DriftChange is one changed property of a drifted object.
type DriftChange struct {
	Property string `json:"property"`
	Action   string `json:"action"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// DriftObject is one drifted object with both sides' DDL.
type DriftObject struct {
	Kind          string        `json:"kind"`
	QualifiedName string        `json:"qualifiedName"`
	Action        string        `json:"action"`
	Changes       []DriftChange `json:"changes"`
	ExpectedDDL   string        `json:"expectedDdl"`
	LiveDDL       string        `json:"liveDdl"`
}

// DriftDetail is a drift anomaly's details.
type DriftDetail struct {
	ExpectedSource  string        `json:"expectedSource"` // change, baseline, implicit_baseline
	ExpectedVersion string        `json:"expectedVersion"`
	ExpectedTakenAt string        `json:"expectedTakenAt"`
	LiveTakenAt     string        `json:"liveTakenAt"`
	Objects         []DriftObject `json:"objects"`
	NotCompared     []string      `json:"notCompared"`
	Revert          string        `json:"revert"`
	Codify          string        `json:"codify"`
	RevertError     string        `json:"revertError"`
	CodifyError     string        `json:"codifyError"`
}

// AnomalyDetail is one anomaly with its details: Drift for schema drift,
// Error (and SQLState) for failures, Migration for migrations.
type AnomalyDetail struct {
	Anomaly          Anomaly     `json:"anomaly"`
	Drift            DriftDetail `json:"drift"`
	Error            string      `json:"error"`
	SQLState         string      `json:"sqlstate"`
	MigrationVersion string      `json:"migrationVersion"`
}

func anomalyOut(a anomaly.Anomaly) Anomaly {
	st := "open"
	if !a.Open() {
		st = "resolved"
	}
	return Anomaly{ID: int(a.ID), Kind: a.Kind, Severity: a.Severity, Status: st, InstanceID: a.InstanceID, InstanceName: a.InstanceName,
		DatabaseID: a.DatabaseID, DatabaseName: a.DatabaseName, EnvironmentID: a.EnvironmentID, ProjectID: a.ProjectID, Subject: a.Subject,
		Summary: a.Summary, Action: a.Action, FirstSeen: rfc3339(a.FirstSeen), LastSeen: rfc3339(a.LastSeen), ResolvedAt: rfc3339(a.ResolvedAt)}
}

// List returns the anomalies the filter selects: open first, errors first, newest first.
func (s *AnomalyService) List(f AnomalyFilter) ([]Anomaly, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	as, err := s.a.anomaly.Store().List(ctx, anomaly.Filter{Kind: f.Kind, EnvironmentID: f.EnvironmentID, ProjectID: f.ProjectID,
		DatabaseID: f.DatabaseID, All: f.All})
	if err != nil {
		return nil, fail(err)
	}
	out := make([]Anomaly, 0, len(as))
	for _, a := range as {
		out = append(out, anomalyOut(a))
	}
	return out, nil
}

// OpenCount is the number of open anomalies (the navigation badge).
func (s *AnomalyService) OpenCount() (int, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	n, err := s.a.anomaly.Store().CountOpen(ctx)
	return n, fail(err)
}

// Get returns one anomaly with its details.
func (s *AnomalyService) Get(id int) (AnomalyDetail, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	a, err := s.a.anomaly.Store().Get(ctx, int64(id))
	if err != nil {
		return AnomalyDetail{}, fail(err)
	}
	out := AnomalyDetail{Anomaly: anomalyOut(a), Drift: DriftDetail{Objects: []DriftObject{}, NotCompared: []string{}}}
	switch a.Kind {
	case anomaly.KindSchemaDrift:
		d, err := a.Drift()
		if err != nil {
			return AnomalyDetail{}, fail(err)
		}
		out.Drift = driftOut(d)
	case anomaly.KindNonTxStarted, anomaly.KindModifiedMigration, anomaly.KindGitOpsModified:
		var m anomaly.MigrationDetails
		if err := json.Unmarshal(a.Details, &m); err != nil {
			return AnomalyDetail{}, fail(err)
		}
		out.MigrationVersion, out.Error = m.Version, m.Error
	default:
		var e anomaly.ErrorDetails
		if err := json.Unmarshal(a.Details, &e); err != nil {
			return AnomalyDetail{}, fail(err)
		}
		out.Error, out.SQLState = e.Error, e.SQLState
	}
	return out, nil
}

func driftOut(d anomaly.DriftDetails) DriftDetail {
	out := DriftDetail{ExpectedSource: d.ExpectedSource, ExpectedVersion: d.Version, ExpectedTakenAt: rfc3339(d.ExpectedTakenAt),
		LiveTakenAt: rfc3339(d.LiveTakenAt), Objects: []DriftObject{}, NotCompared: []string{}, Revert: d.Revert, Codify: d.Codify,
		RevertError: d.RevertError, CodifyError: d.CodifyError}
	for _, o := range d.Objects {
		do := DriftObject{Kind: o.Kind, QualifiedName: o.QualifiedName(), Action: o.Action, Changes: []DriftChange{}, ExpectedDDL: o.ExpectedDDL, LiveDDL: o.LiveDDL}
		for _, c := range o.Changes {
			do.Changes = append(do.Changes, DriftChange{Property: c.Property, Action: c.Action, From: c.From, To: c.To})
		}
		out.Objects = append(out.Objects, do)
	}
	for _, n := range d.NotCompared {
		name := n.Name
		if n.Schema != "" {
			name = n.Schema + "." + n.Name
		}
		out.NotCompared = append(out.NotCompared, n.Kind+" "+name)
	}
	return out
}

// EstablishBaseline creates the baseline issue that accepts the database's
// live schema (drift included) and runs its checks in the background. It
// returns the issue number.
func (s *AnomalyService) EstablishBaseline(databaseID string) (int, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	d, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return 0, fail(err)
	}
	is, err := s.a.workflow.Create(ctx, anomaly.BaselineRequest(d))
	if err != nil {
		return 0, fail(err)
	}
	s.a.issues.checkAndAdvance(is.Number)
	return is.Number, nil
}

// RevertDrift creates the schema change issue whose SQL reverts a drift
// anomaly, and runs its checks in the background. It returns the issue number.
func (s *AnomalyService) RevertDrift(id int) (int, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	a, err := s.a.anomaly.Store().Get(ctx, int64(id))
	if err != nil {
		return 0, fail(err)
	}
	req, err := anomaly.RevertRequest(a)
	if err != nil {
		return 0, fail(err)
	}
	is, err := s.a.workflow.Create(ctx, req)
	if err != nil {
		return 0, fail(err)
	}
	s.a.issues.checkAndAdvance(is.Number)
	return is.Number, nil
}

// evaluateSync evaluates the anomalies after a database sync that did not
// go through the monitor (the database page's Sync now), as the monitor's
// hook does, and tells the window.
func (a *App) evaluateSync(ctx context.Context, instanceID, databaseID string, err error) {
	_ = a.anomaly.AfterSync(ctx, monitor.Event{InstanceID: instanceID, DatabaseID: databaseID, Err: err})
	a.anomalyChanged(ctx)
}

// anomalyChanged tells the running window that anomalies may have changed.
func (a *App) anomalyChanged(ctx context.Context) {
	n, err := a.anomaly.Store().CountOpen(ctx)
	if err != nil {
		return
	}
	a.emit("anomaly:changed", AnomalyChangedEvent{OpenCount: n})
}

// recheckIssueDatabases re-evaluates the anomalies of an issue's databases
// whose tasks are done (a rolled-out baseline resolves its drift at once).
func (a *App) recheckIssueDatabases(ctx context.Context, n int) {
	is, err := a.workflow.Get(ctx, n)
	if err != nil {
		return
	}
	checked := false
	for _, t := range is.Tasks {
		if t.DatabaseID != "" && t.ChangeID != "" {
			_ = a.anomaly.CheckDatabase(ctx, t.DatabaseID)
			checked = true
		}
	}
	if checked {
		a.anomalyChanged(ctx)
	}
}
