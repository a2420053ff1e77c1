package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/gitops"
	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// core is the workspace with the use-cases the desktop app runs, for one
// command: the same instances.Connector, schemasync.Syncer, change.Service
// and workflow.Service (with source "cli"). Passwords come from the OS keychain when there is one,
// else from PGPASSWORD or ~/.pgpass.
type core struct {
	ws      *workspace.Store
	conns   *instances.Connector
	syncer  *schemasync.Syncer
	changes *change.Service
	wf      *workflow.Service
	// secrets is the OS keychain when it is available (nil otherwise).
	secrets secret.Store
	dir     string
}

// watcher is the GitOps watcher of the workspace (repository tokens from
// the keychain or TIDEMARK_GIT_TOKEN).
func (c *core) watcher() *gitops.Watcher {
	creds := &gitops.Credentials{Secrets: c.secrets, Getenv: os.Getenv}
	return &gitops.Watcher{WS: c.ws, WF: c.wf, ReposDir: filepath.Join(c.dir, "repos"), Creds: creds,
		Anomalies: anomaly.NewStore(c.ws), Latest: c.latest(), AfterChange: gitops.CheckThenAdvance(c.wf)}
}

// latest writes LATEST files back.
func (c *core) latest() *gitops.LatestWriter {
	return &gitops.LatestWriter{WS: c.ws, Conns: c.conns, Creds: &gitops.Credentials{Secrets: c.secrets, Getenv: os.Getenv}}
}

func openCore(ctx context.Context, g *globals) (*core, error) {
	ws, err := openWorkspace(ctx, g)
	if err != nil {
		return nil, err
	}
	r := &secret.Resolver{}
	kc := secret.NewKeychain(keychainService)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	var secrets secret.Store
	if kc.Probe(pctx).Available {
		r.Keychain, secrets = kc, kc
	}
	cancel()
	conns := &instances.Connector{WS: ws, Secrets: r}
	syncer := schemasync.New(ws, conns)
	changes := change.New(ws, conns, syncer)
	scr := workspaceScratch(g, ws, conns)
	wf := workflow.New(workflow.Deps{WS: ws, Conns: conns, Sync: syncer, Changes: changes,
		Reviewer: livereview.New(review.NewRegistry(), ws, conns, syncer), Scratch: scr,
		Compare: &compare.Comparer{WS: ws, Conns: conns, Sync: syncer, Scratch: scr}, Source: workspace.SourceCLI})
	dir, err := g.workspaceDir()
	if err != nil {
		ws.Close()
		return nil, err
	}
	k := &core{ws: ws, conns: conns, syncer: syncer, changes: changes, wf: wf, secrets: secrets, dir: dir}
	// a schema change rolled out on a linked project's database writes its
	// LATEST schema back
	wf.AfterTask = k.latest().AfterTask(wf, anomaly.NewStore(ws))
	return k, nil
}

// workspaceScratch finds the scratch server as the desktop app does
// (compare.WorkspaceScratch): the sample instance when it runs (its
// password found the way tidemark diff finds it: the keychain, else a fresh
// session password over its local socket), else the scratch instance
// chosen in the workspace settings. It never starts the sample instance.
func workspaceScratch(g *globals, ws *workspace.Store, conns *instances.Connector) compare.ScratchFunc {
	chosen := compare.WorkspaceScratch(ws, conns, nil)
	return func(ctx context.Context, needed bool) (scratch.Server, error) {
		if srv, err := sampleScratch(ctx, g, false, io.Discard); err == nil {
			return srv, nil
		}
		return chosen(ctx, needed)
	}
}

func (c *core) close() { c.ws.Close() }

// database finds "INSTANCE/DATABASE" (or a database id).
func (c *core) database(ctx context.Context, ref string) (workspace.Database, error) {
	inst, name, ok := strings.Cut(ref, "/")
	if !ok {
		if d, err := c.ws.GetDatabase(ctx, ref); err == nil {
			return d, nil
		}
		return workspace.Database{}, withExit(2, fmt.Errorf("database %q: name it INSTANCE/DATABASE (see tidemark database list)", ref))
	}
	in, err := c.ws.GetInstanceByName(ctx, inst)
	if err != nil {
		return workspace.Database{}, withExit(2, fmt.Errorf("instance %q: %w", inst, err))
	}
	d, err := c.ws.FindDatabase(ctx, in.ID, name)
	if err != nil {
		return workspace.Database{}, withExit(2, fmt.Errorf("database %q on %s: %w (run tidemark instance sync %s)", name, in.Name, err, in.Name))
	}
	return d, nil
}

