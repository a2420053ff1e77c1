package gitops

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// LinkRequest links a project to a repository.
type LinkRequest struct {
	Repo workspace.ProjectRepo
	// Token is the HTTPS token of a link with workspace.AuthToken; empty
	// keeps the stored one. It goes to the keychain, never the workspace.
	Token string
}

// Link validates and saves a project's repository link: exactly one of a
// local clone (an existing git repository; made absolute) or a remote URL
// without credentials, templates that compile, a known authentication.
// The token of an HTTPS link is stored with Creds' secrets.
func (w *Watcher) Link(ctx context.Context, req LinkRequest) (workspace.ProjectRepo, error) {
	r, err := w.validLink(req.Repo)
	if err != nil {
		return workspace.ProjectRepo{}, err
	}
	if r.Auth == workspace.AuthToken {
		if err := w.storeToken(ctx, r, req.Token); err != nil {
			return workspace.ProjectRepo{}, err
		}
	}
	saved, err := w.WS.SetProjectRepo(ctx, r)
	if err != nil {
		return workspace.ProjectRepo{}, usererr.From(err)
	}
	if r.Auth != workspace.AuthToken {
		w.forgetToken(ctx, r.ProjectID)
	}
	return saved, nil
}

func (w *Watcher) validLink(r workspace.ProjectRepo) (workspace.ProjectRepo, error) {
	r.Path, r.URL, r.Branch = strings.TrimSpace(r.Path), strings.TrimSpace(r.URL), strings.TrimSpace(r.Branch)
	if (r.Path == "") == (r.URL == "") {
		return r, usererr.Invalid("path", "give one of a local clone's path or a remote URL")
	}
	if r.Branch == "" {
		r.Branch = "main"
	}
	cfg := &Config{Branch: r.Branch, BaseDir: r.BaseDir, Template: r.Template, LatestTemplate: r.LatestTemplate}
	cfg.fill()
	if err := cfg.Validate(); err != nil {
		return r, usererr.Invalid("template", "%v", err)
	}
	if r.PollMinutes < 0 {
		return r, usererr.Invalid("pollMinutes", "the poll interval is %d minutes: use 0 (only on demand) or more", r.PollMinutes)
	}
	if r.Path != "" {
		abs, err := filepath.Abs(r.Path)
		if err != nil {
			return r, usererr.Invalid("path", "%v", err)
		}
		if _, err := OpenRepo(abs); err != nil {
			return r, usererr.Invalid("path", "%v", err)
		}
		r.Path = abs
	} else if err := checkRemoteURL(r.URL); err != nil {
		return r, err
	}
	switch r.Auth {
	case workspace.AuthNone, workspace.AuthToken, workspace.AuthSSHAgent:
	case workspace.AuthSSHKey:
		if r.SSHKey == "" {
			return r, usererr.Invalid("sshKey", "name the private key file for SSH")
		}
	default:
		return r, usererr.Invalid("auth", "unknown authentication %q (token, ssh-agent, ssh-key)", r.Auth)
	}
	return r, nil
}

func (w *Watcher) storeToken(ctx context.Context, r workspace.ProjectRepo, token string) error {
	if w.Creds == nil || w.Creds.Secrets == nil {
		return usererr.Invalid("token", "the OS keychain is not available: Tidemark keeps repository tokens only there")
	}
	if token == "" {
		if _, err := w.Creds.Secrets.Get(ctx, TokenKey(r.ProjectID)); err != nil {
			if errors.Is(err, secret.ErrNotFound) {
				return usererr.Invalid("token", "give the token for the repository")
			}
			return fmt.Errorf("read the repository token from the keychain: %w", err)
		}
		return nil
	}
	if err := w.Creds.Secrets.Set(ctx, TokenKey(r.ProjectID), token); err != nil {
		return fmt.Errorf("store the repository token in the keychain: %w", err)
	}
	return nil
}

func (w *Watcher) forgetToken(ctx context.Context, projectID string) {
	if w.Creds != nil && w.Creds.Secrets != nil {
		_ = w.Creds.Secrets.Delete(ctx, TokenKey(projectID))
	}
}

// Unlink removes a project's link and its stored token; the issues made
// from its files stay.
func (w *Watcher) Unlink(ctx context.Context, projectID string) error {
	if err := w.WS.DeleteProjectRepo(ctx, projectID); err != nil {
		return usererr.From(err)
	}
	w.forgetToken(ctx, projectID)
	return nil
}

// Preview is how the files at a branch's head parse under a link's
// naming, before (or after) it is saved.
type Preview struct {
	Branch string `json:"branch"`
	Head   string `json:"head"`
	// Subject is the head commit's subject.
	Subject string `json:"subject"`
	// ConfigSource is "tidemark.yaml" when the repository names its files,
	// else "link" (the link's base directory and templates).
	ConfigSource string  `json:"configSource"`
	Config       *Config `json:"config"`
	// LatestPaths are the LATEST files of the project's databases.
	LatestPaths []string       `json:"latestPaths"`
	Files       []PreviewEntry `json:"files"`
}

