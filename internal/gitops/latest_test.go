package gitops

import (
	"context"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

func TestWriteLatest(t *testing.T) {
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	d, url := fx.Database(t, "CREATE TABLE employees (id int PRIMARY KEY, name text NOT NULL);")
	d, err := fx.WS.AssignProject(ctx, d.ID, fx.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	lw := &LatestWriter{WS: fx.WS, Conns: fx.Conns}
	req := LatestRequest{ProjectID: fx.project.ID, DatabaseID: d.ID, Version: "202311012500", Issue: 7, Identity: Identity{Name: "Bot", Email: "bot@example.com"}}
	res, err := lw.Write(ctx, req)
	latest := "bytebase/test/." + d.Name + "##LATEST.sql"
	if err != nil || res.Unchanged || res.Commit == "" || res.Path != latest || res.Attempts != 1 {
		t.Fatalf("write: %+v %v", res, err)
	}
	// The remote has the commit: its message, trailer, identity and a dump
	// without Tidemark's schema.
	fx.mate.git("pull", "-q", "origin", "main")
	msg := fx.mate.git("log", "-1", "--format=%an <%ae>%n%B")
	for _, want := range []string{"Bot <bot@example.com>", `Update latest schema for "` + d.Name + `" after migration 202311012500`, "Issue: #7", WritebackTrailer} {
		if !strings.Contains(msg, want) {
			t.Errorf("commit message lacks %q:\n%s", want, msg)
		}
	}
	body := fx.mate.git("show", "HEAD:"+latest)
	if !strings.Contains(body, "CREATE TABLE public.employees") || strings.Contains(body, "migration_history") {
		t.Fatalf("LATEST:\n%s", body)
	}
	// The watcher starts after the first write-back (its first fetch).
	fx.fetch(t)
	// Unchanged schema: no commit.
	before := fx.mate.git("ls-remote", fx.remote, "refs/heads/main")
	if res, err = lw.Write(ctx, req); err != nil || !res.Unchanged || res.Commit != "" {
		t.Fatalf("unchanged: %+v %v", res, err)
	}
	if after := fx.mate.git("ls-remote", fx.remote, "refs/heads/main"); after != before {
		t.Fatalf("an unchanged schema pushed: %s -> %s", before, after)
	}
	// A teammate pushes between the write's commit and its push: the push
	// is refused, the write is made again on the new head, both survive.
	pgtest.MustExec(t, url, "ALTER TABLE employees ADD COLUMN nick_name text NOT NULL DEFAULT ''")
	lw.beforePush = func(attempt int) {
		if attempt == 1 {
			fx.mate.git("pull", "-q", "origin", "main")
			fx.push("docs: readme", map[string]string{"README.md": "hr, updated\n"})
		}
	}
	res, err = lw.Write(ctx, req)
	if err != nil || res.Attempts != 2 || res.Commit == "" {
		t.Fatalf("race: %+v %v", res, err)
	}
	fx.mate.git("pull", "-q", "origin", "main")
	if log := fx.mate.git("log", "-2", "--format=%s"); !strings.Contains(log, "docs: readme") || !strings.Contains(log, "Update latest schema") {
		t.Fatalf("history after the race:\n%s", log)
	}
	if body := fx.mate.git("show", "HEAD:"+latest); !strings.Contains(body, "nick_name") {
		t.Fatalf("LATEST after the race:\n%s", body)
	}
	// The watcher lists Tidemark's commits as skipped and makes no issue.
	res2 := fx.fetch(t)
	skipped := 0
	for _, c := range res2.Commits {
		if c.Skipped != "" {
			skipped++
		}
	}
	if skipped != 1 || len(res2.Issues) != 0 || len(res2.Unmatched) != 0 {
		t.Fatalf("watcher after write-backs: %+v", res2)
	}
	// A local clone without origin cannot be written back.
	local := newRepo(t, "")
	local.commit("init", nil)
	if _, err := fx.WS.SetProjectRepo(ctx, workspace.ProjectRepo{ProjectID: fx.project.ID, Path: local.dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := lw.Write(ctx, req); err == nil || !strings.Contains(err.Error(), "has no origin") {
		t.Fatalf("no origin: %v", err)
	}
}

// The tutorial's loop: a pushed file becomes an issue that rolls out by
// itself (test environment: automatic, no approval), and the LATEST file is
// committed to the repository; the watcher skips that commit.
func TestFetchRollsOutAndWritesBack(t *testing.T) {
	fx := newWatchFixture(t, false)
	fx.w.AfterChange = func(ctx context.Context, n int) error {
		if _, err := fx.wf.Check(ctx, n); err != nil {
			return err
		}
		_, err := fx.wf.Advance(ctx, n)
		return err
	}
	fx.w.Latest = &LatestWriter{WS: fx.WS, Conns: fx.Conns}
	fx.fetch(t)
	f1 := file(fx.hr, "202311012500", "ddl", "add_nickname_table_employee")
	fx.push("hr: employees", map[string]string{f1: "CREATE TABLE employees (id int PRIMARY KEY, nick_name text NOT NULL DEFAULT '');\n"})
	res := fx.fetch(t)
	if len(res.Issues) != 1 || res.Issues[0].Error != "" {
		t.Fatalf("fetch: %+v", res)
	}
	if is := fx.issue(t, res.Issues[0].Number); is.Tasks[0].Status != "done" {
		t.Fatalf("not rolled out: %+v", is.Tasks[0])
	}
	fx.mate.git("pull", "-q", "origin", "main")
	latest := "bytebase/test/." + fx.hr.Name + "##LATEST.sql"
	if body := fx.mate.git("show", "HEAD:"+latest); !strings.Contains(body, "nick_name text DEFAULT ''::text NOT NULL") {
		t.Fatalf("LATEST:\n%s", body)
	}
	if subj := fx.mate.git("log", "-1", "--format=%s"); subj != `Update latest schema for "`+fx.hr.Name+`" after migration 202311012500` {
		t.Fatalf("subject %q", subj)
	}
	again := fx.fetch(t)
	if len(again.Commits) != 1 || again.Commits[0].Skipped == "" || len(again.Issues) != 0 {
		t.Fatalf("the write-back came back: %+v", again)
	}
}
