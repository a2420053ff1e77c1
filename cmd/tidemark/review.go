package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/version"
)

type reviewFlags struct {
	policy    string
	format    string
	url       string
	pgVersion string
	runner    string
	fix       bool
}

// newReviewCmd builds `tidemark review`: SQL review of migration files.
func newReviewCmd(_ *globals) *cobra.Command {
	f := &reviewFlags{}
	c := &cobra.Command{
		Use:   "review [--policy default|test|conventions|advanced|basic|FILE] [--format text|json|sarif|github] [--url URL] [--pg-version N] [--runner tidemark|other] FILE...",
		Short: "Review SQL migration files against a policy of PostgreSQL rules",
		Long: `Review SQL migration files with Tidemark's PostgreSQL rules.

Files are reviewed in the order given, each simulated on the schema the
previous ones leave behind, so a later file sees tables and indexes earlier
files create. "-" reads standard input.

--policy is a built-in template or a YAML policy file. Templates: default
(the safety rules: locks, rewrites, scans under exclusive locks, data loss,
changes that break running clients; nothing about style), test (default at
warning level), conventions (default plus naming, comments and other team
conventions), advanced (every rule), basic (the earlier subset).

--url reviews against a live database: the catalog is read from it (tables,
indexes, row estimates, server version) and rules that need the database
(EXPLAIN row estimates, dry runs, ownership) run. Pass the password with
PGPASSWORD or ~/.pgpass, never in --url. Without --url, --pg-version (15,
15.4 or 150004) names the target's server version; without either the newest
supported version is assumed.

--runner says what will run the files: tidemark (default; each transactional
file runs in one transaction with lock_timeout and statement_timeout set by
the runner) or other (psql or another tool that runs the file as written:
the timeout rules apply, the file's own BEGIN ... COMMIT blocks are noted at
info level).

--fix prints each file with the safe rewrites of its advice applied
(CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE, SET NOT NULL through a
validated check, ADD UNIQUE USING INDEX), split where a step must run in a
later migration file under "-- tidemark:unit" lines, then reviews the fixed
file again: the summary on stderr counts what remains, and the exit status
is that of the fixed file.

Exit status: 0 clean, info notes or warnings only, 1 when any advice is
error-level (or the database cannot be reached), 2 on usage errors or a file
that does not parse.`,
		RunE: func(c *cobra.Command, args []string) error { return runReview(c, f, args) },
	}
	c.Flags().StringVar(&f.policy, "policy", review.TemplateDefault, "policy template ("+strings.Join(review.Templates(), ", ")+") or YAML policy file")
	c.Flags().StringVar(&f.pgVersion, "pg-version", "", "target server version without --url (15, 15.4 or 150004; default: the newest)")
	c.Flags().StringVar(&f.runner, "runner", review.RunnerTidemark, "what runs the files: tidemark or other")
	c.Flags().StringVar(&f.format, "format", "text", "output format: text, json, sarif or github")
	c.Flags().StringVar(&f.url, "url", "", "database URL for catalog-aware review, without the password")
	c.Flags().BoolVar(&f.fix, "fix", false, "print each file with the safe rewrites applied (text or json) instead of the advice")
	return c
}

// reviewEntry is one line of the JSON output (documented in docs/cli.md).
type reviewEntry struct {
	File      string       `json:"file"`
	Line      int          `json:"line"`
	Column    int          `json:"column"`
	Level     review.Level `json:"level"`
	Rule      string       `json:"rule"`
	Title     string       `json:"title"`
	Message   string       `json:"message"`
	Statement *review.Span `json:"statement,omitempty"`
	// Rewrite is the safe form of the statement, for advice that has one.
	Rewrite *review.Rewrite `json:"rewrite,omitempty"`
}

// syntaxRule is the rule id syntax errors carry in machine-readable output.
const syntaxRule = "syntax-error"

