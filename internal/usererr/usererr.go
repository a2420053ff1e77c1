// Package usererr holds Tidemark's one error type written for the person at
// the keyboard: PostgreSQL's own message and SQLSTATE when a server answered,
// otherwise a sentence naming what went wrong, and the input at fault.
// Every face (desktop bindings, CLI) renders this type; the internal
// packages return it where they know what the user must change.
package usererr

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Error is an error for people. Field names the input at fault (host, port,
// user, password, database, sslmode, url, version, statement, ...) when one
// is. Messages never contain a password; Err, the underlying error, may hold
// raw driver text and is never shown.
type Error struct {
	Message  string
	SQLState string
	Detail   string
	Hint     string
	Field    string
	Err      error
}

// Error renders the message and, when there is one, the SQLSTATE.
func (e *Error) Error() string {
	if e.SQLState != "" {
		return fmt.Sprintf("%s (SQLSTATE %s)", e.Message, e.SQLState)
	}
	return e.Message
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Invalid is an error about one input field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...), Field: field}
}

// From returns err as an *Error: an *Error in its chain as it is; a
// PostgreSQL error with its message, SQLSTATE, detail and hint (and any
// context wrapped around it in front of the message); anything else with its
// message. nil gives nil.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var ue *Error
	if errors.As(err, &ue) {
		if ue == err {
			return ue
		}
		c := *ue
		c.Message = outer(err, ue.Error(), ue.Message)
		c.Err = err
		return &c
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return &Error{Message: outer(err, pe.Error(), pe.Message), SQLState: pe.Code, Detail: pe.Detail, Hint: pe.Hint, Err: err}
	}
	return &Error{Message: err.Error(), Err: err}
}

// Wrap puts context in front of err's message, keeping its SQLSTATE, detail,
// hint and field: Wrap("connect to hr on Sample: ", err).
func Wrap(prefix string, err error) *Error {
	if err == nil {
		return nil
	}
	c := *From(err)
	c.Message = prefix + c.Message
	c.Err = err
	return &c
}

// outer is the message of err, whose chain holds an error rendered as inner
// with message msg: the context wrapped in front of inner followed by msg
// ("inspect db: " + msg), or err's own message when it does not end with
// inner (it was rewritten on the way, e.g. to take a password out).
func outer(err error, inner, msg string) string {
	s := err.Error()
	if strings.HasSuffix(s, inner) {
		return s[:len(s)-len(inner)] + msg
	}
	return s
}
