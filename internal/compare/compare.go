// Package compare is the one pipeline that compares two schema sources and
// plans the migration between them: a workspace database, a stored schema
// snapshot, a database URL, a SQL file (or pasted SQL) loaded into a scratch
// database, or a JSON model (`tidemark dump --format json`). It inspects both
// sides, plans with internal/diff and validates the plan on a scratch copy of
// the source. `tidemark diff` and the desktop Compare page both run it.
package compare

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Kind is the kind of a schema source.
type Kind string

// Source kinds.
const (
	Database Kind = "database" // a workspace database (DatabaseID)
	Snapshot Kind = "snapshot" // a stored schema snapshot (SnapshotID)
	File     Kind = "file"     // SQL: a file (Path) or text (SQL), loaded into a scratch database
	Model    Kind = "model"    // a JSON model file (Path)
	URL      Kind = "url"      // a database URL (URL; password from PGPASSWORD or ~/.pgpass)
)

// Source is one side of a comparison.
type Source struct {
	Kind       Kind
	DatabaseID string
	SnapshotID string
	Path       string
	SQL        string // wins over Path for File
	URL        string
}

// SourceOf reads a command-line side: a database URL or key=value
// connection string, a .json model file, or a .sql file.
func SourceOf(arg string) Source {
	switch {
	case strings.HasPrefix(arg, "postgres://") || strings.HasPrefix(arg, "postgresql://") || strings.Contains(arg, "="):
		return Source{Kind: URL, URL: arg}
	case strings.EqualFold(filepath.Ext(arg), ".json"):
		return Source{Kind: Model, Path: arg}
	}
	return Source{Kind: File, Path: arg}
}

// check validates a source's fields; name is "source" or "target".
func (s Source) check(name string) error {
	switch s.Kind {
	case Database:
		if s.DatabaseID == "" {
			return usererr.Invalid(name, "choose the %s database", name)
		}
	case Snapshot:
		if s.SnapshotID == "" {
			return usererr.Invalid(name, "choose the %s snapshot", name)
		}
	case File:
		if strings.TrimSpace(s.SQL) == "" && s.Path == "" {
			return usererr.Invalid(name, "choose a .sql file or paste SQL for the %s", name)
		}
	case Model:
		if s.Path == "" {
			return usererr.Invalid(name, "choose a .json model file for the %s", name)
		}
	case URL:
		if s.URL == "" {
			return usererr.Invalid(name, "give the %s database URL", name)
		}
	case "":
		return usererr.Invalid(name, "choose the %s: a database, a snapshot or a .sql file", name)
	default:
		return usererr.Invalid(name, "unknown %s kind %q (use database, snapshot, file, model or url)", name, s.Kind)
	}
	return nil
}

// Request asks for the migration turning From into To.
type Request struct {
	From, To Source
	Online   bool
	// Privileges compares owners, GRANT/REVOKE and default privileges. They
	// are left out whenever a side is SQL loaded into a scratch database
	// (its objects belong to the scratch role, so owners would always
	// differ); Result.Notes says so.
	Privileges     bool
	Schemas        []string
	ExcludeSchemas []string
	// NoValidate skips validating the plan on a scratch database.
	NoValidate bool
}

// ScratchFunc finds the server for scratch databases. needed is true when a
// side is SQL that must be loaded; when false the server is only wanted for
// validation, and an error skips it (the error says why).
type ScratchFunc func(ctx context.Context, needed bool) (scratch.Server, error)

// Validation outcomes.
const (
	Validated = "validated"
	Skipped   = "skipped"
	Refused   = "refused"
)

// Validation says whether the plan was proven on a scratch copy of the source.
type Validation struct {
	Status   string // Validated, Skipped or Refused
	Reason   string // why skipped or refused
	Refusals []diff.Refusal
}

// Side is one inspected side.
type Side struct {
	Label  string
	Result *catalog.Result
}

// Result is the outcome of Compare. A refused plan has no statements: a
// plan that does not provably work is never offered.
type Result struct {
	From, To   Side
	Plan       diff.Plan
	Validation Validation
	// Privileges says whether owners and privileges were compared.
	Privileges bool
	// Notes explain choices made along the way, for the user.
	Notes []string
}

// Identical reports whether there is nothing to do.
func (r *Result) Identical() bool {
	return r.Validation.Status != Refused && r.Plan.Empty() && len(r.Plan.ColumnOrder) == 0
}

// Comparer compares schema sources of a workspace (Database and Snapshot
// sources need WS, Conns and Sync; the others need none of them).
type Comparer struct {
	WS      *workspace.Store
	Conns   *instances.Connector
	Sync    *schemasync.Syncer
	Scratch ScratchFunc
}

