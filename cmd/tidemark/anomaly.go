package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/monitor"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

func newAnomalyCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "anomaly",
		Short: "The Anomaly Center: schema drift, connection and sync failures, history table problems (shared with the desktop app)",
		Long: `Anomalies are conditions a sync found on an instance or a database: schema
drift, an instance that cannot be reached, a database whose sync fails, a
missing or damaged history table, a non-transactional migration left started.
An anomaly resolves itself (archived with the time) when a later check no
longer finds its condition. See docs/anomaly-center.md.

Exit codes: list and show 0; check 0 when no anomaly is open afterwards, 1
when some are; 2 usage (bad flags, unknown kind, project, environment,
instance or anomaly id).`,
	}
	cmd.AddCommand(newAnomalyListCmd(g), newAnomalyShowCmd(g), newAnomalyCheckCmd(g))
	return cmd
}

// anomalyJSON is the JSON shape of an anomaly (docs/cli.md).
type anomalyJSON struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"`
	Severity    string          `json:"severity"`
	Status      string          `json:"status"` // open, resolved
	InstanceID  string          `json:"instanceId"`
	Instance    string          `json:"instance"`
	DatabaseID  string          `json:"databaseId"`
	Database    string          `json:"database"`
	Environment string          `json:"environment"`
	ProjectID   string          `json:"projectId"`
	Subject     string          `json:"subject"`
	Summary     string          `json:"summary"`
	Action      string          `json:"action"`
	FirstSeen   string          `json:"firstSeen"`
	LastSeen    string          `json:"lastSeen"`
	ResolvedAt  string          `json:"resolvedAt"`
	Details     json.RawMessage `json:"details,omitempty"`
}

func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func anomalyOut(a anomaly.Anomaly, details bool) anomalyJSON {
	out := anomalyJSON{ID: a.ID, Kind: a.Kind, Severity: a.Severity, Status: "open", InstanceID: a.InstanceID, Instance: a.InstanceName,
		DatabaseID: a.DatabaseID, Database: a.DatabaseName, Environment: a.EnvironmentID, ProjectID: a.ProjectID, Subject: a.Subject,
		Summary: a.Summary, Action: a.Action, FirstSeen: jsonTime(a.FirstSeen), LastSeen: jsonTime(a.LastSeen), ResolvedAt: jsonTime(a.ResolvedAt)}
	if !a.Open() {
		out.Status = "resolved"
	}
	if details {
		out.Details = a.Details
	}
	return out
}

type anomalyListFlags struct {
	kind, env, project, format string
	all                        bool
}

func (f *anomalyListFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.kind, "kind", "", "only this kind: "+strings.Join(anomaly.Kinds, ", "))
	c.Flags().StringVar(&f.env, "environment", "", "only databases and instances of this environment (id)")
	c.Flags().StringVar(&f.project, "project", "", "only databases of this project (name or id)")
	c.Flags().BoolVar(&f.all, "all", false, "include resolved (archived) anomalies")
	c.Flags().StringVar(&f.format, "format", "text", "text or json")
}

// filter checks the flags against the workspace (2 on a bad one).
func (f *anomalyListFlags) filter(ctx context.Context, ws *workspace.Store) (anomaly.Filter, error) {
	flt := anomaly.Filter{Kind: f.kind, EnvironmentID: f.env, All: f.all}
	if f.kind != "" && !anomaly.ValidKind(f.kind) {
		return flt, withExit(2, fmt.Errorf("--kind %q: want one of %s", f.kind, strings.Join(anomaly.Kinds, ", ")))
	}
	if f.env != "" {
		if _, err := ws.GetEnvironment(ctx, f.env); err != nil {
			return flt, withExit(2, fmt.Errorf("--environment: %w", err))
		}
	}
	if f.project != "" {
		p, err := ws.GetProjectByName(ctx, f.project)
		if errors.Is(err, workspace.ErrNotFound) {
			p, err = ws.GetProject(ctx, f.project)
		}
		if err != nil {
			return flt, withExit(2, fmt.Errorf("--project: %w", err))
		}
		flt.ProjectID = p.ID
	}
	return flt, nil
}

