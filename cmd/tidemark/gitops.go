package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/gitops"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// repoJSON is the JSON shape of a project's repository link (docs/cli.md).
type repoJSON struct {
	Project        string          `json:"project"`
	Path           string          `json:"path,omitempty"`
	URL            string          `json:"url,omitempty"`
	Branch         string          `json:"branch"`
	BaseDir        string          `json:"baseDir"`
	Template       string          `json:"template"`
	LatestTemplate string          `json:"latestTemplate"`
	StartCommit    string          `json:"startCommit"`
	LastCommit     string          `json:"lastCommit"`
	LastFetchAt    string          `json:"lastFetchAt"`
	PollMinutes    int             `json:"pollMinutes"`
	Auth           string          `json:"auth"`
	AuthUser       string          `json:"authUser,omitempty"`
	SSHKey         string          `json:"sshKey,omitempty"`
	LastError      string          `json:"lastError"`
	Unmatched      []unmatchedJSON `json:"unmatched"`
}

type unmatchedJSON struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Commit string `json:"commit"`
}

func repoOut(p workspace.Project, r workspace.ProjectRepo, us []workspace.GitOpsUnmatched) repoJSON {
	out := repoJSON{Project: p.Name, Path: r.Path, URL: r.URL, Branch: r.Branch, BaseDir: r.BaseDir, Template: r.Template,
		LatestTemplate: r.LatestTemplate, StartCommit: r.StartCommit, LastCommit: r.LastCommit, LastFetchAt: stampCLI(r.LastFetchAt),
		PollMinutes: r.PollMinutes, Auth: r.Auth, AuthUser: r.AuthUser, SSHKey: r.SSHKey, LastError: r.LastError, Unmatched: []unmatchedJSON{}}
	for _, u := range us {
		out.Unmatched = append(out.Unmatched, unmatchedJSON{Path: u.Path, Reason: u.Reason, Commit: u.Commit})
	}
	return out
}

func newProjectRepoCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "repo", Short: "Link a project to a git repository (GitOps)"}
	cmd.AddCommand(newProjectRepoSetCmd(g), newProjectRepoShowCmd(g), newProjectRepoUnlinkCmd(g))
	return cmd
}

// linkExit maps a refused link to exit 2 (usage) and anything else to 1.
func linkExit(err error) error {
	var ue *usererr.Error
	if errors.As(err, &ue) && ue.Field != "" {
		return withExit(2, err)
	}
	return err
}

