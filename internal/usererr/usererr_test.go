package usererr

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestFrom(t *testing.T) {
	pe := &pgconn.PgError{Severity: "ERROR", Code: "42P01", Message: `relation "t" does not exist`, Hint: "check the name"}
	inner := &Error{Message: "no password", Field: "password"}
	cases := []struct {
		name                  string
		err                   error
		msg, sqlstate, field  string
		hint                  string
		wantSame, wantChained bool
	}{
		{name: "plain", err: errors.New("boom"), msg: "boom"},
		{name: "pg error", err: pe, msg: `relation "t" does not exist`, sqlstate: "42P01", hint: "check the name"},
		{name: "wrapped pg error keeps context", err: fmt.Errorf("inspect hr: %w", pe), msg: `inspect hr: relation "t" does not exist`, sqlstate: "42P01", hint: "check the name"},
		{name: "itself", err: inner, msg: "no password", field: "password", wantSame: true},
		{name: "wrapped user error keeps context and field", err: fmt.Errorf("instance a: %w", inner), msg: "instance a: no password", field: "password"},
		{name: "rewritten message wins", err: &rewritten{msg: "redacted text", err: pe}, msg: "redacted text", sqlstate: "42P01", hint: "check the name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := From(c.err)
			if got.Message != c.msg || got.SQLState != c.sqlstate || got.Field != c.field || got.Hint != c.hint {
				t.Errorf("From = %+v, want message %q sqlstate %q field %q hint %q", got, c.msg, c.sqlstate, c.field, c.hint)
			}
			if c.wantSame && got != c.err {
				t.Errorf("From returned a copy of an *Error")
			}
			if !errors.Is(got, c.err) && got != c.err {
				t.Errorf("From lost the chain of %v", c.err)
			}
		})
	}
	if From(nil) != nil {
		t.Error("From(nil) != nil")
	}
}

func TestWrapAndError(t *testing.T) {
	pe := &pgconn.PgError{Code: "28P01", Message: "password authentication failed"}
	e := Wrap("connect to hr on Sample: ", pe)
	if e.Error() != "connect to hr on Sample: password authentication failed (SQLSTATE 28P01)" {
		t.Errorf("Error() = %q", e.Error())
	}
	var back *pgconn.PgError
	if !errors.As(e, &back) || back != pe {
		t.Error("Wrap lost the PostgreSQL error")
	}
	if Wrap("x", nil) != nil {
		t.Error("Wrap(nil) != nil")
	}
	if got := Invalid("port", "port %d is out of range", 0); got.Field != "port" || got.Message != "port 0 is out of range" {
		t.Errorf("Invalid = %+v", got)
	}
}

type rewritten struct {
	msg string
	err error
}

func (r *rewritten) Error() string { return r.msg }
func (r *rewritten) Unwrap() error { return r.err }
