package gitops

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

const checkConfig = `baseDir: bytebase
environments:
  - id: prod
    production: true
  - id: test
`

const (
	hrInit   = "CREATE SCHEMA hr;\nCREATE TABLE hr.employees (id int PRIMARY KEY, name text NOT NULL);\n"
	hrDept   = "CREATE TABLE hr.dept (id int PRIMARY KEY);\n"
	hrLatest = hrInit + hrDept
)

// baseRepo is main with two applied migrations of prod/hr and its LATEST
// file, then a feature branch.
func baseRepo(t *testing.T, remote string) *gitRepo {
	r := newRepo(t, remote)
	r.commit("hr: initial schema", map[string]string{
		ConfigFile: checkConfig,
		"bytebase/prod/hr##202311010000##ddl##init.sql": hrInit,
		"bytebase/prod/hr##202311020000##ddl##dept.sql": hrDept,
		"bytebase/prod/.hr##LATEST.sql":                 hrLatest,
		"README.md":                                     "docs\n",
	})
	if remote != "" {
		r.git("push", "-q", "origin", "main")
	}
	r.git("checkout", "-q", "-b", "feature")
	return r
}

func scratchOf(t *testing.T) func(context.Context) (scratch.Server, error) {
	pgsrv.NewDB(t) // fails or skips (with a message) without a server
	return func(context.Context) (scratch.Server, error) {
		return scratch.Server{URL: pgsrv.AdminURL, Name: "the test server"}, nil
	}
}

// rulesOf lists "rule file" for each finding at level, sorted.
func rulesOf(rep *CheckReport, levels ...review.Level) []string {
	var out []string
	for _, f := range rep.Findings {
		if slices.Contains(levels, f.Level) {
			out = append(out, f.Rule+" "+f.File)
		}
	}
	sort.Strings(out)
	return out
}

