package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// migrateFlags are shared by the migrate subcommands.
type migrateFlags struct {
	url, dir, format        string
	database, env, template string
	lockWait                time.Duration
}

func (f *migrateFlags) register(c *cobra.Command, withDir bool) {
	c.Flags().StringVar(&f.url, "url", "", "target database URL, without the password (use PGPASSWORD or ~/.pgpass)")
	if withDir {
		c.Flags().StringVar(&f.dir, "dir", "", "directory of migration files")
		c.Flags().StringVar(&f.database, "database", "", "only template-named files for this {{DB_NAME}}")
		c.Flags().StringVar(&f.env, "env", "", "only template-named files for this {{ENV_ID}} (or environment directory)")
		c.Flags().StringVar(&f.template, "template", "", "file name template (default "+migrate.DefaultTemplate+")")
	}
	c.Flags().StringVar(&f.format, "format", "text", "output format: text or json")
	c.Flags().DurationVar(&f.lockWait, "lock-wait", 2*time.Minute, "how long to wait for another runner's migration lock")
}

func (f *migrateFlags) check(needDir bool) error {
	var missing []string
	if f.url == "" {
		missing = append(missing, "--url")
	}
	if needDir && f.dir == "" {
		missing = append(missing, "--dir")
	}
	if len(missing) > 0 {
		return withExit(2, fmt.Errorf("missing %s", strings.Join(missing, " and ")))
	}
	if f.format != "text" && f.format != "json" {
		return withExit(2, fmt.Errorf("--format %q: want text or json", f.format))
	}
	return nil
}

// prepare is what status and apply share: required flags, the directory's
// migrations, and a runner for --url.
func (f *migrateFlags) prepare(stderr io.Writer) ([]migrate.Migration, *migrate.Runner, error) {
	if err := f.check(true); err != nil {
		return nil, nil, err
	}
	ms, err := f.load(stderr)
	if err != nil {
		return nil, nil, err
	}
	r, err := f.runner()
	if err != nil {
		return nil, nil, err
	}
	return ms, r, nil
}

func (f *migrateFlags) runner() (*migrate.Runner, error) {
	r, err := migrate.NewRunner(f.url, migrate.Options{LockWait: f.lockWait})
	if err != nil {
		return nil, withExit(2, err)
	}
	return r, nil
}

// load reads the migration directory; naming, parse and duplicate problems exit 2.
func (f *migrateFlags) load(stderr io.Writer) ([]migrate.Migration, error) {
	st, err := os.Stat(f.dir)
	if err != nil || !st.IsDir() {
		return nil, withExit(2, fmt.Errorf("--dir %s: not a readable directory", f.dir))
	}
	ms, err := migrate.LoadDir(os.DirFS(f.dir), migrate.LoadOptions{
		Template: f.template, DBName: f.database, EnvID: f.env,
		OnIgnored: func(path, reason string) {
			if f.format == "text" {
				fmt.Fprintf(stderr, "note: %s: %s\n", path, reason)
			}
		},
	})
	if err != nil {
		return nil, withExit(2, fmt.Errorf("%s:\n%w", f.dir, err))
	}
	if len(ms) == 0 {
		fmt.Fprintf(stderr, "note: no migration files found in %s\n", f.dir)
	}
	return ms, nil
}

func newMigrateCmd(g *globals) *cobra.Command {
	_ = g
	c := &cobra.Command{
		Use:   "migrate",
		Short: "Apply migration files to a database and keep its change history",
		Long: `Apply migration files to a PostgreSQL database, keeping the history in its
tidemark.migration_history table. Exit codes: 0 success, 1 failure or refusal,
2 usage error or a migration file that cannot be read or parsed.

Pass the password with PGPASSWORD or ~/.pgpass, never in --url.`,
	}
	c.AddCommand(newMigrateStatusCmd(), newMigrateApplyCmd(), newMigrateBaselineCmd(), newMigrateResolveCmd(), newMigrateHistoryCmd())
	return c
}

