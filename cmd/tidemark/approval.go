package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/risk"
	"github.com/tidemark-dev/tidemark/internal/workflow"
)

func newApprovalCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "approval",
		Short: "Approval templates and the rules that pick them by source and risk level",
	}
	cmd.AddCommand(newApprovalListCmd(g))
	return cmd
}

// approvalListJSON is the JSON shape of `approval list` (docs/cli.md).
type approvalListJSON struct {
	Templates []risk.Template     `json:"templates"`
	Rules     []risk.ApprovalRule `json:"rules"`
}

func newApprovalListCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list [--format text|json]",
		Short: "List the approval templates, the special cases and the matrix of source × risk level",
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
			tpls, err := ws.ListApprovalTemplates(ctx)
			if err != nil {
				return err
			}
			rules, err := ws.ListApprovalRules(ctx)
			if err != nil {
				return err
			}
			w := c.OutOrStdout()
			if format == "json" {
				return writeJSONTo(w, approvalListJSON{Templates: tpls, Rules: rules})
			}
			title := map[string]string{"": "no approval"}
			fmt.Fprintln(w, "templates:")
			for _, t := range tpls {
				title[t.ID] = t.Title
				var steps []string
				for _, s := range t.Steps {
					steps = append(steps, s.StepTitle())
				}
				fmt.Fprintf(w, "  %-18s %s\n", t.ID, strings.Join(steps, " → "))
			}
			name := func(id string) string {
				if t, ok := title[id]; ok {
					return t
				}
				return id + " (missing)"
			}
			fmt.Fprintln(w, "\nrules (first match wins):")
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "  #\tSOURCE\tLEVEL\tCONDITION\tFLOW")
			any := func(s string) string {
				if s == "" {
					return "any"
				}
				return s
			}
			for i, r := range rules {
				fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\n", i+1, any(string(r.Source)), any(string(r.Level)), any(r.Condition), name(r.TemplateID))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(rules) == 0 {
				fmt.Fprintln(w, "  (none: every change skips approval)")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// writeRisk prints an issue's risk and the rules that matched.
func writeRisk(w io.Writer, a workflow.Approval) {
	if a.Risk == "" {
		return
	}
	fmt.Fprintf(w, "risk: %s\n", a.Risk)
	for _, m := range a.Matched {
		fmt.Fprintf(w, "  %s: %s\n", m.Level, m.Title)
	}
	for _, e := range a.Errors {
		fmt.Fprintf(w, "  rule %q failed, counted as not matched: %s\n", e.Title, e.Message)
	}
}

func approversText(labels []string) string {
	if len(labels) == 0 {
		return "nobody holds the role"
	}
	return strings.Join(labels, ", ")
}
