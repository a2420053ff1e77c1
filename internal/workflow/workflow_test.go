package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) {
	if os.Getenv(crashEnv) != "" {
		os.Exit(crashChild())
	}
	os.Exit(pgtest.Run(m, &srv))
}

type fixture struct {
	*wstest.Fixture
	wf      *workflow.Service
	project workspace.Project
}

// deps builds the workflow's use-cases on a workspace, with the pgtest
// server as the scratch server.
func deps(ws *workspace.Store, f *wstest.Fixture, scratchURL string) workflow.Deps {
	syncer := schemasync.New(ws, f.Conns)
	scr := func(context.Context, bool) (scratch.Server, error) {
		return scratch.Server{URL: scratchURL, Name: "the test server"}, nil
	}
	return workflow.Deps{WS: ws, Conns: f.Conns, Sync: syncer, Changes: change.New(ws, f.Conns, syncer),
		Reviewer: livereview.New(review.NewRegistry(), ws, f.Conns, syncer), Scratch: scr,
		Compare: &compare.Comparer{WS: ws, Conns: f.Conns, Sync: syncer, Scratch: scr}}
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := wstest.New(t, srv)
	ctx := context.Background()
	wf := workflow.New(deps(f.WS, f, srv.AdminURL))
	if _, err := wf.SetUser(ctx, workflow.User{Name: "Ann", Email: "ann@example.com"}); err != nil {
		t.Fatal(err)
	}
	p, err := f.WS.CreateProject(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	return fixture{Fixture: f, wf: wf, project: p}
}

// database creates a database in the fixture's project.
func (f fixture) database(t *testing.T, sql string, prod bool) workspace.Database {
	t.Helper()
	d, _ := f.Database(t, sql)
	if prod {
		d = f.Production(t, d)
	}
	d, err := f.WS.AssignProject(context.Background(), d.ID, f.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ready creates an issue on d with sql, runs its checks and, when the
// checks only warn, records "roll out anyway", so its gates open.
func (f fixture) ready(t *testing.T, d workspace.Database, sql, version string) *workflow.Issue {
	t.Helper()
	ctx := context.Background()
	is, err := f.wf.Create(ctx, workflow.CreateRequest{DatabaseIDs: []string{d.ID}, SQL: sql, Version: version})
	if err != nil {
		t.Fatal(err)
	}
	if is, err = f.wf.Check(ctx, is.Number); err != nil {
		t.Fatal(err)
	}
	if g, ok := closedGate(is, "t1"); ok && g == "checks" {
		if is, err = f.wf.ForceRollout(ctx, is.Number, 0, "", "reviewed"); err != nil {
			t.Fatal(err)
		}
	}
	return is
}

func closedGate(is *workflow.Issue, task string) (string, bool) {
	for _, g := range workflow.Gates(is, is.Task(task), nil) {
		if !g.Open {
			return g.Name, true
		}
	}
	return "", false
}

func check(t *testing.T, is *workflow.Issue, task string, kind workflow.CheckKind) workflow.Check {
	t.Helper()
	for _, c := range is.Task(task).Checks {
		if c.Kind == kind {
			return c
		}
	}
	t.Fatalf("task %s has no %s check", task, kind)
	return workflow.Check{}
}

func refusedGate(t *testing.T, err error) string {
	t.Helper()
	var r *workflow.Refused
	if !errors.As(err, &r) {
		t.Fatalf("error %v is not a refusal", err)
	}
	return r.Gate
}

// The tutorial's path: alter schema on a test and a prod database; checks;
// the test stage rolls out automatically; prod waits for approval, then
// for the click; the change lands in both histories with the issue number.
func TestSchemaChangeThroughStages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	test := f.database(t, "CREATE TABLE t0 (id int PRIMARY KEY)", false)
	prod := f.database(t, "CREATE TABLE t0 (id int PRIMARY KEY)", true)
	sql := "CREATE TABLE t1 (id int PRIMARY KEY, name text);\nUPDATE t0 SET id = id WHERE id > 0;"
	is, err := f.wf.Create(ctx, workflow.CreateRequest{ProjectID: f.project.ID, DatabaseIDs: []string{prod.ID, test.ID}, SQL: sql, Version: "20261203000001"})
	if err != nil {
		t.Fatal(err)
	}
	if is.Number != 1 || is.Title != "Alter schema of "+prod.Name+", "+test.Name || is.Approval.Status != workflow.ApprovalPending {
		t.Fatalf("created = #%d %q approval %s", is.Number, is.Title, is.Approval.Status)
	}
	// Tasks follow the pipeline: test first.
	if is.Tasks[0].ID != "t1" || is.Task("t1").DatabaseID != test.ID || is.Task("t2").DatabaseID != prod.ID {
		t.Fatalf("tasks = %+v %+v", is.Tasks[0], is.Tasks[1])
	}
	if err := f.wf.CanRollout(ctx, workflow.RolloutRequest{Issue: 1}); refusedGate(t, err) != "checks" {
		t.Fatalf("rollout before checks: %v", err)
	}
	is, err = f.wf.Check(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []workflow.CheckKind{workflow.CheckSyntax, workflow.CheckDryRun, workflow.CheckAffectedRows} {
		if c := check(t, is, "t1", k); c.Status != workflow.CheckSuccess {
			t.Errorf("%s check = %+v", k, c)
		}
	}
	dry := check(t, is, "t2", workflow.CheckDryRun)
	if len(dry.Objects) != 1 || dry.Objects[0].Action != "added" || dry.Objects[0].Name != "t1" || !strings.Contains(dry.Basis, "fresh sync") {
		t.Fatalf("dry run = %+v", dry)
	}
	rows := check(t, is, "t1", workflow.CheckAffectedRows)
	if len(rows.Rows) != 1 || rows.Rows[0].Statement != "UPDATE" || rows.Rows[0].Line != 2 {
		t.Fatalf("affected rows = %+v", rows)
	}
	if sum := check(t, is, "t1", workflow.CheckSummary); !strings.Contains(sum.Summary, "CREATE TABLE ×1") || !strings.Contains(sum.Summary, "UPDATE ×1") {
		t.Fatalf("summary = %+v", sum)
	}
	// The default review policy warns on this change; rolling out needs "anyway".
	rv := check(t, is, "t2", workflow.CheckReview)
	if rv.Status == workflow.CheckWarning {
		if err := f.wf.CanRollout(ctx, workflow.RolloutRequest{Issue: 1, Stage: "prod"}); refusedGate(t, err) != "checks" {
			t.Fatalf("rollout past warnings without a comment: %v", err)
		}
		if _, err := f.wf.ForceRollout(ctx, 1, 0, "", ""); err == nil {
			t.Fatal("forcing without a comment was accepted")
		}
		if is, err = f.wf.ForceRollout(ctx, 1, is.Version, "", "reviewed by hand"); err != nil {
			t.Fatal(err)
		}
	} else if rv.Status != workflow.CheckSuccess {
		t.Fatalf("review = %+v", rv)
	}
	// The issue waits for approval (it changes prod): nothing starts.
	is, err = f.wf.Advance(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"t1", "t2"} {
		if tk := is.Task(id); tk.Status != workflow.TaskNotStarted || !strings.Contains(tk.Reason, "approval") {
			t.Fatalf("task %s before approval = %s %q", id, tk.Status, tk.Reason)
		}
	}
	if err := f.wf.CanRollout(ctx, workflow.RolloutRequest{Issue: 1, Stage: "Prod"}); refusedGate(t, err) != "approval" {
		t.Fatalf("rollout before approval: %v", err)
	}
	// A stale approval loses; a fresh one wins.
	if _, err := f.wf.Approve(ctx, 1, is.Version-1, "ok"); !errors.Is(err, workflow.ErrChanged) {
		t.Fatalf("stale approve: %v", err)
	}
	if is, err = f.wf.Approve(ctx, 1, is.Version, "looks good"); err != nil {
		t.Fatal(err)
	}
	// Test rolls out automatically; prod is manual.
	if is, err = f.wf.Advance(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if st := is.Task("t1").Status; st != workflow.TaskDone {
		t.Fatalf("test task = %s (%s, %+v)", st, is.Task("t1").Reason, is.Task("t1").Error)
	}
	if st := is.Task("t2").Status; st != workflow.TaskPending {
		t.Fatalf("prod task after approval = %s %q", st, is.Task("t2").Reason)
	}
	if is, err = f.wf.Rollout(ctx, workflow.RolloutRequest{Issue: 1, Stage: "prod", Version: is.Version}); err != nil {
		t.Fatal(err)
	}
	if is.Status != workflow.StatusDone || is.Task("t2").Status != workflow.TaskDone || is.Task("t2").ChangeID == "" {
		t.Fatalf("after rollout: %s, %+v", is.Status, is.Task("t2"))
	}
	// Both histories carry the issue.
	for _, d := range []workspace.Database{test, prod} {
		cs, err := f.WS.ListChanges(ctx, d.ID)
		if err != nil || len(cs) != 1 || cs[0].Issue != 1 || cs[0].Status != "done" || cs[0].AfterSnapshotID == "" {
			t.Fatalf("history of %s = %+v, %v", d.Name, cs, err)
		}
	}
	if cs, err := f.WS.ListProjectChanges(ctx, f.project.ID, 0); err != nil || len(cs) != 2 {
		t.Fatalf("project history = %d rows, %v", len(cs), err)
	}
	rep, err := f.wf.Report(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Stages) != 2 || rep.Stages[0].Environment != "test" || len(rep.Stages[1].Tasks[0].Runs) != 1 ||
		len(rep.Stages[1].Tasks[0].Runs[0].Statements) != 2 || rep.Approval.Steps[0].By.Email != "ann@example.com" {
		t.Fatalf("report = %+v", rep.Stages)
	}
	kinds := map[string]bool{}
	for _, a := range rep.Activity {
		kinds[a.Kind] = true
	}
	for _, k := range []string{"created", "checks", "approved", "task_started", "task_done"} {
		if !kinds[k] {
			t.Errorf("activity lacks %s: %+v", k, rep.Activity)
		}
	}
}

// A syntax error makes a draft: created, the syntax check fails with the
// position, nothing can roll out; fixing the plan re-runs the checks.
func TestSyntaxErrorIsADraft(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "", false)
	is, err := f.wf.Create(ctx, workflow.CreateRequest{DatabaseIDs: []string{d.ID}, SQL: "CREATE TABLE a (id int);\nCREATE TABLEX b (id int);"})
	if err != nil {
		t.Fatal(err)
	}
	if is.ProjectID != f.project.ID {
		t.Fatalf("project = %q, want the database's", is.ProjectID)
	}
	is, err = f.wf.Check(ctx, is.Number)
	if err != nil {
		t.Fatal(err)
	}
	syn := check(t, is, "t1", workflow.CheckSyntax)
	if syn.Status != workflow.CheckError || len(syn.Results) != 1 || syn.Results[0].Line != 2 || syn.Results[0].Column == 0 {
		t.Fatalf("syntax = %+v", syn)
	}
	if _, err := f.wf.Rollout(ctx, workflow.RolloutRequest{Issue: is.Number}); refusedGate(t, err) != "checks" {
		t.Fatalf("rollout of a draft: %v", err)
	}
	if is, err = f.wf.UpdatePlan(ctx, is.Number, is.Version, "", "CREATE TABLE a (id int PRIMARY KEY);", ""); err != nil {
		t.Fatal(err)
	}
	if c := check(t, is, "t1", workflow.CheckSyntax); c.Status != workflow.CheckRunning {
		t.Fatalf("after editing, syntax = %s", c.Status)
	}
	if is, err = f.wf.Check(ctx, is.Number); err != nil {
		t.Fatal(err)
	}
	if c := check(t, is, "t1", workflow.CheckSyntax); c.Status != workflow.CheckSuccess {
		t.Fatalf("fixed syntax = %+v", c)
	}
}

// Issues filed one after another on a database (a CI job with several
// files) get distinct, increasing default versions, past those already in
// its history, even within one second.
func TestDefaultVersionsNeverCollide(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "", false)
	done := f.ready(t, d, "CREATE TABLE a (id int PRIMARY KEY);", "29990101000000")
	if _, err := f.wf.Rollout(ctx, workflow.RolloutRequest{Issue: done.Number}); err != nil {
		t.Fatal(err)
	}
	prev := "29990101000000"
	for i := range 3 {
		is, err := f.wf.Create(ctx, workflow.CreateRequest{DatabaseIDs: []string{d.ID}, SQL: fmt.Sprintf("CREATE TABLE b%d (id int PRIMARY KEY);", i)})
		if err != nil {
			t.Fatal(err)
		}
		v := is.Task("t1").Version
		if len(v) != len(prev) || v <= prev {
			t.Fatalf("issue %d version %s, want a timestamp after %s", i, v, prev)
		}
		prev = v
	}
}

// A dry run that fails blocks the rollout and names the statement, its
// line and the SQLSTATE; the target is untouched.
func TestDryRunFailureBlocksRollout(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "CREATE TABLE items (id int)", false)
	is, err := f.wf.Create(ctx, workflow.CreateRequest{DatabaseIDs: []string{d.ID}, SQL: "CREATE TABLE a (id int);\n\nALTER TABLE missing ADD COLUMN x int;"})
	if err != nil {
		t.Fatal(err)
	}
	if is, err = f.wf.Check(ctx, is.Number); err != nil {
		t.Fatal(err)
	}
	dry := check(t, is, "t1", workflow.CheckDryRun)
	if dry.Status != workflow.CheckError || len(dry.Results) != 1 || dry.Results[0].SQLState != "42P01" || dry.Results[0].Line != 3 ||
		!strings.Contains(dry.Results[0].Statement, "ALTER TABLE missing") {
		t.Fatalf("dry run = %+v", dry)
	}
	if is, err = f.wf.Advance(ctx, is.Number); err != nil || is.Task("t1").Status != workflow.TaskNotStarted {
		t.Fatalf("advance past a failed dry run = %s, %v", is.Task("t1").Status, err)
	}
	if err := f.wf.CanRollout(ctx, workflow.RolloutRequest{Issue: is.Number}); refusedGate(t, err) != "checks" || !strings.Contains(err.Error(), "dry_run") {
		t.Fatalf("rollout: %v", err)
	}
	var n int
	if err := pgtest.Conn(t, srv.AdminURL).QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname LIKE 'tidemark\_scratch\_%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d scratch databases left behind", n)
	}
}