// Steps of Compare, for progress.
const (
	StepSource = iota
	StepTarget
	StepPlan
	StepValidate
	Steps
)

// Compare inspects both sides, plans the migration and validates it.
// step may be nil.
func (c *Comparer) Compare(ctx context.Context, req Request, step func(int, string)) (*Result, error) {
	if step == nil {
		step = func(int, string) {}
	}
	if err := req.From.check("source"); err != nil {
		return nil, err
	}
	if err := req.To.check("target"); err != nil {
		return nil, err
	}
	out := &Result{Privileges: req.Privileges, Notes: []string{}}
	fileUsed := req.From.Kind == File || req.To.Kind == File
	if fileUsed && req.Privileges {
		out.Privileges = false
		out.Notes = append(out.Notes, "a SQL side is compared without owners and privileges (its objects belong to the scratch role)")
	}
	var srv scratch.Server
	srvErr := errors.New("no scratch server")
	if c.Scratch != nil && (fileUsed || !req.NoValidate) {
		srv, srvErr = c.Scratch(ctx, fileUsed)
	}
	if fileUsed && srvErr != nil {
		// Nothing can be compared: say so before connecting anywhere.
		side := "source"
		if req.From.Kind != File {
			side = "target"
		}
		ue := usererr.Wrap("cannot load the SQL "+side+": ", srvErr)
		ue.Field = side
		return nil, ue
	}
	iopts := catalog.Options{Schemas: req.Schemas, ExcludeSchemas: req.ExcludeSchemas, NoPrivileges: !out.Privileges}
	step(StepSource, "Inspecting the source")
	from, err := c.load(ctx, "source", req.From, iopts, srv, srvErr)
	if err != nil {
		return nil, err
	}
	out.From = from
	step(StepTarget, "Inspecting the target")
	to, err := c.load(ctx, "target", req.To, iopts, srv, srvErr)
	if err != nil {
		return nil, err
	}
	out.To = to

	step(StepPlan, "Planning the migration")
	opts := diff.Options{Online: req.Online, NoPrivileges: !out.Privileges, Inspect: iopts}
	plan, err := diff.ComputeResults(ctx, from.Result, to.Result, opts.WithoutValidation())
	out.Plan = plan
	if refused(out, err) {
		return out, nil
	} else if err != nil {
		return nil, fmt.Errorf("plan the migration: %w", err)
	}
	step(StepValidate, "Validating the plan on a scratch database")
	switch {
	case req.NoValidate:
		out.Validation = Validation{Status: Skipped, Reason: "validation was turned off"}
	case srvErr != nil:
		out.Validation = Validation{Status: Skipped, Reason: srvErr.Error()}
	default:
		opts.Scratch = srv.URL
		verr := diff.Validate(ctx, &out.Plan, &from.Result.Schema, &to.Result.Schema, opts)
		switch {
		case refused(out, verr):
			out.Plan.Statements = nil
		case verr != nil:
			out.Validation = Validation{Status: Skipped, Reason: "the plan could not be validated on " + srv.Name + ": " + srv.Redact(verr).Error()}
		default:
			out.Validation = Validation{Status: Validated}
		}
	}
	return out, nil
}

// refused records a *diff.RefusalError on out and reports whether err was one.
func refused(out *Result, err error) bool {
	var re *diff.RefusalError
	if !errors.As(err, &re) {
		return false
	}
	out.Validation = Validation{Status: Refused, Refusals: re.Refusals,
		Reason: "Tidemark refuses this plan: it cannot produce a migration that provably turns the source into the target."}
	return true
}

func (c *Comparer) load(ctx context.Context, name string, s Source, iopts catalog.Options, srv scratch.Server, srvErr error) (Side, error) {
	switch s.Kind {
	case Database:
		return c.loadDatabase(ctx, name, s.DatabaseID, iopts)
	case Snapshot:
		side, err := c.loadSnapshot(ctx, name, s.SnapshotID)
		return scoped(side, iopts), err
	case Model:
		side, err := loadModel(name, s.Path)
		return scoped(side, iopts), err
	case URL:
		return loadURL(ctx, s.URL, iopts)
	default:
		return loadFile(ctx, name, s, iopts, srv, srvErr)
	}
}

