package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/workspace"
)

func newProjectCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "project",
		Short: "Create and list projects (the same workspace as the desktop app)",
	}
	cmd.AddCommand(newProjectCreateCmd(g), newProjectListCmd(g), newProjectRepoCmd(g))
	return cmd
}

// projectJSON is the JSON shape of a project (docs/cli.md).
type projectJSON struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Archived          bool   `json:"archived"`
	DatabaseCount     int    `json:"databaseCount"`
	AllowSelfApproval bool   `json:"allowSelfApproval"`
	CreatedAt         string `json:"createdAt"`
}

func projectOut(p workspace.Project) projectJSON {
	return projectJSON{ID: p.ID, Name: p.Name, Archived: p.Archived, DatabaseCount: p.DatabaseCount,
		AllowSelfApproval: p.AllowSelfApproval, CreatedAt: stampCLI(p.CreatedAt)}
}

func stampCLI(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// findProject finds a project by name (case-insensitive) or id; unknown is
// a usage error (exit 2).
func findProject(ctx context.Context, ws *workspace.Store, ref string) (workspace.Project, error) {
	ref = strings.TrimSpace(ref)
	p, err := ws.GetProjectByName(ctx, ref)
	if err == nil {
		return p, nil
	}
	if !errors.Is(err, workspace.ErrNotFound) {
		return p, err
	}
	if p, err := ws.GetProject(ctx, ref); err == nil {
		return p, nil
	}
	return workspace.Project{}, withExit(2, fmt.Errorf("--project: no project %q (see tidemark project list; create one with tidemark project create NAME)", ref))
}

func newProjectCreateCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "create NAME [--format text|json]",
		Short: "Create a project",
		Long: `Create a project. Names are unique (case-insensitive).
Exit codes: 0 created, 1 a project of that name exists, 2 usage (empty name).`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			p, err := ws.CreateProject(ctx, args[0])
			if errors.Is(err, workspace.ErrInvalid) {
				return withExit(2, err)
			}
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONTo(c.OutOrStdout(), projectOut(p))
			}
			_, err = fmt.Fprintf(c.OutOrStdout(), "created project %s (%s)\nassign databases with: tidemark database assign INSTANCE/DATABASE --project %s\n", p.Name, p.ID, p.Name)
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newProjectListCmd(g *globals) *cobra.Command {
	var format string
	var archived bool
	cmd := &cobra.Command{
		Use:   "list [--archived] [--format text|json]",
		Short: "List the projects with their database counts",
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
			ps, err := ws.ListProjects(ctx, archived)
			if err != nil {
				return err
			}
			if format == "json" {
				out := make([]projectJSON, 0, len(ps))
				for _, p := range ps {
					out = append(out, projectOut(p))
				}
				return writeJSONTo(c.OutOrStdout(), out)
			}
			if len(ps) == 0 {
				_, err := fmt.Fprintln(c.OutOrStdout(), "no projects; create one with: tidemark project create NAME")
				return err
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PROJECT\tDATABASES\tSELF-APPROVAL\tARCHIVED")
			for _, p := range ps {
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", p.Name, p.DatabaseCount, yesNo(p.AllowSelfApproval), yesNo(p.Archived))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&archived, "archived", false, "include archived projects")
	return cmd
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
