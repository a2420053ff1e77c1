// Package sample runs the sample instance: a persistent PostgreSQL cluster that
// Tidemark creates from the server binaries installed on the machine, holding
// two HR databases (hr_test in the Test environment, hr_prod in Prod) so a new
// user has something real to look at.
//
// Where the cluster lives: <workspace>/sample/data. PostgreSQL refuses to run as
// root, so when Tidemark runs as root the server runs as the `postgres` user
// (see pgcluster), which must be able to reach the data directory. When the
// workspace is not traversable by that user (the default /root/.config/tidemark
// is not: /root is 0700), the cluster goes to
// <FallbackBase>/sample-<12 hex digits of sha256(workspace path)>/data instead,
// FallbackBase being /var/lib/tidemark. The choice is stored in the workspace
// (setting sample.data_dir) so it never changes behind the user's back.
//
// Authentication: TCP connections (the only kind users make) need the superuser
// password, checked with scram-sha-256. The Unix socket lives in the data
// directory (mode 0700, owned by the server user), so only that OS user — and
// root — can reach it; it is trusted, which lets Tidemark set a new random
// password whenever it has lost the old one (no keychain, "ask each session").
// The password is kept only in the secret store given to the Manager, never in
// the workspace or on disk.
package sample

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/pgcluster"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Names the sample instance registers.
const (
	InstanceName = "Sample"
	ProjectName  = "HR"
	TestDB       = "hr_test"
	ProdDB       = "hr_prod"
	Superuser    = "postgres"
)

// Settings keys in the workspace.
const (
	settingDataDir = "sample.data_dir"
	settingPort    = "sample.port"
)

// DefaultFallbackBase is where the cluster goes when running as root and the
// workspace is not reachable by the postgres user.
const DefaultFallbackBase = "/var/lib/tidemark"

// employees per database: enough for realistic queries, quick to load.
var employees = map[string]int{TestDB: 240, ProdDB: 480}

// Options configure a Manager.
type Options struct {
	Workspace *workspace.Store
	// Secrets keeps the superuser password, keyed by the sample instance id.
	Secrets secret.Store
	// PasswordMode is recorded on the instance: keychain when Secrets is the OS
	// keychain, session when it is memory.
	PasswordMode workspace.PasswordMode
	// FallbackBase overrides DefaultFallbackBase (tests).
	FallbackBase string
	// BinDir overrides the server binaries lookup (pgcluster.FindBinDir).
	BinDir string
}

// Progress reports one step of Start.
type Progress struct {
	Step  string
	Done  int
	Total int
}

// Status describes the sample instance.
type Status struct {
	Available   bool   // the machine can run it
	Reason      string // why not, and what to install
	Initialized bool   // the cluster exists
	Running     bool
	Port        int
	DataDir     string
	RunAs       string // OS user running the server; empty = the current user
}

// Manager creates, starts and stops the sample instance of one workspace.
// Safe for concurrent use; Start and Stop are serialized.
type Manager struct {
	o  Options
	mu sync.Mutex
}

// New returns a Manager.
func New(o Options) *Manager {
	if o.FallbackBase == "" {
		o.FallbackBase = DefaultFallbackBase
	}
	if o.PasswordMode == "" {
		o.PasswordMode = workspace.PasswordSession
	}
	return &Manager{o: o}
}

// plan works out the binaries, the data directory and the server user.
type plan struct {
	binDir  string
	dataDir string
	runAs   string
	stored  bool // dataDir came from the workspace settings
}

func (m *Manager) plan(ctx context.Context) (plan, error) {
	var p plan
	bin := m.o.BinDir
	if bin != "" {
		if st, err := os.Stat(filepath.Join(bin, "initdb")); err != nil || st.IsDir() {
			return p, fmt.Errorf("%w (looked in %s)", pgcluster.ErrNoBinaries, bin)
		}
	} else {
		b, err := pgcluster.FindBinDir(ctx)
		if err != nil {
			return p, err
		}
		bin = b
	}
	p.binDir = bin
	if os.Geteuid() == 0 {
		p.runAs = "postgres"
	}
	dir, ok, err := m.o.Workspace.Setting(ctx, settingDataDir)
	if err != nil {
		return p, err
	}
	if ok && dir != "" {
		p.dataDir, p.stored = dir, true
		return p, nil
	}
	p.dataDir = filepath.Join(m.o.Workspace.Dir(), "sample", "data")
	if p.runAs != "" {
		reach, err := reachable(p.runAs, m.o.Workspace.Dir())
		if err != nil {
			return p, err
		}
		if !reach {
			p.dataDir = FallbackDataDir(m.o.FallbackBase, m.o.Workspace.Dir())
		}
	}
	return p, nil
}

