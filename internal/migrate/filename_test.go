package migrate

import (
	"errors"
	"strings"
	"testing"
)

func TestParseFilename(t *testing.T) {
	type want struct {
		format      Format
		version     string
		typ         ChangeType
		desc        string
		db, env     string
		ignored     bool
		errContains string
	}
	cases := []struct {
		path string
		tmpl string
		want want
	}{
		// Tidemark / Bytebase template.
		{"shop##1.2##ddl##add_orders_table.sql", "", want{format: FormatTemplate, version: "1.2", typ: TypeDDL, desc: "add orders table", db: "shop"}},
		{"shop##0003##migrate##x.sql", "", want{format: FormatTemplate, version: "0003", typ: TypeDDL, desc: "x", db: "shop"}},
		{"shop##10##dml##backfill_prices.sql", "", want{format: FormatTemplate, version: "10", typ: TypeDML, desc: "backfill prices", db: "shop"}},
		{"shop##10##DATA##backfill.sql", "", want{format: FormatTemplate, version: "10", typ: TypeDML, desc: "backfill", db: "shop"}},
		{"shop##1##baseline##initial.sql", "", want{format: FormatTemplate, version: "1", typ: TypeBaseline, desc: "initial", db: "shop"}},
		{"shop##1##ddl##.sql", "", want{format: FormatTemplate, version: "1", typ: TypeDDL, desc: "", db: "shop"}},
		{"my_db##2##ddl##a__b.sql", "", want{format: FormatTemplate, version: "2", typ: TypeDDL, desc: "a  b", db: "my_db"}},
		{"prod/shop##3##ddl##x.sql", "", want{format: FormatTemplate, version: "3", typ: TypeDDL, desc: "x", db: "shop", env: "prod"}},
		{"prod/shop##3##ddl##x.sql", "{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql",
			want{format: FormatTemplate, version: "3", typ: TypeDDL, desc: "x", db: "shop", env: "prod"}},
		{"v1.4__shop__data__fix.sql", "v{{VERSION}}__{{DB_NAME}}__{{TYPE}}__{{DESCRIPTION}}.sql",
			want{format: FormatTemplate, version: "1.4", typ: TypeDML, desc: "fix", db: "shop"}},
		// Flyway.
		{"V1__init.sql", "", want{format: FormatFlyway, version: "1", typ: TypeDDL, desc: "init"}},
		{"V1_2__add_users.sql", "", want{format: FormatFlyway, version: "1.2", typ: TypeDDL, desc: "add users"}},
		{"V1.2.3__x.sql", "", want{format: FormatFlyway, version: "1.2.3", typ: TypeDDL, desc: "x"}},
		{"sql/V20240101__nested.sql", "", want{format: FormatFlyway, version: "20240101", typ: TypeDDL, desc: "nested"}},
		{"U1_2__undo_users.sql", "", want{format: FormatFlyway, version: "1.2", typ: TypeDDL, desc: "undo users", ignored: true}},
		{"R__refresh_views.sql", "", want{errContains: "repeatable migrations (R__) are not supported"}},
		{"V__nothing.sql", "", want{errContains: "without a version"}},
		// golang-migrate.
		{"1_create_users.up.sql", "", want{format: FormatGolangMigrate, version: "1", typ: TypeDDL, desc: "create users"}},
		{"000002_add_index.up.sql", "", want{format: FormatGolangMigrate, version: "000002", typ: TypeDDL, desc: "add index"}},
		{"1_create_users.down.sql", "", want{format: FormatGolangMigrate, version: "1", typ: TypeDDL, desc: "create users", ignored: true}},
		{"20240101120000_create.up.sql", "", want{format: FormatGolangMigrate, version: "20240101120000", typ: TypeDDL, desc: "create"}},
		// goose, dbmate, Atlas.
		{"00001_create_users.sql", "", want{format: FormatNumeric, version: "00001", typ: TypeDDL, desc: "create users"}},
		{"20240101120000_create_users.sql", "", want{format: FormatNumeric, version: "20240101120000", typ: TypeDDL, desc: "create users"}},
		{"20240101120000.sql", "", want{format: FormatNumeric, version: "20240101120000", typ: TypeDDL, desc: ""}},
		// Not migrations.
		{"schema.sql", "", want{errContains: "not a migration file name"}},
		{"shop##x##ddl##bad.sql", "", want{errContains: "not a migration file name"}},
		{"a/b/shop##1##ddl##deep.sql", "", want{errContains: "not a migration file name"}},
		{"shop##1##ddl##x.SQL", "", want{errContains: "not a migration file name"}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			var tmpl *Template
			if tc.tmpl != "" {
				tmpl = MustParseTemplate(tc.tmpl)
			}
			fn, err := ParseFilename(tc.path, tmpl)
			if tc.want.errContains != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want.errContains) {
					t.Fatalf("ParseFilename(%q) = %+v, %v; want error containing %q", tc.path, fn, err, tc.want.errContains)
				}
				if !strings.Contains(err.Error(), tc.path) {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFilename(%q): %v", tc.path, err)
			}
			got := want{format: fn.Format, version: fn.Version.String(), typ: fn.Type, desc: fn.Description, db: fn.DBName, env: fn.EnvID, ignored: fn.Ignored != ""}
			if got != tc.want {
				t.Errorf("ParseFilename(%q)\n got %+v\nwant %+v", tc.path, got, tc.want)
			}
			if fn.Path != tc.path {
				t.Errorf("Path = %q, want %q", fn.Path, tc.path)
			}
		})
	}
	if !errors.Is(func() error { _, err := ParseFilename("README.sql", nil); return err }(), ErrNotMigrationName) {
		t.Error("an unrecognised name should wrap ErrNotMigrationName")
	}
}

