package gitops

import (
	"strings"
	"testing"
)

func TestTemplateParse(t *testing.T) {
	cfg := &Config{BaseDir: "bytebase", Folders: []Folder{
		{Dir: "svc/flyway", Format: FormatFlyway, Database: "orders", Environment: "prod"},
		{Dir: "svc/migrate", Format: FormatMigrate, Database: "orders", Environment: "test"},
		{Dir: "svc/goose", Format: FormatTimestamp, Database: "billing", Environment: "prod"},
	}}
	cfg.fill()
	n, err := NewNamer(cfg, []string{"prod", "test"}, []string{"hr_prod", "hr_test", "orders", "billing"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path   string
		want   *File
		reason string
	}{
		{path: "bytebase/prod/hr_prod##202311012500##ddl##add_nickname_table_employee.sql",
			want: &File{Environment: "prod", Database: "hr_prod", Version: "202311012500", Type: "ddl", Description: "add nickname table employee"}},
		{path: "bytebase/test/hr_test##1.2##DML##fix.sql",
			want: &File{Environment: "test", Database: "hr_test", Version: "1.2", Type: "dml", Description: "fix"}},
		{path: "bytebase/prod/hr_prod##20231101##ddl##.sql",
			want: &File{Environment: "prod", Database: "hr_prod", Version: "20231101", Type: "ddl"}},
		{path: "bytebase/prod/.hr_prod##LATEST.sql", reason: "LATEST"},
		{path: "bytebase/prod/hr_prod##abc##ddl##x.sql", reason: `version "abc" is not numeric`},
		{path: "bytebase/prod/hr_prod##1##alter##x.sql", reason: `type "alter" is not one of`},
		{path: "bytebase/prod/hr_prod.sql", reason: "does not match the path template"},
		{path: "bytebase/prod/sub/hr_prod##1##ddl##x.sql", reason: "does not match the path template"},
		{path: "bytebase/staging/hr_prod##1##ddl##x.sql", reason: `environment "staging" is not one of the project's`},
		{path: "bytebase/prod/nope##1##ddl##x.sql", reason: `database "nope" is not in the project`},
		{path: "other/prod/hr_prod##1##ddl##x.sql", reason: `outside the base directory "bytebase"`},
		{path: "bytebase/README.md", reason: "not a .sql file"},
		{path: "svc/flyway/V2_1__add_orders.sql",
			want: &File{Environment: "prod", Database: "orders", Version: "2_1", Type: "migrate", Description: "add orders"}},
		{path: "svc/flyway/R__views.sql", reason: "repeatable"},
		{path: "svc/flyway/U2__undo.sql", reason: "undo"},
		{path: "svc/flyway/add.sql", reason: "not a Flyway name"},
		{path: "svc/migrate/000003_create_users.up.sql",
			want: &File{Environment: "test", Database: "orders", Version: "000003", Type: "migrate", Description: "create users"}},
		{path: "svc/migrate/000003_create_users.down.sql", reason: "down migrations"},
		{path: "svc/migrate/create.up.sql", reason: "not a golang-migrate name"},
		{path: "svc/goose/20240101120000_add_invoices.sql",
			want: &File{Environment: "prod", Database: "billing", Version: "20240101120000", Type: "migrate", Description: "add invoices"}},
		{path: "svc/goose/add_invoices.sql", reason: "not a timestamped name"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			f, why := n.Parse(c.path)
			if c.want == nil {
				if f != nil || !strings.Contains(why, c.reason) {
					t.Fatalf("Parse = %+v, %q; want reason containing %q", f, why, c.reason)
				}
				return
			}
			if why != "" {
				t.Fatalf("Parse: %s", why)
			}
			c.want.Path = c.path
			if *f != *c.want {
				t.Fatalf("Parse = %+v, want %+v", *f, *c.want)
			}
		})
	}
}