// FallbackDataDir is the data directory used for workspace wsDir when the server
// user cannot reach the workspace.
func FallbackDataDir(base, wsDir string) string {
	h := sha256.Sum256([]byte(filepath.Clean(wsDir)))
	return filepath.Join(base, "sample-"+hex.EncodeToString(h[:6]), "data")
}

// reachable reports whether OS user name can traverse dir and every parent.
func reachable(name, dir string) (bool, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return false, fmt.Errorf("running as root, the sample server runs as user %q, which does not exist (create it with `useradd --system %s`, or install the postgresql package): %w", name, name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gids := map[int]bool{}
	if ids, err := u.GroupIds(); err == nil {
		for _, g := range ids {
			n, _ := strconv.Atoi(g)
			gids[n] = true
		}
	}
	g0, _ := strconv.Atoi(u.Gid)
	gids[g0] = true
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return false, fmt.Errorf("check %s: %w", d, err)
		}
		mode := st.Mode().Perm()
		sys, _ := st.Sys().(*syscall.Stat_t)
		ok := mode&0o001 != 0
		if sys != nil {
			if int(sys.Uid) == uid {
				ok = mode&0o100 != 0
			} else if gids[int(sys.Gid)] {
				ok = mode&0o010 != 0
			}
		}
		if !ok {
			return false, nil
		}
		if d == filepath.Dir(d) {
			return true, nil
		}
	}
}

func (m *Manager) cluster(p plan, port int) *pgcluster.Cluster {
	return &pgcluster.Cluster{BinDir: p.binDir, DataDir: p.dataDir, Port: port, RunAs: p.runAs}
}

// unavailable turns a planning error into a Status saying what to do.
func unavailable(err error) Status {
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		return Status{Reason: "PostgreSQL server binaries are not installed. Install them (Debian/Ubuntu: `sudo apt-get install postgresql`; macOS: `brew install postgresql@16`), then start the sample instance again."}
	}
	return Status{Reason: err.Error()}
}

func (m *Manager) checkRunner(p plan) error {
	if p.runAs == "" {
		return nil
	}
	// pgcluster.New checks the postgres user and runuser exist.
	_, err := pgcluster.New(p.binDir, p.dataDir, 0)
	return err
}

// Status reports the sample instance's state without changing anything.
func (m *Manager) Status(ctx context.Context) (Status, error) {
	p, err := m.plan(ctx)
	if err != nil {
		return unavailable(err), nil
	}
	if err := m.checkRunner(p); err != nil {
		st := unavailable(err)
		st.RunAs, st.DataDir = p.runAs, p.dataDir
		return st, nil
	}
	return m.status(ctx, p), nil
}

func (m *Manager) status(ctx context.Context, p plan) Status {
	st := Status{Available: true, DataDir: p.dataDir, RunAs: p.runAs}
	c := m.cluster(p, 0)
	st.Initialized = c.Initialized()
	if st.Initialized && c.Running(ctx) {
		st.Running = true
		st.Port = runningPort(p.dataDir)
	}
	if st.Port == 0 {
		if v, ok, _ := m.o.Workspace.Setting(ctx, settingPort); ok {
			st.Port, _ = strconv.Atoi(v)
		}
	}
	return st
}