func newMigrateStatusCmd() *cobra.Command {
	f := &migrateFlags{}
	c := &cobra.Command{
		Use:   "status --url URL --dir DIR",
		Short: "List every file as applied, pending, modified, out-of-order or failed",
		Long: `List every migration file with its state: applied, pending, modified (changed
after it was applied), out-of-order (lower than the highest applied version),
failed (a unit stopped partway and needs 'migrate resolve'), and history rows
without a file (no-file). Exit code 1 when any file is modified, out-of-order
or failed.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ms, r, err := f.prepare(c.ErrOrStderr())
			if err != nil {
				return err
			}
			rep, err := r.Status(c.Context(), ms)
			if err != nil {
				return withExit(1, err)
			}
			for i := range rep.Files {
				if l := rep.Files[i].Last; l != nil {
					cp := *l
					cp.Statement = "" // the SQL is in the file; keep status output small
					rep.Files[i].Last = &cp
				}
			}
			if f.format == "json" {
				if err := writeJSON(c.OutOrStdout(), rep); err != nil {
					return err
				}
			} else {
				tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "VERSION\tSTATE\tTYPE\tFILE\tNOTE")
				for _, fs := range rep.Files {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", fs.Version, fs.State, fs.Type, orDash(fs.Path), fs.Note)
				}
				tw.Flush()
				fmt.Fprintf(c.OutOrStdout(), "%d applied, %d pending, %d modified, %d out-of-order, %d failed\n",
					rep.Count(migrate.StateApplied), rep.Count(migrate.StatePending), rep.Count(migrate.StateModified),
					rep.Count(migrate.StateOutOfOrder), rep.Count(migrate.StateFailed))
			}
			if n := rep.Count(migrate.StateModified) + rep.Count(migrate.StateOutOfOrder) + rep.Count(migrate.StateFailed); n > 0 {
				return withExit(1, fmt.Errorf("%d file(s) need attention (modified, out-of-order or failed)", n))
			}
			return nil
		},
	}
	f.register(c, true)
	return c
}

// applyOutput is the JSON shape of `migrate apply --format json`.
type applyOutput struct {
	Applied   []migrate.Applied    `json:"applied"`
	DryRun    bool                 `json:"dryRun"`
	NotDryRun []migrate.DryRunSkip `json:"notDryRun"`
	Error     *errorOutput         `json:"error"`
}

type errorOutput struct {
	Message  string           `json:"message"`
	SQLState string           `json:"sqlState,omitempty"`
	Failed   *migrate.Failure `json:"failed,omitempty"`
}

func newMigrateApplyCmd() *cobra.Command {
	f := &migrateFlags{}
	var (
		dryRun, outOfOrder, quiet bool
		opts                      migrate.ApplyOptions
	)
	c := &cobra.Command{
		Use:   "apply --url URL --dir DIR",
		Short: "Apply pending migrations in version order",
		Long: `Apply every pending migration in version order under the migration lock.
Progress lines go to stderr. Ctrl-C cancels the running statement: a
transactional unit rolls back; a statement-by-statement unit is recorded as
failed at that statement and must be resolved.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ms, r, err := f.prepare(c.ErrOrStderr())
			if err != nil {
				return err
			}
			opts.DryRun, opts.AllowOutOfOrder = dryRun, outOfOrder
			if !quiet {
				stderr := c.ErrOrStderr()
				opts.Progress = func(p migrate.Progress) {
					if p.Event != migrate.EventStatementRan { // one line per unit, not per statement
						fmt.Fprintln(stderr, p.String())
					}
				}
			}
			if err := opts.Validate(); err != nil {
				return withExit(2, err)
			}
			res, runErr := r.Apply(c.Context(), ms, opts)
			if res == nil {
				res = &migrate.Result{DryRun: dryRun}
			}
			out := applyOutput{Applied: res.Applied, DryRun: res.DryRun, NotDryRun: res.NotDryRun}
			if out.Applied == nil {
				out.Applied = []migrate.Applied{}
			}
			if out.NotDryRun == nil {
				out.NotDryRun = []migrate.DryRunSkip{}
			}
			if runErr != nil {
				out.Error = &errorOutput{Message: runErr.Error()}
				out.Error.SQLState = usererr.From(runErr).SQLState
				var re *migrate.RunError
				if errors.As(runErr, &re) {
					out.Error.Failed = re.Failed
					if len(re.Applied) > len(out.Applied) {
						out.Applied = re.Applied
					}
				}
			}
			if f.format == "json" {
				if err := writeJSON(c.OutOrStdout(), out); err != nil {
					return err
				}
			} else {
				verb := "applied"
				if res.DryRun {
					verb = "dry run: would apply"
				}
				fmt.Fprintf(c.OutOrStdout(), "%s %d migration(s)\n", verb, len(out.Applied))
				for _, s := range out.NotDryRun {
					fmt.Fprintf(c.OutOrStdout(), "not dry-run: %s (%s)\n", s.Path, s.Reason)
				}
			}
			if runErr != nil {
				return withExit(1, runErr)
			}
			return nil
		},
	}
	f.register(c, true)
	c.Flags().BoolVar(&dryRun, "dry-run", false, "run everything in one transaction that is rolled back; list units that cannot be dry-run")
	c.Flags().BoolVar(&outOfOrder, "allow-out-of-order", false, "apply pending versions lower than the highest applied one")
	c.Flags().BoolVar(&quiet, "quiet", false, "no progress lines on stderr")
	c.Flags().DurationVar(&opts.LockTimeout, "lock-timeout", 10*time.Second, "lock_timeout for every statement")
	c.Flags().DurationVar(&opts.StatementTimeout, "statement-timeout", 30*time.Minute, "statement_timeout for every statement")
	c.Flags().IntVar(&opts.MaxAttempts, "max-attempts", 4, "attempts of a unit rolled back by a lock timeout, deadlock or serialization failure")
	return c
}

