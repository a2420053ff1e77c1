package workflow

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// templateModel is the catalog model of a dry-run template, as inspected
// on the scratch server (so before and after compare like with like).
type templateModel struct {
	schema catalog.Schema
}

// DryRun is the dry-run check on its own: the target's schema (a fresh
// sync when the target is reachable, else its latest snapshot) is cloned
// from a template database on the scratch server, the plan runs there
// through the migration runner, and the result is the failing statement or
// the objects the change adds, drops and alters. Nothing touches the target.
func (s *Service) dryRun(ctx context.Context, is *Issue, t *Task) Check {
	c := Check{Kind: CheckDryRun}
	snap, basis, err := s.basis(ctx, t.DatabaseID)
	if err != nil {
		c.Status, c.Summary = CheckError, err.Error()
		return c
	}
	c.Basis = basis
	srv, err := s.d.Scratch(ctx, true)
	if err != nil {
		c.Status, c.Summary = CheckWarning, "not run: "+usererr.From(err).Error()
		return c
	}
	res, err := s.dryRunOn(ctx, srv, snap, is.Type, t)
	if err != nil {
		c.Status, c.Summary = CheckWarning, "not run: "+usererr.From(srv.Redact(err)).Error()
		return c
	}
	if res.failure != nil {
		c.Status, c.Summary = CheckError, "the change fails: "+res.failure.Message
		c.Results = []Result{*res.failure}
		return c
	}
	c.Status, c.Objects = CheckSuccess, res.objects
	c.Summary = fmt.Sprintf("the change applies on a copy of the schema in %s: %s", res.elapsed.Round(time.Millisecond), objectsSummary(res.objects))
	if res.objects == nil {
		c.Objects = []schematree.Change{}
	}
	return c
}

func objectsSummary(cs []schematree.Change) string {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Action]++
	}
	if len(cs) == 0 {
		return "no object changes"
	}
	return fmt.Sprintf("%d added, %d dropped, %d altered", n[schematree.Added], n[schematree.Dropped], n[schematree.Altered])
}

// basis returns the schema a check runs against and says which: a fresh
// sync when the database is reachable, else its latest snapshot.
func (s *Service) basis(ctx context.Context, databaseID string) (*schemasync.Snapshot, string, error) {
	snap, err := s.d.Sync.Sync(ctx, databaseID, nil)
	if err == nil {
		return snap, "a fresh sync of the database (" + snap.Info.TakenAt.UTC().Format("2006-01-02 15:04:05 UTC") + ")", nil
	}
	latest, lerr := s.d.Sync.Latest(ctx, databaseID)
	if lerr != nil {
		return nil, "", fmt.Errorf("no schema to dry-run against: the database is unreachable (%s) and has no snapshot", usererr.From(err).Error())
	}
	return latest, fmt.Sprintf("the latest snapshot (%s) — the database is unreachable: %s",
		latest.Info.TakenAt.UTC().Format("2006-01-02 15:04 UTC"), usererr.From(err).Error()), nil
}

type dryRunResult struct {
	objects []schematree.Change
	failure *Result
	elapsed time.Duration
	// templateCreated reports whether the template had to be loaded.
	templateCreated bool
}

