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
		{[]string{"project", "repo", "set", "--project", "hr"}, 2, "pass one of --path DIR or --url URL"},
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
	var link struct{ Path, BaseDir, LastCommit string }
	if err := json.Unmarshal([]byte(out), &link); err != nil || code != 0 || link.Path != repo || link.BaseDir != "bytebase" || link.LastCommit == "" || link.LastCommit == res.To {
		t.Fatalf("show: %d %v %s", code, err, out)
	}
}
