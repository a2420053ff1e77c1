package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// schemaSyncLimit bounds one schema sync (thousands of tables read in seconds;
// the limit is for servers that stop answering).
const schemaSyncLimit = 10 * time.Minute

// SchemaObject is an object a sync could not model (unsupported) or a schema
// it could not read (skipped), with the reason.
type SchemaObject struct {
	Kind   string `json:"kind"`
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Detail string `json:"detail"`
}

// SnapshotInfo describes one stored schema snapshot (without its contents).
type SnapshotInfo struct {
	ID            string         `json:"id"`
	DatabaseID    string         `json:"databaseId"`
	TakenAt       string         `json:"takenAt"` // RFC3339
	DurationMs    int64          `json:"durationMs"`
	Fingerprint   string         `json:"fingerprint"`
	ServerVersion string         `json:"serverVersion"` // "15.14"
	ModelSize     int            `json:"modelSize"`
	DDLSize       int            `json:"ddlSize"`
	Unsupported   []SchemaObject `json:"unsupported"`
	Skipped       []SchemaObject `json:"skipped"`
}

// SchemaCounts counts the objects of a snapshot by kind.
type SchemaCounts struct {
	Schemas           int `json:"schemas"`
	Tables            int `json:"tables"`
	Views             int `json:"views"`
	MaterializedViews int `json:"materializedViews"`
	Functions         int `json:"functions"`
	Procedures        int `json:"procedures"`
	Types             int `json:"types"`
	Sequences         int `json:"sequences"`
}

// SchemaSummary is what the database page shows in its header: the latest
// snapshot (Synced false when there is none) and the last sync attempt.
type SchemaSummary struct {
	DatabaseID string       `json:"databaseId"`
	Synced     bool         `json:"synced"`
	Snapshot   SnapshotInfo `json:"snapshot"` // the latest; zero when never synced
	Counts     SchemaCounts `json:"counts"`
	// LastAttemptAt is the last sync attempt; LastError its error when it
	// failed (the snapshot shown is then the previous one).
	LastAttemptAt string `json:"lastAttemptAt"`
	LastError     string `json:"lastError"`
	LastSQLState  string `json:"lastSqlstate"`
}

// TreeNode is a node of the schema tree. ID is stable across syncs for the
// same object (kind and qualified name). Group nodes ("Tables", "Columns")
// have Kind "group" and no detail.
type TreeNode struct {
	ID       string     `json:"id"`
	Label    string     `json:"label"`
	Kind     string     `json:"kind"`
	Detail   string     `json:"detail"` // a column's type, a function's arguments, ...
	Children []TreeNode `json:"children"`
}

// SchemaTree is the tree of the latest snapshot.
type SchemaTree struct {
	SnapshotID string     `json:"snapshotId"`
	Nodes      []TreeNode `json:"nodes"`
}

// Property is one labelled fact about an object.
type Property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ObjectDetail is one object of the tree: its properties and its DDL.
type ObjectDetail struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	Schema     string     `json:"schema"`
	Name       string     `json:"name"`
	Parent     string     `json:"parent"` // the table or view of a sub-object
	Properties []Property `json:"properties"`
	DDL        string     `json:"ddl"`
}

// SchemaService syncs database schemas into snapshots (schemasync) and
// serves the latest one as a tree, object details and DDL (schematree).
type SchemaService struct {
	a *App

	mu    sync.Mutex
	trees map[string]*schematree.Tree // snapshot id -> its tree
}

// treeCacheSize bounds how many snapshots keep a built tree in memory.
const treeCacheSize = 4

func schSnapshotOut(in workspace.SnapshotInfo) SnapshotInfo {
	return SnapshotInfo{
		ID: in.ID, DatabaseID: in.DatabaseID, TakenAt: rfc3339(in.TakenAt), DurationMs: in.Duration.Milliseconds(),
		Fingerprint: in.Fingerprint, ServerVersion: schVersion(in.ServerVersion), ModelSize: in.ModelSize, DDLSize: in.DDLSize,
		Unsupported: schObjectsOut(in.Unsupported), Skipped: schObjectsOut(in.Skipped),
	}
}

func schObjectsOut(os []workspace.SnapshotObject) []SchemaObject {
	out := make([]SchemaObject, 0, len(os))
	for _, o := range os {
		out = append(out, SchemaObject{Kind: o.Kind, Schema: o.Schema, Name: o.Name, Detail: o.Detail})
	}
	return out
}

