// Package monitor keeps the workspace's view of its servers current while
// the desktop app runs: each instance is synced on its own interval (off, 1,
// 5, 10, 30 or 60 minutes; 10 by default), on demand (Sync now), and as soon
// as it or one of its databases is discovered. A sync of an instance lists
// its databases (instances.Connector.SyncDatabases) and refreshes the schema
// of each (schemasync.Syncer.Refresh, which stores a snapshot only when the
// fingerprint changed). A sync never overlaps itself: a request for an
// instance or database already being synced waits for that sync and shares
// its outcome.
package monitor

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// DefaultInterval is the sync interval of an instance that has none set.
const DefaultInterval = 10 * time.Minute

// ValidInterval reports whether minutes is an interval an instance can have
// (0 is off).
func ValidInterval(minutes int) bool {
	switch minutes {
	case 0, 1, 5, 10, 30, 60:
		return true
	}
	return false
}

// intervalKey is the workspace setting holding an instance's interval in
// minutes.
func intervalKey(instanceID string) string { return "sync_interval_minutes:" + instanceID }

// Deps are what a Monitor works with.
type Deps struct {
	WS    *workspace.Store
	Conns *instances.Connector
	Sync  *schemasync.Syncer
	// Open returns the opener for listing an instance's databases (nil, or
	// a nil opener: a connection of its own).
	Open func(instanceID string) instances.Opener
	// Now is the clock (nil: time.Now); tests inject their own.
	Now func() time.Time
	// AfterSync, when set, runs after each finished sync, before Notify
	// (the Anomaly Center's evaluation, internal/anomaly), so what Notify
	// tells about is already evaluated. Its error is the hook's own.
	AfterSync func(ctx context.Context, e Event) error
	// Notify, when set, is told about each finished sync.
	Notify func(Event)
}

// Event reports a finished sync of an instance (DatabaseID empty) or of one
// database.
type Event struct {
	InstanceID string
	DatabaseID string
	// Stored: a new snapshot was stored (the schema changed).
	Stored bool
	Err    error
	At     time.Time
	// AfterErr is the AfterSync hook's error, if any.
	AfterErr error
}

// DatabaseResult is the outcome of one database's schema refresh.
type DatabaseResult struct {
	Database workspace.Database
	Stored   bool
	Err      error
}

// InstanceResult is the outcome of an instance sync. Err is the listing's
// failure (then Databases is empty); each database's failure is its own.
type InstanceResult struct {
	InstanceID string
	Databases  []DatabaseResult
	Err        error
}

// flight is a sync in progress: those asking for the same sync wait for
// done and share res.
type flight[T any] struct {
	done    chan struct{}
	res     T
	waiters int // requests waiting for it (guarded by Monitor.mu)
}

// Monitor syncs instances periodically and on demand. Safe for concurrent use.
type Monitor struct {
	d Deps

	mu        sync.Mutex
	last      map[string]time.Time // instance id -> when its last sync started
	instances map[string]*flight[InstanceResult]
	databases map[string]*flight[DatabaseResult]
}

// New returns a Monitor.
func New(d Deps) *Monitor {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Monitor{d: d, last: map[string]time.Time{},
		instances: map[string]*flight[InstanceResult]{}, databases: map[string]*flight[DatabaseResult]{}}
}

