package query

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// Mode is how a session runs statements.
type Mode string

// The modes.
const (
	ReadOnly Mode = "read-only"
	Admin    Mode = "admin"
)

// DefaultReadOnlyTimeout is the statement timeout of a read-only session
// when Options leave it zero.
const DefaultReadOnlyTimeout = 30 * time.Second

// DefaultLimit is the row limit of the editor's grid.
const DefaultLimit = 1000

// fetchBatch is how many rows one FETCH asks for.
const fetchBatch = 10000

// Options configure a session.
type Options struct {
	// Admin runs statements as typed, in autocommit (explicit BEGIN/COMMIT
	// honoured). It must be asked for; the zero Options are read-only.
	Admin bool
	// Timeout is the statement timeout: 0 means DefaultReadOnlyTimeout in
	// read-only mode and none in admin mode; negative means none.
	Timeout time.Duration

	// off switches single fences off; only the fence tests do, to prove
	// each fence alone stops what it is meant to stop.
	off fenceSet
}

type fenceSet struct{ allowList, server, persist bool }

// Column describes one result column.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"` // format_type spelling, e.g. "character varying(20)"
	OID  uint32 `json:"oid"`
}

// Sink receives one statement's result as it streams. Values are in
// PostgreSQL's text format, nil for NULL, valid only during the call.
type Sink interface {
	Columns(cols []Column) error
	Row(values [][]byte) error
}

// Result is the outcome of one statement.
type Result struct {
	Index        int           `json:"index"` // statement number in the script, from 0
	Start        int           `json:"start"` // byte span in the script
	End          int           `json:"end"`
	Tag          string        `json:"tag"` // the command tag, e.g. "SELECT 3", "ALTER TABLE"
	Columns      []Column      `json:"columns,omitempty"`
	Rows         int64         `json:"rows"` // rows delivered to the sink
	LimitReached bool          `json:"limitReached"`
	Elapsed      time.Duration `json:"elapsed"`
}

// StatementError is a statement PostgreSQL (or a fence) refused: the error
// for people (message, SQLSTATE, detail, hint) and where in the script.
type StatementError struct {
	Err    *usererr.Error
	Index  int // statement number in the script
	Offset int // byte offset in the script the error points at
	Line   int // 1-based
	Column int // 1-based, in characters
	Fence  Fence
}

func (e *StatementError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Err.Error())
}

// Unwrap returns the error for people.
func (e *StatementError) Unwrap() error { return e.Err }

// RunOptions are per run.
type RunOptions struct {
	// Limit is the most rows each statement delivers; 0 means all (streamed).
	Limit int
	// Sink returns the sink for statement i (nil: rows are read and dropped).
	Sink func(i int, st sqlparse.Statement) Sink
}

// Session is one connection to one database in one mode. It is not safe
// for concurrent use: one statement runs at a time (cancel through ctx).
type Session struct {
	cfg  *pgx.ConnConfig
	ci   pg.ConnInfo
	opts Options
	conn *pgx.Conn
}

// Open connects with cfg (from internal/pg) in the mode opts names.
// Statement is one statement of a script Run runs (the Sink's argument).
type Statement = sqlparse.Statement

// OpenURL opens a session on the database at u (a URL or key=value string,
// the password from PGPASSWORD or ~/.pgpass), as Open does. A URL that does
// not parse is a *usererr.Error with Field "url".
func OpenURL(ctx context.Context, u string, opts Options) (*Session, error) {
	cfg, _, err := pg.ParseConnString(u)
	if err != nil {
		return nil, &usererr.Error{Message: "invalid --url: " + err.Error(), Field: "url", Err: err} // pgconn redacts the password
	}
	return Open(ctx, cfg, opts)
}

