package pg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// ConnectTimeout bounds establishing a connection (TCP, TLS and authentication).
const ConnectTimeout = 5 * time.Second

// Convert turns any error from connecting or querying into a *usererr.Error:
//   - a PostgreSQL error keeps its message, SQLSTATE, detail and hint
//     (wrong password: 28P01; unknown database: 3D000);
//   - a DNS failure says the host name could not be resolved;
//   - a refused, unreachable or timed-out connection says "cannot reach HOST:PORT: ...".
//
// ci supplies host and port for messages and the password to redact.
// A nil err gives nil; a *usererr.Error passes through (redacted again).
func Convert(err error, ci ConnInfo) *usererr.Error {
	if err == nil {
		return nil
	}
	ue := convert(err, ci)
	red := func(s string) string { return secret.Redact(s, ci.Password) }
	ue.Message, ue.Detail, ue.Hint = red(ue.Message), red(ue.Detail), red(ue.Hint)
	return ue
}

func convert(err error, ci ConnInfo) *usererr.Error {
	var ue *usererr.Error
	if errors.As(err, &ue) {
		c := *ue
		return &c
	}
	addr := net.JoinHostPort(ci.Host, strconv.Itoa(ci.Port))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		out := &usererr.Error{Message: pgErr.Message, SQLState: pgErr.Code, Detail: pgErr.Detail, Hint: pgErr.Hint, Err: err}
		switch pgErr.Code {
		case "28P01", "28000":
			out.Field = "password"
			if pgErr.Code == "28000" {
				out.Field = "user"
			}
		case "3D000":
			out.Field = "database"
		}
		return out
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		reason := dnsErr.Err
		if dnsErr.IsNotFound {
			reason = "no such host"
		}
		return &usererr.Error{Message: fmt.Sprintf("cannot resolve host %q: %s (DNS lookup failed)", ci.Host, reason), Field: "host", Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err) {
		return &usererr.Error{Message: fmt.Sprintf("cannot reach %s: no answer within %s (is the host up and the port open?)", addr, ConnectTimeout), Field: "host", Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &usererr.Error{Message: fmt.Sprintf("connecting to %s was cancelled", addr), Err: err}
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return &usererr.Error{Message: fmt.Sprintf("cannot reach %s: connection refused (is PostgreSQL running and listening on that port?)", addr), Field: "port", Err: err}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		reason := opErr.Err.Error()
		var sys *os.SyscallError
		if errors.As(opErr.Err, &sys) {
			reason = sys.Err.Error()
		}
		return &usererr.Error{Message: fmt.Sprintf("cannot reach %s: %s", addr, reason), Field: "host", Err: err}
	}
	msg := err.Error()
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		if inner := errors.Unwrap(ce); inner != nil {
			msg = inner.Error()
		}
		// pgx prefixes each attempt with "ADDR (HOST): "; the message names the address already.
		if i := strings.Index(msg, "): "); i >= 0 && strings.HasPrefix(msg, addr) {
			msg = msg[i+3:]
		}
		msg = strings.TrimSpace(msg)
		out := &usererr.Error{Message: fmt.Sprintf("cannot connect to %s: %s", addr, msg), Err: err}
		switch {
		case strings.Contains(msg, "server refused TLS connection"):
			out.Message = fmt.Sprintf("cannot connect to %s: the server does not accept TLS connections, but the sslmode requires TLS", addr)
			out.Field = "sslmode"
			out.Hint = "Use sslmode=prefer (TLS when the server offers it) or enable ssl on the server."
		case strings.Contains(msg, "x509:") || strings.Contains(msg, "tls:"):
			out.Field = "sslmode"
			out.Hint = "The server's TLS certificate was not accepted; check sslmode (verify-ca and verify-full need the CA certificate)."
		}
		return out
	}
	return &usererr.Error{Message: msg, Err: err}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}
