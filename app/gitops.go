package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/tidemark-dev/tidemark/internal/gitops"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// fetchLimit bounds a fetch or a preview (cloning a remote, checks and
// automatic rollouts of the issues it makes).
const fetchLimit = 10 * time.Minute

// GitOpsService links projects to git repositories: the setup wizard's
// preview, the link, fetch now, the LATEST write-back now.
type GitOpsService struct{ a *App }

// GitOpsLinkInput is a link as the setup wizard edits it. Token is the HTTPS
// token (kept in the OS keychain; empty keeps the stored one).
type GitOpsLinkInput struct {
	ProjectID      string `json:"projectId"`
	Path           string `json:"path"`
	URL            string `json:"url"`
	Branch         string `json:"branch"`
	BaseDir        string `json:"baseDir"`
	Template       string `json:"template"`
	LatestTemplate string `json:"latestTemplate"`
	StartCommit    string `json:"startCommit"`
	PollMinutes    int    `json:"pollMinutes"`
	Auth           string `json:"auth"`
	AuthUser       string `json:"authUser"`
	SSHKey         string `json:"sshKey"`
	Token          string `json:"token"`
	// AsConfig previews the naming as it will be committed to tidemark.yaml
	// (WriteConfig), over the repository's own file.
	AsConfig bool `json:"asConfig"`
}

func (in GitOpsLinkInput) repo() workspace.ProjectRepo {
	return workspace.ProjectRepo{ProjectID: in.ProjectID, Path: in.Path, URL: in.URL, Branch: in.Branch, BaseDir: in.BaseDir,
		Template: in.Template, LatestTemplate: in.LatestTemplate, StartCommit: in.StartCommit, PollMinutes: in.PollMinutes,
		Auth: in.Auth, AuthUser: in.AuthUser, SSHKey: in.SSHKey}
}

// GitOpsUnmatched is a file that did not become a task.
type GitOpsUnmatched struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Commit string `json:"commit"`
	SeenAt string `json:"seenAt"`
}

// GitOpsLink is a project's link with its watch state.
type GitOpsLink struct {
	Linked         bool                `json:"linked"`
	ProjectID      string              `json:"projectId"`
	Path           string              `json:"path"`
	URL            string              `json:"url"`
	Branch         string              `json:"branch"`
	BaseDir        string              `json:"baseDir"`
	Template       string              `json:"template"`
	LatestTemplate string              `json:"latestTemplate"`
	StartCommit    string              `json:"startCommit"`
	PollMinutes    int                 `json:"pollMinutes"`
	Auth           string              `json:"auth"`
	AuthUser       string              `json:"authUser"`
	SSHKey         string              `json:"sshKey"`
	LastCommit     string              `json:"lastCommit"`
	LastFetchAt    string              `json:"lastFetchAt"`
	LastError      string              `json:"lastError"`
	LastResult     *gitops.FetchResult `json:"lastResult"`
	Unmatched      []GitOpsUnmatched   `json:"unmatched"`
	// DefaultTemplate and DefaultLatestTemplate are used when the fields
	// are empty and the repository has no tidemark.yaml.
	DefaultTemplate       string `json:"defaultTemplate"`
	DefaultLatestTemplate string `json:"defaultLatestTemplate"`
}

// Get returns a project's link (Linked false when it has none).
func (s *GitOpsService) Get(projectID string) (GitOpsLink, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	out := GitOpsLink{ProjectID: projectID, Branch: "main", PollMinutes: 1, Unmatched: []GitOpsUnmatched{},
		DefaultTemplate: gitops.DefaultTemplate, DefaultLatestTemplate: gitops.DefaultLatestTemplate}
	if _, err := s.a.ws.GetProject(ctx, projectID); err != nil {
		return out, fail(err)
	}
	r, err := s.a.ws.GetProjectRepo(ctx, projectID)
	if errors.Is(err, workspace.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return out, fail(err)
	}
	us, err := s.a.ws.ListGitOpsUnmatched(ctx, projectID)
	if err != nil {
		return out, fail(err)
	}
	return linkOut(r, us), nil
}

