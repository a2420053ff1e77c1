package migrate

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

func TestLoadDirFormats(t *testing.T) {
	cases := []struct {
		name     string
		files    map[string]string
		opts     LoadOptions
		versions []string
		ignored  []string
		check    func(t *testing.T, ms []Migration)
	}{
		{
			name: "template",
			files: map[string]string{
				"shop##1##ddl##create_users.sql":      "CREATE TABLE users (id int);",
				"shop##1.10##dml##seed.sql":           "INSERT INTO users VALUES (1);",
				"shop##1.9##migrate##add_col.sql":     "ALTER TABLE users ADD COLUMN name text;",
				".shop##LATEST.sql":                   "CREATE TABLE users (id int, name text);",
				"README.md":                           "not sql",
				".git/objects/shop##9##ddl##x.sql":    "garbage that is never read",
				"notes/ignored.txt":                   "x",
				"shop##2##baseline##existing_db.sql":  "SELECT 1;",
				"other##5##ddl##another_database.sql": "CREATE TABLE x (id int);",
			},
			opts:     LoadOptions{DBName: "shop"},
			versions: []string{"1", "1.9", "1.10", "2"},
			check: func(t *testing.T, ms []Migration) {
				if ms[2].Type != TypeDML || ms[1].Type != TypeDDL || ms[3].Type != TypeBaseline {
					t.Errorf("types: %s %s %s", ms[1].Type, ms[2].Type, ms[3].Type)
				}
				if ms[0].Description != "create users" || ms[0].DBName != "shop" {
					t.Errorf("first: %+v", ms[0].FileName)
				}
			},
		},
		{
			name: "template with environment directories",
			files: map[string]string{
				"test/shop##1##ddl##a.sql": "CREATE TABLE a (id int);",
				"prod/shop##1##ddl##a.sql": "CREATE TABLE a (id int);",
				"prod/shop##2##ddl##b.sql": "CREATE TABLE b (id int);",
			},
			opts:     LoadOptions{EnvID: "prod"},
			versions: []string{"1", "2"},
		},
		{
			name: "flyway",
			files: map[string]string{
				"V1__init.sql":         "CREATE TABLE a (id int);",
				"V1_1__more.sql":       "CREATE TABLE b (id int);",
				"U1_1__undo_more.sql":  "DROP TABLE b;",
				"sub/V2__in_a_dir.sql": "CREATE TABLE c (id int);",
			},
			versions: []string{"1", "1.1", "2"},
			ignored:  []string{"U1_1__undo_more.sql"},
		},
		{
			name: "golang-migrate",
			files: map[string]string{
				"1_init.up.sql":     "CREATE TABLE a (id int);",
				"1_init.down.sql":   "DROP TABLE a;",
				"2_second.up.sql":   "CREATE TABLE b (id int);",
				"2_second.down.sql": "DROP TABLE b;",
			},
			versions: []string{"1", "2"},
			ignored:  []string{"1_init.down.sql", "2_second.down.sql"},
		},
		{
			name: "goose",
			files: map[string]string{
				"00001_create.sql": "-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n",
				"00002_func.sql": "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n-- +goose StatementEnd\n" +
					"-- +goose Down\n-- +goose StatementBegin\nDROP FUNCTION f();\n-- +goose StatementEnd\n",
				"00003_index.sql": "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n-- +goose Down\nDROP INDEX a_id;\n",
			},
			versions: []string{"00001", "00002", "00003"},
			check: func(t *testing.T, ms []Migration) {
				if len(ms[0].Statements) != 1 || ms[0].Statements[0].Tag != "CREATE TABLE" || ms[0].Statements[0].Line != 2 {
					t.Errorf("goose Up only: %+v", ms[0].Statements)
				}
				if len(ms[1].Statements) != 1 || !strings.Contains(ms[1].Statements[0].SQL, "RETURN 1;") {
					t.Errorf("StatementBegin block: %+v", ms[1].Statements)
				}
				if !ms[2].NoTransaction || ms[0].NoTransaction {
					t.Errorf("NO TRANSACTION: %v %v", ms[2].NoTransaction, ms[0].NoTransaction)
				}
				if strings.Contains(ms[0].SQL, "DROP") {
					t.Errorf("Down section kept: %q", ms[0].SQL)
				}
			},
		},
		{
			name: "dbmate and atlas",
			files: map[string]string{
				"20240101120000_create.sql": "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n",
				"20240102120000_index.sql":  "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n-- migrate:down\nDROP INDEX a_id;\n",
				"20240103120000_atlas.sql":  "-- atlas:txmode none\nCREATE TABLE b (id int);\n",
				"atlas.sum":                 "h1:xyz",
			},
			versions: []string{"20240101120000", "20240102120000", "20240103120000"},
			check: func(t *testing.T, ms []Migration) {
				if ms[0].NoTransaction || !ms[1].NoTransaction || !ms[2].NoTransaction {
					t.Errorf("transaction modes: %v %v %v", ms[0].NoTransaction, ms[1].NoTransaction, ms[2].NoTransaction)
				}
				if len(ms[0].Statements) != 1 || ms[0].Statements[0].Line != 2 {
					t.Errorf("dbmate up section: %+v", ms[0].Statements)
				}
			},
		},
		{
			name: "checksums ignore BOM and line endings; positions are file lines",
			files: map[string]string{
				"V1__crlf.sql": "\uFEFF-- comment\r\nCREATE TABLE a (id int);\r\n\r\nCREATE TABLE b (id int);\r\n",
			},
			versions: []string{"1"},
			check: func(t *testing.T, ms []Migration) {
				if ms[0].Checksum != Checksum([]byte("-- comment\nCREATE TABLE a (id int);\n\nCREATE TABLE b (id int);\n")) {
					t.Errorf("checksum %s", ms[0].Checksum)
				}
				if ms[0].Statements[1].Line != 4 || strings.Contains(ms[0].SQL, "\r") {
					t.Errorf("statements %+v", ms[0].Statements)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ignored []string
			tc.opts.OnIgnored = func(p, reason string) {
				if reason == "" {
					t.Errorf("%s ignored without a reason", p)
				}
				ignored = append(ignored, p)
			}
			ms, err := LoadDir(mapFS(tc.files), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.Version.String())
				if !strings.HasPrefix(m.Checksum, ChecksumPrefix) || len(m.Statements) == 0 || m.Source != SourceFile {
					t.Errorf("%s: %+v", m.Path, m)
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.versions, " ") {
				t.Errorf("versions %v, want %v", got, tc.versions)
			}
			if strings.Join(ignored, " ") != strings.Join(tc.ignored, " ") {
				t.Errorf("ignored %v, want %v", ignored, tc.ignored)
			}
			if tc.check != nil {
				tc.check(t, ms)
			}
		})
	}
}

func TestLoadDirErrors(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		opts  LoadOptions
		want  []string
		is    error
	}{
		{"duplicate versions", map[string]string{"V1__a.sql": "SELECT 1;", "V1.0__b.sql": "SELECT 2;"}, LoadOptions{},
			[]string{"V1.0__b.sql and V1__a.sql both have version"}, ErrDuplicateVersion},
		{"duplicate across formats", map[string]string{"V2__a.sql": "SELECT 1;", "002_b.sql": "SELECT 2;"}, LoadOptions{},
			[]string{"002_b.sql", "V2__a.sql", "duplicate"}, ErrDuplicateVersion},
		{"empty file", map[string]string{"V1__a.sql": "-- nothing here\n/* or here */\n  \n"}, LoadOptions{},
			[]string{"V1__a.sql", "no executable statements"}, ErrEmptyMigration},
		{"zero-byte file", map[string]string{"V1__a.sql": ""}, LoadOptions{}, []string{"V1__a.sql"}, ErrEmptyMigration},
		{"empty goose up", map[string]string{"001_a.sql": "-- +goose Up\n-- +goose Down\nDROP TABLE a;\n"}, LoadOptions{}, []string{"001_a.sql"}, ErrEmptyMigration},
		{"meta-command", map[string]string{"V1__a.sql": "CREATE TABLE a (id int);\n\\connect other\nCREATE TABLE b (id int);\n"}, LoadOptions{},
			[]string{`V1__a.sql:2: psql meta-command \connect`}, nil},
		{"syntax error", map[string]string{"V1__a.sql": "CREATE TABLE a (id int);\n\nCREATE TABLEX b (id int);\n"}, LoadOptions{},
			[]string{"V1__a.sql:3:", "syntax error"}, nil},
		{"commit without begin", map[string]string{"V1__a.sql": "CREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\n"}, LoadOptions{},
			[]string{"V1__a.sql:2: COMMIT with no BEGIN before it would end the runner's own transaction"}, nil},
		{"rollback without begin", map[string]string{"V1__a.sql": "SELECT 1;\nROLLBACK;\n"}, LoadOptions{}, []string{"V1__a.sql:2: ROLLBACK with no BEGIN"}, nil},
		{"block never committed", map[string]string{"V1__a.sql": "SELECT 1;\nBEGIN;\nCREATE TABLE a (id int);\n"}, LoadOptions{},
			[]string{"V1__a.sql:2: the transaction block opened here is never committed"}, nil},
		{"block rolled back", map[string]string{"V1__a.sql": "BEGIN;\nCREATE TABLE a (id int);\nROLLBACK;\n"}, LoadOptions{},
			[]string{"V1__a.sql:3: ROLLBACK ends the block opened at line 1"}, nil},
		{"nested begin", map[string]string{"V1__a.sql": "BEGIN;\nSTART TRANSACTION;\nCOMMIT;\n"}, LoadOptions{},
			[]string{"V1__a.sql:2: START TRANSACTION inside the transaction block opened at line 1"}, nil},
		{"savepoint outside a block", map[string]string{"V1__a.sql": "SAVEPOINT s;\nSELECT 1;\n"}, LoadOptions{}, []string{"V1__a.sql:1: SAVEPOINT outside a BEGIN"}, nil},
		{"concurrent build in a block", map[string]string{"V1__a.sql": "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;\n"}, LoadOptions{},
			[]string{"V1__a.sql:2: CREATE INDEX cannot run inside the transaction block opened at line 1"}, nil},
		{"prepared transaction", map[string]string{"V1__a.sql": "BEGIN;\nSELECT 1;\nPREPARE TRANSACTION 'x';\n"}, LoadOptions{}, []string{"V1__a.sql:3: PREPARE TRANSACTION"}, nil},
		{"unrecognised name", map[string]string{"V1__a.sql": "SELECT 1;", "schema.sql": "SELECT 1;"}, LoadOptions{},
			[]string{"schema.sql", "not a migration file name"}, ErrNotMigrationName},
		{"repeatable", map[string]string{"R__views.sql": "SELECT 1;"}, LoadOptions{}, []string{"R__views.sql", "not supported"}, nil},
		{"several databases", map[string]string{"a##1##ddl##x.sql": "SELECT 1;", "b##2##ddl##y.sql": "SELECT 1;"}, LoadOptions{},
			[]string{"several databases (a, b)"}, nil},
		{"several environments", map[string]string{"p/a##1##ddl##x.sql": "SELECT 1;", "t/a##2##ddl##y.sql": "SELECT 1;"}, LoadOptions{},
			[]string{"several environments (p, t)"}, nil},
		{"goose envsub", map[string]string{"001_a.sql": "-- +goose ENVSUB ON\n-- +goose Up\nSELECT 1;\n"}, LoadOptions{}, []string{"001_a.sql", "ENVSUB"}, nil},
		{"bad template", map[string]string{"V1__a.sql": "SELECT 1;"}, LoadOptions{Template: "{{DB_NAME}}.sql"}, []string{"{{VERSION}} is required"}, nil},
		{"every problem at once", map[string]string{"V1__a.sql": "", "V2__b.sql": "\\set x 1\nSELECT 1;"}, LoadOptions{},
			[]string{"V1__a.sql", "V2__b.sql:1"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := LoadDir(mapFS(tc.files), tc.opts)
			if err == nil {
				t.Fatalf("LoadDir = %d migrations, want an error", len(ms))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nwant it to contain %q", err, w)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %v", err, tc.is)
			}
		})
	}
}