func newProjectRepoSetCmd(g *globals) *cobra.Command {
	var project, format string
	var tokenStdin, writeConfig bool
	var r workspace.ProjectRepo
	cmd := &cobra.Command{
		Use:   "set --project P (--path DIR | --url URL) [--branch B] [--base-dir D] [--template T] [--latest-template T] [--start-commit REF] [--poll MINUTES] [--auth token|ssh-agent|ssh-key [--auth-user U] [--ssh-key FILE] [--token-stdin]] [--write-config]",
		Short: "Link a project to a local clone or a remote repository",
		Long: `Link a project to a repository: --path, an existing local clone (its origin is
fetched), or --url, a remote Tidemark clones into the workspace (no
credentials in the URL). The repository's tidemark.yaml, when present, names
the files; --base-dir, --template and --latest-template are used without
one. --start-commit: the commit after which commits become issues (default:
the branch head at the first fetch; history before it is not replayed).
Changing the repository, branch or start commit starts the watch over.
--poll: how often the desktop app fetches (minutes, 0 = only on demand).

Credentials never go into the workspace: --auth token reads the HTTPS token
from the first line of standard input with --token-stdin and keeps it in the
OS keychain (without a keychain, set TIDEMARK_GIT_TOKEN when fetching);
--auth ssh-agent uses the running SSH agent; --auth ssh-key names a private
key file (its path is kept, not its content).

Exit codes: 0 linked, 1 failure, 2 usage (unknown project, neither or both of --path and --url, a template that does not compile, a URL carrying a password, a missing token).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			token := ""
			if tokenStdin {
				if r.Auth != workspace.AuthToken {
					return withExit(2, fmt.Errorf("--token-stdin goes with --auth token"))
				}
				t, err := readPasswordLine(c.InOrStdin())
				if err != nil {
					return withExit(2, fmt.Errorf("--token-stdin: %w", err))
				}
				token = t
			}
			ctx := c.Context()
			k, p, err := openProjectCore(ctx, g, project)
			if err != nil {
				return err
			}
			defer k.close()
			r.ProjectID = p.ID
			w := k.watcher()
			saved, err := w.Link(ctx, gitops.LinkRequest{Repo: r, Token: token})
			if err != nil {
				return linkExit(err)
			}
			if writeConfig {
				cr, err := w.WriteConfig(ctx, p.ID)
				if err != nil {
					return fmt.Errorf("linked, but %s was not written: %w", gitops.ConfigFile, err)
				}
				if cr.Unchanged {
					fmt.Fprintf(c.ErrOrStderr(), "%s already says this: nothing committed\n", cr.Path)
				} else {
					fmt.Fprintf(c.ErrOrStderr(), "committed %s as %.12s\n", cr.Path, cr.Commit)
				}
			}
			if format == "json" {
				return writeJSONTo(c.OutOrStdout(), repoOut(p, saved, nil))
			}
			writeRepoText(c.OutOrStdout(), p, saved, nil)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&project, "project", "", "the project (name or id)")
	fl.StringVar(&r.Path, "path", "", "an existing local clone")
	fl.StringVar(&r.URL, "url", "", "a remote repository to clone into the workspace")
	fl.StringVar(&r.Branch, "branch", "main", "the branch to watch")
	fl.StringVar(&r.BaseDir, "base-dir", "", "the folder holding the migration files (without tidemark.yaml)")
	fl.StringVar(&r.Template, "template", "", "the file path template (without tidemark.yaml; default "+gitops.DefaultTemplate+")")
	fl.StringVar(&r.LatestTemplate, "latest-template", "", "the LATEST path template (without tidemark.yaml; default "+gitops.DefaultLatestTemplate+")")
	fl.StringVar(&r.StartCommit, "start-commit", "", "process commits after this one (default: the branch head at the first fetch)")
	fl.IntVar(&r.PollMinutes, "poll", 1, "how often the desktop app fetches, in minutes (0: only on demand)")
	fl.StringVar(&r.Auth, "auth", "", "how to reach the remote: token (HTTPS), ssh-agent or ssh-key (default: no credentials)")
	fl.StringVar(&r.AuthUser, "auth-user", "", "the HTTPS user name (default git) or the SSH user")
	fl.StringVar(&r.SSHKey, "ssh-key", "", "the private key file for --auth ssh-key")
	fl.BoolVar(&writeConfig, "write-config", false, "also commit the naming as tidemark.yaml on the branch (keeping the rest of the file) and push it")
	fl.BoolVar(&tokenStdin, "token-stdin", false, "read the HTTPS token from the first line of standard input (kept in the OS keychain)")
	fl.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func writeRepoText(w io.Writer, p workspace.Project, r workspace.ProjectRepo, us []workspace.GitOpsUnmatched) {
	where := r.Path
	if r.URL != "" {
		where = r.URL + " (cloned into the workspace)"
	}
	fmt.Fprintf(w, "project %s: %s, branch %s\n", p.Name, where, r.Branch)
	if r.BaseDir != "" || r.Template != "" || r.LatestTemplate != "" {
		fmt.Fprintf(w, "without tidemark.yaml: base directory %q, template %q, LATEST %q\n", r.BaseDir, r.Template, r.LatestTemplate)
	}
	if r.Auth != "" {
		fmt.Fprintf(w, "authentication: %s\n", r.Auth)
	}
	if r.PollMinutes > 0 {
		fmt.Fprintf(w, "the desktop app fetches every %d min\n", r.PollMinutes)
	} else {
		fmt.Fprintln(w, "fetched only on demand")
	}
	switch {
	case r.LastCommit != "":
		fmt.Fprintf(w, "last processed commit %s (%s)\n", r.LastCommit, stampCLI(r.LastFetchAt))
	case r.StartCommit != "":
		fmt.Fprintf(w, "starts after %s (not fetched yet)\n", r.StartCommit)
	default:
		fmt.Fprintln(w, "starts at the branch head at the first fetch (tidemark gitops fetch)")
	}
	if r.LastError != "" {
		fmt.Fprintln(w, "last fetch failed: "+r.LastError)
	}
	for _, u := range us {
		fmt.Fprintf(w, "not matched: %s: %s\n", u.Path, u.Reason)
	}
}

func newProjectRepoShowCmd(g *globals) *cobra.Command {
	var project, format string
	cmd := &cobra.Command{
		Use:   "show --project P [--format text|json]",
		Short: "Show a project's repository link, its last fetch and the files that did not become tasks",
		Long:  "Exit codes: 0 shown, 1 the project has no link, 2 usage (unknown project).",
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
			p, err := findProject(ctx, ws, project)
			if err != nil {
				return err
			}
			r, err := ws.GetProjectRepo(ctx, p.ID)
			if err != nil {
				return err
			}
			us, err := ws.ListGitOpsUnmatched(ctx, p.ID)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONTo(c.OutOrStdout(), repoOut(p, r, us))
			}
			writeRepoText(c.OutOrStdout(), p, r, us)
			return nil
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "the project (name or id)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newProjectRepoUnlinkCmd(g *globals) *cobra.Command {
	var project string
	cmd := &cobra.Command{
		Use:   "unlink --project P",
		Short: "Remove a project's repository link and its stored token (the issues stay)",
		Long:  "Exit codes: 0 unlinked, 1 the project has no link, 2 usage (unknown project).",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			k, p, err := openProjectCore(ctx, g, project)
			if err != nil {
				return err
			}
			defer k.close()
			if err := k.watcher().Unlink(ctx, p.ID); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "project %s is no longer linked to a repository\n", p.Name)
			return nil
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "the project (name or id)")
	return cmd
}

func newGitOpsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "gitops", Short: "Turn a linked repository's new commits into issues"}
	cmd.AddCommand(newGitOpsFetchCmd(g), newGitOpsLatestCmd(g))
	return cmd
}

func newGitOpsFetchCmd(g *globals) *cobra.Command {
	var project, format string
	cmd := &cobra.Command{
		Use:   "fetch --project P [--format text|json]",
		Short: "Process the new commits of the project's branch now",
		Long: `Process the commits of the linked branch since the last processed one: added
migration files become one issue per database (checks run, automatic
rollout follows the environment's policy), a modified pending file replaces
its task's statement, a modified applied file is reported as an anomaly, a
deleted pending file cancels its task; files that do not become tasks are
listed with the reason. A force push is reported and the watch continues
from the new head.

Exit codes: 0 processed, 1 failure (the repository cannot be read or
fetched), 2 usage (unknown project, no link).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := c.Context()
			k, p, err := openProjectCore(ctx, g, project)
			if err != nil {
				return err
			}
			defer k.close()
			if _, err := k.ws.GetProjectRepo(ctx, p.ID); err != nil {
				return withExit(2, err)
			}
			// the fetch writes LATEST itself and names the commits in its notes
			k.wf.AfterTask = nil
			w := k.watcher()
			res, err := w.Fetch(ctx, p.ID)
			if err != nil {
				return err
			}
			res.Project = p.Name
			if format == "json" {
				return writeJSONTo(c.OutOrStdout(), res)
			}
			writeFetchText(c.OutOrStdout(), res)
			return nil
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "the project (name or id)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func writeFetchText(w io.Writer, r *gitops.FetchResult) {
	if r.ForcePush != nil {
		fmt.Fprintln(w, "force push: "+r.ForcePush.Message)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note: "+n)
	}
	fmt.Fprintf(w, "%d new commit(s) on %s, now at %.12s\n", len(r.Commits), r.Branch, r.To)
	for _, ev := range r.Issues {
		fmt.Fprintf(w, "issue #%d %s: %s (%s, %d file(s))\n", ev.Number, ev.Action, ev.Title, ev.Database, len(ev.Files))
		if ev.Error != "" {
			fmt.Fprintln(w, "  error: "+ev.Error)
		}
	}
	for _, a := range r.Anomalies {
		fmt.Fprintf(w, "anomaly: %s: %s (version %s, issue #%d)\n", a.Kind, a.Path, a.Version, a.Issue)
	}
	for _, u := range r.Unmatched {
		fmt.Fprintf(w, "not matched: %s: %s\n", u.Path, u.Reason)
	}
}

func newGitOpsLatestCmd(g *globals) *cobra.Command {
	var project, database, format, version, name, email string
	cmd := &cobra.Command{
		Use:   "latest --project P --database DB [--version V] [--author-name N --author-email E] [--format text|json]",
		Short: "Write the database's LATEST schema file back to the linked repository now",
		Long: `Dump the database (as tidemark dump, without Tidemark's schema), write it at its
LATEST path on the linked branch of a fresh clone of the remote, commit it
with the Tidemark-Writeback trailer (the watcher skips such commits) and push.
When the branch moved meanwhile the push is refused and the write is made
again on the new head (3 attempts). An unchanged schema commits nothing.

Exit codes: 0 written or unchanged, 1 failure (database or remote
unreachable, the branch kept moving), 2 usage (unknown project or database,
no link, a local clone without origin).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := c.Context()
			k, p, err := openProjectCore(ctx, g, project)
			if err != nil {
				return err
			}
			defer k.close()
			if _, err := k.ws.GetProjectRepo(ctx, p.ID); err != nil {
				return withExit(2, err)
			}
			d, err := lookupDatabase(ctx, k.ws, database, "")
			if err != nil {
				return err
			}
			res, err := k.latest().Write(ctx, gitops.LatestRequest{ProjectID: p.ID, DatabaseID: d.ID, Version: version, Identity: gitops.Identity{Name: name, Email: email}})
			if err != nil {
				return linkExit(err)
			}
			if format == "json" {
				return writeJSONTo(c.OutOrStdout(), res)
			}
			if res.Unchanged {
				fmt.Fprintf(c.OutOrStdout(), "%s is up to date: nothing committed\n", res.Path)
				return nil
			}
			fmt.Fprintf(c.OutOrStdout(), "committed %s as %.12s (%s), pushed after %d attempt(s)\n", res.Path, res.Commit, res.Message, res.Attempts)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&project, "project", "", "the project (name or id)")
	fl.StringVar(&database, "database", "", "the database (INSTANCE/DATABASE, id or name)")
	fl.StringVar(&version, "version", "", "the migration version named in the commit message")
	fl.StringVar(&name, "author-name", "", "the commit's author and committer (default "+gitops.DefaultIdentityName+")")
	fl.StringVar(&email, "author-email", "", "their email (default "+gitops.DefaultIdentityEmail+")")
	fl.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// openProjectCore opens the core and finds the project (name or id); the
// caller closes the core.
func openProjectCore(ctx context.Context, g *globals, project string) (*core, workspace.Project, error) {
	k, err := openCore(ctx, g)
	if err != nil {
		return nil, workspace.Project{}, err
	}
	p, err := findProject(ctx, k.ws, project)
	if err != nil {
		k.close()
		return nil, workspace.Project{}, err
	}
	return k, p, nil
}
