package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/scratch"
)

type diffFlags struct {
	from, to     string
	online       bool
	noPrivileges bool
	format       string
	scratch      string
	noValidate   bool
	schemas      []string
	exclude      []string
}

// newDiffCmd builds `tidemark diff`: the migration that turns one schema
// (database or .sql file) into another.
func newDiffCmd(g *globals) *cobra.Command {
	f := &diffFlags{}
	c := &cobra.Command{
		Use:   "diff --from URL|FILE --to URL|FILE [--online] [--no-privileges] [--format sql|json] [--scratch URL]",
		Short: "Print the migration that turns one schema into another",
		Long: `Compare two schemas and print the ordered DDL that turns --from into --to.

Each side is a database URL (postgres://user@host/db, password in PGPASSWORD
or ~/.pgpass) or a .sql FILE. A FILE is loaded into a scratch database
(Tidemark creates and drops a database there) on the --scratch server, or,
without --scratch, on the workspace's sample instance, which is created or
started for it when needed.

The plan is validated on the same scratch server (--scratch, or the sample
instance when it is running or was started for a FILE): Tidemark loads --from
into a scratch database, applies the plan, and refuses it (exit 1, naming the
objects) if the result differs from --to. --no-validate skips that.

--format sql prints the script with each statement's hazards as comments;
--format json prints the plan (statements with hazards, transactional flag
and timeouts). --online plans CONCURRENTLY / NOT VALID + VALIDATE steps with
lock_timeout and statement_timeout before every statement.`,
		Args: func(c *cobra.Command, args []string) error {
			if err := cobra.NoArgs(c, args); err != nil {
				return withExit(2, err)
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runDiff(c, g, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.from, "from", "", "source schema: database URL or .sql file")
	fl.StringVar(&f.to, "to", "", "target schema: database URL or .sql file")
	fl.BoolVar(&f.online, "online", false, "plan for a live database (CONCURRENTLY, NOT VALID + VALIDATE, timeouts)")
	fl.BoolVar(&f.noPrivileges, "no-privileges", false, "leave owners, GRANT/REVOKE and default privileges out of the comparison")
	fl.StringVar(&f.format, "format", "sql", "output format: sql or json")
	fl.StringVar(&f.scratch, "scratch", "", "URL of a server where Tidemark may create scratch databases (loads FILEs, validates the plan); default: the sample instance")
	fl.BoolVar(&f.noValidate, "no-validate", false, "do not validate the plan on a scratch database")
	fl.StringArrayVar(&f.schemas, "schema", nil, "only this schema (repeatable)")
	fl.StringArrayVar(&f.exclude, "exclude-schema", nil, "leave this schema out (repeatable)")
	return c
}

// isURL tells a database URL or key=value DSN from a file path.
func isURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") || strings.Contains(s, "=")
}

// diffSide is one side of the comparison, inspected.
type diffSide struct {
	desc string
	res  *catalog.Result
}

func runDiff(c *cobra.Command, g *globals, f *diffFlags) error {
	if f.from == "" || f.to == "" {
		return withExit(2, fmt.Errorf("--from and --to are required\nrun '%s --help' for usage", c.CommandPath()))
	}
	if f.format != "sql" && f.format != "json" {
		return withExit(2, fmt.Errorf("--format must be sql or json, not %q", f.format))
	}
	fileUsed := !isURL(f.from) || !isURL(f.to)
	for _, p := range []string{f.from, f.to} {
		if !isURL(p) {
			if _, err := os.Stat(p); err != nil {
				return withExit(2, fmt.Errorf("read %s: %w", p, err))
			}
		}
	}
	ctx := c.Context()
	stderr := c.ErrOrStderr()
	srv := scratch.Server{URL: f.scratch, Name: "the --scratch server"}
	if f.scratch == "" && (fileUsed || !f.noValidate) {
		// The sample instance is the default scratch server: started when a
		// FILE must be loaded, used for validation only when already running.
		s, err := sampleScratch(ctx, g, fileUsed, stderr)
		switch {
		case err == nil:
			srv = s
			fmt.Fprintln(stderr, "note: using the sample instance as the scratch server (--scratch URL chooses another)")
		case fileUsed:
			return withExit(2, fmt.Errorf("a .sql FILE side is loaded into a scratch database, and the sample instance cannot be used: %w\n"+
				"pass --scratch URL (a server where Tidemark may create and drop databases, e.g. a local PostgreSQL)", err))
		case !errors.Is(err, errSampleStopped):
			fmt.Fprintln(stderr, "note: the sample instance cannot validate the plan:", err)
		}
	}
	err := runDiffOn(c, f, srv, fileUsed)
	return redactScratch(srv, err)
}

// runDiffOn compares the two sides, loading FILEs into and validating on srv
// (when its url is set).
func runDiffOn(c *cobra.Command, f *diffFlags, srv scratch.Server, fileUsed bool) error {
	ctx := c.Context()
	stderr := c.ErrOrStderr()
	iopts := catalog.Options{Schemas: f.schemas, ExcludeSchemas: f.exclude, NoPrivileges: f.noPrivileges}
	if fileUsed && !f.noPrivileges {
		// Objects loaded from a file belong to the scratch role: owners
		// would always differ.
		iopts.NoPrivileges = true
		fmt.Fprintln(stderr, "note: a FILE side is compared without owners and privileges (its objects belong to the scratch role)")
	}
	from, err := loadSide(ctx, f.from, srv, iopts)
	if err != nil {
		return err
	}
	to, err := loadSide(ctx, f.to, srv, iopts)
	if err != nil {
		return err
	}
	opts := diff.Options{Online: f.online, NoPrivileges: iopts.NoPrivileges, Scratch: srv.URL, Inspect: iopts}
	if f.noValidate {
		opts = opts.WithoutValidation()
	}
	plan, err := diff.ComputeResults(ctx, from.res, to.res, opts)
	for _, u := range plan.Unsupported {
		name := u.Name
		if u.Schema != "" {
			name = u.Schema + "." + u.Name
		}
		fmt.Fprintf(stderr, "warning: %s side: %s %s is not modelled and not compared (%s)\n", u.Side, u.Kind, name, strings.TrimSpace(u.Detail))
	}
	if err != nil {
		var re *diff.RefusalError
		if errors.As(err, &re) {
			return withExit(1, err)
		}
		return err
	}
	for _, w := range plan.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if !plan.Validated && !f.noValidate {
		fmt.Fprintln(stderr, "note: the plan was not validated; pass --scratch URL (or start the sample instance) to apply it to a scratch copy first")
	}
	out := c.OutOrStdout()
	if f.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			From string `json:"from"`
			To   string `json:"to"`
			diff.Plan
		}{from.desc, to.desc, plan})
	}
	fmt.Fprintf(out, "-- Migration by Tidemark from %s to %s\n", oneLineDesc(from.desc), oneLineDesc(to.desc))
	if plan.Validated {
		fmt.Fprintln(out, "-- Validated: applied to a scratch copy of the source, it reproduces the target.")
	} else {
		fmt.Fprintln(out, "-- Not validated.")
	}
	fmt.Fprintln(out)
	_, err = fmt.Fprint(out, plan.SQL())
	return err
}

