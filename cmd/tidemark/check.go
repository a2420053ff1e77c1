package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/gitops"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/version"
)

type checkFlags struct {
	repo, base, url, latest, scratch, format string
	allowOutOfOrder                          bool
}

// newCheckCmd builds `tidemark check`: the pull-request checks of a
// repository's migration files.
func newCheckCmd(g *globals) *cobra.Command {
	f := &checkFlags{}
	c := &cobra.Command{
		Use:   "check --repo DIR [--base REF] [--url URL | --latest FILE] [--scratch URL] [--format text|json|sarif|github]",
		Short: "Check the migration files a pull request adds or changes (names, versions, SQL review, dry run)",
		Long: `Check the migration files added or changed between the merge base of --base
and HEAD, as CI does for a pull request:

- names parse under the repository's tidemark.yaml (or the default
  templates, with the repository root as the base directory);
- versions are unique per database and not below the highest version the
  base branch has (out of order is an error unless --allow-out-of-order or
  allowOutOfOrder in tidemark.yaml);
- a file already on the base branch must not change (nor be renamed);
- each file is reviewed with its environment's SQL review policy
  (tidemark.yaml environments: review, else default for production and
  unlisted environments, test for the others);
- per database, the files are applied in version order on a scratch
  database holding the schema they start from: the base branch's LATEST
  file (empty when there is none), --latest FILE, or the live schema of
  --url (the last two for a pull request touching one database).

--base defaults to origin/<branch> (or <branch>) of tidemark.yaml's branch
(main). CI clones must have the history: fetch with full depth.
--scratch is a server where Tidemark may create and drop databases (the
password from PGPASSWORD or ~/.pgpass, never in the URL); without it the
sample instance is used when it runs, else the files are reviewed but not
dry-run (a warning says so).

Exit status: 0 clean, notes or warnings only, 1 when any finding is
error-level, 2 on usage errors (no repository, an unknown revision, a
tidemark.yaml that does not load) or a file whose SQL does not parse.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return runCheck(c, g, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.repo, "repo", ".", "the repository's working directory")
	fl.StringVar(&f.base, "base", "", "the revision the pull request goes into (default origin/<branch> or <branch>)")
	fl.StringVar(&f.url, "url", "", "start the dry run from this database's live schema (without the password)")
	fl.StringVar(&f.latest, "latest", "", "start the dry run from this schema file instead of the base branch's LATEST file")
	fl.StringVar(&f.scratch, "scratch", "", "a server where Tidemark may create scratch databases (default: the running sample instance)")
	fl.StringVar(&f.format, "format", "text", "output format: text, json, sarif or github")
	fl.BoolVar(&f.allowOutOfOrder, "allow-out-of-order", false, "accept versions below the base branch's highest")
	return c
}

func runCheck(c *cobra.Command, g *globals, f *checkFlags) error {
	switch f.format {
	case "text", "json", "sarif", "github":
	default:
		return withExit(2, fmt.Errorf("--format must be text, json, sarif or github, not %q", f.format))
	}
	if f.url != "" && f.latest != "" {
		return withExit(2, errors.New("--url and --latest both name the schema the dry run starts from: pass one"))
	}
	ctx := c.Context()
	stderr := c.ErrOrStderr()
	reg := review.NewRegistry()
	req := gitops.CheckRequest{Repo: f.repo, Base: f.base, LiveURL: f.url, AllowOutOfOrder: f.allowOutOfOrder, Registry: reg}
	if f.latest != "" {
		b, err := os.ReadFile(f.latest)
		if err != nil {
			return withExit(2, fmt.Errorf("read --latest: %w", err))
		}
		req.Latest, req.LatestName = string(b), f.latest
	}
	var srv scratch.Server
	req.Scratch = func(ctx context.Context) (scratch.Server, error) {
		if f.scratch != "" {
			srv = scratch.Server{URL: f.scratch, Name: "the --scratch server"}
			return srv, nil
		}
		s, err := sampleScratch(ctx, g, false, stderr)
		if err != nil {
			return s, fmt.Errorf("no scratch server: pass --scratch URL (a server where Tidemark may create and drop databases) or start the sample instance (%v)", err)
		}
		fmt.Fprintln(stderr, "note: dry runs on the sample instance (--scratch URL chooses another server)")
		srv = s
		return s, nil
	}
	rep, err := gitops.Check(ctx, req)
	if err != nil {
		// A usage error names its flag (repo, base, head, config, url);
		// a database that cannot be reached or read is exit 1.
		var ue *usererr.Error
		if errors.As(err, &ue) && ue.Field != "" {
			return withExit(2, err)
		}
		return redactScratch(srv, err)
	}
	out := c.OutOrStdout()
	switch f.format {
	case "text":
		writeReviewText(out, checkEntries(rep))
		writeCheckSummary(stderr, rep)
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
	case "sarif":
		if err := writeCheckSARIF(out, reg, rep); err != nil {
			return err
		}
	case "github":
		writeGitHub(out, checkEntries(rep))
	}
	switch {
	case rep.SyntaxFailed:
		return withExit(2, nil)
	case rep.HasErrors():
		return withExit(1, nil)
	}
	return nil
}

// checkEntries maps the findings onto review's entries (same text and
// annotation formats).
func checkEntries(rep *gitops.CheckReport) []reviewEntry {
	out := make([]reviewEntry, len(rep.Findings))
	for i, f := range rep.Findings {
		out[i] = reviewEntry{File: f.File, Line: f.Line, Column: f.Column, Level: f.Level, Rule: f.Rule, Title: f.Title, Message: f.Message, Statement: f.Statement, Rewrite: f.Rewrite}
	}
	return out
}

// writeCheckSummary prints each checked file with its dry run, what each
// database started from, and the counts.
func writeCheckSummary(w io.Writer, rep *gitops.CheckReport) {
	for _, f := range rep.Files {
		fmt.Fprintf(w, "%s %s: %s/%s version %s, dry run %s\n", f.Action, f.Path, orDash(f.Environment), f.Database, f.Version, f.DryRun)
	}
	for _, d := range rep.Databases {
		fmt.Fprintf(w, "database %s/%s: from %s\n", orDash(d.Environment), d.Database, d.Basis)
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s), %d note(s) in %d migration file(s) (base %.12s, head %.12s)\n",
		rep.Counts[string(review.Error)], rep.Counts[string(review.Warning)], rep.Counts[string(review.Info)], len(rep.Files), rep.Base, rep.Head)
}

// writeCheckSARIF writes the findings as SARIF 2.1.0 (GitHub code
// scanning), describing the review's rules and the check's own.
func writeCheckSARIF(w io.Writer, reg *review.Registry, rep *gitops.CheckReport) error {
	drv := sarifDriver{Name: "tidemark", Version: version.Version, InformationURI: "https://github.com/tidemark-dev/tidemark/blob/main/docs/ci.md"}
	index := map[string]int{}
	results := []sarifResult{}
	for _, f := range rep.Findings {
		i, ok := index[f.Rule]
		if !ok {
			r := sarifRule{ID: f.Rule, Name: f.Rule, DefaultConfiguration: map[string]string{"level": sarifLevel(f.Level)}}
			if info, known := reg.Rule(f.Rule); known {
				r.ShortDescription, r.FullDescription, r.Help = sarifText{info.Title}, sarifText{info.Rationale}, sarifText{info.Rationale}
			} else {
				t := gitops.RuleTitles[f.Rule]
				r.ShortDescription, r.FullDescription, r.Help = sarifText{t}, sarifText{t}, sarifText{"See docs/ci.md."}
			}
			i = len(drv.Rules)
			index[f.Rule] = i
			drv.Rules = append(drv.Rules, r)
		}
		region := sarifRegion{StartLine: f.Line, StartColumn: f.Column}
		if f.Statement != nil && f.Statement.EndLine > f.Line {
			region.EndLine = f.Statement.EndLine
		}
		results = append(results, sarifResult{RuleID: f.Rule, RuleIndex: i, Level: sarifLevel(f.Level), Message: sarifText{f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(f.File)}, Region: region}}}})
	}
	if drv.Rules == nil {
		drv.Rules = []sarifRule{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: drv}, Results: results}}}); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}
