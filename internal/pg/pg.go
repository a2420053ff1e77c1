// Package pg is the one place where connection info (host, port, user,
// password, database, sslmode) becomes a pgx connection, and where connection
// errors become messages for people (*usererr.Error). It also checks
// connections, lists a server's databases and keeps a small pool per
// instance. It knows nothing of the workspace: callers map their records to
// ConnInfo.
package pg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// ApplicationName is reported to the server (pg_stat_activity.application_name).
const ApplicationName = "tidemark"

// Config builds the pgx configuration for ci. Defaults applied here and nowhere else:
//   - application_name=tidemark;
//   - connect timeout 5s (ConnectTimeout), covering TCP, TLS and authentication;
//   - TCP keepalives every 10s after 30s idle, so a dead server or network is
//     noticed within about a minute instead of the OS default of hours;
//   - the password is exactly ci.Password: PGPASSWORD or ~/.pgpass are not
//     consulted behind the caller's back (secret.Resolver decides that).
//
// Errors are *usererr.Error naming the bad field.
func Config(ci ConnInfo) (*pgx.ConnConfig, error) {
	if ci.Host == "" {
		return nil, fieldErr("host", "host must not be empty")
	}
	if ci.Port < 1 || ci.Port > 65535 {
		return nil, fieldErr("port", "port %d is out of range (1-65535)", ci.Port)
	}
	if ci.User == "" {
		return nil, fieldErr("user", "user must not be empty")
	}
	mode := ci.SSLMode
	if mode == "" {
		mode = "prefer"
	}
	if !validSSLMode(mode) {
		return nil, fieldErr("sslmode", "unknown sslmode %q (use one of %s)", mode, strings.Join(SSLModes(), ", "))
	}
	db := ci.Database
	if db == "" {
		db = ci.User
	}
	dsn := fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=%s application_name=%s connect_timeout=%d",
		quote(ci.Host), ci.Port, quote(ci.User), quote(db), mode, ApplicationName, int(ConnectTimeout/time.Second))
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// The DSN holds no password, so the parser's message is safe to show.
		return nil, &usererr.Error{Message: "invalid connection settings: " + err.Error(), Err: err}
	}
	cfg.Password = ci.Password
	cfg.ConnectTimeout = connectDeadline
	cfg.RuntimeParams["application_name"] = ApplicationName
	keepalive(cfg)
	return cfg, nil
}

// keepalive dials with TCP keepalives every 10s after 30s idle, so a dead
// server or network is noticed within about a minute.
func keepalive(cfg *pgx.ConnConfig) {
	timeout := cfg.ConnectTimeout
	if timeout <= 0 || timeout > connectDeadline {
		timeout = connectDeadline
	}
	d := &net.Dialer{
		Timeout:         timeout,
		KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: 30 * time.Second, Interval: 10 * time.Second, Count: 3},
	}
	cfg.DialFunc = d.DialContext
}

func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func infoOf(cfg *pgx.ConnConfig) ConnInfo {
	return ConnInfo{Host: cfg.Host, Port: int(cfg.Port), User: cfg.User, Password: cfg.Password, Database: cfg.Database}
}

// connectDeadline leaves room under ConnectTimeout for building the error, so
// the caller hears back within the promised 5 s.
const connectDeadline = ConnectTimeout - 250*time.Millisecond

// Connect opens one connection with cfg (built by Config or
// ParseConnString: application_name, keepalives), bounded by ConnectTimeout
// whatever ctx allows. Errors are *usererr.Error (SQLSTATE kept, password
// redacted). It is the one way Tidemark opens a connection for a user.
func Connect(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	cctx, cancel := context.WithTimeout(ctx, connectDeadline)
	defer cancel()
	c, err := pgx.ConnectConfig(cctx, cfg)
	if err != nil {
		return nil, Convert(err, infoOf(cfg))
	}
	return c, nil
}

// ServerInfo is the outcome of a successful connection check.
type ServerInfo struct {
	Version    string        // server_version, e.g. "15.8 (Debian 15.8-1)"
	VersionNum int           // server_version_num, e.g. 150008
	Latency    time.Duration // connect, authenticate and one round trip
}

// TestConnection connects with cfg, reads the server version and disconnects.
// Errors are *usererr.Error (unreachable hosts fail within ConnectTimeout).
func TestConnection(ctx context.Context, cfg *pgx.ConnConfig) (ServerInfo, error) {
	start := time.Now()
	c, err := Connect(ctx, cfg)
	if err != nil {
		return ServerInfo{}, err
	}
	defer c.Close(context.WithoutCancel(ctx))
	var info ServerInfo
	var num string
	if err := c.QueryRow(ctx, `SELECT current_setting('server_version'), current_setting('server_version_num')`).Scan(&info.Version, &num); err != nil {
		return ServerInfo{}, Convert(err, infoOf(cfg))
	}
	info.Latency = time.Since(start)
	info.VersionNum, _ = strconv.Atoi(num)
	return info, nil
}

// listDatabasesSQL lists the databases worth showing: no templates, none that
// refuse connections (datallowconn), none this user may not connect to (their
// size would be an error, and nothing in Tidemark can work on them).
const listDatabasesSQL = `
SELECT d.datname, pg_catalog.pg_get_userbyid(d.datdba), pg_catalog.pg_encoding_to_char(d.encoding),
       pg_catalog.pg_database_size(d.oid)
FROM pg_catalog.pg_database d
WHERE NOT d.datistemplate
  AND d.datallowconn
  AND pg_catalog.has_database_privilege(d.oid, 'CONNECT')
ORDER BY d.datname`