func TestCheck(t *testing.T) {
	const p = "bytebase/prod/"
	srv := scratchOf(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change func(r *gitRepo)
		allow  bool
		errors []string          // "rule file" of the error-level findings
		others []string          // "rule file" of warnings and notes (nil: not compared)
		dry    map[string]string // file -> dry-run outcome
		syntax bool
	}{
		{name: "clean", change: func(r *gitRepo) {
			r.commit("hr: nickname", map[string]string{p + "hr##202311030000##ddl##nick.sql": "ALTER TABLE hr.employees ADD COLUMN nick_name text NOT NULL DEFAULT '';\n"})
		}, others: nil, dry: map[string]string{p + "hr##202311030000##ddl##nick.sql": "passed"}},
		{name: "later files see earlier ones, two databases", change: func(r *gitRepo) {
			r.commit("hr: projects", map[string]string{p + "hr##202311030000##ddl##projects.sql": "CREATE TABLE hr.projects (id int PRIMARY KEY);\n"})
			r.commit("hr: project name; shop", map[string]string{
				p + "hr##202311040000##ddl##project_name.sql": "ALTER TABLE hr.projects ADD COLUMN name text NOT NULL DEFAULT '';\n",
				"bytebase/test/shop##1##ddl##init.sql":        "CREATE TABLE items (id int PRIMARY KEY, sku text NOT NULL);\n",
				"bytebase/test/shop##2##dml##seed.sql":        "INSERT INTO items VALUES (1, 'a');\n",
				"migrations/elsewhere.sql":                    "not even SQL",
				"bytebase/prod/notes.txt":                     "not a migration",
			})
		}, dry: map[string]string{
			p + "hr##202311030000##ddl##projects.sql":     "passed",
			p + "hr##202311040000##ddl##project_name.sql": "passed",
			"bytebase/test/shop##1##ddl##init.sql":        "passed",
			"bytebase/test/shop##2##dml##seed.sql":        "passed",
		}},
		{name: "bad name", change: func(r *gitRepo) {
			r.commit("bad", map[string]string{p + "hr##next##ddl##x.sql": "SELECT 1;\n", p + "hr##202311030000##sql##x.sql": "SELECT 1;\n"})
		}, errors: []string{RuleName + " " + p + "hr##202311030000##sql##x.sql", RuleName + " " + p + "hr##next##ddl##x.sql"}},
		{name: "duplicate versions", change: func(r *gitRepo) {
			r.commit("dup", map[string]string{p + "hr##202311030000##ddl##a.sql": "CREATE TABLE hr.a (id int);\n", p + "hr##202311030000##ddl##b.sql": "CREATE TABLE hr.b (id int);\n",
				p + "hr##202311020000##ddl##again.sql": "CREATE TABLE hr.c (id int);\n"})
		}, errors: []string{RuleDuplicate + " " + p + "hr##202311020000##ddl##again.sql", RuleDuplicate + " " + p + "hr##202311030000##ddl##a.sql", RuleDuplicate + " " + p + "hr##202311030000##ddl##b.sql"}},
		{name: "version below the base's highest", change: func(r *gitRepo) {
			r.commit("late", map[string]string{p + "hr##202311015000##ddl##late.sql": "CREATE TABLE hr.late (id int PRIMARY KEY);\n"})
		}, errors: []string{RuleOrder + " " + p + "hr##202311015000##ddl##late.sql"}},
		{name: "version below the base's highest, allowed", allow: true, change: func(r *gitRepo) {
			r.commit("late", map[string]string{p + "hr##202311015000##ddl##late.sql": "CREATE TABLE hr.late (id int PRIMARY KEY);\n"})
		}, others: []string{RuleOrder + " " + p + "hr##202311015000##ddl##late.sql"}, dry: map[string]string{p + "hr##202311015000##ddl##late.sql": "passed"}},
		{name: "the base branch moved past the new version", change: func(r *gitRepo) {
			r.commit("mine", map[string]string{p + "hr##202311030000##ddl##mine.sql": "CREATE TABLE hr.mine (id int PRIMARY KEY);\n"})
			r.git("checkout", "-q", "main")
			r.commit("theirs", map[string]string{p + "hr##202311050000##ddl##theirs.sql": "CREATE TABLE hr.theirs (id int PRIMARY KEY);\n"})
			r.git("checkout", "-q", "feature")
		}, errors: []string{RuleOrder + " " + p + "hr##202311030000##ddl##mine.sql"}},
		{name: "modified file of the base", change: func(r *gitRepo) {
			r.commit("edit", map[string]string{p + "hr##202311020000##ddl##dept.sql": "CREATE TABLE hr.dept (id bigint PRIMARY KEY);\n"})
		}, errors: []string{RuleModified + " " + p + "hr##202311020000##ddl##dept.sql"}, dry: map[string]string{p + "hr##202311020000##ddl##dept.sql": "skipped"}},
		{name: "renamed file of the base", change: func(r *gitRepo) {
			r.git("mv", p+"hr##202311020000##ddl##dept.sql", p+"hr##202311060000##ddl##dept.sql")
			r.commit("rename", nil)
		}, errors: []string{RuleModified + " " + p + "hr##202311060000##ddl##dept.sql"}},
		{name: "deleted file of the base", change: func(r *gitRepo) {
			r.commit("rm", map[string]string{p + "hr##202311020000##ddl##dept.sql": ""})
		}, others: []string{RuleDeleted + " " + p + "hr##202311020000##ddl##dept.sql"}},
		{name: "dry run fails with the line", change: func(r *gitRepo) {
			r.commit("broken", map[string]string{p + "hr##202311030000##ddl##broken.sql": "ALTER TABLE hr.employees ADD COLUMN a int;\n-- next\nALTER TABLE hr.nope ADD COLUMN b int;\n",
				p + "hr##202311040000##ddl##after.sql": "ALTER TABLE hr.employees ADD COLUMN c int;\n"})
		}, errors: []string{RuleDryRun + " " + p + "hr##202311030000##ddl##broken.sql", "table.must-exist " + p + "hr##202311030000##ddl##broken.sql"},
			dry: map[string]string{p + "hr##202311030000##ddl##broken.sql": "failed", p + "hr##202311040000##ddl##after.sql": "skipped"}},
		{name: "syntax error", change: func(r *gitRepo) {
			r.commit("typo", map[string]string{p + "hr##202311030000##ddl##typo.sql": "ALTER TABLE hr.employees ADD COLUMNN x int;\n"})
		}, errors: []string{RuleSyntax + " " + p + "hr##202311030000##ddl##typo.sql"}, syntax: true},
		{name: "review error in production", change: func(r *gitRepo) {
			r.commit("index", map[string]string{p + "hr##202311030000##ddl##idx.sql": "CREATE INDEX employees_name ON hr.employees (name);\n"})
		}, errors: []string{"index.create-concurrently " + p + "hr##202311030000##ddl##idx.sql"}},
		{name: "review warning in test, after merging main", change: func(r *gitRepo) {
			r.git("checkout", "-q", "main")
			r.commit("test: latest", map[string]string{"bytebase/test/.hr##LATEST.sql": hrInit})
			r.git("checkout", "-q", "feature")
			r.commit("wip", map[string]string{"bytebase/test/hr##202311030000##ddl##col.sql": "ALTER TABLE hr.employees ADD COLUMN note text NOT NULL DEFAULT '';\n"})
			r.git("merge", "-q", "--no-edit", "main")
			r.commit("index", map[string]string{"bytebase/test/hr##202311040000##ddl##idx.sql": "CREATE INDEX employees_name ON hr.employees (name);\n"})
		}, others: []string{"index.create-concurrently bytebase/test/hr##202311040000##ddl##idx.sql"},
			dry: map[string]string{"bytebase/test/hr##202311030000##ddl##col.sql": "passed", "bytebase/test/hr##202311040000##ddl##idx.sql": "passed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := baseRepo(t, "")
			tc.change(r)
			rep, err := Check(ctx, CheckRequest{Repo: r.dir, Base: "main", Scratch: srv, AllowOutOfOrder: tc.allow})
			if err != nil {
				t.Fatal(err)
			}
			if got := rulesOf(rep, review.Error); !slices.Equal(got, tc.errors) {
				t.Errorf("errors = %q, want %q\n%s", got, tc.errors, dumpFindings(rep))
			}
			if tc.others != nil {
				if got := rulesOf(rep, review.Warning, review.Info); !slices.Equal(got, tc.others) {
					t.Errorf("warnings and notes = %q, want %q\n%s", got, tc.others, dumpFindings(rep))
				}
			}
			if rep.HasErrors() != (len(tc.errors) > 0) || rep.SyntaxFailed != tc.syntax {
				t.Errorf("HasErrors %v SyntaxFailed %v", rep.HasErrors(), rep.SyntaxFailed)
			}
			for file, want := range tc.dry {
				found := false
				for _, f := range rep.Files {
					if f.Path == file {
						found = true
						if f.DryRun != want {
							t.Errorf("%s: dry run %q, want %q\n%s", file, f.DryRun, want, dumpFindings(rep))
						}
					}
				}
				if !found {
					t.Errorf("%s not among the checked files %+v", file, rep.Files)
				}
			}
		})
	}
}