func TestParseTemplateErrors(t *testing.T) {
	for tmpl, want := range map[string]string{
		"{{DB_NAME}}##{{TYPE}}.sql":                 "{{VERSION}} is required",
		"{{VERSION}}##{{VERSION}}.sql":              "appears twice",
		"{{VERSION}}##{{NAME}}.sql":                 "unknown placeholder {{NAME}}",
		"{{DB_NAME}}##{{VERSION}}##{{DESCRIPTION}}": "must end in .sql",
	} {
		if _, err := ParseTemplate(tmpl); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTemplate(%q) error = %v, want %q", tmpl, err, want)
		}
	}
}

func TestTemplateRenderRoundTrip(t *testing.T) {
	for _, src := range []string{DefaultTemplate, "{{ENV_ID}}/" + DefaultTemplate, "V{{VERSION}}__{{DESCRIPTION}}.sql"} {
		tmpl := MustParseTemplate(src)
		fn := FileName{Format: FormatTemplate, Version: MustParseVersion("1.10.2"), Type: TypeDML, Description: "add the thing", DBName: "shop", EnvID: "prod"}
		p := tmpl.Render(fn)
		got, err := ParseFilename(p, tmpl)
		if err != nil {
			t.Fatalf("%s: render %q does not parse: %v", src, p, err)
		}
		if got.Version.String() != "1.10.2" || got.Description != "add the thing" {
			t.Errorf("%s: round trip of %q gave %+v", src, p, got)
		}
	}
}

// FuzzParseFilename: parsing never panics; whatever parses has a version and
// only a recognised format; template names re-render to a path that parses
// back to the same fields.
func FuzzParseFilename(f *testing.F) {
	for _, s := range []string{
		"shop##1.2##ddl##add_orders_table.sql", "prod/shop##3##data##x.sql", "V1_2__add_users.sql", "U3__undo.sql",
		"R__views.sql", "1_create_users.up.sql", "1_create_users.down.sql", "20240101120000_create.sql", "00001_x.sql",
		"a##1##ddl##b##c.sql", "##1##ddl##.sql", "x/y/z.sql", "V1__.sql", "1.sql", "",
	} {
		f.Add(s)
	}
	tmpl := MustParseTemplate(DefaultTemplate)
	f.Fuzz(func(t *testing.T, p string) {
		fn, err := ParseFilename(p, tmpl)
		if err != nil {
			if !strings.Contains(err.Error(), p) {
				t.Fatalf("error %q does not name %q", err, p)
			}
			return
		}
		if fn.Version.IsZero() {
			t.Fatalf("%q parsed without a version: %+v", p, fn)
		}
		switch fn.Format {
		case FormatTemplate, FormatFlyway, FormatGolangMigrate, FormatNumeric:
		default:
			t.Fatalf("%q: unknown format %q", p, fn.Format)
		}
		if fn.Format == FormatTemplate && !strings.Contains(fn.Description, "/") && !strings.HasPrefix(fn.Description, " ") && !strings.HasSuffix(fn.Description, " ") && !strings.Contains(p, " ") {
			q := tmpl.Render(fn)
			if fn.EnvID != "" {
				q = fn.EnvID + "/" + q
			}
			back, err := ParseFilename(q, tmpl)
			if err != nil {
				t.Fatalf("%q re-rendered as %q does not parse: %v", p, q, err)
			}
			if back.Version.Compare(fn.Version) != 0 || back.Type != fn.Type || back.Description != fn.Description || back.EnvID != fn.EnvID {
				t.Fatalf("%q -> %+v -> %q -> %+v", p, fn, q, back)
			}
		}
	})
}
