// Package workspace is Tidemark's local store: one SQLite file (tidemark.db, WAL)
// in the workspace directory holding environments, instances, projects, the
// databases found on instances, and settings. Later areas add their own tables
// through further migration files (see docs/workspace.md).
//
// A *Store is safe for concurrent use by several goroutines. Several processes
// may open the same workspace at once (the desktop app and the CLI): SQLite's WAL
// mode lets readers and one writer work side by side, and busy_timeout makes a
// writer wait for another instead of failing. Only one desktop app may use a
// workspace at a time; it opens with OpenOptions{Exclusive: true}, which takes an
// exclusive lock on <dir>/tidemark.lock.
//
// The store never holds a password: instances record only where their password
// comes from (PasswordMode).
package workspace

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DBFile and LockFile are the names of the files Tidemark keeps in a workspace directory.
const (
	DBFile   = "tidemark.db"
	LockFile = "tidemark.lock"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// OpenOptions tune Open.
type OpenOptions struct {
	// Exclusive takes the single-instance lock (the desktop app). The CLI opens
	// without it and can read and write while the app runs.
	Exclusive bool
}

// Store is an open workspace.
type Store struct {
	dir  string
	db   *sql.DB
	lock *os.File // held while Exclusive
}

// NewerVersionError means the workspace was written by a newer Tidemark.
type NewerVersionError struct {
	Path         string
	FileVersion  int
	KnownVersion int
}

func (e *NewerVersionError) Error() string {
	return fmt.Sprintf("workspace %s has schema version %d, but this Tidemark knows only up to version %d; it was written by a newer Tidemark — upgrade Tidemark to open it (the file was not changed)", e.Path, e.FileVersion, e.KnownVersion)
}

// UnreadableError means the workspace file exists but is not a usable SQLite
// database (corrupt, another file type, permission denied). The file is left untouched.
type UnreadableError struct {
	Path string
	Err  error
}

func (e *UnreadableError) Error() string {
	return fmt.Sprintf("cannot open workspace file %s: %v (the file was left untouched; move it away or fix its permissions)", e.Path, e.Err)
}

func (e *UnreadableError) Unwrap() error { return e.Err }

// LockedError means another desktop app holds the workspace.
type LockedError struct {
	Dir string
	PID int // 0 when unknown
}

func (e *LockedError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("another Tidemark window is already using workspace %s (pid %d)", e.Dir, e.PID)
	}
	return fmt.Sprintf("another Tidemark window is already using workspace %s", e.Dir)
}

// Sentinel conditions, wrapped by the errors the CRUD methods return.
var (
	ErrNotFound  = errors.New("not found")
	ErrDuplicate = errors.New("already exists")
	ErrInvalid   = errors.New("invalid")
)

var sqliteMagic = []byte("SQLite format 3\x00")

// Open opens (creating when absent) the workspace in dir and brings its schema up
// to date. See the package doc for the concurrency rules.
func Open(ctx context.Context, dir string, o OpenOptions) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("open workspace: no directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", dir, err)
	}
	dir = abs
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create workspace directory %s: %w", dir, err)
	}
	s := &Store{dir: dir}
	if o.Exclusive {
		if err := s.takeLock(); err != nil {
			return nil, err
		}
	}
	if err := s.open(ctx); err != nil {
		s.releaseLock()
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context) error {
	path := s.Path()
	exists, err := checkFile(path)
	if err != nil {
		return err
	}
	if exists {
		// Read the version through a read-only connection first: nothing may be
		// written (not even the switch to WAL) to a file we are going to refuse.
		v, err := readVersion(ctx, path)
		if err != nil {
			return err
		}
		if known := LatestVersion(); v > known {
			return &NewerVersionError{Path: path, FileVersion: v, KnownVersion: known}
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate") // writers queue at BEGIN instead of failing at first write
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("open workspace %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return &UnreadableError{Path: path, Err: err}
	}
	s.db = db
	if err := s.migrate(ctx); err != nil {
		db.Close()
		s.db = nil
		return err
	}
	return nil
}

// checkFile reports whether path exists and, when it does, that it is readable
// and starts like an SQLite database.
func checkFile(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, &UnreadableError{Path: path, Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return true, &UnreadableError{Path: path, Err: err}
	}
	if st.IsDir() {
		return true, &UnreadableError{Path: path, Err: errors.New("is a directory")}
	}
	if st.Size() == 0 {
		return false, nil // SQLite treats an empty file as a new database
	}
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteMagic) {
		return true, &UnreadableError{Path: path, Err: errors.New("not an SQLite database (corrupt or a different kind of file)")}
	}
	// Writable? Opening read-write here would not modify anything.
	if w, err := os.OpenFile(path, os.O_RDWR, 0); err != nil {
		return true, &UnreadableError{Path: path, Err: err}
	} else {
		w.Close()
	}
	return true, nil
}

func readVersion(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, &UnreadableError{Path: path, Err: err}
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, &UnreadableError{Path: path, Err: err}
	}
	// A quick structural check catches files whose header survived but whose
	// pages did not.
	var name string
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(name), '') FROM sqlite_schema").Scan(&name); err != nil {
		return 0, &UnreadableError{Path: path, Err: err}
	}
	return v, nil
}

