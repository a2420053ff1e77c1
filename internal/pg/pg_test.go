package pg

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tidemark-dev/tidemark/internal/usererr"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pg)) }

func TestParseURL(t *testing.T) {
	ok := []struct {
		in   string
		want ConnInfo
	}{
		{"postgres://alice:s%40cret@db.example.com:6432/shop?sslmode=require",
			ConnInfo{Host: "db.example.com", Port: 6432, User: "alice", Password: "s@cret", Database: "shop", SSLMode: "require"}},
		{"postgresql://bob@localhost/app", ConnInfo{Host: "localhost", Port: 5432, User: "bob", Database: "app", SSLMode: "prefer"}},
		{"POSTGRES://h", ConnInfo{Host: "h", Port: 5432, SSLMode: "prefer"}},
		{"postgres://u:p:q@[::1]:5433/d", ConnInfo{Host: "::1", Port: 5433, User: "u", Password: "p:q", Database: "d", SSLMode: "prefer"}},
		{"postgres://u@h/d?application_name=x&connect_timeout=3", ConnInfo{Host: "h", Port: 5432, User: "u", Database: "d", SSLMode: "prefer"}},
		{"postgres:///d?host=h&port=7&user=u&password=pw&dbname=other", ConnInfo{Host: "h", Port: 7, User: "u", Password: "pw", Database: "other", SSLMode: "prefer"}},
		{"postgres://h/d?user=me@corp", ConnInfo{Host: "h", Port: 5432, User: "me@corp", Database: "d", SSLMode: "prefer"}},
		{"postgres://h?user=me@corp", ConnInfo{Host: "h", Port: 5432, User: "me@corp", SSLMode: "prefer"}},
		{"host=h port=5433 user=u password='it''s' dbname=d sslmode=disable", ConnInfo{}}, // filled below
		{`host=h user=u password='a \'quoted\' \\ pw' dbname = 'my db'`, ConnInfo{Host: "h", Port: 5432, User: "u", Password: `a 'quoted' \ pw`, Database: "my db", SSLMode: "prefer"}},
	}
	ok[8].in = `host=h port=5433 user=u password=p\ w dbname=d sslmode=disable`
	ok[8].want = ConnInfo{Host: "h", Port: 5433, User: "u", Password: "p w", Database: "d", SSLMode: "disable"}
	for _, c := range ok {
		got, err := ParseURL(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, field, msg string }{
		{"", "url", "empty"},
		{"mysql://u@h/d", "url", `unsupported URL scheme "mysql"`},
		{"just some text", "url", "not a connection URL"},
		{"postgres://u:pw@h:abc/d", "port", `port "abc" is not a number`},
		{"postgres://u:pw@h:70000/d", "port", "port 70000 is out of range (1-65535)"},
		{"postgres://u:pw@h:0/d", "port", "out of range"},
		{"postgres://u:pw@h:/d", "port", "port after"},
		{"postgres://u:pw@/d", "host", "no host"},
		{"postgres://u:pw@h1,h2/d", "host", "several hosts"},
		{"postgres://u:pw@[::1/d", "host", "closing ]"},
		{"postgres://u:pw@h/d?sslmode=sometimes", "sslmode", `unknown sslmode "sometimes"`},
		{"postgres://u:pw@h/d?foo=bar", "url", `unsupported connection parameter "foo"`},
		{"postgres://u:p%zzw@h/d", "password", "bad %-escape"},
		{"postgres://u%zz:pw@h/d", "user", "bad %-escape"},
		{"postgres://u:pw@h/d%zz", "database", "bad %-escape"},
		{"host=h port=x password=pw", "port", `port "x" is not a number`},
		{"host=h password='pw", "password", "closing quote"},
		{"host=h sslmode=maybe password=pw", "sslmode", "unknown sslmode"},
		{"host=/var/run/postgresql password=pw", "host", "Unix-socket"},
		{"host h port=1", "url", "not followed by =value"},
		{"postgres://u:a/b@h/d", "password", "percent-encode a / in the user name or password"},
		{"postgres://h/db@x", "password", "an @ in a database name as %40"},
		{"host=h password=a b", "password", "quote a password holding spaces"},
		{"postgres://u:a?b@h/d", "password", "percent-encode a ? in the user name or password"},
	}
	for _, c := range bad {
		_, err := ParseURL(c.in)
		var ue *usererr.Error
		if !errors.As(err, &ue) {
			t.Errorf("ParseURL(%q): err = %v, want *usererr.Error", c.in, err)
			continue
		}
		if ue.Field != c.field || !strings.Contains(ue.Message, c.msg) {
			t.Errorf("ParseURL(%q) = field %q message %q; want field %q containing %q", c.in, ue.Field, ue.Message, c.field, c.msg)
		}
	}
}

// FuzzParseURL: never panics, never echoes the password, and a parsed result
// survives a round trip through its own URL.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"postgres://u:pw@h:5432/d?sslmode=require", "host=h password='x y'", "postgres://[::1]:1/", "postgres://u:p%40@h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ci, err := ParseURL(s)
		if err != nil {
			return
		}
		back, err := ParseURL(ci.URL())
		if err != nil {
			t.Fatalf("ParseURL(%q) ok but its URL %q fails: %v", s, ci.URL(), err)
		}
		ci.Password = ""
		if back != ci {
			t.Fatalf("round trip %q: %+v != %+v", s, back, ci)
		}
	})
}

