package migrate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// ApplyOptions control Apply and ApplyChange. The zero value is valid.
type ApplyOptions struct {
	// AllowOutOfOrder applies pending versions lower than the highest applied
	// one instead of refusing.
	AllowOutOfOrder bool
	// DryRun runs every pending transactional unit inside one transaction that
	// is rolled back, writes no history and takes no lock. Units that cannot
	// run in a transaction are listed in Result.NotDryRun.
	DryRun bool
	// LockTimeout is lock_timeout for every statement (default 10s).
	LockTimeout time.Duration
	// StatementTimeout is statement_timeout for every statement (default 30m).
	StatementTimeout time.Duration
	// MaxAttempts bounds the attempts of a transactional unit that failed with
	// a lock timeout (55P03), a deadlock (40P01) or a serialization failure
	// (40001) and was fully rolled back (default 4; 1 disables retries).
	MaxAttempts int
	// RetryBackoff is the first retry delay, doubled each attempt up to
	// RetryBackoffMax (defaults 500ms and 15s), with ±25% jitter.
	RetryBackoff, RetryBackoffMax time.Duration
	// Progress, when set, is called synchronously as the run goes on.
	Progress func(Progress)
	// StatementTimes reports each statement of a transactional unit with its
	// own duration (EventStatementRan), measured by the server's clock
	// between statements (PostgreSQL sends a batch's results together, so the
	// client cannot time them). It costs one tiny query per statement.
	StatementTimes bool
}

// Validate rejects contradictions and fills defaults.
func (o *ApplyOptions) Validate() error {
	for name, d := range map[string]time.Duration{"lock timeout": o.LockTimeout, "statement timeout": o.StatementTimeout,
		"retry backoff": o.RetryBackoff, "maximum retry backoff": o.RetryBackoffMax} {
		if d < 0 {
			return fmt.Errorf("%s %s is negative", name, d)
		}
	}
	if o.MaxAttempts < 0 {
		return fmt.Errorf("max attempts %d is negative", o.MaxAttempts)
	}
	if o.LockTimeout == 0 {
		o.LockTimeout = 10 * time.Second
	}
	if o.StatementTimeout == 0 {
		o.StatementTimeout = 30 * time.Minute
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 4
	}
	if o.RetryBackoff == 0 {
		o.RetryBackoff = 500 * time.Millisecond
	}
	if o.RetryBackoffMax == 0 {
		o.RetryBackoffMax = 15 * time.Second
	}
	if o.RetryBackoffMax < o.RetryBackoff {
		return fmt.Errorf("maximum retry backoff %s is below the first backoff %s", o.RetryBackoffMax, o.RetryBackoff)
	}
	return nil
}

// Apply applies every pending migration of migs (as LoadDir returns them) in
// version order, under the migration lock, after upgrading the history table.
// It refuses before applying anything when a file applied earlier has changed
// (ErrChecksumMismatch), when a pending version is lower than the highest
// applied one (ErrOutOfOrder, unless AllowOutOfOrder) or when an earlier
// non-transactional unit stopped partway (ErrNeedsResolve). A failing
// migration stops the run with a *RunError.
//
// Each migration without non-transactional statements runs as
// BEGIN; SET LOCAL lock_timeout, statement_timeout; body; INSERT history (done);
// COMMIT — so it is applied and recorded together, or not at all. A migration
// holding a statement that cannot run in a transaction (or annotated so) runs
// statement by statement: a "started" row is committed first, and the count of
// applied statements after each one. A file that manages its own transactions
// runs the same way, except that each of its BEGIN ... COMMIT blocks runs as
// written and its count is updated inside the block, before its COMMIT, so a
// block is applied and recorded together, or not at all.
//
// Cancelling ctx stops mid-statement: the running statement is cancelled on
// the server (a cancel request), a transactional unit rolls back, and a
// non-transactional unit is recorded as failed at that statement. Between
// statements and units, cancellation is checked before starting the next. The
// lock is released and the history written even after cancellation.
func (r *Runner) Apply(ctx context.Context, migs []Migration, opts ApplyOptions) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.DryRun {
		return r.dryRun(ctx, migs, opts)
	}
	res := &Result{Applied: []Applied{}}
	err := r.locked(ctx, opts.Progress, func(ws *session, lock *sessionLock) error {
		hist, _, err := readHistory(ctx, ws.conn)
		if err != nil {
			return err
		}
		rep := computeStatus(migs, hist, true)
		if err := checkPlan(rep, opts.AllowOutOfOrder); err != nil {
			return err
		}
		return r.applyPlan(ctx, ws, lock, rep, opts, res)
	})
	return res, err
}

