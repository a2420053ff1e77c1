package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/tidemark-dev/tidemark/internal/query"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

type queryFlags struct {
	url, format, command, file, output string
	admin                              bool
	limit                              int
	timeout                            time.Duration
}

// newQueryCmd builds `tidemark query`: run SQL read-only (by default) or in
// admin mode, printing the results.
func newQueryCmd(_ *globals) *cobra.Command {
	f := &queryFlags{}
	c := &cobra.Command{
		Use:   "query --url URL [--admin] [--format table|csv|json|jsonl|sql|xlsx] [--limit N] [--timeout D] [-o FILE] (-c SQL | -f FILE)",
		Short: "Run SQL against a database, read-only unless --admin",
		Long: `Run the statements of -c SQL or -f FILE (- for stdin) against --url and print
each result.

Without --admin the statements run read-only by construction: only SELECT,
VALUES, TABLE, EXPLAIN (without ANALYZE) and SHOW pass the allow-list, each
statement runs alone in a read-only transaction that is rolled back, and the
session is reset after it. A refused statement names the fence that refused
it. --admin runs the statements as typed, in autocommit.

--limit N prints at most N rows of each result (default 1000; "limit reached"
is noted on stderr); --limit 0 prints every row, streamed. --timeout is the
statement timeout (default 30s read-only, none with --admin).

-o FILE writes the results to FILE instead of stdout: to a temporary file
beside it, renamed at the end, so a failed run leaves no partial file.
--format xlsx (an Excel workbook, one sheet per result) needs -o.

Exit status: 0 success, 1 a statement was refused or failed, 2 usage.`,
		Args: func(c *cobra.Command, args []string) error {
			if err := cobra.NoArgs(c, args); err != nil {
				return withExit(2, err)
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runQuery(c, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.url, "url", "", "database URL, without the password (use PGPASSWORD or ~/.pgpass)")
	fl.BoolVar(&f.admin, "admin", false, "admin mode: run statements as typed (writes allowed, autocommit)")
	fl.StringVar(&f.format, "format", "table", "output format: table, csv, json (array), jsonl (one object a line), sql (INSERTs) or xlsx (needs -o)")
	fl.StringVarP(&f.output, "output", "o", "", "write the results to this file (replaced only when the run succeeds)")
	fl.IntVar(&f.limit, "limit", query.DefaultLimit, "most rows printed per result; 0 = all, streamed")
	fl.DurationVar(&f.timeout, "timeout", 0, "statement timeout (default 30s read-only, none in admin mode)")
	fl.StringVarP(&f.command, "command", "c", "", "the SQL to run")
	fl.StringVarP(&f.file, "file", "f", "", "file with the SQL to run (- for stdin)")
	return c
}

func runQuery(c *cobra.Command, f *queryFlags) error {
	usage := func(format string, args ...any) error {
		return withExit(2, fmt.Errorf(format+"\nrun '%s --help' for usage", append(args, c.CommandPath())...))
	}
	switch {
	case f.url == "":
		return usage("--url is required")
	case (f.command == "") == (f.file == ""):
		return usage("give one of -c SQL or -f FILE")
	case f.limit < 0:
		return usage("--limit must be 0 (all rows) or more, not %d", f.limit)
	case f.timeout < 0:
		return usage("--timeout must not be negative")
	}
	format := query.Format(f.format)
	if _, err := query.NewWriter(nil, format, ""); err != nil {
		return usage("--format: %v", err)
	}
	if format == query.XLSX && f.output == "" {
		return usage("--format xlsx writes a binary workbook: give -o FILE")
	}
	text := f.command
	if f.file != "" {
		var b []byte
		var err error
		if f.file == "-" {
			b, err = io.ReadAll(c.InOrStdin())
		} else {
			b, err = os.ReadFile(f.file)
		}
		if err != nil {
			return withExit(2, fmt.Errorf("read -f: %w", err))
		}
		text = string(b)
	}
	ctx := c.Context()
	s, err := query.OpenURL(ctx, f.url, query.Options{Admin: f.admin, Timeout: f.timeout})
	if ue := (*usererr.Error)(nil); errors.As(err, &ue) && ue.Field == "url" {
		return withExit(2, err)
	} else if err != nil {
		return err
	}
	defer s.Close(ctx)
	out, stderr := c.OutOrStdout(), c.ErrOrStderr()
	var file *query.OutputFile
	if f.output != "" {
		if file, err = query.CreateOutput(f.output); err != nil {
			return err
		}
		defer file.Abort()
		out = file
	}
	var writers []query.Writer
	var werr error
	var book *query.XLSXBook
	if format == query.XLSX {
		book = query.NewXLSXBook(out)
		defer book.Abort()
	}
	results, err := s.Run(ctx, text, query.RunOptions{Limit: f.limit, Sink: func(int, query.Statement) query.Sink {
		if book != nil {
			return book.Sheet("")
		}
		// The previous result is complete once the next statement starts.
		if n := len(writers); n > 0 {
			werr = firstErr(werr, writers[n-1].Close())
		}
		w, _ := query.NewWriter(out, format, "result")
		writers = append(writers, w)
		return w
	}})
	if n := len(writers); n > 0 {
		werr = firstErr(werr, writers[n-1].Close())
	}
	if book != nil && err == nil {
		werr = firstErr(werr, book.Close())
	}
	for _, r := range results {
		if r.LimitReached {
			fmt.Fprintf(stderr, "limit reached: statement %d printed its first %d rows (--limit 0 prints all)\n", r.Index+1, f.limit)
		}
		if len(r.Columns) == 0 && format == query.Table {
			fmt.Fprintln(out, r.Tag)
		}
	}
	if err != nil {
		return err
	}
	if werr != nil || file == nil {
		return werr
	}
	return file.Commit()
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
