package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// CreateRequest is a new issue.
type CreateRequest struct {
	Type        Type
	Title       string // default: "Alter schema of demo" style
	Description string
	// ProjectID is the issue's project. Databases must belong to it; empty:
	// the databases' own project.
	ProjectID string
	// DatabaseIDs are the targets of a schema or data change, or a baseline.
	DatabaseIDs []string
	// SQL is run on every target, unless PerDatabase has the target's own.
	SQL         string
	PerDatabase map[string]string
	// Version is the version the change is recorded under (default: the
	// current UTC time as yyyymmddhhmmss).
	Version string
	// CreateDatabase is the plan of a create_database issue.
	CreateDatabase *NewDatabase
	Labels         []string
	RollbackOf     *ChangeRef
}

func defaultTitle(t Type, names []string) string {
	target := strings.Join(names, ", ")
	if len(names) > 3 {
		target = fmt.Sprintf("%s and %d more", strings.Join(names[:2], ", "), len(names)-2)
	}
	switch t {
	case TypeDataChange:
		return "Change data of " + target
	case TypeCreateDatabase:
		return "Create database " + target
	case TypeBaseline:
		return "Baseline " + target
	}
	return "Alter schema of " + target
}

// Create validates a request and stores the issue, with its checks marked
// running (run them with Check) and its approval as the rules require. A
// statement that does not parse is accepted: the syntax check fails and
// nothing can roll out until the plan is fixed.
func (s *Service) Create(ctx context.Context, req CreateRequest) (*Issue, error) {
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	if req.Type == "" {
		req.Type = TypeSchemaChange
	}
	if _, err := ParseType(string(req.Type)); err != nil {
		return nil, usererr.Invalid("type", "%v", err)
	}
	req.Version = strings.TrimSpace(req.Version)
	if req.Version == "" {
		v, err := s.suggestVersion(ctx, req.DatabaseIDs)
		if err != nil {
			return nil, err
		}
		req.Version = v
	}
	if err := checkVersion(req.Version); err != nil {
		return nil, err
	}
	is := &Issue{Type: req.Type, Status: StatusOpen, Title: strings.TrimSpace(req.Title), Description: strings.TrimSpace(req.Description),
		ProjectID: req.ProjectID, Creator: me, Labels: cleanLabels(req.Labels), RollbackOf: req.RollbackOf, Activity: []Activity{}}
	if is.ProjectID != "" {
		if _, err := s.d.WS.GetProject(ctx, is.ProjectID); err != nil {
			return nil, usererr.Wrap("project: ", err)
		}
	}
	var names []string
	if req.Type == TypeCreateDatabase {
		t, err := s.createDatabaseTask(ctx, req, is)
		if err != nil {
			return nil, err
		}
		is.Tasks = []*Task{t}
		names = []string{t.DatabaseName}
	} else {
		if len(req.DatabaseIDs) == 0 {
			return nil, usererr.Invalid("databases", "choose at least one database")
		}
		seen := map[string]bool{}
		for _, id := range req.DatabaseIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			db, err := s.d.WS.GetDatabase(ctx, id)
			if err != nil {
				return nil, usererr.Wrap("database: ", err)
			}
			if is.ProjectID == "" {
				is.ProjectID = db.ProjectID
			}
			if db.ProjectID != is.ProjectID {
				return nil, usererr.Invalid("databases", "database %s is not in the issue's project: assign it first (tidemark database assign)", db.Name)
			}
			sql := req.SQL
			if own, ok := req.PerDatabase[id]; ok {
				sql = own
			}
			if req.Type == TypeBaseline {
				if strings.TrimSpace(sql) != "" {
					return nil, usererr.Invalid("statement", "a baseline runs nothing: leave the SQL empty")
				}
			} else if strings.TrimSpace(sql) == "" {
				return nil, usererr.Invalid("statement", "the SQL for %s is empty", db.Name)
			}
			is.Tasks = append(is.Tasks, &Task{EnvironmentID: db.EnvironmentID, DatabaseID: db.ID, DatabaseName: db.Name,
				InstanceID: db.InstanceID, InstanceName: db.InstanceName, Statement: sql, Version: req.Version, Status: TaskNotStarted})
			names = append(names, db.Name)
		}
	}
	if is.Title == "" {
		is.Title = defaultTitle(req.Type, names)
	}
	envs, err := s.d.WS.ListEnvironments(ctx)
	if err != nil {
		return nil, err
	}
	// Tasks, and their ids, follow the pipeline's order.
	var ordered []*Task
	for _, st := range Stages(is, envs) {
		for _, t := range st.Tasks {
			t.ID = fmt.Sprintf("t%d", len(ordered)+1)
			ordered = append(ordered, t)
		}
	}
	is.Tasks = ordered
	for _, t := range is.Tasks {
		t.Checks = pendingChecks(is.Type)
	}
	if is.Approval, err = s.requiredApproval(ctx, is, envs); err != nil {
		return nil, err
	}
	settle(is, envs)
	is.log(me, "created", "", "")
	rec, err := is.record()
	if err != nil {
		return nil, err
	}
	stored, err := s.d.WS.CreateIssue(ctx, rec, func(n int) ([]byte, error) {
		is.Number = n
		return json.Marshal(is)
	})
	if err != nil {
		return nil, err
	}
	is.Version, is.CreatedAt, is.UpdatedAt = stored.Version, stored.CreatedAt, stored.UpdatedAt
	s.notify(is.Number, "changed", "", "")
	return is, nil
}

