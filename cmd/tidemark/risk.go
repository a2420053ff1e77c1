package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/risk"
)

func newRiskCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "risk",
		Short: "Risk rules (CEL) that grade changes low, moderate or high",
		Long: `Risk rules are CEL conditions over each statement of a change (see
docs/risk-and-approval.md for the variables). A change's risk is the
highest level a rule matches; no match is low. The level picks the approval
flow (tidemark approval list).

Exit codes: 0 success; 1 failed; 2 usage (unknown environment or source,
unreadable file).`,
	}
	cmd.AddCommand(newRiskListCmd(g), newRiskTestCmd(g))
	return cmd
}

func newRiskListCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list [--format text|json]",
		Short: "List the risk rules in their order",
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
			rules, err := ws.ListRiskRules(ctx)
			if err != nil {
				return err
			}
			w := c.OutOrStdout()
			if format == "json" {
				return writeJSONTo(w, rules)
			}
			if len(rules) == 0 {
				fmt.Fprintln(w, "no risk rules: every change is low risk (tidemark policy import FILE adds some)")
				return nil
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSOURCE\tLEVEL\tON\tTITLE\tCONDITION")
			for _, r := range rules {
				on := "yes"
				if !r.Enabled {
					on = "no"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Source, r.Level, on, r.Title, r.Condition)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// riskTestJSON is the JSON shape of `risk test` (docs/cli.md).
type riskTestJSON struct {
	Level    risk.Level       `json:"level"`
	Rules    []riskRuleJSON   `json:"rules"`
	Errors   []risk.EvalError `json:"errors"`
	Approval riskApprovalJSON `json:"approval"`
}

type riskRuleJSON struct {
	Title     string     `json:"title"`
	Level     risk.Level `json:"level"`
	Condition string     `json:"condition"`
	Line      int        `json:"line,omitempty"`
}

type riskApprovalJSON struct {
	Status   string   `json:"status"` // pending (approval needed) or skipped
	Template string   `json:"template"`
	Steps    []string `json:"steps"` // roles in order
}

func newRiskTestCmd(g *globals) *cobra.Command {
	var file, env, source, format string
	cmd := &cobra.Command{
		Use:   "test --sql FILE --environment E [--source schema_change|data_change] [--format text|json]",
		Short: "Grade SQL as a change to a database in an environment: the level, the rules that matched, the approval flow",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			if file == "" || env == "" {
				return withExit(2, fmt.Errorf("--sql FILE and --environment E are required"))
			}
			src, err := risk.ParseSource(source)
			if err != nil {
				return withExit(2, fmt.Errorf("--source: %w", err))
			}
			sql, err := readSQL(c, file)
			if err != nil {
				return err
			}
			ctx := c.Context()
			k, err := openCore(ctx, g)
			if err != nil {
				return err
			}
			defer k.close()
			e, err := findEnvironment(ctx, k.ws, env)
			if err != nil {
				return err
			}
			ap, err := k.wf.TestSQL(ctx, src, e.ID, sql)
			if err != nil {
				return err
			}
			out := riskTestJSON{Level: ap.Risk, Rules: []riskRuleJSON{}, Errors: ap.Errors,
				Approval: riskApprovalJSON{Status: string(ap.Status), Template: ap.TemplateTitle, Steps: []string{}}}
			if out.Errors == nil {
				out.Errors = []risk.EvalError{}
			}
			for _, m := range ap.Matched {
				out.Rules = append(out.Rules, riskRuleJSON{Title: m.Title, Level: m.Level, Condition: m.Condition, Line: m.Line})
			}
			for _, st := range ap.Steps {
				out.Approval.Steps = append(out.Approval.Steps, st.Role)
			}
			w := c.OutOrStdout()
			if format == "json" {
				return writeJSONTo(w, out)
			}
			writeRiskTest(w, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "sql", "", "the SQL file to grade (- for standard input)")
	cmd.Flags().StringVar(&env, "environment", "", "the target environment (id or name)")
	cmd.Flags().StringVar(&source, "source", string(risk.SourceSchemaChange), "the kind of change: schema_change or data_change")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func writeRiskTest(w io.Writer, r riskTestJSON) {
	fmt.Fprintln(w, r.Level)
	for _, m := range r.Rules {
		line := ""
		if m.Line > 0 {
			line = fmt.Sprintf(" (line %d)", m.Line)
		}
		fmt.Fprintf(w, "  %s: %s%s — %s\n", m.Level, m.Title, line, m.Condition)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "  rule %q failed, counted as not matched: %s\n", e.Title, e.Message)
	}
	if r.Approval.Status == "skipped" {
		fmt.Fprintln(w, "approval: none needed")
		return
	}
	var steps []string
	for _, s := range r.Approval.Steps {
		steps = append(steps, risk.RoleTitle(s))
	}
	fmt.Fprintf(w, "approval: %s — steps: %s\n", r.Approval.Template, strings.Join(steps, ", then "))
}