func linkOut(r workspace.ProjectRepo, us []workspace.GitOpsUnmatched) GitOpsLink {
	out := GitOpsLink{Linked: true, ProjectID: r.ProjectID, Path: r.Path, URL: r.URL, Branch: r.Branch, BaseDir: r.BaseDir, Template: r.Template,
		LatestTemplate: r.LatestTemplate, StartCommit: r.StartCommit, PollMinutes: r.PollMinutes, Auth: r.Auth, AuthUser: r.AuthUser,
		SSHKey: r.SSHKey, LastCommit: r.LastCommit, LastFetchAt: rfc3339(r.LastFetchAt), LastError: r.LastError,
		Unmatched: []GitOpsUnmatched{}, DefaultTemplate: gitops.DefaultTemplate, DefaultLatestTemplate: gitops.DefaultLatestTemplate}
	if r.LastResult != "" {
		var res gitops.FetchResult
		if json.Unmarshal([]byte(r.LastResult), &res) == nil {
			out.LastResult = &res
		}
	}
	for _, u := range us {
		out.Unmatched = append(out.Unmatched, GitOpsUnmatched{Path: u.Path, Reason: u.Reason, Commit: u.Commit, SeenAt: rfc3339(u.SeenAt)})
	}
	return out
}

// Preview shows how the files at the branch head parse under the link as
// typed (fetching a remote into the workspace first).
func (s *GitOpsService) Preview(in GitOpsLinkInput) (*gitops.Preview, error) {
	ctx, cancel := s.a.call(fetchLimit)
	defer cancel()
	p, err := s.a.watcher.Preview(ctx, in.repo(), in.Token, in.AsConfig)
	return p, fail(err)
}

// WriteConfig commits the link's naming as tidemark.yaml on its branch
// (keeping the rest of the file), so CI reads what the app uses.
func (s *GitOpsService) WriteConfig(projectID string) (*gitops.ConfigResult, error) {
	ctx, cancel := s.a.call(fetchLimit)
	defer cancel()
	res, err := s.a.watcher.WriteConfig(ctx, projectID)
	return res, fail(err)
}

// Link saves the project's link; the watch starts at the branch head (or
// after the start commit) at the next fetch.
func (s *GitOpsService) Link(in GitOpsLinkInput) (GitOpsLink, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	r, err := s.a.watcher.Link(ctx, gitops.LinkRequest{Repo: in.repo(), Token: in.Token})
	if err != nil {
		return GitOpsLink{}, fail(err)
	}
	us, err := s.a.ws.ListGitOpsUnmatched(ctx, r.ProjectID)
	if err != nil {
		return GitOpsLink{}, fail(err)
	}
	return linkOut(r, us), nil
}

// Unlink removes the project's link and its stored token.
func (s *GitOpsService) Unlink(projectID string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	return fail(s.a.watcher.Unlink(ctx, projectID))
}

// FetchNow processes the branch's new commits now (refused while a fetch of
// the project runs). The "gitops" event reports it as the poller's do.
func (s *GitOpsService) FetchNow(projectID string) (*gitops.FetchResult, error) {
	ctx, cancel := context.WithTimeout(s.a.workCtx, fetchLimit)
	defer cancel()
	res, err := s.a.poller.FetchNow(ctx, projectID)
	return res, fail(err)
}

// WriteLatest writes the database's LATEST schema back to the repository now.
func (s *GitOpsService) WriteLatest(projectID, databaseID string) (*gitops.LatestResult, error) {
	ctx, cancel := s.a.call(fetchLimit)
	defer cancel()
	res, err := s.a.latest.Write(ctx, gitops.LatestRequest{ProjectID: projectID, DatabaseID: databaseID})
	return res, fail(err)
}

// GitOpsEvent is the payload of the "gitops" event: a fetch of a project
// finished (Error set when it failed).
type GitOpsEvent struct {
	ProjectID string `json:"projectId"`
	Commits   int    `json:"commits"`
	Issues    int    `json:"issues"`
	Unmatched int    `json:"unmatched"`
	Error     string `json:"error,omitempty"`
}

func (a *App) gitopsEvent(projectID string, res *gitops.FetchResult, err error) {
	e := GitOpsEvent{ProjectID: projectID}
	if err != nil {
		e.Error = oneLine(err)
	} else if res != nil {
		e.Commits, e.Issues, e.Unmatched = len(res.Commits), len(res.Issues), len(res.Unmatched)
	}
	a.emit("gitops", e)
}
