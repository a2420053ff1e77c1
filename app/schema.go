package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pg"
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

// SchemaService syncs database schemas into snapshots and serves the latest
// one as a tree, object details and DDL.
type SchemaService struct {
	a *App

	mu    sync.Mutex
	cache map[string]*loadedSnapshot // database id -> its latest snapshot, parsed
}

// loadedSnapshot is a parsed snapshot with its tree and per-object index.
type loadedSnapshot struct {
	info    workspace.SnapshotInfo
	ddl     string
	schema  catalog.Schema
	built   sync.Once // tree and objects are built on first use
	tree    []TreeNode
	objects map[string]*objectEntry

	once  sync.Once
	nodes map[string][]string // DumpNodes: key -> statements
}

type objectEntry struct {
	detail ObjectDetail
	keys   []string      // DumpNode keys whose statements make up the DDL
	ddl    func() string // fallback when no node holds statements
}

// schCacheSize bounds how many databases keep a parsed snapshot in memory.
const schCacheSize = 4

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

func schObjectsIn(os []catalog.Object) []workspace.SnapshotObject {
	out := make([]workspace.SnapshotObject, 0, len(os))
	for _, o := range os {
		out = append(out, workspace.SnapshotObject{Kind: string(o.Kind), Schema: o.Schema, Name: o.Name, Detail: o.Detail})
	}
	return out
}

// versionText renders server_version_num as PostgreSQL prints it ("15.14").
func schVersion(num int) string {
	if num <= 0 {
		return ""
	}
	return fmt.Sprintf("%d.%d", num/10000, num%10000)
}

// Sync reads the database's schema (one read-only snapshot), renders its DDL
// and stores both as a new snapshot. It emits "progress" events with id
// "schema-sync-<database id>". A failure is recorded on the database and the
// previous snapshot is kept.
func (s *SchemaService) Sync(databaseID string) (SchemaSummary, error) {
	ctx, cancel := s.a.call(schemaSyncLimit)
	defer cancel()
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return SchemaSummary{}, fail(err)
	}
	p := Progress{ID: "schema-sync-" + databaseID, Title: "Syncing the schema of " + db.Name, Total: 4}
	step := func(name string, done int) {
		p.Step, p.Done = name, done
		s.a.progress(p)
	}
	finish := func(err error) (SchemaSummary, error) {
		ue := toUserError(err)
		_ = s.a.ws.RecordSyncFailure(context.WithoutCancel(ctx), databaseID, time.Now(), ue.Message, ue.SQLState)
		p.Finished, p.Error = true, plain(ue)
		s.a.progress(p)
		return SchemaSummary{}, ue
	}
	start := time.Now()
	step("Connecting", 0)
	in, err := s.a.ws.GetInstance(ctx, db.InstanceID)
	if err != nil {
		return finish(err)
	}
	ci, err := s.a.instances.savedConfig(ctx, in)
	if err != nil {
		return finish(err)
	}
	ci.Database = db.Name
	cfg, err := pg.Config(ci)
	if err != nil {
		return finish(err)
	}
	// A connection of its own, closed at the end: an idle pooled connection
	// would keep the user from dropping the database.
	cctx, ccancel := context.WithTimeout(ctx, pg.ConnectTimeout)
	conn, err := pgx.ConnectConfig(cctx, cfg)
	ccancel()
	if err != nil {
		return finish(pg.Convert(err, ci))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	step("Reading the catalog", 1)
	res, err := catalog.Inspect(ctx, conn, catalog.Options{})
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) || conn.IsClosed() {
			return finish(pg.Convert(err, ci))
		}
		return finish(fmt.Errorf("read the schema of %s: %w", db.Name, err))
	}
	step("Rendering DDL", 2)
	ddl := catalog.Dump(res.Schema, catalog.DumpOptions{})
	model, err := json.Marshal(res.Schema)
	if err != nil {
		return finish(fmt.Errorf("encode the schema model: %w", err))
	}
	step("Saving the snapshot", 3)
	info, err := s.a.ws.AddSnapshot(ctx, workspace.Snapshot{
		SnapshotInfo: workspace.SnapshotInfo{
			DatabaseID: databaseID, TakenAt: start, Duration: time.Since(start), Fingerprint: res.Fingerprint,
			ServerVersion: res.ServerVersion, Unsupported: schObjectsIn(res.Unsupported), Skipped: schObjectsIn(res.Skipped),
		},
		Model: model, DDL: string(ddl),
	})
	if err != nil {
		return finish(err)
	}
	// The model in hand is the snapshot's: cache it rather than decode it again.
	s.remember(databaseID, &loadedSnapshot{info: info, ddl: string(ddl), schema: res.Schema})
	p.Step, p.Done, p.Finished = "Done", 4, true
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
	l, err := s.load(ctx, databaseID)
	if errors.Is(err, workspace.ErrNotFound) {
		return sum, nil
	}
	if err != nil {
		return sum, err
	}
	sum.Synced, sum.Snapshot, sum.Counts = true, schSnapshotOut(l.info), schCounts(&l.schema)
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
	l, err := s.loadSynced(ctx, databaseID)
	if err != nil {
		return SchemaTree{}, fail(err)
	}
	l.built.Do(l.build)
	return SchemaTree{SnapshotID: l.info.ID, Nodes: l.tree}, nil
}

