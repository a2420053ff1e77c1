package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ProjectRepo is a project's link to a git repository. Credentials are
// never part of it: a remote is cloned with credentials from the OS
// keychain.
type ProjectRepo struct {
	ProjectID string
	// Path is an existing local clone; URL a remote Tidemark clones into the
	// workspace. Exactly one is set.
	Path, URL string
	Branch    string
	// BaseDir, Template and LatestTemplate name the files when the
	// repository has no tidemark.yaml (empty: the defaults).
	BaseDir, Template, LatestTemplate string
	// StartCommit is the commit the link starts from ('': the branch head
	// at the first fetch; history before it is not replayed).
	StartCommit string
	// LastCommit is the last commit processed ('' before the first fetch).
	LastCommit  string
	LastFetchAt time.Time
	UpdatedAt   time.Time
	// PollMinutes is how often the app fetches the branch (0: only on
	// demand).
	PollMinutes int
	// Auth names how a remote is reached: "" (no credentials),
	// AuthToken (HTTPS; the token is in the OS keychain), AuthSSHAgent or
	// AuthSSHKey (SSHKey is the path of the private key file). AuthUser is
	// the HTTPS user name or the SSH user.
	Auth, AuthUser, SSHKey string
	// LastError is why the last fetch failed ("" when it succeeded);
	// LastResult the JSON of the last fetch that processed commits.
	LastError, LastResult string
}

// Ways a link authenticates to its remote.
const (
	AuthNone     = ""
	AuthToken    = "token"
	AuthSSHAgent = "ssh-agent"
	AuthSSHKey   = "ssh-key"
)

const repoSelect = `SELECT project_id, path, url, branch, base_dir, template, latest_template, start_commit, last_commit, last_fetch_at, updated_at,
	poll_minutes, auth, auth_user, ssh_key, last_error, last_result FROM project_repos`

func scanRepo(sc interface{ Scan(...any) error }) (ProjectRepo, error) {
	var r ProjectRepo
	var fetched, updated string
	err := sc.Scan(&r.ProjectID, &r.Path, &r.URL, &r.Branch, &r.BaseDir, &r.Template, &r.LatestTemplate, &r.StartCommit, &r.LastCommit, &fetched, &updated,
		&r.PollMinutes, &r.Auth, &r.AuthUser, &r.SSHKey, &r.LastError, &r.LastResult)
	if fetched != "" {
		r.LastFetchAt = parseTime(fetched)
	}
	r.UpdatedAt = parseTime(updated)
	return r, err
}

// SetProjectRepo links a project to a repository (replacing its link). A
// changed repository, branch or start commit starts the link over: the
// last processed commit is cleared.
func (s *Store) SetProjectRepo(ctx context.Context, r ProjectRepo) (ProjectRepo, error) {
	r.Path, r.URL, r.Branch = strings.TrimSpace(r.Path), strings.TrimSpace(r.URL), strings.TrimSpace(r.Branch)
	if (r.Path == "") == (r.URL == "") {
		return ProjectRepo{}, fmt.Errorf("a repository link needs a local path or a remote URL (one of them): %w", ErrInvalid)
	}
	if r.Branch == "" {
		r.Branch = "main"
	}
	if r.PollMinutes < 0 {
		return ProjectRepo{}, fmt.Errorf("the poll interval is %d minutes: use 0 (only on demand) or more: %w", r.PollMinutes, ErrInvalid)
	}
	switch r.Auth {
	case AuthNone, AuthToken, AuthSSHAgent, AuthSSHKey:
	default:
		return ProjectRepo{}, fmt.Errorf("unknown authentication %q (token, ssh-agent, ssh-key): %w", r.Auth, ErrInvalid)
	}
	if _, err := s.GetProject(ctx, r.ProjectID); err != nil {
		return ProjectRepo{}, err
	}
	if old, err := s.GetProjectRepo(ctx, r.ProjectID); err == nil &&
		old.Path == r.Path && old.URL == r.URL && old.Branch == r.Branch && old.StartCommit == r.StartCommit {
		r.LastCommit = old.LastCommit
	} else {
		r.LastCommit = ""
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO project_repos (project_id, path, url, branch, base_dir, template, latest_template, start_commit, last_commit, updated_at,
			poll_minutes, auth, auth_user, ssh_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (project_id) DO UPDATE SET path = excluded.path, url = excluded.url, branch = excluded.branch, base_dir = excluded.base_dir,
			template = excluded.template, latest_template = excluded.latest_template, start_commit = excluded.start_commit,
			last_commit = excluded.last_commit, updated_at = excluded.updated_at, poll_minutes = excluded.poll_minutes,
			auth = excluded.auth, auth_user = excluded.auth_user, ssh_key = excluded.ssh_key`,
		r.ProjectID, r.Path, r.URL, r.Branch, r.BaseDir, r.Template, r.LatestTemplate, r.StartCommit, r.LastCommit, now(),
		r.PollMinutes, r.Auth, r.AuthUser, r.SSHKey)
	if err != nil {
		return ProjectRepo{}, fmt.Errorf("link project to repository: %w", err)
	}
	if r.LastCommit == "" {
		// the watch starts over: what the old one found is not this one's
		if _, err := s.db.ExecContext(ctx, `DELETE FROM gitops_unmatched WHERE project_id = ?`, r.ProjectID); err != nil {
			return ProjectRepo{}, fmt.Errorf("link project to repository: %w", err)
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE project_repos SET last_error = '', last_result = '' WHERE project_id = ?`, r.ProjectID); err != nil {
			return ProjectRepo{}, fmt.Errorf("link project to repository: %w", err)
		}
	}
	return s.GetProjectRepo(ctx, r.ProjectID)
}

