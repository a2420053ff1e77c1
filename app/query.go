package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/query"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// QueryService binds the SQL editor (internal/query.Editor).
type QueryService struct {
	a  *App
	ed *query.Editor
}

// QueryRequest is one run from an editor tab.
type QueryRequest struct {
	Tab             string `json:"tab"`
	DatabaseID      string `json:"databaseId"`
	SQL             string `json:"sql"`
	Admin           bool   `json:"admin"`
	ConfirmDatabase string `json:"confirmDatabase"`
	Limit           int    `json:"limit"`     // 0: 1,000; negative: all
	TimeoutMs       int    `json:"timeoutMs"` // 0: the mode's default
}

// QueryError is a statement the fences or PostgreSQL refused, placed in the script.
type QueryError struct {
	Message  string `json:"message"`
	SQLState string `json:"sqlstate"`
	Detail   string `json:"detail"`
	Hint     string `json:"hint"`
	Fence    string `json:"fence"`
	Index    int    `json:"index"`
	Offset   int    `json:"offset"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

// QueryResult is one statement's result and grid.
type QueryResult struct {
	Tag          string         `json:"tag"`
	Columns      []query.Column `json:"columns"`
	Rows         [][]query.Cell `json:"rows"`
	LimitReached bool           `json:"limitReached"`
	ElapsedMs    float64        `json:"elapsedMs"`
	Start        int            `json:"start"`
	End          int            `json:"end"`
}

// QueryOutcome is a run: the results of the statements that ran and, when
// one failed, its error (the run itself then still succeeds).
type QueryOutcome struct {
	Mode          string        `json:"mode"`
	Results       []QueryResult `json:"results"`
	Error         *QueryError   `json:"error"`
	InTransaction bool          `json:"inTransaction"`
}

// QueryRun is one query history entry.
type QueryRun struct {
	ID         string  `json:"id"`
	Statement  string  `json:"statement"`
	Mode       string  `json:"mode"`
	RanAt      string  `json:"ranAt"`
	DurationMs float64 `json:"durationMs"`
	Rows       int64   `json:"rows"`
	Error      string  `json:"error"`
	SQLState   string  `json:"sqlstate"`
}

// Run runs SQL in the tab's session. Statement errors come back in the
// outcome; a connection or unknown database fails the call.
func (s *QueryService) Run(req QueryRequest) (QueryOutcome, error) {
	out, err := s.ed.Run(s.a.base(), query.Request{Tab: req.Tab, DatabaseID: req.DatabaseID, Script: req.SQL, Admin: req.Admin,
		ConfirmDatabase: req.ConfirmDatabase, Limit: req.Limit, Timeout: time.Duration(req.TimeoutMs) * time.Millisecond})
	res := QueryOutcome{Mode: string(out.Mode), Results: []QueryResult{}, InTransaction: out.InTransaction}
	for i, r := range out.Results {
		qr := QueryResult{Tag: r.Tag, Columns: r.Columns, Rows: [][]query.Cell{}, LimitReached: r.LimitReached,
			ElapsedMs: float64(r.Elapsed.Microseconds()) / 1000, Start: r.Start, End: r.End}
		if qr.Columns == nil {
			qr.Columns = []query.Column{}
		}
		if i < len(out.Grids) && out.Grids[i].Rows != nil {
			qr.Rows = out.Grids[i].Rows
		}
		res.Results = append(res.Results, qr)
	}
	if qe := statementError(err); qe != nil {
		res.Error = qe
		return res, nil
	}
	return res, fail(err)
}

// statementError is a refused or failed statement placed in the script; nil
// for other errors.
func statementError(err error) *QueryError {
	var se *query.StatementError
	if !errors.As(err, &se) {
		return nil
	}
	ue := usererr.From(se)
	return &QueryError{Message: ue.Message, SQLState: ue.SQLState, Detail: ue.Detail, Hint: ue.Hint, Fence: string(se.Fence),
		Index: se.Index, Offset: se.Offset, Line: se.Line, Column: se.Column}
}

// ExplainRequest plans one statement from an editor tab; Analyze runs it
// (admin mode only).
type ExplainRequest struct {
	Tab             string `json:"tab"`
	DatabaseID      string `json:"databaseId"`
	SQL             string `json:"sql"`
	Analyze         bool   `json:"analyze"`
	Admin           bool   `json:"admin"`
	ConfirmDatabase string `json:"confirmDatabase"`
	TimeoutMs       int    `json:"timeoutMs"`
}

// ExplainOutcome is a plan tree or, for a refused or failed statement, its error.
type ExplainOutcome struct {
	Mode          string          `json:"mode"`
	Plan          *query.PlanNode `json:"plan"`
	Error         *QueryError     `json:"error"`
	InTransaction bool            `json:"inTransaction"`
}

// Explain plans a statement in the tab's session (EXPLAIN ANALYZE in admin
// mode only); statement errors come back in the outcome.
func (s *QueryService) Explain(req ExplainRequest) (ExplainOutcome, error) {
	mode := query.ReadOnly
	if req.Admin {
		mode = query.Admin
	}
	plan, inTx, err := s.ed.Explain(s.a.base(), query.Request{Tab: req.Tab, DatabaseID: req.DatabaseID, Script: req.SQL, Admin: req.Admin,
		ConfirmDatabase: req.ConfirmDatabase, Timeout: time.Duration(req.TimeoutMs) * time.Millisecond}, req.Analyze)
	out := ExplainOutcome{Mode: string(mode), Plan: plan, InTransaction: inTx}
	if qe := statementError(err); qe != nil {
		out.Error = qe
		return out, nil
	}
	return out, fail(err)
}

// Cancel stops the tab's running statement; false when none runs.
func (s *QueryService) Cancel(tab string) bool { return s.ed.Cancel(tab) }

// CloseTab ends the tab's session (rolling back an open admin transaction).
func (s *QueryService) CloseTab(tab string) error { return fail(s.ed.CloseTab(s.a.base(), tab)) }

// History lists a database's query history, newest first.
func (s *QueryService) History(databaseID, search string, limit int) ([]QueryRun, error) {
	runs, err := s.ed.History(s.a.base(), databaseID, search, limit)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]QueryRun, 0, len(runs))
	for _, r := range runs {
		out = append(out, QueryRun{ID: r.ID, Statement: r.Statement, Mode: r.Mode, RanAt: rfc3339(r.RanAt),
			DurationMs: float64(r.Duration.Microseconds()) / 1000, Rows: r.Rows, Error: r.Error, SQLState: r.SQLState})
	}
	return out, nil
}

// QueryTab is an editor tab kept in the workspace across restarts (admin mode
// is never kept).
type QueryTab struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	DatabaseID     string `json:"databaseId"`
	SQL            string `json:"sql"`
	Limit          int    `json:"limit"`          // 0: 1,000; negative: all
	TimeoutSeconds int    `json:"timeoutSeconds"` // 0: the mode's default
	Active         bool   `json:"active"`
}

// ListTabs returns the kept editor tabs in their order.
func (s *QueryService) ListTabs() ([]QueryTab, error) {
	tabs, err := s.ed.Tabs(s.a.base())
	if err != nil {
		return nil, fail(err)
	}
	out := make([]QueryTab, 0, len(tabs))
	for _, t := range tabs {
		out = append(out, QueryTab(t))
	}
	return out, nil
}

// SaveTabs replaces the kept editor tabs with tabs, in their order.
func (s *QueryService) SaveTabs(tabs []QueryTab) error {
	in := make([]workspace.QueryTab, 0, len(tabs))
	for _, t := range tabs {
		in = append(in, workspace.QueryTab(t))
	}
	return fail(s.ed.SaveTabs(s.a.base(), in))
}

// Completion returns the names the editor completes for a database (schemas,
// relations with their columns, functions), from its latest snapshot: no
// round trip to the server.
func (s *QueryService) Completion(databaseID string) (query.CompletionCatalog, error) {
	snap, err := s.a.syncer.Latest(s.a.base(), databaseID)
	if err != nil {
		return query.CompletionCatalog{}, fail(err)
	}
	return query.NewCompletion(snap.Schema, snap.Unsupported()), nil
}

// ExportRequest is a full query exported to a file (every row, streamed).
type ExportRequest struct {
	DatabaseID      string `json:"databaseId"`
	Tab             string `json:"tab"`
	SQL             string `json:"sql"`
	Format          string `json:"format"` // csv, json, jsonl, sql, xlsx
	Path            string `json:"path"`
	Admin           bool   `json:"admin"`
	ConfirmDatabase string `json:"confirmDatabase"` // admin mode on a production database
	TimeoutMs       int    `json:"timeoutMs"`       // 0: the mode's default
}

// ExportProgress is the payload of the "query:export" event: sent at most
// about ten times a second while an export runs and once with done.
type ExportProgress struct {
	JobID    string `json:"jobId"`
	Rows     int64  `json:"rows"`
	Bytes    int64  `json:"bytes"`
	Done     bool   `json:"done"`
	Error    string `json:"error"`
	SQLState string `json:"sqlstate"`
	Canceled bool   `json:"canceled"`
	Path     string `json:"path"`
}

// ExportEvent is the event name of export progress.
const ExportEvent = "query:export"

// ExportToFile starts exporting req's query to req.Path in the background and
// returns the job id; progress arrives as "query:export" events.
func (s *QueryService) ExportToFile(req ExportRequest) (string, error) {
	id, err := s.ed.Export(s.a.base(), query.ExportRequest{DatabaseID: req.DatabaseID, Tab: req.Tab, SQL: req.SQL, Format: query.Format(req.Format),
		Path: req.Path, Admin: req.Admin, ConfirmDatabase: req.ConfirmDatabase, Timeout: time.Duration(req.TimeoutMs) * time.Millisecond},
		func(p query.ExportProgress) {
			ev := ExportProgress{JobID: p.JobID, Rows: p.Rows, Bytes: p.Bytes, Done: p.Done, Path: p.Path}
			if p.Err != nil {
				ue := usererr.From(p.Err)
				ev.Error, ev.SQLState, ev.Canceled = ue.Message, ue.SQLState, errors.Is(p.Err, query.ErrExportCanceled)
			}
			s.a.emit(ExportEvent, ev)
		})
	return id, fail(err)
}

// CancelExport stops a running export and removes its partial file; false
// when no such export runs.
func (s *QueryService) CancelExport(jobID string) bool { return s.ed.CancelExport(jobID) }

// ChooseExportPath asks for the file to export to with the save dialog; ""
// when the dialog was cancelled.
func (s *QueryService) ChooseExportPath(defaultName string) (string, error) {
	ctx := s.a.base()
	if !frontendReady(ctx) {
		return "", fail(&usererr.Error{Message: "no window to show a save dialog in"})
	}
	path, err := runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: "Export the query", DefaultFilename: defaultName,
		Filters: exportFilters(defaultName)})
	if err != nil {
		return "", fail(fmt.Errorf("save dialog: %w", err))
	}
	return path, nil
}

// exportFilters offers the default name's format first, then any file.
func exportFilters(name string) []runtime.FileFilter {
	labels := map[string]string{".csv": "CSV", ".json": "JSON", ".jsonl": "JSON lines", ".sql": "SQL INSERTs", ".xlsx": "Excel workbook"}
	var out []runtime.FileFilter
	if ext := strings.ToLower(filepath.Ext(name)); labels[ext] != "" {
		out = append(out, runtime.FileFilter{DisplayName: labels[ext] + " (*" + ext + ")", Pattern: "*" + ext})
	}
	return append(out, runtime.FileFilter{DisplayName: "All files", Pattern: "*"})
}

// CellValue returns the whole text of a cell of the tab's last run (result,
// row and column from 0), for the value viewer: a value the grid cut comes
// back whole while the tab's budget for them lasts.
func (s *QueryService) CellValue(tab string, result, row, col int) (string, error) {
	v, err := s.ed.Value(tab, result, row, col)
	return v, fail(err)
}
