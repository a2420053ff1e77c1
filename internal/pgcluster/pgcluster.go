// Package pgcluster creates, starts and stops local PostgreSQL clusters from the
// server binaries installed on the machine (initdb, pg_ctl, postgres).
//
// It is shared by the test harness (internal/pgtest, ephemeral clusters) and the
// sample instance (internal/sample, a persistent cluster under the workspace).
// PostgreSQL refuses to run as root, so when the current process is root every
// server binary is run through runuser as an unprivileged user (postgres by
// default) and the data directory is handed to that user.
package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNoBinaries means no PostgreSQL server binaries were found on the machine.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries found (looked at pg_config --bindir, /usr/lib/postgresql/*/bin and PATH); install them, e.g. `apt-get install postgresql`")

// FindBinDir returns the directory holding initdb, pg_ctl and postgres.
// It tries, in order: $TIDEMARK_PG_BINDIR, `pg_config --bindir`, the newest
// /usr/lib/postgresql/<major>/bin, and the directory of initdb on PATH.
func FindBinDir(ctx context.Context) (string, error) {
	if d := os.Getenv("TIDEMARK_PG_BINDIR"); d != "" {
		if hasServer(d) {
			return d, nil
		}
		return "", fmt.Errorf("TIDEMARK_PG_BINDIR=%s does not contain initdb, pg_ctl and postgres", d)
	}
	if out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output(); err == nil {
		if d := strings.TrimSpace(string(out)); hasServer(d) {
			return d, nil
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(matches, func(i, j int) bool { return majorOf(matches[i]) > majorOf(matches[j]) })
	for _, d := range matches {
		if hasServer(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		// Resolve symlinks (Debian links /usr/local/bin/pg_ctl into the versioned dir).
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		if d := filepath.Dir(p); hasServer(d) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func hasServer(dir string) bool {
	for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
		if st, err := os.Stat(filepath.Join(dir, b)); err != nil || st.IsDir() {
			return false
		}
	}
	return true
}

// Cluster describes one local cluster. Build it with New; the zero value is not usable.
type Cluster struct {
	BinDir  string // directory with initdb, pg_ctl, postgres
	DataDir string // PGDATA
	Port    int    // TCP port on 127.0.0.1
	// RunAs is the OS user that owns the data directory and runs the server.
	// Empty means the current user; New sets it to "postgres" when running as root.
	RunAs string
	// Settings are extra `-c name=value` server settings (e.g. fsync=off for tests).
	Settings map[string]string
}

// New returns a cluster description for dataDir, filling RunAs when running as root.
func New(binDir, dataDir string, port int) (*Cluster, error) {
	c := &Cluster{BinDir: binDir, DataDir: dataDir, Port: port}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root: PostgreSQL refuses to run as root and there is no unprivileged `postgres` user to run it as (create one with `useradd --system postgres`): %w", err)
		}
		if _, err := exec.LookPath("runuser"); err != nil {
			return nil, fmt.Errorf("running as root: runuser is needed to start PostgreSQL as the postgres user: %w", err)
		}
		c.RunAs = "postgres"
	}
	return c, nil
}

// LogPath is the server log file (inside the data directory's parent so that it
// survives a failed initdb and is readable in error messages).
func (c *Cluster) LogPath() string { return c.DataDir + ".log" }

// SocketDir is the directory holding the server's Unix socket (the data directory),
// so a cluster never needs write access to /var/run/postgresql.
func (c *Cluster) SocketDir() string { return c.DataDir }

// Initialized reports whether DataDir holds a cluster.
func (c *Cluster) Initialized() bool {
	_, err := os.Stat(filepath.Join(c.DataDir, "PG_VERSION"))
	return err == nil
}

// InitOptions tune initdb.
type InitOptions struct {
	Superuser string // default "postgres"
	// PasswordFile, when set, is passed as --pwfile and authentication is scram-sha-256;
	// otherwise authentication is trust (tests only).
	PasswordFile string
	Locale       string // default C.UTF-8
}

// Init runs initdb. Parent directories are created; when RunAs is set they are
// made traversable and the data directory is chowned to RunAs.
func (c *Cluster) Init(ctx context.Context, o InitOptions) error {
	if c.Initialized() {
		return fmt.Errorf("initdb: %s already holds a cluster", c.DataDir)
	}
	if o.Superuser == "" {
		o.Superuser = "postgres"
	}
	if o.Locale == "" {
		o.Locale = "C.UTF-8"
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("initdb: create %s: %w", c.DataDir, err)
	}
	if err := c.handOver(c.DataDir); err != nil {
		return err
	}
	args := []string{"-D", c.DataDir, "-U", o.Superuser, "-E", "UTF8", "--locale", o.Locale, "--no-sync"}
	if o.PasswordFile != "" {
		if err := c.handOver(o.PasswordFile); err != nil {
			return err
		}
		args = append(args, "--pwfile", o.PasswordFile, "--auth=scram-sha-256")
	} else {
		args = append(args, "--auth=trust")
	}
	out, err := c.run(ctx, "initdb", args...)
	if err != nil {
		return fmt.Errorf("initdb in %s failed: %w\n%s", c.DataDir, err, out)
	}
	return nil
}

// handOver gives path to RunAs (no-op when RunAs is empty) and checks that RunAs can
// reach it through its parent directories.
func (c *Cluster) handOver(path string) error {
	if c.RunAs == "" {
		return nil
	}
	u, err := user.Lookup(c.RunAs)
	if err != nil {
		return fmt.Errorf("look up user %s: %w", c.RunAs, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		return fmt.Errorf("give %s to user %s: %w", path, c.RunAs, err)
	}
	for dir := filepath.Dir(path); dir != "/" && dir != "."; dir = filepath.Dir(dir) {
		st, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("stat %s: %w", dir, err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) == uid {
				continue
			}
			return &InaccessibleError{Dir: dir, User: c.RunAs}
		}
	}
	return nil
}

// InaccessibleError says the server user cannot reach a directory on the data path.
type InaccessibleError struct{ Dir, User string }

// Error names the directory the server user cannot reach.
func (e *InaccessibleError) Error() string {
	return fmt.Sprintf("the PostgreSQL server runs as user %q (PostgreSQL refuses root), but %s is not accessible to that user; choose a data directory outside it", e.User, e.Dir)
}

// Start starts the server and waits until it accepts connections.
func (c *Cluster) Start(ctx context.Context) error {
	if c.Port == 0 {
		p, err := FreePort()
		if err != nil {
			return err
		}
		c.Port = p
	}
	// The log file must be writable by the server user.
	if f, err := os.OpenFile(c.LogPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
		f.Close()
		_ = c.handOver(c.LogPath())
	}
	opts := []string{
		"-p", strconv.Itoa(c.Port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + c.SocketDir(),
	}
	keys := make([]string, 0, len(c.Settings))
	for k := range c.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		opts = append(opts, "-c", k+"="+c.Settings[k])
	}
	out, err := c.run(ctx, "pg_ctl", "-D", c.DataDir, "-l", c.LogPath(), "-w", "-t", "60", "-o", strings.Join(opts, " "), "start")
	if err != nil {
		return fmt.Errorf("pg_ctl start (port %d) failed: %w\n%s\nserver log %s:\n%s", c.Port, err, out, c.LogPath(), tail(c.LogPath(), 20))
	}
	return nil
}

// Running reports whether the server of this data directory is up.
func (c *Cluster) Running(ctx context.Context) bool {
	_, err := c.run(ctx, "pg_ctl", "-D", c.DataDir, "status")
	return err == nil
}

// Stop stops the server (fast mode). Stopping a stopped server is not an error.
func (c *Cluster) Stop(ctx context.Context) error {
	if !c.Running(ctx) {
		return nil
	}
	out, err := c.run(ctx, "pg_ctl", "-D", c.DataDir, "-m", "fast", "-w", "-t", "60", "stop")
	if err != nil {
		return fmt.Errorf("pg_ctl stop failed: %w\n%s", err, out)
	}
	return nil
}

// argv is the command line running server binary bin with args, through
// runuser when RunAs is set.
func (c *Cluster) argv(bin string, args ...string) []string {
	path := filepath.Join(c.BinDir, bin)
	if c.RunAs != "" {
		return append([]string{"runuser", "-u", c.RunAs, "--", path}, args...)
	}
	return append([]string{path}, args...)
}

// StopOnExit starts a watchdog process that stops the server (immediate mode)
// and then removes removeDir (when not empty) as soon as this process exits,
// however it exits: a panic, a test timeout, SIGKILL. The watchdog waits for
// the end of a pipe only this process holds, and runs in its own process group
// so a Ctrl-C does not take it down first. Call release after a normal shutdown:
// the watchdog then exits without doing anything.
func (c *Cluster) StopOnExit(removeDir string) (release func(), err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("watchdog pipe: %w", err)
	}
	defer r.Close()
	const script = `IFS= read -r line; [ "$line" = done ] && exit 0; "$@" >/dev/null 2>&1; [ -n "$TIDEMARK_CLEANUP_DIR" ] && rm -rf -- "$TIDEMARK_CLEANUP_DIR"; exit 0`
	args := append([]string{"-c", script, "tidemark-pg-watchdog"}, c.argv("pg_ctl", "-D", c.DataDir, "-m", "immediate", "-w", "-t", "30", "stop")...)
	cmd := exec.Command("/bin/sh", args...)
	cmd.Dir = "/"
	cmd.Stdin = r
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "TIDEMARK_CLEANUP_DIR="+removeDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("start the cluster watchdog: %w", err)
	}
	return func() {
		_, _ = w.WriteString("done\n")
		w.Close()
		_ = cmd.Wait()
	}, nil
}

func (c *Cluster) run(ctx context.Context, bin string, args ...string) (string, error) {
	argv := c.argv(bin, args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = "/"
	// Keep the server in its own process group so a Ctrl-C in a terminal does not kill it
	// behind pg_ctl's back; Stop shuts it down explicitly.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	// pg_ctl start leaves the postmaster holding our pipes; don't wait on them forever.
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil
	}
	return strings.TrimSpace(buf.String()), err
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
