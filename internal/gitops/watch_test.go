package gitops

import (
	"context"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

func activityKinds(is *workflow.Issue) []string {
	var out []string
	for _, a := range is.Activity {
		out = append(out, a.Kind)
	}
	return out
}

// A schema change rolled out outside a fetch (a click in the app, tidemark
// issue rollout) writes LATEST back through the workflow hook; a failed
// write-back is noted on the issue and opens an anomaly that the next
// successful write-back resolves; the rollout stands either way.
func TestWriteBackAfterRollout(t *testing.T) {
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	anomalies := anomaly.NewStore(fx.WS)
	lw := &LatestWriter{WS: fx.WS, Conns: fx.Conns}
	fx.wf.AfterTask = lw.AfterTask(fx.wf, anomalies)
	fx.fetch(t)
	latest := "bytebase/test/." + fx.hr.Name + "##LATEST.sql"
	change := func(sql string) *workflow.Issue {
		t.Helper()
		is, err := fx.wf.Create(ctx, workflow.CreateRequest{Type: workflow.TypeSchemaChange, ProjectID: fx.project.ID, DatabaseIDs: []string{fx.hr.ID}, SQL: sql, Title: sql})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fx.wf.Check(ctx, is.Number); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.wf.Rollout(ctx, workflow.RolloutRequest{Issue: is.Number}); err != nil {
			if !strings.Contains(err.Error(), "roll out anyway") {
				t.Fatal(err)
			}
			if _, err := fx.wf.ForceRollout(ctx, is.Number, 0, is.Tasks[0].ID, "the review's advice was read"); err != nil {
				t.Fatal(err)
			}
			if _, err := fx.wf.Rollout(ctx, workflow.RolloutRequest{Issue: is.Number}); err != nil {
				t.Fatal(err)
			}
		}
		is = fx.issue(t, is.Number)
		if is.Tasks[0].Status != workflow.TaskDone {
			t.Fatalf("not rolled out: %+v", is.Tasks[0])
		}
		return is
	}

	is := change("CREATE TABLE employees (id int PRIMARY KEY);")
	if k := activityKinds(is); !slices.Contains(k, "latest_written") {
		t.Fatalf("no write-back on the timeline: %v", k)
	}
	fx.mate.git("pull", "-q", "origin", "main")
	if body := fx.mate.git("show", "HEAD:"+latest); !strings.Contains(body, "CREATE TABLE public.employees") {
		t.Fatalf("LATEST:\n%s", body)
	}

	// The remote goes away: the rollout stands, the failure is on the issue
	// and in the Anomaly Center.
	moved := fx.remote + ".moved"
	if err := os.Rename(fx.remote, moved); err != nil {
		t.Fatal(err)
	}
	is = change("ALTER TABLE employees ADD COLUMN name text;")
	if k := activityKinds(is); !slices.Contains(k, "latest_failed") {
		t.Fatalf("no failure on the timeline: %v", k)
	}
	open, err := anomalies.List(ctx, anomaly.Filter{Kind: anomaly.KindWriteback})
	if err != nil || len(open) != 1 || open[0].DatabaseID != fx.hr.ID || !strings.Contains(open[0].Summary, fx.hr.Name) {
		t.Fatalf("anomaly: %+v %v", open, err)
	}
	// Back: the next write-back succeeds and resolves it.
	if err := os.Rename(moved, fx.remote); err != nil {
		t.Fatal(err)
	}
	change("ALTER TABLE employees ADD COLUMN email text;")
	if open, _ = anomalies.List(ctx, anomaly.Filter{Kind: anomaly.KindWriteback}); len(open) != 0 {
		t.Fatalf("still open: %+v", open)
	}
	fx.mate.git("pull", "-q", "origin", "main")
	if body := fx.mate.git("show", "HEAD:"+latest); !strings.Contains(body, "email text") || !strings.Contains(body, "name text") {
		t.Fatalf("LATEST after the retry:\n%s", body)
	}
	// A project without a link: nothing is written, nothing noted.
	if err := fx.WS.DeleteProjectRepo(ctx, fx.project.ID); err != nil {
		t.Fatal(err)
	}
	if k := activityKinds(change("ALTER TABLE employees ADD COLUMN age int;")); slices.ContainsFunc(k, func(s string) bool { return strings.HasPrefix(s, "latest_") }) {
		t.Fatalf("an unlinked project wrote back: %v", k)
	}
}

// What a fetch leaves with the link: the unmatched files until a commit
// settles them, a modified applied file as an anomaly, the last error.
func TestFetchRecords(t *testing.T) {
	fx := newWatchFixture(t, true)
	ctx := context.Background()
	fx.w.Anomalies = anomaly.NewStore(fx.WS)
	fx.fetch(t)
	bad := "bytebase/test/" + fx.hr.Name + "##nope##ddl##x.sql"
	good := file(fx.hr, "1", "ddl", "t")
	fx.push("hr: two files", map[string]string{bad: "SELECT 1;\n", good: "CREATE TABLE t (id int);\n"})
	res := fx.fetch(t)
	if len(res.Issues) != 1 {
		t.Fatalf("fetch: %+v", res)
	}
	us, err := fx.WS.ListGitOpsUnmatched(ctx, fx.project.ID)
	if err != nil || len(us) != 1 || us[0].Path != bad || us[0].Reason == "" || us[0].Commit != res.To {
		t.Fatalf("unmatched: %+v %v", us, err)
	}
	link, _ := fx.WS.GetProjectRepo(ctx, fx.project.ID)
	if link.LastError != "" || !strings.Contains(link.LastResult, `"issues"`) {
		t.Fatalf("link: %+v", link)
	}
	// renamed to a good name: it settles and becomes a task
	fx.mate.git("mv", bad, file(fx.hr, "2", "ddl", "x"))
	fx.mate.git("commit", "-q", "-m", "hr: fix the name")
	fx.mate.git("push", "-q", "origin", "main")
	fx.fetch(t)
	if us, _ = fx.WS.ListGitOpsUnmatched(ctx, fx.project.ID); len(us) != 0 {
		t.Fatalf("still unmatched: %+v", us)
	}
	// a modified applied file is an anomaly of the database
	if _, err := fx.wf.Rollout(ctx, workflow.RolloutRequest{Issue: res.Issues[0].Number}); err != nil {
		t.Fatal(err)
	}
	fx.push("hr: rewrite history", map[string]string{good: "CREATE TABLE t (id bigint);\n"})
	fx.fetch(t)
	as, err := fx.w.Anomalies.List(ctx, anomaly.Filter{Kind: anomaly.KindGitOpsModified})
	if err != nil || len(as) != 1 || as[0].Subject != good || as[0].DatabaseID != fx.hr.ID {
		t.Fatalf("anomaly: %+v %v", as, err)
	}
	// the remote is gone: the error is kept with the link, the last result stays
	if err := os.RemoveAll(fx.remote); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.w.Fetch(ctx, fx.project.ID); err == nil {
		t.Fatal("a fetch of a removed remote succeeded")
	}
	if link, _ = fx.WS.GetProjectRepo(ctx, fx.project.ID); link.LastError == "" || link.LastResult == "" {
		t.Fatalf("after a failed fetch: %+v", link)
	}
}

// The setup wizard's live preview: how the files at the head parse under
// templates not saved yet, and the LATEST paths of the project's databases.
func TestLinkPreview(t *testing.T) {
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	fx.push("files", map[string]string{
		file(fx.hr, "1", "ddl", "a"):                             "SELECT 1;\n",
		"bytebase/test/other##2##ddl##b.sql":                     "SELECT 1;\n",
		"bytebase/test/" + fx.hr.Name + "##x##ddl##c.sql":        "SELECT 1;\n",
		"docs/notes.sql":                                         "SELECT 1;\n",
		"bytebase/test/." + fx.hr.Name + "##LATEST.sql":          "-- latest\n",
		"bytebase/test/" + fx.shop.Name + "##3##dml##seed.sql":   "SELECT 1;\n",
		"bytebase/test/" + fx.shop.Name + "##4##wrong##seed.sql": "SELECT 1;\n",
	})
	link := workspace.ProjectRepo{ProjectID: fx.project.ID, URL: fx.remote, Branch: "main", BaseDir: "bytebase"}
	p, err := fx.w.Preview(ctx, link, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if p.ConfigSource != ConfigFile || p.Head != fx.mate.git("rev-parse", "HEAD") || len(p.LatestPaths) != 2 {
		t.Fatalf("preview: %+v", p)
	}
	got := map[string]string{}
	for _, f := range p.Files {
		if f.File != nil {
			got[f.Path] = "ok " + f.File.Database + " " + f.File.Version
		} else {
			got[f.Path] = f.Reason
		}
	}
	for path, want := range map[string]string{
		file(fx.hr, "1", "ddl", "a"):                             "ok " + fx.hr.Name + " 1",
		"bytebase/test/other##2##ddl##b.sql":                     `database "other" is not in the project`,
		"bytebase/test/" + fx.shop.Name + "##4##wrong##seed.sql": `type "wrong"`,
		"bytebase/test/." + fx.hr.Name + "##LATEST.sql":          "LATEST",
	} {
		if !strings.Contains(got[path], want) {
			t.Errorf("%s: %q, want %q", path, got[path], want)
		}
	}
	if _, ok := got["docs/notes.sql"]; ok {
		t.Errorf("a file outside the base directory is previewed: %v", got)
	}
	for _, bad := range []workspace.ProjectRepo{
		{ProjectID: fx.project.ID, URL: fx.remote, Branch: "nope"},
		{ProjectID: fx.project.ID, URL: fx.remote, Template: "{{DB_NAME}}.sql"},
		{ProjectID: fx.project.ID, Path: t.TempDir()},
	} {
		if _, err := fx.w.Preview(ctx, bad, "", false); err == nil {
			t.Errorf("preview of %+v succeeded", bad)
		}
	}
}

func TestDue(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	links := []workspace.ProjectRepo{
		{ProjectID: "never", PollMinutes: 1},
		{ProjectID: "off", PollMinutes: 0},
		{ProjectID: "recent", PollMinutes: 5, LastFetchAt: now.Add(-4 * time.Minute)},
		{ProjectID: "due", PollMinutes: 5, LastFetchAt: now.Add(-5 * time.Minute)},
	}
	if got := strings.Join(Due(links, now), ","); got != "never,due" {
		t.Fatalf("due = %s", got)
	}
}

// Fetches of one project never overlap: a second FetchNow while one runs is
// refused with a clear message.
func TestPollerNoOverlap(t *testing.T) {
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	entered, release := make(chan struct{}), make(chan struct{})
	fx.w.AfterChange = func(context.Context, int) error {
		close(entered)
		<-release
		return nil
	}
	p := &Poller{W: fx.w}
	if _, err := p.FetchNow(ctx, fx.project.ID); err != nil {
		t.Fatal(err)
	}
	fx.push("hr: t", map[string]string{file(fx.hr, "1", "ddl", "t"): "CREATE TABLE t (id int);\n"})
	done := make(chan error, 1)
	go func() {
		_, err := p.FetchNow(ctx, fx.project.ID)
		done <- err
	}()
	<-entered
	if _, err := p.FetchNow(ctx, fx.project.ID); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("an overlapping fetch: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := p.FetchNow(ctx, fx.project.ID); err != nil {
		t.Fatalf("a fetch after the first finished: %v", err)
	}
}

// An HTTPS remote with a token: git http-backend on loopback asks for it;
// the token is kept in the secret store (never the workspace), a wrong one
// is refused with the remote's answer, and a URL carrying it is refused.
func TestHTTPSToken(t *testing.T) {
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	backend, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(fx.remote)
	h := &cgi.Handler{Path: filepath.Join(strings.TrimSpace(string(backend)), "git-http-backend"),
		Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "REMOTE_USER=ci"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, pw, ok := r.BasicAuth(); !ok || u != "ci" || pw != "t0ken" {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	url := srv.URL + "/" + filepath.Base(fx.remote)
	store := secret.NewSession()
	fx.w.Creds = &Credentials{Secrets: store}

	if _, err := fx.w.Link(ctx, LinkRequest{Repo: workspace.ProjectRepo{ProjectID: fx.project.ID, URL: strings.Replace(url, "http://", "http://ci:t0ken@", 1)}}); err == nil || !strings.Contains(err.Error(), "carries a password") {
		t.Fatalf("a URL with the token: %v", err)
	}
	if _, err := fx.w.Link(ctx, LinkRequest{Repo: workspace.ProjectRepo{ProjectID: fx.project.ID, URL: url, Auth: workspace.AuthToken, AuthUser: "ci"}}); err == nil || !strings.Contains(err.Error(), "give the token") {
		t.Fatalf("a token link without the token: %v", err)
	}
	link := workspace.ProjectRepo{ProjectID: fx.project.ID, URL: url, Auth: workspace.AuthToken, AuthUser: "ci"}
	if _, err := fx.w.Preview(ctx, link, "wrong", false); err == nil {
		t.Fatal("a wrong token was accepted")
	}
	if _, err := fx.w.Link(ctx, LinkRequest{Repo: link, Token: "t0ken"}); err != nil {
		t.Fatal(err)
	}
	if tok, err := store.Get(ctx, TokenKey(fx.project.ID)); err != nil || tok != "t0ken" {
		t.Fatalf("stored token %q %v", tok, err)
	}
	saved, _ := fx.WS.GetProjectRepo(ctx, fx.project.ID)
	if strings.Contains(saved.URL+saved.AuthUser+saved.LastResult, "t0ken") {
		t.Fatalf("the token reached the workspace: %+v", saved)
	}
	fx.fetch(t)
	fx.push("hr: t", map[string]string{file(fx.hr, "1", "ddl", "t"): "CREATE TABLE t (id int);\n"})
	if res := fx.fetch(t); len(res.Issues) != 1 {
		t.Fatalf("fetch over HTTPS: %+v", res)
	}
	// the LATEST write-back pushes with the token too
	lw := &LatestWriter{WS: fx.WS, Conns: fx.Conns, Creds: fx.w.Creds}
	if res, err := lw.Write(ctx, LatestRequest{ProjectID: fx.project.ID, DatabaseID: fx.hr.ID}); err != nil || res.Commit == "" {
		t.Fatalf("write-back over HTTPS: %+v %v", res, err)
	}
	// relinking without a token keeps the stored one; another method forgets it
	if _, err := fx.w.Link(ctx, LinkRequest{Repo: link}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.w.Link(ctx, LinkRequest{Repo: workspace.ProjectRepo{ProjectID: fx.project.ID, URL: url}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get(ctx, TokenKey(fx.project.ID)); err == nil {
		t.Fatal("the token outlived its link")
	}
}

// The link's naming committed as tidemark.yaml: the rest of the file is
// kept, CI's check and the watcher read it, the commit is skipped by the
// watcher, and an unchanged file commits nothing.
func TestWriteConfig(t *testing.T) {
	fx := newWatchFixture(t, false)
	ctx := context.Background()
	fx.mate.commit("environments", map[string]string{ConfigFile: "baseDir: bytebase\nenvironments:\n  - id: test\n    review: test\nwriteback:\n  name: HR Bot\n  email: hr-bot@example.com\n"})
	fx.mate.git("push", "-q", "origin", "main")
	fx.fetch(t)
	link := workspace.ProjectRepo{ProjectID: fx.project.ID, URL: fx.remote, Branch: "main", BaseDir: "db", Template: "{{ENV_ID}}/{{DB_NAME}}__{{VERSION}}.sql"}
	// the preview of the naming to be committed, over the file's own
	p, err := fx.w.Preview(ctx, link, "", true)
	if err != nil || p.Config.BaseDir != "db" || p.Config.Template != link.Template {
		t.Fatalf("preview as config: %+v %v", p, err)
	}
	if p, _ = fx.w.Preview(ctx, link, "", false); p.Config.BaseDir != "bytebase" {
		t.Fatalf("the repository's file should win without asConfig: %+v", p.Config)
	}
	if _, err := fx.w.Link(ctx, LinkRequest{Repo: link}); err != nil {
		t.Fatal(err)
	}
	res, err := fx.w.WriteConfig(ctx, fx.project.ID)
	if err != nil || res.Unchanged || res.Commit == "" {
		t.Fatalf("write: %+v %v", res, err)
	}
	fx.mate.git("pull", "-q", "origin", "main")
	cfg, err := ParseConfig([]byte(fx.mate.git("show", "HEAD:"+ConfigFile)))
	if err != nil || cfg.BaseDir != "db" || cfg.Template != link.Template || cfg.LatestTemplate != DefaultLatestTemplate ||
		len(cfg.Environments) != 1 || cfg.Environments[0].Review != "test" || cfg.Writeback == nil || cfg.Writeback.Name != "HR Bot" {
		t.Fatalf("tidemark.yaml: %+v %v", cfg, err)
	}
	if who := fx.mate.git("log", "-1", "--format=%an <%ae>"); who != "HR Bot <hr-bot@example.com>" {
		t.Fatalf("committed by %s", who)
	}
	if again, err := fx.w.WriteConfig(ctx, fx.project.ID); err != nil || !again.Unchanged {
		t.Fatalf("again: %+v %v", again, err)
	}
	// the watcher skips its commit and names files by it from now on
	if res := fx.fetch(t); len(res.Commits) != 1 || res.Commits[0].Skipped != "Tidemark's own tidemark.yaml update" {
		t.Fatalf("fetch after the config commit: %+v", res)
	}
	fx.push("hr: t", map[string]string{"db/test/" + fx.hr.Name + "__1.sql": "CREATE TABLE t (id int);\n"})
	if res := fx.fetch(t); len(res.Issues) != 1 || len(res.Unmatched) != 0 {
		t.Fatalf("a file under the new naming: %+v", res)
	}
	// a tidemark.yaml that does not load is not overwritten
	fx.push("broken", map[string]string{ConfigFile: "baseDir: [\n"})
	if _, err := fx.w.WriteConfig(ctx, fx.project.ID); err == nil || !strings.Contains(err.Error(), "does not load") {
		t.Fatalf("a broken file: %v", err)
	}
}
