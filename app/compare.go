package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// Side kinds of a comparison.
const (
	SideDatabase = string(compare.Database)
	SideSnapshot = string(compare.Snapshot)
	SideFile     = string(compare.File)
)

// Validation outcomes of a comparison.
const (
	ValidationValidated = compare.Validated
	ValidationSkipped   = compare.Skipped
	ValidationRefused   = compare.Refused
)

// CompareSide is one schema of a comparison: a database of an instance, a
// schema snapshot, or SQL (a file's path, or text pasted in SQL).
type CompareSide struct {
	Kind       string `json:"kind"` // database | snapshot | file
	DatabaseID string `json:"databaseId"`
	SnapshotID string `json:"snapshotId"`
	// Path of a .sql file; ignored when SQL is set.
	Path string `json:"path"`
	// SQL text (pasted); wins over Path.
	SQL string `json:"sql"`
}

// CompareRequest asks for the migration turning Source into Target.
type CompareRequest struct {
	Source            CompareSide `json:"source"`
	Target            CompareSide `json:"target"`
	Online            bool        `json:"online"`
	IncludePrivileges bool        `json:"includePrivileges"`
}

// CompareHazard is one risk of a statement.
type CompareHazard struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// CompareStatement is one step of the migration.
type CompareStatement struct {
	SQL                string          `json:"sql"`
	Hazards            []CompareHazard `json:"hazards"`
	Transactional      bool            `json:"transactional"`
	Object             string          `json:"object"`
	LockTimeoutMs      int64           `json:"lockTimeoutMs"`
	StatementTimeoutMs int64           `json:"statementTimeoutMs"`
}

// CompareRefusal names an object the plan could not handle, and why.
type CompareRefusal struct {
	Object string `json:"object"`
	Reason string `json:"reason"`
}

// CompareValidation says whether the plan was proven on a scratch copy of the source.
type CompareValidation struct {
	Status string `json:"status"` // validated | skipped | refused
	// Reason explains a skipped validation or a refusal.
	Reason string `json:"reason"`
	// Refusals lists the objects still differing (or that cannot be planned).
	Refusals []CompareRefusal `json:"refusals"`
}

// CompareUnsupported is an object the catalog model does not cover: it was
// not compared and the migration does not touch it.
type CompareUnsupported struct {
	Side   string `json:"side"` // source | target
	Kind   string `json:"kind"`
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Detail string `json:"detail"`
}

// CompareResult is the outcome of Compare. A refused plan has no statements
// and no script: a plan that does not provably work is never offered.
type CompareResult struct {
	SourceLabel string             `json:"sourceLabel"`
	TargetLabel string             `json:"targetLabel"`
	SourceDDL   string             `json:"sourceDdl"`
	TargetDDL   string             `json:"targetDdl"`
	Statements  []CompareStatement `json:"statements"`
	// Script is the migration as a file: hazards as comments, timeouts as SET.
	Script      string               `json:"script"`
	Validation  CompareValidation    `json:"validation"`
	Unsupported []CompareUnsupported `json:"unsupported"`
	// ColumnOrder lists tables whose columns end up in another order than the target's.
	ColumnOrder []string `json:"columnOrder"`
	// Identical is true when the schemas are equal (nothing to do).
	Identical bool `json:"identical"`
	Online    bool `json:"online"`
	// Notes explain choices made (e.g. privileges left out for a SQL side).
	Notes []string `json:"notes"`
}

// CompareSettings are the comparison's workspace settings.
type CompareSettings struct {
	// ScratchInstanceID is the instance holding scratch databases when the
	// sample instance is not running (empty: none chosen).
	ScratchInstanceID string `json:"scratchInstanceId"`
}

// dialogs opens native file dialogs (replaced in tests).
type dialogs interface {
	save(ctx context.Context, o runtime.SaveDialogOptions) (string, error)
	open(ctx context.Context, o runtime.OpenDialogOptions) (string, error)
}

type wailsDialogs struct{}

