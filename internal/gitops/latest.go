package gitops

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Identity is the author and committer of Tidemark's own commits.
type Identity struct{ Name, Email string }

// The identity used when none is configured.
const (
	DefaultIdentityName  = "Tidemark"
	DefaultIdentityEmail = "tidemark@localhost"
)

// LatestRequest asks for a database's LATEST file to be written back.
type LatestRequest struct {
	ProjectID, DatabaseID string
	// Version and Issue name the migration that changed the schema (for
	// the commit message; empty/0 for a write on demand).
	Version string
	Issue   int
	// Identity commits (zero: DefaultIdentityName, DefaultIdentityEmail).
	Identity Identity
	// Attempts bounds the retries when the branch moved (default 3).
	Attempts int
}

// LatestResult is what a write-back did.
type LatestResult struct {
	Path string `json:"path"`
	// Commit is the commit made ("" when the schema was unchanged).
	Commit    string `json:"commit"`
	Unchanged bool   `json:"unchanged"`
	Attempts  int    `json:"attempts"`
	Message   string `json:"message"`
}

// LatestWriter writes databases' LATEST files back to linked repositories.
type LatestWriter struct {
	WS    *workspace.Store
	Conns *instances.Connector
	// Creds authenticate to remotes (nil: only links without credentials).
	Creds *Credentials
	// beforePush, when set, runs between the commit and its push (tests
	// push a teammate's commit there to race the write).
	beforePush func(attempt int)
}

// Write dumps the database (deterministically, without Tidemark's schema),
// and commits it at the LATEST path on the linked branch of a fresh clone
// of the remote, then pushes with the branch's old head required: when
// someone pushed meanwhile the push is refused, and the write is made
// again on the new head (up to Attempts). An unchanged schema commits
// nothing.
func (w *LatestWriter) Write(ctx context.Context, req LatestRequest) (*LatestResult, error) {
	link, err := w.WS.GetProjectRepo(ctx, req.ProjectID)
	if err != nil {
		return nil, err
	}
	db, err := w.WS.GetDatabase(ctx, req.DatabaseID)
	if err != nil {
		return nil, err
	}
	remote, err := remoteURL(link)
	if err != nil {
		return nil, err
	}
	dump, err := w.dump(ctx, req.DatabaseID)
	if err != nil {
		return nil, err
	}
	id := req.Identity
	attempts := req.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	msg := fmt.Sprintf("Update latest schema for %q after migration %s", db.Name, req.Version)
	if req.Version == "" {
		msg = fmt.Sprintf("Update latest schema for %q", db.Name)
	}
	body := msg + "\n\n"
	if req.Issue > 0 {
		body += fmt.Sprintf("Issue: #%d\n", req.Issue)
	}
	if req.Version != "" {
		body += "Version: " + req.Version + "\n"
	}
	body += WritebackTrailer + " latest\n"
	var lastErr error
	for i := 1; i <= attempts; i++ {
		res, err := w.attempt(ctx, link, remote, db, dump, body, id, i)
		if err == nil {
			res.Attempts, res.Message = i, msg
			return res, nil
		}
		if !errors.Is(err, errMoved) {
			return nil, err
		}
		lastErr = err
	}
	return nil, fmt.Errorf("write %s back: the branch kept moving after %d attempts (%v); the rollout stands, write it again with tidemark gitops latest", db.Name, attempts, lastErr)
}

// errMoved is a push refused because the branch moved.
var errMoved = errors.New("the branch moved")