func newAnomalyListCmd(g *globals) *cobra.Command {
	f := &anomalyListFlags{}
	cmd := &cobra.Command{
		Use:   "list [--kind K] [--environment E] [--project P] [--all] [--format text|json]",
		Short: "List open anomalies (with --all, resolved ones too)",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkFormat(f.format); err != nil {
				return err
			}
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			flt, err := f.filter(ctx, ws)
			if err != nil {
				return err
			}
			as, err := anomaly.NewStore(ws).List(ctx, flt)
			if err != nil {
				return err
			}
			return printAnomalies(c.OutOrStdout(), as, f.format)
		},
	}
	f.add(cmd)
	return cmd
}

func printAnomalies(w io.Writer, as []anomaly.Anomaly, format string) error {
	if format == "json" {
		out := struct {
			Anomalies []anomalyJSON `json:"anomalies"`
		}{Anomalies: []anomalyJSON{}}
		for _, a := range as {
			out.Anomalies = append(out.Anomalies, anomalyOut(a, false))
		}
		return writeJSONTo(w, out)
	}
	if len(as) == 0 {
		_, err := fmt.Fprintln(w, "No anomalies.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSEVERITY\tSTATUS\tENVIRONMENT\tTARGET\tLAST SEEN\tSUMMARY")
	for _, a := range as {
		o := anomalyOut(a, false)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Kind, a.Severity, o.Status, a.EnvironmentID, target(a),
			a.LastSeen.UTC().Format("2006-01-02 15:04:05"), a.Summary)
	}
	return tw.Flush()
}

// target names what an anomaly is about: "hr_prod on Sample", or the instance.
func target(a anomaly.Anomaly) string {
	if a.DatabaseID == "" {
		return a.InstanceName
	}
	return a.DatabaseName + " on " + a.InstanceName
}

func newAnomalyShowCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show ID [--format text|json]",
		Short: "Show one anomaly with its details (for drift: each object, both DDLs, the revert and codify migrations)",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
			if err != nil || id < 1 {
				return withExit(2, fmt.Errorf("anomaly id %q: want a number such as 3 (see tidemark anomaly list)", args[0]))
			}
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			a, err := anomaly.NewStore(ws).Get(ctx, id)
			if errors.Is(err, workspace.ErrNotFound) {
				return withExit(2, fmt.Errorf("no anomaly %d (see tidemark anomaly list --all)", id))
			}
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONTo(c.OutOrStdout(), anomalyOut(a, true))
			}
			return printAnomaly(c.OutOrStdout(), a)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func printAnomaly(w io.Writer, a anomaly.Anomaly) error {
	o := anomalyOut(a, false)
	var b strings.Builder
	fmt.Fprintf(&b, "Anomaly %d: %s\n", a.ID, a.Summary)
	fmt.Fprintf(&b, "kind:        %s\nseverity:    %s\nstatus:      %s\n", a.Kind, a.Severity, o.Status)
	fmt.Fprintf(&b, "target:      %s (environment %s)\n", target(a), a.EnvironmentID)
	fmt.Fprintf(&b, "first seen:  %s\nlast seen:   %s\n", o.FirstSeen, o.LastSeen)
	if o.ResolvedAt != "" {
		fmt.Fprintf(&b, "resolved at: %s\n", o.ResolvedAt)
	}
	fmt.Fprintf(&b, "action:      %s\n", a.Action)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	switch a.Kind {
	case anomaly.KindSchemaDrift:
		var d anomaly.DriftDetails
		if err := json.Unmarshal(a.Details, &d); err != nil {
			return fmt.Errorf("anomaly %d: details: %w", a.ID, err)
		}
		expected := "the first sync (" + jsonTime(d.ExpectedTakenAt) + ")"
		if d.Version != "" {
			expected = "version " + d.Version + " (" + d.ExpectedSource + ")"
		}
		fmt.Fprintf(w, "expected:    %s\n\n", expected)
		return printDrift(w, &driftOutput{Status: d.Status, Drift: d.Drifted(), Expected: "the expected schema", Live: "the live database",
			Report: d.Report, Revert: d.Revert, Codify: d.Codify, RevertError: d.RevertError, CodifyError: d.CodifyError})
	case anomaly.KindNonTxStarted, anomaly.KindModifiedMigration, anomaly.KindGitOpsModified:
		var d anomaly.MigrationDetails
		if err := json.Unmarshal(a.Details, &d); err != nil {
			return fmt.Errorf("anomaly %d: details: %w", a.ID, err)
		}
		_, err := fmt.Fprintf(w, "migration:   %s %s (%s, %d of %d statements)\n", d.Version, d.Description, d.Status, d.StatementsApplied, d.StatementsTotal)
		if err == nil && d.Error != "" {
			_, err = fmt.Fprintf(w, "error:       %s\n", d.Error)
		}
		return err
	default:
		var d anomaly.ErrorDetails
		if err := json.Unmarshal(a.Details, &d); err != nil {
			return fmt.Errorf("anomaly %d: details: %w", a.ID, err)
		}
		msg := d.Error
		if d.SQLState != "" {
			msg += " (SQLSTATE " + d.SQLState + ")"
		}
		_, err := fmt.Fprintf(w, "error:       %s\n", msg)
		return err
	}
}

