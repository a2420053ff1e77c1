package scratch

import (
	"strings"

	"github.com/tidemark-dev/tidemark/internal/secret"
)

// Server is a server where scratch databases may be created, as a caller
// chose it (an instance, the sample instance, --scratch URL).
type Server struct {
	URL      string // with the password: never shown
	Password string // hidden from every message
	Name     string // for messages, e.g. the instance's name
}

// Redact hides the server's password in err's message. The chain is kept
// (errors.As still finds the *pgconn.PgError and its SQLSTATE); only the
// message changes.
func (s Server) Redact(err error) error {
	if !s.Leaks(err) {
		return err
	}
	return &redacted{msg: secret.Redact(err.Error(), s.Password), err: err}
}

// redacted is an error whose message had a password taken out.
type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// Leaks reports whether err's message holds the server's password (so
// Redact would replace it).
func (s Server) Leaks(err error) bool {
	return err != nil && s.Password != "" && strings.Contains(err.Error(), s.Password)
}

// Describe names the server for messages, without its password.
func (s Server) Describe() string {
	if s.Password != "" || s.URL == "" {
		return s.Name
	}
	return Redact(s.URL)
}
