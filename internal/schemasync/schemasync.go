// Package schemasync reads a database's schema into a stored snapshot (the
// typed model and its DDL) and serves the latest snapshot of each database,
// decoded once. It is the sync step of the desktop app, of `tidemark
// database sync`, of the snapshots taken around every applied change, and of
// drift detection.
package schemasync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Steps of a sync, for progress reports.
const (
	StepConnect = iota
	StepInspect
	StepRender
	StepSave
	Steps // the number of steps
)

// Step reports progress: the step starting (StepConnect...) and its name.
type Step func(step int, name string)

// Snapshot is a decoded snapshot: its facts, DDL and model.
type Snapshot struct {
	Info   workspace.SnapshotInfo
	DDL    string
	Schema catalog.Schema
}

// Syncer syncs databases of a workspace. Safe for concurrent use.
type Syncer struct {
	ws    *workspace.Store
	conns *instances.Connector

	mu    sync.Mutex
	cache map[string]*Snapshot // database id -> its latest snapshot
}

// cacheSize bounds how many databases keep a decoded snapshot in memory.
const cacheSize = 4

// New returns a Syncer over the workspace.
func New(ws *workspace.Store, conns *instances.Connector) *Syncer {
	return &Syncer{ws: ws, conns: conns, cache: map[string]*Snapshot{}}
}

// Sync reads the database's schema (one read-only snapshot of the catalog,
// Tidemark's own bookkeeping schema left out), renders its DDL and stores
// both as a new snapshot. A failure is recorded on the database (its sync
// status, with the SQLSTATE) and the previous snapshot is kept; the error is
// a *usererr.Error naming the database.
func (s *Syncer) Sync(ctx context.Context, databaseID string, step Step) (*Snapshot, error) {
	if step == nil {
		step = func(int, string) {}
	}
	snap, _, err := s.run(ctx, databaseID, step, false)
	return snap, err
}

// Refresh is Sync for periodic checks: it reads the database's schema and
// stores a new snapshot only when its fingerprint differs from the latest
// one's (so history does not fill with identical snapshots); otherwise it
// records the successful attempt and returns the latest snapshot. stored
// reports whether a snapshot was added.
func (s *Syncer) Refresh(ctx context.Context, databaseID string, step Step) (snap *Snapshot, stored bool, err error) {
	if step == nil {
		step = func(int, string) {}
	}
	return s.run(ctx, databaseID, step, true)
}

func (s *Syncer) run(ctx context.Context, databaseID string, step Step, onlyChanged bool) (*Snapshot, bool, error) {
	start := time.Now()
	snap, stored, err := s.sync(ctx, databaseID, step, onlyChanged)
	if err != nil {
		ue := usererr.From(err)
		if !errors.Is(err, workspace.ErrNotFound) {
			_ = s.ws.RecordSyncFailure(context.WithoutCancel(ctx), databaseID, start, ue.Message, ue.SQLState)
		}
		return nil, false, ue
	}
	return snap, stored, nil
}

