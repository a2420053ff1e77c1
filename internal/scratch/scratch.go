// Package scratch creates throwaway databases on a server, loads SQL files
// into them and drops them afterwards: the sandbox diff validation and
// "compare with a .sql file" run in.
package scratch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// DB is a scratch database.
type DB struct {
	// URL connects to the scratch database (same credentials as the server URL).
	URL    string
	Name   string
	server string
}

// Create creates an empty database (from template0) on the server serverURL
// points to; the role must be allowed to create databases.
func Create(ctx context.Context, serverURL string) (*DB, error) {
	return create(ctx, serverURL, "template0")
}

// Drop drops the database (terminating sessions still connected to it).
func (d *DB) Drop(ctx context.Context) error {
	conn, err := pg.ConnectURL(ctx, d.server)
	if err != nil {
		return fmt.Errorf("scratch: connect to drop %s: %w", d.Name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+d.Name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("scratch: drop database %s: %w", d.Name, err)
	}
	return nil
}

// LoadError is a statement of a loaded file that PostgreSQL rejected.
type LoadError struct {
	File string
	Line int // 1-based; 0 when PostgreSQL gave no position
	Err  error
}

func (e *LoadError) Error() string {
	var pe *pgconn.PgError
	msg := e.Err.Error()
	if errors.As(e.Err, &pe) {
		msg = pe.Severity + ": " + pe.Message + " (SQLSTATE " + pe.Code + ")"
		if pe.Detail != "" {
			msg += "\nDETAIL: " + pe.Detail
		}
		if pe.Hint != "" {
			msg += "\nHINT: " + pe.Hint
		}
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return e.File + ": " + msg
}

func (e *LoadError) Unwrap() error { return e.Err }

// Load runs the SQL script src (named file in errors) in the database over
// the simple protocol, statement by statement (psql meta-commands are
// refused), so that an error names the file and line of the statement
// PostgreSQL rejected — the exact line when PostgreSQL gives an error
// position. Statements before the failing one stay applied: a scratch
// database is meant to be dropped.
func (d *DB) Load(ctx context.Context, file, src string) error {
	return LoadURL(ctx, d.URL, file, src)
}

// LoadURL is Load against any database URL.
func LoadURL(ctx context.Context, dbURL, file, src string) error {
	cfg, _, err := pg.ParseConnString(dbURL)
	if err != nil {
		return fmt.Errorf("scratch: %w", err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	conn, err := pg.Connect(ctx, cfg)
	if err != nil {
		return fmt.Errorf("scratch: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SET client_min_messages = warning"); err != nil {
		return fmt.Errorf("scratch: %w", err)
	}
	run := func(text string, start int) error {
		_, err := conn.PgConn().Exec(ctx, text).ReadAll()
		if err == nil {
			return nil
		}
		le := &LoadError{File: file, Err: err}
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Position > 0 {
			le.Line = LineAt(src, utf8.RuneCountInString(src[:start])+int(pe.Position))
		} else {
			le.Line = LineAt(src, utf8.RuneCountInString(src[:start])+1)
		}
		return le
	}
	stmts, err := sqlparse.Split(src)
	if err != nil {
		// Let the server report the syntax error (with its SQLSTATE and position).
		if lerr := run(src, 0); lerr != nil {
			return lerr
		}
		return &LoadError{File: file, Err: err}
	}
	for _, st := range stmts {
		if st.Kind == sqlparse.MetaCommand {
			return &LoadError{File: file, Line: st.Line, Err: fmt.Errorf("psql meta-command %s is not supported here", st.Tag)}
		}
		if st.HasData {
			return &LoadError{File: file, Line: st.Line, Err: errors.New("COPY ... FROM STDIN data is not supported here")}
		}
		// Start at the statement's first token so positions count from it.
		if err := run(st.Text, st.Start); err != nil {
			return err
		}
	}
	return nil
}

// LineAt returns the 1-based line of the pos-th character (1-based, as in
// PostgreSQL's error positions, which count characters, not bytes) of src.
func LineAt(src string, pos int) int {
	line, n := 1, 0
	for _, r := range src {
		n++
		if n >= pos {
			break
		}
		if r == '\n' {
			line++
		}
	}
	return line
}

// Timeout bounds how long scratch operations may take by default.
const Timeout = 10 * time.Minute

// Redact hides a password in a URL for messages.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		if i := strings.Index(u, "password="); i >= 0 {
			j := strings.IndexByte(u[i:], ' ')
			if j < 0 {
				return u[:i] + "password=xxxxx"
			}
			return u[:i] + "password=xxxxx" + u[i+j:]
		}
		return u
	}
	if _, ok := p.User.Password(); ok {
		p.User = url.UserPassword(p.User.Username(), "xxxxx")
	}
	return p.String()
}
