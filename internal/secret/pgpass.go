package secret

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// PgpassEntry is one line of a password file:
// hostname:port:database:username:password, where the first four may be "*".
type PgpassEntry struct {
	Host, Port, Database, User, Password string
	// literal marks fields written as `\*`: a literal asterisk, not a wildcard.
	literal [4]bool
}

// PgpassPath returns $PGPASSFILE, else ~/.pgpass (libpq's rules).
func PgpassPath(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if p := getenv("PGPASSFILE"); p != "" {
		return p, nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the password file: no home directory (set PGPASSFILE): %w", err)
		}
		home = h
	}
	return filepath.Join(home, ".pgpass"), nil
}

// ParsePgpass reads a password file. Blank lines and lines starting with # are
// skipped, as are lines with fewer than five fields (libpq ignores them too).
// A backslash escapes the next character, so `\:` is a colon inside a field and
// `\\` a backslash. The password ends at the first unescaped colon.
func ParsePgpass(r io.Reader) ([]PgpassEntry, error) {
	var out []PgpassEntry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields, escaped := splitPgpass(line)
		if len(fields) < 5 {
			continue
		}
		e := PgpassEntry{Host: fields[0], Port: fields[1], Database: fields[2], User: fields[3], Password: fields[4]}
		for i := 0; i < 4; i++ {
			e.literal[i] = escaped[i] && fields[i] == "*"
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// splitPgpass splits on unescaped colons and de-escapes. escaped[i] reports
// whether field i contained an escape (so `\*` is a literal asterisk).
func splitPgpass(line string) (fields []string, escaped []bool) {
	var b strings.Builder
	esc := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line):
			i++
			b.WriteByte(line[i])
			esc = true
		case c == ':':
			fields = append(fields, b.String())
			escaped = append(escaped, esc)
			b.Reset()
			esc = false
			if len(fields) == 5 {
				return fields, escaped
			}
		default:
			b.WriteByte(c)
		}
	}
	return append(fields, b.String()), append(escaped, esc)
}

// Match reports whether e applies to t, with libpq's rules: "*" matches
// anything, and host "localhost" also matches a Unix-socket connection.
func (e PgpassEntry) Match(t Target) bool {
	host := t.Host
	if host == "" || strings.HasPrefix(host, "/") {
		host = "localhost"
	}
	port := "5432"
	if t.Port != 0 {
		port = strconv.Itoa(t.Port)
	}
	db := t.Database
	if db == "" {
		db = t.User
	}
	m := func(i int, pat, v string) bool { return (pat == "*" && !e.literal[i]) || pat == v }
	return m(0, e.Host, host) && m(1, e.Port, port) && m(2, e.Database, db) && m(3, e.User, t.User)
}

// PgpassPermissionError means the file is readable by others; libpq ignores such
// a file, and so do we.
type PgpassPermissionError struct {
	Path string
	Mode fs.FileMode
}

// Error says which file is ignored and how to fix its mode.
func (e *PgpassPermissionError) Error() string {
	return fmt.Sprintf("password file %s has group or world access (%v) and is ignored, as libpq does; run chmod 0600 %s", e.Path, e.Mode.Perm(), e.Path)
}

// LookupPgpass returns the password of the first entry in the file at path that
// matches t. A missing file is not an error (found is false).
func LookupPgpass(path string, t Target) (pw string, found bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read password file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", false, fmt.Errorf("read password file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return "", false, fmt.Errorf("password file %s is not a regular file", path)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return "", false, &PgpassPermissionError{Path: path, Mode: st.Mode()}
	}
	entries, err := ParsePgpass(f)
	if err != nil {
		return "", false, fmt.Errorf("read password file %s: %w", path, err)
	}
	for _, e := range entries {
		if e.Match(t) {
			return e.Password, true, nil
		}
	}
	return "", false, nil
}
