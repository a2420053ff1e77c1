// Package change applies a change written by a person (in the desktop app or
// on the command line) to a workspace database, and keeps that database's
// change history: the checks before (version, production, destructive
// statements), a schema snapshot before and after, the change through the
// migration runner's full protocol (lock, history row in the target written
// in the same transaction), and the workspace's cached history row with its
// source. The change workflow's rollout applies its tasks through it too.
package change

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Request is a change to apply.
type Request struct {
	DatabaseID  string
	Version     string
	Type        string // ddl, dml or baseline (marks the database as at Version; no statement)
	Description string
	Statement   string
	// Confirm must be set to apply to a production environment or to run a
	// destructive statement (see Check).
	Confirm bool
	// Source is workspace.SourceUI (the default) or workspace.SourceCLI.
	Source string
	// Issue is the number of the issue rolling the change out (0: none);
	// the target's history row and the workspace's change record carry it.
	Issue int
	// Runner, when set, receives the migration runner's own events (each
	// statement with its duration): the workflow's task log.
	Runner func(migrate.Progress)
	// NewBaseline (type baseline) establishes a new baseline over an
	// existing history: the live schema becomes the expected one
	// (migrate.BaselineOptions.New).
	NewBaseline bool
}

// Check says whether applying a request needs an explicit confirmation, and why.
type Check struct {
	Database    workspace.Database
	Environment workspace.Environment
	// Production is the database's environment's Production().
	Production bool
	// Destructive lists the statements that drop, truncate, or change every row.
	Destructive  []sqlparse.Destruction
	NeedsConfirm bool
}

// Step is a progress report of Apply.
type Step struct {
	Name        string
	Done, Total int
}

// Service applies changes to the databases of a workspace.
type Service struct {
	ws    *workspace.Store
	conns *instances.Connector
	sync  *schemasync.Syncer
	host  string
	// LockWait bounds the wait for another runner's lock (default one minute).
	LockWait time.Duration
}

// New returns a Service.
func New(ws *workspace.Store, conns *instances.Connector, syncer *schemasync.Syncer) *Service {
	h, _ := os.Hostname()
	return &Service{ws: ws, conns: conns, sync: syncer, host: h, LockWait: time.Minute}
}

// Check reports whether the request needs Confirm: a database in a
// production environment, or a destructive statement. A statement that does
// not parse is an error naming its line (Field "statement").
func (s *Service) Check(ctx context.Context, req Request) (Check, error) {
	db, err := s.ws.GetDatabase(ctx, req.DatabaseID)
	if err != nil {
		return Check{}, err
	}
	env, err := s.ws.GetEnvironment(ctx, db.EnvironmentID)
	if err != nil {
		return Check{}, fmt.Errorf("environment of %s: %w", db.Name, err)
	}
	chk := Check{Database: db, Environment: env, Production: env.Production(), Destructive: []sqlparse.Destruction{}}
	if strings.TrimSpace(req.Statement) != "" {
		sts, err := sqlparse.Split(req.Statement)
		if err != nil {
			return Check{}, &usererr.Error{Message: err.Error(), Field: "statement", Err: err}
		}
		chk.Destructive = append(chk.Destructive, sqlparse.Destructive(sts)...)
	}
	chk.NeedsConfirm = chk.Production || len(chk.Destructive) > 0
	return chk, nil
}

// Reason explains why the check needs a confirmation.
func (c Check) Reason() string {
	var why []string
	if c.Production {
		why = append(why, fmt.Sprintf("%s is in %s, a production environment", c.Database.Name, c.Environment.Name))
	}
	if len(c.Destructive) > 0 {
		ds := make([]string, 0, len(c.Destructive))
		for _, d := range c.Destructive {
			ds = append(ds, d.String())
		}
		why = append(why, "the change is destructive ("+strings.Join(ds, "; ")+")")
	}
	return strings.Join(why, " and ")
}

