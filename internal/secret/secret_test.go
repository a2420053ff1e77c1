package secret

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"
)

// contract runs the behaviour every Store must have.
func contract(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	t.Run("missing", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get missing: err = %v, want ErrNotFound", err)
		}
		if err := s.Delete(ctx, "nope"); err != nil {
			t.Fatalf("Delete missing: %v", err)
		}
	})
	t.Run("set-get-overwrite-delete", func(t *testing.T) {
		s := newStore(t)
		for _, pw := range []string{"s3cr:et", "", "päss wörd\\'\"", strings.Repeat("x", 500)} {
			if err := s.Set(ctx, "inst-1", pw); err != nil {
				t.Fatalf("Set: %v", err)
			}
			got, err := s.Get(ctx, "inst-1")
			if err != nil || got != pw {
				t.Fatalf("Get = %q, %v; want %q", got, err, pw)
			}
		}
		if err := s.Delete(ctx, "inst-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, "inst-1"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
	})
	t.Run("keys-independent", func(t *testing.T) {
		s := newStore(t)
		s.Set(ctx, "a", "1")
		s.Set(ctx, "b", "2")
		s.Delete(ctx, "a")
		if got, err := s.Get(ctx, "b"); err != nil || got != "2" {
			t.Fatalf("b = %q, %v", got, err)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				k := string(rune('a' + i))
				if err := s.Set(ctx, k, k+k); err != nil {
					t.Error(err)
				}
				if got, err := s.Get(ctx, k); err != nil || got != k+k {
					t.Errorf("%s = %q, %v", k, got, err)
				}
			}(i)
		}
		wg.Wait()
	})
	t.Run("cancelled", func(t *testing.T) {
		s := newStore(t)
		c, cancel := context.WithCancel(ctx)
		cancel()
		// A cancelled context may be honoured or ignored, but must never panic
		// nor report a password that was not stored.
		if pw, err := s.Get(c, "never-set"); err == nil || pw != "" {
			t.Fatalf("Get = %q, %v", pw, err)
		}
	})
}

func fakeDBus(n string) string {
	if n == "DBUS_SESSION_BUS_ADDRESS" {
		return "unix:path=/nonexistent"
	}
	return ""
}

func TestContract(t *testing.T) {
	t.Run("keychain", func(t *testing.T) {
		contract(t, func(t *testing.T) Store {
			keyring.MockInit()
			return &Keychain{Service: "tidemark-test", Getenv: fakeDBus}
		})
	})
	t.Run("session", func(t *testing.T) {
		contract(t, func(t *testing.T) Store { return NewSession() })
	})
}

func TestKeychainProbe(t *testing.T) {
	ctx := context.Background()
	keyring.MockInit()
	if a := (&Keychain{Service: "t", Getenv: fakeDBus}).Probe(ctx); !a.Available {
		t.Fatalf("mock keychain: %+v", a)
	}
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	a := (&Keychain{Service: "t", Getenv: fakeDBus}).Probe(ctx)
	if a.Available || !strings.HasPrefix(a.Message, "no OS keychain available: ") || !strings.Contains(a.Message, "org.freedesktop.secrets") {
		t.Fatalf("failing keychain: %+v", a)
	}
	keyring.MockInit()
}

// TestNoKeyring is the headless Linux path: no D-Bus session, so the keychain
// reports itself unavailable up front and every call fails with the reason,
// without touching D-Bus.
func TestNoKeyring(t *testing.T) {
	ctx := context.Background()
	k := &Keychain{Service: "t", Getenv: func(string) string { return "" }}
	a := k.Probe(ctx)
	if a.Available {
		t.Skip("this platform has a keychain without D-Bus")
	}
	if !strings.HasPrefix(a.Message, "no OS keychain available: ") || !strings.Contains(a.Message, "DBUS_SESSION_BUS_ADDRESS") {
		t.Fatalf("message = %q", a.Message)
	}
	err := k.Set(ctx, "id", "hunter2")
	if err == nil || !strings.Contains(err.Error(), "no OS keychain available") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Set err = %v", err)
	}
	r := &Resolver{Keychain: nil, Session: NewSession()}
	_, _, err = r.Password(ctx, ModeKeychain, "id", Target{})
	if err == nil || !strings.Contains(err.Error(), "no OS keychain") {
		t.Fatalf("resolver: %v", err)
	}
}

