package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/version"
)

// globals are the flags every command shares.
type globals struct {
	workspace string // --workspace DIR; empty = TIDEMARK_HOME or the user config dir
	as        string // --as MEMBER: act as that member (issue commands, whoami)
}

// workspaceDir resolves the workspace directory: --workspace, then TIDEMARK_HOME,
// then <user config dir>/tidemark.
func (g *globals) workspaceDir() (string, error) {
	if g.workspace != "" {
		return g.workspace, nil
	}
	if h := os.Getenv("TIDEMARK_HOME"); h != "" {
		return h, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config dir (set TIDEMARK_HOME or --workspace): %w", err)
	}
	return filepath.Join(d, "tidemark"), nil
}

// newRootCmd builds a fresh command tree (no package-level cobra state, so tests
// can build one per case).
func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "tidemark",
		Short:         "Database CI/CD and schema change management for PostgreSQL",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.workspace, "workspace", "", "workspace directory (default: $TIDEMARK_HOME or the user config dir)")
	root.PersistentFlags().StringVar(&g.as, "as", "", "act as this member (id, email or name) where the workspace allows it")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withExit(2, fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath()))
	})
	// Each area adds its commands here; one constructor per file (instance.go, dump.go, ...).
	root.AddCommand(
		newVersionCmd(),
		newDumpCmd(g),
		newDiffCmd(g),
		newMigrateCmd(g),
		newInstanceCmd(g),
		newDatabaseCmd(g),
		newReviewCmd(g),
		newCheckCmd(g),
		newGitOpsCmd(g),
		newProjectCmd(g),
		newIssueCmd(g),
		newDriftCmd(g),
		newQueryCmd(g),
		newMemberCmd(g), newWhoamiCmd(g), newRiskCmd(g), newApprovalCmd(g), newPolicyCmd(g),
		newSchemaCmd(g),
		newAnomalyCmd(g),
	)
	_ = g
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the Tidemark version",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintf(c.OutOrStdout(), "tidemark %s\n", version.Version)
			return nil
		},
	}
}
