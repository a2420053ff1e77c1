package query

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// ExportRequest is a full query exported to a file from an editor tab: every
// row (no row limit), streamed to the file as it arrives.
type ExportRequest struct {
	DatabaseID string
	Tab        string // the tab it was started from (for the record only)
	SQL        string
	Format     Format // CSV, JSONArray, JSONLines, SQL or XLSX
	Path       string
	Admin      bool
	// ConfirmDatabase must name the database for admin mode on a
	// production database.
	ConfirmDatabase string
	Timeout         time.Duration // 0 = the mode's default
}

// ExportProgress reports a running export: rows and bytes written so far;
// Done once at the end, with Err when it failed or was cancelled (then no
// file is left at Path).
type ExportProgress struct {
	JobID string
	Rows  int64
	Bytes int64
	Done  bool
	Err   error
	Path  string
}

// ProgressInterval is the least time between two progress reports of an
// export (the last one, Done, is always sent).
const ProgressInterval = 100 * time.Millisecond

// ErrExportCanceled is the error of an export stopped by CancelExport.
var ErrExportCanceled = errors.New("the export was cancelled")

type exportJob struct {
	cancel context.CancelCauseFunc
	done   chan struct{}
}

// Export starts exporting req's query to req.Path in the background, on a
// session of its own (the tab's session stays free), and returns the job's
// id. The query runs through the same fences as the tab's (read-only unless
// Admin). The file is written to a temporary name beside the target and
// renamed when every row is in, so a failed or cancelled export leaves no
// file. progress is called at most every ProgressInterval while it runs and
// once with Done; the run is recorded in the query history.
func (e *Editor) Export(ctx context.Context, req ExportRequest, progress func(ExportProgress)) (string, error) {
	switch req.Format {
	case CSV, JSONArray, JSONLines, SQL, XLSX:
	default:
		return "", usererr.Invalid("format", "export format %q: use csv, json, jsonl, sql or xlsx", req.Format)
	}
	if strings.TrimSpace(req.Path) == "" {
		return "", usererr.Invalid("path", "choose the file to export to")
	}
	if strings.TrimSpace(req.SQL) == "" {
		return "", usererr.Invalid("sql", "nothing to export: the statement is empty")
	}
	d, err := e.database(ctx, req.DatabaseID, req.Admin, req.ConfirmDatabase)
	if err != nil {
		return "", err
	}
	out, err := CreateOutput(req.Path)
	if err != nil {
		return "", usererr.Wrap("", err)
	}
	id := uuid.NewString()
	jctx, cancel := context.WithCancelCause(ctx)
	job := &exportJob{cancel: cancel, done: make(chan struct{})}
	e.mu.Lock()
	if e.jobs == nil {
		e.jobs = map[string]*exportJob{}
	}
	e.jobs[id] = job
	e.mu.Unlock()
	go func() {
		defer close(job.done)
		defer func() {
			e.mu.Lock()
			delete(e.jobs, id)
			e.mu.Unlock()
			cancel(nil)
		}()
		e.export(jctx, id, d.DB.ID, req, out, func() (*Session, error) {
			return e.open(jctx, d, Options{Admin: req.Admin, Timeout: req.Timeout})
		}, progress)
	}()
	return id, nil
}

