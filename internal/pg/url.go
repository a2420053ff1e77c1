package pg

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// ConnInfo is everything needed to reach one PostgreSQL server as one user.
type ConnInfo struct {
	Host     string
	Port     int
	User     string
	Password string // never printed; see Redacted
	Database string // empty: same as User (libpq's default)
	SSLMode  string // empty: prefer
}

// SSLModes returns the sslmode values libpq (and pgx) accept, weakest first.
func SSLModes() []string {
	return []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}
}

func validSSLMode(m string) bool {
	for _, v := range SSLModes() {
		if v == m {
			return true
		}
	}
	return false
}

// URL renders ci as a postgres:// URL without the password.
func (ci ConnInfo) URL() string {
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(ci.Host, strconv.Itoa(ci.Port)),
		Path: "/" + ci.Database, RawPath: "/" + url.PathEscape(ci.Database)}
	if ci.User != "" {
		u.User = url.User(ci.User)
	}
	if ci.SSLMode != "" {
		u.RawQuery = "sslmode=" + url.QueryEscape(ci.SSLMode)
	}
	return u.String()
}

// SecretURL renders ci as a postgres:// URL with the password, for handing
// to code that connects (pgx, the scratch package). Never print it.
func (ci ConnInfo) SecretURL() string {
	db := ci.Database
	if db == "" {
		db = ci.User
	}
	q := url.Values{}
	if ci.SSLMode != "" {
		q.Set("sslmode", ci.SSLMode)
	}
	q.Set("application_name", ApplicationName)
	q.Set("connect_timeout", strconv.Itoa(int(ConnectTimeout.Seconds())))
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(ci.Host, strconv.Itoa(ci.Port)), Path: "/" + db, RawQuery: q.Encode()}
	if ci.Password != "" {
		u.User = url.UserPassword(ci.User, ci.Password)
	} else {
		u.User = url.User(ci.User)
	}
	return u.String()
}

func fieldErr(field, format string, args ...any) *usererr.Error {
	return &usererr.Error{Message: fmt.Sprintf(format, args...), Field: field}
}

// ParseURL reads a postgres:// or postgresql:// URL, or a libpq key=value
// connection string, into a ConnInfo (port defaults to 5432, sslmode to prefer).
// A malformed input gives a *usererr.Error whose message says which part is wrong and
// whose Field names it (url, host, port, user, password, database, sslmode).
// Messages never repeat the password.
func ParseURL(s string) (ConnInfo, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return ConnInfo{}, fieldErr("url", "the connection URL is empty; expected postgres://user:password@host:5432/database")
	}
	if strings.ContainsRune(s, 0) {
		return ConnInfo{}, fieldErr("url", "the connection string contains a NUL byte")
	}
	var ci ConnInfo
	var err *usererr.Error
	if scheme, _, ok := strings.Cut(s, "://"); ok {
		ls := strings.ToLower(scheme)
		if ls != "postgres" && ls != "postgresql" {
			return ConnInfo{}, fieldErr("url", "unsupported URL scheme %q: use postgres:// or postgresql://", scheme)
		}
		ci, err = parseURL(s[len(scheme)+3:])
	} else if strings.Contains(s, "=") {
		ci, err = parseDSN(s)
	} else {
		return ConnInfo{}, fieldErr("url", "not a connection URL: expected postgres://user:password@host:5432/database or key=value pairs such as host=... port=...")
	}
	if err != nil {
		return ConnInfo{}, err
	}
	if ci.Port == 0 {
		ci.Port = 5432
	}
	if ci.SSLMode == "" {
		ci.SSLMode = "prefer"
	}
	if ci.Host == "" {
		return ConnInfo{}, fieldErr("host", "the connection URL names no host")
	}
	if strings.HasPrefix(ci.Host, "/") {
		return ConnInfo{}, fieldErr("host", "Unix-socket hosts (%s) are not supported: give a TCP host name or address", ci.Host)
	}
	return ci, nil
}

func setPort(ci *ConnInfo, p string) *usererr.Error {
	if p == "" {
		return nil
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return fieldErr("port", "port %q is not a number", p)
	}
	if n < 1 || n > 65535 {
		return fieldErr("port", "port %d is out of range (1-65535)", n)
	}
	ci.Port = n
	return nil
}

func setSSLMode(ci *ConnInfo, m string) *usererr.Error {
	if !validSSLMode(m) {
		return fieldErr("sslmode", "unknown sslmode %q (use one of %s)", m, strings.Join(SSLModes(), ", "))
	}
	ci.SSLMode = m
	return nil
}

// ignoredParams are libpq parameters Tidemark accepts and sets itself.
var ignoredParams = map[string]bool{"application_name": true, "connect_timeout": true}