func (r *Runner) applyPlan(ctx context.Context, ws *session, lock *sessionLock, rep *StatusReport, opts ApplyOptions, res *Result) error {
	for _, f := range rep.Files {
		if f.State != StatePending && f.State != StateOutOfOrder {
			continue
		}
		m := f.mig
		if err := ctx.Err(); err != nil {
			return &RunError{Applied: res.Applied, Err: fmt.Errorf("stopped before %s: %w", m.Path, err)}
		}
		var (
			a   Applied
			err error
		)
		if m.nonTransactional(ws.serverVersion) {
			if err := lock.stillHeld(ctx); err != nil {
				return &RunError{Applied: res.Applied, Err: fmt.Errorf("stopped before %s: %w", m.Path, err)}
			}
			a, err = r.applyNonTx(ctx, ws, m, f.resume, f.retry, opts)
		} else {
			// A transactional unit checks the lock while it runs and
			// commits only if it is still held.
			a, err = r.applyTx(ctx, ws, lock, m, opts)
		}
		var lost *lockLostError
		if errors.As(err, &lost) {
			return &RunError{Applied: res.Applied, Err: fmt.Errorf("stopped before %s: %w", m.Path, lost.err)}
		}
		if err != nil {
			var re *RunError
			if errors.As(err, &re) {
				re.Applied = res.Applied
			}
			return err
		}
		res.Applied = append(res.Applied, a)
	}
	return nil
}

// nonTransactional reports whether m must run statement by statement on a
// server of this version.
func (m *Migration) nonTransactional(serverVersion int) bool {
	if m.NoTransaction || m.OwnTransactions() > 0 {
		return true
	}
	for _, st := range m.Statements {
		if st.node != nil && sqlparse.IsNonTransactional(st.node, serverVersion) {
			return true
		}
	}
	return false
}

// NonTransactionalReason names the first statement that keeps m out of a
// transaction ("" when m runs in one), for messages and dry runs.
func (m *Migration) NonTransactionalReason(serverVersion int) string {
	if m.NoTransaction {
		return "annotated to run without a transaction"
	}
	if line := m.OwnTransactions(); line > 0 {
		return fmt.Sprintf("the file manages its own transactions from line %d: each BEGIN ... COMMIT block runs as written, as a unit, and each statement outside a block alone", line)
	}
	for _, st := range m.Statements {
		if st.node != nil && sqlparse.IsNonTransactional(st.node, serverVersion) {
			return fmt.Sprintf("%s at line %d cannot run inside a transaction", st.Tag, st.Line)
		}
	}
	return ""
}

// retryable reports whether err is a lock timeout, deadlock or serialization
// failure: the only errors after which a rolled-back unit is tried again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case pgerrcode.LockNotAvailable, pgerrcode.DeadlockDetected, pgerrcode.SerializationFailure:
		return true
	}
	return false
}

