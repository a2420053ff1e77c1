package gitops

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// WritebackTrailer marks the commits Tidemark makes itself (LATEST
// write-back): the watcher lists and skips them, so its own commits never
// loop back into issues.
const WritebackTrailer = "Tidemark-Writeback:"

// Watcher turns new commits of linked repositories into issues.
type Watcher struct {
	WS *workspace.Store
	WF *workflow.Service
	// ReposDir holds the clones of remote repositories (one per project).
	ReposDir string
	// AfterChange, when set, runs after an issue is created or its plan
	// changed (the CLI and the app run its checks and automatic rollout).
	AfterChange func(ctx context.Context, issue int) error
	// Latest, when set, writes back the LATEST file of each database whose
	// schema change or baseline task of a fetched issue succeeded.
	Latest *LatestWriter
	// Identity commits the write-backs (zero: tidemark.yaml's writeback
	// identity, else the default one).
	Identity Identity
	// Creds authenticate to remotes (nil: only links without credentials).
	Creds *Credentials
	// Anomalies, when set, records a modified applied migration in the
	// Anomaly Center.
	Anomalies *anomaly.Store
}

// writeBack writes LATEST for the done tasks of issue n; a failure is
// reported beside the issue, the rollout itself stands.
func (w *Watcher) writeBack(ctx context.Context, res *FetchResult, projectID string, n int) string {
	if w.Latest == nil {
		return ""
	}
	is, err := w.WF.Get(ctx, n)
	if err != nil {
		return usererr.From(err).Error()
	}
	if is.Type != workflow.TypeSchemaChange && is.Type != workflow.TypeBaseline {
		return ""
	}
	var errs []string
	for _, t := range is.Tasks {
		if t.Status != workflow.TaskDone || t.DatabaseID == "" {
			continue
		}
		lr, err := w.Latest.Write(ctx, LatestRequest{ProjectID: projectID, DatabaseID: t.DatabaseID, Version: t.Version, Issue: n, Identity: w.Identity})
		if err != nil {
			errs = append(errs, "LATEST write-back of "+t.DatabaseName+" failed (the rollout stands): "+usererr.From(err).Error())
			continue
		}
		if !lr.Unchanged {
			res.Notes = append(res.Notes, fmt.Sprintf("%s committed as %s (%s)", lr.Path, short(lr.Commit), lr.Message))
		}
	}
	return strings.Join(errs, "; ")
}

// FetchResult is what one fetch did (documented in docs/cli.md).
type FetchResult struct {
	Project string `json:"project"`
	Branch  string `json:"branch"`
	// From and To are the last processed commit before and after.
	From string `json:"from"`
	To   string `json:"to"`
	// Started is set on the first fetch of a link without a start commit:
	// the branch head becomes the starting point, nothing is replayed.
	Started bool `json:"started"`
	// ForcePush is set when the last processed commit is no longer an
	// ancestor of the branch head: nothing is replayed, the watch continues
	// from the new head.
	ForcePush *ForcePush   `json:"forcePush,omitempty"`
	Commits   []CommitInfo `json:"commits"`
	Issues    []IssueEvent `json:"issues"`
	// Anomalies are changes Tidemark will not run: a modified applied
	// migration. They are reported here for the Anomaly Center.
	Anomalies []FileAnomaly `json:"anomalies"`
	Unmatched []Unmatched   `json:"unmatched"`
	Notes     []string      `json:"notes"`

	// settled are the paths that left the unmatched list: they became
	// tasks, or were deleted.
	settled []string
}

// ForcePush describes a rewritten branch.
type ForcePush struct {
	Previous string `json:"previous"`
	Head     string `json:"head"`
	Message  string `json:"message"`
}

// CommitInfo is a commit of the fetched range.
type CommitInfo struct {
	Hash    string    `json:"hash"`
	Subject string    `json:"subject"`
	Author  string    `json:"author"`
	Email   string    `json:"email"`
	When    time.Time `json:"when"`
	Merge   bool      `json:"merge,omitempty"`
	// Skipped says why the commit was not processed (Tidemark's own).
	Skipped string `json:"skipped,omitempty"`
}

