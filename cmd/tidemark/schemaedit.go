package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

type schemaEditFlags struct {
	urls        []string
	databases   []string
	ops         string
	design      string
	scratch     string
	format      string
	online      bool
	createIssue bool
	project     string
	title       string
	description string
	version     string
}

// newSchemaCmd builds `tidemark schema`, the schema editor's face.
func newSchemaCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "schema", Short: "Edit a database's schema as a model and preview the migration"}
	c.AddCommand(newSchemaEditCmd(g), newSchemaDiagramCmd(g))
	return c
}

func newSchemaEditCmd(g *globals) *cobra.Command {
	f := &schemaEditFlags{}
	c := &cobra.Command{
		Use:   "edit (--url URL... | --database DB...) (--ops FILE.json | --design FILE [--ops FILE.json]) [--format sql|json] [--online] [--create-issue [--title T]]",
		Short: "Apply edit operations to databases' schema models and print each migration",
		Long: `Apply the edit operations of --ops (a JSON array, see docs/schema-editor.md) to a
copy of each target database's model, validate the result and print the
migration that turns that database into its edited model. Renamed objects are
renamed (ALTER ... RENAME), never dropped and created again. Nothing is applied.

--url (repeatable) inspects a live database; pass the password with PGPASSWORD
or ~/.pgpass, never in --url. --database (repeatable, or comma separated:
INSTANCE/DATABASE, id or bare name) uses the workspace database's latest
snapshot, synced first when it was never synced.

--design FILE edits a design instead of each database's model: a .sql file
(desired-state DDL, such as the desktop editor's Save .sql; loaded into a
scratch database on the --scratch server or, without it, the sample instance)
or a .json model (tidemark dump --format json). The --ops (optional then) are
applied to the design, and each target gets the migration from its own model
to the edited design; a rename is passed on only where that database holds
the renamed object. A design PostgreSQL rejects exits 2 with its line.

With one --url the output is as before (the plan, or the report in JSON).
With several targets, or any --database, each target gets its own plan from
its own model; a target where an operation does not apply gets an error
naming the database and the operation, and the others are still printed.
--create-issue (with --database) then creates one schema change issue with
one task per database, each running its own migration, and runs its checks;
nothing is created unless every target has a migration.

Exit codes: 0 every target planned (and the issue created); 1 a target
without a migration (an operation refused, a validation problem, a plan the
diff refused, nothing to change), a connection or inspection failure;
2 usage, an unreadable or malformed --ops file, an unknown database.`,
		Args: func(c *cobra.Command, args []string) error {
			if err := cobra.NoArgs(c, args); err != nil {
				return withExit(2, err)
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runSchemaEdit(c, g, f) },
	}
	fl := c.Flags()
	fl.StringArrayVar(&f.urls, "url", nil, "database URL, without the password (use PGPASSWORD or ~/.pgpass); repeat for several databases")
	fl.StringArrayVar(&f.databases, "database", nil, "workspace database (INSTANCE/DATABASE, id or bare name; comma separated or repeated): edits its latest snapshot")
	fl.StringVar(&f.ops, "ops", "", "JSON file of edit operations")
	fl.StringVar(&f.design, "design", "", "a design to edit and plan towards: a .sql file (loaded on a scratch server) or a .json model")
	fl.StringVar(&f.scratch, "scratch", "", "with a .sql --design: URL of a server where Tidemark may create scratch databases; default: the sample instance")
	fl.StringVar(&f.format, "format", "sql", "output format: sql or json")
	fl.BoolVar(&f.online, "online", false, "plan for a busy database (concurrent index builds, NOT VALID then VALIDATE, timeouts)")
	fl.BoolVar(&f.createIssue, "create-issue", false, "with --database: create a schema change issue with one task per database, each with its own migration")
	fl.StringVar(&f.project, "project", "", "with --create-issue: the issue's project (name or id); default: the databases' project")
	fl.StringVar(&f.title, "title", "", "with --create-issue: the issue's title (default: \"Alter schema of DB\" and the like)")
	fl.StringVar(&f.description, "description", "", "with --create-issue: the issue's description")
	fl.StringVar(&f.version, "version", "", "with --create-issue: the version the change is recorded under")
	return c
}

func runSchemaEdit(c *cobra.Command, g *globals, f *schemaEditFlags) error {
	var refs []string
	for _, d := range f.databases {
		for _, r := range strings.Split(d, ",") {
			if r = strings.TrimSpace(r); r != "" {
				refs = append(refs, r)
			}
		}
	}
	switch {
	case (f.ops == "" && f.design == "") || (len(f.urls) == 0 && len(refs) == 0):
		return withExit(2, fmt.Errorf("--url and --ops (or --design) are required (or --database instead of --url)\nrun '%s --help' for usage", c.CommandPath()))
	case f.scratch != "" && f.design == "":
		return withExit(2, errors.New("--scratch goes with a .sql --design"))
	case len(f.urls) > 0 && len(refs) > 0:
		return withExit(2, errors.New("give --url or --database, not both"))
	case f.format != "sql" && f.format != "json":
		return withExit(2, fmt.Errorf("--format must be sql or json, not %q", f.format))
	case f.createIssue && len(refs) == 0:
		return withExit(2, errors.New("--create-issue needs --database: an issue targets workspace databases"))
	case !f.createIssue && (f.project != "" || f.title != "" || f.description != "" || f.version != ""):
		return withExit(2, errors.New("--project, --title, --description and --version go with --create-issue"))
	}
	var ops []schemaedit.Op
	if f.ops != "" {
		data, err := os.ReadFile(f.ops)
		if err != nil {
			return withExit(2, fmt.Errorf("read --ops: %w", err))
		}
		if ops, err = schemaedit.DecodeOps(data); err != nil {
			return withExit(2, err)
		}
	}
	ctx := c.Context()
	var design *catalog.Schema
	if f.design != "" {
		d, err := loadDesign(ctx, g, f, c.ErrOrStderr())
		if err != nil {
			return err
		}
		design = d
	}
	opts := diff.Options{Online: f.online}
	if len(refs) > 0 {
		return schemaEditDatabases(c, g, f, refs, design, ops, opts)
	}
	if len(f.urls) == 1 {
		model, _, err := inspectURL(ctx, f.urls[0])
		if err != nil {
			return err
		}
		var e *schemaedit.Editor
		if design != nil {
			e = schemaedit.NewDesign(design, &model)
			for i, op := range ops {
				if err := e.Apply(op); err != nil {
					return fmt.Errorf("operation %d (%s): %w", i+1, op.Op, err)
				}
			}
		} else if e, err = schemaedit.Replay(&model, ops); err != nil {
			return err
		}
		report, err := e.PreviewReport(opts)
		if err != nil {
			return err
		}
		if f.format == "json" {
			return writeJSON(c.OutOrStdout(), report)
		}
		fmt.Fprint(c.OutOrStdout(), report.Plan.SQL())
		return nil
	}
	targets := make([]schemaedit.Target, 0, len(f.urls))
	for _, u := range f.urls {
		model, name, err := inspectURL(ctx, u)
		if err != nil {
			return err
		}
		targets = append(targets, schemaedit.Target{Database: name, Schema: &model})
	}
	var r schemaedit.MultiReport
	var err error
	if design != nil {
		r, err = schemaedit.PlanDesignTargets(ctx, targets, design, ops, opts)
	} else {
		r, err = schemaedit.PlanTargets(ctx, targets, ops, opts)
	}
	if err != nil {
		return err
	}
	return printTargets(c.OutOrStdout(), f.format, r, nil, false)
}

// loadDesign reads --design: a .json model, or a .sql file loaded into a
// scratch database (compare.Comparer.LoadSide, as tidemark diff loads a
// FILE side). A file PostgreSQL rejects, or that cannot be read, exits 2.
func loadDesign(ctx context.Context, g *globals, f *schemaEditFlags, stderr io.Writer) (*catalog.Schema, error) {
	if _, err := os.Stat(f.design); err != nil {
		return nil, withExit(2, fmt.Errorf("read --design: %w", err))
	}
	src := compare.SourceOf(f.design)
	if src.Kind == compare.URL {
		return nil, withExit(2, errors.New("--design is a .sql or .json file, not a database (use --url or --database for the targets)"))
	}
	var srv scratch.Server
	cmp := &compare.Comparer{Scratch: cliScratch(g, f.scratch, stderr, &srv)}
	side, err := cmp.LoadSide(ctx, "design", src, catalog.Options{NoPrivileges: true})
	if err != nil {
		return nil, redactScratch(srv, withExit(2, err))
	}
	return &side.Result.Schema, nil
}

// inspectURL reads the model of the database at url (privileges left out:
// the editor does not edit them) and names it as its URL without password.
func inspectURL(ctx context.Context, url string) (catalog.Schema, string, error) {
	res, label, err := compare.InspectURL(ctx, url, catalog.Options{NoPrivileges: true, NoFingerprint: true})
	if err != nil {
		return catalog.Schema{}, "", urlExit(err)
	}
	return res.Schema, label, nil
}

// urlExit gives a --url that does not parse exit code 2 (a usage error);
// other errors keep theirs.
func urlExit(err error) error {
	var ue *usererr.Error
	if errors.As(err, &ue) && ue.Field == "url" {
		return withExit(2, fmt.Errorf("--url: %w", err))
	}
	return err
}

// schemaEditDatabases plans the edits on workspace databases (their latest
// snapshots) and, with --create-issue, creates the issue when every one
// has a migration.
func schemaEditDatabases(c *cobra.Command, g *globals, f *schemaEditFlags, refs []string, design *catalog.Schema, ops []schemaedit.Op, opts diff.Options) error {
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
	var ids []string
	seen := map[string]bool{}
	for _, ref := range refs {
		d, err := lookupDatabase(ctx, k.ws, ref, "")
		if err != nil {
			return err
		}
		if seen[d.ID] {
			return withExit(2, fmt.Errorf("--database %s is given twice", d.Name))
		}
		seen[d.ID] = true
		ids = append(ids, d.ID)
	}
	model := func(ctx context.Context, id string) (schemaedit.Target, error) {
		d, err := k.ws.GetDatabase(ctx, id)
		if err != nil {
			return schemaedit.Target{}, err
		}
		snap, err := k.syncer.Latest(ctx, id)
		if errors.Is(err, workspace.ErrNotFound) {
			fmt.Fprintf(stderr, "%s was never synced: syncing it\n", d.Name)
			snap, err = k.syncer.Sync(ctx, id, nil)
		}
		if err != nil {
			return schemaedit.Target{Database: d.Name}, err
		}
		return schemaedit.Target{DatabaseID: id, Database: d.Name, Schema: &snap.Schema}, nil
	}
	var r schemaedit.MultiReport
	if design != nil {
		r, err = schemaedit.PlanDesign(ctx, ids, model, design, ops, opts)
	} else {
		r, err = schemaedit.PlanDatabases(ctx, ids, model, ops, opts)
	}
	if err != nil {
		return err
	}
	if !f.createIssue || !r.OK {
		return printTargets(c.OutOrStdout(), f.format, r, nil, f.createIssue)
	}
	per, err := r.PerDatabase()
	if err != nil {
		return err
	}
	req := workflow.CreateRequest{Type: workflow.TypeSchemaChange, Title: f.title, Description: f.description, Version: f.version,
		DatabaseIDs: ids, PerDatabase: per}
	if f.project != "" {
		p, err := findProject(ctx, k.ws, f.project)
		if err != nil {
			return err
		}
		req.ProjectID = p.ID
	}
	if _, err := k.wf.Reconcile(ctx); err != nil {
		return fmt.Errorf("settle interrupted tasks: %w", err)
	}
	is, err := k.wf.Create(ctx, req)
	if err != nil {
		return issueErr(err)
	}
	fmt.Fprintf(stderr, "created issue #%d: %s (%d tasks)\n", is.Number, is.Title, len(is.Tasks))
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
	if err := printTargets(c.OutOrStdout(), f.format, r, &is.Number, false); err != nil {
		return err
	}
	return ranErr
}

// targetsJSON is the JSON of several targets: the report and, with
// --create-issue, the issue created.
type targetsJSON struct {
	schemaedit.MultiReport
	Issue *int `json:"issue,omitempty"`
}

// printTargets prints each target's migration (or its error) and returns
// an exit-1 error naming the targets without one (refused: an issue was
// asked for, and not created).
func printTargets(w io.Writer, format string, r schemaedit.MultiReport, issue *int, refused bool) error {
	if format == "json" {
		if err := writeJSON(w, targetsJSON{MultiReport: r, Issue: issue}); err != nil {
			return err
		}
	} else {
		for i, t := range r.Targets {
			if i > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "-- database: %s\n", t.Database)
			if t.Error != nil {
				fmt.Fprintf(w, "-- no migration: %s\n", oneLineText(t.Error.Message))
				continue
			}
			fmt.Fprint(w, t.SQL)
		}
		if issue != nil {
			fmt.Fprintf(w, "\n-- issue #%d: one task per database (tidemark issue show %d)\n", *issue, *issue)
		}
	}
	if r.OK {
		return nil
	}
	if _, err := r.PerDatabase(); err != nil {
		ue := usererr.From(err)
		if refused {
			ue.Message += "; no issue was created"
		}
		return withExit(1, ue)
	}
	return nil
}

// oneLineText keeps the first line of s.
func oneLineText(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