func setParam(ci *ConnInfo, k, v string) *usererr.Error {
	switch k {
	case "host", "hostaddr":
		if strings.Contains(v, ",") {
			return fieldErr("host", "several hosts (%s) are not supported: give one host", v)
		}
		if !strings.HasPrefix(v, "/") {
			if uerr := checkHost(v); uerr != nil {
				return uerr
			}
			if strings.Contains(v, ":") && net.ParseIP(strings.SplitN(v, "%", 2)[0]) == nil {
				return fieldErr("host", "the host %q is neither a host name nor an IP address", v)
			}
		}
		ci.Host = v
	case "port":
		if strings.Contains(v, ",") {
			return fieldErr("port", "several ports (%s) are not supported: give one port", v)
		}
		return setPort(ci, v)
	case "user":
		ci.User = v
	case "password":
		ci.Password = v
	case "dbname":
		ci.Database = v
	case "sslmode":
		return setSSLMode(ci, v)
	default:
		if ignoredParams[k] {
			return nil
		}
		known := []string{"host", "port", "user", "password", "dbname", "sslmode"}
		sort.Strings(known)
		return fieldErr("url", "unsupported connection parameter %q (supported: %s)", k, strings.Join(known, ", "))
	}
	return nil
}

// checkHost rejects characters no host name or address contains.
func checkHost(h string) *usererr.Error {
	for _, r := range h {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("[]@/?#\\,'\"", r) {
			return fieldErr("host", "the host %q is not a valid host name or address", h)
		}
	}
	return nil
}

// parseURL parses what follows "scheme://" by hand, so that each part gets its
// own message (net/url reports a bad port with the whole URL, password included).
func parseURL(rest string) (ConnInfo, *usererr.Error) {
	var ci ConnInfo
	for _, r := range rest {
		if r <= ' ' || r == 0x7f {
			return ci, fieldErr("url", "the URL contains a space or control character; percent-encode it (a space is %%20)")
		}
	}
	// No fragment handling: libpq has none, a '#' is part of whatever holds it.
	query := ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query = rest[:i], rest[i+1:]
	}
	hostport, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		hostport, path = rest[:i], rest[i+1:]
	}
	userinfo, hasUser := "", false
	if i := strings.LastIndexByte(hostport, '@'); i >= 0 {
		userinfo, hostport, hasUser = hostport[:i], hostport[i+1:], true
	} else if strings.Contains(path, "@") {
		// No credentials before the first '/' but an '@' after it: most likely a
		// password holding a '/', so what looks like host:port and database holds
		// parts of it. Refuse without quoting any of it.
		return ci, fieldErr("password", "the URL has an @ after its first /: percent-encode a / in the user name or password as %%2F (and an @ in a database name as %%40)")
	}
	// Likewise an '@' in the query with no credentials before it may follow a
	// password holding a '?': host, port and query errors then quote nothing.
	queryErr := func(uerr *usererr.Error) *usererr.Error {
		if !hasUser && strings.Contains(query, "@") {
			return fieldErr("password", "the URL's query is malformed; percent-encode a ? in the user name or password as %%3F")
		}
		return uerr
	}
	if hasUser {
		u, p, hasPw := strings.Cut(userinfo, ":")
		user, err := unescape(u)
		if err != nil {
			return ci, fieldErr("user", "the user name has a bad %%-escape")
		}
		ci.User = user
		if hasPw {
			pw, err := unescape(p)
			if err != nil {
				return ci, fieldErr("password", "the password has a bad %%-escape (encode special characters, e.g. %%40 for @)")
			}
			ci.Password = pw
		}
	}
	hp, uerr := parseHostPort(hostport)
	if uerr != nil {
		return ci, queryErr(uerr)
	}
	ci.Host, ci.Port = hp.Host, hp.Port
	if path != "" {
		db, err := unescape(path)
		if err != nil {
			return ci, fieldErr("database", "the database name has a bad %%-escape")
		}
		ci.Database = db
	}
	if query != "" {
		// Parameters apply in order; a repeated one wins last, as in libpq.
		for _, part := range strings.Split(query, "&") {
			k, v, ok := strings.Cut(part, "=")
			if !ok {
				return ci, queryErr(fieldErr("url", "the query parameter %q has no = (write name=value)", truncate(part)))
			}
			if strings.Contains(v, "=") {
				return ci, queryErr(fieldErr(fieldOf(k), "the query parameter %q has a second = (percent-encode it as %%3D)", truncate(k)))
			}
			// %-decoding only: libpq does not read '+' as a space.
			key, err1 := unescape(k)
			val, err2 := unescape(v)
			if err1 != nil || err2 != nil {
				return ci, queryErr(fieldErr(fieldOf(key), "the query parameter %q has a bad %%-escape", truncate(key)))
			}
			if uerr := setParam(&ci, key, val); uerr != nil {
				return ci, uerr
			}
		}
	}
	return ci, nil
}