// Two rollouts of one issue at once run its task once.
func TestConcurrentRolloutsRunOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "", false)
	if _, err := f.WS.SetEnvironmentRollout(ctx, "test", workspace.RolloutManual); err != nil {
		t.Fatal(err)
	}
	is := f.ready(t, d, "CREATE TABLE a (id int PRIMARY KEY);", "")
	// A second Service is a second window (or the CLI) on the same workspace.
	other := workflow.New(deps(f.WS, f.Fixture, srv.AdminURL))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, s := range []*workflow.Service{f.wf, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Rollout(ctx, workflow.RolloutRequest{Issue: is.Number, Version: is.Version})
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("both or neither won: %v / %v", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, workflow.ErrChanged) && !strings.Contains(err.Error(), "running") {
			t.Fatalf("loser's error: %v", err)
		}
	}
	runs, err := f.wf.Runs(ctx, is.Number)
	if err != nil || len(runs) != 1 || runs[0].Status != "done" {
		t.Fatalf("runs = %+v, %v", runs, err)
	}
}

// New DB in Prod: the issue waits for approval; approved and rolled out,
// the database exists, is in the workspace in its project and environment,
// and is synced. Creating it again is refused by the check.
func TestCreateDatabase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	name := "demo_" + strings.ReplaceAll(strings.ToLower(t.Name()), "/", "_")
	t.Cleanup(func() { _ = srv.Exec(context.Background(), `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`) })
	req := workflow.CreateRequest{Type: workflow.TypeCreateDatabase, ProjectID: f.project.ID,
		CreateDatabase: &workflow.NewDatabase{InstanceID: f.Instance.ID, Name: name, Owner: "postgres", EnvironmentID: "prod"}}
	is, err := f.wf.Create(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if is.Title != "Create database "+name || is.Approval.Status != workflow.ApprovalPending || is.Tasks[0].Statement != `CREATE DATABASE "`+name+`" OWNER "postgres";` {
		t.Fatalf("issue = %q %s %q", is.Title, is.Approval.Status, is.Tasks[0].Statement)
	}
	if is, err = f.wf.Check(ctx, is.Number); err != nil {
		t.Fatal(err)
	}
	if c := check(t, is, "t1", workflow.CheckDryRun); c.Status != workflow.CheckSuccess {
		t.Fatalf("create check = %+v", c)
	}
	if is, err = f.wf.Approve(ctx, is.Number, is.Version, ""); err != nil {
		t.Fatal(err)
	}
	if is, err = f.wf.Rollout(ctx, workflow.RolloutRequest{Issue: is.Number}); err != nil {
		t.Fatal(err)
	}
	if is.Status != workflow.StatusDone {
		t.Fatalf("issue = %s, task %+v", is.Status, is.Tasks[0])
	}
	db, err := f.WS.FindDatabase(ctx, f.Instance.ID, name)
	if err != nil || db.ProjectID != f.project.ID || db.EnvironmentID != "prod" || is.Tasks[0].DatabaseID != db.ID {
		t.Fatalf("new database = %+v, %v", db, err)
	}
	if _, err := f.WS.LatestSnapshotInfo(ctx, db.ID); err != nil {
		t.Fatalf("the new database was not synced: %v", err)
	}
	again, err := f.wf.Create(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if again, err = f.wf.Check(ctx, again.Number); err != nil {
		t.Fatal(err)
	}
	if c := check(t, again, "t1", workflow.CheckDryRun); c.Status != workflow.CheckError || !strings.Contains(c.Summary, "already exists") {
		t.Fatalf("second create check = %+v", c)
	}
}

// A target that went away fails the task with the connection error; the
// task can be retried.
func TestUnreachableTargetFailsAndRetries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "", false)
	is := f.ready(t, d, "CREATE TABLE a (id int PRIMARY KEY);", "")
	var err error
	pgtest.MustExec(t, srv.AdminURL, `DROP DATABASE "`+d.Name+`" WITH (FORCE)`)
	if is, err = f.wf.Advance(ctx, is.Number); err != nil {
		t.Fatal(err)
	}
	t1 := is.Task("t1")
	if t1.Status != workflow.TaskFailed || t1.Error == nil || t1.Error.SQLState != "3D000" {
		t.Fatalf("task = %s %+v", t1.Status, t1.Error)
	}
	if is, err = f.wf.Retry(ctx, is.Number, is.Version, "t1"); err != nil || is.Task("t1").Status == workflow.TaskFailed {
		t.Fatalf("retry = %v", err)
	}
	if _, err := f.wf.Skip(ctx, is.Number, 0, "t1", ""); err == nil || usererr.From(err).Field != "reason" {
		t.Fatalf("skip without reason: %v", err)
	}
	if is, err = f.wf.Skip(ctx, is.Number, 0, "t1", "database retired"); err != nil || is.Status != workflow.StatusDone {
		t.Fatalf("skip = %v, issue %s", err, is.Status)
	}
}