// schVersion renders server_version_num as PostgreSQL prints it ("15.14").
func schVersion(num int) string {
	if num <= 0 {
		return ""
	}
	return fmt.Sprintf("%d.%d", num/10000, num%10000)
}

// Sync reads the database's schema into a new snapshot. It emits "progress"
// events with id "schema-sync-<database id>". A failure is recorded on the
// database and the previous snapshot is kept.
func (s *SchemaService) Sync(databaseID string) (SchemaSummary, error) {
	ctx, cancel := s.a.call(schemaSyncLimit)
	defer cancel()
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return SchemaSummary{}, fail(err)
	}
	p := Progress{ID: "schema-sync-" + databaseID, Title: "Syncing the schema of " + db.Name, Total: schemasync.Steps}
	_, err = s.a.syncer.Sync(ctx, databaseID, func(step int, name string) {
		p.Step, p.Done = name, step
		s.a.progress(p)
	})
	p.Finished = true
	s.a.evaluateSync(ctx, db.InstanceID, databaseID, err)
	if err != nil {
		p.Error = oneLine(err)
		s.a.progress(p)
		return SchemaSummary{}, fail(err)
	}
	p.Step, p.Done = "Done", schemasync.Steps
	s.a.progress(p)
	sum, err := s.summary(ctx, databaseID)
	return sum, fail(err)
}

// Summary returns the latest snapshot's facts and the last sync attempt.
func (s *SchemaService) Summary(databaseID string) (SchemaSummary, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	sum, err := s.summary(ctx, databaseID)
	return sum, fail(err)
}

func (s *SchemaService) summary(ctx context.Context, databaseID string) (SchemaSummary, error) {
	if _, err := s.a.ws.GetDatabase(ctx, databaseID); err != nil {
		return SchemaSummary{}, err
	}
	sum := SchemaSummary{DatabaseID: databaseID, Snapshot: SnapshotInfo{Unsupported: []SchemaObject{}, Skipped: []SchemaObject{}}}
	st, err := s.a.ws.SyncStatus(ctx, databaseID)
	if err != nil {
		return sum, err
	}
	sum.LastAttemptAt, sum.LastError, sum.LastSQLState = rfc3339(st.AttemptedAt), st.Error, st.SQLState
	snap, err := s.a.syncer.Latest(ctx, databaseID)
	if errors.Is(err, workspace.ErrNotFound) {
		return sum, nil
	}
	if err != nil {
		return sum, err
	}
	sum.Synced, sum.Snapshot, sum.Counts = true, schSnapshotOut(snap.Info), countsOut(s.tree(snap).Count())
	return sum, nil
}

// Latest returns the latest snapshot's facts; its ID is empty when the
// database was never synced.
func (s *SchemaService) Latest(databaseID string) (SnapshotInfo, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if _, err := s.a.ws.GetDatabase(ctx, databaseID); err != nil {
		return SnapshotInfo{}, fail(err)
	}
	in, err := s.a.ws.LatestSnapshotInfo(ctx, databaseID)
	if errors.Is(err, workspace.ErrNotFound) {
		return SnapshotInfo{DatabaseID: databaseID, Unsupported: []SchemaObject{}, Skipped: []SchemaObject{}}, nil
	}
	if err != nil {
		return SnapshotInfo{}, fail(err)
	}
	return schSnapshotOut(in), nil
}

// Snapshots lists the database's snapshots, newest first.
func (s *SchemaService) Snapshots(databaseID string) ([]SnapshotInfo, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if _, err := s.a.ws.GetDatabase(ctx, databaseID); err != nil {
		return nil, fail(err)
	}
	list, err := s.a.ws.ListSnapshots(ctx, databaseID)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]SnapshotInfo, 0, len(list))
	for _, in := range list {
		out = append(out, schSnapshotOut(in))
	}
	return out, nil
}

// Tree returns the latest snapshot as a tree: schemas, then groups of
// tables, views, materialized views, functions, procedures, types and
// sequences, then each table's columns, indexes, constraints, triggers and
// policies. Extensions form a top-level group.
func (s *SchemaService) Tree(databaseID string) (SchemaTree, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	snap, t, err := s.latest(ctx, databaseID)
	if err != nil {
		return SchemaTree{}, fail(err)
	}
	return SchemaTree{SnapshotID: snap.Info.ID, Nodes: nodesOut(t.Nodes())}, nil
}

