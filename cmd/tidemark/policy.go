package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/tidemark-dev/tidemark/internal/workspace"
)

func newPolicyCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Risk rules, approval templates and rules, and rollout policies as one YAML file (to keep in git)",
		Long: `export writes the workspace's risk rules, approval templates, approval
rules and each environment's rollout policy as one YAML document; import
replaces them with a file's (everything is checked first: a refusal changes
nothing) and re-evaluates the open issues.

Exit codes: 0 success; 1 refused (a condition that does not compile — with
its line and column —, a missing template or environment, a bad role or
window); 2 usage (unreadable file, not YAML, an unknown key).`,
	}
	cmd.AddCommand(newPolicyExportCmd(g), newPolicyImportCmd(g))
	return cmd
}

func newPolicyExportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "export FILE",
		Short: "Write the policies as YAML to FILE (- for standard output)",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			p, err := ws.ExportPolicies(ctx)
			if err != nil {
				return err
			}
			var b bytes.Buffer
			b.WriteString("# Tidemark policies: risk rules, approval templates and rules, rollout policies.\n")
			enc := yaml.NewEncoder(&b)
			enc.SetIndent(2)
			if err := enc.Encode(p); err != nil {
				return fmt.Errorf("encode policies: %w", err)
			}
			if args[0] == "-" {
				_, err = c.OutOrStdout().Write(b.Bytes())
				return err
			}
			if err := os.WriteFile(args[0], b.Bytes(), 0o644); err != nil {
				return fmt.Errorf("write %s: %w", args[0], err)
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote %d risk rule(s), %d approval template(s), %d approval rule(s), %d rollout polic(ies) to %s\n",
				len(p.RiskRules), len(p.ApprovalTemplates), len(p.ApprovalRules), len(p.Rollout), args[0])
			return nil
		},
	}
}

func newPolicyImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Replace the policies with FILE's (- for standard input) and re-evaluate the open issues",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			var raw []byte
			var err error
			if args[0] == "-" {
				raw, err = io.ReadAll(c.InOrStdin())
			} else {
				raw, err = os.ReadFile(args[0])
			}
			if err != nil {
				return withExit(2, fmt.Errorf("read %s: %w", args[0], err))
			}
			var p workspace.Policies
			dec := yaml.NewDecoder(bytes.NewReader(raw))
			dec.KnownFields(true)
			if err := dec.Decode(&p); err != nil {
				return withExit(2, fmt.Errorf("%s: %w", args[0], err))
			}
			ctx := c.Context()
			k, err := openCore(ctx, g)
			if err != nil {
				return err
			}
			defer k.close()
			if ctx, err = actAs(ctx, k, g); err != nil {
				return err
			}
			ns, err := k.wf.ImportPolicies(ctx, p)
			if err != nil {
				return err
			}
			w := c.OutOrStdout()
			fmt.Fprintf(w, "imported %d risk rule(s), %d approval template(s), %d approval rule(s), %d rollout polic(ies)\n",
				len(p.RiskRules), len(p.ApprovalTemplates), len(p.ApprovalRules), len(p.Rollout))
			if len(ns) > 0 {
				var s []string
				for _, n := range ns {
					s = append(s, fmt.Sprintf("#%d", n))
				}
				fmt.Fprintf(w, "re-evaluated the approval flow of open issue(s) %s (see their timelines)\n", strings.Join(s, ", "))
			}
			return nil
		},
	}
}