// Rolling back a done change creates an issue whose SQL undoes it, with
// its hazards in words; after the database moved on it is refused.
func TestRollback(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "CREATE TABLE items (id int PRIMARY KEY)", false)
	is := f.ready(t, d, "ALTER TABLE items ADD COLUMN note text;", "")
	var err error
	if is, err = f.wf.Advance(ctx, is.Number); err != nil || is.Status != workflow.StatusDone {
		t.Fatalf("change = %v %+v", err, is.Task("t1"))
	}
	back, err := f.wf.Rollback(ctx, d.ID, is.Task("t1").ChangeID, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(back.Tasks[0].Statement, "DROP COLUMN note") || !strings.Contains(back.Description, "What this loses") || back.RollbackOf == nil {
		t.Fatalf("rollback issue = %q\n%s", back.Tasks[0].Statement, back.Description)
	}
	// Drift: the schema changed outside Tidemark.
	pgtest.MustExec(t, srv.DBURL(d.Name), "CREATE TABLE other (id int)")
	if _, err := f.wf.PlanRollback(ctx, d.ID, is.Task("t1").ChangeID, false); err == nil || !strings.Contains(err.Error(), "moved on") {
		t.Fatalf("rollback after drift: %v", err)
	}
	p, err := f.wf.PlanRollback(ctx, d.ID, is.Task("t1").ChangeID, true)
	if err != nil || !p.Rebased || !strings.Contains(p.SQL, "DROP TABLE public.other") {
		t.Fatalf("rebased rollback = %+v, %v", p, err)
	}
}

