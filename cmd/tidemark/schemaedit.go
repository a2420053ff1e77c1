package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
)

type schemaEditFlags struct {
	url    string
	ops    string
	format string
	online bool
}

// newSchemaCmd builds `tidemark schema`, the schema editor's face.
func newSchemaCmd(_ *globals) *cobra.Command {
	c := &cobra.Command{Use: "schema", Short: "Edit a database's schema as a model and preview the migration"}
	c.AddCommand(newSchemaEditCmd())
	return c
}

func newSchemaEditCmd() *cobra.Command {
	f := &schemaEditFlags{}
	c := &cobra.Command{
		Use:   "edit --url URL --ops FILE.json [--format sql|json] [--online]",
		Short: "Apply edit operations to a database's schema model and print the migration",
		Long: `Inspect the database at --url, apply the edit operations of --ops (a JSON array,
see docs/schema-editor.md) to a copy of its model, validate the result and print
the migration that turns the database into the edited model. Renamed objects are
renamed (ALTER ... RENAME), never dropped and created again. Nothing is applied.

Pass the password with PGPASSWORD or ~/.pgpass, never in --url.`,
		Args: func(c *cobra.Command, args []string) error {
			if err := cobra.NoArgs(c, args); err != nil {
				return withExit(2, err)
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runSchemaEdit(c, f) },
	}
	c.Flags().StringVar(&f.url, "url", "", "database URL, without the password (use PGPASSWORD or ~/.pgpass)")
	c.Flags().StringVar(&f.ops, "ops", "", "JSON file of edit operations")
	c.Flags().StringVar(&f.format, "format", "sql", "output format: sql or json")
	c.Flags().BoolVar(&f.online, "online", false, "plan for a busy database (concurrent index builds, NOT VALID then VALIDATE, timeouts)")
	return c
}

func runSchemaEdit(c *cobra.Command, f *schemaEditFlags) error {
	if f.url == "" || f.ops == "" {
		return withExit(2, fmt.Errorf("--url and --ops are required\nrun '%s --help' for usage", c.CommandPath()))
	}
	if f.format != "sql" && f.format != "json" {
		return withExit(2, fmt.Errorf("--format must be sql or json, not %q", f.format))
	}
	data, err := os.ReadFile(f.ops)
	if err != nil {
		return withExit(2, fmt.Errorf("read --ops: %w", err))
	}
	ops, err := schemaedit.DecodeOps(data)
	if err != nil {
		return withExit(2, err)
	}
	cfg, ci, err := pg.ParseConnString(f.url)
	if err != nil {
		return withExit(2, fmt.Errorf("parse --url: %w", err))
	}
	ctx := c.Context()
	conn, err := pg.Connect(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", ci.URL(), err)
	}
	defer conn.Close(ctx)
	res, err := catalog.Inspect(ctx, conn, catalog.Options{NoPrivileges: true, NoFingerprint: true})
	if err != nil {
		return fmt.Errorf("inspect %s: %w", ci.URL(), err)
	}
	e, err := schemaedit.Replay(&res.Schema, ops)
	if err != nil {
		return err
	}
	report, err := e.PreviewReport(diff.Options{Online: f.online})
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(c.OutOrStdout(), report)
	}
	fmt.Fprint(c.OutOrStdout(), report.Plan.SQL())
	return nil
}