func TestTemplateWildcards(t *testing.T) {
	cases := []struct {
		tmpl, path string
		ok         bool
		db, ver    string
	}{
		{"**/{{DB_NAME}}__{{VERSION}}.sql", "a/b/c/hr__3.sql", true, "hr", "3"},
		{"**/{{DB_NAME}}__{{VERSION}}.sql", "hr__3.sql", true, "hr", "3"},
		{"*/{{DB_NAME}}__{{VERSION}}.sql", "a/hr__3.sql", true, "hr", "3"},
		{"*/{{DB_NAME}}__{{VERSION}}.sql", "a/b/hr__3.sql", false, "", ""},
		{"{{DB_NAME}}/v{{VERSION}}.sql", "hr/v12.sql", true, "hr", "12"},
		{"{{DB_NAME}}/v{{VERSION}}.sql", "hr/x12.sql", false, "", ""},
	}
	for _, c := range cases {
		tm, err := CompileTemplate(c.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := tm.Match(c.path)
		if (m != nil) != c.ok {
			t.Fatalf("%s ~ %s: matched=%v, want %v", c.tmpl, c.path, m != nil, c.ok)
		}
		if c.ok && (m["DB_NAME"] != c.db || m["VERSION"] != c.ver) {
			t.Fatalf("%s ~ %s: %v", c.tmpl, c.path, m)
		}
	}
}

func TestCompileTemplateErrors(t *testing.T) {
	for src, want := range map[string]string{
		"":                                  "empty",
		"/abs/{{DB_NAME}}##{{VERSION}}.sql": "relative",
		"{{DB_NAME}}.sql":                   "{{VERSION}}",
		"{{VERSION}}.sql":                   "{{DB_NAME}}",
		"{{DB}}##{{VERSION}}.sql":           "unknown placeholder {{DB}}",
		"{{DB_NAME}}{{DB_NAME}}{{VERSION}}": "appears twice",
	} {
		if _, err := CompileTemplate(src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CompileTemplate(%q) = %v, want error containing %q", src, err, want)
		}
	}
}

// TestLatestRoundTrip: the LATEST path of every (env, db) is recognised as a
// LATEST file and never parses as a migration.
func TestLatestRoundTrip(t *testing.T) {
	for _, base := range []string{"", "bytebase", "db/schema"} {
		cfg := &Config{BaseDir: base}
		cfg.fill()
		n, err := NewNamer(cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ed := range [][2]string{{"prod", "hr_prod"}, {"test", "hr_test"}, {"e-1", "db.x"}} {
			p := n.LatestPath(ed[0], ed[1])
			if !n.IsLatest(p) {
				t.Fatalf("base %q: %s not recognised as LATEST", base, p)
			}
			if f, _ := n.Parse(p); f != nil {
				t.Fatalf("LATEST %s parsed as a migration: %+v", p, f)
			}
		}
	}
	cfg := DefaultConfig()
	cfg.BaseDir = "bytebase"
	n, _ := NewNamer(cfg, nil, nil)
	if got := n.LatestPath("prod", "hr_prod"); got != "bytebase/prod/.hr_prod##LATEST.sql" {
		t.Fatalf("LatestPath = %s", got)
	}
}

func TestPreview(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BaseDir = "bytebase"
	n, _ := NewNamer(cfg, []string{"prod"}, []string{"hr_prod"})
	got := n.Preview([]string{
		"bytebase/prod/hr_prod##2##ddl##b.sql",
		"README.md",
		"bytebase/prod/hr_prod##1##ddl##a.sql",
		"bytebase/prod/bad.sql",
		"elsewhere/x.sql",
	})
	if len(got) != 3 {
		t.Fatalf("Preview = %+v", got)
	}
	if got[0].Path != "bytebase/prod/bad.sql" || got[0].File != nil || got[0].Reason == "" {
		t.Fatalf("first = %+v", got[0])
	}
	if got[1].File == nil || got[1].File.Version != "1" || got[2].File.Version != "2" {
		t.Fatalf("parsed = %+v %+v", got[1], got[2])
	}
}
