package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

func newIssueCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "issue",
		Short: "The change workflow: create, check, approve and roll out issues (the same issues as the desktop app)",
		Long: `Every change goes through an issue: it is checked, approved when it must be
(a change to a production environment needs one approval), and rolled out
stage by stage. See docs/change-workflow.md and docs/cli.md.

Every issue command first settles the tasks a process that died left
running. Exit codes: 0 success; 1 refused (a closed gate, named) or failed
(a task's error); 2 usage (bad flags, unknown project, database or issue
number format).`,
	}
	cmd.AddCommand(newIssueCreateCmd(g), newIssueListCmd(g), newIssueShowCmd(g), newIssueApproveCmd(g), newIssueRejectCmd(g),
		newIssueRolloutCmd(g), newIssueTaskCmd(g, "retry"), newIssueTaskCmd(g, "skip"), newIssueTaskCmd(g, "cancel"))
	return cmd
}

// syncWriter serialises writes: tasks log from several goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// onIssues opens the workspace's use-cases, settles the tasks a dead
// process left running, and runs fn. Task log lines go to stderr.
func onIssues(c *cobra.Command, g *globals, format string, fn func(ctx context.Context, k *core, stderr io.Writer) error) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	ctx := c.Context()
	k, err := openCore(ctx, g)
	if err != nil {
		return err
	}
	defer k.close()
	if ctx, err = actAs(ctx, k, g); err != nil {
		return err
	}
	stderr := &syncWriter{w: c.ErrOrStderr()}
	if changed, err := k.wf.Reconcile(ctx); err != nil {
		return fmt.Errorf("settle interrupted tasks: %w", err)
	} else {
		for _, n := range changed {
			fmt.Fprintf(stderr, "issue #%d: settled a task interrupted when its process died (tidemark issue show %d)\n", n, n)
		}
	}
	k.wf.Notify = func(e workflow.Event) {
		if e.Kind == "log" {
			fmt.Fprintf(stderr, "#%d %s: %s\n", e.Issue, e.TaskID, e.Message)
		}
	}
	return issueErr(fn(ctx, k, stderr))
}

// usageFields are the inputs whose invalid value is a usage error (2).
var usageFields = map[string]bool{"type": true, "version": true, "databases": true, "statement": true, "name": true,
	"instance": true, "environment": true, "task": true, "stage": true, "comment": true, "reason": true}

// issueErr maps the workflow's errors to exit codes: a bad input is a
// usage error (2); a refusal, a changed issue, anything else 1.
func issueErr(err error) error {
	if err == nil || exitCodeOf(err) != 1 {
		return err
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	var r *workflow.Refused
	var ue *usererr.Error
	if !errors.As(err, &r) && errors.As(err, &ue) && usageFields[ue.Field] {
		return withExit(2, err)
	}
	return err
}

// issueNumber parses N or #N; anything else is a usage error.
func issueNumber(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	if err != nil || n < 1 {
		return 0, withExit(2, fmt.Errorf("issue number %q: want a number such as 3 (see tidemark issue list)", s))
	}
	return n, nil
}

func issueArg(args []string) (int, error) { return issueNumber(args[0]) }

// readSQL reads --sql FILE, or standard input for "-".
func readSQL(c *cobra.Command, file string) (string, error) {
	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(c.InOrStdin())
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return "", withExit(2, fmt.Errorf("--sql: read %s: %w", file, err))
	}
	return string(b), nil
}

// taskStates is the status of every task, to tell what a call ran.
func taskStates(is *workflow.Issue) map[string]workflow.TaskStatus {
	m := map[string]workflow.TaskStatus{}
	for _, t := range is.Tasks {
		m[t.ID] = t.Status
	}
	return m
}

