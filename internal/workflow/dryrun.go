package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// templateModel is the catalog model of a dry-run template, as inspected
// on the scratch server (so before and after compare like with like).
type templateModel struct {
	schema catalog.Schema
	tree   *schematree.Tree
	// state is the template's catalog state (catalog.ReadCatalogState),
	// read with the model: the dry run's transaction compares with it to
	// find the schemas its plan changed.
	state *catalog.CatalogState

	mu sync.Mutex
	// parts are the trees of the model restricted to some schemas, by the
	// schemas' names joined with NUL (the same plan checked again, or
	// another touching the same schemas, reuses them).
	parts map[string]*schematree.Tree
}

// maxParts bounds the restricted trees a template model keeps.
const maxParts = 16

// part returns the tree of the model restricted to schemas (sorted).
func (m *templateModel) part(schemas []string) *schematree.Tree {
	k := strings.Join(schemas, "\x00")
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, ok := m.parts[k]; ok {
		return t
	}
	if m.parts == nil || len(m.parts) >= maxParts {
		m.parts = map[string]*schematree.Tree{}
	}
	sub := catalog.Restrict(&m.schema, schemas)
	t := schematree.New(&sub)
	m.parts[k] = t
	return t
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
	c = s.DryRunOn(ctx, snap, is.Type, t.Statement, t.Version)
	c.Basis = basis
	return c
}

// DryRunOn is the dry run of a plan (the statement, recorded under
// version) against a snapshot of a schema, on the scratch server.
func (s *Service) DryRunOn(ctx context.Context, snap *schemasync.Snapshot, typ Type, statement, version string) Check {
	c := Check{Kind: CheckDryRun}
	srv, err := s.d.Scratch(ctx, true)
	if err != nil {
		c.Status, c.Summary = CheckWarning, "not run: "+usererr.From(err).Error()
		return c
	}
	res, err := s.dryRunOn(ctx, srv, snap, typ, &Task{Statement: statement, Version: version})
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

// dryRunOn runs the dry run on a scratch server. The template of the
// schema's fingerprint is loaded once and kept. A plan that runs in one
// transaction is applied inside a transaction on the template itself,
// inspected there and rolled back (nothing persists, no copy is made); a
// plan with non-transactional statements runs through the migration runner
// on a clone of the template, which is dropped after.
func (s *Service) dryRunOn(ctx context.Context, srv scratch.Server, snap *schemasync.Snapshot, typ Type, t *Task) (*dryRunResult, error) {
	start := time.Now()
	fp := snap.Info.Fingerprint
	tpl := scratch.TemplateName(fp)
	// The template holds the schema without privileges: roles differ
	// between servers (the same rule as a SQL side of a comparison).
	ddl := func() []string {
		var out []string
		for _, n := range catalog.DumpNodes(snap.Schema, catalog.DumpOptions{NoPrivileges: true}) {
			out = append(out, n.Statements...)
		}
		return out
	}
	// One dry run per template at a time: a clone needs the template free
	// of sessions, and dry runs of one schema would wait on each other's
	// locks anyway.
	s.mu.Lock()
	l, ok := s.loading[fp]
	if !ok {
		l = &sync.Mutex{}
		s.loading[fp] = l
	}
	s.mu.Unlock()
	l.Lock()
	defer l.Unlock()
	created, err := scratch.EnsureTemplate(ctx, srv.URL, tpl, ddl)
	if err != nil {
		return nil, fmt.Errorf("load the schema on %s: %w", srv.Describe(), err)
	}
	defer s.dropUnusedTemplates(context.WithoutCancel(ctx), srv)
	sts, err := sqlparse.Split(t.Statement)
	if err != nil {
		return nil, err
	}
	transactional := true
	for _, st := range sts {
		transactional = transactional && !st.NonTransactional && !st.HasData
	}
	res := &dryRunResult{templateCreated: created}
	if transactional {
		err = s.dryRunInTx(ctx, scratch.DatabaseURL(srv.URL, tpl), fp, created, sts, res)
	} else {
		err = s.dryRunOnClone(ctx, srv, tpl, fp, created, typ, t, res)
	}
	if err != nil {
		return nil, err
	}
	res.elapsed = time.Since(start)
	return res, nil
}

// dryRunInTx applies the statements inside a transaction on the template,
// inspects the result in the same transaction and rolls it back.
func (s *Service) dryRunInTx(ctx context.Context, url, fp string, created bool, sts []sqlparse.Statement, res *dryRunResult) error {
	conn, err := pg.ConnectURL(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // the point is to roll back
	if _, err := tx.Exec(ctx, "SET LOCAL lock_timeout = '10s'; SET LOCAL statement_timeout = '5min'"); err != nil {
		return err
	}
	var path string
	if err := tx.QueryRow(ctx, "SELECT current_setting('search_path')").Scan(&path); err != nil {
		return err
	}
	before, err := s.cachedSchema(ctx, fp, created, tx)
	if err != nil {
		return err
	}
	// Inspecting sets its own search_path for the transaction; the plan
	// runs with the session's, as it will on the target.
	if _, err := tx.Exec(ctx, "SELECT set_config('search_path', $1, true)", path); err != nil {
		return err
	}
	for i, st := range sts {
		if _, err := tx.Conn().PgConn().Exec(ctx, st.Text).ReadAll(); err != nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				return err
			}
			line := st.Line
			if pe.Position > 0 {
				line = scratch.LineAt(st.Text, int(pe.Position)) + st.Line - 1
			}
			msg := pe.Message
			if pe.Detail != "" {
				msg += " — " + pe.Detail
			}
			res.failure = &Result{Status: CheckError, Title: fmt.Sprintf("Statement %d of %d fails (line %d)", i+1, len(sts), line),
				Message: msg, SQLState: pe.Code, Line: line, Statement: st.Text}
			return nil
		}
	}
	res.objects, _, err = changedObjects(ctx, tx, before)
	return err
}