// Object returns the properties and DDL of one tree node of the latest snapshot.
func (s *SchemaService) Object(databaseID, nodeID string) (ObjectDetail, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	l, err := s.loadSynced(ctx, databaseID)
	if err != nil {
		return ObjectDetail{}, fail(err)
	}
	l.built.Do(l.build)
	e, ok := l.objects[nodeID]
	if !ok {
		return ObjectDetail{}, &UserError{Message: fmt.Sprintf("object %s is not in the latest snapshot of this database; sync again or pick another object", nodeID)}
	}
	d := e.detail
	d.DDL = l.objectDDL(e)
	return d, nil
}

// DDL returns the whole-database DDL of the latest snapshot.
func (s *SchemaService) DDL(databaseID string) (string, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	l, err := s.loadSynced(ctx, databaseID)
	if err != nil {
		return "", fail(err)
	}
	return l.ddl, nil
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
		return "", &UserError{Message: "no window to show a save dialog in"}
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
		return invalid("path", "choose a file to save the DDL to")
	}
	l, err := s.loadSynced(ctx, databaseID)
	if err != nil {
		return fail(err)
	}
	text := l.ddl
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return &UserError{Message: fmt.Sprintf("cannot save the DDL to %s: %v", path, errors.Unwrap(err)), Field: "path"}
	}
	return nil
}

// loadSynced is load with a clear message for a database never synced.
func (s *SchemaService) loadSynced(ctx context.Context, databaseID string) (*loadedSnapshot, error) {
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	l, err := s.load(ctx, databaseID)
	if errors.Is(err, workspace.ErrNotFound) {
		return nil, &UserError{Message: fmt.Sprintf("database %s has not been synced yet; sync it to read its schema", db.Name)}
	}
	return l, err
}

