package pg

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// FuzzParseURLAgreesWithPgx uses pgx's own connection-string parser as an
// oracle: whatever ParseURL accepts, pgconn.ParseConfig must accept too and
// read the same host, port, user, password and database.
func FuzzParseURLAgreesWithPgx(f *testing.F) {
	for _, s := range []string{
		"postgres://alice:s%40cret@db.example.com:6432/shop?sslmode=require",
		"postgresql://u:p:q@[::1]:5433/d",
		"host=h port=5433 user=u password='a \\'b\\' c' dbname='my db' sslmode=disable",
		"postgres://u@h/d%2Fx?application_name=x",
		"postgres:///d?host=h&port=7&user=u&password=pw&dbname=other",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ci, err := ParseURL(s)
		if err != nil {
			return
		}
		if strings.Contains(s, "#") && strings.Contains(s, "://") {
			return // pgx (net/url) cuts a URL at '#'; libpq, which we follow, does not
		}
		if _, q, ok := strings.Cut(s, "?"); ok && strings.Contains(s, "://") && strings.Contains(q, "+") {
			return // pgx reads '+' in a URL query as a space; libpq, which we follow, does not
		}
		// Keep the environment out of the oracle's defaults.
		t.Setenv("PGHOST", "")
		t.Setenv("PGPORT", "")
		t.Setenv("PGUSER", "x-default-user")
		t.Setenv("PGPASSWORD", "")
		t.Setenv("PGDATABASE", "")
		t.Setenv("PGPASSFILE", "/nonexistent")
		t.Setenv("PGSERVICEFILE", "/nonexistent")
		t.Setenv("PGSSLMODE", "")
		// ParseURL trims pasted whitespace and reads the scheme case-insensitively (RFC 3986).
		in := strings.TrimSpace(s)
		if scheme, rest, ok := strings.Cut(in, "://"); ok {
			in = strings.ToLower(scheme) + "://" + rest
		}
		cfg, err := pgconn.ParseConfig(in)
		if err != nil {
			t.Fatalf("ParseURL(%q) = %+v but pgx refuses it: %v", s, redactedInfo(ci), err)
		}
		if cfg.Host != ci.Host || int(cfg.Port) != ci.Port || cfg.Password != ci.Password {
			t.Fatalf("ParseURL(%q): host %q port %d; pgx: host %q port %d (passwords equal: %v)", s, ci.Host, ci.Port, cfg.Host, cfg.Port, cfg.Password == ci.Password)
		}
		if ci.User != "" && cfg.User != ci.User {
			t.Fatalf("ParseURL(%q): user %q; pgx: %q", s, ci.User, cfg.User)
		}
		if ci.Database != "" && cfg.Database != ci.Database {
			t.Fatalf("ParseURL(%q): database %q; pgx: %q", s, ci.Database, cfg.Database)
		}
	})
}

func redactedInfo(ci ConnInfo) ConnInfo {
	ci.Password = "(redacted)"
	return ci
}
