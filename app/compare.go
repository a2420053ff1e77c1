package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Side kinds of a comparison.
const (
	SideDatabase = "database"
	SideSnapshot = "snapshot"
	SideFile     = "file"
)

// Validation outcomes of a comparison.
const (
	ValidationValidated = "validated"
	ValidationSkipped   = "skipped"
	ValidationRefused   = "refused"
)

// settingScratchInstance is the workspace setting naming the instance whose
// server holds scratch databases when the sample instance is not running.
const settingScratchInstance = "compare.scratch_instance"

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
		return "", &UserError{Message: "the save dialog needs the Tidemark window"}
	}
	return runtime.SaveFileDialog(ctx, o)
}

func (wailsDialogs) open(ctx context.Context, o runtime.OpenDialogOptions) (string, error) {
	if !frontendReady(ctx) {
		return "", &UserError{Message: "the file dialog needs the Tidemark window"}
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
	id, _, err := s.a.ws.Setting(ctx, settingScratchInstance)
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
		if err := s.a.ws.DeleteSetting(ctx, settingScratchInstance); err != nil {
			return CompareSettings{}, fail(err)
		}
		return CompareSettings{}, nil
	}
	if _, err := s.a.ws.GetInstance(ctx, id); err != nil {
		return CompareSettings{}, fail(err)
	}
	if err := s.a.ws.SetSetting(ctx, settingScratchInstance, id); err != nil {
		return CompareSettings{}, fail(err)
	}
	return CompareSettings{ScratchInstanceID: id}, nil
}

// loaded is one inspected side.
type loaded struct {
	label string
	res   *catalog.Result
}

// Compare inspects both sides, plans the migration from source to target and
// validates it on a scratch copy of the source when a scratch server is
// available (the running sample instance, else the chosen scratch instance).
// It emits "progress" events with id "compare".
func (s *CompareService) Compare(req CompareRequest) (CompareResult, error) {
	ctx, cancel := s.a.call(sampleLimit)
	defer cancel()
	p := Progress{ID: "compare", Title: "Comparing schemas", Total: 4}
	step := func(name string, done int) {
		p.Step, p.Done = name, done
		s.a.progress(p)
	}
	res, err := s.compare(ctx, req, step)
	p.Finished = true
	if err != nil {
		ue := toUserError(err)
		p.Error = plain(ue)
		s.a.progress(p)
		return CompareResult{}, ue
	}
	p.Step, p.Done = "Done", 4
	s.a.progress(p)
	return res, nil
}

func (s *CompareService) compare(ctx context.Context, req CompareRequest, step func(string, int)) (CompareResult, error) {
	for _, side := range []struct {
		name string
		v    CompareSide
	}{{"source", req.Source}, {"target", req.Target}} {
		if err := checkSide(side.name, side.v); err != nil {
			return CompareResult{}, err
		}
	}
	iopts := catalog.Options{NoPrivileges: !req.IncludePrivileges}
	srv, srvErr := s.scratch(ctx)
	step("Inspecting the source", 0)
	from, err := s.load(ctx, "source", req.Source, iopts, srv, srvErr)
	if err != nil {
		return CompareResult{}, err
	}
	step("Inspecting the target", 1)
	to, err := s.load(ctx, "target", req.Target, iopts, srv, srvErr)
	if err != nil {
		return CompareResult{}, err
	}
	dopts := catalog.DumpOptions{NoHeader: true, NoPrivileges: !req.IncludePrivileges}
	out := CompareResult{
		SourceLabel: from.label, TargetLabel: to.label,
		SourceDDL: string(catalog.Dump(from.res.Schema, dopts)), TargetDDL: string(catalog.Dump(to.res.Schema, dopts)),
		Statements: []CompareStatement{}, Unsupported: []CompareUnsupported{}, ColumnOrder: []string{},
		Validation: CompareValidation{Refusals: []CompareRefusal{}}, Online: req.Online,
	}
	for _, u := range from.res.Unsupported {
		out.Unsupported = append(out.Unsupported, unsupportedOut("source", u))
	}
	for _, u := range to.res.Unsupported {
		out.Unsupported = append(out.Unsupported, unsupportedOut("target", u))
	}

	step("Planning the migration", 2)
	opts := diff.Options{Online: req.Online, NoPrivileges: !req.IncludePrivileges, Inspect: iopts}
	plan, err := diff.Diff(&from.res.Schema, &to.res.Schema, opts)
	if refused(&out, err) {
		return out, nil
	} else if err != nil {
		return CompareResult{}, fmt.Errorf("plan the migration: %w", err)
	}

	step("Validating the plan on a scratch database", 3)
	switch {
	case srvErr != nil:
		out.Validation.Status, out.Validation.Reason = ValidationSkipped, srvErr.Error()
	default:
		opts.Scratch = srv.URL
		verr := diff.Validate(ctx, &plan, &from.res.Schema, &to.res.Schema, opts)
		if refused(&out, verr) {
			return out, nil
		} else if verr != nil {
			out.Validation.Status = ValidationSkipped
			out.Validation.Reason = "the plan could not be validated on " + srv.Name + ": " + srv.Redact(verr).Error()
		} else {
			out.Validation.Status = ValidationValidated
		}
	}
	for _, st := range plan.Statements {
		out.Statements = append(out.Statements, statementOut(st))
	}
	out.ColumnOrder = append(out.ColumnOrder, plan.ColumnOrder...)
	out.Script = plan.SQL()
	out.Identical = plan.Empty() && len(plan.ColumnOrder) == 0
	return out, nil
}

