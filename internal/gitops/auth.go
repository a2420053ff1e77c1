package gitops

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"

	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// TokenKey is the keychain entry holding a project's HTTPS token.
func TokenKey(projectID string) string { return "gitops/" + projectID }

// Credentials find what a link authenticates with. Secrets holds HTTPS
// tokens (the OS keychain, or the session store when there is none); nil
// means no stored token can be read.
type Credentials struct {
	Secrets secret.Store
	// Getenv, when set, is asked for TokenEnv before the stored token
	// (headless runs without a keychain).
	Getenv func(string) string
}

// TokenEnv names the environment variable that can hold the HTTPS token.
const TokenEnv = "TIDEMARK_GIT_TOKEN"

// auth is the transport authentication of a link (nil: none). token, when
// not empty, is used instead of the stored one (a link being set up).
func (c *Credentials) auth(ctx context.Context, link workspace.ProjectRepo, token string) (transport.AuthMethod, error) {
	switch link.Auth {
	case workspace.AuthNone:
		return nil, nil
	case workspace.AuthToken:
		if token == "" && c != nil && c.Getenv != nil {
			token = c.Getenv(TokenEnv)
		}
		if token == "" {
			if c == nil || c.Secrets == nil {
				return nil, usererr.Invalid("token", "the repository's token is kept in the OS keychain, which is not available here: set %s", TokenEnv)
			}
			t, err := c.Secrets.Get(ctx, TokenKey(link.ProjectID))
			if errors.Is(err, secret.ErrNotFound) {
				return nil, usererr.Invalid("token", "no token is stored for the repository of this project: set the link again with the token, or set %s", TokenEnv)
			}
			if err != nil {
				return nil, fmt.Errorf("read the repository token from the keychain: %w", err)
			}
			token = t
		}
		user := link.AuthUser
		if user == "" {
			user = "git"
		}
		return &githttp.BasicAuth{Username: user, Password: token}, nil
	case workspace.AuthSSHAgent:
		a, err := gitssh.NewSSHAgentAuth(sshUser(link))
		if err != nil {
			return nil, usererr.Invalid("auth", "the SSH agent: %v (is SSH_AUTH_SOCK set?)", err)
		}
		return a, nil
	case workspace.AuthSSHKey:
		if link.SSHKey == "" {
			return nil, usererr.Invalid("sshKey", "name the private key file for SSH")
		}
		k, err := gitssh.NewPublicKeysFromFile(sshUser(link), link.SSHKey, "")
		if err != nil {
			return nil, usererr.Invalid("sshKey", "the SSH key %s: %v", link.SSHKey, err)
		}
		return k, nil
	}
	return nil, usererr.Invalid("auth", "unknown authentication %q", link.Auth)
}

func sshUser(link workspace.ProjectRepo) string {
	if link.AuthUser != "" {
		return link.AuthUser
	}
	if u, err := transport.NewEndpoint(link.URL); err == nil && u.User != "" {
		return u.User
	}
	return "git"
}

// checkRemoteURL refuses a remote URL that carries a password or token:
// credentials go to the keychain, never into the workspace.
func checkRemoteURL(raw string) error {
	ep, err := transport.NewEndpoint(raw)
	if err != nil {
		return usererr.Invalid("url", "the repository URL %q: %v", raw, err)
	}
	if ep.Password != "" {
		return usererr.Invalid("url", "the repository URL carries a password or token: give the URL without it and the token separately (it is kept in the OS keychain)")
	}
	if strings.HasPrefix(raw, "http") {
		if u, err := url.Parse(raw); err == nil && u.User != nil {
			if _, set := u.User.Password(); set {
				return usererr.Invalid("url", "the repository URL carries a password or token: give the URL without it and the token separately (it is kept in the OS keychain)")
			}
		}
	}
	return nil
}
