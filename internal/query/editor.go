package query

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Editor keeps one session per editor tab on a workspace database and
// records every run in the workspace's query history (never in change
// history). Safe for concurrent use; one run at a time per tab.
type Editor struct {
	ws    *workspace.Store
	conns *instances.Connector

	mu   sync.Mutex
	tabs map[string]*tab
	jobs map[string]*exportJob // running exports by id
}

type tab struct {
	mu         sync.Mutex // held while a statement runs
	databaseID string
	admin      bool
	s          *Session
	cancel     context.CancelFunc
	cmu        sync.Mutex // guards cancel
	last       []*Grid    // the grids of the last run, for the value viewer
}

// KeepFullBytes is how many bytes of cut values (longer than MaxCellBytes)
// a tab's last run keeps whole for the value viewer.
const KeepFullBytes = 32 << 20

// NewEditor returns an editor over the workspace's databases.
func NewEditor(ws *workspace.Store, conns *instances.Connector) *Editor {
	return &Editor{ws: ws, conns: conns, tabs: map[string]*tab{}}
}

// Request is one run from a tab.
type Request struct {
	Tab        string
	DatabaseID string
	Script     string
	Admin      bool
	// ConfirmDatabase must name the database for admin mode on a
	// production database (the confirmation the user typed or accepted).
	ConfirmDatabase string
	Limit           int           // 0 = DefaultLimit; negative = all rows
	Timeout         time.Duration // 0 = the mode's default
}

// Outcome is a run's results, one grid per statement.
type Outcome struct {
	Mode          Mode     `json:"mode"`
	Results       []Result `json:"results"`
	Grids         []*Grid  `json:"grids"`
	InTransaction bool     `json:"inTransaction"` // an admin transaction is open
}

// Run runs req.Script on the tab's session, opening it (or reopening it
// when the database or mode changed: switching back to read-only closes
// the admin session) and records the run in the query history.
func (e *Editor) Run(ctx context.Context, req Request) (Outcome, error) {
	t := e.tab(req.Tab)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := e.session(ctx, t, req); err != nil {
		return Outcome{}, err
	}
	limit := req.Limit
	switch {
	case limit == 0:
		limit = DefaultLimit
	case limit < 0:
		limit = 0
	}
	rctx, done := t.cancellable(ctx)
	defer done()
	out := Outcome{Mode: t.s.Mode()}
	start := time.Now()
	res, runErr := t.s.Run(rctx, req.Script, RunOptions{Limit: limit, Sink: func(int, sqlparse.Statement) Sink {
		g := &Grid{KeepFull: KeepFullBytes}
		out.Grids = append(out.Grids, g)
		return g
	}})
	out.Results = res
	out.InTransaction = t.s.InTransaction()
	t.last = out.Grids
	run := workspace.QueryRun{DatabaseID: req.DatabaseID, Statement: req.Script, Mode: string(out.Mode), RanAt: start, Duration: time.Since(start)}
	for _, r := range res {
		run.Rows += r.Rows
	}
	if runErr != nil {
		ue := usererr.From(runErr)
		run.Error, run.SQLState = runErr.Error(), ue.SQLState
	}
	if _, err := e.ws.RecordQuery(context.WithoutCancel(ctx), run); err != nil && runErr == nil {
		return out, fmt.Errorf("record the query history: %w", err)
	}
	return out, runErr
}

// session opens the tab's session for req (t.mu held), reopening it when the
// database or mode changed: switching back to read-only closes the admin
// session.
func (e *Editor) session(ctx context.Context, t *tab, req Request) error {
	d, err := e.database(ctx, req.DatabaseID, req.Admin, req.ConfirmDatabase)
	if err != nil {
		return err
	}
	if t.s != nil && (t.databaseID != req.DatabaseID || t.admin != req.Admin) {
		_ = t.s.Close(ctx)
		t.s = nil
	}
	if t.s == nil {
		s, err := e.open(ctx, d, Options{Admin: req.Admin, Timeout: req.Timeout})
		if err != nil {
			return err
		}
		t.s, t.databaseID, t.admin = s, req.DatabaseID, req.Admin
	}
	return nil
}

// cancellable derives the context of one run that Cancel stops.
func (t *tab) cancellable(ctx context.Context) (context.Context, func()) {
	rctx, cancel := context.WithCancel(ctx)
	t.cmu.Lock()
	t.cancel = cancel
	t.cmu.Unlock()
	return rctx, func() {
		t.cmu.Lock()
		t.cancel = nil
		t.cmu.Unlock()
		cancel()
	}
}