func runReview(c *cobra.Command, f *reviewFlags, files []string) error {
	if len(files) == 0 {
		return withExit(2, fmt.Errorf("no files to review\nrun '%s --help' for usage", c.CommandPath()))
	}
	switch f.format {
	case "text", "json", "sarif", "github":
	default:
		return withExit(2, fmt.Errorf("--format must be text, json, sarif or github, not %q", f.format))
	}
	if f.runner != review.RunnerTidemark && f.runner != review.RunnerOther {
		return withExit(2, fmt.Errorf("--runner must be tidemark or other, not %q", f.runner))
	}
	if f.fix && f.format != "text" && f.format != "json" {
		return withExit(2, fmt.Errorf("--fix prints text or json, not %q", f.format))
	}
	version := 0
	if f.pgVersion != "" {
		v, err := review.ParseServerVersion(f.pgVersion)
		if err != nil {
			return withExit(2, fmt.Errorf("--pg-version: %w", err))
		}
		version = v
	}
	reg := review.NewRegistry()
	pol, err := reg.LoadPolicy(f.policy)
	if err != nil {
		return withExit(2, err)
	}
	ctx := c.Context()
	opts := review.Options{Policy: pol, ServerVersion: version}
	if f.url != "" {
		target, err := livereview.URL(ctx, f.url)
		if err != nil {
			var ue *usererr.Error
			if errors.As(err, &ue) && ue.Field == "url" {
				return withExit(2, err)
			}
			return withExit(1, err)
		}
		defer target.Close(ctx)
		opts = target.Options(pol)
		if f.pgVersion != "" && version != opts.ServerVersion {
			return withExit(2, fmt.Errorf("--pg-version %s does not match the server behind --url (%d); leave --pg-version out", f.pgVersion, opts.ServerVersion))
		}
	}
	opts.Runner = f.runner
	if f.fix {
		return runReviewFix(c, f, reg, pol, opts, files)
	}

	var entries []reviewEntry
	syntaxFailed, hasErrors := false, false
	for _, file := range files {
		src, err := readReviewFile(c, file)
		if err != nil {
			return withExit(2, err)
		}
		opts.File = file
		res, err := reg.Review(ctx, src, opts)
		var se *review.SyntaxError
		switch {
		case errors.As(err, &se):
			syntaxFailed = true
			entries = append(entries, reviewEntry{File: file, Line: se.Line, Column: se.Column, Level: review.Error,
				Rule: syntaxRule, Title: "SQL does not parse", Message: se.Message})
			continue
		case err != nil:
			return fmt.Errorf("review %s: %w", file, err)
		}
		for i := range res.Advice {
			a := res.Advice[i]
			e := reviewEntry{File: file, Line: a.Line, Column: a.Column, Level: a.Level, Rule: a.Rule, Title: a.Title, Message: a.Message, Rewrite: a.Rewrite}
			if a.Statement.End > 0 {
				sp := a.Statement
				e.Statement = &sp
			}
			entries = append(entries, e)
		}
		hasErrors = hasErrors || res.HasErrors()
		opts.Catalog = res.Catalog // the next file runs on this file's result
	}
	if entries == nil {
		entries = []reviewEntry{}
	}
	out := c.OutOrStdout()
	switch f.format {
	case "text":
		writeReviewText(out, entries)
		errs, warns, infos := 0, 0, 0
		for _, e := range entries {
			switch e.Level {
			case review.Error:
				errs++
			case review.Info:
				infos++
			default:
				warns++
			}
		}
		fmt.Fprintf(c.ErrOrStderr(), "%d error(s), %d warning(s), %d note(s) in %d file(s) (policy %s, runner %s)\n", errs, warns, infos, len(files), pol.Name, f.runner)
	case "json":
		if err := writeReviewJSON(out, entries); err != nil {
			return err
		}
	case "sarif":
		if err := writeSARIF(out, reg, entries); err != nil {
			return err
		}
	case "github":
		writeGitHub(out, entries)
	}
	switch {
	case syntaxFailed:
		return withExit(2, nil)
	case hasErrors:
		return withExit(1, nil)
	}
	return nil
}

// fixEntry is one file of --fix --format json (documented in docs/cli.md).
type fixEntry struct {
	File      string                 `json:"file"`
	Units     []review.FixUnit       `json:"units"`
	Applied   int                    `json:"applied"`
	Kept      []review.KeptStatement `json:"kept"`
	Remaining map[review.Level]int   `json:"remaining"`
}

// runReviewFix is tidemark review --fix: each file fixed by
// review.FixScript, printed, and the summary of what the fixed files still
// draw on stderr.
func runReviewFix(c *cobra.Command, f *reviewFlags, reg *review.Registry, pol *review.Policy, opts review.Options, files []string) error {
	ctx := c.Context()
	out, stderr := c.OutOrStdout(), c.ErrOrStderr()
	var entries []fixEntry
	remaining := map[review.Level]int{}
	applied, kept := 0, 0
	for _, file := range files {
		src, err := readReviewFile(c, file)
		if err != nil {
			return withExit(2, err)
		}
		opts.File = file
		rep, err := reg.FixScript(ctx, src, opts, 0)
		var se *review.SyntaxError
		switch {
		case errors.As(err, &se):
			return withExit(2, fmt.Errorf("%s:%d:%d: %s; nothing was fixed", file, se.Line, se.Column, se.Message))
		case err != nil:
			return fmt.Errorf("fix %s: %w", file, err)
		}
		opts.Catalog = rep.Catalog
		for l, n := range rep.Counts {
			remaining[l] += n
		}
		applied += rep.Applied
		kept += len(rep.Kept)
		for _, k := range rep.Kept {
			fmt.Fprintf(stderr, "%s:%d: kept as written (%s): %s\n", file, k.Line, k.Rule, k.Reason)
		}
		if f.format == "json" {
			e := fixEntry{File: file, Units: rep.Units, Applied: rep.Applied, Kept: rep.Kept, Remaining: map[review.Level]int{}}
			if e.Kept == nil {
				e.Kept = []review.KeptStatement{}
			}
			for _, l := range []review.Level{review.Error, review.Warning, review.Info} {
				e.Remaining[l] = rep.Counts[l]
			}
			entries = append(entries, e)
			continue
		}
		if len(files) > 1 {
			fmt.Fprintf(out, "-- tidemark:file %s\n", file)
		}
		io.WriteString(out, rep.Text())
	}
	if f.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
	}
	fmt.Fprintf(stderr, "%d statement(s) rewritten, %d kept as written in %d file(s); the fixed files draw %d error(s), %d warning(s), %d note(s) (policy %s, runner %s)\n",
		applied, kept, len(files), remaining[review.Error], remaining[review.Warning], remaining[review.Info], pol.Name, f.runner)
	if remaining[review.Error] > 0 {
		return withExit(1, nil)
	}
	return nil
}

