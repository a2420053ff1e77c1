package scratch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/pg"
)

// TemplatePrefix begins the names of template databases (one per schema
// fingerprint) kept on a scratch server so that the next dry run of the
// same schema clones it instead of loading the schema again.
const TemplatePrefix = "tidemark_tpl_"

func randomName(prefix string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("scratch: name: %w", err)
	}
	return prefix + hex.EncodeToString(b), nil
}

// DatabaseURL is serverURL pointed at database name.
func DatabaseURL(serverURL, name string) string {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return serverURL + " dbname=" + name
	}
	u.Path = "/" + name
	return u.String()
}

// TemplateName is the template database of a schema fingerprint.
func TemplateName(fingerprint string) string {
	f := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(fingerprint))
	if len(f) > 40 {
		f = f[:40]
	}
	return TemplatePrefix + f
}

// EnsureTemplate makes sure the template database name exists on the
// server, loading the statements that stmts renders (in creation order,
// e.g. catalog.DumpNodes) into it when it does not (reported by created;
// stmts is only called then). The
// schema is loaded into a database of another name that is renamed when
// complete, so a concurrent or interrupted load never leaves a half-loaded
// template behind.
func EnsureTemplate(ctx context.Context, serverURL, name string, stmts func() []string) (created bool, err error) {
	conn, err := pg.ConnectURL(ctx, serverURL)
	if err != nil {
		return false, fmt.Errorf("scratch: connect to the scratch server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if ok, err := exists(ctx, conn, name); err != nil || ok {
		return false, err
	}
	build, err := randomName("tidemark_tplbuild_")
	if err != nil {
		return false, err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+build+" TEMPLATE template0"); err != nil {
		return false, fmt.Errorf("scratch: create database %s: %w", build, err)
	}
	dropBuild := func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)")
	}
	if err := loadBatches(ctx, DatabaseURL(serverURL, build), stmts()); err != nil {
		dropBuild()
		return false, err
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+build+" RENAME TO "+name); err != nil {
		dropBuild()
		var pe *pgconn.PgError
		if errors.As(err, &pe) && (pe.Code == "42P04" || pe.Code == "23505") { // duplicate: another load won
			return false, nil
		}
		return false, fmt.Errorf("scratch: rename %s to %s: %w", build, name, err)
	}
	return true, nil
}

// loadBatch is how many statements travel in one message. Each message is
// one implicit transaction: far fewer round trips than a statement at a
// time, without the cost of one huge transaction (thousands of relations
// locked and invalidated at once), which is slower than psql.
const loadBatch = 200

// loadBatches loads statements in batches. When a batch fails (it was
// rolled back as a whole), its statements are run one at a time to name
// the one PostgreSQL rejects.
func loadBatches(ctx context.Context, url string, stmts []string) error {
	conn, err := pg.ConnectURL(ctx, url)
	if err != nil {
		return fmt.Errorf("scratch: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SET client_min_messages = warning; SET check_function_bodies = false; SELECT pg_catalog.set_config('search_path', '', false)"); err != nil {
		return fmt.Errorf("scratch: %w", err)
	}
	for i := 0; i < len(stmts); i += loadBatch {
		batch := stmts[i:min(i+loadBatch, len(stmts))]
		if _, err := conn.PgConn().Exec(ctx, strings.Join(batch, ";\n")).ReadAll(); err == nil {
			continue
		}
		for _, st := range batch {
			if _, err := conn.PgConn().Exec(ctx, st).ReadAll(); err != nil {
				return &LoadError{File: "schema", Err: fmt.Errorf("%w\nin: %s", err, st)}
			}
		}
	}
	return nil
}

func exists(ctx context.Context, conn *pgx.Conn, name string) (bool, error) {
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).Scan(&ok); err != nil {
		return false, fmt.Errorf("scratch: look for %s: %w", name, err)
	}
	return ok, nil
}

// Clone creates a scratch database as a copy of template (which must have
// no open sessions).
func Clone(ctx context.Context, serverURL, template string) (*DB, error) {
	return create(ctx, serverURL, pgx.Identifier{template}.Sanitize()+" STRATEGY WAL_LOG")
}

// create creates a scratch database from a template ("template0 …").
func create(ctx context.Context, serverURL, from string) (*DB, error) {
	name, err := randomName("tidemark_scratch_")
	if err != nil {
		return nil, err
	}
	conn, err := pg.ConnectURL(ctx, serverURL)
	if err != nil {
		return nil, fmt.Errorf("scratch: connect to the scratch server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+from); err != nil {
		return nil, fmt.Errorf("scratch: create database %s from %s: %w", name, from, err)
	}
	return &DB{URL: DatabaseURL(serverURL, name), Name: name, server: serverURL}, nil
}

// DropTemplates drops the template databases on the server that keep does
// not name, and returns the names dropped.
func DropTemplates(ctx context.Context, serverURL string, keep map[string]bool) ([]string, error) {
	conn, err := pg.ConnectURL(ctx, serverURL)
	if err != nil {
		return nil, fmt.Errorf("scratch: connect to the scratch server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1`, TemplatePrefix)
	if err != nil {
		return nil, fmt.Errorf("scratch: list templates: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("scratch: list templates: %w", err)
	}
	var dropped []string
	for _, n := range names {
		if keep[n] {
			continue
		}
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{n}.Sanitize()+" WITH (FORCE)"); err != nil {
			return dropped, fmt.Errorf("scratch: drop template %s: %w", n, err)
		}
		dropped = append(dropped, n)
	}
	return dropped, nil
}
