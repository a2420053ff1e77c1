package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/erd"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

type diagramFlags struct {
	url      string
	database string
	schemas  []string
	format   string
}

// newSchemaDiagramCmd builds `tidemark schema diagram`, the ER diagram's
// face: the same content as the desktop's Diagram tab (internal/erd), as
// Mermaid text or JSON.
func newSchemaDiagramCmd(g *globals) *cobra.Command {
	f := &diagramFlags{}
	c := &cobra.Command{
		Use:   "diagram (--url URL | --database DB) [--schema S]... [--format mermaid|json]",
		Short: "Print the ER diagram of a database's schema (Mermaid or JSON)",
		Long: `Print the ER diagram of a database: its tables with their columns (PK and FK
marked, types, NOT NULL) and one relationship per foreign key, as the desktop
app's Diagram tab draws it (partitions as their parent). --format mermaid
(default) prints a Mermaid erDiagram for docs and wikis; --format json the
diagram's data (tables, columns, edges with their columns and actions).

--url inspects a live database (password in PGPASSWORD or ~/.pgpass, never
in --url); --database (INSTANCE/DATABASE, id or bare name) uses the workspace
database's latest snapshot, synced first when it was never synced. --schema
(repeatable) limits the diagram to those schemas.

Exit codes: 0 printed; 1 a connection, inspection or sync failure; 2 usage
or an unknown database.`,
		Args: func(c *cobra.Command, args []string) error {
			if err := cobra.NoArgs(c, args); err != nil {
				return withExit(2, err)
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runSchemaDiagram(c, g, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.url, "url", "", "database URL, without the password (use PGPASSWORD or ~/.pgpass)")
	fl.StringVar(&f.database, "database", "", "workspace database (INSTANCE/DATABASE, id or bare name): its latest snapshot")
	fl.StringArrayVar(&f.schemas, "schema", nil, "only this schema (repeatable)")
	fl.StringVar(&f.format, "format", "mermaid", "output format: mermaid or json")
	return c
}

func runSchemaDiagram(c *cobra.Command, g *globals, f *diagramFlags) error {
	switch {
	case (f.url == "") == (f.database == ""):
		return withExit(2, fmt.Errorf("give --url or --database (one of them)\nrun '%s --help' for usage", c.CommandPath()))
	case f.format != "mermaid" && f.format != "json":
		return withExit(2, fmt.Errorf("--format must be mermaid or json, not %q", f.format))
	}
	ctx := c.Context()
	var model catalog.Schema
	if f.url != "" {
		m, _, err := inspectURL(ctx, f.url)
		if err != nil {
			return err
		}
		model = m
	} else {
		k, err := openCore(ctx, g)
		if err != nil {
			return err
		}
		defer k.close()
		d, err := lookupDatabase(ctx, k.ws, f.database, "")
		if err != nil {
			return err
		}
		snap, err := k.syncer.Latest(ctx, d.ID)
		if errors.Is(err, workspace.ErrNotFound) {
			fmt.Fprintf(c.ErrOrStderr(), "%s was never synced: syncing it\n", d.Name)
			snap, err = k.syncer.Sync(ctx, d.ID, nil)
		}
		if err != nil {
			return err
		}
		model = snap.Schema
	}
	d := erd.Build(&model, erd.Options{Schemas: f.schemas})
	if f.format == "json" {
		return writeJSON(c.OutOrStdout(), d)
	}
	fmt.Fprint(c.OutOrStdout(), d.Mermaid())
	return nil
}