func backoff(attempt int, opts ApplyOptions) time.Duration {
	d := opts.RetryBackoff
	for i := 1; i < attempt && d < opts.RetryBackoffMax; i++ {
		d *= 2
	}
	d = min(d, opts.RetryBackoffMax)
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// piece is one message part of a transactional unit: a statement of the
// migration (stmt >= 0) or the runner's own SQL (stmt < 0).
type piece struct {
	sql  string
	stmt int
	st   *Statement
	// clock marks a reading of the server's clock (ApplyOptions.StatementTimes).
	clock bool
}

// txPieces lays out a transactional unit. withBookkeeping adds BEGIN, the
// SET LOCALs and the history INSERT (a dry run has its own transaction).
func txPieces(m *Migration, opts ApplyOptions, insert string) []piece {
	var ps []piece
	if insert != "" {
		ps = append(ps, piece{sql: "BEGIN", stmt: -1})
	}
	ps = append(ps,
		piece{sql: "SET LOCAL lock_timeout = " + durationSetting(opts.LockTimeout), stmt: -1},
		piece{sql: "SET LOCAL statement_timeout = " + durationSetting(opts.StatementTimeout), stmt: -1})
	const clock = "SELECT extract(epoch FROM clock_timestamp())::text"
	if opts.StatementTimes {
		ps = append(ps, piece{sql: clock, stmt: -1, clock: true})
	}
	for i := range m.Statements {
		ps = append(ps, piece{sql: m.Statements[i].SQL, stmt: i, st: &m.Statements[i]})
		if opts.StatementTimes {
			ps = append(ps, piece{sql: clock, stmt: -1, clock: true})
		}
	}
	if insert != "" {
		ps = append(ps, piece{sql: insert, stmt: -1})
	}
	return ps
}

// execPieces sends the pieces with as few round trips as possible: runs of
// ordinary statements go in one simple-query message (results are counted to
// know which statement failed); COPY ... FROM STDIN goes alone with its data.
// It returns the first column of the last row the last piece returned; on
// failure, the failing piece and the file line of the error.
//
// ran, when not nil, is told each migration statement that ran between two
// clock pieces, with the time between the readings.
func execPieces(ctx context.Context, pc *pgconn.PgConn, ps []piece, ran func(p piece, d time.Duration)) (last []byte, failed, line int, err error) {
	var clock float64 // the last clock reading, seconds since the epoch
	read := func(k int, v []byte) {
		t, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return
		}
		if clock > 0 && k > 0 && ps[k-1].st != nil && ran != nil {
			ran(ps[k-1], time.Duration((t-clock)*float64(time.Second)))
		}
		clock = t
	}
	fail := func(k int, msg string, offset int, err error) ([]byte, int, int, error) {
		line := 0
		if k < len(ps) && ps[k].st != nil {
			line = errorLine(ps[k].st, msg, offset, err)
		}
		return nil, k, line, err
	}
	for i := 0; i < len(ps); {
		if st := ps[i].st; st != nil && st.HasCopyData {
			if _, err := pc.CopyFrom(ctx, strings.NewReader(st.CopyData), st.SQL); err != nil {
				return fail(i, st.SQL, 0, err)
			}
			i++
			continue
		}
		j := i
		var b strings.Builder
		var offsets []int
		for j < len(ps) && (ps[j].st == nil || !ps[j].st.HasCopyData) {
			if j > i {
				b.WriteString("\n;\n")
			}
			offsets = append(offsets, b.Len())
			b.WriteString(ps[j].sql)
			j++
		}
		msg := b.String()
		mrr := pc.Exec(ctx, msg)
		done := 0
		for mrr.NextResult() {
			rr := mrr.ResultReader()
			k := i + done
			for rr.NextRow() {
				if v := rr.Values(); len(v) > 0 {
					if ps[k].clock {
						read(k, v[0])
						continue
					}
					last = append(last[:0], v[0]...)
				}
			}
			if _, err := rr.Close(); err != nil {
				mrr.Close()
				return fail(i+done, msg, offsets[min(done, len(offsets)-1)], err)
			}
			done++
		}
		if err := mrr.Close(); err != nil {
			return fail(i+done, msg, offsets[min(done, len(offsets)-1)], err)
		}
		if done != j-i {
			return nil, i + done, 0, fmt.Errorf("expected %d results from the server, got %d", j-i, done)
		}
		i = j
	}
	return last, -1, 0, nil
}