func (w *LatestWriter) attempt(ctx context.Context, link workspace.ProjectRepo, remote string, db workspace.Database, dump, body string, id Identity, n int) (*LatestResult, error) {
	res := &LatestResult{}
	h, err := commitFile(ctx, w.Creds, link, remote, body, func(tree *object.Tree) (string, string, Identity, error) {
		cfg, err := linkConfig(tree, link)
		if err != nil {
			return "", "", id, err
		}
		namer, err := NewNamer(cfg, nil, nil)
		if err != nil {
			return "", "", id, usererr.Invalid("config", "%v", err)
		}
		res.Path = namer.LatestPath(db.EnvironmentID, db.Name)
		who := id
		if who.Name == "" && cfg.Writeback != nil && cfg.Writeback.Name != "" {
			who = Identity{Name: cfg.Writeback.Name, Email: cfg.Writeback.Email}
		}
		return res.Path, dump, who, nil
	}, func() {
		if w.beforePush != nil {
			w.beforePush(n)
		}
	})
	if err != nil {
		return nil, err
	}
	res.Commit, res.Unchanged = h, h == ""
	return res, nil
}

// commitFile writes one file on the link's branch of a fresh clone of
// remote, commits it with body and pushes it with the head the clone saw
// required (errMoved when someone pushed meanwhile). render gets the head's
// tree and returns the path, the content and who commits (zero: the default
// identity). An unchanged file commits nothing: it returns "".
func commitFile(ctx context.Context, creds *Credentials, link workspace.ProjectRepo, remote, body string,
	render func(tree *object.Tree) (path, content string, id Identity, err error), beforePush func()) (string, error) {
	dir, err := os.MkdirTemp("", "tidemark-commit-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	branch := plumbing.NewBranchReferenceName(link.Branch)
	auth, err := creds.auth(ctx, link, "")
	if err != nil {
		return "", err
	}
	repo, err := git.PlainCloneContext(ctx, dir, false, &git.CloneOptions{URL: remote, ReferenceName: branch, SingleBranch: true, Auth: auth})
	if err != nil {
		return "", fmt.Errorf("clone %s: %w", remote, err)
	}
	head, err := repo.Head()
	if err != nil {
		return "", err
	}
	hc, err := repo.CommitObject(head.Hash())
	if err != nil {
		return "", err
	}
	tree, err := hc.Tree()
	if err != nil {
		return "", err
	}
	p, content, id, err := render(tree)
	if err != nil {
		return "", err
	}
	if id.Name == "" {
		id = Identity{Name: DefaultIdentityName, Email: DefaultIdentityEmail}
	}
	if old, ok, err := ReadFile(tree, p); err != nil {
		return "", err
	} else if ok && old == content {
		return "", nil
	}
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		return "", err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "", err
	}
	if _, err := wt.Add(p); err != nil {
		return "", fmt.Errorf("stage %s: %w", p, err)
	}
	sig := &object.Signature{Name: id.Name, Email: id.Email, When: time.Now()}
	h, err := wt.Commit(body, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		return "", fmt.Errorf("commit %s: %w", p, err)
	}
	if beforePush != nil {
		beforePush()
	}
	err = repo.PushContext(ctx, &git.PushOptions{RemoteName: "origin", Auth: auth,
		RefSpecs:          []config.RefSpec{config.RefSpec(branch + ":" + branch)},
		RequireRemoteRefs: []config.RefSpec{config.RefSpec(head.Hash().String() + ":" + branch.String())}})
	if err != nil {
		if isRejected(err) {
			return "", fmt.Errorf("%w: %v", errMoved, err)
		}
		return "", fmt.Errorf("push to %s: %w", remote, err)
	}
	return h.String(), nil
}

func isRejected(err error) bool {
	if errors.Is(err, git.ErrNonFastForwardUpdate) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "remote ref") || strings.Contains(s, "non-fast-forward") || strings.Contains(s, "rejected")
}

// remoteURL is where a link's writes are pushed: the remote, or the
// origin of a local clone.
func remoteURL(link workspace.ProjectRepo) (string, error) {
	if link.URL != "" {
		return link.URL, nil
	}
	repo, err := OpenRepo(link.Path)
	if err != nil {
		return "", err
	}
	r, err := repo.Remote("origin")
	if err != nil || len(r.Config().URLs) == 0 {
		return "", usererr.Invalid("path", "the local clone %s has no origin: the LATEST write-back pushes to the repository's remote", link.Path)
	}
	return r.Config().URLs[0], nil
}