// Issue event actions.
const (
	IssueCreated  = "created"
	IssueUpdated  = "updated"  // a pending file changed: statement replaced, checks and approval reset
	IssueCanceled = "canceled" // every file of its task was deleted
)

// IssueEvent is an issue a fetch created or changed.
type IssueEvent struct {
	Number   int      `json:"number"`
	Title    string   `json:"title"`
	Action   string   `json:"action"`
	Database string   `json:"database"`
	Files    []string `json:"files"` // in version order
	Error    string   `json:"error,omitempty"`
}

// Anomaly kinds a fetch reports.
const AnomalyModifiedApplied = "modified applied migration"

// FileAnomaly is a change Tidemark does not run.
type FileAnomaly struct {
	Kind       string `json:"kind"`
	Path       string `json:"path"`
	DatabaseID string `json:"databaseId"`
	Version    string `json:"version"`
	Issue      int    `json:"issue"`
	Commit     string `json:"commit"`
}

// Unmatched is a .sql file that did not become a task, with the reason.
type Unmatched struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Fetch processes the commits of a project's branch since the last one
// processed. A fetch that finds nothing new returns a result with no
// commits. Two fetches of one project do not process the same commits
// (the second gets a conflict). The outcome is kept with the link (the
// error, or the result of a fetch that processed commits), the files that
// did not become tasks are listed until a later commit settles them, and
// a modified applied migration is an anomaly.
func (w *Watcher) Fetch(ctx context.Context, projectID string) (*FetchResult, error) {
	res, err := w.fetch(ctx, projectID)
	if rerr := w.record(ctx, projectID, res, err); rerr != nil && err == nil {
		return res, rerr
	}
	return res, err
}

func (w *Watcher) fetch(ctx context.Context, projectID string) (*FetchResult, error) {
	link, err := w.WS.GetProjectRepo(ctx, projectID)
	if err != nil {
		return nil, err
	}
	repo, ref, err := w.open(ctx, link, "")
	if err != nil {
		return nil, err
	}
	res := &FetchResult{Project: projectID, Branch: link.Branch, From: link.LastCommit, Commits: []CommitInfo{}, Issues: []IssueEvent{},
		Anomalies: []FileAnomaly{}, Unmatched: []Unmatched{}, Notes: []string{}}
	head, err := ResolveCommit(repo, ref)
	if err != nil {
		return nil, usererr.Invalid("branch", "branch %s: %v", link.Branch, err)
	}
	res.To = head.Hash.String()
	var last *object.Commit
	switch {
	case link.LastCommit == "" && link.StartCommit == "":
		res.Started = true
		res.Notes = append(res.Notes, fmt.Sprintf("the link starts at %s, the head of %s: commits before it are not replayed", short(res.To), link.Branch))
		return res, w.WS.AdvanceProjectRepo(ctx, projectID, link.LastCommit, res.To)
	case link.LastCommit == "":
		if last, err = ResolveCommit(repo, link.StartCommit); err != nil {
			return nil, usererr.Invalid("startCommit", "start commit: %v", err)
		}
	default:
		last, err = ResolveCommit(repo, link.LastCommit)
		if err == nil {
			var anc bool
			if anc, err = last.IsAncestor(head); err == nil && !anc {
				err = errors.New("not an ancestor")
			}
		}
		if err != nil {
			res.ForcePush = &ForcePush{Previous: link.LastCommit, Head: res.To,
				Message: fmt.Sprintf("%s was force-pushed: the last processed commit %s is no longer in its history; continuing from the new head %s without replaying", link.Branch, short(link.LastCommit), short(res.To))}
			return res, w.WS.AdvanceProjectRepo(ctx, projectID, link.LastCommit, res.To)
		}
	}
	if last.Hash == head.Hash {
		return res, nil
	}
	commits, err := commitsBetween(last, head)
	if err != nil {
		return nil, err
	}
	touched := map[string][]*object.Commit{} // path -> commits that changed it
	for _, c := range commits {
		ci := CommitInfo{Hash: c.Hash.String(), Subject: subject(c.Message), Author: c.Author.Name, Email: c.Author.Email, When: c.Committer.When.UTC(), Merge: c.NumParents() > 1}
		if strings.Contains(c.Message, WritebackTrailer+" config") {
			ci.Skipped = "Tidemark's own " + ConfigFile + " update"
		} else if strings.Contains(c.Message, WritebackTrailer) {
			ci.Skipped = "Tidemark's own LATEST write-back"
		} else if c.NumParents() <= 1 {
			var parent *object.Commit
			if c.NumParents() == 1 {
				if parent, err = c.Parent(0); err != nil {
					return nil, fmt.Errorf("parent of %s: %w", c.Hash, err)
				}
			}
			chs, err := DiffCommits(ctx, parent, c)
			if err != nil {
				return nil, err
			}
			for _, ch := range chs {
				touched[ch.Path] = append(touched[ch.Path], c)
			}
		}
		res.Commits = append(res.Commits, ci)
	}
	p := &pass{w: w, res: res, link: link, head: head, commits: commits, touched: touched, tasks: map[taskKey]bool{}, order: map[plumbing.Hash]int{}}
	for i, c := range commits {
		p.order[c.Hash] = i
	}
	if err := p.prepare(ctx); err != nil {
		return nil, err
	}
	changes, err := DiffCommits(ctx, last, head)
	if err != nil {
		return nil, err
	}
	if err := p.run(ctx, changes); err != nil {
		return nil, err
	}
	return res, w.WS.AdvanceProjectRepo(ctx, projectID, link.LastCommit, res.To)
}

