// Command tidemark is the headless CLI of Tidemark: the same engine as the desktop
// app, for terminals and CI. It must never import Wails.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/tidemark-dev/tidemark/internal/usererr"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd()
	err := cmd.ExecuteContext(ctx)
	os.Exit(exitCode(err, cmd.ErrOrStderr()))
}

// exitError carries a specific exit code (e.g. review: 1 = error-level advice, 2 = usage/parse failure).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// withExit wraps err so the process exits with code.
func withExit(code int, err error) error { return &exitError{code: code, err: err} }

// exitCodeOf is the exit code err gives: its own, or 1.
func exitCodeOf(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func exitCode(err error, stderr interface{ Write([]byte) (int, error) }) int {
	if err == nil {
		return 0
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err == nil {
			return ee.code
		}
		code, err = ee.code, ee.err
	}
	fmt.Fprintln(stderr, "tidemark:", err)
	// The PostgreSQL detail and hint (or the failing statement) follow the one line.
	var ue *usererr.Error
	if errors.As(err, &ue) {
		if ue.Detail != "" {
			fmt.Fprintln(stderr, "detail:", ue.Detail)
		}
		if ue.Hint != "" {
			fmt.Fprintln(stderr, "hint:", ue.Hint)
		}
	}
	return code
}
