package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// applyLimit bounds one Apply: the runner's statement_timeout (30 min) plus
// the snapshots around it.
const applyLimit = 40 * time.Minute

// Change is one attempt to apply a change to a database, as the Change
// history tab lists it.
type Change struct {
	ID          string `json:"id"`
	DatabaseID  string `json:"databaseId"`
	RunID       string `json:"runId"`
	Version     string `json:"version"`
	Type        string `json:"type"`   // ddl, dml, baseline
	Status      string `json:"status"` // done, started, failed
	Description string `json:"description"`
	Checksum    string `json:"checksum"`
	// Source is ui (applied from this app), git, cli (`tidemark migrate` on
	// this machine) or "other machine".
	Source     string `json:"source"`
	AppliedBy  string `json:"appliedBy"`
	Host       string `json:"host"`
	DurationMs int64  `json:"durationMs"`
	Error      string `json:"error"`
	SQLState   string `json:"sqlstate"`
	// FailedStatement and FailedLine say where a failed change stopped.
	FailedStatement  string `json:"failedStatement"`
	FailedLine       int    `json:"failedLine"`
	BeforeSnapshotID string `json:"beforeSnapshotId"`
	AfterSnapshotID  string `json:"afterSnapshotId"`
	// SeenOnSync marks rows found in the target's history that this workspace
	// did not write (another machine, the CLI, CI).
	SeenOnSync bool   `json:"seenOnSync"`
	AppliedAt  string `json:"appliedAt"`  // RFC3339
	RecordedAt string `json:"recordedAt"` // RFC3339
}

// ChangeDetail is one change with its statement and the DDL of the schema
// snapshots taken before and after it (for the merge view). HasBefore and
// HasAfter are false when there is no such snapshot (changes from other
// machines, a failed change's after).
type ChangeDetail struct {
	Change    Change `json:"change"`
	Statement string `json:"statement"`
	BeforeDDL string `json:"beforeDdl"`
	AfterDDL  string `json:"afterDdl"`
	HasBefore bool   `json:"hasBefore"`
	HasAfter  bool   `json:"hasAfter"`
}

// ApplyChangeRequest is a change written in the app.
type ApplyChangeRequest struct {
	DatabaseID  string `json:"databaseId"`
	Version     string `json:"version"`
	Type        string `json:"type"` // ddl, dml or baseline (marks the database as at Version; no statement)
	Description string `json:"description"`
	Statement   string `json:"statement"`
	// Confirm must be true to apply to a production environment or to run a
	// destructive statement (see Check).
	Confirm bool `json:"confirm"`
}

// ApplyCheck says whether applying a request needs an explicit confirmation,
// and why.
type ApplyCheck struct {
	DatabaseName    string `json:"databaseName"`
	EnvironmentName string `json:"environmentName"`
	// Production is set when the database's environment is protected or the
	// last one (production-like).
	Production bool `json:"production"`
	// Destructive lists the statements that drop, truncate or delete every
	// row ("line 3: DROP TABLE"), in order.
	Destructive  []string `json:"destructive"`
	NeedsConfirm bool     `json:"needsConfirm"`
}

// HistoryService applies changes written in the app and keeps each
// database's change history: the target's tidemark.migration_history (the
// source of truth, written by internal/migrate in the same transaction as the
// change) cached in the workspace with schema snapshots before and after.
type HistoryService struct {
	a *App
}

func changeOut(c workspace.Change) Change {
	return Change{
		ID: c.ID, DatabaseID: c.DatabaseID, RunID: c.RunID, Version: c.Version, Type: c.Type, Status: c.Status,
		Description: c.Description, Checksum: c.Checksum, Source: c.Source, AppliedBy: c.AppliedBy, Host: c.Host,
		DurationMs: c.Duration.Milliseconds(), Error: c.Error, SQLState: c.SQLState, FailedStatement: c.FailedStatement,
		FailedLine: c.FailedLine, BeforeSnapshotID: c.BeforeSnapshotID, AfterSnapshotID: c.AfterSnapshotID,
		SeenOnSync: c.SeenOnSync, AppliedAt: rfc3339(c.AppliedAt), RecordedAt: rfc3339(c.RecordedAt),
	}
}

func changesOut(cs []workspace.Change) []Change {
	out := make([]Change, 0, len(cs))
	for _, c := range cs {
		out = append(out, changeOut(c))
	}
	return out
}

// List returns the database's change history as the workspace knows it,
// newest first (Reconcile brings in rows written elsewhere).
func (s *HistoryService) List(databaseID string) ([]Change, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	cs, err := s.a.ws.ListChanges(ctx, databaseID)
	if err != nil {
		return nil, fail(err)
	}
	return changesOut(cs), nil
}