// Dir is the workspace directory (absolute).
func (s *Store) Dir() string { return s.dir }

// Path is the SQLite file.
func (s *Store) Path() string { return filepath.Join(s.dir, DBFile) }

// DB gives other internal packages access to the database for the tables their
// own migrations create.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database and releases the single-instance lock.
func (s *Store) Close() error {
	var err error
	if s.db != nil {
		err = s.db.Close()
		s.db = nil
	}
	s.releaseLock()
	return err
}

// ---- single-instance lock ----

func (s *Store) takeLock() error {
	p := filepath.Join(s.dir, LockFile)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open lock file %s: %w", p, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := io.ReadAll(io.LimitReader(f, 64))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			return &LockedError{Dir: s.dir, PID: pid}
		}
		return fmt.Errorf("lock workspace %s: %w", p, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	s.lock = f
	return nil
}

func (s *Store) releaseLock() {
	if s.lock == nil {
		return
	}
	_ = s.lock.Truncate(0)
	_ = syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
	_ = s.lock.Close()
	s.lock = nil
}

// ---- migrations ----

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) { return readMigrations(migrationFS) }

// readMigrations reads migrations/NNNN_name.sql from fsys, checking the
// numbering (1, 2, 3, ... without gaps).
func readMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(n, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 || v <= 0 || rest == "" {
			return nil, fmt.Errorf("workspace migration %s: name must be NNNN_name.sql", n)
		}
		b, err := fs.ReadFile(fsys, "migrations/"+n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: rest, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("workspace migrations: expected version %d, found %04d_%s.sql (versions must be 1, 2, 3, ... without gaps)", i+1, m.version, m.name)
		}
	}
	return ms, nil
}

// LatestVersion is the workspace schema version this binary writes.
func LatestVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// SchemaVersion reads the file's current schema version (PRAGMA user_version).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	return s.applyAll(ctx, ms)
}

func (s *Store) applyAll(ctx context.Context, ms []migration) error {
	for _, m := range ms {
		if err := s.apply(ctx, m, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration in its own (immediate) transaction, re-reading the
// version inside it so that two processes opening at once apply it only once.
func (s *Store) apply(ctx context.Context, m migration, known int) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return &UnreadableError{Path: s.Path(), Err: err}
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return &UnreadableError{Path: s.Path(), Err: err}
	}
	if v > known {
		return &NewerVersionError{Path: s.Path(), FileVersion: v, KnownVersion: known}
	}
	if v >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("workspace %s: migration %04d_%s: %w", s.Path(), m.version, m.name, err)
	}
	// user_version lives in the file header and is part of the transaction.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("workspace %s: record version %d: %w", s.Path(), m.version, err)
	}
	return tx.Commit()
}

// ---- helpers shared by the entity files ----

func now() string { return time.Now().UTC().Format(time.RFC3339) }

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
