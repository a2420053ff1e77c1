package gitops

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestConfigRoundTrip(t *testing.T) {
	c := &Config{Branch: "trunk", BaseDir: "bytebase", Template: "{{ENV_ID}}/{{DB_NAME}}__{{VERSION}}.sql",
		LatestTemplate: "{{ENV_ID}}/{{DB_NAME}}.LATEST.sql", Policy: "policy.yaml",
		Folders:      []Folder{{Dir: "svc/db", Format: FormatFlyway, Database: "orders", Environment: "prod"}},
		Environments: []Environment{{ID: "prod", Production: true, Review: "policies/prod.yaml"}, {ID: "test"}}, AllowOutOfOrder: true}
	data, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, back) {
		t.Fatalf("round trip:\n%+v\n%+v", c, back)
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	dir := t.TempDir()
	c, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, DefaultConfig()) || c.Branch != "main" || c.BaseDir != "" || c.Template != DefaultTemplate {
		t.Fatalf("defaults = %+v", c)
	}
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err = LoadConfig(dir); err != nil || !reflect.DeepEqual(c, DefaultConfig()) {
		t.Fatalf("empty file = %+v, %v", c, err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for doc, want := range map[string]string{
		"basedir: x\n":                  "field basedir not found",
		"template: '{{DB_NAME}}.sql'\n": "{{VERSION}}",
		"folders: [{dir: a, format: liquibase, database: d}]\n": `format "liquibase"`,
		"folders: [{format: flyway}]\n":                         "dir and database are required",
		"branch: [x\n":                                          ConfigFile,
		"environments: [{production: true}]\n":                  "id is required",
		"environments: [{id: a}, {id: a}]\n":                    "listed twice",
	} {
		if _, err := ParseConfig([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseConfig(%q) = %v, want error containing %q", doc, err, want)
		}
	}
}
