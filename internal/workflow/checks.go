package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// LargeChangeRows is the affected-rows estimate above which the check warns.
const LargeChangeRows = 1_000_000

// Check runs the checks of every task whose checks are running (a new
// issue, an edited plan) and stores the results. Checks of different
// tasks run in parallel; nothing touches the targets but read-only
// queries.
func (s *Service) Check(ctx context.Context, n int) (*Issue, error) {
	is, err := s.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	type job struct {
		task      *Task
		statement string
		checks    []Check
	}
	var jobs []*job
	for _, t := range is.Tasks {
		for _, c := range t.Checks {
			if c.Status == CheckRunning && !t.frozen() {
				jobs = append(jobs, &job{task: t, statement: t.Statement})
				break
			}
		}
	}
	if len(jobs) == 0 {
		return is, nil
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.checks = s.runChecks(ctx, is, j.task)
		}()
	}
	wg.Wait()
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	pol, err := s.loadPolicy(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, n, 0, func(cur *Issue, envs []workspace.Environment) ([]workspace.ClaimOp, error) {
		// The checks' row counts can change the risk, hence the flow.
		defer reassess(cur, envs, pol, me, "the checks finished")
		for _, j := range jobs {
			t := cur.Task(j.task.ID)
			// The plan changed while the checks ran: a newer run stores its own.
			if t == nil || t.Statement != j.statement || t.frozen() {
				continue
			}
			t.Checks = j.checks
			cur.log(me, "checks", t.ID, checksSummary(j.checks))
		}
		return nil, nil
	})
}

func checksSummary(cs []Check) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, string(c.Kind)+" "+string(c.Status))
	}
	return strings.Join(parts, ", ")
}

// runChecks computes the checks of one task.
func (s *Service) runChecks(ctx context.Context, is *Issue, t *Task) []Check {
	done := func(c Check) Check {
		if c.Results == nil {
			c.Results = []Result{}
		}
		c.FinishedAt = time.Now().UTC()
		return c
	}
	switch is.Type {
	case TypeCreateDatabase:
		return []Check{done(s.checkNewDatabase(ctx, t)), done(Check{Kind: CheckSummary, Status: CheckSuccess,
			Summary: fmt.Sprintf("creates database %s on %s", t.DatabaseName, t.InstanceName),
			Results: []Result{{Status: CheckSuccess, Title: "CREATE DATABASE", Message: t.Statement + " — runs outside a transaction"}}})}
	case TypeBaseline:
		return []Check{done(s.baselineDriftCheck(ctx, t)), done(Check{Kind: CheckSummary, Status: CheckSuccess,
			Summary: fmt.Sprintf("marks %s as at version %s without running anything", t.DatabaseName, t.Version)})}
	}
	sts, perr := sqlparse.Split(t.Statement)
	syntax := Check{Kind: CheckSyntax, Status: CheckSuccess, Summary: fmt.Sprintf("%d statement(s) parse", len(sts))}
	if perr == nil {
		for _, st := range sts {
			if st.Kind == sqlparse.MetaCommand {
				perr = &sqlparse.SyntaxError{Line: st.Line, Column: st.Column, Message: "psql meta-command " + st.Tag + " cannot run here: write SQL only"}
				break
			}
		}
	}
	if perr != nil {
		var se *sqlparse.SyntaxError
		r := Result{Status: CheckError, Title: "Syntax error", Message: perr.Error()}
		if errors.As(perr, &se) {
			r.Message, r.Line, r.Column = se.Message, se.Line, se.Column
		}
		syntax = Check{Kind: CheckSyntax, Status: CheckError, Summary: "the SQL does not parse: " + perr.Error(), Results: []Result{r}}
		out := []Check{done(syntax)}
		for _, k := range []CheckKind{CheckReview, CheckDryRun, CheckAffectedRows, CheckSummary} {
			out = append(out, done(Check{Kind: k, Status: CheckError, Summary: "not run: the SQL does not parse"}))
		}
		return out
	}
	checks := make([]Check, 4)
	var wg sync.WaitGroup
	for i, f := range []func() Check{
		func() Check { return s.checkReview(ctx, t) },
		func() Check { return s.dryRun(ctx, is, t) },
		func() Check { return s.checkAffectedRows(ctx, t, sts) },
		func() Check { return summaryCheck(sts) },
	} {
		wg.Add(1)
		go func() { defer wg.Done(); checks[i] = done(f()) }()
	}
	wg.Wait()
	out := append([]Check{done(syntax)}, checks...)
	if c, ok := s.driftCheck(ctx, t); ok {
		out = append(out, done(c))
	}
	return out
}