// open opens the link's repository and fetches its remote; ref is the
// branch to watch.
func (w *Watcher) open(ctx context.Context, link workspace.ProjectRepo, token string) (*git.Repository, string, error) {
	var repo *git.Repository
	var err error
	if link.URL != "" {
		dir := filepath.Join(w.ReposDir, link.ProjectID+".git")
		if _, serr := os.Stat(dir); errors.Is(serr, os.ErrNotExist) {
			repo, err = git.PlainInit(dir, true)
			if err == nil {
				_, err = repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{link.URL}})
			}
		} else if repo, err = git.PlainOpen(dir); err == nil {
			// the link moved to another remote: fetch from that one
			if r, rerr := repo.Remote("origin"); rerr != nil || len(r.Config().URLs) == 0 || r.Config().URLs[0] != link.URL {
				_ = repo.DeleteRemote("origin")
				_, err = repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{link.URL}})
			}
		}
		if err != nil {
			return nil, "", fmt.Errorf("the workspace's clone of %s: %w", link.URL, err)
		}
	} else if repo, err = OpenRepo(link.Path); err != nil {
		return nil, "", usererr.Invalid("path", "%v", err)
	}
	if _, err := repo.Remote("origin"); err == nil {
		auth, err := w.Creds.auth(ctx, link, token)
		if err != nil {
			return nil, "", err
		}
		err = repo.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", Force: true, Prune: true, Auth: auth,
			RefSpecs: []config.RefSpec{"+refs/heads/*:refs/remotes/origin/*"}})
		if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			return nil, "", fmt.Errorf("fetch %s: %w", remoteName(link), err)
		}
		return repo, "refs/remotes/origin/" + link.Branch, nil
	}
	return repo, "refs/heads/" + link.Branch, nil
}

func remoteName(l workspace.ProjectRepo) string {
	if l.URL != "" {
		return l.URL
	}
	return "origin of " + l.Path
}

// commitsBetween lists the commits reachable from head and not from last,
// parents before children (first parents first), so equal timestamps keep
// the history's order.
func commitsBetween(last, head *object.Commit) ([]*object.Commit, error) {
	seen := map[plumbing.Hash]bool{}
	err := object.NewCommitPreorderIter(last, nil, nil).ForEach(func(c *object.Commit) error {
		seen[c.Hash] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk the history of %s: %w", last.Hash, err)
	}
	// Iterative post-order: a commit is emitted once all its parents are.
	type frame struct {
		c    *object.Commit
		next int
	}
	var out []*object.Commit
	stack := []frame{{c: head}}
	seen[head.Hash] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < top.c.NumParents() {
			h := top.c.ParentHashes[top.next]
			top.next++
			if seen[h] {
				continue
			}
			seen[h] = true
			pc, err := top.c.Parent(top.next - 1)
			if err != nil {
				return nil, fmt.Errorf("parent of %s: %w", top.c.Hash, err)
			}
			stack = append(stack, frame{c: pc})
			continue
		}
		out = append(out, top.c)
		stack = stack[:len(stack)-1]
	}
	return out, nil
}

