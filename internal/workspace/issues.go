package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ErrConflict means a record changed since the caller read it: the update
// named an older version. The caller reloads and decides again.
var ErrConflict = errors.New("changed since it was read")

// IssueRecord is a change-workflow issue as the workspace stores it: the
// columns that lists filter and sort on, and the workflow's own document
// (Body, JSON), which the workspace keeps but does not interpret.
type IssueRecord struct {
	Number    int
	ProjectID string // empty: no project
	Type      string
	Status    string
	Title     string
	Creator   string
	Approval  string
	Rollout   string
	// Environments and Databases are the ids the plan touches.
	Environments []string
	Databases    []string
	// Version is bumped by every update; UpdateIssue refuses a record whose
	// Version is not the stored one (ErrConflict).
	Version   int
	Body      []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IssueFilter selects issues for ListIssues and CountIssues. Zero fields do
// not filter.
type IssueFilter struct {
	Status      string
	ProjectID   string
	Type        string
	Environment string
	Database    string
	Creator     string
	Approval    string
	Rollout     string
	// Search matches the title (case-insensitive substring).
	Search string
	// Before pages: only issues numbered below it (newest first).
	Before int
	// Limit bounds the rows (default 50, at most 1000).
	Limit int
	// WithBody reads the documents too (lists usually need only the header).
	WithBody bool
}

func joinIDs(ids []string) string {
	if len(ids) == 0 {
		return ","
	}
	return "," + strings.Join(ids, ",") + ","
}

func splitIDs(s string) []string {
	s = strings.Trim(s, ",")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func checkIssue(r IssueRecord) error {
	var missing []string
	for _, f := range []struct{ name, v string }{{"type", r.Type}, {"status", r.Status}, {"title", r.Title}, {"creator", r.Creator}, {"approval", r.Approval}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("issue: %s must not be empty: %w", strings.Join(missing, ", "), ErrInvalid)
	}
	if len(r.Body) == 0 {
		return fmt.Errorf("issue: no document: %w", ErrInvalid)
	}
	return nil
}

const issueHeader = `number, coalesce(project_id, ''), type, status, title, creator, approval, rollout, environments, databases, version, created_at, updated_at`

func scanIssue(sc interface{ Scan(...any) error }, withBody bool) (IssueRecord, error) {
	var r IssueRecord
	var envs, dbs, created, updated string
	dest := []any{&r.Number, &r.ProjectID, &r.Type, &r.Status, &r.Title, &r.Creator, &r.Approval, &r.Rollout, &envs, &dbs, &r.Version, &created, &updated}
	var body string
	if withBody {
		dest = append(dest, &body)
	}
	if err := sc.Scan(dest...); err != nil {
		return IssueRecord{}, err
	}
	r.Environments, r.Databases = splitIDs(envs), splitIDs(dbs)
	r.CreatedAt, _ = time.Parse(snapshotTime, created)
	r.UpdatedAt, _ = time.Parse(snapshotTime, updated)
	if withBody {
		r.Body = []byte(body)
	}
	return r, nil
}

func stamp() (time.Time, string) {
	t := time.Now().UTC().Truncate(time.Millisecond)
	return t, t.Format(snapshotTime)
}

// CreateIssue stores a new issue with the next number (one more than the
// highest ever used) and version 1. Its body may mention the number: build
// is called with it inside the transaction and returns the document.
func (s *Store) CreateIssue(ctx context.Context, r IssueRecord, build func(number int) ([]byte, error)) (IssueRecord, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return IssueRecord{}, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM issues`).Scan(&n); err != nil {
		return IssueRecord{}, fmt.Errorf("number the issue: %w", err)
	}
	r.Number, r.Version = n, 1
	if build != nil {
		if r.Body, err = build(n); err != nil {
			return IssueRecord{}, err
		}
	}
	if err := checkIssue(r); err != nil {
		return IssueRecord{}, err
	}
	var at string
	r.CreatedAt, at = stamp()
	r.UpdatedAt = r.CreatedAt
	_, err = tx.ExecContext(ctx, `INSERT INTO issues (number, project_id, type, status, title, creator, approval, rollout,
		environments, databases, version, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Number, nullID(r.ProjectID), r.Type, r.Status, r.Title, r.Creator, r.Approval, r.Rollout,
		joinIDs(r.Environments), joinIDs(r.Databases), r.Version, string(r.Body), at, at)
	if err != nil {
		return IssueRecord{}, fmt.Errorf("create issue: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return IssueRecord{}, fmt.Errorf("create issue: %w", err)
	}
	return r, nil
}

// GetIssue returns one issue with its document.
func (s *Store) GetIssue(ctx context.Context, number int) (IssueRecord, error) {
	r, err := scanIssue(s.db.QueryRowContext(ctx, `SELECT `+issueHeader+`, body FROM issues WHERE number = ?`, number), true)
	if errors.Is(err, sql.ErrNoRows) {
		return IssueRecord{}, fmt.Errorf("issue #%d: %w", number, ErrNotFound)
	}
	if err != nil {
		return IssueRecord{}, fmt.Errorf("read issue #%d: %w", number, err)
	}
	return r, nil
}

// Claim is a task's hold on a target (one task at a time per database).
type Claim struct {
	Target string // database id, or "instance:<id>/<name>"
	Issue  int
	TaskID string
	Since  time.Time
}

// ClaimedError means a target is held by another issue's task.
type ClaimedError struct{ Claim Claim }

func (e *ClaimedError) Error() string {
	return fmt.Sprintf("issue #%d is running a task on it (since %s)", e.Claim.Issue, e.Claim.Since.Format(time.RFC3339))
}

// ClaimOp takes (Release false) or gives back a claim on Target for the
// updated issue's task TaskID, in the same transaction as the update.
type ClaimOp struct {
	Target  string
	TaskID  string
	Release bool
}

// UpdateIssue stores r if its Version is the stored one, bumping the
// version (ErrConflict otherwise; ErrNotFound for an unknown number). The
// claim operations run in the same transaction: taking a target another
// issue holds fails with *ClaimedError and nothing is written.
func (s *Store) UpdateIssue(ctx context.Context, r IssueRecord, claims ...ClaimOp) (IssueRecord, error) {
	if err := checkIssue(r); err != nil {
		return IssueRecord{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return IssueRecord{}, err
	}
	defer tx.Rollback()
	var at string
	r.UpdatedAt, at = stamp()
	res, err := tx.ExecContext(ctx, `UPDATE issues SET project_id = ?, type = ?, status = ?, title = ?, creator = ?, approval = ?,
		rollout = ?, environments = ?, databases = ?, version = version + 1, body = ?, updated_at = ? WHERE number = ? AND version = ?`,
		nullID(r.ProjectID), r.Type, r.Status, r.Title, r.Creator, r.Approval, r.Rollout, joinIDs(r.Environments), joinIDs(r.Databases),
		string(r.Body), at, r.Number, r.Version)
	if err != nil {
		return IssueRecord{}, fmt.Errorf("update issue #%d: %w", r.Number, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var v int
		err := tx.QueryRowContext(ctx, `SELECT version FROM issues WHERE number = ?`, r.Number).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return IssueRecord{}, fmt.Errorf("issue #%d: %w", r.Number, ErrNotFound)
		}
		return IssueRecord{}, fmt.Errorf("issue #%d (version %d, now %d): %w", r.Number, r.Version, v, ErrConflict)
	}
	for _, c := range claims {
		if err := claim(ctx, tx, r.Number, c); err != nil {
			return IssueRecord{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return IssueRecord{}, fmt.Errorf("update issue #%d: %w", r.Number, err)
	}
	r.Version++
	return r, nil
}

func claim(ctx context.Context, tx *sql.Tx, issue int, c ClaimOp) error {
	if c.Release {
		_, err := tx.ExecContext(ctx, `DELETE FROM task_claims WHERE target = ? AND issue_number = ? AND task_id = ?`, c.Target, issue, c.TaskID)
		return err
	}
	var held Claim
	var since string
	err := tx.QueryRowContext(ctx, `SELECT target, issue_number, task_id, claimed_at FROM task_claims WHERE target = ?`, c.Target).
		Scan(&held.Target, &held.Issue, &held.TaskID, &since)
	switch {
	case err == nil:
		if held.Issue == issue && held.TaskID == c.TaskID {
			return nil
		}
		held.Since, _ = time.Parse(snapshotTime, since)
		return &ClaimedError{Claim: held}
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("read claim on %s: %w", c.Target, err)
	}
	_, at := stamp()
	_, err = tx.ExecContext(ctx, `INSERT INTO task_claims (target, issue_number, task_id, claimed_at) VALUES (?, ?, ?, ?)`, c.Target, issue, c.TaskID, at)
	if err != nil {
		return fmt.Errorf("claim %s: %w", c.Target, err)
	}
	return nil
}

// ClaimOn returns the claim held on a target, if any.
func (s *Store) ClaimOn(ctx context.Context, target string) (Claim, bool, error) {
	var c Claim
	var since string
	err := s.db.QueryRowContext(ctx, `SELECT target, issue_number, task_id, claimed_at FROM task_claims WHERE target = ?`, target).
		Scan(&c.Target, &c.Issue, &c.TaskID, &since)
	if errors.Is(err, sql.ErrNoRows) {
		return Claim{}, false, nil
	}
	if err != nil {
		return Claim{}, false, fmt.Errorf("read claim on %s: %w", target, err)
	}
	c.Since, _ = time.Parse(snapshotTime, since)
	return c, true, nil
}

func issueWhere(f IssueFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) { conds = append(conds, cond); args = append(args, v) }
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.ProjectID != "" {
		add("project_id = ?", f.ProjectID)
	}
	if f.Type != "" {
		add("type = ?", f.Type)
	}
	if f.Creator != "" {
		add("creator = ?", f.Creator)
	}
	if f.Approval != "" {
		add("approval = ?", f.Approval)
	}
	if f.Rollout != "" {
		add("rollout = ?", f.Rollout)
	}
	if f.Environment != "" {
		add("instr(environments, ?) > 0", ","+f.Environment+",")
	}
	if f.Database != "" {
		add("instr(databases, ?) > 0", ","+f.Database+",")
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		add("lower(title) LIKE ? ESCAPE '\\'", "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(s))+"%")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ListIssues returns issues newest first.
func (s *Store) ListIssues(ctx context.Context, f IssueFilter) ([]IssueRecord, error) {
	where, args := issueWhere(f)
	if f.Before > 0 {
		if where == "" {
			where = " WHERE number < ?"
		} else {
			where += " AND number < ?"
		}
		args = append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	cols := issueHeader
	if f.WithBody {
		cols += ", body"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+cols+` FROM issues`+where+` ORDER BY number DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list issues: %w", err)
	}
	defer rows.Close()
	out := []IssueRecord{}
	for rows.Next() {
		r, err := scanIssue(rows, f.WithBody)
		if err != nil {
			return nil, fmt.Errorf("list issues: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountIssues counts the issues a filter selects (Before and Limit ignored).
func (s *Store) CountIssues(ctx context.Context, f IssueFilter) (int, error) {
	where, args := issueWhere(f)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM issues`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count issues: %w", err)
	}
	return n, nil
}

// IssueRun is one attempt to run a task of an issue; Body is the workflow's
// JSON (log, statements), rewritten as the run goes on.
type IssueRun struct {
	ID         string
	Issue      int
	TaskID     string
	Attempt    int
	Status     string
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Body       []byte
}

// AddIssueRun stores a new run (ID and StartedAt assigned when empty).
func (s *Store) AddIssueRun(ctx context.Context, r IssueRun) (IssueRun, error) {
	if r.ID == "" {
		r.ID = uuid.NewString()
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = time.Now()
	}
	r.StartedAt = r.StartedAt.UTC().Truncate(time.Millisecond)
	_, err := s.db.ExecContext(ctx, `INSERT INTO issue_runs (id, issue_number, task_id, attempt, status, started_at, finished_at, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.Issue, r.TaskID, r.Attempt, r.Status, r.StartedAt.Format(snapshotTime), runTime(r.FinishedAt), string(r.Body))
	if isUnique(err) {
		return IssueRun{}, fmt.Errorf("run %d of task %s of issue #%d %w", r.Attempt, r.TaskID, r.Issue, ErrDuplicate)
	}
	if err != nil {
		return IssueRun{}, fmt.Errorf("record run of issue #%d: %w", r.Issue, err)
	}
	return r, nil
}

func runTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Millisecond).Format(snapshotTime)
}

// UpdateIssueRun rewrites a run's status, end and body.
func (s *Store) UpdateIssueRun(ctx context.Context, r IssueRun) error {
	res, err := s.db.ExecContext(ctx, `UPDATE issue_runs SET status = ?, finished_at = ?, body = ? WHERE id = ?`, r.Status, runTime(r.FinishedAt), string(r.Body), r.ID)
	if err != nil {
		return fmt.Errorf("update run of issue #%d: %w", r.Issue, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("run %s: %w", r.ID, ErrNotFound)
	}
	return nil
}

// ListIssueRuns returns an issue's runs in task and attempt order.
func (s *Store) ListIssueRuns(ctx context.Context, issue int) ([]IssueRun, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, issue_number, task_id, attempt, status, started_at, finished_at, body FROM issue_runs
		WHERE issue_number = ? ORDER BY task_id, attempt`, issue)
	if err != nil {
		return nil, fmt.Errorf("list runs of issue #%d: %w", issue, err)
	}
	defer rows.Close()
	out := []IssueRun{}
	for rows.Next() {
		var r IssueRun
		var started, finished, body string
		if err := rows.Scan(&r.ID, &r.Issue, &r.TaskID, &r.Attempt, &r.Status, &started, &finished, &body); err != nil {
			return nil, fmt.Errorf("list runs of issue #%d: %w", issue, err)
		}
		r.StartedAt, _ = time.Parse(snapshotTime, started)
		if finished != "" {
			r.FinishedAt, _ = time.Parse(snapshotTime, finished)
		}
		r.Body = []byte(body)
		out = append(out, r)
	}
	return out, rows.Err()
}