func (s *Service) checkReview(ctx context.Context, t *Task) Check {
	c := Check{Kind: CheckReview}
	out, err := s.d.Reviewer.Review(ctx, livereview.Request{SQL: t.Statement, DatabaseID: t.DatabaseID})
	if err != nil {
		c.Status, c.Summary = CheckError, "review failed: "+usererr.From(err).Error()
		return c
	}
	c.Basis = out.Target
	for _, a := range out.Advice {
		st := CheckWarning
		switch a.Level {
		case review.Error:
			st = CheckError
		case review.Info: // a note: shown, never blocking
			st = CheckSuccess
		}
		c.Results = append(c.Results, Result{Status: st, Title: a.Title, Message: a.Message, Code: a.Rule, Line: a.Line, Column: a.Column, EndLine: a.Statement.EndLine})
	}
	errs, warns := out.Counts[review.Error], out.Counts[review.Warning]
	switch {
	case errs > 0:
		c.Status = CheckError
	case warns > 0:
		c.Status = CheckWarning
	default:
		c.Status = CheckSuccess
	}
	c.Summary = fmt.Sprintf("%d error(s), %d warning(s) with policy %s", errs, warns, out.Policy.Name)
	return c
}

// summaryCheck lists statement types, objects, non-transactional and
// destructive statements.
func summaryCheck(sts []sqlparse.Statement) Check {
	c := Check{Kind: CheckSummary, Status: CheckSuccess}
	tags := map[string]int{}
	var order []string
	objects := map[string]bool{}
	var objs []string
	for _, st := range sts {
		if tags[st.Tag] == 0 {
			order = append(order, st.Tag)
		}
		tags[st.Tag]++
		for _, o := range sqlparse.Objects(st.Node) {
			name := o.Name
			if o.Schema != "" {
				name = o.Schema + "." + o.Name
			}
			k := o.Type + " " + name
			if !objects[k] {
				objects[k] = true
				objs = append(objs, k)
			}
		}
		if st.NonTransactional {
			c.Results = append(c.Results, Result{Status: CheckSuccess, Title: "Runs outside a transaction", Line: st.Line,
				Message: st.Tag + " cannot run in a transaction: the change runs statement by statement and a failure may need resolving"})
		}
	}
	for _, d := range sqlparse.Destructive(sts) {
		c.Status = CheckWarning
		c.Results = append(c.Results, Result{Status: CheckWarning, Title: "Destructive statement", Line: d.Line, Message: d.What + " loses objects or data"})
	}
	var parts []string
	for _, tag := range order {
		parts = append(parts, fmt.Sprintf("%s ×%d", tag, tags[tag]))
	}
	sort.Strings(objs)
	c.Summary = fmt.Sprintf("%d statement(s): %s", len(sts), strings.Join(parts, ", "))
	if len(objs) > 0 {
		c.Results = append([]Result{{Status: CheckSuccess, Title: "Objects touched", Message: strings.Join(objs, ", ")}}, c.Results...)
	}
	return c
}

// checkAffectedRows estimates the rows each data statement affects
// (EXPLAIN, never ANALYZE, in a READ ONLY transaction with a short
// statement timeout) and the rows of the tables DDL touches.
func (s *Service) checkAffectedRows(ctx context.Context, t *Task, sts []sqlparse.Statement) Check {
	c := Check{Kind: CheckAffectedRows, Status: CheckSuccess}
	d, err := s.d.Conns.Database(ctx, t.DatabaseID)
	var conn *pgx.Conn
	if err == nil {
		conn, err = d.Connect(ctx)
	}
	if err != nil {
		c.Status, c.Summary = CheckWarning, "the database is unreachable, rows not estimated: "+usererr.From(err).Error()
		return c
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		c.Status, c.Summary = CheckWarning, "could not start a read-only transaction: "+usererr.From(err).Error()
		return c
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read only
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = '5s'"); err != nil {
		c.Status, c.Summary = CheckWarning, usererr.From(err).Error()
		return c
	}
	var total int64
	for _, st := range sts {
		switch {
		case isDataStatement(st):
			r := AffectedRows{Line: st.Line, Statement: st.Tag, Rows: -1, Source: "explain"}
			rows, err := explainRows(ctx, tx, st.Text)
			if err != nil {
				c.Results = append(c.Results, Result{Status: CheckSuccess, Title: "Not estimated", Line: st.Line, Message: usererr.From(err).Error()})
			} else {
				r.Rows = rows
				total += rows
			}
			c.Rows = append(c.Rows, r)
		case st.Kind == sqlparse.DDL && !strings.HasPrefix(st.Tag, "CREATE TABLE"):
			for _, o := range sqlparse.Objects(st.Node) {
				if o.Type != "table" {
					continue
				}
				name := catalog.QuoteIdent(o.Name)
				if o.Schema != "" {
					name = catalog.QuoteIdent(o.Schema) + "." + name
				}
				var n *float64
				if err := tx.QueryRow(ctx, `SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass($1)`, name).Scan(&n); err != nil || n == nil {
					continue
				}
				c.Rows = append(c.Rows, AffectedRows{Line: st.Line, Statement: st.Tag, Table: name, Rows: int64(max(*n, -1)), Source: "table estimate"})
			}
		}
	}
	c.Summary = fmt.Sprintf("%d data statement(s), about %d row(s) affected", countData(sts), total)
	if total > LargeChangeRows {
		c.Status = CheckWarning
		c.Summary += fmt.Sprintf(" — more than %d: consider batching", LargeChangeRows)
	}
	if c.Rows == nil {
		c.Rows = []AffectedRows{}
	}
	return c
}