func subject(msg string) string {
	s, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	return strings.TrimSpace(s)
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// taskKey names a task of an issue.
type taskKey struct {
	issue int
	task  string
}

// pass is the processing of one fetched range.
type pass struct {
	w        *Watcher
	res      *FetchResult
	link     workspace.ProjectRepo
	head     *object.Commit
	headTree *object.Tree
	commits  []*object.Commit
	touched  map[string][]*object.Commit
	// order is each commit's position in the range (parents first).
	order map[plumbing.Hash]int
	namer *Namer
	cfg   *Config
	// dbs are the project's databases by environment and name.
	dbs map[dbKey]workspace.Database
	// byName are the project's databases by name (for names without an
	// environment).
	byName map[string][]workspace.Database
	// tasks are the tasks whose files changed (their plans are rebuilt).
	tasks map[taskKey]bool
}

func (p *pass) prepare(ctx context.Context) error {
	var err error
	if p.headTree, err = p.head.Tree(); err != nil {
		return err
	}
	_, hasConfig, err := ReadFile(p.headTree, ConfigFile)
	if err != nil {
		return err
	}
	if hasConfig {
		if p.cfg, err = ConfigAt(p.headTree); err != nil {
			return usererr.Invalid("config", "%v", err)
		}
	} else {
		p.cfg = &Config{Branch: p.link.Branch, BaseDir: p.link.BaseDir, Template: p.link.Template, LatestTemplate: p.link.LatestTemplate}
		p.cfg.fill()
	}
	namer, dbs, err := p.w.projectNamer(ctx, p.link.ProjectID, p.cfg)
	if err != nil {
		return err
	}
	p.namer = namer
	p.dbs, p.byName = map[dbKey]workspace.Database{}, map[string][]workspace.Database{}
	for _, d := range dbs {
		p.dbs[dbKey{d.EnvironmentID, d.Name}] = d
		p.byName[d.Name] = append(p.byName[d.Name], d)
	}
	return nil
}

// database finds the project's database a file names.
func (p *pass) database(f *File) (workspace.Database, string) {
	if f.Environment != "" {
		if d, ok := p.dbs[dbKey{f.Environment, f.Database}]; ok {
			return d, ""
		}
		return workspace.Database{}, fmt.Sprintf("the project has no database %q in environment %q", f.Database, f.Environment)
	}
	switch ds := p.byName[f.Database]; len(ds) {
	case 1:
		return ds[0], ""
	case 0:
		return workspace.Database{}, fmt.Sprintf("database %q is not in the project", f.Database)
	default:
		return workspace.Database{}, fmt.Sprintf("the project has %d databases named %q: name the environment in the path template", len(ds), f.Database)
	}
}

// newFile is an added migration file waiting to be grouped.
type newFile struct {
	File
	db   workspace.Database
	blob string
	sql  string
}

func (p *pass) run(ctx context.Context, changes []Changed) error {
	var added []newFile
	for _, ch := range changes {
		if !strings.HasSuffix(ch.Path, ".sql") && !strings.HasSuffix(ch.From, ".sql") {
			continue
		}
		if p.namer.IsLatest(ch.Path) {
			continue
		}
		switch ch.Action {
		case Deleted:
			if err := p.deleted(ctx, ch.Path); err != nil {
				return err
			}
			continue
		case Renamed:
			p.res.settled = append(p.res.settled, ch.From)
			rec, err := p.w.WS.GetGitOpsFile(ctx, p.link.ProjectID, ch.From)
			if err == nil && !rec.Deleted {
				if err := p.w.WS.RenameGitOpsFile(ctx, p.link.ProjectID, ch.From, ch.Path); err != nil {
					return err
				}
				p.res.Notes = append(p.res.Notes, fmt.Sprintf("%s was renamed to %s", ch.From, ch.Path))
				if ch.Same {
					continue
				}
				if err := p.modified(ctx, ch.Path); err != nil {
					return err
				}
				continue
			} else if err != nil && !errors.Is(err, workspace.ErrNotFound) {
				return err
			}
			// An untracked file renamed: a new file at its new path.
		case Modified:
			if err := p.modified(ctx, ch.Path); err != nil {
				return err
			}
			continue
		}
		nf, why, err := p.parseNew(ch.Path)
		if err != nil {
			return err
		}
		if why != "" {
			p.res.Unmatched = append(p.res.Unmatched, Unmatched{Path: ch.Path, Reason: why})
			continue
		}
		added = append(added, *nf)
	}
	if err := p.create(ctx, added); err != nil {
		return err
	}
	return p.rebuild(ctx)
}

// parseNew names an added file and finds its database.
func (p *pass) parseNew(path string) (*newFile, string, error) {
	if !p.namer.Relevant(path) {
		return nil, fmt.Sprintf("outside the base directory %q", p.cfg.BaseDir), nil
	}
	f, why := p.namer.Parse(path)
	if why != "" {
		return nil, why, nil
	}
	d, why := p.database(f)
	if why != "" {
		return nil, why, nil
	}
	if _, err := migrate.ParseVersion(f.Version); err != nil {
		return nil, err.Error(), nil
	}
	src, blob, err := p.content(path)
	if err != nil {
		return nil, "", err
	}
	return &newFile{File: *f, db: d, blob: blob, sql: src}, "", nil
}

func (p *pass) content(path string) (string, string, error) {
	f, err := p.headTree.File(path)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", path, err)
	}
	s, err := f.Contents()
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", path, err)
	}
	return s, f.Hash.String(), nil
}