func readReviewFile(c *cobra.Command, file string) (string, error) {
	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(c.InOrStdin())
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	return string(b), nil
}

// writeReviewJSON prints the entries as an indented JSON array, one entry at
// a time (large reviews are not held twice in memory).
func writeReviewJSON(w io.Writer, entries []reviewEntry) error {
	bw := bufio.NewWriter(w)
	if len(entries) == 0 {
		bw.WriteString("[]\n")
		return bw.Flush()
	}
	bw.WriteString("[\n")
	var b []byte
	for i := range entries {
		b = append(b[:0], "  "...)
		b = appendReviewEntry(b, &entries[i])
		if i < len(entries)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		bw.Write(b)
	}
	bw.WriteString("]\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// writeReviewText prints compiler-style lines: file:line:col: level rule-id: message.
func writeReviewText(w io.Writer, entries []reviewEntry) {
	bw := bufio.NewWriter(w)
	for _, e := range entries {
		fmt.Fprintf(bw, "%s:%d:%d: %s %s: %s\n", e.File, e.Line, e.Column, e.Level, e.Rule, oneLine(e.Message))
	}
	bw.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// writeGitHub prints GitHub Actions workflow annotations.
func writeGitHub(w io.Writer, entries []reviewEntry) {
	for _, e := range entries {
		cmd := "warning"
		switch e.Level {
		case review.Error:
			cmd = "error"
		case review.Info:
			cmd = "notice"
		}
		fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", cmd,
			ghProperty(e.File), e.Line, e.Column, ghProperty(e.Rule+": "+e.Title), ghData(e.Message))
	}
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// SARIF 2.1.0 output (the subset code-scanning tools read).
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration map[string]string `json:"defaultConfiguration"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine,omitempty"`
}

func writeSARIF(w io.Writer, reg *review.Registry, entries []reviewEntry) error {
	drv := sarifDriver{Name: "tidemark", Version: version.Version, InformationURI: "https://github.com/tidemark-dev/tidemark/blob/main/docs/rules.md"}
	index := map[string]int{}
	addRule := func(id, title, rationale string, level review.Level) int {
		if i, ok := index[id]; ok {
			return i
		}
		index[id] = len(drv.Rules)
		drv.Rules = append(drv.Rules, sarifRule{ID: id, Name: id, ShortDescription: sarifText{title}, FullDescription: sarifText{rationale},
			Help: sarifText{rationale}, DefaultConfiguration: map[string]string{"level": sarifLevel(level)}})
		return index[id]
	}
	results := []sarifResult{}
	for _, e := range entries {
		var i int
		if info, ok := reg.Rule(e.Rule); ok {
			i = addRule(info.ID, info.Title, info.Rationale, info.Level)
		} else {
			i = addRule(e.Rule, e.Title, "The file must be valid PostgreSQL SQL.", review.Error)
		}
		region := sarifRegion{StartLine: e.Line, StartColumn: e.Column}
		if e.Statement != nil && e.Statement.EndLine > e.Line {
			region.EndLine = e.Statement.EndLine
		}
		results = append(results, sarifResult{RuleID: e.Rule, RuleIndex: i, Level: sarifLevel(e.Level), Message: sarifText{e.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(e.File)}, Region: region}}}})
	}
	if drv.Rules == nil {
		drv.Rules = []sarifRule{}
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: drv}, Results: results}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// sarifURI turns a file argument into a relative URI reference.
func sarifURI(file string) string {
	if file == "-" {
		return "stdin"
	}
	return strings.ReplaceAll(strings.TrimPrefix(file, "./"), "\\", "/")
}

// sarifLevel maps a review level to SARIF's (info is a note, off none).
func sarifLevel(l review.Level) string {
	switch l {
	case review.Info:
		return "note"
	case review.Off:
		return "none"
	}
	return string(l)
}
