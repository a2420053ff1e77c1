package app

import (
	"context"
	"time"

	"github.com/tidemark-dev/tidemark/internal/monitor"
)

// monitorPoll is how often the monitor looks for instances due a sync (the
// shortest interval is a minute).
const monitorPoll = 15 * time.Second

// SyncEvent is the "monitor:sync" event: a finished background or Sync now
// sync of an instance (databaseId empty) or of one of its databases.
type SyncEvent struct {
	InstanceID string `json:"instanceId"`
	DatabaseID string `json:"databaseId,omitempty"`
	Stored     bool   `json:"stored"`
	Error      string `json:"error,omitempty"`
	SQLState   string `json:"sqlstate,omitempty"`
	At         string `json:"at"`
}

// SyncResult is the outcome of Sync now on an instance.
type SyncResult struct {
	InstanceID string           `json:"instanceId"`
	Error      string           `json:"error,omitempty"`
	SQLState   string           `json:"sqlstate,omitempty"`
	Databases  []DatabaseSynced `json:"databases"`
}

// DatabaseSynced is one database's part of a SyncResult.
type DatabaseSynced struct {
	DatabaseID string `json:"databaseId"`
	Name       string `json:"name"`
	Stored     bool   `json:"stored"`
	Error      string `json:"error,omitempty"`
	SQLState   string `json:"sqlstate,omitempty"`
}

// MonitorService sets how often instances are synced in the background and
// syncs them on demand (internal/monitor).
type MonitorService struct{ a *App }

// SyncInterval returns the instance's background sync interval in minutes
// (0: off).
func (s *MonitorService) SyncInterval(instanceID string) (int, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	d, err := s.a.monitor.Interval(ctx, instanceID)
	if err != nil {
		return 0, fail(err)
	}
	return int(d / time.Minute), nil
}

// SetSyncInterval sets the instance's background sync interval in minutes:
// 0 (off), 1, 5, 10, 30 or 60.
func (s *MonitorService) SetSyncInterval(instanceID string, minutes int) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	return fail(s.a.monitor.SetInterval(ctx, instanceID, minutes))
}

// SyncNow lists the instance's databases and refreshes each one's schema,
// joining a sync already running.
func (s *MonitorService) SyncNow(instanceID string) (SyncResult, error) {
	ctx, cancel := s.a.call(schemaSyncLimit)
	defer cancel()
	r := s.a.monitor.SyncInstance(ctx, instanceID)
	out := SyncResult{InstanceID: instanceID, Databases: []DatabaseSynced{}}
	if r.Err != nil {
		ue := userError(r.Err)
		out.Error, out.SQLState = ue.Message, ue.SQLState
	}
	for _, d := range r.Databases {
		ds := DatabaseSynced{DatabaseID: d.Database.ID, Name: d.Database.Name, Stored: d.Stored}
		if d.Err != nil {
			ue := userError(d.Err)
			ds.Error, ds.SQLState = ue.Message, ue.SQLState
		}
		out.Databases = append(out.Databases, ds)
	}
	return out, nil
}

// startMonitor runs the periodic sync as background work until shutdown.
func (a *App) startMonitor() {
	a.mu.Lock()
	a.monitoring = true
	a.mu.Unlock()
	a.goWork(func(ctx context.Context) { a.monitor.Run(ctx, monitorPoll) })
}

// discover syncs a just-found instance in the background, so its databases
// have a schema before anyone opens them. It runs only once the periodic
// sync has started (the running app), not in plain Go use of the services.
func (a *App) discover(instanceID string) {
	a.mu.Lock()
	on := a.monitoring
	a.mu.Unlock()
	if on {
		a.goWork(func(ctx context.Context) { a.monitor.SyncInstance(ctx, instanceID) })
	}
}

// discoverSample syncs the sample instance once it has started.
func (a *App) discoverSample(ctx context.Context) {
	ins, err := a.ws.ListInstances(ctx)
	if err != nil {
		return
	}
	for _, in := range ins {
		if in.IsSample {
			a.discover(in.ID)
		}
	}
}

// syncEvent tells the running app's UI about a finished sync (Sync now
// callers get the result itself; plain Go use gets no events).
func (a *App) syncEvent(e monitor.Event) {
	a.mu.Lock()
	on := a.monitoring
	a.mu.Unlock()
	if !on {
		return
	}
	ev := SyncEvent{InstanceID: e.InstanceID, DatabaseID: e.DatabaseID, Stored: e.Stored, At: rfc3339(e.At)}
	if e.Err != nil {
		ue := userError(e.Err)
		ev.Error, ev.SQLState = ue.Message, ue.SQLState
	}
	a.emit("monitor:sync", ev)
	ctx, cancel := context.WithTimeout(context.Background(), quick)
	defer cancel()
	a.anomalyChanged(ctx) // the sync's anomalies were evaluated before this event
}