// reportRan prints the tasks that ran since before (done or failed) on
// stderr and returns the first failure as the error (exit 1).
func reportRan(stderr io.Writer, before map[string]workflow.TaskStatus, is *workflow.Issue) error {
	var first error
	for _, t := range is.Tasks {
		was := before[t.ID]
		if was == t.Status || (t.Status != workflow.TaskDone && t.Status != workflow.TaskFailed) {
			continue
		}
		if t.Status == workflow.TaskDone {
			fmt.Fprintf(stderr, "issue #%d: rolled out %s on %s (%s): done\n", is.Number, t.DatabaseName, t.InstanceName, t.EnvironmentID)
			continue
		}
		msg := "failed"
		if t.Error != nil {
			msg = "failed: " + t.Error.Message
		}
		fmt.Fprintf(stderr, "issue #%d: rolled out %s on %s (%s): %s\n", is.Number, t.DatabaseName, t.InstanceName, t.EnvironmentID, msg)
		if first == nil {
			ue := &usererr.Error{Message: fmt.Sprintf("issue #%d: the task on %s failed", is.Number, t.DatabaseName)}
			if t.Error != nil {
				ue.Message += ": " + t.Error.Message
				ue.SQLState, ue.Detail, ue.Hint = t.Error.SQLState, t.Error.Detail, t.Error.Hint
			}
			first = withExit(1, ue)
		}
	}
	return first
}

// printIssue writes the issue's report: JSON (workflow.Report) or text.
func printIssue(ctx context.Context, k *core, w io.Writer, n int, format string) error {
	r, err := k.wf.Report(ctx, n)
	if err != nil {
		return err
	}
	if format == "json" {
		return writeJSONTo(w, r)
	}
	project := ""
	if r.ProjectID != "" {
		if p, err := k.ws.GetProject(ctx, r.ProjectID); err == nil {
			project = p.Name
		}
	}
	writeReport(w, r, project)
	return nil
}