// runningPort reads the port from postmaster.pid (line 4).
func runningPort(dataDir string) int {
	f, err := os.Open(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; sc.Scan(); i++ {
		if i == 4 {
			n, _ := strconv.Atoi(strings.TrimSpace(sc.Text()))
			return n
		}
	}
	return 0
}

func portFree(port int) bool {
	if port <= 0 {
		return false
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

const startSteps = 7

// maxSocketPath is sizeof(sockaddr_un.sun_path) - 1 on Linux.
const maxSocketPath = 107

// Start creates the cluster on first use (initdb), starts it on a free loopback
// port (the last one when still free), makes sure the superuser has a password
// in the secret store, creates and fills hr_test and hr_prod when missing, and
// registers the instance "Sample", its databases (hr_prod in Prod) and the
// project "HR" in the workspace. Calling Start while the server runs only
// re-checks and re-registers. progress may be nil.
func (m *Manager) Start(ctx context.Context, progress func(Progress)) (Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	done := 0
	step := func(s string) {
		done++
		if progress != nil {
			progress(Progress{Step: s, Done: done - 1, Total: startSteps})
		}
	}

	step("Looking for PostgreSQL")
	p, err := m.plan(ctx)
	if err != nil {
		st := unavailable(err)
		return st, errors.New(st.Reason)
	}
	if err := m.checkRunner(p); err != nil {
		return unavailable(err), err
	}
	// The server's Unix socket lives in the data directory, and socket paths
	// are limited to 107 bytes on Linux.
	if n := len(filepath.Join(p.dataDir, ".s.PGSQL.65535")); n > maxSocketPath {
		err := fmt.Errorf("the sample data directory %s is too deep for the server's Unix socket (%d bytes, at most %d); use a workspace with a shorter path (--workspace or TIDEMARK_HOME)", p.dataDir, n, maxSocketPath)
		return Status{Reason: err.Error()}, err
	}
	if !p.stored {
		if err := m.o.Workspace.SetSetting(ctx, settingDataDir, p.dataDir); err != nil {
			return Status{}, err
		}
	}

	step("Creating the cluster")
	c := m.cluster(p, 0)
	if !c.Initialized() {
		if err := m.initCluster(ctx, c); err != nil {
			return m.status(ctx, p), err
		}
	}

	step("Starting the server")
	if c.Running(ctx) {
		c.Port = runningPort(p.dataDir)
	} else {
		if v, ok, _ := m.o.Workspace.Setting(ctx, settingPort); ok {
			if n, _ := strconv.Atoi(v); portFree(n) {
				c.Port = n
			}
		}
		if err := c.Start(ctx); err != nil {
			return m.status(ctx, p), fmt.Errorf("start the sample server (data directory %s): %w", p.dataDir, err)
		}
	}
	if err := m.o.Workspace.SetSetting(ctx, settingPort, strconv.Itoa(c.Port)); err != nil {
		return m.status(ctx, p), err
	}

	admin, err := m.socketConn(ctx, c, "postgres")
	if err != nil {
		return m.status(ctx, p), err
	}
	defer admin.Close(context.WithoutCancel(ctx))

	step("Setting the superuser password")
	inst, err := m.ensureInstance(ctx, c.Port)
	if err != nil {
		return m.status(ctx, p), err
	}
	password, err := m.ensurePassword(ctx, admin, inst, c.Port)
	if err != nil {
		return m.status(ctx, p), err
	}

	for _, db := range []string{TestDB, ProdDB} {
		step("Creating database " + db)
		if err := m.ensureDatabase(ctx, admin, c, db); err != nil {
			return m.status(ctx, p), err
		}
	}

	step("Registering the databases")
	if err := m.register(ctx, inst, password); err != nil {
		return m.status(ctx, p), err
	}
	if progress != nil {
		progress(Progress{Step: "Ready", Done: startSteps, Total: startSteps})
	}
	return m.status(ctx, p), nil
}

// initCluster runs initdb and writes pg_hba.conf (socket trusted, TCP scram).
func (m *Manager) initCluster(ctx context.Context, c *pgcluster.Cluster) error {
	parent := filepath.Dir(c.DataDir)
	if err := os.MkdirAll(filepath.Dir(parent), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(parent), err)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	// The server user must traverse the parent; nobody else needs to list it.
	if c.RunAs != "" {
		if err := os.Chmod(parent, 0o711); err != nil {
			return fmt.Errorf("chmod %s: %w", parent, err)
		}
	}
	// A data directory left half-made by an interrupted initdb is in the way.
	if entries, err := os.ReadDir(c.DataDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("the sample data directory %s is not empty but holds no cluster (an interrupted setup?); remove it and start again", c.DataDir)
	}
	if err := c.Init(ctx, pgcluster.InitOptions{Superuser: Superuser}); err != nil {
		return fmt.Errorf("create the sample cluster: %w", err)
	}
	hba := `# Written by Tidemark for the sample instance.
# The Unix socket lives in the data directory (0700, server user only): trusted,
# so Tidemark can reset a lost password. Every TCP connection needs the password.
local   all   all                  trust
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
`
	// Rewriting the existing file keeps its owner (the server user).
	if err := os.WriteFile(filepath.Join(c.DataDir, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		return fmt.Errorf("write pg_hba.conf: %w", err)
	}
	return nil
}

// socketConn connects as the superuser through the Unix socket.
func (m *Manager) socketConn(ctx context.Context, c *pgcluster.Cluster, db string) (*pgx.Conn, error) {
	cfg, err := pg.Config(pg.ConnInfo{Host: c.SocketDir(), Port: c.Port, User: Superuser, Database: db, SSLMode: "disable"})
	if err != nil {
		return nil, err
	}
	conn, err := pg.Connect(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to the sample server through %s: %w", c.SocketDir(), err)
	}
	return conn, nil
}

// ensureInstance finds (or creates) the workspace record of the sample instance.
func (m *Manager) ensureInstance(ctx context.Context, port int) (workspace.Instance, error) {
	ws := m.o.Workspace
	list, err := ws.ListInstances(ctx)
	if err != nil {
		return workspace.Instance{}, err
	}
	for _, in := range list {
		if in.IsSample {
			in.Port, in.Host, in.User, in.SSLMode = port, "127.0.0.1", Superuser, "disable"
			in.PasswordMode = m.o.PasswordMode
			return ws.UpdateInstance(ctx, in)
		}
	}
	in, err := ws.CreateInstance(ctx, workspace.Instance{
		Name: InstanceName, EnvironmentID: "test", Host: "127.0.0.1", Port: port, User: Superuser,
		Database: "postgres", SSLMode: "disable", PasswordMode: m.o.PasswordMode, IsSample: true,
	})
	if errors.Is(err, workspace.ErrDuplicate) {
		return in, fmt.Errorf("cannot register the sample instance: another instance is already named %q; rename it first", InstanceName)
	}
	return in, err
}

// ensurePassword returns the superuser password from the secret store, setting
// a new random one when the store has none or it no longer works.
func (m *Manager) ensurePassword(ctx context.Context, admin *pgx.Conn, inst workspace.Instance, port int) (string, error) {
	pw, err := m.o.Secrets.Get(ctx, inst.ID)
	if err == nil && pw != "" {
		cfg, cerr := pg.Config(pg.ConnInfo{Host: "127.0.0.1", Port: port, User: Superuser, Password: pw, Database: "postgres", SSLMode: "disable"})
		if cerr == nil {
			if _, terr := pg.TestConnection(ctx, cfg); terr == nil {
				return pw, nil
			}
		}
	} else if err != nil && !errors.Is(err, secret.ErrNotFound) {
		return "", fmt.Errorf("read the sample password: %w", err)
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	pw = base64.RawURLEncoding.EncodeToString(b)
	// Only the SCRAM verifier reaches the server: the password itself never
	// appears in the server log, pg_stat_activity or an error.
	verifier, err := scramVerifier(pw)
	if err != nil {
		return "", fmt.Errorf("set the sample password: %w", err)
	}
	if _, err := admin.Exec(ctx, "ALTER ROLE "+Superuser+" PASSWORD "+quoteLiteral(verifier)); err != nil {
		return "", fmt.Errorf("set the sample password: %w", err)
	}
	if err := m.o.Secrets.Set(ctx, inst.ID, pw); err != nil {
		return "", fmt.Errorf("store the sample password: %w", err)
	}
	return pw, nil
}

// scramVerifier is what PostgreSQL stores for password under scram-sha-256
// (RFC 5802/7677, as pg_authid.rolpassword): a random salt, 4096 iterations.
// The password must be ASCII (ours is base64), where SASLprep changes nothing.
func scramVerifier(password string) (string, error) {
	const iterations = 4096
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return "", fmt.Errorf("derive key: %w", err)
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	stored := sha256.Sum256(mac(salted, "Client Key"))
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iterations, b64(salt), b64(stored[:]), b64(mac(salted, "Server Key"))), nil
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ensureDatabase creates db and loads the HR schema and data unless present.
// The load runs as one transaction, so a crash leaves either nothing or all.
func (m *Manager) ensureDatabase(ctx context.Context, admin *pgx.Conn, c *pgcluster.Cluster, db string) error {
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
		return fmt.Errorf("check database %s: %w", db, err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+db+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
			return fmt.Errorf("create database %s: %w", db, err)
		}
	}
	conn, err := m.socketConn(ctx, c, db)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var loaded bool
	if err := conn.QueryRow(ctx, "SELECT to_regnamespace('hr') IS NOT NULL").Scan(&loaded); err != nil {
		return fmt.Errorf("check database %s: %w", db, err)
	}
	if loaded {
		return nil
	}
	script := "SET tidemark.sample_employees = '" + strconv.Itoa(employees[db]) + "';\n" + schemaSQL + "\n" + dataSQL
	if _, err := conn.Exec(ctx, script); err != nil {
		return fmt.Errorf("load the HR sample into %s: %w", db, err)
	}
	return nil
}

// register syncs the instance's databases into the workspace, puts hr_prod in
// Prod and both HR databases in project HR (only when they have no project yet,
// so a user's own assignment is kept).
func (m *Manager) register(ctx context.Context, inst workspace.Instance, password string) error {
	ws := m.o.Workspace
	cfg, err := pg.Config(instances.ConnInfo(inst, password))
	if err != nil {
		return err
	}
	dbs, err := pg.ListDatabases(ctx, cfg)
	if err != nil {
		return fmt.Errorf("list the sample databases: %w", err)
	}
	if _, err := instances.SaveDatabases(ctx, ws, inst.ID, dbs); err != nil {
		return err
	}
	proj, err := ws.GetProjectByName(ctx, ProjectName)
	if errors.Is(err, workspace.ErrNotFound) {
		proj, err = ws.CreateProject(ctx, ProjectName)
	}
	if err != nil {
		return err
	}
	for _, name := range []string{TestDB, ProdDB} {
		d, err := ws.FindDatabase(ctx, inst.ID, name)
		if err != nil {
			return err
		}
		if name == ProdDB && d.EnvironmentID == inst.EnvironmentID {
			if _, err := ws.SetDatabaseEnvironment(ctx, d.ID, "prod"); err != nil {
				return err
			}
		}
		if d.ProjectID == "" && !proj.Archived {
			if _, err := ws.AssignProject(ctx, d.ID, proj.ID); err != nil {
				return err
			}
		}
	}
	return ensureProdPolicy(ctx, ws)
}

// ensureProdPolicy gives Prod the tutorial's review policy
// (review.TutorialPolicy) unless it already has one of its own.
func ensureProdPolicy(ctx context.Context, ws *workspace.Store) error {
	if _, found, err := ws.GetReviewPolicy(ctx, "prod"); err != nil || found {
		return err
	}
	data, err := review.MarshalPolicy(review.TutorialPolicy())
	if err != nil {
		return err
	}
	_, err = ws.SaveReviewPolicy(ctx, workspace.ReviewPolicy{EnvironmentID: "prod", Template: review.TemplateDefault, YAML: string(data)})
	return err
}

// Stop stops the sample server (fast shutdown). Stopping a stopped or never
// created instance is not an error.
func (m *Manager) Stop(ctx context.Context) (Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.plan(ctx)
	if err != nil {
		return unavailable(err), nil
	}
	c := m.cluster(p, 0)
	if c.Initialized() {
		if err := c.Stop(ctx); err != nil {
			return m.status(ctx, p), fmt.Errorf("stop the sample server: %w", err)
		}
	}
	return m.status(ctx, p), nil
}

// Running reports whether the sample server is up (a cheap check for shutdown).
func (m *Manager) Running(ctx context.Context) bool {
	p, err := m.plan(ctx)
	if err != nil {
		return false
	}
	c := m.cluster(p, 0)
	return c.Initialized() && c.Running(ctx)
}
