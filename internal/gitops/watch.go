package gitops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// record keeps a fetch's outcome with the link.
func (w *Watcher) record(ctx context.Context, projectID string, res *FetchResult, ferr error) error {
	if errors.Is(ferr, workspace.ErrNotFound) {
		return nil // no link: nothing to record on
	}
	if ferr != nil {
		return w.WS.RecordFetch(ctx, projectID, usererr.From(ferr).Error(), "")
	}
	if err := w.WS.ForgetGitOpsUnmatched(ctx, projectID, res.settled); err != nil {
		return err
	}
	us := make([]workspace.GitOpsUnmatched, 0, len(res.Unmatched))
	for _, u := range res.Unmatched {
		us = append(us, workspace.GitOpsUnmatched{Path: u.Path, Reason: u.Reason, Commit: res.To})
	}
	if err := w.WS.SaveGitOpsUnmatched(ctx, projectID, us); err != nil {
		return err
	}
	for _, a := range res.Anomalies {
		if err := w.observeModified(ctx, a); err != nil {
			return err
		}
	}
	js := ""
	if len(res.Commits) > 0 || res.Started || res.ForcePush != nil {
		b, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("record the fetch: %w", err)
		}
		js = string(b)
	}
	return w.WS.RecordFetch(ctx, projectID, "", js)
}

// observeModified opens (or refreshes) the anomaly of an applied migration
// whose file was changed in the repository afterwards.
func (w *Watcher) observeModified(ctx context.Context, a FileAnomaly) error {
	if w.Anomalies == nil || a.DatabaseID == "" {
		return nil
	}
	d, err := w.WS.GetDatabase(ctx, a.DatabaseID)
	if err != nil {
		return nil // the database left the workspace: nothing to attach it to
	}
	_, _, err = w.Anomalies.Observe(ctx, anomaly.Condition{
		Kind: anomaly.KindGitOpsModified, Severity: anomaly.SeverityWarning, InstanceID: d.InstanceID, DatabaseID: d.ID,
		EnvironmentID: d.EnvironmentID, Subject: a.Path,
		Summary: fmt.Sprintf("%s was modified in the repository after issue #%d applied it (version %s); it is not run again", a.Path, a.Issue, a.Version),
		Details: anomaly.MigrationDetails{Version: a.Version, Path: a.Path,
			Error: fmt.Sprintf("commit %s changed the file after it was applied", short(a.Commit))},
		Action: "Restore the file as it was applied, and put the new change in a new migration file with a higher version",
	}, time.Now())
	return err
}

// errFetchRunning refuses a fetch of a project while another one runs in
// this process.
var errFetchRunning = errors.New("a fetch of this project's repository is already running")

// Poller fetches linked repositories on their intervals while the app
// runs, and on demand; fetches of one project never overlap.
type Poller struct {
	W *Watcher
	// Notify, when set, hears of each fetch's outcome.
	Notify func(projectID string, res *FetchResult, err error)
	// Tick is how often due links are looked for (default 15 s).
	Tick time.Duration

	mu      sync.Mutex
	running map[string]bool
}

// FetchNow fetches one project now; a fetch of it already running is
// refused (usererr, field "fetch").
func (p *Poller) FetchNow(ctx context.Context, projectID string) (*FetchResult, error) {
	p.mu.Lock()
	if p.running == nil {
		p.running = map[string]bool{}
	}
	if p.running[projectID] {
		p.mu.Unlock()
		return nil, usererr.Invalid("fetch", "%v", errFetchRunning)
	}
	p.running[projectID] = true
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.running, projectID)
		p.mu.Unlock()
	}()
	res, err := p.W.Fetch(ctx, projectID)
	if p.Notify != nil {
		p.Notify(projectID, res, err)
	}
	return res, err
}

// Due lists the links whose interval has passed at now (never fetched
// links are due at once; interval 0 never is).
func Due(links []workspace.ProjectRepo, now time.Time) []string {
	var out []string
	for _, l := range links {
		if l.PollMinutes <= 0 {
			continue
		}
		if l.LastFetchAt.IsZero() || !now.Before(l.LastFetchAt.Add(time.Duration(l.PollMinutes)*time.Minute)) {
			out = append(out, l.ProjectID)
		}
	}
	return out
}

// Run fetches due links until ctx ends. A failed fetch is recorded with its
// link (and notified) and retried at the next interval. Links whose last
// fetch failed are retried on their interval from the failure.
func (p *Poller) Run(ctx context.Context) {
	tick := p.Tick
	if tick <= 0 {
		tick = 15 * time.Second
	}
	failedAt := map[string]time.Time{}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		links, err := p.W.WS.ListProjectRepos(ctx)
		if err == nil {
			now := time.Now()
			for i := range links {
				if at, ok := failedAt[links[i].ProjectID]; ok && at.After(links[i].LastFetchAt) {
					links[i].LastFetchAt = at
				}
			}
			for _, id := range Due(links, now) {
				if ctx.Err() != nil {
					return
				}
				if _, err := p.FetchNow(ctx, id); err != nil {
					failedAt[id] = time.Now()
				} else {
					delete(failedAt, id)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CheckThenAdvance is the AfterChange both faces use: run the issue's
// checks, then its automatic rollout (the environment's policy decides).
func CheckThenAdvance(wf *workflow.Service) func(context.Context, int) error {
	return func(ctx context.Context, n int) error {
		if _, err := wf.Check(ctx, n); err != nil {
			return err
		}
		_, err := wf.Advance(ctx, n)
		return err
	}
}