// GetProjectRepo returns a project's repository link (ErrNotFound when it
// has none).
func (s *Store) GetProjectRepo(ctx context.Context, projectID string) (ProjectRepo, error) {
	r, err := scanRepo(s.db.QueryRowContext(ctx, repoSelect+` WHERE project_id = ?`, projectID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("the project has no repository link (tidemark project repo set): %w", ErrNotFound)
	}
	return r, err
}

// ListProjectRepos returns every repository link.
func (s *Store) ListProjectRepos(ctx context.Context) ([]ProjectRepo, error) {
	rows, err := s.db.QueryContext(ctx, repoSelect+` ORDER BY project_id`)
	if err != nil {
		return nil, fmt.Errorf("list repository links: %w", err)
	}
	defer rows.Close()
	out := []ProjectRepo{}
	for rows.Next() {
		r, err := scanRepo(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AdvanceProjectRepo records that the commits up to commit were processed,
// if the last processed commit is still prev (another fetch did not
// process them meanwhile: ErrConflict).
func (s *Store) AdvanceProjectRepo(ctx context.Context, projectID, prev, commit string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE project_repos SET last_commit = ?, last_fetch_at = ? WHERE project_id = ? AND last_commit = ?`,
		commit, now(), projectID, prev)
	if err != nil {
		return fmt.Errorf("record the last processed commit: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("another fetch of the project's repository processed these commits: %w", ErrConflict)
	}
	return nil
}

// DeleteProjectRepo removes a project's link (its files' records and the
// unmatched list go with it; the issues stay).
func (s *Store) DeleteProjectRepo(ctx context.Context, projectID string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("unlink the repository: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM gitops_unmatched WHERE project_id = ?`, `DELETE FROM gitops_files WHERE project_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, projectID); err != nil {
			return fmt.Errorf("unlink the repository: %w", err)
		}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM project_repos WHERE project_id = ?`, projectID)
	if err != nil {
		return fmt.Errorf("unlink the repository: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("the project has no repository link: %w", ErrNotFound)
	}
	return tx.Commit()
}

// RecordFetch stores the outcome of a fetch: errText when it failed (the
// last result stays), else result (the JSON of a fetch that processed
// commits; "" keeps the previous one) and no error.
func (s *Store) RecordFetch(ctx context.Context, projectID, errText, result string) error {
	q := `UPDATE project_repos SET last_error = ?, last_result = CASE WHEN ? = '' THEN last_result ELSE ? END WHERE project_id = ?`
	if _, err := s.db.ExecContext(ctx, q, errText, result, result, projectID); err != nil {
		return fmt.Errorf("record the fetch: %w", err)
	}
	return nil
}

// GitOpsUnmatched is a .sql file of a linked repository that did not become
// a task, with the reason.
type GitOpsUnmatched struct {
	Path, Reason, Commit string
	SeenAt               time.Time
}

// SaveGitOpsUnmatched records files that did not become tasks (replacing
// the reason of those already listed).
func (s *Store) SaveGitOpsUnmatched(ctx context.Context, projectID string, us []GitOpsUnmatched) error {
	for _, u := range us {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO gitops_unmatched (project_id, path, reason, commit_hash, seen_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (project_id, path) DO UPDATE SET reason = excluded.reason, commit_hash = excluded.commit_hash, seen_at = excluded.seen_at`,
			projectID, u.Path, u.Reason, u.Commit, now()); err != nil {
			return fmt.Errorf("record unmatched file %s: %w", u.Path, err)
		}
	}
	return nil
}

// ForgetGitOpsUnmatched takes files off the unmatched list (they became
// tasks, or were deleted).
func (s *Store) ForgetGitOpsUnmatched(ctx context.Context, projectID string, paths []string) error {
	for _, p := range paths {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM gitops_unmatched WHERE project_id = ? AND path = ?`, projectID, p); err != nil {
			return fmt.Errorf("forget unmatched file %s: %w", p, err)
		}
	}
	return nil
}

// ListGitOpsUnmatched lists a project's unmatched files by path.
func (s *Store) ListGitOpsUnmatched(ctx context.Context, projectID string) ([]GitOpsUnmatched, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT path, reason, commit_hash, seen_at FROM gitops_unmatched WHERE project_id = ? ORDER BY path`, projectID)
	if err != nil {
		return nil, fmt.Errorf("list unmatched files: %w", err)
	}
	defer rows.Close()
	out := []GitOpsUnmatched{}
	for rows.Next() {
		var u GitOpsUnmatched
		var seen string
		if err := rows.Scan(&u.Path, &u.Reason, &u.Commit, &seen); err != nil {
			return nil, err
		}
		u.SeenAt = parseTime(seen)
		out = append(out, u)
	}
	return out, rows.Err()
}

// GitOpsFile is a migration file that became (part of) a task.
type GitOpsFile struct {
	ProjectID, Path, Blob, DatabaseID, Version string
	Issue                                      int
	TaskID, Commit                             string
	Deleted                                    bool
}

// SaveGitOpsFile records (or replaces) a file's task and content.
func (s *Store) SaveGitOpsFile(ctx context.Context, f GitOpsFile) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO gitops_files (project_id, path, blob, database_id, version, issue, task_id, commit_hash, deleted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (project_id, path) DO UPDATE SET blob = excluded.blob, database_id = excluded.database_id, version = excluded.version,
			issue = excluded.issue, task_id = excluded.task_id, commit_hash = excluded.commit_hash, deleted = excluded.deleted`,
		f.ProjectID, f.Path, f.Blob, f.DatabaseID, f.Version, f.Issue, f.TaskID, f.Commit, f.Deleted)
	if err != nil {
		return fmt.Errorf("record migration file %s: %w", f.Path, err)
	}
	return nil
}

// RenameGitOpsFile moves a file's record to its new path.
func (s *Store) RenameGitOpsFile(ctx context.Context, projectID, from, to string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE gitops_files SET path = ? WHERE project_id = ? AND path = ?`, to, projectID, from)
	if err != nil {
		return fmt.Errorf("record the rename of %s: %w", from, err)
	}
	return nil
}

const gitopsFileSelect = `SELECT project_id, path, blob, database_id, version, issue, task_id, commit_hash, deleted FROM gitops_files`

func scanGitOpsFile(sc interface{ Scan(...any) error }) (GitOpsFile, error) {
	var f GitOpsFile
	err := sc.Scan(&f.ProjectID, &f.Path, &f.Blob, &f.DatabaseID, &f.Version, &f.Issue, &f.TaskID, &f.Commit, &f.Deleted)
	return f, err
}

// GetGitOpsFile returns a file's record (ErrNotFound when the file never
// became a task).
func (s *Store) GetGitOpsFile(ctx context.Context, projectID, path string) (GitOpsFile, error) {
	f, err := scanGitOpsFile(s.db.QueryRowContext(ctx, gitopsFileSelect+` WHERE project_id = ? AND path = ?`, projectID, path))
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("migration file", path)
	}
	return f, err
}

// TaskGitOpsFiles lists the files (not deleted) a task holds, by version.
func (s *Store) TaskGitOpsFiles(ctx context.Context, issue int, taskID string) ([]GitOpsFile, error) {
	rows, err := s.db.QueryContext(ctx, gitopsFileSelect+` WHERE issue = ? AND task_id = ? AND NOT deleted`, issue, taskID)
	if err != nil {
		return nil, fmt.Errorf("list the files of a task: %w", err)
	}
	defer rows.Close()
	var out []GitOpsFile
	for rows.Next() {
		f, err := scanGitOpsFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