func Open(ctx context.Context, cfg *pgx.ConnConfig, opts Options) (*Session, error) {
	c := cfg.Copy()
	if c.RuntimeParams == nil {
		c.RuntimeParams = map[string]string{}
	}
	if !opts.Admin && !opts.off.server {
		c.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if t := opts.timeout(); t > 0 {
		c.RuntimeParams["statement_timeout"] = strconv.FormatInt(t.Milliseconds(), 10)
	}
	// A cancelled context cancels the running statement on the server and
	// keeps the connection (instead of closing it).
	c.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 5 * time.Second}
	}
	s := &Session{cfg: c, ci: pg.ConnInfo{Host: c.Host, Port: int(c.Port), User: c.User, Password: c.Password, Database: c.Database}, opts: opts}
	if err := s.connect(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (o Options) timeout() time.Duration {
	switch {
	case o.Timeout < 0:
		return 0
	case o.Timeout == 0 && !o.Admin:
		return DefaultReadOnlyTimeout
	}
	return o.Timeout
}

func (s *Session) connect(ctx context.Context) error {
	conn, err := pg.Connect(ctx, s.cfg)
	if err != nil {
		return err
	}
	s.conn = conn
	return nil
}

// Mode is the session's mode.
func (s *Session) Mode() Mode {
	if s.opts.Admin {
		return Admin
	}
	return ReadOnly
}

// InTransaction reports whether an admin session has a transaction open
// (after an explicit BEGIN).
func (s *Session) InTransaction() bool {
	return s.conn != nil && !s.conn.IsClosed() && s.conn.PgConn().TxStatus() != 'I'
}

// PID is the server process id of the session (for tests and status).
func (s *Session) PID() uint32 {
	if s.conn == nil || s.conn.IsClosed() {
		return 0
	}
	return s.conn.PgConn().PID()
}

// Close ends the session; an open admin transaction is rolled back (the
// server does that when the connection ends).
func (s *Session) Close(ctx context.Context) error {
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close(ctx)
	s.conn = nil
	return err
}

// Run splits script (internal/sqlparse) and runs its statements in order,
// stopping at the first error. A syntax error is reported with its position
// without a round trip; in read-only mode every statement is checked by the
// allow-list before the first one is sent. A lost connection is reported
// and the next Run reconnects.
func (s *Session) Run(ctx context.Context, script string, ro RunOptions) ([]Result, error) {
	stmts, err := sqlparse.Split(script)
	if err != nil {
		var se *sqlparse.SyntaxError
		if errors.As(err, &se) {
			return nil, &StatementError{Err: &usererr.Error{Message: se.Message, SQLState: "42601", Field: "statement", Err: err},
				Offset: se.Offset, Line: se.Line, Column: se.Column}
		}
		return nil, usererr.Wrap("split the script: ", err)
	}
	if !s.opts.Admin && !s.opts.off.allowList {
		for i, st := range stmts {
			if r := Check(st); r != nil {
				line, col := sqlparse.Position(script, r.Offset)
				return nil, &StatementError{Err: r.UserError(), Index: i, Offset: r.Offset, Line: line, Column: col, Fence: FenceAllowList}
			}
		}
	}
	if s.conn == nil || s.conn.IsClosed() {
		if err := s.connect(ctx); err != nil {
			return nil, err
		}
	}
	var out []Result
	for i, st := range stmts {
		if st.Kind == sqlparse.MetaCommand {
			line, col := sqlparse.Position(script, st.Start)
			return out, &StatementError{Err: usererr.Invalid("statement", "%s is a psql meta-command; the SQL editor runs SQL only", st.Tag), Index: i, Offset: st.Start, Line: line, Column: col}
		}
		var sink Sink
		if ro.Sink != nil {
			sink = ro.Sink(i, st)
		}
		res, err := s.runOne(ctx, st, ro.Limit, sink)
		res.Index, res.Start, res.End = i, st.Start, st.End
		if err != nil {
			return out, s.statementError(script, i, st, err)
		}
		out = append(out, res)
	}
	return out, nil
}

// statementError places err (from the server or the engine) in the script.
func (s *Session) statementError(script string, i int, st sqlparse.Statement, err error) error {
	var se *StatementError
	if errors.As(err, &se) {
		return se
	}
	ue := pg.Convert(err, s.ci)
	if errors.Is(err, context.Canceled) || strings.Contains(ue.Message, "canceling statement due to user request") {
		ue.Message = "the query was cancelled: " + ue.Message
	}
	off := st.Start
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Position > 0 {
		off = st.Start + charsToBytes(st.Text, int(pe.Position)-1-cursorPrefixChars(err))
	}
	fence := Fence("")
	if pe != nil && pe.Code == "25006" { // read_only_sql_transaction
		fence = FenceServer
		ue.Message = "refused by the read-only server fence: " + ue.Message
		ue.Hint = adminHint
	}
	line, col := sqlparse.Position(script, off)
	return &StatementError{Err: ue, Index: i, Offset: off, Line: line, Column: col, Fence: fence}
}

// cursorError marks an error from a statement the engine wrapped in
// DECLARE ... CURSOR FOR, whose positions are shifted by the prefix.
type cursorError struct{ err error }

func (e *cursorError) Error() string { return e.err.Error() }
func (e *cursorError) Unwrap() error { return e.err }

func cursorPrefixChars(err error) int {
	var ce *cursorError
	if errors.As(err, &ce) {
		return len(cursorPrefix)
	}
	return 0
}

const cursorPrefix = "DECLARE tidemark_query NO SCROLL CURSOR FOR "

// charsToBytes is the byte offset of character n of s (clamped).
func charsToBytes(s string, n int) int {
	if n <= 0 {
		return 0
	}
	off := 0
	for i := 0; i < n && off < len(s); i++ {
		_, w := utf8.DecodeRuneInString(s[off:])
		off += w
	}
	return off
}

// runOne runs one statement in the session's mode.
func (s *Session) runOne(ctx context.Context, st sqlparse.Statement, limit int, sink Sink) (Result, error) {
	start := time.Now()
	if s.opts.Admin {
		res, err := s.exec(ctx, st.Text, limit, sink)
		res.Elapsed = time.Since(start)
		return res, err
	}
	res, err := s.readOnly(ctx, st, limit, sink)
	res.Elapsed = time.Since(start)
	return res, err
}

// readOnly runs st inside BEGIN READ ONLY ... ROLLBACK, then DISCARD ALL.
func (s *Session) readOnly(ctx context.Context, st sqlparse.Statement, limit int, sink Sink) (res Result, err error) {
	begin := "BEGIN READ ONLY"
	if s.opts.off.server {
		begin = "BEGIN"
	}
	if err := s.simple(ctx, begin); err != nil {
		return res, err
	}
	defer func() {
		// Whatever happened (cancel included), end the transaction and
		// reset the session before the next statement.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		end := "ROLLBACK"
		if s.opts.off.persist {
			end = "COMMIT"
		}
		if e := s.simple(cctx, end); e != nil && err == nil {
			err = e
		}
		if !s.opts.off.persist {
			if e := s.simple(cctx, "DISCARD ALL"); e != nil && err == nil {
				err = e
			}
		}
	}()
	if sel, ok := st.Node.GetNode().(*pg_query.Node_SelectStmt); ok && sel.SelectStmt.IntoClause == nil {
		return s.cursor(ctx, st.Text, limit, sink)
	}
	return s.exec(ctx, st.Text, limit, sink)
}

// simple runs one engine-owned command.
func (s *Session) simple(ctx context.Context, sql string) error {
	_, err := s.conn.PgConn().Exec(ctx, sql).ReadAll()
	return err
}

// cursor streams a query through a cursor in batches, so a limit stops the
// server from producing more rows and memory stays flat without one.
func (s *Session) cursor(ctx context.Context, text string, limit int, sink Sink) (Result, error) {
	var res Result
	// Describe first (the unnamed statement, replaced by the next one), so
	// the columns are named and typed before the rows stream.
	sd, err := s.conn.PgConn().Prepare(ctx, "", text, nil)
	if err != nil {
		return res, err
	}
	cols, err := s.columns(ctx, sd.Fields)
	if err != nil {
		return res, err
	}
	res.Columns = cols
	if sink != nil {
		if err := sink.Columns(cols); err != nil {
			return res, err
		}
	}
	if _, err := s.conn.PgConn().ExecParams(ctx, cursorPrefix+text, nil, nil, nil, nil).Close(); err != nil {
		return res, &cursorError{err}
	}
	for {
		n := fetchBatch
		if limit > 0 {
			n = min(n, limit-int(res.Rows)+1)
		}
		rr := s.conn.PgConn().ExecParams(ctx, "FETCH FORWARD "+strconv.Itoa(n)+" FROM tidemark_query", nil, nil, nil, nil)
		got := 0
		for rr.NextRow() {
			got++
			if limit > 0 && int(res.Rows) >= limit {
				res.LimitReached = true
				continue
			}
			res.Rows++
			if sink != nil {
				if err := sink.Row(rr.Values()); err != nil {
					rr.Close()
					return res, err
				}
			}
		}
		if _, err := rr.Close(); err != nil {
			return res, err
		}
		if got < n || res.LimitReached {
			break
		}
	}
	res.Tag = "SELECT " + strconv.FormatInt(res.Rows, 10)
	return res, nil
}

// exec runs text alone in the extended protocol (one statement per round
// trip; nothing can ride along after a ';'), delivering up to limit rows.
func (s *Session) exec(ctx context.Context, text string, limit int, sink Sink) (Result, error) {
	var res Result
	rr := s.conn.PgConn().ExecParams(ctx, text, nil, nil, nil, nil)
	if fds := rr.FieldDescriptions(); len(fds) > 0 {
		// Column names are known before the rows; types need a lookup
		// after the statement (the connection is busy until then).
		res.Columns = make([]Column, len(fds))
		for i, fd := range fds {
			res.Columns[i] = Column{Name: fd.Name, OID: fd.DataTypeOID, Type: s.typeName(fd.DataTypeOID)}
		}
		if sink != nil {
			if err := sink.Columns(res.Columns); err != nil {
				rr.Close()
				return res, err
			}
		}
	}
	for rr.NextRow() {
		if limit > 0 && int(res.Rows) >= limit {
			res.LimitReached = true
			continue // read on: the protocol has no way to stop a portal run to completion
		}
		res.Rows++
		if sink != nil {
			if err := sink.Row(rr.Values()); err != nil {
				rr.Close()
				return res, err
			}
		}
	}
	tag, err := rr.Close()
	if err != nil {
		return res, err
	}
	res.Tag = tag.String()
	return res, nil
}

// typeName names a built-in type from the driver's type map, others by OID.
func (s *Session) typeName(oid uint32) string {
	if t, ok := s.conn.TypeMap().TypeForOID(oid); ok {
		return t.Name
	}
	return strconv.FormatUint(uint64(oid), 10)
}

// columns describes fields with format_type (typmods included), asked of
// the server in the statement's own transaction.
func (s *Session) columns(ctx context.Context, fds []pgconn.FieldDescription) ([]Column, error) {
	cols := make([]Column, len(fds))
	if len(fds) == 0 {
		return cols, nil
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, fd := range fds {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "format_type(%d, %d)", fd.DataTypeOID, fd.TypeModifier)
		cols[i] = Column{Name: fd.Name, OID: fd.DataTypeOID}
	}
	rr := s.conn.PgConn().ExecParams(ctx, b.String(), nil, nil, nil, nil)
	for rr.NextRow() {
		for i, v := range rr.Values() {
			cols[i].Type = string(v)
		}
	}
	if _, err := rr.Close(); err != nil {
		return nil, err
	}
	return cols, nil
}

// Explain plans one statement with EXPLAIN (FORMAT JSON) through the same
// fences (ANALYZE executes the statement: admin mode only) and returns the
// plan as a tree. An error's position points into statement.
func (s *Session) Explain(ctx context.Context, statement string, analyze bool) (*PlanNode, error) {
	stmts, err := sqlparse.Split(statement)
	if err != nil {
		_, err := s.Run(ctx, statement, RunOptions{})
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, usererr.Invalid("statement", "EXPLAIN takes one statement, the text holds %d", len(stmts))
	}
	opts := "FORMAT JSON"
	if analyze {
		opts += ", ANALYZE"
	}
	prefix := "EXPLAIN (" + opts + ") "
	var plan planSink
	if _, err := s.Run(ctx, prefix+stmts[0].Text, RunOptions{Sink: func(int, sqlparse.Statement) Sink { return &plan }}); err != nil {
		var se *StatementError
		if errors.As(err, &se) {
			off := se.Offset - len(prefix)
			if off < 0 {
				off = 0
			}
			se.Offset = stmts[0].Start + off
			se.Line, se.Column = sqlparse.Position(statement, se.Offset)
		}
		return nil, err
	}
	if !plan.got {
		return nil, fmt.Errorf("explain: the server returned no plan")
	}
	return ParsePlan(plan.text)
}

// planSink keeps the whole plan (a Grid would cut a long one).
type planSink struct {
	text string
	got  bool
}

func (p *planSink) Columns([]Column) error { return nil }

func (p *planSink) Row(vals [][]byte) error {
	if !p.got && len(vals) > 0 && vals[0] != nil {
		p.text, p.got = string(vals[0]), true
	}
	return nil
}
