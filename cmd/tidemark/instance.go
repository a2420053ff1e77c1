package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// keychainService is the OS keychain service Tidemark's passwords live under
// (the desktop app uses the same name, so both see the same passwords).
const keychainService = "tidemark"

func newInstanceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "instance",
		Short: "List, add, sync and remove PostgreSQL instances in the workspace (shared with the desktop app)",
	}
	cmd.AddCommand(newInstanceAddCmd(g), newInstanceListCmd(g), newInstanceRemoveCmd(g), newInstanceSyncCmd(g))
	return cmd
}

// openWorkspace opens the workspace without the desktop app's exclusive lock:
// the CLI reads and writes while a window is open.
func openWorkspace(ctx context.Context, g *globals) (*workspace.Store, error) {
	dir, err := g.workspaceDir()
	if err != nil {
		return nil, err
	}
	return workspace.Open(ctx, dir, workspace.OpenOptions{})
}

func newInstanceAddCmd(g *globals) *cobra.Command {
	var rawURL, env string
	var pwStdin bool
	cmd := &cobra.Command{
		Use:   "add NAME --url URL [--env ID] [--password-stdin]",
		Short: "Register an instance (a password in the URL goes to the OS keychain)",
		Long: `Register a PostgreSQL instance under NAME.

The URL is a postgres:// or postgresql:// URL (or a key=value connection string).
A password in it is stored in the OS keychain. Where there is none (headless Linux,
CI), the password is NOT stored: put it in ~/.pgpass or PGPASSWORD instead.
--password-stdin reads the password from the first line of standard input
instead, so it stays out of the shell history and the process list.
The password is never printed. Nothing is sent to the server.`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			if rawURL == "" {
				return withExit(2, errors.New("missing --url (e.g. --url postgres://user@host:5432/postgres)"))
			}
			ci, err := pg.ParseURL(rawURL)
			if err != nil {
				return withExit(2, fmt.Errorf("--url: %w", err))
			}
			if pwStdin {
				if ci.Password != "" {
					return withExit(2, errors.New("--password-stdin: the --url already holds a password; give it in one place"))
				}
				if ci.Password, err = readPasswordLine(c.InOrStdin()); err != nil {
					return withExit(2, fmt.Errorf("--password-stdin: %w", err))
				}
			}
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			if _, err := ws.GetEnvironment(ctx, env); err != nil {
				envs, _ := ws.ListEnvironments(ctx)
				ids := make([]string, 0, len(envs))
				for _, e := range envs {
					ids = append(ids, e.ID)
				}
				return withExit(2, fmt.Errorf("--env: no environment %q (have: %v)", env, ids))
			}

			r := &secret.Resolver{}
			kc := secret.NewKeychain(keychainService)
			var kcState secret.Availability
			if ci.Password != "" {
				pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				kcState = kc.Probe(pctx)
				cancel()
				if kcState.Available {
					r.Keychain = kc
				}
			}
			t := secret.Target{Host: ci.Host, Port: ci.Port, Database: ci.Database, User: ci.User}
			mode, store := r.Choose(ctx, ci.Password, t, false)
			in, err := ws.CreateInstance(ctx, workspace.Instance{
				Name: args[0], EnvironmentID: env, Host: ci.Host, Port: ci.Port, User: ci.User,
				Database: ci.Database, SSLMode: ci.SSLMode, PasswordMode: workspace.PasswordMode(mode),
			})
			if err != nil {
				return err
			}
			if store != nil {
				if err := store.Set(ctx, in.ID, ci.Password); err != nil {
					_ = ws.DeleteInstance(context.WithoutCancel(ctx), in.ID)
					return fmt.Errorf("store the password in the OS keychain: %w", err)
				}
			}
			fmt.Fprintf(c.OutOrStdout(), "added instance %q (%s, environment %s, password: %s)\n", in.Name, ci.URL(), in.EnvironmentID, secret.Describe(mode))
			if ci.Password != "" && store == nil {
				fmt.Fprintf(c.ErrOrStderr(), "tidemark: %s\ntidemark: the password was NOT stored. Put it in ~/.pgpass (chmod 600) as\n  %s:%d:%s:%s:<password>\nor set PGPASSWORD when running tidemark.\n",
					kcState.Message, ci.Host, ci.Port, orStar(ci.Database), ci.User)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&rawURL, "url", "", "postgres://user[:password]@host[:port]/database[?sslmode=...]")
	cmd.Flags().StringVar(&env, "env", "test", "environment id (see the desktop app's Environments; defaults: test, prod)")
	cmd.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of standard input")
	return cmd
}

// readPasswordLine reads the first line of r (without its line ending).
func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("standard input holds no password")
	}
	return pw, nil
}

