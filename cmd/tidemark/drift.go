package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

type driftFlags struct {
	url, expected, dir, scratch, format string
	schemas                             []string
}

// newDriftCmd builds `tidemark drift`: does a live database still have the
// schema it is expected to have?
func newDriftCmd(g *globals) *cobra.Command {
	f := &driftFlags{}
	c := &cobra.Command{
		Use:   "drift --url URL (--expected FILE | --dir DIR) [--scratch URL] [--format text|json] [--schema S]...",
		Short: "Report schema drift of a live database from its expected schema",
		Long: `Compare the live schema of --url with the schema it is expected to have and
report every object that differs: its kind and name, whether it was added,
dropped or altered out of band, what changed (column added with its type,
default changed from → to, index added, function body changed, privilege
granted, ...), the DDL of both sides, and two migrations: revert (live →
expected) and codify (expected → live).

The expected schema is --expected FILE, either a JSON model (tidemark dump
--format json; no scratch server needed) or a .sql dump, or --dir DIR, what
the migration files in DIR build. A .sql file is loaded, and DIR's files are
applied by the migration runner, in a scratch database (created and dropped)
on the --scratch server or, without --scratch, on the workspace's sample
instance, started when needed. Such an expectation holds no owners or
privileges (its objects belong to the scratch role), so those are not
compared then.

Tidemark's own schema (tidemark) is never compared. Objects the model does
not cover yet are listed as not compared: drift cannot be ruled out for them.

Exit status: 0 no drift, 1 drift (or objects not compared), 2 error.`,
		Args: func(c *cobra.Command, args []string) error {
			if err := cobra.NoArgs(c, args); err != nil {
				return withExit(2, err)
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runDrift(c, g, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.url, "url", "", "the live database URL, without the password (use PGPASSWORD or ~/.pgpass)")
	fl.StringVar(&f.expected, "expected", "", "expected schema: a .json model (tidemark dump --format json) or a .sql dump")
	fl.StringVar(&f.dir, "dir", "", "expected schema: what the migration files in DIR build")
	fl.StringVar(&f.scratch, "scratch", "", "URL of a server where Tidemark may create scratch databases (for .sql and --dir); default: the sample instance")
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	fl.StringArrayVar(&f.schemas, "schema", nil, "only this schema (repeatable)")
	return c
}

func runDrift(c *cobra.Command, g *globals, f *driftFlags) error {
	switch {
	case f.url == "":
		return withExit(2, fmt.Errorf("--url is required\nrun '%s --help' for usage", c.CommandPath()))
	case (f.expected == "") == (f.dir == ""):
		return withExit(2, fmt.Errorf("give one of --expected FILE or --dir DIR\nrun '%s --help' for usage", c.CommandPath()))
	case f.format != "text" && f.format != "json":
		return withExit(2, fmt.Errorf("--format must be text or json, not %q", f.format))
	}
	ctx := c.Context()
	stderr := c.ErrOrStderr()
	var srv scratch.Server
	expected, label, err := f.loadExpected(ctx, g, stderr, &srv)
	if err != nil {
		return redactScratch(srv, err)
	}
	live, liveLabel, err := f.loadLive(ctx)
	if err != nil {
		return err
	}
	rep := drift.Compare(expected, live)
	if !rep.Privileges {
		fmt.Fprintln(stderr, "note: owners and privileges are not compared (the expected schema does not hold them)")
	}
	out := driftOutput{Status: rep.Status, Drift: rep.Drifted(), Expected: label, Live: liveLabel, Report: rep}
	if rep.Drifted() {
		p := drift.Migrations(expected, live)
		out.Revert, out.Codify = p.Revert.SQL(), p.Codify.SQL()
		out.RevertError, out.CodifyError = p.RevertError, p.CodifyError
	}
	if f.format == "json" {
		err = writeJSON(c.OutOrStdout(), out)
	} else {
		err = printDrift(c.OutOrStdout(), &out)
	}
	if err != nil {
		return err
	}
	if rep.Status != drift.StatusNone {
		return withExit(1, nil) // the report says why

	}
	return nil
}

// driftOutput is the JSON shape of `tidemark drift --format json`
// (documented in docs/cli.md).
type driftOutput struct {
	Status   string `json:"status"`
	Drift    bool   `json:"drift"`
	Expected string `json:"expected"`
	Live     string `json:"live"`
	drift.Report
	Revert      string `json:"revert,omitempty"`
	Codify      string `json:"codify,omitempty"`
	RevertError string `json:"revert_error,omitempty"`
	CodifyError string `json:"codify_error,omitempty"`
}

func (f *driftFlags) loadExpected(ctx context.Context, g *globals, stderr io.Writer, srv *scratch.Server) (*catalog.Result, string, error) {
	if f.expected != "" {
		b, err := os.ReadFile(f.expected)
		if err != nil {
			return nil, "", withExit(2, fmt.Errorf("read --expected: %w", err))
		}
		if strings.EqualFold(filepath.Ext(f.expected), ".json") {
			res, err := catalog.DecodeModel(b)
			if err != nil {
				return nil, "", withExit(2, fmt.Errorf("%s: %w", f.expected, err))
			}
			return drift.Scope(res, f.schemas), f.expected, nil
		}
		s, err := f.scratchServer(ctx, g, stderr)
		if err != nil {
			return nil, "", err
		}
		*srv = s
		res, err := drift.LoadSQL(ctx, s.URL, f.expected, string(b), f.schemas)
		if err != nil {
			return nil, "", withExit(2, usererr.Wrap("load "+f.expected+" on "+s.Name+": ", s.Redact(err)))
		}
		return res, f.expected, nil
	}
	mf := &migrateFlags{dir: f.dir, format: f.format}
	ms, err := mf.load(stderr)
	if err != nil {
		return nil, "", err
	}
	s, err := f.scratchServer(ctx, g, stderr)
	if err != nil {
		return nil, "", err
	}
	*srv = s
	res, err := drift.LoadMigrations(ctx, s.URL, ms, f.schemas)
	if err != nil {
		return nil, "", withExit(2, usererr.Wrap("build the schema of "+f.dir+" on "+s.Name+": ", s.Redact(err)))
	}
	return res, f.dir, nil
}

// scratchServer is --scratch, or the sample instance (started when needed).
func (f *driftFlags) scratchServer(ctx context.Context, g *globals, stderr io.Writer) (scratch.Server, error) {
	if f.scratch != "" {
		return scratch.Server{URL: f.scratch, Name: "the --scratch server"}, nil
	}
	s, err := sampleScratch(ctx, g, true, stderr)
	if err != nil {
		return s, withExit(2, fmt.Errorf("the expected schema is built in a scratch database, and the sample instance cannot be used: %w\n"+
			"pass --scratch URL (a server where Tidemark may create and drop databases, e.g. a local PostgreSQL)", err))
	}
	fmt.Fprintln(stderr, "note: using the sample instance as the scratch server (--scratch URL chooses another)")
	return s, nil
}

func (f *driftFlags) loadLive(ctx context.Context) (*catalog.Result, string, error) {
	res, label, err := compare.InspectURL(ctx, f.url, catalog.Options{Schemas: f.schemas})
	if err != nil {
		// drift's exit 1 means drift: every failure to read the database is 2
		return nil, "", withExit(2, err)
	}
	return res, label, nil
}

// printDrift writes the text report.
func printDrift(w io.Writer, out *driftOutput) error {
	var b strings.Builder
	switch out.Status {
	case drift.StatusNone:
		fmt.Fprintf(&b, "No drift: %s has the schema of %s.\n", out.Live, out.Expected)
	case drift.StatusNotCompared:
		fmt.Fprintf(&b, "No drift among the objects compared, but %d not compared: drift cannot be ruled out.\n", len(out.NotCompared))
	default:
		fmt.Fprintf(&b, "Drift: %d object(s) of %s differ from %s.\n", len(out.Objects), out.Live, out.Expected)
	}
	for _, o := range out.Objects {
		fmt.Fprintf(&b, "\n%s %s %s\n", o.Action, strings.ReplaceAll(o.Kind, "_", " "), o.QualifiedName())
		for _, ch := range o.Changes {
			switch {
			case ch.Property == "definition" && strings.Contains(ch.From+ch.To, "\n"):
				fmt.Fprintf(&b, "  definition %s\n", ch.Action)
			case ch.Action == drift.Added:
				fmt.Fprintf(&b, "  %s added: %s\n", ch.Property, oneLineDesc(ch.To))
			case ch.Action == drift.Dropped:
				fmt.Fprintf(&b, "  %s dropped: %s\n", ch.Property, oneLineDesc(ch.From))
			default:
				fmt.Fprintf(&b, "  %s changed: %s → %s\n", ch.Property, oneLineDesc(ch.From), oneLineDesc(ch.To))
			}
		}
		fmt.Fprintf(&b, "  expected:\n%s  live:\n%s", indent(o.ExpectedDDL), indent(o.LiveDDL))
	}
	for _, n := range out.NotCompared {
		name := n.Name
		if n.Schema != "" {
			name = n.Schema + "." + n.Name
		}
		where := map[string]string{"both": "on both sides", "live": "in the live database", "expected": "in the expected schema"}[n.Side]
		fmt.Fprintf(&b, "\nnot compared (not modelled yet): %s %s, %s", n.Kind, name, where)
		if d := strings.TrimSpace(n.Detail); d != "" {
			fmt.Fprintf(&b, ": %s", d)
		}
	}
	if len(out.NotCompared) > 0 {
		b.WriteByte('\n')
	}
	if out.Drift {
		b.WriteString("\n-- Revert: turns the live database back into the expected schema\n")
		writePlan(&b, out.Revert, out.RevertError)
		b.WriteString("\n-- Codify: the migration that makes the live schema the expected one\n")
		writePlan(&b, out.Codify, out.CodifyError)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writePlan(b *strings.Builder, sql, refused string) {
	if refused != "" {
		fmt.Fprintf(b, "-- cannot be planned: %s\n", oneLineDesc(refused))
		return
	}
	b.WriteString(sql)
}

func indent(s string) string {
	if s == "" {
		return "    (none)\n"
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return "    " + strings.Join(lines, "\n    ") + "\n"
}