// errorLine is the file line of a statement's error: the line of the error
// position PostgreSQL reported (a character position in the message sent,
// where the statement starts at byte offset) when it falls inside the
// statement, else the statement's first line.
func errorLine(st *Statement, msg string, offset int, err error) int {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Position <= 0 {
		return st.Line
	}
	pos := 0 // byte offset of character Position-1
	for n := int(pe.Position) - 1; n > 0 && pos < len(msg); n-- {
		_, size := utf8.DecodeRuneInString(msg[pos:])
		pos += size
	}
	in := pos - offset
	if in < 0 || in > len(st.SQL) {
		return st.Line
	}
	return st.Line + strings.Count(st.SQL[:in], "\n")
}

// applyTx applies a transactional unit, retrying it after a lock timeout,
// deadlock or serialization failure.
func (r *Runner) applyTx(ctx context.Context, ws *session, lock *sessionLock, m *Migration, opts ApplyOptions) (Applied, error) {
	for attempt := 1; ; attempt++ {
		emit(opts.Progress, Progress{Event: EventUnitStart, Version: m.Version.String(), Path: m.Path, Description: m.Description,
			Statements: len(m.Statements), Attempt: attempt, Message: "(transactional)"})
		start := time.Now()
		a, fail, err := r.runTx(ctx, ws, lock, m, opts)
		var lost *lockLostError
		if errors.As(err, &lost) {
			return Applied{}, err // rolled back; nothing to record
		}
		if err == nil {
			a.Duration = time.Since(start)
			emit(opts.Progress, Progress{Event: EventUnitDone, Version: a.Version, Path: a.Path, Statements: a.Statements, Elapsed: a.Duration})
			return a, nil
		}
		if fail.Transactional && !fail.OutcomeUnknown && retryable(err) && attempt < opts.MaxAttempts && ctx.Err() == nil {
			d := backoff(attempt, opts)
			emit(opts.Progress, Progress{Event: EventRetry, Version: m.Version.String(), Path: m.Path, Attempt: attempt + 1, Delay: d, Message: err.Error()})
			if serr := sleepCtx(ctx, d); serr == nil {
				continue
			}
		}
		r.recordTxFailure(ctx, ws, m, fail, err)
		emit(opts.Progress, Progress{Event: EventUnitFailed, Version: m.Version.String(), Path: m.Path, Line: fail.Line, Message: err.Error()})
		return Applied{}, &RunError{Failed: fail, Err: err}
	}
}

// lockLostError says the migration lock was found lost while a unit ran:
// the unit was rolled back and the run stops before it.
type lockLostError struct{ err error }

func (e *lockLostError) Error() string { return e.err.Error() }
func (e *lockLostError) Unwrap() error { return e.err }