func TestParsePgpass(t *testing.T) {
	in := `# comment
localhost:5432:db:alice:pw1
*:*:*:bob:pw\:with\:colons
db.example.com:6432:shop:carol:back\\slash
host\:x:5432:*:dave:h
short:line
*:*:*:\*:literal-star
*:*:*:*:fallback:ignored-after-colon
`
	es, err := ParsePgpass(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 6 {
		t.Fatalf("%d entries: %+v", len(es), es)
	}
	cases := []struct {
		t    Target
		want string
	}{
		{Target{Host: "localhost", Port: 5432, Database: "db", User: "alice"}, "pw1"},
		{Target{Host: "/var/run/postgresql", Port: 5432, Database: "db", User: "alice"}, "pw1"}, // socket = localhost
		{Target{Host: "", Port: 0, Database: "db", User: "alice"}, "pw1"},                       // defaults
		{Target{Host: "anything", Port: 1, Database: "x", User: "bob"}, "pw:with:colons"},
		{Target{Host: "db.example.com", Port: 6432, Database: "shop", User: "carol"}, `back\slash`},
		{Target{Host: "db.example.com", Port: 5432, Database: "shop", User: "carol"}, "fallback"},
		{Target{Host: "host:x", Port: 5432, Database: "y", User: "dave"}, "h"},
		{Target{Host: "h", Port: 1, Database: "y", User: "*"}, "literal-star"},
		{Target{Host: "h", Port: 1, Database: "carol", User: "carol"}, "fallback"}, // empty db = user
	}
	for _, c := range cases {
		got := ""
		for _, e := range es {
			if e.Match(c.t) {
				got = e.Password
				break
			}
		}
		if got != c.want {
			t.Errorf("%+v: got %q, want %q", c.t, got, c.want)
		}
	}
}

func TestLookupPgpassFileRules(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pgpass")
	if err := os.WriteFile(p, []byte("*:*:*:app:topsecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tg := Target{Host: "h", Port: 5432, User: "app"}
	if pw, ok, err := LookupPgpass(p, tg); err != nil || !ok || pw != "topsecret" {
		t.Fatalf("lookup: %q %v %v", pw, ok, err)
	}
	if _, ok, err := LookupPgpass(p, Target{Host: "h", User: "other"}); ok || err != nil {
		t.Fatalf("no match: %v %v", ok, err)
	}
	if _, ok, err := LookupPgpass(filepath.Join(dir, "absent"), tg); ok || err != nil {
		t.Fatalf("absent file: %v %v", ok, err)
	}
	os.Chmod(p, 0o644)
	_, ok, err := LookupPgpass(p, tg)
	var pe *PgpassPermissionError
	if ok || !errors.As(err, &pe) || strings.Contains(err.Error(), "topsecret") {
		t.Fatalf("world-readable: %v %v", ok, err)
	}

	// PGPASSFILE wins over HOME; HOME/.pgpass otherwise.
	os.Chmod(p, 0o600)
	env := map[string]string{"PGPASSFILE": p, "HOME": "/nonexistent"}
	r := &Resolver{Getenv: func(k string) string { return env[k] }}
	if pw, ok, err := r.Password(context.Background(), ModePgpass, "id", tg); err != nil || !ok || pw != "topsecret" {
		t.Fatalf("resolver pgpass: %q %v %v", pw, ok, err)
	}
	delete(env, "PGPASSFILE")
	if path, _ := PgpassPath(r.Getenv); path != "/nonexistent/.pgpass" {
		t.Fatalf("default path = %s", path)
	}
	env["PGPASSWORD"] = "fromenv"
	if pw, ok, _ := r.Password(context.Background(), ModeEnv, "id", tg); !ok || pw != "fromenv" {
		t.Fatalf("env: %q %v", pw, ok)
	}
	if _, ok, _ := r.Password(context.Background(), ModeNone, "id", tg); ok {
		t.Fatal("none found a password")
	}
}

func TestResolverStores(t *testing.T) {
	ctx := context.Background()
	keyring.MockInit()
	kc := &Keychain{Service: "t", Getenv: fakeDBus}
	ss := NewSession()
	kc.Set(ctx, "i1", "kcpw")
	ss.Set(ctx, "i1", "sspw")
	r := &Resolver{Keychain: kc, Session: ss}
	if pw, ok, err := r.Password(ctx, ModeKeychain, "i1", Target{}); err != nil || !ok || pw != "kcpw" {
		t.Fatalf("keychain: %q %v %v", pw, ok, err)
	}
	if pw, ok, err := r.Password(ctx, ModeSession, "i1", Target{}); err != nil || !ok || pw != "sspw" {
		t.Fatalf("session: %q %v %v", pw, ok, err)
	}
	if _, ok, err := r.Password(ctx, ModeSession, "i2", Target{}); ok || err != nil {
		t.Fatalf("session missing: %v %v", ok, err)
	}
	if _, _, err := r.Password(ctx, "plaintext", "i1", Target{}); err == nil {
		t.Fatal("unknown mode accepted")
	}
}

func TestRedact(t *testing.T) {
	if got := Redact("password=abc host=abc2", "abc", ""); got != "password=******** host=********2" {
		t.Fatal(got)
	}
}

func TestChoose(t *testing.T) {
	ctx := context.Background()
	keyring.MockInit()
	dir := t.TempDir()
	env := map[string]string{"HOME": dir}
	getenv := func(k string) string { return env[k] }
	tg := Target{Host: "h", Port: 5432, Database: "d", User: "u"}
	kc := &Keychain{Service: "t", Getenv: fakeDBus}
	with := &Resolver{Keychain: kc, Session: NewSession(), Getenv: getenv}
	without := &Resolver{Session: NewSession(), Getenv: getenv}
	if m, st := with.Choose(ctx, "pw", tg, true); m != ModeKeychain || st != Store(kc) {
		t.Fatalf("keychain: %s", m)
	}
	if m, st := without.Choose(ctx, "pw", tg, true); m != ModeSession || st == nil {
		t.Fatalf("session: %s", m)
	}
	if m, st := without.Choose(ctx, "pw", tg, false); m != ModePgpass || st != nil {
		t.Fatalf("cli without keychain: %s", m)
	}
	if m, _ := without.Choose(ctx, "", tg, true); m != ModeNone {
		t.Fatalf("nothing: %s", m)
	}
	env["PGPASSWORD"] = "x"
	if m, _ := without.Choose(ctx, "", tg, true); m != ModeEnv {
		t.Fatalf("env: %s", m)
	}
	os.WriteFile(filepath.Join(dir, ".pgpass"), []byte("h:5432:d:u:p\n"), 0o600)
	if m, _ := without.Choose(ctx, "", tg, true); m != ModePgpass {
		t.Fatalf("pgpass: %s", m)
	}
}

// FuzzPgpassRoundTrip: any five fields, escaped as libpq documents (\ before
// ':' and '\'), parse back to themselves.
func FuzzPgpassRoundTrip(f *testing.F) {
	f.Add("db.example.com", "5432", "shop", "app", `p:a\ss`)
	f.Add("*", "*", "*", "*", "")
	f.Add(`h\`, ":", "", "u", "::")
	f.Fuzz(func(t *testing.T, host, port, db, user, pw string) {
		fields := []string{host, port, db, user, pw}
		for _, x := range fields {
			if strings.ContainsAny(x, "\r\n") {
				return
			}
		}
		esc := strings.NewReplacer(`\`, `\\`, `:`, `\:`)
		var parts []string
		for _, x := range fields {
			parts = append(parts, esc.Replace(x))
		}
		line := strings.Join(parts, ":")
		if line == "" || strings.HasPrefix(line, "#") {
			return
		}
		es, err := ParsePgpass(strings.NewReader(line + "\n"))
		if err != nil || len(es) != 1 {
			t.Fatalf("%q: %v %+v", line, err, es)
		}
		e := es[0]
		if e.Host != host || e.Port != port || e.Database != db || e.User != user || e.Password != pw {
			t.Fatalf("%q parsed as %+v", line, e)
		}
	})
}