func dumpFindings(rep *CheckReport) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "  %s:%d %s %s: %s\n", f.File, f.Line, f.Level, f.Rule, f.Message)
	}
	for _, d := range rep.Databases {
		fmt.Fprintf(&b, "  db %s/%s from %s\n", d.Environment, d.Database, d.Basis)
	}
	return b.String()
}

// The dry-run failure points at the failing statement's line, with the
// SQLSTATE; the LATEST file of the base is the basis; a database without
// one starts empty.
func TestCheckDryRunDetail(t *testing.T) {
	srv := scratchOf(t)
	r := baseRepo(t, "")
	r.commit("broken", map[string]string{
		"bytebase/prod/hr##202311030000##ddl##broken.sql": "ALTER TABLE hr.employees ADD COLUMN a int;\n-- next\nALTER TABLE hr.nope ADD COLUMN b int;\n",
		"bytebase/test/shop##1##ddl##init.sql":            "CREATE TABLE items (id int PRIMARY KEY);\n",
	})
	rep, err := Check(context.Background(), CheckRequest{Repo: r.dir, Base: "main", Scratch: srv})
	if err != nil {
		t.Fatal(err)
	}
	var dry *Finding
	for i := range rep.Findings {
		if rep.Findings[i].Rule == RuleDryRun {
			dry = &rep.Findings[i]
		}
	}
	if dry == nil || dry.Line != 3 || !strings.Contains(dry.Message, `relation "hr.nope" does not exist (SQLSTATE 42P01)`) || !strings.Contains(dry.Message, "statement 2 of 2") {
		t.Fatalf("dry-run finding = %+v\n%s", dry, dumpFindings(rep))
	}
	bases := map[string]string{}
	for _, d := range rep.Databases {
		bases[d.Environment+"/"+d.Database] = d.Basis
	}
	if bases["prod/hr"] != "bytebase/prod/.hr##LATEST.sql on the base branch" || !strings.HasPrefix(bases["test/shop"], "an empty database") {
		t.Fatalf("bases = %q", bases)
	}
}