// Object returns the properties and DDL of one tree node of the latest snapshot.
func (s *SchemaService) Object(databaseID, nodeID string) (ObjectDetail, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	_, t, err := s.latest(ctx, databaseID)
	if err != nil {
		return ObjectDetail{}, fail(err)
	}
	o, ok := t.Object(nodeID)
	if !ok {
		return ObjectDetail{}, fail(&usererr.Error{Message: fmt.Sprintf("object %s is not in the latest snapshot of this database; sync again or pick another object", nodeID)})
	}
	return objectOut(o), nil
}

// DDL returns the whole-database DDL of the latest snapshot.
func (s *SchemaService) DDL(databaseID string) (string, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	snap, _, err := s.latest(ctx, databaseID)
	if err != nil {
		return "", fail(err)
	}
	return snap.DDL, nil
}

// ChooseSavePath asks for a file to save the DDL to (the native save dialog)
// and returns its path, or "" when the user cancels.
func (s *SchemaService) ChooseSavePath(databaseID string) (string, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return "", fail(err)
	}
	wctx := s.a.base()
	if wctx.Value("frontend") == nil {
		return "", fail(&usererr.Error{Message: "no window to show a save dialog in"})
	}
	path, err := runtime.SaveFileDialog(wctx, runtime.SaveDialogOptions{
		Title:           "Save the DDL of " + db.Name,
		DefaultFilename: db.Name + ".sql",
		Filters:         []runtime.FileFilter{{DisplayName: "SQL files (*.sql)", Pattern: "*.sql"}},
	})
	if err != nil {
		return "", fail(fmt.Errorf("save dialog: %w", err))
	}
	return path, nil
}

// SaveDDL writes the whole-database DDL of the latest snapshot to path.
func (s *SchemaService) SaveDDL(databaseID, path string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if strings.TrimSpace(path) == "" {
		return fail(usererr.Invalid("path", "choose a file to save the DDL to"))
	}
	snap, _, err := s.latest(ctx, databaseID)
	if err != nil {
		return fail(err)
	}
	text := snap.DDL
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return fail(&usererr.Error{Message: fmt.Sprintf("cannot save the DDL to %s: %v", path, errors.Unwrap(err)), Field: "path", Err: err})
	}
	return nil
}

// latest returns the latest snapshot of a synced database and its tree,
// with a clear message for a database never synced.
func (s *SchemaService) latest(ctx context.Context, databaseID string) (*schemasync.Snapshot, *schematree.Tree, error) {
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return nil, nil, err
	}
	snap, err := s.a.syncer.Latest(ctx, databaseID)
	if errors.Is(err, workspace.ErrNotFound) {
		return nil, nil, &usererr.Error{Message: fmt.Sprintf("database %s has not been synced yet; sync it to read its schema", db.Name)}
	}
	if err != nil {
		return nil, nil, err
	}
	return snap, s.tree(snap), nil
}

// tree returns the (cached) tree of a snapshot.
func (s *SchemaService) tree(snap *schemasync.Snapshot) *schematree.Tree {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.trees[snap.Info.ID]; ok {
		return t
	}
	if s.trees == nil || len(s.trees) >= treeCacheSize {
		s.trees = map[string]*schematree.Tree{}
	}
	t := schematree.New(&snap.Schema)
	s.trees[snap.Info.ID] = t
	return t
}

func countsOut(c schematree.Counts) SchemaCounts {
	return SchemaCounts{Schemas: c.Schemas, Tables: c.Tables, Views: c.Views, MaterializedViews: c.MaterializedViews,
		Functions: c.Functions, Procedures: c.Procedures, Types: c.Types, Sequences: c.Sequences}
}

func nodesOut(ns []schematree.Node) []TreeNode {
	out := make([]TreeNode, 0, len(ns))
	for _, n := range ns {
		out = append(out, TreeNode{ID: n.ID, Label: n.Label, Kind: n.Kind, Detail: n.Detail, Children: nodesOut(n.Children)})
	}
	return out
}

func objectOut(o schematree.Object) ObjectDetail {
	props := make([]Property, 0, len(o.Properties))
	for _, p := range o.Properties {
		props = append(props, Property{Name: p.Name, Value: p.Value})
	}
	return ObjectDetail{ID: o.ID, Kind: o.Kind, Schema: o.Schema, Name: o.Name, Parent: o.Parent, Properties: props, DDL: o.DDL}
}