// CancelExport stops a running export (a server-side cancel of its query)
// and waits until its partial file is removed; false when no such export
// runs.
func (e *Editor) CancelExport(jobID string) bool {
	e.mu.Lock()
	job := e.jobs[jobID]
	e.mu.Unlock()
	if job == nil {
		return false
	}
	job.cancel(ErrExportCanceled)
	<-job.done
	return true
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// exportSink writes the query's result, counting rows and reporting
// progress. A script's results after the first one with columns are refused
// (one file holds one result), except in XLSX where each gets a sheet.
type exportSink struct {
	w      Writer
	rows   *atomic.Int64
	report func(final bool)
	seen   *int
}

func (s *exportSink) Columns(cols []Column) error {
	*s.seen++
	if *s.seen > 1 && s.w == nil {
		return usererr.Invalid("sql", "the SQL returns more than one result: export one query at a time")
	}
	return s.w.Columns(cols)
}

func (s *exportSink) Row(vals [][]byte) error {
	if err := s.w.Row(vals); err != nil {
		return err
	}
	s.rows.Add(1)
	s.report(false)
	return nil
}

func (e *Editor) export(ctx context.Context, id, databaseID string, req ExportRequest, out *OutputFile, open func() (*Session, error), progress func(ExportProgress)) {
	defer out.Abort()
	if progress == nil {
		progress = func(ExportProgress) {}
	}
	cw := &countingWriter{w: out}
	var rows atomic.Int64
	var mu sync.Mutex
	last := time.Time{}
	report := func(final bool) {
		mu.Lock()
		defer mu.Unlock()
		if now := time.Now(); final || now.Sub(last) >= ProgressInterval {
			last = now
			if !final {
				progress(ExportProgress{JobID: id, Rows: rows.Load(), Bytes: cw.n.Load(), Path: req.Path})
			}
		}
	}
	start := time.Now()
	mode := ReadOnly
	if req.Admin {
		mode = Admin
	}
	finish := func(err error) {
		// The partial file is gone before Done is reported.
		if err == nil {
			err = out.Commit()
		} else {
			out.Abort()
		}
		if err != nil && ctx.Err() != nil {
			if cause := context.Cause(ctx); errors.Is(cause, ErrExportCanceled) {
				err = ErrExportCanceled
			}
		}
		run := workspace.QueryRun{DatabaseID: databaseID, Statement: req.SQL, Mode: string(mode), RanAt: start, Duration: time.Since(start), Rows: rows.Load()}
		if err != nil {
			run.Error, run.SQLState = err.Error(), usererr.From(err).SQLState
		}
		_, _ = e.ws.RecordQuery(context.WithoutCancel(ctx), run)
		p := ExportProgress{JobID: id, Rows: rows.Load(), Bytes: cw.n.Load(), Done: true, Err: err, Path: req.Path}
		if err == nil {
			if st, serr := filepathStat(req.Path); serr == nil {
				p.Bytes = st
			}
		}
		progress(p)
	}
	s, err := open()
	if err != nil {
		finish(err)
		return
	}
	defer s.Close(context.WithoutCancel(ctx))
	var book *XLSXBook
	var single Writer
	if req.Format == XLSX {
		book = NewXLSXBook(cw)
		defer book.Abort()
	} else if single, err = NewWriter(cw, req.Format, exportTable(req.Path)); err != nil {
		finish(err)
		return
	}
	seen := 0
	_, err = s.Run(ctx, req.SQL, RunOptions{Sink: func(int, sqlparse.Statement) Sink {
		sk := &exportSink{rows: &rows, report: report, seen: &seen}
		switch {
		case book != nil:
			sk.w = book.Sheet("")
		case seen == 0:
			sk.w = single
		}
		return sk
	}})
	if err == nil && seen == 0 {
		err = usererr.Invalid("sql", "nothing to export: the SQL returns no rows-producing result (%s)", firstTag(req.SQL))
	}
	if err == nil {
		if book != nil {
			err = book.Close()
		} else {
			err = single.Close()
		}
	}
	finish(err)
}

// exportTable names the table of SQL INSERTs after the file ("orders.sql" →
// orders).
func exportTable(path string) string {
	base := filepath.Base(path)
	if n := strings.TrimSuffix(base, filepath.Ext(base)); n != "" && n != "." {
		return n
	}
	return "result"
}

func firstTag(script string) string {
	if sts, err := sqlparse.Split(script); err == nil && len(sts) > 0 {
		return sts[0].Tag
	}
	return "no statement"
}

func filepathStat(path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