// Interval returns the instance's sync interval (0: off).
func (m *Monitor) Interval(ctx context.Context, instanceID string) (time.Duration, error) {
	v, ok, err := m.d.WS.Setting(ctx, intervalKey(instanceID))
	if err != nil || !ok {
		return DefaultInterval, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || !ValidInterval(n) {
		return DefaultInterval, nil
	}
	return time.Duration(n) * time.Minute, nil
}

// SetInterval sets the instance's sync interval in minutes (0: off).
func (m *Monitor) SetInterval(ctx context.Context, instanceID string, minutes int) error {
	if !ValidInterval(minutes) {
		return usererr.Invalid("interval", "a sync interval is off (0) or 1, 5, 10, 30 or 60 minutes, not %d", minutes)
	}
	if _, err := m.d.WS.GetInstance(ctx, instanceID); err != nil {
		return err
	}
	return m.d.WS.SetSetting(ctx, intervalKey(instanceID), strconv.Itoa(minutes))
}

// Due returns the ids of the instances whose interval has passed since
// their last sync (by this monitor, or the one recorded in the workspace).
func (m *Monitor) Due(ctx context.Context) ([]string, error) {
	ins, err := m.d.WS.ListInstances(ctx)
	if err != nil {
		return nil, fmt.Errorf("list instances: %w", err)
	}
	now := m.d.Now()
	var due []string
	for _, in := range ins {
		every, err := m.Interval(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		if every == 0 {
			continue
		}
		m.mu.Lock()
		last, ok := m.last[in.ID]
		m.mu.Unlock()
		if !ok {
			last = in.LastSyncAt
		}
		if last.IsZero() || now.Sub(last) >= every {
			due = append(due, in.ID)
		}
	}
	return due, nil
}

// Tick syncs every instance that is due, one after the other.
func (m *Monitor) Tick(ctx context.Context) error {
	due, err := m.Due(ctx)
	if err != nil {
		return err
	}
	for _, id := range due {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		m.SyncInstance(ctx, id)
	}
	return nil
}

// Run ticks every poll until ctx ends (the app's lifetime); the first tick
// runs at once.
func (m *Monitor) Run(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		_ = m.Tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SyncInstance lists the instance's databases and refreshes the schema of
// each. When the instance is already being synced it waits for that sync
// and returns its result.
func (m *Monitor) SyncInstance(ctx context.Context, instanceID string) InstanceResult {
	m.mu.Lock()
	if f, ok := m.instances[instanceID]; ok {
		f.waiters++
		m.mu.Unlock()
		if !wait(ctx, f.done) {
			return InstanceResult{InstanceID: instanceID, Err: ctx.Err()}
		}
		return f.res
	}
	f := &flight[InstanceResult]{done: make(chan struct{})}
	m.instances[instanceID] = f
	m.last[instanceID] = m.d.Now()
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.instances, instanceID)
		m.mu.Unlock()
		close(f.done)
	}()
	f.res = m.syncInstance(ctx, instanceID)
	m.notify(ctx, Event{InstanceID: instanceID, Err: f.res.Err})
	return f.res
}

func (m *Monitor) syncInstance(ctx context.Context, instanceID string) InstanceResult {
	res := InstanceResult{InstanceID: instanceID}
	in, err := m.d.WS.GetInstance(ctx, instanceID)
	if err != nil {
		res.Err = err
		return res
	}
	var open instances.Opener
	if m.d.Open != nil {
		open = m.d.Open(instanceID)
	}
	dbs, err := m.d.Conns.SyncDatabases(ctx, in, open)
	if err != nil {
		res.Err = err
		return res
	}
	for _, d := range dbs {
		if ctx.Err() != nil {
			res.Databases = append(res.Databases, DatabaseResult{Database: d, Err: ctx.Err()})
			continue
		}
		res.Databases = append(res.Databases, m.SyncDatabase(ctx, d.ID))
	}
	return res
}

// SyncDatabase refreshes one database's schema (a database just created or
// found). When it is already being synced it waits for that sync and
// returns its result.
func (m *Monitor) SyncDatabase(ctx context.Context, databaseID string) DatabaseResult {
	m.mu.Lock()
	if f, ok := m.databases[databaseID]; ok {
		f.waiters++
		m.mu.Unlock()
		if !wait(ctx, f.done) {
			return DatabaseResult{Err: ctx.Err()}
		}
		return f.res
	}
	f := &flight[DatabaseResult]{done: make(chan struct{})}
	m.databases[databaseID] = f
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.databases, databaseID)
		m.mu.Unlock()
		close(f.done)
	}()
	d, err := m.d.WS.GetDatabase(ctx, databaseID)
	if err != nil {
		f.res = DatabaseResult{Err: err}
		return f.res
	}
	_, stored, err := m.d.Sync.Refresh(ctx, databaseID, nil)
	f.res = DatabaseResult{Database: d, Stored: stored, Err: err}
	m.notify(ctx, Event{InstanceID: d.InstanceID, DatabaseID: databaseID, Stored: stored, Err: err})
	return f.res
}

func (m *Monitor) notify(ctx context.Context, e Event) {
	e.At = m.d.Now()
	if m.d.AfterSync != nil && ctx.Err() == nil {
		e.AfterErr = m.d.AfterSync(ctx, e)
	}
	if m.d.Notify != nil {
		m.d.Notify(e)
	}
}

// wait waits for done or ctx, reporting whether done came first.
func wait(ctx context.Context, done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}
