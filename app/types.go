package app

import (
	"math"
	"time"

	"github.com/tidemark-dev/tidemark/internal/sample"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// KeychainInfo says whether passwords can go to the OS keychain.
type KeychainInfo struct {
	Available bool   `json:"available"`
	Message   string `json:"message"`
}

// AppInfo describes the running app.
type AppInfo struct {
	Version       string       `json:"version"`
	WorkspacePath string       `json:"workspacePath"`
	Keychain      KeychainInfo `json:"keychain"`
	// FirstRun is true while the workspace has no instance: the UI offers the sample instance.
	FirstRun bool `json:"firstRun"`
}

// Environment is a stage (Test, Prod, ...).
type Environment struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Position  int    `json:"position"`
	Protected bool   `json:"protected"`
}

// Instance is a registered PostgreSQL server. It never carries a password.
type Instance struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	EnvironmentID string `json:"environmentId"`
	Host          string `json:"host"`
	Port          int    `json:"port"`
	User          string `json:"user"`
	Database      string `json:"database"`
	SSLMode       string `json:"sslmode"`
	// PasswordMode: keychain | pgpass | env | session | none.
	PasswordMode string `json:"passwordMode"`
	HasPassword  bool   `json:"hasPassword"`
	IsSample     bool   `json:"isSample"`
	LastSyncAt   string `json:"lastSyncAt"` // RFC3339, empty when never synced
	LastError    string `json:"lastError"`
}

// InstanceInput is the instance form.
type InstanceInput struct {
	// ID, optional: the instance being edited, so that TestConnection with
	// keepPassword can use its stored password.
	ID            string `json:"id,omitempty"`
	Name          string `json:"name"`
	EnvironmentID string `json:"environmentId"`
	Host          string `json:"host"`
	Port          int    `json:"port"`
	User          string `json:"user"`
	Password      string `json:"password"`
	// KeepPassword with an empty Password keeps the stored password (Update).
	KeepPassword bool   `json:"keepPassword"`
	Database     string `json:"database"`
	SSLMode      string `json:"sslmode"`
	// URL, optional: a postgres:// URL whose parts fill the fields left empty.
	URL string `json:"url"`
}

// ConnectionResult is a successful connection check.
type ConnectionResult struct {
	ServerVersion    string  `json:"serverVersion"`
	ServerVersionNum int     `json:"serverVersionNum"`
	LatencyMs        float64 `json:"latencyMs"` // connect + authenticate + one query
}

// Database is a database found on an instance.
type Database struct {
	ID            string `json:"id"`
	InstanceID    string `json:"instanceId"`
	InstanceName  string `json:"instanceName"`
	EnvironmentID string `json:"environmentId"`
	Name          string `json:"name"`
	Owner         string `json:"owner"`
	Encoding      string `json:"encoding"`
	SizeBytes     int64  `json:"sizeBytes"`
	ProjectID     string `json:"projectId"` // empty = unassigned
	SyncedAt      string `json:"syncedAt"`
}

// Project groups databases.
type Project struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Archived      bool   `json:"archived"`
	DatabaseCount int    `json:"databaseCount"`
	CreatedAt     string `json:"createdAt"`
}