func (c *Comparer) loadDatabase(ctx context.Context, name, id string, iopts catalog.Options) (Side, error) {
	d, err := c.Conns.Database(ctx, id)
	if err != nil {
		return Side{}, usererr.Wrap(name+" database: ", err)
	}
	conn, err := d.Connect(ctx)
	if err != nil {
		return Side{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res, err := catalog.Inspect(ctx, conn, iopts)
	if err != nil {
		return Side{}, usererr.Wrap("inspect "+d.Label()+": ", pg.Convert(err, d.Info))
	}
	return Side{Label: d.Instance.Name + " / " + d.DB.Name, Result: res}, nil
}

func (c *Comparer) loadSnapshot(ctx context.Context, name, id string) (Side, error) {
	snap, err := c.Sync.Get(ctx, id)
	if err != nil {
		return Side{}, fmt.Errorf("%s snapshot: %w", name, err)
	}
	res := &catalog.Result{Schema: snap.Schema, Unsupported: snap.Unsupported(), ServerVersion: snap.Info.ServerVersion, Fingerprint: snap.Info.Fingerprint}
	label := "snapshot " + snap.Info.TakenAt.UTC().Format("2006-01-02 15:04:05") + " UTC"
	if d, err := c.WS.GetDatabase(ctx, snap.Info.DatabaseID); err == nil {
		label = d.InstanceName + " / " + d.Name + " (" + label + ")"
	}
	return Side{Label: label, Result: res}, nil
}

// scoped narrows a stored model (a snapshot or a JSON model, which hold
// every schema) to the schemas the live sides are inspected in, by the
// inspector's rule, so --schema and --exclude-schema mean the same whatever
// the kind of a side. Extensions and event triggers belong to the whole
// database and stay. The model itself is not changed (a snapshot's may be
// shared).
func scoped(side Side, o catalog.Options) Side {
	if side.Result == nil {
		return side
	}
	in := func(schema string) bool {
		if len(o.Schemas) > 0 && !slices.Contains(o.Schemas, schema) {
			return false
		}
		if schema == catalog.TidemarkSchema && !o.IncludeTidemark && !slices.Contains(o.Schemas, schema) {
			return false
		}
		return !slices.Contains(o.ExcludeSchemas, schema)
	}
	named := func(q catalog.QualifiedName) bool { return in(q.Schema) }
	res := *side.Result
	sch := &res.Schema
	sch.Namespaces = keep(sch.Namespaces, func(n catalog.Namespace) bool { return in(n.Name) })
	sch.Collations = keep(sch.Collations, func(x catalog.Collation) bool { return named(x.QualifiedName) })
	sch.Types = keep(sch.Types, func(x catalog.Type) bool { return named(x.QualifiedName) })
	sch.Sequences = keep(sch.Sequences, func(x catalog.Sequence) bool { return named(x.QualifiedName) })
	sch.Tables = keep(sch.Tables, func(x catalog.Table) bool { return named(x.QualifiedName) })
	sch.Views = keep(sch.Views, func(x catalog.View) bool { return named(x.QualifiedName) })
	sch.Functions = keep(sch.Functions, func(x catalog.Function) bool { return named(x.QualifiedName) })
	sch.Operators = keep(sch.Operators, func(x catalog.Operator) bool { return named(x.QualifiedName) })
	sch.DefaultPrivileges = keep(sch.DefaultPrivileges, func(x catalog.DefaultPrivilege) bool { return x.Schema == "" || in(x.Schema) })
	res.Unsupported = keep(res.Unsupported, func(x catalog.Object) bool { return x.Schema == "" || in(x.Schema) })
	side.Result = &res
	return side
}

// keep returns the elements of xs that ok accepts, in a new slice.
func keep[T any](xs []T, ok func(T) bool) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

func loadModel(name, path string) (Side, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Side{}, &usererr.Error{Message: fmt.Sprintf("read the %s model: %v", name, err), Field: name, Err: err}
	}
	res, err := catalog.DecodeModel(b)
	if err != nil {
		return Side{}, &usererr.Error{Message: fmt.Sprintf("%s: %v", path, err), Field: name, Err: err}
	}
	return Side{Label: path, Result: res}, nil
}

func loadURL(ctx context.Context, u string, iopts catalog.Options) (Side, error) {
	res, label, err := InspectURL(ctx, u, iopts)
	if err != nil {
		return Side{}, err
	}
	return Side{Label: label, Result: res}, nil
}

// InspectURL connects to the database at u (a URL or key=value string, the
// password from PGPASSWORD or ~/.pgpass), inspects it and closes the
// connection: the one way every face reads a database given by URL. The
// label is the URL without its password. A URL that does not parse is a
// *usererr.Error with Field "url"; connection and inspection errors say
// which and carry the SQLSTATE.
func InspectURL(ctx context.Context, u string, iopts catalog.Options) (*catalog.Result, string, error) {
	cfg, ci, err := pg.ParseConnString(u)
	if err != nil {
		return nil, "", &usererr.Error{Message: "parse URL: " + err.Error(), Field: "url", Err: err} // pgconn redacts the password
	}
	conn, err := pg.Connect(ctx, cfg)
	if err != nil {
		return nil, "", usererr.Wrap("connect to "+ci.URL()+": ", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res, err := catalog.Inspect(ctx, conn, iopts)
	if err != nil {
		return nil, "", usererr.Wrap("inspect "+ci.URL()+": ", pg.Convert(err, ci))
	}
	return res, ci.URL(), nil
}

func loadFile(ctx context.Context, name string, s Source, iopts catalog.Options, srv scratch.Server, srvErr error) (Side, error) {
	src, file := s.SQL, "pasted SQL"
	if strings.TrimSpace(src) == "" {
		b, err := os.ReadFile(s.Path)
		if err != nil {
			return Side{}, &usererr.Error{Message: fmt.Sprintf("read the %s file: %v", name, err), Field: name, Err: err}
		}
		src, file = string(b), s.Path
	}
	if srvErr != nil {
		return Side{}, &usererr.Error{Message: "cannot load " + file + ": " + srvErr.Error(), Field: name, Err: srvErr}
	}
	db, err := scratch.Create(ctx, srv.URL)
	if err != nil {
		return Side{}, usererr.Wrap(fmt.Sprintf("load %s into a scratch database on %s: ", file, srv.Name), srv.Redact(err))
	}
	defer db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; the name says it is scratch
	if err := db.Load(ctx, file, src); err != nil {
		return Side{}, loadError(err, srv)
	}
	conn, err := pg.ConnectURL(ctx, db.URL)
	if err != nil {
		return Side{}, usererr.Wrap("connect to the scratch database: ", srv.Redact(err))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res, err := catalog.Inspect(ctx, conn, iopts)
	if err != nil {
		return Side{}, usererr.Wrap("inspect "+file+": ", srv.Redact(err))
	}
	label := file
	if s.Path != "" && strings.TrimSpace(s.SQL) == "" {
		label = filepath.Base(s.Path)
	}
	return Side{Label: label, Result: res}, nil
}

// LoadError is a SQL side PostgreSQL rejected: "file:line: message" with the
// SQLSTATE. Its chain holds the *scratch.LoadError.
func loadError(err error, srv scratch.Server) error {
	var le *scratch.LoadError
	var pe *pgconn.PgError
	if errors.As(err, &le) && errors.As(err, &pe) {
		where := le.File
		if le.Line > 0 {
			where += ":" + strconv.Itoa(le.Line)
		}
		return &usererr.Error{Message: where + ": " + pe.Message, SQLState: pe.Code, Detail: pe.Detail, Hint: pe.Hint, Err: err}
	}
	return srv.Redact(err)
}

// SettingScratchInstance is the workspace setting naming the instance whose
// server holds scratch databases when the sample instance is not running.
const SettingScratchInstance = "compare.scratch_instance"

// WorkspaceScratch finds the scratch server of a workspace: the sample
// instance when it runs (sampleRunning), else the instance chosen in the
// setting SettingScratchInstance. The error says what to do.
func WorkspaceScratch(ws *workspace.Store, conns *instances.Connector, sampleRunning func(context.Context) bool) ScratchFunc {
	return func(ctx context.Context, _ bool) (scratch.Server, error) {
		list, err := ws.ListInstances(ctx)
		if err != nil {
			return scratch.Server{}, err
		}
		chosen, _, err := ws.Setting(ctx, SettingScratchInstance)
		if err != nil {
			return scratch.Server{}, err
		}
		for _, in := range list {
			if in.IsSample && sampleRunning != nil && sampleRunning(ctx) {
				return ServerOf(ctx, conns, in)
			}
		}
		for _, in := range list {
			if in.ID == chosen {
				return ServerOf(ctx, conns, in)
			}
		}
		return scratch.Server{}, errors.New("no scratch server: start the sample instance (Home), or choose a scratch instance under the comparison options")
	}
}

// ServerOf is a saved instance as a scratch server.
func ServerOf(ctx context.Context, conns *instances.Connector, in workspace.Instance) (scratch.Server, error) {
	ci, err := conns.Info(ctx, in)
	if err != nil {
		return scratch.Server{}, usererr.Wrap("scratch instance "+in.Name+": ", err)
	}
	return scratch.Server{URL: ci.SecretURL(), Password: ci.Password, Name: in.Name}, nil
}