// frontendReady reports whether ctx is a Wails context with a window:
// the runtime's dialog calls end the process otherwise.
func frontendReady(ctx context.Context) bool { return ctx != nil && ctx.Value("frontend") != nil }

func (wailsDialogs) save(ctx context.Context, o runtime.SaveDialogOptions) (string, error) {
	if !frontendReady(ctx) {
		return "", &usererr.Error{Message: "the save dialog needs the Tidemark window"}
	}
	return runtime.SaveFileDialog(ctx, o)
}

func (wailsDialogs) open(ctx context.Context, o runtime.OpenDialogOptions) (string, error) {
	if !frontendReady(ctx) {
		return "", &usererr.Error{Message: "the file dialog needs the Tidemark window"}
	}
	return runtime.OpenFileDialog(ctx, o)
}

// CompareService compares two schemas and plans the migration between them.
type CompareService struct {
	a       *App
	dialogs dialogs // nil: Wails dialogs
}

func (s *CompareService) dlg() dialogs {
	if s.dialogs != nil {
		return s.dialogs
	}
	return wailsDialogs{}
}

var sqlFilters = []runtime.FileFilter{{DisplayName: "SQL files (*.sql)", Pattern: "*.sql"}}

// PickFile asks for a .sql file with the open dialog; "" when cancelled.
func (s *CompareService) PickFile() (string, error) {
	p, err := s.dlg().open(s.a.base(), runtime.OpenDialogOptions{Title: "Choose a schema file", Filters: sqlFilters})
	if err != nil {
		return "", fail(fmt.Errorf("open dialog: %w", err))
	}
	return p, nil
}

// SaveMigration asks where to save the migration (suggesting defaultName) and
// writes sql there. It returns the path written, or "" when cancelled.
func (s *CompareService) SaveMigration(sql, defaultName string) (string, error) {
	if strings.TrimSpace(defaultName) == "" {
		defaultName = "migration.sql"
	}
	p, err := s.dlg().save(s.a.base(), runtime.SaveDialogOptions{Title: "Save the migration", DefaultFilename: filepath.Base(defaultName), Filters: sqlFilters})
	if err != nil {
		return "", fail(fmt.Errorf("save dialog: %w", err))
	}
	if p == "" {
		return "", nil
	}
	if err := os.WriteFile(p, []byte(sql), 0o644); err != nil {
		return "", fail(fmt.Errorf("save the migration: %w", err))
	}
	return p, nil
}

// Settings returns the comparison settings.
func (s *CompareService) Settings() (CompareSettings, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	id, _, err := s.a.ws.Setting(ctx, compare.SettingScratchInstance)
	if err != nil {
		return CompareSettings{}, fail(err)
	}
	return CompareSettings{ScratchInstanceID: id}, nil
}

// SetScratchInstance chooses the instance whose server holds scratch
// databases (its user must be allowed to create databases); "" clears it.
func (s *CompareService) SetScratchInstance(id string) (CompareSettings, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if id == "" {
		if err := s.a.ws.DeleteSetting(ctx, compare.SettingScratchInstance); err != nil {
			return CompareSettings{}, fail(err)
		}
		return CompareSettings{}, nil
	}
	if _, err := s.a.ws.GetInstance(ctx, id); err != nil {
		return CompareSettings{}, fail(err)
	}
	if err := s.a.ws.SetSetting(ctx, compare.SettingScratchInstance, id); err != nil {
		return CompareSettings{}, fail(err)
	}
	return CompareSettings{ScratchInstanceID: id}, nil
}

