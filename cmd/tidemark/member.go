package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/risk"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// SettingAllowAs is the workspace setting that turns `--as MEMBER` off
// ("off"); by default a local workspace allows it.
const SettingAllowAs = "members.allow_as"

func newMemberCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "member",
		Short: "Workspace members and their roles (Workspace Admin, DBA, Project Owner, Developer, Releaser)",
		Long: `Members approve, roll out and comment in the roles they hold. The first
member is the Workspace Admin and, while alone, holds every role. Project
roles (project_owner, developer, releaser) are granted in one project with
--project, or in every project without it.

Exit codes: 0 success; 1 refused (already a member, the last holder of a
role an approval flow needs — the flows are named); 2 usage (unknown member,
role or project, bad email).`,
	}
	cmd.AddCommand(newMemberListCmd(g), newMemberAddCmd(g), newMemberRemoveCmd(g), newMemberRoleCmd(g, "grant"), newMemberRoleCmd(g, "revoke"))
	return cmd
}

// memberJSON is the JSON shape of a member (docs/cli.md).
type memberJSON struct {
	ID    string                 `json:"id"`
	Name  string                 `json:"name"`
	Email string                 `json:"email"`
	Roles []workspace.MemberRole `json:"roles"`
	// Sole is set for the only member: they hold every role.
	Sole bool `json:"sole"`
}

func memberOut(m workspace.Member) memberJSON {
	return memberJSON{ID: m.ID, Name: m.Name, Email: m.Email, Roles: m.Roles, Sole: m.Sole}
}

// memberErr maps the store's errors: unknown or invalid input is usage (2).
func memberErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, workspace.ErrNotFound), errors.Is(err, workspace.ErrInvalid):
		return withExit(2, usererr.From(err))
	}
	return usererr.From(err)
}

func rolesText(m workspace.Member) string {
	if m.Sole {
		return "every role (the only member; Workspace Admin)"
	}
	var rs []string
	for _, r := range m.Roles {
		rs = append(rs, r.String())
	}
	if len(rs) == 0 {
		return "no role"
	}
	return strings.Join(rs, ", ")
}

// onMembers opens the workspace's use-cases, making the workspace user its
// first member when it has none.
func onMembers(c *cobra.Command, g *globals, format string, fn func(ctx context.Context, k *core, w io.Writer) error) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	ctx := c.Context()
	k, err := openCore(ctx, g)
	if err != nil {
		return err
	}
	defer k.close()
	if ms, err := k.ws.ListMembers(ctx); err != nil {
		return err
	} else if len(ms) == 0 {
		if _, err := k.wf.Member(ctx); err != nil {
			return err
		}
	}
	if ctx, err = actAs(ctx, k, g); err != nil {
		return err
	}
	return fn(ctx, k, c.OutOrStdout())
}

func newMemberListCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list [--format text|json]",
		Short: "List the members and their roles",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			return onMembers(c, g, format, func(ctx context.Context, k *core, w io.Writer) error {
				ms, err := k.ws.ListMembers(ctx)
				if err != nil {
					return err
				}
				if format == "json" {
					out := []memberJSON{}
					for _, m := range ms {
						out = append(out, memberOut(m))
					}
					return writeJSONTo(w, out)
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tROLES")
				for _, m := range ms {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", m.ID, m.Name, rolesText(m))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// parseRoles reads --role values ("dba", "Project Owner").
func parseRoles(ctx context.Context, ws *workspace.Store, roles []string, project string) ([]workspace.MemberRole, error) {
	pid := ""
	if project != "" {
		p, err := findProject(ctx, ws, project)
		if err != nil {
			return nil, err
		}
		pid = p.ID
	}
	var out []workspace.MemberRole
	for _, r := range roles {
		role, err := risk.ParseRole(r)
		if err != nil {
			return nil, withExit(2, fmt.Errorf("--role: %w", err))
		}
		mr := workspace.MemberRole{Role: role}
		if role == risk.RoleProjectOwner || role == risk.RoleDeveloper || role == risk.RoleReleaser {
			mr.ProjectID = pid
		}
		out = append(out, mr)
	}
	return out, nil
}

func newMemberAddCmd(g *globals) *cobra.Command {
	var email, project, format string
	var roles []string
	cmd := &cobra.Command{
		Use:   "add NAME [--email E] [--role R]... [--project P] [--format text|json]",
		Short: "Add a member with roles",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return onMembers(c, g, format, func(ctx context.Context, k *core, w io.Writer) error {
				rs, err := parseRoles(ctx, k.ws, roles, project)
				if err != nil {
					return err
				}
				m, err := k.wf.AddMember(ctx, args[0], email, rs)
				if err != nil {
					return memberErr(err)
				}
				if format == "json" {
					return writeJSONTo(w, memberOut(m))
				}
				fmt.Fprintf(w, "added %s (%s)\n", m.ID, rolesText(m))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the member's email (their id when given)")
	cmd.Flags().StringArrayVar(&roles, "role", nil, "a role: workspace_admin, dba, project_owner, developer, releaser (repeatable)")
	cmd.Flags().StringVar(&project, "project", "", "hold the project roles in this project only")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newMemberRemoveCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remove MEMBER",
		Short: "Remove a member (refused when they are the last holder of a role an approval flow needs)",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return onMembers(c, g, "text", func(ctx context.Context, k *core, w io.Writer) error {
				if err := k.wf.RemoveMember(ctx, args[0]); err != nil {
					return memberErr(err)
				}
				fmt.Fprintf(w, "removed %s\n", args[0])
				return nil
			})
		},
	}
	return cmd
}

func newMemberRoleCmd(g *globals, action string) *cobra.Command {
	var project string
	cmd := &cobra.Command{
		Use:   action + " MEMBER ROLE [--project P]",
		Short: map[string]string{"grant": "Give a member a role", "revoke": "Take a role from a member (refused when they are its last holder a flow needs)"}[action],
		Args:  usageArgs(cobra.ExactArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			return onMembers(c, g, "text", func(ctx context.Context, k *core, w io.Writer) error {
				rs, err := parseRoles(ctx, k.ws, []string{args[1]}, project)
				if err != nil {
					return err
				}
				var m workspace.Member
				if action == "grant" {
					m, err = k.wf.GrantRole(ctx, args[0], rs[0])
				} else {
					m, err = k.wf.RevokeRole(ctx, args[0], rs[0])
				}
				if err != nil {
					return memberErr(err)
				}
				fmt.Fprintf(w, "%s: %s\n", m.ID, rolesText(m))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "the project of a project role (default: every project)")
	return cmd
}

func newWhoamiCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "whoami [--format text|json]",
		Short: "Print the member the CLI acts as (--as, else the workspace user) and their roles",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			return onMembers(c, g, format, func(ctx context.Context, k *core, w io.Writer) error {
				m, err := k.wf.Member(ctx)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSONTo(w, memberOut(m))
				}
				fmt.Fprintf(w, "%s (%s): %s\n", m.Name, m.ID, rolesText(m))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// actAs returns a context acting as the --as member, when given and the
// workspace allows it (setting members.allow_as is not "off").
func actAs(ctx context.Context, k *core, g *globals) (context.Context, error) {
	if g.as == "" {
		return ctx, nil
	}
	if v, _, err := k.ws.Setting(ctx, SettingAllowAs); err != nil {
		return ctx, err
	} else if v == "off" {
		return ctx, fmt.Errorf("--as: this workspace does not allow acting as another member (setting %s is off)", SettingAllowAs)
	}
	m, err := k.ws.GetMember(ctx, g.as)
	if err != nil {
		return ctx, withExit(2, fmt.Errorf("--as: no member %q (see tidemark member list)", g.as))
	}
	return workflow.WithActor(ctx, workflow.User{Name: m.Name, Email: m.Email}), nil
}