// onDatabase runs fn on the database named ref with the workspace's
// use-cases, after checking --format.
func onDatabase(c *cobra.Command, g *globals, format, ref string, fn func(ctx context.Context, k *core, d workspace.Database) error) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	ctx := c.Context()
	k, err := openCore(ctx, g)
	if err != nil {
		return err
	}
	defer k.close()
	d, err := k.database(ctx, ref)
	if err != nil {
		return err
	}
	return fn(ctx, k, d)
}

func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return withExit(2, fmt.Errorf("--format: want text or json, got %q", format))
	}
	return nil
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// databaseJSON is the JSON shape of a database (docs/cli.md).
type databaseJSON struct {
	ID          string `json:"id"`
	Instance    string `json:"instance"`
	Name        string `json:"name"`
	Environment string `json:"environment"`
	Owner       string `json:"owner"`
	Encoding    string `json:"encoding"`
	SizeBytes   int64  `json:"sizeBytes"`
	ProjectID   string `json:"projectId"`
}

func databasesJSON(ds []workspace.Database) []databaseJSON {
	out := make([]databaseJSON, 0, len(ds))
	for _, d := range ds {
		out = append(out, databaseJSON{ID: d.ID, Instance: d.InstanceName, Name: d.Name, Environment: d.EnvironmentID,
			Owner: d.Owner, Encoding: d.Encoding, SizeBytes: d.SizeBytes, ProjectID: d.ProjectID})
	}
	return out
}

func writeDatabases(w io.Writer, ds []workspace.Database, format string) error {
	if format == "json" {
		return writeJSONTo(w, databasesJSON(ds))
	}
	if len(ds) == 0 {
		_, err := fmt.Fprintln(w, "no databases; sync an instance with: tidemark instance sync NAME")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATABASE\tENV\tOWNER\tSIZE")
	for _, d := range ds {
		fmt.Fprintf(tw, "%s/%s\t%s\t%s\t%d\n", d.InstanceName, d.Name, d.EnvironmentID, d.Owner, d.SizeBytes)
	}
	return tw.Flush()
}

func newInstanceSyncCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "sync NAME [--format text|json]",
		Short: "List the instance's databases on the server and store them in the workspace",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := c.Context()
			k, err := openCore(ctx, g)
			if err != nil {
				return err
			}
			defer k.close()
			in, err := k.ws.GetInstanceByName(ctx, args[0])
			if err != nil {
				return withExit(2, fmt.Errorf("instance %q: %w", args[0], err))
			}
			dbs, err := k.conns.SyncDatabases(ctx, in, nil)
			if err != nil {
				return err
			}
			return writeDatabases(c.OutOrStdout(), dbs, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newDatabaseCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "database",
		Short: "List, sync and change the workspace's databases (the same workspace as the desktop app)",
	}
	cmd.AddCommand(newDatabaseListCmd(g), newDatabaseSyncCmd(g), newDatabaseApplyCmd(g), newDatabaseHistoryCmd(g), newDatabaseAssignCmd(g))
	return cmd
}