func countData(sts []sqlparse.Statement) int {
	n := 0
	for _, st := range sts {
		if isDataStatement(st) {
			n++
		}
	}
	return n
}

// isDataStatement reports UPDATE, DELETE and INSERT … SELECT.
func isDataStatement(st sqlparse.Statement) bool {
	switch st.Tag {
	case "UPDATE", "DELETE", "MERGE":
		return true
	case "INSERT":
		return st.Node != nil && st.Node.GetInsertStmt() != nil && st.Node.GetInsertStmt().GetSelectStmt() != nil &&
			st.Node.GetInsertStmt().GetSelectStmt().GetSelectStmt().GetValuesLists() == nil
	}
	return false
}

// explainRows returns the planner's row estimate of a data statement: the
// rows its top scan produces (ModifyTable itself reports none). The
// statement runs under a savepoint, so a failure does not end the
// transaction.
func explainRows(ctx context.Context, tx pgx.Tx, sql string) (int64, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer sp.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read only
	var raw []byte
	if err := sp.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql).Scan(&raw); err != nil {
		return 0, err
	}
	var plans []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal(raw, &plans); err != nil || len(plans) == 0 {
		return 0, fmt.Errorf("unreadable plan: %v", err)
	}
	p := plans[0].Plan
	if p.NodeType == "ModifyTable" && len(p.Plans) > 0 {
		p = p.Plans[0]
	}
	return int64(p.PlanRows), nil
}

type planNode struct {
	NodeType string     `json:"Node Type"`
	PlanRows float64    `json:"Plan Rows"`
	Plans    []planNode `json:"Plans"`
}

// checkNewDatabase checks a create_database plan on its instance: the name
// is free, the owner exists, the encoding is known, the role may create
// databases.
func (s *Service) checkNewDatabase(ctx context.Context, t *Task) Check {
	c := Check{Kind: CheckDryRun}
	nd := t.CreateDatabase
	in, err := s.d.WS.GetInstance(ctx, t.InstanceID)
	if err != nil {
		c.Status, c.Summary = CheckError, usererr.From(err).Error()
		return c
	}
	cfg, _, err := s.d.Conns.Config(ctx, in)
	var conn *pgx.Conn
	if err == nil {
		conn, err = pg.Connect(ctx, cfg)
	}
	if err != nil {
		c.Status, c.Summary = CheckWarning, "the instance is unreachable, the plan could not be checked: "+usererr.From(err).Error()
		return c
	}
	defer conn.Close(context.WithoutCancel(ctx))
	c.Basis = "instance " + in.Name
	var exists, ownerOK, canCreate bool
	var enc int
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1),
		$2 = '' OR EXISTS (SELECT FROM pg_roles WHERE rolname = $2),
		(SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user),
		CASE WHEN $3 = '' THEN 0 ELSE pg_char_to_encoding($3) END`, nd.Name, nd.Owner, nd.Encoding).Scan(&exists, &ownerOK, &canCreate, &enc)
	if err != nil {
		c.Status, c.Summary = CheckError, usererr.From(err).Error()
		return c
	}
	add := func(ok bool, title, msg string) {
		st := CheckSuccess
		if !ok {
			st = CheckError
		}
		c.Results = append(c.Results, Result{Status: st, Title: title, Message: msg})
	}
	add(!exists, "Name", map[bool]string{true: fmt.Sprintf("database %s already exists on %s", nd.Name, in.Name), false: fmt.Sprintf("%s is free on %s", nd.Name, in.Name)}[exists])
	if nd.Owner != "" {
		add(ownerOK, "Owner", map[bool]string{true: "role " + nd.Owner + " exists", false: "role " + nd.Owner + " does not exist on " + in.Name}[ownerOK])
	}
	if nd.Encoding != "" {
		add(enc >= 0, "Encoding", map[bool]string{true: nd.Encoding + " is a known encoding", false: nd.Encoding + " is not an encoding PostgreSQL knows"}[enc >= 0])
	}
	add(canCreate, "Privilege", map[bool]string{true: in.User + " may create databases", false: in.User + " may not create databases (CREATEDB)"}[canCreate])
	c.Status, c.Summary = CheckSuccess, fmt.Sprintf("%s can be created on %s", nd.Name, in.Name)
	for _, r := range c.Results {
		if r.Status == CheckError {
			c.Status, c.Summary = CheckError, r.Message
			break
		}
	}
	return c
}