// validate checks the request's fields.
func validate(req *Request) (migrate.ChangeType, error) {
	req.Version = strings.TrimSpace(req.Version)
	req.Description = strings.TrimSpace(req.Description)
	if _, err := migrate.ParseVersion(req.Version); err != nil {
		return "", usererr.Invalid("version", "version %q: %v", req.Version, err)
	}
	typ, err := migrate.ParseChangeType(req.Type)
	if err != nil {
		return "", usererr.Invalid("type", "type %q: use ddl, dml or baseline", req.Type)
	}
	if typ == migrate.TypeBaseline {
		if strings.TrimSpace(req.Statement) != "" {
			return "", usererr.Invalid("statement", "a baseline runs nothing: leave the statement empty")
		}
	} else if _, err := migrate.NewChangeMigration(migrate.Change{Version: req.Version, Type: typ, Description: req.Description, SQL: req.Statement}); err != nil {
		return "", usererr.Invalid("statement", "%v", err)
	}
	return typ, nil
}

func (s *Service) runner(d instances.Database) (*migrate.Runner, error) {
	cfg, err := d.Config()
	if err != nil {
		return nil, err
	}
	return migrate.NewRunnerConfig(cfg, migrate.Options{LockWait: s.LockWait})
}

// Apply applies the change: checks (refusing an applied or lower version
// before any work), a snapshot before, the change, a snapshot after, and the
// change-history row. A failed change keeps the PostgreSQL message and
// SQLSTATE, with the failing statement and line in Detail; it is recorded as
// failed, never as done. progress may be nil.
func (s *Service) Apply(ctx context.Context, req Request, progress func(Step)) (workspace.Change, error) {
	if progress == nil {
		progress = func(Step) {}
	}
	if req.Source == "" {
		req.Source = workspace.SourceUI
	}
	typ, err := validate(&req)
	if err != nil {
		return workspace.Change{}, err
	}
	chk, err := s.Check(ctx, req)
	if err != nil {
		return workspace.Change{}, err
	}
	if chk.NeedsConfirm && !req.Confirm {
		return workspace.Change{}, &usererr.Error{Message: "applying needs confirmation: " + chk.Reason(), Field: "confirm"}
	}
	d, err := s.conns.Database(ctx, req.DatabaseID)
	if err != nil {
		return workspace.Change{}, err
	}
	r, err := s.runner(d)
	if err != nil {
		return workspace.Change{}, err
	}
	mc := migrate.Change{Version: req.Version, Type: typ, Description: req.Description, SQL: req.Statement, Source: migrate.SourceUI, Issue: req.Issue,
		NewBaseline: req.NewBaseline}
	if req.Source == workspace.SourceCLI {
		mc.Source = migrate.SourceCLI
	}
	if err := r.CheckChange(ctx, mc, false); err != nil {
		return workspace.Change{}, refusal(err, req.Version, d)
	}

	const total = 4
	step := func(name string, done int) { progress(Step{Name: name, Done: done, Total: total}) }
	step("Snapshot of the schema before", 0)
	before, err := s.sync.Sync(ctx, d.DB.ID, nil)
	if err != nil {
		return workspace.Change{}, err
	}
	step("Applying", 1)
	var runID string
	var applyErr error
	if typ == migrate.TypeBaseline {
		applyErr = r.Baseline(ctx, migrate.BaselineOptions{Version: req.Version, Description: req.Description, Issue: req.Issue, New: req.NewBaseline})
	} else {
		var res *migrate.Result
		res, applyErr = r.ApplyChange(ctx, mc, migrate.ApplyOptions{StatementTimes: req.Runner != nil, Progress: func(mp migrate.Progress) {
			if req.Runner != nil {
				req.Runner(mp)
			}
			switch mp.Event {
			case migrate.EventLockWait:
				step("Waiting for another migration runner's lock", 1)
			case migrate.EventStatement:
				step(fmt.Sprintf("Applied statement %d of %d", mp.Statement, mp.Statements), 1)
			case migrate.EventRetry:
				step(fmt.Sprintf("Retrying (attempt %d)", mp.Attempt+1), 1)
			}
		}})
		if res != nil && len(res.Applied) > 0 {
			runID = res.Applied[0].RunID
		}
	}
	// What happened in the target is recorded even if the caller gives up now.
	rctx := context.WithoutCancel(ctx)
	if applyErr != nil {
		ue := RunError(applyErr, d.Info)
		var re *migrate.RunError
		if errors.As(applyErr, &re) && re.Failed != nil && re.Failed.RunID != "" {
			// The target has the failed attempt on record; so does the workspace.
			if row, ok := historyRow(rctx, r, re.Failed.RunID); ok {
				c := s.fromRow(row)
				c.DatabaseID, c.Source, c.SeenOnSync, c.BeforeSnapshotID, c.Issue = d.DB.ID, req.Source, false, before.Info.ID, req.Issue
				_, _ = s.ws.RecordChange(rctx, c)
			}
		}
		return workspace.Change{}, ue
	}
	step("Snapshot of the schema after", 2)
	afterID := ""
	if after, err := s.sync.Sync(ctx, d.DB.ID, nil); err == nil {
		afterID = after.Info.ID // else: applied and recorded in the target all the same
	}
	step("Recording", 3)
	var row migrate.HistoryRow
	var ok bool
	if runID != "" {
		row, ok = historyRow(rctx, r, runID)
	} else {
		row, ok = lastBaseline(rctx, r, req.Version)
	}
	if !ok {
		return workspace.Change{}, &usererr.Error{Message: fmt.Sprintf("version %s was applied to %s but its row in tidemark.migration_history could not be read; refresh the history", req.Version, d.Label())}
	}
	c := s.fromRow(row)
	c.DatabaseID, c.Source, c.SeenOnSync = d.DB.ID, req.Source, false
	c.BeforeSnapshotID, c.AfterSnapshotID, c.Issue = before.Info.ID, afterID, req.Issue
	stored, err := s.ws.RecordChange(rctx, c)
	if err != nil {
		return workspace.Change{}, err
	}
	step("Done", 4)
	return stored, nil
}