// taskOf returns a tracked file's task (nil when its issue is gone).
func (p *pass) taskOf(ctx context.Context, rec workspace.GitOpsFile) (*workflow.Issue, *workflow.Task, error) {
	is, err := p.w.WF.Get(ctx, rec.Issue)
	if errors.Is(err, workspace.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return is, is.Task(rec.TaskID), nil
}

// applied reports whether a task's statement ran (or runs now): its plan
// is frozen, as the workflow says.
func applied(t *workflow.Task) bool {
	return t.Attempts > 0 || t.Status == workflow.TaskRunning || t.Status == workflow.TaskDone
}

// modified handles a file whose content changed.
func (p *pass) modified(ctx context.Context, path string) error {
	rec, err := p.w.WS.GetGitOpsFile(ctx, p.link.ProjectID, path)
	if errors.Is(err, workspace.ErrNotFound) || (err == nil && rec.Deleted) {
		p.res.Unmatched = append(p.res.Unmatched, Unmatched{Path: path,
			Reason: "modified, but no task holds it (it predates the link's start commit, or never became a task): add a new migration file with a higher version instead"})
		return nil
	}
	if err != nil {
		return err
	}
	_, blob, err := p.content(path)
	if err != nil {
		return err
	}
	if blob == rec.Blob {
		return nil
	}
	is, t, err := p.taskOf(ctx, rec)
	if err != nil {
		return err
	}
	if t == nil || applied(t) || is.Status != workflow.StatusOpen {
		p.res.Anomalies = append(p.res.Anomalies, FileAnomaly{Kind: AnomalyModifiedApplied, Path: path, DatabaseID: rec.DatabaseID,
			Version: rec.Version, Issue: rec.Issue, Commit: p.lastTouch(path)})
		return nil
	}
	rec.Blob, rec.Commit = blob, p.lastTouch(path)
	if err := p.w.WS.SaveGitOpsFile(ctx, rec); err != nil {
		return err
	}
	p.tasks[taskKey{rec.Issue, rec.TaskID}] = true
	return nil
}

// deleted handles a file removed from the branch.
func (p *pass) deleted(ctx context.Context, path string) error {
	p.res.settled = append(p.res.settled, path)
	rec, err := p.w.WS.GetGitOpsFile(ctx, p.link.ProjectID, path)
	if errors.Is(err, workspace.ErrNotFound) || (err == nil && rec.Deleted) {
		return nil
	}
	if err != nil {
		return err
	}
	is, t, err := p.taskOf(ctx, rec)
	if err != nil {
		return err
	}
	if t != nil && (applied(t) || is.Status != workflow.StatusOpen) {
		p.res.Notes = append(p.res.Notes, fmt.Sprintf("%s was deleted after its task ran (issue #%d): the database keeps the change", path, rec.Issue))
		return nil
	}
	rec.Deleted = true
	if err := p.w.WS.SaveGitOpsFile(ctx, rec); err != nil {
		return err
	}
	if t != nil {
		p.tasks[taskKey{rec.Issue, rec.TaskID}] = true
	}
	return nil
}

// lastTouch is the newest commit of the range that changed path.
func (p *pass) lastTouch(path string) string {
	cs := p.touched[path]
	if len(cs) == 0 {
		return p.head.Hash.String()
	}
	return cs[len(cs)-1].Hash.String()
}

// groupKey is one issue of a fetch: a database and a kind of change.
type groupKey struct {
	db  string
	typ workflow.Type
}

func issueType(fileType string) workflow.Type {
	switch fileType {
	case "dml", "data":
		return workflow.TypeDataChange
	case "baseline":
		return workflow.TypeBaseline
	}
	return workflow.TypeSchemaChange
}

// create makes one issue per database and kind of change of the added
// files.
func (p *pass) create(ctx context.Context, added []newFile) error {
	groups := map[groupKey][]newFile{}
	var keys []groupKey
	for _, f := range added {
		k := groupKey{f.db.ID, issueType(f.Type)}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	for _, fs := range groups {
		sortFiles(fs)
	}
	// Issues in the order of their first version.
	sort.SliceStable(keys, func(i, j int) bool {
		return migrate.MustParseVersion(groups[keys[i]][0].Version).Less(migrate.MustParseVersion(groups[keys[j]][0].Version))
	})
	for _, k := range keys {
		fs := groups[k]
		last := fs[len(fs)-1]
		req := workflow.CreateRequest{Type: k.typ, ProjectID: p.link.ProjectID, DatabaseIDs: []string{k.db}, Version: last.Version,
			Title: p.title(fs), Description: p.description(fs)}
		if k.typ != workflow.TypeBaseline {
			req.SQL = planSQL(fs)
		}
		ev := IssueEvent{Action: IssueCreated, Database: fs[0].db.Name, Title: req.Title}
		for _, f := range fs {
			ev.Files = append(ev.Files, f.Path)
		}
		is, err := p.w.WF.Create(ctx, req)
		if err != nil {
			// The files stay untracked: a later fetch does not retry them,
			// so say so beside the files.
			for _, f := range fs {
				p.res.Unmatched = append(p.res.Unmatched, Unmatched{Path: f.Path, Reason: "the issue could not be created: " + usererr.From(err).Error()})
			}
			continue
		}
		ev.Number, ev.Title = is.Number, is.Title
		for _, f := range fs {
			if err := p.w.WS.SaveGitOpsFile(ctx, workspace.GitOpsFile{ProjectID: p.link.ProjectID, Path: f.Path, Blob: f.blob, DatabaseID: f.db.ID,
				Version: f.Version, Issue: is.Number, TaskID: is.Tasks[0].ID, Commit: p.lastTouch(f.Path)}); err != nil {
				return err
			}
			p.res.settled = append(p.res.settled, f.Path)
		}
		if p.w.AfterChange != nil {
			if err := p.w.AfterChange(ctx, is.Number); err != nil {
				ev.Error = usererr.From(err).Error()
			} else {
				ev.Error = p.w.writeBack(ctx, p.res, p.link.ProjectID, is.Number)
			}
		}
		p.res.Issues = append(p.res.Issues, ev)
	}
	return nil
}

// rebuild replaces the plan of each task whose files changed (or cancels
// it when none is left).
func (p *pass) rebuild(ctx context.Context) error {
	keys := make([]taskKey, 0, len(p.tasks))
	for k := range p.tasks {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].issue < keys[j].issue || keys[i].issue == keys[j].issue && keys[i].task < keys[j].task
	})
	for _, k := range keys {
		recs, err := p.w.WS.TaskGitOpsFiles(ctx, k.issue, k.task)
		if err != nil {
			return err
		}
		is, err := p.w.WF.Get(ctx, k.issue)
		if err != nil {
			return err
		}
		ev := IssueEvent{Number: k.issue, Title: is.Title}
		if t := is.Task(k.task); t != nil {
			ev.Database = t.DatabaseName
		}
		if len(recs) == 0 {
			ev.Action = IssueCanceled
			if _, err := p.w.WF.Cancel(ctx, k.issue, 0, k.task, "its migration files were deleted from the branch"); err != nil {
				ev.Error = usererr.From(err).Error()
			}
			if is, err = p.w.WF.Get(ctx, k.issue); err == nil && allCanceled(is) {
				if _, err := p.w.WF.Cancel(ctx, k.issue, 0, "", "its migration files were deleted from the branch"); err != nil && ev.Error == "" {
					ev.Error = usererr.From(err).Error()
				}
			}
			p.res.Issues = append(p.res.Issues, ev)
			continue
		}
		fs := make([]newFile, 0, len(recs))
		for _, r := range recs {
			src, _, err := p.content(r.Path)
			if err != nil {
				return err
			}
			fs = append(fs, newFile{File: File{Path: r.Path, Version: r.Version}, sql: src})
		}
		sortFiles(fs)
		ev.Action = IssueUpdated
		for _, f := range fs {
			ev.Files = append(ev.Files, f.Path)
		}
		if is.Type == workflow.TypeBaseline {
			ev.Error = "a baseline has no statement to replace"
		} else if _, err := p.w.WF.UpdatePlan(ctx, k.issue, 0, k.task, planSQL(fs), fs[len(fs)-1].Version); err != nil {
			ev.Error = usererr.From(err).Error()
		} else if p.w.AfterChange != nil {
			if err := p.w.AfterChange(ctx, k.issue); err != nil {
				ev.Error = usererr.From(err).Error()
			} else {
				ev.Error = p.w.writeBack(ctx, p.res, p.link.ProjectID, k.issue)
			}
		}
		p.res.Issues = append(p.res.Issues, ev)
	}
	return nil
}

