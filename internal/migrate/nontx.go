package migrate

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// applyNonTx runs a unit statement by statement outside a transaction block:
// the "started" row is committed first, each statement runs alone (a
// non-transactional statement must not share a message, which would make it
// an implicit transaction) under session-level timeouts, and the count of
// applied statements is committed after each. retry continues a unit
// resolved for retry at statement resume+1, after dropping an INVALID index a
// failed concurrent build of that statement left behind.
func (r *Runner) applyNonTx(ctx context.Context, ws *session, m *Migration, resume int, retry bool, opts ApplyOptions) (Applied, error) {
	n := len(m.Statements)
	runID := newRunID()
	start := time.Now()
	fail := &Failure{Version: m.Version.String(), Path: m.Path, Statements: n, StatementsApplied: resume, RunID: runID}
	msg := "(statement by statement: " + m.NonTransactionalReason(ws.serverVersion) + ")"
	if retry {
		msg = fmt.Sprintf("(resuming at statement %d of %d)", resume+1, n)
	}
	emit(opts.Progress, Progress{Event: EventUnitStart, Version: m.Version.String(), Path: m.Path, Description: m.Description,
		Statements: n, Attempt: 1, Message: msg})
	failNow := func(i int, err error) (Applied, error) {
		if i < n {
			st := &m.Statements[i]
			fail.Statement, fail.Line, fail.SQL = i+1, errorLine(st, st.SQL, 0, err), st.SQL
		}
		fail.SQLState = sqlState(err)
		r.recordNonTxFailure(ctx, ws, runID, fail, err)
		emit(opts.Progress, Progress{Event: EventUnitFailed, Version: fail.Version, Path: m.Path, Line: fail.Line, Message: err.Error()})
		return Applied{}, &RunError{Failed: fail, Err: err}
	}
	if _, err := ws.conn.Exec(ctx, "SET lock_timeout = "+durationSetting(opts.LockTimeout)+"; SET statement_timeout = "+durationSetting(opts.StatementTimeout)); err != nil {
		return Applied{}, &RunError{Failed: fail, Err: fmt.Errorf("set session timeouts: %w", err)}
	}
	defer func() {
		if !ws.conn.IsClosed() {
			bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			_, _ = ws.conn.Exec(bg, "RESET lock_timeout; RESET statement_timeout")
		}
	}()
	if retry {
		if err := r.dropInvalidIndex(ctx, ws, m, &m.Statements[resume], opts); err != nil {
			return Applied{}, &RunError{Failed: fail, Err: err}
		}
	}
	var pid string
	if err := ws.conn.QueryRow(ctx, r.insertSQL(m, runID, StatusStarted, false, resume, "clock_timestamp()")+" RETURNING pg_backend_pid()::text").Scan(&pid); err != nil {
		return Applied{}, &RunError{Failed: fail, Err: fmt.Errorf("record the start: %w", err)}
	}
	if pid != fmt.Sprint(ws.pid) {
		return failNow(resume, fmt.Errorf("%w: the work session's backend pid changed from %d to %s; connect directly or through a session-mode pooler", ErrTransactionPooler, ws.pid, pid))
	}
	progress := func(done int) error {
		bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		var next any
		if done < n {
			next = m.Statements[done].Line
		}
		_, err := ws.conn.Exec(bg, `UPDATE `+historyTable+` SET statements_applied = $2, next_statement_line = $3 WHERE run_id = $1`, runID, done, next)
		return err
	}
	for i := resume; i < n; i++ {
		st := &m.Statements[i]
		if err := ctx.Err(); err != nil {
			return failNow(i, fmt.Errorf("cancelled before statement %d: %w", i+1, err))
		}
		if end := blockEnd(m.Statements, i); end > i {
			// The file's own BEGIN ... COMMIT: its statements as written, the
			// progress inside the block, then its COMMIT.
			for k := i; k < end; k++ {
				if err := execStatement(ctx, ws, &m.Statements[k]); err != nil {
					rollbackBlock(ctx, ws)
					return failNow(k, err)
				}
			}
			if err := progress(end + 1); err != nil {
				rollbackBlock(ctx, ws)
				return failNow(i, fmt.Errorf("record progress in the block opened at line %d: %w", st.Line, err))
			}
			if err := execStatement(ctx, ws, &m.Statements[end]); err != nil {
				rollbackBlock(ctx, ws)
				return failNow(end, err)
			}
			fail.StatementsApplied = end + 1
			for k := i; k <= end; k++ {
				emit(opts.Progress, Progress{Event: EventStatement, Version: fail.Version, Path: m.Path, Statement: k + 1, Statements: n, Line: m.Statements[k].Line, Elapsed: time.Since(start)})
			}
			i = end
			continue
		}
		if err := execStatement(ctx, ws, st); err != nil {
			return failNow(i, err)
		}
		fail.StatementsApplied = i + 1
		if err := progress(i + 1); err != nil {
			return failNow(i+1, fmt.Errorf("record progress after statement %d: %w", i+1, err))
		}
		emit(opts.Progress, Progress{Event: EventStatement, Version: fail.Version, Path: m.Path, Statement: i + 1, Statements: n, Line: st.Line, Elapsed: time.Since(start)})
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := ws.conn.Exec(bg, `UPDATE `+historyTable+` SET status = 'done', finished_at = clock_timestamp(),
		duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::bigint WHERE run_id = $1`, runID); err != nil {
		return failNow(n, fmt.Errorf("record completion: %w", err))
	}
	a := Applied{Version: m.Version.String(), Path: m.Path, Description: m.Description, Type: m.Type, Statements: n, RunID: runID, Duration: time.Since(start)}
	emit(opts.Progress, Progress{Event: EventUnitDone, Version: a.Version, Path: a.Path, Statements: n, Elapsed: a.Duration})
	return a, nil
}

// execStatement runs one statement alone (a COPY with its inline data).
func execStatement(ctx context.Context, ws *session, st *Statement) error {
	if st.HasCopyData {
		_, err := ws.conn.PgConn().CopyFrom(ctx, strings.NewReader(st.CopyData), st.SQL)
		return err
	}
	_, err := ws.conn.PgConn().Exec(ctx, st.SQL).ReadAll()
	return err
}

// blockEnd returns the index of the COMMIT that ends the file's own block
// opened by stmts[i] (a BEGIN or START TRANSACTION), or -1 when stmts[i]
// opens none. The loader checked that every block is closed.
func blockEnd(stmts []Statement, i int) int {
	ts := stmts[i].node.GetTransactionStmt()
	if ts == nil || ts.Kind != pg_query.TransactionStmtKind_TRANS_STMT_BEGIN && ts.Kind != pg_query.TransactionStmtKind_TRANS_STMT_START {
		return -1
	}
	for k := i + 1; k < len(stmts); k++ {
		if ts := stmts[k].node.GetTransactionStmt(); ts != nil && ts.Kind == pg_query.TransactionStmtKind_TRANS_STMT_COMMIT {
			return k
		}
	}
	return -1
}

// rollbackBlock ends a failed block of the file's own, so the failure can be
// recorded on the same session (a dead connection is left to failNow).
func rollbackBlock(ctx context.Context, ws *session) {
	if ws.conn.IsClosed() {
		return
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, _ = ws.conn.Exec(bg, "ROLLBACK")
}

// recordNonTxFailure marks the unit's row failed with the error and the
// failing statement; statements_applied already says how far it got. When
// the connection was lost, it reconnects to write it. If even that fails the
// row keeps status "started", which also blocks further runs.
func (r *Runner) recordNonTxFailure(ctx context.Context, ws *session, runID string, fail *Failure, cause error) {
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if r.ensureConn(bg, ws) != nil {
		return
	}
	_, _ = ws.conn.Exec(bg, `UPDATE `+historyTable+` SET status = 'failed', error = $2, error_sqlstate = nullif($3, ''),
		failed_statement = nullif($4, ''), failed_line = nullif($5, 0), finished_at = clock_timestamp(),
		duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::bigint
		WHERE run_id = $1 AND status = 'started'`, runID, cause.Error(), fail.SQLState, fail.SQL, fail.Line)
}

// dropInvalidIndex drops, concurrently, the INVALID indexes a failed
// concurrent build of st left behind, so the retry builds afresh (with
// IF NOT EXISTS an invalid index would otherwise be kept silently): for
// CREATE INDEX CONCURRENTLY the index it names; for REINDEX ... CONCURRENTLY
// of an index or a table, the invalid "<index>_ccnew"/"_ccold" copies on that
// table. Nothing else is touched.
func (r *Runner) dropInvalidIndex(ctx context.Context, ws *session, m *Migration, st *Statement, opts ApplyOptions) error {
	if st.node == nil {
		return nil
	}
	relName := func(rv *pg_query.RangeVar) string {
		name := quoteIdent(rv.Relname)
		if rv.Schemaname != "" {
			name = quoteIdent(rv.Schemaname) + "." + name
		}
		return name
	}
	var (
		query string
		args  []any
	)
	const base = `SELECT n.nspname, c.relname FROM pg_catalog.pg_index i
		JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE NOT i.indisvalid AND `
	if is := st.node.GetIndexStmt(); is != nil && is.Concurrent && is.Idxname != "" && is.Relation != nil {
		query, args = base+`i.indrelid = to_regclass($1) AND c.relname = $2`, []any{relName(is.Relation), is.Idxname}
	} else if rs := st.node.GetReindexStmt(); rs != nil && rs.Relation != nil && sqlparse.IsNonTransactional(st.node, ws.serverVersion) {
		switch rs.Kind {
		case pg_query.ReindexObjectType_REINDEX_OBJECT_INDEX:
			query = base + `i.indrelid = (SELECT indrelid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass($1)) AND c.relname ~ $2`
			args = []any{relName(rs.Relation), "^" + regexp.QuoteMeta(rs.Relation.Relname) + "_cc(new|old)[0-9]*$"}
		case pg_query.ReindexObjectType_REINDEX_OBJECT_TABLE:
			query, args = base+`i.indrelid = to_regclass($1) AND c.relname ~ '_cc(new|old)[0-9]*$'`, []any{relName(rs.Relation)}
		}
	}
	if query == "" {
		return nil
	}
	rows, err := ws.conn.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("look for INVALID indexes left by the failed build: %w", err)
	}
	var names []string
	for rows.Next() {
		var schema, name string
		if err := rows.Scan(&schema, &name); err != nil {
			rows.Close()
			return fmt.Errorf("look for INVALID indexes left by the failed build: %w", err)
		}
		names = append(names, quoteIdent(schema)+"."+quoteIdent(name))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("look for INVALID indexes left by the failed build: %w", err)
	}
	for _, name := range names {
		if _, err := ws.conn.PgConn().Exec(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+name).ReadAll(); err != nil {
			return fmt.Errorf("drop the INVALID index %s left by the failed build: %w", name, err)
		}
		emit(opts.Progress, Progress{Event: EventIndexDrop, Version: m.Version.String(), Path: m.Path, Line: st.Line,
			Message: "dropped INVALID index " + name + " left by the failed concurrent build, before retrying"})
	}
	return nil
}
