package migrate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
)

// LockKey is the key of the session-level advisory lock every Tidemark runner
// takes on the target database before reading or writing its history: the
// ASCII bytes of "tidemark" as a big-endian int64. Advisory locks are
// per database, so runners on different databases of one server never wait
// for each other. In pg_locks it shows as locktype 'advisory', classid
// 0x74696465, objid 0x6d61726b, objsubid 1.
const LockKey int64 = 0x746964656d61726b

// The two halves of LockKey as pg_locks shows them.
const (
	lockClassID = uint32(LockKey >> 32)
	lockObjID   = uint32(LockKey & 0xffffffff)
)

// ErrLocked is wrapped when another runner still held the migration lock at the deadline.
var ErrLocked = errors.New("another migration runner holds the lock")

// ErrTransactionPooler is wrapped when the connection does not keep one server
// session (PgBouncer in transaction or statement mode): session locks and
// session settings would silently apply to other clients' sessions.
var ErrTransactionPooler = errors.New("connection goes through a transaction pooler")

// lockPoll is how the lock is waited for: pg_try_advisory_lock, then a sleep
// that doubles from Initial up to Max, each with ±50% jitter so runners that
// start together do not poll in step.
type lockPoll struct {
	Initial, Max time.Duration
}

var defaultLockPoll = lockPoll{Initial: 50 * time.Millisecond, Max: 2 * time.Second}

// sessionLock is the advisory lock held on its own connection. That connection
// runs nothing else and never holds a transaction open, so it cannot block a
// CREATE INDEX CONCURRENTLY run by this or another runner (a blocking
// pg_advisory_lock call, or a transaction-scoped lock, would: CIC waits for
// every transaction older than it).
type sessionLock struct {
	conn *pgx.Conn
	pid  uint32
}

// acquireLock polls pg_try_advisory_lock until it succeeds or timeout passes.
// wait is called once, before the first sleep, so callers can say they are waiting.
func acquireLock(ctx context.Context, conn *pgx.Conn, timeout time.Duration, poll lockPoll, wait func(holder string)) (*sessionLock, error) {
	deadline := time.Now().Add(timeout)
	delay := poll.Initial
	told := false
	for {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, LockKey).Scan(&ok); err != nil {
			return nil, fmt.Errorf("take the migration lock: %w", err)
		}
		if ok {
			l := &sessionLock{conn: conn}
			if err := l.verify(ctx); err != nil {
				return nil, errors.Join(err, l.release(ctx))
			}
			return l, nil
		}
		holder := lockHolder(ctx, conn)
		if !time.Now().Before(deadline) {
			return nil, fmt.Errorf("%w (waited %s; held by %s)", ErrLocked, timeout, holder)
		}
		if !told && wait != nil {
			wait(holder)
			told = true
		}
		sleep := time.Duration(float64(delay) * (0.5 + rand.Float64()))
		if rest := time.Until(deadline); sleep > rest {
			sleep = rest
		}
		t := time.NewTimer(sleep)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("wait for the migration lock: %w", ctx.Err())
		case <-t.C:
		}
		delay = min(delay*2, poll.Max)
	}
}

// lockHolder describes the session holding the lock, for messages.
func lockHolder(ctx context.Context, conn *pgx.Conn) string {
	if h, ok := lockHeldBy(ctx, conn); ok {
		return h
	}
	return "an unknown session"
}

// lockHeldBy reports whether some session holds the migration lock, and which.
func lockHeldBy(ctx context.Context, conn *pgx.Conn) (string, bool) {
	var pid int32
	var app, addr, since string
	err := conn.QueryRow(ctx, `SELECT l.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'),
			coalesce(to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), '')
		FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
		  AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1
		LIMIT 1`, lockClassID, lockObjID).Scan(&pid, &app, &addr, &since)
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("pid %d (application %q, client %s, connected %s)", pid, app, addr, since), true
}

// verify proves the lock belongs to this connection's server session: in a
// later transaction, the same backend pid must be seen and pg_locks must show
// the lock granted to it. Through a transaction pooler the second query runs
// on another server session (or the pid changes), and the runner refuses.
func (l *sessionLock) verify(ctx context.Context) error {
	var pid1, pid2 uint32
	if err := l.conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid1); err != nil {
		return fmt.Errorf("check the lock session: %w", err)
	}
	var held bool
	err := l.conn.QueryRow(ctx, `SELECT pg_backend_pid(), EXISTS (SELECT 1 FROM pg_catalog.pg_locks
		WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND classid = $1 AND objid = $2 AND objsubid = 1)`,
		lockClassID, lockObjID).Scan(&pid2, &held)
	if err != nil {
		return fmt.Errorf("check the lock session: %w", err)
	}
	if pid1 != pid2 || !held {
		return fmt.Errorf("%w: the advisory lock taken by this connection is not held by its server session (backend pid %d, then %d); connect to PostgreSQL directly or through a session-mode pooler", ErrTransactionPooler, pid1, pid2)
	}
	l.pid = pid1
	return nil
}

// stillHeld checks that the lock session is alive and still holds the lock.
func (l *sessionLock) stillHeld(ctx context.Context) error {
	var held bool
	err := l.conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks
		WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND classid = $1 AND objid = $2 AND objsubid = 1)`,
		lockClassID, lockObjID).Scan(&held)
	if err != nil {
		return fmt.Errorf("the migration lock session was lost: %w", err)
	}
	if !held {
		return errors.New("the migration lock is no longer held by this runner")
	}
	return nil
}

// release unlocks, even when ctx is cancelled, and checks pg_advisory_unlock's
// result: false means this session did not hold the lock any more.
func (l *sessionLock) release(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var ok bool
	if err := l.conn.QueryRow(ctx, `SELECT pg_advisory_unlock($1)`, LockKey).Scan(&ok); err != nil {
		return fmt.Errorf("release the migration lock: %w", err)
	}
	if !ok {
		return errors.New("release the migration lock: pg_advisory_unlock returned false (the lock was not held by this session)")
	}
	return nil
}
