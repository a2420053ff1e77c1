package catalog

import (
	"fmt"
	"strings"
)

// aclLetters maps aclitem privilege letters to privilege names.
func aclPrivilege(c byte) (string, bool) {
	switch c {
	case 'r':
		return "SELECT", true
	case 'w':
		return "UPDATE", true
	case 'a':
		return "INSERT", true
	case 'd':
		return "DELETE", true
	case 'D':
		return "TRUNCATE", true
	case 'x':
		return "REFERENCES", true
	case 't':
		return "TRIGGER", true
	case 'X':
		return "EXECUTE", true
	case 'U':
		return "USAGE", true
	case 'C':
		return "CREATE", true
	case 'c':
		return "CONNECT", true
	case 'T':
		return "TEMPORARY", true
	case 'm':
		return "MAINTAIN", true
	case 's':
		return "SET", true
	case 'A':
		return "ALTER SYSTEM", true
	}
	return "", false
}

// parseACL turns aclitem text forms ("grantee=privs/grantor", grantee empty
// for PUBLIC, names double-quoted when needed, "*" after a letter for the
// grant option) into grants. Parsing in Go is much cheaper than aclexplode
// plus JSON per object on the server.
func parseACL(items []string) ([]Grant, error) {
	var out []Grant
	for _, it := range items {
		grantee, rest, err := aclName(it)
		if err != nil {
			return nil, fmt.Errorf("aclitem %q: %w", it, err)
		}
		if !strings.HasPrefix(rest, "=") {
			return nil, fmt.Errorf("aclitem %q: no '='", it)
		}
		rest = rest[1:]
		slash := strings.IndexByte(rest, '/')
		if slash < 0 {
			return nil, fmt.Errorf("aclitem %q: no grantor", it)
		}
		privs := rest[:slash]
		grantor, tail, err := aclName(rest[slash+1:])
		if err != nil || tail != "" {
			return nil, fmt.Errorf("aclitem %q: bad grantor", it)
		}
		if grantee == "" {
			grantee = "PUBLIC"
		}
		for i := 0; i < len(privs); i++ {
			p, ok := aclPrivilege(privs[i])
			if !ok {
				return nil, fmt.Errorf("aclitem %q: unknown privilege %q", it, privs[i])
			}
			g := Grant{Grantee: grantee, Grantor: grantor, Privilege: p}
			if i+1 < len(privs) && privs[i+1] == '*' {
				g.Grantable = true
				i++
			}
			out = append(out, g)
		}
	}
	return out, nil
}

// aclName reads a role name (possibly double-quoted) from the start of s.
func aclName(s string) (name, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		i := strings.IndexAny(s, "=/")
		if i < 0 {
			return s, "", nil
		}
		return s[:i], s[i:], nil
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == '"' {
			if i+1 < len(s) && s[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			return b.String(), s[i+1:], nil
		}
		b.WriteByte(s[i])
	}
	return "", "", fmt.Errorf("unterminated quoted name")
}