func cleanLabels(ls []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, l := range ls {
		l = strings.TrimSpace(l)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

func (s *Service) createDatabaseTask(ctx context.Context, req CreateRequest, is *Issue) (*Task, error) {
	nd := req.CreateDatabase
	if nd == nil {
		return nil, usererr.Invalid("name", "name the database to create")
	}
	c := *nd
	c.Name, c.Owner, c.Encoding = strings.TrimSpace(c.Name), strings.TrimSpace(c.Owner), strings.TrimSpace(c.Encoding)
	if c.Name == "" {
		return nil, usererr.Invalid("name", "name the database to create")
	}
	if len(c.Name) > 63 {
		return nil, usererr.Invalid("name", "database name %q is longer than 63 bytes, PostgreSQL's limit", c.Name)
	}
	in, err := s.d.WS.GetInstance(ctx, c.InstanceID)
	if err != nil {
		if errors.Is(err, workspace.ErrNotFound) {
			return nil, usererr.Invalid("instance", "choose the instance the database is created on")
		}
		return nil, err
	}
	if c.EnvironmentID == "" {
		c.EnvironmentID = in.EnvironmentID
	}
	if _, err := s.d.WS.GetEnvironment(ctx, c.EnvironmentID); err != nil {
		return nil, usererr.Invalid("environment", "environment %q does not exist", c.EnvironmentID)
	}
	if c.ProjectID == "" {
		c.ProjectID = is.ProjectID
	}
	if is.ProjectID == "" {
		is.ProjectID = c.ProjectID
	}
	if c.ProjectID != "" {
		if _, err := s.d.WS.GetProject(ctx, c.ProjectID); err != nil {
			return nil, usererr.Wrap("project: ", err)
		}
	}
	return &Task{EnvironmentID: c.EnvironmentID, DatabaseName: c.Name, InstanceID: in.ID, InstanceName: in.Name,
		Statement: createDatabaseSQL(c), CreateDatabase: &c, Status: TaskNotStarted}, nil
}

// pendingChecks are the checks of a task before they ran.
func pendingChecks(t Type) []Check {
	kinds := []CheckKind{CheckSyntax, CheckReview, CheckDryRun, CheckAffectedRows, CheckSummary}
	switch t {
	case TypeCreateDatabase:
		kinds = []CheckKind{CheckDryRun, CheckSummary}
	case TypeBaseline:
		kinds = []CheckKind{CheckSummary}
	}
	out := make([]Check, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, Check{Kind: k, Status: CheckRunning, Summary: "running", Results: []Result{}})
	}
	return out
}

// UpdatePlan replaces the SQL (and optionally the version) of the tasks
// named (all when taskRef is empty) that have not run. The checks run
// again and the approval is requested again.
func (s *Service) UpdatePlan(ctx context.Context, n, expect int, taskRef, sql, version string) (*Issue, error) {
	me, err := s.User(ctx)
	if err != nil {
		return nil, err
	}
	version = strings.TrimSpace(version)
	if version != "" {
		if err := checkVersion(version); err != nil {
			return nil, err
		}
	}
	return s.mutate(ctx, n, expect, func(is *Issue, envs []workspace.Environment) ([]workspace.ClaimOp, error) {
		if is.Status != StatusOpen {
			return nil, refuse("issue", "issue #%d is %s: its plan cannot change", n, is.Status)
		}
		if is.Type == TypeCreateDatabase || is.Type == TypeBaseline {
			return nil, refuse("", "a %s issue has no SQL to edit", strings.ReplaceAll(string(is.Type), "_", " "))
		}
		if strings.TrimSpace(sql) == "" {
			return nil, usererr.Invalid("statement", "the SQL is empty")
		}
		ts, err := pick(is, taskRef)
		if err != nil {
			return nil, err
		}
		k := 0
		for _, t := range ts {
			if t.frozen() {
				if taskRef != "" {
					return nil, refuse("", "the task on %s has run: its plan is frozen", t.DatabaseName)
				}
				continue
			}
			t.Statement, t.Forced, t.Error = sql, nil, nil
			if version != "" {
				t.Version = version
			}
			t.Checks = pendingChecks(is.Type)
			k++
		}
		if k == 0 {
			return nil, refuse("", "every task of issue #%d has run: the plan is frozen", n)
		}
		prev := is.Approval.Status
		ap, err := s.requiredApproval(ctx, is, envs)
		if err != nil {
			return nil, err
		}
		is.Approval = ap
		is.log(me, "plan", "", fmt.Sprintf("SQL of %d task(s) changed", k))
		if prev == ApprovalApproved || prev == ApprovalRejected {
			is.log(me, "approval_requested", "", "the plan changed: approval is requested again")
		}
		return nil, nil
	})
}

// createDatabaseSQL renders the CREATE DATABASE statement of a plan.
func createDatabaseSQL(c NewDatabase) string {
	var b strings.Builder
	b.WriteString("CREATE DATABASE " + quoteIdent(c.Name))
	if c.Owner != "" {
		b.WriteString(" OWNER " + quoteIdent(c.Owner))
	}
	if c.Encoding != "" {
		b.WriteString(" ENCODING " + quoteLiteral(c.Encoding))
	}
	return b.String() + ";"
}

func quoteIdent(s string) string   { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }

var _ = time.Now
