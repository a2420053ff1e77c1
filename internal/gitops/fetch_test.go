package gitops

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

// watchFixture is a workspace with a project of two databases (on the
// test server, environment test) linked to a bare repository, and a
// teammate's clone pushing to it.
type watchFixture struct {
	*wstest.Fixture
	wf      *workflow.Service
	w       *Watcher
	project workspace.Project
	hr      workspace.Database
	shop    workspace.Database
	remote  string
	mate    *gitRepo
}

func newWatchFixture(t *testing.T, checks bool) *watchFixture {
	t.Helper()
	f := wstest.New(t, pgsrv)
	ctx := context.Background()
	ws := f.WS
	syncer := schemasync.New(ws, f.Conns)
	scr := func(context.Context, bool) (scratch.Server, error) {
		return scratch.Server{URL: pgsrv.AdminURL, Name: "the test server"}, nil
	}
	wf := workflow.New(workflow.Deps{WS: ws, Conns: f.Conns, Sync: syncer, Changes: change.New(ws, f.Conns, syncer),
		Reviewer: livereview.New(review.NewRegistry(), ws, f.Conns, syncer), Scratch: scr,
		Compare: &compare.Comparer{WS: ws, Conns: f.Conns, Sync: syncer, Scratch: scr}, Source: workspace.SourceCLI})
	if _, err := wf.SetUser(ctx, workflow.User{Name: "Ann", Email: "ann@example.com"}); err != nil {
		t.Fatal(err)
	}
	p, err := ws.CreateProject(ctx, "hr")
	if err != nil {
		t.Fatal(err)
	}
	fx := &watchFixture{Fixture: f, wf: wf, project: p}
	for _, d := range []*workspace.Database{&fx.hr, &fx.shop} {
		db, _ := f.Database(t, "")
		if *d, err = ws.AssignProject(ctx, db.ID, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	fx.w = &Watcher{WS: ws, WF: wf, ReposDir: filepath.Join(t.TempDir(), "repos")}
	if checks {
		fx.w.AfterChange = func(ctx context.Context, n int) error {
			_, err := wf.Check(ctx, n)
			return err
		}
	}
	fx.remote = newBare(t)
	fx.mate = newRepo(t, fx.remote)
	fx.mate.commit("init", map[string]string{ConfigFile: "baseDir: bytebase\n", "README.md": "hr\n"})
	fx.mate.git("push", "-q", "origin", "main")
	if _, err := ws.SetProjectRepo(ctx, workspace.ProjectRepo{ProjectID: p.ID, URL: fx.remote, Branch: "main"}); err != nil {
		t.Fatal(err)
	}
	return fx
}

// file names a migration file of database d in environment test.
func file(d workspace.Database, version, typ, desc string) string {
	return "bytebase/test/" + d.Name + "##" + version + "##" + typ + "##" + desc + ".sql"
}

func (fx *watchFixture) push(msg string, files map[string]string) string {
	h := fx.mate.commit(msg, files)
	fx.mate.git("push", "-q", "origin", "main")
	return h
}

func (fx *watchFixture) fetch(t *testing.T) *FetchResult {
	t.Helper()
	res, err := fx.w.Fetch(context.Background(), fx.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (fx *watchFixture) issue(t *testing.T, n int) *workflow.Issue {
	t.Helper()
	is, err := fx.wf.Get(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

func TestFetch(t *testing.T) {
	fx := newWatchFixture(t, true)
	ctx := context.Background()
	hr, shop := fx.hr, fx.shop

	// The first fetch starts at the head: nothing is replayed.
	res := fx.fetch(t)
	if !res.Started || len(res.Issues) != 0 || res.To != fx.mate.git("rev-parse", "HEAD") {
		t.Fatalf("first fetch: %+v", res)
	}
	if again := fx.fetch(t); len(again.Commits) != 0 || again.Started {
		t.Fatalf("nothing new: %+v", again)
	}

	// One file: one issue, titled by the commit, checks run.
	f1 := file(hr, "1", "ddl", "create_t")
	fx.push("hr: create t", map[string]string{f1: "CREATE TABLE t (id int PRIMARY KEY);\n"})
	res = fx.fetch(t)
	if len(res.Issues) != 1 || res.Issues[0].Action != IssueCreated || res.Issues[0].Title != "hr: create t" || !slices.Equal(res.Issues[0].Files, []string{f1}) {
		t.Fatalf("one file: %+v", res)
	}
	one := fx.issue(t, res.Issues[0].Number)
	if len(one.Tasks) != 1 || one.Tasks[0].DatabaseID != hr.ID || one.Tasks[0].Version != "1" || one.Tasks[0].Statement != "CREATE TABLE t (id int PRIMARY KEY);\n" || len(one.Tasks[0].Checks) == 0 {
		t.Fatalf("issue: %+v", one.Tasks[0])
	}

	// Two pushes before a fetch, several files and databases, and files
	// that do not become tasks, each with its reason.
	f2, f3, s1 := file(hr, "2", "ddl", "add_a"), file(hr, "3", "ddl", "add_b"), file(shop, "1", "ddl", "create_s")
	fx.push("hr and shop: columns", map[string]string{
		f3: "ALTER TABLE t ADD COLUMN b int;\n", s1: "CREATE TABLE s (id int PRIMARY KEY);\n",
		"migrations/outside.sql":                         "SELECT 1;\n",
		"bytebase/test/" + hr.Name + "##x##ddl##bad.sql": "SELECT 1;\n",
		"bytebase/test/nodb##1##ddl##x.sql":              "SELECT 1;\n",
		"bytebase/stage/" + hr.Name + "##1##ddl##x.sql":  "SELECT 1;\n",
		"bytebase/test/notes.txt":                        "not sql\n",
	})
	fx.mate.commit("hr: a", map[string]string{f2: "ALTER TABLE t ADD COLUMN a int;\n"})
	fx.mate.git("push", "-q", "origin", "main")
	res = fx.fetch(t)
	if len(res.Commits) != 2 || res.Commits[0].Subject != "hr and shop: columns" || res.Commits[0].Author != "Ada Dev" {
		t.Fatalf("commits: %+v", res.Commits)
	}
	byDB := map[string]IssueEvent{}
	for _, ev := range res.Issues {
		byDB[ev.Database] = ev
	}
	hrEv, shopEv := byDB[hr.Name], byDB[shop.Name]
	if len(res.Issues) != 2 || !slices.Equal(hrEv.Files, []string{f2, f3}) || !slices.Equal(shopEv.Files, []string{s1}) || hrEv.Title != "hr and shop: columns" {
		t.Fatalf("issues: %+v", res.Issues)
	}
	hrIssue := fx.issue(t, hrEv.Number)
	st := hrIssue.Tasks[0].Statement
	if hrIssue.Tasks[0].Version != "3" || strings.Index(st, "ADD COLUMN a") > strings.Index(st, "ADD COLUMN b") || !strings.Contains(st, "-- tidemark:file "+f2+" (version 2)") {
		t.Fatalf("tasks in version order: %q", st)
	}
	if d := hrIssue.Description; !strings.Contains(d, "From 2 commit(s) on main") || !strings.Contains(d, "hr: a (Ada Dev <ada@example.com>)") {
		t.Fatalf("description: %s", d)
	}
	reasons := map[string]string{}
	for _, u := range res.Unmatched {
		reasons[u.Path] = u.Reason
	}
	for p, want := range map[string]string{
		"migrations/outside.sql":                         "outside the base directory",
		"bytebase/test/" + hr.Name + "##x##ddl##bad.sql": `version "x" is not numeric`,
		"bytebase/test/nodb##1##ddl##x.sql":              `database "nodb" is not in the project`,
		"bytebase/stage/" + hr.Name + "##1##ddl##x.sql":  `environment "stage" is not one of the project's`,
	} {
		if !strings.Contains(reasons[p], want) {
			t.Errorf("%s: reason %q, want %q", p, reasons[p], want)
		}
	}
	if len(res.Unmatched) != 4 {
		t.Errorf("unmatched: %+v", res.Unmatched)
	}

	// A pending file modified: the statement is replaced, checks run again.
	fx.push("hr: b is bigint", map[string]string{f3: "ALTER TABLE t ADD COLUMN b bigint;\n"})
	res = fx.fetch(t)
	if len(res.Issues) != 1 || res.Issues[0].Action != IssueUpdated || res.Issues[0].Number != hrEv.Number || res.Issues[0].Error != "" {
		t.Fatalf("modified pending: %+v", res)
	}
	if st := fx.issue(t, hrEv.Number).Tasks[0].Statement; !strings.Contains(st, "ADD COLUMN b bigint") || !strings.Contains(st, "ADD COLUMN a int") {
		t.Fatalf("replaced statement: %q", st)
	}

	// The first issue rolls out; modifying its file afterwards is an
	// anomaly, never a re-run.
	if _, err := fx.wf.Rollout(ctx, workflow.RolloutRequest{Issue: one.Number}); err != nil {
		t.Fatal(err)
	}
	if is := fx.issue(t, one.Number); is.Tasks[0].Status != workflow.TaskDone {
		t.Fatalf("rollout: %+v", is.Tasks[0])
	}
	fx.push("hr: t gets a name", map[string]string{f1: "CREATE TABLE t (id int PRIMARY KEY, name text);\n"})
	res = fx.fetch(t)
	if len(res.Anomalies) != 1 || res.Anomalies[0].Kind != AnomalyModifiedApplied || res.Anomalies[0].Path != f1 || res.Anomalies[0].Issue != one.Number || len(res.Issues) != 0 {
		t.Fatalf("modified applied: %+v", res)
	}
	if st := fx.issue(t, one.Number).Tasks[0].Statement; strings.Contains(st, "name text") {
		t.Fatalf("an applied task changed: %q", st)
	}

	// A pending file deleted: its task (and here its issue) is canceled.
	fx.push("shop: not yet", map[string]string{s1: ""})
	res = fx.fetch(t)
	if len(res.Issues) != 1 || res.Issues[0].Action != IssueCanceled || res.Issues[0].Number != shopEv.Number {
		t.Fatalf("deleted pending: %+v", res)
	}
	if is := fx.issue(t, shopEv.Number); is.Status != workflow.StatusCanceled || is.Tasks[0].Status != workflow.TaskCanceled {
		t.Fatalf("canceled: %s %s", is.Status, is.Tasks[0].Status)
	}

	// A rename of a pending file follows it; a later change of it still
	// reaches its task.
	f2r := file(hr, "2", "ddl", "add_column_a")
	fx.mate.git("mv", f2, f2r)
	fx.push("hr: clearer name", nil)
	res = fx.fetch(t)
	if len(res.Issues) != 0 || len(res.Unmatched) != 0 || !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "renamed to "+f2r) }) {
		t.Fatalf("rename: %+v", res)
	}
	fx.push("hr: a is text", map[string]string{f2r: "ALTER TABLE t ADD COLUMN a text;\n"})
	if res = fx.fetch(t); len(res.Issues) != 1 || res.Issues[0].Number != hrEv.Number || !slices.Equal(res.Issues[0].Files, []string{f2r, f3}) {
		t.Fatalf("modified after rename: %+v", res)
	}

	// A merge commit: the feature's file and main's arrive in one push, one
	// issue for the database, in version order; Tidemark's own commit is
	// listed and skipped.
	fx.mate.git("checkout", "-q", "-b", "feature")
	f5 := file(hr, "5", "ddl", "feature")
	fx.mate.commit("hr: feature table", map[string]string{f5: "CREATE TABLE feature (id int);\n"})
	fx.mate.git("checkout", "-q", "main")
	f4 := file(hr, "4", "ddl", "mainline")
	fx.mate.commit("hr: mainline table", map[string]string{f4: "CREATE TABLE mainline (id int);\n"})
	fx.mate.git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
	fx.mate.commit("Update latest schema\n\n"+WritebackTrailer+" latest", map[string]string{"bytebase/test/." + hr.Name + "##LATEST.sql": "CREATE TABLE t (id int);\n"})
	fx.mate.git("push", "-q", "origin", "main")
	res = fx.fetch(t)
	merges, skipped := 0, 0
	for _, c := range res.Commits {
		if c.Merge {
			merges++
		}
		if c.Skipped != "" {
			skipped++
		}
	}
	if len(res.Commits) != 4 || merges != 1 || skipped != 1 || len(res.Issues) != 1 || !slices.Equal(res.Issues[0].Files, []string{f4, f5}) || len(res.Unmatched) != 0 {
		t.Fatalf("merge: %+v", res)
	}

	// A force push: detected, reported, the watch continues from the new
	// head without replaying.
	before := fx.mate.git("rev-parse", "HEAD")
	fx.mate.git("reset", "-q", "--hard", "HEAD~3")
	f6 := file(hr, "6", "ddl", "rewritten")
	fx.mate.commit("hr: rewritten", map[string]string{f6: "CREATE TABLE rewritten (id int);\n"})
	fx.mate.git("push", "-q", "--force", "origin", "main")
	res = fx.fetch(t)
	if res.ForcePush == nil || res.ForcePush.Previous != before || len(res.Issues) != 0 || res.To != fx.mate.git("rev-parse", "HEAD") {
		t.Fatalf("force push: %+v", res)
	}
	f7 := file(hr, "7", "ddl", "after")
	fx.push("hr: after the rewrite", map[string]string{f7: "CREATE TABLE after_rewrite (id int);\n"})
	if res = fx.fetch(t); res.ForcePush != nil || len(res.Issues) != 1 || !slices.Equal(res.Issues[0].Files, []string{f7}) {
		t.Fatalf("after force push: %+v", res)
	}
}

// A link to a local clone fetches its origin and honours a start commit
// (history after it is replayed, before it not).
func TestFetchLocalPathAndStartCommit(t *testing.T) {
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	start := fx.push("before", map[string]string{file(fx.hr, "1", "ddl", "old"): "CREATE TABLE old (id int);\n"})
	f2 := file(fx.hr, "2", "ddl", "new")
	fx.push("after", map[string]string{f2: "CREATE TABLE new (id int);\n"})
	clone := newRepo(t, fx.remote)
	clone.git("pull", "-q", "origin", "main")
	if _, err := fx.WS.SetProjectRepo(ctx, workspace.ProjectRepo{ProjectID: fx.project.ID, Path: clone.dir, Branch: "main", StartCommit: start}); err != nil {
		t.Fatal(err)
	}
	f3 := file(fx.hr, "3", "dml", "seed")
	fx.push("seed", map[string]string{f3: "INSERT INTO new VALUES (1);\n"}) // pushed by a teammate: only the remote has it
	res := fx.fetch(t)
	types := map[string]workflow.Type{}
	for _, ev := range res.Issues {
		types[strings.Join(ev.Files, ",")] = fx.issue(t, ev.Number).Type
	}
	if len(res.Issues) != 2 || types[f2] != workflow.TypeSchemaChange || types[f3] != workflow.TypeDataChange {
		t.Fatalf("from the start commit: %+v (%v)", res, types)
	}
}