// Get returns one change with its statement and the before/after DDL.
func (s *HistoryService) Get(databaseID, changeID string) (ChangeDetail, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	c, err := s.a.ws.GetChange(ctx, databaseID, changeID)
	if err != nil {
		return ChangeDetail{}, fail(err)
	}
	d := ChangeDetail{Change: changeOut(c), Statement: c.Statement}
	if c.BeforeSnapshotID != "" {
		snap, err := s.a.ws.GetSnapshot(ctx, c.BeforeSnapshotID)
		if err != nil && !errors.Is(err, workspace.ErrNotFound) {
			return ChangeDetail{}, fail(err)
		}
		d.BeforeDDL, d.HasBefore = snap.DDL, err == nil
	}
	if c.AfterSnapshotID != "" {
		snap, err := s.a.ws.GetSnapshot(ctx, c.AfterSnapshotID)
		if err != nil && !errors.Is(err, workspace.ErrNotFound) {
			return ChangeDetail{}, fail(err)
		}
		d.AfterDDL, d.HasAfter = snap.DDL, err == nil
	}
	return d, nil
}

// Check says whether Apply will need Confirm for this request: a database in
// a production environment, or a destructive statement (DROP, TRUNCATE,
// DELETE without WHERE). A statement that does not parse is an error naming
// its line.
func (s *HistoryService) Check(req ApplyChangeRequest) (ApplyCheck, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	chk, err := s.check(ctx, req)
	return chk, fail(err)
}

func (s *HistoryService) check(ctx context.Context, req ApplyChangeRequest) (ApplyCheck, error) {
	db, err := s.a.ws.GetDatabase(ctx, req.DatabaseID)
	if err != nil {
		return ApplyCheck{}, err
	}
	envs, err := s.a.ws.ListEnvironments(ctx)
	if err != nil {
		return ApplyCheck{}, err
	}
	chk := ApplyCheck{DatabaseName: db.Name, EnvironmentName: db.EnvironmentID, Destructive: []string{}}
	for i, e := range envs {
		if e.ID == db.EnvironmentID {
			chk.EnvironmentName = e.Name
			chk.Production = e.Protected || i == len(envs)-1
		}
	}
	destructive, err := destructiveStatements(req.Statement)
	if err != nil {
		return ApplyCheck{}, err
	}
	chk.Destructive = destructive
	chk.NeedsConfirm = chk.Production || len(destructive) > 0
	return chk, nil
}

// destructiveStatements lists the statements of sql that drop objects,
// truncate tables or delete every row of a table.
func destructiveStatements(sql string) ([]string, error) {
	out := []string{}
	if strings.TrimSpace(sql) == "" {
		return out, nil
	}
	sts, err := sqlparse.Split(sql)
	if err != nil {
		return nil, &UserError{Message: err.Error(), Field: "statement"}
	}
	for _, st := range sts {
		if st.Node == nil {
			continue
		}
		what := ""
		switch {
		case strings.HasPrefix(st.Tag, "DROP "):
			what = st.Tag
		case st.Node.GetTruncateStmt() != nil:
			what = "TRUNCATE"
		case st.Node.GetDeleteStmt() != nil && st.Node.GetDeleteStmt().GetWhereClause() == nil:
			what = "DELETE without WHERE"
		}
		if what != "" {
			out = append(out, fmt.Sprintf("line %d: %s", st.Line, what))
		}
	}
	return out, nil
}

// runner opens a migration runner on the database (its instance's saved
// connection settings and password).
func (s *HistoryService) runner(ctx context.Context, db workspace.Database) (*migrate.Runner, pg.ConnInfo, error) {
	in, err := s.a.ws.GetInstance(ctx, db.InstanceID)
	if err != nil {
		return nil, pg.ConnInfo{}, err
	}
	ci, err := s.a.instances.savedConfig(ctx, in)
	if err != nil {
		return nil, pg.ConnInfo{}, err
	}
	ci.Database = db.Name
	cfg, err := pg.Config(ci)
	if err != nil {
		return nil, ci, err
	}
	r, err := migrate.NewRunnerConfig(cfg, migrate.Options{LockWait: time.Minute})
	if err != nil {
		return nil, ci, err
	}
	return r, ci, nil
}