// load returns the parsed latest snapshot of a database, from the cache when
// it is still the latest.
func (s *SchemaService) load(ctx context.Context, databaseID string) (*loadedSnapshot, error) {
	info, err := s.a.ws.LatestSnapshotInfo(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if l, ok := s.cache[databaseID]; ok && l.info.ID == info.ID {
		s.mu.Unlock()
		return l, nil
	}
	s.mu.Unlock()
	snap, err := s.a.ws.GetSnapshot(ctx, info.ID)
	if err != nil {
		return nil, err
	}
	l := &loadedSnapshot{info: snap.SnapshotInfo, ddl: snap.DDL}
	if err := json.Unmarshal(snap.Model, &l.schema); err != nil {
		return nil, fmt.Errorf("snapshot %s: decode the schema model: %w", snap.ID, err)
	}
	s.remember(databaseID, l)
	return l, nil
}

// remember caches the parsed latest snapshot of a database.
func (s *SchemaService) remember(databaseID string, l *loadedSnapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache == nil {
		s.cache = map[string]*loadedSnapshot{}
	}
	if _, ok := s.cache[databaseID]; !ok && len(s.cache) >= schCacheSize {
		for k := range s.cache {
			delete(s.cache, k)
			break
		}
	}
	s.cache[databaseID] = l
}

func schCounts(m *catalog.Schema) SchemaCounts {
	c := SchemaCounts{Schemas: len(m.Namespaces), Tables: len(m.Tables), Types: len(m.Types), Sequences: len(m.Sequences)}
	for _, v := range m.Views {
		if v.Materialized {
			c.MaterializedViews++
		} else {
			c.Views++
		}
	}
	for _, f := range m.Functions {
		if f.Kind == catalog.FunctionProcedure {
			c.Procedures++
		} else {
			c.Functions++
		}
	}
	return c
}

// objectDDL joins the statements Dump renders for the object.
func (l *loadedSnapshot) objectDDL(e *objectEntry) string {
	l.once.Do(func() {
		l.nodes = map[string][]string{}
		for _, n := range catalog.DumpNodes(l.schema, catalog.DumpOptions{}) {
			l.nodes[n.Key] = n.Statements
		}
	})
	var stmts []string
	for _, k := range e.keys {
		stmts = append(stmts, l.nodes[k]...)
	}
	if len(stmts) == 0 {
		if e.ddl != nil {
			return e.ddl()
		}
		return ""
	}
	return strings.Join(stmts, ";\n\n") + ";"
}

// ---- the tree ----

func schStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func schYes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// props builds a property list, leaving out empty values.
func schProps(kv ...string) []Property {
	out := make([]Property, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			out = append(out, Property{Name: kv[i], Value: kv[i+1]})
		}
	}
	return out
}

