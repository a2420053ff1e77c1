package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitIn runs the git command in dir with a fixed identity.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Ada Dev", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_COMMITTER_NAME=Ada Dev", "GIT_COMMITTER_EMAIL=ada@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// commitFiles writes files into the repository dir and commits them.
func commitFiles(t *testing.T, dir, msg string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		gitIn(t, dir, "add", p)
	}
	gitIn(t, dir, "commit", "-q", "-m", msg)
}

func TestCheckCLI(t *testing.T) {
	pgsrv.NewDB(t)
	dir := filepath.Join(t.TempDir(), "repo")
	gitIn(t, filepath.Dir(dir), "init", "-q", "-b", "main", dir)
	commitFiles(t, dir, "init", map[string]string{
		"tidemark.yaml":                      "baseDir: bytebase\nenvironments: [{id: prod, production: true}]\n",
		"bytebase/prod/hr##1##ddl##init.sql": "CREATE SCHEMA hr;\nCREATE TABLE hr.employees (id int PRIMARY KEY);\n",
		"bytebase/prod/.hr##LATEST.sql":      "CREATE SCHEMA hr;\nCREATE TABLE hr.employees (id int PRIMARY KEY);\n",
	})
	gitIn(t, dir, "checkout", "-q", "-b", "clean")
	commitFiles(t, dir, "nickname", map[string]string{"bytebase/prod/hr##2##ddl##nick.sql": "ALTER TABLE hr.employees ADD COLUMN nick_name text NOT NULL DEFAULT '';\n"})
	gitIn(t, dir, "checkout", "-q", "-b", "bad", "main")
	commitFiles(t, dir, "index", map[string]string{
		"bytebase/prod/hr##2##ddl##idx.sql":  "CREATE INDEX e_id ON hr.employees (id);\n",
		"bytebase/prod/hr##x##ddl##oops.sql": "SELECT 1;\n",
	})
	gitIn(t, dir, "checkout", "-q", "-b", "typo", "main")
	commitFiles(t, dir, "typo", map[string]string{"bytebase/prod/hr##2##ddl##typo.sql": "ALTER TABEL hr.employees ADD COLUMN x int;\n"})

	scratchURL := pgsrv.AdminURL
	run := func(branch string, extra ...string) (string, string, int) {
		gitIn(t, dir, "checkout", "-q", branch)
		return runCLI(t, append([]string{"check", "--repo", dir, "--base", "main", "--scratch", scratchURL}, extra...)...)
	}

	out, errs, code := run("clean")
	if code != 0 || out != "" || !strings.Contains(errs, "added bytebase/prod/hr##2##ddl##nick.sql: prod/hr version 2, dry run passed") ||
		!strings.Contains(errs, "database prod/hr: from bytebase/prod/.hr##LATEST.sql on the base branch") || !strings.Contains(errs, "0 error(s), 0 warning(s)") {
		t.Fatalf("clean: code %d\nout %s\nerr %s", code, out, errs)
	}

	out, errs, code = run("bad")
	if code != 1 || !strings.Contains(out, "bytebase/prod/hr##2##ddl##idx.sql:1:1: error index.create-concurrently:") ||
		!strings.Contains(out, "bytebase/prod/hr##x##ddl##oops.sql:1:1: error gitops-name:") {
		t.Fatalf("bad: code %d\nout %s\nerr %s", code, out, errs)
	}
	out, _, code = run("bad", "--format", "json")
	var rep struct {
		Files []struct {
			Path, Version, DryRun string
		}
		Findings []struct{ File, Rule, Level string }
		Counts   map[string]int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || len(rep.Files) != 1 || rep.Files[0].DryRun != "passed" || rep.Counts["error"] != 2 {
		t.Fatalf("json: code %d, %v\n%s", code, err, out)
	}
	out, _, code = run("bad", "--format", "sarif")
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct{ RuleID, Level string }
		}
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil || code != 1 || len(sarif.Runs[0].Results) != 2 || len(sarif.Runs[0].Tool.Driver.Rules) != 2 {
		t.Fatalf("sarif: code %d, %v\n%s", code, err, out)
	}
	out, _, code = run("bad", "--format", "github")
	if code != 1 || !strings.Contains(out, "::error file=bytebase/prod/hr##x##ddl##oops.sql,line=1,col=1,title=gitops-name%3A Migration file name does not parse::") {
		t.Fatalf("github: code %d\n%s", code, out)
	}

	out, _, code = run("typo")
	if code != 2 || !strings.Contains(out, "error syntax-error:") {
		t.Fatalf("typo: code %d\n%s", code, out)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--repo", t.TempDir()}, "open the git repository"},
		{[]string{"check", "--repo", dir, "--base", "nope"}, `resolve "nope"`},
		{[]string{"check", "--repo", dir, "--format", "xml"}, "--format must be text, json, sarif or github"},
		{[]string{"check", "--repo", dir, "--url", "postgres://x", "--latest", "f.sql"}, "pass one"},
	} {
		_, errs, code := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: code %d, stderr %s (want 2, %q)", tc.args, code, errs, tc.want)
		}
	}
}