func newDatabaseListCmd(g *globals) *cobra.Command {
	var format, instance, project string
	cmd := &cobra.Command{
		Use:   "list [--instance NAME] [--project P] [--format text|json]",
		Short: "List the databases found by instance sync",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			f := workspace.DatabaseFilter{}
			if instance != "" {
				in, err := ws.GetInstanceByName(ctx, instance)
				if err != nil {
					return withExit(2, fmt.Errorf("instance %q: %w", instance, err))
				}
				f.InstanceID = in.ID
			}
			if project != "" {
				p, err := findProject(ctx, ws, project)
				if err != nil {
					return err
				}
				f.ProjectID = p.ID
			}
			ds, err := ws.ListDatabases(ctx, f)
			if err != nil {
				return err
			}
			return writeDatabases(c.OutOrStdout(), ds, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&instance, "instance", "", "only this instance's databases")
	cmd.Flags().StringVar(&project, "project", "", "only this project's databases (name or id)")
	return cmd
}

// lookupDatabase finds a database named INSTANCE/DATABASE, by its id, or by
// its bare name: on --instance when given, else the only database of that
// name in the workspace. Not found or ambiguous is a usage error (exit 2).
func lookupDatabase(ctx context.Context, ws *workspace.Store, ref, instance string) (workspace.Database, error) {
	ref = strings.TrimSpace(ref)
	if inst, name, ok := strings.Cut(ref, "/"); ok {
		if instance != "" && !strings.EqualFold(instance, inst) {
			return workspace.Database{}, withExit(2, fmt.Errorf("database %q is not on --instance %s", ref, instance))
		}
		instance, ref = inst, name
	} else if instance == "" {
		if d, err := ws.GetDatabase(ctx, ref); err == nil {
			return d, nil
		}
	}
	if instance != "" {
		in, err := ws.GetInstanceByName(ctx, instance)
		if err != nil {
			return workspace.Database{}, withExit(2, fmt.Errorf("instance %q: %w", instance, err))
		}
		d, err := ws.FindDatabase(ctx, in.ID, ref)
		if err != nil {
			return workspace.Database{}, withExit(2, fmt.Errorf("database %q on %s: %w (run tidemark instance sync %s)", ref, in.Name, err, in.Name))
		}
		return d, nil
	}
	all, err := ws.ListDatabases(ctx, workspace.DatabaseFilter{})
	if err != nil {
		return workspace.Database{}, err
	}
	var found []workspace.Database
	for _, d := range all {
		if d.Name == ref {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return workspace.Database{}, withExit(2, fmt.Errorf("database %q: no such database; name it INSTANCE/DATABASE (see tidemark database list)", ref))
	}
	names := make([]string, 0, len(found))
	for _, d := range found {
		names = append(names, d.InstanceName+"/"+d.Name)
	}
	return workspace.Database{}, withExit(2, fmt.Errorf("database %q is on several instances (%s): name it INSTANCE/DATABASE or pass --instance",
		ref, strings.Join(names, ", ")))
}

// findEnvironment finds an environment by id or name; unknown is a usage
// error naming the ones there are.
func findEnvironment(ctx context.Context, ws *workspace.Store, ref string) (workspace.Environment, error) {
	envs, err := ws.ListEnvironments(ctx)
	if err != nil {
		return workspace.Environment{}, err
	}
	ids := make([]string, 0, len(envs))
	for _, e := range envs {
		if e.ID == ref {
			return e, nil
		}
		ids = append(ids, e.ID)
	}
	for _, e := range envs {
		if strings.EqualFold(e.Name, ref) {
			return e, nil
		}
	}
	return workspace.Environment{}, withExit(2, fmt.Errorf("--environment: no environment %q (have: %s)", ref, strings.Join(ids, ", ")))
}

func newDatabaseAssignCmd(g *globals) *cobra.Command {
	var project, instance, env, format string
	cmd := &cobra.Command{
		Use:   "assign DATABASE --project P [--instance I] [--environment E] [--format text|json]",
		Short: "Put a database in a project (and optionally override its environment)",
		Long: `Put a database in a project, so issues of the project can change it.

DATABASE is INSTANCE/DATABASE, a database id, or a bare name (--instance
says which instance when the name is on several). --environment sets the
database's own environment (id or name), overriding its instance's.
Exit codes: 0 assigned, 1 failure (an archived project), 2 usage (unknown
database, project or environment).`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			if strings.TrimSpace(project) == "" {
				return withExit(2, errors.New("missing --project (see tidemark project list)"))
			}
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			d, err := lookupDatabase(ctx, ws, args[0], instance)
			if err != nil {
				return err
			}
			p, err := findProject(ctx, ws, project)
			if err != nil {
				return err
			}
			var e workspace.Environment
			if env != "" {
				if e, err = findEnvironment(ctx, ws, env); err != nil {
					return err
				}
			}
			if d, err = ws.AssignProject(ctx, d.ID, p.ID); err != nil {
				return err
			}
			if env != "" {
				if d, err = ws.SetDatabaseEnvironment(ctx, d.ID, e.ID); err != nil {
					return err
				}
			}
			if format == "json" {
				return writeJSONTo(c.OutOrStdout(), databasesJSON([]workspace.Database{d})[0])
			}
			_, err = fmt.Fprintf(c.OutOrStdout(), "assigned %s/%s to project %s (environment %s)\n", d.InstanceName, d.Name, p.Name, d.EnvironmentID)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&project, "project", "", "the project (name or id)")
	fl.StringVar(&instance, "instance", "", "the instance, when DATABASE is a bare name")
	fl.StringVar(&env, "environment", "", "set the database's environment (id or name), overriding its instance's")
	fl.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// snapshotJSON is the JSON shape of a schema snapshot (docs/cli.md).
type snapshotJSON struct {
	ID            string `json:"id"`
	Database      string `json:"database"`
	TakenAt       string `json:"takenAt"`
	DurationMs    int64  `json:"durationMs"`
	Fingerprint   string `json:"fingerprint"`
	ServerVersion int    `json:"serverVersion"`
	DDLSize       int    `json:"ddlSize"`
	Unsupported   int    `json:"unsupported"`
	Skipped       int    `json:"skipped"`
}

func newDatabaseSyncCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "sync INSTANCE/DATABASE [--format text|json]",
		Short: "Read the database's schema into a new snapshot (as the desktop app's Sync does)",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return onDatabase(c, g, format, args[0], func(ctx context.Context, k *core, d workspace.Database) error {
				stderr := c.ErrOrStderr()
				snap, err := k.syncer.Sync(ctx, d.ID, func(step int, name string) {
					fmt.Fprintf(stderr, "%s/%s: %s (%d/%d)\n", d.InstanceName, d.Name, name, step+1, schemasync.Steps)
				})
				if err != nil {
					return err
				}
				in := snap.Info
				if format == "json" {
					return writeJSONTo(c.OutOrStdout(), snapshotJSON{ID: in.ID, Database: d.InstanceName + "/" + d.Name,
						TakenAt: in.TakenAt.UTC().Format(time.RFC3339), DurationMs: in.Duration.Milliseconds(), Fingerprint: in.Fingerprint,
						ServerVersion: in.ServerVersion, DDLSize: len(snap.DDL), Unsupported: len(in.Unsupported), Skipped: len(in.Skipped)})
				}
				fmt.Fprintf(c.OutOrStdout(), "synced %s/%s: snapshot %s, %d tables, fingerprint %s\n", d.InstanceName, d.Name, in.ID,
					len(snap.Schema.Tables), in.Fingerprint)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// changeJSON is the JSON shape of a change-history row (docs/cli.md).
type changeJSON struct {
	ID               string `json:"id"`
	Version          string `json:"version"`
	Type             string `json:"type"`
	Status           string `json:"status"`
	Description      string `json:"description"`
	Source           string `json:"source"`
	AppliedBy        string `json:"appliedBy"`
	Host             string `json:"host"`
	DurationMs       int64  `json:"durationMs"`
	Error            string `json:"error,omitempty"`
	SQLState         string `json:"sqlstate,omitempty"`
	BeforeSnapshotID string `json:"beforeSnapshotId"`
	AfterSnapshotID  string `json:"afterSnapshotId"`
	AppliedAt        string `json:"appliedAt"`
}

func changeOut(c workspace.Change) changeJSON {
	out := changeJSON{ID: c.ID, Version: c.Version, Type: c.Type, Status: c.Status, Description: c.Description, Source: c.Source,
		AppliedBy: c.AppliedBy, Host: c.Host, DurationMs: c.Duration.Milliseconds(), Error: c.Error, SQLState: c.SQLState,
		BeforeSnapshotID: c.BeforeSnapshotID, AfterSnapshotID: c.AfterSnapshotID}
	if !c.AppliedAt.IsZero() {
		out.AppliedAt = c.AppliedAt.UTC().Format(time.RFC3339)
	}
	return out
}

func newDatabaseApplyCmd(g *globals) *cobra.Command {
	var version, typ, desc, file, sql, format string
	var yes bool
	cmd := &cobra.Command{
		Use:   "apply INSTANCE/DATABASE --version V [--type ddl|dml|baseline] [--description D] (-f FILE | -c SQL) [--yes]",
		Short: "Apply a change to a workspace database, with schema snapshots before and after and a change-history row",
		Long: `Apply a change to a database of the workspace, as the desktop app's
"Apply change" does: the version must be above every applied one; a schema
snapshot is taken before and after; the change runs through the migration
runner (lock, history row in tidemark.migration_history in the same
transaction); the workspace's change history records it with source "cli".

A database in a production environment, or a destructive statement (DROP,
TRUNCATE, DELETE or UPDATE without WHERE, ALTER TABLE ... DROP), needs --yes.
Exit codes: 0 applied, 1 the change failed or was refused, 2 usage.`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			if (file == "") == (sql == "") && typ != "baseline" {
				return withExit(2, errors.New("give the statement with -f FILE or -c SQL (one of them)"))
			}
			if file != "" {
				b, err := os.ReadFile(file)
				if err != nil {
					return withExit(2, fmt.Errorf("read %s: %w", file, err))
				}
				sql = string(b)
			}
			return onDatabase(c, g, format, args[0], func(ctx context.Context, k *core, d workspace.Database) error {
				stderr := c.ErrOrStderr()
				ch, err := k.changes.Apply(ctx, change.Request{DatabaseID: d.ID, Version: version, Type: typ, Description: desc,
					Statement: sql, Confirm: yes, Source: workspace.SourceCLI}, func(s change.Step) {
					fmt.Fprintf(stderr, "%s/%s: %s (%d/%d)\n", d.InstanceName, d.Name, s.Name, s.Done, s.Total)
				})
				if err != nil {
					var ue *usererr.Error
					if errors.As(err, &ue) && ue.Field == "confirm" {
						return fmt.Errorf("%w\npass --yes to apply it", err)
					}
					if errors.As(err, &ue) && (ue.Field == "version" || ue.Field == "type") {
						return withExit(2, err)
					}
					return err
				}
				if format == "json" {
					return writeJSONTo(c.OutOrStdout(), changeOut(ch))
				}
				fmt.Fprintf(c.OutOrStdout(), "applied version %s to %s/%s (%s, %d ms)\n", ch.Version, d.InstanceName, d.Name, ch.Type, ch.Duration.Milliseconds())
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&version, "version", "", "version of the change (above every applied one), e.g. 1.2 or 20240101120000")
	fl.StringVar(&typ, "type", "ddl", "ddl (schema change), dml (data change) or baseline (marks the database as at --version)")
	fl.StringVar(&desc, "description", "", "what the change does")
	fl.StringVarP(&file, "file", "f", "", "file holding the statements")
	fl.StringVarP(&sql, "command", "c", "", "the statements")
	fl.BoolVar(&yes, "yes", false, "confirm a change to a production environment or a destructive change")
	fl.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newDatabaseHistoryCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "history INSTANCE/DATABASE [--format text|json]",
		Short: "Show the database's change history, reconciled with tidemark.migration_history in the database",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return onDatabase(c, g, format, args[0], func(ctx context.Context, k *core, d workspace.Database) error {
				list, err := k.changes.Reconcile(ctx, d.ID)
				if err != nil {
					return err
				}
				if format == "json" {
					out := make([]changeJSON, 0, len(list))
					for _, ch := range list {
						out = append(out, changeOut(ch))
					}
					return writeJSONTo(c.OutOrStdout(), out)
				}
				if len(list) == 0 {
					_, err := fmt.Fprintf(c.OutOrStdout(), "no changes recorded for %s/%s\n", d.InstanceName, d.Name)
					return err
				}
				tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "VERSION\tTYPE\tSTATUS\tSOURCE\tAPPLIED BY\tAPPLIED AT\tDESCRIPTION")
				for _, ch := range list {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ch.Version, ch.Type, ch.Status, ch.Source, ch.AppliedBy,
						ch.AppliedAt.UTC().Format(time.RFC3339), ch.Description)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}