func schGrants(acl []catalog.Grant) string {
	if len(acl) == 0 {
		return ""
	}
	parts := make([]string, 0, len(acl))
	for _, g := range acl {
		p := g.Grantee + ": " + g.Privilege
		if g.Grantable {
			p += " (grantable)"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func schGroup(parent, kind, label string, children []TreeNode) TreeNode {
	return TreeNode{ID: "group:" + parent + "/" + kind, Label: fmt.Sprintf("%s (%d)", label, len(children)), Kind: "group", Children: children}
}

// build turns the model into the tree and the per-node index.
func (l *loadedSnapshot) build() {
	m := &l.schema
	l.objects = map[string]*objectEntry{}
	add := func(d ObjectDetail, keys []string, ddl func() string) {
		l.objects[d.ID] = &objectEntry{detail: d, keys: keys, ddl: ddl}
	}
	type bucket struct{ tables, views, matviews, functions, procedures, types, sequences []TreeNode }
	byNS := map[string]*bucket{}
	get := func(ns string) *bucket {
		b, ok := byNS[ns]
		if !ok {
			b = &bucket{}
			byNS[ns] = b
		}
		return b
	}
	// sequences owned by each table, so their OWNED BY shows with the table
	owned := map[string][]string{}
	for i := range m.Sequences {
		q := &m.Sequences[i]
		if q.OwnedBy != nil {
			tk := catalog.ObjectRef{Kind: catalog.KindTable, Schema: q.OwnedBy.Table.Schema, Name: q.OwnedBy.Table.Name}.Key()
			owned[tk] = append(owned[tk], catalog.OwnedByNodeKey(q.Ref()))
		}
	}
	for i := range m.Tables {
		t := &m.Tables[i]
		b := get(t.Schema)
		b.tables = append(b.tables, l.table(t, owned[t.Ref().Key()], add))
	}
	for i := range m.Views {
		v := &m.Views[i]
		b := get(v.Schema)
		if v.Materialized {
			b.matviews = append(b.matviews, l.view(v, add))
		} else {
			b.views = append(b.views, l.view(v, add))
		}
	}
	for i := range m.Functions {
		f := &m.Functions[i]
		k := f.Ref().Key()
		kind := string(f.Kind)
		add(ObjectDetail{ID: k, Kind: kind, Schema: f.Schema, Name: f.Name, Properties: schProps(
			"Kind", kind, "Arguments", f.ArgsFull, "Returns", f.Result, "Language", f.Language, "Volatility", f.Volatility,
			"Strict", schFlag(f.Strict), "Security definer", schFlag(f.Security == "definer"), "Leakproof", schFlag(f.Leakproof),
			"Parallel", f.Parallel, "Configuration", strings.Join(f.Config, ", "), "Owner", f.Owner, "Privileges", schGrants(f.ACL),
			"Comment", schStr(f.Comment))}, []string{k, "acl:" + k}, nil)
		n := TreeNode{ID: k, Label: f.Name, Kind: kind, Detail: "(" + f.Args + ")"}
		b := get(f.Schema)
		if f.Kind == catalog.FunctionProcedure {
			b.procedures = append(b.procedures, n)
		} else {
			b.functions = append(b.functions, n)
		}
	}
	for i := range m.Types {
		t := &m.Types[i]
		k := t.Ref().Key()
		p := schProps("Kind", string(t.Kind), "Labels", strings.Join(t.Labels, ", "), "Base type", t.BaseType,
			"Not null", schFlag(t.NotNull), "Default", schStr(t.Default), "Subtype", t.Subtype, "Owner", t.Owner,
			"Privileges", schGrants(t.ACL), "Comment", schStr(t.Comment))
		for _, c := range t.Constraints {
			p = append(p, Property{Name: "Constraint " + c.Name, Value: c.Definition})
		}
		for _, a := range t.Attributes {
			p = append(p, Property{Name: "Attribute " + a.Name, Value: a.Type})
		}
		add(ObjectDetail{ID: k, Kind: "type", Schema: t.Schema, Name: t.Name, Properties: p}, []string{k, "acl:" + k}, nil)
		get(t.Schema).types = append(get(t.Schema).types, TreeNode{ID: k, Label: t.Name, Kind: "type", Detail: string(t.Kind)})
	}
	for i := range m.Sequences {
		q := &m.Sequences[i]
		k := q.Ref().Key()
		ob := ""
		if q.OwnedBy != nil {
			ob = q.OwnedBy.Table.String() + "." + catalog.QuoteIdent(q.OwnedBy.Column)
		}
		add(ObjectDetail{ID: k, Kind: "sequence", Schema: q.Schema, Name: q.Name, Properties: schProps(
			"Type", q.DataType, "Start", strconv.FormatInt(q.Start, 10), "Increment", strconv.FormatInt(q.Increment, 10),
			"Minimum", strconv.FormatInt(q.Min, 10), "Maximum", strconv.FormatInt(q.Max, 10), "Cache", strconv.FormatInt(q.Cache, 10),
			"Cycle", schYes(q.Cycle), "Owned by", ob, "Owner", q.Owner, "Privileges", schGrants(q.ACL), "Comment", schStr(q.Comment))},
			[]string{k, catalog.OwnedByNodeKey(q.Ref()), "acl:" + k}, nil)
		get(q.Schema).sequences = append(get(q.Schema).sequences, TreeNode{ID: k, Label: q.Name, Kind: "sequence", Detail: q.DataType})
	}
	names := make([]string, 0, len(m.Namespaces))
	for _, n := range m.Namespaces {
		names = append(names, n.Name)
	}
	for ns := range byNS {
		if m.Namespace(ns) == nil {
			names = append(names, ns)
		}
	}
	sort.Strings(names)
	l.tree = []TreeNode{}
	for _, ns := range names {
		k := catalog.ObjectRef{Kind: catalog.KindSchema, Name: ns}.Key()
		var p []Property
		if n := m.Namespace(ns); n != nil {
			p = schProps("Owner", n.Owner, "Privileges", schGrants(n.ACL), "Comment", schStr(n.Comment))
		}
		add(ObjectDetail{ID: k, Kind: "schema", Name: ns, Properties: p}, []string{k, "acl:" + k}, nil)
		node := TreeNode{ID: k, Label: ns, Kind: "schema", Children: []TreeNode{}}
		if b := byNS[ns]; b != nil {
			for _, g := range []struct {
				kind, label string
				nodes       []TreeNode
			}{
				{"tables", "Tables", b.tables}, {"views", "Views", b.views}, {"matviews", "Materialized views", b.matviews},
				{"functions", "Functions", b.functions}, {"procedures", "Procedures", b.procedures},
				{"types", "Types", b.types}, {"sequences", "Sequences", b.sequences},
			} {
				if len(g.nodes) > 0 {
					node.Children = append(node.Children, schGroup(k, g.kind, g.label, g.nodes))
				}
			}
		}
		l.tree = append(l.tree, node)
	}
	if len(m.Extensions) > 0 {
		var ext []TreeNode
		for _, e := range m.Extensions {
			k := catalog.ObjectRef{Kind: catalog.KindExtension, Name: e.Name}.Key()
			add(ObjectDetail{ID: k, Kind: "extension", Schema: e.Schema, Name: e.Name, Properties: schProps(
				"Version", e.Version, "Schema", e.Schema, "Comment", schStr(e.Comment))}, []string{k}, nil)
			ext = append(ext, TreeNode{ID: k, Label: e.Name, Kind: "extension", Detail: e.Version})
		}
		l.tree = append(l.tree, schGroup("", "extensions", "Extensions", ext))
	}
}

func schFlag(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

type schAdder func(d ObjectDetail, keys []string, ddl func() string)

// subID is the node id of a sub-object of a table or view.
func schSubID(parent, kind, name string) string {
	return parent + "/" + kind + ":" + catalog.QuoteIdent(name)
}

func (l *loadedSnapshot) table(t *catalog.Table, ownedKeys []string, add schAdder) TreeNode {
	k := t.Ref().Key()
	name := t.QualifiedName.String()
	keys := []string{k, catalog.AttachNodeKey(k)}
	node := TreeNode{ID: k, Label: t.Name, Kind: "table", Children: []TreeNode{}}
	if t.Kind == catalog.TablePartitioned {
		node.Detail = "partitioned"
	} else if t.PartitionOf != nil {
		node.Detail = "partition of " + t.PartitionOf.Name
	}
	var cols, idx, cons, trg, pol []TreeNode
	for i := range t.Columns {
		c := &t.Columns[i]
		id := schSubID(k, "column", c.Name)
		def := schStr(c.Default)
		add(ObjectDetail{ID: id, Kind: "column", Schema: t.Schema, Name: c.Name, Parent: name, Properties: schProps(
			"Type", c.Type, "Not null", schYes(c.NotNull), "Default", def, "Identity", c.Identity, "Generated", c.Generated,
			"Collation", c.Collation, "Storage", c.Storage, "Compression", c.Compression, "Inherited", schFlag(c.Inherited),
			"Privileges", schGrants(c.ACL), "Comment", schStr(c.Comment))}, nil, func() string { return catalog.ColumnDefinition(c) })
		cols = append(cols, TreeNode{ID: id, Label: c.Name, Kind: "column", Detail: c.Type})
	}
	l.indexNodes(k, t.QualifiedName, t.Indexes, t.Constraints, &keys, &idx, add)
	for i := range t.Constraints {
		c := &t.Constraints[i]
		id := schSubID(k, "constraint", c.Name)
		ck := catalog.ConstraintNodeKey(t.QualifiedName, c.Name)
		keys = append(keys, ck)
		ref := ""
		if c.RefTable != nil {
			ref = c.RefTable.String() + " (" + strings.Join(c.RefColumns, ", ") + ")"
		}
		add(ObjectDetail{ID: id, Kind: "constraint", Schema: t.Schema, Name: c.Name, Parent: name, Properties: schProps(
			"Type", strings.ReplaceAll(string(c.Type), "_", " "), "Definition", c.Definition, "Columns", strings.Join(c.Columns, ", "),
			"References", ref, "On update", c.OnUpdate, "On delete", c.OnDelete, "Deferrable", schFlag(c.Deferrable),
			"Not valid", schFlag(c.NotValid), "Inherited", schFlag(c.Inherited), "Comment", schStr(c.Comment))},
			[]string{ck}, func() string { return "CONSTRAINT " + catalog.QuoteIdent(c.Name) + " " + c.Definition })
		cons = append(cons, TreeNode{ID: id, Label: c.Name, Kind: "constraint", Detail: strings.ReplaceAll(string(c.Type), "_", " ")})
	}
	l.triggerNodes(k, t.Ref(), t.Schema, name, t.Triggers, &keys, &trg, add)
	for i := range t.Policies {
		p := &t.Policies[i]
		id := schSubID(k, "policy", p.Name)
		pk := catalog.PolicyNodeKey(t.Ref(), p.Name)
		keys = append(keys, pk)
		mode := "permissive"
		if !p.Permissive {
			mode = "restrictive"
		}
		add(ObjectDetail{ID: id, Kind: "policy", Schema: t.Schema, Name: p.Name, Parent: name, Properties: schProps(
			"Mode", mode, "Command", p.Command, "Roles", strings.Join(p.Roles, ", "), "Using", p.Using, "With check", p.WithCheck,
			"Comment", schStr(p.Comment))}, []string{pk}, nil)
		pol = append(pol, TreeNode{ID: id, Label: p.Name, Kind: "policy", Detail: p.Command})
	}
	keys = append(keys, ownedKeys...)
	keys = append(keys, "acl:"+k, "colacl:"+name)
	parts := ""
	if t.PartitionOf != nil {
		parts = t.PartitionOf.String() + " " + t.PartitionBound
	}
	inh := make([]string, 0, len(t.Inherits))
	for _, q := range t.Inherits {
		inh = append(inh, q.String())
	}
	add(ObjectDetail{ID: k, Kind: "table", Schema: t.Schema, Name: t.Name, Properties: schProps(
		"Kind", string(t.Kind), "Columns", strconv.Itoa(len(t.Columns)), "Partition key", t.PartitionKey, "Partition of", parts,
		"Inherits", strings.Join(inh, ", "), "Unlogged", schFlag(t.Unlogged), "Row-level security", schFlag(t.RLSEnabled),
		"Forced row-level security", schFlag(t.RLSForced), "Storage options", strings.Join(t.Options, ", "), "Owner", t.Owner,
		"Privileges", schGrants(t.ACL), "Comment", schStr(t.Comment))}, keys, nil)
	for _, g := range []struct {
		kind, label string
		nodes       []TreeNode
	}{{"columns", "Columns", cols}, {"indexes", "Indexes", idx}, {"constraints", "Constraints", cons}, {"triggers", "Triggers", trg}, {"policies", "Policies", pol}} {
		if len(g.nodes) > 0 {
			node.Children = append(node.Children, schGroup(k, g.kind, g.label, g.nodes))
		}
	}
	return node
}

func (l *loadedSnapshot) indexNodes(k string, owner catalog.QualifiedName, xs []catalog.Index, cons []catalog.Constraint, keys *[]string, out *[]TreeNode, add schAdder) {
	schema, parent := owner.Schema, owner.String()
	for i := range xs {
		x := &xs[i]
		id := schSubID(k, "index", x.Name)
		ik := catalog.IndexNodeKey(schema, x.Name)
		own := []string{ik, catalog.IndexExtraNodeKey(schema, x.Name), catalog.AttachNodeKey(ik)}
		if x.Constraint != "" {
			// created by its constraint: show the constraint's statement
			for _, c := range cons {
				if c.Name == x.Constraint {
					own = append([]string{catalog.ConstraintNodeKey(owner, c.Name)}, own...)
				}
			}
		}
		*keys = append(*keys, ik, catalog.IndexExtraNodeKey(schema, x.Name), catalog.AttachNodeKey(ik))
		cols := make([]string, 0, len(x.Keys))
		for _, kk := range x.Keys {
			if kk.Column != "" {
				cols = append(cols, kk.Column)
			} else {
				cols = append(cols, kk.Expression)
			}
		}
		detail := x.Method
		if x.Unique {
			detail = "unique " + detail
		}
		add(ObjectDetail{ID: id, Kind: "index", Schema: schema, Name: x.Name, Parent: parent, Properties: schProps(
			"Method", x.Method, "Unique", schFlag(x.Unique), "Primary key", schFlag(x.Primary), "Keys", strings.Join(cols, ", "),
			"Include", strings.Join(x.Include, ", "), "Predicate", x.Predicate, "Constraint", x.Constraint,
			"Valid", schYes(x.Valid), "Storage options", strings.Join(x.Options, ", "), "Comment", schStr(x.Comment))},
			own, func() string { return x.Definition + ";" })
		*out = append(*out, TreeNode{ID: id, Label: x.Name, Kind: "index", Detail: detail})
	}
}

func (l *loadedSnapshot) triggerNodes(k string, owner catalog.ObjectRef, schema, parent string, ts []catalog.Trigger, keys *[]string, out *[]TreeNode, add schAdder) {
	for i := range ts {
		tr := &ts[i]
		id := schSubID(k, "trigger", tr.Name)
		tk := catalog.TriggerNodeKey(owner, tr.Name)
		*keys = append(*keys, tk)
		add(ObjectDetail{ID: id, Kind: "trigger", Schema: schema, Name: tr.Name, Parent: parent, Properties: schProps(
			"Timing", tr.Timing, "Events", strings.Join(tr.Events, ", "), "For each row", schYes(tr.ForEachRow),
			"Function", tr.Function.String(), "When", tr.When, "Constraint trigger", schFlag(tr.Constraint), "Enabled", tr.Enabled,
			"Comment", schStr(tr.Comment))}, []string{tk}, func() string { return tr.Definition + ";" })
		*out = append(*out, TreeNode{ID: id, Label: tr.Name, Kind: "trigger", Detail: tr.Timing + " " + strings.Join(tr.Events, "/")})
	}
}

func (l *loadedSnapshot) view(v *catalog.View, add schAdder) TreeNode {
	k := v.Ref().Key()
	name := v.QualifiedName.String()
	kind := "view"
	if v.Materialized {
		kind = "matview"
	}
	keys := []string{k}
	node := TreeNode{ID: k, Label: v.Name, Kind: kind, Children: []TreeNode{}}
	var cols, idx, trg []TreeNode
	for i := range v.Columns {
		c := &v.Columns[i]
		id := schSubID(k, "column", c.Name)
		add(ObjectDetail{ID: id, Kind: "column", Schema: v.Schema, Name: c.Name, Parent: name, Properties: schProps(
			"Type", c.Type, "Default", schStr(c.Default), "Privileges", schGrants(c.ACL), "Comment", schStr(c.Comment))},
			nil, func() string { return catalog.QuoteIdent(c.Name) + " " + c.Type })
		cols = append(cols, TreeNode{ID: id, Label: c.Name, Kind: "column", Detail: c.Type})
	}
	l.indexNodes(k, v.QualifiedName, v.Indexes, nil, &keys, &idx, add)
	l.triggerNodes(k, v.Ref(), v.Schema, name, v.Triggers, &keys, &trg, add)
	keys = append(keys, "acl:"+k, "colacl:"+name)
	add(ObjectDetail{ID: k, Kind: kind, Schema: v.Schema, Name: v.Name, Properties: schProps(
		"Materialized", schFlag(v.Materialized), "Columns", strconv.Itoa(len(v.Columns)), "Check option", v.CheckOption,
		"Security barrier", schFlag(v.SecurityBarrier), "Security invoker", schFlag(v.SecurityInvoker),
		"Populated", schPopulated(v), "Owner", v.Owner,
		"Privileges", schGrants(v.ACL), "Comment", schStr(v.Comment))}, keys, nil)
	for _, g := range []struct {
		kind, label string
		nodes       []TreeNode
	}{{"columns", "Columns", cols}, {"indexes", "Indexes", idx}, {"triggers", "Triggers", trg}} {
		if len(g.nodes) > 0 {
			node.Children = append(node.Children, schGroup(k, g.kind, g.label, g.nodes))
		}
	}
	return node
}

func schPopulated(v *catalog.View) string {
	if !v.Materialized {
		return ""
	}
	return schYes(!v.WithNoData)
}