// usageArgs makes a wrong number of arguments a usage error (exit 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := check(c, args); err != nil {
			return withExit(2, fmt.Errorf("%w\nusage: %s", err, c.UseLine()))
		}
		return nil
	}
}

func orStar(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

// instanceJSON is one element of `tidemark instance list --format json`
// (a stable shape, documented in docs/cli.md).
type instanceJSON struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	EnvironmentID string `json:"environmentId"`
	Host          string `json:"host"`
	Port          int    `json:"port"`
	User          string `json:"user"`
	Database      string `json:"database"`
	SSLMode       string `json:"sslmode"`
	PasswordMode  string `json:"passwordMode"`
	IsSample      bool   `json:"isSample"`
	LastSyncAt    string `json:"lastSyncAt"`
	LastError     string `json:"lastError"`
}

func newInstanceListCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list [--format text|json]",
		Short: "List the registered instances",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return withExit(2, fmt.Errorf("--format: want text or json, got %q", format))
			}
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			list, err := ws.ListInstances(ctx)
			if err != nil {
				return err
			}
			if format == "json" {
				out := make([]instanceJSON, 0, len(list))
				for _, in := range list {
					j := instanceJSON{ID: in.ID, Name: in.Name, EnvironmentID: in.EnvironmentID, Host: in.Host, Port: in.Port,
						User: in.User, Database: in.Database, SSLMode: in.SSLMode, PasswordMode: string(in.PasswordMode),
						IsSample: in.IsSample, LastError: in.LastError}
					if !in.LastSyncAt.IsZero() {
						j.LastSyncAt = in.LastSyncAt.UTC().Format(time.RFC3339)
					}
					out = append(out, j)
				}
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			return writeInstanceTable(c.OutOrStdout(), list)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func writeInstanceTable(w io.Writer, list []workspace.Instance) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "no instances; add one with: tidemark instance add NAME --url postgres://user@host:5432/postgres")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tENV\tADDRESS\tUSER\tDATABASE\tSSLMODE\tPASSWORD")
	for _, in := range list {
		name := in.Name
		if in.IsSample {
			name += " (sample)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s:%s\t%s\t%s\t%s\t%s\n", name, in.EnvironmentID, in.Host, strconv.Itoa(in.Port), in.User, dashIfEmpty(in.Database), in.SSLMode, in.PasswordMode)
	}
	return tw.Flush()
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newInstanceRemoveCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove an instance from the workspace (the server and its data are not touched)",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			ctx := c.Context()
			ws, err := openWorkspace(ctx, g)
			if err != nil {
				return err
			}
			defer ws.Close()
			in, err := ws.GetInstanceByName(ctx, args[0])
			if err != nil {
				return err
			}
			if err := ws.DeleteInstance(ctx, in.ID); err != nil {
				return err
			}
			if in.PasswordMode == workspace.PasswordKeychain {
				kc := secret.NewKeychain(keychainService)
				if err := kc.Delete(ctx, in.ID); err != nil {
					fmt.Fprintf(c.ErrOrStderr(), "tidemark: the instance was removed, but its password could not be deleted from the OS keychain: %v\n", err)
				}
			}
			fmt.Fprintf(c.OutOrStdout(), "removed instance %q (the server was not contacted)\n", in.Name)
			return nil
		},
	}
}
