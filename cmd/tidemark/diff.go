package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
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
or ~/.pgpass), a .sql FILE, or a .json model (tidemark dump --format json). A FILE is loaded into a scratch database
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

func runDiff(c *cobra.Command, g *globals, f *diffFlags) error {
	if f.from == "" || f.to == "" {
		return withExit(2, fmt.Errorf("--from and --to are required\nrun '%s --help' for usage", c.CommandPath()))
	}
	if f.format != "sql" && f.format != "json" {
		return withExit(2, fmt.Errorf("--format must be sql or json, not %q", f.format))
	}
	from, to := compare.SourceOf(f.from), compare.SourceOf(f.to)
	for _, s := range []compare.Source{from, to} {
		if s.Path != "" {
			if _, err := os.Stat(s.Path); err != nil {
				return withExit(2, fmt.Errorf("read %s: %w", s.Path, err))
			}
		}
	}
	ctx := c.Context()
	stderr := c.ErrOrStderr()
	var srv scratch.Server
	cmp := &compare.Comparer{Scratch: cliScratch(g, f.scratch, stderr, &srv)}
	res, err := cmp.Compare(ctx, compare.Request{From: from, To: to, Online: f.online, Privileges: !f.noPrivileges,
		Schemas: f.schemas, ExcludeSchemas: f.exclude, NoValidate: f.noValidate}, nil)
	if err != nil {
		var le *scratch.LoadError
		var ue *usererr.Error
		if errors.As(err, &le) || (errors.As(err, &ue) && (ue.Field == "url" || ue.Field == "source" || ue.Field == "target")) {
			return redactScratch(srv, withExit(2, err))
		}
		return redactScratch(srv, err)
	}
	return redactScratch(srv, printDiff(c, f, res))
}

// printDiff writes the comparison's outcome: warnings and notes on stderr,
// the migration (or the refusal) on stdout.
func printDiff(c *cobra.Command, f *diffFlags, res *compare.Result) error {
	stderr := c.ErrOrStderr()
	for _, n := range res.Notes {
		fmt.Fprintln(stderr, "note:", n)
	}
	for _, u := range res.Plan.Unsupported {
		name := u.Name
		if u.Schema != "" {
			name = u.Schema + "." + u.Name
		}
		fmt.Fprintf(stderr, "warning: %s side: %s %s is not modelled and not compared (%s)\n", u.Side, u.Kind, name, strings.TrimSpace(u.Detail))
	}
	if res.Validation.Status == compare.Refused {
		return withExit(1, &diff.RefusalError{Refusals: res.Validation.Refusals})
	}
	for _, w := range res.Plan.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if res.Validation.Status != compare.Validated && !f.noValidate {
		fmt.Fprintln(stderr, "note: the plan was not validated:", res.Validation.Reason)
	}
	out := c.OutOrStdout()
	if f.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			From string `json:"from"`
			To   string `json:"to"`
			diff.Plan
		}{res.From.Label, res.To.Label, res.Plan})
	}
	fmt.Fprintf(out, "-- Migration by Tidemark from %s to %s\n", oneLineDesc(res.From.Label), oneLineDesc(res.To.Label))
	if res.Plan.Validated {
		fmt.Fprintln(out, "-- Validated: applied to a scratch copy of the source, it reproduces the target.")
	} else {
		fmt.Fprintln(out, "-- Not validated.")
	}
	fmt.Fprintln(out)
	_, err := fmt.Fprint(out, res.Plan.SQL())
	return err
}

func oneLineDesc(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// cliScratch is the scratch server of a command with a --scratch flag: that
// URL, else the sample instance (started when a .sql FILE must be loaded,
// used for validation only when already running). The server chosen is
// kept in *chosen, for redacting errors.
func cliScratch(g *globals, scratchURL string, stderr io.Writer, chosen *scratch.Server) compare.ScratchFunc {
	return func(ctx context.Context, needed bool) (scratch.Server, error) {
		if scratchURL != "" {
			*chosen = scratch.Server{URL: scratchURL, Name: "the --scratch server"}
			return *chosen, nil
		}
		s, err := sampleScratch(ctx, g, needed, stderr)
		switch {
		case err == nil:
			*chosen = s
			fmt.Fprintln(stderr, "note: using the sample instance as the scratch server (--scratch URL chooses another)")
		case needed:
			return s, withExit(2, fmt.Errorf("a .sql FILE is loaded into a scratch database, and the sample instance cannot be used: %w\n"+
				"pass --scratch URL (a server where Tidemark may create and drop databases, e.g. a local PostgreSQL)", err))
		case errors.Is(err, errSampleStopped):
			err = errors.New("no scratch server: pass --scratch URL (or start the sample instance) to apply it to a scratch copy first")
		default:
			fmt.Fprintln(stderr, "note: the sample instance cannot validate the plan:", err)
		}
		return s, err
	}
}