func newMigrateBaselineCmd() *cobra.Command {
	f := &migrateFlags{}
	var opts migrate.BaselineOptions
	c := &cobra.Command{
		Use:   "baseline --url URL --version V",
		Short: "Mark an existing database as being at version V without running anything",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := f.check(false); err != nil {
				return err
			}
			if err := opts.Validate(); err != nil {
				return withExit(2, err)
			}
			r, err := f.runner()
			if err != nil {
				return err
			}
			if err := r.Baseline(c.Context(), opts); err != nil {
				return withExit(1, err)
			}
			if f.format == "json" {
				return writeJSON(c.OutOrStdout(), map[string]string{"baseline": opts.Version})
			}
			fmt.Fprintf(c.OutOrStdout(), "baselined at version %s: files at or below it count as applied\n", opts.Version)
			return nil
		},
	}
	f.register(c, false)
	c.Flags().StringVar(&opts.Version, "version", "", "the version the database is already at")
	c.Flags().StringVar(&opts.Description, "description", "", "recorded with the baseline")
	c.Flags().StringVar(&f.dir, "dir", "", "accepted for symmetry with the other subcommands; not used")
	return c
}

func newMigrateResolveCmd() *cobra.Command {
	f := &migrateFlags{}
	var opts migrate.ResolveOptions
	c := &cobra.Command{
		Use:   "resolve --url URL --version V --as retry|done|rolled-back",
		Short: "Record a decision about a unit that stopped partway, so runs can continue",
		Long: `Record what to do with a statement-by-statement unit that stopped partway
(status shows it as failed). --as retry runs it again from the statement that
did not finish (dropping an INVALID index left by a failed concurrent build
first); --as done records it as applied (you finished it by hand); --as
rolled-back runs it again from the start (you undid what ran by hand).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := f.check(false); err != nil {
				return err
			}
			if err := opts.Validate(); err != nil {
				return withExit(2, err)
			}
			r, err := f.runner()
			if err != nil {
				return err
			}
			row, err := r.Resolve(c.Context(), opts)
			if err != nil {
				return withExit(1, err)
			}
			if f.format == "json" {
				cp := *row
				cp.Statement = ""
				return writeJSON(c.OutOrStdout(), cp)
			}
			fmt.Fprintf(c.OutOrStdout(), "version %s resolved as %s (%d of %d statements had been applied)\n",
				row.Version, row.ResolvedAs, row.StatementsApplied, row.StatementsTotal)
			return nil
		},
	}
	f.register(c, false)
	c.Flags().StringVar(&opts.Version, "version", "", "version of the unit to resolve")
	c.Flags().StringVar(&opts.As, "as", "", "retry, done or rolled-back")
	c.Flags().StringVar(&opts.Note, "note", "", "recorded with the resolution")
	c.Flags().StringVar(&f.dir, "dir", "", "accepted for symmetry with the other subcommands; not used")
	return c
}

func newMigrateHistoryCmd() *cobra.Command {
	f := &migrateFlags{}
	c := &cobra.Command{
		Use:   "history --url URL",
		Short: "Show every attempt recorded in the database's history table",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := f.check(false); err != nil {
				return err
			}
			r, err := f.runner()
			if err != nil {
				return err
			}
			rows, err := r.History(c.Context())
			if err != nil {
				return withExit(1, err)
			}
			if rows == nil {
				rows = []migrate.HistoryRow{}
			}
			if f.format == "json" {
				return writeJSON(c.OutOrStdout(), rows)
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tSTATUS\tTYPE\tSOURCE\tSTATEMENTS\tAPPLIED BY\tSTARTED\tDURATION\tFILE")
			for _, h := range rows {
				status := h.Status
				if h.ResolvedAs != "" {
					status += " (resolved " + h.ResolvedAs + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\t%s\t%s\t%s\n", h.Version, status, h.Type, h.Source, h.StatementsApplied, h.StatementsTotal,
					h.AppliedBy, h.StartedAt.Format(time.RFC3339), (time.Duration(h.DurationMS) * time.Millisecond).String(), orDash(h.Path))
			}
			return tw.Flush()
		},
	}
	f.register(c, false)
	return c
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