// DatabaseInfo is one database found on a server.
type DatabaseInfo struct {
	Name      string
	Owner     string
	Encoding  string
	SizeBytes int64
}

// ListDatabases returns the databases on the server cfg points at.
func ListDatabases(ctx context.Context, cfg *pgx.ConnConfig) ([]DatabaseInfo, error) {
	c, err := Connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer c.Close(context.WithoutCancel(ctx))
	return listDatabases(ctx, c, infoOf(cfg))
}

// Querier is what listing needs; *pgx.Conn, *pgxpool.Pool and pgx.Tx satisfy it.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// ListDatabasesWith lists databases through an open connection or pool.
func ListDatabasesWith(ctx context.Context, q Querier, ci ConnInfo) ([]DatabaseInfo, error) {
	return listDatabases(ctx, q, ci)
}

func listDatabases(ctx context.Context, q Querier, ci ConnInfo) ([]DatabaseInfo, error) {
	rows, err := q.Query(ctx, listDatabasesSQL)
	if err != nil {
		return nil, Convert(err, ci)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DatabaseInfo, error) {
		var d DatabaseInfo
		err := r.Scan(&d.Name, &d.Owner, &d.Encoding, &d.SizeBytes)
		return d, err
	})
	if err != nil {
		return nil, Convert(err, ci)
	}
	return out, nil
}

// Pools keeps one small connection pool per instance id. A pool is replaced
// when the instance's connection settings or password change. Safe for
// concurrent use; Close every pool with CloseAll at shutdown.
type Pools struct {
	mu    sync.Mutex
	pools map[string]*poolEntry
}

type poolEntry struct {
	key  string // fingerprint of the settings (the password only as a hash)
	pool *pgxpool.Pool
}

// NewPools returns an empty cache.
func NewPools() *Pools { return &Pools{pools: map[string]*poolEntry{}} }

// MaxConnsPerInstance bounds each pool: Tidemark is one user at a desk, and
// production servers should not see a burst of connections from it.
const MaxConnsPerInstance = 4

func fingerprint(cfg *pgx.ConnConfig) string {
	h := sha256.Sum256([]byte(cfg.Password))
	return fmt.Sprintf("%s|%d|%s|%s|%v|%s", cfg.Host, cfg.Port, cfg.User, cfg.Database, cfg.TLSConfig != nil, hex.EncodeToString(h[:8]))
}

// Get returns the pool for instance id, creating it (and checking that it can
// connect) when absent or when cfg differs from the pool's settings.
func (p *Pools) Get(ctx context.Context, id string, cfg *pgx.ConnConfig) (*pgxpool.Pool, error) {
	key := fingerprint(cfg)
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.pools[id]; ok {
		if e.key == key {
			return e.pool, nil
		}
		e.pool.Close()
		delete(p.pools, id)
	}
	pc, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, fmt.Errorf("pool config: %w", err)
	}
	pc.ConnConfig = cfg
	pc.MaxConns = MaxConnsPerInstance
	pc.MinConns = 0
	pc.MaxConnIdleTime = 5 * time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, Convert(err, infoOf(cfg))
	}
	cctx, cancel := context.WithTimeout(ctx, connectDeadline)
	defer cancel()
	if err := pool.Ping(cctx); err != nil {
		pool.Close()
		return nil, Convert(err, infoOf(cfg))
	}
	p.pools[id] = &poolEntry{key: key, pool: pool}
	return pool, nil
}

// Close closes and forgets the pool of instance id (no-op when absent).
func (p *Pools) Close(id string) {
	p.mu.Lock()
	e, ok := p.pools[id]
	delete(p.pools, id)
	p.mu.Unlock()
	if ok {
		e.pool.Close()
	}
}

// CloseAll closes every pool.
func (p *Pools) CloseAll() {
	p.mu.Lock()
	all := p.pools
	p.pools = map[string]*poolEntry{}
	p.mu.Unlock()
	for _, e := range all {
		e.pool.Close()
	}
}

// Len reports how many pools are open.
func (p *Pools) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pools)
}

// ParseConnString reads a connection string typed on a command line (a URL or
// key=value pairs) as libpq would, environment included: PGPASSWORD and
// ~/.pgpass supply a password the string leaves out. Tidemark's
// application_name and ConnectTimeout apply unless the string sets its own.
// ci describes the target for messages and Convert (ci.URL() omits the
// password). Parse errors never repeat the password (pgconn redacts it).
func ParseConnString(s string) (cfg *pgx.ConnConfig, ci ConnInfo, err error) {
	cfg, err = pgx.ParseConfig(s)
	if err != nil {
		return nil, ConnInfo{}, err
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = ApplicationName
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = ConnectTimeout
	}
	keepalive(cfg)
	return cfg, infoOf(cfg), nil
}

// ConnectURL is ParseConnString then Connect, for URLs Tidemark built itself
// (scratch databases) or was given. A malformed URL is a *usererr.Error
// with Field "url" (pgconn never repeats the password).
func ConnectURL(ctx context.Context, s string) (*pgx.Conn, error) {
	cfg, _, err := ParseConnString(s)
	if err != nil {
		return nil, &usererr.Error{Message: "invalid connection URL: " + err.Error(), Field: "url", Err: err}
	}
	return Connect(ctx, cfg)
}