// dryRunOn runs the dry run on a scratch server.
func (s *Service) dryRunOn(ctx context.Context, srv scratch.Server, snap *schemasync.Snapshot, typ Type, t *Task) (*dryRunResult, error) {
	start := time.Now()
	fp := snap.Info.Fingerprint
	tpl := scratch.TemplateName(fp)
	// The template holds the schema without privileges: roles differ
	// between servers (the same rule as a SQL side of a comparison).
	ddl := string(catalog.Dump(snap.Schema, catalog.DumpOptions{NoPrivileges: true}))
	s.mu.Lock()
	l, ok := s.loading[fp]
	if !ok {
		l = &sync.Mutex{}
		s.loading[fp] = l
	}
	s.mu.Unlock()
	l.Lock()
	created, err := scratch.EnsureTemplate(ctx, srv.URL, tpl, ddl)
	l.Unlock()
	if err != nil {
		return nil, fmt.Errorf("load the schema on %s: %w", srv.Describe(), err)
	}
	defer s.dropUnusedTemplates(context.WithoutCancel(ctx), srv)
	db, err := scratch.Clone(ctx, srv.URL, tpl)
	if err != nil {
		return nil, err
	}
	defer db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; names are random
	before, err := s.templateSchema(ctx, fp, db.URL, created)
	if err != nil {
		return nil, err
	}
	res := &dryRunResult{templateCreated: created}
	typDDL := migrate.TypeDDL
	if typ == TypeDataChange {
		typDDL = migrate.TypeDML
	}
	r, err := migrate.NewRunner(db.URL, migrate.Options{AppliedBy: "tidemark dry run"})
	if err != nil {
		return nil, err
	}
	_, err = r.ApplyChange(ctx, migrate.Change{Version: t.Version, Type: typDDL, SQL: t.Statement}, migrate.ApplyOptions{MaxAttempts: 1})
	if err != nil {
		f := dryRunFailure(err)
		if f == nil {
			return nil, err
		}
		res.failure = f
		res.elapsed = time.Since(start)
		return res, nil
	}
	after, err := inspect(ctx, db.URL)
	if err != nil {
		return nil, err
	}
	res.objects = schematree.Compare(schematree.New(before), schematree.New(after))
	res.elapsed = time.Since(start)
	return res, nil
}

// dryRunFailure turns the runner's failure into a result naming the
// statement, its line and the SQLSTATE; nil when the error is not the
// change's own (the scratch server failed).
func dryRunFailure(err error) *Result {
	var re *migrate.RunError
	if !errors.As(err, &re) || re.Failed == nil {
		return nil
	}
	f := re.Failed
	r := &Result{Status: CheckError, Title: "Statement fails", Message: re.Err.Error(), SQLState: f.SQLState, Line: f.Line, Statement: f.SQL}
	var pe *pgconn.PgError
	if errors.As(re.Err, &pe) {
		r.Message = pe.Message
		if pe.Detail != "" {
			r.Message += " — " + pe.Detail
		}
	}
	if f.Statement > 0 {
		r.Title = fmt.Sprintf("Statement %d of %d fails (line %d)", f.Statement, f.Statements, f.Line)
	}
	return r
}

// templateSchema is the model of the template a clone was made from:
// inspected once per fingerprint (from the fresh clone, which is identical)
// and remembered.
func (s *Service) templateSchema(ctx context.Context, fp, cloneURL string, created bool) (*catalog.Schema, error) {
	s.mu.Lock()
	m, ok := s.templates[fp]
	s.mu.Unlock()
	if ok && !created {
		return &m.schema, nil
	}
	sc, err := inspect(ctx, cloneURL)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.templates[fp] = &templateModel{schema: *sc}
	s.mu.Unlock()
	return sc, nil
}

func inspect(ctx context.Context, url string) (*catalog.Schema, error) {
	conn, err := pg.ConnectURL(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res, err := catalog.Inspect(ctx, conn, catalog.Options{NoFingerprint: true})
	if err != nil {
		return nil, err
	}
	return &res.Schema, nil
}

// dropUnusedTemplates drops the templates no database's latest snapshot
// needs.
func (s *Service) dropUnusedTemplates(ctx context.Context, srv scratch.Server) {
	dbs, err := s.d.WS.ListDatabases(ctx, workspace.DatabaseFilter{})
	if err != nil {
		return
	}
	keep := map[string]bool{}
	for _, d := range dbs {
		if info, err := s.d.WS.LatestSnapshotInfo(ctx, d.ID); err == nil {
			keep[scratch.TemplateName(info.Fingerprint)] = true
		}
	}
	dropped, _ := scratch.DropTemplates(ctx, srv.URL, keep)
	s.mu.Lock()
	for fp := range s.templates {
		for _, d := range dropped {
			if scratch.TemplateName(fp) == d {
				delete(s.templates, fp)
			}
		}
	}
	s.mu.Unlock()
}
