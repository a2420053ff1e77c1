package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func gitCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Ada Dev", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_COMMITTER_NAME=Ada Dev", "GIT_COMMITTER_EMAIL=ada@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestGitOpsBinding: the setup wizard's preview, the link, Fetch now and
// the "gitops" event, the unmatched files on the tab, unlink. What a fetch
// does is tested in internal/gitops.
func TestGitOpsBinding(t *testing.T) {
	h := newApp(t, "", true)
	a := h.app
	dbID, _ := registerDB(t, h, "test", "")
	p, err := a.Projects().Create("hr")
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.Databases().AssignProject(dbID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	remote := filepath.Join(t.TempDir(), "remote.git")
	gitCmd(t, t.TempDir(), "init", "-q", "--bare", "-b", "main", remote)
	work := filepath.Join(t.TempDir(), "work")
	gitCmd(t, filepath.Dir(work), "clone", "-q", remote, work)
	gitCmd(t, work, "checkout", "-q", "-B", "main")
	commit := func(msg string, files map[string]string) {
		for name, body := range files {
			full := filepath.Join(work, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		gitCmd(t, work, "add", "-A")
		gitCmd(t, work, "commit", "-q", "-m", msg)
		gitCmd(t, work, "push", "-q", "origin", "main")
	}
	commit("init", map[string]string{"bytebase/test/" + d.Name + "##1##ddl##a.sql": "CREATE TABLE a (id int PRIMARY KEY);\n"})

	svc := a.GitOps()
	if l, err := svc.Get(p.ID); err != nil || l.Linked || l.DefaultTemplate == "" || l.Unmatched == nil {
		t.Fatalf("before linking: %+v %v", l, err)
	}
	in := GitOpsLinkInput{ProjectID: p.ID, URL: remote, Branch: "main", BaseDir: "bytebase", PollMinutes: 0}
	pv, err := svc.Preview(in)
	if err != nil || len(pv.Files) != 1 || pv.Files[0].File == nil || pv.Files[0].File.Database != d.Name {
		t.Fatalf("preview: %+v %v", pv, err)
	}
	if _, err := svc.Preview(GitOpsLinkInput{ProjectID: p.ID, URL: remote, Template: "{{DB_NAME}}.sql"}); err == nil || !strings.Contains(err.Error(), "VERSION") {
		t.Fatalf("a bad template: %v", err)
	}
	if _, err := svc.Link(GitOpsLinkInput{ProjectID: p.ID, URL: "https://u:secret@example.com/r.git"}); err == nil || !strings.Contains(err.Error(), `"field":"url"`) {
		t.Fatalf("a URL with a password: %v", err)
	}
	l, err := svc.Link(in)
	if err != nil || !l.Linked || l.URL != remote || l.LastCommit != "" {
		t.Fatalf("link: %+v %v", l, err)
	}
	if res, err := svc.FetchNow(p.ID); err != nil || !res.Started {
		t.Fatalf("first fetch: %+v %v", res, err)
	}
	commit("two files", map[string]string{
		"bytebase/test/" + d.Name + "##2##ddl##b.sql": "CREATE TABLE b (id int PRIMARY KEY);\n",
		"bytebase/test/" + d.Name + "##x##ddl##c.sql": "SELECT 1;\n",
	})
	res, err := svc.FetchNow(p.ID)
	if err != nil || len(res.Issues) != 1 || len(res.Unmatched) != 1 {
		t.Fatalf("fetch: %+v %v", res, err)
	}
	h.mu.Lock()
	fetches := strings.Count(strings.Join(h.other, ","), "gitops")
	h.mu.Unlock()
	if fetches != 2 {
		t.Errorf("%d gitops events for two fetches", fetches)
	}
	if l, err = svc.Get(p.ID); err != nil || len(l.Unmatched) != 1 || !strings.Contains(l.Unmatched[0].Reason, "version") ||
		l.LastResult == nil || len(l.LastResult.Issues) != 1 || l.LastCommit == "" {
		t.Fatalf("after the fetch: %+v %v", l, err)
	}
	if err := svc.Unlink(p.ID); err != nil {
		t.Fatal(err)
	}
	if l, _ = svc.Get(p.ID); l.Linked {
		t.Fatalf("after unlink: %+v", l)
	}
	if _, err := svc.FetchNow(p.ID); err == nil || !strings.Contains(err.Error(), "no repository link") {
		t.Fatalf("fetch unlinked: %v", err)
	}
}