func oneLineDesc(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// loadSide inspects a database URL, or loads a FILE into a scratch database
// and inspects that.
func loadSide(ctx context.Context, src string, srv scratch.Server, opts catalog.Options) (*diffSide, error) {
	if isURL(src) {
		res, desc, err := inspectURL(ctx, src, opts)
		if err != nil {
			return nil, err
		}
		return &diffSide{desc: desc, res: res}, nil
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return nil, withExit(2, fmt.Errorf("read %s: %w", src, err))
	}
	db, err := scratch.Create(ctx, srv.URL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", srv.Describe(), err)
	}
	defer db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; named in the error path below
	if err := db.Load(ctx, src, string(b)); err != nil {
		var le *scratch.LoadError
		if errors.As(err, &le) {
			return nil, withExit(2, err)
		}
		return nil, err
	}
	res, _, err := inspectURL(ctx, db.URL, opts)
	if err != nil {
		return nil, err
	}
	return &diffSide{desc: src, res: res}, nil
}

func inspectURL(ctx context.Context, u string, opts catalog.Options) (*catalog.Result, string, error) {
	cfg, ci, err := pg.ParseConnString(u)
	if err != nil {
		return nil, "", withExit(2, fmt.Errorf("parse URL: %w", err)) // pgconn redacts the password
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, "", fmt.Errorf("connect to %s: %w", ci.URL(), pg.Convert(err, ci))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res, err := catalog.Inspect(ctx, conn, opts)
	if err != nil {
		return nil, "", fmt.Errorf("inspect %s: %w", ci.URL(), pg.Convert(err, ci))
	}
	return res, ci.URL(), nil
}
