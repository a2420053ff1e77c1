package migrate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/tidemark-dev/tidemark/internal/version"
)

// Options configure a Runner. The zero value is valid.
type Options struct {
	// AppliedBy is recorded in the history (default: the OS user name, else the database role).
	AppliedBy string
	// Host is recorded in the history (default: os.Hostname).
	Host string
	// LockWait is how long Apply, Baseline and Resolve wait for another
	// runner's migration lock before failing with ErrLocked (default 2m).
	LockWait time.Duration
}

// Validate rejects contradictions and fills defaults.
func (o *Options) Validate() error {
	if o.LockWait < 0 {
		return fmt.Errorf("lock wait %s is negative", o.LockWait)
	}
	if o.LockWait == 0 {
		o.LockWait = 2 * time.Minute
	}
	if o.AppliedBy == "" {
		if u, err := user.Current(); err == nil {
			o.AppliedBy = u.Username
		}
	}
	if o.Host == "" {
		o.Host, _ = os.Hostname()
	}
	return nil
}

// Runner applies migrations to one PostgreSQL database and keeps its history in
// tidemark.migration_history. Each call opens its own connections (one for
// the lock, one for the work) and closes them before returning; a Runner may be
// reused but is not safe for concurrent calls — run concurrent runners as
// separate Runners (the advisory lock serialises them).
type Runner struct {
	cfg  *pgx.ConnConfig
	opts Options
	poll lockPoll

	// Test seams.
	commit func(ctx context.Context, conn *pgx.Conn) error
}

// NewRunner returns a runner for the database at connString (a URL or
// key=value string; passwords come from it, PGPASSWORD or ~/.pgpass as libpq does).
func NewRunner(connString string, opts Options) (*Runner, error) {
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("parse connection string: %w", err) // pgconn redacts the password
	}
	return NewRunnerConfig(cfg, opts)
}

// NewRunnerConfig is NewRunner for an already parsed pgx config (copied).
func NewRunnerConfig(cfg *pgx.ConnConfig, opts Options) (*Runner, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return &Runner{cfg: cfg.Copy(), opts: opts, poll: defaultLockPoll, commit: sqlCommit}, nil
}

func sqlCommit(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, "COMMIT")
	return err
}

// session is a connection with the runner's session settings.
type session struct {
	conn          *pgx.Conn
	pid           uint32
	serverVersion int
}

// Session settings that make a dead runner's work stop within seconds
// instead of holding locks until TCP notices: client keepalives on the
// socket, server keepalives (tcp_keepalives_*), and on PostgreSQL 14+
// client_connection_check_interval, which aborts a running statement whose
// client has gone. idle_session_timeout is switched off so the idle lock
// session is never ended by the server.
const (
	keepAliveIdle     = 10 * time.Second
	keepAliveInterval = 5 * time.Second
	keepAliveCount    = 3
	connCheckInterval = "2s"
)