func (s *Syncer) sync(ctx context.Context, databaseID string, step Step, onlyChanged bool) (*Snapshot, bool, error) {
	start := time.Now()
	step(StepConnect, "Connecting")
	d, err := s.conns.Database(ctx, databaseID)
	if err != nil {
		return nil, false, err
	}
	conn, err := d.Connect(ctx)
	if err != nil {
		return nil, false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	step(StepInspect, "Reading the catalog")
	res, err := catalog.Inspect(ctx, conn, catalog.Options{})
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) || conn.IsClosed() {
			return nil, false, usererr.Wrap("read the schema of "+d.Label()+": ", pg.Convert(err, d.Info))
		}
		return nil, false, fmt.Errorf("read the schema of %s: %w", d.Label(), err)
	}
	if onlyChanged && res.Fingerprint != "" {
		if last, err := s.ws.LatestSnapshotInfo(ctx, databaseID); err == nil && last.Fingerprint == res.Fingerprint {
			step(StepSave, "Unchanged since the latest snapshot")
			if err := s.ws.RecordSyncSuccess(ctx, databaseID, start); err != nil {
				return nil, false, err
			}
			snap, err := s.Latest(ctx, databaseID)
			return snap, false, err
		} else if err != nil && !errors.Is(err, workspace.ErrNotFound) {
			return nil, false, err
		}
	}
	step(StepRender, "Rendering DDL")
	ddl := catalog.Dump(res.Schema, catalog.DumpOptions{})
	model, err := json.Marshal(res.Schema)
	if err != nil {
		return nil, false, fmt.Errorf("encode the schema model: %w", err)
	}
	step(StepSave, "Saving the snapshot")
	info, err := s.ws.AddSnapshot(ctx, workspace.Snapshot{
		SnapshotInfo: workspace.SnapshotInfo{
			DatabaseID: databaseID, TakenAt: start, Duration: time.Since(start), Fingerprint: res.Fingerprint,
			ServerVersion: res.ServerVersion, Unsupported: objects(res.Unsupported), Skipped: objects(res.Skipped),
		},
		Model: model, DDL: string(ddl),
	})
	if err != nil {
		return nil, false, err
	}
	// The model in hand is the snapshot's: keep it rather than decode it again.
	snap := &Snapshot{Info: info, DDL: string(ddl), Schema: res.Schema}
	s.remember(databaseID, snap)
	return snap, true, nil
}

func objects(os []catalog.Object) []workspace.SnapshotObject {
	out := make([]workspace.SnapshotObject, 0, len(os))
	for _, o := range os {
		out = append(out, workspace.SnapshotObject{Kind: string(o.Kind), Schema: o.Schema, Name: o.Name, Detail: o.Detail})
	}
	return out
}

// Latest returns the database's latest snapshot, decoded (from memory when
// it is still the latest). workspace.ErrNotFound: never synced.
func (s *Syncer) Latest(ctx context.Context, databaseID string) (*Snapshot, error) {
	info, err := s.ws.LatestSnapshotInfo(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if l, ok := s.cache[databaseID]; ok && l.Info.ID == info.ID {
		s.mu.Unlock()
		return l, nil
	}
	s.mu.Unlock()
	snap, err := s.Get(ctx, info.ID)
	if err != nil {
		return nil, err
	}
	s.remember(databaseID, snap)
	return snap, nil
}

// Get returns a stored snapshot, decoded.
func (s *Syncer) Get(ctx context.Context, snapshotID string) (*Snapshot, error) {
	return Load(ctx, s.ws, snapshotID)
}

// Load reads and decodes a stored snapshot.
func Load(ctx context.Context, ws *workspace.Store, snapshotID string) (*Snapshot, error) {
	snap, err := ws.GetSnapshot(ctx, snapshotID)
	if err != nil {
		return nil, err
	}
	res, err := catalog.DecodeModel(snap.Model)
	if err != nil {
		return nil, fmt.Errorf("snapshot taken %s: %w", snap.TakenAt.UTC().Format(time.RFC3339), err)
	}
	return &Snapshot{Info: snap.SnapshotInfo, DDL: snap.DDL, Schema: res.Schema}, nil
}

// Unsupported returns the snapshot's objects the model does not cover.
func (s *Snapshot) Unsupported() []catalog.Object {
	out := make([]catalog.Object, 0, len(s.Info.Unsupported))
	for _, o := range s.Info.Unsupported {
		out = append(out, catalog.Object{Kind: catalog.ObjectKind(o.Kind), Schema: o.Schema, Name: o.Name, Detail: o.Detail})
	}
	return out
}

func (s *Syncer) remember(databaseID string, snap *Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cache[databaseID]; !ok && len(s.cache) >= cacheSize {
		for k := range s.cache {
			delete(s.cache, k)
			break
		}
	}
	s.cache[databaseID] = snap
}