func writeReport(w io.Writer, r *workflow.Report, project string) {
	fmt.Fprintf(w, "#%d %s [%s]\n", r.Number, r.Title, r.Status)
	meta := []string{string(r.Type)}
	if project != "" {
		meta = append(meta, "project "+project)
	}
	meta = append(meta, "by "+r.Creator.String(), "created "+r.CreatedAt, "rollout "+r.Rollout)
	fmt.Fprintln(w, strings.Join(meta, " · "))
	if r.Description != "" {
		fmt.Fprintln(w, r.Description)
	}
	fmt.Fprintf(w, "\napproval: %s — %s\n", r.Approval.Status, r.Approval.Reason)
	writeRisk(w, r.Approval)
	for _, st := range r.Approval.Steps {
		line := fmt.Sprintf("  %s: %s", st.Title, st.Status)
		if st.By != nil {
			line += " by " + st.By.String()
		} else if st.Role != "" {
			line += " (can approve: " + approversText(st.ApproverLabels()) + ")"
		}
		if st.Comment != "" {
			line += fmt.Sprintf(" (%q)", st.Comment)
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "\nchecks:")
	last := ""
	for _, c := range r.Checks {
		if c.TaskID != last {
			fmt.Fprintf(w, "  %s (%s)\n", c.Database, c.TaskID)
			last = c.TaskID
		}
		fmt.Fprintf(w, "    %-14s %-8s %s\n", c.Kind, c.Status, oneLineDesc(c.Summary))
		for i, res := range c.Results {
			if i == 3 {
				fmt.Fprintf(w, "      … %d more (tidemark issue show %d --format json)\n", len(c.Results)-3, r.Number)
				break
			}
			fmt.Fprintf(w, "      %s\n", resultLine(res))
		}
	}
	fmt.Fprintln(w, "\nstages:")
	for _, st := range r.Stages {
		kind := st.Policy
		if st.Production {
			kind += ", production"
		}
		fmt.Fprintf(w, "  %s (%s)\n", st.EnvironmentName, kind)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, t := range st.Tasks {
			fmt.Fprintf(tw, "    %s\t%s on %s\t%s\t%s\n", t.ID, t.Database, t.Instance, t.Status, taskNote(t))
		}
		tw.Flush()
	}
}

func resultLine(res workflow.Result) string {
	s := string(res.Status)
	if res.Line > 0 {
		s += fmt.Sprintf(" line %d", res.Line)
		if res.Column > 0 {
			s += fmt.Sprintf(":%d", res.Column)
		}
	}
	s += ": " + res.Title
	if res.Code != "" {
		s += " [" + res.Code + "]"
	}
	if res.Message != "" && res.Message != res.Title {
		s += " — " + res.Message
	}
	if res.SQLState != "" {
		s += " (SQLSTATE " + res.SQLState + ")"
	}
	return oneLineDesc(s)
}

// taskNote says why a task waits (its first closed gate), or its error.
func taskNote(t workflow.TaskRow) string {
	switch t.Status {
	case workflow.TaskFailed:
		if t.Error != nil {
			return oneLineDesc("error: " + t.Error.Message)
		}
	case workflow.TaskNotStarted:
		for _, g := range t.Gates {
			if !g.Open {
				return oneLineDesc(fmt.Sprintf("gate %q: %s", g.Name, g.Reason))
			}
		}
	case workflow.TaskPending:
		return "ready: tidemark issue rollout"
	case workflow.TaskDone:
		if t.Forced != nil {
			return oneLineDesc("rolled out past warnings: " + t.Forced.Comment)
		}
		return ""
	}
	return oneLineDesc(t.Reason)
}

func newIssueCreateCmd(g *globals) *cobra.Command {
	var project, dbs, sqlFile, title, desc, version, typ, newDB, instance, env, owner, format string
	cmd := &cobra.Command{
		Use:   "create --project P (--database DB[,DB...] --sql FILE | --create-database NAME --instance I [--environment E] [--owner O])",
		Short: "Create an issue, run its checks and roll out what rolls out automatically",
		Long: `Create an issue, run its checks (progress on stderr), then roll out the
tasks of environments whose rollout is automatic whose gates are open (what
ran is printed on stderr), and print the issue (--format json: as issue show).

--database takes INSTANCE/DATABASE, database ids or bare names, comma
separated; --sql - reads the SQL from standard input. A statement that does
not parse still creates the issue: its syntax check fails and nothing rolls
out until the plan is fixed.
--create-database NAME plans CREATE DATABASE on --instance, in --environment
(default: the instance's), owned by --owner, in --project.

Exit codes: 0 created; 1 a task rolled out automatically failed (the issue
is created and printed); 2 usage.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if (dbs == "") == (newDB == "") {
				return withExit(2, errors.New("give --database DB[,DB...] with --sql FILE, or --create-database NAME with --instance I (one of them)"))
			}
			req := workflow.CreateRequest{Title: title, Description: desc, Version: version}
			var sql string
			if dbs != "" {
				if sqlFile == "" {
					return withExit(2, errors.New("missing --sql FILE (- reads standard input)"))
				}
				if instance != "" || env != "" || owner != "" {
					return withExit(2, errors.New("--instance, --environment and --owner go with --create-database"))
				}
				t, err := workflow.ParseType(typ)
				if err != nil || (t != workflow.TypeSchemaChange && t != workflow.TypeDataChange) {
					return withExit(2, fmt.Errorf("--type: want schema_change or data_change, got %q", typ))
				}
				req.Type = t
				if sql, err = readSQL(c, sqlFile); err != nil {
					return err
				}
			} else {
				if sqlFile != "" {
					return withExit(2, errors.New("--sql goes with --database, not --create-database"))
				}
				if instance == "" {
					return withExit(2, errors.New("missing --instance: the instance the database is created on"))
				}
				req.Type = workflow.TypeCreateDatabase
			}
			return onIssues(c, g, format, func(ctx context.Context, k *core, stderr io.Writer) error {
				if project != "" {
					p, err := findProject(ctx, k.ws, project)
					if err != nil {
						return err
					}
					req.ProjectID = p.ID
				}
				if req.Type == workflow.TypeCreateDatabase {
					in, err := k.ws.GetInstanceByName(ctx, instance)
					if err != nil {
						return withExit(2, fmt.Errorf("--instance %q: %w", instance, err))
					}
					nd := &workflow.NewDatabase{InstanceID: in.ID, Name: newDB, Owner: owner, ProjectID: req.ProjectID}
					if env != "" {
						e, err := findEnvironment(ctx, k.ws, env)
						if err != nil {
							return err
						}
						nd.EnvironmentID = e.ID
					}
					req.CreateDatabase = nd
				} else {
					req.SQL = sql
					for _, ref := range strings.Split(dbs, ",") {
						if strings.TrimSpace(ref) == "" {
							continue
						}
						d, err := lookupDatabase(ctx, k.ws, ref, "")
						if err != nil {
							return err
						}
						req.DatabaseIDs = append(req.DatabaseIDs, d.ID)
					}
				}
				is, err := k.wf.Create(ctx, req)
				if err != nil {
					return err
				}
				fmt.Fprintf(stderr, "created issue #%d: %s\n", is.Number, is.Title)
				fmt.Fprintf(stderr, "issue #%d: running checks…\n", is.Number)
				if is, err = k.wf.Check(ctx, is.Number); err != nil {
					return err
				}
				for _, t := range is.Tasks {
					fmt.Fprintf(stderr, "issue #%d: checks of %s: %s\n", is.Number, t.DatabaseName, checkCounts(t.Checks))
				}
				before := taskStates(is)
				if is, err = k.wf.Advance(ctx, is.Number); err != nil {
					return err
				}
				ranErr := reportRan(stderr, before, is)
				if err := printIssue(ctx, k, c.OutOrStdout(), is.Number, format); err != nil {
					return err
				}
				return ranErr
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&project, "project", "", "the issue's project (name or id); default: the databases' project")
	fl.StringVar(&dbs, "database", "", "target databases, comma separated (INSTANCE/DATABASE, id or bare name)")
	fl.StringVar(&sqlFile, "sql", "", "file holding the SQL to run on every target (- reads standard input)")
	fl.StringVar(&title, "title", "", "the issue's title (default: \"Alter schema of DB\" and the like)")
	fl.StringVar(&desc, "description", "", "the issue's description")
	fl.StringVar(&version, "version", "", "the version the change is recorded under (default: the UTC time as yyyymmddhhmmss)")
	fl.StringVar(&typ, "type", "schema_change", "schema_change or data_change")
	fl.StringVar(&newDB, "create-database", "", "plan creating a database of this name instead")
	fl.StringVar(&instance, "instance", "", "with --create-database: the instance to create it on")
	fl.StringVar(&env, "environment", "", "with --create-database: its environment (id or name; default: the instance's)")
	fl.StringVar(&owner, "owner", "", "with --create-database: its owner role")
	fl.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// checkCounts summarises a task's checks: "5 checks: 4 success, 1 warning".
func checkCounts(cs []workflow.Check) string {
	counts := map[workflow.CheckStatus]int{}
	for _, c := range cs {
		counts[c.Status]++
	}
	var parts []string
	for _, st := range []workflow.CheckStatus{workflow.CheckSuccess, workflow.CheckWarning, workflow.CheckError, workflow.CheckRunning} {
		if counts[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
		}
	}
	return fmt.Sprintf("%d checks: %s", len(cs), strings.Join(parts, ", "))
}

// issueJSON is one issue of `issue list --format json` (docs/cli.md).
type issueJSON struct {
	Number    int    `json:"number"`
	Title     string `json:"title"`
	Type      string `json:"type"`
	Status    string `json:"status"`
	Approval  string `json:"approval"`
	Rollout   string `json:"rollout"`
	Project   string `json:"project"`
	ProjectID string `json:"projectId"`
	Creator   string `json:"creator"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

func newIssueListCmd(g *globals) *cobra.Command {
	var status, project, format string
	cmd := &cobra.Command{
		Use:   "list [--status open|done|canceled] [--project P] [--format text|json]",
		Short: "List issues, newest first",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			switch status {
			case "", "open", "done", "canceled":
			default:
				return withExit(2, fmt.Errorf("--status: want open, done or canceled, got %q", status))
			}
			return onIssues(c, g, format, func(ctx context.Context, k *core, _ io.Writer) error {
				f := workspace.IssueFilter{Status: status, Limit: 1000}
				if project != "" {
					p, err := findProject(ctx, k.ws, project)
					if err != nil {
						return err
					}
					f.ProjectID = p.ID
				}
				recs, err := k.wf.List(ctx, f)
				if err != nil {
					return err
				}
				names := map[string]string{}
				if ps, err := k.ws.ListProjects(ctx, true); err == nil {
					for _, p := range ps {
						names[p.ID] = p.Name
					}
				}
				out := make([]issueJSON, 0, len(recs))
				for _, r := range recs {
					out = append(out, issueJSON{Number: r.Number, Title: r.Title, Type: r.Type, Status: r.Status, Approval: r.Approval,
						Rollout: r.Rollout, Project: names[r.ProjectID], ProjectID: r.ProjectID, Creator: r.Creator,
						CreatedAt: stampCLI(r.CreatedAt), UpdatedAt: stampCLI(r.UpdatedAt)})
				}
				if format == "json" {
					return writeJSONTo(c.OutOrStdout(), out)
				}
				if len(out) == 0 {
					_, err := fmt.Fprintln(c.OutOrStdout(), "no issues; create one with: tidemark issue create --project P --database DB --sql FILE")
					return err
				}
				tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "#\tSTATUS\tAPPROVAL\tROLLOUT\tTYPE\tPROJECT\tTITLE")
				for _, r := range out {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Number, r.Status, r.Approval, r.Rollout, r.Type, r.Project, r.Title)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only issues of this status: open, done or canceled")
	cmd.Flags().StringVar(&project, "project", "", "only this project's issues (name or id)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newIssueShowCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show N [--format text|json]",
		Short: "Show an issue: approval, checks per database, stages with their tasks and gates",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			n, err := issueArg(args)
			if err != nil {
				return err
			}
			return onIssues(c, g, format, func(ctx context.Context, k *core, _ io.Writer) error {
				return printIssue(ctx, k, c.OutOrStdout(), n, format)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newIssueApproveCmd(g *globals) *cobra.Command {
	var comment string
	cmd := &cobra.Command{
		Use:   "approve N [--comment C]",
		Short: "Approve the issue's pending approval step as the workspace user, then roll out what rolls out automatically",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			n, err := issueArg(args)
			if err != nil {
				return err
			}
			return onIssues(c, g, "text", func(ctx context.Context, k *core, stderr io.Writer) error {
				is, err := k.wf.Approve(ctx, n, 0, comment)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.OutOrStdout(), "issue #%d: approval %s\n", n, is.Approval.Status)
				return advance(ctx, k, stderr, is)
			})
		},
	}
	cmd.Flags().StringVar(&comment, "comment", "", "a comment recorded with the approval")
	return cmd
}

// advance rolls out what rolls out automatically now and reports it.
func advance(ctx context.Context, k *core, stderr io.Writer, is *workflow.Issue) error {
	before := taskStates(is)
	is, err := k.wf.Advance(ctx, is.Number)
	if err != nil {
		return err
	}
	return reportRan(stderr, before, is)
}

func newIssueRejectCmd(g *globals) *cobra.Command {
	var comment string
	cmd := &cobra.Command{
		Use:   "reject N --comment C",
		Short: "Reject the issue (a comment saying why is required)",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			n, err := issueArg(args)
			if err != nil {
				return err
			}
			if strings.TrimSpace(comment) == "" {
				return withExit(2, errors.New("reject needs --comment saying why the issue is rejected"))
			}
			return onIssues(c, g, "text", func(ctx context.Context, k *core, _ io.Writer) error {
				if _, err := k.wf.Reject(ctx, n, 0, comment); err != nil {
					return err
				}
				_, err := fmt.Fprintf(c.OutOrStdout(), "issue #%d: rejected; editing its plan requests approval again\n", n)
				return err
			})
		},
	}
	cmd.Flags().StringVar(&comment, "comment", "", "why the issue is rejected (required)")
	return cmd
}

func newIssueRolloutCmd(g *globals) *cobra.Command {
	var stage, task, force, format string
	var wait bool
	cmd := &cobra.Command{
		Use:   "rollout N [--stage ENV] [--task DB] [--force-comment C] [--wait] [--format text|json]",
		Short: "Roll out the tasks whose gates are open (of one stage, one task, or all)",
		Long: `Roll out the issue's tasks whose gates are open — of the --stage (environment
id or name), the --task (task id such as t1, or database name), or all — and
run them in this process to their end (log lines on stderr), then the later
stages that roll out automatically. A request that can start nothing is
refused, naming the closed gate ("cannot roll out db: gate "approval" is
closed — waiting for approval (...)").

--force-comment C first records "roll out anyway" past the checks' warnings
for the tasks named (errors still block). --wait waits for checks still
running and for tasks another process (the desktop app) is running on the
issue, instead of refusing, and returns when they are through.

Exit codes: 0 rolled out; 1 refused (a closed gate) or a task failed (its
error, SQLSTATE and detail); 2 usage (unknown stage or task).`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			n, err := issueArg(args)
			if err != nil {
				return err
			}
			return onIssues(c, g, format, func(ctx context.Context, k *core, stderr io.Writer) error {
				req := workflow.RolloutRequest{Issue: n, Stage: stage, Task: task}
				if force != "" {
					if err := forceRollout(ctx, k, req, force); err != nil {
						return err
					}
				}
				before, err := waitStartable(ctx, k, stderr, req, wait)
				if err != nil {
					return err
				}
				is, err := k.wf.Rollout(ctx, req)
				if err != nil {
					return err
				}
				if wait {
					if is, err = waitRunning(ctx, k, stderr, n); err != nil {
						return err
					}
				}
				ranErr := reportRan(stderr, before, is)
				if err := printIssue(ctx, k, c.OutOrStdout(), n, format); err != nil {
					return err
				}
				return ranErr
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&stage, "stage", "", "only this stage (environment id or name)")
	fl.StringVar(&task, "task", "", "only this task (task id or database name)")
	fl.StringVar(&force, "force-comment", "", "roll out past the checks' warnings, saying why")
	fl.BoolVar(&wait, "wait", false, "wait for running checks and tasks instead of refusing")
	fl.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// forceRollout records "roll out anyway" for the tasks the request names.
func forceRollout(ctx context.Context, k *core, req workflow.RolloutRequest, comment string) error {
	if req.Stage == "" {
		_, err := k.wf.ForceRollout(ctx, req.Issue, 0, req.Task, comment)
		return err
	}
	r, err := k.wf.Report(ctx, req.Issue)
	if err != nil {
		return err
	}
	for _, st := range r.Stages {
		if st.Environment != req.Stage && !strings.EqualFold(st.EnvironmentName, req.Stage) {
			continue
		}
		for _, t := range st.Tasks {
			if req.Task != "" && t.ID != req.Task && t.Database != req.Task && t.DatabaseID != req.Task {
				continue
			}
			if _, err := k.wf.ForceRollout(ctx, req.Issue, 0, t.ID, comment); err != nil {
				return err
			}
		}
		return nil
	}
	return withExit(2, fmt.Errorf("issue #%d has no stage %q", req.Issue, req.Stage))
}

// busy reports whether the issue has checks or tasks running.
func busy(is *workflow.Issue) bool {
	for _, t := range is.Tasks {
		if t.Status == workflow.TaskRunning {
			return true
		}
		for _, c := range t.Checks {
			if c.Status == workflow.CheckRunning && t.Attempts == 0 {
				return true
			}
		}
	}
	return false
}

// waitStartable returns the task states before the rollout; with wait,
// it first waits while the request is refused because checks or tasks
// are running.
func waitStartable(ctx context.Context, k *core, stderr io.Writer, req workflow.RolloutRequest, wait bool) (map[string]workflow.TaskStatus, error) {
	said := false
	for {
		is, err := k.wf.Get(ctx, req.Issue)
		if err != nil {
			return nil, err
		}
		err = k.wf.CanRollout(ctx, req)
		if err == nil || !wait || !busy(is) {
			return taskStates(is), nil // Rollout reports the refusal
		}
		if !said {
			fmt.Fprintf(stderr, "issue #%d: waiting: %v\n", req.Issue, err)
			said = true
		}
		if err := sleepCtx(ctx, time.Second); err != nil {
			return nil, err
		}
	}
}

// waitRunning waits while tasks of the issue run in another process.
func waitRunning(ctx context.Context, k *core, stderr io.Writer, n int) (*workflow.Issue, error) {
	said := false
	for {
		is, err := k.wf.Get(ctx, n)
		if err != nil {
			return nil, err
		}
		running := false
		for _, t := range is.Tasks {
			running = running || t.Status == workflow.TaskRunning
		}
		if !running {
			return is, nil
		}
		if !said {
			fmt.Fprintf(stderr, "issue #%d: waiting for the tasks another process runs\n", n)
			said = true
		}
		if err := sleepCtx(ctx, time.Second); err != nil {
			return nil, err
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// newIssueTaskCmd builds retry, skip and cancel.
func newIssueTaskCmd(g *globals, action string) *cobra.Command {
	var task, reason string
	short := map[string]string{
		"retry":  "Put failed or canceled tasks back in line (checks run again; automatic stages roll out)",
		"skip":   "Skip tasks that have not run to completion (a --reason is required)",
		"cancel": "Cancel tasks that have not started (without --task: the whole issue)",
	}[action]
	cmd := &cobra.Command{
		Use:   action + " N [--task DB] [--reason R]",
		Short: short,
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			n, err := issueArg(args)
			if err != nil {
				return err
			}
			if action == "skip" && strings.TrimSpace(reason) == "" {
				return withExit(2, errors.New("skip needs --reason saying why the task is skipped"))
			}
			return onIssues(c, g, "text", func(ctx context.Context, k *core, stderr io.Writer) error {
				var is *workflow.Issue
				var err error
				switch action {
				case "retry":
					if is, err = k.wf.Retry(ctx, n, 0, task); err == nil && strings.TrimSpace(reason) != "" {
						is, err = k.wf.Comment(ctx, n, "retry: "+reason)
					}
					if err == nil {
						is, err = k.wf.Check(ctx, n)
					}
				case "skip":
					is, err = k.wf.Skip(ctx, n, 0, task, reason)
				case "cancel":
					is, err = k.wf.Cancel(ctx, n, 0, task, reason)
				}
				if err != nil {
					return err
				}
				what := "every task"
				if task != "" {
					what = "task " + task
				}
				past := map[string]string{"retry": "put back in line", "skip": "skipped", "cancel": "canceled"}[action]
				if action == "cancel" && task == "" {
					fmt.Fprintf(c.OutOrStdout(), "issue #%d: canceled\n", n)
					return nil
				}
				fmt.Fprintf(c.OutOrStdout(), "issue #%d: %s %s (issue %s)\n", n, what, past, is.Status)
				if action == "cancel" {
					return nil
				}
				return advance(ctx, k, stderr, is)
			})
		},
	}
	cmd.Flags().StringVar(&task, "task", "", "only this task (task id such as t1, or database name); default: all")
	cmd.Flags().StringVar(&reason, "reason", "", "why (required for skip)")
	return cmd
}