func newAnomalyCheckCmd(g *globals) *cobra.Command {
	var instance string
	f := &anomalyListFlags{}
	cmd := &cobra.Command{
		Use:   "check [--instance NAME] [--format text|json]",
		Short: "Sync instances (all, or one) as the desktop app's periodic sync does, evaluate their anomalies, and list the open ones",
		Long: `Sync each instance of the workspace (or --instance NAME): list its databases,
refresh each one's schema, and evaluate the anomalies as the desktop app does
after each sync. Prints the open anomalies afterwards (the filters of
anomaly list apply). Exit 0 when none is open, 1 when some are, 2 usage.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkFormat(f.format); err != nil {
				return err
			}
			ctx := c.Context()
			k, err := openCore(ctx, g)
			if err != nil {
				return err
			}
			defer k.close()
			flt, err := f.filter(ctx, k.ws)
			if err != nil {
				return err
			}
			ids, err := instanceIDs(ctx, k.ws, instance)
			if err != nil {
				return err
			}
			center := &anomaly.Center{WS: k.ws, Conns: k.conns, Sync: k.syncer, Changes: k.changes}
			stderr := c.ErrOrStderr()
			mon := monitor.New(monitor.Deps{WS: k.ws, Conns: k.conns, Sync: k.syncer, AfterSync: center.AfterSync,
				Notify: func(e monitor.Event) {
					if e.AfterErr != nil {
						fmt.Fprintf(stderr, "evaluate anomalies: %v\n", e.AfterErr)
					}
				}})
			for _, id := range ids {
				mon.SyncInstance(ctx, id)
			}
			as, err := center.Store().List(ctx, flt)
			if err != nil {
				return err
			}
			if err := printAnomalies(c.OutOrStdout(), as, f.format); err != nil {
				return err
			}
			if len(as) > 0 {
				return withExit(1, nil)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&instance, "instance", "", "only this instance (name)")
	f.add(cmd)
	_ = cmd.Flags().MarkHidden("all")
	return cmd
}

func instanceIDs(ctx context.Context, ws *workspace.Store, name string) ([]string, error) {
	if name != "" {
		in, err := ws.GetInstanceByName(ctx, name)
		if err != nil {
			return nil, withExit(2, fmt.Errorf("--instance: %w", err))
		}
		return []string{in.ID}, nil
	}
	ins, err := ws.ListInstances(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(ins))
	for _, in := range ins {
		ids = append(ids, in.ID)
	}
	return ids, nil
}
