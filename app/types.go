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
