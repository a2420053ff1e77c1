package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/sample"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// scratchServer is a server where Tidemark may create and drop databases.
type scratchServer struct {
	url      string // with the password: never printed
	password string // to redact from messages
	name     string // for messages
}

// redact hides the server's password in err (keeping err, and its chain,
// when it does not contain it).
func (s scratchServer) redact(err error) error {
	if err == nil || s.password == "" {
		return err
	}
	if msg := err.Error(); msg != secret.Redact(msg, s.password) {
		return withExit(exitCodeOf(err), errors.New(secret.Redact(msg, s.password)))
	}
	return err
}

// describe names the server for messages, without its password.
func (s scratchServer) describe() string {
	if s.password != "" {
		return s.name
	}
	return scratch.Redact(s.url)
}

// errSampleStopped says the sample instance exists but is not running (and
// was not to be started).
var errSampleStopped = errors.New("the sample instance is not running")

// sampleScratch returns the workspace's sample instance as a scratch server,
// starting it (creating it on first use, with progress on stderr) when start
// is set; otherwise only a running one is used (errSampleStopped). Its
// password comes from the OS keychain when there is one; without, the
// sample's trusted local socket lets Tidemark set a fresh one for this run.
func sampleScratch(ctx context.Context, g *globals, start bool, stderr io.Writer) (scratchServer, error) {
	ws, err := openWorkspace(ctx, g)
	if err != nil {
		return scratchServer{}, err
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
		return scratchServer{}, errSampleStopped
	}
	progress := func(p sample.Progress) {
		if !running {
			fmt.Fprintf(stderr, "sample instance: %s (%d/%d)\n", p.Step, p.Done+1, p.Total)
		}
	}
	if _, err := m.Start(ctx, progress); err != nil {
		return scratchServer{}, fmt.Errorf("start the sample instance: %w", err)
	}
	list, err := ws.ListInstances(ctx)
	if err != nil {
		return scratchServer{}, err
	}
	for _, in := range list {
		if !in.IsSample {
			continue
		}
		pw, err := so.Secrets.Get(ctx, in.ID)
		if err != nil {
			return scratchServer{}, fmt.Errorf("the sample instance's password: %w", err)
		}
		return scratchServer{url: pg.ForInstance(in, pw).SecretURL(), password: pw, name: "the sample instance"}, nil
	}
	return scratchServer{}, errors.New("the sample instance is not registered in the workspace")
}
