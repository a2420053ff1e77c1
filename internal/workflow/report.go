package workflow

import (
	"context"
	"time"

	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Report is an issue as faces show it (the CLI's `issue show --format
// json`, the desktop's issue page): the issue with its checks flattened per
// database, its stages with tasks, gates and runs.
type Report struct {
	Number      int        `json:"number"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Type        Type       `json:"type"`
	Status      Status     `json:"status"`
	ProjectID   string     `json:"projectId"`
	Creator     User       `json:"creator"`
	Labels      []string   `json:"labels"`
	CreatedAt   string     `json:"createdAt"`
	UpdatedAt   string     `json:"updatedAt"`
	Version     int        `json:"version"`
	Approval    Approval   `json:"approval"`
	Checks      []CheckRow `json:"checks"`
	Stages      []StageRow `json:"stages"`
	Activity    []Activity `json:"activity"`
	RollbackOf  *ChangeRef `json:"rollbackOf,omitempty"`
	Rollout     string     `json:"rollout"`
}

// CheckRow is one check of one target database.
type CheckRow struct {
	Database string              `json:"database"`
	TaskID   string              `json:"taskId"`
	Kind     CheckKind           `json:"kind"`
	Status   CheckStatus         `json:"status"`
	Summary  string              `json:"summary"`
	Results  []Result            `json:"results"`
	Objects  []schematree.Change `json:"objects,omitempty"`
	Rows     []AffectedRows      `json:"rows,omitempty"`
	Basis    string              `json:"basis,omitempty"`
}

// StageRow is one stage of the pipeline.
type StageRow struct {
	Environment     string    `json:"environment"`
	EnvironmentName string    `json:"environmentName"`
	Production      bool      `json:"production"`
	Policy          string    `json:"policy"` // automatic or manual
	Tasks           []TaskRow `json:"tasks"`
}

// TaskRow is one task with its gates and runs.
type TaskRow struct {
	ID         string     `json:"id"`
	Database   string     `json:"database"`
	DatabaseID string     `json:"databaseId"`
	Instance   string     `json:"instance"`
	Status     TaskStatus `json:"status"`
	Reason     string     `json:"reason,omitempty"`
	Statement  string     `json:"statement"`
	Version    string     `json:"version"`
	ChangeID   string     `json:"changeId,omitempty"`
	Forced     *Ack       `json:"forced,omitempty"`
	Error      *Failure   `json:"error,omitempty"`
	Gates      []Gate     `json:"gates"`
	Runs       []Run      `json:"runs"`
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Report builds the report of issue n.
func (s *Service) Report(ctx context.Context, n int) (*Report, error) {
	is, err := s.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	envs, err := s.d.WS.ListEnvironments(ctx)
	if err != nil {
		return nil, err
	}
	runs, err := s.Runs(ctx, n)
	if err != nil {
		return nil, err
	}
	return BuildReport(is, envs, runs), nil
}

// BuildReport builds an issue's report.
func BuildReport(is *Issue, envs []workspace.Environment, runs []Run) *Report {
	r := &Report{Number: is.Number, Title: is.Title, Description: is.Description, Type: is.Type, Status: is.Status, ProjectID: is.ProjectID,
		Creator: is.Creator, Labels: is.Labels, CreatedAt: stamp(is.CreatedAt), UpdatedAt: stamp(is.UpdatedAt), Version: is.Version,
		Approval: is.Approval, Checks: []CheckRow{}, Stages: []StageRow{}, Activity: is.Activity, RollbackOf: is.RollbackOf, Rollout: is.rolloutSummary()}
	if r.Approval.Steps == nil {
		r.Approval.Steps = []ApprovalStep{}
	}
	if r.Activity == nil {
		r.Activity = []Activity{}
	}
	for _, st := range Stages(is, envs) {
		sr := StageRow{Environment: st.Environment.ID, EnvironmentName: st.Environment.Name, Production: st.Environment.Production(),
			Policy: st.Environment.RolloutPolicy(), Tasks: []TaskRow{}}
		for _, t := range st.Tasks {
			for _, c := range t.Checks {
				res := c.Results
				if res == nil {
					res = []Result{}
				}
				r.Checks = append(r.Checks, CheckRow{Database: t.DatabaseName, TaskID: t.ID, Kind: c.Kind, Status: c.Status, Summary: c.Summary,
					Results: res, Objects: c.Objects, Rows: c.Rows, Basis: c.Basis})
			}
			tr := TaskRow{ID: t.ID, Database: t.DatabaseName, DatabaseID: t.DatabaseID, Instance: t.InstanceName, Status: t.Status, Reason: t.Reason,
				Statement: t.Statement, Version: t.Version, ChangeID: t.ChangeID, Forced: t.Forced, Error: t.Error, Gates: Gates(is, t, envs), Runs: []Run{}}
			for _, run := range runs {
				if run.TaskID == t.ID {
					tr.Runs = append(tr.Runs, run)
				}
			}
			sr.Tasks = append(sr.Tasks, tr)
		}
		r.Stages = append(r.Stages, sr)
	}
	return r
}
