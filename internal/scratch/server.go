package scratch

import (
	"errors"
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

// Redact hides the server's password in err. An error that does not contain
// it is returned as it is (keeping its chain, e.g. the SQLSTATE).
func (s Server) Redact(err error) error {
	if !s.Leaks(err) {
		return err
	}
	return errors.New(secret.Redact(err.Error(), s.Password))
}

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