func (r *Runner) connect(ctx context.Context, app string) (*session, error) {
	cfg := r.cfg.Copy()
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = app
	}
	timeout := cfg.ConnectTimeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	d := &net.Dialer{Timeout: timeout, KeepAliveConfig: net.KeepAliveConfig{
		Enable: true, Idle: keepAliveIdle, Interval: keepAliveInterval, Count: keepAliveCount,
	}}
	cfg.DialFunc = d.DialContext
	// No prepared statements: the runner's few queries gain nothing from them,
	// and through a pooler they fail with confusing errors before the pooler
	// check can explain what is wrong.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	// Cancelling ctx sends a cancel request, so the server stops the running
	// statement and the session stays usable to record what happened.
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 15 * time.Second}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	s := &session{conn: conn}
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, pg_backend_pid()`).Scan(&s.serverVersion, &s.pid); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("connect: %w", err)
	}
	if conn.PgConn().ParameterStatus("standard_conforming_strings") != "on" {
		conn.Close(context.WithoutCancel(ctx))
		return nil, errors.New("connect: standard_conforming_strings is off; Tidemark needs it on (the default since PostgreSQL 9.1)")
	}
	// Set after connecting rather than as startup parameters, which poolers
	// such as PgBouncer reject.
	set := fmt.Sprintf("SET tcp_keepalives_idle = %d; SET tcp_keepalives_interval = %d; SET tcp_keepalives_count = %d",
		int(keepAliveIdle.Seconds()), int(keepAliveInterval.Seconds()), keepAliveCount)
	if s.serverVersion >= 140000 {
		set += "; SET client_connection_check_interval = '" + connCheckInterval + "'; SET idle_session_timeout = 0"
	}
	if _, err := conn.Exec(ctx, set); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("connect: session settings: %w", err)
	}
	return s, nil
}

func (s *session) close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return s.conn.Close(ctx)
}

// locked runs fn holding the migration lock on a dedicated session, with a
// second session for the work. The lock is released even when ctx is
// cancelled; release and close errors are joined to fn's.
func (r *Runner) locked(ctx context.Context, progress func(Progress), fn func(work *session, lock *sessionLock) error) (err error) {
	ls, err := r.connect(ctx, "tidemark migrate (lock)")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, ls.close(ctx)) }()
	lock, err := acquireLock(ctx, ls.conn, r.opts.LockWait, r.poll, func(holder string) {
		emit(progress, Progress{Event: EventLockWait, Message: "migration lock held by " + holder + "; waiting"})
	})
	if err != nil {
		return err
	}
	defer func() {
		rerr := lock.release(ctx)
		if rerr != nil && ls.conn.IsClosed() {
			rerr = nil // the session ended, and with it the lock
		}
		err = errors.Join(err, rerr)
		emit(progress, Progress{Event: EventUnlocked, Message: "migration lock released"})
	}()
	emit(progress, Progress{Event: EventLocked, Message: "migration lock taken"})
	ws, err := r.connect(ctx, "tidemark migrate")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, ws.close(ctx)) }()
	if err := verifySessions(ctx, lock, ws); err != nil {
		return err
	}
	if err := upgradeHistory(ctx, ws.conn); err != nil {
		return err
	}
	return fn(ws, lock)
}

// emit calls progress when set.
func emit(progress func(Progress), p Progress) {
	if progress != nil {
		progress(p)
	}
}

func newRunID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// quoteLiteral quotes s as an SQL string literal for a session with
// standard_conforming_strings on (checked at connect).
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func durationSetting(d time.Duration) string {
	return fmt.Sprintf("'%dms'", d.Milliseconds())
}

func (r *Runner) toolVersion() string { return "tidemark " + version.Version }

// verifySessions proves the two connections are two fixed server sessions.
// While the work connection holds a transaction open (through a transaction
// pooler that pins one server connection to it, most likely the one the lock
// was just taken on), the lock connection must still see its own backend pid
// holding the lock, and the work session must be a different backend with
// the pid it had at connect.
func verifySessions(ctx context.Context, lock *sessionLock, ws *session) error {
	tx, err := ws.conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("check the sessions: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var wpid uint32
	if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&wpid); err != nil {
		return fmt.Errorf("check the sessions: %w", err)
	}
	vctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	lockPID := lock.pid
	if err := lock.verify(vctx); err != nil {
		if vctx.Err() != nil && ctx.Err() == nil {
			return fmt.Errorf("%w: the lock connection could not run a query while the work connection held a transaction open", ErrTransactionPooler)
		}
		return err
	}
	if lock.pid != lockPID || wpid != ws.pid || wpid == lock.pid {
		return fmt.Errorf("%w: backend pids changed between transactions (lock session %d then %d, work session %d then %d); connect directly or through a session-mode pooler",
			ErrTransactionPooler, lockPID, lock.pid, ws.pid, wpid)
	}
	return nil
}