// linkConfig is tidemark.yaml of a tree, else the link's naming.
func linkConfig(tree *object.Tree, link workspace.ProjectRepo) (*Config, error) {
	if _, ok, err := ReadFile(tree, ConfigFile); err != nil {
		return nil, err
	} else if ok {
		c, err := ConfigAt(tree)
		if err != nil {
			return nil, usererr.Invalid("config", "%v", err)
		}
		return c, nil
	}
	c := &Config{Branch: link.Branch, BaseDir: link.BaseDir, Template: link.Template, LatestTemplate: link.LatestTemplate}
	c.fill()
	return c, nil
}

// dump is `tidemark dump` of the database: its deterministic DDL without
// Tidemark's own schema.
func (w *LatestWriter) dump(ctx context.Context, databaseID string) (string, error) {
	d, err := w.Conns.Database(ctx, databaseID)
	if err != nil {
		return "", err
	}
	conn, err := d.Connect(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res, err := catalog.Inspect(ctx, conn, catalog.Options{NoFingerprint: true})
	if err != nil {
		return "", fmt.Errorf("dump %s: %w", d.Label(), pg.Convert(err, d.Info))
	}
	return string(catalog.Dump(res.Schema, catalog.DumpOptions{})) + "\n", nil
}

// AfterTask is the workflow hook (workflow.Service.AfterTask) that writes
// the LATEST schema back after a schema change or baseline task succeeds
// on a database of a project linked to a repository, committed by the
// repository's writeback identity (tidemark.yaml). The outcome goes on
// the issue's timeline; a failure also opens an anomaly (resolved by the
// next write-back of that database that succeeds). The rollout stands
// either way.
func (w *LatestWriter) AfterTask(wf *workflow.Service, anomalies *anomaly.Store) func(context.Context, *workflow.Issue, *workflow.Task) {
	return func(ctx context.Context, is *workflow.Issue, t *workflow.Task) {
		if is.ProjectID == "" || t.DatabaseID == "" || (is.Type != workflow.TypeSchemaChange && is.Type != workflow.TypeBaseline) {
			return
		}
		if _, err := w.WS.GetProjectRepo(ctx, is.ProjectID); err != nil {
			return // not linked
		}
		res, err := w.Write(ctx, LatestRequest{ProjectID: is.ProjectID, DatabaseID: t.DatabaseID, Version: t.Version, Issue: is.Number})
		d, derr := w.WS.GetDatabase(ctx, t.DatabaseID)
		if err != nil {
			msg := "LATEST write-back failed (the rollout stands; write it again with tidemark gitops latest): " + usererr.From(err).Error()
			_, _ = wf.Note(ctx, is.Number, "latest_failed", t.ID, msg)
			if anomalies != nil && derr == nil {
				_, _, _ = anomalies.Observe(ctx, anomaly.Condition{Kind: anomaly.KindWriteback, Severity: anomaly.SeverityWarning,
					InstanceID: d.InstanceID, DatabaseID: d.ID, EnvironmentID: d.EnvironmentID,
					Summary: fmt.Sprintf("The LATEST schema of %s could not be written back after issue #%d", d.Name, is.Number),
					Details: anomaly.ErrorDetails{Error: usererr.From(err).Error()},
					Action:  "Fix the repository access, then write it again (tidemark gitops latest, or roll out the next change)"}, time.Now())
			}
			return
		}
		if anomalies != nil && derr == nil {
			_, _ = anomalies.Clear(ctx, anomaly.KindWriteback, d.InstanceID, d.ID, nil, time.Now())
		}
		if res.Unchanged {
			_, _ = wf.Note(ctx, is.Number, "latest_unchanged", t.ID, res.Path+" already holds this schema: nothing committed")
			return
		}
		_, _ = wf.Note(ctx, is.Number, "latest_written", t.ID, fmt.Sprintf("%s committed as %s (%s)", res.Path, short(res.Commit), res.Message))
	}
}