// refusal turns the runner's pre-flight refusal into a message about the
// version field.
func refusal(err error, version string, d instances.Database) error {
	switch {
	case errors.Is(err, migrate.ErrAlreadyApplied):
		return &usererr.Error{Field: "version", Err: err,
			Message: fmt.Sprintf("version %s is already applied to %s; choose another version", version, d.DB.Name)}
	case errors.Is(err, migrate.ErrOutOfOrder):
		return &usererr.Error{Field: "version", Err: err,
			Message: fmt.Sprintf("version %s is below the highest version already applied to %s; choose a later version", version, d.DB.Name)}
	case errors.Is(err, migrate.ErrHasHistory):
		return &usererr.Error{Field: "type", Err: err,
			Message: fmt.Sprintf("%s already has changes in its history: a baseline only marks a database Tidemark has not changed yet", d.DB.Name)}
	case errors.Is(err, migrate.ErrNeedsResolve):
		return &usererr.Error{Err: err, Message: err.Error()}
	}
	return RunError(err, d.Info)
}

// RunError converts a runner error: PostgreSQL and connection errors through
// pg.Convert (SQLSTATE kept, password redacted), a failed statement with its
// number, line and text in Detail.
func RunError(err error, ci pg.ConnInfo) *usererr.Error {
	var re *migrate.RunError
	if errors.As(err, &re) && re.Failed != nil {
		f := re.Failed
		ue := &usererr.Error{Message: re.Err.Error(), SQLState: f.SQLState, Field: "statement", Err: err}
		var pe *pgconn.PgError
		if errors.As(re.Err, &pe) {
			c := pg.Convert(pe, ci)
			ue.Message, ue.Hint = c.Message, c.Hint
			if c.Detail != "" {
				ue.Detail = c.Detail + "\n"
			}
		}
		if f.Statement > 0 {
			ue.Detail += fmt.Sprintf("Statement %d of %d, line %d: %s", f.Statement, f.Statements, f.Line, f.SQL)
		}
		if f.OutcomeUnknown {
			ue.Hint = "The connection was lost during COMMIT and the outcome could not be read; refresh the history to see it."
		}
		return ue
	}
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	if errors.As(err, &pe) || errors.As(err, &ce) {
		return pg.Convert(err, ci)
	}
	return usererr.From(err)
}

func historyRow(ctx context.Context, r *migrate.Runner, runID string) (migrate.HistoryRow, bool) {
	rows, err := r.History(ctx)
	if err != nil {
		return migrate.HistoryRow{}, false
	}
	for _, row := range rows {
		if row.RunID == runID {
			return row, true
		}
	}
	return migrate.HistoryRow{}, false
}