// Compare inspects both sides, plans the migration from source to target and
// validates it on a scratch copy of the source when a scratch server is
// available (the running sample instance, else the chosen scratch instance).
// It emits "progress" events with id "compare".
func (s *CompareService) Compare(req CompareRequest) (CompareResult, error) {
	ctx, cancel := s.a.call(sampleLimit)
	defer cancel()
	p := Progress{ID: "compare", Title: "Comparing schemas", Total: compare.Steps}
	res, err := s.a.comparer.Compare(ctx, compare.Request{From: sideIn(req.Source), To: sideIn(req.Target), Online: req.Online,
		Privileges: req.IncludePrivileges}, func(step int, name string) {
		p.Step, p.Done = name, step
		s.a.progress(p)
	})
	p.Finished = true
	if err != nil {
		p.Error = oneLine(err)
		s.a.progress(p)
		return CompareResult{}, fail(err)
	}
	p.Step, p.Done = "Done", compare.Steps
	s.a.progress(p)
	return resultOut(res, req.Online), nil
}

func sideIn(v CompareSide) compare.Source {
	return compare.Source{Kind: compare.Kind(v.Kind), DatabaseID: v.DatabaseID, SnapshotID: v.SnapshotID, Path: v.Path, SQL: v.SQL}
}

func resultOut(r *compare.Result, online bool) CompareResult {
	dopts := catalog.DumpOptions{NoHeader: true, NoPrivileges: !r.Privileges}
	out := CompareResult{
		SourceLabel: r.From.Label, TargetLabel: r.To.Label,
		SourceDDL: string(catalog.Dump(r.From.Result.Schema, dopts)), TargetDDL: string(catalog.Dump(r.To.Result.Schema, dopts)),
		Statements: []CompareStatement{}, Unsupported: []CompareUnsupported{}, ColumnOrder: []string{},
		Validation: CompareValidation{Status: r.Validation.Status, Reason: r.Validation.Reason, Refusals: []CompareRefusal{}},
		Online:     online, Notes: append([]string{}, r.Notes...),
	}
	for _, u := range r.From.Result.Unsupported {
		out.Unsupported = append(out.Unsupported, unsupportedOut("source", u))
	}
	for _, u := range r.To.Result.Unsupported {
		out.Unsupported = append(out.Unsupported, unsupportedOut("target", u))
	}
	for _, x := range r.Validation.Refusals {
		out.Validation.Refusals = append(out.Validation.Refusals, CompareRefusal{Object: x.Object, Reason: x.Reason})
	}
	if r.Validation.Status == compare.Refused {
		return out
	}
	for _, st := range r.Plan.Statements {
		out.Statements = append(out.Statements, statementOut(st))
	}
	out.ColumnOrder = append(out.ColumnOrder, r.Plan.ColumnOrder...)
	out.Script = r.Plan.SQL()
	out.Identical = r.Identical()
	return out
}

func statementOut(st diff.Statement) CompareStatement {
	hs := make([]CompareHazard, 0, len(st.Hazards))
	for _, h := range st.Hazards {
		hs = append(hs, CompareHazard{Type: string(h.Type), Message: h.Message})
	}
	return CompareStatement{SQL: st.SQL, Hazards: hs, Transactional: st.Transactional, Object: st.Object,
		LockTimeoutMs: st.LockTimeout.Milliseconds(), StatementTimeoutMs: st.StatementTimeout.Milliseconds()}
}

func unsupportedOut(side string, o catalog.Object) CompareUnsupported {
	return CompareUnsupported{Side: side, Kind: string(o.Kind), Schema: o.Schema, Name: o.Name, Detail: o.Detail}
}

// CompareSnapshot is a stored schema snapshot a side can use.
type CompareSnapshot struct {
	ID          string `json:"id"`
	DatabaseID  string `json:"databaseId"`
	TakenAt     string `json:"takenAt"`
	Fingerprint string `json:"fingerprint"`
}

// Snapshots lists the schema snapshots of a database, newest first.
func (s *CompareService) Snapshots(databaseID string) ([]CompareSnapshot, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	list, err := s.a.ws.ListSnapshots(ctx, databaseID)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]CompareSnapshot, 0, len(list))
	for _, in := range list {
		out = append(out, CompareSnapshot{ID: in.ID, DatabaseID: in.DatabaseID, TakenAt: rfc3339(in.TakenAt), Fingerprint: in.Fingerprint})
	}
	return out, nil
}