// The default base is origin/<branch> (a clone of a bare remote); --latest
// and --url give the basis of one database; without a scratch server the
// dry run is reported as not run.
func TestCheckBasisAndDefaults(t *testing.T) {
	srv := scratchOf(t)
	ctx := context.Background()
	remote := newBare(t)
	r := baseRepo(t, remote)
	// A teammate pushes to main after the branch was cut; the pull request
	// is checked against origin/main as fetched.
	other := newRepo(t, remote)
	other.git("pull", "-q", "origin", "main")
	other.commit("hr: dept name", map[string]string{"bytebase/prod/hr##202311040000##ddl##dept_name.sql": "ALTER TABLE hr.dept ADD COLUMN name text;\n"})
	other.git("push", "-q", "origin", "main")
	r.commit("hr: badge", map[string]string{"bytebase/prod/hr##202311050000##ddl##badge.sql": "ALTER TABLE hr.dept ADD COLUMN badge text NOT NULL DEFAULT '';\n"})
	r.git("fetch", "-q", "origin")

	rep, err := Check(ctx, CheckRequest{Repo: r.dir, Scratch: srv})
	if err != nil {
		t.Fatal(err)
	}
	if want := r.git("rev-parse", "origin/main"); rep.Base != want || rep.HasErrors() || len(rep.Files) != 1 || rep.Files[0].DryRun != "passed" {
		t.Fatalf("base %s (want %s), files %+v\n%s", rep.Base, want, rep.Files, dumpFindings(rep))
	}

	// --latest: a schema without hr.dept makes the file fail.
	rep, err = Check(ctx, CheckRequest{Repo: r.dir, Scratch: srv, Latest: hrInit, LatestName: "latest.sql"})
	if err != nil {
		t.Fatal(err)
	}
	if got := rulesOf(rep, review.Error); !slices.Equal(got, []string{RuleDryRun + " bytebase/prod/hr##202311050000##ddl##badge.sql", "table.must-exist bytebase/prod/hr##202311050000##ddl##badge.sql"}) || rep.Databases[0].Basis != "the schema in latest.sql" {
		t.Fatalf("with --latest: %q\n%s", got, dumpFindings(rep))
	}

	// --url: the live schema of a database that has hr.dept.
	live := pgsrv.NewDB(t)
	if err := scratch.LoadURL(ctx, live, "setup.sql", hrLatest); err != nil {
		t.Fatal(err)
	}
	rep, err = Check(ctx, CheckRequest{Repo: r.dir, Scratch: srv, LiveURL: live})
	if err != nil {
		t.Fatal(err)
	}
	if rep.HasErrors() || rep.Files[0].DryRun != "passed" || !strings.HasPrefix(rep.Databases[0].Basis, "the live schema of ") {
		t.Fatalf("with --url:\n%s", dumpFindings(rep))
	}

	// No scratch server: reviewed, not dry-run, and said so.
	rep, err = Check(ctx, CheckRequest{Repo: r.dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := rulesOf(rep, review.Warning); !slices.Equal(got, []string{RuleDryRunNotRun + " bytebase/prod/hr##202311050000##ddl##badge.sql"}) || rep.Files[0].DryRun != "not run" {
		t.Fatalf("without scratch: %q %+v", got, rep.Files)
	}
}

// What stops the check as a whole is a usage error naming what to fix.
func TestCheckUsageErrors(t *testing.T) {
	ctx := context.Background()
	r := baseRepo(t, "")
	r.commit("two", map[string]string{"bytebase/prod/hr##202311030000##ddl##a.sql": "SELECT 1;\n", "bytebase/test/shop##1##ddl##b.sql": "SELECT 1;\n"})
	for _, tc := range []struct {
		req  CheckRequest
		want string
	}{
		{CheckRequest{Repo: t.TempDir()}, "open the git repository"},
		{CheckRequest{Repo: r.dir, Base: "nope"}, `resolve "nope"`},
		{CheckRequest{Repo: r.dir, Base: "main", Latest: "SELECT 1;", LatestName: "l.sql"}, "changes 2: prod/hr, test/shop"},
	} {
		_, err := Check(ctx, tc.req)
		var ue *usererr.Error
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%+v) = %v, want a usage error containing %q", tc.req, err, tc.want)
		}
	}
	// No origin and no local main on a repository whose branch is trunk.
	r2 := newRepo(t, "")
	r2.commit("init", map[string]string{ConfigFile: "branch: trunk\n"})
	if _, err := Check(ctx, CheckRequest{Repo: r2.dir}); err == nil || !strings.Contains(err.Error(), "neither origin/trunk nor trunk exists") {
		t.Errorf("missing base branch: %v", err)
	}
}
