package main

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/compare"
)

type dumpFlags struct {
	url          string
	schemas      []string
	exclude      []string
	noPrivileges bool
	format       string
	withTidemark bool
}

// newDumpCmd builds `tidemark dump`: inspect a database and print its schema
// as deterministic DDL (or the model as JSON). Objects the model does not
// cover and schemas that could not be read are warned about on stderr.
func newDumpCmd(_ *globals) *cobra.Command {
	f := &dumpFlags{}
	c := &cobra.Command{
		Use:   "dump --url URL [--schema S]... [--no-privileges] [--format sql|json]",
		Short: "Print a database's schema as deterministic DDL (or its model as JSON)",
		Long: `Print the schema of the database at --url.

The SQL output loads into an empty database and is the same bytes for the same
schema, whatever order its objects were created in. --format json prints the
inspection result (the model, server version, fingerprint and the objects the
model does not cover). Objects Tidemark does not model yet are listed on stderr
as warnings; they are not in the output. Tidemark's own bookkeeping schema
(tidemark, holding migration_history) is left out unless --include-tidemark.

Pass the password with PGPASSWORD or ~/.pgpass, never in --url.`,
		Args: func(c *cobra.Command, args []string) error {
			if err := cobra.NoArgs(c, args); err != nil {
				return withExit(2, err)
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runDump(c, f) },
	}
	c.Flags().StringVar(&f.url, "url", "", "database URL, without the password (use PGPASSWORD or ~/.pgpass)")
	c.Flags().StringArrayVar(&f.schemas, "schema", nil, "only this schema (repeatable)")
	c.Flags().StringArrayVar(&f.exclude, "exclude-schema", nil, "leave this schema out (repeatable)")
	c.Flags().BoolVar(&f.noPrivileges, "no-privileges", false, "leave out owners, GRANT/REVOKE and default privileges")
	c.Flags().StringVar(&f.format, "format", "sql", "output format: sql or json")
	c.Flags().BoolVar(&f.withTidemark, "include-tidemark", false, "include Tidemark's own bookkeeping schema (tidemark: migration_history)")
	return c
}

func runDump(c *cobra.Command, f *dumpFlags) error {
	if f.url == "" {
		return withExit(2, fmt.Errorf("--url is required\nrun '%s --help' for usage", c.CommandPath()))
	}
	if f.format != "sql" && f.format != "json" {
		return withExit(2, fmt.Errorf("--format must be sql or json, not %q", f.format))
	}
	// A dump is one short burst of allocation: collect garbage less often
	// (but stay under a soft memory ceiling) instead of spending CPU on it.
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(256 << 20)
	ctx := c.Context()
	// The SQL form needs no fingerprint; the JSON one carries it.
	res, _, err := compare.InspectURL(ctx, f.url, catalog.Options{Schemas: f.schemas, ExcludeSchemas: f.exclude, NoPrivileges: f.noPrivileges,
		NoFingerprint: f.format != "json", IncludeTidemark: f.withTidemark})
	if err != nil {
		return urlExit(err)
	}
	stderr := c.ErrOrStderr()
	for _, s := range res.Skipped {
		fmt.Fprintf(stderr, "warning: schema %s skipped: %s\n", catalog.QuoteIdent(s.Name), s.Detail)
	}
	if n := len(res.Unsupported); n > 0 {
		fmt.Fprintf(stderr, "warning: %d object(s) of kinds Tidemark does not model are not in the dump:\n", n)
		for _, o := range res.Unsupported {
			name := o.Name
			if o.Schema != "" {
				name = o.Schema + "." + o.Name
			}
			fmt.Fprintf(stderr, "  %s %s (%s)\n", o.Kind, name, strings.TrimSpace(o.Detail))
		}
	}
	out := c.OutOrStdout()
	if f.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	b := catalog.Dump(res.Schema, catalog.DumpOptions{NoPrivileges: f.noPrivileges})
	if _, err := out.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write dump: %w", err)
	}
	return nil
}