func allCanceled(is *workflow.Issue) bool {
	for _, t := range is.Tasks {
		if t.Status != workflow.TaskCanceled {
			return false
		}
	}
	return is.Status == workflow.StatusOpen
}

func sortFiles(fs []newFile) {
	sort.SliceStable(fs, func(i, j int) bool {
		return migrate.MustParseVersion(fs[i].Version).Less(migrate.MustParseVersion(fs[j].Version))
	})
}

// planSQL is a task's statement: its files in version order, each under a
// line naming it when there are several.
func planSQL(fs []newFile) string {
	if len(fs) == 1 {
		return fs[0].sql
	}
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "-- tidemark:file %s (version %s)\n", f.Path, f.Version)
		b.WriteString(f.sql)
		if !strings.HasSuffix(f.sql, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// title is the subject of the first commit that brought the files.
func (p *pass) title(fs []newFile) string {
	var first *object.Commit
	for _, f := range fs {
		for _, c := range p.touched[f.Path] {
			if first == nil || p.order[c.Hash] < p.order[first.Hash] {
				first = c
			}
		}
	}
	if first == nil {
		first = p.head
	}
	return subject(first.Message)
}

// description lists the commits that brought the files, with authors, and
// the files.
func (p *pass) description(fs []newFile) string {
	var b strings.Builder
	var cs []*object.Commit
	seen := map[plumbing.Hash]bool{}
	for _, f := range fs {
		for _, c := range p.touched[f.Path] {
			if !seen[c.Hash] {
				seen[c.Hash] = true
				cs = append(cs, c)
			}
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return p.order[cs[i].Hash] < p.order[cs[j].Hash] })
	fmt.Fprintf(&b, "From %d commit(s) on %s:\n", len(cs), p.link.Branch)
	for _, c := range cs {
		fmt.Fprintf(&b, "- %s %s (%s <%s>)\n", c.Hash.String()[:7], subject(c.Message), c.Author.Name, c.Author.Email)
	}
	b.WriteString("\nFiles, in version order:\n")
	for _, f := range fs {
		fmt.Fprintf(&b, "- %s (version %s)\n", f.Path, f.Version)
	}
	return b.String()
}