// refused records a *diff.RefusalError on out and reports whether err was one.
func refused(out *CompareResult, err error) bool {
	var re *diff.RefusalError
	if !errors.As(err, &re) {
		return false
	}
	out.Validation.Status = ValidationRefused
	out.Validation.Reason = "Tidemark refuses this plan: it cannot produce a migration that provably turns the source into the target."
	for _, r := range re.Refusals {
		out.Validation.Refusals = append(out.Validation.Refusals, CompareRefusal{Object: r.Object, Reason: r.Reason})
	}
	return true
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

func checkSide(name string, v CompareSide) error {
	switch v.Kind {
	case SideDatabase:
		if v.DatabaseID == "" {
			return invalid(name, "choose the %s database", name)
		}
	case SideSnapshot:
		if v.SnapshotID == "" {
			return invalid(name, "choose the %s snapshot", name)
		}
	case SideFile:
		if strings.TrimSpace(v.SQL) == "" && v.Path == "" {
			return invalid(name, "choose a .sql file or paste SQL for the %s", name)
		}
	case "":
		return invalid(name, "choose the %s: a database, a snapshot or a .sql file", name)
	default:
		return invalid(name, "unknown %s kind %q (use database, snapshot or file)", name, v.Kind)
	}
	return nil
}

// load inspects one side.
func (s *CompareService) load(ctx context.Context, name string, v CompareSide, iopts catalog.Options, srv scratch.Server, srvErr error) (loaded, error) {
	switch v.Kind {
	case SideDatabase:
		return s.loadDatabase(ctx, name, v.DatabaseID, iopts)
	case SideSnapshot:
		return s.loadSnapshot(ctx, name, v.SnapshotID)
	default:
		return s.loadFile(ctx, name, v, iopts, srv, srvErr)
	}
}

func (s *CompareService) loadDatabase(ctx context.Context, name, id string, iopts catalog.Options) (loaded, error) {
	d, err := s.a.ws.GetDatabase(ctx, id)
	if err != nil {
		return loaded{}, fmt.Errorf("%s database: %w", name, err)
	}
	in, err := s.a.ws.GetInstance(ctx, d.InstanceID)
	if err != nil {
		return loaded{}, fmt.Errorf("%s database %s: %w", name, d.Name, err)
	}
	ci, err := s.a.instances.savedConfig(ctx, in)
	if err != nil {
		return loaded{}, err
	}
	ci.Database = d.Name
	cfg, err := pg.Config(ci)
	if err != nil {
		return loaded{}, err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return loaded{}, prefix(pg.Convert(err, ci), fmt.Sprintf("connect to %s on %s: ", d.Name, in.Name))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res, err := catalog.Inspect(ctx, conn, iopts)
	if err != nil {
		return loaded{}, prefix(pg.Convert(err, ci), fmt.Sprintf("inspect %s on %s: ", d.Name, in.Name))
	}
	return loaded{label: in.Name + " / " + d.Name, res: res}, nil
}

// prefix puts context in front of a connection error's message.
func prefix(pe *pg.UserError, p string) error {
	ue := toUserError(pe)
	ue.Message = p + ue.Message
	return ue
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

func (s *CompareService) loadSnapshot(ctx context.Context, name, id string) (loaded, error) {
	snap, err := s.a.ws.GetSnapshot(ctx, id)
	if err != nil {
		return loaded{}, fmt.Errorf("%s snapshot: %w", name, err)
	}
	res, err := snapshotModel(snap.Model)
	if err != nil {
		return loaded{}, fmt.Errorf("%s snapshot taken %s: %w", name, rfc3339(snap.TakenAt), err)
	}
	for _, o := range snap.Unsupported {
		res.Unsupported = append(res.Unsupported, catalog.Object{Kind: catalog.ObjectKind(o.Kind), Schema: o.Schema, Name: o.Name, Detail: o.Detail})
	}
	label := "snapshot " + snap.TakenAt.UTC().Format("2006-01-02 15:04:05") + " UTC"
	if d, err := s.a.ws.GetDatabase(ctx, snap.DatabaseID); err == nil {
		label = d.InstanceName + " / " + d.Name + " (" + label + ")"
	}
	return loaded{label: label, res: res}, nil
}

// snapshotModel decodes a snapshot's model: a catalog.Schema, or a whole
// catalog.Result (whose unsupported objects then come along).
func snapshotModel(b []byte) (*catalog.Result, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("read the model: %w", err)
	}
	if _, ok := probe["schema"]; ok {
		if _, ok := probe["fingerprint"]; ok {
			var res catalog.Result
			if err := json.Unmarshal(b, &res); err != nil {
				return nil, fmt.Errorf("read the model: %w", err)
			}
			res.Unsupported = nil // the snapshot's own list is authoritative
			return &res, nil
		}
	}
	res := &catalog.Result{}
	if err := json.Unmarshal(b, &res.Schema); err != nil {
		return nil, fmt.Errorf("read the model: %w", err)
	}
	return res, nil
}

func (s *CompareService) loadFile(ctx context.Context, name string, v CompareSide, iopts catalog.Options, srv scratch.Server, srvErr error) (loaded, error) {
	src, file := v.SQL, "pasted SQL"
	if strings.TrimSpace(src) == "" {
		b, err := os.ReadFile(v.Path)
		if err != nil {
			return loaded{}, &UserError{Message: fmt.Sprintf("read the %s file: %v", name, err), Field: name}
		}
		src, file = string(b), filepath.Base(v.Path)
	}
	if srvErr != nil {
		return loaded{}, &UserError{Message: "cannot load " + file + ": " + srvErr.Error(), Field: name}
	}
	db, err := scratch.Create(ctx, srv.URL)
	if err != nil {
		ue := toUserError(srv.Redact(err))
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			ue.SQLState = pe.Code
		}
		ue.Message = fmt.Sprintf("load %s into a scratch database on %s: %s", file, srv.Name, ue.Message)
		return loaded{}, ue
	}
	defer db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; the name says it is scratch
	if err := db.Load(ctx, file, src); err != nil {
		return loaded{}, loadError(err, srv)
	}
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		return loaded{}, fmt.Errorf("connect to the scratch database: %w", srv.Redact(err))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res, err := catalog.Inspect(ctx, conn, iopts)
	if err != nil {
		return loaded{}, fmt.Errorf("inspect %s: %w", file, srv.Redact(err))
	}
	return loaded{label: file, res: res}, nil
}

// loadError turns a file PostgreSQL rejected into "file:line: message" with the SQLSTATE.
func loadError(err error, srv scratch.Server) error {
	var le *scratch.LoadError
	var pe *pgconn.PgError
	if errors.As(err, &le) && errors.As(err, &pe) {
		where := le.File
		if le.Line > 0 {
			where += ":" + strconv.Itoa(le.Line)
		}
		return &UserError{Message: where + ": " + pe.Message, SQLState: pe.Code, Detail: pe.Detail, Hint: pe.Hint}
	}
	return srv.Redact(err)
}

// scratch finds the server for scratch databases: the sample instance when it
// runs, else the instance chosen in the settings. The error says what to do.
func (s *CompareService) scratch(ctx context.Context) (scratch.Server, error) {
	list, err := s.a.ws.ListInstances(ctx)
	if err != nil {
		return scratch.Server{}, err
	}
	chosen, _, err := s.a.ws.Setting(ctx, settingScratchInstance)
	if err != nil {
		return scratch.Server{}, err
	}
	for _, in := range list {
		if in.IsSample && s.a.sample.Running(ctx) {
			return s.serverOf(ctx, in)
		}
	}
	for _, in := range list {
		if in.ID == chosen {
			return s.serverOf(ctx, in)
		}
	}
	return scratch.Server{}, errors.New("no scratch server: start the sample instance (Home), or choose a scratch instance under the comparison options")
}

func (s *CompareService) serverOf(ctx context.Context, in workspace.Instance) (scratch.Server, error) {
	ci, err := s.a.instances.savedConfig(ctx, in)
	if err != nil {
		return scratch.Server{}, fmt.Errorf("scratch instance %s: %s", in.Name, toUserError(err).Message)
	}
	return scratch.Server{URL: ci.SecretURL(), Password: ci.Password, Name: in.Name}, nil
}