// parseHostPort reads the host[:port] part of a URL (IPv6 in brackets) into
// the Host and Port of a ConnInfo (Port 0 when absent).
func parseHostPort(hostport string) (ConnInfo, *usererr.Error) {
	var hp ConnInfo
	if strings.Contains(hostport, ",") {
		return hp, fieldErr("host", "several hosts (%s) are not supported: give one host", hostport)
	}
	host, port := hostport, ""
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return hp, fieldErr("host", "the IPv6 host %q lacks its closing ]", hostport)
		}
		host = hostport[1:end]
		after := hostport[end+1:]
		if after != "" {
			if !strings.HasPrefix(after, ":") {
				return hp, fieldErr("host", "unexpected %q after the IPv6 host", after)
			}
			port = after[1:]
			if port == "" {
				return hp, fieldErr("port", "the port after %q is empty", hostport[:end+1])
			}
		}
	} else if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		host, port = hostport[:i], hostport[i+1:]
		if port == "" {
			return hp, fieldErr("port", "the port after %q is empty", host)
		}
	}
	h, err := unescape(host)
	if err != nil {
		return hp, fieldErr("host", "the host %q has a bad %%-escape", host)
	}
	bracketed := strings.HasPrefix(hostport, "[")
	if bracketed && net.ParseIP(strings.SplitN(h, "%", 2)[0]) == nil {
		return hp, fieldErr("host", "%q in brackets is not an IPv6 address", h)
	}
	if !bracketed && strings.Contains(h, ":") {
		return hp, fieldErr("host", "the host %q contains a colon: write IPv6 addresses in brackets, e.g. [::1]:5432", h)
	}
	if uerr := checkHost(h); uerr != nil {
		return hp, uerr
	}
	hp.Host = h
	if uerr := setPort(&hp, port); uerr != nil {
		return hp, uerr
	}
	return hp, nil
}

// parseDSN reads libpq key=value pairs: values may be single-quoted, and a
// backslash escapes the next character.
func parseDSN(s string) (ConnInfo, *usererr.Error) {
	var ci ConnInfo
	i := 0
	skip := func() {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
	}
	// afterPassword: the previous value was an unquoted password, so a bad
	// key now is most likely the rest of a password holding a space.
	afterPassword := false
	pwErr := func() *usererr.Error {
		return fieldErr("password", "connection string: what follows the password is not key=value; quote a password holding spaces: password='...'")
	}
	for {
		skip()
		if i >= len(s) {
			return ci, nil
		}
		start := i
		for i < len(s) && s[i] != '=' && !isSpace(s[i]) {
			i++
		}
		key := s[start:i]
		skip()
		if i >= len(s) || s[i] != '=' {
			if afterPassword {
				return ci, pwErr()
			}
			return ci, fieldErr("url", "connection string: %q is not followed by =value", key)
		}
		if key == "" {
			return ci, fieldErr("url", "connection string: a value without a key")
		}
		i++ // '='
		skip()
		var b strings.Builder
		quoted := i < len(s) && s[i] == '\''
		if quoted {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if c == '\'' {
					closed = true
					i++
					break
				}
				b.WriteByte(c)
				i++
			}
			if !closed {
				return ci, fieldErr(fieldOf(key), "connection string: the quoted value of %s lacks its closing quote", key)
			}
		} else {
			for i < len(s) && !isSpace(s[i]) {
				if s[i] == '\\' {
					i++ // a backslash takes the next character literally; a final one is dropped (libpq)
					if i >= len(s) {
						break
					}
				}
				b.WriteByte(s[i])
				i++
			}
		}
		if uerr := setParam(&ci, key, b.String()); uerr != nil {
			if afterPassword && uerr.Field == "url" {
				return ci, pwErr()
			}
			return ci, uerr
		}
		afterPassword = key == "password" && !quoted
	}
}

// isSpace is C's isspace in the C locale, which libpq uses between pairs.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// unescape %-decodes like libpq: %00 is forbidden, '+' stays '+'.
func unescape(s string) (string, error) {
	v, err := url.PathUnescape(s)
	if err != nil {
		return "", err
	}
	if strings.ContainsRune(v, 0) {
		return "", fmt.Errorf("%%00 is not allowed")
	}
	return v, nil
}

// truncate keeps messages short (and never quotes a long value in full).
func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func fieldOf(key string) string {
	switch key {
	case "dbname":
		return "database"
	case "host", "port", "user", "password", "sslmode":
		return key
	}
	return "url"
}
