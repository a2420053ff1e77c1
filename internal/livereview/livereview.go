// Package livereview reviews SQL under an environment's policy against what
// a database holds: its live catalog (tables, indexes, row estimates, and a
// connection for the rules that ask the database), or — when the database
// cannot be reached — its latest synced schema snapshot. The policy
// defaults, the catalog cache and the fallback live here, for the desktop
// app, `tidemark review` and the change workflow's checks.
package livereview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// CatalogTTL is how long a database's live catalog is reused while the user
// types (every keystroke pause reviews again).
const CatalogTTL = 20 * time.Second

// Target is what a script is reviewed against.
type Target struct {
	Catalog       *review.Catalog
	ServerVersion int
	// Live is set when the database answered (rules needing it run).
	Live review.Live
	// Description says what the target is: "hr_prod on Sample, 12 tables",
	// or the snapshot used and why.
	Description string
	conn        *pgx.Conn
}

// Close releases the target's connection (if any).
func (t *Target) Close(ctx context.Context) {
	if t != nil && t.conn != nil {
		t.conn.Close(context.WithoutCancel(ctx))
	}
}

// Options returns review options for this target under policy p.
func (t *Target) Options(p *review.Policy) review.Options {
	o := review.Options{Policy: p}
	if t != nil {
		o.Catalog, o.ServerVersion = t.Catalog, t.ServerVersion
		if t.Live != nil {
			o.Live = t.Live
		}
	}
	return o
}

// Live reads the live catalog of the database conn is connected to; label
// names it in messages. The target keeps conn for the rules that need the
// database; Close closes it.
func Live(ctx context.Context, conn *pgx.Conn, ci pg.ConnInfo, label string) (*Target, error) {
	cat, ver, err := review.LoadCatalog(ctx, conn)
	if err != nil {
		return nil, usererr.Wrap("read the catalog of "+label+": ", pg.Convert(err, ci))
	}
	return &Target{Catalog: cat, ServerVersion: ver, Live: &review.PGLive{Conn: conn}, conn: conn,
		Description: fmt.Sprintf("%s, %d tables", label, len(cat.Tables()))}, nil
}

// URL connects to the database a connection string names (a URL or
// key=value pairs; the password from PGPASSWORD or ~/.pgpass) and reads its
// live catalog, as `tidemark review --url` does. A string that does not parse
// is a *usererr.Error with Field "url"; Close closes the connection.
func URL(ctx context.Context, s string) (*Target, error) {
	cfg, ci, err := pg.ParseConnString(s)
	if err != nil {
		return nil, &usererr.Error{Message: "parse --url: " + err.Error(), Field: "url", Err: err} // pgconn redacts the password
	}
	conn, err := pg.Connect(ctx, cfg)
	if err != nil {
		return nil, usererr.Wrap("connect to "+ci.URL()+": ", err)
	}
	t, err := Live(ctx, conn, ci, ci.URL())
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return t, nil
}

// Reviewer reviews against workspace databases, caching each database's
// live catalog for CatalogTTL. Safe for concurrent use.
type Reviewer struct {
	reg   *review.Registry
	ws    *workspace.Store
	conns *instances.Connector
	sync  *schemasync.Syncer

	mu       sync.Mutex
	catalogs map[string]cached // database id -> catalog
}

type cached struct {
	cat     *review.Catalog
	version int
	at      time.Time
}

// New returns a Reviewer.
func New(reg *review.Registry, ws *workspace.Store, conns *instances.Connector, syncer *schemasync.Syncer) *Reviewer {
	return &Reviewer{reg: reg, ws: ws, conns: conns, sync: syncer, catalogs: map[string]cached{}}
}

// DefaultTemplate is the template an environment's policy starts from:
// default (the safety rules) for production environments, test (the same
// rules at warning level) for the others.
func DefaultTemplate(e workspace.Environment) string {
	if e.Production() {
		return review.TemplateDefault
	}
	return review.TemplateTest
}

// Policy returns the engine policy of an environment, its stored record and
// whether one is stored (false: the environment's default template).
func (r *Reviewer) Policy(ctx context.Context, envID string) (*review.Policy, workspace.ReviewPolicy, bool, error) {
	if strings.TrimSpace(envID) == "" {
		return nil, workspace.ReviewPolicy{}, false, usererr.Invalid("environmentId", "choose an environment: its review policy decides which rules run")
	}
	env, err := r.ws.GetEnvironment(ctx, envID)
	if err != nil {
		return nil, workspace.ReviewPolicy{}, false, err
	}
	rec, found, err := r.ws.GetReviewPolicy(ctx, envID)
	if err != nil {
		return nil, rec, false, err
	}
	if !found {
		p, err := r.reg.Template(DefaultTemplate(env))
		if err != nil {
			return nil, rec, false, err
		}
		return p, workspace.ReviewPolicy{EnvironmentID: envID, Template: DefaultTemplate(env)}, false, nil
	}
	p, err := r.reg.ParsePolicy([]byte(rec.YAML))
	if err != nil {
		return nil, rec, true, &usererr.Error{Message: fmt.Sprintf("the stored review policy of environment %s no longer loads (reset it to a template): %v", env.Name, err), Err: err}
	}
	return p, rec, true, nil
}