// Explain plans req.Script (one statement) on the tab's session and returns
// the plan tree; analyze runs it (EXPLAIN ANALYZE: admin mode only, refused
// by the allow-list in read-only mode). It is recorded in the query history
// as the EXPLAIN it ran.
func (e *Editor) Explain(ctx context.Context, req Request, analyze bool) (*PlanNode, bool, error) {
	t := e.tab(req.Tab)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := e.session(ctx, t, req); err != nil {
		return nil, false, err
	}
	rctx, done := t.cancellable(ctx)
	defer done()
	start := time.Now()
	plan, err := t.s.Explain(rctx, req.Script, analyze)
	stmt := "EXPLAIN " + req.Script
	if analyze {
		stmt = "EXPLAIN ANALYZE " + req.Script
	}
	run := workspace.QueryRun{DatabaseID: req.DatabaseID, Statement: stmt, Mode: string(t.s.Mode()), RanAt: start, Duration: time.Since(start)}
	if err != nil {
		run.Error, run.SQLState = err.Error(), usererr.From(err).SQLState
	}
	if _, rerr := e.ws.RecordQuery(context.WithoutCancel(ctx), run); rerr != nil && err == nil {
		return plan, t.s.InTransaction(), fmt.Errorf("record the query history: %w", rerr)
	}
	return plan, t.s.InTransaction(), err
}

// Value returns the whole text of a cell of the tab's last run: result
// index, row and column from 0. A value cut in the grid comes back whole
// when it was kept (KeepFullBytes a run), else ErrValueNotKept.
func (e *Editor) Value(tabID string, result, row, col int) (string, error) {
	e.mu.Lock()
	t := e.tabs[tabID]
	e.mu.Unlock()
	if t == nil {
		return "", usererr.Invalid("tab", "the tab has not run anything")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if result < 0 || result >= len(t.last) {
		return "", usererr.Invalid("result", "the tab's last run has no result %d", result+1)
	}
	v, err := t.last[result].Full(row, col)
	if err != nil {
		return "", usererr.Invalid("cell", "%s", err.Error())
	}
	return v, nil
}

// Cancel stops the tab's running statement (server-side cancel); false when
// nothing runs.
func (e *Editor) Cancel(tabID string) bool {
	t := e.tab(tabID)
	t.cmu.Lock()
	defer t.cmu.Unlock()
	if t.cancel == nil {
		return false
	}
	t.cancel()
	return true
}

// CloseTab ends the tab's session (an open admin transaction is rolled back).
func (e *Editor) CloseTab(ctx context.Context, tabID string) error {
	e.mu.Lock()
	t := e.tabs[tabID]
	delete(e.tabs, tabID)
	e.mu.Unlock()
	if t == nil {
		return nil
	}
	e.Cancel(tabID)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.s == nil {
		return nil
	}
	return t.s.Close(ctx)
}

// Close cancels the running exports (removing their partial files) and ends
// every session.
func (e *Editor) Close(ctx context.Context) error {
	e.mu.Lock()
	ids := make([]string, 0, len(e.tabs))
	for id := range e.tabs {
		ids = append(ids, id)
	}
	jobs := make([]string, 0, len(e.jobs))
	for id := range e.jobs {
		jobs = append(jobs, id)
	}
	e.mu.Unlock()
	for _, id := range jobs {
		e.CancelExport(id)
	}
	var errs []error
	for _, id := range ids {
		errs = append(errs, e.CloseTab(ctx, id))
	}
	return errors.Join(errs...)
}

// History is a database's query history, newest first (search: part of the
// statement, case-insensitive).
func (e *Editor) History(ctx context.Context, databaseID, search string, limit int) ([]workspace.QueryRun, error) {
	return e.ws.ListQueries(ctx, databaseID, search, limit)
}

// database resolves a workspace database for a run; admin mode on a
// production database needs its name as confirm.
func (e *Editor) database(ctx context.Context, databaseID string, admin bool, confirm string) (*instances.Database, error) {
	d, err := e.conns.Database(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	return e.confirmed(ctx, &d, admin, confirm)
}

func (e *Editor) confirmed(ctx context.Context, d *instances.Database, admin bool, confirm string) (*instances.Database, error) {
	if admin {
		env, err := e.ws.GetEnvironment(ctx, d.DB.EnvironmentID)
		if err == nil && env.Production() && confirm != d.DB.Name {
			return nil, &usererr.Error{Field: "confirm", Message: fmt.Sprintf("%s is a production database (%s): admin mode needs its name confirmed", d.Label(), env.Name)}
		}
	}
	return d, nil
}

// open opens a session on d.
func (e *Editor) open(ctx context.Context, d *instances.Database, o Options) (*Session, error) {
	cfg, err := d.Config()
	if err != nil {
		return nil, err
	}
	s, err := Open(ctx, cfg, o)
	if err != nil {
		return nil, usererr.Wrap(fmt.Sprintf("connect to %s: ", d.Label()), err)
	}
	return s, nil
}

func (e *Editor) tab(id string) *tab {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.tabs[id]
	if t == nil {
		t = &tab{}
		e.tabs[id] = t
	}
	return t
}

// Tabs returns the editor tabs kept in the workspace, in their order.
func (e *Editor) Tabs(ctx context.Context) ([]workspace.QueryTab, error) {
	return e.ws.ListQueryTabs(ctx)
}

// SaveTabs replaces the kept tabs (order kept). Admin mode is not part of a
// tab: a restored tab always runs read-only until switched again.
func (e *Editor) SaveTabs(ctx context.Context, tabs []workspace.QueryTab) error {
	return e.ws.SaveQueryTabs(ctx, tabs)
}
