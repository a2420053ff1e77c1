package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/sample"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// redactScratch hides srv's password in err, keeping err's exit code.
func redactScratch(srv scratch.Server, err error) error {
	if !srv.Leaks(err) {
		return err
	}
	return withExit(exitCodeOf(err), srv.Redact(err))
}

// errSampleStopped says the sample instance exists but is not running (and
// was not to be started).
var errSampleStopped = errors.New("the sample instance is not running")

// sampleScratch returns the workspace's sample instance as a scratch server,
// starting it (creating it on first use, with progress on stderr) when start
// is set; otherwise only a running one is used (errSampleStopped). Its
// password comes from the OS keychain when there is one; without, the
// sample's trusted local socket lets Tidemark set a fresh one for this run.
func sampleScratch(ctx context.Context, g *globals, start bool, stderr io.Writer) (scratch.Server, error) {
	ws, err := openWorkspace(ctx, g)
	if err != nil {
		return scratch.Server{}, err
	}
	defer ws.Close()
	so := sample.Options{Workspace: ws, Secrets: secret.NewSession(), PasswordMode: workspace.PasswordSession}
	kc := secret.NewKeychain(keychainService)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	if kc.Probe(pctx).Available {
		so.Secrets, so.PasswordMode = kc, workspace.PasswordKeychain
	}
	cancel()
	m := sample.New(so)
	running := m.Running(ctx)
	if !running && !start {
		return scratch.Server{}, errSampleStopped
	}
	progress := func(p sample.Progress) {
		if !running {
			fmt.Fprintf(stderr, "sample instance: %s (%d/%d)\n", p.Step, p.Done+1, p.Total)
		}
	}
	if _, err := m.Start(ctx, progress); err != nil {
		return scratch.Server{}, fmt.Errorf("start the sample instance: %w", err)
	}
	list, err := ws.ListInstances(ctx)
	if err != nil {
		return scratch.Server{}, err
	}
	for _, in := range list {
		if !in.IsSample {
			continue
		}
		pw, err := so.Secrets.Get(ctx, in.ID)
		if err != nil {
			return scratch.Server{}, fmt.Errorf("the sample instance's password: %w", err)
		}
		return scratch.Server{URL: instances.ConnInfo(in, pw).SecretURL(), Password: pw, Name: "the sample instance"}, nil
	}
	return scratch.Server{}, errors.New("the sample instance is not registered in the workspace")
}