// Database returns the review target of a workspace database: its live
// catalog (cached for CatalogTTL) with a connection, or, when the database
// cannot be reached, its latest snapshot's catalog (no rows, and the rules
// needing the database stay silent). It fails only when neither is there.
func (r *Reviewer) Database(ctx context.Context, databaseID string) (*Target, error) {
	d, err := r.conns.Database(ctx, databaseID)
	if err != nil {
		if errors.Is(err, workspace.ErrNotFound) {
			return nil, err
		}
		return r.fallback(ctx, databaseID, err)
	}
	conn, err := d.Connect(ctx)
	if err != nil {
		return r.fallback(ctx, databaseID, err)
	}
	r.mu.Lock()
	c, ok := r.catalogs[databaseID]
	r.mu.Unlock()
	if ok && time.Since(c.at) < CatalogTTL {
		return &Target{Catalog: c.cat, ServerVersion: c.version, Live: &review.PGLive{Conn: conn}, conn: conn,
			Description: fmt.Sprintf("%s, %d tables", d.Label(), len(c.cat.Tables()))}, nil
	}
	t, err := Live(ctx, conn, d.Info, d.Label())
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	r.mu.Lock()
	r.catalogs[databaseID] = cached{cat: t.Catalog, version: t.ServerVersion, at: time.Now()}
	r.mu.Unlock()
	return t, nil
}

func (r *Reviewer) fallback(ctx context.Context, databaseID string, cause error) (*Target, error) {
	db, err := r.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return nil, err
	}
	snap, err := r.sync.Latest(ctx, databaseID)
	if err != nil {
		return nil, cause
	}
	cat := review.FromSchema(&snap.Schema)
	return &Target{Catalog: cat, ServerVersion: snap.Info.ServerVersion,
		Description: fmt.Sprintf("%s on %s, snapshot of %s, %d tables (the database is unreachable: %s)",
			db.Name, db.InstanceName, snap.Info.TakenAt.UTC().Format("2006-01-02 15:04 UTC"), len(cat.Tables()), usererr.From(cause).Error())}, nil
}

// Request is a review of SQL.
type Request struct {
	SQL string
	// EnvironmentID selects the policy; empty: the database's environment.
	EnvironmentID string
	// DatabaseID, optional: review against this database.
	DatabaseID string
}

// Outcome is a review's result with what it ran against.
type Outcome struct {
	*review.Result
	Policy *review.Policy
	// Target describes the catalog used ("" when none).
	Target string
	// Syntax is where the parser gave up when the script does not parse
	// (Review returns it as its error too); Result is nil then.
	Syntax *sqlparse.SyntaxError
	sql    string
}

// Finding is an advice with the end of what an editor highlights for it
// (1-based line, column in characters).
type Finding struct {
	review.Advice
	EndLine, EndColumn int
}

// Findings returns the advice, each with the end of its highlight: the end
// of its statement, or of its line for advice about the whole script.
func (o *Outcome) Findings() []Finding {
	if o == nil || o.Result == nil {
		return nil
	}
	lines := sqlparse.NewLineIndex(o.sql)
	out := make([]Finding, 0, len(o.Advice))
	for _, a := range o.Advice {
		f := Finding{Advice: a}
		f.EndLine, f.EndColumn = a.EndPosition(o.sql, lines)
		out = append(out, f)
	}
	return out
}

// Review reviews req.SQL. A script that does not parse gives a
// *sqlparse.SyntaxError, also in the outcome's Syntax.
func (r *Reviewer) Review(ctx context.Context, req Request) (*Outcome, error) {
	pol, t, err := r.target(ctx, req)
	if err != nil {
		return nil, err
	}
	defer t.Close(ctx)
	out := &Outcome{Policy: pol, Target: t.describe()}
	res, err := r.reg.Review(ctx, req.SQL, t.Options(pol))
	if err != nil {
		errors.As(err, &out.Syntax)
		return out, err
	}
	out.Result, out.sql = res, req.SQL
	return out, nil
}

// target resolves what req is reviewed under: the policy of its
// environment (or of its database's) and, with a database, the target
// (nil without one; Close and Options accept nil).
func (r *Reviewer) target(ctx context.Context, req Request) (*review.Policy, *Target, error) {
	envID := req.EnvironmentID
	if req.DatabaseID != "" && envID == "" {
		db, err := r.ws.GetDatabase(ctx, req.DatabaseID)
		if err != nil {
			return nil, nil, err
		}
		envID = db.EnvironmentID
	}
	pol, _, _, err := r.Policy(ctx, envID)
	if err != nil {
		return nil, nil, err
	}
	if req.DatabaseID == "" {
		return pol, nil, nil
	}
	t, err := r.Database(ctx, req.DatabaseID)
	if err != nil {
		return nil, nil, err
	}
	return pol, t, nil
}

// describe is the target's description ("" for none).
func (t *Target) describe() string {
	if t == nil {
		return ""
	}
	return t.Description
}

// FixOutcome is a script with its safe rewrites applied (review.FixScript)
// under the same policy and target as Review.
type FixOutcome struct {
	*review.FixReport
	Policy *review.Policy
	Target string
	Syntax *sqlparse.SyntaxError
}

// Fix applies the safe rewrites of req.SQL's advice (only those of the
// statement starting on statementLine when it is > 0) and reviews the fixed
// script again. A script that does not parse gives a *sqlparse.SyntaxError,
// also in the outcome's Syntax.
func (r *Reviewer) Fix(ctx context.Context, req Request, statementLine int) (*FixOutcome, error) {
	pol, t, err := r.target(ctx, req)
	if err != nil {
		return nil, err
	}
	defer t.Close(ctx)
	out := &FixOutcome{Policy: pol, Target: t.describe()}
	rep, err := r.reg.FixScript(ctx, req.SQL, t.Options(pol), statementLine)
	if err != nil {
		errors.As(err, &out.Syntax)
		return out, err
	}
	out.FixReport = rep
	return out, nil
}