// runTx runs one attempt of a transactional unit. On failure the Failure says
// where; the transaction has been rolled back. The lock session is checked
// while the unit runs (on its own connection, so the check costs no time);
// the unit is committed only after the check passed, otherwise rolled back
// with a *lockLostError.
func (r *Runner) runTx(ctx context.Context, ws *session, lock *sessionLock, m *Migration, opts ApplyOptions) (Applied, *Failure, error) {
	runID := newRunID()
	n := len(m.Statements)
	fail := &Failure{Version: m.Version.String(), Path: m.Path, Transactional: true, Statements: n, RunID: runID}
	insert := r.insertSQL(m, runID, StatusDone, true, n, "now()") + " RETURNING pg_backend_pid()"
	ps := txPieces(m, opts, insert)
	held := make(chan error, 1)
	go func() { held <- lock.stillHeld(ctx) }()
	last, failed, line, err := execPieces(ctx, ws.conn.PgConn(), ps, func(p piece, d time.Duration) {
		emit(opts.Progress, Progress{Event: EventStatementRan, Version: m.Version.String(), Path: m.Path,
			Statement: p.stmt + 1, Statements: n, Line: p.st.Line, Elapsed: d})
	})
	// Always wait: the lock session must be idle when runTx returns.
	if lerr := <-held; lerr != nil && err == nil {
		r.rollback(ctx, ws)
		return Applied{}, fail, &lockLostError{lerr}
	}
	if err != nil {
		r.rollback(ctx, ws)
		if failed >= 0 && failed < len(ps) && ps[failed].st != nil {
			st := ps[failed].st
			fail.Statement, fail.Line, fail.SQL = ps[failed].stmt+1, line, st.SQL
		}
		fail.SQLState = sqlState(err)
		return Applied{}, fail, err
	}
	if pid := string(last); pid != fmt.Sprint(ws.pid) {
		r.rollback(ctx, ws)
		return Applied{}, fail, fmt.Errorf("%w: the work session's backend pid changed from %d to %s between transactions; connect directly or through a session-mode pooler", ErrTransactionPooler, ws.pid, pid)
	}
	a := Applied{Version: m.Version.String(), Path: m.Path, Description: m.Description, Type: m.Type, Statements: n, RunID: runID}
	if err := r.commit(ctx, ws.conn); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			// The server answered: the transaction did not commit.
			r.rollback(ctx, ws)
			fail.SQLState = sqlState(err)
			return Applied{}, fail, fmt.Errorf("commit: %w", err)
		}
		// No answer: the COMMIT may or may not have happened.
		committed, rerr := r.recoverCommit(ctx, ws, runID, opts)
		if rerr != nil {
			fail.OutcomeUnknown = true // never retried
			return Applied{}, fail, fmt.Errorf("connection lost during COMMIT (%v), and the outcome could not be determined: %w", err, rerr)
		}
		if !committed {
			fail.Transactional = true
			return Applied{}, fail, fmt.Errorf("connection lost during COMMIT (%v); the history shows run %s did not commit, so nothing was applied: %w", err, runID, errCommitLost)
		}
		a.Recovered = true
		emit(opts.Progress, Progress{Event: EventReconnect, Version: a.Version, Path: a.Path, Message: "connection lost during COMMIT; run " + runID + " is in the history, so it committed"})
	}
	return a, nil, nil
}

// errCommitLost marks a unit whose COMMIT got no answer and did not happen.
var errCommitLost = errors.New("COMMIT not acknowledged")