func lastBaseline(ctx context.Context, r *migrate.Runner, version string) (migrate.HistoryRow, bool) {
	v, err := migrate.ParseVersion(version)
	if err != nil {
		return migrate.HistoryRow{}, false
	}
	rows, err := r.History(ctx)
	if err != nil {
		return migrate.HistoryRow{}, false
	}
	for i := len(rows) - 1; i >= 0; i-- {
		rv, err := migrate.ParseVersion(rows[i].Version)
		if err == nil && rows[i].Type == migrate.TypeBaseline && rv.Equal(v) {
			return rows[i], true
		}
	}
	return migrate.HistoryRow{}, false
}

// fromRow turns a target history row into a workspace change. Rows are
// attributed to "other machine" when written on another host, else to the
// app (changes authored there), the CLI (files, baselines, changes authored
// on the command line).
func (s *Service) fromRow(row migrate.HistoryRow) workspace.Change {
	src := workspace.SourceCLI
	switch {
	case row.Host != s.host:
		src = workspace.SourceOtherMachine
	case row.Source == migrate.SourceUI:
		src = workspace.SourceUI
	}
	return workspace.Change{
		RunID: row.RunID, Version: row.Version, Type: string(row.Type), Status: row.Status, Description: row.Description,
		Checksum: row.Checksum, Source: src, AppliedBy: row.AppliedBy, Host: row.Host, Duration: time.Duration(row.DurationMS) * time.Millisecond,
		Statement: row.Statement, Error: row.Error, SQLState: row.SQLState, FailedStatement: row.FailedStatement, FailedLine: row.FailedLine,
		SeenOnSync: true, AppliedAt: row.StartedAt, Issue: row.Issue,
	}
}

// Reconcile reads the target's tidemark.migration_history (the source of
// truth) and adds the rows this workspace has not seen — changes applied from
// another machine, the CLI or CI — marked with their origin and SeenOnSync;
// rows it knows get the target's current status. It returns the whole
// history, newest first.
func (s *Service) Reconcile(ctx context.Context, databaseID string) ([]workspace.Change, error) {
	d, err := s.conns.Database(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	r, err := s.runner(d)
	if err != nil {
		return nil, err
	}
	rows, err := r.History(ctx)
	if err != nil {
		return nil, RunError(err, d.Info)
	}
	cs := make([]workspace.Change, 0, len(rows))
	for _, row := range rows {
		cs = append(cs, s.fromRow(row))
	}
	if _, err := s.ws.MergeChanges(ctx, databaseID, cs); err != nil {
		return nil, err
	}
	return s.ws.ListChanges(ctx, databaseID)
}

// Detail is one change with the schema before and after it.
type Detail struct {
	Change workspace.Change
	// BeforeDDL and AfterDDL render the snapshots object by object in one
	// common order, so unchanged objects line up (schematree.AlignedDDL).
	BeforeDDL, AfterDDL string
	// HasBefore and HasAfter say whether the snapshots exist (changes from
	// other machines have none; a failed change has no after).
	HasBefore, HasAfter bool
	// Objects lists what changed, from the structured models; HasObjects
	// is false when one of the snapshots is missing.
	Objects    []schematree.Change
	HasObjects bool
}

// Detail returns one change with its before/after view.
func (s *Service) Detail(ctx context.Context, databaseID, changeID string) (Detail, error) {
	c, err := s.ws.GetChange(ctx, databaseID, changeID)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Change: c, Objects: []schematree.Change{}}
	load := func(id string) (*schemasync.Snapshot, error) {
		if id == "" {
			return nil, nil
		}
		snap, err := s.sync.Get(ctx, id)
		if errors.Is(err, workspace.ErrNotFound) {
			return nil, nil
		}
		return snap, err
	}
	before, err := load(c.BeforeSnapshotID)
	if err != nil {
		return Detail{}, err
	}
	after, err := load(c.AfterSnapshotID)
	if err != nil {
		return Detail{}, err
	}
	d.HasBefore, d.HasAfter = before != nil, after != nil
	switch {
	case before != nil && after != nil:
		bt, at := schematree.New(&before.Schema), schematree.New(&after.Schema)
		d.BeforeDDL, d.AfterDDL = schematree.AlignedDDL(bt, at)
		d.Objects, d.HasObjects = schematree.Compare(bt, at), true
	case before != nil:
		d.BeforeDDL = before.DDL
	case after != nil:
		d.AfterDDL = after.DDL
	}
	return d, nil
}