// SampleStatus describes the sample instance.
type SampleStatus struct {
	Available   bool   `json:"available"`
	Reason      string `json:"reason"` // what to install, or why it cannot run
	Initialized bool   `json:"initialized"`
	Running     bool   `json:"running"`
	Port        int    `json:"port"`
	DataDir     string `json:"dataDir"`
	RunAs       string `json:"runAs"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func envOut(e workspace.Environment) Environment {
	return Environment{ID: e.ID, Name: e.Name, Position: e.Position, Protected: e.Protected}
}

func envsOut(es []workspace.Environment) []Environment {
	out := make([]Environment, 0, len(es))
	for _, e := range es {
		out = append(out, envOut(e))
	}
	return out
}

func dbOut(d workspace.Database) Database {
	return Database{ID: d.ID, InstanceID: d.InstanceID, InstanceName: d.InstanceName, EnvironmentID: d.EnvironmentID,
		Name: d.Name, Owner: d.Owner, Encoding: d.Encoding, SizeBytes: d.SizeBytes, ProjectID: d.ProjectID, SyncedAt: rfc3339(d.SyncedAt)}
}

func dbsOut(ds []workspace.Database) []Database {
	out := make([]Database, 0, len(ds))
	for _, d := range ds {
		out = append(out, dbOut(d))
	}
	return out
}

func projectOut(p workspace.Project) Project {
	return Project{ID: p.ID, Name: p.Name, Archived: p.Archived, DatabaseCount: p.DatabaseCount, CreatedAt: rfc3339(p.CreatedAt)}
}

func sampleOut(s sample.Status) SampleStatus {
	return SampleStatus{Available: s.Available, Reason: s.Reason, Initialized: s.Initialized, Running: s.Running, Port: s.Port, DataDir: s.DataDir, RunAs: s.RunAs}
}

func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Millisecond)*10) / 10
}

// IssueHeader is one row of an issue list.
type IssueHeader struct {
	Number       int      `json:"number"`
	Title        string   `json:"title"`
	Type         string   `json:"type"`     // schema_change, data_change, create_database, baseline
	Status       string   `json:"status"`   // open, done, canceled
	Approval     string   `json:"approval"` // pending, approved, rejected, skipped
	Rollout      string   `json:"rollout"`  // waiting, ready, running, failed, done, canceled
	ProjectID    string   `json:"projectId"`
	Creator      string   `json:"creator"`      // email, else name
	Environments []string `json:"environments"` // environment ids of the plan
	CreatedAt    string   `json:"createdAt"`    // RFC3339
	UpdatedAt    string   `json:"updatedAt"`
}

// IssueFilter selects issues (empty fields do not filter).
type IssueFilter struct {
	Status      string `json:"status"`
	ProjectID   string `json:"projectId"`
	Type        string `json:"type"`
	Environment string `json:"environment"`
	Database    string `json:"database"`
	Creator     string `json:"creator"`
	Approval    string `json:"approval"`
	Rollout     string `json:"rollout"`
	Search      string `json:"search"`
	Before      int    `json:"before"`
	Limit       int    `json:"limit"`
}

// IssueList is a page of issue headers with the number the filter selects.
type IssueList struct {
	Items []IssueHeader `json:"items"`
	Total int           `json:"total"`
}

// HomeIssues are the home page's lists.
type HomeIssues struct {
	WaitingApproval []IssueHeader `json:"waitingApproval"`
	WaitingRollout  []IssueHeader `json:"waitingRollout"`
	Mine            []IssueHeader `json:"mine"`
	RecentlyDone    []IssueHeader `json:"recentlyDone"`
}

// SchemaChangeRequest creates a schema_change (or data_change) issue.
type SchemaChangeRequest struct {
	ProjectID   string            `json:"projectId"`
	DatabaseIDs []string          `json:"databaseIds"`
	SQL         string            `json:"sql"`
	PerDatabase map[string]string `json:"perDatabase"`
	Title       string            `json:"title"`
	Description string            `json:"description"`
	Version     string            `json:"version"`
	Type        string            `json:"type"` // schema_change (default) or data_change
}

// CreateDatabaseRequest creates a create_database issue.
type CreateDatabaseRequest struct {
	ProjectID     string `json:"projectId"`
	InstanceID    string `json:"instanceId"`
	Name          string `json:"name"`
	Owner         string `json:"owner"`
	Encoding      string `json:"encoding"`
	EnvironmentID string `json:"environmentId"`
}

// RollbackPlan is the SQL that undoes a schema change and what it loses.
type RollbackPlan struct {
	Change  Change   `json:"change"`
	SQL     string   `json:"sql"`
	Hazards []string `json:"hazards"`
	Rebased bool     `json:"rebased"`
}

// WorkspaceUser is who creates, approves and rolls out in this workspace.
type WorkspaceUser struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}