func TestConnectionSuccess(t *testing.T) {
	u, _ := url.Parse(pg.NewDB(t))
	port, _ := strconv.Atoi(u.Port())
	ci := ConnInfo{Host: u.Hostname(), Port: port, User: u.User.Username(), Database: strings.TrimPrefix(u.Path, "/"), SSLMode: "prefer"}
	cfg, err := Config(ci)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RuntimeParams["application_name"] != "tidemark" || cfg.ConnectTimeout > 5*time.Second {
		t.Fatalf("defaults not applied: %+v %v", cfg.RuntimeParams, cfg.ConnectTimeout)
	}
	info, err := TestConnection(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if info.VersionNum < 100000 || info.Version == "" || info.Latency <= 0 {
		t.Fatalf("info = %+v", info)
	}
	if !strings.HasPrefix(info.Version, strconv.Itoa(info.VersionNum/10000)) {
		t.Fatalf("version %q vs num %d", info.Version, info.VersionNum)
	}

	// application_name reaches the server.
	c := pgtest.Conn(t, pg.AdminURL)
	conn, _ := Connect(context.Background(), cfg)
	defer conn.Close(context.Background())
	var n int
	c.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tidemark'`).Scan(&n)
	if n < 1 {
		t.Fatal("no session with application_name=tidemark")
	}
}

func TestListDatabases(t *testing.T) {
	dbURL := pg.NewDB(t)
	name := strings.TrimPrefix(mustURL(t, dbURL).Path, "/")
	pgtest.MustExec(t, dbURL, "CREATE TABLE big AS SELECT g, repeat('x', 100) AS pad FROM generate_series(1, 20000) g")
	pgtest.MustExec(t, pg.AdminURL, "CREATE ROLE lister LOGIN")
	t.Cleanup(func() { pg.Exec(context.Background(), "DROP ROLE IF EXISTS lister") })
	pgtest.MustExec(t, pg.AdminURL, "CREATE DATABASE t_closed_"+name[2:])
	pgtest.MustExec(t, pg.AdminURL, "REVOKE CONNECT ON DATABASE t_closed_"+name[2:]+" FROM PUBLIC")
	t.Cleanup(func() { pg.Exec(context.Background(), "DROP DATABASE IF EXISTS t_closed_"+name[2:]) })

	ci := infoFromURL(t, pg.AdminURL)
	cfg, _ := Config(ci)
	dbs, err := ListDatabases(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range dbs {
		if strings.HasPrefix(d.Name, "template") {
			t.Errorf("template listed: %s", d.Name)
		}
		if d.Name == name {
			found = true
			if d.Owner != "postgres" || d.Encoding != "UTF8" || d.SizeBytes < 2_000_000 {
				t.Errorf("db = %+v", d)
			}
		}
	}
	if !found {
		t.Fatalf("%s not listed in %+v", name, dbs)
	}
	// An unprivileged role does not see the database it may not connect to.
	ci.User = "lister"
	ci.Database = "postgres"
	cfg, _ = Config(ci)
	dbs, err = ListDatabases(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbs {
		if d.Name == "t_closed_"+name[2:] {
			t.Fatalf("lister sees a database it cannot connect to")
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func infoFromURL(t *testing.T, s string) ConnInfo {
	ci, err := ParseURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return ci
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return p
}

func TestUnreachableHost(t *testing.T) {
	port := closedPort(t)
	cfg, _ := Config(ConnInfo{Host: "127.0.0.1", Port: port, User: "u", Password: "pw-unreach"})
	start := time.Now()
	_, err := TestConnection(context.Background(), cfg)
	took := time.Since(start)
	var ue *usererr.Error
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v", err)
	}
	want := "cannot reach 127.0.0.1:" + strconv.Itoa(port) + ": connection refused"
	if !strings.HasPrefix(ue.Message, want) {
		t.Fatalf("message = %q, want prefix %q", ue.Message, want)
	}
	if took >= 5*time.Second {
		t.Fatalf("took %v, the limit is 5s", took)
	}
	t.Logf("refused after %v", took)
}

// TestSilentServerTimesOut: a port that accepts TCP but never answers the
// startup message (a hung server, a wrong service) must fail within the
// 5 s connect timeout, naming host and port.
func TestSilentServerTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, say nothing
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port
	cfg, _ := Config(ConnInfo{Host: "127.0.0.1", Port: port, User: "u", SSLMode: "disable"})
	start := time.Now()
	_, err = TestConnection(context.Background(), cfg)
	took := time.Since(start)
	var ue *usererr.Error
	want := "cannot reach 127.0.0.1:" + strconv.Itoa(port) + ": no answer within 5s"
	if !errors.As(err, &ue) || !strings.HasPrefix(ue.Message, want) {
		t.Fatalf("err = %v, want prefix %q", err, want)
	}
	if took >= 5*time.Second {
		t.Fatalf("took %v, the limit is 5s", took)
	}
	t.Logf("%s after %v", ue.Message, took)
}

func TestDNSFailure(t *testing.T) {
	cfg, _ := Config(ConnInfo{Host: "no-such-host.invalid", Port: 5432, User: "u"})
	_, err := TestConnection(context.Background(), cfg)
	var ue *usererr.Error
	if !errors.As(err, &ue) || ue.Field != "host" || !strings.Contains(ue.Message, `"no-such-host.invalid"`) {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(ue.Message, "resolve") && !strings.Contains(ue.Message, "cannot reach") {
		t.Fatalf("message = %q", ue.Message)
	}
}

func TestWrongPassword(t *testing.T) {
	port := startScramCluster(t, "right-pass")
	ci := ConnInfo{Host: "127.0.0.1", Port: port, User: "app", Password: "wrong-pass", Database: "postgres", SSLMode: "disable"}
	cfg, _ := Config(ci)
	_, err := TestConnection(context.Background(), cfg)
	var ue *usererr.Error
	if !errors.As(err, &ue) || ue.SQLState != "28P01" || ue.Field != "password" {
		t.Fatalf("err = %#v", err)
	}
	if ue.Message != `password authentication failed for user "app"` {
		t.Fatalf("message = %q", ue.Message)
	}
	if strings.Contains(err.Error(), "wrong-pass") {
		t.Fatal("password in error")
	}
	ci.Password = "right-pass"
	cfg, _ = Config(ci)
	if _, err := TestConnection(context.Background(), cfg); err != nil {
		t.Fatalf("right password: %v", err)
	}
	// No password at all: the server asks for one.
	ci.Password = ""
	cfg, _ = Config(ci)
	if _, err := TestConnection(context.Background(), cfg); err == nil {
		t.Fatal("no password accepted")
	}
}

func TestUnknownDatabase(t *testing.T) {
	ci := infoFromURL(t, pg.AdminURL)
	pg.NewDB(t)
	ci.Database = "no_such_db_here"
	cfg, _ := Config(ci)
	_, err := TestConnection(context.Background(), cfg)
	var ue *usererr.Error
	if !errors.As(err, &ue) || ue.SQLState != "3D000" || ue.Field != "database" {
		t.Fatalf("err = %#v", err)
	}
}

// TestPasswordsNeverInErrors feeds DSNs holding a password through every error
// path (parsing, config, refused, DNS, timeout, wrong database, wrong password)
// and greps every rendering of the error for it.
func TestPasswordsNeverInErrors(t *testing.T) {
	const pw = "Sup3r-S3cret-Pw"
	port := closedPort(t)
	inputs := []string{
		"postgres://u:" + pw + "@h:abc/d",
		"postgres://u:" + pw + "@h:99999/d",
		"postgres://u:" + pw + "@h/d?sslmode=nope",
		"postgres://u:" + pw + "@h/d?nope=1",
		"postgres://u:" + pw + "%zz@h/d",
		"postgres://u:" + pw + "@h1,h2/d",
		"postgres://u:" + pw + "@/d",
		"mysql://u:" + pw + "@h/d",
		"host=h password=" + pw + " port=x",
		"host=h password='" + pw,
		"postgres://u:" + pw + "@127.0.0.1:" + strconv.Itoa(port) + "/d",
		"postgres://u:" + pw + "@no-such-host.invalid/d",
		"postgres://u:" + pw + "@192.0.2.1/d?sslmode=disable",
	}
	// Passwords holding a URL or DSN delimiter, unescaped or unquoted: no error
	// may quote any part of them.
	fragments := []string{"Fr4gOne", "Fr4gTwo"}
	for _, in := range []string{
		"postgres://u:Fr4gOne/Fr4gTwo@h/d",
		"postgres://u:Fr4gOne/Fr4gTwo@h:5432/d",
		"postgres://u:12/Fr4gTwo@h/d",
		"postgres://Fr4gOne:Fr4gTwo/x@h:5432/d",
		"postgres://u:Fr4gOne?Fr4gTwo/x@h/d",
		"host=h password=Fr4gOne Fr4gTwo",
		"host=h password=Fr4gOne Fr4gTwo=x",
		"host=h password=Fr4gOne Fr4gTwo port=1",
	} {
		_, err := ParseURL(in)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted a malformed password", in)
			continue
		}
		for _, f := range fragments {
			if strings.Contains(err.Error(), f) {
				t.Errorf("ParseURL(%q): error %q quotes part of the password", in, err)
			}
		}
	}
	if pg.Available() == nil {
		a := infoFromURL(t, pg.AdminURL)
		inputs = append(inputs, "postgres://postgres:"+pw+"@127.0.0.1:"+strconv.Itoa(a.Port)+"/no_such_db")
	}
	check := func(where string, err error) {
		t.Helper()
		if err == nil {
			return
		}
		texts := []string{err.Error()}
		var ue *usererr.Error
		if errors.As(err, &ue) {
			b, _ := json.Marshal(ue)
			texts = append(texts, ue.Message, ue.Detail, ue.Hint, string(b))
		}
		for _, s := range texts {
			if strings.Contains(s, pw) {
				t.Errorf("%s: password in error text %q", where, s)
			}
		}
	}
	for _, in := range inputs {
		ci, err := ParseURL(in)
		check("parse "+in, err)
		if err != nil {
			continue
		}
		cfg, err := Config(ci)
		check("config", err)
		if err != nil {
			continue
		}
		_, err = TestConnection(context.Background(), cfg)
		if err == nil {
			t.Errorf("%s: connected", ci.URL())
		}
		check("connect "+ci.URL(), err)
		_, err = ListDatabases(context.Background(), cfg)
		check("list "+ci.URL(), err)
		if strings.Contains(ci.URL(), pw) {
			t.Errorf("URL() shows the password")
		}
	}
}

func TestPools(t *testing.T) {
	ci := infoFromURL(t, pg.NewDB(t))
	cfg, _ := Config(ci)
	p := NewPools()
	defer p.CloseAll()
	ctx := context.Background()
	a, err := p.Get(ctx, "i1", cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg2, _ := Config(ci)
	b, _ := p.Get(ctx, "i1", cfg2)
	if a != b {
		t.Fatal("same settings gave a new pool")
	}
	ci.Password = "changed"
	cfg3, _ := Config(ci)
	c, err := p.Get(ctx, "i1", cfg3)
	if err != nil || c == a {
		t.Fatalf("changed password kept the pool: %v", err)
	}
	dbs, err := ListDatabasesWith(ctx, c, ci)
	if err != nil || len(dbs) == 0 {
		t.Fatalf("list via pool: %v %v", dbs, err)
	}
	if p.Len() != 1 {
		t.Fatalf("len = %d", p.Len())
	}
	p.Close("i1")
	if p.Len() != 0 {
		t.Fatal("not closed")
	}
	if _, err := p.Get(ctx, "bad", mustConfig(t, ConnInfo{Host: "127.0.0.1", Port: closedPort(t), User: "u"})); err == nil || p.Len() != 0 {
		t.Fatalf("failed pool kept: %v", err)
	}
}

func mustConfig(t *testing.T, ci ConnInfo) *pgx.ConnConfig {
	cfg, err := Config(ci)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestSSLRequiredButRefused(t *testing.T) {
	pg.NewDB(t)
	ci := infoFromURL(t, pg.AdminURL)
	ci.SSLMode = "require" // the test cluster has no TLS
	cfg, _ := Config(ci)
	_, err := TestConnection(context.Background(), cfg)
	var ue *usererr.Error
	want := "cannot connect to 127.0.0.1:" + strconv.Itoa(ci.Port) + ": the server does not accept TLS connections, but the sslmode requires TLS"
	if !errors.As(err, &ue) || ue.Message != want || ue.Field != "sslmode" {
		t.Fatalf("err = %v", err)
	}
	t.Log(ue.Message)
}

func TestParseConnString(t *testing.T) {
	t.Setenv("PGCONNECT_TIMEOUT", "")
	t.Setenv("PGAPPNAME", "")
	cfg, ci, err := ParseConnString("postgres://u:Pw-In-Url@db.example:6000/shop?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RuntimeParams["application_name"] != ApplicationName || cfg.ConnectTimeout != ConnectTimeout {
		t.Errorf("defaults not applied: application_name %q, timeout %s", cfg.RuntimeParams["application_name"], cfg.ConnectTimeout)
	}
	want := ConnInfo{Host: "db.example", Port: 6000, User: "u", Password: "Pw-In-Url", Database: "shop"}
	if ci != want {
		t.Errorf("ci = %+v, want %+v", redactedInfo(ci), redactedInfo(want))
	}
	if strings.Contains(ci.URL(), "Pw-In-Url") {
		t.Errorf("URL() shows the password: %s", ci.URL())
	}
	cfg, _, err = ParseConnString("host=h user=u application_name=mine connect_timeout=3")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RuntimeParams["application_name"] != "mine" || cfg.ConnectTimeout != 3*time.Second {
		t.Errorf("explicit settings overridden: application_name %q, timeout %s", cfg.RuntimeParams["application_name"], cfg.ConnectTimeout)
	}
	if _, _, err := ParseConnString("postgres://u:Pw-In-Url@h:notaport/d"); err == nil || strings.Contains(err.Error(), "Pw-In-Url") {
		t.Errorf("bad port: err %v (must fail without the password)", err)
	}
}