// runErr converts a runner error: PostgreSQL and connection errors through
// pg.Convert (SQLSTATE kept, password redacted), a failed statement with its
// number, line and text in Detail.
func runErr(err error, ci pg.ConnInfo) *UserError {
	var re *migrate.RunError
	if errors.As(err, &re) && re.Failed != nil {
		f := re.Failed
		ue := &UserError{Message: re.Err.Error(), SQLState: f.SQLState, Field: "statement"}
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
			ue.Hint = "The connection was lost during COMMIT and the outcome could not be read; check the history with Refresh."
		}
		return ue
	}
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	if errors.As(err, &pe) || errors.As(err, &ce) {
		c := pg.Convert(err, ci)
		return &UserError{Message: c.Message, SQLState: c.SQLState, Detail: c.Detail, Hint: c.Hint}
	}
	return toUserError(err)
}

// Apply applies a change written in the app to a database: a schema snapshot
// before (the schema sync), the change through the migration runner's full
// protocol (lock, history row in the target written in the same transaction),
// a snapshot after, and a row in the workspace's change history. Progress
// events have id "history-apply-<database id>". A failed change keeps the
// PostgreSQL message and SQLSTATE, with the failing statement and line in
// Detail; it is recorded as failed, never as done. A production environment
// or a destructive statement needs Confirm.
func (s *HistoryService) Apply(req ApplyChangeRequest) (Change, error) {
	ctx, cancel := s.a.call(applyLimit)
	defer cancel()
	db, err := s.a.ws.GetDatabase(ctx, req.DatabaseID)
	if err != nil {
		return Change{}, fail(err)
	}
	req.Version = strings.TrimSpace(req.Version)
	req.Description = strings.TrimSpace(req.Description)
	v, err := migrate.ParseVersion(req.Version)
	if err != nil {
		return Change{}, invalid("version", "version %q: %v", req.Version, err)
	}
	typ, err := migrate.ParseChangeType(req.Type)
	if err != nil {
		return Change{}, invalid("type", "type %q: use ddl, dml or baseline", req.Type)
	}
	if typ == migrate.TypeBaseline {
		if strings.TrimSpace(req.Statement) != "" {
			return Change{}, invalid("statement", "a baseline runs nothing: leave the statement empty")
		}
	} else if _, err := migrate.NewChangeMigration(migrate.Change{Version: req.Version, Type: typ, Description: req.Description, SQL: req.Statement}); err != nil {
		return Change{}, invalid("statement", "%v", err)
	}
	chk, err := s.check(ctx, req)
	if err != nil {
		return Change{}, fail(err)
	}
	if chk.NeedsConfirm && !req.Confirm {
		var why []string
		if chk.Production {
			why = append(why, fmt.Sprintf("%s is in %s, a production environment", chk.DatabaseName, chk.EnvironmentName))
		}
		if len(chk.Destructive) > 0 {
			why = append(why, "the change is destructive ("+strings.Join(chk.Destructive, "; ")+")")
		}
		return Change{}, &UserError{Message: "applying needs confirmation: " + strings.Join(why, " and "), Field: "confirm"}
	}

	r, ci, err := s.runner(ctx, db)
	if err != nil {
		return Change{}, fail(err)
	}
	// Refuse an applied or lower version before taking any snapshot (the
	// runner checks again under its lock).
	rows, err := r.History(ctx)
	if err != nil {
		return Change{}, runErr(err, ci)
	}
	for _, row := range rows {
		rv, perr := migrate.ParseVersion(row.Version)
		if perr != nil || row.Status != migrate.StatusDone {
			continue
		}
		if rv.Equal(v) {
			return Change{}, invalid("version", "version %s is already applied to %s (%s by %s on %s); choose another version",
				req.Version, db.Name, rfc3339(row.StartedAt), row.AppliedBy, row.Host)
		}
		if v.Less(rv) {
			return Change{}, invalid("version", "version %s is below %s, already applied to %s; choose a later version",
				req.Version, row.Version, db.Name)
		}
	}

	p := Progress{ID: "history-apply-" + db.ID, Title: fmt.Sprintf("Applying version %s to %s", req.Version, db.Name), Total: 4}
	step := func(name string, done int) {
		p.Step, p.Done = name, done
		s.a.progress(p)
	}
	finish := func(ue *UserError) (Change, error) {
		p.Finished, p.Error = true, plain(ue)
		s.a.progress(p)
		return Change{}, ue
	}
	step("Snapshot of the schema before", 0)
	before, err := s.a.schema.Sync(db.ID)
	if err != nil {
		return finish(toUserError(err))
	}
	step("Applying", 1)
	var runID string
	var applyErr error
	if typ == migrate.TypeBaseline {
		applyErr = r.Baseline(ctx, migrate.BaselineOptions{Version: req.Version, Description: req.Description})
	} else {
		var res *migrate.Result
		res, applyErr = r.ApplyChange(ctx, migrate.Change{Version: req.Version, Type: typ, Description: req.Description, SQL: req.Statement},
			migrate.ApplyOptions{Progress: func(mp migrate.Progress) {
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
	rctx := context.WithoutCancel(ctx)
	if applyErr != nil {
		ue := runErr(applyErr, ci)
		var re *migrate.RunError
		if errors.As(applyErr, &re) && re.Failed != nil && re.Failed.RunID != "" {
			// The target has the failed attempt on record; so does the workspace.
			if row, ok := historyRow(rctx, r, re.Failed.RunID); ok {
				c := changeFromRow(row, localHost())
				c.DatabaseID, c.Source, c.SeenOnSync, c.BeforeSnapshotID = db.ID, workspace.SourceUI, false, before.Snapshot.ID
				_, _ = s.a.ws.RecordChange(rctx, c)
			}
		}
		return finish(ue)
	}
	step("Snapshot of the schema after", 2)
	after, err := s.a.schema.Sync(db.ID)
	afterID := after.Snapshot.ID
	if err != nil {
		afterID = "" // applied and recorded in the target all the same
	}
	step("Recording", 3)
	var row migrate.HistoryRow
	var ok bool
	if runID != "" {
		row, ok = historyRow(rctx, r, runID)
	} else {
		row, ok = lastBaseline(rctx, r, v)
	}
	if !ok {
		return finish(&UserError{Message: fmt.Sprintf("version %s was applied to %s but its row in tidemark.migration_history could not be read; use Refresh", req.Version, db.Name)})
	}
	c := changeFromRow(row, localHost())
	c.DatabaseID, c.Source, c.SeenOnSync = db.ID, workspace.SourceUI, false
	c.BeforeSnapshotID, c.AfterSnapshotID = before.Snapshot.ID, afterID
	stored, err := s.a.ws.RecordChange(rctx, c)
	if err != nil {
		return finish(toUserError(err))
	}
	p.Step, p.Done, p.Finished = "Done", 4, true
	s.a.progress(p)
	return changeOut(stored), nil
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

func lastBaseline(ctx context.Context, r *migrate.Runner, v migrate.Version) (migrate.HistoryRow, bool) {
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

func localHost() string {
	h, _ := os.Hostname()
	return h
}

// changeFromRow turns a target history row into a workspace change. Rows are
// attributed to "other machine" when written on another host, else to the CLI
// (files, baselines) or this app (ui).
func changeFromRow(row migrate.HistoryRow, host string) workspace.Change {
	src := workspace.SourceCLI
	switch {
	case row.Host != host:
		src = workspace.SourceOtherMachine
	case row.Source == migrate.SourceUI:
		src = workspace.SourceUI
	}
	return workspace.Change{
		RunID: row.RunID, Version: row.Version, Type: string(row.Type), Status: row.Status, Description: row.Description,
		Checksum: row.Checksum, Source: src, AppliedBy: row.AppliedBy, Host: row.Host, Duration: time.Duration(row.DurationMS) * time.Millisecond,
		Statement: row.Statement, Error: row.Error, SQLState: row.SQLState, FailedStatement: row.FailedStatement, FailedLine: row.FailedLine,
		SeenOnSync: true, AppliedAt: row.StartedAt,
	}
}

// Reconcile reads the target's tidemark.migration_history (the source of
// truth) and adds the rows this workspace has not seen — changes applied from
// another machine, the CLI or CI — marked with their origin (host, applied by)
// and SeenOnSync; rows it knows get the target's current status. It returns
// the whole history, newest first.
func (s *HistoryService) Reconcile(databaseID string) ([]Change, error) {
	ctx, cancel := s.a.call(syncLimit)
	defer cancel()
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return nil, fail(err)
	}
	r, ci, err := s.runner(ctx, db)
	if err != nil {
		return nil, fail(err)
	}
	rows, err := r.History(ctx)
	if err != nil {
		return nil, runErr(err, ci)
	}
	host := localHost()
	cs := make([]workspace.Change, 0, len(rows))
	for _, row := range rows {
		cs = append(cs, changeFromRow(row, host))
	}
	if _, err := s.a.ws.MergeChanges(ctx, databaseID, cs); err != nil {
		return nil, fail(err)
	}
	list, err := s.a.ws.ListChanges(ctx, databaseID)
	if err != nil {
		return nil, fail(err)
	}
	return changesOut(list), nil
}