// recoverCommit reconnects after a COMMIT that got no answer, waits until the
// old backend is gone (so its transaction is final), then looks the run id up
// in the history. ws gets the new connection.
func (r *Runner) recoverCommit(ctx context.Context, ws *session, runID string, opts ApplyOptions) (bool, error) {
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	oldPID := ws.pid
	_ = ws.conn.Close(bg)
	var ns *session
	var err error
	for i := 0; i < 10; i++ {
		if ns, err = r.connect(bg, "tidemark migrate"); err == nil {
			break
		}
		if sleepCtx(bg, time.Duration(i+1)*500*time.Millisecond) != nil {
			break
		}
	}
	if err != nil {
		return false, fmt.Errorf("reconnect: %w", err)
	}
	*ws = *ns
	for i := 0; ; i++ {
		var alive bool
		if err := ws.conn.QueryRow(bg, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = $1)`, oldPID).Scan(&alive); err != nil {
			return false, fmt.Errorf("wait for the old session to end: %w", err)
		}
		if !alive {
			break
		}
		if i == 20 { // 5s: end it ourselves; its transaction ends with it
			_, _ = ws.conn.Exec(bg, `SELECT pg_terminate_backend($1)`, oldPID)
		}
		if i > 120 {
			return false, fmt.Errorf("the old session (pid %d) is still running", oldPID)
		}
		if err := sleepCtx(bg, 250*time.Millisecond); err != nil {
			return false, err
		}
	}
	row, err := historyByRunID(bg, ws.conn, runID)
	if err != nil {
		return false, err
	}
	return row != nil && row.Status == StatusDone, nil
}

func (r *Runner) rollback(ctx context.Context, ws *session) {
	if ws.conn.IsClosed() {
		return
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, _ = ws.conn.Exec(bg, "ROLLBACK")
}

// ensureConn reconnects the work session when its connection was lost, so
// the outcome can still be recorded.
func (r *Runner) ensureConn(ctx context.Context, ws *session) error {
	if !ws.conn.IsClosed() {
		return nil
	}
	ns, err := r.connect(ctx, "tidemark migrate")
	if err != nil {
		return err
	}
	*ws = *ns
	return nil
}

// recordTxFailure writes a "failed" row for a transactional unit that was
// rolled back, so the history shows the attempt. Best effort: the run's
// error is what matters.
func (r *Runner) recordTxFailure(ctx context.Context, ws *session, m *Migration, fail *Failure, cause error) {
	if errors.Is(cause, ErrTransactionPooler) || fail.OutcomeUnknown {
		return
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if r.ensureConn(bg, ws) != nil {
		return
	}
	runID := fail.RunID
	if errors.Is(cause, errCommitLost) {
		runID = newRunID() // the lost run id must stay absent from the history
	}
	_, _ = ws.conn.Exec(bg, r.insertSQL(m, runID, StatusFailed, true, 0, "clock_timestamp()"))
	_, _ = ws.conn.Exec(bg, `UPDATE `+historyTable+` SET error = $2, error_sqlstate = nullif($3, ''), failed_statement = nullif($4, ''),
		failed_line = nullif($5, 0), finished_at = clock_timestamp(), duration_ms = 0 WHERE run_id = $1`,
		runID, cause.Error(), fail.SQLState, fail.SQL, fail.Line)
}

const maxStoredStatement = 1 << 20

// insertSQL builds the history INSERT with literal values, so it can travel in
// the same message as the unit's statements.
func (r *Runner) insertSQL(m *Migration, runID, status string, transactional bool, applied int, startedAt string) string {
	stmt := m.SQL
	if len(stmt) > maxStoredStatement {
		stmt = stmt[:maxStoredStatement] + "\n-- [truncated by tidemark: statement longer than 1 MiB]"
	}
	finished, duration := "NULL", "NULL"
	if status != StatusStarted {
		finished = "clock_timestamp()"
		duration = "(extract(epoch FROM clock_timestamp() - " + startedAt + ") * 1000)::bigint"
	}
	issue := "NULL"
	if m.Issue > 0 {
		issue = fmt.Sprint(m.Issue)
	}
	next := "NULL"
	if status == StatusStarted && applied < len(m.Statements) {
		next = fmt.Sprint(m.Statements[applied].Line)
	}
	return fmt.Sprintf(`INSERT INTO %s (version, description, type, source, file_path, checksum, statement, status, transactional,
	statements_applied, statements_total, next_statement_line, applied_by, host, tool_version, run_id, started_at, finished_at, duration_ms, issue)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %t, %d, %d, %s, coalesce(nullif(%s, ''), current_user), %s, %s, %s, %s, %s, %s, %s)`,
		historyTable, quoteLiteral(m.Version.String()), quoteLiteral(m.Description), quoteLiteral(string(m.Type)), quoteLiteral(string(m.Source)),
		quoteLiteral(m.Path), quoteLiteral(m.Checksum), quoteLiteral(stmt), quoteLiteral(status), transactional,
		applied, len(m.Statements), next, quoteLiteral(r.opts.AppliedBy), quoteLiteral(r.opts.Host), quoteLiteral(r.toolVersion()),
		quoteLiteral(runID), startedAt, finished, duration, issue)
}

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
