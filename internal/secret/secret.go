// Package secret finds and keeps PostgreSQL passwords without ever writing one
// in plaintext to the workspace, a log or an error message.
//
// Stores (Get/Set/Delete keyed by instance id):
//   - Keychain: the OS keychain (Secret Service on Linux, Keychain on macOS,
//     Credential Manager on Windows) through zalando/go-keyring.
//   - Session: process memory only, for "ask each session".
//
// Read-only sources, matched by host/port/database/user like libpq does:
//   - PGPASSWORD (Env), ~/.pgpass or $PGPASSFILE (LookupPgpass).
//
// Resolver ties them together by an instance's password mode.
package secret

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// ErrNotFound means the store holds no password for the key.
var ErrNotFound = errors.New("no password stored")

// Store keeps passwords keyed by instance id. Implementations are safe for
// concurrent use. Delete of an absent key is not an error.
type Store interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, password string) error
	Delete(ctx context.Context, key string) error
}

// Availability says whether the OS keychain can be used, and if not why.
type Availability struct {
	Available bool
	Message   string
}

// ---- OS keychain ----

// Keychain stores passwords in the OS keychain under Service, with the instance
// id as the account name.
type Keychain struct {
	Service string
	// Getenv reads the environment (nil: os.Getenv); the probe uses it to see
	// whether a D-Bus session exists before asking Secret Service.
	Getenv func(string) string
	// Timeout bounds each keychain call (0: 5s), so a stuck keyring daemon
	// cannot hang the app.
	Timeout time.Duration

	// mu serializes calls: keychain backends (and go-keyring's mock) are not
	// all safe for concurrent use, and Tidemark makes few calls.
	mu sync.Mutex
}

var _ Store = (*Keychain)(nil)

// NewKeychain returns the keychain store for service (Tidemark uses "tidemark").
func NewKeychain(service string) *Keychain { return &Keychain{Service: service} }

func (k *Keychain) getenv(n string) string {
	if k.Getenv != nil {
		return k.Getenv(n)
	}
	return os.Getenv(n)
}

// call runs f off the caller's goroutine so ctx and Timeout bound it.
func (k *Keychain) call(ctx context.Context, what string, f func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if reason := k.unavailableReason(); reason != "" {
		return fmt.Errorf("%s: no OS keychain available: %s", what, reason)
	}
	d := k.Timeout
	if d == 0 {
		d = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		done <- f()
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("%s: the OS keychain did not answer: %w", what, ctx.Err())
	}
}

// unavailableReason is non-empty when the platform obviously has no keychain:
// Secret Service needs a D-Bus session bus (absent on headless Linux and CI),
// and go-keyring would otherwise try to autolaunch one.
func (k *Keychain) unavailableReason() string {
	switch runtime.GOOS {
	case "darwin", "windows":
		return ""
	}
	if k.getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so the Secret Service keyring cannot be reached — typical on headless Linux"
	}
	return ""
}

// Probe checks that the keychain answers. It reads a key that does not exist;
// "not found" means the keychain works.
func (k *Keychain) Probe(ctx context.Context) Availability {
	if reason := k.unavailableReason(); reason != "" {
		return Availability{Message: "no OS keychain available: " + reason}
	}
	err := k.call(ctx, "keychain probe", func() error {
		_, err := keyring.Get(k.Service, "tidemark-availability-probe")
		return err
	})
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return Availability{Available: true, Message: "passwords are kept in the OS keychain"}
	}
	return Availability{Message: "no OS keychain available: " + err.Error()}
}

// Get returns the password stored for key, or ErrNotFound.
func (k *Keychain) Get(ctx context.Context, key string) (string, error) {
	var pw string
	err := k.call(ctx, "read password from keychain", func() error {
		var err error
		pw, err = keyring.Get(k.Service, key)
		return err
	})
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNotFound
	}
	return pw, err
}

// Set stores password for key.
func (k *Keychain) Set(ctx context.Context, key, password string) error {
	return k.call(ctx, "store password in keychain", func() error { return keyring.Set(k.Service, key, password) })
}