// changedObjects lists the objects the statements run in tx changed,
// against before (the template's model and catalog state, which the
// statements started from: nothing is ever committed to a template). Only the schemas the catalog state says changed are inspected
// again (catalog.ChangedSchemas: those whose catalog rows changed, those
// holding objects that depend on a changed object, and inheritance
// parents), and compared with the same schemas of before
// (catalog.Restrict), which lists exactly what comparing whole inspections
// lists: the other schemas are unchanged row for row and render nothing
// that names a changed object. A change outside any schema (a schema, role,
// extension, cast, ...) is compared on a whole inspection. scoped reports
// whether the inspection was limited to some schemas.
func changedObjects(ctx context.Context, tx pgx.Tx, before *templateModel) (objects []schematree.Change, scoped bool, err error) {
	ch, err := catalog.ChangedSchemas(ctx, tx, before.state)
	if err != nil {
		return nil, false, err
	}
	if ch.Global {
		after, err := catalog.Inspect(ctx, tx, catalog.Options{NoFingerprint: true})
		if err != nil {
			return nil, false, err
		}
		return schematree.Compare(before.tree, schematree.New(&after.Schema)), false, nil
	}
	// Only schemas a whole inspection reads (not Tidemark's own, nor one
	// the role cannot use).
	var names []string
	for _, n := range ch.Schemas {
		if before.schema.Namespace(n) != nil {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return []schematree.Change{}, true, nil
	}
	after, err := catalog.Inspect(ctx, tx, catalog.Options{Schemas: names, NoFingerprint: true})
	if err != nil {
		return nil, true, err
	}
	return schematree.Compare(before.part(names), schematree.New(&after.Schema)), true, nil
}

// dryRunOnClone runs the plan through the migration runner on a clone of
// the template (non-transactional statements need their own transactions).
func (s *Service) dryRunOnClone(ctx context.Context, srv scratch.Server, tpl, fp string, created bool, typ Type, t *Task, res *dryRunResult) error {
	db, err := scratch.Clone(ctx, srv.URL, tpl)
	if err != nil {
		return err
	}
	defer db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; names are random
	conn, err := pg.ConnectURL(ctx, db.URL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	before, err := s.cachedSchema(ctx, fp, created, conn)
	if err != nil {
		return err
	}
	typDDL := migrate.TypeDDL
	if typ == TypeDataChange {
		typDDL = migrate.TypeDML
	}
	r, err := migrate.NewRunner(db.URL, migrate.Options{AppliedBy: "tidemark dry run"})
	if err != nil {
		return err
	}
	if _, err := r.ApplyChange(ctx, migrate.Change{Version: t.Version, Type: typDDL, SQL: t.Statement}, migrate.ApplyOptions{MaxAttempts: 1}); err != nil {
		if res.failure = dryRunFailure(err); res.failure == nil {
			return err
		}
		return nil
	}
	after, err := catalog.Inspect(ctx, conn, catalog.Options{NoFingerprint: true})
	if err != nil {
		return err
	}
	res.objects = schematree.Compare(before.tree, schematree.New(&after.Schema))
	return nil
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

// cachedSchema is the model of a template and its catalog state: read once
// per fingerprint (through q, a session on the template or a fresh clone of
// it, before the plan runs) and remembered.
func (s *Service) cachedSchema(ctx context.Context, fp string, created bool, q catalog.Querier) (*templateModel, error) {
	s.mu.Lock()
	m, ok := s.templates[fp]
	s.mu.Unlock()
	if ok && !created {
		return m, nil
	}
	res, err := catalog.Inspect(ctx, q, catalog.Options{NoFingerprint: true})
	if err != nil {
		return nil, err
	}
	state, err := catalog.ReadCatalogState(ctx, q)
	if err != nil {
		return nil, err
	}
	m = &templateModel{schema: res.Schema, state: state}
	m.tree = schematree.New(&m.schema)
	s.mu.Lock()
	s.templates[fp] = m
	s.mu.Unlock()
	return m, nil
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

// DryRun runs the dry-run check of one task again, on its own, and
// returns it (the stored checks are not changed: Check re-runs them all).
func (s *Service) DryRun(ctx context.Context, n int, taskRef string) (Check, error) {
	is, err := s.Get(ctx, n)
	if err != nil {
		return Check{}, err
	}
	t := is.Task(taskRef)
	if t == nil || t.CreateDatabase != nil {
		return Check{}, usererr.Invalid("task", "issue #%d has no schema or data change task for %q", n, taskRef)
	}
	c := s.dryRun(ctx, is, t)
	c.FinishedAt = time.Now().UTC()
	return c, nil
}
