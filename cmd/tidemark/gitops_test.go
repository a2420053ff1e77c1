package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestProjectRepoAndFetchCLI(t *testing.T) {
	wsDir := t.TempDir()
	run := func(args ...string) (string, string, int) {
		return runCLI(t, append([]string{"--workspace", wsDir}, args...)...)
	}
	if _, errs, code := run("project", "create", "hr"); code != 0 {
		t.Fatalf("create: %s", errs)
	}
	repo := filepath.Join(t.TempDir(), "repo")
	gitIn(t, filepath.Dir(repo), "init", "-q", "-b", "main", repo)
	commitFiles(t, repo, "init", map[string]string{"README.md": "hr\n"})

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"project", "repo", "set", "--project", "hr"}, 2, "give one of a local clone's path or a remote URL"},
		{[]string{"project", "repo", "set", "--project", "hr", "--url", "https://ci:s3cret@git.example.com/hr.git"}, 2, "carries a password or token"},
		{[]string{"project", "repo", "set", "--project", "hr", "--path", repo, "--token-stdin"}, 2, "--token-stdin goes with --auth token"},
		{[]string{"project", "repo", "set", "--project", "hr", "--path", repo, "--auth", "ssh-key"}, 2, "name the private key file"},
		{[]string{"project", "repo", "set", "--project", "hr", "--path", repo, "--poll", "-1"}, 2, "poll interval"},
		{[]string{"project", "repo", "unlink", "--project", "hr"}, 1, "no repository link"},
		{[]string{"project", "repo", "set", "--project", "nope", "--path", repo}, 2, `no project "nope"`},
		{[]string{"project", "repo", "set", "--project", "hr", "--path", t.TempDir()}, 2, "open the git repository"},
		{[]string{"project", "repo", "set", "--project", "hr", "--path", repo, "--template", "{{DB_NAME}}.sql"}, 2, "{{VERSION}}"},
		{[]string{"project", "repo", "show", "--project", "hr"}, 1, "no repository link"},
		{[]string{"gitops", "fetch", "--project", "hr"}, 2, "no repository link"},
		{[]string{"gitops", "latest", "--project", "hr", "--database", "x"}, 2, "no repository link"},
	} {
		if _, errs, code := run(tc.args...); code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: code %d, stderr %s (want %d, %q)", tc.args, code, errs, tc.code, tc.want)
		}
	}
	if out, errs, code := run("project", "repo", "set", "--project", "hr", "--path", repo, "--base-dir", "bytebase"); code != 0 || !strings.Contains(out, "starts at the branch head") {
		t.Fatalf("set: %d %s %s", code, out, errs)
	}
	out, _, code := run("gitops", "fetch", "--project", "hr", "--format", "json")
	var res struct {
		Started   bool
		To        string
		Unmatched []struct{ Path, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || !res.Started {
		t.Fatalf("first fetch: %d %v %s", code, err, out)
	}
	commitFiles(t, repo, "hr: t", map[string]string{"bytebase/prod/hr##1##ddl##t.sql": "CREATE TABLE t (id int);\n"})
	out, errs, code := run("gitops", "fetch", "--project", "hr")
	if code != 0 || !strings.Contains(out, "1 new commit(s) on main") || !strings.Contains(out, `not matched: bytebase/prod/hr##1##ddl##t.sql: database "hr" is not in the project`) {
		t.Fatalf("fetch: %d\n%s\n%s", code, out, errs)
	}
	out, _, code = run("project", "repo", "show", "--project", "hr", "--format", "json")
	var link struct {
		Path, BaseDir, LastCommit string
		PollMinutes               int
		Unmatched                 []struct{ Path, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &link); err != nil || code != 0 || link.Path != repo || link.BaseDir != "bytebase" || link.LastCommit == "" || link.LastCommit == res.To ||
		link.PollMinutes != 1 || len(link.Unmatched) != 1 || link.Unmatched[0].Path != "bytebase/prod/hr##1##ddl##t.sql" {
		t.Fatalf("show: %d %v %s", code, err, out)
	}
	// the file that did not match stays listed until a commit settles it
	gitIn(t, repo, "rm", "-q", "bytebase/prod/hr##1##ddl##t.sql")
	gitIn(t, repo, "commit", "-q", "-m", "hr: drop the misnamed file")
	if _, errs, code := run("gitops", "fetch", "--project", "hr"); code != 0 {
		t.Fatalf("fetch: %s", errs)
	}
	if out, _, _ = run("project", "repo", "show", "--project", "hr"); strings.Contains(out, "not matched") {
		t.Fatalf("the deleted file is still listed:\n%s", out)
	}
	if out, errs, code := run("project", "repo", "unlink", "--project", "hr"); code != 0 || !strings.Contains(out, "no longer linked") {
		t.Fatalf("unlink: %d %s %s", code, out, errs)
	}
	if _, errs, code := run("project", "repo", "show", "--project", "hr"); code != 1 || !strings.Contains(errs, "no repository link") {
		t.Fatalf("show after unlink: %d %s", code, errs)
	}
}