// Preview fetches the link's repository (a remote into the workspace's
// clone) and names every relevant file at the branch head, with the reason
// for each one that would not become a task. token, when set, is used for
// an HTTPS link not saved yet. asConfig previews the link's naming as it
// would be committed to tidemark.yaml (WriteConfig), over the file's own.
func (w *Watcher) Preview(ctx context.Context, r workspace.ProjectRepo, token string, asConfig bool) (*Preview, error) {
	r, err := w.validLink(r)
	if err != nil {
		return nil, err
	}
	repo, ref, err := w.open(ctx, r, token)
	if err != nil {
		return nil, err
	}
	head, err := ResolveCommit(repo, ref)
	if err != nil {
		return nil, usererr.Invalid("branch", "branch %s: %v", r.Branch, err)
	}
	tree, err := head.Tree()
	if err != nil {
		return nil, err
	}
	out := &Preview{Branch: r.Branch, Head: head.Hash.String(), Subject: subject(head.Message), ConfigSource: "link", LatestPaths: []string{}}
	if _, ok, err := ReadFile(tree, ConfigFile); err != nil {
		return nil, err
	} else if ok {
		out.ConfigSource = ConfigFile
	}
	if out.Config, err = linkConfig(tree, r); err != nil {
		return nil, err
	}
	if asConfig {
		out.Config.overrideNaming(r)
	}
	namer, dbs, err := w.projectNamer(ctx, r.ProjectID, out.Config)
	if err != nil {
		return nil, err
	}
	paths, err := TreePaths(tree)
	if err != nil {
		return nil, err
	}
	out.Files = namer.Preview(paths)
	for _, d := range dbs {
		out.LatestPaths = append(out.LatestPaths, namer.LatestPath(d.EnvironmentID, d.Name))
	}
	return out, nil
}

// projectNamer names files under cfg for a project: only its environments
// and databases parse.
func (w *Watcher) projectNamer(ctx context.Context, projectID string, cfg *Config) (*Namer, []workspace.Database, error) {
	envs, err := w.WS.ListEnvironments(ctx)
	if err != nil {
		return nil, nil, err
	}
	dbs, err := w.WS.ListDatabases(ctx, workspace.DatabaseFilter{ProjectID: projectID})
	if err != nil {
		return nil, nil, err
	}
	envIDs := make([]string, 0, len(envs))
	for _, e := range envs {
		envIDs = append(envIDs, e.ID)
	}
	names := make([]string, 0, len(dbs))
	for _, d := range dbs {
		names = append(names, d.Name)
	}
	n, err := NewNamer(cfg, envIDs, names)
	if err != nil {
		return nil, nil, usererr.Invalid("config", "%v", err)
	}
	return n, dbs, nil
}

// overrideNaming puts the link's branch, base directory and templates in c
// (the defaults for empty templates).
func (c *Config) overrideNaming(r workspace.ProjectRepo) {
	c.Branch, c.BaseDir, c.Template, c.LatestTemplate = r.Branch, r.BaseDir, r.Template, r.LatestTemplate
	c.fill()
}

// ConfigResult is what writing tidemark.yaml did.
type ConfigResult struct {
	Path string `json:"path"`
	// Commit is the commit made ("" when the file already said this).
	Commit    string `json:"commit"`
	Unchanged bool   `json:"unchanged"`
	Content   string `json:"content"`
}

// WriteConfig commits the link's naming (branch, base directory, file and
// LATEST templates) as tidemark.yaml on the linked branch, keeping the rest
// of an existing file (environments, folders, policy, writeback identity),
// so CI's tidemark check reads exactly what the app uses. The commit carries
// the write-back trailer (the watcher skips it) and is pushed like a LATEST
// write-back: with the branch's old head required, made again when the
// branch moved (3 attempts).
func (w *Watcher) WriteConfig(ctx context.Context, projectID string) (*ConfigResult, error) {
	link, err := w.WS.GetProjectRepo(ctx, projectID)
	if err != nil {
		return nil, usererr.From(err)
	}
	remote, err := remoteURL(link)
	if err != nil {
		return nil, err
	}
	body := "Update " + ConfigFile + " from Tidemark\n\n" + WritebackTrailer + " config\n"
	var lastErr error
	for i := 1; i <= 3; i++ {
		res := &ConfigResult{Path: ConfigFile}
		h, err := commitFile(ctx, w.Creds, link, remote, body, func(tree *object.Tree) (string, string, Identity, error) {
			cfg := &Config{}
			if _, ok, err := ReadFile(tree, ConfigFile); err != nil {
				return "", "", Identity{}, err
			} else if ok {
				if cfg, err = ConfigAt(tree); err != nil {
					return "", "", Identity{}, usererr.Invalid("config", "the repository's %s does not load (%v): fix it there first", ConfigFile, err)
				}
			}
			cfg.overrideNaming(link)
			if err := cfg.Validate(); err != nil {
				return "", "", Identity{}, usererr.Invalid("template", "%v", err)
			}
			data, err := cfg.Marshal()
			if err != nil {
				return "", "", Identity{}, err
			}
			res.Content = string(data)
			id := Identity{}
			if cfg.Writeback != nil {
				id = Identity{Name: cfg.Writeback.Name, Email: cfg.Writeback.Email}
			}
			return ConfigFile, res.Content, id, nil
		}, nil)
		if err == nil {
			res.Commit, res.Unchanged = h, h == ""
			return res, nil
		}
		if !errors.Is(err, errMoved) {
			return nil, err
		}
		lastErr = err
	}
	return nil, fmt.Errorf("write %s: the branch kept moving after 3 attempts (%v)", ConfigFile, lastErr)
}