// Delete removes key's password; absent is fine.
func (k *Keychain) Delete(ctx context.Context, key string) error {
	err := k.call(ctx, "delete password from keychain", func() error { return keyring.Delete(k.Service, key) })
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// ---- session (memory) ----

// Session keeps passwords in memory for the life of the process ("ask each session").
type Session struct {
	mu sync.Mutex
	m  map[string]string
}

var _ Store = (*Session)(nil)

// NewSession returns an empty session store.
func NewSession() *Session { return &Session{m: map[string]string{}} }

// Get returns the password for key, or ErrNotFound.
func (s *Session) Get(ctx context.Context, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pw, ok := s.m[key]
	if !ok {
		return "", ErrNotFound
	}
	return pw, nil
}

// Set keeps password for key.
func (s *Session) Set(ctx context.Context, key, password string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = password
	return nil
}

// Delete forgets key.
func (s *Session) Delete(ctx context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

// ---- resolving by password mode ----

// Modes, the same strings as workspace.PasswordMode.
const (
	ModeKeychain = "keychain"
	ModePgpass   = "pgpass"
	ModeEnv      = "env"
	ModeSession  = "session"
	ModeNone     = "none"
)

// Target identifies a connection for PGPASSWORD/pgpass matching.
type Target struct {
	Host     string
	Port     int
	Database string
	User     string
}

// Resolver finds an instance's password according to its mode.
type Resolver struct {
	Keychain Store // may be nil when no keychain is available
	Session  Store
	Getenv   func(string) string // nil: os.Getenv (PGPASSWORD, PGPASSFILE, HOME)
}

func (r *Resolver) getenv(n string) string {
	if r.Getenv != nil {
		return r.Getenv(n)
	}
	return os.Getenv(n)
}

// Password returns the password for instance key under mode. found is false
// when the source has none (the connection is then tried without one, and the
// server's error says what is missing). err is set only when a source failed.
func (r *Resolver) Password(ctx context.Context, mode, key string, t Target) (pw string, found bool, err error) {
	var st Store
	switch mode {
	case ModeNone, "":
		return "", false, nil
	case ModeEnv:
		pw = r.getenv("PGPASSWORD")
		return pw, pw != "", nil
	case ModePgpass:
		path, err := PgpassPath(r.getenv)
		if err != nil {
			return "", false, err
		}
		return LookupPgpass(path, t)
	case ModeKeychain:
		st = r.Keychain
		if st == nil {
			return "", false, errors.New("this instance keeps its password in the OS keychain, but no OS keychain is available")
		}
	case ModeSession:
		st = r.Session
	default:
		return "", false, fmt.Errorf("unknown password mode %q", mode)
	}
	pw, err = st.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return pw, true, nil
}

// Describe says in words where mode looks for a password (for messages).
func Describe(mode string) string {
	switch mode {
	case ModeKeychain:
		return "the OS keychain"
	case ModePgpass:
		return "~/.pgpass (or $PGPASSFILE)"
	case ModeEnv:
		return "the PGPASSWORD environment variable"
	case ModeSession:
		return "memory for this session"
	default:
		return "no password"
	}
}

// Redact replaces every occurrence of each non-empty secret in s with "********".
func Redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "********")
		}
	}
	return s
}

// Choose decides where a new or edited instance's password lives:
//   - a typed password goes to the OS keychain when there is one (Keychain set);
//     otherwise to memory for this session when keepInSession (the desktop app),
//     otherwise nowhere — the mode is then pgpass, where the user is told to put it;
//   - no password: ~/.pgpass when it has a matching line, else PGPASSWORD when
//     set, else none.
//
// store is where to Set the password (nil: nothing to store).
func (r *Resolver) Choose(ctx context.Context, password string, t Target, keepInSession bool) (mode string, store Store) {
	if password != "" {
		switch {
		case r.Keychain != nil:
			return ModeKeychain, r.Keychain
		case keepInSession && r.Session != nil:
			return ModeSession, r.Session
		default:
			return ModePgpass, nil
		}
	}
	if _, ok, _ := r.Password(ctx, ModePgpass, "", t); ok {
		return ModePgpass, nil
	}
	if _, ok, _ := r.Password(ctx, ModeEnv, "", t); ok {
		return ModeEnv, nil
	}
	return ModeNone, nil
}
