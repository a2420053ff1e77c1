package gitops

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

var pgsrv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pgsrv)) }

// gitRepo is a working clone driven with the git command, as a teammate
// would.
type gitRepo struct {
	t   testing.TB
	dir string
}

// gitEnv fixes identities and keeps the user's configuration out.
func gitEnv() []string {
	return append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Ada Dev", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada Dev", "GIT_COMMITTER_EMAIL=ada@example.com")
}

func runGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// newBare creates a bare repository (the remote) with main as its default
// branch.
func newBare(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "remote.git")
	runGit(t, t.TempDir(), "init", "-q", "--bare", "-b", "main", dir)
	return dir
}

// newRepo creates a working repository on main (with origin when remote is
// not empty).
func newRepo(t testing.TB, remote string) *gitRepo {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "work")
	if remote != "" {
		runGit(t, filepath.Dir(dir), "clone", "-q", remote, dir)
		runGit(t, dir, "checkout", "-q", "-B", "main")
	} else {
		runGit(t, filepath.Dir(dir), "init", "-q", "-b", "main", dir)
	}
	return &gitRepo{t: t, dir: dir}
}

func (r *gitRepo) git(args ...string) string { r.t.Helper(); return runGit(r.t, r.dir, args...) }

func (r *gitRepo) write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit writes files (content "" removes the file) and commits them.
func (r *gitRepo) commit(msg string, files map[string]string) string {
	r.t.Helper()
	for p, c := range files {
		if c == "" {
			r.git("rm", "-q", p)
			continue
		}
		r.write(p, c)
		r.git("add", p)
	}
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}