// Approving one's own issue follows the project's setting; editing the
// plan requests approval again.
func TestSelfApprovalAndReapproval(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.database(t, "", true)
	if _, err := f.WS.SetProjectSelfApproval(ctx, f.project.ID, false); err != nil {
		t.Fatal(err)
	}
	is := f.ready(t, d, "CREATE TABLE a (id int PRIMARY KEY);", "")
	if _, err := f.wf.Approve(ctx, is.Number, 0, ""); refusedGate(t, err) != "approval" || !strings.Contains(err.Error(), "your own issue") {
		t.Fatalf("self-approval: %v", err)
	}
	if _, err := f.wf.Reject(ctx, is.Number, 0, " "); err == nil {
		t.Fatal("a rejection without a comment was accepted")
	}
	if _, err := f.wf.SetUser(ctx, workflow.User{Name: "Bob", Email: "bob@example.com"}); err != nil {
		t.Fatal(err)
	}
	is, err := f.wf.Approve(ctx, is.Number, 0, "fine")
	if err != nil || is.Approval.Status != workflow.ApprovalApproved || is.Approval.Steps[0].By.Name != "Bob" {
		t.Fatalf("approve by another member = %+v, %v", is.Approval, err)
	}
	if is, err = f.wf.UpdatePlan(ctx, is.Number, is.Version, "", "CREATE TABLE b (id int PRIMARY KEY);", "20991231000000"); err != nil {
		t.Fatal(err)
	}
	if is.Approval.Status != workflow.ApprovalPending || is.Task("t1").Version != "20991231000000" || is.Task("t1").Forced != nil {
		t.Fatalf("after editing: approval %s, version %s, forced %v", is.Approval.Status, is.Task("t1").Version, is.Task("t1").Forced)
	}
	if _, err := f.wf.UpdatePlan(ctx, is.Number, 0, "", "SELECT 1", "not a version"); err == nil || usererr.From(err).Field != "version" {
		t.Fatalf("bad version: %v", err)
	}
	if is, err = f.wf.Reject(ctx, is.Number, 0, "wrong table"); err != nil || is.Approval.Status != workflow.ApprovalRejected {
		t.Fatalf("reject = %v", err)
	}
	if err := f.wf.CanRollout(ctx, workflow.RolloutRequest{Issue: is.Number}); refusedGate(t, err) == "" {
		t.Fatalf("rollout after rejection: %v", err)
	}
	if is, err = f.wf.Cancel(ctx, is.Number, 0, "", "not needed"); err != nil || is.Status != workflow.StatusCanceled || is.Task("t1").Status != workflow.TaskCanceled {
		t.Fatalf("cancel = %v %s", err, is.Status)
	}
}
